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

import contextlib
import html
import json
import os
from functools import lru_cache
from pathlib import Path

import segno

QUIET_ZONE = 4  # modules; ISO/IEC 18004 asks for four
# M: 15% of the symbol may be lost (a fold, a stain, a staple) and it still reads; the sheet's
# URLs (~60-110 characters) stay at version 4-6 (33-41 modules), ~1 mm a module at 40 mm.
ERROR_LEVEL = "m"


# text → the mask segno's own choice of the best mask gave it. A mask is only ever one segno
# chose for the same text, version and settings, so a remembered mask draws the same bytes as a
# fresh choice: an incremental build equals a full one.
_MASKS: dict[str, int] = {}
_MASKS_KEY = f"segno {segno.__version__}, error {ERROR_LEVEL}"


@contextlib.contextmanager
def remembered_masks(path: Path, keep: frozenset[str]):
    """Within the block, masks chosen by earlier builds are read from `path` (the build cache)
    and the ones chosen now are added to it. A missing, unreadable or other-version file is
    ignored: the masks are chosen again. Only the texts in `keep` are saved: the addresses of
    the records published now, so a withdrawn record's address leaves the cache with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == _MASKS_KEY and isinstance(data.get("masks"), dict):
            _MASKS.update({t: m for t, m in data["masks"].items() if isinstance(m, int) and 0 <= m <= 7})
    except (OSError, ValueError, AttributeError):
        pass
    try:
        yield
    finally:
        masks = {t: m for t, m in sorted(_MASKS.items()) if t in keep}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"key": _MASKS_KEY, "masks": masks}), encoding="utf-8")
        os.replace(tmp, path)  # never a half-written file for the next build to read


def qr_svg(text: str, label: str = "") -> str:
    """An SVG of the QR code of `text` (markup, escaped here): the same text gives the same bytes."""
    return _svg(text, label)


# A book prints the sheet of every record its record pages printed already, in the same
# build: a second drawing of the same URL is read back. Segno spends ~7 ms a symbol choosing
# the best of the eight masks, as the standard asks, which is most of the sheet's cost.
# The bound keeps a 100,000-record build's memory flat (an SVG is ~2-4 KB).
@lru_cache(maxsize=32_768)
def _svg(text: str, label: str) -> str:
    # The mask segno chose for this text in an earlier build (remembered_masks): given back,
    # segno draws the same symbol in a sixth of the time (0.5 ms instead of 3 ms here), which
    # is most of a cold build's QR cost at 10,000 records.
    code = segno.make_qr(text, error=ERROR_LEVEL, boost_error=False, mask=_MASKS.get(text))
    _MASKS[text] = code.mask
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
