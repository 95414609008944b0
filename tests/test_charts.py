"""Build-time SVG charts and the map (generator/site/charts.py)."""

from __future__ import annotations

import math
from pathlib import Path
import xml.etree.ElementTree as ET

import markdown
import pytest

from generator.site.charts import (EMPTY_TEXT, MAX_BACKGROUND, MapPoint, bar_chart, column_chart,
                              points_by_unit, vietnam_map)
from generator.records.places import Unit, registry

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Xã <script>alert("x")</script> & \'Bà\' "Rịa"'


def parse(html: str) -> ET.Element:
    """The figure as an XML tree; fails the test if it is not well-formed."""
    return ET.fromstring(html)


def svg_of(fig: ET.Element) -> ET.Element:
    svg = fig.find(f"{SVG}svg")
    assert svg is not None
    return svg


def by_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter() if cls in (e.get("class") or "").split()]


def view_box(svg: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = map(float, svg.get("viewBox").split())
    return x, y, w, h


def all_text(root: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in root.iter())


def assert_markdown_safe(html: str) -> None:
    assert "\n\n" not in html and not any(not line.strip() for line in html.split("\n"))
    assert all(not line.startswith(("    ", "\t")) for line in html.split("\n"))


@pytest.fixture(scope="module")
def reg():
    return registry()


@pytest.fixture(scope="module")
def sample_points(reg):
    districts = reg.all_legacy_districts.units[::11][:60]
    return points_by_unit([(d, i % 7 + 1, f"dia-phuong/{d.slug}/") for i, d in enumerate(districts)])


@pytest.fixture(scope="module")
def land(reg):
    return [(u.lat, u.lon) for i in reg.current_communes.values() for u in i.units]


# --- Bars -------------------------------------------------------------------------

def test_bar_chart_is_xml_with_accessible_names():
    html = bar_chart("Hồ sơ theo tỉnh", [("Hà Nội", 30, None), ("Huế", 10, None)], chart_id="tinh")
    fig = parse(html)
    assert fig.tag == "figure" and "sv-chart" in fig.get("class").split()
    svg = svg_of(fig)
    assert svg.get("role") == "img"  # no links: an image
    assert "tinh-title" in svg.get("aria-labelledby")
    assert svg.find(f"{SVG}title").get("id") == "tinh-title"
    assert svg.find(f".//{SVG}title").text == "Hồ sơ theo tỉnh"
    desc = svg.find(f"{SVG}desc").text
    assert desc.startswith("Biểu đồ cột ngang: 2 dòng") and "Hà Nội" in desc
    assert view_box(svg)[2] == 640
    assert fig.find("figcaption").text == "Hồ sơ theo tỉnh"


def test_bar_lengths_are_proportional_to_values():
    values = [3450, 1725, 690, 1, 0]
    fig = parse(bar_chart("t", [(f"Dòng {i}", v, None) for i, v in enumerate(values)], chart_id="c"))
    widths = [float(r.get("width")) for r in by_class(fig, "sv-bar")]
    assert len(widths) == len(values)
    assert widths[-1] == 0
    unit = widths[0] / values[0]
    for w, v in zip(widths, values):
        assert w == pytest.approx(v * unit, abs=0.06)
    # and they fit the view box
    _, _, width, _ = view_box(svg_of(fig))
    for r in by_class(fig, "sv-bar"):
        assert float(r.get("x")) + float(r.get("width")) < width


def test_height_grows_with_the_rows():
    small = view_box(svg_of(parse(bar_chart("t", [("a", 1, None)] * 3, chart_id="c"))))[3]
    big = view_box(svg_of(parse(bar_chart("t", [("a", 1, None)] * 34, chart_id="c"))))[3]
    assert big > small * 5


def test_values_use_the_vietnamese_thousands_separator():
    fig = parse(bar_chart("t", [("Hà Nội", 3450, None), ("Huế", 1234567, None)], chart_id="c"))
    values = [e.text for e in by_class(fig, "sv-bar-value")]
    assert values == ["3.450", "1.234.567"]
    cols = parse(column_chart("t", [("2024", 3450)], chart_id="n"))
    assert [e.text for e in by_class(cols, "sv-bar-value")] == ["3.450"]


def test_long_labels_are_cut_and_kept_whole_in_the_title():
    label = "Thành phố " + "Rất Dài " * 6
    fig = parse(bar_chart("t", [(label, 5, None)], chart_id="c"))
    shown = by_class(fig, "sv-bar-label")[0].text
    assert shown.endswith("…") and len(shown) <= 28
    row = by_class(fig, "sv-bar-row")[0]
    assert row.find(f".//{SVG}title").text == " ".join(label.split()) + ": 5"


def test_labels_are_escaped_not_markup():
    html = bar_chart(NASTY, [(NASTY, 3, "dia-phuong/a/?x=1&y=\"2\"")], chart_id="c")
    assert "<script" not in html
    fig = parse(html)
    assert not [e for e in fig.iter() if e.tag.endswith("script")]
    assert NASTY in all_text(fig)
    link = next(e for e in fig.iter() if e.tag == f"{SVG}a")
    assert link.get("href") == 'dia-phuong/a/?x=1&y="2"'
    assert NASTY in link.find(f".//{SVG}title").text
    cols = column_chart(NASTY, [(NASTY, 3)], chart_id="n")
    assert "<script" not in cols and NASTY in all_text(parse(cols))


def test_links_are_given_where_hrefs_are():
    fig = parse(bar_chart("t", [("Hà Nội", 3, "dia-phuong/ha-noi/"), ("Huế", 2, None)], chart_id="c"))
    svg = svg_of(fig)
    assert svg.get("role") == "group"  # an image role would hide the links
    links = [e for e in svg.iter() if e.tag == f"{SVG}a"]
    assert [a.get("href") for a in links] == ["dia-phuong/ha-noi/"]
    # The link's first child <title> is its accessible name; no aria-label that could differ from what is seen.
    assert links[0][0].tag == f"{SVG}title" and links[0][0].text == "Hà Nội: 3"
    assert not [e for e in svg.iter() if e.get("aria-label")]
    plain = next(g for g in by_class(fig, "sv-bar-row") if g.find(f"{SVG}a") is None)
    assert plain.find(f".//{SVG}title").text == "Huế: 2"


def test_script_urls_are_refused():
    with pytest.raises(ValueError):
        bar_chart("t", [("a", 1, "javascript:alert(1)")], chart_id="c")
    with pytest.raises(ValueError):
        vietnam_map([MapPoint(21.0, 105.8, "a", " JavaScript:x", 1)], background=[], chart_id="m", title="t")


def test_chart_id_must_be_a_plain_id():
    with pytest.raises(ValueError):
        bar_chart("t", [("a", 1, None)], chart_id='x" onload="alert(1)')


def test_column_chart():
    rows = [(str(y), y % 13 + 1) for y in range(1995, 2026)]
    html = column_chart("Hồ sơ theo năm", rows, chart_id="nam")
    fig = parse(html)
    svg = svg_of(fig)
    assert svg.find(f".//{SVG}title").text == "Hồ sơ theo năm"
    assert svg.find(f"{SVG}desc").text.startswith("Biểu đồ cột: 31 cột (1995–2025)")
    bars = by_class(fig, "sv-bar")
    heights = [float(b.get("height")) for b in bars]
    unit = max(heights) / max(v for _, v in rows)
    for h, (_, v) in zip(heights, rows):
        assert h == pytest.approx(v * unit, abs=0.06)
    # the columns stand on one baseline
    assert len({round(float(b.get("y")) + float(b.get("height")), 1) for b in bars}) == 1
    labels = [e.text for e in by_class(fig, "sv-bar-label")]
    assert labels[-1] == "2025" and len(labels) < len(rows)  # thinned, the latest kept
    titles = [g.find(f".//{SVG}title").text for g in by_class(fig, "sv-column")]
    assert titles[0] == "1995: 7"
    _, _, width, _ = view_box(svg)
    assert all(float(b.get("x")) + float(b.get("width")) <= width for b in bars)
    assert_markdown_safe(html)


def test_column_chart_accepts_links():
    fig = parse(column_chart("t", [("2024", 2, "nam/2024/"), ("2025", 1, None)], chart_id="n"))
    assert [a.get("href") for a in fig.iter(f"{SVG}a")] == ["nam/2024/"]


def test_empty_data_says_so():
    for html in (bar_chart("Tiêu đề", [], chart_id="c"), column_chart("Tiêu đề", [], chart_id="c"),
                 vietnam_map([], background=[(21.0, 105.8)], chart_id="m", title="Tiêu đề")):
        fig = parse(html)
        assert EMPTY_TEXT in all_text(fig) and fig.find("figcaption").text == "Tiêu đề"
        assert fig.find(f"{SVG}svg") is None


def test_all_zero_values_draw_no_bars_but_no_error():
    fig = parse(bar_chart("t", [("a", 0, None), ("b", 0, None)], chart_id="c"))
    assert [float(r.get("width")) for r in by_class(fig, "sv-bar")] == [0, 0]


def test_negative_and_non_integer_values_are_refused():
    with pytest.raises(ValueError):
        bar_chart("t", [("a", -1, None)], chart_id="c")
    with pytest.raises(TypeError):
        bar_chart("t", [("a", 1.5, None)], chart_id="c")


# --- Map --------------------------------------------------------------------------

def test_map_is_xml_and_points_fall_inside_the_view_box(sample_points, land):
    assert len(sample_points) == 60
    html = vietnam_map(sample_points, background=land, chart_id="ban-do", title="Bản đồ hồ sơ")
    fig = parse(html)
    svg = svg_of(fig)
    assert svg.get("role") == "group" and svg.get("aria-labelledby").startswith("ban-do-title")
    _, _, width, height = view_box(svg)
    assert height > width  # portrait
    places = by_class(svg, "sv-map-place")
    assert len(places) == 60
    for g in places:
        c = g.find(f".//{SVG}circle")
        x, y, r = (float(c.get(k)) for k in ("cx", "cy", "r"))
        assert r <= x <= width - r and r <= y <= height - r


def test_map_links_are_focusable_and_named(sample_points):
    fig = parse(vietnam_map(sample_points, background=[], chart_id="m", title="t"))
    links = list(fig.iter(f"{SVG}a"))
    assert len(links) == 60
    for a in links:
        assert a.get("href") and a[0].tag == f"{SVG}title" and a[0].text.endswith(" hồ sơ")


def test_background_dots_draw_the_country(land):
    fig = parse(vietnam_map([MapPoint(21.03, 105.85, "Hà Nội", "a/", 1)], background=land, chart_id="m", title="t"))
    path = by_class(fig, "sv-map-land")[0].get("d")
    dots = path.count("M")
    assert 1500 < dots <= MAX_BACKGROUND
    svg = svg_of(fig)
    _, _, width, height = view_box(svg)
    for part in path.split("M")[1:]:
        x, y = map(float, part.removesuffix("h0").split())
        assert 0 <= x <= width and 0 <= y <= height


def test_dense_background_is_thinned_to_the_limit(reg):
    communes = [(u.lat, u.lon) for i in reg.legacy_communes.values() for u in i.units]
    assert len(communes) > 10_000
    fig = parse(vietnam_map([MapPoint(21.03, 105.85, "Hà Nội", "a/", 1)], background=communes, chart_id="m",
                            title="t"))
    assert by_class(fig, "sv-map-land")[0].get("d").count("M") <= MAX_BACKGROUND


def test_larger_counts_get_larger_circles():
    pts = [MapPoint(21.0, 105.8, "A", "a/", 1), MapPoint(16.0, 108.2, "B", "b/", 25),
           MapPoint(10.8, 106.7, "C", "c/", 100)]
    fig = parse(vietnam_map(pts, background=[], chart_id="m", title="t"))
    radius = {g.find(f".//{SVG}title").text.split(":")[0]: float(g.find(f".//{SVG}circle").get("r"))
              for g in by_class(fig, "sv-map-place")}
    assert radius["A"] < radius["B"] < radius["C"]
    assert radius["A"] == 3 and radius["C"] == 14
    assert radius["B"] == pytest.approx(14 * math.sqrt(25 / 100), abs=0.06)
    # the biggest is drawn first, so small circles stay on top and clickable
    order = [g.find(f".//{SVG}title").text.split(":")[0] for g in by_class(fig, "sv-map-place")]
    assert order == ["C", "B", "A"]


def test_map_titles_count_records_in_vietnamese():
    fig = parse(vietnam_map([MapPoint(21.0, 105.8, NASTY, "a/", 3450)], background=[], chart_id="m", title="t"))
    assert by_class(fig, "sv-map-place")[0].find(f".//{SVG}title").text == f"{NASTY}: 3.450 hồ sơ"
    assert not [e for e in fig.iter() if e.tag.endswith("script")]


def test_points_without_coordinates_are_skipped():
    with_place = Unit("001", "Quận Ba Đình", "Ba Đình", "district", "legacy", 21.03, 105.82)
    without = Unit("002", "Huyện Không Tọa Độ", "Không Tọa Độ", "district", "legacy", None, None)
    pts = points_by_unit([(without, 5, "b/"), (with_place, 2, "a/")])
    assert pts == [MapPoint(21.03, 105.82, "Quận Ba Đình", "a/", 2)]
    # and the map itself leaves out coordinates that cannot be in Vietnam
    fig = parse(vietnam_map([*pts, MapPoint(48.85, 2.35, "Paris", "p/", 9)], background=[], chart_id="m", title="t"))
    assert len(by_class(fig, "sv-map-place")) == 1


def test_map_fits_the_islands_the_data_places_at_sea(reg):
    zones = {u.short: u for i in reg.current_communes.values() for u in i.units if u.name.startswith("Đặc khu")}
    spratly = zones["Trường Sa"]
    pts = points_by_unit([(spratly, 1, "truong-sa/"), (zones["Phú Quốc"], 1, "phu-quoc/")])
    fig = parse(vietnam_map(pts, background=[], chart_id="m", title="t",
                            landmarks=[(spratly.lat, spratly.lon, spratly.name)]))
    _, _, width, height = view_box(svg_of(fig))
    for g in by_class(fig, "sv-map-place"):
        c = g.find(f".//{SVG}circle")
        assert 0 < float(c.get("cx")) < width and 0 < float(c.get("cy")) < height
    assert "Đặc khu Trường Sa" in all_text(fig)


def test_map_is_markdown_safe(sample_points, land):
    html = vietnam_map(sample_points, background=land, chart_id="m", title="t",
                       landmarks=[(21.03, 105.85, "Hà Nội")])
    assert_markdown_safe(html)


# --- Output rules shared by all --------------------------------------------------------

def _all_charts(points, land):
    rows = [("Hà Nội", 3450, "dia-phuong/ha-noi/"), (NASTY, 12, None), ("Huế", 0, None)]
    return [bar_chart("Bars", rows, chart_id="b"), column_chart("Cols", [("2024", 5), ("2025", 7)], chart_id="c"),
            vietnam_map(points, background=land, chart_id="m", title="Map")]


def test_output_is_deterministic(sample_points, land):
    first = _all_charts(sample_points, land)
    second = _all_charts(list(reversed(sample_points)), list(reversed(land)))
    assert first == second


def test_no_blank_lines_and_markdown_keeps_the_html(sample_points, land):
    for html in _all_charts(sample_points, land):
        assert_markdown_safe(html)
        out = markdown.markdown("Trước\n\n" + html + "\n\nSau", extensions=["tables"])
        assert html in out  # passed through as one raw HTML block, byte for byte


def test_chart_css_uses_the_material_palette():
    CHART_CSS = (Path(__file__).parents[1] / "theme" / "assets" / "stylesheets" / "sovang-charts.css").read_text()
    for var in ("--md-primary-fg-color", "--md-default-fg-color", "--md-default-fg-color--light"):
        assert f"var({var})" in CHART_CSS
    assert CHART_CSS.count("{") == CHART_CSS.count("}")
