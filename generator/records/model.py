"""The typed model that every renderer reads: validated, immutable records.

Built from the record format (`schema.RECORD`) key by key (`build_record`): a
key of the format is a field of the same name here, or is named in
`NOT_IN_MODEL` with the reason. What each output (the record's page, the open
data, the feed, the finder) leaves out of the model is listed, with the
reason, in `WITHHELD`. `tests/test_record_chain.py` walks the format and the
model, so a key added to one and forgotten in the other, or in an output,
fails a test instead of going missing from the site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..core.period import Period
from .places import Place
from .schema import CONSENT, HONOUR, KIND_LABELS, PERSON, PHOTO, PLACE, RECORD, REPLICATION, RESULT, SOURCE, ListOf, Obj


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
    date: Period | None = None


@dataclass(frozen=True)
class Replication:
    """Where a model was replicated without a record of its own: a place (resolved in the era of
    its date, or of the record's), a number of places, or a number within a place."""

    place: Place | None = None
    count: int | None = None
    date: Period | None = None
    note: str | None = None


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
    date: Period  # as precise as the source: a year, a month or a day
    place: Place
    fields: tuple[Term, ...]
    folder: Path
    programmes: tuple[Term, ...] = ()
    replicates: str | None = None  # the slug of the model this one replicates (validated: a published initiative)
    replicated_in: tuple[Replication, ...] = ()
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
        return bool(self.story) and (self.kind != PERSON or bool(self.consent and self.consent.story))


def place_line(record: Record) -> str:
    """"Phường Tân Phước Khánh, Thị xã Tân Uyên, Tỉnh Bình Dương": the place as the record names it,
    with the unit words it wrote (the registry's names are for indexes)."""
    p = record.place
    return ", ".join(p.name_shown(u) for u in p.shown())


@dataclass(frozen=True)
class Corpus:
    records: tuple[Record, ...]
    terms: dict[str, Term]
    programmes: dict[str, Term] = field(default_factory=dict)

    @property
    def newest(self) -> dt.date | None:
        """The latest first day of a record's date: what the feed and the open data are "as of" (no clock is read)."""
        return max((r.date.first for r in self.records), default=None)


# --- Built from the format ------------------------------------------------------------

# The model class of each nested block of the format. A place is resolved by the
# validator against the registry of its era (`places.Place`), not copied.
MODEL_OF = ((RECORD, Record), (PLACE, Place), (PHOTO, Photo), (SOURCE, Source), (HONOUR, Honour),
            (RESULT, Result), (CONSENT, Consent), (REPLICATION, Replication))

# Keys of the format the model does not hold, and why.
NOT_IN_MODEL = {
    "adult": "only the validator needs it, to decide that a person without a birth year is no child",
    "withdrawn": "a withdrawn record is never built, so no stage can publish any part of it",
    "withdrawn_reason": "as withdrawn: it explains a takedown to the repository's readers, not to the site's",
}

# What each output leaves out, field by field (dotted paths of the model), and why.
# Everything else the model holds must reach that output (tests/test_record_chain.py).
_CONSENT = "a permission, not content: it decides what else is shown"
_PERSONAL = "a person's consent record stays with the publisher"
_POSITION = "where the key is in entry.yml, for the editor's error messages"
# Left out of every output.
_NOWHERE = {
    "folder": "a folder on the build machine",
    "photos.line": _POSITION, "photos.col": _POSITION,
    "consent.name": _CONSENT, "consent.photo": _CONSENT, "consent.story": _CONSENT,
    "consent.given_by": _PERSONAL, "consent.date": _PERSONAL, "consent.note": _PERSONAL,
}
_FEED = "a feed entry announces a new record: its title, summary, date, author, fields and first photo; " \
        "readers follow its link for the rest"
_REPLICATION_PLACE = tuple(f"replicated_in.place.{k}" for k in (
    "era", "province", "district", "commune", "current_province", "district_as_written", "commune_as_written"))
_AS_WRITTEN = ("place.district_as_written", "place.commune_as_written")
_FINDER = "the finder searches and lists what tells records apart; the record's page has the rest"
WITHHELD = {
    "page": dict(_NOWHERE),
    "open_data": dict(_NOWHERE),
    "feed": {**_NOWHERE, **dict.fromkeys((
        "place.era", "place.province", "place.district", "place.commune", "place.current_province",
        "contact", "birth_year", "role", "story", "photos.caption", "photos.credit", "photos.alt",
        "sources.title", "sources.url", "sources.publisher", "sources.date",
        "honours.title", "honours.issuer", "honours.decision", "honours.date",
        "results.label", "results.value", "results.unit", "programmes", "replicates", *_AS_WRITTEN,
        "replicated_in.count", "replicated_in.date", "replicated_in.note", *_REPLICATION_PLACE), _FEED)},
    "finder": {**_NOWHERE, **dict.fromkeys((
        "contact", "birth_year", "story", "photos.caption", "photos.credit",
        "sources.title", "sources.url", "sources.publisher", "sources.date",
        "honours.issuer", "honours.decision", "honours.date",
        "results.label", "results.value", "results.unit",
        "replicated_in.count", "replicated_in.date", "replicated_in.note", *_REPLICATION_PLACE), _FINDER)},
}


def build_record(values: dict, **derived) -> Record:
    """A `Record` from a record's checked values, key by key of `schema.RECORD`.

    `derived` holds what the validator resolved rather than copied (slug, folder,
    the place's units, the fields' terms, the photos with their positions)."""
    return _build(Record, RECORD, values, derived)


def build_photo(values: dict, line: int, col: int) -> Photo:
    return _build(Photo, PHOTO, values, {"line": line, "col": col})


def _build(cls, obj: Obj, values: dict, derived: dict):
    kwargs = dict(derived)
    for f in obj.fields:
        if f.key in derived or f.key in NOT_IN_MODEL or f.key not in values:
            continue
        kwargs[f.key] = _value(f.type, values[f.key])
    return cls(**kwargs)


def _value(kind, value):
    if isinstance(kind, ListOf):
        return tuple(_value(kind.item, v) for v in value)
    if isinstance(kind, Obj):
        return _build(model_of(kind), kind, value, {})
    return value


def model_of(obj: Obj):
    return next(cls for o, cls in MODEL_OF if o is obj)
