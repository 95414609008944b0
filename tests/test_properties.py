"""Property and fuzz tests: hostile text is inert in every page; no input makes validation crash or hang.

A bounded number of examples runs in `make test`; maintainers run more with
`make fuzz` (SOVANG_FUZZ_EXAMPLES=2000).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pages as P
from generator.model import Corpus as Model
from generator.render import Renderer
from generator.validate import validate

from conftest import VALID_INITIATIVE, VALID_PERSON, Corpus

EXAMPLES = int(os.environ.get("SOVANG_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=5000, derandomize=not os.environ.get("SOVANG_FUZZ_EXAMPLES"),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "![x](javascript:alert(1))",
    "<iframe src=//evil.example></iframe>", "<object data=x></object>", "<embed src=x>", "<svg onload=alert(1)>",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>", "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "[x]( javascript:alert(1) )", "[x]: javascript:alert(1)\n\n[y][x]", "<base href=//evil.example>",
    "<meta http-equiv=refresh content=0;url=//evil.example>", "<form action=//evil.example><button>x</button></form>",
    "<style>body{display:none}</style>", "<details open ontoggle=alert(1)>", "<a href=\"vbscript:x\">v</a>",
    "{{ 7*7 }}", "{% include 'mkdocs.yml' %}", "--8<-- \"mkdocs.yml\"", "{: onclick=\"alert(1)\" }", "<<script>script>",
    "&lt;script&gt;", "`<script>`", "<!-- x -->", "]]>", "\u202eevil", "[x](<javascript:alert(1)>)", "<a href=&#106;avascript:x>",
    "*em* **b** # h", "| a | b |\n| - | - |\n| <script> | x |", "\\", "'", "\"", "&", "<", ">",
]
fragments = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=st.characters(
    blacklist_categories=("Cs", "Cc")), max_size=12)), min_size=1, max_size=6).map(" ".join)
_BAD_TAGS = {"script", "iframe", "object", "embed", "base", "meta", "form", "style", "frame", "frameset", "applet"}
_OUR_FORMS = {"sv-finder", "sv-home-search"}  # the finder and the home page's search box, from templates
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
                                                          "2022-13-45", "no", "1e9999", "0x1F", "\ufeff", "\ud7ff"]


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


@SETTINGS
@given(text=mutations())
def test_no_input_makes_validation_crash(tmp_path_factory, text):
    content = Corpus(tmp_path_factory.mktemp("fuzz") / "content")
    path = content.add("duong-hoa", "")
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    model, report = validate(content.root)  # any exception fails the test
    for d in report.errors + report.warnings:
        assert d.line >= 1 and d.col >= 1 and d.message and "Traceback" not in d.message
    assert not (model.records and report.errors)  # a record with an error is never published
    shutil.rmtree(content.root.parent, ignore_errors=True)
