"""Build-time SVG charts and the map (generator/site/charts.py)."""

from __future__ import annotations

import math
from pathlib import Path
import xml.etree.ElementTree as ET

import markdown
import pytest

from generator.site import charts
from generator.site.charts import (EMPTY_TEXT, MAX_BACKGROUND, PHONE_LINE, MapPoint, bar_chart, column_chart,
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


def pct(value: str) -> float:
    """A bar's "42.5%" as 42.5: bars are laid out in % of the chart's width."""
    assert value.endswith("%"), value
    return float(value.removesuffix("%"))


def label_lines(text_el: ET.Element) -> list[str]:
    """The lines of a wrapped label: the <text>'s own text, then one per <tspan>."""
    return [text_el.text or ""] + [t.text or "" for t in text_el.findall(f"{SVG}tspan")]


def place_circles(fig: ET.Element) -> dict[str, tuple[ET.Element, ET.Element]]:
    """Each map place's (visible dot, tap target), by the name before ':' in its title."""
    return {g.find(f".//{SVG}title").text.split(":")[0]: (by_class(g, "sv-map-point")[0], by_class(g, "sv-map-hit")[0])
            for g in by_class(fig, "sv-map-place")}


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
    # Drawn in CSS pixels at the container's width, so its text is not scaled down on a phone.
    assert svg.get("viewBox") is None and svg.get("width") == "100%" and float(svg.get("font-size")) >= 14
    assert fig.find("figcaption").text == "Hồ sơ theo tỉnh"


def test_bar_lengths_are_proportional_to_values():
    values = [3450, 1725, 690, 1, 0]
    fig = parse(bar_chart("t", [(f"Dòng {i}", v, None) for i, v in enumerate(values)], chart_id="c"))
    widths = [pct(r.get("width")) for r in by_class(fig, "sv-bar")]
    assert len(widths) == len(values)
    assert widths[-1] == 0
    first = by_class(fig, "sv-bar")[0]
    assert pct(first.get("x")) + widths[0] == 100  # the longest bar reaches the right edge
    unit = widths[0] / values[0]
    for w, v in zip(widths, values):
        assert w == pytest.approx(v * unit, abs=0.06)
    # and they fit the chart's width
    for r in by_class(fig, "sv-bar"):
        assert pct(r.get("x")) + pct(r.get("width")) <= 100


def test_height_grows_with_the_rows():
    small = float(svg_of(parse(bar_chart("t", [("a", 1, None)] * 3, chart_id="c"))).get("height"))
    big = float(svg_of(parse(bar_chart("t", [("a", 1, None)] * 34, chart_id="c"))).get("height"))
    assert big > small * 5
    # and with the lines of a wrapped label
    long = float(svg_of(parse(bar_chart("t", [("a " * 60, 1, None)] * 3, chart_id="c"))).get("height"))
    assert long > small * 2


def test_values_use_the_vietnamese_thousands_separator():
    fig = parse(bar_chart("t", [("Hà Nội", 3450, None), ("Huế", 1234567, None)], chart_id="c"))
    values = [e.text for e in by_class(fig, "sv-bar-value")]
    assert values == ["3.450", "1.234.567"]
    cols = parse(column_chart("t", [("2024", 3450)], chart_id="n"))
    assert [e.text for e in by_class(cols, "sv-bar-value")] == ["3.450"]


def test_long_labels_are_wrapped_whole_never_cut():
    label = "Thành phố " + "Rất Dài " * 12
    word = "Nguyễn" * 20  # one word longer than a phone's line
    fig = parse(bar_chart("t", [(label, 5, None), ("Huế", 2, None), (word, 1, None)], chart_id="c"))
    labels = by_class(fig, "sv-bar-label")
    lines = label_lines(labels[0])
    # every word, in order: the text reads as the label (the space ends each line but the last)
    assert len(lines) >= 3 and "".join(lines) == " ".join(label.split())
    assert all(line.endswith(" ") for line in lines[:-1]) and not lines[-1].endswith(" ")
    assert not [line for line in label_lines(labels[2]) if " " in line]  # a word cut: no space added
    assert label_lines(labels[1]) == ["Huế"]
    assert len(label_lines(labels[2])) >= 2 and "".join(label_lines(labels[2])) == word
    assert "…" not in all_text(fig)
    for text in labels:  # each line fits the narrowest phone, by the build's own measure
        assert all(charts._text_width(line.strip(), 14) <= PHONE_LINE for line in label_lines(text))
    # lines stack: each tspan starts a new line at the left edge
    assert all(t.get("x") == "0" and float(t.get("dy")) >= 14 for t in labels[0].findall(f"{SVG}tspan"))
    # the bar comes below its label's last line
    first_bar = by_class(fig, "sv-bar")[0]
    assert float(first_bar.get("y")) > float(labels[0].get("y")) + (len(lines) - 1) * 14
    row = by_class(fig, "sv-bar-row")[0]
    assert row.find(f".//{SVG}title").text == " ".join(label.split()) + ": 5"


def test_every_bar_carries_its_value():
    rows = [("Hà Nội", 3450, None), ("Huế", 1725, None), ("Đà Nẵng", 600, None), ("Cần Thơ", 0, None)]
    fig = parse(bar_chart("t", rows, chart_id="c"))
    for g, (_, value, _) in zip(by_class(fig, "sv-bar-row"), rows):
        bar, text = by_class(g, "sv-bar")[0], by_class(g, "sv-bar-value")[0]
        end = pct(bar.get("x")) + pct(bar.get("width"))
        assert text.text == charts.vi_number(value)
        assert pct(text.get("x")) == pytest.approx(end, abs=0.06)  # printed at the bar's end
        inside = "sv-bar-value--in" in text.get("class").split()
        # A long bar holds its value, drawn back from its end; a short one has it just after.
        assert inside == (pct(bar.get("width")) >= 50)
        assert (text.get("text-anchor"), float(text.get("dx")) < 0) == (("end", True) if inside else (None, False))
        # and on the bar's line
        assert float(bar.get("y")) < float(text.get("y")) < float(bar.get("y")) + float(bar.get("height"))


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
    # a wrapped hostile label: each line escaped on its own
    long = NASTY + " " + " ".join([NASTY] * 6)
    wrapped = bar_chart("t", [(long, 1, None)], chart_id="w")
    assert "<script" not in wrapped
    fig = parse(wrapped)
    assert len(fig.findall(f".//{SVG}tspan")) >= 2
    assert "".join(label_lines(by_class(fig, "sv-bar-label")[0])) == " ".join(long.split())


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
    assert svg.find(f"{SVG}desc").text.startswith("Biểu đồ cột ngang: 31 dòng (1995–2025)")
    assert svg.get("viewBox") is None and svg.get("width") == "100%"
    # One row per year, top to bottom: every year and every value is printed, none thinned out.
    bars = by_class(fig, "sv-bar")
    widths = [pct(b.get("width")) for b in bars]
    unit = max(widths) / max(v for _, v in rows)
    for w, (_, v) in zip(widths, rows):
        assert w == pytest.approx(v * unit, abs=0.06)
    assert [float(b.get("y")) for b in bars] == sorted(float(b.get("y")) for b in bars)
    assert [e.text for e in by_class(fig, "sv-bar-label")] == [y for y, _ in rows]
    assert [e.text for e in by_class(fig, "sv-bar-value")] == [str(v) for _, v in rows]
    # Years are short: they sit in a column beside the bars, which all start where it ends.
    column = {b.get("x") for b in bars}
    assert len(column) == 1 and 0 < pct(column.pop()) <= 30
    for label in by_class(fig, "sv-bar-label"):
        assert label.get("text-anchor") == "end" and not label.findall(f"{SVG}tspan")
    assert all(pct(b.get("x")) + pct(b.get("width")) <= 100 for b in bars)
    titles = [g.find(f".//{SVG}title").text for g in by_class(fig, "sv-bar-row")]
    assert titles[0] == "1995: 7"
    assert_markdown_safe(html)


def test_column_chart_puts_long_labels_above_their_bars():
    fig = parse(column_chart("t", [("Trước năm 2000", 3), ("Từ năm 2000 đến nay", 5)], chart_id="n"))
    assert {b.get("x") for b in by_class(fig, "sv-bar")} == {"0%"}
    assert [e.text for e in by_class(fig, "sv-bar-label")] == ["Trước năm 2000", "Từ năm 2000 đến nay"]
    assert all(e.get("text-anchor") is None for e in by_class(fig, "sv-bar-label"))


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
    assert [pct(r.get("width")) for r in by_class(fig, "sv-bar")] == [0, 0]
    assert [e.text for e in by_class(fig, "sv-bar-value")] == ["0", "0"]


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
        c = by_class(g, "sv-map-point")[0]
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
    radius = {name: float(dot.get("r")) for name, (dot, _) in place_circles(fig).items()}
    assert radius["A"] < radius["B"] < radius["C"]
    assert radius["A"] == 3 and radius["C"] == 14
    assert radius["B"] == pytest.approx(14 * math.sqrt(25 / 100), abs=0.06)
    # the biggest is drawn first, so small circles stay on top and clickable
    order = [g.find(f".//{SVG}title").text.split(":")[0] for g in by_class(fig, "sv-map-place")]
    assert order == ["C", "B", "A"]


def test_map_titles_count_records_in_vietnamese():
    html = vietnam_map([MapPoint(21.0, 105.8, NASTY, "a/", 3450)], background=[], chart_id="m", title="t")
    fig = parse(html)
    place = by_class(fig, "sv-map-place")[0]
    assert place.find(f".//{SVG}title").text == f"{NASTY}: 3.450 hồ sơ"
    # The tap label's text (sovang-map.js sets it with textContent), escaped as attributes.
    assert place.get("data-name") == NASTY and place.get("data-count") == "3.450"
    assert "<script" not in html and not [e for e in fig.iter() if e.tag.endswith("script")]


def _islands(reg):
    zones = {u.short: u for i in reg.current_communes.values() for u in i.units if u.name.startswith("Đặc khu")}
    return [(zones[z].lat, zones[z].lon, zones[z].name) for z in ("Hoàng Sa", "Trường Sa")]


@pytest.mark.parametrize("with_islands", [False, True])
@pytest.mark.parametrize("phone", [(360, 740), (320, 600)])
def test_every_place_has_a_tap_target_of_24_px_on_a_phone(reg, sample_points, land, with_islands, phone):
    """Hoàng Sa and Trường Sa make the map wider, so it is drawn smaller on a phone: the
    targets grow to stay 24 px or more on screen, where dots of 3 units are 2 px."""
    marks = _islands(reg) if with_islands else []
    fig = parse(vietnam_map(sample_points, background=land, chart_id="m", title="t", landmarks=marks))
    _, _, width, height = view_box(svg_of(fig))
    # The map on that phone: the content width (16 px margins), at most 85% of the height (the CSS).
    scale = min((phone[0] - 32) / width, 0.85 * phone[1] / height)
    assert scale < 1
    circles = place_circles(fig)
    assert len(circles) == len(sample_points)
    for dot, hit in circles.values():
        assert (hit.get("cx"), hit.get("cy")) == (dot.get("cx"), dot.get("cy"))
        assert float(hit.get("r")) >= float(dot.get("r"))
        assert 2 * float(hit.get("r")) * scale >= 24
        assert hit.get("fill-opacity") == "0"  # invisible, but painted: it takes the taps
    # The landmark and legend text is 12 px or more there too.
    assert float(svg_of(fig).get("font-size")) * scale >= 12
    texts = [t for t in svg_of(fig).iter(f"{SVG}text")]
    assert texts and not [t for t in texts if t.get("font-size")]  # all of them at the svg's size


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
        c = by_class(g, "sv-map-point")[0]
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


# --- The pages around the charts --------------------------------------------------------

def test_statistics_and_map_pages_name_the_publishers_site():
    """A province's roll has its own name (mkdocs.yml's site_name): the pages say it, not "Sổ vàng"."""
    from generator.core import urls
    from generator.site import stats
    from generator.site.plan import Page
    from generator.site.publisher import Publisher
    from generator.site.render import Renderer

    renderer = Renderer(publisher=Publisher(site_name="Sổ tay *Tỉnh đoàn* Quảng Ngãi"))
    # In the page's text as inert Markdown; in the map's caption, raw HTML, as escaped text.
    for page, body in ((Page(urls.STATS, "stats.md.j2", stats.stats_context([], {})),
                        "Sổ tay \\*Tỉnh đoàn\\* Quảng Ngãi hiện có"),
                       (Page(urls.MAP, "map.md.j2", stats.map_context([])),
                        "<figcaption>Bản đồ nơi có hồ sơ trong Sổ tay *Tỉnh đoàn* Quảng Ngãi</figcaption>")):
        text = renderer.render(page)
        assert "Sổ vàng" not in text, page.template
        assert "Sổ tay *Tỉnh đoàn* Quảng Ngãi" in text.split("---")[1]  # the description, in the front matter
        assert body in text.split("---", 2)[2]
    assert "\nmap: true\n" in renderer.render(Page(urls.MAP, "map.md.j2", stats.map_context([])))  # loads sovang-map.js


def test_statistics_lead_with_the_publishers_scope():
    """A province's own roll opens its statistics with its own places (publisher.scope)."""
    from generator.core import urls
    from generator.records.validate import validate
    from generator.site import stats
    from generator.site.plan import Page
    from generator.site.publisher import Publisher, Scope
    from generator.site.render import Renderer

    corpus, _ = validate(Path(__file__).parent / "fixtures" / "sample")
    records = corpus.records
    province = next(r.place.current_province for r in records if r.place.current_province.short == "Quảng Ngãi")
    scope = Scope(province)
    context = stats.stats_context(records, corpus.terms, scope)
    inside = [r for r in records if scope.holds(r.place)]
    assert context["in_scope"] == len(inside) > 0
    assert sum(t.count for t in context["by_scope"]) == len(inside)
    counts = [t.count for t in context["by_scope"]]
    assert counts == sorted(counts, reverse=True) and all(t.target for t in context["by_scope"])
    text = Renderer(publisher=Publisher(site_name="Sổ vàng Quảng Ngãi", scope=scope)).render(
        Page(urls.STATS, "stats.md.j2", context))
    body = text.split("---", 2)[2]
    # The scope's section comes first, with its chart and its table, before the country's.
    assert body.index("## Trên địa bàn Tỉnh Quảng Ngãi") < body.index("## Theo loại hồ sơ")
    assert 'aria-labelledby="tk-don-vi-title"' in body and "| Địa phương | Số hồ sơ |" in body
    # Without a scope, no such section.
    plain = Renderer().render(Page(urls.STATS, "stats.md.j2", stats.stats_context(records, corpus.terms)))
    assert "Trên địa bàn" not in plain and "tk-don-vi" not in plain
    # A former district is counted by its communes, each row linking the district's page.
    record = next(r for r in records if r.place.district is not None)
    district = Scope(record.place.province, record.place.district)
    rows = stats.stats_context(records, corpus.terms, district)["by_scope"]
    assert sum(t.count for t in rows) == sum(1 for r in records if district.holds(r.place))
    assert {t.target for t in rows} == {urls.district(record.place.province.slug, record.place.district.slug)}


def test_the_map_of_a_scoped_roll_is_of_its_area(reg):
    """With publisher.scope, the map draws that province: its communes and its places only."""
    from generator.core import urls
    from generator.records.validate import validate
    from generator.site import stats
    from generator.site.plan import Page
    from generator.site.publisher import Publisher, Scope
    from generator.site.render import Renderer

    corpus, _ = validate(Path(__file__).parent / "fixtures" / "sample")
    province = next(u for u in reg.current_provinces.units if u.short == "Quảng Ngãi")
    scope = Scope(province)
    context = stats.map_context(corpus.records, scope)
    assert len(context["map_places"]) == 1 and len(context["places"]) == 5 and context["elsewhere"] == 4
    assert context["landmarks"] == []  # no Hà Nội, Hoàng Sa or Trường Sa on Quảng Ngãi's map
    text = Renderer(publisher=Publisher(site_name="S", scope=scope)).render(Page(urls.MAP, "map.md.j2", context))
    fig = parse(text[text.index("<figure"):text.index("</figure>") + len("</figure>")])
    svg = svg_of(fig)
    _, _, width, height = view_box(svg)
    assert [g.get("data-name") for g in by_class(fig, "sv-map-place")] == ["Huyện Mộ Đức, Tỉnh Quảng Ngãi"]
    assert fig.find("figcaption").text == "Bản đồ nơi có hồ sơ trên địa bàn Tỉnh Quảng Ngãi"
    # Cropped to the province: its communes fill the drawing, edge to edge (bar the margin).
    xs, ys = zip(*(map(float, part.removesuffix("h0").split())
                   for part in by_class(fig, "sv-map-land")[0].get("d").split("M")[1:]))
    assert min(xs) < 0.1 * width and max(xs) > 0.9 * width or min(ys) < 0.1 * height and max(ys) > 0.9 * height
    scale = min(328 / width, 0.85 * 740 / height)
    for dot, hit in place_circles(fig).values():
        assert 2 * float(hit.get("r")) * scale >= 24
    assert float(svg.get("font-size")) * scale >= 12
    # The whole country without a scope, as before; Hoàng Sa on Đà Nẵng's map, which it belongs to.
    assert len(stats.map_context(corpus.records)["map_places"]) == 5
    da_nang = next(u for u in reg.current_provinces.units if u.short == "Đà Nẵng")
    assert [name for _, _, name in stats.map_context([], Scope(da_nang))["landmarks"]] == ["Đặc khu Hoàng Sa"]
