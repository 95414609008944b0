"""The record page as a showcase: photo first, where, the name, the deed; facts, figures, honours;
related records as cards (record.md.j2, _record.html.j2, generator/site/related.py).

The built pages are parsed as a reader's browser gets them. Hostile text goes into every field the
new layout prints, and must come out as the same text, never as markup. The related records are
checked as a function too: chosen right, deterministic, bounded, and cheap at 100,000 records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

import imaging
from conftest import VALID_INITIATIVE, VALID_PERSON, Corpus
from generator.core.vntext import vi_date, vi_number
from generator.records.model import Record
from generator.records.places import LEGACY, Place, registry
from generator.records.validate import validate
from generator.site import related as rel
from projects import make_project

EVIL = '<script>alert(1)</script> "><svg/onload=alert(1)> [x](javascript:alert(1)) {{ 7*7 }} &amp; *em*'
TEXT_VALUE = "<b>x</b>.<script>y</script> tỷ"  # a result given as text, long: split at its dots
q = json.dumps  # a JSON string is a YAML double-quoted scalar: any text reaches the validator whole

BIG = VALID_INITIATIVE + """\
organization: Ban Chỉ huy Quân sự huyện Thanh Liêm
results:
  - label: Gạo vận động được
    value: 3450
    unit: kg
  - label: Tiền vận động được
    value: 2.1
    unit: tỷ đồng
  - label: Lượt người được giúp
    value: 1500
honours:
  - title: Bằng khen
    issuer: Ủy ban nhân dân tỉnh Hà Nam
    decision: 1234/QĐ-UBND
    date: 2021-05-19
  - title: Giấy khen
sources:
  - title: Nhân rộng các mô hình học tập và làm theo Bác
    publisher: Báo Hà Nam
story: |
  Câu chuyện của mô hình, đoạn thứ nhất.

  Đoạn thứ hai.
photos:
  - file: anh-1.jpg
    caption: Tuyến đường hoa
    credit: Việt Hà
    alt: Hai hàng hoa dọc con đường
  - file: anh-2.jpg
    caption: Cận cảnh
    credit: Việt Hà
    alt: Luống hoa
