"""Property and fuzz tests: hostile text is inert in every page; no input makes validation crash or hang.

Text is drawn from all of Unicode (controls, format characters, surrogates,
private use and non-characters included) mixed with the characters that once
broke the YAML front matter and with Markdown/HTML attacks (tests/hostile.py).
It goes into every text field of the schema through entry.yml, and what the
validator accepts is checked in the front matter, the pages, the feed, the
open data and the finder's result cards; the front matter is also checked
with validation bypassed, so its own defence is tested alone. One real MkDocs
build per run checks the published HTML.

A bounded number of examples runs in `make test`; maintainers run more with
`make fuzz` (SOVANG_FUZZ_EXAMPLES=2000).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator import pipeline
from generator.site import feed as atom_module, opendata
from generator.core import urls
from generator.site import search
from generator.site import plan as P
from generator.site.publisher import DEFAULT
from generator.records import schema as s
from generator.records.charsafe import unsafe_character
from generator.diagnostics import Report, printable
from generator.media.images import Rendition, Variant, published
from generator.records.model import Corpus as Model
from generator.site.render import Renderer
from generator.records.typecheck import Context, conform
from generator.records.validate import validate
from generator.records.yamlstrict import SCALAR, Node

from conftest import ROOT, VALID_INITIATIVE, VALID_PERSON, Corpus
from hostile import HOSTILE, any_text, acceptable, front, norm, yaml_quoted
from imaging import jpeg
from projects import make_project

EXAMPLES = int(os.environ.get("SOVANG_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=5000, derandomize=not os.environ.get("SOVANG_FUZZ_EXAMPLES"),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

fragments = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=st.characters(
    blacklist_categories=("Cs", "Cc")), max_size=12)), min_size=1, max_size=6).map(" ".join)
_BAD_TAGS = {"script", "iframe", "object", "embed", "base", "meta", "form", "style", "frame", "frameset", "applet"}
_OUR_FORMS = {"sv-finder", "sv-home-search", "sv-composer"}  # the finder, the home page's search box, the composer: templates
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster"}
_SAFE_SCHEMES = {"http", "https", "mailto"}
_MD = dict(extensions=["tables", "toc"], output_format="html")


@pytest.fixture(scope="module")
def person():
    folder = Corpus(_tmp("props"))
    folder.add("nguoi", VALID_PERSON, group="binh-duong/tan-uyen")
    model, report = validate(folder.root)
    assert not report.errors
    return model


def _tmp(name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"sovang-{name}-")) / "content"


def unsafe(html: str) -> list[str]:
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in _BAD_TAGS and not (tag.name == "form" and _OUR_FORMS & set(tag.get("class", []))):
            problems.append(f"<{tag.name}>")
        for attr, value in tag.attrs.items():
            if attr.lower().startswith("on"):
                problems.append(f"{tag.name} {attr}")
            if attr.lower() in _URL_ATTRS:
                url = re.sub(r"[\x00-\x20]", "", str(value)).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", url)
                if scheme and scheme.group(1) not in _SAFE_SCHEMES:
                    problems.append(f"{tag.name} {attr}={value!r}")
    return problems


def offsite_images(html: str) -> list[str]:
    """<img>/<source> whose address leaves the site: the site makes no third-party request."""
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(["img", "source", "image", "video", "audio", "input"]):
        for attr in ("src", "srcset", "href", "xlink:href", "poster"):
            for url in str(tag.get(attr, "")).split(","):
                url = re.sub(r"[\x00-\x20]", "", url.strip().split(" ")[0])
                parts = urlsplit(url) if url else None
                if parts and (parts.scheme or parts.netloc or url.startswith("\\")):
                    problems.append(f"{tag.name} {attr}={url!r}")
    return problems


@SETTINGS
@given(name=fragments, summary=fragments, story=fragments, role=fragments, organization=fragments)
def test_hostile_text_is_inert_in_every_page(person, name, summary, story, role, organization):
    record = dataclasses.replace(person.records[0], name=name.strip() or "x", summary=summary, story=story,
                                 role=role, organization=organization)
    model = Model((record,), person.terms)
    for path, text in Renderer().render_all(P.plan(model)).items():
        body = text.split("\n---\n", 1)[-1] if text.startswith("---") else text
        html = markdown.markdown(body, **_MD)
        assert unsafe(html) == [], (path, html[:2000])
        if "{{ 7*7 }}" in name and path == P.record_path(record):
            assert "{{ 7*7 }}" in BeautifulSoup(html, "html.parser").get_text()


# --- Validation never crashes or hangs -----------------------------------------------------

_TOKENS = list("kind: name-\n\t'\"{}[]&*!|>#%@`,?=~\\") + ["\x00", "\x1b", "é", "Đ", "  ", "\n  ", "- ", ": ", "---\n",
                                                          "...\n", "!!python/object:os.system", "&a ", "*a", "<<: *a",
                                                          "2022-13-45", "no", "1e9999", "0x1F", "\ufeff", "\ud7ff",
                                                          "\x85", "\u2028", "\u2029", "\ufffe", "\uffff", "\x9b",
                                                          "\ud800", "\U0010ffff", '"\\x85"', '"\\ud800"', '"\\ufffe"',
                                                          '"\\U0010FFFF"', '"\\u202e"', '"\\x00"', '"\\L"', '"\\N"']


def mutations():
    """A valid record with random edits, or a random stream of YAML-ish tokens."""
    edits = st.lists(st.tuples(st.integers(0, len(VALID_INITIATIVE)), st.integers(0, 3), st.sampled_from(_TOKENS)),
                     min_size=1, max_size=8)

    def apply(changes):
        text = VALID_INITIATIVE
        for at, cut, token in changes:
            at = min(at, len(text))
            text = text[:at] + token + text[at + cut:]
        return text

    return st.one_of(edits.map(apply), st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join))


def _check_diagnostics(report: Report) -> None:
    """Every problem is positioned and its message is one printable line."""
    for d in report.errors + report.warnings:
        assert d.line >= 1 and d.col >= 1 and d.message and "Traceback" not in d.message, d
        assert printable(d.message) == d.message and "\n" not in d.message and "\r" not in d.message, d


@SETTINGS
@given(text=mutations())
def test_no_input_makes_validation_crash(tmp_path_factory, text):
    content = Corpus(tmp_path_factory.mktemp("fuzz") / "content")
    path = content.add("duong-hoa", "")
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    model, report = validate(content.root)  # any exception fails the test
    shutil.rmtree(content.root.parent, ignore_errors=True)
    _check_diagnostics(report)
    assert not (model.records and report.errors)  # a record with an error is never published


# --- Every text field of the schema, through entry.yml ---------------------------------------

class Raw(str):
    """A scalar written into entry.yml as it is (dates, booleans, numbers, URLs)."""


def _record(kind: str) -> dict:
    """A valid record of `kind` that uses every key its kind may hold."""
    record = {
        "kind": Raw(kind), "name": "Nguyễn Thị Mỹ Hạnh" if kind == "person" else "Đường hoa quân sự",
        "summary": "Phó Bí thư Thường trực Đảng ủy phường Tân Phước Khánh.", "date": Raw("2020-07-05"),
        "place": {"province": "Bình Dương", "district": "Tân Uyên", "commune": "Tân Phước Khánh"},
        "fields": ["xay-dung-dang"], "organization": "Đảng ủy phường Tân Phước Khánh",
        "photos": [{"file": "anh-1.jpg", "caption": "Tuyến đường hoa", "credit": "Việt Hà",
                    "alt": "Hai hàng hoa dọc con đường"}],
        "sources": [{"title": "Người tốt việc tốt", "url": Raw("https://example.org/bai-viet"),
                     "publisher": "Báo Bình Dương", "date": Raw("2020-07-01")}],
        "honours": [{"title": "Bằng khen", "issuer": "UBND tỉnh Bình Dương", "decision": "1234/QĐ-UBND",
                     "date": Raw("2020-06-01")}],
        "story": "Chị làm **nhiều** việc.\n\nĐoạn hai.",
    }
    if kind == "person":
        record.update(role="Phó Bí thư", adult=Raw("true"),
                      consent={"name": Raw("true"), "photo": Raw("true"), "story": Raw("true"),
                               "given_by": Raw("self"), "date": Raw("2020-07-01"), "note": "Đồng ý bằng văn bản"})
    else:
        record.update(results=[{"label": "Gạo tiết kiệm", "value": Raw("3450"), "unit": "kg"}],
                      contact="Văn phòng Đoàn xã")
    return record


def text_fields(kind: str) -> dict[tuple, s.Text]:
    """Every text value a record of `kind` may hold, by its path: walked from the schema."""
    found: dict[tuple, s.Text] = {}

    def walk(obj: s.Obj, prefix: tuple) -> None:
        for f in obj.fields:
            if f.kinds is not None and kind not in f.kinds:
                continue
            path, typ = prefix + (f.key,), f.type
            if isinstance(typ, s.ListOf):
                path, typ = path + (0,), typ.item
            if isinstance(typ, s.Obj):
                walk(typ, path)
            elif isinstance(typ, s.Text):
                found[path] = typ
            elif isinstance(typ, s.Quantity):  # a number, or a short text where the source gives none
                found[path] = s.Text(max_len=typ.max_len)

    walk(s.RECORD, ())
    return found


TEXT_FIELDS = {kind: text_fields(kind) for kind in s.KINDS}


def test_every_text_field_is_drawn():
    paths = {".".join(map(str, p)) for fields in TEXT_FIELDS.values() for p in fields}
    assert {"name", "summary", "organization", "role", "contact", "story", "withdrawn_reason", "consent.note",
            "place.province", "place.district", "place.commune", "fields.0", "photos.0.caption", "photos.0.credit",
            "photos.0.alt", "photos.0.file", "sources.0.title", "sources.0.publisher", "honours.0.title",
            "honours.0.issuer", "honours.0.decision", "results.0.label", "results.0.unit", "results.0.value"} <= paths


def _set(tree, path: tuple, value) -> None:
    # Keys the base record does not hold (programmes, replicated_in.0.place...) are made on the way.
    for key, after in zip(path[:-1], path[1:]):
        if isinstance(tree, list) and key >= len(tree):
            tree.append([] if isinstance(after, int) else {})
        elif isinstance(tree, dict) and key not in tree:
            tree[key] = [] if isinstance(after, int) else {}
        tree = tree[key]
    if isinstance(tree, list) and path[-1] >= len(tree):
        tree.append(value)
    else:
        tree[path[-1]] = value


def to_yaml(value, indent: str = "") -> str:
    """The record as entry.yml: every text a double-quoted scalar with escapes."""
    if isinstance(value, dict):
        lines = []
        for key, v in value.items():
            if isinstance(v, (dict, list)):
                lines.append(f"{indent}{key}:\n{to_yaml(v, indent + '  ')}")
            else:
                lines.append(f"{indent}{key}: {to_yaml(v)}")
        return "\n".join(lines)
    if isinstance(value, list):
        items = []
        for v in value:
            if isinstance(v, dict):
                body = to_yaml(v, indent + "  ")
                items.append(f"{indent}- {body[len(indent) + 2:]}")
            else:
                items.append(f"{indent}- {to_yaml(v)}")
        return "\n".join(items)
    return str(value) if isinstance(value, Raw) else yaml_quoted(value)


@lru_cache(maxsize=1)
def _photo() -> bytes:
    return jpeg((64, 48))


def _model_value(record, path: tuple):
    value = record
    for key in path:
        value = value[key] if isinstance(key, int) else getattr(value, key)
    return value


def _strings(value, where: str = ""):
    """Every string a model value holds, with where it is."""
    if isinstance(value, str):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def _validator_reads(text: str, typ: s.Text) -> str | None:
    """What the validator makes of a text it accepts (NFC, stripped, a paragraph folded)."""
    text = unicodedata.normalize("NFC", text).strip()
    if typ.paragraph:
        text = " ".join(text.split())
    return text or None


def hostile_records():
    """A kind, hostile text for some of its text fields (each as drawn, or mostly without the code points the
    validator refuses, so that records also get published), and whether the record is withdrawn."""
    def of_kind(kind):
        texts = st.tuples(any_text(), st.sampled_from(("raw", "clean", "clean")))
        return st.tuples(st.just(kind), st.dictionaries(st.sampled_from(sorted(TEXT_FIELDS[kind], key=str)), texts,
                                                        min_size=1, max_size=4),
                         st.sampled_from((False, False, False, True)),
                         st.one_of(st.none(), st.tuples(texts, texts)))
    return st.sampled_from(s.KINDS).flatmap(of_kind)


def cleaned(text: str, typ: s.Text) -> str:
    """`text` without refused code points, and on one line unless the field is Markdown."""
    text = acceptable(text, typ.multiline or typ.paragraph)
    return text if typ.multiline else text.replace("\n", " ")


@SETTINGS
@given(drawn=hostile_records())
def test_every_text_field_refuses_or_publishes_clean_text(tmp_path_factory, drawn):
    kind, texts, withdrawn, term = drawn
    fields = TEXT_FIELDS[kind]
    record = _record(kind)
    written = {}
    for path, (text, mode) in texts.items():
        typ = fields[path]
        written[path] = cleaned(text, typ) if mode == "clean" else text
        _set(record, path, written[path])
    if withdrawn:
        record["withdrawn"] = Raw("true")
        record.setdefault("withdrawn_reason", "Người được ghi danh đề nghị gỡ")
    content = Corpus(tmp_path_factory.mktemp("fields") / "content")
    entry = content.add("ho-so", "", group="binh-duong/tan-uyen", files={"anh-1.jpg": _photo()})
    entry.write_text(to_yaml(record) + "\n", encoding="ascii")
    if term is not None:  # the field vocabulary is content too, edited by pull request like the records
        (name, name_mode), (description, description_mode) = term
        name_type, description_type = s.TERM.field("name").type, s.TERM.field("description").type
        taxonomy = {"name": cleaned(name, name_type) if name_mode == "clean" else name,
                    "description": cleaned(description, description_type) if description_mode == "clean" else description}
        (content.root / "taxonomy.yml").write_text(to_yaml({"fields": {"xay-dung-dang": taxonomy}}) + "\n",
                                                   encoding="ascii")

    model, report = validate(content.root)  # any exception fails the test
    shutil.rmtree(content.root.parent, ignore_errors=True)

    _check_diagnostics(report)
    assert not (model.records and report.errors)
    for t in model.terms.values():
        assert unsafe_character(t.name, allow_breaks=False) is None and \
               unsafe_character(t.description, allow_breaks=True) is None, t
    event("withdrawn" if withdrawn else "published" if model.records else "refused")
    if withdrawn or not model.records:
        assert not model.records
        return
    published_record = model.records[0]
    for where, value in _strings(published_record):
        assert unsafe_character(value, allow_breaks=True) is None, (where, value)
    for path, typ in fields.items():
        if path[0] in ("place", "fields", "programmes", "withdrawn_reason"):  # resolved to units and terms; never in the model
            continue
        if path[0] == "replicated_in" and (path not in written or path[2] == "place"):  # no item unless drawn; places resolved
            continue
        value = _model_value(published_record, path)
        if isinstance(value, str):
            assert unsafe_character(value, allow_breaks=typ.multiline or typ.paragraph) is None, (path, value)
        if path in written:
            assert value == _validator_reads(written[path], typ), (path, written[path], value)


def url_fields(obj: s.Obj = s.RECORD, prefix: tuple = ()) -> list[tuple]:
    """Every web address a record may hold, by its path: walked from the schema."""
    found = []
    for f in obj.fields:
        path, typ = prefix + (f.key,), f.type
        if isinstance(typ, s.ListOf):
            path, typ = path + (0,), typ.item
        if isinstance(typ, s.Obj):
            found += url_fields(typ, path)
        elif isinstance(typ, s.Url):
            found.append(path)
    return found


@SETTINGS
@given(path=st.sampled_from(url_fields()), text=any_text(3),
       url=st.sampled_from(("https://example.org/a{}b", "https://exa{}mple.org/", "https://example.org/?q={}",
                            "https://example.org/#{}", "{}https://example.org/")))
@example(path=("sources", 0, "url"), text="\x80", url="https://example.org/a{}b")
def test_url_fields_refuse_or_publish_clean_addresses(tmp_path_factory, path, text, url):
    """A web address is not a Text field, but it is a record's text all the same, printed into pages and data."""
    record = _record("initiative")
    _set(record, path, url.format(text))
    content = Corpus(tmp_path_factory.mktemp("urls") / "content")
    entry = content.add("ho-so", "", group="binh-duong/tan-uyen", files={"anh-1.jpg": _photo()})
    entry.write_text(to_yaml(record) + "\n", encoding="ascii")
    model, report = validate(content.root)
    shutil.rmtree(content.root.parent, ignore_errors=True)
    _check_diagnostics(report)
    assert not (model.records and report.errors)
    if model.records:
        value = _model_value(model.records[0], path)
        assert unsafe_character(value, allow_breaks=False) is None, (path, value)


