"""The editors' reference is generated from the schema and committed."""

from __future__ import annotations

from generator.records import schema
from generator.records.reference import record_format_markdown, rows

from projects import SHIPPED


def test_committed_reference_is_up_to_date():
    committed = (SHIPPED / "README.md").read_text(encoding="utf-8")
    assert committed == record_format_markdown(), "run `make reference` and commit content/README.md"


def test_reference_lists_every_key_of_the_schema():
    keys = {r.key for r in rows()}
    assert {f.key for f in schema.RECORD.fields} <= keys
    assert {"place.province", "photos[].alt", "consent.given_by", "results[].value"} <= keys
