"""Printed sheets and books: a record on one A4 sheet, and the "Sổ vàng" of a place and a year.

A record page ends with its sheet (templates/_sheet.html.j2), hidden on screen and the only
thing the browser prints from that page (theme/assets/stylesheets/sovang-print.css). A book
page holds, for each year, a cover and the sheets of every record of one place entered that
year, one sheet a printed page, for the ceremony where the roll is read out.

Books are grouped the way the roll is kept:
- before 01/7/2025, by former district (`record.place.district`, era LEGACY): the district was
  the level that held the ceremony, and a former district keeps its records;
- from 01/7/2025 there is no district level, so by province of today. A commune's book would
  hold one or two records (3,300 communes), and the province is who reads the roll out now;
  the sheets name each record's commune.
A book has a section a year, each with its cover; a link to a year's section (`#nam-2024`,
`urls.book_year`) shows and prints that year alone. District pages link to their district's
book, province pages to theirs, a former province's page to the list of its districts' books
(`urls.books_legacy`).

Sheets must fit one A4 page whatever a record holds, so what could grow is cut here, at
build time, where the cut is deterministic and made at a word (`sheet_facts`); the stylesheet
clamps again, in case fonts differ, and gives the sheet a fixed height.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from ..core import urls
from ..core.period import vi_when
from ..records.model import Honour, Record
from ..records.places import LEGACY, Unit, registry
from ..records.schema import KINDS
from . import plan as _plan  # a module, not its names: plan.py imports this module back
from .order import by_kind, unit_key
from .qr import qr_svg

# --- What one sheet shows ------------------------------------------------------------
# Measured on A4 in Chromium with Debian's DejaVu Serif, wider than the Times New Roman of most
# office PCs (tests/browser/test_browser_print.py prints the worst case, 8 mm to spare:
# a 200-character name, a 300-character summary, 20 honours with 200-character titles).
HONOURS_ON_SHEET = 4  # then "và N khen thưởng khác"; one fewer under a long name
MID_NAME, LONG_NAME = 36, 72  # characters: above them the name is set smaller (sovang-print.css)
CROWDED_NAME = 120  # characters: above it the name takes five lines, and one honour fewer shows
SUMMARY_ON_SHEET = 300  # characters: the format's limit today (schema.py); a cut if it grows
# An honour's title and its detail (who gave it, the decision, the date) are cut here, and
# the stylesheet clamps each honour to two lines: at the format's 200 characters the two
# together would take five.
HONOUR_TITLE_ON_SHEET = 90
HONOUR_DETAIL_ON_SHEET = 90
LINE_ON_SHEET = 100  # the role and the organisation under the name
ELLIPSIS = "…"
_TRAIL = " ,;:·-–—(/"  # never left before the ellipsis

BOOK_SIZE = 100  # sheets a book page holds (about 0.5 MB of HTML): a big place is paged


def clip(text: str | None, limit: int) -> str:
    """`text` on one line, cut to at most `limit` characters at a word boundary, with "…".

    A text without a space in its last third (a hostile run of letters) is cut inside the
    word instead: the limit holds whatever the text."""
    words = " ".join(str(text or "").split())
    if len(words) <= limit:
        return words
    cut = words[: limit - len(ELLIPSIS)]
    if words[len(cut)] != " ":  # the cut fell inside a word: drop the broken word
        head, space, _ = cut.rpartition(" ")
        if space and len(head) >= limit * 2 // 3:
            cut = head
    return cut.rstrip(_TRAIL) + ELLIPSIS


@dataclass(frozen=True)
class SheetHonour:
    title: str
    detail: str  # who gave it, the decision and its date, in one line; may be ""


@dataclass(frozen=True)
class SheetFacts:
    """What a record's sheet prints beyond the record's own short fields."""

    summary: str
    name_size: str  # "", "mid" or "long": the name's type size (sv-sheet__name--…)
    line: str  # role and organisation, cut; "" if none
    honours: tuple[SheetHonour, ...]
    more_honours: int  # honours left off ("và N khen thưởng khác")
    address: str  # the record's public address, or its path on the site without site_url
    qr: Markup | None  # only with an absolute address: a QR of a relative path leads nowhere


def sheet_facts(record: Record, site_url: str | None) -> SheetFacts:
    """The sheet's cut texts, the record's address and its QR code.

    Without `site_url` (the build already warns that it is missing) the sheet prints the
    record's path on the site ("ho-so/<slug>/"), which still finds the page on the site
    once one knows its address, and draws no QR: a phone cannot open a relative path."""
    absolute = urls.base(site_url) is not None
    address = urls.record_url(record.slug, site_url) if absolute else urls.served(urls.record(record.slug))
    size = "long" if len(record.name) > LONG_NAME else "mid" if len(record.name) > MID_NAME else ""
    # A very long name takes five lines even set smaller: the honours give one place up.
    shown = record.honours[:HONOURS_ON_SHEET - (len(record.name) > CROWDED_NAME)]
    line = " · ".join(x for x in (record.role, record.organization) if x)  # a role only for a person
    return SheetFacts(
        summary=clip(record.summary, SUMMARY_ON_SHEET),
        name_size=size,
        line=clip(line, LINE_ON_SHEET),
        honours=tuple(SheetHonour(clip(h.title, HONOUR_TITLE_ON_SHEET), clip(_honour_detail(h), HONOUR_DETAIL_ON_SHEET))
                      for h in shown),
        more_honours=len(record.honours) - len(shown),
        address=address,
        # qr_svg escapes its label and writes no record text: the URL is built from the slug.
        qr=Markup(qr_svg(address, "Mã QR dẫn đến hồ sơ trực tuyến")) if absolute else None,
    )


def _honour_detail(h: Honour) -> str:
    parts = [f"của {h.issuer}" if h.issuer else "",
             f"Quyết định số {h.decision}" if h.decision else "",
             vi_when(h.date) if h.date else ""]
    return ", ".join(p for p in parts if p)


# --- The books ------------------------------------------------------------------------

def book_pages(records) -> list:
    """Every book's pages and each former province's list of its districts' books (`plan.Page`s)."""
    reg = registry()
    legacy: dict[Unit, dict[Unit, list[Record]]] = defaultdict(lambda: defaultdict(list))
    current: dict[Unit, list[Record]] = defaultdict(list)
    for r in records:
        if r.place.era == LEGACY:
            if r.place.district is not None:  # the validator requires one; a book needs one
                legacy[r.place.province][r.place.district].append(r)
        else:
            current[r.place.province].append(r)

    pages = []
    for old in sorted(legacy, key=unit_key):
        successor = reg.successor[old.code]
        rows = []
        for district in sorted(legacy[old], key=unit_key):
            where = {"province": old, "district": district, "successor": successor,
                     "index_path": urls.books_legacy(old.slug)}
            book = _book(urls.book_district(old.slug, district.slug), where, legacy[old][district])
            rows.append({"unit": district, "path": book[0].path, "years": book[0].context["menu"]})
            pages += book
        pages.append(_plan.Page(urls.books_legacy(old.slug), "book.md.j2", {
            "index": True, "province": old, "successor": successor, "districts": rows}))
    for prov in sorted(current, key=unit_key):
        where = {"province": prov, "district": None, "successor": None, "index_path": None}
        pages += _book(urls.book_province(prov.slug), where, current[prov])
    return pages


