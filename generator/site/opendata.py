"""The open data files: every published record as JSON and CSV, and the page that documents them.

- `du-lieu/ho-so.json`   every record, schema version 2 (`OPEN_DATA_SCHEMA`);
- `du-lieu/ho-so.csv`    the same records as one flat row each, for spreadsheets.

Plain functions from the model to `{docs-relative path: bytes}`, copied by
MkDocs as they are. Deterministic: the same corpus gives the same bytes, in a
fixed order; no clock is read.

Privacy: these files say no more than the pages do. Only what a record's page
shows is exported (model.WITHHELD["open_data"] lists what is not, and why): a
person's story only with consent to it (`show_story`), photos only from the
published renditions the caller passes (checked again against
`images.published`), a birth year but never a date of birth, and nothing of
the consent block or of the content folders.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata

from ..core import urls
from ..core import period
from ..core.period import Period
from ..media.images import published_renditions
from ..records.model import Corpus, Record
from ..records.places import LEGACY, Place, Unit
from ..records.schema import KINDS, SLUG_PATTERN
from .plan import Page
from .publisher import DEFAULT, Publisher

DATA_TEMPLATE = "open_data.md.j2"
OPEN_DATA_VERSION = 4  # 3: `publisher`, who publishes the files (publisher.py); 4: dates as precise as their
# source (`date_precision`), unit names as written, programmes, replication
SCHEMA_NAME = f"sovang-open-data/{OPEN_DATA_VERSION}"  # the schema's name when the site's address is not known
ERAS = {LEGACY: "truoc-2025"}  # any other era: "tu-2025"
CURRENT_ERA = "tu-2025"

CSV_COLUMNS = (
    "slug", "url", "kind", "name", "summary", "date", "era",
    "province_code", "province", "district_code", "district", "commune_code", "commune",
    "current_province_code", "current_province", "fields", "organization", "role", "birth_year",
    "contact",  # version 2; new columns go last, so a spreadsheet's references to the others keep working
    "date_precision", "programmes", "replicates",  # version 4
)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection):
# "=HYPERLINK(...)" in a record's name would become a live link in Excel or LibreOffice.
# OWASP's advice: prefix such a cell with an apostrophe, which makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def open_data(corpus: Corpus, site_url: str | None, photos: dict[str, tuple] | None = None,
              publisher: Publisher = DEFAULT) -> dict[str, bytes]:
    """`du-lieu/ho-so.json` and `du-lieu/ho-so.csv`: every record, sorted by slug.

    URLs are absolute with `site_url`; without it they are relative to the files'
    own folder (`../ho-so/<slug>/`), as a browser would resolve them.
    """
    records = sorted(corpus.records, key=lambda r: r.slug)
    rows = [_record_data(r, site_url, published_renditions(r, photos)) for r in records]
    newest = newest_date(corpus)
    base = urls.base(site_url)
    document = {
        "schema": base + urls.open_data_schema(OPEN_DATA_VERSION) if base else SCHEMA_NAME,
        "version": OPEN_DATA_VERSION,
        # Who answers for the data: a reuser cites them and writes to them about a mistake.
        "publisher": {"site_name": publisher.site_name, "organisation": publisher.organisation or None,
                      "url": base, "email": publisher.email or None},
        "generated_from": newest.isoformat() if newest else None,  # the newest record's date, as written
        "count": len(rows),
    }
    # One record a line: a diff of two releases shows the records that changed, and each line is
    # written by json's C encoder (an indented dump runs in Python: 1 s a run at 2,000 records).
    head = json.dumps(document, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    text = f'{head}, "records": [\n{body}\n]}}\n' if rows else f'{head}, "records": []}}\n'
    return {urls.OPEN_DATA_JSON: text.encode("utf-8"), urls.OPEN_DATA_CSV: _csv(rows)}


def open_data_page(corpus: Corpus, outputs: dict[str, bytes], feed: bool = True) -> Page:
    """The page documenting the files (`du-lieu/index.md`), given what `open_data` returned."""
    files = [{"name": path[len(urls.DATA_DIR):], "size_kb": _size_kb(len(data))}
             for path, data in sorted(outputs.items(), key=lambda item: (not item[0].endswith(".json"), item[0]))
             if path.startswith(urls.DATA_DIR)]
    return Page(urls.OPEN_DATA, DATA_TEMPLATE, {
        "version": OPEN_DATA_VERSION, "schema_path": urls.open_data_schema(OPEN_DATA_VERSION), "schema_name": SCHEMA_NAME,
        "count": len(corpus.records), "generated_from": newest_date(corpus), "files": files, "feed": feed})


def newest_date(corpus: Corpus) -> Period | None:
    """The newest record's date as written (a year stays a year): what the files are "as of"."""
    return max((r.date for r in corpus.records), default=None)


def _size_kb(size: int) -> float | int:
    kb = max(round(size / 1024, 1), 0.1) if size else 0.0
    return int(kb) if kb >= 10 or kb.is_integer() else kb


