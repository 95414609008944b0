"""Scale, at small N: a record's HTML does not grow with the roll, one change rewrites little, long lists are paged."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.site import order as ordering
from generator.site import plan as P
from generator.core import urls
from generator.records.demo import write as write_demo
from generator.pipeline import generate
from generator.records.schema import KINDS
from generator.site.search import order
from generator.records.validate import validate

from conftest import ROOT
from projects import make_project


def test_one_record_change_rewrites_only_its_page_and_the_lists_that_show_it(tmp_path):
    content, docs = tmp_path / "content", tmp_path / "docs"
    write_demo(content, 200, seed=5)
    first = generate(content, docs, cache=tmp_path / "cache")
    record = order(first.corpus)[0]  # the oldest: not among the home page's latest
    entry = record.folder / "entry.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace('summary: "', 'summary: "Đã sửa: ', 1), encoding="utf-8")
    second = generate(content, docs, cache=tmp_path / "cache")
    lists = {page.path for page in P.plan(second.corpus) if any(r.slug == record.slug for r in listed(page))}
    p = record.place
    # The record's year, kind, field and district lists, each on the one page of the list that shows it.
    firsts = {urls.year(record.year), urls.kind(record.kind), *(urls.field(t.key) for t in record.fields),
              P.district_path(p.province, p.district), urls.book_district(p.province.slug, p.district.slug)}
    assert len(lists) == len(firsts) and all(any(urls.paged(f, n) in lists for n in range(1, 5)) for f in firsts)
    written = set(second.stats.written)
    assert {w for w in written if w.endswith(".md")} == {P.record_path(record)} | lists
    # Besides Markdown: the open data, and the search index's manifest, one card and the shards of changed words.
    others = {w for w in written if not w.endswith(".md")}
    assert {"du-lieu/ho-so.json", "du-lieu/ho-so.csv", "tim/index.json"} <= others
    assert len(others) <= 8 and second.images_processed == 0


def listed(page: P.Page) -> list:
    """The records a paged list page shows with their summaries (and a book, on its sheets)."""
    return [r for _, records in page.context.get("groups", ()) for r in records] + \
        [r for section in page.context.get("sections", ()) for r in section["records"]]


def build_demo(work: Path, records: int) -> Path:
    write_demo(work / "content", records, seed=9)
    project = make_project(work / "project")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(work / "content")],
                          cwd=project, capture_output=True, text=True, timeout=900, env={"PYTHONPATH": str(ROOT),
                                                                                         "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, Path]:
    """Whole sites of 40 and 200 demo records; at 200 some lists run to a second page."""
    work = tmp_path_factory.mktemp("scale")
    return {n: build_demo(work / str(n), n) for n in (40, 200)}


def test_html_per_record_does_not_grow_with_the_roll(sites):
    sizes = {}
    for n, site in sites.items():
        pages = sorted((site / "ho-so").glob("*/index.html"))
        assert len(pages) == n
        sizes[n] = statistics.median(p.stat().st_size for p in pages)
    # Records differ in length; the median of the record pages stays put (no page lists the whole roll).
    assert abs(sizes[200] - sizes[40]) / sizes[40] < 0.05, sizes


def follow(site: Path, first: str) -> list[BeautifulSoup]:
    """A paged list's pages in the built site, from its first page along the rel=next links."""
    docs, url = [], (site / first).resolve()
    while url:
        doc = BeautifulSoup((url / "index.html").read_text(encoding="utf-8"), "html.parser")
        docs.append(doc)
        nxt = doc.select_one("article nav.sv-pager a[rel=next]")
        url = (url / nxt["href"]).resolve() if nxt else None
        assert len(docs) < 50
    return docs


def test_long_lists_are_paged_and_every_record_is_on_exactly_one_page(sites):
    site = sites[200]
    corpus, _ = validate(site.parent.parent / "content")
    paged = 0
    for kind in KINDS:
        docs = follow(site, urls.kind(kind).removesuffix("index.md"))
        names = [a.get_text() for doc in docs for a in doc.select("article ul.sv-records > li > a:first-child")]
        expected = [r.name for r in sorted((r for r in corpus.records if r.kind == kind), key=ordering.record_key)]
        assert names == expected  # all of them, once each, in Vietnamese order across the pages
        assert all(len(doc.select("article ul.sv-records > li")) <= P.RECORDS_PER_PAGE for doc in docs)
        titles = [doc.find("title").get_text() for doc in docs]
        assert len(set(titles)) == len(titles)  # page 2 is not a duplicate of page 1 to a search engine
        for n, doc in enumerate(docs, start=1):
            if len(docs) > 1:
                assert doc.select_one("article nav.sv-pager [aria-current=page]").get_text() == str(n)
                assert bool(doc.select_one("article nav.sv-pager a[rel=prev]")) == (n > 1)
                assert f"Trang {n}/{len(docs)}" in doc.find("article").get_text(" ")
            else:
                assert not doc.select_one("nav.sv-pager")
        paged += len(docs) > 1
    assert paged  # at 200 records at least one kind runs past RECORDS_PER_PAGE: the pager was exercised


def test_province_pages_list_districts_not_every_record(sites):
    site = sites[200]
    corpus, _ = validate(site.parent.parent / "content")
    old = max({r.place.province for r in corpus.records if r.place.district},
              key=lambda u: sum(r.place.province == u for r in corpus.records))
    doc = BeautifulSoup((site / P.legacy_province_path(old).replace(".md", ".html")).read_text(encoding="utf-8"),
                        "html.parser")
    items = doc.select("article ul.sv-records > li")
    assert len(items) == min(P.LATEST_ON_PLACE, sum(r.place.province == old for r in corpus.records))
    districts = {r.place.district for r in corpus.records if r.place.province == old}
    here = site / P.legacy_province_path(old).removesuffix("index.md")
    targets = {(here / a["href"]).resolve() for a in doc.select("article li > a[href]")}
    for d in districts:
        assert (site / P.district_path(old, d).removesuffix("index.md")).resolve() in targets, d.name


def test_list_pages_keep_kind_groups_across_page_breaks():
    groups = [("person", [f"p{i}" for i in range(150)]), ("initiative", [f"m{i}" for i in range(70)])]
    pages = P.list_pages("nam/2024/index.md", "year.md.j2", {"year": 2024}, groups)
    assert [p.path for p in pages] == ["nam/2024/index.md", "nam/2024/trang-2/index.md", "nam/2024/trang-3/index.md"]
    assert [[(k, len(rs)) for k, rs in p.context["groups"]] for p in pages] == \
        [[("person", 100)], [("person", 50), ("initiative", 50)], [("initiative", 20)]]
    assert all(p.context["totals"] == {"person": 150, "initiative": 70} and p.context["count"] == 220 for p in pages)
    assert [p.context["pager"].start for p in pages] == [1, 101, 201]
    assert pages[1].context["pager"].path(3) == "nam/2024/trang-3/index.md"
    empty = P.list_pages("ca-nhan/index.md", "kind.md.j2", {}, [])
    assert [p.path for p in empty] == ["ca-nhan/index.md"] and empty[0].context["pager"].count == 1
