"""Benchmark: the whole build at N records, stage by stage, against the engine's own floor.

Not a test (timings are noisy); it prints figures. In one run it:

1. writes a synthetic corpus (`sovang demo --records N`, no photos);
2. runs each stage of the pipeline separately and times it: load + validate,
   share images cold and warm, page plan + Markdown, feed and open data,
   search index, writing the docs folder, MkDocs, and the link check;
3. reports peak memory (this process) and output bytes per record;
4. builds a bare MkDocs + Material site of as many minimal pages as ours, kept
   out of the navigation, in a fresh process: the floor of the engine we chose;
   and prints our warm build time divided by that floor.

Validation and Markdown run twice: cold (no memo) and warm (every record and
page unchanged, read back from the memos in the build cache, as on a rebuild).

    .venv/bin/python bench/scale.py [--records 10000] [--keep DIR] [--no-share-cards]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

from generator.site import feed, opendata
from generator.core import collector, memo
from generator.media import cards, images
from generator.records import demo
from generator.site import links, search  # noqa: E402
from generator.site.output import sync  # noqa: E402
from generator.site.plan import Media, plan  # noqa: E402
from generator.site.render import Renderer  # noqa: E402
from generator.site.engine import build  # noqa: E402
from generator.records.validate import validate  # noqa: E402
from generator.site.publisher import DEFAULT as PUBLISHER  # noqa: E402

BRAND = {"brand": PUBLISHER.site_name, "tagline": PUBLISHER.tagline}

FLOOR_CONFIG = """\
site_name: Floor
docs_dir: docs
site_dir: site
theme:
  name: material
  language: vi
  font: false
  features: [navigation.tabs]
plugins: []
nav:
  - index.md
not_in_nav: |
  /p/
"""


class Clock:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float]] = []

    def time(self, label: str, fn, *args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        self.rows.append((label, time.perf_counter() - start))
        return result


def our_build(work: Path, records: int, share_cards: bool) -> tuple[Clock, Path, int, int, float]:
    docs, site = work / "docs", work / "site"
    demo.write(work / "content", records)
    clock = Clock()
    # As `sovang build` does, the generator's results are dropped before MkDocs runs.
    n = generate_docs(clock, work, share_cards)
    generated_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    project = work / "project"
    project.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.rmtree(project / "theme", ignore_errors=True)
    shutil.copytree(ROOT / "theme", project / "theme")
    clock.time("MkDocs + link check", build, project / "mkdocs.yml", docs, site)
    clock.time("(link check alone)", links.check, site)
    pages = sum(1 for _ in docs.rglob("*.md"))
    return clock, site, n, pages, generated_peak


def generate_docs(clock: Clock, work: Path, share_cards: bool) -> int:
    """The generator's stages, each timed; returns the number of records."""
    content, docs, cache = work / "content", work / "docs", work / "cache"
    # As generator.pipeline does: the collector is paused while the model is built (in validate),
    # then the model is frozen out of its collections while the later stages run.
    clock.time("load + validate, cold", validate, content, None, cache / memo.FILE)
    corpus, report = clock.time("load + validate, warm", validate, content, None, cache / memo.FILE)
    assert not report.errors and report.remembered == len(corpus.records), report.errors[:3]
    with collector.frozen():
        derived = clock.time("photos (none in the demo)", images.derive, corpus, cache, False)
        if share_cards:
            clock.time("share images, cold", cards.derive, corpus, derived, cache, False, **BRAND)
            shared = clock.time("share images, warm", cards.derive, corpus, derived, cache, False, **BRAND)
            by_slug, card_files = shared.by_slug, shared.files
        else:
            by_slug, card_files = {}, {}
        page_plan = clock.time("page plan", plan, corpus, Media(derived.renditions, by_slug))
        clock.time("Markdown, cold", Renderer().render_all, page_plan, cache / memo.PAGES)
        outputs = clock.time("Markdown, warm", Renderer().render_all, page_plan, cache / memo.PAGES)
        data = clock.time("feed + open data", lambda: {**opendata.open_data(corpus, None, derived.renditions),
                                                       **feed.atom_feed(corpus, None, derived.renditions)})
        page = opendata.open_data_page(corpus, opendata.open_data(corpus, None, derived.renditions))
        outputs.update(Renderer().render_all([page]))
        outputs.update(data)
        outputs.update(clock.time("search index", search.build, corpus, derived.renditions))
        clock.time("write docs", sync, outputs, docs, {**derived.files, **card_files})
    return len(corpus.records)


def floor_build(work: Path, records: int) -> tuple[float, float]:
    """Seconds and peak MB of a bare MkDocs + Material build of `records` minimal pages
    (plus the home page)."""
    docs = work / "floor" / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# Floor\n", encoding="utf-8")
    for i in range(records - 1):
        (docs / "p" / f"{i}.md").write_text(f"# Trang {i}\n\nMột đoạn văn ngắn của trang {i}.\n", encoding="utf-8")
    (work / "floor" / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    # In a process of its own that reports its own peak: VmHWM, as ru_maxrss is inherited
    # across fork and exec from this (larger) process.
    code = ("import re, sys; from mkdocs.__main__ import cli; "
            "sys.argv = ['mkdocs', 'build', '-q']\n"
            "try: cli()\nexcept SystemExit: pass\n"
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=work / "floor", check=True, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    seconds = time.perf_counter() - start
    return seconds, int(done.stdout.split()[-1]) / 1024


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


NOT_WARM = ("load + validate, cold", "share images, cold", "Markdown, cold", "(link check alone)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temporary folder)")
    parser.add_argument("--no-share-cards", action="store_true",
                        help="skip the share images (cold, they cost ~10 ms a record a core; see docs/scaling.md)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="sovang-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        clock, site, n, pages, generated_peak = our_build(work, args.records, not args.no_share_cards)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process: never forked from a larger one
        floor, floor_peak = floor_build(work, pages)
        print(f"\n{n:,} records, {pages:,} pages, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
              f"{', no share images' if args.no_share_cards else ''}")
        for label, seconds in clock.rows:
            print(f"  {label:<28} {seconds:8.2f} s")
        stages = dict(clock.rows)
        warm = sum(s for label, s in clock.rows if label not in NOT_WARM)
        html = [p.stat().st_size for p in (site / "ho-so").glob("*/index.html")]
        print(f"  {'whole build, warm caches':<28} {warm:8.2f} s")
        print(f"  {'plan + Markdown, cold/warm':<28} {stages['page plan'] + stages['Markdown, cold']:8.2f} s "
              f"/ {stages['page plan'] + stages['Markdown, warm']:.2f} s")
        print(f"peak memory: {peak:,.0f} MB (generator and MkDocs, one process; {generated_peak:,.0f} MB "
              f"before MkDocs)")
        print(f"output: {size(site) / 1e6:,.1f} MB, {size(site) / n / 1024:,.1f} KB per record; "
              f"record page HTML median {statistics.median(html) / 1024:.1f} KB")
        print(f"floor (bare MkDocs + Material, {pages:,} minimal pages out of nav): {floor:.2f} s, "
              f"{floor_peak:,.0f} MB")
        mkdocs = stages["MkDocs + link check"]
        print(f"ours / floor: whole build {warm / floor:.2f}x, MkDocs stage {mkdocs / floor:.2f}x")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
