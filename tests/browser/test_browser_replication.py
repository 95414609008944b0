"""A model's spread on a phone and a desktop, in headless Chromium: the original's page with its
list and map, the replica's link back, the programme index (tests/test_replication_pages.py
builds the same roll and checks the HTML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Corpus
from test_replication_pages import write_roll

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ORIGINAL = "/ho-so/duong-hoa-goc/"
DESKTOP = dict(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
MIN_TARGET = 24  # CSS px, WCAG 2.5.8


@pytest.fixture(scope="module")
def roll_site(tmp_path_factory, build_site, serve) -> str:
    corpus = Corpus(tmp_path_factory.mktemp("replication-browser") / "content")
    write_roll(corpus)
    with pytest.MonkeyPatch.context() as env:
        # Dated by the environment: this roll's newest record is a month, which the build date's
        # fallback (the newest record's day, cli._build) does not take yet.
        env.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return serve(build_site(corpus.root))


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - innerWidth")


def test_the_spread_fits_a_phone(page, roll_site):
    open_page(page, roll_site + ORIGINAL)
    assert sideways(page) <= 0
    box = page.evaluate("""() => { const r = document.querySelector('figure.sv-chart--spread svg').getBoundingClientRect();
        return {left: r.left, right: r.right, width: r.width, height: r.height}; }""")
    assert 0 <= box["left"] and box["right"] <= 360 and box["width"] > 200 and box["height"] > 150
    # The list's links are tap targets of their own line, at least 24 px tall.
    heights = page.eval_on_selector_all(".sv-rec-spread a", "as => as.map(a => a.getBoundingClientRect().height)")
    assert len(heights) == 2 and min(heights) >= MIN_TARGET


def test_the_spread_on_a_desktop_keeps_its_size(make_page, roll_site):
    page = make_page(**DESKTOP)
    open_page(page, roll_site + ORIGINAL)
    assert sideways(page) <= 0
    width = page.evaluate("document.querySelector('figure.sv-chart--spread svg').getBoundingClientRect().width")
    assert width <= 320  # small, drawn at its own size: not stretched to the column


@pytest.mark.parametrize("path", [ORIGINAL, "/ho-so/ban-sao-kim-bang/", "/chuong-trinh/", "/chuong-trinh/phong-trao-a/"])
def test_no_serious_accessibility_violations(page, roll_site, path):
    open_page(page, roll_site + path)
    assert sideways(page) <= 0
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found if v["impact"] in ("serious", "critical")] == []


def test_the_replica_links_back_to_its_original(page, roll_site):
    open_page(page, roll_site + "/ho-so/ban-sao-kim-bang/")
    page.click(".sv-rec-facts__origin a")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(ORIGINAL)


def test_the_finder_filters_by_spread(page, roll_site):
    open_page(page, roll_site + "/tra-cuu/?nhan-rong=" + "Đã được nhân rộng")
    page.wait_for_selector("#sv-finder-results li")
    titles = page.eval_on_selector_all("#sv-finder-results h3 a", "as => as.map(a => a.textContent)")
    assert sorted(titles) == ["Mô hình gốc thứ hai", "Đường hoa gốc"]
