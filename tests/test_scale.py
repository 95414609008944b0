"""Scale, at small N: a record's HTML does not grow with the roll, and one change rewrites little."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from generator import pages as P
from generator.demo import write as write_demo
from generator.pipeline import generate
from generator.search import order

from conftest import ROOT


def test_one_record_change_rewrites_only_its_page_and_the_lists_that_show_it(tmp_path):
    content, docs = tmp_path / "content", tmp_path / "docs"
    write_demo(content, 200, seed=5)
    first = generate(content, docs, cache=tmp_path / "cache")
    record = order(first.corpus)[0]  # the oldest: not among the home page's latest
    entry = record.folder / "entry.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace('summary: "', 'summary: "Đã sửa: ', 1), encoding="utf-8")
    second = generate(content, docs, cache=tmp_path / "cache")
    p = record.place
    expected = {P.record_path(record), P.year_path(record.year), P.kind_path(record.kind),
                *(P.field_path(t) for t in record.fields),
                P.district_path(p.province, p.district) if p.district else P.current_province_path(p.province)}
    written = set(second.stats.written)
    assert {w for w in written if w.endswith(".md")} == expected
    # Besides Markdown: the open data, and the search index's manifest, one card and the shards of changed words.
    others = {w for w in written if not w.endswith(".md")}
    assert {"du-lieu/ho-so.json", "du-lieu/ho-so.csv", "tim/index.json"} <= others
    assert len(others) <= 8 and second.images_processed == 0


def build_demo(work: Path, records: int) -> Path:
    write_demo(work / "content", records, seed=9)
    project = work / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "theme").symlink_to(ROOT / "theme")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(work / "content")],
                          cwd=project, capture_output=True, text=True, timeout=900, env={"PYTHONPATH": str(ROOT),
                                                                                         "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


def test_html_per_record_does_not_grow_with_the_roll(tmp_path):
    sizes = {}
    for n in (40, 200):
        site = build_demo(tmp_path / str(n), n)
        pages = sorted((site / "ho-so").glob("*/index.html"))
        assert len(pages) == n
        sizes[n] = statistics.median(p.stat().st_size for p in pages)
    # Records differ in length; the median of the record pages stays put (no page lists the whole roll).
    assert abs(sizes[200] - sizes[40]) / sizes[40] < 0.05, sizes
