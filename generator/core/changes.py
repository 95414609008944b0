"""Which files a branch changed, from git: for `sovang validate --changed BASE`.

A pull request's check validates only the records it touches (plus the
cross-record rules between them and the rest), so editors get their answer
in seconds however large the roll is. The main branch runs the full check.
`loader.changed_records` maps these files to records.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class ChangesError(Exception):
    """git could not answer; the message is for editors."""


def changed_files(folder: Path, base: str) -> set[Path]:
    """Files changed since the merge base of HEAD with `base`, uncommitted and untracked ones
    included, as absolute paths; `folder` is any folder of the working tree."""
    root = _git(folder, "rev-parse", "--show-toplevel").strip()
    merge_base = _git(folder, "merge-base", base, "HEAD").strip()
    names = _git(folder, "diff", "--name-only", "-z", "--no-renames", merge_base, "--")
    names += _git(folder, "ls-files", "--others", "--exclude-standard", "-z", "--full-name")
    return {(Path(root) / n).resolve() for n in names.split("\0") if n}


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ChangesError("không tìm thấy lệnh git; --changed cần git") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        if args[0] == "merge-base":
            raise ChangesError(f"không tìm thấy điểm chung giữa '{args[1]}' và nhánh hiện tại; kiểm tra tên "
                               "nhánh gốc, và khi chạy trên GitHub Actions hãy checkout với fetch-depth: 0")
        raise ChangesError(f"git {args[0]} thất bại: {detail}")
    return done.stdout
