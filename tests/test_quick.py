"""The preview's quick page (engine.quick, pipeline.quick_pages): a saved record's page, built alone
before the whole run, is the page the whole build then makes, and nothing but the preview's own
folder is written to show it."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator import cli, pipeline
from generator.core.cache import _STAT_INDEX as STAT_INDEX
from generator.site import engine
from projects import CONTENT, make_project

EPOCH = 1_750_000_000
RECORDS = ("ha-nam/thanh-liem/duong-hoa-quan-su", "ha-nam/thanh-liem/hu-gao-tiet-kiem",
           "ha-nam/thanh-liem/cuu-chien-binh-thu-gom-rac-thai-tren-dong-ruong")
SAVED = RECORDS[0]
SLUG = "duong-hoa-quan-su"
PAGE = f"ho-so/{SLUG}/index.html"


def _project(root: Path) -> Path:
    project = make_project(root)
    (project / "content").mkdir()
    shutil.copy(CONTENT / "taxonomy.yml", project / "content" / "taxonomy.yml")
    for folder in RECORDS:
        shutil.copytree(CONTENT / "entries" / folder, project / "content" / "entries" / folder)
    return project


def _whole(project: Path, site: Path):
    docs = project / "build" / "docs"
    result = pipeline.generate(project / "content", docs)
    assert result.stats is not None
    engine.build(project / "mkdocs.yml", docs, site, epoch=EPOCH)
    return result


def _snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file's inode, modification time and bytes: a file written in place changes one."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _save(project: Path, old: str, new: str) -> None:
    entry = project / "content" / "entries" / SAVED / "entry.yml"
    text = entry.read_text(encoding="utf-8")
    assert old in text
    entry.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_quick_page_is_the_page_the_whole_build_makes(tmp_path):
    project = _project(tmp_path / "p")
    preview = project / "build" / "preview"
    before = _whole(project, preview)
    public = project / "site"
    engine.build(project / "mkdocs.yml", project / "build" / "docs", public, epoch=EPOCH)
    _save(project, "summary: >-\n", "summary: >-\n  Bản sửa xem nhanh.\n")
    docs = project / "build" / "docs"
    untouched = {folder: _snapshot(folder) for folder in (docs, project / "build" / "engine" / "site", public)}
    hashes = (project / "build" / "cache" / STAT_INDEX).read_bytes()  # the photos' hashes, all records'

    corpus, report = pipeline.check(project / "content", docs)
    assert not report.errors
    assert cli._saved_records(before.corpus, corpus) == [SLUG]
    made = pipeline.quick_pages(corpus, [SLUG], before, docs)
    assert list(made.pages) == [f"ho-so/{SLUG}/index.md"]
    placed = engine.quick(project / "mkdocs.yml", docs, made.pages, made.files, preview, epoch=EPOCH)
    quick = (preview / PAGE).read_bytes()
    assert PAGE in placed and "Bản sửa xem nhanh." in quick.decode("utf-8")
    # Only the preview changed: the docs, the working folder and the public site are as they were.
    for folder, files in untouched.items():
        assert _snapshot(folder) == files, folder
    assert (project / "build" / "cache" / STAT_INDEX).read_bytes() == hashes
    # The scratch folder keeps the theme's files, never the record's page (it may be withdrawn next).
    scratch = project / "build" / "engine" / "quick"
    assert scratch.is_dir() and not [p for p in scratch.rglob("*") if SLUG in p.as_posix()]

    _whole(project, preview)
    assert (preview / PAGE).read_bytes() == quick


def test_only_a_few_edited_records_get_quick_pages(tmp_path):
    project = _project(tmp_path / "p")
    docs = project / "build" / "docs"
    before, _ = pipeline.check(project / "content", docs)
    assert cli._saved_records(None, before) == []  # nothing to compare with: the first run
    assert cli._saved_records(before, before) == []  # nothing changed (the taxonomy, say)
    shutil.rmtree(project / "content" / "entries" / RECORDS[2])
    fewer, _ = pipeline.check(project / "content", docs)
    assert cli._saved_records(before, fewer) == []  # a deletion reaches every list: the whole run
    limit = cli.QUICK_RECORDS
    cli.QUICK_RECORDS = 0
    try:
        _save(project, "summary: >-\n", "summary: >-\n  Bản sửa.\n")
        edited, _ = pipeline.check(project / "content", docs)
        assert cli._saved_records(fewer, edited) == []
    finally:
        cli.QUICK_RECORDS = limit
    assert cli._saved_records(fewer, edited) == [SLUG]
