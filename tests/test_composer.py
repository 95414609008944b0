"""The composer's definition and data (generator/site/composer.py), without a browser.

The browser side (filling the form, the exported folders, the photos) is
tests/browser/test_browser_composer.py; here: the form covers the whole record format, the
messages it shows are the validator's own, the data files are split as the page's budget needs,
and the links to GitHub follow mkdocs.yml's settings.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import imaging

from conftest import PHOTO, VALID_INITIATIVE, VALID_PERSON
from generator.core import urls
from generator.records import schema as s
from generator.records.places import registry
from generator.records.validate import validate
from generator.site import composer
from generator.site.plan import plan
from generator.site.render import Renderer

REPO = "https://github.com/tinh-doan/so-vang"


def key_paths(obj: s.Obj, prefix: str = "") -> list[str]:
    """Every key path of the format as the form names its controls; list items as item 0."""
    out = []
    for f in obj.fields:
        path = prefix + f.key
        if isinstance(f.type, s.Obj):
            out += key_paths(f.type, path + ".")
        elif isinstance(f.type, s.ListOf) and isinstance(f.type.item, s.Obj):
            out += key_paths(f.type.item, path + ".__i__.")
        else:
            out.append(path)
    return out


class _Names(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "select", "textarea") and a.get("name"):
            self.names.add(a["name"])


def composer_html(corpus, editing=None, problem="") -> str:
    model, report = validate(corpus.root)
    assert not report.errors, report.items
    page = next(p for p in plan(model, editing=editing, editing_problem=problem) if p.path == urls.COMPOSER)
    return Renderer().render(page)


def test_every_key_of_the_format_has_a_control_named_by_its_path(corpus):
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    with open(corpus.root / "taxonomy.yml", "a", encoding="utf-8") as f:  # a programme, so its checkboxes are drawn
        f.write("programmes:\n  chi-thi-05:\n    name: Chỉ thị 05-CT/TW\n")
    parser = _Names()
    parser.feed(composer_html(corpus))
    asked = {p for p in key_paths(s.RECORD) if p.split(".")[0] not in composer.NOT_IN_COMPOSER}
    assert asked <= parser.names, sorted(asked - parser.names)
    # A new record is never withdrawn: the takedown keys are left to "Sửa hồ sơ này".
    assert set(composer.NOT_IN_COMPOSER) == {"withdrawn", "withdrawn_reason", "replicated_in"}
    assert not {n for n in parser.names if n.split(".")[0] in composer.NOT_IN_COMPOSER}
    # The vocabulary comes from content/taxonomy.yml, one checkbox per key.
    terms = [k for k in re.findall(r'name="fields" value="([^"]+)"', composer_html(corpus))]
    model, _ = validate(corpus.root)
    assert terms == list(model.terms)


def test_the_form_is_one_raw_html_block(corpus):
    """Markdown ends a raw HTML block at a blank line and reads the rest as Markdown."""
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    text = composer_html(corpus)
    form = text[text.index("<form"):text.index("</form>")]
    assert "\n\n" not in form


def test_the_definition_follows_the_format():
    """Limits, patterns and required keys are read from schema.py, not copied."""
    spec = composer.form({})
    by_key = {f["key"]: f for f in spec["record"]}
    assert by_key["summary"]["maxLen"] == s.RECORD.field("summary").type.max_len
    assert by_key["birth_year"]["kinds"] == ["person"]
    assert by_key["consent"]["requiredFor"] == ["person"]
    assert [f["key"] for f in by_key["photos"]["item"]["fields"]] == [f.key for f in s.PHOTO.fields]
    assert by_key["kind"]["labels"] == [s.KIND_LABELS[k] for k in s.KINDS]
    assert spec["reform"] == s.REFORM.isoformat()
    assert spec["photoMaxBytes"] == composer.MAX_BYTES


# --- The messages are the validator's --------------------------------------------------------

def _big_png() -> bytes:
    """A real 64-megapixel picture (one bit a pixel, so small), not a declared bomb."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")
    return out.getvalue()


def _messages(corpus, text: str, files: dict[str, bytes] | None = None) -> list[str]:
    corpus.add("ho-so", text, files=files)
    _, report = validate(corpus.root)
    return [d.message for d in report.items]


