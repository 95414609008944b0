"""Writing generated pages: only changed files, stale files removed."""

from __future__ import annotations

import os

from generator.site.output import delete_stale, sync


def test_sync_writes_only_changes_and_removes_stale(tmp_path):
    docs = tmp_path / "docs"
    first = sync({"index.md": "a", "ho-so/x.md": "x", "ho-so/y.md": "y"}, docs)
    assert sorted(first.written) == ["ho-so/x.md", "ho-so/y.md", "index.md"]
    os.utime(docs / "ho-so/x.md", (1, 1))

    second = sync({"index.md": "a2", "ho-so/x.md": "x"}, docs)
    assert second.written == ("index.md",)
    assert second.deleted == ("ho-so/y.md",)
    assert second.unchanged == 1
    assert os.stat(docs / "ho-so/x.md").st_mtime == 1  # untouched file keeps its mtime
    assert not (docs / "ho-so/y.md").exists()


def test_sync_removes_emptied_folders(tmp_path):
    docs = tmp_path / "docs"
    sync({"index.md": "a", "nam/2020/index.md": "b"}, docs)
    sync({"index.md": "a"}, docs)
    assert not (docs / "nam").exists()
    assert (docs / "index.md").read_text() == "a"


def test_sync_leaves_no_temporary_files(tmp_path):
    docs = tmp_path / "docs"
    sync({"index.md": "Sổ vàng"}, docs)
    assert [p.name for p in docs.iterdir()] == ["index.md"]
    assert (docs / "index.md").read_text(encoding="utf-8") == "Sổ vàng"


def test_stale_files_go_and_only_emptied_folders_with_them(tmp_path):
    for rel in ("a/b/c/old.md", "a/b/kept.md", "a/gone/x/y.md", "d/old.md", "top.md", "e/f/kept.md", "e/old.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    (tmp_path / "empty" / "inner").mkdir(parents=True)  # an empty folder goes too
    keep = {"a/b/kept.md", "top.md", "e/f/kept.md"}
    assert delete_stale(tmp_path, keep) == ["a/b/c/old.md", "a/gone/x/y.md", "d/old.md", "e/old.md"]
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    # e/ lost its own file but keeps the folder holding a kept one; a/ likewise.
    assert left == ["a", "a/b", "a/b/kept.md", "e", "e/f", "e/f/kept.md", "top.md"]
