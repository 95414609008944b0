"""Every validation rule: a failing fixture, the position reported and a message naming the problem.

Expected positions are computed from the fixture text (`at`), never copied
from the validator's output. Fixtures are the valid records of conftest with
one thing changed, and the offending line is never line 1.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import pytest
import yaml

from generator.records.places import CURRENT, LEGACY, era_of, folders, registry, resolve
from generator.diagnostics import Report
from generator.records.validate import Outcome
from generator.records.validate import check_not_future, validate

import imaging
from conftest import PHOTO, VALID_INITIATIVE, VALID_PERSON

SLUG = "ban-ghi"
GROUP = "ha-nam/thanh-liem"
JPEG = imaging.jpeg(size=(64, 48))


# --- helpers -----------------------------------------------------------------

def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in a fixture."""
    text = textwrap.dedent(text)
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def edit(text: str, old: str, new: str) -> str:
    """`text` with its single `old` replaced, so a fixture never silently stays valid."""
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def with_place(province: str, district: str | None = None, commune: str | None = None,
               date: str = "2022-12-31") -> str:
    place = f"place:\n  province: {province}\n"
    place += f"  district: {district}\n" if district else ""
    place += f"  commune: {commune}\n" if commune else ""
    text = edit(VALID_INITIATIVE, "place:\n  province: Hà Nam\n  district: Thanh Liêm\n", place)
    return edit(text, "date: 2022-12-31", f"date: {date}")


def folder_of(text: str) -> str:
    """Where the layout puts a fixture's record (its province's folder, else rules.province_folder
    warns); GROUP when its place does not resolve."""
    try:
        data = yaml.safe_load(textwrap.dedent(text))
        place, date = data["place"], dt.date.fromisoformat(str(data["date"]))
        found, _ = resolve(place["province"], place.get("district"), place.get("commune"), era_of(date))
    except Exception:  # noqa: BLE001 - a fixture that is broken on purpose
        return GROUP
    return "/".join(folders(found)) if found else GROUP


def run(corpus, text: str, slug: str = SLUG, group: str | None = None, files: dict | None = None):
    corpus.add(slug, text, group=group or folder_of(text), files=files)
    return validate(corpus.root)


def errors_for(corpus, text: str, **kw) -> list[tuple[int, int, str]]:
    """(line, col, message) of every error; a record with errors must be left out of the model."""
    model, report = run(corpus, text, **kw)
    errors = [(d.line, d.col, d.message) for d in report.errors]
    if errors:
        assert kw.get("slug", SLUG) not in [r.slug for r in model.records]
    return errors


def one_error(corpus, text: str, **kw) -> tuple[tuple[int, int], str]:
    errors = errors_for(corpus, text, **kw)
    assert len(errors) == 1, errors
    line, col, message = errors[0]
    return (line, col), message


def message_at(errors: list[tuple[int, int, str]], position: tuple[int, int]) -> str:
    found = [m for line, col, m in errors if (line, col) == position]
    assert found, f"no error at {position}: {errors}"
    return found[0]


def clean(corpus, text: str, **kw):
    """The record built from a fixture that must validate without any diagnostic."""
    model, report = run(corpus, text, **kw)
    assert [d.format() for d in report.items] == []
    [record] = [r for r in model.records if r.slug == kw.get("slug", SLUG)]
    return record


def diagnostics(report, root) -> list[tuple[str, int, int, str]]:
    """(path relative to the content folder, line, col, message) of every error."""
    return [(d.path.relative_to(root).as_posix(), d.line, d.col, d.message) for d in report.errors]


# --- the fixtures themselves ---------------------------------------------------

@pytest.mark.parametrize("text, kind", [(VALID_INITIATIVE, "initiative"), (VALID_PERSON, "person")])
def test_base_fixtures_validate_clean(corpus, text, kind):
    record = clean(corpus, text)
    assert record.kind == kind and record.fields


def test_record_with_an_error_is_left_out_of_the_model(corpus):
    corpus.add("tot", VALID_INITIATIVE)
    model, report = run(corpus, edit(VALID_INITIATIVE, "date: 2022-12-31", "date: 2022-13-01"))
    assert len(report.errors) == 1
    assert [r.slug for r in model.records] == ["tot"]


def test_all_problems_of_a_file_are_reported_in_one_run(corpus):
    text = edit(VALID_INITIATIVE, "kind: initiative", "kind: persen")
    text = edit(text, "date: 2022-12-31", "date: 5/7/2020")
    text = edit(text, "fields: [quoc-phong]", "fields: [moi-truong-xanh]")
    errors = errors_for(corpus, text)
    assert sorted((line, col) for line, col, _ in errors) == [at(text, "persen"), at(text, "5/7/2020"),
                                                               at(text, "moi-truong-xanh")]


def test_problems_of_every_file_are_reported_in_one_run(corpus):
    corpus.add("mot", edit(VALID_INITIATIVE, "kind: initiative", "kind: persen"))
    corpus.add("hai", edit(VALID_INITIATIVE, "date: 2022-12-31", "date: 5/7/2020"))
    model, report = validate(corpus.root)
    assert {p for p, *_ in diagnostics(report, corpus.root)} == {
        f"entries/{GROUP}/mot/entry.yml", f"entries/{GROUP}/hai/entry.yml"}
    assert model.records == ()


