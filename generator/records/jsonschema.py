"""The record format as JSON Schema (draft 2020-12), derived from `schema.py`.

Written to `schema/entry.schema.json` by `sovang schema` (and `make schema`);
editors using VS Code with the YAML extension get completion, the Vietnamese
descriptions on hover and inline errors from it. A test fails when the
committed file differs from what this module produces, so the schema and
the validator cannot drift apart.

The editor's YAML extension reads YAML 1.2, where `no` and `2020-07-05` are
text; the validator is stricter about some such plain scalars (see `notes`).
"""

from __future__ import annotations

import json

from ..core import period
from . import charsafe, rules, schema as s, typecheck, validate, yamlstrict

SCHEMA_ID = "https://sovang.invalid/schema/entry.schema.json"
SCHEMA_PATH = "schema/entry.schema.json"

# What only the validator checks, listed in the schema's description: each rule of
# `rules.RULES` and each check of the reader, the type checker and the corpus-wide pass
# brings its own note, so the list grows with the checks. Each category has a test
# record that the schema accepts and the validator refuses (tests/test_jsonschema.py).
def notes() -> tuple[str, ...]:
    checks = [(r.name, r.note) for r in rules.RULES] + [*typecheck.CHECKS, *validate.CHECKS, *yamlstrict.CHECKS]
    return ("Chỉ trình kiểm tra (sovang validate) mới kiểm tra được các điều sau, lược đồ này không kiểm tra:",
            *(f"{text} ({name});" for name, text in checks[:-1]), f"{checks[-1][1]} ({checks[-1][0]}).")


def record_schema() -> dict:
    root = _object(s.RECORD, kinds=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Hồ sơ Sổ vàng người tốt, việc tốt (entry.yml)",
        "description": " ".join(notes()),
        **root,
    }


def dumps() -> str:
    return json.dumps(record_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _type(t, optional: bool = False) -> dict:
    schema = _TYPES[type(t)](t)
    if optional:  # an optional key left empty counts as absent
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _text(t: s.Text) -> dict:
    out: dict = {"type": "string", "minLength": 1}
    if t.max_len:
        out["maxLength"] = t.max_len
    nots = [charsafe.bmp_class(allow_breaks=t.multiline or t.paragraph)]
    if t.paragraph:
        nots.append("\\n\\s*\\n")
    if t.pattern:
        out["pattern"] = t.pattern
    out["not"] = {"anyOf": [{"pattern": p} for p in nots]}
    return out


def _choice(t: s.Choice) -> dict:
    return {"enum": list(t.values)}


def _date(t: s.Date) -> dict:
    if t.partial:
        # A bare year is a number to a YAML reader (date: 2022); a month or a day is text.
        return {"anyOf": [{"type": "string", "pattern": period.PATTERN}, {"type": "integer", "minimum": 1000, "maximum": 9999}]}
    return {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "format": "date"}


def _bool(_t: s.Bool) -> dict:
    return {"type": "boolean"}


def _integer(t: s.Integer) -> dict:
    out: dict = {"type": "integer"}
    if t.min is not None:
        out["minimum"] = t.min
    if t.max is not None:
        out["maximum"] = t.max
    return out


def _quantity(t: s.Quantity) -> dict:
    return {"anyOf": [{"type": "number"}, _text(s.Text(max_len=t.max_len))]}


def _url(t: s.Url) -> dict:
    schemes = "|".join(t.schemes)
    return {"type": "string", "format": "uri", "pattern": f"^(?i:{schemes})://[^\\s<>\"\\\\/]+[^\\s<>\"\\\\]*$"}


def _list(t: s.ListOf) -> dict:
    out: dict = {"type": "array", "items": _type(t.item)}
    if t.min_items:
        out["minItems"] = t.min_items
    if t.unique:
        out["uniqueItems"] = True
    return out


def _object(t: s.Obj, kinds: bool = False) -> dict:
    out: dict = {
        "type": "object",
        "properties": {f.key: {"description": f.doc, **_type(f.type, optional=not f.required)} for f in t.fields},
        "required": [f.key for f in t.fields if f.required],
        "additionalProperties": False,
    }
    if kinds:
        out["allOf"] = [_kind_rule(t, k) for k in s.KINDS]
    return out


def _kind_rule(t: s.Obj, kind: str) -> dict:
    """Keys some kinds must have (consent for a person) or must not have (results for a person)."""
    then: dict = {}
    required = [f.key for f in t.fields if kind in f.required_for]
    forbidden = [f.key for f in t.fields if f.kinds is not None and kind not in f.kinds]
    if required:
        then["required"] = required
    if forbidden:
        then["properties"] = {key: False for key in forbidden}
    return {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": then}


def _mapof(t: s.MapOf) -> dict:
    return {"type": "object", "propertyNames": {"pattern": t.key_pattern}, "additionalProperties": _type(t.value)}


_TYPES = {
    s.Text: _text, s.Choice: _choice, s.Date: _date, s.Bool: _bool, s.Integer: _integer,
    s.Quantity: _quantity, s.Url: _url, s.ListOf: _list, s.Obj: _object, s.MapOf: _mapof,
}
