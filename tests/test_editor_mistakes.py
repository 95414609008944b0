"""The mistakes editors really make, each named at the line they have to change.

Editors are volunteers typing on phones and in GitHub's web editor, pasting from Word
and Facebook. For each slip: the position reported (computed from the fixture, never
copied from the validator), and words that say what was found and what to type.
Fixtures are conftest's valid records with one thing changed.
"""

from __future__ import annotations

import re
import struct
import textwrap

import pytest

import imaging
from conftest import PHOTO, VALID_INITIATIVE, VALID_PERSON
from generator.core.vntext import slugify
from generator.records import photofile, schema
from generator.records.validate import validate
from projects import ROOT

SLUG = "ban-ghi"
GROUP = "ha-nam/thanh-liem"  # where VALID_INITIATIVE (Hà Nam, Thanh Liêm, 2022) belongs
PERSON_GROUP = "binh-duong/tan-uyen"  # and VALID_PERSON (Bình Dương, Tân Uyên, 2020)
LISTED = PHOTO  # lists anh-1.jpg


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in a fixture."""
    text = textwrap.dedent(text)
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def check(corpus, text: str, group: str = GROUP, files: dict | None = None):
    corpus.add(SLUG, text, group=group, files=files)
    return validate(corpus.root)


def errors(corpus, text: str, **kw) -> list[tuple[int, int, str]]:
    model, report = check(corpus, text, **kw)
    found = [(d.line, d.col, d.message) for d in report.errors]
    if found:
        assert SLUG not in [r.slug for r in model.records]
    return found


def one_error(corpus, text: str, **kw) -> tuple[tuple[int, int], str]:
    found = errors(corpus, text, **kw)
    assert len(found) == 1, found
    return found[0][:2], found[0][2]


def after_reform(text: str, province: str, commune: str | None = None, date: str = "2025-08-15") -> str:
    text = re.sub(r"date: \S+", f"date: {date}", text, count=1)
    place = f"place:\n  province: {province}\n" + (f"  commune: {commune}\n" if commune else "")
    return re.sub(r"place:\n(  .*\n)+", place, text, count=1)


# --- 1. A story or summary pasted without its indentation ---------------------------------------

@pytest.mark.parametrize("text, first, key", [
    (VALID_INITIATIVE + "story: |\nMột hôm trời mưa.\nAnh ấy vẫn đi làm.\n", "Một hôm", "story"),
    # "Ngày 5: ..." is a key to YAML: the file parses, and the unknown key is the text.
    (VALID_INITIATIVE + "story: |\nNgày 5: trời mưa to.\n", "Ngày 5", "story"),
    (edit(VALID_INITIATIVE, "fields:", "story: |\nNgày 5: trời mưa to.\nfields:"), "Ngày 5", "story"),
    (VALID_INITIATIVE + "story: |\n  Một hôm trời mưa.\nAnh ấy vẫn đi làm.\n", "Anh ấy", "story"),
    (edit(VALID_INITIATIVE, "summary: Ba", "summary: >\nBa"), "Ba ki-lô-mét", "summary"),
    (edit(VALID_INITIATIVE, "summary: Ba", "summary:\nBa"), "Ba ki-lô-mét", "summary"),
], ids=["block", "block-line-with-colon", "block-then-more-keys", "second-line", "folded-summary", "plain-summary"])
def test_text_pasted_without_indentation_points_at_its_first_line(corpus, text, first, key):
    position, message = one_error(corpus, text)
    assert position == at(text, first)
    assert f"nội dung của '{key}' phải thụt vào" in message and "hai dấu cách" in message


def test_an_empty_story_before_the_next_key_is_no_mistake(corpus):
    _, report = check(corpus, edit(VALID_INITIATIVE, "fields:", "story: |\nfields:"))
    assert report.errors == []


# --- 2. `key:value` without the space -----------------------------------------------------------

@pytest.mark.parametrize("text, typed, meant", [
    (edit(VALID_INITIATIVE, "kind: initiative", "kind:initiative"), "kind:initiative", "kind: initiative"),
    (edit(VALID_INITIATIVE, "name: Đường", "name:Đường"), "name:Đường", "name: Đường"),
    (edit(VALID_INITIATIVE, "date: 2022-12-31", "date:2022-12-31"), "date:2022-12-31", "date: 2022-12-31"),
    (edit(VALID_INITIATIVE, "province: Hà Nam", "province:Hà Nam"), "province:Hà Nam", "province: Hà Nam"),
    (VALID_INITIATIVE + "photos:\n  - file:anh-1.jpg\n", "file:anh-1.jpg", "file: anh-1.jpg"),
    (VALID_INITIATIVE + "sources:\n  - title: Bài báo\n    url:https://baohanam.vn/a\n", "url:https://", "url: https://"),
    ("kind:initiative\nname:Đường hoa\n", "kind:initiative", "kind: initiative"),
], ids=["first-line", "middle", "date", "nested", "list-item", "url", "every-line"])
def test_missing_space_after_the_colon(corpus, text, typed, meant):
    position, message = one_error(corpus, text)
    line, col = at(text, typed)
    assert position == (line, col + typed.index(":") + 1)  # just after the colon, where the space goes
    assert "thiếu dấu cách sau dấu ':'" in message and f"hãy viết '{meant}" in message


@pytest.mark.parametrize("extra", ["organization: Xóm 5:30 phút đi bộ\n", "story: Xem https://baohanam.vn/a:b\n"])
def test_a_colon_inside_a_value_is_no_mistake(corpus, extra):
    assert check(corpus, VALID_INITIATIVE + extra)[1].items == []


# --- 3. Typographic quotes ---------------------------------------------------------------------

@pytest.mark.parametrize("opening, closing", [("“", "”"), ("‘", "’"), ("«", "»"), ("„", "“")])
def test_curly_quotes_around_a_text_are_a_warning_that_names_them(corpus, opening, closing):
    text = edit(VALID_INITIATIVE, "name: Đường hoa quân sự", f"name: {opening}Đường hoa quân sự{closing}")
    model, report = check(corpus, text)
    assert report.errors == [] and [r.slug for r in model.records] == [SLUG]
    [warning] = report.warnings
    assert (warning.line, warning.col) == at(text, opening)
    assert f"{opening}…{closing}" in warning.message and "ngoặc kép thẳng" in warning.message
    assert f"U+{ord(opening):04X}" in warning.message


@pytest.mark.parametrize("old, new, meant", [
    ("date: 2022-12-31", "date: “2022-12-31”", "date: 2022-12-31"),
    ("kind: initiative", "kind: “initiative”", "kind: initiative"),
], ids=["date", "choice"])
def test_curly_quotes_around_a_date_or_choice_are_an_error(corpus, old, new, meant):
    text = edit(VALID_INITIATIVE, old, new)
    position, message = one_error(corpus, text)
    assert position == at(text, "“") and "“…”" in message and f"viết {meant}" in message


def test_curly_quotes_around_a_key(corpus):
    text = edit(VALID_INITIATIVE, "name:", "“name”:")
    position, message = one_error(corpus, text)
    assert position == at(text, "“name”") and "hãy bỏ dấu ngoặc, viết 'name:'" in message


@pytest.mark.parametrize("value", ["“Đường hoa: quân sự”", "“Đội #1”"], ids=["colon-inside", "hash-inside"])
def test_curly_quotes_that_break_the_line(corpus, value):
    # With straight quotes the ':' and '#' would be text; with curly ones YAML fails or cuts the value.
    text = edit(VALID_INITIATIVE, "name: Đường hoa quân sự", f"name: {value}")
    position, message = one_error(corpus, text)
    assert position == at(text, "“") and "ngoặc kép thẳng" in message and "'#'" in message


# --- 4. Vietnamese keys and values --------------------------------------------------------------

@pytest.mark.parametrize("text, typed, meant", [
    (edit(VALID_INITIATIVE, "name:", "tên:"), "tên:", "'name:'"),
    (edit(VALID_INITIATIVE, "kind: initiative", "loại: mô hình"), "loại:", "'kind: initiative'"),
    (edit(VALID_INITIATIVE, "summary:", "Tóm tắt:"), "Tóm tắt:", "'summary:'"),
    (edit(VALID_INITIATIVE, "date:", "ngày:"), "ngày:", "'date:'"),
    (edit(VALID_INITIATIVE, "place:", "địa bàn:"), "địa bàn:", "'place:'"),
    (edit(VALID_INITIATIVE, "  province:", "  tỉnh:"), "tỉnh:", "'province:'"),
    (edit(VALID_INITIATIVE, "  district:", "  huyện:"), "huyện:", "'district:'"),
    (VALID_INITIATIVE.replace("  district: Thanh Liêm\n", "  district: Thanh Liêm\n  xã: Thanh Hà\n"), "xã:", "'commune:'"),
    (edit(VALID_INITIATIVE, "fields:", "lĩnh vực:"), "lĩnh vực:", "'fields:'"),
    (VALID_INITIATIVE + "câu chuyện: Một hôm.\n", "câu chuyện:", "'story:'"),
    (VALID_INITIATIVE + "nguồn:\n  - title: Bài\n", "nguồn:", "'sources:'"),
    (VALID_INITIATIVE + "ảnh:\n", "ảnh:", "'photos:'"),
    (VALID_INITIATIVE + "photos:\n  - file: anh-1.jpg\n    chú thích: Hoa\n    credit: Hà\n    alt: Hoa\n",
     "chú thích:", "'caption:'"),
], ids=["ten", "loai-mo-hinh", "tom-tat", "ngay", "dia-ban", "tinh", "huyen", "xa", "linh-vuc", "cau-chuyen",
        "nguon", "anh", "chu-thich"])
def test_a_vietnamese_key_names_the_english_one(corpus, text, typed, meant):
    found = errors(corpus, text, files={"anh-1.jpg": imaging.jpeg((64, 48))})
    here = [m for line, col, m in found if (line, col) == at(text, typed)]
    assert here and "viết bằng tiếng Việt" in here[0] and f"hãy viết {meant}" in here[0], found
    assert not any("thiếu khoá bắt buộc" in m and meant.strip("'").split(":")[0] + ":" in m for _, _, m in found), found


@pytest.mark.parametrize("typed, meant", [("năm sinh: 1980", "birth_year"), ("đồng ý:", "consent")])
def test_a_vietnamese_key_of_a_person(corpus, typed, meant):
    text = VALID_PERSON.replace("consent:", typed if meant == "consent" else "consent:")
    text += f"{typed}\n" if meant == "birth_year" else ""
    found = errors(corpus, text, group=PERSON_GROUP)
    assert any((line, col) == at(text, typed.split(":")[0]) and f"'{meant}:'" in m for line, col, m in found), found


@pytest.mark.parametrize("label, kind", [("Cá nhân", "person"), ("tập thể", "collective"), ("Mô hình", "initiative")])
def test_a_vietnamese_kind_names_its_value(corpus, label, kind):
    text = edit(VALID_INITIATIVE, "kind: initiative", f"kind: {label}")
    found = errors(corpus, text)
    assert any((line, col) == at(text, label) and f"hãy viết kind: {kind}" in m for line, col, m in found), found


def test_yes_in_vietnamese_names_true(corpus):
    text = edit(VALID_PERSON, "  name: true", "  name: có")
    position, message = one_error(corpus, text, group=PERSON_GROUP)
    assert position == at(text, "có") and "hãy viết true" in message


def test_vietnamese_keys_come_from_the_schema_and_never_collide():
    """Every alias is declared on its Field in schema.py; within one object no two keys or
    aliases read the same once folded, so each names one key."""
    def walk(obj):
        seen = {}
        for f in obj.fields:
            for word in (f.key, *f.aliases):
                assert seen.setdefault(slugify(word), f.key) == f.key, (word, seen[slugify(word)], f.key)
            inner = f.type.item if isinstance(f.type, schema.ListOf) else f.type
            if isinstance(inner, schema.Obj):
                walk(inner)
    walk(schema.RECORD)
    aliases = {a for f in schema.RECORD.fields for a in f.aliases}
    assert {"tên", "tóm tắt", "ngày", "địa bàn", "lĩnh vực", "ảnh", "nguồn", "câu chuyện", "năm sinh", "đồng ý"} <= aliases
    assert {"tỉnh", "huyện", "xã"} <= {a for f in schema.PLACE.fields for a in f.aliases}


# --- 5. No-break spaces and Word bullets as indentation -----------------------------------------

@pytest.mark.parametrize("blank", ["\u00a0", "\u202f", "\u3000", "\u2009"])
def test_a_no_break_space_as_indentation_is_named(corpus, blank):
    text = edit(VALID_INITIATIVE, "  district:", f"{blank}{blank}district:")
    position, message = one_error(corpus, text)
    assert position == at(text, blank)
    assert f"U+{ord(blank):04X}" in message and "dấu cách thường" in message


@pytest.mark.parametrize("bullet", ["•", "◦", "▪", "–"])
def test_a_word_bullet_for_a_list_item_is_named(corpus, bullet):
    text = edit(VALID_INITIATIVE, "fields: [quoc-phong]", f"fields:\n  {bullet} quoc-phong\n  {bullet} nong-thon-moi")
    position, message = one_error(corpus, text)
    assert position == at(text, bullet)
    assert f"U+{ord(bullet):04X}" in message and f"hãy thay '{bullet}' bằng '-'" in message


def test_a_word_bullet_at_the_margin_is_named(corpus):
    text = edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields:\n• quoc-phong")
    position, message = one_error(corpus, text)
    assert position == at(text, "•") and "U+2022" in message


# --- 6. A record outside its province's folder --------------------------------------------------

def test_a_record_under_another_province_is_a_warning_naming_the_right_folder(corpus):
    model, report = check(corpus, VALID_INITIATIVE, group="ninh-binh/thanh-liem")
    assert report.errors == [] and [r.slug for r in model.records] == [SLUG]  # published all the same
    [warning] = report.warnings
    assert (warning.line, warning.col) == at(VALID_INITIATIVE, "Hà Nam")
    assert f"content/entries/ha-nam/thanh-liem/{SLUG}/entry.yml" in warning.message
    assert "content/entries/ninh-binh/thanh-liem/" in warning.message and "CODEOWNERS" in warning.message


def test_a_record_since_the_reform_belongs_under_its_new_province(corpus):
    text = after_reform(VALID_INITIATIVE, "Ninh Bình", "Liêm Hà")
    [warning] = check(corpus, text, group=GROUP)[1].warnings
    assert (warning.line, warning.col) == at(text, "Ninh Bình")
    assert f"content/entries/ninh-binh/liem-ha/{SLUG}/entry.yml" in warning.message and "tỉnh mới" in warning.message


@pytest.mark.parametrize("text, group", [(VALID_INITIATIVE, GROUP), (VALID_PERSON, PERSON_GROUP),
                                         (after_reform(VALID_INITIATIVE, "Ninh Bình", "Liêm Hà"), "ninh-binh/liem-ha")])
def test_a_record_in_its_province_folder_is_not_warned(corpus, text, group):
    assert check(corpus, text, group=group)[1].items == []


def test_the_shipped_records_are_in_their_province_folders():
    assert [d.format() for d in validate(ROOT / "content")[1].items] == []


# --- 7. entry.yml in a folder that groups other records -----------------------------------------

def test_entry_yml_in_a_grouping_folder_is_the_one_reported(corpus):
    corpus.add(SLUG, VALID_INITIATIVE)
    stray = corpus.root / "entries" / "ha-nam" / "entry.yml"
    stray.write_text(VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình khác"), encoding="utf-8")
    model, report = validate(corpus.root)
    [error] = report.errors
    assert (error.path, error.line, error.col) == (stray, 1, 1)
    assert "thư mục nhóm 'ha-nam'" in error.message and "content/entries/ha-nam/<huyện-hoặc-xã>/<mã-hồ-sơ>/entry.yml" \
        in error.message
    assert [r.slug for r in model.records] == [SLUG]  # the record below it is untouched


def test_entry_yml_beside_two_records_is_the_one_reported(corpus):
    corpus.add("mot", VALID_INITIATIVE, group=f"{GROUP}/nhom")
    corpus.add("hai", VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình khác"), group=f"{GROUP}/nhom")
    corpus.add("nhom", VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình thứ ba"))
    [error] = validate(corpus.root)[1].errors
    assert error.path == corpus.root / "entries" / GROUP / "nhom" / "entry.yml" and "2 hồ sơ khác" in error.message


# --- 8. A photo in the folder that `photos` does not list ---------------------------------------

def test_an_unlisted_photo_is_a_warning_at_the_photos_key(corpus):
    text = VALID_INITIATIVE + LISTED
    model, report = check(corpus, text, files={"anh-1.jpg": imaging.jpeg((64, 48)), "anh-2.jpg": imaging.jpeg((64, 48))})
    assert report.errors == [] and [r.slug for r in model.records] == [SLUG]
    [warning] = report.warnings
    assert (warning.line, warning.col) == at(text, "photos:")
    assert "'anh-2.jpg'" in warning.message and "không có trong photos" in warning.message and "công khai" in warning.message


@pytest.mark.parametrize("data, says", [
    (imaging.jpeg((64, 48), gps=True), "toạ độ GPS"),
    (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "HEIC"),
    (imaging.jpeg((320, 240))[:800], "thiếu phần cuối"),
], ids=["gps", "heic", "cut-short"])
def test_an_unlisted_photo_is_checked_as_a_listed_one(corpus, data, says):
    found = errors(corpus, VALID_INITIATIVE, files={"IMG_2034.jpg": data})
    assert [(line, col) for line, col, _ in found] == [(1, 1)], found
    assert "'IMG_2034.jpg' (không có trong photos)" in found[0][2] and says in found[0][2]


def test_photos_that_are_not_a_list_do_not_stop_the_unlisted_check(corpus):
    # `photos: abc` once raised a TypeError in the unlisted-photo rule.
    text = VALID_INITIATIVE + "photos: anh-1.jpg\n"
    found = errors(corpus, text, files={"anh-1.jpg": imaging.jpeg((64, 48), gps=True)})
    assert any(m.startswith("photos: cần một danh sách") for _, _, m in found)
    assert any("toạ độ GPS" in m and (line, col) == at(text, "photos:") for line, col, m in found), found


# --- 9. A commune since the reform written with its former name ---------------------------------

def test_a_former_commune_name_suggests_the_new_commune(corpus):
    text = after_reform(VALID_INITIATIVE, "Ninh Bình", "Thanh Hà")
    position, message = one_error(corpus, text, group="ninh-binh/liem-ha")
    assert position == at(text, "Thanh Hà")
    assert "'Thanh Hà' là tên trước 01/7/2025" in message and "Xã Thanh Hà (Huyện Thanh Liêm, Tỉnh Hà Nam)" in message
    assert "hãy ghi commune: Liêm Hà" in message


def test_a_former_commune_divided_between_two_names_both(corpus):
    text = after_reform(VALID_INITIATIVE, "Hải Phòng", "Thượng Quận")
    position, message = one_error(corpus, text, group="hai-phong/tran-lieu")
    assert position == at(text, "Thượng Quận")
    assert "nay chia vào Phường Trần Liễu (phần lớn) và Xã Phú Thái" in message
    assert "'Trần Liễu' hoặc 'Phú Thái'" in message


# --- 10. A photo cut short, caught by `sovang validate` -----------------------------------------

def _png_cut_in_idat() -> bytes:
    png = imaging.encode(imaging.picture((320, 240)), "PNG")
    return png[:png.index(b"IDAT") + 300]


def _webp_short_of_its_size() -> bytes:
    webp = imaging.encode(imaging.picture((320, 240)), "WEBP")
    assert struct.unpack("<I", webp[4:8])[0] == len(webp) - 8
    return webp[:-64]


@pytest.mark.parametrize("name, data, fmt", [
    ("anh-1.jpg", imaging.jpeg((640, 480))[:-2000], "JPEG"),
    ("anh-1.png", _png_cut_in_idat(), "PNG"),
    ("anh-1.webp", _webp_short_of_its_size(), "WebP"),
], ids=["jpeg-without-its-end", "png-cut-in-idat", "webp-short-of-its-riff-size"])
def test_a_photo_cut_short_is_caught_by_validate(corpus, run_cli, name, data, fmt):
    text = VALID_INITIATIVE + LISTED.replace("anh-1.jpg", name)
    path = corpus.add(SLUG, text, group=GROUP, files={name: data})
    code, out, err = run_cli("validate", "--content", str(corpus.root))
    line, col = at(text, name)
    assert code == 1 and "Traceback" not in out + err
    assert f"{path.name}:{line}:{col}: error: photos[1].file: tệp ảnh {fmt} bị thiếu phần cuối" in out


def test_a_png_with_a_damaged_chunk_is_caught_by_validate(corpus):
    png = bytearray(imaging.encode(imaging.picture((320, 240)), "PNG"))
    png[png.index(b"IDAT") + 40] ^= 0xFF  # the chunk's CRC no longer matches
    found = errors(corpus, VALID_INITIATIVE + LISTED, files={"anh-1.jpg": bytes(png)})
    assert len(found) == 1 and "tệp ảnh PNG bị hỏng" in found[0][2] and "mã kiểm tra" in found[0][2], found


def test_whole_photos_of_every_format_pass(corpus):
    for name, fmt in (("anh-1.jpg", "JPEG"), ("anh-1.png", "PNG"), ("anh-1.webp", "WEBP")):
        corpus.add(f"ban-ghi-{fmt.lower()}", VALID_INITIATIVE.replace("quân sự", fmt) + LISTED.replace("anh-1.jpg", name),
                   files={name: imaging.encode(imaging.picture((320, 240)), fmt)})
    assert validate(corpus.root)[1].items == []


# --- 11. entry.yml under another name -----------------------------------------------------------

@pytest.mark.parametrize("name", ["entry", "entry.yaml", "entry.yml.txt", "Entry.yml", "ENTRY.YML", "entry.txt"])
def test_a_misnamed_entry_file_says_to_rename_it(corpus, name):
    folder = corpus.root / "entries" / GROUP / SLUG
    folder.mkdir(parents=True)
    (folder / name).write_text(VALID_INITIATIVE, encoding="utf-8")
    model, report = validate(corpus.root)
    [error] = report.errors
    assert (error.path, error.line, error.col) == (folder / name, 1, 1)
    assert f"tệp '{name}' sẽ không được đọc" in error.message and "hãy đổi tên tệp thành 'entry.yml'" in error.message
    assert model.records == ()


def test_a_folder_named_entry_yml_is_explained(corpus):
    folder = corpus.root / "entries" / GROUP / SLUG / "entry.yml"
    folder.mkdir(parents=True)
    (folder / "x").write_text(VALID_INITIATIVE, encoding="utf-8")
    [error] = validate(corpus.root)[1].errors
    assert (error.path, error.line, error.col) == (folder, 1, 1) and "là một thư mục, không phải tệp" in error.message


# --- 12. The photo cap is GitHub's web-upload limit ---------------------------------------------

def test_the_photo_cap_is_githubs_upload_limit_everywhere_it_is_stated():
    assert photofile.MAX_BYTES == 25 * 1024 * 1024
    doc = schema.PHOTO.field("file").doc
    assert "tối đa 25 MB" in doc and "30 MB" not in doc
    for name in ("CONTRIBUTING.md", "README.md", "SECURITY.md", "content/README.md", "schema/entry.schema.json"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "25 MB" in text and "30 MB" not in text, name


def test_a_photo_over_the_cap_is_refused_before_it_is_read(corpus):
    path = corpus.add(SLUG, VALID_INITIATIVE + LISTED, group=GROUP, files={"anh-1.jpg": imaging.jpeg((64, 48))})
    with open(path.parent / "anh-1.jpg", "r+b") as f:
        f.truncate(photofile.MAX_BYTES + 1)  # sparse: nothing that big is written
    position, message = one_error(corpus, VALID_INITIATIVE + LISTED)
    assert position == at(VALID_INITIATIVE + LISTED, "anh-1.jpg") and "vượt giới hạn 25 MB" in message


# --- No traceback, whatever the file holds ------------------------------------------------------

HOSTILE = {
    "binary": bytes(range(256)) * 8,
    "one-huge-line": b"a" * 200_000,
    "huge-no-space": b"a:" * 100_000,
    "huge-nbsp-indent": ("place:\n" + "\u00a0" * 50_000 + "province: x\n").encode(),
    "many-unindented-lines": ("story: |\n" + "Một dòng chưa thụt vào\n" * 5_000).encode(),
    "curly-everywhere": ("“kind”: “a”\n«name»: « b\n‘c’:\n– d\n").encode(),
    "line-separators": VALID_INITIATIVE.replace("\n", "\u2028").encode() + "tên:x\u2028• y".encode(),
    "cr-only": VALID_INITIATIVE.replace("\n", "\r").replace("name: ", "name:").encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_give_positioned_messages_not_tracebacks(corpus, run_cli, name):
    path = corpus.add(SLUG, "", group=GROUP, files={"anh.jpg": HOSTILE[name][:5000]})
    path.write_bytes(HOSTILE[name])
    code, out, err = run_cli("validate", "--content", str(corpus.root))
    assert code == 1 and "Traceback" not in out + err
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines and all(re.match(r"^\S.*:\d+:\d+: (error|warning): ", line) for line in lines), out
