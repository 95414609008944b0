"""Charts and the map as inline SVG, drawn at build time.

No third-party request, and no JavaScript needed: each function returns one
HTML `<figure>` holding an inline `<svg>`, ready to be embedded as raw HTML in
the generated Markdown (on the map page, theme/assets/javascripts/sovang-map.js
adds the labels shown on tap and focus). Hence the output rules:

- one element per line and never a blank line (a blank line ends Markdown's
  raw HTML block);
- every text that comes from records or unit names is XML-escaped;
- same input, same bytes: coordinates are printed with one decimal, nothing
  depends on hashing or randomness, and the only ids are made from the
  caller's `chart_id`;
- colours come from CSS classes (theme/assets/stylesheets/sovang-charts.css)
  built on Material's palette variables, so the charts follow the light and dark palettes. The
  SVG itself carries `currentColor` fallbacks, so it stays legible where the
  stylesheet is missing (feed readers, saved pages).

Phones first, two layouts:
- the bar charts are drawn at the size they are read: `width="100%"` and no
  `viewBox`, so user units are CSS pixels and text is 14 px on a 360 px phone
  as on a desktop; horizontal positions are percentages of the width, labels
  are wrapped at build time for the narrowest phone, and every bar carries its
  value;
- the map scales with its width (`viewBox` plus `width`/`height`, which also
  reserve the space before styles load), so what must stay usable on a phone,
  its tap targets and its text, is sized in user units from the scale the map
  is drawn at there (`_PHONE_MAP_BOX`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence
from xml.sax.saxutils import escape as _xml_escape

from ..core.vntext import vi_number

__all__ = ["EMPTY_TEXT", "MapPoint", "bar_chart", "column_chart", "points_by_unit", "spread_map", "vietnam_map"]

EMPTY_TEXT = "Chưa có dữ liệu"

# --- Shared helpers --------------------------------------------------------------

_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# Characters XML 1.0 forbids; record text should never hold them, but one
# stray control character must not make the whole page's SVG unparsable.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SCHEME_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}
_SVG_NS = "http://www.w3.org/2000/svg"


def _clean(text: str) -> str:
    """One line of NFC text without XML-invalid characters."""
    text = unicodedata.normalize("NFC", _XML_INVALID.sub("", str(text)))
    return " ".join(text.split())


def _t(text: str) -> str:
    """Text content, escaped for XML and HTML."""
    return _xml_escape(_clean(text))


def _a(text: str) -> str:
    """An attribute value, escaped and always in double quotes."""
    return '"' + _xml_escape(_clean(text), {'"': "&quot;"}) + '"'


def _n(value: float) -> str:
    """A coordinate rounded to one decimal ("12.5", "640"), never "-0", so output bytes stay stable."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _check_id(chart_id: str) -> str:
    if not _ID_RE.match(chart_id):
        raise ValueError(f"chart_id must be a letter followed by letters, digits, '-' or '_': {chart_id!r}")
    return chart_id


def _check_href(href: str | None) -> str | None:
    """The link target, or None; a script or data URL is refused, not escaped."""
    if href is None or not href.strip():
        return None
    scheme = _SCHEME_RE.match(href)
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        raise ValueError(f"unsafe link in a chart: {href!r}")
    return href


def _check_count(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"chart values must be integers, not {value!r}")
    if value < 0:
        raise ValueError(f"chart values must not be negative: {value}")
    return value


# Advance widths in em of DejaVu Sans, the widest of the usual sans-serif fonts (Debian's
# default; Roboto, Arial, Helvetica and Segoe UI are narrower), so text measured with them
# fits wherever it is drawn. Vietnamese letters are measured by their base letter.
_EM_WIDTHS = {c: w for chars, w in (
    (" ", .318), ("!", .4), (",.", .318), (":;", .337), ("-", .361), ("()[]", .39), ("'", .275), ('"', .46),
    ("/", .337), ("&", .78), ("%", .95), ("?", .531), ("0123456789", .636), ("a", .613), ("bdghnpqu", .634),
    ("c", .55), ("e", .615), ("f", .352), ("ijl", .278), ("k", .579), ("m", .974), ("o", .612), ("r", .411),
    ("s", .521), ("t", .392), ("vxy", .592), ("w", .818), ("z", .525), ("A", .684), ("B", .686), ("C", .698),
    ("DĐ", .77), ("E", .632), ("F", .575), ("G", .775), ("H", .752), ("IJ", .295), ("K", .656), ("L", .557),
    ("M", .863), ("N", .748), ("OQ", .787), ("P", .603), ("R", .695), ("S", .635), ("TY", .611), ("U", .732),
    ("V", .684), ("W", .989), ("XZ", .685), ("đ", .634),
) for c in chars}


