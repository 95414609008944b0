"""QR codes for the printed sheets, drawn at build time as inline SVG.

The symbol comes from segno (pinned exactly in requirements.txt: another version may choose
another mask or version and so draw other bytes); the SVG is written here from segno's module
matrix, not by segno's writer, so the markup is ours to keep stable: one filled path of unit
squares, the quiet zone inside the viewBox (a scanner needs four light modules around the
symbol, whatever the page's CSS puts next to it), a white background so that a tinted sheet
cannot lower the contrast, and no size, so the stylesheet sets it.

Only URLs the generator builds are encoded (`books.sheet_facts`): never text from a record.
"""

from __future__ import annotations

import html
from functools import lru_cache

import segno

QUIET_ZONE = 4  # modules; ISO/IEC 18004 asks for four
# M: 15% of the symbol may be lost (a fold, a stain, a staple) and it still reads; the sheet's
# URLs (~60-110 characters) stay at version 4-6 (33-41 modules), ~1 mm a module at 40 mm.
ERROR_LEVEL = "m"


def qr_svg(text: str, label: str = "") -> str:
    """An SVG of the QR code of `text` (markup, escaped here): the same text gives the same bytes."""
    return _svg(text, label)


# A book prints the sheet of every record its record pages printed already, in the same
# build: a second drawing of the same URL is read back. Segno spends ~7 ms a symbol choosing
# the best of the eight masks, as the standard asks, which is most of the sheet's cost.
# The bound keeps a 100,000-record build's memory flat (an SVG is ~2-4 KB).
@lru_cache(maxsize=32_768)
def _svg(text: str, label: str) -> str:
    code = segno.make_qr(text, error=ERROR_LEVEL, boost_error=False)
    rows = code.matrix
    size = len(rows) + 2 * QUIET_ZONE
    # A horizontal line one module thick through the middle of each run of dark modules,
    # each move relative to where the last line ended: half the bytes of a filled square a
    # run, and a book page holds a hundred of these.
    parts, at = [], (0, 0.5)  # the pen, where the last line ended
    for y, row in enumerate(rows):
        x, width = 0, len(row)
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            sx, sy = start + QUIET_ZONE, y + QUIET_ZONE + 0.5
            parts.append(f"M{sx} {sy:g}h{x - start}" if not parts else f"m{sx - at[0]} {sy - at[1]:g}h{x - start}")
            at = (x + QUIET_ZONE, sy)
    label_attr = f' role="img" aria-label="{html.escape(label)}"' if label else ' aria-hidden="true"'
    return (f'<svg class="sv-sheet__qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"'
            f'{label_attr} focusable="false" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path fill="none" stroke="#000" stroke-width="1" d="{"".join(parts)}"/></svg>')


def modules(text: str) -> int:
    """The symbol's width in modules, without the quiet zone (for tests and the stylesheet's sizing)."""
    return len(segno.make_qr(text, error=ERROR_LEVEL, boost_error=False).matrix)
