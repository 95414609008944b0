"""The statistics charts and the map on a 360 px phone (and a desktop), in headless Chromium.

The site is the sample content with one field renamed to a long name, so that a chart
label has to wrap on a phone; the map has its five districts, and Hoàng Sa and Trường Sa,
which make it wide and so drawn small on a phone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
STATS = "/thong-ke/"
MAP = "/ban-do/"
LONG_FIELD = "Dân vận khéo, gần dân, trọng dân, hiểu dân, học dân và có trách nhiệm với dân"
DESKTOP = dict(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
MIN_TARGET = 24  # CSS px, WCAG 2.5.8


@pytest.fixture(scope="module")
def charts_site(tmp_path_factory, build_site, serve) -> str:
    content = tmp_path_factory.mktemp("phone-charts") / "content"
    shutil.copytree(SAMPLE, content)
    taxonomy = content / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    assert "name: Dân vận, gần dân\n" in text
    taxonomy.write_text(text.replace("name: Dân vận, gần dân\n", f"name: {LONG_FIELD}\n"), encoding="utf-8")
    return serve(build_site(content))


# A model with a long name, replicated in many places: the statistics rank it in a table.
SPREAD_MODEL = """\
kind: initiative
name: Cung cấp tài liệu tuyên truyền, hướng dẫn sinh hoạt khu dân cư, tổ dân phố
summary: Tài liệu sinh hoạt cho các khu dân cư, do Huyện đoàn Thanh Liêm biên soạn.
date: 2022-12-31
place:
  province: Hà Nam
  district: Thanh Liêm
fields: [quoc-phong]
replicated_in:
  - count: 374
    date: 2023
    note: 374 khu dân cư trong tỉnh.
"""


@pytest.fixture(scope="module")
def spread_site(tmp_path_factory, build_site, serve) -> str:
    content = tmp_path_factory.mktemp("phone-spread") / "content"
    shutil.copytree(SAMPLE, content)
    entry = content / "entries" / "ha-nam" / "thanh-liem" / "tai-lieu-khu-dan-cu" / "entry.yml"
    entry.parent.mkdir(parents=True)
    entry.write_text(SPREAD_MODEL, encoding="utf-8")
    return serve(build_site(content))


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")


def horizontal_overflow(page) -> dict:
    """How far the page, and each chart, is wider than what shows of it (0 when nothing scrolls sideways)."""
    return page.evaluate("""() => ({
        page: document.documentElement.scrollWidth - innerWidth,
        charts: [...document.querySelectorAll('figure.sv-chart')].map(f => f.scrollWidth - f.clientWidth),
        beyond: [...document.querySelectorAll('figure.sv-chart svg, figure.sv-chart text')]
            .map(e => e.getBoundingClientRect()).filter(r => r.width && (r.left < -0.5 || r.right > innerWidth + 0.5))
            .length,
    })""")


def chart_text(page) -> list[dict]:
    """Every label and value of the bar charts: its text, box, on-screen font size, and its row's bar."""
    return page.evaluate("""() => [...document.querySelectorAll('.sv-bar-label, .sv-bar-value')].map(t => {
        const svg = t.ownerSVGElement, row = t.closest('.sv-bar-row');
        const r = t.getBoundingClientRect(), s = svg.getBoundingClientRect();
        const bar = row.querySelector('.sv-bar').getBoundingClientRect();
        return {
            kind: t.classList.contains('sv-bar-label') ? 'label' : 'value',
            inside: t.classList.contains('sv-bar-value--in'),
            text: t.textContent, lines: t.querySelectorAll('tspan').length + 1,
            title: row.querySelector('title').textContent,
            left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            svgLeft: s.left, svgRight: s.right,
            bar: {left: bar.left, right: bar.right, top: bar.top, bottom: bar.bottom},
            px: parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a,
        };
    })""")


def check_charts(page) -> None:
    overflow = horizontal_overflow(page)
    assert overflow["page"] <= 0, f"the statistics page scrolls sideways by {overflow['page']} px"
    assert all(o <= 0 for o in overflow["charts"]), f"charts scroll sideways: {overflow['charts']}"
    assert overflow["beyond"] == 0, "chart text runs past the screen's edge"
    texts = chart_text(page)
    labels = [t for t in texts if t["kind"] == "label"]
    values = [t for t in texts if t["kind"] == "value"]
    assert len(labels) == len(values) > 20
    for t in texts:
        assert t["px"] >= 14, f"{t['text']!r} is drawn at {t['px']:.1f} px"
        # Whole: inside its chart, from its first letter to its last.
        # (a glyph's box may start a pixel before its origin: 'T' at x=0 reaches -1)
        assert t["svgLeft"] - 2 <= t["left"] and t["right"] <= t["svgRight"] + 2, f"{t['text']!r} is cut"
    for t in labels:
        # The label is the whole name: what the row's accessible name says before ": value".
        assert "…" not in t["text"] and t["title"] == f"{t['text']}: {t['title'].rsplit(': ', 1)[1]}"
    for t in values:
        assert t["title"].endswith(": " + t["text"])  # every bar carries its number
        bar = t["bar"]
        assert bar["top"] - 1 <= t["top"] and t["bottom"] <= bar["bottom"] + 1  # on the bar's line
        if t["inside"]:
            assert bar["left"] <= t["left"] and t["right"] <= bar["right"] + 0.5
        else:
            assert t["left"] >= bar["right"] - 0.5