# --- 1, 2, 3: YAML syntax, tabs, duplicate keys ----------------------------------

def test_yaml_syntax_error_bad_indentation(corpus):
    text = edit(VALID_INITIATIVE, "  district: Thanh Liêm", " district: Thanh Liêm")
    position, message = one_error(corpus, text)
    assert position == at(text, "district")
    assert message.startswith("lỗi cú pháp YAML") and "thụt lề" in message


@pytest.mark.parametrize("old, new, culprit, word", [
    ("fields: [quoc-phong]", "fields: [quoc-phong", "[", "chưa được đóng"),
    ("name: Đường hoa quân sự", 'name: "Đường hoa quân sự', '"', "chưa được đóng"),
    ("date: 2022-12-31", "date 2022-12-31", "date", "thiếu dấu ':'"),
], ids=["unclosed-bracket", "unclosed-quote", "missing-colon"])
def test_yaml_syntax_error_is_reported_at_the_construct_at_fault(corpus, old, new, culprit, word):
    text = edit(VALID_INITIATIVE, old, new)
    position, message = one_error(corpus, text)
    assert message.startswith("lỗi cú pháp YAML") and word in message
    assert position == at(text, culprit)


@pytest.mark.parametrize("old, new", [
    ("  province: Hà Nam", "\tprovince: Hà Nam"),  # first key of a block indented with a tab
    ("  district: Thanh Liêm", "\tdistrict: Thanh Liêm"),  # a tab after a line at the same level
])
def test_tab_indentation(corpus, old, new):
    text = edit(VALID_INITIATIVE, old, new)
    position, message = one_error(corpus, text)
    assert position == at(text, "\t")
    assert message.startswith("lỗi cú pháp YAML") and "tab" in message


def test_tab_indentation_message_advises_spaces(corpus):
    text = edit(VALID_INITIATIVE, "  province: Hà Nam", "\tprovince: Hà Nam")
    _, message = one_error(corpus, text)
    assert "dấu cách" in message and "ngoặc kép" not in message


@pytest.mark.parametrize("text, key", [
    (VALID_INITIATIVE + "name: Đường hoa\n", "name"),
    (edit(VALID_INITIATIVE, "  district: Thanh Liêm\n", "  district: Thanh Liêm\n  province: Hà Nam\n"), "province"),
], ids=["top-level", "nested"])
def test_duplicate_key_is_reported_at_the_second_occurrence(corpus, text, key):
    position, message = one_error(corpus, text)
    assert position == at(text, f"{key}:", nth=2)
    assert f"'{key}'" in message and f"dòng {at(text, f'{key}:')[0]}" in message


# --- 4, 5, 6: unknown keys, missing keys, wrong types ---------------------------

def test_unknown_key_suggests_the_near_miss(corpus):
    text = VALID_INITIATIVE + "nmae: Đường hoa\n"
    position, message = one_error(corpus, text)
    assert position == at(text, "nmae")
    assert "'nmae'" in message and "'name'" in message


def test_unknown_nested_key_suggests_the_near_miss(corpus):
    text = edit(VALID_INITIATIVE, "  district:", "  distrct:")
    message = message_at(errors_for(corpus, text), at(text, "distrct"))
    assert "place.distrct" in message and "'district'" in message


def test_missing_required_key(corpus):
    text = "# Hồ sơ thử\n" + edit(VALID_INITIATIVE, "summary: Ba ki-lô-mét đường hoa trên trục ĐT 499B do Ban Chỉ huy "
                                                   "Quân sự huyện thực hiện.\n", "")
    position, message = one_error(corpus, text)
    assert position == at(text, "kind:")  # the record's mapping, which lacks the key
    assert "summary" in message and "thiếu khoá" in message


def test_missing_required_nested_key(corpus):
    text = VALID_INITIATIVE + edit(PHOTO, "    alt: Hai hàng hoa dọc con đường\n", "")
    position, message = one_error(corpus, text, files={"anh-1.jpg": JPEG})
    assert position == at(text, "file: anh-1.jpg")  # the photo item's mapping
    assert "photos[1].alt" in message


@pytest.mark.parametrize("old, new, needle, words", [
    ("name: Đường hoa quân sự", "name: [a, b]", "[a, b]", ["name", "đoạn chữ", "danh sách"]),
    ("fields: [quoc-phong]", "fields:\n  quoc-phong: true", "quoc-phong:", ["fields", "danh sách"]),
    ("fields: [quoc-phong]", "fields: quoc-phong", "quoc-phong", ["danh sách", "[quoc-phong]"]),
    ("place:\n  province: Hà Nam\n  district: Thanh Liêm", "place: Hà Nam", "Hà Nam", ["place", "bảng"]),
], ids=["list-for-text", "mapping-for-list", "scalar-for-list", "scalar-for-mapping"])
def test_wrong_type(corpus, old, new, needle, words):
    text = edit(VALID_INITIATIVE, old, new)
    position, message = one_error(corpus, text)
    assert position == at(text, needle)
    assert all(w in message for w in words), message


