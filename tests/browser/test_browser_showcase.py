"""The showcase on a phone and a desktop: the first screen of the home page, no sideways scroll
on any kind of page, and list links big enough to tap (WCAG 2.5.8: 24 px)."""

from __future__ import annotations

import pytest
from browser_conftest import third_party_requests

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
PAGES = {
    "home": "/",
    "record": "/ho-so/duong-hoa-quan-su/",
    "district": "/dia-phuong/truoc-2025/ha-nam/thanh-liem/",
    "province": "/dia-phuong/ninh-binh/",
    "former province": "/dia-phuong/truoc-2025/ha-nam/",
    "places": "/dia-phuong/",
    "finder": "/tra-cuu/",
    "statistics": "/thong-ke/",
    "map": "/ban-do/",
    "library": "/thu-vien-anh/",
    "kind": "/mo-hinh/",
    "year": "/nam/",
}
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1 && getComputedStyle(e).position !== "fixed";
  }).slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


def _open(page, site_url: str, path: str):
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response and response.ok, path


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_no_page_scrolls_sideways(make_page, site_url, name, device):
    page = make_page(**(DESKTOP if device == "desktop" else {}))
    _open(page, site_url, PAGES[name])
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], f"{name} at {device}: {found}"
    assert third_party_requests(page, site_url) == []


def test_the_home_pages_first_phone_screen_has_a_photo_and_the_search_box(page, site_url):
    _open(page, site_url, "/")
    height = page.viewport_size["height"]
    search = page.locator("#sv-home-q").bounding_box()
    photo = page.locator(".sv-featured img").first
    photo.wait_for()
    box = photo.bounding_box()
    assert search and search["y"] + search["height"] <= height, search
    assert box and box["height"] >= 120 and box["y"] + box["height"] / 2 <= height, box  # at least half of it
    assert page.evaluate("el => el.complete && el.naturalWidth > 0", photo.element_handle())
    assert page.locator(".sv-hero__title").bounding_box()["y"] < search["y"]


@pytest.mark.parametrize("path", [PAGES["district"], PAGES["kind"], PAGES["places"], "/", PAGES["year"]])
def test_links_in_lists_are_big_enough_to_tap(page, site_url, path):
    _open(page, site_url, path)
    small = page.evaluate("""() => [...document.querySelectorAll(
        "article li > a, article td > a, article .sv-card a, article .sv-pager a")]
      .map(a => [a.textContent.trim(), a.getBoundingClientRect().height, a.getBoundingClientRect().width])
      .filter(([, h, w]) => h > 0 && (h < 24 || w < 24))""")
    assert small == [], small