def _char_em(c: str) -> float:
    if unicodedata.combining(c):
        return 0.0
    known = _EM_WIDTHS.get(c)
    if known is not None:
        return known
    return 1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.75


def _text_width(text: str, font_size: float) -> float:
    """An estimate of the rendered width of sans-serif text (no font metrics at build time)."""
    return sum(_char_em(c) for c in unicodedata.normalize("NFD", text)) * font_size


def _empty(title: str, kind: str) -> str:
    return "\n".join([
        f'<figure class="sv-chart sv-chart--{kind} sv-chart--empty">',
        f'<p class="sv-chart-empty">{_t(EMPTY_TEXT)}</p>',
        f"<figcaption>{_t(title)}</figcaption>",
        "</figure>",
    ])


def _svg_open(chart_id: str, kind: str, width: str, height: str, *, view_box: bool, linked: bool,
              extra: str = "") -> str:
    """The `<svg>` tag. With `view_box`, the drawing scales with its width (the map); without,
    user units are CSS pixels and `width` may be "100%" (the bars)."""
    # role="img" makes every child presentational, which would hide links from
    # assistive technology; charts with links are groups with named links instead.
    role = "group" if linked else "img"
    box = f' viewBox="0 0 {width} {height}"' if view_box else ""
    return (f'<svg xmlns="{_SVG_NS}" class="sv-chart-svg sv-chart-svg--{kind}"{box} '
            f'width="{width}" height="{height}" role="{role}" '
            f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" fill="currentColor"{extra}>')


def _head(chart_id: str, kind: str, width: float, height: float, *, linked: bool, font: float, title: str,
          desc: str) -> list[str]:
    """The first lines of a scaled chart (the map): the figure, the svg, and its accessible title and description."""
    return [f'<figure class="sv-chart sv-chart--{kind}">',
            _svg_open(chart_id, kind, _n(width), _n(height), view_box=True, linked=linked,
                      extra=f' font-size="{_n(font)}"'),
            f'<title id="{chart_id}-title">{_t(title)}</title>',
            f'<desc id="{chart_id}-desc">{_t(desc)}</desc>']


def _row_open(href: str | None, name: str) -> tuple[str, str]:
    """Opening and closing tags around one linked (or plain) group of shapes, named by a `<title>`.

    A link's `<title>` child is its accessible name (SVG-AAM) and its tooltip.
    Not `aria-label`: voice-control users say what they see, and an
    aria-label that differs from the visible text (a cut label, the value
    after a colon) fails WCAG 2.5.3, "label in name".
    """
    if href:
        return f'<a href={_a(href)}><title>{_t(name)}</title>', "</a>"
    return f"<title>{_t(name)}</title>", ""


def _normalise_rows(rows: Iterable[Sequence]) -> list[tuple[str, int, str | None]]:
    result = []
    for row in rows:
        if len(row) not in (2, 3):
            raise ValueError(f"a chart row is (label, value) or (label, value, href): {row!r}")
        label, value = row[0], row[1]
        href = row[2] if len(row) == 3 else None
        result.append((_clean(label), _check_count(value), _check_href(href)))
    return result


# --- Horizontal bars ------------------------------------------------------------------
#
# Bars are drawn at the size they are read: the `<svg>` is as wide as its container
# (width="100%", no viewBox), so its text stays at the font size below on a 360 px phone
# and on a desktop alike, instead of being scaled down with the drawing. Horizontal
# positions are percentages of that width; vertical ones are pixels, so the height is
# known at build time. Labels are wrapped at build time to fit the narrowest phone
# (PHONE_LINE) and printed whole: no "…", nothing clipped.

PHONE_LINE = 288.0  # px: the content width of a 320 px phone, the narrowest labels are wrapped for
_BAR_FONT = 14  # px, labels and values alike
_BAR_LINE = 18  # px between two lines of a label
_BAR_HEIGHT = 22  # px: room for a value printed inside the bar
_BAR_GAP = 4  # px between a label's last line and its bar
_BAR_ROW_GAP = 12  # px between rows
_BAR_PAD = _BAR_ROW_GAP // 2  # px above the first row and below the last: half a gap, as between rows
_VALUE_DX = 6  # px between a bar's end and its value
_VALUE_INSIDE = 50.0  # % of the width: a bar at least this long carries its value inside
_SIDE_LABEL_MAX = 30  # % of the width a label column beside the bars may take (years)
_WRAP_MARGIN = 1.05  # lines are wrapped 5% short of the width: fonts vary, and so does hinting


def _wrap(text: str, font: float, width: float) -> list[str]:
    """`text` in lines no wider than `width` px (estimated, with a margin), broken between
    words, or inside a word longer than a line.

    A line broken between words keeps the space at its end, so the lines joined are the
    text again: it reads (and copies) as the whole label; at the end of a left-aligned
    line, the space shows as nothing.
    """
    room = width / _WRAP_MARGIN
    lines: list[str] = []
    current = ""
    for word in _clean(text).split(" "):
        while _text_width(word, font) > room:  # longer than a line: cut it, the rest goes on
            if current:
                lines.append(current + " ")
                current = ""
            cut = 1
            while cut < len(word) and _text_width(word[:cut + 1], font) <= room:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if not current or _text_width(candidate, font) <= room:
            current = candidate
        else:
            lines.append(current + " ")
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def _t_line(line: str) -> str:
    """A line of `_wrap`, escaped, with its trailing space (which `_t` would drop)."""
    return _t(line) + (" " if line.endswith(" ") else "")


def _pct(value: float) -> str:
    return _n(value) + "%"


def _bars(kind: str, title: str, data: list[tuple[str, int, str | None]], *, chart_id: str, desc: str) -> str:
    """Rows of (label, value, href) as horizontal bars, each with its value printed at (or in) the bar.

    Short labels (years) sit in a column beside their bars, one line per row, when the
    longest fits in _SIDE_LABEL_MAX % of a phone's line; other labels go on lines of
    their own above their bar, wrapped.
    """
    linked = any(href for _, _, href in data)
    top = max(v for _, v, _ in data) or 1
    values = [vi_number(v) for _, v, _ in data]
    side_px = max(_text_width(label, _BAR_FONT) for label, _, _ in data) + 2 * _VALUE_DX
    beside = side_px <= PHONE_LINE * _SIDE_LABEL_MAX / 100
    # The label column, in % of the width, so the bars can be in % of the width too.
    column = math.ceil(side_px / PHONE_LINE * 100) if beside else 0
    room = 100 - column  # % of the width the longest bar takes

    rows = []
    y = _BAR_PAD
    for (label, value, href), shown in zip(data, values):
        lines = [label] if beside else _wrap(label, _BAR_FONT, PHONE_LINE)
        label_h = 0 if beside else len(lines) * _BAR_LINE + _BAR_GAP
        bar_y = y + label_h
        end = column + value / top * room  # where the bar ends, in %
        baseline = bar_y + _BAR_HEIGHT / 2 + _BAR_FONT * 0.35
        if beside:
            label_svg = (f'<text class="sv-bar-label" x="{_pct(column)}" dx="-{_VALUE_DX}" y="{_n(baseline)}" '
                         f'text-anchor="end">{_t(label)}</text>')
        else:
            first = y + _BAR_FONT  # the first line's baseline
            label_svg = (f'<text class="sv-bar-label" x="0" y="{_n(first)}">{_t_line(lines[0])}'
                         + "".join(f'<tspan x="0" dy="{_BAR_LINE}">{_t_line(line)}</tspan>' for line in lines[1:])
                         + "</text>")
        # A long bar carries its value inside, in the colour of text on the primary colour; a
        # short one prints it just after its end, where half the width or more is free.
        if end - column >= _VALUE_INSIDE:
            value_svg = (f'<text class="sv-bar-value sv-bar-value--in" x="{_pct(end)}" dx="-{_VALUE_DX}" '
                         f'y="{_n(baseline)}" text-anchor="end" fill="#fff">{_t(shown)}</text>')
        else:
            value_svg = (f'<text class="sv-bar-value" x="{_pct(end)}" dx="{_VALUE_DX}" y="{_n(baseline)}" '
                         f'fill-opacity=".75">{_t(shown)}</text>')
        height = label_h + _BAR_HEIGHT
        open_a, close_a = _row_open(href, f"{label}: {shown}")
        rows.append(
            f'<g class="sv-bar-row">{open_a}'
            f'<rect class="sv-bar-track" x="0" y="{_n(y - _BAR_ROW_GAP / 2)}" width="100%" '
            f'height="{_n(height + _BAR_ROW_GAP)}" fill="none"/>'
            f'{label_svg}'
            f'<rect class="sv-bar" x="{_pct(column)}" y="{_n(bar_y)}" width="{_pct(end - column)}" '
            f'height="{_BAR_HEIGHT}" rx="2" fill-opacity=".8"/>'
            f'{value_svg}{close_a}</g>')
        y += height + _BAR_ROW_GAP
    total_h = y - _BAR_ROW_GAP + _BAR_PAD
    out = [f'<figure class="sv-chart sv-chart--{kind}">',
           _svg_open(chart_id, kind, "100%", _n(total_h), view_box=False, linked=linked,
                     extra=f' font-size="{_BAR_FONT}"'),
           f'<title id="{chart_id}-title">{_t(title)}</title>',
           f'<desc id="{chart_id}-desc">{_t(desc)}</desc>',
           *rows,
           "</svg>", f"<figcaption>{_t(title)}</figcaption>", "</figure>"]
    return "\n".join(out)


def bar_chart(title: str, rows: list[tuple[str, int, str | None]], *, chart_id: str) -> str:
    """A horizontal bar chart: one row per (label, value, href or None), in the given order.

    Each label is printed whole on its own lines above its bar, wrapped to a
    phone's width; bars are scaled to the largest value, and each carries its
    value in Vietnamese digits. Each row's `<title>` holds "label: value", the
    link's accessible name and its tooltip.
    """
    chart_id = _check_id(chart_id)
    data = _normalise_rows(rows)
    if not data:
        return _empty(title, "bars")
    top = max(v for _, v, _ in data)
    leader = data[[v for _, v, _ in data].index(top)][0]
    desc = (f"Biểu đồ cột ngang: {vi_number(len(data))} dòng, lớn nhất {leader} ({vi_number(top)}), "
            f"tổng {vi_number(sum(v for _, v, _ in data))}.")
    return _bars("bars", title, data, chart_id=chart_id, desc=desc)


# --- Years ------------------------------------------------------------------------------

def column_chart(title: str, rows: list[tuple[str, int]] | list[tuple[str, int, str | None]], *, chart_id: str) -> str:
    """Records per year (or any short, ordered labels): one bar per (label, value[, href]), in order.

    Drawn as horizontal bars, top to bottom, with the label beside each bar
    rather than vertical columns: thirty years of columns on a 360 px phone
    are 10 px wide, too narrow for their labels or values, while a row per
    year keeps every year and every value printed at any width. Labels that
    do not fit beside the bars go above them, as in `bar_chart`.
    """
    chart_id = _check_id(chart_id)
    data = _normalise_rows(rows)
    if not data:
        return _empty(title, "columns")
    n = len(data)
    top = max(v for _, v, _ in data)
    leader = data[[v for _, v, _ in data].index(top)][0]
    span = data[0][0] if n == 1 else f"{data[0][0]}–{data[-1][0]}"
    desc = (f"Biểu đồ cột ngang: {vi_number(n)} dòng ({span}), nhiều nhất {leader} ({vi_number(top)}), "
            f"tổng {vi_number(sum(v for _, v, _ in data))}.")
    return _bars("columns", title, data, chart_id=chart_id, desc=desc)


# --- The map ----------------------------------------------------------------------------

@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    label: str
    href: str
    count: int


# Mainland Vietnam with its near-shore islands (Phú Quốc, Côn Đảo, Bạch Long Vĩ).
MAINLAND = (8.2, 23.5, 102.1, 109.6)  # south, north, west, east
# Anything outside this box cannot be in Vietnam: such coordinates are data
# errors and are left out rather than stretching the map.
_TERRITORY = (6.0, 24.5, 101.0, 118.0)
_COS_LAT = math.cos(math.radians(16.0))  # horizontal correction at Vietnam's middle latitude
_PAD_DEG = 0.25  # sea around the outermost dot, at most
_PAD_MIN_DEG, _PAD_SHARE = 0.03, 0.06  # ... and for a small area, 6% of its span
_MAP_MARGIN = 10.0
_MAP_HEIGHT = 660.0  # the map proper; the legend sits below it
_MAP_MIN_WIDTH = 340.0  # room for the legend
MAX_BACKGROUND = 3000
_DOT_CELL = 2.0  # background dots closer than this (in user units) are merged
_LAND_DOT, _LAND_DENSE = 2.2, 1500  # a background dot's size, for a background of this many dots or more
_R_MIN, _R_MAX = 3.0, 14.0
_MAP_FONT = 12  # user units: the smallest font, for maps drawn at their full size
# The map scales with its width, so its user units shrink on a phone: a 520-unit-wide
# map (with Hoàng Sa and Trường Sa) is drawn at about half size in a 320 px phone's
# 288 px. Tap targets and text are sized for that phone, the smallest screen the map is
# made for: its box is the content width and 85% of a 600 px height (the CSS max-height).
_PHONE_MAP_BOX = (288.0, 510.0)
_HIT_PX = 26.0  # px: each place's tap target on that phone, above WCAG 2.5.8's 24 × 24
_MAP_TEXT_PX = 12.5  # px: landmark and legend text on that phone


class _Projection:
    """Equirectangular, x shrunk by cos(16°), fitted to the bounds with the same scale on both axes."""

    def __init__(self, south: float, north: float, west: float, east: float):
        # The sea around a province is less than around the country: a margin in proportion.
        pad = min(_PAD_DEG, max(_PAD_MIN_DEG, _PAD_SHARE * max(north - south, east - west)))
        self.north, self.west = north + pad, west - pad
        lat_span = north - south + 2 * pad
        lon_span = (east - west + 2 * pad) * _COS_LAT
        self.scale = (_MAP_HEIGHT - 2 * _MAP_MARGIN) / lat_span
        drawn = lon_span * self.scale
        self.width = max(_MAP_MIN_WIDTH, drawn + 2 * _MAP_MARGIN)
        self.x0 = (self.width - drawn) / 2  # centre the country when the legend asks for more width

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        return (self.x0 + (lon - self.west) * _COS_LAT * self.scale,
                _MAP_MARGIN + (self.north - lat) * self.scale)


def _in_territory(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    s, n, w, e = _TERRITORY
    return s <= lat <= n and w <= lon <= e


def _bounds(ground: Sequence[tuple[float, float]],
            coords: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The box of the background, the area the map draws (the country's communes, or only
    those of the publisher's own province), or without one the mainland box; grown to take
    in every other coordinate (the Hoàng Sa and Trường Sa archipelagos, when the caller's
    data places them at sea)."""
    if ground:
        s, n = min(lat for lat, _ in ground), max(lat for lat, _ in ground)
        w, e = min(lon for _, lon in ground), max(lon for _, lon in ground)
    else:
        s, n, w, e = MAINLAND
    for lat, lon in coords:
        s, n, w, e = min(s, lat), max(n, lat), min(w, lon), max(e, lon)
    return s, n, w, e


def _background_dots(project: _Projection, background: Iterable[tuple[float, float]]) -> list[tuple[str, str]]:
    """Projected dots, one per small cell, at most MAX_BACKGROUND.

    Merging by cell thins dense cities while keeping isolated islands; the
    cell grows until the limit holds. Sorted input makes the choice stable.
    """
    projected = sorted({(_n(x), _n(y)) for x, y in (project(lat, lon) for lat, lon in background)},
                       key=lambda p: (float(p[1]), float(p[0])))
    cell = _DOT_CELL
    while True:
        seen: set[tuple[int, int]] = set()
        kept = []
        for x, y in projected:
            key = (int(float(x) // cell), int(float(y) // cell))
            if key not in seen:
                seen.add(key)
                kept.append((x, y))
        if len(kept) <= MAX_BACKGROUND:
            return kept
        cell *= 1.25


def _radius(count: int, top: int) -> float:
    """Area proportional to the count, the largest at _R_MAX, none smaller than _R_MIN."""
    return max(_R_MIN, _R_MAX * math.sqrt(count / top))


def _nice_below(value: float) -> int:
    """The largest 1, 2 or 5 × 10^k not above value (at least 1)."""
    if value < 1:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    return max(m * power for m in (1, 2, 5) if m * power <= value)


def _legend_values(top: int) -> list[int]:
    values: list[int] = []
    for v in (1, _nice_below(top / 10), _nice_below(top / 3), top):
        if v <= top and all(_radius(v, top) - _radius(u, top) >= 2.5 for u in values):
            values.append(v)
    return values or [top]


def vietnam_map(points: list[MapPoint], *, background: list[tuple[float, float]], chart_id: str, title: str,
                landmarks: Sequence[tuple[float, float, str]] = ()) -> str:
    """A dot map of Vietnam: one linked circle per place, its area proportional to its count.

    `background` is every commune or district centroid of the registry, drawn
    as faint dots that give the country its shape, or those of one province
    (the publisher's scope), for a map of that province. `landmarks` are optional
    (lat, lon, name) labels, e.g. the capital or the Hoàng Sa and Trường Sa
    special zones, printed beside their place. The map fits its background
    (mainland Vietnam without one) and grows to take in every given coordinate,
    so nothing is invented: what the data places at sea is drawn at sea.
    Coordinates outside the region are data errors and are left out, as are
    points with a count of zero.
    """
    chart_id = _check_id(chart_id)
    for p in points:
        _check_count(p.count)
    kept = [p for p in points if p.count > 0 and _in_territory(p.lat, p.lon)]
    if not kept:
        return _empty(title, "map")
    ground = [(lat, lon) for lat, lon in background if _in_territory(lat, lon)]
    marks = [(lat, lon, _clean(name)) for lat, lon, name in landmarks if _in_territory(lat, lon)]
    project = _Projection(*_bounds(ground, [*((p.lat, p.lon) for p in kept), *((m[0], m[1]) for m in marks)]))
    width = project.width
    font, scale = _map_font(width)
    height = _MAP_HEIGHT + _legend_height(font)
    hit = _HIT_PX / 2 / scale  # user units
    linked = any(p.href for p in kept)

    # Big circles first, so the small ones drawn later stay visible and clickable.
    ordered = sorted(kept, key=lambda p: (-p.count, p.lat, p.lon, _clean(p.label), p.href))
    top = ordered[0].count
    total = sum(p.count for p in kept)
    desc = (f"Bản đồ Việt Nam: {vi_number(len(kept))} địa phương có hồ sơ, tổng {vi_number(total)} hồ sơ; "
            f"nhiều nhất {_clean(ordered[0].label)} ({vi_number(top)}).")
    out = _head(chart_id, "map", width, height, linked=linked, font=font, title=title, desc=desc)
    dots = _background_dots(project, ground)
    if dots:
        # Zero-length segments with round caps draw dots: a third of the bytes of <circle>s.
        path = "".join(f"M{x} {y}h0" for x, y in dots)
        # The country's 3,000 dots draw its shape at 2.2 units; a province's hundred would be
        # specks in the same room, so fewer dots are drawn larger (at most 4 times).
        stroke = min(4 * _LAND_DOT, _LAND_DOT * math.sqrt(max(1.0, _LAND_DENSE / len(dots))))
        out.append(f'<path class="sv-map-land" d="{path}" fill="none" stroke="currentColor" stroke-opacity=".22" '
                   f'stroke-width="{_n(stroke)}" stroke-linecap="round" aria-hidden="true"/>')
    for p in ordered:
        x, y = project(p.lat, p.lon)
        r = _radius(p.count, top)
        label, count = _clean(p.label), vi_number(p.count)
        href = _check_href(p.href)
        open_a, close_a = _row_open(href, f"{label}: {count} hồ sơ")
        # Under each dot, an invisible circle at least _HIT_PX across on a phone takes the
        # taps that a 3-unit dot (2 px there) would miss. The data attributes give
        # sovang-map.js the place's name and count, as text, for the label shown on tap
        # and on focus.
        out.append(f'<g class="sv-map-place" data-name={_a(label)} data-count={_a(count)}>{open_a}'
                   f'<circle class="sv-map-hit" cx="{_n(x)}" cy="{_n(y)}" r="{_n(max(r, hit))}" fill-opacity="0"/>'
                   f'<circle class="sv-map-point" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" '
                   f'fill-opacity=".55"/>{close_a}</g>')
    # Landmark names go on top, haloed for legibility, and let clicks through to the circles.
    for lat, lon, name in sorted(marks, key=lambda m: (-m[0], m[1], m[2])):
        x, y = project(lat, lon)
        lines = _landmark_lines(name, font, width - 2 - (x + 6))
        right = max(_text_width(line, font) for line in lines) <= width - 2 - (x + 6)
        tx, anchor = (x + 6, "start") if right else (x - 6, "end")
        # Offsets in em: the lines stay centred on the place at whatever size the CSS draws them.
        shift = f"{0.35 - (len(lines) - 1) * 1.15 / 2:.2f}"
        # The space between the lines goes where it shows as nothing, so the text reads as the
        # whole name: after a left-aligned line, before a right-aligned one.
        parts = [_t(line) for line in lines]  # escaped, then spaced
        if len(parts) > 1:
            parts = [parts[0] + " ", parts[1]] if right else [parts[0], " " + parts[1]]
        text = parts[0] + "".join(f'<tspan x="{_n(tx)}" dy="1.15em">{part}</tspan>' for part in parts[1:])
        out.append('<g class="sv-map-landmark" pointer-events="none" aria-hidden="true">'
                   f'<circle cx="{_n(x)}" cy="{_n(y)}" r="1.6" fill-opacity=".7"/>'
                   f'<text x="{_n(tx)}" y="{_n(y)}" dy="{shift}em" text-anchor="{anchor}" fill-opacity=".7">'
                   f'{text}</text></g>')
    out.append(_map_legend(top, width, _MAP_HEIGHT, font))
    out += ["</svg>", f"<figcaption>{_t(title)}</figcaption>", "</figure>"]
    return "\n".join(out)


def _landmark_lines(name: str, font: float, room: float) -> list[str]:
    """The name on one line where it fits on the right of its place, else on two lines of
    about equal width: a long name drawn to the left of an island at sea ("Đặc khu Hoàng
    Sa", level with Quảng Trị) would run over the mainland and its dots."""
    words = name.split(" ")
    if _text_width(name, font) <= room or len(words) < 2:
        return [name]
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return list(min(splits, key=lambda pair: (max(_text_width(part, font) for part in pair), pair)))


def _map_font(width: float) -> tuple[float, float]:
    """The map's font size in user units, and the scale (px per unit) of the map on the phone it is made for.

    The font is _MAP_TEXT_PX on that phone, never below _MAP_FONT; the legend's
    height depends on it and the scale on the height, so the two are settled together.
    """
    box_w, box_h = _PHONE_MAP_BOX
    font = float(_MAP_FONT)
    for _ in range(3):  # a fixed number of rounds: the same input gives the same bytes
        scale = min(box_w / width, box_h / (_MAP_HEIGHT + _legend_height(font)))
        font = max(float(_MAP_FONT), round(_MAP_TEXT_PX / scale, 1))
    return font, min(box_w / width, box_h / (_MAP_HEIGHT + _legend_height(font)))


def _legend_height(font: float) -> float:
    return max(2 * _R_MAX, font) + 18


def _map_legend(top: int, width: float, y0: float, font: float) -> str:
    """Sample circles with their counts, on one line centred under the map.

    Spaced for `font`, the largest the text is drawn at (the CSS draws it smaller on
    wide screens, where the map is at full size), so texts never run into circles.
    """
    cy = y0 + _legend_height(font) - 4 - max(_R_MAX, font / 2)
    base = cy + font * 0.35
    gap, pad = font * 0.8, font * 0.3  # between samples, and between a circle and its count
    caption = "Số hồ sơ"
    samples = [(v, _radius(v, top), vi_number(v)) for v in _legend_values(top)]
    total = _text_width(caption, font) + sum(gap + 2 * r + pad + _text_width(label, font) for _, r, label in samples)
    x = max(_MAP_MARGIN, (width - total) / 2)
    parts = ['<g class="sv-map-legend" aria-hidden="true">',
             f'<text class="sv-map-legend-title" x="{_n(x)}" y="{_n(base)}" fill-opacity=".7">{_t(caption)}</text>']
    x += _text_width(caption, font) + gap
    for _, r, label in samples:
        parts.append(f'<circle class="sv-map-point" cx="{_n(x + r)}" cy="{_n(cy)}" r="{_n(r)}" fill-opacity=".55"/>')
        parts.append(f'<text class="sv-map-legend-value" x="{_n(x + 2 * r + pad)}" y="{_n(base)}" fill-opacity=".7">'
                     f'{_t(label)}</text>')
        x += 2 * r + pad + _text_width(label, font) + gap
    parts.append("</g>")
    return "".join(parts)


# --- The spread of a model ----------------------------------------------------------------
#
# On an original model's page: where it was replicated. The same projection and land dots as
# the map of the roll, but every place counts once (a dot of one size) and the original is a
# star, so it differs by shape and not by colour alone (WCAG 1.4.1). Nothing is linked: the
# list beside the map names every place and links the replicas' pages, so the map is one
# image with a description (role="img") and has no tap targets of its own.
# It is small and drawn at one size everywhere (`_SPREAD_BOX`, shrunk only where the column is
# narrower), so its dots and text are sized in pixels, not for a phone's scale as on ban-do/.

_SPREAD_BOX = (320.0, 400.0)  # px: at most this wide and tall, the legend included; fits a 360 px phone
_SPREAD_DOT_PX = 5.0  # px: a replication's dot
_SPREAD_STAR_PX = 10.0  # px: the original's star (its outer radius)
_SPREAD_LEGEND_PX = 48.0  # px under the map for the legend's two lines


def _star(x: float, y: float, r: float) -> str:
    """A five-pointed star's path, point up, centred on (x, y)."""
    corners = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 - i * math.pi / 5
        corners.append(f"{_n(x + radius * math.cos(angle))} {_n(y - radius * math.sin(angle))}")
    return "M" + "L".join(corners) + "Z"


def spread_map(origin: tuple[float | None, float | None, str], places: Sequence[tuple[float, float, str]], *,
               background: list[tuple[float, float]], chart_id: str, title: str) -> str:
    """The original's place as a star and each place it was replicated in as a dot, over
    `background` (the communes around them), with a legend. `origin` and `places` are
    (lat, lon, name); places outside the region are left out, and the map says it has no data
    when none is left."""
    chart_id = _check_id(chart_id)
    kept = sorted({(lat, lon, _clean(name)) for lat, lon, name in places if _in_territory(lat, lon)})
    if not kept:
        return _empty(title, "spread")
    o_lat, o_lon, o_name = origin
    has_origin = _in_territory(o_lat, o_lon)
    ground = [(lat, lon) for lat, lon in background if _in_territory(lat, lon)]
    coords = [(lat, lon) for lat, lon, _ in kept] + ([(o_lat, o_lon)] if has_origin else [])
    project = _Projection(*_bounds(ground, coords))
    box_w, box_h = _SPREAD_BOX
    px = min(box_w / project.width, (box_h - _SPREAD_LEGEND_PX) / _MAP_HEIGHT)  # px per user unit
    width, height = project.width, _MAP_HEIGHT + _SPREAD_LEGEND_PX / px
    font = _MAP_TEXT_PX / px
    names = "; ".join(name for _, _, name in kept)
    desc = (f"Bản đồ: mô hình gốc ở {_clean(o_name)}; nhân rộng tại {vi_number(len(kept))} địa phương "
            f"có trên bản đồ: {names}.")
    out = ['<figure class="sv-chart sv-chart--spread">',
           f'<svg xmlns="{_SVG_NS}" class="sv-chart-svg sv-chart-svg--spread" viewBox="0 0 {_n(width)} {_n(height)}" '
           f'width="{_n(width * px)}" height="{_n(height * px)}" role="img" aria-labelledby="{chart_id}-title" '
           f'aria-describedby="{chart_id}-desc" fill="currentColor" font-size="{_n(font)}">',
           f'<title id="{chart_id}-title">{_t(title)}</title>',
           f'<desc id="{chart_id}-desc">{_t(desc)}</desc>']
    dots = _background_dots(project, ground)
    if dots:
        path = "".join(f"M{x} {y}h0" for x, y in dots)
        stroke = min(4 * _LAND_DOT, _LAND_DOT * math.sqrt(max(1.0, _LAND_DENSE / len(dots))))
        out.append(f'<path class="sv-map-land" d="{path}" fill="none" stroke="currentColor" stroke-opacity=".22" '
                   f'stroke-width="{_n(stroke)}" stroke-linecap="round" aria-hidden="true"/>')
    r_dot, r_star = _SPREAD_DOT_PX / px, _SPREAD_STAR_PX / px
    for lat, lon, name in kept:
        x, y = project(lat, lon)
        out.append(f'<circle class="sv-map-point sv-spread-place" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r_dot)}" '
                   f'fill-opacity=".7" data-name={_a(name)}/>')
    if has_origin:  # drawn last: a replica in the original's own commune must not hide it
        x, y = project(o_lat, o_lon)
        out.append(f'<path class="sv-spread-origin" d="{_star(x, y, r_star)}" data-name={_a(o_name)}/>')
    out.append(_spread_legend(width, _MAP_HEIGHT, font, r_dot, r_star))
    out += ["</svg>", f"<figcaption>{_t(title)}</figcaption>", "</figure>"]
    return "\n".join(out)


def _spread_legend(width: float, y0: float, font: float, r_dot: float, r_star: float) -> str:
    """"★ Mô hình gốc" over "● Nơi nhân rộng", the block centred under the map from height `y0`:
    two lines, because a tall province's map may be under 200 px wide."""
    pad, line = font * 0.5, 2 * r_star + font * 0.3
    items = [("star", "Mô hình gốc"), ("dot", "Nơi nhân rộng")]
    block = 2 * r_star + pad + max(_text_width(label, font) for _, label in items)
    x = max(_MAP_MARGIN, (width - block) / 2)
    parts = ['<g class="sv-map-legend" aria-hidden="true">']
    for i, (shape, label) in enumerate(items):
        cy = y0 + r_star + i * line
        if shape == "star":
            parts.append(f'<path class="sv-spread-origin" d="{_star(x + r_star, cy, r_star)}"/>')
        else:
            parts.append(f'<circle class="sv-map-point sv-spread-place" cx="{_n(x + r_star)}" cy="{_n(cy)}" '
                         f'r="{_n(r_dot)}" fill-opacity=".7"/>')
        parts.append(f'<text class="sv-map-legend-value" x="{_n(x + 2 * r_star + pad)}" y="{_n(cy + font * 0.35)}" '
                     f'fill-opacity=".8">{_t(label)}</text>')
    parts.append("</g>")
    return "".join(parts)


def points_by_unit(units_with_counts: list[tuple]) -> list[MapPoint]:
    """Map points for (unit, count, href) or (unit, count, href, label) rows; units without coordinates are skipped.

    The label defaults to the unit's full name ("Huyện Thanh Liêm"); pass one
    that names the province where names repeat ("Huyện Châu Thành"). The
    result is sorted by (latitude, longitude, code), whatever the input order.
    """
    placed = [(row[0], row[1], row[2], row[3] if len(row) > 3 else row[0].name) for row in units_with_counts
              if row[0].lat is not None and row[0].lon is not None]
    placed.sort(key=lambda t: (t[0].lat, t[0].lon, t[0].code))
    return [MapPoint(u.lat, u.lon, label, href, count) for u, count, href, label in placed]
