"""Totals and the map: what the statistics and map pages count, and where each row or point links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..core import urls
from ..core.vntext import sort_key, toc_slugify
from ..records.model import Term
from ..records.places import LEGACY, Place, Unit, registry
from ..records.schema import KIND_LABELS, KINDS
from .order import unit_key


@dataclass(frozen=True)
class Tally:
    """One row of a statistics table or chart: `target` is the page listing those records."""

    label: str
    count: int
    target: str | None = None


def stats_context(records, terms: dict[str, Term]) -> dict:
    """The statistics page (`thong-ke/`): totals by kind, province, field and year, each row linking its list."""
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
    }


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


def map_context(records) -> dict:
    """The map page (`ban-do/`): a point per place that has records, drawn over the communes of today."""
    homes = Counter(map_home(r.place) for r in records)  # Units are values: equal units, one point
    places = sorted((MapPlace(unit, within, n, target) for (unit, within, target), n in homes.items()),
                    key=lambda p: (unit_key(p.within), p.within.era, unit_key(p.unit)))
    reg = registry()
    land = [(u.lat, u.lon) for index in reg.current_communes.values() for u in index.units if u.lat is not None]
    zones = {u.short: u for index in reg.current_communes.values() for u in index.units if u.name.startswith("Đặc khu")}
    capital = next(u for u in reg.current_provinces.units if u.short == "Hà Nội")
    landmarks = [(capital.lat, capital.lon, "Hà Nội")] + [(zones[z].lat, zones[z].lon, zones[z].name)
                                                         for z in ("Hoàng Sa", "Trường Sa") if z in zones]
    return {"places": places, "land": land, "landmarks": landmarks, "total": len(records)}
