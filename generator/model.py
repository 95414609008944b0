"""The typed model that every renderer reads: validated, immutable records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .places import Place
from .schema import KIND_LABELS


@dataclass(frozen=True)
class Term:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Photo:
    file: str
    caption: str
    credit: str
    alt: str
    line: int = 0  # where `file:` is in entry.yml, for problems found after validation
    col: int = 0


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    publisher: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Honour:
    title: str
    issuer: str | None = None
    decision: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Result:
    label: str
    value: int | float | str
    unit: str | None = None


@dataclass(frozen=True)
class Consent:
    name: bool
    photo: bool = False
    story: bool = False
    given_by: str | None = None
    date: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Record:
    slug: str
    kind: str
    name: str
    summary: str
    date: dt.date
    place: Place
    fields: tuple[Term, ...]
    folder: Path
    organization: str | None = None
    contact: str | None = None  # an organisation's public contact, the one field that may hold one
    photos: tuple[Photo, ...] = ()
    sources: tuple[Source, ...] = ()
    honours: tuple[Honour, ...] = ()
    results: tuple[Result, ...] = ()
    birth_year: int | None = None
    role: str | None = None
    consent: Consent | None = None
    story: str | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def show_story(self) -> bool:
        # A person's story is published only with their consent to it.
        return bool(self.story) and (self.kind != "person" or bool(self.consent and self.consent.story))


@dataclass(frozen=True)
class Corpus:
    records: tuple[Record, ...]
    terms: dict[str, Term]
