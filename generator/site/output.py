"""Write generated pages into the docs folder, touching only what changed.

Unchanged files keep their bytes and mtime, so `mkdocs serve` and other
incremental tools see exactly the pages a change affects; files that no
longer correspond to a page (a deleted or renamed record) are removed.

Images come from the build cache. Their names carry a hash of their content,
so one already in place with the same size is the same image; new ones are
hard-linked from the cache (copied where links are impossible).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SyncStats:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int


def sync(pages: dict[str, str | bytes], docs: Path, files: dict[str, Path] | None = None) -> SyncStats:
    """Make `docs` hold exactly `pages` (text or bytes) and `files` (copies of cached files)."""
    files = files or {}
    docs.mkdir(parents=True, exist_ok=True)
    written = [rel for rel, data in sorted(pages.items())
               if _write_if_changed(docs / rel, data if isinstance(data, bytes) else data.encode("utf-8"))]
    written += [rel for rel, src in sorted(files.items()) if _place_if_missing(docs / rel, src)]
    deleted = delete_stale(docs, set(pages) | set(files))
    return SyncStats(tuple(sorted(written)), tuple(deleted), len(pages) + len(files) - len(written))


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # readers never see a half-written page
    return True


def _place_if_missing(path: Path, src: Path) -> bool:
    try:
        if path.stat().st_size == src.stat().st_size:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:  # another file system, or no hard links here
        shutil.copyfile(src, tmp)
    os.replace(tmp, path)
    return True


def delete_stale(docs: Path, keep: set[str]) -> list[str]:
    """Remove every file under `docs` whose relative path is not in `keep`, and emptied folders."""
    deleted = []
    for folder, dirs, files in os.walk(docs, topdown=False):
        here = Path(folder)
        for name in files:
            rel = (here / name).relative_to(docs).as_posix()
            if rel not in keep:
                (here / name).unlink()
                deleted.append(rel)
        if here != docs and not any(here.iterdir()):
            here.rmdir()
    return sorted(deleted)
