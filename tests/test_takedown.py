"""Takedown: `withdrawn: true` (with a reason) or a deleted folder leaves no trace in the built site."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.records.validate import validate
from imaging import jpeg

from conftest import VALID_INITIATIVE, VALID_PERSON

NAME = "Trần Thị Gỡ Bỏ"
SLUG = "tran-thi-go-bo"
PERSON = VALID_PERSON.replace("Nguyễn Thị Mỹ Hạnh", NAME).replace("  story: true\n", "  story: true\n  photo: true\n") + """\
photos:
  - file: anh.jpg
    caption: Chị tại buổi lễ
    credit: Việt Hà
    alt: Người phụ nữ cầm giấy khen
"""
WITHDRAWN = "withdrawn: true\nwithdrawn_reason: Người được ghi danh đề nghị gỡ ngày 02/3/2026\n"


def add_person(corpus, text: str = PERSON) -> Path:
    return corpus.add(SLUG, text, group="binh-duong/tan-uyen", files={"anh.jpg": jpeg(seed=7)})


def traces(folder: Path) -> list[str]:
    """Files under `folder` that name the person, by name or by slug (in their path or their bytes)."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if SLUG in path.as_posix() or NAME.encode() in data or SLUG.encode() in data:
            found.append(path.relative_to(folder).as_posix())
    return found


def build(run_cli, corpus, work: Path, project: Path) -> Path:
    site = work / "site"
    code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert code == 0, out + err
    return site


def test_withdrawn_record_and_everything_derived_from_it_disappear(corpus, run_cli, project, tmp_path):
    corpus.add("duong-hoa", VALID_INITIATIVE)
    path = add_person(corpus)
    site = build(run_cli, corpus, tmp_path, project)
    published = traces(site)
    # Page, photo derivatives, share card, feed, open data, finder cards: all there first.
    for expected in (f"ho-so/{SLUG}/index.html", "feed.xml", "du-lieu/ho-so.json", "du-lieu/ho-so.csv"):
        assert expected in published
    assert any(p.endswith(".webp") for p in published) and any(p.startswith("tim/the/") for p in published)

    path.write_text(path.read_text(encoding="utf-8") + WITHDRAWN, encoding="utf-8")
    site = build(run_cli, corpus, tmp_path, project)
    assert traces(site) == []
    assert traces(project / "build" / "docs") == []
    assert (site / "ho-so" / "duong-hoa" / "index.html").is_file()  # the rest of the roll stays


def test_deleted_folder_leaves_no_trace(corpus, run_cli, project, tmp_path):
    corpus.add("duong-hoa", VALID_INITIATIVE)
    path = add_person(corpus)
    build(run_cli, corpus, tmp_path, project)
    shutil.rmtree(path.parent)
    assert traces(build(run_cli, corpus, tmp_path, project)) == []


def test_a_withdrawn_record_needs_a_reason_but_goes_anyway(corpus):
    # The reason is asked for, but a takedown without one must not keep the person online.
    path = add_person(corpus, PERSON + "withdrawn: true\n")
    model, report = validate(corpus.root)
    [warning] = report.warnings
    line = PERSON.count("\n") + 1
    assert (warning.path, warning.line, warning.col) == (path, line, 1)
    assert "withdrawn_reason" in warning.message
    assert not report.errors and model.records == () and report.withdrawn == 1


def test_a_reason_without_withdrawn_is_a_warning_and_the_record_stays(corpus):
    add_person(corpus, PERSON + "withdrawn_reason: Chưa quyết định\n")
    corpus_model, report = validate(corpus.root)
    assert not report.errors and [w.message.split(":")[0] for w in report.warnings] == ["withdrawn_reason"]
    assert [r.slug for r in corpus_model.records] == [SLUG]


def test_withdrawing_consent_never_blocks_the_takedown(corpus):
    add_person(corpus, PERSON.replace("  name: true", "  name: false") + WITHDRAWN)
    model, report = validate(corpus.root)
    assert not report.errors and model.records == () and report.withdrawn == 1
