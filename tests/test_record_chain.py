"""The record format closes its own chain: format → model → every output.

Nothing here lists a key by hand. The format (`schema.RECORD`) and the model's
dataclasses are walked; a record is written with a distinct marker in every
key its kind may use; the whole pipeline runs; and each model field's marker
must be found in the record's page, the open data, the feed and the finder,
unless `model.WITHHELD` names the field for that output, with the reason. A
field named there whose marker does show up fails too: the table may not
claim a withholding the output does not make.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import string
import typing

import pytest
import yaml

from generator.core import urls
from generator.records import model, schema
from generator.records.model import NOT_IN_MODEL, WITHHELD, Record, model_of
from generator.pipeline import generate
from generator.records.schema import KIND_LABELS, KINDS, RECORD, Bool, Choice, Date, Integer, ListOf, Obj, Quantity, Text, Url
from generator.core.vntext import vi_date, vi_number

from imaging import jpeg

OUTPUTS = ("page", "open_data", "feed", "finder")
# What the validator resolves rather than copies: the model's own fields with no key of the format.
_PLACE_DERIVED = {"era", "current_province", "district_as_written", "commune_as_written"}
DERIVED = {"slug", "folder", "photos.line", "photos.col",
           *(f"{where}.{name}" for where in ("place", "replicated_in.place") for name in _PLACE_DERIVED)}
# A real pre-2025 place, its district with the unit word of 2020 (the registry has "Thành phố").
PLACE = {"province": "Bình Dương", "district": "Thị xã Tân Uyên", "commune": "Tân Phước Khánh"}
REPLICATION_PLACE = {"province": "Hà Nam", "district": "Huyện Kim Bảng"}  # the registry's own words: nothing "as written"
FIELD_KEY = "xay-dung-dang"
PROGRAMME_KEY = "chuong-trinh-zq"
PROGRAMMES = f"""
programmes:
  {PROGRAMME_KEY}:
    name: Chương trình Zqprog
"""
ORIGINAL = "mo-hinh-goc"  # the model the full initiative replicates
ORIGINAL_RECORD = {"kind": "initiative", "name": "Mô hình gốc Zqorig", "summary": "Mô hình gốc.",
                   "date": dt.date(2019, 5, 1), "place": {"province": "Hà Nam", "district": "Thanh Liêm"},
                   "fields": [FIELD_KEY]}


def format_paths(obj: Obj = RECORD, prefix: str = "") -> list[tuple[str, schema.Field, Obj]]:
    """(dotted path, field, the block it is in) for every key of the format, nested ones too."""
    found = []
    for f in obj.fields:
        found.append((prefix + f.key, f, obj))
        inner = f.type.item if isinstance(f.type, ListOf) else f.type
        if isinstance(inner, Obj):
            found += format_paths(inner, prefix + f.key + ".")
    return found


def model_paths(cls=Record, prefix: str = "") -> list[str]:
    """Dotted paths of the model's leaf fields; a nested model class is walked, any other type is a leaf."""
    hints = typing.get_type_hints(cls)
    paths = []
    for f in dataclasses.fields(cls):
        inner = _nested(hints[f.name])
        paths += model_paths(inner, prefix + f.name + ".") if inner else [prefix + f.name]
    return paths


def _nested(hint):
    classes = {cls for _, cls in model.MODEL_OF}
    for candidate in (hint, *typing.get_args(hint)):
        if candidate in classes:
            return candidate
    return None


def test_every_key_of_the_format_is_in_the_model_or_withheld_from_it():
    for path, f, block in format_paths():
        if f.key in NOT_IN_MODEL:
            assert block is RECORD, f"{path}: NOT_IN_MODEL names top-level keys only"
            continue
        names = {x.name for x in dataclasses.fields(model_of(block))}
        assert f.key in names, f"schema key {path} is neither a field of {model_of(block).__name__} nor in NOT_IN_MODEL"
    assert set(NOT_IN_MODEL) <= {f.key for f in RECORD.fields}, "NOT_IN_MODEL names a key the format does not have"


def test_every_model_field_comes_from_the_format_or_the_validator():
    from_format = {path for path, f, _ in format_paths()}
    for path in model_paths():
        assert path in from_format or path in DERIVED, f"model field {path} has no key in the format"


