"""The committed JSON Schema matches the validator; they differ only where the description says."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
import yaml
from jsonschema import Draft202012Validator

import imaging
from conftest import ROOT, VALID_INITIATIVE, VALID_PERSON
from generator.records import jsonschema as exporter
from generator.records import rules, typecheck, yamlstrict
from generator.records import validate as validate_module
from generator.records.validate import validate

SCHEMA = exporter.record_schema()
CHECK = Draft202012Validator(SCHEMA)
PHOTO = "photos:\n  - file: anh-1.jpg\n    caption: Đường hoa\n    credit: Việt Hà\n    alt: Hai hàng hoa\n"


def test_committed_schema_is_up_to_date():
    committed = (ROOT / exporter.SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == exporter.dumps(), "schema/entry.schema.json is stale: run `make schema`"


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(SCHEMA)
    assert json.loads((ROOT / ".vscode" / "settings.json").read_text())["yaml.schemas"] == {
        "./" + exporter.SCHEMA_PATH: "content/entries/**/entry.yml"}


def yaml12(text: str):
    """What an editor's YAML 1.2 tool (the VS Code YAML extension) sees: core-schema scalars, last duplicate wins."""
    def convert(node):
        if isinstance(node, yaml.MappingNode):
            return {convert(k): convert(v) for k, v in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [convert(v) for v in node.value]
        value = node.value
        if node.style is not None:  # quoted or block: text
            return value
        if value in ("", "~", "null", "Null", "NULL"):
            return None
        if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return value.lower() == "true"
        if re.fullmatch(r"[-+]?[0-9]+", value):
            return int(value)
        if re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", value):
            return float(value)
        return value

    return convert(yaml.compose(textwrap.dedent(text), Loader=yaml.SafeLoader))


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (record, files, category): category None means schema and validator must agree;
# otherwise the schema accepts, the validator refuses, and the category is in the description.
CASES = {
    "valid-initiative": (VALID_INITIATIVE, None, None),
    "valid-person": (VALID_PERSON, None, None),
    "valid-with-photo": (VALID_INITIATIVE + PHOTO, {"anh-1.jpg": imaging.jpeg((64, 48))}, None),
    "optional-left-empty": (VALID_INITIATIVE + "organization:\n", None, None),
    "quantity-text": (VALID_INITIATIVE + "results:\n  - label: Kinh phí\n    value: hàng tỷ\n", None, None),
    "missing-name": (edit(VALID_INITIATIVE, "name: Đường hoa quân sự\n", ""), None, None),
    "unknown-key": (VALID_INITIATIVE + "nguoi_viet: An\n", None, None),
    "bad-kind": (edit(VALID_INITIATIVE, "kind: initiative", "kind: initative"), None, None),
    "person-without-consent": (VALID_PERSON.split("consent:")[0], None, None),
    "results-on-person": (VALID_PERSON + "results:\n  - label: Hộ\n    value: 3\n", None, None),
    "quoted-boolean": (edit(VALID_PERSON, "  name: true", '  name: "true"'), None, None),
    "birth-year-range": (VALID_PERSON + "birth_year: 1800\n", None, None),
    "ftp-url": (VALID_INITIATIVE + "sources:\n  - title: Bài\n    url: ftp://x.vn/a\n", None, None),
    "no-fields": (edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields: []"), None, None),
    "repeated-field": (edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields: [quoc-phong, quoc-phong]"), None, None),
    "summary-two-paragraphs": (edit(VALID_INITIATIVE, "summary: Ba", "summary: |\n  Một.\n\n  Ba"), None, None),
    "name-too-long": (edit(VALID_INITIATIVE, "Đường hoa quân sự", "Đ" * 201), None, None),
    "short-date": (edit(VALID_INITIATIVE, "2022-12-31", "2022-1-5"), None, None),
    "photo-without-alt": (VALID_INITIATIVE + PHOTO.replace("    alt: Hai hàng hoa\n", ""), None, None),
    "number-as-name": (edit(VALID_INITIATIVE, "Đường hoa quân sự", "2024"), None, None),
    "list-for-text": (edit(VALID_INITIATIVE, "name: Đường hoa quân sự", "name: [a, b]"), None, None),
    "control-character": (edit(VALID_INITIATIVE, "Đường hoa quân sự", '"Đường\\u200bhoa"'), None, None),
    # Semantic: only the validator can know.
    "unknown-district": (edit(VALID_INITIATIVE, "district: Thanh Liêm", "district: Thanh Liem"), None, "places"),
    "unknown-programme": (VALID_INITIATIVE + "programmes: [khong-co-chuong-trinh]\n", None, "programmes"),
    "replicates-itself": (VALID_INITIATIVE + "replicates: ban-ghi\n", None, "replication"),
    "unknown-field": (edit(VALID_INITIATIVE, "fields: [quoc-phong]", "fields: [khong-co]"), None, "fields"),
    "photo-missing": (VALID_INITIATIVE + PHOTO, None, "photos"),
    "photo-with-gps": (VALID_INITIATIVE + PHOTO, {"anh-1.jpg": imaging.jpeg((64, 48), gps=True)}, "photos"),
    "consent-refused": (edit(VALID_PERSON, "  name: true", "  name: false"), None, "consent"),
    "child-without-guardian": (VALID_PERSON + "birth_year: 2010\n", None, "age"),
    "impossible-date": (edit(VALID_INITIATIVE, "2022-12-31", "2022-02-30"), None, "dates"),
    "future-date": (edit(VALID_INITIATIVE, "2022-12-31", "2099-01-01"), None, "dates"),
    "age-unknown": (edit(VALID_PERSON, "adult: true\n", ""), None, "age"),
    "astral-format-character": (edit(VALID_INITIATIVE, "Đường hoa quân sự", '"Đường hoa\\U000E0001"'), None, "characters"),
    "astral-private-use": (edit(VALID_INITIATIVE, "Đường hoa quân sự", '"Đường hoa\\U000F0000"'), None, "characters"),
    "c1-control": (edit(VALID_INITIATIVE, "Đường hoa quân sự", '"Đường\\x85hoa"'), None, None),
    "blank-looking-name": (edit(VALID_INITIATIVE, "Đường hoa quân sự", '"\\u3164\\u3164"'), None, None),
    "yaml11-no": (edit(VALID_INITIATIVE, "name: Đường hoa quân sự", "name: no"), None, "yaml11"),
    "yaml11-grouped-number": (VALID_INITIATIVE + "results:\n  - label: Gạo\n    value: 3.450\n", None, "yaml11"),
    "duplicate-key": (VALID_INITIATIVE + "name: Đường hoa\n", None, "yaml"),
    "bad-folder-name": (VALID_INITIATIVE, None, "folder"),
    "case-twins": (VALID_INITIATIVE, {"Anh.jpg": imaging.jpeg((64, 48)), "anh.jpg": imaging.jpeg((64, 48))}, "files"),
    "unlisted-photo-with-gps": (VALID_INITIATIVE, {"khac.jpg": imaging.jpeg((64, 48), gps=True)}, "unlisted-photos"),
    "record-in-another-province": (VALID_PERSON, None, "province-folder"),  # Bình Dương, filed under ha-nam/
    "relative-story-link": (VALID_INITIATIVE + "story: Xem [bài](/bai-viet).\n", None, "story-links"),
    "story-shown-phone": (VALID_INITIATIVE + "story: Gọi 0912![](https://a.vn/x.png)345678.\n", None, "story-shown"),
    "phone-in-summary": (edit(VALID_INITIATIVE, "summary: Ba", "summary: Gọi 0912 345 678. Ba"), None, "personal"),
    "child-as-collective": (edit(VALID_INITIATIVE, "Đường hoa quân sự", "Em Lê Minh An"), None, "kind"),
    "withdrawn-without-reason": (VALID_INITIATIVE + "withdrawn: true\n", None, "withdrawn"),
    "anchor": (edit(VALID_INITIATIVE, "summary: Ba", "summary: &s Ba"), None, "yaml"),
}


FOLDERS = {"bad-folder-name": "Ban_Ghi"}
# Categories whose rule only warns: the record is published (or taken down) all the same.
WARNING_ONLY = {"withdrawn", "province-folder"}


def test_every_check_only_the_validator_makes_has_a_case():
    """A rule added to rules.RULES (or a reader's check) brings its note to the description; this
    makes it bring a record the schema accepts and the validator refuses, too."""
    categories = {r.name for r in rules.RULES} | {name for name, _ in typecheck.CHECKS + validate_module.CHECKS
                                                   + yamlstrict.CHECKS}
    tested = {category for _, _, category in CASES.values()} | {"duplicates"}
    assert categories <= tested, categories - tested
    assert all(f"({c})" in SCHEMA["description"] for c in categories)


@pytest.mark.parametrize("case", sorted(CASES))
def test_schema_and_validator_agree_except_where_documented(case, corpus, monkeypatch):
    text, files, category = CASES[case]
    corpus.add(FOLDERS.get(case, "ban-ghi"), text, files=files)
    report = validate(corpus.root)[1]
    # A withdrawn record's problems never block its takedown: they are warnings.
    errors = [d.message for d in (report.warnings if category in WARNING_ONLY else report.errors)]
    schema_errors = [e.message for e in CHECK.iter_errors(yaml12(text))]
    if category is None:
        assert bool(schema_errors) == bool(errors), (schema_errors, errors)
    else:
        assert not schema_errors and errors, (schema_errors, errors)
        assert f"({category})" in SCHEMA["description"]
        rule = next((r for r in rules.RULES if r.name == category), None)
        if rule is not None:  # it is that rule that refuses the record: without it, nothing does
            monkeypatch.setattr(rules, "RULES", tuple(r for r in rules.RULES if r is not rule))
            again = validate(corpus.root)[1]
            assert not (again.warnings if category in WARNING_ONLY else again.errors), [d.message for d in again.items]


def test_exact_duplicates_are_semantic(corpus):
    corpus.add("duong-hoa", VALID_INITIATIVE)
    corpus.add("duong-hoa-2", VALID_INITIATIVE)
    assert validate(corpus.root)[1].errors and not list(CHECK.iter_errors(yaml12(VALID_INITIATIVE)))
    assert "(duplicates)" in SCHEMA["description"]


def test_every_key_has_its_vietnamese_description():
    props = SCHEMA["properties"]
    assert set(props) == {"kind", "name", "summary", "date", "place", "fields", "organization", "photos", "sources",
                          "honours", "results", "birth_year", "adult", "role", "consent", "story", "withdrawn", "withdrawn_reason", "contact",
                          "programmes", "replicates", "replicated_in"}
    assert "Họ và tên" in props["name"]["description"]
    photo = props["photos"]["anyOf"][0]["items"]
    assert photo["required"] == ["file", "caption", "credit", "alt"]