def _record_data(r: Record, site_url: str | None, renditions: list) -> dict:
    """One record as exported; the keys, and their order, are those of OPEN_DATA_SCHEMA."""
    p = r.place
    return {
        "slug": r.slug,
        "url": urls.record_url(r.slug, site_url, urls.DATA_DIR),
        "kind": r.kind,
        "kind_label": r.kind_label,
        "name": r.name,
        "summary": r.summary,
        "date": r.date.isoformat(),  # as written: "2022", "2022-12" or "2022-12-05"
        "date_precision": r.date.precision,
        "era": ERAS.get(p.era, CURRENT_ERA),
        "place": {
            "province": _unit(p.province),
            "district": _unit(p.district),
            "commune": _unit(p.commune),
            "current_province": _unit(p.current_province),
            # As the record wrote them, where its unit word is not the registry's ("Thị xã Tân Uyên").
            "district_as_written": p.district_as_written,
            "commune_as_written": p.commune_as_written,
        },
        "fields": [{"key": t.key, "name": t.name} for t in r.fields],
        "programmes": [{"key": t.key, "name": t.name} for t in r.programmes],
        "replicates": r.replicates,  # the slug of the model this one replicates
        "replicated_in": [{"place": _place(x.place), "count": x.count, "date": _iso(x.date),
                           "date_precision": x.date.precision if x.date else None, "note": x.note}
                          for x in r.replicated_in],
        "organization": r.organization,
        "contact": r.contact,  # an organisation's public contact, shown on its page (never a person's)
        "role": r.role,
        "birth_year": r.birth_year,  # the year only: records hold no fuller date of birth, and none is derived
        "results": [{"label": x.label, "value": x.value, "unit": x.unit} for x in r.results],
        "honours": [{"title": h.title, "issuer": h.issuer, "decision": h.decision, "date": _iso(h.date)}
                    for h in r.honours],
        "sources": [{"title": s.title, "url": s.url, "publisher": s.publisher, "date": _iso(s.date)}
                    for s in r.sources],
        "story": r.story if r.show_story else None,  # a person's story only with consent.story
        "photos": [{"url": urls.absolute(x.large.path, site_url, urls.DATA_DIR),
                    "jpeg_url": urls.absolute(x.jpeg.path, site_url, urls.DATA_DIR),
                    "width": x.large.width, "height": x.large.height,
                    "caption": x.photo.caption, "credit": x.photo.credit, "alt": x.photo.alt}
                   for x in renditions],
    }


def _place(p: Place | None) -> dict | None:
    if p is None:
        return None
    return {"era": ERAS.get(p.era, CURRENT_ERA), "province": _unit(p.province), "district": _unit(p.district),
            "commune": _unit(p.commune), "current_province": _unit(p.current_province),
            "district_as_written": p.district_as_written, "commune_as_written": p.commune_as_written}


def _unit(u: Unit | None) -> dict | None:
    return {"code": u.code, "name": u.name} if u else None


def _iso(day: dt.date | Period | None) -> str | None:
    return day.isoformat() if day else None


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)  # RFC 4180
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(v) for v in _flat(row)])
    # UTF-8 with a byte order mark: without it Excel reads the file as the local ANSI code
    # page and shows Vietnamese as mojibake. csv.DictReader users strip it ("utf-8-sig").
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _flat(row: dict) -> list:
    place = row["place"]

    def code(unit):
        return unit["code"] if unit else None

    def name(unit):
        return unit["name"] if unit else None

    values = {
        **{k: row[k] for k in ("slug", "url", "kind", "name", "summary", "date", "era", "organization", "role",
                               "birth_year", "contact")},
        **{f"{level}_code": code(place[level]) for level in _LEVELS},
        **{level: name(place[level]) for level in _LEVELS},
        "fields": ";".join(f["key"] for f in row["fields"]),
        "date_precision": row["date_precision"],
        "programmes": ";".join(f["key"] for f in row["programmes"]),
        "replicates": row["replicates"],
    }
    return [values[c] for c in CSV_COLUMNS]


_LEVELS = ("province", "district", "commune", "current_province")


def csv_cell(value) -> str:
    """A cell's text, made inert for spreadsheets: a leading =, +, -, @, tab or CR gets an apostrophe.

    Spreadsheets show the apostrophe-prefixed text without running it; other readers
    see the apostrophe, a small price against a formula run on a user's machine.
    """
    if value is None:
        return ""
    text = str(value)
    # Spreadsheets skip a leading byte-order mark, spaces and other invisible characters
    # before they look for a formula ("\ufeff=cmd|…" runs), so the check looks past them.
    return "'" + text if _visible_start(text).startswith(_FORMULA_START) else text