def test_statistics_charts_fit_a_phone(page, charts_site):
    open_page(page, charts_site + STATS)
    assert page.evaluate("innerWidth") == 360
    check_charts(page)
    # The long field name does not fit one line of a phone: it wraps, whole.
    texts = chart_text(page)
    long = [t for t in texts if t["kind"] == "label" and t["text"] == LONG_FIELD]
    assert len(long) == 1 and long[0]["lines"] >= 2


def test_statistics_tables_fit_a_phone(page, spread_site):
    """Material lets a wide table scroll inside its own box (.md-typeset__scrollwrap), so the page does not
    scroll, but the last column of the ranking (the replication counts, its point) was off-screen."""
    open_page(page, spread_site + STATS)
    assert page.evaluate("innerWidth") == 360
    tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => ({
        head: t.querySelector('th:last-child').textContent,
        over: (w => w.scrollWidth - w.clientWidth)(t.closest('.md-typeset__scrollwrap') || t)}))""")
    assert "Số nơi nhân rộng" in [t["head"] for t in tables], tables
    assert [t for t in tables if t["over"] > 0.5] == []


def test_statistics_charts_on_a_desktop(make_page, charts_site):
    page = make_page(**DESKTOP)
    open_page(page, charts_site + STATS)
    check_charts(page)
    widths = page.evaluate("[...document.querySelectorAll('figure.sv-chart svg')].map(s => s.getBoundingClientRect().width)")
    assert len(widths) == 4 and all(560 <= w <= 640 for w in widths)  # as wide as the column allows, no wider


def test_statistics_bars_still_link_to_their_lists(page, charts_site):
    open_page(page, charts_site + STATS)
    page.get_by_role("link", name="2020: 13").tap()
    page.wait_for_url("**/nam/2020/")


def test_map_fits_a_phone(page, charts_site):
    open_page(page, charts_site + MAP)
    overflow = horizontal_overflow(page)
    assert overflow["page"] <= 0 and all(o <= 0 for o in overflow["charts"]) and overflow["beyond"] == 0
    sizes = page.evaluate("""() => [...document.querySelectorAll('.sv-map-landmark text, .sv-map-legend text')]
        .map(t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)""")
    assert sizes and min(sizes) >= 12


def map_places(page) -> list[dict]:
    """Each place of the map, in drawing order: its name, count, link and tap target's size."""
    return page.evaluate("""() => [...document.querySelectorAll('.sv-map-place')].map(g => {
        const hit = g.querySelector('.sv-map-hit').getBoundingClientRect();
        return {name: g.dataset.name, count: g.dataset.count, href: g.querySelector('a').getAttribute('href'),
                hit: {width: hit.width, height: hit.height}};
    })""")


def on_screen(page, name: str) -> tuple[float, float]:
    """Scroll the place's dot to the middle of the screen; its centre, in viewport pixels."""
    return tuple(page.evaluate("""name => {
        const g = [...document.querySelectorAll('.sv-map-place')].find(g => g.dataset.name === name);
        const dot = g.querySelector('.sv-map-point');
        dot.scrollIntoView({block: 'center', inline: 'center'});
        const r = dot.getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2];
    }""", name))


def close_label(page) -> None:
    """Tap the map's bottom-left corner, where no place is: the label closes."""
    page.locator("svg.sv-chart-svg--map").scroll_into_view_if_needed()
    box = page.locator("svg.sv-chart-svg--map").bounding_box()
    page.touchscreen.tap(box["x"] + 4, min(box["y"] + box["height"], page.evaluate("innerHeight")) - 4)


def test_every_map_dot_has_a_24_px_tap_target(page, charts_site):
    open_page(page, charts_site + MAP)
    places = map_places(page)
    assert len(places) == 5
    for p in places:
        assert p["hit"]["width"] >= MIN_TARGET and p["hit"]["height"] >= MIN_TARGET, p
        # A finger 11 px off the dot's centre still lands on a place: this one, or where two
        # dots are closer than a finger (Tân Uyên and Kiến Tường, 21 px apart), its neighbour,
        # which the tap then sorts out (the nearest dot wins, see the test below).
        x, y = on_screen(page, p["name"])
        for dx, dy in ((11, 0), (-11, 0), (0, 11), (0, -11)):
            landed = page.evaluate("""([x, y]) => {
                const g = document.elementFromPoint(x, y)?.closest('.sv-map-place');
                if (!g) return null;
                const r = g.querySelector('.sv-map-point').getBoundingClientRect();
                return [g.dataset.name, Math.hypot(r.left + r.width / 2 - x, r.top + r.height / 2 - y)];
            }""", [x + dx, y + dy])
            assert landed, (p["name"], dx, dy)
            assert landed[0] == p["name"] or landed[1] <= MIN_TARGET, (p["name"], dx, dy, landed)