M = composer.MESSAGES
STORY = "Anh Bình liên hệ 0912 345 678 để được giúp."
CASES = {
    "missing": (VALID_INITIATIVE.replace("summary: Ba ki-lô-mét đường hoa trên trục ĐT 499B do Ban Chỉ huy Quân sự huyện thực hiện.\n", ""),
                M["missing"].format(where="summary", doc=s.RECORD.field("summary").doc)),
    "too_long": (VALID_INITIATIVE.replace("name: Đường hoa quân sự", "name: " + "a" * 201),
                 M["too_long"].format(where="name", length=201, max=200)),
    "range": (VALID_PERSON.replace("adult: true", "birth_year: 1800"),
              M["range"].format(where="birth_year", value=1800, min=1900, max=2100)),
    "url": (VALID_INITIATIVE + "sources:\n  - title: Bài báo\n    url: baothanhhoa.vn/x\n",
            M["url"].format(where="sources[1].url", url="baothanhhoa.vn/x")),
    "decimal_comma": (VALID_INITIATIVE + "results:\n  - label: Đường\n    value: 2,5\n    unit: km\n",
                      M["decimal_comma"].format(where="results[1].value", fixed="2.5")),
    "paragraph": (VALID_INITIATIVE.replace("summary: Ba ki-lô-mét", "summary: |\n  Ba ki-lô-mét\n\n  mới"),
                  M["paragraph"].format(where="summary")),
    "digits": (VALID_INITIATIVE + "results:\n  - label: Gạo\n    value: 1234567890123456789\n    unit: kg\n",
               M["digits"].format(where="results[1].value", digits=19, max=18)),
    "story_unconsented": (VALID_PERSON.replace("  story: true\n", "") + "story: Chị Hạnh làm việc tận tụy.\n",
                          M["story_unconsented"]),
    "photo_unconsented": (VALID_PERSON + PHOTO, M["photo_unconsented"], lambda: {"anh-1.jpg": imaging.jpeg()}),
    "pixels": (VALID_INITIATIVE + PHOTO, M["pixels"].format(where="photos[1].file", max=60),
               lambda: {"anh-1.jpg": _big_png()}),
    "grouped": (VALID_INITIATIVE + "results:\n  - label: Gạo\n    value: 3.450\n    unit: kg\n",
                M["grouped"].format(where="results[1].value", text="3.450", plain="3450")),
    "missing_district": (VALID_INITIATIVE.replace("  district: Thanh Liêm\n", ""), M["missing_district"].format(
        reform=s.REFORM_TEXT, province="Tỉnh Hà Nam", listing=M["listing"].format(names=", ".join(
            d[1] for d in json.loads(composer.registry_files()[urls.composer_legacy("ha-nam")]))))),
    "personal": (VALID_INITIATIVE + f"story: {STORY}\n",
                 M["personal"].format(where="story", what="số điện thoại", found="0912 345 678", hint=M["personal_hint"])),
    "no_name_consent": (VALID_PERSON.replace("  name: true", "  name: false"), M["no_name_consent"]),
    "child": (VALID_PERSON.replace("adult: true", "birth_year: 2008"), M["child"]),
    "born_after": (VALID_PERSON.replace("adult: true", "birth_year: 2021"), M["born_after"].format(born=2021, year=2020)),
    "undecided_age": (VALID_PERSON.replace("adult: true\n", ""), M["undecided_age"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_message_template_is_what_the_validator_says(corpus, case):
    text, expected, *files = CASES[case]
    found = _messages(corpus, text, files[0]() if files else None)
    assert expected in found, found


def test_every_template_is_checked_against_the_validator():
    checked = set(CASES) | {"personal_hint", "pattern", "integer", "min_items", "future", "period", "listing", "forbidden",
                            "duplicate"}
    assert set(M) == checked


def test_duplicate_and_forbidden_templates_frame_what_the_validator_says(corpus):
    """The validator names the other file as the terminal sees it and the character by its Unicode
    name: the browser says the repository path and the code point, around the same words."""
    corpus.add("duong-hoa-2", VALID_INITIATIVE)
    found = _messages(corpus, VALID_INITIATIVE)
    head, tail = M["duplicate"].split("{paths}")
    assert any(m.startswith(head) and m.endswith(tail) for m in found), found
    found = _messages(corpus, VALID_INITIATIVE.replace("name: Đường hoa quân sự", 'name: "Đường\u202ehoa"'))
    head, rest = M["forbidden"].split("{cp}")
    tail = rest.split("{index}")[1]
    assert any(m.startswith(head.format(where="name").replace("ký tự U+", "")) and m.endswith(tail) and "U+202E" in m
               for m in found), found


def test_future_and_pattern_templates(corpus):
    tomorrow = dt.date.today() + dt.timedelta(days=3)
    found = _messages(corpus, VALID_INITIATIVE.replace("date: 2022-12-31", f"date: {tomorrow.isoformat()}"))
    today = [m for m in found if m.startswith("date: thời gian ghi danh")][0]
    shown_today = re.search(r"hôm nay là (\d\d/\d\d/\d{4})", today).group(1)
    assert M["future"].format(where="date", what="thời gian ghi danh", day="ngày " + tomorrow.strftime("%d/%m/%Y"),
                              today=shown_today) == today
    found = _messages(corpus, VALID_INITIATIVE.replace("date: 2022-12-31", "date: 12/2022"))
    assert any(m.startswith(M["period"].format(where="date", raw="12/2022")) for m in found)


def test_pattern_integer_and_min_items_templates(corpus):
    photo = PHOTO.replace("file: anh-1.jpg", "file: ảnh 1.jpg")
    found = _messages(corpus, VALID_INITIATIVE + photo)
    doc = s.PHOTO.field("file").type.pattern_doc
    assert M["pattern"].format(where="photos[1].file", text="ảnh 1.jpg", doc=doc) in found
    found = _messages(corpus, VALID_PERSON.replace("adult: true", "birth_year: '1990'").replace("fields: [xay-dung-dang]", "fields: []"))
    assert M["integer"].format(where="birth_year", raw="1990") in found
    assert M["min_items"].format(where="fields", min=1) in found


# --- Data files ---------------------------------------------------------------------------------

def _files(corpus) -> dict[str, bytes]:
    model, report = validate(corpus.root)
    assert not report.errors
    return composer.files(model)


def test_the_registry_is_split_by_province_and_the_first_load_is_small(corpus):
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    files = _files(corpus)
    reg = registry()
    provinces = json.loads(files[urls.COMPOSER_PROVINCES])
    assert len(provinces["legacy"]) == len(reg.legacy_provinces.units) == 63
    assert len(provinces["current"]) == len(reg.current_provinces.units) == 34
    for slug, *_ in provinces["legacy"]:
        assert urls.composer_legacy(slug) in files
    for slug, *_ in provinces["current"]:
        assert urls.composer_current(slug) in files
    hanam = json.loads(files[urls.composer_legacy("ha-nam")])
    thanh_liem = next(d for d in hanam if d[0] == "thanh-liem")
    assert "Xã Thanh Hà" in [c[1] for c in thanh_liem[3]]
    # What opening the page fetches besides the page and the theme: a few kilobytes.
    first = sum(len(gzip.compress(files[p])) for p in (urls.COMPOSER_FORM, urls.COMPOSER_PROVINCES))
    assert first < 12_000, first


def test_published_records_by_province_and_slugs_by_shard(corpus):
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    corpus.add("nguyen-thi-my-hanh", VALID_PERSON, group="binh-duong/tan-uyen")
    files = _files(corpus)
    # Hà Nam (pre-2025) is in Ninh Bình today: the warning is looked up by the province of today.
    ninh_binh = json.loads(files[urls.search_place("ninh-binh")])
    assert ninh_binh == [["duong-hoa-quan-su", "duong-hoa-quan-su", "Đường hoa quân sự", "Huyện Thanh Liêm",
                          "initiative", "2022-12-31", ""]]  # no content folder given: no source path
    assert json.loads(files[urls.search_place("ha-noi")]) == []  # every province has its file
    shards = [p for p in files if p.startswith(urls.SEARCH_DIR + "/ma/")]
    assert len(shards) == 16 ** composer.SLUG_SHARD_HEX
    assert "duong-hoa-quan-su" in json.loads(files[urls.search_slugs(composer.slug_shard("duong-hoa-quan-su"))])


def test_slug_shard_is_fnv1a():
    # Published test vectors of 32-bit FNV-1a; the composer's JavaScript computes the same.
    assert composer.slug_shard("") == "81"  # 0x811c9dc5
    assert composer.slug_shard("a") == "e4"  # 0xe40c292c
    assert composer.slug_shard("foobar") == "bf"  # 0xbf9cf968


def test_record_names_reach_the_data_as_json_strings_only(corpus):
    hostile = VALID_INITIATIVE.replace("name: Đường hoa quân sự", 'name: "</script><img src=x onerror=alert(1)> \\u2028"')
    corpus.add("duong-hoa", hostile)
    files = _files(corpus)
    rows = json.loads(files[urls.search_place("ninh-binh")])
    assert rows[0][2] == "</script><img src=x onerror=alert(1)> \u2028".strip()


# --- Settings and links ---------------------------------------------------------------------------

def test_settings_need_a_github_repository_and_a_branch(tmp_path):
    none, problem = composer.editing_settings({}, tmp_path)
    assert none is None and "repo_url" in problem
    none, problem = composer.editing_settings({"repo_url": REPO}, tmp_path)
    assert none is None and "content_branch" in problem
    none, problem = composer.editing_settings({"repo_url": "https://gitlab.com/a/b", "extra": {"content_branch": "main"}}, tmp_path)
    assert none is None
    editing, problem = composer.editing_settings({"repo_url": REPO + "/", "extra": {"content_branch": "main"}}, tmp_path)
    assert editing.repo == REPO and editing.branch == "main" and problem == ""


def test_without_settings_the_composer_says_which_and_offers_no_github_button(corpus):
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    _, problem = composer.editing_settings({}, corpus.root.parent)
    text = composer_html(corpus, None, problem)
    assert 'data-action="github"' not in text and "data-github-new" not in text
    assert "repo_url" in text and 'data-action="zip"' in text


def test_with_settings_records_link_to_their_entry_and_district_pages_to_the_composer(corpus, tmp_path):
    corpus.add("duong-hoa-quan-su", VALID_INITIATIVE)
    editing, _ = composer.editing_settings({"repo_url": REPO, "extra": {"content_branch": "main"}}, corpus.root.parent)
    model, _ = validate(corpus.root)
    pages = {p.path: p for p in plan(model, editing=editing)}
    renderer = Renderer()
    record = renderer.render(pages[urls.record("duong-hoa-quan-su")])
    edit = re.search(r'<a class="md-button" href="([^"]+)"[^>]*>Sửa hồ sơ này</a>', record).group(1)
    assert edit == f"{REPO}/edit/main/content/entries/ha-nam/thanh-liem/duong-hoa-quan-su/entry.yml"
    district = renderer.render(pages[urls.district("ha-nam", "thanh-liem")])
    add = re.search(r'<a class="md-button" href="([^"]+)">Thêm hồ sơ ở đây</a>', district).group(1)
    assert urlsplit(add).path == urls.served_from(urls.district("ha-nam", "thanh-liem"), urls.COMPOSER)
    assert parse_qs(urlsplit(add.replace("&amp;", "&")).query) == {"truoc-2025": ["1"], "tinh": ["ha-nam"], "huyen": ["thanh-liem"]}
    text = renderer.render(pages[urls.COMPOSER])
    assert f'data-github-new="{REPO}/new/main"' in text
    # Without the settings, no record page links to GitHub.
    plain = {p.path: p for p in plan(model)}
    assert "Sửa hồ sơ này" not in renderer.render(plain[urls.record("duong-hoa-quan-su")])


def test_edit_links_quote_the_folder_path(tmp_path):
    editing = composer.Editing(REPO, "nhánh chính", tmp_path)
    assert urls.github_edit(REPO, "nhánh chính", "content/entries/a b/#x/entry.yml") == \
        f"{REPO}/edit/nh%C3%A1nh%20ch%C3%ADnh/content/entries/a%20b/%23x/entry.yml"
    assert editing.repo == REPO
