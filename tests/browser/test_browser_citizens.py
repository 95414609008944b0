"""What citizens reach in headless Chromium: accessibility, the feed, open data, statistics and the map."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser_conftest import third_party_requests

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "/",
    "record": "/ho-so/duong-hoa-quan-su/",
    "district": "/dia-phuong/truoc-2025/ha-nam/thanh-liem/",
    "finder": "/tra-cuu/?q=hu+gao",
    "library": "/thu-vien-anh/",
    "open data": "/du-lieu/",
    "statistics": "/thong-ke/",
    "map": "/ban-do/",
    "places": "/dia-phuong/",
    "province": "/dia-phuong/ninh-binh/",
}


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violations(page, site_url, name):
    page.goto(site_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    assert not third_party_requests(page, site_url)


def test_feed_is_valid_atom_linked_from_every_page(page, site_url):
    page.goto(site_url + "/ho-so/duong-hoa-quan-su/")
    href = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    response = page.request.get(page.url + href if not href.startswith(("/", "http")) else href)
    assert response.ok and response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.body())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = root.findall("a:entry", ns)
    assert len(entries) == 28
    dates = [e.find("a:updated", ns).text for e in entries]
    assert dates == sorted(dates, reverse=True)


def test_open_data_is_linked_from_the_home_page(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("link", name="JSON và CSV").click()
    page.wait_for_url("**/du-lieu/")
    page.get_by_role("link", name="ho-so.json").first.click()
    data = json.loads(page.locator("body").inner_text())
    assert data["version"] == 4 and data["count"] == 28 and len(data["records"]) == 28


@pytest.mark.parametrize("width", [360, 1280])
def test_map_points_open_their_district_page(make_page, site_url, width):
    page = make_page(viewport={"width": width, "height": 800})
    page.goto(site_url + "/ban-do/")
    # Found by its accessible name, as a screen reader or voice control would.
    point = page.get_by_role("link", name="Huyện Thanh Liêm, Tỉnh Hà Nam: 9 hồ sơ")
    point.click()
    page.wait_for_url("**/dia-phuong/truoc-2025/ha-nam/thanh-liem/")
    assert page.locator("h1").inner_text() == "Huyện Thanh Liêm"


def test_map_points_are_reached_with_the_keyboard(page, site_url):
    page.goto(site_url + "/ban-do/")
    labels = []
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement.querySelector(':scope > title')?.textContent")
        if label and label.endswith("hồ sơ"):
            labels.append(label)
    assert len(set(labels)) == 5
    page.locator("svg.sv-chart-svg--map a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/dia-phuong/truoc-2025/**")


def test_statistics_bars_link_to_their_lists(page, site_url):
    page.goto(site_url + "/thong-ke/")
    page.get_by_role("link", name="Mô hình: 19").click()
    page.wait_for_url("**/mo-hinh/")
    assert "Mô hình" in page.locator("h1").inner_text()
