"""The record format says what sources say: dates as precise as known, unit names of their
time, replication (nhân rộng) and programmes. Each rule at its line and column.

Fixtures are the valid records of conftest with one thing changed; positions are computed
from the fixture text (`at`).
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.core.period import Period, parse, vi_period, vi_when
from generator.records.validate import validate

from conftest import VALID_INITIATIVE, VALID_PERSON
from test_validate_rules import at, clean, edit, errors_for, message_at, one_error, run

TAXONOMY_PROGRAMMES = """
programmes:
  chi-thi-05:
    name: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh
    description: Chỉ thị 05-CT/TW của Bộ Chính trị.
"""


def initiative(date: str = "2022-12-31", extra: str = "", slug_place: str = "") -> str:
    return edit(VALID_INITIATIVE, "date: 2022-12-31", f"date: {date}") + extra


def in_place(text: str, place: str) -> str:
    return edit(text, "place:\n  province: Hà Nam\n  district: Thanh Liêm\n", place)


# --- Dates as precise as the source ---------------------------------------------------

def test_period_parses_three_precisions_and_names_them():
    assert parse("2022") == Period(2022) and parse("2022-12") == Period(2022, 12)
    assert parse("2020-07-05") == Period(2020, 7, 5)
    assert parse("2022/12") is None and parse("22") is None
    with pytest.raises(ValueError):
        parse("2022-13")
    assert [vi_period(parse(t)) for t in ("2022", "2022-12", "2020-07-05")] == ["năm 2022", "tháng 12/2022", "05/07/2020"]
    assert vi_when(parse("2020-07-05")) == "ngày 05/07/2020" and vi_when(parse("2022")) == "năm 2022"
    assert Period(2022).first == dt.date(2022, 1, 1) and Period(2022).last == dt.date(2022, 12, 31)
    assert Period(2024, 2).last == dt.date(2024, 2, 29)
    assert sorted([Period(2022, 12), Period(2022), Period(2021, 12, 31)]) == [Period(2021, 12, 31), Period(2022), Period(2022, 12)]


@pytest.mark.parametrize("written, precision", [("2022", "year"), ("2022-12", "month"), ("2022-12-05", "day"),
                                                ('"2022"', "year")])
def test_a_date_is_as_precise_as_written(corpus, written, precision):
    record = clean(corpus, initiative(written))
    assert record.date.precision == precision and record.date.isoformat() == written.strip('"')


@pytest.mark.parametrize("written, tip", [("12/2022", "2022-12"), ("tháng 12 năm 2022", "2022-12"), ("2022-2", "2022-02")])
def test_a_month_written_another_way_is_refused_with_the_form_meant(corpus, written, tip):
    text = initiative(written)
    position, message = one_error(corpus, text)
    assert position == at(text, written) and f"có phải ý bạn là {tip}?" in message


def test_the_year_of_the_reform_needs_a_place_that_decides_its_era(corpus):
    # Quảng Ngãi is a province in both eras; without a district or a commune nothing says which.
    text = in_place(initiative("2025"), "place:\n  province: Quảng Ngãi\n")
    position, message = one_error(corpus, text, group="quang-ngai")
    assert position == at(text, "2025") and "có cả trước và sau 01/7/2025" in message and "2025-03" in message


def test_the_year_of_the_reform_takes_its_era_from_a_district_or_a_new_commune(corpus):
    before = clean(corpus, initiative("2025"))  # Hà Nam, Thanh Liêm: a district, so before the reform
    assert before.place.era == "legacy" and before.place.district.short == "Thanh Liêm"
    text = in_place(initiative("2025"), "place:\n  province: Ninh Bình\n  commune: Liêm Hà\n")
    after = clean(corpus, text, slug="sau-sap-xep", group="ninh-binh/liem-ha")
    assert after.place.era == "current" and after.place.commune.short == "Liêm Hà"


def test_a_month_of_2025_decides_the_era_alone(corpus):
    text = in_place(initiative("2025-09"), "place:\n  province: Quảng Ngãi\n")
    assert clean(corpus, text, group="quang-ngai").place.era == "current"


def test_the_future_rule_reads_the_first_day_of_a_period(corpus):
    # This year has days still to come, but its first day has passed: the youngest the
    # record's people could have been is on it. Next year has not begun.
    this_year = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().year
    now = in_place(initiative(str(this_year)), "place:\n  province: Ninh Bình\n  commune: Liêm Hà\n")
    corpus.add("nam-nay", now, group="ninh-binh/liem-ha")
    later = edit(now.replace(str(this_year), str(this_year + 1)), "Đường hoa quân sự", "Đường hoa quân sự mới")
    corpus.add("nam-sau", later, group="ninh-binh/liem-ha")
    model, report = validate(corpus.root)
    assert [r.slug for r in model.records] == ["nam-nay"]
    [error] = report.errors
    assert error.path.parent.name == "nam-sau" and (error.line, error.col) == at(later, str(this_year + 1))
    assert f"(năm {this_year + 1}) chưa tới" in error.message


def test_the_age_rule_reads_the_first_day_of_a_period(corpus):
    # Born 2006, dated "2022": on 1 January 2022 the person may have been 15.
    text = edit(edit(VALID_PERSON, "adult: true\n", "birth_year: 2006\n"), "date: 2020-07-05", "date: 2022")
    position, message = one_error(corpus, text, group="binh-duong/tan-uyen")
    assert position == at(text, "2006") and "người giám hộ" in message


# --- Unit names as written ------------------------------------------------------------

def test_a_district_written_with_the_unit_word_of_its_time_is_shown_as_written(corpus):
    text = edit(VALID_PERSON, "district: Tân Uyên", "district: thị xã Tân Uyên")
    record = clean(corpus, text, group="binh-duong/tan-uyen")
    assert record.place.district.name == "Thành phố Tân Uyên"  # the registry's, for indexes
    assert record.place.district_as_written == "Thị xã Tân Uyên"
    assert record.place.name_shown(record.place.district) == "Thị xã Tân Uyên"


def test_a_unit_word_of_the_registry_is_not_stored_twice(corpus):
    text = edit(VALID_PERSON, "district: Tân Uyên", "district: Thành phố Tân Uyên")
    assert clean(corpus, text, group="binh-duong/tan-uyen").place.district_as_written is None


@pytest.mark.parametrize("key, old, new, word", [
    ("district", "district: Tân Uyên", "district: Xã Tân Uyên", "'xã' không phải tên gọi của đơn vị cấp huyện"),
    ("district", "district: Tân Uyên", "district: Tỉnh Tân Uyên", "'tỉnh' không phải tên gọi của đơn vị cấp huyện"),
    ("commune", "commune: Tân Phước Khánh", "commune: Huyện Tân Phước Khánh", "'huyện' không phải tên gọi của đơn vị cấp xã"),
    ("commune", "commune: Tân Phước Khánh", "commune: Đặc khu Tân Phước Khánh", "không có đơn vị 'đặc khu'"),
])
def test_a_unit_word_that_is_no_unit_of_that_level_or_era_is_refused(corpus, key, old, new, word):
    text = edit(VALID_PERSON, old, new)
    position, message = one_error(corpus, text, group="binh-duong/tan-uyen")
    assert position == at(text, new.split(": ", 1)[1]) and message.startswith(f"place.{key}:") and word in message


# --- Replication ---------------------------------------------------------------------

def _model(name: str, date: str = "2022-12-31", extra: str = "") -> str:
    return edit(initiative(date), "Đường hoa quân sự", name) + extra


def test_a_replication_of_an_existing_model_validates_both_ways(corpus):
    corpus.add("goc", _model("Mô hình gốc", "2021"))
    record = clean(corpus, _model("Mô hình nhân rộng", "2022", "replicates: goc\n"), slug="nhan-rong")
    assert record.replicates == "goc"


def test_replicates_an_unknown_model(corpus):
    corpus.add("duong-hoa", _model("Mô hình gốc"))
    text = _model("Mô hình nhân rộng", extra="replicates: duong-hoaa\n")
    position, message = one_error(corpus, text, slug="nhan-rong")
    assert position == at(text, "duong-hoaa") and "không có hồ sơ nào" in message and "'duong-hoa'" in message


def test_replicates_a_record_that_is_not_a_model(corpus):
    corpus.add("mot-nguoi", VALID_PERSON, group="binh-duong/tan-uyen")
    text = _model("Mô hình nhân rộng", extra="replicates: mot-nguoi\n")
    position, message = one_error(corpus, text, slug="nhan-rong")
    assert position == at(text, "mot-nguoi") and "không phải mô hình" in message


def test_replicates_itself(corpus):
    text = _model("Mô hình", extra="replicates: ban-ghi\n")
    position, message = one_error(corpus, text)
    assert position == at(text, "ban-ghi") and "chính hồ sơ này" in message


def test_a_replication_cycle_is_refused_on_each_record(corpus):
    a = _model("Mô hình A", extra="replicates: mo-b\n")
    b = _model("Mô hình B", extra="replicates: mo-a\n")
    corpus.add("mo-a", a)
    corpus.add("mo-b", b)
    model, report = validate(corpus.root)
    found = {(d.path.parent.name, d.line, d.col) for d in report.errors if "vòng lặp" in d.message}
    assert found == {("mo-a", *at(a, "mo-b")), ("mo-b", *at(b, "mo-a"))}
    assert model.records == ()


def test_a_replication_older_than_its_original(corpus):
    corpus.add("goc", _model("Mô hình gốc", "2022-06"))
    text = _model("Mô hình nhân rộng", "2021", "replicates: goc\n")
    position, message = one_error(corpus, text, slug="nhan-rong")
    assert position == at(text, "goc\n") and "trước mô hình gốc" in message


def test_a_replication_in_the_same_year_as_its_original_is_not_older(corpus):
    corpus.add("goc", _model("Mô hình gốc", "2022-06-15"))
    clean(corpus, _model("Mô hình nhân rộng", "2022", "replicates: goc\n"), slug="nhan-rong")


def test_a_withdrawn_original_only_warns(corpus):
    corpus.add("goc", _model("Mô hình gốc", extra="withdrawn: true\nwithdrawn_reason: Đề nghị gỡ\n"))
    text = _model("Mô hình nhân rộng", extra="replicates: goc\n")
    model, report = run(corpus, text, slug="nhan-rong")
    assert report.errors == []
    assert any("đã được gỡ" in d.message for d in report.warnings)
    assert [r.slug for r in model.records] == ["nhan-rong"]


REPLICATED = """\
replicated_in:
  - count: 5
    note: 5 huyện trong tỉnh
  - place:
      province: Hà Nam
      district: Kim Bảng
    date: 2023
  - place: {province: Ninh Bình, commune: Liêm Hà}
    date: 2025-09