# --- 7: YAML 1.1 surprises -------------------------------------------------------

@pytest.mark.parametrize("value", ["no", "yes", "on", "1:20", "2020-01-01", "007"])
def test_unquoted_yaml11_value_in_text_field_must_be_quoted(corpus, value):
    text = edit(VALID_INITIATIVE, "name: Đường hoa quân sự", f"name: {value}")
    position, message = one_error(corpus, text)
    line, col = at(text, f"name: {value}")
    assert position == (line, col + len("name: "))
    assert f'"{value}"' in message and "ngoặc kép" in message


@pytest.mark.parametrize("value", ["no", "yes", "on", "1:20", "2020-01-01", "007"])
def test_quoted_yaml11_value_stays_text(corpus, value):
    record = clean(corpus, edit(VALID_INITIATIVE, "name: Đường hoa quân sự", f'name: "{value}"'))
    assert record.name == value


@pytest.mark.parametrize("value", ["yes", "no", '"true"', "1"])
def test_boolean_field_needs_true_or_false(corpus, value):
    text = edit(VALID_PERSON, "  name: true", f"  name: {value}")
    position, message = one_error(corpus, text)
    line, col = at(text, f"  name: {value}")  # consent.name
    assert position == (line, col + len("  name: "))
    assert "true" in message and "false" in message and value.strip('"') in message


# --- 8: dates ----------------------------------------------------------------------

@pytest.mark.parametrize("value, meant", [("5/7/2020", "2020-07-05"), ("25/12/2021", "2021-12-25"),
                                          ("03.09.2019", "2019-09-03")])
def test_day_month_year_date_suggests_iso(corpus, value, meant):
    text = edit(VALID_INITIATIVE, "date: 2022-12-31", f"date: {value}")
    position, message = one_error(corpus, text)
    assert position == at(text, value)
    assert f"'{value}'" in message and f"có phải ý bạn là {meant}" in message


def test_date_that_does_not_exist(corpus):
    text = edit(VALID_INITIATIVE, "date: 2022-12-31", "date: 2021-02-30")
    position, message = one_error(corpus, text)
    assert position == at(text, "2021-02-30")
    assert "2021-02-30" in message and "không tồn tại" in message


@pytest.mark.parametrize("value, bad", [("31/2/2021", "2021-02-31"), ("12/25/2021", "2021-25-12")])
def test_date_suggestion_is_a_real_date(corpus, value, bad):
    text = edit(VALID_INITIATIVE, "date: 2022-12-31", f"date: {value}")
    _, message = one_error(corpus, text)
    assert f"'{value}'" in message and bad not in message


# --- 9, 10, 11, 12: summary, kind, numbers, URLs ---------------------------------------

SUMMARY = "summary: Ba ki-lô-mét đường hoa trên trục ĐT 499B do Ban Chỉ huy Quân sự huyện thực hiện."


def test_summary_longer_than_300_characters(corpus):
    clean(corpus, edit(VALID_INITIATIVE, SUMMARY, "summary: " + "ư" * 300), slug="vua-du")  # characters, not bytes
    text = edit(VALID_INITIATIVE, SUMMARY, "summary: " + "ư" * 301)
    position, message = one_error(corpus, text)
    assert position == at(text, "ư" * 301)
    assert "summary" in message and "301" in message and "300" in message


@pytest.mark.parametrize("value", [
    "|\n  Đoạn một.\n\n  Đoạn hai.",
    "|-\n  Đoạn một.\n\n  Đoạn hai.",
    ">\n  Đoạn một.\n\n  Đoạn hai.",
    ">-\n  Đoạn một.\n\n  Đoạn hai.",  # the style the shipped records use
    "Đoạn một.\n\n  Đoạn hai.",
    '"Đoạn một.\n\n  Đoạn hai."',
], ids=["literal", "literal-strip", "folded", "folded-strip", "plain", "double-quoted"])
def test_summary_with_two_paragraphs(corpus, value):
    text = edit(VALID_INITIATIVE, SUMMARY, "summary: " + value)
    position, message = one_error(corpus, text)
    line, col = at(text, "summary: ")
    assert position == (line, col + len("summary: "))
    assert "summary" in message and "một đoạn văn" in message


def test_summary_on_several_lines_is_one_paragraph(corpus):
    text = edit(VALID_INITIATIVE, SUMMARY, "summary: >-\n  Dòng một\n  và dòng hai.")
    assert clean(corpus, text).summary == "Dòng một và dòng hai."


def test_kind_not_in_the_list_suggests_the_near_miss(corpus):
    text = edit(VALID_INITIATIVE, "kind: initiative\nname: Đường hoa quân sự\n",
                "name: Đường hoa quân sự\nkind: persen\n")
    position, message = one_error(corpus, text)
    assert position == at(text, "persen")
    assert "'persen'" in message and "'person'" in message


