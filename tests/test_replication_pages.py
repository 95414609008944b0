"""Models that spread, and programmes: the lineage on record pages (both directions), the spread
map, the programme pages, the statistics table and the finder's facets (generator/site/lineage.py,
charts.spread_map, plan._programme_pages, stats.spread_context, finder.py).

A small roll is built once: an original in Thanh Liêm with two replica records, a place entry and
a count-only entry; a second original replicated once; a replica whose original was withdrawn;
names with markup in them. The built HTML is read as a browser gets it.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import VALID_INITIATIVE, Corpus
from generator.core import urls
from generator.site import charts
from generator.site.finder import REPLICA, SPREAD
from generator.site.search import decode_ids
from projects import build_project, make_project

PROGRAMMES = """
programmes:
  phong-trao-a:
    name: Phong trào Zqa
    description: Mô tả phong trào Zqa.
  phong-trao-b:
    name: Phong trào Zqb
  khong-dung:
    name: Chương trình chưa có hồ sơ
"""
EVIL = "Mô hình <script>alert(1)</script> & bạn"


def initiative(name: str, date: str, province: str = "Hà Nam", district: str = "Thanh Liêm", extra: str = "") -> str:
    return (VALID_INITIATIVE.replace("name: Đường hoa quân sự", f"name: {json.dumps(name, ensure_ascii=False)}")
            .replace("2022-12-31", date).replace("province: Hà Nam", f"province: {province}")
            .replace("district: Thanh Liêm", f"district: {district}") + extra)


ORIGINAL = initiative("Đường hoa gốc", "2019-05-01", extra="""\
programmes: [phong-trao-a]
replicated_in:
  - place: {province: Hà Nam, district: Lý Nhân}
    date: 2021-03
    note: Do Huyện đoàn Lý Nhân thực hiện.
  - count: 5
    date: 2022
    note: 5 xã trong huyện.
""")


def write_roll(corpus: Corpus) -> None:
    with (corpus.root / "taxonomy.yml").open("a", encoding="utf-8") as f:
        f.write(PROGRAMMES)
    corpus.add("duong-hoa-goc", ORIGINAL)
    corpus.add("ban-sao-kim-bang", initiative("Đường hoa Kim Bảng", "2020-06-01", district="Kim Bảng",
                                              extra="replicates: duong-hoa-goc\nprogrammes: [phong-trao-a, phong-trao-b]\n"),
               group="ha-nam/kim-bang")
    corpus.add("ban-sao-doc-hai", initiative(EVIL, "2021-01", district="Phủ Lý", extra="replicates: duong-hoa-goc\n"),
               group="ha-nam/phu-ly")
    corpus.add("goc-thu-hai", initiative("Mô hình gốc thứ hai", "2018", district="Duy Tiên"), group="ha-nam/duy-tien")
    corpus.add("ban-sao-thu-hai", initiative("Bản sao thứ hai", "2020", district="Bình Lục",
                                             extra="replicates: goc-thu-hai\n"), group="ha-nam/binh-luc")
    corpus.add("mo-hinh-rut", initiative("Mô hình đã rút", "2017", district="Kim Bảng",
                                         extra="withdrawn: true\nwithdrawn_reason: Gỡ theo yêu cầu.\n"), group="ha-nam/kim-bang")
    corpus.add("ban-sao-mo-coi", initiative("Bản sao mồ côi", "2020", district="Kim Bảng",
                                            extra="replicates: mo-hinh-rut\n"), group="ha-nam/kim-bang")


def build_roll(root: Path) -> Path:
    from generator.pipeline import generate
    from generator.site.engine import build

    work = make_project(root)
    corpus = Corpus(work / "content")
    write_roll(corpus)
    result = generate(corpus.root, work / "docs")
    assert result.stats is not None, [d.format() for d in result.report.items]
    build(work / "mkdocs.yml", work / "docs", work / "site")
    return work


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_roll(tmp_path_factory.mktemp("replication"))


def html(work: Path, docs_path: str) -> BeautifulSoup:
    page = work / "site" / urls.served(docs_path) / "index.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def article(work: Path, slug: str):
    body = html(work, urls.record(slug)).select_one("article.md-content__inner")
    for printed in body.select(".sv-sheet"):
        printed.decompose()
    return body


def target(slug: str, href: str) -> str:
    """The docs path of a record a link of record `slug`'s page points at."""
    return urljoin(f"http://x/ho-so/{slug}/", href).removeprefix("http://x/")


