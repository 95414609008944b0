"""The built site: parse `site/` and check pages, links, indexes and escaping."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.site.plan import current_province_path, district_path, legacy_province_path
from generator.records.validate import validate

from conftest import CONTENT, VALID_INITIATIVE
from projects import subprocess_env


def _build(run_cli, project: Path, content: Path, work: Path) -> Path:
    site = work / "site"
    code, out, err = run_cli("build", "--content", str(content), "--site", str(site), cwd=project)
    assert code == 0, out + err
    return site


@pytest.fixture(scope="module")
def built(real_site):
    """The real content, built once per session in a throwaway project (conftest.py: `real_site`); read only."""
    corpus, _ = validate(CONTENT)
    return real_site, corpus


def html(site: Path, md_path: str) -> BeautifulSoup:
    page = site / (md_path[:-3].removesuffix("index") + "/index.html").replace("//", "/").lstrip("/")
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_a_page_per_record(built):
    site, corpus = built
    assert len(corpus.records) >= 15
    for r in corpus.records:
        doc = html(site, f"ho-so/{r.slug}/index.md")
        assert doc.find("h1").get_text(strip=True) == r.name
        assert r.summary[:40] in doc.get_text()


def test_pages_per_district_province_field_year_and_home(built):
    site, corpus = built
    for r in corpus.records:
        p = r.place
        assert (site / district_path(p.province, p.district).replace("index.md", "index.html")).is_file()
        assert (site / legacy_province_path(p.province).replace("index.md", "index.html")).is_file()
        assert (site / current_province_path(p.current_province).replace("index.md", "index.html")).is_file()
        assert (site / f"nam/{r.year}/index.html").is_file()
        for t in r.fields:
            assert (site / f"linh-vuc/{t.key}/index.html").is_file()
    for index in ("index.html", "dia-phuong/index.html", "linh-vuc/index.html", "nam/index.html",
                  "ca-nhan/index.html", "tap-the/index.html", "mo-hinh/index.html"):
        assert (site / index).is_file(), index


def test_every_internal_link_resolves(built):
    site, _ = built
    assert _broken_links(site) == []


def _broken_links(site: Path) -> list[str]:
    """Links to a missing file, or to an #anchor the target page does not have."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in doc.find_all("a", href=True):
            url = urlsplit(a["href"])
            if url.scheme or url.netloc or not url.path:
                continue
            # 404.html links from the site root: it is served at any depth.
            base = site if url.path.startswith("/") else page.parent
            target = (base / unquote(url.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {a['href']}")
            elif url.fragment and target.suffix == ".html" and \
                    f'id="{unquote(url.fragment)}"' not in target.read_text(encoding="utf-8"):
                broken.append(f"{page.relative_to(site)} -> {a['href']} (no such anchor)")
    return broken


def test_district_page_lists_its_records_and_links_up(built):
    site, corpus = built
    thanh_liem = [r for r in corpus.records if r.place.district.short == "Thanh Liêm"]
    assert len(thanh_liem) >= 5
    doc = html(site, "dia-phuong/truoc-2025/ha-nam/thanh-liem/index.md")
    linked = {a["href"] for a in doc.select("article a[href]")}
    for r in thanh_liem:
        assert any(f"ho-so/{r.slug}/" in h for h in linked), r.slug
    text = doc.find("article").get_text(" ")
    assert "nay thuộc" in text and "Tỉnh Ninh Bình" in text


def test_record_page_shows_current_province_of_a_pre_reform_place(built):
    site, _ = built
    doc = html(site, "ho-so/duong-hoa-quan-su/index.md")
    row = next(d for d in doc.select("dl.sv-rec-facts > div") if d.dt.get_text() == "Nay thuộc")
    assert "Tỉnh Ninh Bình" in row.dd.get_text()


def test_old_province_reachable_from_new_province_and_from_place_index(built):
    site, _ = built
    old = "truoc-2025/ha-nam/"
    new_page = html(site, "dia-phuong/ninh-binh/index.md")
    assert any(old in a["href"] for a in new_page.select("article a[href]"))
    index = html(site, "dia-phuong/index.md")
    assert any(a["href"].endswith(old) for a in index.select("article a[href]"))
    assert any(a["href"].endswith("ninh-binh/") for a in index.select("article a[href]"))


def test_place_index_lists_only_provinces_with_records(built):
    # 97 provinces of both eras, most with 0, made a 7,600 px page on a phone.
    site, corpus = built
    doc = html(site, "dia-phuong/index.md")
    listed = [s.select_one("h2 a").get_text() for s in doc.select("article .sv-place")]
    with_records = {r.place.current_province.name for r in corpus.records}
    assert sorted(listed) == sorted(with_records) and 0 < len(listed) < 34
    formers = {r.place.province.name + " (cũ)" for r in corpus.records if r.place.era == "legacy"}
    assert {a.get_text() for a in doc.select("article .sv-place__old a")} == formers
    assert not doc.select("article table")
    assert f"{34 - len(listed)} tỉnh, thành phố khác chưa có hồ sơ" in doc.find("article").get_text(" ")


def test_records_are_not_in_the_navigation(built):
    site, corpus = built
    nav = html(site, "index.md").select("nav.md-nav--primary a[href]")
    hrefs = [a["href"] for a in nav]
    assert 3 <= len(hrefs) < 30
    assert not any("ho-so/" in h for h in hrefs)


def test_home_totals_by_kind(built):
    site, corpus = built
    tallies = {li.select_one("span").get_text(): li.select_one("a").get_text()
               for li in html(site, "index.md").select("article ul.sv-tallies > li")}
    for kind, label in (("person", "cá nhân"), ("collective", "tập thể"), ("initiative", "mô hình")):
        assert tallies[label] == str(sum(1 for r in corpus.records if r.kind == kind)), label


def test_lists_are_in_vietnamese_order(built):
    site, corpus = built
    doc = html(site, "mo-hinh/index.md")
    names = [a.get_text() for a in doc.select("article ul.sv-records > li > a:first-child")]
    assert len(names) == sum(1 for r in corpus.records if r.kind == "initiative")
    from generator.core.vntext import sort_key
    assert names == sorted(names, key=sort_key)
    assert names != sorted(names)  # code-point order differs here: the test would notice


def test_site_language_is_vietnamese(built):
    site, _ = built
    assert html(site, "index.md").find("html")["lang"] == "vi"


# --- Builds of small corpora --------------------------------------------------------

HOSTILE = """\
kind: initiative
name: "</title><script>alert(1)</script> *đậm* [x](javascript:alert(2))"
summary: "<img src=x onerror=alert(3)> {: onclick=alert(4) } | ô | --8<-- /etc/passwd {{ config }}"
date: 2022-12-31
place:
  province: Hà Nam
  district: Thanh Liêm
fields: [quoc-phong]
story: |
  Bình thường <script>alert(5)</script> và <a href="https://example.org/" onclick="alert(6)">liên kết</a>.

  <iframe src="https://example.org"></iframe> <b onmouseover="alert(7)">đậm</b>
"""


def test_hostile_record_is_inert_in_the_built_html(corpus, run_cli, project, tmp_path):
    corpus.add("doc-hai", HOSTILE)
    site = _build(run_cli, project, corpus.root, tmp_path)
    raw = (site / "ho-so/doc-hai/index.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(raw, "html.parser")
    assert "alert" not in " ".join(str(s) for s in doc.find_all("script"))
    assert not doc.find_all("iframe") and not doc.find_all("img", onerror=True)
    assert not any(k.startswith("on") for tag in doc.find("article").find_all(True) for k in tag.attrs)
    assert not any(a["href"].startswith("javascript:") for a in doc.find_all("a", href=True))
    assert "{: onclick" in doc.find("article").get_text()  # shown as text, not applied
    assert doc.find("title").get_text().startswith("</title><script>")  # escaped, so shown literally
    assert doc.find("h1").get_text() == "</title><script>alert(1)</script> *đậm* [x](javascript:alert(2))"


def test_deleted_record_leaves_no_stale_page(corpus, run_cli, project, tmp_path):
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    gone = corpus.add("mo-hinh-se-xoa", VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình sẽ xoá"))
    site = _build(run_cli, project, corpus.root, tmp_path)
    assert (site / "ho-so/mo-hinh-se-xoa/index.html").is_file()
    shutil.rmtree(gone.parent)
    site = _build(run_cli, project, corpus.root, tmp_path)
    assert not (site / "ho-so/mo-hinh-se-xoa").exists()
    assert not any("Mô hình sẽ xoá" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert (site / "ho-so/duong-hoa-quan-su/index.html").is_file()


def test_build_refuses_content_with_errors_and_keeps_the_old_site(corpus, run_cli, project, tmp_path):
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    site = _build(run_cli, project, corpus.root, tmp_path)
    before = (site / "index.html").read_bytes()
    corpus.add("hong", VALID_INITIATIVE.replace("Thanh Liêm", "Thanh Liem"))
    code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert code == 1
    assert "Thanh Liêm" in out and "Traceback" not in out + err
    assert (site / "index.html").read_bytes() == before


def test_an_interrupted_build_leaves_the_previous_site(corpus, run_cli, project, tmp_path, monkeypatch):
    import generator.site.engine as site_module

    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    site = _build(run_cli, project, corpus.root, tmp_path)
    before = (site / "index.html").read_bytes()

    def killed_during_mkdocs(cfg, dirty=False):
        (tmp_path / "site.new" / "half.html").parent.mkdir(exist_ok=True)
        (tmp_path / "site.new" / "half.html").write_text("…")
        raise KeyboardInterrupt

    monkeypatch.setattr(site_module, "mkdocs_build", killed_during_mkdocs)
    with pytest.raises(KeyboardInterrupt):
        run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert (site / "index.html").read_bytes() == before and not (site / "half.html").exists()
    monkeypatch.undo()
    # Stopped between the swap's two renames: the next build puts the previous site back first.
    os.replace(site, tmp_path / "site.old")
    site_module._recover(site)
    assert (site / "index.html").read_bytes() == before
    assert _build(run_cli, project, corpus.root, tmp_path) == site and not (tmp_path / "site.new").exists()


def test_post_reform_record_is_listed_under_its_commune(corpus, run_cli, project, tmp_path):
    from generator.records.places import registry

    reg = registry()
    ninh_binh = reg.current_provinces.find("Ninh Bình")[0]
    commune = sorted(reg.current_communes[ninh_binh.code].units, key=lambda u: u.code)[0]
    corpus.add("moi", VALID_INITIATIVE.replace("2022-12-31", "2025-09-02")
               .replace("Hà Nam", "Ninh Bình").replace("  district: Thanh Liêm", f"  commune: {commune.short}"))
    site = _build(run_cli, project, corpus.root, tmp_path)
    page = BeautifulSoup((site / "dia-phuong/ninh-binh/index.html").read_text(encoding="utf-8"), "html.parser")
    assert commune.name in [h.get_text() for h in page.select("article h3")]
    record = (site / "ho-so/moi/index.html").read_text(encoding="utf-8")
    assert "Nay thuộc" not in record and commune.name in record
    # On the map the commune is a point of its own, linked to its heading on the province page.
    map_page = BeautifulSoup((site / "ban-do/index.html").read_text(encoding="utf-8"), "html.parser")
    point = next(a for a in map_page.select("svg a") if a.title.get_text() == f"{commune.name}, {ninh_binh.name}: 1 hồ sơ")
    assert point["href"].startswith("../dia-phuong/ninh-binh/#")
    assert _broken_links(site) == []


def test_site_chrome_is_vietnamese(built):
    site, _ = built
    page = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("h1").get_text() == "Không tìm thấy trang"
    assert "Made with" not in (site / "index.html").read_text(encoding="utf-8")


def test_empty_corpus_builds_a_home_page(corpus, run_cli, project, tmp_path):
    site = _build(run_cli, project, corpus.root, tmp_path)
    assert "chưa có hồ sơ" in (site / "index.html").read_text(encoding="utf-8")


def test_same_input_gives_the_same_bytes(corpus, run_cli, project, tmp_path):
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    first = _build(run_cli, project, corpus.root, tmp_path / "a")
    second = _build(run_cli, project, corpus.root, tmp_path / "b")

    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    assert tree(first) == tree(second)


def test_generated_markdown_does_not_depend_on_the_hash_seed(project, tmp_path):
    import subprocess
    import sys

    def generate(seed: str) -> dict[str, bytes]:
        docs = tmp_path / f"docs-{seed}"
        env = subprocess_env(PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "generator", "generate", "--content", str(CONTENT), "--docs", str(docs)],
                       cwd=project, env=env, check=True, capture_output=True)
        return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*.md"))}

    first = generate("1")
    assert len(first) > 50 and first == generate("2")


def test_real_sample_photos_are_published_with_galleries(built):
    site, corpus = built
    with_photos = [r for r in corpus.records if r.photos]
    assert len(with_photos) >= 5
    for r in with_photos:
        doc = html(site, f"ho-so/{r.slug}/index.md")
        figures = doc.select(".sv-gallery[data-lightbox] figure")
        assert len(figures) == len(r.photos)
        for fig, photo in zip(figures, r.photos):
            assert fig.find("img")["alt"] == photo.alt
            assert photo.credit in fig.find("figcaption").get_text()
    library = html(site, "thu-vien-anh/index.md")
    assert len(library.select(".sv-gallery figure")) == sum(len(r.photos) for r in with_photos)


def _table(doc: BeautifulSoup, heading: str) -> dict[str, int]:
    """The (label → count) rows of the first table after the h2 `heading`."""
    h2 = next(h for h in doc.select("article h2") if h.get_text(strip=True) == heading)
    rows = h2.find_next("table").select("tbody tr")
    return {r.select("td")[0].get_text(strip=True): int(r.select("td")[-1].get_text(strip=True).replace(".", ""))
            for r in rows}


def test_statistics_tables_count_the_records(built):
    from collections import Counter

    site, corpus = built
    doc = html(site, "thong-ke/index.md")
    assert _table(doc, "Theo loại hồ sơ") == {"Cá nhân": 3, "Tập thể": 6, "Mô hình": 19} and len(corpus.records) == 28
    provinces = Counter(r.place.current_province.name for r in corpus.records)
    assert _table(doc, "Theo tỉnh, thành phố") == provinces
    assert list(_table(doc, "Theo tỉnh, thành phố").values()) == sorted(provinces.values(), reverse=True)
    assert _table(doc, "Theo năm ghi danh") == Counter(str(r.year) for r in corpus.records)
    assert _table(doc, "Theo lĩnh vực") == Counter(t.name for r in corpus.records for t in r.fields)


def test_each_chart_is_an_inline_svg_with_the_same_numbers_as_its_table(built):
    site, _ = built
    doc = html(site, "thong-ke/index.md")
    charts = doc.select("figure.sv-chart svg")
    assert len(charts) == 4
    kinds = {a.title.get_text() for a in charts[0].select("a")}
    assert kinds == {"Cá nhân: 3", "Tập thể: 6", "Mô hình: 19"}
    years = doc.select_one("svg#tk-nam, svg[aria-labelledby='tk-nam-title']")
    assert {a.title.get_text() for a in years.select("a")} == {f"{y}: {n}" for y, n in _table(doc, "Theo năm ghi danh").items()}
    assert not doc.select("script[src^=http], img[src^=http], link[href^=http]")


def test_map_has_a_point_per_district_linking_to_its_page(built):
    site, corpus = built
    doc = html(site, "ban-do/index.md")
    points = doc.select("svg.sv-chart-svg--map a")
    districts = {(r.place.province.code, r.place.district.code) for r in corpus.records}
    assert len(points) == len(districts) == 5
    for a in points:
        target = (site / "ban-do" / a["href"] / "index.html").resolve()
        assert target.is_file() and "/dia-phuong/truoc-2025/" in target.as_posix()
        name, count = a.title.get_text().rsplit(": ", 1)
        district_page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
        assert district_page.h1.get_text(strip=True) == name.split(",")[0]
        assert f"{count.removesuffix(' hồ sơ')} hồ sơ" in district_page.get_text()
    assert sum(int(a.title.get_text().rsplit(": ", 1)[1].split()[0]) for a in points) == len(corpus.records)
    # Hoàng Sa and Trường Sa are on the map of Vietnam.
    assert "Đặc khu Hoàng Sa" in doc.get_text() and "Đặc khu Trường Sa" in doc.get_text()
