"""Where a model spread: its replicas, the places it was replicated in, and the model it came from.

A model ("mô hình") is honoured as much for spreading as for itself: a reader of the original
should see where it was taken up, and a reader of a replica where it came from. Both directions
come from one field, `replicates` on the replica, plus the original's own `replicated_in` for
places without a record; `Lineage` inverts the first once per corpus (O(N)), like
related.RelatedIndex, so no page scans the roll.

The validator guarantees that `replicates` names an initiative of the corpus, not the record
itself, with no cycle; but the original may have been withdrawn since (a takedown removes it
from the corpus, not its replicas' keys). Then the replica shows nothing about it: the page
must not name, or link, a record that is no longer published.

What a page shows is all in its context (`Spread`, the original `Record`), so the render memo
re-renders an original's page when a replica changes, and a replica's when its original does.

Deterministic: entries are ordered by date (first day; undated entries last), then Vietnamese
name order, then slug or position.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ..core.period import Period
from ..core.vntext import sort_key
from ..records.model import Record, Replication
from ..records.places import Place, Unit, registry
from .order import record_key

MOST_REPLICATED = 10  # rows of the statistics table


@dataclass(frozen=True)
class Entry:
    """One line of an original's "Đã được nhân rộng": a replica record, or a `replicated_in` item."""

    record: Record | None = None  # a replica with a page of its own
    replication: Replication | None = None

    @property
    def date(self) -> Period | None:
        return self.record.date if self.record else self.replication.date

    @property
    def place(self) -> Place | None:
        return self.record.place if self.record else self.replication.place

    @property
    def places(self) -> int:
        """How many places this line stands for: a record or a place is one, a count is its number."""
        if self.record:
            return 1
        return self.replication.count or 1


@dataclass(frozen=True)
class Spread:
    """An original's replications, in order, and the number of places they make."""

    entries: tuple[Entry, ...]

    @property
    def total(self) -> int:
        return sum(e.places for e in self.entries)

    @property
    def mapped(self) -> tuple[Entry, ...]:
        """The entries the spread map can place: those with a place (a count alone is listed, not mapped)."""
        return tuple(e for e in self.entries if e.place is not None)


def place_words(place: Place) -> str:
    """"Huyện Kim Bảng, Tỉnh Hà Nam": a place with its unit words, as the record wrote them."""
    return ", ".join(place.name_shown(u) for u in place.shown())


def map_unit(place: Place) -> Unit | None:
    """The most precise unit of a place that has coordinates: where its dot goes."""
    return next((u for u in place.shown() if u.lat is not None and u.lon is not None), None)


def _entry_key(e: Entry, position: int) -> tuple:
    when = e.date.sort_key if e.date else (dt.date.max, dt.date.max)
    if e.record:
        return (when, 0, record_key(e.record))
    name = place_words(e.place) if e.place else ""
    return (when, 1, sort_key(name), name, position)


class Lineage:
    """Every original's replicas, by the original's slug, built once for the corpus."""

    def __init__(self, records):
        self.by_slug = {r.slug: r for r in records}
        replicas: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            if r.replicates and r.replicates in self.by_slug:
                replicas[r.replicates].append(r)
        self.replicas = dict(replicas)

    def original(self, r: Record) -> Record | None:
        """The model `r` replicates, if it is still published."""
        return self.by_slug.get(r.replicates) if r.replicates else None

    def spread(self, r: Record) -> Spread | None:
        """`r`'s replicas and `replicated_in` entries in order, or None when it has none."""
        items = [Entry(record=o) for o in self.replicas.get(r.slug, ())]
        items += [Entry(replication=x) for x in r.replicated_in]
        if not items:
            return None
        ordered = sorted(enumerate(items), key=lambda pair: _entry_key(pair[1], pair[0]))
        return Spread(tuple(e for _, e in ordered))

    def replicated(self) -> list[tuple[Record, Spread]]:
        """Every original with at least one replication, the most places first (ties in name order)."""
        found = [(r, s) for r in self.by_slug.values() if (s := self.spread(r))]
        return sorted(found, key=lambda rs: (-rs[1].total, record_key(rs[0])))

    def most_replicated(self, limit: int = MOST_REPLICATED) -> list[tuple[Record, Spread]]:
        return self.replicated()[:limit]

    # The finder's facet "Nhân rộng" (finder.py): originals that spread, and replicas of a published model.
    def has_spread(self, r: Record) -> bool:
        return r.slug in self.replicas or bool(r.replicated_in)

    def is_replica(self, r: Record) -> bool:
        return self.original(r) is not None


# --- The spread map (charts.spread_map) ------------------------------------------------------
# Drawn over today's communes of the provinces the places are in, not the whole country: a
# model that spread across one province would be a cluster of dots in a corner of Vietnam, and
# 3,000 land dots on every original's page cost more than its text. A province's communes draw
# its shape, which a reader knows; a box around the dots would draw a rectangle.


def _point(place: Place) -> tuple[float, float, str] | None:
    u = map_unit(place)
    return (u.lat, u.lon, place_words(place)) if u else None


def spread_points(r: Record, spread: Spread) -> tuple[tuple[float | None, float | None, str], list]:
    """The original's (lat, lon, name) and each mapped replication's, one per place."""
    origin = _point(r.place) or (None, None, place_words(r.place))
    places = [p for p in (_point(e.place) for e in spread.mapped) if p]
    return origin, sorted(set(places))


def spread_land(r: Record, spread: Spread) -> list[tuple[float, float]]:
    """The communes of today of every province the original and its mapped places are in."""
    communes = registry().current_communes
    codes = sorted({r.place.current_province.code, *(e.place.current_province.code for e in spread.mapped)})
    return sorted((u.lat, u.lon) for code in codes if code in communes for u in communes[code].units
                  if u.lat is not None)
