"""Printing: a record page prints its sheet on exactly one A4 page, whatever the record holds;
a book page prints its cover and one page a record (generator/site/books.py, _sheet.html.j2,
theme/assets/stylesheets/sovang-print.css).

Chromium prints through Playwright's page.pdf (A4, the stylesheet's @page); the PDF's pages
are counted. Its text is compressed, so what the sheet shows is read from the DOM in print
media instead: the sheet is the only box shown, it is no taller than the printable height,
and nothing in it is clipped (the middle part's content fits its box).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from projects import CONTENT, build_project, make_project

pytestmark = pytest.mark.browser

SITE_URL = "https://sovang.example.vn/"
ORGANISATION = "Ban Thường vụ Tỉnh đoàn Quảng Ngãi"
CONFIG = (f"\nsite_url: {SITE_URL}\nextra:\n  publisher:\n    name: {ORGANISATION}\n"
          "    address: 123 Hùng Vương, phường Cẩm Thành, tỉnh Quảng Ngãi\n"
          "    email: sovang@tinhdoan.example.vn\n    phone: 0255 3 822 000\n")
SITE_NAME = "Sổ vàng người tốt, việc tốt"  # mkdocs.yml's site_name
PRINTABLE_MM = 297 - 2 * 12  # A4 less the stylesheet's @page margins
MM = 96 / 25.4  # CSS pixels a millimetre
# The window has the printable area's size: print media is emulated in the window, and the
# sheet's lines wrap as on paper only at the paper's width (a wider window fits more in).
PAPER = {"viewport": {"width": round((210 - 2 * 12) * MM), "height": round(PRINTABLE_MM * MM)},
         "is_mobile": False, "has_touch": False}

# Records at the format's limits (schema.py: name 200, summary 300, organisation and honour
# texts 200 characters), with 20 honours: the names at each of the sheet's type sizes and
# at the edges between them (books.py: MID_NAME, LONG_NAME, CROWDED_NAME).
WORST = {"dai-36": 36, "dai-37": 37, "dai-72": 72, "dai-73": 73, "dai-120": 120, "dai-121": 121, "dai-200": 200}
NAME_WORDS = "Đội thanh niên tình nguyện xung kích bảo vệ môi trường biển đảo quê hương "
SUMMARY_WORDS = "Nhiều năm liền dẫn đầu phong trào, vận động nhân dân hiến đất mở đường, trồng cây xanh; "


def _text(words: str, n: int) -> str:
    """Exactly `n` characters of `words` repeated, ending on a letter (YAML keeps no trailing space)."""
    text = (words * (n // len(words) + 2))[:n]
    return text[:-1] + "x" if not text[-1].isalpha() else text


def _worst_entry(n: int, legacy: bool, date: str = "") -> str:
    honours = "".join(
        f'  - title: "{_text(f"Bằng khen số {i} của Thủ tướng Chính phủ vì thành tích xuất sắc ", 200)}"\n'
        f'    issuer: "{_text("Ủy ban nhân dân tỉnh Quảng Ngãi ", 200)}"\n'
        f'    decision: "{i}/QĐ-UBND"\n    date: 2018-01-{i:02d}\n' for i in range(1, 21))
    place = ("  province: Quảng Ngãi\n  district: Mộ Đức\n" if legacy
             else "  province: Quảng Ngãi\n  commune: Trương Quang Trọng\n")
    return (f'kind: collective\nname: "{_text(NAME_WORDS, n)}"\nsummary: "{_text(SUMMARY_WORDS, 300)}"\n'
            f"date: {date or ('2018-02-06' if legacy else '2025-09-02')}\nplace:\n{place}fields: [moi-truong]\n"
            f'organization: "{_text("Đoàn Thanh niên Cộng sản Hồ Chí Minh phường Trương Quang Trọng ", 200)}"\n'
            f"honours:\n{honours}")


@pytest.fixture(scope="module")
def print_site(tmp_path_factory, serve) -> str:
    """The sample roll with the worst cases added, built with a site address and a publisher."""
    work = tmp_path_factory.mktemp("print-site")
    content = work / "content"
    shutil.copytree(CONTENT, content)
    for slug, n in WORST.items():
        folder = content / "entries" / "quang-ngai" / "truong-quang-trong" / slug
        folder.mkdir(parents=True)
        (folder / "entry.yml").write_text(_worst_entry(n, legacy=False), encoding="utf-8")
    # Mộ Đức's book: the sample's five records of 2018, these two, one of them in a year of its own.
    for slug, date in (("dai-mo-duc", "2018-02-06"), ("dai-mo-duc-2019", "2019-05-19")):
        folder = content / "entries" / "quang-ngai" / "mo-duc" / slug
        folder.mkdir(parents=True)
        (folder / "entry.yml").write_text(_worst_entry(200, legacy=True, date=date), encoding="utf-8")
    project = make_project(work / "project", content=content, config_extra=CONFIG)
    build_project(project)
    return serve(project / "site")


def _pdf_pages(page) -> int:
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


PRINTED = """() => {
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).display !== "none";
  const article = document.querySelector("article.md-content__inner");
  const sheets = [...document.querySelectorAll(".sv-sheet")].filter(shown);
  const others = [...article.children].filter(e => shown(e) && !e.matches(".sv-sheet, .sv-book"));
  const chrome = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer"]
    .flatMap(s => [...document.querySelectorAll(s)]).filter(shown).map(e => e.className);
  return {
    others: others.map(e => e.tagName + "." + e.className),
    chrome,
    sheets: sheets.map(s => {
      const main = s.querySelector(".sv-sheet__main");
      const qr = s.querySelector(".sv-sheet__qr svg");
      const underlined = [...s.querySelectorAll("*")].filter(e => getComputedStyle(e).textDecorationLine.includes("underline"));
      return {height: s.getBoundingClientRect().height, clipped: main.scrollHeight - main.clientHeight,
              text: s.innerText, qr: qr ? qr.getBoundingClientRect().width : 0, underlined: underlined.length,
              foot: s.querySelector(".sv-sheet__foot").getBoundingClientRect().bottom - s.getBoundingClientRect().bottom};
    }),
  };
}"""


def _print_view(page, url: str) -> dict:
    if page.url != url:  # a second goto to the same URL with an #anchor is no navigation
        response = page.goto(url, wait_until="networkidle")
        assert response and response.ok, url
    page.emulate_media(media="print")
    return page.evaluate(PRINTED)


def _assert_sheet_fits(sheet: dict, where: str) -> None:
    assert sheet["height"] <= PRINTABLE_MM * MM, f"{where}: a sheet {sheet['height'] / MM:.1f} mm tall"
    assert sheet["clipped"] <= 1, f"{where}: {sheet['clipped']} px of the sheet's text cut off at its foot"
    assert sheet["foot"] <= 1, where
    assert sheet["underlined"] == 0, where


@pytest.mark.parametrize("slug", ["nguyen-thi-my-hanh", "duong-hoa-quan-su", *WORST, "dai-mo-duc"])
def test_a_record_page_prints_its_sheet_on_one_a4_page(make_page, print_site, slug):
    page = make_page(**PAPER)
    view = _print_view(page, f"{print_site}/ho-so/{slug}/")
    assert view["others"] == [] and view["chrome"] == [], view
    [sheet] = view["sheets"]
    _assert_sheet_fits(sheet, slug)
    assert SITE_NAME in sheet["text"] and ORGANISATION.upper() in sheet["text"].upper()
    assert f"{SITE_URL}ho-so/{slug}/" in sheet["text"].replace("\n", "")
    assert sheet["qr"] >= 25 * MM, "the QR code is printed at least 25 mm wide"
    title = page.evaluate("document.querySelector('.sv-sheet__name').innerText")
    assert title.strip() and title.strip() in sheet["text"]
    if slug in WORST or slug == "dai-mo-duc":
        assert re.search(r"và 1[67] khen thưởng khác", sheet["text"]), sheet["text"]
    assert _pdf_pages(page) == 1


def test_a_sheet_stays_one_page_even_if_its_text_outgrows_the_cuts(make_page, print_site):
    """The stylesheet's own guard, for fonts wider than the cuts were measured with: the text
    made ten times longer in the browser still prints one page, with the foot on it."""
    page = make_page(**PAPER)
    page.goto(f"{print_site}/ho-so/dai-200/", wait_until="networkidle")
    page.evaluate("""() => {
      for (const e of document.querySelectorAll(".sv-sheet__summary, .sv-sheet__honours li, .sv-sheet__name"))
        e.textContent = e.textContent.repeat(10);
    }""")
    view = _print_view(page, page.url)
    [sheet] = view["sheets"]
    assert sheet["height"] <= PRINTABLE_MM * MM and sheet["foot"] <= 1
    assert sheet["clipped"] > 100  # the text did outgrow the sheet: it is cut, the page is not
    assert _pdf_pages(page) == 1


def test_the_sheet_is_hidden_on_screen(page, print_site):
    page.goto(f"{print_site}/ho-so/dai-200/")
    assert page.locator(".sv-sheet").is_hidden()
    assert page.locator("h1").is_visible()


BOOK = "/in/truoc-2025/quang-ngai/mo-duc/"
BOOK_2018 = 1 + 6  # the year's cover, the sample's five records and dai-mo-duc
BOOK_ALL = BOOK_2018 + 2  # and 2019's cover and record


@pytest.mark.parametrize(("anchor", "pages"), [("", BOOK_ALL), ("#nam-2018", BOOK_2018), ("#nam-2019", 2)])
def test_a_book_prints_a_cover_a_year_and_one_page_a_record(make_page, print_site, anchor, pages):
    page = make_page(**PAPER)
    url = f"{print_site}{BOOK}{anchor}"
    page.goto(url, wait_until="networkidle")
    # On screen: the sheets are cards, under the line that says how to print, the chosen year only.
    cards = page.locator(".sv-book .sv-sheet:visible")
    assert cards.count() == pages and page.locator(".sv-book__how").is_visible()
    assert "Bấm In để in" in page.locator(".sv-book__how").inner_text()
    view = _print_view(page, url)
    assert view["others"] == [] and view["chrome"] == [], view
    assert len(view["sheets"]) == pages
    for i, sheet in enumerate(view["sheets"]):
        _assert_sheet_fits(sheet, f"sheet {i} of the book")
    assert ("Năm 2019" in view["sheets"][0]["text"]) == (anchor != "#nam-2018")  # latest year first
    assert _pdf_pages(page) == pages  # a cover a year and one page a record, no blank page


def test_places_link_to_their_books(page, print_site):
    page.goto(f"{print_site}/dia-phuong/truoc-2025/quang-ngai/mo-duc/")
    page.get_by_role("link", name=re.compile("In sổ vàng Huyện Mộ Đức")).click()
    page.get_by_role("link", name="Năm 2018").click()
    assert page.url.endswith(f"{BOOK}#nam-2018")
    assert page.locator(".sv-book .sv-sheet:visible").count() == BOOK_2018
    page.goto(f"{print_site}/dia-phuong/truoc-2025/quang-ngai/")
    page.get_by_role("link", name=re.compile("In sổ vàng các huyện")).click()
    page.locator("#mo-duc").get_by_role("link", name="Năm 2019").click()
    assert page.url.endswith(f"{BOOK}#nam-2019")
    page.goto(f"{print_site}/dia-phuong/quang-ngai/")
    page.get_by_role("link", name=re.compile("In sổ vàng Tỉnh Quảng Ngãi")).click()
    page.get_by_role("link", name="Năm 2025").click()
    assert page.url.endswith("/in/quang-ngai/#nam-2025")
    assert page.locator(".sv-book .sv-sheet:visible").count() == 1 + len(WORST)


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="decoding needs Debian's poppler-utils and zbar-tools (apt-get install poppler-utils zbar-tools)")
def test_the_printed_qr_code_reads_back_as_the_records_address(make_page, print_site, tmp_path):
    page = make_page(**PAPER)
    page.goto(f"{print_site}/ho-so/dai-200/", wait_until="networkidle")
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(page.pdf(format="A4", prefer_css_page_size=True, print_background=True))
    # 100 dpi: coarser than any office printer, so the code reads back with a margin.
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "sheet")], check=True)
    done = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "sheet.png")], capture_output=True, text=True)
    assert done.stdout.split() == [f"{SITE_URL}ho-so/dai-200/"]


@pytest.mark.parametrize("path", [BOOK, "/in/truoc-2025/quang-ngai/", "/in/quang-ngai/#nam-2025"])
def test_a_book_reads_on_a_phone_without_scrolling_sideways(page, print_site, path):
    page.goto(f"{print_site}{path}", wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.locator("h1").is_visible()
