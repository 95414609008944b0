"""Smoke tests in headless Chromium: the real site loads, navigates, and stays on its own server."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import urlsplit

import pytest
from browser_conftest import third_party_requests, transfer_bytes

pytestmark = pytest.mark.browser

RECORD = "/ho-so/nguyen-thi-my-hanh/"
RECORD_NAME = "Nguyễn Thị Mỹ Hạnh"
PLACES = "/dia-phuong/"


def visit(page, url: str):
    """Open `url` and wait until the network is quiet (search index and worker included)."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    return response


def local_problems(page, base_url: str) -> list[str]:
    """Console errors, uncaught exceptions, failed and 4xx/5xx requests about the local site.

    Trouble with other hosts (e.g. a font CDN that is unreachable offline) is
    left to test_no_request_leaves_the_local_server, so one cause fails one test.
    """
    local = urlsplit(base_url).hostname
    recorder = page.sv_recorder

    def is_local(url: str) -> bool:
        return urlsplit(url).hostname in (None, "", local)

    problems = [f"console: {e}" for e in recorder.console_errors if is_local(e.url)]
    problems += [f"failed: {f}" for f in recorder.failed if is_local(f.split(" ", 1)[0])]
    problems += [f"HTTP {b}" for b in recorder.bad_responses if is_local(b.split(" ", 1)[1])]
    return problems


def test_home_page_loads_and_menu_reaches_places(page, site_url):
    visit(page, site_url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Sổ vàng" in page.title()
    weight = transfer_bytes(page)
    assert weight > 0, "the byte recorder saw no response bodies"

    # On a phone Material hides the tabs; the same navigation is in the drawer.
    page.locator('label.md-header__button[for="__drawer"]').click()
    page.locator(".md-nav--primary").get_by_role("link", name="Địa phương", exact=True).click()
    page.wait_for_url(site_url + PLACES)
    page.wait_for_load_state("networkidle")
    assert "địa phương" in page.locator("h1").first.inner_text().lower()
    assert not local_problems(page, site_url), "\n".join(local_problems(page, site_url))


def test_places_tab_on_desktop(make_page, site_url):
    page = make_page(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False,
                     device_scale_factor=1)
    visit(page, site_url + "/")
    tab = page.locator(".md-tabs").get_by_role("link", name="Địa phương", exact=True)
    assert tab.is_visible(), "the 'Địa phương' tab is not shown on a desktop"
    tab.click()
    page.wait_for_url(site_url + PLACES)
    page.wait_for_load_state("networkidle")
    assert "Địa phương" in page.title()
    assert not local_problems(page, site_url), "\n".join(local_problems(page, site_url))


def test_record_page_shows_the_name(page, site_url):
    visit(page, site_url + RECORD)
    heading = page.locator("h1").first
    assert heading.is_visible()
    assert heading.inner_text().strip() == RECORD_NAME
    assert RECORD_NAME in page.title()
    assert not local_problems(page, site_url), "\n".join(local_problems(page, site_url))


def test_no_request_leaves_the_local_server(page, site_url):
    for path in ("/", PLACES, RECORD):
        visit(page, site_url + path)
    outside = list(dict.fromkeys(third_party_requests(page, site_url)))  # each URL once
    assert not outside, (
        "pages requested other hosts than the local server (privacy, and the site must work offline); "
        "Material for MkDocs loads Google Fonts unless mkdocs.yml sets `theme.font: false`:\n  "
        + "\n  ".join(outside))


def test_byte_recorder_counts_what_the_server_sent(page, site_url, built_site):
    """The recorder's body bytes match the files on disk (the test server does not compress)."""
    visit(page, site_url + RECORD)
    weights = page.sv_recorder.weights()
    local = {url: size for url, size in weights.items() if url.startswith(site_url + "/")}
    assert local, "no local response was recorded"
    on_disk = 0
    for url in local:
        path = built_site / urlsplit(url).path.lstrip("/")
        on_disk += (path / "index.html" if path.is_dir() else path).stat().st_size
    headers = sum(local.values()) - on_disk
    # Each response adds its header block (~200 bytes from http.server).
    assert 0 < headers < 1000 * len(local), f"bodies {on_disk} B, recorded {sum(local.values())} B"


def test_server_sends_the_right_types(serve, built_site):
    base_url = serve(built_site)
    assert serve(built_site) == base_url, "serving a folder twice should reuse its server"
    wanted = {".html": "text/html", ".svg": "image/svg+xml", ".json": "application/json",
              ".xml": "application/xml", ".webp": "image/webp", ".css": "text/css", ".js": "text/javascript"}
    checked = []
    for suffix, mime in wanted.items():
        sample = next(built_site.rglob(f"*{suffix}"), None)
        if sample is None:
            continue
        url = f"{base_url}/{sample.relative_to(built_site).as_posix()}"
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            assert response.headers.get_content_type() == mime, url
        if suffix == ".json":
            json.loads(body)
        checked.append(suffix)
    assert {".html", ".json", ".css", ".js"} <= set(checked), checked
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
