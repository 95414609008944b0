"""Search and the finder in headless Chromium: accent-insensitive, filtered, shareable, phone-sized."""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_conftest import third_party_requests

from conftest import CONTENT, VALID_PERSON

pytestmark = pytest.mark.browser

HANH = "/ho-so/nguyen-thi-my-hanh/"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory, build_site, serve) -> str:
    """The real content plus two people whose names start with Đ, which Unicode does not fold."""
    content = tmp_path_factory.mktemp("search-content") / "content"
    shutil.copytree(CONTENT, content)
    folder = content / "entries" / "binh-duong" / "tan-uyen"
    for slug, name in (("dang-van-lam", "Đặng Văn Lâm"), ("do-thi-dung", "Đỗ Thị Dung")):
        (folder / slug).mkdir()
        text = VALID_PERSON.replace("Nguyễn Thị Mỹ Hạnh", name).replace("Phó Bí thư Thường trực Đảng ủy phường Tân Phước Khánh",
                                                                      "Đoàn viên tiêu biểu của phường")
        (folder / slug / "entry.yml").write_text(text.replace("role: Phó Bí thư Thường trực Đảng ủy phường\n", ""),
                                                 encoding="utf-8")
    return serve(build_site(content))


def search(page, base: str, query: str, params: str = "") -> list[str]:
    """Type `query` into the finder like a citizen; the result URLs (paths), best first."""
    page.goto(f"{base}/tra-cuu/{params}")
    page.locator("#sv-q").fill(query)
    page.locator("#sv-q").press("Enter")
    # Read status and results in one step, so a later search cannot clear the list in between.
    hrefs = page.wait_for_function("""() => {
        const status = document.getElementById('sv-finder-status').textContent;
        const links = [...document.querySelectorAll('#sv-finder-results h3 a')].map(a => a.href);
        if (status.startsWith('Không tìm thấy')) return [];
        return status.startsWith('Tìm thấy') && links.length > 0 ? links : null;
    }""").json_value()
    return [urlsplit(h).path for h in hrefs]


def wait_for_results(page, count: int) -> None:
    page.wait_for_function(
        "n => document.getElementById('sv-finder-status').textContent.startsWith('Tìm thấy ' + n + ' ')"
        " && document.querySelectorAll('#sv-finder-results li').length === n", arg=count)


@pytest.mark.parametrize("query", ["nguyen thi my hanh", "Nguyen Thi My Hanh", "Nguyễn Thị Mỹ Hạnh", "hanh", "Hạnh"])
def test_names_are_found_with_or_without_diacritics(page, search_site, query):
    assert search(page, search_site, query)[0] == HANH


@pytest.mark.parametrize("query, expected", [("dang", "/ho-so/dang-van-lam/"), ("Đặng", "/ho-so/dang-van-lam/"),
                                             ("do thi dung", "/ho-so/do-thi-dung/"), ("duc", "/ho-so/vo-duc-trung/"),
                                             ("Đức", "/ho-so/vo-duc-trung/")])
def test_d_with_stroke_is_folded(page, search_site, query, expected):
    assert expected in search(page, search_site, query)


def test_hu_gao_finds_the_rice_jar_first(page, search_site):
    results = search(page, search_site, "hu gao")
    assert results[0] in ("/ho-so/hu-gao-tiet-kiem/", "/ho-so/hu-gao-tinh-thuong/")
    assert set(results[:2]) == {"/ho-so/hu-gao-tiet-kiem/", "/ho-so/hu-gao-tinh-thuong/"}


def test_exact_accents_rank_above_folded_matches(page, search_site):
    # "Đảng" (party) and "Đặng" (a family name) fold to the same word.
    assert search(page, search_site, "Đặng")[0] == "/ho-so/dang-van-lam/"
    assert search(page, search_site, "Đảng")[0] != "/ho-so/dang-van-lam/"


def test_filters_combine_with_the_query_and_live_in_the_url(page, search_site):
    results = search(page, search_site, "", "")
    everything = int(page.locator("#sv-finder-status").inner_text().split()[2].replace(".", ""))
    assert everything == 30 and len(results) == 20  # first page of results, newest first
    page.locator("summary").click()
    page.select_option("select[name=loai]", "Cá nhân")
    wait_for_results(page, 5)
    kinds = page.eval_on_selector_all("#sv-finder-results .sv-meta", "ps => ps.map(p => p.textContent)")
    assert len(kinds) == 5 and all(k.startswith("Cá nhân") for k in kinds)
    page.select_option("select[name=tinh-cu]", "Tỉnh Bình Dương")
    wait_for_results(page, 3)
    assert parse_qs(urlsplit(page.url).query) == {"loai": ["Cá nhân"], "tinh-cu": ["Tỉnh Bình Dương"]}
    # The URL is shareable: opened afresh it shows the same search.
    shared = page.url + "&q=dang"
    page.goto(shared)
    page.wait_for_function("() => document.querySelectorAll('#sv-finder-results li').length > 0")
    assert page.eval_on_selector_all("#sv-finder-results h3 a", "as => as.map(a => a.textContent)")[0] == "Đặng Văn Lâm"
    assert page.locator("select[name=loai]").input_value() == "Cá nhân"
    # Option labels carry result counts.
    assert "(" in page.locator("select[name=nam] option").nth(1).inner_text()


def test_finder_works_from_the_keyboard_and_fits_a_phone(page, search_site):
    page.goto(search_site + "/tra-cuu/")
    page.locator("#sv-q").focus()
    page.keyboard.type("hu gao")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('sv-finder-status').textContent.startsWith('Tìm thấy')")
    page.keyboard.press("Tab")  # the search button, then the filters' summary
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("details#sv-finder-more-filters").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "loai"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not third_party_requests(page, search_site)
    assert not page.sv_recorder.console_errors


