"""A content-addressed build cache, filled in parallel.

Each entry is a folder named by a key that hashes everything its files depend
on (the source bytes and the settings that made them), so an entry is never
stale: a changed photo or a changed setting simply asks for another key. An
entry is written into a temporary folder and renamed into place, so a crash
never leaves half an entry. Entries that the last successful run did not use
are pruned, which also makes a withdrawn photo's derivatives disappear.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

_STAT_INDEX = "file-hashes.json"


@dataclass(frozen=True)
class Job:
    key: str
    args: tuple  # passed to the worker function after the output folder


@dataclass(frozen=True)
class Failure:
    key: str
    message: str


class Store:
    def __init__(self, root: Path):
        self.root = root

    def entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    def has(self, key: str) -> bool:
        return self.entry(key).is_dir()

    def fill(self, jobs: list[Job], work: Callable, label: str, progress: bool) -> tuple[int, list[Failure]]:
        """Run `work(out_folder, *job.args)` for every job whose entry is missing.

        `work` is a module-level function (it crosses process boundaries); it
        raises `WorkError` for a problem in the input, reported per job.
        Returns how many jobs ran, and their failures.
        """
        missing = sorted({j.key: j for j in jobs if not self.has(j.key)}.values(), key=lambda j: j.key)
        if not missing:
            return 0, []
        self.root.mkdir(parents=True, exist_ok=True)
        calls = [(self.root, j.key, work, j.args) for j in missing]
        workers = min(os.cpu_count() or 1, len(missing))
        bar = _progress(len(missing), label, progress)
        failures = []
        try:
            if workers == 1:
                results = map(_run_one, calls)
            else:
                pool = ProcessPoolExecutor(max_workers=workers)
                results = pool.map(_run_one, calls, chunksize=1)
            for failure in results:
                bar.update(1)
                if failure is not None:
                    failures.append(failure)
        finally:
            if workers > 1:
                pool.shutdown(cancel_futures=True)
            bar.close()
        return len(missing), failures

    def prune(self, keep: set[str]) -> int:
        """Remove entries not in `keep`; returns how many were removed."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for shard in sorted(self.root.iterdir()):
            if not shard.is_dir():
                continue
            for entry in sorted(shard.iterdir()):
                if entry.name not in keep:
                    shutil.rmtree(entry, ignore_errors=True)
                    removed += 1
            if not any(shard.iterdir()):
                shard.rmdir()
        return removed


class WorkError(Exception):
    """The input of one job is unusable; the message is for editors."""


def _run_one(call) -> Failure | None:
    root, key, work, args = call
    final = root / key[:2] / key
    tmp = root / key[:2] / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        work(tmp, *args)
    except WorkError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return Failure(key, str(exc))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        os.replace(tmp, final)
    except OSError:  # another process finished the same entry first
        shutil.rmtree(tmp, ignore_errors=True)
    return None


def _progress(total: int, label: str, wanted: bool):
    from tqdm import tqdm

    # A bar only for people at a terminal: CI logs and pipes stay quiet.
    quiet = not wanted or not sys.stderr.isatty() or bool(os.environ.get("CI"))
    return tqdm(total=total, desc=label, unit=" ảnh", disable=quiet, leave=False, file=sys.stderr)


# --- Hashing source files, remembered by their stat -----------------------------------

class FileHashes:
    """SHA-256 of files, re-read only when size or mtime changed (like git's index)."""

    def __init__(self, folder: Path):
        self.path = folder / _STAT_INDEX
        try:
            self.known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.used: dict[str, list] = {}

    def digest(self, path: Path) -> str:
        st = path.stat()
        name = str(path.resolve())
        stamp = [st.st_size, st.st_mtime_ns]
        cached = self.known.get(name)
        if cached and cached[:2] == stamp:
            sha = cached[2]
        else:
            with open(path, "rb") as f:
                sha = hashlib.file_digest(f, "sha256").hexdigest()
        self.used[name] = [*stamp, sha]
        return sha

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.used, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


def key_of(*parts) -> str:
    """A cache key from JSON-serialisable parts."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