"""


def test_replicated_in_lists_places_and_counts_each_in_its_era(corpus):
    record = clean(corpus, _model("Mô hình", extra=REPLICATED))
    counted, before, after = record.replicated_in
    assert counted.count == 5 and counted.place is None and counted.note == "5 huyện trong tỉnh"
    assert before.place.era == "legacy" and before.place.district.short == "Kim Bảng" and before.date == Period(2023)
    assert after.place.era == "current" and after.place.commune.short == "Liêm Hà"


def test_an_undated_replication_place_is_checked_in_the_records_era(corpus):
    # The record is dated 2022: Ninh Bình's commune Liêm Hà did not exist yet, and a district is needed.
    text = _model("Mô hình", extra="replicated_in:\n  - place: {province: Hà Nam, district: Bình Lụcc}\n")
    position, message = one_error(corpus, text)
    assert position == at(text, "Bình Lụcc") and message.startswith("replicated_in[1].place.district:")


def test_a_replication_place_must_fit_the_era_of_its_date(corpus):
    text = _model("Mô hình", extra="replicated_in:\n  - place: {province: Hà Nam, district: Kim Bảng}\n    date: 2025-08\n")
    errors = errors_for(corpus, text)
    assert message_at(errors, at(text, "Kim Bảng")).startswith("replicated_in[1].place.district:")


def test_a_replication_without_place_or_count(corpus):
    text = _model("Mô hình", extra="replicated_in:\n  - note: nhiều nơi\n")
    position, message = one_error(corpus, text)
    assert position == at(text, "note: nhiều nơi") and "place" in message and "count" in message


def test_a_replication_dated_before_the_model(corpus):
    text = _model("Mô hình", "2022-12", "replicated_in:\n  - count: 3\n    date: 2021\n")
    position, message = one_error(corpus, text)
    assert position == at(text, "2021") and message.startswith("replicated_in[1].date:") and "trước khi mô hình" in message


def test_only_a_model_is_replicated(corpus):
    text = VALID_PERSON + "replicated_in:\n  - count: 3\n"
    errors = errors_for(corpus, text, group="binh-duong/tan-uyen")
    assert any(line == at(text, "replicated_in")[0] for line, _, _ in errors)


# --- Programmes ----------------------------------------------------------------------

def test_programmes_come_from_the_vocabulary(corpus):
    (corpus.root / "taxonomy.yml").write_text((corpus.root / "taxonomy.yml").read_text(encoding="utf-8")
                                              .split("\nprogrammes:")[0] + TAXONOMY_PROGRAMMES, encoding="utf-8")
    record = clean(corpus, initiative(extra="programmes: [chi-thi-05]\n"))
    assert [t.name for t in record.programmes] == ["Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"]
    text = initiative(extra="programmes:\n  - chi-thi-5\n")
    position, message = one_error(corpus, text, slug="khac")
    assert position == at(text, "chi-thi-5") and "programmes[1]: chương trình 'chi-thi-5'" in message
    assert "'chi-thi-05'" in message


def test_a_year_is_shown_as_a_year_and_never_as_a_day(corpus):
    from generator.core import urls
    from generator.site.plan import plan
    from generator.site.render import Renderer

    corpus.add("nam-2022", initiative("2022"))
    model, report = validate(corpus.root)
    assert not report.errors
    pages = Renderer().render_all(plan(model))
    page = pages[urls.record("nam-2022")]
    assert "ghi danh năm 2022" in page and ">năm 2022<" in page
    everything = "\n".join(pages.values())
    assert "năm 2022" in pages[urls.kind("initiative")]
    for day in ("01/01/2022", "31/12/2022", "1/1/2022", "2022-01-01", "2022-12-31"):
        assert day not in everything, day