def test_withheld_names_only_model_fields():
    fields = set(model_paths())
    for output, table in WITHHELD.items():
        assert output in OUTPUTS
        assert set(table) <= fields, f"WITHHELD[{output}] names {set(table) - fields}, not fields of the model"
        assert all(reason.strip() for reason in table.values())


# --- One record of each kind, every key filled -------------------------------------------

# Shared by the three records, whose open data, feed and finder are the same files.
_WORDS = ("Zq" + "".join(t) for t in itertools.product(string.ascii_lowercase, repeat=3))
_DAYS = (dt.date(2019, 1, 3) + dt.timedelta(days=17 * n) for n in itertools.count())
_NUMBERS = itertools.count(7391, 211)


class Markers:
    """A distinct value per key of every record: words of the same length, so none is part of another."""

    def __init__(self):
        self._words, self._days, self._numbers = _WORDS, _DAYS, _NUMBERS
        self.by_path: dict[str, object] = {}

    def value(self, path: str, f: schema.Field, kind: str):
        t = f.type
        if path == "kind":
            value = kind
        elif path == "place":
            value = dict(PLACE)
        elif path == "replicated_in.place":
            value = dict(REPLICATION_PLACE)
        elif path == "replicated_in.date":
            value = dt.date(2021, 3, 4)  # after the record's own date, as the rule asks
        elif path == "replicates":
            value = ORIGINAL
        elif path == "fields":
            value = [FIELD_KEY]
        elif path == "programmes":
            value = [PROGRAMME_KEY]
        elif path == "date":
            value = dt.date(2020, 7, 5)
        elif path == "adult":
            value = True
        elif path in ("withdrawn", "withdrawn_reason"):
            return None
        elif path == "consent.given_by":
            value = "self"
        elif isinstance(t, Obj):
            value = {sub.key: v for sub in t.fields
                     if (v := self.value(f"{path}.{sub.key}", sub, kind)) is not None}
        elif isinstance(t, ListOf):
            item = schema.Field(f.key, t.item, "")
            return [self.value(path, item, kind)]
        elif path == "photos.file":
            value = self._next_word().lower() + ".jpg"
        elif isinstance(t, Url):
            value = f"https://example.org/{self._next_word()}"
        elif isinstance(t, Text):
            value = self._next_word()
        elif isinstance(t, Date):
            value = next(self._days)
        elif isinstance(t, (Integer, Quantity)):
            value = 1983 if path == "birth_year" else next(self._numbers)
        elif isinstance(t, Bool):
            value = True
        elif isinstance(t, Choice):
            value = t.values[0]
        else:
            raise AssertionError(f"{path}: a type this test does not know ({type(t).__name__}): teach Markers")
        if not isinstance(t, (Obj, ListOf)):
            self.by_path[path] = value
        return value

    def _next_word(self) -> str:
        return next(self._words)


def full_record(kind: str) -> tuple[dict, Markers]:
    markers = Markers()
    values = {}
    for f in RECORD.fields:
        if f.kinds is not None and kind not in f.kinds:
            continue
        v = markers.value(f.key, f, kind)
        if v is not None:
            values[f.key] = v
    return values, markers


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, tuple[Record, Markers, dict[str, str]]]:
    root = tmp_path_factory.mktemp("chain")
    content = root / "content"
    (content / "entries").mkdir(parents=True)
    taxonomy = (urls_root() / "content" / "taxonomy.yml").read_text(encoding="utf-8").split("\nprogrammes:")[0]
    (content / "taxonomy.yml").write_text(taxonomy + PROGRAMMES, encoding="utf-8")
    original = content / "entries" / ORIGINAL
    original.mkdir()
    (original / "entry.yml").write_text(yaml.safe_dump(ORIGINAL_RECORD, allow_unicode=True, sort_keys=False), encoding="utf-8")
    built = {}
    for kind in KINDS:
        values, markers = full_record(kind)
        folder = content / "entries" / f"ho-so-{kind}"
        folder.mkdir()
        (folder / "entry.yml").write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
        for photo in values.get("photos", ()):
            (folder / photo["file"]).write_bytes(jpeg(seed=len(built)))
        built[kind] = (folder.name, markers)
    docs = root / "docs"
    result = generate(content, docs, root / "cache")
    assert not result.report.errors, [d.format() for d in result.report.errors]
    finder = "\n".join(p.read_text(encoding="utf-8") for p in sorted((docs / urls.SEARCH_DIR).rglob("*.json")))
    shared = {"open_data": (docs / urls.OPEN_DATA_JSON).read_text(encoding="utf-8"),
              "feed": (docs / urls.FEED).read_text(encoding="utf-8"), "finder": finder}
    records = {r.slug: r for r in result.corpus.records}
    return {kind: (records[slug], markers, {"page": (docs / urls.record(slug)).read_text(encoding="utf-8"), **shared})
            for kind, (slug, markers) in built.items()}