def fact(body, label: str):
    return next((d.find("dd") for d in body.select("dl.sv-rec-facts > div") if d.find("dt").get_text() == label), None)


# --- Both directions -------------------------------------------------------------------------

def test_a_replica_links_its_original(built):
    dd = fact(article(built, "ban-sao-kim-bang"), "Nhân rộng từ")
    assert dd is not None
    link = dd.find("a")
    assert link.get_text() == "Đường hoa gốc" and target("ban-sao-kim-bang", link["href"]) == "ho-so/duong-hoa-goc/"
    assert "Huyện Thanh Liêm, Tỉnh Hà Nam" in dd.get_text()


def test_an_original_lists_its_replicas_and_places_in_date_order(built):
    body = article(built, "duong-hoa-goc")
    heading = body.find("h2", string="Đã được nhân rộng")
    assert heading is not None
    items = body.select("ul.sv-rec-spread > li")
    names = [li.select_one(".sv-rec-spread__name").get_text() for li in items]
    assert names == ["Đường hoa Kim Bảng", EVIL, "Huyện Lý Nhân, Tỉnh Hà Nam (nay thuộc Tỉnh Ninh Bình)", "5 nơi"]
    links = [target("duong-hoa-goc", a["href"]) for a in body.select("ul.sv-rec-spread a")]
    assert links == ["ho-so/ban-sao-kim-bang/", "ho-so/ban-sao-doc-hai/"]
    metas = [li.select_one(".sv-rec-spread__meta").get_text() for li in items]
    assert metas[0] == "Thị xã Kim Bảng, Tỉnh Hà Nam (nay thuộc Tỉnh Ninh Bình) · ngày 01/06/2020"
    assert metas[1].endswith("· tháng 1/2021") and metas[2:] == ["tháng 3/2021", "năm 2022"]
    assert items[3].select_one(".sv-rec-spread__note").get_text() == "5 xã trong huyện."
    # Two replicas, one place and five places: eight.
    assert body.select_one(".sv-rec-spread-total").get_text() == "Đã được nhân rộng tại 8 nơi."


def test_a_withdrawn_original_is_not_named(built):
    body = article(built, "ban-sao-mo-coi")
    assert fact(body, "Nhân rộng từ") is None and "Mô hình đã rút" not in body.get_text()
    assert not (built / "site" / "ho-so" / "mo-hinh-rut").exists()


def test_records_without_lineage_show_none(built):
    body = article(built, "ban-sao-thu-hai")
    assert body.find("h2", string="Đã được nhân rộng") is None and body.select(".sv-chart--spread") == []


# --- The spread map --------------------------------------------------------------------------

def spread_svg(work: Path, slug: str):
    figure = article(work, slug).select_one("figure.sv-chart--spread")
    assert figure is not None
    return figure.find("svg")


