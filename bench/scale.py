"""Benchmark: the whole build at N records, stage by stage, against the engine's own floor.

Not a test (timings are noisy); it prints figures. In one run it:

1. writes a synthetic corpus (`sovang demo --records N --photos-per-record K`);
2. runs each stage of the pipeline separately and times it: load + validate,
   share images cold and warm, page plan + Markdown, feed and open data,
   search index, writing the docs folder, MkDocs, and the link check;
3. reports peak memory (this process) and output bytes per record;
4. builds a bare MkDocs + Material site of as many minimal pages as ours, kept
   out of the navigation, in a fresh process: the floor of the engine we chose;
   and prints our warm build time divided by that floor;
5. runs `sovang build` as a publisher does, each in a process of its own: cold, full with warm
   caches, with nothing changed, after one record's change and after one record's deletion
   (incremental: engine.py); then `sovang serve` and the time from saving a record to the
   preview serving its new page (the quick page) and to the end of the whole run after it; each
   as a ratio to the floor.

Validation and Markdown run twice: cold (no memo) and warm (every record and
page unchanged, read back from the memos in the build cache, as on a rebuild).

    .venv/bin/python bench/scale.py [--records 10000] [--photos-per-record 2] [--keep DIR]
        [--no-share-cards] [--rebuilds-only] [--resume] [--no-full]

`--resume` (with `--keep` and `--rebuilds-only`) reuses a kept project whose cold build is done
and measures the rest: at 100,000 records the cold build alone takes most of a working session.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
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
        derived = clock.time("photos, cold", images.derive, corpus, cache, False)
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
    shutil.rmtree(work / "floor", ignore_errors=True)  # a resumed run's earlier floor
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


# --- Rebuilds: what a publisher waits for, through the CLI, as ratios to the floor -------------

# `sovang` in a process of its own, as a publisher runs it; without share images when asked (they
# cost ~9 ms a record cold: 15 minutes at 100,000, which would not fit a working session). The
# site's own card stays: the theme falls back to it.
_CLI = """\
import dataclasses, sys
sys.path.insert(0, {root!r})
if {no_cards!r}:
    from generator.media import cards
    _real = cards.derive
    cards.derive = lambda corpus, *a, **k: _real(dataclasses.replace(corpus, records=()), *a, **k)
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _sovang(project: Path, share_cards: bool, *args: str, wait: bool = True):
    argv = [sys.executable, "-c", _CLI.format(root=str(ROOT), no_cards=not share_cards), *args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not wait:  # its output to a file: a pipe nobody reads would fill and stop the server mid-line
        log = open(project / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 (closed with the process)
        return subprocess.Popen(argv, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"sovang {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def _mark(entry: Path, marker: str) -> str:
    """Prefix the record's summary with a marker of this run (a resumed run must not find the
    marker of an earlier one already in the page); returns the marker."""
    marker = f"{marker}-{time.time_ns()}"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace('summary: "', f'summary: "{marker} ', 1), encoding="utf-8")
    return marker


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


WHOLE_RUN_DONE = "Trang xem thử đã cập nhật sau"  # what `sovang serve` prints when an update's whole run ends


def preview_seconds(project: Path, share_cards: bool, entry: Path) -> tuple[float, float]:
    """From saving a record to the preview server serving its changed page (the quick page), and
    to the end of the whole incremental run that follows it."""
    port = _free_port()
    server = _sovang(project, share_cards, "serve", "--dev-addr", f"127.0.0.1:{port}", wait=False)
    try:
        deadline = time.monotonic() + 3600
        while _get(f"http://127.0.0.1:{port}/") is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"sovang serve did not start:\n{(project / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.2)
        time.sleep(1)  # the watcher is scheduled before the server answers; let it settle
        page = f"http://127.0.0.1:{port}/ho-so/{entry.parent.name}/"
        log = project / "serve.log"
        runs = log.read_text(encoding="utf-8").count(WHOLE_RUN_DONE)
        start = time.perf_counter()
        marker = _mark(entry, "Xem-thu-ngay")
        while marker not in (_get(page) or ""):
            if server.poll() is not None or time.perf_counter() - start > 3600:
                raise SystemExit(f"the preview never showed the change:\n{log.read_text()[-2000:]}")
            time.sleep(0.05)
        shown = time.perf_counter() - start
        while log.read_text(encoding="utf-8").count(WHOLE_RUN_DONE) == runs:
            if server.poll() is not None or time.perf_counter() - start > 3600:
                raise SystemExit(f"the preview's whole run never ended:\n{log.read_text()[-2000:]}")
            time.sleep(0.05)
        return shown, time.perf_counter() - start
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def rebuilds(work: Path, share_cards: bool, resume: bool = False, full: bool = True) -> list[tuple[str, float]]:
    """`sovang build` in a project of the demo: cold, warm and full, after one record's change and
    after one record's deletion; then the preview's save-to-page time. Resumed, the project's
    cold build is taken as done."""
    project = work / "rebuild"
    if not resume:
        project.mkdir()
        shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(ROOT / "theme", project / "theme")
        shutil.copytree(work / "content", project / "content")
    elif not (project / "site" / "index.html").exists():
        raise SystemExit(f"--resume: no built project in {project}")
    entries = sorted((project / "content").rglob("entry.yml"))
    rows: list[tuple[str, float]] = []

    def row(label: str, seconds: float) -> None:
        rows.append((label, seconds))
        print(f"  ({label}: {seconds:.2f} s)", flush=True)  # as it goes: a long run that fails keeps these

    if not resume:
        row("build, cold caches", _sovang(project, share_cards, "build"))
    if full:
        row("full build, warm caches", _sovang(project, share_cards, "build", "--full"))
    row("nothing changed", _sovang(project, share_cards, "build"))
    _mark(entries[len(entries) // 2], "Sua-mot-ho-so")
    row("one record changed", _sovang(project, share_cards, "build"))
    shutil.rmtree(entries[len(entries) // 3].parent)
    row("one record deleted", _sovang(project, share_cards, "build"))
    shown, whole = preview_seconds(project, share_cards, entries[len(entries) // 4])
    row("preview: save to page", shown)
    row("preview: save to whole run", whole)
    return rows


NOT_WARM = ("load + validate, cold", "photos, cold", "share images, cold", "Markdown, cold", "(link check alone)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--photos-per-record", type=int, default=0, metavar="K",
                        help="generated photos per record (sovang demo --photos-per-record), for the image stage")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temporary folder)")
    parser.add_argument("--no-share-cards", action="store_true",
                        help="skip the share images (cold, they cost ~10 ms a record a core; see docs/scaling.md)")
    parser.add_argument("--rebuilds-only", action="store_true",
                        help="only the CLI figures (build, one-record change and deletion, preview), not each stage")
    parser.add_argument("--resume", action="store_true",
                        help="with --keep and --rebuilds-only: reuse the kept project, its cold build done")
    parser.add_argument("--no-full", action="store_true", help="skip the full build with warm caches")
    args = parser.parse_args()
    if args.resume and not (args.keep and args.rebuilds_only):
        parser.error("--resume needs --keep and --rebuilds-only")
    work = args.keep or Path(tempfile.mkdtemp(prefix="sovang-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        if not args.resume:
            demo.write(work / "content", args.records, photos=args.photos_per_record)
        made = time.perf_counter() - started
        if not args.rebuilds_only:
            clock, site, n, pages, generated_peak = our_build(work, args.records, not args.no_share_cards)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # never forked from a larger one
        rows = rebuilds(work, not args.no_share_cards, args.resume, not args.no_full)
        if args.rebuilds_only:
            pages = sum(1 for _ in (work / "rebuild" / "build" / "docs").rglob("*.md"))
        floor, floor_peak = floor_build(work, pages)
        print(f"\n{args.records:,} records, {args.photos_per_record} photos each, {pages:,} pages, "
              f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
              f"{', no share images' if args.no_share_cards else ''}; "
              f"{'kept project resumed' if args.resume else f'demo written in {made:.1f} s'}")
        if not args.rebuilds_only:
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
            print(f"output: {size(site) / 1e6:,.1f} MB, {size(site) / args.records / 1024:,.1f} KB per record; "
                  f"record page HTML median {statistics.median(html) / 1024:.1f} KB")
        print(f"floor (bare MkDocs + Material, {pages:,} minimal pages out of nav): {floor:.2f} s, "
              f"{floor_peak:,.0f} MB")
        if not args.rebuilds_only:
            mkdocs = stages["MkDocs + link check"]
            print(f"stages / floor: whole build {warm / floor:.2f}x, MkDocs stage {mkdocs / floor:.2f}x")
        print("sovang (the CLI, one process each)         seconds   / floor")
        for label, seconds in rows:
            print(f"  {label:<38} {seconds:8.2f} s {seconds / floor:7.3f}x")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
