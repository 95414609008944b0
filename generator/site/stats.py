"""Totals and the map: what the statistics and map pages count, and where each row or point links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..core import urls
from ..core.vntext import sort_key, toc_slugify
from ..records.model import Record, Term
from ..records.places import LEGACY, Place, Unit, registry
from ..records.schema import KIND_LABELS, KINDS
from .lineage import Lineage
from .order import unit_key
from .publisher import Scope


@dataclass(frozen=True)
class Tally:
    """One row of a statistics table or chart: `target` is the page listing those records."""

    label: str
    count: int
    target: str | None = None


def stats_context(records, terms: dict[str, Term], scope: Scope | None = None,
                  programmes: dict[str, Term] | None = None, lineage: Lineage | None = None) -> dict:
    """The statistics page (`thong-ke/`): totals by kind, province, field and year, each row linking its list;
    the models replicated most (`spread_context`).

    With the publisher's `scope`, the page leads with the records of that area, by its places.
    """
    provinces = Counter(r.place.current_province for r in records)
    by_province = sorted(provinces.items(), key=lambda t: (-t[1], unit_key(t[0])))
    fields = Counter(t.key for r in records for t in r.fields)
    years = Counter(r.year for r in records)
    return {
        "total": len(records),
        "by_kind": [Tally(KIND_LABELS[k], sum(1 for r in records if r.kind == k), urls.kind(k)) for k in KINDS],
        "by_province": [Tally(u.name, n, urls.current_province(u.slug)) for u, n in by_province],
        "by_field": [Tally(t.name, fields[t.key], urls.field(t.key))
                     for t in sorted(terms.values(), key=lambda t: (-fields[t.key], sort_key(t.name))) if fields[t.key]],
        "by_year": [Tally(str(y), years[y], urls.year(y)) for y in sorted(years)],
        "scope": scope.name if scope else "",
        "scope_district": bool(scope and scope.district),
        "in_scope": sum(1 for r in records if scope.holds(r.place)) if scope else 0,
        "by_scope": by_scope(records, scope) if scope else [],
        **spread_context(lineage or Lineage(records), records, programmes or {}),
    }


def by_scope(records, scope: Scope) -> list[Tally]:
    """The records of the publisher's area by place, most first, each row linking the page that lists them.

    A province of today is counted by the most precise unit that has a page or a heading
    of its own (`map_home`): its communes, and its former districts for records made
    before the reform, named with their former province where that is not the scope's
    own. A former district is counted by its communes, on the district's page.
    """
    inside = [r for r in records if scope.holds(r.place)]
    if scope.district is not None:
        page = urls.district(scope.province.slug, scope.district.slug)
        communes = Counter(r.place.commune for r in inside)  # None: the district as a whole
        rows = sorted(communes.items(), key=lambda t: (-t[1], t[0] is None, unit_key(t[0]) if t[0] else ()))
        return [Tally(u.name if u else scope.district.name, n, page) for u, n in rows]
    homes = Counter(map_home(r.place) for r in inside)
    rows = sorted(homes.items(), key=lambda t: (-t[1], t[0][1].era, unit_key(t[0][1]), unit_key(t[0][0])))
    return [Tally(unit.name if unit == within or within == scope.province else f"{unit.name}, {within.name}", n, target)
            for (unit, within, target), n in rows]


@dataclass(frozen=True)
class Spreading:
    """A row of "Mô hình được nhân rộng nhiều nhất": equal totals share a rank (1, 2, 2, 4)."""

    rank: int
    record: Record
    places: int


def spread_context(lineage: Lineage, records, programmes: dict[str, Term]) -> dict:
    """The models replicated in the most places (lineage.py counts them), and how many
    programmes of the vocabulary have records."""
    rows, rank, previous = [], 0, None
    for position, (r, spread) in enumerate(lineage.most_replicated(), start=1):
        if spread.total != previous:
            rank, previous = position, spread.total
        rows.append(Spreading(rank, r, spread.total))
    used = {t.key for r in records for t in r.programmes}
    return {"most_replicated": rows, "replicated_models": len(lineage.replicated()),
            "programme_count": sum(1 for key in programmes if key in used)}


@dataclass(frozen=True)
class MapPlace:
    """A point of the map: where it is drawn, the province named beside it, and its page."""

    unit: Unit
    within: Unit
    count: int
    target: str  # a docs path, with an #anchor for a commune on its province page


def map_home(place: Place) -> tuple[Unit, Unit, str]:
    """The most precise unit that has a page (or a heading) of its own, its province, and that page."""
    if place.era == LEGACY:
        if place.district:
            return place.district, place.province, urls.district(place.province.slug, place.district.slug)
        return place.province, place.province, urls.legacy_province(place.province.slug)
    if place.commune:
        return place.commune, place.province, f"{urls.current_province(place.province.slug)}#{toc_slugify(place.commune.name)}"
    return place.province, place.province, urls.current_province(place.province.slug)


def map_context(records, scope: Scope | None = None) -> dict:
    """The map page (`ban-do/`): a point per place that has records, drawn over the communes of today.

    With the publisher's `scope`, the map is of that area: its communes (of today for a
    province, before the reform for a former district) and the places in it; the list
    under the map still names every place.
    """
    places = _places(records)
    reg = registry()
    zones = {u.short: u for index in reg.current_communes.values() for u in index.units if u.name.startswith("Đặc khu")}
    zones = [zones[z] for z in ("Hoàng Sa", "Trường Sa") if z in zones]
    if scope is None:
        land = [(u.lat, u.lon) for index in reg.current_communes.values() for u in index.units if u.lat is not None]
        capital = next(u for u in reg.current_provinces.units if u.short == "Hà Nội")
        landmarks = [(capital.lat, capital.lon, "Hà Nội")] + [(z.lat, z.lon, z.name) for z in zones]
        return {"places": places, "map_places": places, "land": land, "landmarks": landmarks,
                "total": len(records), "scope": "", "elsewhere": 0}
    if scope.district is not None:
        area = reg.legacy_communes.get(scope.district.code)
        units = area.units if area else [scope.district]
    else:
        units = reg.current_communes[scope.province.code].units
    land = [(u.lat, u.lon) for u in units if u.lat is not None]
    # Hoàng Sa belongs to Đà Nẵng and Trường Sa to Khánh Hòa: named on those provinces' maps.
    codes = {u.code for u in units}
    landmarks = [(z.lat, z.lon, z.name) for z in zones if z.code in codes]
    mine = _places([r for r in records if scope.holds(r.place)])
    return {"places": places, "map_places": mine, "land": land, "landmarks": landmarks, "total": len(records),
            "scope": scope.name, "elsewhere": len(places) - len(mine)}


def _places(records) -> list[MapPlace]:
    homes = Counter(map_home(r.place) for r in records)  # Units are values: equal units, one point
    return sorted((MapPlace(unit, within, n, target) for (unit, within, target), n in homes.items()),
                  key=lambda p: (unit_key(p.within), p.within.era, unit_key(p.unit)))
