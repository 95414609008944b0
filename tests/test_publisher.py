"""The publisher's identity (generator/site/publisher.py): read from mkdocs.yml once, and seen
on every page, share card, feed, open data file and print sheet of a built site."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.media import cards
from generator.records.model import Corpus
from generator.site import publisher as pub
from generator.site.publisher import DEFAULT, Publisher, SettingsError, settings

from projects import CONTENT, ROOT, build_project, make_project

ATOM = "{http://www.w3.org/2005/Atom}"

CUSTOM = """  publisher:
    name: Ban Thường vụ Huyện đoàn Thanh Liêm & <Đoàn>
    address: 01 Trần Phú, phường Phủ Lý, tỉnh Ninh Bình
    email: sovang@huyendoan.example.vn
    phone: 0226 3 000 000
    primary_color: "#1d4e89"
    home_title: Sổ vàng tuổi trẻ Thanh Liêm
    home_text: Những tấm gương bình dị mà cao quý của quê hương Thanh Liêm.
    footer: Ghi rõ nguồn khi đăng lại.
    featured: [hu-gao-tiet-kiem]
    scope: {province: Hà Nam, district: Thanh Liêm}
"""


def configured(root: Path, block: str = CUSTOM, site_name: str = "Sổ vàng Thanh Liêm", site_url: str = "") -> Path:
    """A project whose mkdocs.yml carries `block` as extra.publisher (the shipped block is all comments)."""
    project = make_project(root, CONTENT)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  publisher:\n" in text
    text = text.replace("\n  publisher:\n", "\n" + block, 1)
    text = re.sub(r"(?m)^site_name: .*$", f"site_name: {site_name}", text, count=1)
    if site_url:
        text = text.replace("# site_url: https://sovang.example.gov.vn/", f"site_url: {site_url}", 1)
    config.write_text(text, encoding="utf-8")
    return project


# --- Reading the settings -----------------------------------------------------------------

def test_a_config_without_the_block_gets_the_defaults():
    p = settings({"site_name": "  Sổ   vàng  "})
    assert p.site_name == "Sổ vàng" and p.heading == "Sổ vàng" and p.by_line == "Sổ vàng"
    assert p.logo == pub.DEFAULT_LOGO and p.primary_color == pub.DEFAULT_PRIMARY and p.scope is None
    assert settings({"site_name": "X", "extra": {"publisher": None}}) == Publisher(site_name="X")


def test_the_shipped_configuration_reads():
    from generator.site.engine import publisher

    p = publisher(ROOT / "mkdocs.yml")
    assert p.site_name == DEFAULT.site_name and p.site_url is None


@pytest.mark.parametrize("block, words", [
    ({"colour": "#fff"}, "không có khoá 'colour'"),
    ({"primary_color": "red"}, "'extra.publisher.primary_color' phải là mã màu dạng #rrggbb"),
    ({"email": "tinhdoan"}, "không phải địa chỉ thư điện tử"),
    ({"featured": "mot-ho-so"}, "phải là danh sách"),
    ({"featured": [f"s{i}" for i in range(7)]}, "tối đa 6"),
    ({"name": ["a", "b"]}, "'extra.publisher.name' phải là một dòng chữ"),
    ({"scope": {"province": "Hà Tây Mới"}}, "không có tỉnh, thành phố 'Hà Tây Mới'"),
    ({"scope": {"province": "Hà Nam", "district": "Không Có"}}, "Tỉnh Hà Nam không có huyện 'Không Có'"),
    ({"scope": {"district": "Thanh Liêm"}}, "cần 'province'"),
])
def test_a_setting_mkdocs_cannot_hold_is_named_in_vietnamese(block, words):
    with pytest.raises(SettingsError) as caught:
        settings({"site_name": "X", "extra": {"publisher": block}})
    assert words in str(caught.value) and "mkdocs.yml" in str(caught.value)


def test_scope_of_a_province_of_today_and_of_a_former_district():
    today = settings({"site_name": "X", "extra": {"publisher": {"scope": {"province": "Ninh Bình"}}}}).scope
    assert today.province.name == "Tỉnh Ninh Bình" and today.district is None
    former = settings({"site_name": "X", "extra": {"publisher": {"scope": {"province": "Hà Nam",
                                                                           "district": "Thanh Liêm"}}}}).scope
    assert former.name == "Huyện Thanh Liêm, Tỉnh Hà Nam"


def test_colours_too_light_to_read_are_warned_about():
    assert pub.colours_ok(DEFAULT) == []
    warnings = pub.colours_ok(Publisher(site_name="X", primary_color="#f5c518", accent_color="#ffeeaa"))
    assert len(warnings) == 2 and "extra.publisher.primary_color" in warnings[0] and "4,5:1" in warnings[0]


def test_the_theme_and_the_generator_agree_on_the_defaults():
    # The theme prints config.extra.publisher directly; where it falls back, it must fall back
    # to what publisher.py assumes (contrast checks, print sheets).
    logo = (ROOT / "theme" / "partials" / "logo.html").read_text(encoding="utf-8")
    assert f"'{pub.DEFAULT_LOGO}'" in logo and (ROOT / "theme" / pub.DEFAULT_LOGO).is_file()
    css = (ROOT / "theme" / "assets" / "stylesheets" / "sovang.css").read_text(encoding="utf-8")
    assert f"--md-primary-fg-color: {pub.DEFAULT_PRIMARY};" in css
    assert f"--md-accent-fg-color: {pub.DEFAULT_ACCENT};" in css


def test_featured_records_are_the_publishers_else_the_latest_with_a_photo():
    from generator.records.validate import validate

    corpus, _ = validate(CONTENT)
    photos = {r.slug: ("photo",) for r in corpus.records if r.photos}
    chosen, missing = pub.featured_records(Publisher("X", featured=("hu-gao-tiet-kiem", "da-go")), corpus.records, photos)
    assert [r.slug for r in chosen] == ["hu-gao-tiet-kiem"] and missing == ["da-go"]
    chosen, _ = pub.featured_records(DEFAULT, corpus.records, photos)
    with_photo = sorted((r for r in corpus.records if r.photos), key=lambda r: r.date)
    assert len(chosen) == 1 and chosen[0].photos and chosen[0].date == with_photo[-1].date


def test_share_cards_name_the_publisher(tmp_path):
    from generator.media.images import Derived

    empty = Corpus((), {})
    nothing = Derived({}, {}, 0, (), frozenset())
    def card(p: Publisher, folder: str) -> bytes:
        made = cards.derive(empty, nothing, tmp_path / folder, brand=p.site_name, tagline=p.tagline)
        return made.files["chia-se.jpg"].read_bytes()

    assert Publisher("S", organisation="Huyện đoàn").tagline == "Huyện đoàn"
    assert card(DEFAULT, "a") != card(Publisher(DEFAULT.site_name, organisation="Huyện đoàn"), "b")
    assert card(DEFAULT, "c") != card(Publisher("Sổ vàng Thanh Liêm"), "d")
    assert card(DEFAULT, "e") == card(DEFAULT, "f")


# --- A built site -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def custom_site(tmp_path_factory) -> tuple[Path, str]:
    project = configured(tmp_path_factory.mktemp("publisher"))
    done = build_project(project)
    return project / "site", done.stderr


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_the_home_page_is_the_publishers(custom_site):
    site, _ = custom_site
    home = page(site, "index.html")
    assert home.select_one(".sv-hero__title").get_text() == "Sổ vàng tuổi trẻ Thanh Liêm"
    assert home.select_one(".sv-hero__by").get_text() == "Ban Thường vụ Huyện đoàn Thanh Liêm & <Đoàn>"
    assert "Những tấm gương bình dị mà cao quý của quê hương Thanh Liêm." in home.find("article").get_text()
    featured = home.select(".sv-featured .sv-card a")
    assert [a["href"] for a in featured] == ["ho-so/hu-gao-tiet-kiem/"]
    assert home.find("title").get_text().endswith("Sổ vàng Thanh Liêm")


def test_every_page_has_the_publishers_footer(custom_site):
    site, _ = custom_site
    for path in ("index.html", "ho-so/hu-gao-tiet-kiem/index.html", "thong-ke/index.html", "404.html"):
        footer = page(site, path).select_one("footer .sv-footer")
        text = footer.get_text(" ")
        assert "Sổ vàng Thanh Liêm" in text and "Ban Thường vụ Huyện đoàn Thanh Liêm & <Đoàn>" in text, path
        assert "01 Trần Phú" in text and "0226 3 000 000" in text and "Ghi rõ nguồn khi đăng lại." in text
        assert footer.select_one('a[href="mailto:sovang@huyendoan.example.vn"]')
        assert "Material for MkDocs" not in text
    raw = (site / "index.html").read_text(encoding="utf-8")
    assert "&amp; &lt;Đoàn&gt;" in raw and "<Đoàn>" not in raw  # configuration is printed escaped too
    assert "--md-primary-fg-color:#1d4e89" in raw


def test_the_404_page_names_the_site(custom_site):
    site, _ = custom_site
    text = page(site, "404.html").find("article").get_text(" ")
    assert "Sổ vàng Thanh Liêm" in text and "sovang@huyendoan.example.vn" in text


def test_the_feed_and_the_open_data_name_the_publisher(custom_site):
    site, _ = custom_site
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.findtext(ATOM + "title") == "Sổ vàng Thanh Liêm"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Ban Thường vụ Huyện đoàn Thanh Liêm & <Đoàn>"
    assert "Sổ vàng Thanh Liêm" in feed.findtext(ATOM + "rights")
    data = json.loads((site / "du-lieu" / "ho-so.json").read_text(encoding="utf-8"))
    assert data["publisher"] == {"site_name": "Sổ vàng Thanh Liêm",
                                 "organisation": "Ban Thường vụ Huyện đoàn Thanh Liêm & <Đoàn>",
                                 "url": None, "email": "sovang@huyendoan.example.vn"}


def test_the_scope_leads_the_place_index(custom_site):
    site, _ = custom_site
    first = page(site, "dia-phuong/index.html").select("article .sv-place")[0]
    assert "sv-place--scope" in first["class"] and first.select_one("h2 a").get_text() == "Tỉnh Ninh Bình"
    chips = page(site, "index.html").select("article ul.sv-chips a")
    assert chips[0].get_text().startswith("Ninh Bình")


def test_a_missing_site_url_is_warned_about_with_what_breaks(custom_site, tmp_path):
    _, stderr = custom_site
    assert "chưa có 'site_url'" in stderr and "sitemap.xml" in stderr and "Zalo" in stderr
    done = build_project(configured(tmp_path / "p", site_url="https://sovang.example.vn/"))
    assert "site_url" not in done.stderr


def test_a_bad_setting_stops_the_build_in_vietnamese(tmp_path, run_cli):
    project = configured(tmp_path / "p", block="  publisher:\n    primary_color: đỏ\n")
    code, out, err = run_cli("build", cwd=project)
    assert code == 1 and "Traceback" not in err
    assert "'extra.publisher.primary_color' phải là mã màu dạng #rrggbb" in err
    assert not (project / "site").exists()


def test_the_print_sheet_carries_the_publishers_identity(custom_site):
    site, _ = custom_site
    sheet = page(site, "ho-so/hu-gao-tiet-kiem/index.html").select_one(".sv-sheet")
    assert sheet.select_one(".sv-sheet__site").get_text(" ", strip=True) == "Sổ vàng Thanh Liêm"
    assert sheet.select_one(".sv-sheet__org").get_text(" ", strip=True) == "Ban Thường vụ Huyện đoàn Thanh Liêm & <Đoàn>"
    contact = sheet.select_one(".sv-sheet__contact").get_text(" ", strip=True)
    assert "01 Trần Phú" in contact and "sovang@huyendoan.example.vn" in contact
