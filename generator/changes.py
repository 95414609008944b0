"""Which records a branch changed, from git: for `sovang validate --changed BASE`.

A pull request's check validates only the records it touches (plus the
cross-record rules between them and the rest), so editors get their answer
in seconds however large the roll is. The main branch runs the full check.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .loader import ENTRY, entries_dir


class ChangesError(Exception):
    """git could not answer; the message is for editors."""


def changed_records(content: Path, base: str) -> set[Path] | None:
    """entry.yml files of the records changed since the merge base with `base`, including
    uncommitted and untracked files; None when everything must be checked (the taxonomy changed)."""
    root = _git(content, "rev-parse", "--show-toplevel").strip()
    merge_base = _git(content, "merge-base", base, "HEAD").strip()
    names = _git(content, "diff", "--name-only", "-z", "--no-renames", merge_base, "--")
    names += _git(content, "ls-files", "--others", "--exclude-standard", "-z", "--full-name")
    paths = {(Path(root) / n).resolve() for n in names.split("\0") if n}
    entries = entries_dir(content).resolve()
    if (content / "taxonomy.yml").resolve() in paths:
        return None
    records = set()
    for path in paths:
        if entries in path.parents:
            folder = _record_folder(path, entries)
            if folder is not None:
                records.add(folder / ENTRY)
    # Map back to the caller's spelling of the content path, which is how the loader names files.
    return {content / p.relative_to(content.resolve()) for p in records}


def _record_folder(path: Path, entries: Path) -> Path | None:
    """The record folder a changed file belongs to (its nearest folder holding entry.yml)."""
    for folder in [path.parent, *path.parent.parents]:
        if folder == entries or entries not in folder.parents:
            return None
        if (folder / ENTRY).is_file():
            return folder
    return None


def _git(content: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=content, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ChangesError("không tìm thấy lệnh git; --changed cần git") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        if args[0] == "merge-base":
            raise ChangesError(f"không tìm thấy điểm chung giữa '{args[1]}' và nhánh hiện tại; kiểm tra tên "
                               "nhánh gốc, và khi chạy trên GitHub Actions hãy checkout với fetch-depth: 0")
        raise ChangesError(f"git {args[0]} thất bại: {detail}")
    return done.stdout
