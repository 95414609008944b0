"""Benchmark: `sovang validate` on a record with a very long story, against a normal one.

Not a test; prints figures. Each case is a content folder with the real taxonomy and one
valid person record whose story is one long word ('a' repeated): the input that made the
old e-mail pattern quadratic (100,000 characters took 50 s). The baseline is the same record
with a 2,000-character story, measured in the same run. Each case is timed as an editor's
pull-request check runs it (a fresh `sovang validate` process: start-up and imports count)
and in-process (`validate()` alone), best and median of --runs.

    .venv/bin/python bench/validate_story.py [--runs 5] [--old]

--old also times the pre-fix e-mail pattern alone on a 20,000-character story (the cap),
for comparison; on the longer stories it would run for minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.records import loader  # noqa: E402
from generator.records.validate import validate  # noqa: E402

RECORD = """\
kind: person
name: Nguyễn Thị Mỹ Hạnh
summary: Phó Bí thư Thường trực Đảng ủy phường Tân Phước Khánh.
date: 2020-07-05
place:
  province: Bình Dương
  district: Tân Uyên
  commune: Tân Phước Khánh
fields: [xay-dung-dang]
role: Phó Bí thư Thường trực Đảng ủy phường
birth_year: 1985
consent:
  name: true
  story: true
  given_by: self
story: |
  {story}
"""
CASES = (("baseline: story of 2,000 characters", 2_000),
         ("story of 100,000 characters", 100_000),
         ("story of 260,000 characters (file < cap)", 260_000),  # the largest story loader.py lets through
         ("story of 1 MB (1,000,000 characters)", 1_000_000))
# In-process only, with loader.py's cap lifted: what the cap saves (yamlstrict's own cap is 1,000,000 bytes).
UNCAPPED = ("story of 990,000 characters, no entry cap", 990_000)
OLD_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")  # generator/records/personal.py before the fix


def make_content(folder: Path, story_chars: int) -> Path:
    content = folder / "content"
    record = content / "entries" / "binh-duong" / "tan-uyen" / "nguyen-thi-my-hanh" / "entry.yml"
    record.parent.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yml", content / "taxonomy.yml")
    record.write_text(RECORD.format(story="a" * story_chars), encoding="utf-8")
    return content


def time_cli(content: Path) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "validate", "--content", str(content)],
                          cwd=content.parent, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    first = next((line for line in done.stdout.splitlines() if ": lỗi" in line or "error" in line.lower()), "")
    return seconds, first.split(": error: ", 1)[-1][:100] or "(no error)"


def time_in_process(content: Path) -> float:
    started = time.perf_counter()
    validate(content)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--old", action="store_true", help="also time the pre-fix e-mail pattern on 20,000 characters")
    args = parser.parse_args()
    print(f"{'case':40} {'file':>10}   {'sovang validate':>22}   {'validate() in-process':>24}")
    baseline = None
    for label, chars in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            content = make_content(Path(tmp), chars)
            size = sum(p.stat().st_size for p in content.rglob("entry.yml"))
            cli, first_error = zip(*(time_cli(content) for _ in range(args.runs)))
            inproc = [time_in_process(content) for _ in range(args.runs)]
        cli_median, in_median = statistics.median(cli), statistics.median(inproc)
        baseline = baseline or (cli_median, in_median)
        print(f"{label:40} {size:>8,} B   best {min(cli):5.3f} s med {cli_median:5.3f} s   "
              f"best {min(inproc) * 1000:6.1f} ms med {in_median * 1000:6.1f} ms")
        print(f"{'':40} vs baseline: CLI {cli_median - baseline[0]:+.3f} s, in-process "
              f"{(in_median - baseline[1]) * 1000:+.1f} ms; first message: {first_error[-1]}")
    label, chars = UNCAPPED
    with tempfile.TemporaryDirectory() as tmp:
        content = make_content(Path(tmp), chars)
        cap, loader.MAX_ENTRY_BYTES = loader.MAX_ENTRY_BYTES, 10**9
        try:
            inproc = [time_in_process(content) for _ in range(args.runs)]
        finally:
            loader.MAX_ENTRY_BYTES = cap
    print(f"{label:40} {'':>10}   {'(not run)':>22}   best {min(inproc) * 1000:6.1f} ms med "
          f"{statistics.median(inproc) * 1000:6.1f} ms")
    if args.old:
        story = "a" * 20_000
        started = time.perf_counter()
        OLD_EMAIL.search(story)
        print(f"pre-fix e-mail pattern alone on a 20,000-character story: {time.perf_counter() - started:.2f} s "
              "(quadratic: ×4 for each doubling)")


if __name__ == "__main__":
    main()