def test_home_page_search_box_leads_to_the_finder(page, search_site):
    page.goto(search_site + "/")
    page.locator("#sv-home-q").fill("nguyen thi my hanh")
    page.locator("#sv-home-q").press("Enter")
    page.wait_for_url("**/tra-cuu/?q=nguyen+thi+my+hanh")
    page.wait_for_function("() => document.querySelectorAll('#sv-finder-results li').length > 0")
    assert urlsplit(page.locator("#sv-finder-results h3 a").first.get_attribute("href")).path.endswith(HANH)


def test_first_search_loads_no_filter_files_until_the_filters_are_opened(page, search_site):
    fetched = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    assert search(page, search_site, "hanh")[0] == HANH
    assert not [p for p in fetched if "/tim/f/" in p]
    # The menus list every value with its total before any filter file is loaded.
    years = page.eval_on_selector_all("select[name=nam] option", "os => os.map(o => o.textContent)")
    assert years[0] == "Tất cả" and years[1:] == sorted(years[1:], reverse=True) and all("(" in y for y in years[1:])
    totals = page.eval_on_selector_all("select[name=loai] option", "os => os.map(o => o.textContent)")
    assert totals == ["Tất cả", "Cá nhân (5)", "Mô hình (19)", "Tập thể (6)"]  # Vietnamese order
    page.locator("summary").click()
    # Opened, the filters load and their counts follow the query.
    page.wait_for_function("t => [...document.querySelectorAll('select[name=loai] option')].map(o => o.textContent)"
                           ".join() !== t.join()", arg=totals)
    assert [p for p in fetched if "/tim/f/" in p]
    kinds = page.eval_on_selector_all("select[name=loai] option", "os => os.slice(1).map(o => o.textContent)")
    found = int(page.locator("#sv-finder-status").inner_text().split()[2])
    assert sum(int(k.split("(")[1].rstrip(")")) for k in kinds) == found < 30


def test_the_finder_counts_as_the_pages_do(page, search_site):
    """The finder formats counts with the browser's Vietnamese format; the pages with vntext.vi_number.
    They must agree, or a menu's total would change its look once the filters refresh it."""
    from generator.core.vntext import vi_number

    page.goto(search_site + "/tra-cuu/")
    for n in (0, 7, 999, 1000, 3450, 12345, 1234567):
        assert page.evaluate(f"({n}).toLocaleString('vi-VN')") == vi_number(n), n


def test_the_finder_reads_its_index_urls_from_the_page(page, search_site):
    """No index path is spelled in the JavaScript: the form carries them, written from core/urls.py.
    Served with the index moved to another folder, the finder follows the form's attributes."""
    from generator.core import urls

    page.goto(search_site + "/tra-cuu/")
    form = page.locator("#sv-finder")
    assert form.get_attribute("data-index") == "../" + urls.SEARCH_INDEX
    assert form.get_attribute("data-card") == "../" + urls.search_card_pattern()

    def moved_page(route):
        html = route.fetch().text().replace(f'"../{urls.SEARCH_DIR}/', '"../chuyen-di/')
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    def moved_index(route):
        route.fulfill(response=route.fetch(url=route.request.url.replace("/chuyen-di/", f"/{urls.SEARCH_DIR}/")))

    requests = []
    page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    page.route("**/tra-cuu/*", moved_page)
    page.route("**/chuyen-di/**", moved_index)
    page.goto(search_site + "/tra-cuu/?q=hu+gao")
    page.wait_for_selector("#sv-finder-results li")
    assert "/chuyen-di/index.json" in requests and any(p.startswith("/chuyen-di/the/") for p in requests)
    assert not any(p.startswith(f"/{urls.SEARCH_DIR}/") for p in requests)


def test_more_results_is_offered_only_when_there_are_more(page, search_site):
    """Material's .md-button{display:inline-block} beat the hidden attribute: "Xem thêm kết quả"
    showed beside "Không tìm thấy hồ sơ nào" and did nothing."""
    assert search(page, search_site, "zzqqxx khong co") == []
    assert not page.locator("#sv-finder-more").is_visible()
    search(page, search_site, "", "?loai=M%C3%B4+h%C3%ACnh")
    more = page.locator("#sv-finder-more")
    shown = page.locator("#sv-finder-results li").count()
    status = page.locator("#sv-finder-status").inner_text()
    total = int(status.split()[2].replace(".", ""))
    assert more.is_visible() == (total > shown)


def test_the_filter_summary_words_are_not_covered_by_an_icon(page, search_site):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{search_site}/tra-cuu/")
    box = page.evaluate("""() => {
        const s = document.querySelector('#sv-finder-more-filters summary');
        const range = document.createRange();
        range.selectNodeContents(s);
        const text = range.getBoundingClientRect();
        const before = getComputedStyle(s, '::before');
        return {text: text.left, summary: s.getBoundingClientRect().left,
                icon: before.content === 'none' ? null : parseFloat(before.left) + parseFloat(before.width)};
    }""")
    # Nothing drawn at the start of the words; they start inside the summary's own padding.
    assert box["icon"] is None and box["text"] >= box["summary"] + 8


def test_the_tab_bar_is_named_in_vietnamese(make_page, search_site):
    page = make_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{search_site}/tra-cuu/")
    assert page.locator("nav.md-tabs").get_attribute("aria-label") == "Các mục chính"
    assert page.locator(".md-top").inner_text().strip() == "Lên đầu trang"
