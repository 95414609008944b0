"""Open Graph share images: a 1200×630 card per record for Facebook, Zalo, etc.

`card()` returns a Pillow image; the caller encodes it (JPEG, quality ~85,
no metadata). With a photo, the photo fills the card and a dark gradient
at the bottom carries the text; without one, the card is typographic on
the site's deep red. The output depends on the inputs only (no randomness,
no clock), so cached cards stay valid and tests can compare pixels.

Text is set in the shipped Noto Sans subset (fonts/README.md), measured in
pixels, never in characters: titles wrap on word boundaries to at most three
lines, shrinking step by step, and what still does not fit ends with "…".
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps, features

SIZE = W, H = 1200, 630
MARGIN = 72  # left/right margin of all text
TEXT_WIDTH = W - 2 * MARGIN
BAND = 64  # height of the brand band at the bottom
TITLE_SIZES = range(68, 43, -4)  # px, tried largest first: 68, 64, … 44
TITLE_LINES = 3
LINE_SIZE = 30  # px, the secondary lines (kind, place, …)
MAX_LINES = 3  # secondary lines drawn at most
BRAND_SIZE = 24

RED = (142, 27, 27)  # #8e1b1b
RED_DARK = (94, 16, 16)
INK = (26, 8, 8)  # gradient colour over photos: near-black, slightly warm
AMBER = (245, 183, 49)
WHITE = (255, 255, 255)
CREAM = (251, 238, 212)

FONTS = Path(__file__).parent / "fonts"
ELLIPSIS = "…"
_TRAIL = " ,;:·-–—"  # not left before an ellipsis


@lru_cache(maxsize=None)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Noto Sans at `size` px, with Raqm shaping when Pillow has it."""
    engine = ImageFont.Layout.RAQM if features.check_feature("raqm") else ImageFont.Layout.BASIC
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=engine)


def _clean(text: str) -> str:
    """NFC form with runs of whitespace folded to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fits(text: str, f: ImageFont.FreeTypeFont, width: int) -> bool:
    return f.getlength(text) <= width


def _ellipsize(text: str, f: ImageFont.FreeTypeFont, width: int) -> str:
    """`text` if it fits in `width`, else its longest prefix that fits with "…"."""
    if _fits(text, f, width):
        return text
    lo, hi = 0, len(text)  # binary search for the longest prefix that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _fits(text[:mid].rstrip(_TRAIL) + ELLIPSIS, f, width):
            lo = mid
        else:
            hi = mid - 1
    while 0 < lo < len(text) and unicodedata.combining(text[lo]):  # keep marks with their letter
        lo -= 1
    head = text[:lo].rstrip(_TRAIL)
    # End on a whole word when that loses little.
    word = head[: head.rfind(" ")].rstrip(_TRAIL) if " " in head else ""
    if word and f.getlength(word) > width * 0.75:
        head = word
    return head + ELLIPSIS


def _wrap(text: str, f: ImageFont.FreeTypeFont, width: int, max_lines: int) -> tuple[list[str], bool]:
    """Greedy word wrap; returns (lines, True) if the whole text fits as is,
    else (at most `max_lines` lines, each ellipsized to `width`, False)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _fits(f"{lines[-1]} {word}", f, width):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) <= max_lines and all(_fits(line, f, width) for line in lines):
        return lines, True
    if len(lines) > max_lines:  # the rest goes on the last line, to be cut
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    return [_ellipsize(line, f, width) for line in lines], False


def _fit_title(title: str, width: int = TEXT_WIDTH) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size at which `title` wraps into ≤ 3 lines of `width`;
    at the smallest size, the overflow is cut with "…"."""
    title = _clean(title)
    for size in TITLE_SIZES:
        lines, whole = _wrap(title, font(size, bold=True), width, TITLE_LINES)
        if whole:
            break
    return font(size, bold=True), lines


def _fit_lines(lines: list[str], width: int = TEXT_WIDTH) -> list[str]:
    """Secondary lines: one line each, ellipsized, at most MAX_LINES, blanks dropped."""
    f = font(LINE_SIZE)
    return [_ellipsize(line, f, width) for line in map(_clean, lines) if line][:MAX_LINES]


def _to_rgb(photo: Image.Image) -> Image.Image:
    """Any mode to RGB; transparency is laid on the card's red."""
    if photo.mode == "P" and "transparency" in photo.info:
        photo = photo.convert("RGBA")
    if photo.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        photo = photo.convert("RGBA")
        base = Image.new("RGBA", photo.size, RED + (255,))
        return Image.alpha_composite(base, photo).convert("RGB")
    return photo.convert("RGB")


