"""The records shipped in content/: real, valid and varied (the other tests read tests/fixtures/sample)."""

from __future__ import annotations

from generator.records.validate import validate

from projects import SHIPPED as CONTENT


def test_shipped_content_validates_clean():
    corpus, report = validate(CONTENT)
    assert [d.format() for d in report.items] == []
    assert len(corpus.records) >= 15


def test_shipped_content_covers_kinds_provinces_and_sources():
    corpus, _ = validate(CONTENT)
    assert {r.kind for r in corpus.records} == {"person", "collective", "initiative"}
    assert len({r.place.province.code for r in corpus.records}) >= 4
    assert all(r.sources for r in corpus.records)  # every record points back to its article


def test_people_are_published_with_consent_to_their_name():
    corpus, _ = validate(CONTENT)
    people = [r for r in corpus.records if r.kind == "person"]
    assert people and all(r.consent and r.consent.name for r in people)