# --- What the validator accepts is inert in every output -------------------------------------

@pytest.fixture(scope="module")
def roll(tmp_path_factory):
    """A validated person and initiative, each using every key its kind may hold."""
    content = Corpus(tmp_path_factory.mktemp("roll") / "content")
    for kind in ("person", "initiative"):
        entry = content.add(kind, "", group="binh-duong/tan-uyen", files={"anh-1.jpg": _photo()})
        record = _record(kind)
        record["date"] = Raw("2020-07-05" if kind == "person" else "2021-03-04")
        entry.write_text(to_yaml(record) + "\n", encoding="ascii")
    model, report = validate(content.root)
    assert not report.errors and len(model.records) == 2, report.items
    return model


# The text a record's pages and files show, by its path in the model.
SHOWN = {
    "person": ("organization", "role", "story", ("photos", 0, "caption"), ("photos", 0, "credit"),
               ("photos", 0, "alt"), ("sources", 0, "title"), ("sources", 0, "publisher"), ("honours", 0, "title"),
               ("honours", 0, "issuer"), ("honours", 0, "decision"), ("consent", "note")),
    "initiative": ("organization", "contact", "story", ("photos", 0, "caption"), ("photos", 0, "credit"),
                   ("photos", 0, "alt"), ("sources", 0, "title"), ("sources", 0, "publisher"),
                   ("honours", 0, "title"), ("honours", 0, "issuer"), ("honours", 0, "decision"),
                   ("results", 0, "label"), ("results", 0, "unit"), ("results", 0, "value")),
}