def _vertical_mask(stops: list[tuple[float, int]]) -> Image.Image:
    """A W×H "L" mask going through (y as a fraction of H, value) stops,
    eased with smoothstep between them and flat outside them."""
    column = []
    for y in range(H):
        t = y / (H - 1)
        value = stops[0][1] if t < stops[0][0] else stops[-1][1]
        for (t0, v0), (t1, v1) in zip(stops, stops[1:]):
            if t0 <= t < t1:
                s = (t - t0) / (t1 - t0)
                value = v0 + (v1 - v0) * s * s * (3 - 2 * s)
        column.append(round(value))
    mask = Image.new("L", (1, H))
    mask.putdata(column)
    return mask.resize(SIZE, Image.Resampling.NEAREST)


def _text_block(title_font: ImageFont.FreeTypeFont, title: list[str], lines: list[str]) -> tuple[list, int]:
    """Baseline-positioned runs [(y, text, font, is_title)] from y=0 at the block
    top (room for stacked Vietnamese marks), and the block's height."""
    runs, y = [], 0
    size = title_font.size
    for i, text in enumerate(title):
        y += round(size * (0.98 if i == 0 else 1.2))
        runs.append((y, text, title_font, True))
    line_font = font(LINE_SIZE)
    for i, text in enumerate(lines):
        y += round(LINE_SIZE * (1.9 if i == 0 else 1.45))
        runs.append((y, text, line_font, False))
    return runs, y + round((LINE_SIZE if lines else size) * 0.3)


def _draw_runs(draw: ImageDraw.ImageDraw, runs: list, top: int, title_fill, line_fill) -> None:
    for y, text, f, is_title in runs:
        draw.text((MARGIN, top + y), text, font=f, fill=title_fill if is_title else line_fill, anchor="ls")


def _brand_band(img: Image.Image, brand: str) -> None:
    """The bottom band: deep red, an amber rule on top, the brand in cream."""
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, H - BAND, W, H), fill=RED_DARK)
    draw.rectangle((0, H - BAND, W, H - BAND + 5), fill=AMBER)
    f = font(BRAND_SIZE, bold=True)
    brand = _ellipsize(_clean(brand), f, TEXT_WIDTH - 40)
    cy = H - BAND // 2 + 3
    draw.ellipse((MARGIN, cy - 7, MARGIN + 14, cy + 7), fill=AMBER)
    draw.text((MARGIN + 30, cy), brand, font=f, fill=CREAM, anchor="lm")


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """The ten corners of a five-pointed star, point up."""
    return [
        (cx + (r if i % 2 == 0 else r * 0.382) * math.sin(i * math.pi / 5),
         cy - (r if i % 2 == 0 else r * 0.382) * math.cos(i * math.pi / 5))
        for i in range(10)
    ]


def card(title: str, lines: list[str], brand: str, photo: Image.Image | None = None) -> Image.Image:
    """The 1200×630 RGB share card for a record.

    `title` is set bold (≤ 3 lines), `lines` (e.g. kind and place) one line
    each below it, `brand` in the bottom band. `photo`, if given, must be
    upright already; it may be any mode and size and is centre-cropped.
    """
    title_font, title_lines = _fit_title(title)
    runs, height = _text_block(title_font, title_lines, _fit_lines(lines))
    if photo is not None:
        img = ImageOps.fit(_to_rgb(photo), SIZE, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
        top = H - BAND - 44 - height
        # Darken from a little above the text down to the band, whatever the photo.
        shade = _vertical_mask([(max(0, top - 130) / H, 0), ((top + 10) / H, 165), ((H - BAND) / H, 220)])
        img = Image.composite(Image.new("RGB", SIZE, INK), img, shade)
        # A soft shadow behind the text for bright spots the gradient leaves.
        shadow = Image.new("L", SIZE, 0)
        _draw_runs(ImageDraw.Draw(shadow), runs, top, 150, 150)
        shadow = shadow.filter(ImageFilter.GaussianBlur(6))
        img = Image.composite(Image.new("RGB", SIZE, INK), img, shadow)
        _draw_runs(ImageDraw.Draw(img), runs, top, WHITE, CREAM)
    else:
        img = Image.composite(Image.new("RGB", SIZE, RED_DARK), Image.new("RGB", SIZE, RED), _vertical_mask([(0.0, 0), (1.0, 110)]))
        area = H - BAND
        accent = 40  # amber bar above the title, and the space under it
        top = max(56, (area - height - accent) // 2) + accent
        # A large, faint star (as on the flag) bleeding off the right edge.
        star = Image.new("L", SIZE, 0)
        ImageDraw.Draw(star).polygon(_star(W - 130, 250, 320), fill=16)
        img = Image.composite(Image.new("RGB", SIZE, AMBER), img, star)
        draw = ImageDraw.Draw(img)
        draw.rectangle((MARGIN, top - accent, MARGIN + 96, top - accent + 8), fill=AMBER)
        _draw_runs(draw, runs, top, WHITE, CREAM)
    _brand_band(img, brand)
    return img
