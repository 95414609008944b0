"""The printed sheets and books: what a sheet prints, how it is cut to fit, its QR code, and how
records are gathered into books (generator/site/books.py, qr.py, templates/_sheet.html.j2,
book.md.j2). Printing itself is tests/browser/test_browser_print.py."""

from __future__ import annotations

import json
import dataclasses
import html
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
import segno

from generator.core import urls
from generator.records.model import Corpus, Honour
from generator.records.places import CURRENT, LEGACY, registry
from generator.records.validate import validate
from generator.site import books, qr
from generator.site.order import unit_key
from generator.site.plan import plan
from generator.site.publisher import Publisher
from generator.site.render import Renderer

from conftest import CONTENT

SITE_URL = "https://sovang.example.vn/"
PUBLISHER = Publisher(site_name="Sổ vàng người tốt, việc tốt", site_url=SITE_URL,
                      organisation="Ban Thường vụ Tỉnh đoàn Quảng Ngãi", address="123 Hùng Vương",
                      email="sovang@tinhdoan.example.vn", phone="0255 3 822 000")
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)> {{ 7*7 }} [x](javascript:alert(3)) *em*'


@pytest.fixture(scope="module")
def sample():
    corpus, report = validate(CONTENT)
    assert not report.errors
    return corpus


@pytest.fixture(scope="module")
def records(sample):
    return sample.records


def _record(records, slug="nguyen-thi-my-hanh", **changes):
    [r] = [r for r in records if r.slug == slug]
    return dataclasses.replace(r, **changes)


def _sheet(record, publisher: Publisher = PUBLISHER) -> str:
    """The sheet as record.md.j2 calls it (`html_block` makes the macro's escaped HTML one raw block)."""
    renderer = Renderer(publisher=publisher)
    page = renderer.env.from_string('{% import "_sheet.html.j2" as s with context %}{{ s.sheet(record) | html_block }}')
    text = page.render(record=record, page_path=urls.record(record.slug))
    [sheet] = re.findall(r'<section class="sv-sheet".*?</div></section>', text, re.DOTALL)
    return sheet