def _path(key) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def _replaced(value, path: tuple, new):
    """`value` with the text at `path` replaced: frozen dataclasses and tuples rebuilt on the way back."""
    key, rest = path[0], path[1:]
    if isinstance(key, int):
        items = list(value)
        items[key] = _replaced(items[key], rest, new) if rest else new
        return tuple(items)
    inner = getattr(value, key)
    return dataclasses.replace(value, **{key: _replaced(inner, rest, new) if rest else new})


def accepted(text: str, typ: s.Text) -> str | None:
    """What the validator's type check makes of `text` once refused code points are gone, or None if refused."""
    breaks = typ.multiline or typ.paragraph
    node = Node(SCALAR, 1, 1, text=acceptable(text, breaks), style="|" if breaks else '"')
    value = conform(node, typ, Context(Path("entry.yml"), Report()))
    return value if isinstance(value, str) else None


def media(model: Model) -> P.Media:
    """Renditions and share cards as the image stages would name them, without encoding any image."""
    photos = {}
    for r in model.records:
        photos[r.slug] = tuple(
            Rendition(r, photo, tuple(Variant(f"ho-so/{r.slug}/{i}-{w}.webp", w, w * 3 // 4) for w in (360, 800, 1600)),
                      Variant(f"ho-so/{r.slug}/{i}-800.jpg", 800, 600))
            for i, photo in enumerate(published(r)))
    return P.Media(photos, {r.slug: f"ho-so/{r.slug}/chia-se.0123456789.jpg" for r in model.records})


@lru_cache(maxsize=1)
def mkdocs_markdown() -> markdown.Markdown:
    """Python-Markdown as MkDocs configures it from mkdocs.yml (its defaults included), plus attr_list and
    md_in_html, which Material sites commonly enable: pages must stay inert if they are."""
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=tempfile.mkdtemp(prefix="sovang-mdcfg-"))
    extensions = list(cfg.markdown_extensions) + [e for e in ("attr_list", "md_in_html")
                                                  if e not in cfg.markdown_extensions]
    return markdown.Markdown(extensions=extensions, extension_configs=cfg.mdx_configs, output_format="html")


_FRONT_BLOCK = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # mkdocs.utils.meta.YAML_RE


def as_mkdocs_reads(text: str) -> tuple[str, dict]:
    """A page as MkDocs reads it: the file decoded with universal newlines, then its meta-data."""
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    return get_data(source)


def check_page(path: str, text: str) -> tuple[dict, str]:
    """Front matter read back whole by MkDocs; the body inert after Markdown. Returns (meta, body HTML)."""
    doc, meta = as_mkdocs_reads(text)
    block = _FRONT_BLOCK.match(text.replace("\r\n", "\n").replace("\r", "\n"))
    if text.startswith("---"):
        assert block is not None and isinstance(meta, dict) and meta, (path, text[:600])
        lines = [line for line in block.group(1).splitlines() if line.strip()]
        assert len(lines) == len(meta), (path, lines, meta)  # one key a line: nothing folded into another
        assert not re.match(r"(?:---|\.\.\.|[A-Za-z_]+:(?:\s|$))", doc), (path, doc[:300])  # nothing left over
    html = mkdocs_markdown().reset().convert(doc)
    assert unsafe(html) == [], (path, unsafe(html), html[:2000])
    assert offsite_images(html) == [], (path, offsite_images(html))
    return meta, html


def _text(html: str, selector: str) -> list[str]:
    return [el.get_text() for el in BeautifulSoup(html, "html.parser").select(selector)]


def check_outputs(model: Model, target, shown: dict) -> None:
    """Every page, the feed, the open data and the search cards, for a model whose `target` record holds
    hostile text: structure intact, hostile text inert and read back as text."""
    extra = media(model)
    plan = P.plan(model, extra)
    data = opendata.open_data(model, None, extra.photos)
    plan.append(opendata.open_data_page(model, data))
    renderer = Renderer()
    listing = {urls.kind(target.kind)}
    if target.place.district:
        listing.add(P.district_path(target.place.province, target.place.district))
    seen = set()
    for page in plan:
        text = renderer.render(page)
        meta, html = check_page(page.path, text)
        if page.path == P.record_path(target):
            assert meta["title"] == front(target.name) and meta["description"] == front(target.summary), meta
            assert meta["image"] == extra.cards[target.slug]
            assert _text(html, "h1") == [norm(target.name)], html[:500]
            body = norm(BeautifulSoup(html, "html.parser").get_text())
            for path, value in shown.items():
                if path[-1] not in ("story", "note", "alt", "value", "name"):  # those are not shown as plain text
                    assert norm(value) in body, (path, value)
            doc = BeautifulSoup(html, "html.parser")
            for other in doc.select(".sv-card, img.sv-sheet__logo"):  # related records' photos; the sheet's emblem
                other.decompose()
            alts = [img["alt"] for img in doc.find_all("img")]
            published_alts = [norm(p.alt) for p in published(target)]
            # The first published photo leads the page (the hero), then the gallery shows each one.
            assert alts == published_alts[:1] + published_alts, alts
        if page.path in listing:
            seen.add(page.path)
            assert norm(target.name) in _text(html, "a"), (page.path, norm(target.name))
    assert seen == listing

    feed = ET.fromstring(atom_module.atom_feed(model, None, extra.photos)[urls.FEED])
    atom = "{%s}" % atom_module.ATOM_NS
    assert {el.tag for el in feed.iter()} <= {atom + t for t in ("feed", "id", "title", "subtitle", "updated", "author",
                                                                  "name", "rights", "generator", "entry", "link",
                                                                  "published", "summary", "category")}
    entry = next(e for e in feed.iter(atom + "entry") if e.findtext(atom + "id").endswith(f"ho-so/{target.slug}"))
    assert entry.findtext(atom + "title") == target.name
    assert entry.findtext(atom + "summary") == target.summary
    assert entry.findtext(f"{atom}author/{atom}name") == (target.organization or DEFAULT.by_line)

    document = json.loads(data[urls.OPEN_DATA_JSON].decode("utf-8"))
    row = next(r for r in document["records"] if r["slug"] == target.slug)
    assert (row["name"], row["summary"], row["organization"], row["role"]) == \
           (target.name, target.summary, target.organization, target.role)
    assert row["photos"] and (row["photos"][0]["caption"], row["photos"][0]["credit"], row["photos"][0]["alt"]) == \
           (target.photos[0].caption, target.photos[0].credit, target.photos[0].alt)
    assert [(x["title"], x["publisher"]) for x in row["sources"]] == [(x.title, x.publisher) for x in target.sources]
    assert [(h["title"], h["issuer"], h["decision"]) for h in row["honours"]] == \
           [(h.title, h.issuer, h.decision) for h in target.honours]
    assert [(x["label"], x["value"], x["unit"]) for x in row["results"]] == \
           [(x.label, x.value, x.unit) for x in target.results]
    assert row["story"] == (target.story if target.show_story else None)

    raw = data[urls.OPEN_DATA_CSV]
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert table[0] == list(opendata.CSV_COLUMNS) and len(table) == len(model.records) + 1
    check_csv(raw, model)
    line = next(c for c in table[1:] if c[0] == target.slug)
    assert dict(zip(opendata.CSV_COLUMNS, line))["name"] in (target.name, "'" + target.name)

    files = search.build(model, extra.photos)
    parsed = {path: json.loads(text) for path, text in files.items()}
    card = next(c for p, c in parsed.items() if "/the/" in p and c["url"] == urls.served(urls.record(target.slug)))
    assert (card["title"], card["summary"]) == (target.name, target.summary)
    assert card["alt"] == target.photos[0].alt


def _formula_start(cell: str) -> bool:
    """A spreadsheet would run this cell: a formula character once blanks and invisible characters
    (byte order mark, zero-width and other spaces, controls) are skipped, as spreadsheets skip them."""
    visible = cell.lstrip("".join(ch for ch in set(cell[:64]) if ch.isspace() or unicodedata.category(ch) in
                                  ("Cf", "Cc", "Zs", "Zl", "Zp")))
    return visible.startswith(("=", "+", "-", "@")) or cell.startswith(("\t", "\r"))


def check_csv(raw: bytes, model: Model) -> None:
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert table[0] == list(opendata.CSV_COLUMNS) and len(table) == len(model.records) + 1
    for cells in table[1:]:
        assert len(cells) == len(opendata.CSV_COLUMNS)
        for cell in cells:
            assert not _formula_start(cell) or cell.startswith("'"), cell  # neutralised by an apostrophe


def hostile_model_edits():
    def of(kind):
        return st.tuples(st.just(kind), any_text(), any_text(),
                         st.dictionaries(st.sampled_from(SHOWN[kind]), any_text(), max_size=6),
                         st.one_of(st.none(), st.tuples(any_text(), any_text())))
    return st.sampled_from(("person", "initiative")).flatmap(of)


def _with_term(model: Model, name: str, description: str) -> tuple[Model, object]:
    """`model` with its (only) field renamed, in the vocabulary and in every record."""
    old = next(iter({t.key: t for r in model.records for t in r.fields}.values()))
    new = dataclasses.replace(old, name=accepted(name, s.TERM.field("name").type) or old.name,
                              description=accepted(description, s.TERM.field("description").type) or "")
    records = tuple(dataclasses.replace(r, fields=tuple(new if t.key == old.key else t for t in r.fields))
                    for r in model.records)
    return Model(records, {**model.terms, old.key: new}), new


def check_term(model: Model, term) -> None:
    """A field's name, in its page's front matter and heading, the feed and the open data."""
    renderer = Renderer()
    page = next(p for p in P.plan(model) if p.path == urls.field(term.key))
    meta, html = check_page(page.path, renderer.render(page))
    assert meta["title"] == front(term.name) and _text(html, "h1") == [norm(term.name)], meta
    feed = ET.fromstring(atom_module.atom_feed(model, None)[urls.FEED])
    labels = {c.get("label") for c in feed.iter("{%s}category" % atom_module.ATOM_NS)}
    assert term.name in labels
    document = json.loads(opendata.open_data(model, None)[urls.OPEN_DATA_JSON])
    assert all(f["name"] == term.name for r in document["records"] for f in r["fields"] if f["key"] == term.key)


@SETTINGS
@given(drawn=hostile_model_edits())
def test_accepted_text_is_inert_in_pages_feed_open_data_and_cards(roll, drawn):
    kind, name, summary, others, term = drawn
    if term is not None:
        roll, new_term = _with_term(roll, *term)
        check_term(roll, new_term)
    target = next(r for r in roll.records if r.kind == kind)
    fields = TEXT_FIELDS[kind]
    shown = {}
    for key, text in [("name", name), ("summary", summary), *others.items()]:
        path = _path(key)
        value = accepted(text, fields[path])
        event(f"{'.'.join(map(str, path))}: {'accepted' if value is not None else 'refused'}")
        if value is not None:
            target = _replaced(target, path, value)
            shown[path] = value
    model = Model(tuple(target if r.slug == target.slug else r for r in roll.records), roll.terms)
    check_outputs(model, target, shown)


@SETTINGS
@given(name=any_text(8), line=any_text(3))
def test_share_card_draws_any_accepted_name(name, line):
    """The share card sets the name in pixels (generator/media/sharecard.py): any name the validator accepts is drawn."""
    from generator.media.sharecard import SIZE, card

    title = accepted(name, s.RECORD.field("name").type) or "x"
    place = accepted(line, s.PLACE.field("commune").type) or ""
    assert card(title, [f"Mô hình · {place}"], "Sổ vàng").size == SIZE


def test_a_fence_opened_by_the_summary_does_not_reopen_the_story(tmp_path):
    record = _record("initiative")
    story = "x\n\n    a\n    ~~~\n    [1]: javascript:alert(1)\n    [x][1]\n    ![i](https://evil.example/x.png)"
    record["summary"] = "~~~"
    record["story"] = story
    content = Corpus(tmp_path / "content")
    entry = content.add("ho-so", "", group="binh-duong/tan-uyen", files={"anh-1.jpg": _photo()})
    entry.write_text(to_yaml(record) + "\n", encoding="ascii")
    model, report = validate(content.root)
    # The validator now points at the indented reference definition...
    assert [d.message.split(":")[0] for d in report.errors] == ["story"] and not model.records
    # ...and the renderer must hold on its own: the summary cannot open a fence any more.
    record["story"] = "x"
    entry.write_text(to_yaml(record) + "\n", encoding="ascii")
    model, report = validate(content.root)
    assert not report.errors and model.records
    target = dataclasses.replace(model.records[0], story=story)
    model = Model((target,), model.terms)
    page = next(p for p in P.plan(model) if p.path == P.record_path(target))
    check_page(page.path, Renderer().render(page))


# --- The front matter holds on its own, whatever the model holds --------------------------------

ORIGINAL_ATTACK = "A\x85[x](javascript:alert(1))"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@SETTINGS
@given(name=any_text(), summary=any_text())
@example(name=ORIGINAL_ATTACK, summary=ORIGINAL_ATTACK)
@example(name="A\x80[x](javascript:alert(1))", summary="\x9b\x9d\ufffe\uffff\u2028\u2029")
@example(name='x"\n---\ntitle: pwned\n---\n<script>alert(1)</script>', summary="\r\n...\r\n: #'\"\ufeff")
@example(name="\ud800\udfff\U0010ffff\x00\x1b\x7f", summary="\u202e[y](javascript:alert(1))")
@example(name="\ufeff=HYPERLINK(\"https://evil.example\")", summary="\u200b\xa0\u3000+cmd|' /C calc'!A0")
def test_front_matter_reads_back_without_validation(roll, name, summary):
    """Validation bypassed: the emitter alone keeps the front matter one readable block."""
    target = dataclasses.replace(next(r for r in roll.records if r.kind == "initiative"), name=name, summary=summary)
    model = Model((target,), roll.terms)
    renderer = Renderer()
    for page in P.plan(model, media(model)):
        if page.path not in (P.record_path(target), urls.kind(target.kind)):
            continue
        text = renderer.render(page)  # RenderError would mean the emitter wrote what YAML cannot read back
        meta, html = check_page(page.path, text)
        if page.path == P.record_path(target):
            # A lone surrogate cannot be in a file at all; libyaml, which MkDocs reads with, turns its escape into U+FFFD.
            title, description = (_LONE_SURROGATE.sub("\ufffd", front(v)) for v in (name, summary))
            assert (meta["title"], meta["description"]) == (title, description), (meta, text[:400])
    # The feed stays well-formed XML whatever the model holds (atom_module._NOT_XML).
    feed = ET.fromstring(atom_module.atom_feed(model, None)[urls.FEED])
    assert len(list(feed.iter("{%s}entry" % atom_module.ATOM_NS))) == 1
    # Spreadsheets are protected whatever the model holds, leading invisible characters included
    # (a file holds no lone surrogate: the open data of such a model cannot be written at all).
    if not _LONE_SURROGATE.search(name + summary):
        check_csv(opendata.open_data(model, None)[urls.OPEN_DATA_CSV], model)


# --- One real MkDocs build -------------------------------------------------------------------

# Text the validator accepts, each record carrying the worst fragments it lets through.
WORST = [
    {"name": '"><script>alert(1)</script> [x](javascript:alert(1)) ![y](https://evil.example/x.png)',
     "summary": Raw("|\n  </title><img src=//evil.example/x.png onerror=alert(1)>\n  ---\n  title: pwned"),
     "story": "x\n---\ntitle: pwned\n---\n<script>alert(1)</script>\n\n<a href=\"https://example.org/\" "
              "onclick=\"alert(1)\">a</a>\n\n![i](https://evil.example/x.png)\n\n"
              "<img src=https://evil.example/y.png onerror=alert(1)>\n\n<iframe src=https://evil.example/></iframe>",
     "photos": [{"file": "anh-1.jpg", "caption": "[x](javascript:alert(1)) </figcaption><script>",
                 "credit": "{{ 7*7 }} {% raw %}", "alt": '"><img src=//evil.example/x.png onerror=alert(1)>'}]},
    {"name": "--- title: x ... : # ' \" & &amp; <b>b</b> {: onclick=\"alert(1)\" }",
     "summary": "Tóm tắt: <a href=\"javascript:alert(1)\">x</a> | a | b | \\ `code` *em*",
     "organization": '=HYPERLINK("https://evil.example")', "sources": [{"title": "<javascript:alert(1)>",
                                                                         "url": Raw("https://example.org/a"),
                                                                         "publisher": "@SUM(1)"}]},
    {"name": "Đ\u0300ường\u00a0hoa\u3000‘quân’ “sự” — <!-- x --> ]]> %0a &#106;avascript:x",
     "summary": "+1+1 -1+1 <https://evil.example/> [x][1] [1]: javascript:alert(1)",
     "organization": "=1+1 <style>body{display:none}</style>"},
]
# Bypassing validation: the attack that once became a live link, and its relatives.
BYPASS = [
    (ORIGINAL_ATTACK, "Tóm tắt\x85[y](javascript:alert(2))"),
    ("B\x80[x](javascript:alert(1))\ufffe", "\x9b<script>alert(1)</script>\uffff"),
    ("C\u2028---\u2029title: pwned\r\n...", 'D"\n---\ndescription: x\n---\n'),
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A temporary MkDocs project holding the WORST records (validated) and BYPASS records (not), built once."""
    work = make_project(tmp_path_factory.mktemp("hostile-site"))
    content = Corpus(work / "content")
    for i, overrides in enumerate(WORST):
        record = _record("initiative")
        record["date"] = Raw(f"202{i}-0{i + 2}-1{i}")
        record.update(overrides)
        if "photos" not in overrides:
            del record["photos"]
        entry = content.add(f"xau-{i}", "", group="binh-duong/tan-uyen", files={"anh-1.jpg": jpeg((320, 240))})
        entry.write_text(to_yaml(record) + "\n", encoding="ascii")
    model, report = validate(content.root)
    assert not report.errors and len(model.records) == len(WORST), report.items
    base = next(r for r in model.records if not r.photos)
    bypass = [dataclasses.replace(base, slug=f"tan-cong-{i}", name=name, summary=summary)
              for i, (name, summary) in enumerate(BYPASS)]
    model = Model(tuple(sorted(model.records + tuple(bypass), key=lambda r: r.slug)), model.terms)
    docs, site = work / "build" / "docs", work / "site"
    with pytest.MonkeyPatch.context() as patch:  # the real pipeline, fed the model as it is
        patch.setattr(pipeline, "validate", lambda *args, **kwargs: (model, Report()))
        generated = pipeline.generate(content.root, docs, cache=work / "build" / "cache")
    assert generated.stats is not None, [d.message for d in generated.report.items]
    from generator.site.engine import build

    build(work / "mkdocs.yml", docs, site, epoch=1_700_000_000)
    return site, model


def _site_html(site: Path) -> dict[str, BeautifulSoup]:
    return {str(p.relative_to(site)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in sorted(site.rglob("*.html"))}


def test_built_site_has_no_script_link_and_no_offsite_image(hostile_site):
    site, model = hostile_site
    pages = _site_html(site)
    assert len(pages) > 10
    for name, doc in pages.items():
        problems = []
        for tag in doc.find_all(True):
            for attr, value in tag.attrs.items():
                if attr.lower().startswith("on"):
                    problems.append(f"{tag.name} {attr}")
                if attr.lower() in _URL_ATTRS:
                    url = re.sub(r"[\x00-\x20]", "", str(value)).lower()
                    if re.match(r"^(?!https?:|mailto:)[a-z][a-z0-9+.\-]*:", url):
                        problems.append(f"{tag.name} {attr}={value!r}")
        problems += offsite_images(str(doc))
        article = doc.find("article")
        if article is not None:
            problems += unsafe(str(article))
        assert problems == [], (name, problems)
        assert "javascript:" not in " ".join(str(a.get("href", "")) for a in doc.find_all(href=True)).lower()


def test_built_site_titles_and_share_tags_hold_the_text(hostile_site):
    site, model = hostile_site
    site_name = "Sổ vàng người tốt, việc tốt"
    for r in model.records:
        raw = (site / "ho-so" / r.slug / "index.html").read_text(encoding="utf-8")
        doc = BeautifulSoup(raw, "html.parser")
        assert doc.title.get_text() == f"{norm(r.name)} - {site_name}", r.slug
        og = {m["property"]: m["content"] for m in doc.find_all("meta", property=True)}
        assert og["og:title"] == norm(r.name) and og["og:image:alt"] == norm(r.name)
        assert og["og:description"] == norm(r.summary)
        assert doc.find("meta", attrs={"name": "description"})["content"] == norm(r.summary)
        assert f'content="{front(r.name)}"' in raw  # printed escaped, as the generator wrote it
        article = doc.find("article")
        assert article.find("h1").get_text() == norm(r.name)
        shown = article.get_text()
        assert 'title: "' not in shown and 'description: "' not in shown and "image: ho-so" not in shown, shown[:300]


def test_built_site_feed_open_data_and_cards_parse(hostile_site):
    site, model = hostile_site
    feed = ET.fromstring((site / urls.FEED).read_bytes())
    entries = list(feed.iter("{%s}entry" % atom_module.ATOM_NS))
    assert len(entries) == len(model.records)
    titles = {e.findtext("{%s}title" % atom_module.ATOM_NS) for e in entries}
    assert {r.name for r in model.records if r.slug.startswith("xau-")} <= titles  # the validated ones, exactly
    document = json.loads((site / urls.OPEN_DATA_JSON).read_text(encoding="utf-8"))
    assert {r["name"] for r in document["records"]} == {r.name for r in model.records}
    table = list(csv.DictReader(io.StringIO((site / urls.OPEN_DATA_CSV).read_bytes().decode("utf-8-sig"), newline="")))
    assert {row["name"].removeprefix("'") for row in table} == {r.name for r in model.records}
    cards = [json.loads(p.read_text(encoding="utf-8")) for p in (site / urls.SEARCH_DIR / "the").glob("*.json")]
    assert {c["title"] for c in cards} == {r.name for r in model.records}
