"""Related records for a record page: the same place first, then the same field.

A record page ends with a few other records as cards, so that a reader who came for one
person meets the others of their commune or district, and then others of the same field.

Cheap at any size: `RelatedIndex` sorts the records of each place and each field once, and
each record's picks are its neighbours in those lists (the records entered just before
and just after it), found by bisection. A page costs O(LIMIT + log N) however many records
share its district, never a scan of the corpus; the whole site costs O(N log N).

Why neighbours and not "the newest": with the newest, every page of a district would show
the same six records, and the older records would be linked from none. Neighbours give
each record incoming links from the records around it, and the choice is stable: a new
record changes the cards of its neighbours only, so the render memo keeps the other pages.

Deterministic: lists are ordered by (date, order.record_key), which ends in the slug.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from ..records.model import Record
from ..records.places import LEGACY
from .order import record_key

LIMIT = 6  # cards on a page, both sections together: two rows of three on a desktop
FIELD_MIN = 2  # slots kept for the field section when the place alone could fill the page


@dataclass(frozen=True)
class Card:
    """What `_cards.html.j2`'s `card` and `grid` read: the record and its first published photo."""

    record: Record
    photo: object | None  # a media.images.Rendition; None draws the typographic card


@dataclass(frozen=True)
class Related:
    place: tuple[Card, ...] = ()
    field: tuple[Card, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.place or self.field)


def place_keys(r: Record) -> tuple[tuple[str, str], ...]:
    """The record's places, nearest first: its district (before the reform) or commune (from it),
    its province of that era, and its province of today, which holds records of both eras."""
    p = r.place
    keys = []
    if p.era == LEGACY:
        if p.district:
            keys.append(("district", p.district.code))
        keys.append(("old", p.province.code))
    elif p.commune:
        keys.append(("commune", p.commune.code))
    keys.append(("now", p.current_province.code))
    return tuple(dict.fromkeys(keys))  # a current-era province is also "now": once


def field_keys(r: Record) -> tuple[tuple[str, str], ...]:
    """The record's fields in its own order: editors list the main field first."""
    return tuple(dict.fromkeys(("field", t.key) for t in r.fields))


class RelatedIndex:
    """Every place's and field's records in order of entry (date, then name)."""

    def __init__(self, records):
        lists: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for r in records:
            for key in place_keys(r) + field_keys(r):
                lists[key].append(r)
        # The sort key once per record; positions are found by bisecting on it, so no table of
        # (list, record) positions, which would hold a few entries per record.
        self.order = {r.slug: (r.date.toordinal(), record_key(r)) for r in records}
        self.lists = {key: sorted(rs, key=self._key) for key, rs in lists.items()}

    def _key(self, r: Record):
        return self.order[r.slug]

    def neighbours(self, key, r: Record) -> Iterator[Record]:
        """The records of list `key` nearest to `r`: the next, the previous, the one after, …"""
        rs = self.lists[key]
        i = bisect_left(rs, self.order[r.slug], key=self._key)
        for step in range(1, len(rs)):
            found = False
            for j in (i + step, i - step):
                if 0 <= j < len(rs):
                    found = True
                    yield rs[j]
            if not found:
                return

    def pick(self, r: Record, keys, skip: set[str], n: int) -> list[Record]:
        """Up to `n` records from the lists `keys`, nearest list first, none of them in `skip`.
        Each list's walk skips at most len(skip) + n records, so this is O(n) per list."""
        chosen: list[Record] = []
        seen = set(skip)
        for key in keys:
            for other in self.neighbours(key, r):
                if len(chosen) == n:
                    return chosen
                if other.slug not in seen:
                    seen.add(other.slug)
                    chosen.append(other)
        return chosen

    def related(self, r: Record, photos: dict[str, tuple] | None = None, limit: int = LIMIT) -> Related:
        """At most `limit` cards: the same place first, at least FIELD_MIN of the same field when
        there are some, and no record twice. `photos`: renditions by slug (consent already applied)."""
        place = self.pick(r, place_keys(r), {r.slug}, limit)
        field = self.pick(r, field_keys(r), {r.slug, *(o.slug for o in place)}, limit)
        n_place = min(len(place), max(limit - FIELD_MIN, limit - len(field)))
        n_field = min(len(field), limit - n_place)
        photos = photos or {}
        card = lambda o: Card(o, (photos.get(o.slug) or (None,))[0])  # noqa: E731
        return Related(tuple(map(card, place[:n_place])), tuple(map(card, field[:n_field])))