def _visible(sheet: str) -> str:
    """The sheet's text as a reader sees it: tags gone, entities read, whitespace folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", sheet)).split())


# --------------------------------------------------------------------------- the sheet

def test_a_sheet_prints_the_site_the_record_its_address_and_the_publisher(records):
    record = _record(records, honours=(Honour("Bằng khen", "UBND tỉnh Bình Dương", "12/QĐ-UBND"),))
    sheet = _sheet(record)
    text = _visible(sheet)
    for expected in ("Sổ vàng người tốt, việc tốt", "Ban Thường vụ Tỉnh đoàn Quảng Ngãi", record.name, record.role,
                     record.kind_label, "Phường Tân Phước Khánh, Thành phố Tân Uyên, Tỉnh Bình Dương",
                     "Ghi danh ngày 05/07/2020", record.summary, "Bằng khen",
                     "của UBND tỉnh Bình Dương, Quyết định số 12/QĐ-UBND",
                     f"{SITE_URL}ho-so/nguyen-thi-my-hanh/",
                     "123 Hùng Vương · 0255 3 822 000 · sovang@tinhdoan.example.vn"):
        assert expected in text, expected
    assert "khen thưởng khác" not in text
    assert 'src="../../assets/images/logo.svg"' in sheet  # the publisher's logo, from the record's folder
    assert "<a " not in sheet  # paper has no links
    assert sheet.count("<svg") == 2 and 'class="sv-sheet__qr-code"' in sheet  # the ornament's star and the QR code


def test_the_record_page_ends_with_its_sheet(sample):
    pages = {p.path: p for p in plan(sample, publisher=PUBLISHER)}
    text = Renderer(publisher=PUBLISHER).render(pages[urls.record("nguyen-thi-my-hanh")])
    sheet = text[text.rindex('<section class="sv-sheet"'):]
    assert "Nguyễn Thị Mỹ Hạnh" in sheet and "\n\n" not in sheet.strip()  # one raw HTML block


def test_without_a_site_address_the_sheet_prints_the_path_and_no_qr_code(records):
    record = _record(records)
    sheet = _sheet(record, dataclasses.replace(PUBLISHER, site_url=None))
    assert "/ho-so/nguyen-thi-my-hanh/" in _visible(sheet) and "https://" not in sheet
    assert "sv-sheet__qr" not in sheet


def test_a_long_list_of_honours_shows_the_first_and_counts_the_rest(records):
    honours = tuple(Honour(f"Bằng khen số {i}", "UBND tỉnh") for i in range(1, 21))
    text = _visible(_sheet(_record(records, honours=honours)))
    shown = [i for i in range(1, 21) if f"Bằng khen số {i} " in text]
    assert shown == list(range(1, books.HONOURS_ON_SHEET + 1))
    assert f"và {20 - books.HONOURS_ON_SHEET} khen thưởng khác" in text
    # Under a very long name, one fewer.
    long_name = _record(records, honours=honours, name="Tập thể " + "rất dài " * 20)
    assert len(long_name.name) > books.CROWDED_NAME
    assert f"và {21 - books.HONOURS_ON_SHEET} khen thưởng khác" in _visible(_sheet(long_name))


def test_exactly_the_shown_number_of_honours_needs_no_more_line(records):
    honours = tuple(Honour(f"Bằng khen số {i}") for i in range(books.HONOURS_ON_SHEET))
    assert "khen thưởng khác" not in _visible(_sheet(_record(records, honours=honours)))


def test_a_long_summary_is_cut_at_a_word_with_an_ellipsis(records):
    summary = " ".join(f"từ{i}" for i in range(400))  # ~2,400 characters: over any limit
    facts = books.sheet_facts(_record(records, summary=summary), SITE_URL)
    assert len(facts.summary) <= books.SUMMARY_ON_SHEET and facts.summary.endswith("…")
    assert summary.startswith(facts.summary[:-1]) and facts.summary[:-1].split()[-1] in summary.split()
    assert facts.summary in _visible(_sheet(_record(records, summary=summary)))


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("ngắn", 10, "ngắn"),
    ("một hai ba bốn năm", 18, "một hai ba bốn năm"),
    ("một hai ba bốn năm", 13, "một hai ba…"),  # never "một hai ba b…"
    ("một hai ba, bốn năm", 13, "một hai ba…"),  # no comma before the ellipsis
    ("một hai ba bốn", 11, "một hai ba…"),  # the cut falls on a space: the word before it is whole
    ("a" * 50, 10, "a" * 9 + "…"),  # no space: cut inside, the limit still holds
    ("một\n\n  hai", 20, "một hai"),
    (None, 5, ""),
])
def test_clip(text, limit, expected):
    assert books.clip(text, limit) == expected
    assert len(books.clip(text, limit)) <= limit


def test_honour_texts_and_the_line_under_the_name_are_cut(records):
    honour = Honour("Bằng khen " * 40, "Ủy ban " * 40, "1/QĐ", None)
    facts = books.sheet_facts(_record(records, honours=(honour,), role="Bí thư " * 50, organization=None), SITE_URL)
    [h] = facts.honours
    assert len(h.title) <= books.HONOUR_TITLE_ON_SHEET and len(h.detail) <= books.HONOUR_DETAIL_ON_SHEET
    assert len(facts.line) <= books.LINE_ON_SHEET and facts.line.endswith("…")


def test_hostile_record_text_is_escaped_on_the_sheet(records):
    record = _record(records, name=HOSTILE, summary=HOSTILE, role=HOSTILE,
                     honours=(Honour(HOSTILE, HOSTILE, HOSTILE),))
    sheet = _sheet(record)
    assert "<script" not in sheet and sheet.count("<img") == 1  # the logo's
    assert "onerror=alert(2)>" not in sheet  # only as escaped text
    assert "&lt;script&gt;" in sheet and "{{ 7*7 }}" in _visible(sheet) and "49" not in _visible(sheet)
    assert HOSTILE in _visible(sheet)
    # The QR code encodes the address built from the slug, nothing of the record's text.
    [svg] = re.findall(r'<svg class="sv-sheet__qr-code".*?</svg>', sheet)
    assert svg == qr.qr_svg(urls.record_url(record.slug, SITE_URL), "Mã QR dẫn đến hồ sơ trực tuyến")


# --------------------------------------------------------------------------- the QR code

def _dark_modules(svg: str) -> set[tuple[int, int]]:
    """The cells the SVG's path paints: a line one module thick through each run, every move
    after the first relative to the end of the last line."""
    path = ET.fromstring(svg).find("{http://www.w3.org/2000/svg}path")
    assert (path.get("stroke"), path.get("stroke-width"), path.get("fill")) == ("#000", "1", "none")
    d = path.get("d")
    runs = re.findall(r"([Mm])(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)h(\d+)", d)
    assert "".join(f"{c}{x} {y}h{n}" for c, x, y, n in runs) == d  # nothing else drawn
    cells, pen = set(), (0.0, 0.0)
    for i, (command, x, y, n) in enumerate(runs):
        assert (command == "M") == (i == 0)
        start = (float(x), float(y)) if command == "M" else (pen[0] + float(x), pen[1] + float(y))
        assert start[1] % 1 == 0.5  # through the middle of a row of modules
        cells.update((int(start[0]) + k, int(start[1])) for k in range(int(n)))
        pen = (start[0] + int(n), start[1])
    return cells


@pytest.mark.parametrize("url", [f"{SITE_URL}ho-so/nguyen-thi-my-hanh/", "https://a.vn/ho-so/x/"])
def test_the_qr_code_draws_the_symbol_of_the_url(url):
    svg = qr.qr_svg(url)
    matrix = segno.make_qr(url, error=qr.ERROR_LEVEL, boost_error=False).matrix
    expected = {(x + qr.QUIET_ZONE, y + qr.QUIET_ZONE) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert _dark_modules(svg) == expected
    size = len(matrix) + 2 * qr.QUIET_ZONE  # the quiet zone is inside the drawing
    root = ET.fromstring(svg)
    assert root.get("viewBox") == f"0 0 {size} {size}" and qr.modules(url) == len(matrix)
    cells = _dark_modules(svg)  # four light modules on every side, as ISO/IEC 18004 asks
    assert min(x for x, _ in cells) == min(y for _, y in cells) == 4
    assert max(x for x, _ in cells) == max(y for _, y in cells) == size - 5


def test_the_qr_code_is_deterministic_and_changes_with_the_url():
    url = f"{SITE_URL}ho-so/nguyen-thi-my-hanh/"
    first = qr.qr_svg(url)
    qr._svg.cache_clear()  # drawn again, not read from the cache
    assert qr.qr_svg(url) == first
    assert qr.qr_svg(url.replace("hanh", "hanh-2")) != first
    assert qr.qr_svg(url, 'nhãn "có" <dấu>').count("&lt;dấu&gt;") == 1  # the label is escaped


# --------------------------------------------------------------------------- the books

def _books(pages):
    return [p for p in pages if p.template == "book.md.j2" and not p.context["index"]]


def _book_records(page):
    return [r for section in page.context["sections"] for r in section["records"]]


def test_every_record_is_in_exactly_one_book_of_its_place_in_the_section_of_its_year(records):
    pages = books.book_pages(records)
    seen = Counter()
    for page in _books(pages):
        c = page.context
        first = page.path if c["pager"].number == 1 else c["pager"].first_path
        for section in c["sections"]:
            assert section["id"] == urls.book_year(section["year"], section["part"])
            for r in section["records"]:
                seen[r.slug] += 1
                assert r.year == section["year"]
                if r.place.era == LEGACY:
                    assert (r.place.province, r.place.district) == (c["province"], c["district"])
                    assert first == urls.book_district(c["province"].slug, c["district"].slug)
                else:
                    assert c["district"] is None and r.place.province == c["province"]
                    assert first == urls.book_province(c["province"].slug)
        assert [s["year"] for s in c["sections"]] == sorted((s["year"] for s in c["sections"]), reverse=True)
    assert seen == Counter({r.slug: 1 for r in records})


def test_districts_of_one_former_province_have_books_of_their_own(records):
    r = next(r for r in records if r.place.era == LEGACY)
    other = next(u for u in registry().legacy_districts[r.place.province.code].units if u != r.place.district)
    moved = dataclasses.replace(r, slug=r.slug + "-2", place=dataclasses.replace(r.place, district=other, commune=None))
    pages = books.book_pages([r, moved])
    assert sorted(p.path for p in _books(pages)) == sorted(
        urls.book_district(r.place.province.slug, u.slug) for u in (r.place.district, other))
    [index] = [p for p in pages if p.context["index"]]
    assert [d["unit"] for d in index.context["districts"]] == sorted([r.place.district, other], key=unit_key)


def test_post_reform_records_are_in_their_province_book(records):
    moved = [dataclasses.replace(r, place=dataclasses.replace(r.place, era=CURRENT, district=None),
                                 slug=r.slug + "-moi") for r in records if r.place.era == LEGACY][:3]
    moved = [dataclasses.replace(r, place=dataclasses.replace(r.place, province=r.place.current_province))
             for r in moved]
    pages = books.book_pages(list(records) + moved)
    for r in moved:
        [book] = [p for p in _books(pages) if r in _book_records(p)]
        assert book.path == urls.book_province(r.place.current_province.slug)
        assert any(m["year"] == r.year and m["target"].startswith(book.path + "#") for m in book.context["menu"])


def test_every_year_of_a_book_is_listed_with_a_link_to_its_section(records):
    pages = books.book_pages(records)
    anchors = {f"{p.path}#{s['id']}" for p in _books(pages) for s in p.context["sections"]}
    for page in _books(pages):
        assert {m["target"] for m in page.context["menu"]} <= anchors
    for page in pages:
        if page.context["index"]:
            listed = [y["target"] for d in page.context["districts"] for y in d["years"]]
            assert listed and set(listed) <= anchors
    assert {p.context["index_path"] for p in _books(pages)} - {None} <= {p.path for p in pages}


def test_a_book_page_holds_whole_years_and_a_big_year_is_cut_into_parts(records, monkeypatch):
    monkeypatch.setattr(books, "BOOK_SIZE", 3)
    base = next(r for r in records if r.place.era == LEGACY)
    big = [dataclasses.replace(base, slug=f"ban-{i:03d}") for i in range(7)]
    small = [dataclasses.replace(base, slug=f"nam-truoc-{i}", date=dataclasses.replace(base.date, year=base.year - 1 - i))
             for i in range(2)]
    parts = _books(books.book_pages(big + small))
    assert [[(s["year"], s["part"], len(s["records"])) for s in p.context["sections"]] for p in parts] == [
        [(base.year, 1, 3)], [(base.year, 2, 3)], [(base.year, 3, 1), (base.year - 1, 1, 1), (base.year - 2, 1, 1)]]
    assert parts[1].path.endswith("/trang-2/index.md") and all(p.context["count"] == 9 for p in parts)
    assert parts[0].context["menu"] == parts[2].context["menu"] and len(parts[0].context["menu"]) == 5


def test_book_pages_render_a_cover_a_year_and_a_sheet_a_record_the_same_each_time(sample):
    pages = [p for p in plan(sample, publisher=PUBLISHER) if p.template == "book.md.j2"]
    renderer = Renderer(publisher=PUBLISHER)
    for page in pages:
        text = renderer.render(page)
        assert renderer.render(page) == text  # deterministic
        if page.context["index"]:
            assert 'class="sv-books"' in text and 'class="sv-book__years"' in text
            continue
        sections = page.context["sections"]
        assert text.count('<section class="sv-sheet sv-sheet--cover"') == len(sections)
        assert text.count('<section class="sv-sheet"') == len(_book_records(page))
        assert "Bấm In để in" in text
        for s in sections:
            assert f'<div class="sv-book__year" id="{s["id"]}">' in text and f"Năm {s['year']}" in text


def test_place_pages_link_to_their_books(sample):
    pages = {p.path: p for p in plan(sample, publisher=PUBLISHER)}
    renderer = Renderer(publisher=PUBLISHER)

    def link(page: str, target: str) -> str:  # a Markdown link as render._href writes it
        return "](" + posixpath.relpath(target, posixpath.dirname(page)) + ")"

    p = next(r for r in sample.records if r.place.era == LEGACY).place
    page = urls.district(p.province.slug, p.district.slug)
    assert link(page, urls.book_district(p.province.slug, p.district.slug)) in renderer.render(pages[page])
    page = urls.legacy_province(p.province.slug)
    assert link(page, urls.books_legacy(p.province.slug)) in renderer.render(pages[page])
    # A province of today links to its book when it has records from the reform on.
    r = dataclasses.replace(sample.records[0], slug="moi")
    r = dataclasses.replace(r, place=dataclasses.replace(r.place, era=CURRENT, district=None, commune=None,
                                                          province=r.place.current_province))
    pages = {p.path: p for p in plan(Corpus((*sample.records, r), sample.terms), publisher=PUBLISHER)}
    page = urls.current_province(r.place.province.slug)
    assert link(page, urls.book_province(r.place.province.slug)) in renderer.render(pages[page])
    others = {x.place.current_province.slug for x in sample.records} - {r.place.province.slug}
    assert others and not any("in/" in renderer.render(pages[urls.current_province(slug)]) for slug in others)


def test_remembered_qr_masks_draw_the_same_bytes_and_wrong_files_are_ignored(tmp_path, monkeypatch):
    from generator.site import qr

    url = "https://sovang.example.vn/ho-so/mask-test/"
    monkeypatch.setattr(qr, "_MASKS", {})
    qr._svg.cache_clear()
    fresh = qr.qr_svg(url)
    chosen = qr._MASKS[url]
    store = tmp_path / "cache" / "qr-masks.json"
    gone = "https://sovang.example.vn/ho-so/da-go/"
    with qr.remembered_masks(store, frozenset({url})):
        qr._svg.cache_clear()
        qr.qr_svg(url)
        qr.qr_svg(gone)
    saved = json.loads(store.read_text(encoding="utf-8"))
    # A withdrawn record's address is not kept in the cache.
    assert saved["masks"] == {url: chosen} and saved["key"] == qr._MASKS_KEY

    def draw_with(data) -> str:
        monkeypatch.setattr(qr, "_MASKS", {})
        qr._svg.cache_clear()
        store.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        with qr.remembered_masks(store, frozenset({url})):
            return qr.qr_svg(url)

    assert draw_with(saved) == fresh  # the remembered mask is the one segno chose: same bytes
    other = (chosen + 1) % 8
    # The file is read (a build reuses it), so a mask from another segno must not be taken.
    assert draw_with({"key": qr._MASKS_KEY, "masks": {url: other}}) != fresh
    assert draw_with({"key": "segno 0.0", "masks": {url: other}}) == fresh
    assert draw_with("{not json") == fresh
    assert draw_with({"key": qr._MASKS_KEY, "masks": {url: 99}}) == fresh
    qr._svg.cache_clear()
