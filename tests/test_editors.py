"""Editors' tools: `sovang new`, annotations for pull requests, JSON output, `validate --changed`."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import imaging
from conftest import CONTENT, VALID_INITIATIVE, VALID_PERSON, Corpus
from generator.diagnostics import Diagnostic, Report
from generator.records import scaffold
from generator.records.rules import MAX_SLUG
from generator.records.validate import load_taxonomy, validate
from projects import make_project

ANNOTATION = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=[^:]+::(.*)$")


# --- sovang new ------------------------------------------------------------------------

NEW_CASES = {
    "initiative": ["--name", "Thắp sáng đường quê", "--summary", "Lắp 200 bóng đèn: đường làng sáng mỗi đêm",
                   "--date", "2023-05-01", "--province", "Quảng Ngãi", "--district", "Mộ Đức", "--commune", "Đức Nhuận",
                   "--fields", "moi-truong,nong-thon-moi"],
    "collective": ["--name", "Chi đoàn thôn 3", "--summary", "Chi đoàn tiêu biểu", "--date", "2025-09-01",
                   "--province", "Quảng Ngãi", "--fields", "tuyen-truyen"],
    "person": ["--name", "Nguyễn Văn A", "--summary", "Bí thư Chi đoàn giúp người nghèo", "--date", "2024-05-19",
               "--province", "Hà Nam", "--district", "Thanh Liêm", "--fields", "an-sinh-xa-hoi",
               "--consent", "name,story", "--adult"],
}


@pytest.mark.parametrize("kind", sorted(NEW_CASES))
def test_new_record_validates_clean(kind, corpus, run_cli):
    code, out, err = run_cli("new", kind, "--content", str(corpus.root), *NEW_CASES[kind])
    assert code == 0, err
    created = sorted((corpus.root / "entries").rglob("entry.yml"))
    assert len(created) == 1 and f"Đã tạo" in out
    model, report = validate(corpus.root)
    assert not report.items, [d.format() for d in report.items]
    (record,) = model.records
    assert record.kind == kind and record.name == NEW_CASES[kind][1]
    text = created[0].read_text(encoding="utf-8")
    assert "# " in text and "photos:" in text  # commented guidance for the optional keys


def test_new_chooses_a_unique_slug_and_the_place_folder(corpus, run_cli):
    args = NEW_CASES["initiative"]
    run_cli("new", "initiative", "--content", str(corpus.root), *args)
    corpus.add("thap-sang-duong-que-2", VALID_INITIATIVE, group="ha-nam/thanh-liem")
    # Another date: the same name and place on the same date would be the same record (refused below).
    code, out, _ = run_cli("new", "initiative", "--content", str(corpus.root),
                           *[a if a != "2023-05-01" else "2023-06-01" for a in args])
    assert code == 0 and "có thể trùng" in out and "thap-sang-duong-que/entry.yml" in out  # a warning only
    folders = sorted(p.parent.relative_to(corpus.root / "entries").as_posix()
                     for p in (corpus.root / "entries").rglob("entry.yml"))
    assert folders == ["ha-nam/thanh-liem/thap-sang-duong-que-2", "quang-ngai/mo-duc/thap-sang-duong-que",
                       "quang-ngai/mo-duc/thap-sang-duong-que-3"]


def test_new_person_needs_stated_consent(corpus, run_cli):
    args = [a for a in NEW_CASES["person"] if a not in ("--consent", "name,story")]
    code, _, err = run_cli("new", "person", "--content", str(corpus.root), *args)
    assert code == 1 and "--consent name" in err
    assert not list((corpus.root / "entries").rglob("entry.yml"))


def test_new_reports_a_wrong_place_in_vietnamese(corpus, run_cli):
    args = [a if a != "Mộ Đức" else "Mo Duc" for a in NEW_CASES["initiative"]]
    code, _, err = run_cli("new", "initiative", "--content", str(corpus.root), *args)
    assert code == 1 and "district" in err and "Mộ Đức" in err  # the suggestion


def test_new_without_a_terminal_lists_missing_flags(corpus, run_cli):
    code, _, err = run_cli("new", "initiative", "--content", str(corpus.root), "--name", "X")
    assert code == 2 and "--summary" in err and "--province" in err and "--fields" in err
    code, _, err = run_cli("new", "--content", str(corpus.root), *NEW_CASES["initiative"])
    assert code == 2 and "LOẠI" in err


def test_new_without_a_terminal_writes_nothing_and_points_at_the_line(corpus, run_cli, monkeypatch):
    # Not even for a moment: a record with an error of its own never reaches content/ (`make serve` watches it).
    monkeypatch.setattr(scaffold, "_write", lambda *a: pytest.fail("wrote a record with errors"))
    args = [a if a != "2023-05-01" else "1/5/2023" for a in NEW_CASES["initiative"]]
    code, _, err = run_cli("new", "initiative", "--content", str(corpus.root), *args)
    assert code == 1 and not list(corpus.root.rglob("entry.yml"))
    # The validator's own message, at the line and column the file would have.
    assert re.search(r"quang-ngai/mo-duc/thap-sang-duong-que/entry\.yml:\d+:7: error: date: '1/5/2023' không phải "
                     r"năm \(2022\).*có phải ý bạn là 2023-05-01\?", err), err
    assert "Hãy sửa: --date." in err


def test_new_refuses_the_same_record_twice_and_writes_nothing(corpus, run_cli):
    args = NEW_CASES["initiative"]
    assert run_cli("new", "initiative", "--content", str(corpus.root), *args)[0] == 0
    code, _, err = run_cli("new", "initiative", "--content", str(corpus.root), *args)
    assert code == 1 and "trùng hoàn toàn" in err and "Hãy sửa: --name." in err
    assert len(list(corpus.root.rglob("entry.yml"))) == 1
    assert sorted(p.name for p in (corpus.root / "entries/quang-ngai/mo-duc").iterdir()) == ["thap-sang-duong-que"]


@pytest.mark.parametrize("hostile", ['Tổ "Sạch": đẹp #1', "Cuối câu:", "- gạch", "[ngoặc]", "yes", "~", "a\\b"])
def test_new_writes_any_text_as_the_same_text(hostile, corpus, run_cli):
    args = [a if a != "Chi đoàn thôn 3" else hostile for a in NEW_CASES["collective"]]
    code, _, err = run_cli("new", "collective", "--content", str(corpus.root), *args)
    assert code == 0, err
    (record,) = validate(corpus.root)[0].records
    assert record.name == hostile


def test_new_refuses_undecodable_bytes_without_a_traceback(corpus, run_cli):
    args = [a if a != "Chi đoàn thôn 3" else "Chi đoàn \udcff" for a in NEW_CASES["collective"]]
    code, _, err = run_cli("new", "collective", "--content", str(corpus.root), *args)
    assert code == 1 and "U+DCFF" in err and "Hãy sửa: --name." in err
    assert not list(corpus.root.rglob("entry.yml"))


def test_new_keeps_a_suffixed_slug_within_the_folder_rule(corpus, run_cli):
    name = "Mô hình " + "rất " * 30 + "dài"
    args = [a if a != "Thắp sáng đường quê" else name for a in NEW_CASES["initiative"]]
    run_cli("new", "initiative", "--content", str(corpus.root), *args)
    code, out, err = run_cli("new", "initiative", "--content", str(corpus.root),
                             *[a if a != "2023-05-01" else "2023-06-01" for a in args])
    assert code == 0, err
    first, second = (p.parent.name for p in sorted(corpus.root.rglob("entry.yml"), key=lambda p: p.stat().st_mtime_ns))
    assert len(first) <= MAX_SLUG and len(second) <= MAX_SLUG and second == first[:MAX_SLUG - 2].rstrip("-") + "-2"


# --- sovang new on a terminal: each answer checked as it is given ------------------------------

class Terminal(io.StringIO):
    """Scripted answers on a stdin that says it is a terminal: input() reads them a line at a time,
    and raises EOFError (Ctrl-D) when they run out, or KeyboardInterrupt with `interrupt`."""

    def __init__(self, lines, interrupt=False):
        super().__init__("".join(f"{line}\n" for line in lines))
        self.interrupt = interrupt

    def isatty(self):
        return True

    def readline(self, *args):
        line = super().readline(*args)
        if not line and self.interrupt:
            raise KeyboardInterrupt
        return line


@pytest.fixture
def answer(corpus, run_cli, monkeypatch):
    """`sovang new ARGS` on a terminal with the scripted answers; (exit code, stdout, stderr)."""

    def run(lines, *args, interrupt=False):
        monkeypatch.setattr(sys, "stdin", Terminal(lines, interrupt))
        return run_cli("new", *args, "--content", str(corpus.root))

    return run


def flags(kind, *drop):
    """NEW_CASES[kind] without the flags named in `drop` (and their values)."""
    args, out = NEW_CASES[kind], []
    for flag, value in zip(args[::2], args[1::2]):
        if flag not in drop:
            out += [flag, value]
    return out + (["--adult"] if kind == "person" and "--adult" not in drop else [])


def asked_at_once(out):
    """The refused answers were asked again at their own question, not left to the last whole-record check."""
    return "Hồ sơ vẫn còn lỗi" not in out


def the_record(corpus):
    model, report = validate(corpus.root)
    assert not report.errors, [d.format() for d in report.errors]
    (record,) = model.records
    return record


def test_new_asks_a_bad_date_again(answer, corpus):
    code, out, err = answer(["19/5/2024", "2023-05-01"], "initiative", *flags("initiative", "--date"))
    assert code == 0, out + err
    assert out.count("Thời gian ghi danh") == 2 and asked_at_once(out)
    assert "Lỗi: date: '19/5/2024' không phải năm (2022), tháng (2022-12) hoặc ngày (2022-12-05)" in out and "có phải ý bạn là 2024-05-19?" in out
    assert the_record(corpus).date.isoformat() == "2023-05-01"


def test_new_enter_dates_the_record_today(answer, corpus):
    # Today is after the reform: a province and a commune of the 34 provinces.
    code, out, err = answer([""], "initiative", *flags("initiative", "--date", "--district", "--commune"),
                            "--commune", "Mộ Đức")
    assert code == 0, out + err
    assert the_record(corpus).date.first == dt.date.today() and the_record(corpus).date.precision == "day"


def test_new_asks_a_wrong_province_again_with_the_registry_suggestion(answer, corpus):
    # From the reform on: a province, then a commune directly (no district is asked).
    code, out, err = answer(["Quang Ngai", "Quảng Ngãi", "Mo Duc", "Mộ Đức"], "collective",
                            *flags("collective", "--province"))
    assert code == 0, out + err
    assert asked_at_once(out) and out.count("Tỉnh/thành phố") == 2 and "Lỗi: place.province: không có tỉnh/thành phố 'Quang Ngai'" in out
    assert "có phải ý bạn là 'Quảng Ngãi'?" in out
    assert "Lỗi: place.commune: Tỉnh Quảng Ngãi không có xã/phường/đặc khu 'Mo Duc'" in out
    assert "có phải ý bạn là 'Mộ Đức'?" in out and "Huyện" not in out
    place = the_record(corpus).place
    assert (place.province.short, place.district, place.commune.short) == ("Quảng Ngãi", None, "Mộ Đức")


def test_new_asks_province_district_commune_before_the_reform(answer, corpus):
    code, out, err = answer(["Hà Nam", "Thanh Liem", "Thanh Liêm", ""], "initiative",
                            *flags("initiative", "--province", "--district", "--commune"))
    assert code == 0, out + err
    assert asked_at_once(out) and "có phải ý bạn là 'Thanh Liêm'?" in out and out.count("Huyện/quận") == 2 and "Xã/phường/thị trấn" in out
    place = the_record(corpus).place
    assert (place.province.short, place.district.short, place.commune) == ("Hà Nam", "Thanh Liêm", None)


def test_new_asks_a_wrong_flag_again(answer, corpus):
    args = [a if a != "Mộ Đức" else "Mo Duc" for a in NEW_CASES["initiative"]]
    code, out, err = answer(["Mộ Đức"], "initiative", *args)
    assert code == 0, out + err
    assert "Lỗi: place.district: Tỉnh Quảng Ngãi không có đơn vị cấp huyện 'Mo Duc'" in out
    assert asked_at_once(out)  # a flag is checked when its turn comes
    assert the_record(corpus).place.district.short == "Mộ Đức"


def test_new_lists_the_fields_and_takes_numbers_or_keys(answer, corpus):
    terms = list(load_taxonomy(corpus.root, Report()).values())
    numbers = {t.key: i for i, t in enumerate(terms, start=1)}
    script = ["99", f"{numbers['moi-truong']}, nong-thon-moi, Giáo dục", f"{numbers['moi-truong']} {numbers['giao-duc']}"]
    code, out, err = answer(script, "initiative", *flags("initiative", "--fields"))
    assert code == 0, out + err
    for t in terms:  # numbered, with the Vietnamese name
        assert f"{numbers[t.key]:>2}. {t.name} ({t.key})" in out
    assert out.count("Các lĩnh vực") == 1 and asked_at_once(out)  # listed once, however often asked
    assert f"Không có lĩnh vực số 99; hãy chọn số từ 1 đến {len(terms)}" in out
    assert "lĩnh vực 'Giáo dục' không có trong mục fields của content/taxonomy.yml; có phải ý bạn là 'giao-duc'?" in out
    assert [t.key for t in the_record(corpus).fields] == ["moi-truong", "giao-duc"]


def test_new_asks_the_kind_in_vietnamese(answer, corpus):
    code, out, err = answer(["0", "4", "tập thể", ""], *flags("collective"))
    assert code == 0, out + err
    assert "1. Cá nhân\n  2. Tập thể\n  3. Mô hình" in out
    assert out.count("Chọn 1, 2 hoặc 3") == 3  # unknown numbers are asked again
    assert the_record(corpus).kind == "collective"


def test_new_asks_consent_as_yes_or_no_in_vietnamese(answer, corpus):
    script = ["", "true", "không", "Có", "n", "y"]  # "": no commune
    code, out, err = answer(script, "person", *flags("person", "--consent"))
    assert code == 0, out + err
    assert "Người được ghi danh đồng ý công bố họ tên? (c/k)" in out
    assert "Hãy trả lời c (có) hoặc k (không)." in out  # "true" is not an answer
    # "không" to the name is what the validator refuses: said in its words, and asked again.
    assert "Lỗi: consent.name: người được ghi danh chưa đồng ý công bố họ tên" in out
    assert out.count("đồng ý công bố họ tên?") == 3 and asked_at_once(out)
    consent = the_record(corpus).consent
    assert (consent.name, consent.photo, consent.story) == (True, False, True)


def test_new_a_twelve_year_old_needs_the_guardian(answer, corpus):
    # Born 2012, recorded 2024: possibly under 16 by the validator's own rule. Without the guardian's
    # consent the answers are refused and the age is asked again; with it, written.
    script = ["", "2012", "k", "2012", "c"]
    code, out, err = answer(script, "person", *flags("person", "--adult"))
    assert code == 0, out + err
    assert out.count("Năm sinh") == 2 and out.count("người giám hộ (cha, mẹ hoặc người đỡ đầu)") == 2
    assert "Lỗi: birth_year: người có thể chưa đủ 16 tuổi vào ngày ghi danh" in out and asked_at_once(out)
    assert "chắc chắn đã đủ" not in out  # adulthood is asked only without a birth year
    assert the_record(corpus).birth_year == 2012
    text = next(corpus.root.rglob("entry.yml")).read_text(encoding="utf-8")
    assert "\nbirth_year: 2012\n" in text and "\n  given_by: guardian\n" in text and "\nadult:" not in text


def test_new_an_adult_by_birth_year_is_asked_nothing_more(answer, corpus):
    code, out, err = answer(["", "1990"], "person", *flags("person", "--adult"))
    assert code == 0, out + err
    assert "giám hộ" not in out and "\n  given_by: self\n" in next(corpus.root.rglob("entry.yml")).read_text(encoding="utf-8")


@pytest.mark.parametrize("script, adult, guardian", [(["", "", "c"], True, False), (["", "", "k", "c"], False, True)])
def test_new_without_a_birth_year_asks_adulthood_then_the_guardian(script, adult, guardian, answer, corpus):
    code, out, err = answer(script, "person", *flags("person", "--adult"))
    assert code == 0, out + err
    text = next(corpus.root.rglob("entry.yml")).read_text(encoding="utf-8")
    assert ("\nadult: true\n" in text) == adult and ("\n  given_by: guardian\n" in text) == guardian
    assert "birth_year:" not in text.replace("# birth_year:", "")


def test_new_a_bad_birth_year_is_asked_again(answer, corpus):
    code, out, err = answer(["", "hai nghìn", "2030", "1990"], "person", *flags("person", "--adult"))
    assert code == 0, out + err
    assert "birth_year: cần một số nguyên" in out and "birth_year: năm sinh 2030 sau năm ghi danh 2024" in out
    assert out.count("Năm sinh") == 3 and asked_at_once(out)


def test_new_final_check_asks_again_only_the_answer_at_fault(answer, corpus):
    assert answer([], "initiative", *NEW_CASES["initiative"])[0] == 0  # every flag given: nothing asked
    code, out, err = answer(["Thắp sáng đường quê mới"], "initiative", *NEW_CASES["initiative"])
    assert code == 0, out + err
    # The same record again: only the rule across records sees it, once written; only the name is asked.
    assert "Hồ sơ vẫn còn lỗi; hỏi lại các mục sau:\n  Lỗi: name: hồ sơ trùng hoàn toàn" in out
    assert out.count("Tên mô hình:") == 1
    for other in ("Loại hồ sơ", "Thời gian ghi danh", "Tỉnh/", "Huyện/", "Xã/", "Lĩnh vực:", "Tóm tắt"):
        assert other not in out
    slugs = sorted(p.parent.name for p in corpus.root.rglob("entry.yml"))
    assert slugs == ["thap-sang-duong-que", "thap-sang-duong-que-moi"]


@pytest.mark.parametrize("interrupt", [False, True], ids=["ctrl-d", "ctrl-c"])
def test_new_stopped_midway_writes_nothing(interrupt, answer, corpus):
    code, out, err = answer(["1", "Nguyễn Văn Bình", "Giúp bạn nghèo", "2024-05-19", "Hà Nam"], interrupt=interrupt)
    assert code == 2 and "đã dừng; chưa tạo hồ sơ nào" in err and "Traceback" not in out + err
    assert "Huyện/quận" in out  # stopped at the district question
    assert sorted(p.relative_to(corpus.root).as_posix() for p in corpus.root.rglob("*")) == ["entries", "taxonomy.yml"]


def test_new_on_a_terminal_in_a_project_passes_validate(tmp_path, corpus, run_cli, monkeypatch):
    """An editor's whole session, in a throwaway project, then `sovang validate` on the result."""
    project = make_project(tmp_path / "project", content=corpus.root)
    script = ["1", "Nguyễn Thị Lan", "Giúp bạn học sinh nghèo trong xóm", "2024-05-19", "Ha Nam", "Hà Nam",
              "Thanh Liêm", "Thanh Hà", "6,10", "c", "k", "có", "2012", "c"]
    monkeypatch.setattr(sys, "stdin", Terminal(script))
    code, out, err = run_cli("new", "--content", "content", cwd=project)
    assert code == 0, out + err
    assert "Đã tạo content/entries/ha-nam/thanh-liem/nguyen-thi-lan/entry.yml" in out
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = run_cli("validate", "--content", "content", cwd=project)
    assert code == 0 and not out and "không có lỗi" in err
    text = (project / "content/entries/ha-nam/thanh-liem/nguyen-thi-lan/entry.yml").read_text(encoding="utf-8")
    assert text.startswith("# Hồ sơ Cá nhân mới, tạo bằng `sovang new`.") and "# photos:" in text
    assert "fields: [an-sinh-xa-hoi, giao-duc]" in text and "commune: Thanh Hà" in text


