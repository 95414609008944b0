"""The order of records and units on every page: Vietnamese alphabetical, people by given name."""

from __future__ import annotations

from collections import defaultdict

from ..core.vntext import person_name_key, sort_key
from ..records.model import Record
from ..records.places import Unit
from ..records.schema import KINDS, PERSON


def record_key(r: Record):
    """Vietnamese order; people by given name, as in any Vietnamese roll."""
    return (person_name_key(r.name) if r.kind == PERSON else sort_key(r.name)), r.slug


def unit_key(u: Unit):
    return sort_key(u.short), u.code


def by_kind(records) -> list[tuple[str, list[Record]]]:
    """Records split into the three kinds, each sorted; empty kinds left out."""
    groups = defaultdict(list)
    for r in records:
        groups[r.kind].append(r)
    return [(k, sorted(groups[k], key=record_key)) for k in KINDS if groups[k]]


def latest(records, n: int) -> list[Record]:
    return sorted(records, key=lambda r: (-r.date.toordinal(), record_key(r)))[:n]
