"""The page plan: which pages the site has, and what each lists.

Pure functions from the model to `Page`s; no text is produced here (that is
`render`'s job), so the plan can be tested and reused by other renderers.
Every path comes from `core/urls.py`, which also describes the site's layout;
ordering is `order.py`'s, the finder's filters `finder.py`'s, the totals and
the map `stats.py`'s.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from ..core import urls
from ..core.vntext import sort_key
from ..records.model import Corpus, Record, Term
from ..records.places import LEGACY, Unit, registry
from ..records.rules import CHILD_AGE
from ..records.schema import KIND_LABELS, KINDS
from . import books, composer, finder, stats
from .composer import Editing
from .publisher import DEFAULT, Publisher, featured_records
from .order import by_kind, latest, record_key, unit_key
from .lineage import Lineage
from .related import RelatedIndex

LATEST_ON_HOME = 12
PLACES_ON_HOME = 12
PHOTOS_PER_PAGE = 60  # photo library pages; keeps a page light on a phone
RECORDS_PER_PAGE = 100  # list pages: a kind page of a national roll would otherwise list 60,000
LATEST_ON_PLACE = 10  # province pages list districts, not every record, and their latest records
PHOTOS_PER_PLACE = 24  # place pages show the latest records' first photos


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder
    template: str
    context: dict = field(default_factory=dict)


# --- Where things live ------------------------------------------------------------
# Paths come from `urls`; these name them for the model's objects.

def record_path(r: Record) -> str:
    return urls.record(r.slug)


def current_province_path(u: Unit) -> str:
    return urls.current_province(u.slug)


def legacy_province_path(u: Unit) -> str:
    return urls.legacy_province(u.slug)


def district_path(province: Unit, district: Unit) -> str:
    return urls.district(province.slug, district.slug)


@dataclass(frozen=True)
class Pager:
    """Where a page sits in a paged list. Holds no list of paths: a page's context is
    hashed for the render memo, and 1,000 pages each carrying 1,000 paths would cost."""

    first_path: str
    count: int  # pages in the list
    number: int  # this page, from 1
    start: int  # position of this page's first item in the whole list, from 1

    def path(self, n: int) -> str:
        return urls.paged(self.first_path, n)

    @property
    def window(self) -> list[int | None]:
        return pager_window(self.count, self.number)


def paginate(first: str, items: list, size: int) -> list[tuple[str, list, Pager]]:
    """`items` cut into pages of `size`: each page's path, its items and its pager. Never empty."""
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    return [(urls.paged(first, n), chunk, Pager(first, len(chunks), n, (n - 1) * size + 1))
            for n, chunk in enumerate(chunks, start=1)]


# --- The plan -----------------------------------------------------------------------

@dataclass(frozen=True)
class Media:
    """What the image stages made: photo renditions by record slug, share images by slug."""

    photos: dict[str, tuple] = field(default_factory=dict)
    cards: dict[str, str] = field(default_factory=dict)  # slug → docs-relative JPEG


def plan(corpus: Corpus, media: Media | None = None, editing: Editing | None = None,
         editing_problem: str = "", publisher: Publisher = DEFAULT) -> list[Page]:
    """Every page. `editing` (mkdocs.yml's repository and content branch) adds the links to
    GitHub: "Sửa hồ sơ này" on records, the composer's buttons; without it, `editing_problem`
    says on the composer page which setting is missing."""
    media = media or Media()
    records = corpus.records
    spread = Lineage(records)  # where each model came from and spread to (lineage.py)
    pages = record_pages(records, records, media, editing, spread)
    pages += _place_pages(records, media.photos, publisher.scope)
    pages += _library_pages(records, media.photos)
    pages.append(Page(urls.FINDER, "finder.md.j2", {"filters": finder.finder_options(records, spread)}))
    pages += _field_pages(records, corpus.terms)
    pages += _programme_pages(records, corpus.programmes)
    pages += _year_pages(records)
    pages += books.book_pages(records)  # the printable books (books.py), not in the navigation
    pages.append(Page(urls.STATS, "stats.md.j2", stats.stats_context(records, corpus.terms, publisher.scope,
                                                                     corpus.programmes, spread)))
    pages.append(Page(urls.MAP, "map.md.j2", stats.map_context(records, publisher.scope)))
    kinds = dict(by_kind(records))
    for k in KINDS:  # every kind has its page, in the navigation even while empty
        pages += list_pages(urls.kind(k), "kind.md.j2", {"kind": k, "title": KIND_LABELS[k]}, [(k, kinds.get(k, []))])
    pages.append(Page(urls.HOME, "home.md.j2", _home(records, media.photos, publisher)))
    pages.append(composer_page(corpus, editing, editing_problem))
    pages.append(nominations_page(editing))
    return pages


