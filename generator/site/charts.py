"""Charts and the map as inline SVG, drawn at build time.

No JavaScript and no third-party request: each function returns one HTML
`<figure>` holding an inline `<svg>`, ready to be embedded as raw HTML in the
generated Markdown. Hence the output rules:

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

Layout is computed in SVG user units; `viewBox` plus `width`/`height`
attributes let the browser reserve the space before styles load and scale
the drawing down on narrow screens.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence
from xml.sax.saxutils import escape as _xml_escape

from ..core.vntext import vi_number

__all__ = ["EMPTY_TEXT", "MapPoint", "bar_chart", "column_chart", "points_by_unit", "vietnam_map"]

EMPTY_TEXT = "Chưa có dữ liệu"

# --- Shared helpers --------------------------------------------------------------

_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# Characters XML 1.0 forbids; record text should never hold them, but one
# stray control character must not make the whole page's SVG unparsable.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SCHEME_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}
_ELLIPSIS = "…"
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


def _truncate(text: str, limit: int) -> str:
    text = _clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def _text_width(text: str, font_size: float) -> float:
    """An estimate of the rendered width of sans-serif text (no font metrics at build time)."""
    return len(text) * font_size * 0.58


def _empty(title: str, kind: str) -> str:
    return "\n".join([
        f'<figure class="sv-chart sv-chart--{kind} sv-chart--empty">',
        f'<p class="sv-chart-empty">{_t(EMPTY_TEXT)}</p>',
        f"<figcaption>{_t(title)}</figcaption>",
        "</figure>",
    ])


def _svg_open(chart_id: str, kind: str, width: float, height: float, *, linked: bool, extra: str = "") -> str:
    # role="img" makes every child presentational, which would hide links from
    # assistive technology; charts with links are groups with named links instead.
    role = "group" if linked else "img"
    return (f'<svg xmlns="{_SVG_NS}" class="sv-chart-svg sv-chart-svg--{kind}" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'width="{_n(width)}" height="{_n(height)}" role="{role}" '
            f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" fill="currentColor"{extra}>')


def _head(chart_id: str, kind: str, width: float, height: float, *, linked: bool, font: int, title: str,
          desc: str) -> list[str]:
    """The first lines of every chart: the figure, the svg, and its accessible title and description."""
    return [f'<figure class="sv-chart sv-chart--{kind}">',
            _svg_open(chart_id, kind, width, height, linked=linked, extra=f' font-size="{font}"'),
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

BAR_WIDTH = 640
_BAR_FONT = 13
_BAR_ROW = 26
_BAR_HEIGHT = 16
_BAR_PAD_Y = 6
_BAR_LABEL_CHARS = 28


def bar_chart(title: str, rows: list[tuple[str, int, str | None]], *, chart_id: str) -> str:
    """A horizontal bar chart: one row per (label, value, href or None), in the given order.

    Bars are scaled to the largest value; the value is printed at the end of
    each bar. Labels longer than 28 characters are cut with "…"; the full label
    and value are in each row's `<title>` (a tooltip on hover) and, for linked
    rows, in the link's accessible name.
    """
    chart_id = _check_id(chart_id)
    data = _normalise_rows(rows)
    if not data:
        return _empty(title, "bars")
    linked = any(href for _, _, href in data)
    top = max(v for _, v, _ in data)
    scale_max = top or 1
    labels = [_truncate(label, _BAR_LABEL_CHARS) for label, _, _ in data]
    values = [vi_number(v) for _, v, _ in data]

    label_w = max(40.0, max(_text_width(s, _BAR_FONT) for s in labels))
    value_w = max(_text_width(s, _BAR_FONT) for s in values) + 8
    bar_x = 6 + label_w + 8
    bar_room = BAR_WIDTH - bar_x - value_w - 6
    height = 2 * _BAR_PAD_Y + len(data) * _BAR_ROW

    leader = data[[v for _, v, _ in data].index(top)][0]
    desc = (f"Biểu đồ cột ngang: {vi_number(len(data))} dòng, lớn nhất {leader} ({vi_number(top)}), "
            f"tổng {vi_number(sum(v for _, v, _ in data))}.")
    out = _head(chart_id, "bars", BAR_WIDTH, height, linked=linked, font=_BAR_FONT, title=title, desc=desc)
    for i, ((label, value, href), short, shown) in enumerate(zip(data, labels, values)):
        y = _BAR_PAD_Y + i * _BAR_ROW
        mid = y + _BAR_ROW / 2
        baseline = mid + _BAR_FONT * 0.35
        length = value / scale_max * bar_room
        name = f"{label}: {shown}"
        open_a, close_a = _row_open(href, name)
        out.append(
            f'<g class="sv-bar-row">{open_a}'
            f'<rect class="sv-bar-track" x="0" y="{_n(y)}" width="{BAR_WIDTH}" height="{_BAR_ROW}" fill="none"/>'
            f'<text class="sv-bar-label" x="{_n(bar_x - 8)}" y="{_n(baseline)}" text-anchor="end">{_t(short)}</text>'
            f'<rect class="sv-bar" x="{_n(bar_x)}" y="{_n(mid - _BAR_HEIGHT / 2)}" width="{_n(length)}" '
            f'height="{_BAR_HEIGHT}" rx="2" fill-opacity=".8"/>'
            f'<text class="sv-bar-value" x="{_n(bar_x + length + 6)}" y="{_n(baseline)}" fill-opacity=".75">'
            f'{_t(shown)}</text>{close_a}</g>')
    out += ["</svg>", f"<figcaption>{_t(title)}</figcaption>", "</figure>"]
    return "\n".join(out)


# --- Vertical columns (years) -------------------------------------------------------------

COLUMN_WIDTH = 640
_COL_FONT = 12
_COL_PAD_X = 8
_COL_TOP = 22  # room for the value above the tallest column
_COL_PLOT = 180
_COL_LABELS = 26
_COL_MAX_BAR = 44
_COL_LABEL_CHARS = 10


def column_chart(title: str, rows: list[tuple[str, int]] | list[tuple[str, int, str | None]], *, chart_id: str) -> str:
    """A vertical bar chart, e.g. records per year: one column per (label, value[, href]), in order.

    Values are printed above the columns when there is room; with many
    columns only every k-th label is printed (always including the last).
    Each column's `<title>` carries its label and value.
    """
    chart_id = _check_id(chart_id)
    data = _normalise_rows(rows)
    if not data:
        return _empty(title, "columns")
    linked = any(href for _, _, href in data)
    n = len(data)
    top = max(v for _, v, _ in data)
    scale_max = top or 1
    labels = [_truncate(label, _COL_LABEL_CHARS) for label, _, _ in data]
    values = [vi_number(v) for _, v, _ in data]

    slot = (COLUMN_WIDTH - 2 * _COL_PAD_X) / n
    bar_w = min(_COL_MAX_BAR, slot * 0.72)
    show_values = max(_text_width(s, _COL_FONT) for s in values) + 4 <= slot
    label_w = max(_text_width(s, _COL_FONT) for s in labels) + 8
    every = max(1, math.ceil(label_w / slot))
    base = _COL_TOP + _COL_PLOT
    height = base + _COL_LABELS

    leader = data[[v for _, v, _ in data].index(top)][0]
    span = data[0][0] if n == 1 else f"{data[0][0]}–{data[-1][0]}"
    desc = (f"Biểu đồ cột: {vi_number(n)} cột ({span}), cao nhất {leader} ({vi_number(top)}), "
            f"tổng {vi_number(sum(v for _, v, _ in data))}.")
    out = _head(chart_id, "columns", COLUMN_WIDTH, height, linked=linked, font=_COL_FONT, title=title, desc=desc)
    for i, ((label, value, href), short, shown) in enumerate(zip(data, labels, values)):
        x0 = _COL_PAD_X + i * slot
        cx = x0 + slot / 2
        h = value / scale_max * _COL_PLOT
        name = f"{label}: {shown}"
        open_a, close_a = _row_open(href, name)
        parts = [f'<g class="sv-column">{open_a}',
                 f'<rect class="sv-bar-track" x="{_n(x0)}" y="0" width="{_n(slot)}" height="{_n(height)}" fill="none"/>',
                 f'<rect class="sv-bar" x="{_n(cx - bar_w / 2)}" y="{_n(base - h)}" width="{_n(bar_w)}" '
                 f'height="{_n(h)}" fill-opacity=".8"/>']
        if show_values:
            parts.append(f'<text class="sv-bar-value" x="{_n(cx)}" y="{_n(base - h - 6)}" text-anchor="middle" '
                         f'fill-opacity=".75">{_t(shown)}</text>')
        if (n - 1 - i) % every == 0:
            parts.append(f'<text class="sv-bar-label" x="{_n(cx)}" y="{_n(base + 17)}" text-anchor="middle">'
                         f'{_t(short)}</text>')
        parts.append(f"{close_a}</g>")
        out.append("".join(parts))
    out.append(f'<line class="sv-axis" x1="{_COL_PAD_X}" y1="{_n(base + 0.5)}" x2="{COLUMN_WIDTH - _COL_PAD_X}" '
               f'y2="{_n(base + 0.5)}" stroke="currentColor" stroke-opacity=".3"/>')
    out += ["</svg>", f"<figcaption>{_t(title)}</figcaption>", "</figure>"]
    return "\n".join(out)


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
_PAD_DEG = 0.25  # sea around the outermost dot
_MAP_MARGIN = 10.0
_MAP_HEIGHT = 660.0  # the map proper; the legend sits below it
_MAP_MIN_WIDTH = 340.0  # room for the legend
_LEGEND_HEIGHT = 46.0
MAX_BACKGROUND = 3000
_DOT_CELL = 2.0  # background dots closer than this (in user units) are merged
_R_MIN, _R_MAX = 3.0, 14.0
_MAP_FONT = 12


class _Projection:
    """Equirectangular, x shrunk by cos(16°), fitted to the bounds with the same scale on both axes."""

    def __init__(self, south: float, north: float, west: float, east: float):
        self.north, self.west = north + _PAD_DEG, west - _PAD_DEG
        lat_span = north - south + 2 * _PAD_DEG
        lon_span = (east - west + 2 * _PAD_DEG) * _COS_LAT
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


def _bounds(coords: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The mainland box, grown to take in every given coordinate (the Hoàng Sa and
    Trường Sa archipelagos, when the caller's data places them at sea)."""
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
    as faint dots that give the country its shape. `landmarks` are optional
    (lat, lon, name) labels, e.g. the capital or the Hoàng Sa and Trường Sa
    special zones, printed beside their place. The map fits mainland Vietnam
    and grows to take in every given coordinate, so nothing is invented: what
    the data places at sea is drawn at sea. Coordinates outside the region are
    data errors and are left out, as are points with a count of zero.
    """
    chart_id = _check_id(chart_id)
    for p in points:
        _check_count(p.count)
    kept = [p for p in points if p.count > 0 and _in_territory(p.lat, p.lon)]
    if not kept:
        return _empty(title, "map")
    ground = [(lat, lon) for lat, lon in background if _in_territory(lat, lon)]
    marks = [(lat, lon, _clean(name)) for lat, lon, name in landmarks if _in_territory(lat, lon)]
    project = _Projection(*_bounds([*ground, *((p.lat, p.lon) for p in kept), *((m[0], m[1]) for m in marks)]))
    width, height = project.width, _MAP_HEIGHT + _LEGEND_HEIGHT
    linked = any(p.href for p in kept)

    # Big circles first, so the small ones drawn later stay visible and clickable.
    ordered = sorted(kept, key=lambda p: (-p.count, p.lat, p.lon, _clean(p.label), p.href))
    top = ordered[0].count
    total = sum(p.count for p in kept)
    desc = (f"Bản đồ Việt Nam: {vi_number(len(kept))} địa phương có hồ sơ, tổng {vi_number(total)} hồ sơ; "
            f"nhiều nhất {_clean(ordered[0].label)} ({vi_number(top)}).")
    out = _head(chart_id, "map", width, height, linked=linked, font=_MAP_FONT, title=title, desc=desc)
    dots = _background_dots(project, ground)
    if dots:
        # Zero-length segments with round caps draw dots: a third of the bytes of <circle>s.
        path = "".join(f"M{x} {y}h0" for x, y in dots)
        out.append(f'<path class="sv-map-land" d="{path}" fill="none" stroke="currentColor" stroke-opacity=".22" '
                   f'stroke-width="2.2" stroke-linecap="round" aria-hidden="true"/>')
    for p in ordered:
        x, y = project(p.lat, p.lon)
        name = f"{_clean(p.label)}: {vi_number(p.count)} hồ sơ"
        href = _check_href(p.href)
        open_a, close_a = _row_open(href, name)
        out.append(f'<g class="sv-map-place">{open_a}'
                   f'<circle class="sv-map-point" cx="{_n(x)}" cy="{_n(y)}" r="{_n(_radius(p.count, top))}" '
                   f'fill-opacity=".55"/>{close_a}</g>')
    # Landmark names go on top, haloed for legibility, and let clicks through to the circles.
    for lat, lon, name in sorted(marks, key=lambda m: (-m[0], m[1], m[2])):
        x, y = project(lat, lon)
        right = x + 6 + _text_width(name, _MAP_FONT) <= width - 2
        tx, anchor = (x + 6, "start") if right else (x - 6, "end")
        out.append('<g class="sv-map-landmark" pointer-events="none" aria-hidden="true">'
                   f'<circle cx="{_n(x)}" cy="{_n(y)}" r="1.6" fill-opacity=".7"/>'
                   f'<text x="{_n(tx)}" y="{_n(y + 3.5)}" text-anchor="{anchor}" fill-opacity=".7">{_t(name)}</text></g>')
    out.append(_map_legend(top, width, _MAP_HEIGHT))
    out += ["</svg>", f"<figcaption>{_t(title)}</figcaption>", "</figure>"]
    return "\n".join(out)


def _map_legend(top: int, width: float, y0: float) -> str:
    """Sample circles with their counts, on one line centred under the map."""
    cy = y0 + _LEGEND_HEIGHT - 4 - _R_MAX
    caption = "Số hồ sơ"
    samples = [(v, _radius(v, top), vi_number(v)) for v in _legend_values(top)]
    total = _text_width(caption, _MAP_FONT) + sum(10 + 2 * r + 4 + _text_width(label, _MAP_FONT)
                                                  for _, r, label in samples)
    x = max(_MAP_MARGIN, (width - total) / 2)
    parts = ['<g class="sv-map-legend" aria-hidden="true">',
             f'<text class="sv-map-legend-title" x="{_n(x)}" y="{_n(cy + 4)}" fill-opacity=".7">{_t(caption)}</text>']
    x += _text_width(caption, _MAP_FONT) + 10
    for _, r, label in samples:
        parts.append(f'<circle class="sv-map-point" cx="{_n(x + r)}" cy="{_n(cy)}" r="{_n(r)}" fill-opacity=".55"/>')
        parts.append(f'<text class="sv-map-legend-value" x="{_n(x + 2 * r + 4)}" y="{_n(cy + 4)}" fill-opacity=".7">'
                     f'{_t(label)}</text>')
        x += 2 * r + 4 + _text_width(label, _MAP_FONT) + 10
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
