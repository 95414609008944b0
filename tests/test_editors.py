"""Editors' tools: `sovang new`, annotations for pull requests, JSON output, `validate --changed`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

import imaging
from conftest import CONTENT, VALID_INITIATIVE, VALID_PERSON, Corpus
from generator.diagnostics import Diagnostic
from generator.records.validate import validate

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
    run_cli("new", "initiative", "--content", str(corpus.root), *args[:-1], "moi-truong")
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