def test_a_tap_between_two_dots_picks_the_nearest(page, charts_site):
    open_page(page, charts_site + MAP)
    near, far = "Thị xã Kiến Tường, Tỉnh Long An", "Thành phố Tân Uyên, Tỉnh Bình Dương"
    (nx, ny), (fx, fy) = on_screen(page, near), page.evaluate("""name => {
        const g = [...document.querySelectorAll('.sv-map-place')].find(g => g.dataset.name === name);
        const r = g.querySelector('.sv-map-point').getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2];
    }""", far)
    assert 0 < ((nx - fx) ** 2 + (ny - fy) ** 2) ** 0.5 < 2 * MIN_TARGET  # targets that overlap
    for (ax, ay), (bx, by), name in (((nx, ny), (fx, fy), near), ((fx, fy), (nx, ny), far)):
        close_label(page)
        page.touchscreen.tap(ax + (bx - ax) * 0.35, ay + (by - ay) * 0.35)  # nearer to the first
        assert name in tip(page)["text"]


def tip(page) -> dict:
    return page.evaluate("""() => {
        const t = document.querySelector('.sv-map-tip');
        if (!t) return null;
        const r = t.getBoundingClientRect();
        return {hidden: t.hidden || r.width === 0, text: t.innerText, left: r.left, right: r.right,
                top: r.top, bottom: r.bottom, link: t.querySelector('a')?.getAttribute('href')};
    }""")


def test_tapping_a_dot_shows_its_label_and_a_second_tap_opens_it(page, charts_site):
    open_page(page, charts_site + MAP)
    places = map_places(page)
    for p in places:
        close_label(page)
        assert tip(page)["hidden"]
        page.touchscreen.tap(*on_screen(page, p["name"]))
        shown = tip(page)
        assert page.url == charts_site + MAP, "the first tap left the map"
        assert shown and not shown["hidden"], p["name"]
        assert p["name"] in shown["text"] and f"{p['count']} hồ sơ" in shown["text"]
        assert shown["link"] == p["href"]
        # The label stays on the screen, whatever the dot's place.
        assert 0 <= shown["left"] and shown["right"] <= 360, shown
    # The label lets taps through to the dots it covers: only its link takes them.
    close_label(page)
    page.touchscreen.tap(*on_screen(page, "Huyện Mộ Đức, Tỉnh Quảng Ngãi"))
    through = page.evaluate("""() => {
        const tip = document.querySelector('.sv-map-tip');
        const at = e => { const r = e.getBoundingClientRect(); return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); };
        return {text: !!at(tip.querySelector('strong')).closest('.sv-map-tip'),
                link: at(tip.querySelector('a')) === tip.querySelector('a')};
    }""")
    assert through == {"text": False, "link": True}
    # A second tap on the same dot goes to its page.
    close_label(page)
    x, y = on_screen(page, "Huyện Thanh Liêm, Tỉnh Hà Nam")
    page.touchscreen.tap(x, y)
    assert not tip(page)["hidden"]
    page.touchscreen.tap(x, y)
    page.wait_for_url("**/dia-phuong/truoc-2025/ha-nam/thanh-liem/")


def test_the_label_link_opens_the_place(page, charts_site):
    open_page(page, charts_site + MAP)
    page.touchscreen.tap(*on_screen(page, "Huyện Mộ Đức, Tỉnh Quảng Ngãi"))
    page.locator(".sv-map-tip a").tap()
    page.wait_for_url("**/dia-phuong/truoc-2025/quang-ngai/mo-duc/")


def test_keyboard_focus_shows_the_same_label(make_page, charts_site):
    page = make_page(**DESKTOP)
    open_page(page, charts_site + MAP)
    names = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('.sv-map-place')?.dataset.name")
        if focused:
            shown = tip(page)
            assert not shown["hidden"] and focused in shown["text"]
            names.append(focused)
        elif names:
            break  # past the map
    assert len(names) == 5
    assert tip(page)["hidden"]  # focus left the map: its label went with it
    page.locator("svg.sv-chart-svg--map a").first.focus()
    assert not tip(page)["hidden"]
    page.keyboard.press("Escape")
    assert tip(page)["hidden"]


def test_the_map_script_loads_on_the_map_page_only(page, charts_site):
    open_page(page, charts_site + STATS)
    assert not [u for u in page.sv_requests if u.endswith("sovang-map.js")]
    open_page(page, charts_site + MAP)
    assert [u for u in page.sv_requests if u.endswith("/assets/javascripts/sovang-map.js")]
    assert not page.sv_recorder.console_errors