def urls_root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent


def evidence(path: str, record: Record, markers: Markers) -> tuple[list[str], bool]:
    """The texts any of which shows the field in an output, and whether they are specific to it
    (a marker word) or could occur anyway (a number, a kind)."""
    if path == "slug":
        return [record.slug], True
    if path == "folder":
        return [str(record.folder)], True
    if path in ("place.era", "replicated_in.place.era"):  # the test's places are pre-2025 ones
        return ["truoc-2025", "trước 01/7/2025", "nay thuộc"], False
    if path.endswith("_as_written"):
        where = record.place if path.startswith("place.") else record.replicated_in[0].place
        written = getattr(where, path.rsplit(".", 1)[1])
        return ([written] if written else [""]), bool(written)  # nothing written: nothing to find
    if path.startswith("place."):
        return [getattr(record.place, path.split(".")[1]).short], False
    if path.startswith("replicated_in.place."):
        unit = getattr(record.replicated_in[0].place, path.split(".")[2])
        return [unit.short if unit else ""], False
    if path in ("fields", "programmes"):
        return [t.name for t in getattr(record, path)], path == "programmes"
    if path == "replicates":
        return [f"ho-so/{ORIGINAL}/", f'"replicates": "{ORIGINAL}"', "Zqorig"], False
    if path in ("photos.line", "photos.col"):
        return [str(getattr(record.photos[0], path.split(".")[1]))], False
    value = markers.by_path[path]
    if isinstance(value, bool):
        return [str(value).lower()], False
    if isinstance(value, dt.date):
        return [value.isoformat(), vi_date(value)], True
    if isinstance(value, int):
        return [str(value), vi_number(value)], path != "birth_year"
    if path == "kind":
        return [value, KIND_LABELS[value]], False
    if path == "photos.file":
        return [value.rsplit(".", 1)[0]], True
    return [str(value)], True


def _shown(texts: list[str], output: str) -> bool:
    folded = output.casefold()
    return any(t.casefold() in folded for t in texts)


@pytest.mark.parametrize("output", OUTPUTS)
def test_every_model_field_reaches_each_output_or_is_withheld(outputs, output):
    covered = set()
    for kind, (record, markers, texts) in outputs.items():
        for path in model_paths():
            if path.startswith("replicated_in.") and not record.replicated_in:
                continue  # a key this kind may not use
            if (path not in DERIVED and path not in markers.by_path and not path.startswith(("place", "replicated_in.place"))
                    and path not in ("fields", "programmes")):
                continue  # a key this kind may not use
            covered.add(path)
            shown_by, specific = evidence(path, record, markers)
            shown = _shown(shown_by, texts[output])
            if path in WITHHELD[output]:
                assert not (shown and specific), (
                    f"{kind}: {path} is listed in model.WITHHELD[{output!r}] but its value {shown_by[0]!r} is in the output")
            else:
                assert shown, (f"{kind}: {path} ({shown_by[0]!r}) does not reach the {output}; publish it there, "
                               f"or list it in model.WITHHELD[{output!r}] with the reason")
    assert covered == set(model_paths()), f"no record kind uses {set(model_paths()) - covered}"


def test_contact_is_in_the_open_data(outputs):
    record, markers, texts = outputs["initiative"]
    data = json.loads(texts["open_data"])
    row = next(r for r in data["records"] if r["slug"] == record.slug)
    assert row["contact"] == markers.by_path["contact"] == record.contact
    assert data["version"] == 4