def test_ambiguous_thousands_separator_in_results(corpus):
    results = "results:\n  - label: Gạo tiết kiệm\n    value: {}\n    unit: kg\n"
    record = clean(corpus, VALID_INITIATIVE + results.format("2.1"), slug="thap-phan")
    assert record.results[0].value == 2.1
    text = VALID_INITIATIVE + results.format("3.450")
    position, message = one_error(corpus, text)
    assert position == at(text, "3.450")
    assert "3450" in message and "results[1].value" in message


def test_url_with_a_disallowed_scheme(corpus):
    sources = "sources:\n  - title: Bài báo\n    url: {}\n"
    record = clean(corpus, VALID_INITIATIVE + sources.format("https://baohanam.com.vn/bai"), slug="co-nguon")
    assert record.sources[0].url == "https://baohanam.com.vn/bai"
    text = VALID_INITIATIVE + sources.format("javascript:alert(1)")
    position, message = one_error(corpus, text)
    assert position == at(text, "javascript")
    assert "javascript:alert(1)" in message and "http" in message


# --- 13, 14: places in both eras -------------------------------------------------------

@pytest.mark.parametrize("province, district, commune, bad, words", [
    ("Ha Nam", "Thanh Liêm", None, "Ha Nam", ["'Hà Nam'"]),
    ("Hà Nam", "Thanh Liem", None, "Thanh Liem", ["'Thanh Liêm'"]),
    ("Hà Nam", "Tân Uyên", None, "Tân Uyên", ["Bình Dương", "Lai Châu"]),
    ("Hà Nam", "Thanh Liêm", "Không Có Thật", "Không Có Thật", ["'Không Có Thật'", "Thanh Liêm"]),
    ("Hà Nam", "Thanh Liêm", "Liêm Chính", "Liêm Chính", ["'Liêm Chính'", "Phủ Lý"]),  # a commune of another district
], ids=["province-without-diacritics", "district-without-diacritics", "district-of-other-provinces",
        "unknown-commune", "commune-of-another-district"])
def test_pre_reform_place_not_in_registry(corpus, province, district, commune, bad, words):
    text = with_place(province, district, commune)
    position, message = one_error(corpus, text)
    assert position == at(text, bad)
    assert all(w in message for w in words), message


def test_pre_reform_place_without_district(corpus):
    text = with_place("Hà Nam")
    position, message = one_error(corpus, text)
    assert position == at(text, "place:")
    assert "district" in message and "Thanh Liêm" in message  # lists the province's districts


@pytest.mark.parametrize("province, district, commune", [
    ("Tỉnh Hà Nam", "Huyện Thanh Liêm", None),
    ("hà nam", "thanh liêm", "Xã Thanh Hà"),
    ("Hà Nam", "Thanh Liêm", "Thanh Hà"),
])
def test_pre_reform_place_with_or_without_unit_words(corpus, province, district, commune):
    place = clean(corpus, with_place(province, district, commune)).place
    assert place.era == LEGACY
    assert (place.province.short, place.district.short) == ("Hà Nam", "Thanh Liêm")
    assert place.current_province.short == "Ninh Bình"
    assert (place.commune.short if place.commune else None) == (commune and "Thanh Hà")


def test_post_reform_old_province_names_the_new_one(corpus):
    text = with_place("Hà Nam", date="2025-08-15")
    position, message = one_error(corpus, text)
    assert position == at(text, "Hà Nam")
    assert "Ninh Bình" in message and "01/7/2025" in message


def test_post_reform_district_is_refused(corpus):
    text = with_place("Ninh Bình", "Thanh Liêm", date="2025-08-15")
    position, message = one_error(corpus, text)
    assert position == at(text, "Thanh Liêm")
    assert "district" in message and "không còn cấp huyện" in message


def test_post_reform_valid_place(corpus):
    reg = registry()
    [ninh_binh] = reg.current_provinces.find("Ninh Bình")
    [commune] = reg.current_communes[ninh_binh.code].find("Phủ Lý")
    place = clean(corpus, with_place("Ninh Bình", None, commune.short, date="2025-08-15")).place
    assert place.era == CURRENT and place.district is None
    assert place.province.short == "Ninh Bình" and place.commune.code == commune.code


def test_post_reform_unknown_commune(corpus):
    text = with_place("Ninh Bình", None, "Phu Ly", date="2025-08-15")
    position, message = one_error(corpus, text)
    assert position == at(text, "Phu Ly")
    assert "'Phu Ly'" in message and "Ninh Bình" in message and "'Phủ Lý'" in message


@pytest.mark.parametrize("date, province, district, era", [
    ("2025-06-30", "Hà Nam", "Thanh Liêm", LEGACY),
    ("2025-07-01", "Ninh Bình", None, CURRENT),
])
def test_reform_date_boundary_valid(corpus, date, province, district, era):
    assert clean(corpus, with_place(province, district, date=date)).place.era == era


@pytest.mark.parametrize("date, province, district, bad, word", [
    ("2025-06-30", "Ninh Bình", None, "place:", "thiếu district"),
    ("2025-07-01", "Hà Nam", None, "Hà Nam", "Ninh Bình"),
])
def test_reform_date_boundary_errors(corpus, date, province, district, bad, word):
    text = with_place(province, district, date=date)
    position, message = one_error(corpus, text)
    assert position == at(text, bad) and word in message


