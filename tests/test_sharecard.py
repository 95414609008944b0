"""Open Graph share cards: size, bounds, determinism, NFC and Vietnamese glyphs."""

from __future__ import annotations

import unicodedata

import pytest
from PIL import Image, ImageDraw, ImageFont

from generator.media import sharecard
from generator.media.sharecard import BAND, H, MARGIN, TEXT_WIDTH, W, card, font

BRAND = "Sổ vàng người tốt, việc tốt"
TITLE = "Mô hình “Thắp sáng đường quê” của Đoàn Thanh niên xã Đức Nhuận, huyện Mộ Đức, tỉnh Quảng Ngãi"
LINES = ["Mô hình · Xã Đức Nhuận, Huyện Mộ Đức, Quảng Ngãi", "Ngày 26/03/2023"]
LONG_TITLE = ("Ông Trần Văn Ẩn và tập thể cán bộ, chiến sĩ đồn Biên phòng Ỷ Tý đã tận tụy " * 5)[:300]
VIETNAMESE = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LETTERS = VIETNAMESE + VIETNAMESE.lower()


def scene(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A photo-like test image: gradient plus shapes, converted to `mode`."""
    w, h = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for y in range(h):
        draw.line((0, y, w, y), fill=(90 + 150 * y // h, 160, 230 - 120 * y // h))
    draw.ellipse((w // 2, h // 8, w * 3 // 4, h // 3), fill=(255, 230, 150))
    draw.rectangle((0, h * 2 // 3, w // 3, h), fill=(240, 240, 240))
    return img.convert(mode)


PHOTOS = {
    "none": None,
    "tall": scene((60, 2400)),
    "wide": scene((4000, 90)),
    "tiny": scene((10, 10)),
    "rgba": scene((800, 600), "RGBA"),
    "palette": scene((640, 480), "P"),
    "grey": scene((640, 480), "L"),
    "cmyk": scene((500, 500), "CMYK"),
}


@pytest.mark.parametrize("name", PHOTOS)
def test_card_is_1200x630_rgb_for_any_photo(name):
    img = card(TITLE, LINES, BRAND, PHOTOS[name])
    assert img.size == (1200, 630)
    assert img.mode == "RGB"


def test_photo_is_centre_cropped_to_cover():
    # Green | blue | green, very wide: the centre crop keeps only blue.
    photo = Image.new("RGB", (3000, 100), (0, 160, 0))
    photo.paste((20, 40, 220), (1000, 0, 2000, 100))
    img = card("Tên", [], BRAND, photo)
    for x in (5, 600, 1195):  # the top rows are not darkened
        r, g, b = img.getpixel((x, 5))
        assert b > 180 and g < 80, (x, (r, g, b))


def test_transparent_photo_is_laid_on_red():
    img = card("Tên", [], BRAND, Image.new("RGBA", (400, 300), (0, 0, 0, 0)))
    assert img.getpixel((600, 5)) == sharecard.RED


def test_long_title_wraps_to_three_lines_within_width():
    assert len(LONG_TITLE) == 300
    f, lines = sharecard._fit_title(LONG_TITLE)
    assert 1 <= len(lines) <= 3
    assert all(f.getlength(line) <= TEXT_WIDTH for line in lines)
    assert f.size == min(sharecard.TITLE_SIZES)  # it shrank all the way
    assert lines[-1].endswith("…")
    assert " ".join(LONG_TITLE.split()).startswith(" ".join(lines)[:-1])  # words kept in order


def test_short_title_keeps_the_largest_size_on_one_line():
    f, lines = sharecard._fit_title("Đường hoa quân sự")
    assert f.size == max(sharecard.TITLE_SIZES)
    assert lines == ["Đường hoa quân sự"]


def test_medium_title_shrinks_before_it_is_cut():
    f, lines = sharecard._fit_title(TITLE)
    assert len(lines) <= 3 and not any(line.endswith("…") for line in lines)
    assert " ".join(lines) == TITLE
    assert all(f.getlength(line) <= TEXT_WIDTH for line in lines)


def test_unbreakable_word_is_cut_with_ellipsis():
    f, lines = sharecard._fit_title("Nghiêng" * 60)
    assert len(lines) == 1 and lines[0].endswith("…")
    assert f.getlength(lines[0]) <= TEXT_WIDTH


def test_secondary_lines_are_one_line_each_and_cut():
    long = "Tập thể · " + "Xã Ỷ Tý, Huyện Bát Xát, Lào Cai, " * 6
    out = sharecard._fit_lines([long, "", "Ngày 02/09/2023", "bốn", "năm"])
    assert len(out) == sharecard.MAX_LINES
    assert out[0].endswith("…") and out[1] == "Ngày 02/09/2023"
    f = font(sharecard.LINE_SIZE)
    assert all(f.getlength(line) <= TEXT_WIDTH for line in out)


def test_long_texts_draw_nothing_in_the_margins():
    # Without a photo the background does not depend on the text, so the
    # margins of a card full of text must equal those of a card without text.
    full = card(LONG_TITLE, [LONG_TITLE, LONG_TITLE, LONG_TITLE], BRAND)
    empty = card("", [], BRAND)
    above_band = H - BAND
    for box in ((0, 0, MARGIN - 8, above_band), (W - MARGIN + 8, 0, W, above_band), (0, 0, W, 40)):
        assert full.crop(box).tobytes() == empty.crop(box).tobytes(), box
    assert full.tobytes() != empty.tobytes()


def test_deterministic():
    photo = PHOTOS["rgba"]
    first = card(TITLE, LINES, BRAND, photo).tobytes()
    font.cache_clear()
    assert card(TITLE, LINES, BRAND, photo.copy()).tobytes() == first
    assert card(TITLE, LINES, BRAND).tobytes() == card(TITLE, LINES, BRAND).tobytes()


@pytest.mark.parametrize("name", ["none", "grey"])
def test_decomposed_text_draws_like_composed(name):
    nfd = unicodedata.normalize("NFD", TITLE)
    nfd_lines = [unicodedata.normalize("NFD", line) for line in LINES]
    assert nfd != TITLE
    composed = card(TITLE, LINES, BRAND, PHOTOS[name])
    decomposed = card(nfd, nfd_lines, unicodedata.normalize("NFD", BRAND), PHOTOS[name])
    assert decomposed.tobytes() == composed.tobytes()
    assert sharecard._fit_title(nfd)[1] == sharecard._fit_title(TITLE)[1]
    assert sharecard._fit_lines(nfd_lines) == LINES


@pytest.mark.parametrize("name", ["none", "grey", "palette"])
def test_text_is_drawn(name):
    img = card(TITLE, LINES, BRAND, PHOTOS[name])
    blank = card("", [], BRAND, PHOTOS[name])
    white = sum(1 for px in img.get_flattened_data() if px == sharecard.WHITE)
    assert white > 5000  # the title is pure white, the backgrounds never are
    assert sum(1 for px in blank.get_flattened_data() if px == sharecard.WHITE) == 0
    assert len(set(img.get_flattened_data())) > 50


def _mask(f, text: str) -> tuple[tuple[int, int], bytes]:
    m = f.getmask(text)
    return m.size, bytes(m)


@pytest.mark.parametrize("name", ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"])
def test_every_vietnamese_letter_has_a_glyph(name):
    # The basic layout maps each character through the font's cmap alone;
    # Raqm would quietly build a missing letter from base + combining marks.
    f = ImageFont.truetype(str(sharecard.FONTS / name), 48, layout_engine=ImageFont.Layout.BASIC)
    notdef = _mask(f, "\ue000")  # private use: not in the font, drawn as .notdef
    assert _mask(f, "中") == notdef  # the check can tell a missing glyph
    assert _mask(f, "A") != notdef
    missing = [c for c in LETTERS if _mask(f, c) == notdef]
    assert not missing
    # The marks are drawn: each letter differs from its bare base letter.
    bare = [c for c in LETTERS if c not in "Đđ" and _mask(f, c) == _mask(f, unicodedata.normalize("NFD", c)[0])]
    assert not bare
    assert len(set(_mask(f, c) for c in LETTERS)) == len(LETTERS)


def test_fonts_load_with_raqm_when_available():
    from PIL import features

    expected = ImageFont.Layout.RAQM if features.check_feature("raqm") else ImageFont.Layout.BASIC
    assert font(30).layout_engine == expected
    assert font(30) is font(30)  # cached