def test_the_map_has_the_original_as_a_star_and_a_dot_per_mapped_place(built):
    svg = spread_svg(built, "duong-hoa-goc")
    assert len(svg.select("path.sv-spread-origin")) == 2  # the map's and the legend's
    dots = svg.select("circle.sv-spread-place[data-name]")
    # Kim Bảng and Phủ Lý (replicas), Lý Nhân (a place entry); the count-only entry is not mapped.
    assert sorted(d["data-name"] for d in dots) == sorted([
        "Thị xã Kim Bảng, Tỉnh Hà Nam", "Thành phố Phủ Lý, Tỉnh Hà Nam", "Huyện Lý Nhân, Tỉnh Hà Nam"])
    assert "5 nơi" not in str(svg)
    legend = svg.select_one(".sv-map-legend").get_text(" ")
    assert "Mô hình gốc" in legend and "Nơi nhân rộng" in legend
    assert svg["role"] == "img" and svg.find("a") is None  # the list above links; the map is one image
    assert float(svg["width"]) <= 320 and float(svg["height"]) <= 400  # fits a 360 px phone


def test_a_replica_alone_has_a_map_when_its_original_has_a_place(built):
    svg = spread_svg(built, "goc-thu-hai")
    assert len(svg.select("circle.sv-spread-place[data-name]")) == 1


def test_markup_in_names_is_text_in_the_map_and_the_list(built):
    raw = (built / "site" / "ho-so" / "duong-hoa-goc" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw
    body = article(built, "duong-hoa-goc")
    assert body.find("script") is None
    assert EVIL in [a.get_text() for a in body.select("ul.sv-rec-spread a")]
    # And in the chart itself: names are escaped by charts.py, whatever a caller passes.
    svg = charts.spread_map((20.5, 105.9, EVIL), [(20.6, 105.95, EVIL)], background=[], chart_id="m", title=EVIL)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; bạn" in svg
    assert BeautifulSoup(svg, "html.parser").find("script") is None


def test_the_spread_map_is_empty_without_a_placed_entry():
    assert "sv-chart--empty" in charts.spread_map((20.5, 105.9, "a"), [(None, None, "b")], background=[],
                                                  chart_id="m", title="t")


# --- Programmes ------------------------------------------------------------------------------

def test_programme_page_lists_its_records_and_the_index_links_it(built):
    page = html(built, urls.programme("phong-trao-a")).select_one("article")
    assert page.find("h1").get_text() == "Phong trào Zqa" and "Mô tả phong trào Zqa." in page.get_text()
    listed = {urljoin("http://x/chuong-trinh/phong-trao-a/", a["href"]).removeprefix("http://x/")
              for a in page.select("a") if "ho-so/" in a["href"]}
    assert listed == {"ho-so/duong-hoa-goc/", "ho-so/ban-sao-kim-bang/"}
    back = page.find("a", string="các chương trình, phong trào khác")  # a phrase, not "khác: Chương trình."
    assert back is not None and urljoin("http://x/chuong-trinh/phong-trao-a/", back["href"]) == "http://x/chuong-trinh/"
    index = html(built, urls.PROGRAMMES).select_one("article")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in index.select("tbody tr")]
    assert rows == [["Phong trào Zqa", "Mô tả phong trào Zqa.", "2"], ["Phong trào Zqb", "", "1"]]
    assert index.find("a", string="Phong trào Zqa")["href"].rstrip("/").endswith("phong-trao-a")
    assert not (built / "site" / "chuong-trinh" / "khong-dung").exists()  # no records, no page


def test_record_facts_link_the_programmes(built):
    dd = fact(article(built, "ban-sao-kim-bang"), "Chương trình")
    assert [a.get_text() for a in dd.find_all("a")] == ["Phong trào Zqa", "Phong trào Zqb"]
    assert target("ban-sao-kim-bang", dd.find("a")["href"]) == "chuong-trinh/phong-trao-a/"


def test_the_programme_index_is_in_the_navigation(built):
    nav = html(built, urls.HOME).select_one("nav.md-nav--primary")
    assert "Chương trình" in [a.get_text(strip=True) for a in nav.select("a")]


# --- Statistics ------------------------------------------------------------------------------