def _visible_start(text: str) -> str:
    for i, ch in enumerate(text):
        if ch in "\t\r" or not (ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs")):
            return text[i:]
    return ""


# --- The schema of ho-so.json, version 2 ----------------------------------------------
# Every change to the schema bumps the version: records are closed objects
# (additionalProperties: false), so a consumer validating against schema-v1 would refuse
# a new key. A change that only adds keys keeps the file's name, since readers that pick
# keys by name are unaffected; renaming or removing one, or changing its type or meaning,
# also publishes the new version as a new file (ho-so-v3.json) beside the old one.
# du-lieu/index.md (templates/open_data.md.j2) documents the same for readers, with the
# history: version 1 (until 12/2026), version 2 adds `contact`.

_TEXT = {"type": "string"}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_DATE_OR_NULL = {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
# A period as precise as its source (version 4): "2022", "2022-12" or "2022-12-05".
_PERIOD = {"type": "string", "pattern": period.PATTERN}
_PERIOD_OR_NULL = {"type": ["string", "null"], "pattern": period.PATTERN}
_PRECISION = {"enum": list(period.PRECISIONS)}
_PRECISION_OR_NULL = {"enum": [*period.PRECISIONS, None]}
_UNIT = {"type": "object", "additionalProperties": False, "required": ["code", "name"],
         "properties": {"code": _TEXT, "name": _TEXT}}
_UNIT_OR_NULL = {"anyOf": [_UNIT, {"type": "null"}]}


def _object(properties: dict, description: str | None = None) -> dict:
    schema = {"type": "object", "additionalProperties": False, "required": list(properties), "properties": properties}
    if description:
        schema["description"] = description
    return schema


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


OPEN_DATA_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": f"Sổ vàng: dữ liệu mở, phiên bản {OPEN_DATA_VERSION}",
    **_object({
        "schema": {**_TEXT, "description": f"Tên của lược đồ: <địa chỉ trang>/{urls.open_data_schema(OPEN_DATA_VERSION)} "
                   f"hoặc {SCHEMA_NAME}."},
        "version": {"const": OPEN_DATA_VERSION},
        "publisher": _object({"site_name": _TEXT, "organisation": _TEXT_OR_NULL, "url": _TEXT_OR_NULL,
                              "email": _TEXT_OR_NULL}, "Trang và đơn vị công bố dữ liệu (từ phiên bản 3)."),
        "generated_from": {**_PERIOD_OR_NULL, "description": "Thời gian ghi danh mới nhất trong tệp, như hồ sơ ghi."},
        "count": {"type": "integer", "minimum": 0},
        "records": _list(_object({
            "slug": {"type": "string", "pattern": SLUG_PATTERN},
            "url": _TEXT,
            "kind": {"enum": list(KINDS)},
            "kind_label": _TEXT,
            "name": _TEXT,
            "summary": _TEXT,
            "date": _PERIOD,
            "date_precision": _PRECISION,
            "era": {"enum": [*ERAS.values(), CURRENT_ERA]},
            "place": _object({"province": _UNIT, "district": _UNIT_OR_NULL, "commune": _UNIT_OR_NULL,
                              "current_province": _UNIT, "district_as_written": _TEXT_OR_NULL,
                              "commune_as_written": _TEXT_OR_NULL}),
            "fields": _list(_object({"key": _TEXT, "name": _TEXT})),
            "programmes": _list(_object({"key": _TEXT, "name": _TEXT})),
            "replicates": {"type": ["string", "null"], "pattern": SLUG_PATTERN},
            "replicated_in": _list(_object({
                "place": {"anyOf": [_object({"era": {"enum": [*ERAS.values(), CURRENT_ERA]}, "province": _UNIT,
                                             "district": _UNIT_OR_NULL, "commune": _UNIT_OR_NULL,
                                             "current_province": _UNIT, "district_as_written": _TEXT_OR_NULL,
                                             "commune_as_written": _TEXT_OR_NULL}), {"type": "null"}]},
                "count": {"type": ["integer", "null"], "minimum": 1},
                "date": _PERIOD_OR_NULL, "date_precision": _PRECISION_OR_NULL, "note": _TEXT_OR_NULL})),
            "organization": _TEXT_OR_NULL,
            "contact": _TEXT_OR_NULL,
            "role": _TEXT_OR_NULL,
            "birth_year": {"type": ["integer", "null"]},
            "results": _list(_object({"label": _TEXT, "value": {"type": ["integer", "number", "string"]},
                                      "unit": _TEXT_OR_NULL})),
            "honours": _list(_object({"title": _TEXT, "issuer": _TEXT_OR_NULL, "decision": _TEXT_OR_NULL,
                                      "date": _PERIOD_OR_NULL})),
            "sources": _list(_object({"title": _TEXT, "url": _TEXT_OR_NULL, "publisher": _TEXT_OR_NULL,
                                      "date": _DATE_OR_NULL})),
            "story": _TEXT_OR_NULL,
            "photos": _list(_object({"url": _TEXT, "jpeg_url": _TEXT, "width": {"type": "integer", "minimum": 1},
                                     "height": {"type": "integer", "minimum": 1}, "caption": _TEXT,
                                     "credit": _TEXT, "alt": _TEXT})),
        })),
    }),
}
