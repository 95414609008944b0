"""Throwaway project folders for tests, and the guard that keeps the checkout as the tests found it.

A project folder holds what `sovang build` reads relative to its configuration:
a copy of mkdocs.yml (`docs_dir: build/docs`, the cache beside it, `site_dir: site`)
and of theme/, plus a content/ folder if asked for. Running the CLI with
`cwd=` such a folder (or `--config` its mkdocs.yml) keeps build/, site/ and the
memos there, never in the checkout: a developer's `make site` output survives
`make test`. `build_project` runs such a build in a fresh process.

`Checkout` snapshots the checkout at session start and lists what differs at
session end (tests/conftest.py fails the run then).

Importable from tests/ and tests/browser as `projects` (tests/ is on sys.path,
as for `imaging` and `hostile`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The sample roll the tests build: a frozen copy (tests/fixtures/README.md), not content/, which
# records-only pull requests change without running the tests.
CONTENT = ROOT / "tests" / "fixtures" / "sample"
SHIPPED = ROOT / "content"  # what the publisher ships; only tests/test_content.py reads it

# What a project folder needs besides content/: the MkDocs configuration and
# everything it refers to by a relative path.
PROJECT_FILES = ("mkdocs.yml", "theme")


def make_project(root: Path, content: Path | None = None, config_extra: str = "") -> Path:
    """A project folder at `root` (created): copies of mkdocs.yml and theme/, and of `content` as content/.

    `config_extra` is appended to mkdocs.yml (e.g. a site_url). Returns `root`.
    theme/ is copied, not linked, so that nothing done in the project reaches the checkout.
    """
    root.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    if config_extra:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + config_extra, encoding="utf-8")
    if content is not None:
        shutil.copytree(content, root / "content")
    return root


def subprocess_env(**extra: str) -> dict[str, str]:
    """os.environ with this checkout first on PYTHONPATH, plus `extra`.

    A `python -m generator` started from a project folder (outside the checkout)
    must import this checkout's generator/, and so must mkdocs.yml's
    `!!python/name:generator.vntext.toc_slugify`, not whatever `sovang` is
    installed in the virtualenv (an editable install may point at another
    checkout). Checked once per session.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.update(extra)
    _check_imports_this_checkout(env["PYTHONPATH"])
    return env


@functools.cache
def _check_imports_this_checkout(pythonpath: str) -> None:
    env = dict(os.environ, PYTHONPATH=pythonpath)
    done = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"],
                          cwd=tempfile.gettempdir(), env=env, capture_output=True, text=True, timeout=60, check=True)
    found = Path(done.stdout.strip()).resolve()
    assert found == ROOT / "generator" / "__init__.py", (
        f"a subprocess imports {found}, not this checkout's generator/ ({ROOT})")


BUILD_TIMEOUT_S = 900


def build_project(project: Path, *args: str, timeout: float = BUILD_TIMEOUT_S,
                  **env: str) -> subprocess.CompletedProcess:
    """`python -m generator build ARGS` in `project`, in a fresh process importing this checkout's generator.

    A separate process keeps MkDocs' global state and logging out of the test
    process. Fails the test (with the output) unless the build succeeds.
    """
    command = [sys.executable, "-m", "generator", "build", *args]
    try:
        done = subprocess.run(command, cwd=project, env=subprocess_env(**env), capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"sovang build took more than {timeout} s\n{exc.stdout or ''}\n{exc.stderr or ''}", pytrace=False)
    if done.returncode != 0:
        pytest.fail(f"sovang build failed (exit {done.returncode}): {' '.join(command)} in {project}\n"
                    f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}", pytrace=False)
    return done


# --------------------------------------------------------------------------- the checkout guard

# Trees of the checkout compared file by file (ignored by git or not): what a build,
# `make reference` or `make schema` writes, and what the tests read.
WATCHED = ("build", "site", "site.new", "site.old", "content", "schema", "docs", "theme")
# Written by the interpreter and by pytest itself, not by a test.
UNWATCHED_NAMES = {"__pycache__", ".pytest_cache"}
# Trees up to this size are hashed too; larger ones (a developer's big build/) by size and mtime.
HASH_LIMIT = 256 * 2**20


@dataclass(frozen=True)
class Entry:
    kind: str  # "file", "dir", "link", "other"
    size: int = 0
    mtime_ns: int = 0
    digest: str = ""


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _entry(path: Path, hashed: bool) -> Entry:
    st = path.lstat()
    if path.is_symlink():
        return Entry("link", digest=os.readlink(path))
    if path.is_dir():
        return Entry("dir")
    if path.is_file():
        return Entry("file", st.st_size, st.st_mtime_ns, _digest(path) if hashed else "")
    return Entry("other", st.st_size, st.st_mtime_ns)


def tree_snapshot(root: Path) -> dict[str, Entry]:
    """Every path under `root` (relative, POSIX) → its Entry; {} when `root` does not exist."""
    if not root.exists() and not root.is_symlink():
        return {}
    if root.is_symlink() or not root.is_dir():
        return {".": _entry(root, hashed=True)}
    paths = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in UNWATCHED_NAMES)
        paths.extend(Path(folder, n) for n in dirs + names)
    paths.sort()
    total = sum(p.lstat().st_size for p in paths if p.is_file() and not p.is_symlink())
    snapshot = {".": Entry("dir")}
    snapshot.update({p.relative_to(root).as_posix(): _entry(p, total <= HASH_LIMIT) for p in paths})
    return snapshot


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


class Checkout:
    """What the checkout looks like: watched trees, top-level names, `git status` and the changed files."""

    def __init__(self, root: Path = ROOT):
        self.root = root
        self.trees = {name: tree_snapshot(root / name) for name in WATCHED}
        self.top = sorted(p.name for p in root.iterdir() if p.name not in UNWATCHED_NAMES)
        self.status = _git("status", "--porcelain=v1", "-z", "--untracked-files=all")
        # Files git reports as changed or new: their bytes too, so a second change is seen.
        self.dirty = {}
        records = iter((self.status or "").split("\0"))
        for record in records:
            if record[:1] in ("R", "C"):
                next(records, None)  # a rename's or copy's source path follows
            if len(record) > 3 and (root / record[3:]).is_file():
                self.dirty[record[3:]] = _entry(root / record[3:], hashed=True)

    def differences(self, later: Checkout) -> list[str]:
        """What changed from this snapshot to `later`, one line per path."""
        lines = []
        for name in WATCHED:
            before, after = self.trees[name], later.trees[name]
            for rel in sorted(before.keys() | after.keys()):
                shown = name if rel == "." else f"{name}/{rel}"
                if rel not in after:
                    lines.append(f"removed: {shown}")
                elif rel not in before:
                    lines.append(f"created: {shown}")
                elif before[rel] != after[rel]:
                    lines.append(f"changed: {shown}")
        for name in sorted(set(self.top) ^ set(later.top)):
            lines.append(f"{'created' if name in later.top else 'removed'}: {name} (top level)")
        if self.status != later.status:
            old = set((self.status or "").split("\0")) - {""}
            new = set((later.status or "").split("\0")) - {""}
            lines += [f"git status: now {r!r}" for r in sorted(new - old)]
            lines += [f"git status: no longer {r!r}" for r in sorted(old - new)]
        for rel in sorted(self.dirty.keys() & later.dirty.keys()):
            if self.dirty[rel] != later.dirty[rel]:
                lines.append(f"changed again: {rel} (already changed before the run)")
        return lines