def test_stats_rank_the_most_replicated_models(built):
    page = html(built, urls.STATS).select_one("article")
    heading = page.find("h2", string="Mô hình được nhân rộng nhiều nhất")
    assert heading is not None
    table = heading.find_next("table")
    rows = [[td.get_text("|") for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert rows == [["1", "Đường hoa gốc|Huyện Thanh Liêm, Tỉnh Hà Nam", "8"],
                    ["2", "Mô hình gốc thứ hai|Thị xã Duy Tiên, Tỉnh Hà Nam", "1"]]
    assert "2 chương trình, phong trào" in page.get_text()


def test_ties_share_a_rank_in_name_order():
    from generator.site.lineage import Lineage
    from generator.site.stats import spread_context

    class R:  # the fields Lineage and the ranking read
        def __init__(self, slug, name, replicates=None, n=0):
            self.slug, self.name, self.kind, self.replicates = slug, name, "initiative", replicates
            self.replicated_in = tuple(object() for _ in range(n))
            self.programmes = ()

    import generator.site.lineage as lin

    records = [R("b", "Bê"), R("a", "An"), R("c", "Cờ"), R("x", "X", "b"), R("y", "Y", "a"), R("z", "Z", "a"), R("w", "W", "c")]
    original = lin.Lineage.spread
    try:  # entries without dates: order only matters here
        lin.Lineage.spread = lambda self, r: (lin.Spread(tuple(lin.Entry(record=o) for o in self.replicas.get(r.slug, ())))
                                              if r.slug in self.replicas else None)
        rows = spread_context(Lineage(records), records, {})["most_replicated"]
    finally:
        lin.Lineage.spread = original
    assert [(row.rank, row.record.slug, row.places) for row in rows] == [(1, "a", 2), (2, "b", 1), (2, "c", 1)]


# --- The finder ------------------------------------------------------------------------------

def test_the_finder_has_the_spread_and_programme_facets(built):
    docs = built / "docs"
    manifest = json.loads((docs / urls.SEARCH_INDEX).read_text(encoding="utf-8"))
    cards = {i: json.loads((docs / urls.search_card(i)).read_text(encoding="utf-8"))["title"]
             for i in range(manifest["count"])}

    def facet(key):
        table = json.loads((docs / urls.search_file(manifest["filters"][key])).read_text(encoding="utf-8"))
        return {value: sorted(cards[i] for i in decode_ids(ids)) for value, ids in table.items()}

    assert facet("nhan-rong") == {SPREAD: ["Mô hình gốc thứ hai", "Đường hoa gốc"],
                                  REPLICA: sorted(["Bản sao thứ hai", "Đường hoa Kim Bảng", EVIL])}
    assert facet("chuong-trinh") == {"Phong trào Zqa": ["Đường hoa Kim Bảng", "Đường hoa gốc"],
                                     "Phong trào Zqb": ["Đường hoa Kim Bảng"]}
    form = html(built, urls.FINDER)
    options = [o.get_text() for o in form.select("select[name=nhan-rong] option")]
    assert options == ["Tất cả", f"{SPREAD} (2)", f"{REPLICA} (3)"]
    assert len(form.select("select[name=chuong-trinh] option")) == 3


# --- Determinism -----------------------------------------------------------------------------

def test_two_builds_give_the_same_bytes(tmp_path):
    """Two `sovang build`s in fresh processes with random string hashing, in different folders:
    the same site, byte for byte (as tests/test_determinism.py checks for the sample roll)."""
    sites = []
    for name in ("a", "somewhere else/b"):
        project = make_project(tmp_path / name)
        write_roll(Corpus(project / "content"))
        # Dated by the environment: this roll's newest record is a month, which the build date's
        # fallback (the newest record's day, cli._build) does not take yet.
        build_project(project, PYTHONHASHSEED="random", SOURCE_DATE_EPOCH="1700000000")
        site = project / "site"
        sites.append({p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()})
    a, b = sites
    assert a.keys() == b.keys() and "ho-so/duong-hoa-goc/index.html" in a
    assert [name for name in a if a[name] != b[name]] == []