def _book(first: str, where: dict, records: list[Record]) -> list:
    """A place's book: a section a year, latest first, each its records by kind, then in the
    roll's order (order.py). A page holds whole years up to BOOK_SIZE sheets; a year of more
    is cut into parts of BOOK_SIZE, each a section of its own.

    One page for all the years, not one a year: at 10,000 records (`sovang demo`) a page a
    district and year made 4,116 pages of two sheets on average (37% more pages; the build took
    23% more CPU time cold, 25% warm), a page a district 788 (7%; 6% cold, 13% warm). A year
    still prints alone: its section's anchor (`#nam-2024`) makes the stylesheet show only that
    section (sovang-print.css, :target)."""
    by_year: dict[int, list[Record]] = defaultdict(list)
    for r in records:
        by_year[r.year].append(r)
    sections = []
    for year in sorted(by_year, reverse=True):
        ordered = [r for _, rs in by_kind(by_year[year]) for r in rs]
        kinds = [(k, n) for k in KINDS if (n := sum(1 for r in ordered if r.kind == k))]
        chunks = [ordered[i:i + BOOK_SIZE] for i in range(0, len(ordered), BOOK_SIZE)]
        sections += [{"year": year, "part": n, "parts": len(chunks), "id": urls.book_year(year, n),
                      "records": chunk, "count": len(ordered), "kinds": kinds}
                     for n, chunk in enumerate(chunks, start=1)]
    # Whole sections into pages of at most BOOK_SIZE sheets (a section alone may fill one).
    paged: list[list[dict]] = [[]]
    for section in sections:
        if paged[-1] and sum(len(s["records"]) for s in paged[-1]) + len(section["records"]) > BOOK_SIZE:
            paged.append([])
        paged[-1].append(section)
    paths = [urls.paged(first, n) for n in range(1, len(paged) + 1)]
    menu = [{"year": s["year"], "part": s["part"], "parts": s["parts"], "count": s["count"],
             "target": f"{path}#{s['id']}"} for path, page in zip(paths, paged) for s in page]
    return [_plan.Page(path, "book.md.j2", {**where, "index": False, "sections": page, "menu": menu,
                                             "count": len(records),
                                             "pager": _plan.Pager(first, len(paged), n, 1)})
            for n, (path, page) in enumerate(zip(paths, paged), start=1)]