"""


def initiative(name: str, date: str, fields: str = "[quoc-phong]", province: str = "Hà Nam",
               district: str = "Thanh Liêm") -> str:
    return (VALID_INITIATIVE.replace("Đường hoa quân sự", name).replace("2022-12-31", date)
            .replace("fields: [quoc-phong]", f"fields: {fields}")
            .replace("province: Hà Nam", f"province: {province}").replace("district: Thanh Liêm", f"district: {district}"))


def hostile() -> str:
    summary = "summary: Ba ki-lô-mét đường hoa trên trục ĐT 499B do Ban Chỉ huy Quân sự huyện thực hiện."
    return (VALID_INITIATIVE.replace("name: Đường hoa quân sự", f"name: {q(EVIL)}")
            .replace(summary, f"summary: {q('Tóm tắt ' + EVIL)}").replace("2022-12-31", "2022-12-30")
            + f"organization: {q(EVIL)}\n"
            + f"results:\n  - label: {q(EVIL)}\n    value: 12\n    unit: {q('<b>u</b>')}\n"
            + f"  - label: Hàng tỷ\n    value: {q(TEXT_VALUE)}\n"
            + f"honours:\n  - title: {q(EVIL)}\n    issuer: {q('<i>x</i>')}\n    decision: {q('1/<QĐ>')}\n"
            + "    date: 2020-01-02\n")


def current_era(commune) -> str:
    return (VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình sau sắp xếp").replace("2022-12-31", "2025-09-02")
            .replace("Hà Nam", "Ninh Bình").replace("  district: Thanh Liêm", f"  commune: {commune.short}"))


def ninh_binh_commune():
    reg = registry()
    ninh_binh = reg.current_provinces.find("Ninh Bình")[0]
    return ninh_binh, sorted(reg.current_communes[ninh_binh.code].units, key=lambda u: u.code)[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from generator.pipeline import generate
    from generator.site.engine import build

    work = make_project(tmp_path_factory.mktemp("record-page"))
    corpus = Corpus(work / "content")
    corpus.add("duong-hoa", BIG, files={f"anh-{i}.jpg": imaging.jpeg((1200, 800), seed=i) for i in (1, 2)})
    corpus.add("hostile", hostile())
    for i in range(8):  # neighbours in the same district, one field or another
        fields = "[quoc-phong]" if i % 2 else "[an-sinh-xa-hoi]"
        corpus.add(f"hang-xom-{i}", initiative(f"Hàng xóm số {i}", f"2021-0{i + 1}-10", fields))
    corpus.add("xa-khac", initiative("Mô hình ở Đông Hà", "2020-12-31", province="Quảng Trị", district="Đông Hà"),
               group="quang-tri/dong-ha")
    corpus.add("nguoi", VALID_PERSON + "photos:\n  - file: chan-dung.jpg\n    caption: Chân dung\n    credit: Gia đình\n"
               "    alt: Ảnh chân dung\n", group="binh-duong/tan-uyen", files={"chan-dung.jpg": imaging.jpeg(seed=9)})
    _, commune = ninh_binh_commune()
    corpus.add("sau-2025", current_era(commune), group="ninh-binh")
    from generator.site.composer import Editing

    editing = Editing("https://github.com/tinh-doan/so-vang", "main", work)
    result = generate(corpus.root, work / "docs", editing=(editing, ""))
    assert result.stats is not None, [d.format() for d in result.report.items]
    build(work / "mkdocs.yml", work / "docs", work / "site")
    return work, result.corpus


def page(work: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((work / "site" / "ho-so" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")


def article(work: Path, slug: str, sheet: bool = False):
    """The page's content; without the printed sheet (_sheet.html.j2, hidden on screen, tested
    with the print styles) unless `sheet`."""
    body = page(work, slug).select_one("article.md-content__inner")
    if not sheet:
        for printed in body.select(".sv-sheet"):
            printed.decompose()
    return body


def front_matter(work: Path, docs_path: str) -> dict:
    text = (work / "docs" / docs_path).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def resolves(work: Path, slug: str, href: str) -> Path:
    """The file a relative link of the record page serves."""
    target = urljoin(f"http://x/ho-so/{slug}/", href).removeprefix("http://x/")
    return work / "site" / target / "index.html" if target.endswith("/") else work / "site" / target


# --- Layout ----------------------------------------------------------------------------

def test_no_sidebar_and_no_table_of_contents(built):
    work, corpus = built
    for r in corpus.records:
        meta = front_matter(work, f"ho-so/{r.slug}/index.md")
        assert meta["hide"] == ["navigation", "toc"] and meta["share"] is True, r.slug
        doc = page(work, r.slug)
        assert doc.select_one(".md-sidebar--primary").has_attr("hidden")
        assert doc.select_one(".md-sidebar--secondary").has_attr("hidden")
    for docs_path, hidden in (("dia-phuong/truoc-2025/ha-nam/thanh-liem/index.md", ["navigation", "toc"]),
                              ("dia-phuong/truoc-2025/ha-nam/index.md", ["navigation", "toc"]),
                              ("dia-phuong/ninh-binh/index.md", ["navigation", "toc"]),
                              ("linh-vuc/quoc-phong/index.md", ["navigation", "toc"]),
                              ("nam/2022/index.md", ["navigation", "toc"]),
                              # In the navigation: their sidebar lists the pages beside them, so it stays.
                              ("mo-hinh/index.md", ["toc"]), ("linh-vuc/index.md", ["toc"]), ("nam/index.md", ["toc"])):
        assert front_matter(work, docs_path)["hide"] == hidden, docs_path


def test_the_page_leads_with_the_photo_then_where_then_the_name(built):
    work, corpus = built
    body = article(work, "duong-hoa")
    blocks = [el for el in body.children if getattr(el, "name", None)]
    assert [b.name for b in blocks[:4]] == ["figure", "nav", "h1", "div"]
    hero, crumbs, name, intro = blocks[:4]
    assert "sv-rec-hero" in hero["class"] and name.get_text() == "Đường hoa quân sự"
    img = hero.find("img")
    # The largest paint of the page: loaded at once, its box reserved by its own shape.
    assert not img.has_attr("loading") and img["fetchpriority"] == "high"
    assert int(img["width"]) * 2 == int(img["height"]) * 3  # 1200×800: 3:2
    assert img["alt"] == "Hai hàng hoa dọc con đường" and "Ảnh: Việt Hà" in hero.figcaption.get_text()
    # The phone takes the 800 px size at 2x, never the large one: 100vw below 60em.
    assert hero.find("source")["sizes"].startswith("(max-width: 59.984375em) 100vw")
    byline = intro.select_one(".sv-rec-byline").get_text(" ", strip=True)
    assert re.sub(r"\s+", " ", byline) == "Mô hình · Huyện Thanh Liêm, Tỉnh Hà Nam · ghi danh ngày 31/12/2022"
    record = next(r for r in corpus.records if r.slug == "duong-hoa")
    assert intro.select_one("p.sv-rec-lead").get_text() == record.summary


def test_sections_follow_in_order(built):
    work, _ = built
    headings = [h.get_text() for h in article(work, "duong-hoa").find_all("h2", recursive=False)]
    assert headings == ["Kết quả", "Khen thưởng", "Câu chuyện", "Hình ảnh", "Nguồn tư liệu",
                        "Hồ sơ cùng địa phương", "Cùng lĩnh vực"]


def test_without_a_photo_the_page_leads_with_the_red_card(built):
    work, _ = built
    for slug in ("hostile", "nguoi"):  # "nguoi": a person's photo without consent to publish it
        hero = article(work, slug).find(class_="sv-rec-hero")
        assert "sv-rec-hero--type" in hero["class"] and hero["aria-hidden"] == "true"
        assert hero.select_one("svg.sv-rec-hero__star") and not hero.find("img")
    assert not list((work / "site" / "ho-so" / "nguoi").glob("chan-dung*"))
    assert "gallery" not in front_matter(work, "ho-so/nguoi/index.md")


def test_breadcrumb_links_the_place_pages(built):
    work, _ = built
    nav = article(work, "duong-hoa").find("nav", attrs={"aria-label": "Đường dẫn"})
    items = nav.select("ol > li")
    assert [li.get_text(strip=True) for li in items] == ["Tỉnh Hà Nam", "Huyện Thanh Liêm"]
    hrefs = [li.a["href"] for li in items]
    assert [resolves(work, "duong-hoa", h).relative_to(work / "site").as_posix() for h in hrefs] == [
        "dia-phuong/truoc-2025/ha-nam/index.html", "dia-phuong/truoc-2025/ha-nam/thanh-liem/index.html"]
    assert all(resolves(work, "duong-hoa", h).is_file() for h in hrefs)
    # From the reform: the province of today, then the commune, which has no page of its own.
    ninh_binh, commune = ninh_binh_commune()
    items = article(work, "sau-2025").find("nav", attrs={"aria-label": "Đường dẫn"}).select("ol > li")
    assert [li.get_text(strip=True) for li in items] == [ninh_binh.name, commune.name]
    assert resolves(work, "sau-2025", items[0].a["href"]) == work / "site" / "dia-phuong/ninh-binh/index.html"
    assert items[1].a is None


def test_facts_are_a_definition_list_without_a_header_row(built):
    work, _ = built
    body = article(work, "duong-hoa")
    assert not body.find("table") and not body.find("th")
    facts = body.select_one("dl.sv-rec-facts")
    pairs = [(d.dt.get_text(), d.dd.get_text()) for d in facts.find_all("div", recursive=False)]
    assert [label for label, _ in pairs] == ["Loại hồ sơ", "Địa bàn", "Nay thuộc", "Ghi danh", "Lĩnh vực",
                                             "Đơn vị thực hiện"]
    assert dict(pairs)["Nay thuộc"] == "Tỉnh Ninh Bình (từ 01/7/2025)"
    assert dict(pairs)["Ghi danh"] == "31/12/2022"
    for a in facts.find_all("a"):  # the same links as the old table: every one to a page of the site
        assert resolves(work, "duong-hoa", a["href"]).is_file(), a["href"]
    person = article(work, "nguoi").select_one("dl.sv-rec-facts")
    labels = [dt_.get_text() for dt_ in person.find_all("dt")]
    assert "Chức vụ" in labels and "Đơn vị thực hiện" not in labels
    assert "Nay thuộc" not in [dt_.get_text() for dt_ in article(work, "sau-2025").find_all("dt")]


def test_results_are_figures(built):
    work, corpus = built
    record = next(r for r in corpus.records if r.slug == "duong-hoa")
    figures = article(work, "duong-hoa").select("ul.sv-rec-figures > li.sv-rec-figure")
    assert len(figures) == len(record.results) == 3
    for fig, result in zip(figures, record.results):
        assert fig.select_one(".sv-rec-figure__value").get_text() == vi_number(result.value)
        unit = fig.select_one(".sv-rec-figure__unit")
        assert (unit.get_text() if unit else None) == result.unit
        assert fig.select_one(".sv-rec-figure__label").get_text() == result.label
    assert [f.select_one(".sv-rec-figure__value").get_text() for f in figures] == ["3.450", "2,1", "1.500"]


def test_honours_are_awards(built):
    work, _ = built
    honours = article(work, "duong-hoa").select("ul.sv-rec-honours > li.sv-rec-honour")
    assert len(honours) == 2
    first, second = honours
    assert first.select_one("svg.sv-rec-honour__medal")["aria-hidden"] == "true"
    assert first.select_one("strong.sv-rec-honour__title").get_text() == "Bằng khen"
    assert first.select_one(".sv-rec-honour__issuer").get_text() == "của Ủy ban nhân dân tỉnh Hà Nam"
    assert first.select_one(".sv-rec-honour__decision").get_text() == f"Quyết định số 1234/QĐ-UBND, ngày {vi_date(dt.date(2021, 5, 19))}"
    assert second.select_one("strong").get_text() == "Giấy khen" and not second.select_one(".sv-rec-honour__decision")


def test_share_button_waits_for_its_script(built):
    work, _ = built
    doc = page(work, "duong-hoa")
    box = doc.select_one("article [data-share]")
    button = box.find("button")
    # Without JavaScript the button could do nothing: hidden until sovang-share.js shows it.
    assert button.has_attr("hidden") and button["type"] == "button" and button.get_text(strip=True) == "Chia sẻ"
    assert button["data-title"] == "Đường hoa quân sự"
    assert box.find(attrs={"role": "status"}) is not None and box.find("input")["readonly"] is not None
    scripts = [s.get("src", "") for s in doc.find_all("script")]
    assert [s for s in scripts if s.endswith("sovang-share.js")] == ["../../assets/javascripts/sovang-share.js"]
    assert (work / "site/assets/javascripts/sovang-share.js").is_file()
    home = BeautifulSoup((work / "site/index.html").read_text(encoding="utf-8"), "html.parser")
    assert not any("sovang-share" in s.get("src", "") for s in home.find_all("script"))


def test_edit_link_and_ways_on_are_kept(built):
    work, _ = built
    body = article(work, "duong-hoa")
    edit = next(a for a in body.select(".sv-edit a.md-button") if a.get_text() == "Sửa hồ sơ này")
    assert edit["href"].startswith("https://github.com/tinh-doan/so-vang/") and edit["rel"] == ["noopener"]
    more = body.select_one("ul.sv-rec-more")
    text = re.sub(r"\s+", " ", more.get_text())
    assert "Các hồ sơ khác ở Huyện Thanh Liêm, Tỉnh Hà Nam" in text and "Các hồ sơ ghi danh năm 2022" in text
    assert "Các hồ sơ cùng lĩnh vực Quốc phòng, quân sự" in text
    for a in more.find_all("a"):
        assert resolves(work, "duong-hoa", a["href"]).is_file(), a["href"]


# --- Related records on the page -------------------------------------------------------

def cards(work: Path, slug: str, heading: str) -> list[str]:
    body = article(work, slug)
    h2 = next((h for h in body.find_all("h2") if h.get_text() == heading), None)
    if h2 is None:
        return []
    grid = h2.find_next_sibling("div", class_="sv-cards")
    return [resolves(work, slug, a["href"]).parent.name for a in grid.select("a.sv-card__link")]


def test_related_cards_same_place_first_then_same_field(built):
    work, corpus = built
    place, field = cards(work, "duong-hoa", "Hồ sơ cùng địa phương"), cards(work, "duong-hoa", "Cùng lĩnh vực")
    by_slug = {r.slug: r for r in corpus.records}
    assert place and field and len(place) + len(field) <= rel.LIMIT
    assert "duong-hoa" not in place + field and len(set(place + field)) == len(place + field)
    assert all(by_slug[s].place.district.short == "Thanh Liêm" for s in place)
    assert all({t.key for t in by_slug[s].fields} & {"quoc-phong", "nong-thon-moi"} for s in field)
    assert len(field) >= min(rel.FIELD_MIN, len(field))
    # Each card links a page that exists, with the record's first photo or the red card.
    body = article(work, "duong-hoa")
    for a in body.select(".sv-cards a.sv-card__link"):
        assert resolves(work, "duong-hoa", a["href"]).is_file()
        card = a.find_parent("article")
        assert bool(card.find("img")) != ("sv-card--type" in card["class"])


def test_a_person_photo_without_consent_is_no_card_photo(built):
    work, corpus = built
    # Wherever "nguoi" is a related card, it is the red card: its photo is not published.
    for r in corpus.records:
        for a in article(work, r.slug).select(".sv-cards a.sv-card__link"):
            if resolves(work, r.slug, a["href"]).parent.name == "nguoi":
                assert "sv-card--type" in a.find_parent("article")["class"]


def test_record_pages_stay_flat(built):
    """No page lists all records: a record page holds at most LIMIT cards, whatever N."""
    work, corpus = built
    for r in corpus.records:
        body = article(work, r.slug)
        assert len(body.select(".sv-card")) <= rel.LIMIT
        others = {resolves(work, r.slug, a["href"]) for a in body.find_all("a", href=True)
                  if not a["href"].startswith(("http", "#"))}
        records = {p for p in others if p.name == "index.html" and p.parent.parent == work / "site" / "ho-so"}
        assert len(records) <= rel.LIMIT, r.slug


# --- Hostile text --------------------------------------------------------------------------

def test_hostile_text_is_text_everywhere_on_the_page(built):
    work, _ = built
    raw = str(article(work, "hostile", sheet=True))
    body = article(work, "hostile")
    assert "<script" not in raw and "<svg/onload" not in raw and "<b>u</b>" not in raw and "<i>x</i>" not in raw
    for tag in article(work, "hostile", sheet=True).find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name
        assert not tag.get("href", "").lower().startswith("javascript")
    assert body.find("h1").get_text() == EVIL
    assert body.select_one("[data-share] button")["data-title"] == EVIL
    assert body.select_one(".sv-rec-lead").get_text() == "Tóm tắt " + EVIL
    facts = {d.dt.get_text(): d.dd.get_text() for d in body.select("dl.sv-rec-facts > div")}
    assert facts["Đơn vị thực hiện"] == EVIL
    assert body.select_one(".sv-rec-figure__label").get_text() == EVIL
    assert body.select_one(".sv-rec-figure__unit").get_text() == "<b>u</b>"
    values = [v.get_text() for v in body.select(".sv-rec-figure__value")]
    assert values == ["12", TEXT_VALUE] and not body.select(".sv-rec-figures b, .sv-rec-figures script")
    assert body.select_one(".sv-rec-honour__title").get_text() == EVIL
    assert body.select_one(".sv-rec-honour__issuer").get_text() == "của <i>x</i>"
    assert body.select_one(".sv-rec-honour__decision").get_text().startswith("Quyết định số 1/<QĐ>")
    assert "49" not in body.find("h1").get_text()  # no template ran on it
    title = page(work, "hostile").find("title").get_text()
    assert "<script>" in title  # the title element holds text only: escaped once, shown as written


def test_hostile_name_on_a_related_card_is_text(built):
    work, _ = built
    body = article(work, "duong-hoa")
    names = [h.get_text() for h in body.select(".sv-card__name")]
    assert EVIL in names
    assert "<script" not in str(body.select_one(".sv-cards")) and not body.select(".sv-cards svg[onload]")


# --- related.py as a function --------------------------------------------------------------

def synthetic(n: int, seed: int = 0) -> list[Record]:
    """`n` pre-reform initiatives over 40 districts of 4 provinces and 6 fields, as a big roll would be."""
    from generator.records.model import Term

    reg = registry()
    provinces = sorted(reg.legacy_provinces.units, key=lambda u: u.code)[:4]
    places = [Place(LEGACY, p, d, None, reg.successor[p.code])
              for p in provinces for d in sorted(reg.legacy_districts[p.code].units, key=lambda u: u.code)[:10]]
    terms = [Term(f"linh-vuc-{i}", f"Lĩnh vực {i}") for i in range(6)]
    rnd = random.Random(seed)
    start = dt.date(2015, 1, 1)
    return [Record(slug=f"ho-so-{i}", kind="initiative", name=f"Mô hình {i}", summary="Tóm tắt.",
                   date=start + dt.timedelta(days=rnd.randrange(3650)), place=rnd.choice(places),
                   fields=tuple(rnd.sample(terms, rnd.choice((1, 1, 2)))), folder=Path("/x"))
            for i in range(n)]


def slugs(related: rel.Related) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(c.record.slug for c in related.place), tuple(c.record.slug for c in related.field)


def test_related_is_bounded_distinct_and_near():
    records = synthetic(2000)
    index = rel.RelatedIndex(records)
    for r in records[:300]:
        got = index.related(r)
        place, field = slugs(got)
        assert len(place) + len(field) <= rel.LIMIT
        assert r.slug not in place + field and len(set(place + field)) == len(place + field)
        # Fifty records a district: the place section is all of the same district.
        assert all(c.record.place.district == r.place.district for c in got.place)
        assert all(set(c.record.fields) & set(r.fields) for c in got.field)
        assert len(field) == rel.FIELD_MIN and len(place) == rel.LIMIT - rel.FIELD_MIN


def test_related_are_the_neighbours_in_time():
    records = synthetic(2000)
    index = rel.RelatedIndex(records)
    r = records[7]
    district = index.lists[("district", r.place.district.code)]
    assert [o.date for o in district] == sorted(o.date for o in district)  # in order of entry
    ranks = {o.slug: i for i, o in enumerate(district)}
    mine = ranks[r.slug]
    place, _ = slugs(index.related(r))
    # Nearest first: within two places either side of the record in the district's list.
    assert all(abs(ranks[s] - mine) <= 3 for s in place), (mine, [ranks[s] for s in place])


def test_small_places_fall_back_to_the_province_then_the_field():
    records = synthetic(300)
    lonely = dataclasses.replace(records[0], slug="mot-minh",
                                 place=dataclasses.replace(records[0].place, district=registry().legacy_districts[
                                     records[0].place.province.code].units[-1]))
    index = rel.RelatedIndex(records + [lonely])
    got = index.related(lonely)
    # Alone in its district: the place cards come from its province, and the field still has its share.
    assert got.place and all(c.record.place.province == lonely.place.province for c in got.place)
    assert len(got.field) >= rel.FIELD_MIN
    alone = rel.RelatedIndex([lonely]).related(lonely)
    assert not alone and alone.place == () and alone.field == ()


def test_related_is_deterministic_whatever_the_input_order():
    records = synthetic(1500, seed=3)
    first = rel.RelatedIndex(records)
    shuffled = list(records)
    random.Random(5).shuffle(shuffled)
    second = rel.RelatedIndex(shuffled)
    for r in records[:400]:
        assert slugs(first.related(r)) == slugs(second.related(r))


def test_related_takes_the_first_photo_or_none():
    records = synthetic(50)
    photos = {r.slug: ("anh-1-" + r.slug, "anh-2-" + r.slug) for r in records[::2]}
    got = rel.RelatedIndex(records).related(records[1], photos)
    for c in got.place + got.field:
        assert c.photo == (photos[c.record.slug][0] if c.record.slug in photos else None)


def test_related_is_cheap_at_100000_records():
    """Each page walks a bounded stretch of its lists, however many records share them."""
    records = synthetic(100_000, seed=1)
    started = time.perf_counter()
    index = rel.RelatedIndex(records)
    built = time.perf_counter() - started
    walked = 0
    original = index.neighbours

    def counting(key, r):
        nonlocal walked
        for other in original(key, r):
            walked += 1
            yield other

    index.neighbours = counting
    sample = records[::100]
    started = time.perf_counter()
    for r in sample:
        index.related(r)
    per_page = (time.perf_counter() - started) / len(sample)
    # Two picks of LIMIT, each skipping at most the records it was told to skip (LIMIT + 1).
    assert walked / len(sample) <= 4 * rel.LIMIT + 2, walked / len(sample)
    assert built < 20 and per_page < 0.002, (built, per_page)