def record_pages(records, chosen, media: Media, editing: Editing | None = None,
                 spread: Lineage | None = None) -> list[Page]:
    """The pages of the `chosen` records among `records` (the whole roll, which their related
    cards and lineage come from): every record's in `plan`, one saved record's in the preview's
    quick page (cli.py), so both are the same page."""
    near = RelatedIndex(records)  # the cards at the foot of each record page (related.py)
    spread = spread or Lineage(records)
    return [Page(record_path(r), "record.md.j2", {"record": r, "photos": media.photos.get(r.slug, ()),
                                                  "card": media.cards.get(r.slug),
                                                  "edit_url": editing.edit_url(r) if editing else None,
                                                  "related": near.related(r, media.photos),
                                                  "original": spread.original(r), "spread": spread.spread(r)})
            for r in chosen]


def composer_page(corpus: Corpus, editing: Editing | None, problem: str) -> Page:
    return Page(urls.COMPOSER, "composer.md.j2", {
        "form": composer.form(corpus.terms, corpus.programmes), "settings": editing, "settings_problem": problem,
        "photo_max_mib": composer.MAX_BYTES // (1024 * 1024)})


def nominations_page(editing: Editing | None) -> Page:
    """"Đề cử": how a citizen proposes a record. People and children by e-mail to the publisher
    (the template reads `site.email`); collectives and models also by the repository's public
    issue form, when the site names its repository."""
    return Page(urls.NOMINATE, "nominations.md.j2", {
        "issue_form": urls.github_issue_form(editing.repo) if editing else None, "child_age": CHILD_AGE})


def list_pages(first: str, template: str, context: dict, groups: list[tuple[str, list[Record]]]) -> list[Page]:
    """A list of records by kind, in pages of RECORDS_PER_PAGE.

    Each page gets the kind groups of its own slice (`groups`), the size of every
    whole group (`totals`), the list's length (`count`) and its `pager`.
    """
    totals = {kind: len(rs) for kind, rs in groups}
    flat = [(kind, r) for kind, rs in groups for r in rs]
    return [Page(path, template, {**context, "count": len(flat), "totals": totals, "pager": pager,
                                  "groups": _regroup(chunk)})
            for path, chunk, pager in paginate(first, flat, RECORDS_PER_PAGE)]


def _regroup(pairs: list[tuple[str, Record]]) -> list[tuple[str, list[Record]]]:
    return [(kind, [r for _, r in run]) for kind, run in groupby(pairs, key=itemgetter(0))]


def _home(records, photos: dict[str, tuple], publisher: Publisher) -> dict:
    counts = {k: sum(1 for r in records if r.kind == k) for k in KINDS}
    featured, _missing = featured_records(publisher, records, photos)
    return {
        "featured": [{"record": r, "photo": (photos.get(r.slug) or (None,))[0]} for r in featured],
        "latest_cards": [{"record": r, "photo": (photos.get(r.slug) or (None,))[0]}
                         for r in latest(records, LATEST_ON_HOME)],
        "places": _home_places(records, publisher.scope),
        "total": len(records), "counts": counts, "latest": latest(records, LATEST_ON_HOME),
        "provinces": len({r.place.current_province.code for r in records}),
        "districts": len({r.place.district.code for r in records if r.place.district}),
        "years": sorted({r.year for r in records}),
    }


@dataclass(frozen=True)
class PlaceCount:
    unit: Unit
    count: int


def _home_places(records, scope, limit: int = PLACES_ON_HOME) -> list[PlaceCount]:
    """The provinces of today with the most records (the publisher's own first): the home page's
    way in by place. Only places with records: a list of 34 names, most with 0, says nothing."""
    counts = Counter(r.place.current_province for r in records)
    mine = scope.province.code if scope else None
    ranked = sorted(counts.items(), key=lambda uc: (uc[0].code != mine and not (scope and any(
        p.code == mine for p in registry().predecessors(uc[0]))), -uc[1], unit_key(uc[0])))
    return [PlaceCount(u, n) for u, n in ranked[:limit]]


def _place_pages(records, photos: dict[str, tuple], scope=None) -> list[Page]:
    reg = registry()
    by_current: dict[str, list[Record]] = defaultdict(list)
    by_legacy: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_current[r.place.current_province.code].append(r)
        if r.place.era == LEGACY:
            by_legacy[r.place.province.code].append(r)

    pages: list[Page] = []
    current_rows = []
    for prov in sorted(reg.current_provinces.units, key=unit_key):
        recs = by_current.get(prov.code, [])
        olds = [_legacy_group(old, by_legacy.get(old.code, [])) for old in sorted(reg.predecessors(prov), key=unit_key)]
        current_rows.append({"unit": prov, "count": len(recs), "olds": [o for o in olds if o["count"]],
                             "merged_from": [o["unit"] for o in olds],
                             "scope": scope is not None and scope.province.code in {prov.code, *(o["unit"].code for o in olds)}})
        if recs:
            pages.append(Page(current_province_path(prov), "province.md.j2", {
                "unit": prov, "count": len(recs), "olds": [o for o in olds if o["count"]],
                "merged_from": [o["unit"] for o in olds],
                "communes": _commune_groups([r for r in recs if r.place.era != LEGACY]),
                "latest": latest(recs, LATEST_ON_PLACE), "photos": place_photos(recs, photos),
            }))
    for old in sorted(reg.legacy_provinces.units, key=unit_key):
        recs = by_legacy.get(old.code, [])
        group = _legacy_group(old, recs)
        group["successor"] = reg.successor[old.code]
        if recs:
            pages.append(Page(legacy_province_path(old), "old_province.md.j2",
                              {**group, "latest": latest(recs, LATEST_ON_PLACE), "photos": place_photos(recs, photos)}))
            pages += _district_pages(old, group["successor"], recs, photos)
    # The publisher's own province leads the index (publisher.Scope); the rest keep their order.
    current_rows.sort(key=lambda row: not row["scope"])
    pages.append(Page(urls.PLACES, "places.md.j2", {"current": current_rows}))
    return pages


@dataclass(frozen=True)
class DistrictRow:
    """A former district in a province's list: how many records of each kind it has."""

    unit: Unit
    count: int
    kinds: tuple[tuple[str, int], ...]


def _by_district(records: list[Record]) -> dict[Unit, list[Record]]:
    groups: dict[Unit, list[Record]] = defaultdict(list)
    for r in records:
        groups[r.place.district].append(r)
    return {u: groups[u] for u in sorted(groups, key=unit_key)}


def _legacy_group(old: Unit, records: list[Record]) -> dict:
    """A former province and its districts, with counts only: the district pages list the records."""
    districts = []
    for u, rs in _by_district(records).items():
        kinds = Counter(r.kind for r in rs)
        districts.append(DistrictRow(u, len(rs), tuple((k, kinds[k]) for k in KINDS if kinds[k])))
    return {"unit": old, "count": len(records), "districts": districts}


def _district_pages(old: Unit, successor: Unit, records: list[Record], photos: dict[str, tuple]) -> list[Page]:
    pages = []
    for unit, recs in _by_district(records).items():
        context = {"province": old, "successor": successor, "unit": unit, "photos": place_photos(recs, photos)}
        pages += list_pages(district_path(old, unit), "district.md.j2", context, by_kind(recs))
    return pages


def _commune_groups(records: list[Record]) -> list[dict]:
    """Records under their commune; those without one come last, under the wider unit."""
    groups: dict[str | None, list[Record]] = defaultdict(list)
    units: dict[str, Unit] = {}
    for r in records:
        code = r.place.commune.code if r.place.commune else None
        groups[code].append(r)
        if r.place.commune:
            units[code] = r.place.commune
    ordered = sorted((c for c in groups if c), key=lambda c: unit_key(units[c]))
    result = [{"unit": units[c], "records": sorted(groups[c], key=record_key)} for c in ordered]
    if None in groups:
        result.append({"unit": None, "records": sorted(groups[None], key=record_key)})
    return result


def _field_pages(records, terms: dict[str, Term]) -> list[Page]:
    by_field: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        for t in r.fields:
            by_field[t.key].append(r)
    ordered = sorted(terms.values(), key=lambda t: sort_key(t.name))
    pages = [page for t in ordered if by_field[t.key]
             for page in list_pages(urls.field(t.key), "field.md.j2", {"term": t}, by_kind(by_field[t.key]))]
    pages.append(Page(urls.FIELDS, "fields.md.j2", {
        "rows": [{"term": t, "count": len(by_field[t.key])} for t in ordered]}))
    return pages


def _programme_pages(records, programmes: dict[str, Term]) -> list[Page]:
    """A page per programme that has records, listed like a field's; the index names only those:
    a campaign of the vocabulary no record belongs to yet would be an empty page."""
    by_programme: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        for t in r.programmes:
            by_programme[t.key].append(r)
    ordered = [t for t in sorted(programmes.values(), key=lambda t: (sort_key(t.name), t.key)) if by_programme[t.key]]
    pages = [page for t in ordered
             for page in list_pages(urls.programme(t.key), "programme.md.j2", {"term": t}, by_kind(by_programme[t.key]))]
    pages.append(Page(urls.PROGRAMMES, "programmes.md.j2", {
        "rows": [{"term": t, "count": len(by_programme[t.key])} for t in ordered]}))
    return pages


def _year_pages(records) -> list[Page]:
    by_year: dict[int, list[Record]] = defaultdict(list)
    for r in records:
        by_year[r.year].append(r)
    years = sorted(by_year, reverse=True)
    pages = [page for y in years for page in list_pages(urls.year(y), "year.md.j2", {"year": y}, by_kind(by_year[y]))]
    pages.append(Page(urls.YEARS, "years.md.j2", {"rows": [{"year": y, "count": len(by_year[y])} for y in years]}))
    return pages


# --- Photos -------------------------------------------------------------------------

def place_photos(records, photos: dict[str, tuple]) -> list:
    """The first photo of each of the latest records that have one."""
    firsts = [photos[r.slug][0] for r in latest(records, len(records)) if photos.get(r.slug)]
    return firsts[:PHOTOS_PER_PLACE]


def _library_pages(records, photos: dict[str, tuple]) -> list[Page]:
    """Every published photo, latest records first, in pages of PHOTOS_PER_PAGE."""
    items = [p for r in latest(records, len(records)) for p in photos.get(r.slug, ())]
    return [Page(path, "library.md.j2", {"items": chunk, "total": len(items), "pager": pager})
            for path, chunk, pager in paginate(urls.library(1), items, PHOTOS_PER_PAGE)]


def pager_window(count: int, current: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and a few around the current one; None marks a gap.

    Bounded, so that 5,000 library pages do not each carry 5,000 links.
    """
    shown = sorted({1, count, *range(max(1, current - around), min(count, current + around) + 1)})
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] > 1:
            window.append(None)
        window.append(n)
    return window
