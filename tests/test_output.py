"""Writing generated pages: only changed files, stale files removed."""

from __future__ import annotations

import os

from generator.site.output import sync


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
