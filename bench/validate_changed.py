"""Benchmark: `sovang validate --changed` against a full `validate`, on a large corpus.

Not a test; prints figures. Generates N records (`sovang demo`), commits them
to a throwaway git repository, changes three records on a branch, then times
both commands as an editor's pull request check runs them (a fresh process
each, so start-up and imports count), three runs each, best and median.

    .venv/bin/python bench/validate_changed.py [--records 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOVANG = [sys.executable, "-m", "generator"]


def run(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, done


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@invalid", *args], cwd=repo, check=True,
                   capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        seconds, done = run([*SOVANG, "demo", "--records", str(args.records), "--out", "content"], repo)
        assert done.returncode == 0, done.stderr
        print(f"corpus: {args.records} records written in {seconds:.1f} s; {os.cpu_count()} cores")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", ".")
        git(repo, "commit", "-qm", "corpus")
        git(repo, "checkout", "-qb", "pull-request")
        changed = sorted(repo.glob("content/entries/*/*/*/entry.yml"))[:: max(1, args.records // 3)][:3]
        for path in changed:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("summary: \"", "summary: \"Cập nhật — ", 1), encoding="utf-8")
        git(repo, "commit", "-qam", "three changes")

        timings = {}
        for label, extra in (("validate --changed main", ["--changed", "main", "--format", "github"]),
                             ("validate (full)", [])):
            runs = []
            for _ in range(args.runs):
                seconds, done = run([*SOVANG, "validate", "--content", "content", *extra], repo)
                assert done.returncode == 0, done.stdout + done.stderr
                runs.append(seconds)
            timings[label] = runs
            print(f"{label:26} best {min(runs):6.2f} s   median {statistics.median(runs):6.2f} s   "
                  f"({done.stderr.strip().splitlines()[-1]})")
        ratio = statistics.median(timings["validate (full)"]) / statistics.median(timings["validate --changed main"])
        best = min(timings["validate --changed main"])
        print(f"--changed is {ratio:.1f}× faster than the full check; "
              f"{'meets' if best < 2 else 'MISSES'} the 2 s goal ({best:.2f} s best)")


if __name__ == "__main__":
    main()