@pytest.mark.parametrize("province, district, commune, key, word", [
    ("[Hà Nam]", "Thanh Liêm", None, "province", "danh sách"),
    ("Hà Nam", "[Thanh Liêm]", None, "district", "danh sách"),
    ("Long An", "Kiến Tường", "1", "commune", '"1"'),  # "Phường 1" typed as a bare number
], ids=["province-list", "district-list", "commune-number"])
def test_badly_typed_place_value_is_reported_not_a_crash(corpus, province, district, commune, key, word):
    text = with_place(province, district, commune)
    position, message = one_error(corpus, text)
    line, col = at(text, f"  {key}: ")
    assert position == (line, col + len(f"  {key}: ")) and f"place.{key}" in message and word in message


# --- 15: field keys --------------------------------------------------------------------

@pytest.mark.parametrize("value", ["moi-truong-xanh", "Môi trường"])
def test_unknown_field_suggests_a_key(corpus, value):
    text = edit(VALID_INITIATIVE, "fields: [quoc-phong]", f"fields: [quoc-phong, {value}]")
    position, message = one_error(corpus, text)
    assert position == at(text, value)
    assert f"fields[2]" in message and f"'{value}'" in message and "'moi-truong'" in message


def test_unknown_field_after_a_duplicate_is_reported_at_its_own_line(corpus):
    text = edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields:\n  - quoc-phong\n  - quoc-phong\n  - moi-truong-xanh")
    message = message_at(errors_for(corpus, text), at(text, "moi-truong-xanh"))
    assert "fields[3]" in message and "'moi-truong-xanh'" in message


# --- 16, 17: slugs -------------------------------------------------------------------------

