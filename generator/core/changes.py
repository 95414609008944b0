"""Which files a branch changed, from git: for `sovang validate --changed BASE` and `sovang changes`.

A pull request's check validates only the records it touches (plus the
cross-record rules between them and the rest), so editors get their answer
in seconds however large the roll is. The main branch runs the full check.
`loader.changed_records` maps these files to records.

`code_changed` tells the pull-request workflow whether a change is more than
records: most pull requests are an editor's record and photos, and those need
the records check and the preview, not the developers' test suite with its
browser (`.github/workflows/pr.yml`).

Standard library only: the workflow's first job runs `python -m generator changes`
on a bare Python, before anything is installed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

# What a pull request may change without the developers' test suite: records and their photos,
# below content/entries/ (the folders the records check validates whole). The rest of content/ is
# code here: the tests read content/taxonomy.yml (every test corpus copies it, and the test records
# use its keys), and content/README.md is generated from the schema, which tests/test_reference.py
# compares; an edit to either could break the suite for the next pull request that runs it.
RECORDS = ("content", "entries")


class ChangesError(Exception):
    """git could not answer; the message is for editors."""


def changed_files(folder: Path, base: str) -> set[Path]:
    """Files changed since the merge base of HEAD with `base`, uncommitted and untracked ones
    included, as absolute paths; `folder` is any folder of the working tree."""
    root = _git(folder, "rev-parse", "--show-toplevel").strip()
    return {(Path(root) / n).resolve() for n in changed_names(folder, base)}


def changed_names(folder: Path, base: str) -> set[str]:
    """`changed_files` as git names them: relative to the top of the working tree, with `/`."""
    merge_base = _git(folder, "merge-base", base, "HEAD").strip()
    # --no-renames: a file moved out of generator/ into content/ is a deletion in generator/ too.
    names = _git(folder, "diff", "--name-only", "-z", "--no-renames", merge_base, "--")
    names += _git(folder, "ls-files", "--others", "--exclude-standard", "-z", "--full-name")
    return {n for n in names.split("\0") if n}


def is_records(name: str) -> bool:
    """Whether a file git names (relative to the top, `/`-separated) is below content/entries/.

    Anything unusual is code, the side that runs every check: the folder itself, empty, `.` or
    `..` parts, a leading `/` (git prints none of these), `Content/` (another folder to git on Linux)."""
    parts = name.split("/")
    return (len(parts) > len(RECORDS) and tuple(parts[:len(RECORDS)]) == RECORDS
            and not {"", ".", ".."} & set(parts))


def code_changed(names: Iterable[str]) -> bool:
    """Whether any of these files is more than a record or its photos: generator/, theme/, tests/,
    mkdocs.yml, requirements.txt, pyproject.toml, Makefile, .github/, .ci/, bench/, docs/, the
    taxonomy and whatever a later change adds all count as code."""
    return any(not is_records(n) for n in names)


def _git(folder: Path, *args: str) -> str:
    try:
        # A contributor's file name need not be UTF-8: kept as surrogates (as os.listdir does), which the
        # loader reports as a name Windows cannot hold, instead of a UnicodeDecodeError here.
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False,
                              encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise ChangesError("không tìm thấy lệnh git; --changed cần git") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        if args[0] == "merge-base":
            raise ChangesError(f"không tìm thấy điểm chung giữa '{args[1]}' và nhánh hiện tại; kiểm tra tên "
                               "nhánh gốc, và khi chạy trên GitHub Actions hãy checkout với fetch-depth: 0")
        raise ChangesError(f"git {args[0]} thất bại: {detail}")
    return done.stdout
