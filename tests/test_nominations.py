"""Nominations ("Đề cử", de-cu/): how a citizen proposes a record. People and children by a
private e-mail to the publisher (a mailto link with the template filled in, and the template as
text to copy); collectives and models also by the repository's public GitHub issue form, which
warns first, in bold, that it is public."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.core import urls
from generator.records.rules import CHILD_AGE
from generator.site.publisher import EMAIL_MISSING

from projects import CONTENT, ROOT, build_project, make_project

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / urls.NOMINATION_FORM
CHOOSER = ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"
EMAIL = "sovang@tinhdoan.example.vn"
REPO = "https://github.com/tinh-doan/so-vang"
SITE_NAME = "Sổ vàng Thanh Liêm & <Đoàn>"  # configuration is trusted, but printed escaped
PAGE = urls.served(urls.NOMINATE) + "index.html"


# --- The issue form -----------------------------------------------------------------------------

def form() -> dict:
    return yaml.safe_load(FORM.read_text(encoding="utf-8"))


def test_the_issue_form_has_githubs_shape():
    data = form()
    assert isinstance(data["name"], str) and data["name"].strip()
    assert isinstance(data["description"], str) and data["description"].strip()
    assert isinstance(data.get("title", ""), str) and isinstance(data.get("labels", []), list)
    body = data["body"]
    assert isinstance(body, list) and body
    ids = []
    for item in body:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}, item
        if item["type"] == "markdown":
            assert item["attributes"]["value"].strip()
            continue
        assert re.fullmatch(r"[a-z0-9_-]+", item["id"]), item
        ids.append(item["id"])
        assert item["attributes"]["label"].strip(), item
        if item["type"] in {"dropdown", "checkboxes"}:
            assert item["attributes"]["options"], item
        if "validations" in item:
            assert isinstance(item["validations"]["required"], bool), item
    assert len(ids) == len(set(ids)), f"duplicate ids: {ids}"


def test_the_issue_form_asks_for_a_collective_or_a_model_and_what_to_check():
    body = form()["body"]
    kind = next(i for i in body if i["type"] == "dropdown")
    assert kind["attributes"]["options"] == ["Tập thể", "Mô hình"] and kind["validations"]["required"]
    labels = " | ".join(i["attributes"]["label"].lower() for i in body if i["type"] != "markdown")
    for asked in ("tên", "việc tốt", "kết quả", "xã", "huyện", "tỉnh", "thời gian", "nguồn", "bạn biết"):
        assert asked in labels, asked
    required = {i["id"] for i in body if i.get("validations", {}).get("required")}
    assert {"loai", "ten", "viec-tot", "nguon", "tinh"} <= required


def test_the_issue_form_says_first_in_bold_that_it_is_public():
    first = form()["body"][0]
    assert first["type"] == "markdown"
    bold = " ".join(re.findall(r"\*\*(.+?)\*\*", first["attributes"]["value"], re.S)).lower()
    for warned in ("công khai", "cá nhân", "trẻ em", "trang đề cử", "số điện thoại", "cccd", "cmnd"):
        assert warned in bold, warned


def test_the_nominator_confirms_there_is_no_personal_data():
    boxes = [i for i in form()["body"] if i["type"] == "checkboxes"]
    options = [o for b in boxes for o in b["attributes"]["options"]]
    assert any(o.get("required") is True and "số điện thoại" in o["label"] and "CCCD" in o["label"]
               for o in options), options


def test_the_issue_chooser_names_no_site_address():
    chooser = yaml.safe_load(CHOOSER.read_text(encoding="utf-8"))
    assert isinstance(chooser["blank_issues_enabled"], bool)
    assert not any("://" in link.get("url", "") and "github.com" not in link["url"]
                   for link in chooser.get("contact_links", []))


# --- The URLs -------------------------------------------------------------------------------------

def test_a_mailto_link_is_percent_encoded_utf8():
    link = urls.mailto(EMAIL, "Đề cử: a+b & c", "Dòng một\nDòng hai?")
    assert link == (f"mailto:{EMAIL}?subject=%C4%90%E1%BB%81%20c%E1%BB%AD%3A%20a%2Bb%20%26%20c"
                    "&body=D%C3%B2ng%20m%E1%BB%99t%0AD%C3%B2ng%20hai%3F")


def test_the_issue_form_link_opens_the_form():
    assert urls.github_issue_form(REPO + "/") == f"{REPO}/issues/new?template={urls.NOMINATION_FORM}"
    assert FORM.is_file()


# --- The page -------------------------------------------------------------------------------------

def project(root: Path, email: bool, repo: bool) -> Path:
    made = make_project(root, CONTENT)
    config = made / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    block = "  content_branch: main\n" if repo else ""
    block += "  publisher:\n" + (f"    email: {EMAIL}\n" if email else "") + "    name: Huyện đoàn Thanh Liêm\n"
    assert "\n  publisher:\n" in text
    text = text.replace("\n  publisher:\n", "\n" + block, 1)
    text = re.sub(r"(?m)^site_name: .*$", f'site_name: "{SITE_NAME}"', text, count=1)
    if repo:
        text = text.replace(f"# repo_url: {REPO}", f"repo_url: {REPO}", 1)
        assert f"\nrepo_url: {REPO}" in text
    config.write_text(text, encoding="utf-8")
    return made


@pytest.fixture(scope="module")
def with_email(tmp_path_factory) -> tuple[Path, str]:
    made = project(tmp_path_factory.mktemp("de-cu"), email=True, repo=True)
    return made / "site", build_project(made).stderr


@pytest.fixture(scope="module")
def without_email(tmp_path_factory) -> tuple[Path, str]:
    made = project(tmp_path_factory.mktemp("de-cu-trong"), email=False, repo=False)
    return made / "site", build_project(made).stderr


def article(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser").find("article")


def mailto_links(page: BeautifulSoup) -> list[str]:
    return [a["href"] for a in page.select("a[href]") if a["href"].lower().startswith("mailto:")]


def test_the_page_offers_a_mailto_link_with_the_template(with_email):
    site, _ = with_email
    page = article(site)
    [href] = mailto_links(page)
    parts = urlsplit(href)
    assert parts.path == EMAIL
    assert " " not in href and "\n" not in href and "+" not in href  # %20 and %0A, never a form's +
    query = dict(pair.split("=", 1) for pair in parts.query.split("&"))
    subject, body = unquote(query["subject"], errors="strict"), unquote(query["body"], errors="strict")
    assert subject.startswith("Đề cử")
    assert "%0A" in query["body"] and body.count("\n") >= 8
    for asked in ("Họ tên người", "Việc tốt", "xã/phường, tỉnh", "Khi nào", "Nguồn", "Tôi biết",
                  "Họ tên của tôi", "Cách liên hệ với tôi", "cần đồng ý", "trẻ em", "người giám hộ"):
        assert asked in body, asked
    assert SITE_NAME in body  # the site's name, whole: "&" and "<" encoded in the link
    # The same template as text to copy, for phones without a mail app.
    template = page.select_one("pre.sv-nominate__template")
    assert template.get_text() == body
    assert EMAIL in page.get_text() and subject in page.get_text()


def test_the_template_to_copy_is_escaped(with_email):
    site, _ = with_email
    raw = (site / PAGE).read_text(encoding="utf-8")
    raw = raw[raw.index('<article class="md-content__inner'):raw.index("</article>")]  # MkDocs writes <title>
    assert raw.count("Sổ vàng Thanh Liêm &amp; &lt;Đoàn&gt;") >= 3 and "<Đoàn>" not in raw


def test_people_and_children_are_nominated_by_email_only(with_email):
    site, _ = with_email
    text = " ".join(article(site).get_text(" ").split())
    assert "cá nhân" in text and "trẻ em" in text and "gửi riêng qua thư" in text
    assert "không ghi tên cá nhân, trẻ em, số điện thoại hay số CCCD/CMND" in text


def test_with_a_repository_the_page_links_to_the_issue_form(with_email, without_email):
    site, _ = with_email
    assert article(site).select(f'a[href="{urls.github_issue_form(REPO)}"]')
    site, _ = without_email
    assert not [a for a in article(site).select("a[href]") if "/issues/new" in a["href"]]
    assert "hãy gửi thư" in article(site).get_text()


def test_the_page_says_what_happens_next(with_email):
    site, _ = with_email
    heading = next(h for h in article(site).find_all("h2") if h.get_text() == "Sau khi bạn gửi")
    steps = [" ".join(li.get_text(" ").split()) for li in heading.find_next_sibling("ol").find_all("li")]
    assert len(steps) == 3
    assert "kiểm tra nguồn" in steps[0]
    assert "hỏi ý kiến người được đề cử" in steps[1] and "chỉ ghi danh khi họ đồng ý" in steps[1]
    assert f"dưới {CHILD_AGE} tuổi" in steps[1] and "cha mẹ hoặc người giám hộ đồng ý" in steps[1]
    assert "đăng" in steps[2]


def test_without_an_address_the_page_says_so_and_the_build_warns(with_email, without_email):
    site, stderr = without_email
    page = article(site)
    assert mailto_links(page) == [] and not page.select("pre.sv-nominate__template")
    text = " ".join(page.get_text(" ").split())
    assert "Trang này chưa có địa chỉ thư điện tử nhận đề cử" in text and "Huyện đoàn Thanh Liêm" in text
    assert EMAIL_MISSING in stderr and "extra.publisher.email" in stderr
    _, stderr = with_email
    assert "extra.publisher.email" not in stderr


def test_the_page_is_in_the_navigation_and_on_the_home_page(with_email):
    site, _ = with_email
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    target = urls.served(urls.NOMINATE)
    assert any(a["href"] == target for a in home.select("nav.md-nav--primary a[href]"))
    assert any(a["href"] == target for a in home.find("article").select("a[href]"))