def test_duplicate_slugs_are_reported_on_each_file(corpus):
    corpus.add("duong-hoa", VALID_INITIATIVE, group="ha-nam/thanh-liem")
    corpus.add("duong-hoa", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Đường hoa thanh niên"), group="ha-nam/phu-ly")
    _, report = validate(corpus.root)
    a, b = "entries/ha-nam/thanh-liem/duong-hoa/entry.yml", "entries/ha-nam/phu-ly/duong-hoa/entry.yml"
    found = {path: (line, col, message) for path, line, col, message in diagnostics(report, corpus.root)}
    assert set(found) == {a, b} and len(report.errors) == 2
    for this, other in ((a, b), (b, a)):
        line, col, message = found[this]
        assert (line, col) == (1, 1) and "'duong-hoa'" in message and other in message


def test_duplicate_slugs_are_left_out_of_the_model(corpus):
    corpus.add("duong-hoa", VALID_INITIATIVE, group="ha-nam/thanh-liem")
    corpus.add("duong-hoa", VALID_INITIATIVE, group="ha-nam/phu-ly")
    model, report = validate(corpus.root)
    assert report.errors and model.records == ()


def test_invalid_slug_folder_name(corpus):
    position, message = one_error(corpus, VALID_INITIATIVE, slug="Duong_Hoa")
    assert position == (1, 1)  # the folder name, not a line of the file
    assert "'Duong_Hoa'" in message and "'duong-hoa'" in message


# --- 18: photos ----------------------------------------------------------------------------

def test_photo_file_missing(corpus):
    text = VALID_INITIATIVE + PHOTO
    position, message = one_error(corpus, text)
    assert position == at(text, "anh-1.jpg")
    assert "photos[1].file" in message and "'anh-1.jpg'" in message


def test_photo_file_present(corpus):
    record = clean(corpus, VALID_INITIATIVE + PHOTO, files={"anh-1.jpg": JPEG})
    assert [p.file for p in record.photos] == ["anh-1.jpg"]
    assert record.photos[0].alt == "Hai hàng hoa dọc con đường"


def test_photo_file_misspelt_suggests_the_file(corpus):
    text = VALID_INITIATIVE + PHOTO
    position, message = one_error(corpus, text, files={"anh-1.jpeg": JPEG})
    assert position == at(text, "anh-1.jpg") and "'anh-1.jpeg'" in message


def test_photo_listed_twice(corpus):
    text = VALID_INITIATIVE + PHOTO + PHOTO.removeprefix("photos:\n")
    position, message = one_error(corpus, text, files={"anh-1.jpg": JPEG})
    assert position == at(text, "anh-1.jpg", nth=2)
    assert "photos[2].file" in message and "'anh-1.jpg'" in message and "mục 1" in message


# --- 19: people ----------------------------------------------------------------------------

CONSENT = "consent:\n  name: true\n  story: true\n  given_by: self\n"


def test_person_without_consent(corpus):
    text = "# Hồ sơ thử\n" + edit(VALID_PERSON, CONSENT, "")
    position, message = one_error(corpus, text)
    assert position == at(text, "kind:")
    assert "consent" in message and "thiếu khoá" in message


def test_person_without_consent_to_the_name(corpus):
    text = edit(VALID_PERSON, "  name: true", "  name: false")
    position, message = one_error(corpus, text)
    assert position == at(text, "false")
    assert "consent.name" in message and "true" in message


def test_results_on_a_person(corpus):
    text = VALID_PERSON + "results:\n  - label: Số buổi tiếp dân\n    value: 40\n"
    position, message = one_error(corpus, text)
    assert position == at(text, "results:")
    assert "results" in message and "initiative" in message and "kind: person" in message


# A person whose age nobody stated: VALID_PERSON says `adult: true` instead of a birth year.
AGELESS_PERSON = edit(VALID_PERSON, "adult: true\n", "")


@pytest.mark.parametrize("born", [2004, 2005, 2010])  # recorded on 2020-07-05: perhaps 15 or younger
def test_possibly_under_16_needs_a_guardian(corpus, born):
    text = AGELESS_PERSON + f"birth_year: {born}\n"
    position, message = one_error(corpus, text)
    assert position == at(text, str(born))
    assert "birth_year" in message and "16" in message and "given_by: guardian" in message


@pytest.mark.parametrize("born, given_by", [(2003, "self"), (2005, "guardian")])
def test_old_enough_or_with_a_guardian(corpus, born, given_by):
    text = edit(AGELESS_PERSON, "given_by: self", f"given_by: {given_by}") + f"birth_year: {born}\n"
    assert clean(corpus, text).birth_year == born


def test_a_person_of_unknown_age_is_refused(corpus):
    # No birth year, no statement of age, no guardian: nothing says this is not a child.
    position, message = one_error(corpus, AGELESS_PERSON)
    assert position == at(AGELESS_PERSON, "consent:")
    assert "birth_year" in message and "adult: true" in message and "given_by: guardian" in message


def test_unknown_age_with_a_guardian_is_published(corpus):
    assert clean(corpus, edit(AGELESS_PERSON, "given_by: self", "given_by: guardian")).kind == "person"


def test_a_stated_adult_who_is_not_one(corpus):
    text = VALID_PERSON + "birth_year: 2010\n"
    position, message = one_error(corpus, text)
    assert position == at(text, "2010") and "adult: true" in message


def test_a_stated_child_needs_a_guardian(corpus):
    text = edit(VALID_PERSON, "adult: true", "adult: false")
    position, message = one_error(corpus, text)
    assert position == at(text, "false") and "given_by: guardian" in message


def after_reform(text: str, date: str) -> str:
    """The record dated `date` (from 01/7/2025) in a place of that era."""
    text = re.sub(r"date: \S+", f"date: {date}", text, count=1)
    return re.sub(r"place:\n(  .*\n)+", "place:\n  province: Ninh Bình\n", text, count=1)


@pytest.mark.parametrize("date", ["2099-01-01", "2030-06-15"])
def test_a_future_date_is_refused(corpus, date):
    # Dated 2099, a child born in 2015 would pass the under-16 rule on its own consent.
    text = after_reform(AGELESS_PERSON, date) + "birth_year: 2015\n"
    errors = [d for d in run(corpus, text)[1].errors if d.message.startswith("date:")]
    assert len(errors) == 1 and (errors[0].line, errors[0].col) == at(text, date)
    assert "chưa tới" in errors[0].message


def test_the_future_is_refused_even_when_remembered(corpus, tmp_path):
    # The memo keeps an outcome across days; the clock check runs after it, every time.
    corpus.add("ban-ghi", after_reform(VALID_INITIATIVE, "2099-12-31"))
    for _ in range(2):
        records, report = validate(corpus.root, memo=tmp_path / "memo.pickle")
        assert not records.records and any("chưa tới" in d.message for d in report.errors)
    assert report.remembered == 1


def test_the_clock_rule_compares_with_today(corpus):
    corpus.add("ban-ghi", VALID_INITIATIVE)
    (record,) = validate(corpus.root)[0].records
    outcome, report = Outcome(record, (), dated=(("date", record.date, 4, 7),)), Report()
    assert check_not_future([outcome], report, today=dt.date(2022, 12, 30))[0].record is None
    assert "chưa tới" in report.errors[0].message and "30/12/2022" in report.errors[0].message
    assert check_not_future([outcome], Report(), today=dt.date(2022, 12, 31))[0].record is record


def test_today_is_not_the_future(corpus):
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    assert clean(corpus, after_reform(VALID_INITIATIVE, today.isoformat())).date.first == today


# --- 20, 21: files and folders ----------------------------------------------------------------

@pytest.mark.parametrize("folder", [SLUG, "khac"], ids=["inside-a-record", "in-its-own-folder"])
def test_misnamed_entry_file(corpus, folder):
    corpus.add(SLUG, VALID_INITIATIVE)
    misnamed = corpus.root / "entries" / GROUP / folder / "entry.yaml"
    misnamed.parent.mkdir(exist_ok=True)
    misnamed.write_text(VALID_INITIATIVE, encoding="utf-8")
    model, report = validate(corpus.root)
    [(path, line, col, message)] = diagnostics(report, corpus.root)
    assert (path, line, col) == (f"entries/{GROUP}/{folder}/entry.yaml", 1, 1)
    assert "'entry.yaml'" in message and "'entry.yml'" in message
    assert [r.slug for r in model.records] == [SLUG]


def test_record_nested_inside_another_record(corpus):
    corpus.add("ngoai", VALID_INITIATIVE)
    corpus.add("trong", VALID_INITIATIVE, group=f"{GROUP}/ngoai")
    _, report = validate(corpus.root)
    [(path, line, col, message)] = diagnostics(report, corpus.root)
    assert path == f"entries/{GROUP}/ngoai/trong/entry.yml" and (line, col) == (1, 1)
    assert "(ngoai)" in message


def test_record_nested_inside_another_record_is_left_out_of_the_model(corpus):
    corpus.add("ngoai", VALID_INITIATIVE)
    corpus.add("trong", VALID_INITIATIVE, group=f"{GROUP}/ngoai")
    model, _ = validate(corpus.root)
    assert "trong" not in [r.slug for r in model.records]


# --- 22: what the strict YAML reader refuses ------------------------------------------------------

@pytest.mark.parametrize("text, needle, word", [
    ("", None, "trống"),
    ("# Chưa viết gì\n", None, "trống"),
    (VALID_INITIATIVE + "---\nkind: person\n", "---", "---"),
    (edit(VALID_INITIATIVE, "name: Đường hoa", "name: &ten Đường hoa"), "&ten", "&"),
    (VALID_INITIATIVE + "organization: *ten\n", "*ten", "*"),
    (VALID_INITIATIVE + "organization: !!python/object:os.system x\n", "!!python", "python/object"),
], ids=["empty", "only-comments", "second-document", "anchor", "alias", "tag"])
def test_refused_yaml(corpus, text, needle, word):
    position, message = one_error(corpus, text)
    assert position == (at(text, needle) if needle else (1, 1))
    assert word in message


def test_file_not_utf8(corpus):
    text = edit(VALID_INITIATIVE, "Đường hoa quân sự", "@@")
    path = corpus.add(SLUG, VALID_INITIATIVE)
    path.write_bytes(text.encode().replace(b"@@", b"\xff"))
    model, report = validate(corpus.root)
    [(_, line, col, message)] = diagnostics(report, corpus.root)
    assert (line, col) == at(text, "@@") and "UTF-8" in message
    assert model.records == ()


# --- more schema rules ---------------------------------------------------------------------

@pytest.mark.parametrize("text, needle, words", [
    (edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields: [quoc-phong, an-ninh-trat-tu, quoc-phong]"),
     ("quoc-phong", 2, 0), ["fields[3]", "'quoc-phong'", "mục 1"]),
    (edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields: []"), "[]", ["fields", "ít nhất 1"]),
    (edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields:\n  - quoc-phong\n  -"), ("  -\n", 1, 3), ["fields[2]", "trống"]),
    (VALID_INITIATIVE + "role: Chỉ huy trưởng\n", "role:", ["role", "person", "kind: initiative"]),
    (VALID_INITIATIVE + "birth_year: 1980\n", "birth_year:", ["birth_year", "person"]),
    (VALID_PERSON + "birth_year: 1850\n", "1850", ["1850", "1900"]),
    (VALID_PERSON + 'birth_year: "1980"\n', '"1980"', ["'1980'", "số nguyên"]),
    (VALID_PERSON + "birth_year: 2021\n", "2021", ["2021", "2020"]),
    (edit(VALID_PERSON, "given_by: self", "given_by: guardain"), "guardain", ["'guardain'", "'guardian'"]),
    (VALID_INITIATIVE + "results:\n  - label: Gạo\n    value: 2,5\n", "2,5", ["2.5"]),
    (edit(VALID_INITIATIVE, "name: Đường hoa", "name: Đường\u200bhoa"), "Đường", ["U+200B"]),
    (edit(VALID_INITIATIVE, "name: Đường hoa quân sự", "name: |\n  Đường hoa\n  quân sự"), "|", ["name", "một dòng"]),
    (edit(VALID_INITIATIVE, "name: Đường hoa quân sự", "name:"), "name:", ["name", "thiếu giá trị"]),
    (VALID_INITIATIVE + edit(PHOTO, "anh-1.jpg", "ảnh 1.jpg"), "ảnh 1.jpg", ["photos[1].file", "'ảnh 1.jpg'"]),
    (VALID_INITIATIVE + "sources:\n  - url: https://baohanam.com.vn/bai\n", "url:", ["sources[1].title"]),
    ("# Hồ sơ thử\n- kind: initiative\n", "- kind", ["bảng"]),
], ids=["duplicate-field", "no-field", "empty-item", "person-only-key", "person-only-birth-year", "year-range",
        "quoted-integer", "born-after-date", "choice-near-miss", "decimal-comma", "invisible-character",
        "text-on-two-lines", "empty-required-value", "photo-file-name", "missing-source-title", "root-not-mapping"])
def test_other_schema_rules(corpus, text, needle, words):
    needle, nth, shift = needle if isinstance(needle, tuple) else (needle, 1, 0)  # shift: columns to the value
    position, message = one_error(corpus, text, files={"anh-1.jpg": JPEG})
    line, col = at(text, needle, nth)
    assert position == (line, col + shift)
    assert all(w in message for w in words), message


# --- 23: the taxonomy -------------------------------------------------------------------------

def _fields_only(path) -> str:
    """The taxonomy without its programmes, so that what a test appends lands in `fields`."""
    text = path.read_text(encoding="utf-8")
    return text[:text.index("\nprogrammes:")].rsplit("\n\n", 1)[0] + "\n" if "\nprogrammes:" in text else text


def test_taxonomy_duplicate_key(corpus):
    path = corpus.root / "taxonomy.yml"
    text = _fields_only(path) + "  moi-truong:\n    name: Môi trường xanh\n"
    path.write_text(text, encoding="utf-8")
    corpus.add(SLUG, VALID_INITIATIVE)
    model, report = validate(corpus.root)
    [(where, line, col, message)] = diagnostics(report, corpus.root)
    assert where == "taxonomy.yml" and (line, col) == at(text, "moi-truong:\n    name: Môi trường xanh")
    assert "'moi-truong'" in message and f"dòng {at(text, '  moi-truong:')[0]}" in message
    assert model.records == ()


@pytest.mark.parametrize("entry, needle, words", [
    ("  Moi_Truong:\n    name: Môi trường\n", "Moi_Truong", ["'Moi_Truong'"]),
    ("  rac-thai:\n    description: Thu gom rác.\n", "description: Thu gom", ["fields.rac-thai.name"]),
], ids=["key-pattern", "term-without-name"])
def test_taxonomy_schema(corpus, entry, needle, words):
    path = corpus.root / "taxonomy.yml"
    text = _fields_only(path) + entry
    path.write_text(text, encoding="utf-8")
    _, report = validate(corpus.root)
    [(where, line, col, message)] = diagnostics(report, corpus.root)
    assert where == "taxonomy.yml" and (line, col) == at(text, needle)
    assert all(w in message for w in words), message


def test_taxonomy_empty(corpus):
    (corpus.root / "taxonomy.yml").write_text("# Danh mục\n", encoding="utf-8")
    _, report = validate(corpus.root)
    [(where, line, col, message)] = diagnostics(report, corpus.root)
    assert (where, line, col) == ("taxonomy.yml", 1, 1)
    assert "trống" in message and "kind" not in message


def test_taxonomy_missing(corpus):
    (corpus.root / "taxonomy.yml").unlink()
    corpus.add(SLUG, VALID_INITIATIVE)
    model, report = validate(corpus.root)
    [(where, line, col, message)] = diagnostics(report, corpus.root)
    assert (where, line, col) == ("taxonomy.yml", 1, 1) and "taxonomy.yml" in message
    assert model.records == ()


# --- the command line --------------------------------------------------------------------------

DIAGNOSTIC = re.compile(r"^content/entries/.+/entry\.yml:\d+:\d+: error: ")


def test_cli_validate_broken_corpus(corpus, run_cli, tmp_path):
    text = edit(VALID_INITIATIVE, "date: 2022-12-31", "date: 5/7/2020")
    corpus.add(SLUG, text)
    corpus.add("hai", edit(VALID_INITIATIVE, "kind: initiative", "kind: persen"))
    code, out, err = run_cli("validate", "--content", str(corpus.root), cwd=tmp_path)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2 and all(DIAGNOSTIC.match(line) for line in lines), out
    line, col = at(text, "5/7/2020")
    assert f"content/entries/{GROUP}/{SLUG}/entry.yml:{line}:{col}: error: date: " in out
    assert "Traceback" not in out + err and "2 lỗi" in err


def test_cli_validate_clean_corpus(corpus, run_cli, tmp_path):
    corpus.add(SLUG, VALID_INITIATIVE)
    code, out, err = run_cli("validate", "--content", str(corpus.root), cwd=tmp_path)
    assert (code, out) == (0, "") and "không có lỗi" in err


def test_cli_unknown_option(corpus, run_cli, tmp_path):
    code, out, err = run_cli("validate", "--content", str(corpus.root), "--khong-co", cwd=tmp_path)
    assert code == 2 and out == ""
    assert "tham số không hợp lệ: --khong-co" in err and "Traceback" not in err


def test_cli_content_folder_missing(run_cli, tmp_path):
    code, out, err = run_cli("validate", "--content", str(tmp_path / "khong-co"), cwd=tmp_path)
    assert code == 2 and out == ""
    assert "không tìm thấy thư mục nội dung" in err and "khong-co" in err


def test_person_story_without_consent_is_a_warning_and_is_not_published(corpus):
    text = edit(VALID_PERSON, "  story: true\n", "") + "story: Câu chuyện riêng tư.\n"
    model, report = run(corpus, text)
    assert report.errors == []
    [warning] = report.warnings
    assert (warning.line, warning.col) == at(text, "story:")
    assert "consent.story" in warning.message
    assert model.records[0].show_story is False