# --- --format github: one fixture per error class ---------------------------------------------

def at(text: str, needle: str) -> tuple[int, int]:
    for i, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if needle in line:
            return i, line.index(needle) + 1
    raise AssertionError(needle)


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


PHOTO = "photos:\n  - file: anh-1.jpg\n    caption: Đường hoa\n    credit: Việt Hà\n    alt: Hai hàng hoa\n"
GITHUB_CASES = {
    # class: (record text, files, needle whose position is expected)
    "yaml-syntax": (edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields: [quoc-phong"), None, "fields"),
    "duplicate-key": (VALID_INITIATIVE + "name: Lần nữa\n", None, "name: Lần nữa"),
    "unknown-key": (VALID_INITIATIVE + "nguoi_viet: An\n", None, "nguoi_viet"),
    "missing-key": (edit(VALID_INITIATIVE, "summary:", "sumary:"), None, "sumary"),
    "bad-type": (edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields: quoc-phong"), None, "quoc-phong"),
    "bad-date": (edit(VALID_INITIATIVE, "2022-12-31", "31/12/2022"), None, "31/12/2022"),
    "place": (edit(VALID_INITIATIVE, "district: Thanh Liêm", "district: Thanh Liem"), None, "Thanh Liem"),
    "field-key": (edit(VALID_INITIATIVE, "[quoc-phong]", "[quoc-phong, moi-truong-xanh]"), None, "moi-truong-xanh"),
    "photo-missing": (VALID_INITIATIVE + PHOTO, None, "anh-1.jpg"),
    "photo-format": (VALID_INITIATIVE + PHOTO, {"anh-1.jpg": imaging.GIF}, "anh-1.jpg"),
    "photo-gps": (VALID_INITIATIVE + PHOTO, {"anh-1.jpg": imaging.jpeg((64, 48), gps=True)}, "anh-1.jpg"),
    "consent": (edit(VALID_PERSON, "  name: true", "  name: false"), None, "false"),
    "child": (VALID_PERSON + "birth_year: 2010\n", None, "2010"),
    "story-without-consent": (edit(VALID_PERSON, "  story: true\n", "") + "story: Câu chuyện.\n", None, "story:"),
}


def annotations(out: str) -> list[tuple]:
    found = []
    for line in out.splitlines():
        m = ANNOTATION.match(line)
        assert m, line
        severity, file, line_no, col, message = m.groups()
        found.append((severity, file, int(line_no), int(col), message.replace("%0A", "\n").replace("%25", "%")))
    return found


@pytest.mark.parametrize("case", sorted(GITHUB_CASES))
def test_github_annotations_point_at_the_line(case, corpus, run_cli, monkeypatch):
    text, files, needle = GITHUB_CASES[case]
    group = "binh-duong/tan-uyen" if "person" in text else "ha-nam/thanh-liem"
    corpus.add("ban-ghi", text, group=group, files=files)
    monkeypatch.chdir(corpus.root.parent)  # annotations name files relative to the repository root
    code, out, _ = run_cli("validate", "--content", "content", "--format", "github")
    found = annotations(out)
    assert len(found) == 1, found
    severity, file, line, col, message = found[0]
    assert file == f"content/entries/{group}/ban-ghi/entry.yml"
    assert (line, col) == at(text, needle) or (case == "yaml-syntax" and line == at(text, needle)[0])
    assert severity == ("warning" if case == "story-without-consent" else "error")
    assert code == (0 if severity == "warning" else 1)
    # The same diagnostic as the text format, word for word.
    _, plain, _ = run_cli("validate", "--content", "content")
    assert plain.strip() == f"{file}:{line}:{col}: {severity}: {message}"


def test_duplicate_records_are_annotated_on_each_file(corpus, run_cli, monkeypatch):
    corpus.add("duong-hoa", VALID_INITIATIVE, group="ha-nam/thanh-liem")
    corpus.add("duong-hoa-2", VALID_INITIATIVE, group="ha-nam/phu-ly")
    corpus.add("duong-hoa-3", edit(VALID_INITIATIVE, "2022-12-31", "2021-05-01").replace("Đường hoa quân sự",
                                                                                         "Đường hoa Quân sự!"))
    monkeypatch.chdir(corpus.root.parent)
    _, out, _ = run_cli("validate", "--content", "content", "--format", "github")
    found = annotations(out)
    errors = [f for f in found if f[0] == "error"]
    warnings = [f for f in found if f[0] == "warning"]
    assert {f[1].split("/")[-2] for f in errors} == {"duong-hoa", "duong-hoa-2"}
    assert all("trùng hoàn toàn" in f[4] and (f[2], f[3]) == at(VALID_INITIATIVE, "name:") for f in errors)
    # Folded names ("Quân sự!" vs "quân sự"), same place, another date: a warning naming the others.
    assert len(warnings) == 3 and all("có thể trùng" in w[4] for w in warnings)
    assert any("duong-hoa-3" in w[4] for w in warnings)


def test_slug_and_file_name_errors_are_annotated(corpus, run_cli, monkeypatch):
    corpus.add("duong-hoa", VALID_INITIATIVE, group="ha-nam/thanh-liem")
    corpus.add("duong-hoa", edit(VALID_INITIATIVE, "quân sự", "thanh niên"), group="ha-nam/phu-ly")
    (corpus.root / "entries" / "ha-nam" / "entry.yaml").write_text("kind: person\n", encoding="utf-8")
    monkeypatch.chdir(corpus.root.parent)
    _, out, _ = run_cli("validate", "--content", "content", "--format", "github")
    found = annotations(out)
    assert ("error", "content/entries/ha-nam/entry.yaml", 1, 1) in {f[:4] for f in found}
    assert sum("tên thư mục hồ sơ 'duong-hoa' bị trùng" in f[4] for f in found) == 2


def test_annotation_escapes_newlines_and_commas_in_paths():
    d = Diagnostic(Path("content/a,b/entry.yml"), 3, 4, "error", "dòng 1\ndòng 2 100%")
    assert d.github(Path(".")) == "::error file=content/a%2Cb/entry.yml,line=3,col=4,title=Lỗi hồ sơ::dòng 1%0Adòng 2 100%25"


def test_json_format(corpus, run_cli):
    corpus.add("ban-ghi", edit(VALID_INITIATIVE, "district: Thanh Liêm", "district: Thanh Liem"))
    code, out, _ = run_cli("validate", "--content", str(corpus.root), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["version"] == 1 and data["checked"] == 1 and data["errors"] == 1
    (d,) = data["diagnostics"]
    assert d["severity"] == "error" and d["file"].endswith("ban-ghi/entry.yml")
    assert (d["line"], d["column"]) == at(VALID_INITIATIVE, "Thanh Liêm") and "Thanh Liêm" in d["message"]


# --- --changed ---------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    corpus = Corpus(root / "content")
    corpus.add("duong-hoa", VALID_INITIATIVE)
    corpus.add("hu-gao", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Hũ gạo tiết kiệm"))
    # Broken on main already: --changed must not report it on someone else's pull request.
    corpus.add("hong", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Camera an ninh").replace("Thanh Liêm", "Thanh Liem"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "pr")
    return corpus


def test_changed_checks_only_the_changed_records_and_their_cross_checks(repo, run_cli):
    root = repo.root.parent
    path = repo.root / "entries/ha-nam/thanh-liem/hu-gao/entry.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("2022-12-31", "2022-13-01"), encoding="utf-8")
    repo.add("duong-hoa-moi", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Đường hoa quân sự."))  # untracked
    code, out, err = run_cli("validate", "--content", "content", "--changed", "main", "--format", "github", cwd=root)
    found = annotations(out)
    files = {f[1].split("/")[-2] for f in found}
    assert files == {"hu-gao", "duong-hoa-moi"}  # not "hong", broken on main
    assert any("2022-13-01" in f[4] for f in found)
    near = [f for f in found if f[1].endswith("duong-hoa-moi/entry.yml")]
    assert near and "duong-hoa/entry.yml" in near[0][4] and near[0][0] == "warning"
    assert "Kiểm tra 2 hồ sơ đã đổi so với main" in err and code == 1


def test_changed_photo_rechecks_its_record(repo, run_cli):
    root = repo.root.parent
    folder = repo.root / "entries/ha-nam/thanh-liem/duong-hoa"
    (folder / "entry.yml").write_text(VALID_INITIATIVE + PHOTO, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "photo")
    (folder / "anh-1.jpg").write_bytes(imaging.jpeg((64, 48), gps=True))
    code, out, _ = run_cli("validate", "--content", "content", "--changed", "main", cwd=root)
    assert code == 1 and "duong-hoa/entry.yml" in out and "GPS" in out and "hong" not in out


def test_changed_taxonomy_checks_everything(repo, run_cli):
    root = repo.root.parent
    taxonomy = repo.root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, out, _ = run_cli("validate", "--content", "content", "--changed", "main", cwd=root)
    assert code == 1 and "hong/entry.yml" in out


def test_changed_with_an_unknown_base_is_a_usage_error(repo, run_cli):
    code, _, err = run_cli("validate", "--content", "content", "--changed", "khong-co", cwd=repo.root.parent)
    assert code == 2 and "fetch-depth: 0" in err and "Traceback" not in err


def test_changed_on_the_real_content_matches_full_validation():
    model, report = validate(CONTENT, {p for p in CONTENT.glob("entries/*/*/*/entry.yml")})
    assert not report.errors and len(model.records) == len(validate(CONTENT)[0].records)
