"""The record page in headless Chromium, on a 360×740 phone and a 1280×900 desktop: nothing
overflows sideways, the photo is in the first screen, the layout does not shift, the share button
shares or copies the link, and nothing is asked of another server."""

from __future__ import annotations

import json

import pytest
from browser_conftest import third_party_requests

import imaging
from conftest import VALID_INITIATIVE, VALID_PERSON, Corpus

pytestmark = pytest.mark.browser

PHOTO_PAGE = "/ho-so/duong-hoa/"
TYPE_PAGE = "/ho-so/khong-anh/"
HOSTILE_PAGE = "/ho-so/hostile/"
LONG_PAGE = "/ho-so/ten-dai/"
PAGES = (PHOTO_PAGE, TYPE_PAGE, HOSTILE_PAGE, LONG_PAGE, "/ho-so/nguoi/")
DESKTOP = dict(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False, device_scale_factor=1)
EVIL = '<script>alert(1)</script> "><svg/onload=alert(1)> <img src=x onerror=alert(1)>'
LONG = "Mô hình " + "Rấtdàikhôngcókhoảngtrắng" * 4  # one word wider than a phone

EXTRAS = """\
organization: Ban Chỉ huy Quân sự huyện Thanh Liêm
results:
  - label: Gạo vận động được
    value: 3450
    unit: kg
  - label: Tiền vận động được
    value: 2.1
    unit: tỷ đồng
  - label: Lượt hội viên, trẻ em có hoàn cảnh khó khăn được giúp đỡ
    value: 1500
    unit: lượt
honours:
  - title: Bằng khen
    issuer: Ủy ban nhân dân tỉnh Hà Nam
    decision: 1234/QĐ-UBND
    date: 2021-05-19
story: |
  Câu chuyện của mô hình: một tuyến đường hoa dài ba ki-lô-mét, do cán bộ, chiến sĩ cùng người dân làm.

  Đoạn thứ hai của câu chuyện.
sources:
  - title: Nhân rộng các mô hình học tập và làm theo Bác
    publisher: Báo Hà Nam
"""


def photo(seed: int) -> bytes:
    return imaging.encode(imaging.photo_like(2400, 1800, seed), "JPEG", quality=88)


def photos_yaml(count: int) -> str:
    return "photos:\n" + "".join(f"  - file: anh-{i}.jpg\n    caption: Đoạn đường hoa số {i}\n    credit: Việt Hà\n"
                                 f"    alt: Hàng hoa dọc con đường, đoạn {i}\n" for i in range(1, count + 1))


@pytest.fixture(scope="module")
def record_site(tmp_path_factory, build_site, serve) -> str:
    root = tmp_path_factory.mktemp("record-page-content") / "content"
    corpus = Corpus(root)
    corpus.add("duong-hoa", VALID_INITIATIVE + EXTRAS + photos_yaml(3), files={f"anh-{i}.jpg": photo(i) for i in (1, 2, 3)})
    corpus.add("khong-anh", VALID_INITIATIVE.replace("Đường hoa quân sự", "Hũ gạo tiết kiệm").replace("2022-12-31", "2022-11-02")
               + EXTRAS)
    corpus.add("hostile", VALID_INITIATIVE.replace("name: Đường hoa quân sự", f"name: {json.dumps(EVIL)}")
               .replace("2022-12-31", "2022-10-01") + f"organization: {json.dumps(EVIL)}\n")
    corpus.add("ten-dai", VALID_INITIATIVE.replace("Đường hoa quân sự", LONG).replace("2022-12-31", "2022-09-01")
               + f"organization: {LONG}\nresults:\n  - label: {LONG}\n    value: 123456789\n    unit: {LONG[8:40]}\n")
    for n in range(4):
        corpus.add(f"hang-xom-{n}", VALID_INITIATIVE.replace("Đường hoa quân sự", f"Mô hình số {n}")
                   .replace("2022-12-31", f"2021-0{n + 1}-15") + photos_yaml(1),
                   files={"anh-1.jpg": imaging.jpeg((480, 360), seed=10 + n)})
    corpus.add("nguoi", VALID_PERSON, group="binh-duong/tan-uyen")
    return serve(build_site(root))


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def sticking_out(page) -> list[str]:
    """Parts of the record wider than the screen. Material clips the page sideways (html has
    overflow-x: hidden), so scrollWidth alone can miss a photo whose edge is cut off."""
    return page.evaluate("""(() => [...document.querySelectorAll('article *')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5);
    }).map(e => e.tagName.toLowerCase() + '.' + e.className).slice(0, 5))()""")


@pytest.mark.parametrize("desktop", [False, True], ids=["360x740", "1280x900"])
def test_no_page_scrolls_sideways(make_page, record_site, desktop):
    page = make_page(**DESKTOP) if desktop else make_page()
    for url in PAGES:
        open_page(page, record_site + url)
        assert overflow(page) <= 0, url
        assert sticking_out(page) == [], url
    assert not page.sv_recorder.console_errors
    assert not third_party_requests(page, record_site)


def test_the_photo_is_in_the_first_screen_of_a_phone(page, record_site):
    open_page(page, record_site + PHOTO_PAGE)
    hero = page.evaluate("""(() => {
        const img = document.querySelector('.sv-rec-hero img'), r = img.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, width: r.width, height: r.height, loading: img.getAttribute('loading'),
                done: img.complete && img.naturalWidth > 0, src: img.currentSrc,
                ratio: img.width / img.height, attrs: img.getAttribute('width') / img.getAttribute('height')};
    })()""")
    assert hero["loading"] is None and hero["done"], hero
    assert 0 <= hero["top"] < 120 and hero["bottom"] <= 740 and hero["width"] >= 355, hero  # edge to edge
    assert abs(hero["ratio"] - hero["attrs"]) < 0.02, hero  # its own shape, not squeezed
    # A 2x phone takes the 800 px size; the 1600 px one is for the lightbox.
    assert hero["src"].endswith("-800.webp"), hero["src"]
    assert not any(u.endswith("-1600.webp") for u in page.sv_requests)
    # The name follows within the first screen.
    assert page.locator("article h1").bounding_box()["y"] < 740


def test_no_layout_shift_while_the_page_loads(page, record_site):
    page.add_init_script("""
        window.__cls = 0;
        new PerformanceObserver(list => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
        }).observe({type: 'layout-shift', buffered: true});
    """)
    open_page(page, record_site + PHOTO_PAGE)
    page.mouse.wheel(0, 3000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cls") < 0.05


def test_on_a_desktop_the_photo_sits_beside_the_name(make_page, record_site):
    page = make_page(**DESKTOP)
    open_page(page, record_site + PHOTO_PAGE)
    hero = page.locator(".sv-rec-hero").bounding_box()
    name = page.locator("article h1").bounding_box()
    content = page.locator("article.md-content__inner").bounding_box()
    assert hero["x"] + hero["width"] <= name["x"] and name["y"] < hero["y"] + hero["height"]
    assert hero["width"] > 0.5 * content["width"] and hero["y"] + hero["height"] < 900
    # Text keeps a readable measure; the wide parts use the width.
    story = page.locator("article .sv-story p").first.bounding_box()
    assert story["width"] <= 48 * 16 + 1, story
    assert page.locator("dl.sv-rec-facts").bounding_box()["width"] > 0.9 * content["width"]
    open_page(page, record_site + TYPE_PAGE)
    card = page.locator(".sv-rec-hero--type").bounding_box()
    assert card["x"] + card["width"] <= page.locator("article h1").bounding_box()["x"]


def test_text_is_large_enough_and_targets_are_tappable(page, record_site):
    open_page(page, record_site + PHOTO_PAGE)
    sizes = page.evaluate("""(() => {
        const sel = ['.sv-rec-lead', '.sv-rec-facts dd', '.sv-story p', '.sv-rec-figure__label',
                     '.sv-rec-honour__title', '.sv-rec-sources li'];
        return sel.map(s => [s, [...document.querySelectorAll('article ' + s)].map(
            e => parseFloat(getComputedStyle(e).fontSize))]);
    })()""")
    for selector, found in sizes:
        assert found and min(found) >= 16, (selector, found)
    targets = page.evaluate("""(() => [...document.querySelectorAll(
            'article .sv-rec-crumbs a, article .sv-rec-share button, article a.sv-card__link')]
        .map(e => { const r = e.getBoundingClientRect(); return [e.textContent.trim().slice(0, 30), r.width, r.height]; }))()""")
    assert len(targets) >= 4
    for label, width, height in targets:
        assert width >= 24 and height >= 24, (label, width, height)


def test_share_uses_the_web_share_api_where_there_is_one(page, record_site):
    page.add_init_script("""
        window.__shared = [];
        Object.defineProperty(navigator, 'share', {configurable: true, value: data => {
            window.__shared.push({title: data.title, url: data.url, text: data.text || null});
            return Promise.resolve();
        }});
        Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
            writeText: text => { window.__copied = text; return Promise.resolve(); }}});
    """)
    open_page(page, record_site + PHOTO_PAGE)
    button = page.get_by_role("button", name="Chia sẻ")
    assert button.is_visible()
    button.click()
    page.wait_for_function("window.__shared.length === 1")
    shared = page.evaluate("window.__shared[0]")
    assert shared == {"title": "Đường hoa quân sự", "url": record_site + PHOTO_PAGE, "text": None}
    assert page.evaluate("window.__copied") is None  # shared, not copied


def test_closing_the_share_sheet_copies_nothing_but_a_failure_copies(page, record_site):
    page.add_init_script("""
        window.__error = 'AbortError';
        Object.defineProperty(navigator, 'share', {configurable: true, value: () =>
            Promise.reject(new DOMException('no', window.__error))});
        Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
            writeText: text => { window.__copied = text; return Promise.resolve(); }}});
    """)
    open_page(page, record_site + PHOTO_PAGE)
    page.get_by_role("button", name="Chia sẻ").click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__copied") is None
    assert page.locator(".sv-rec-share__status").inner_text() == ""
    page.evaluate("window.__error = 'NotAllowedError'")
    page.get_by_role("button", name="Chia sẻ").click()
    page.get_by_role("status").filter(has_text="Đã sao chép liên kết").wait_for()
    assert page.evaluate("window.__copied") == record_site + PHOTO_PAGE


def test_without_the_web_share_api_the_link_is_copied(make_page, record_site):
    page = make_page(**DESKTOP)  # Chromium on Linux has no navigator.share
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=record_site)
    open_page(page, record_site + PHOTO_PAGE)
    assert page.evaluate("typeof navigator.share") == "undefined"
    page.get_by_role("button", name="Chia sẻ").click()
    status = page.get_by_role("status")
    status.filter(has_text="Đã sao chép liên kết").wait_for()
    assert status.is_visible()
    assert page.evaluate("navigator.clipboard.readText()") == record_site + PHOTO_PAGE
    assert not page.locator(".sv-rec-share__url").is_visible()
    assert not page.sv_recorder.console_errors


def test_where_the_clipboard_is_refused_the_link_is_selected_in_a_field(page, record_site):
    page.add_init_script("""
        Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
            writeText: () => Promise.reject(new DOMException('no', 'NotAllowedError'))}});
        document.execCommand = () => false;
    """)
    open_page(page, record_site + PHOTO_PAGE)
    page.get_by_role("button", name="Chia sẻ").click()
    field = page.locator(".sv-rec-share__url")
    field.wait_for(state="visible")
    assert field.input_value() == record_site + PHOTO_PAGE
    selected = page.evaluate("""(() => { const f = document.activeElement;
        return [f.className, f.selectionStart, f.selectionEnd, f.value.length]; })()""")
    assert selected[0] == "sv-rec-share__url" and selected[1] == 0 and selected[2] == selected[3]
    assert "sao chép liên kết" in page.get_by_role("status").inner_text()


def test_without_javascript_there_is_no_dead_button(make_page, record_site):
    page = make_page(java_script_enabled=False)
    open_page(page, record_site + PHOTO_PAGE)
    assert page.locator(".sv-rec-share__button").count() == 1
    assert not page.locator(".sv-rec-share__button").is_visible()


def test_hostile_name_is_shown_as_text(page, record_site):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, record_site + HOSTILE_PAGE)
    assert page.locator("article h1").inner_text() == EVIL
    assert page.get_by_role("button", name="Chia sẻ").get_attribute("data-title") == EVIL
    assert page.evaluate("document.querySelectorAll('article img[onerror], article svg[onload]').length") == 0
    # Its card on a neighbour's page: text too.
    open_page(page, record_site + PHOTO_PAGE)
    assert EVIL in page.locator(".sv-card__name").all_inner_texts()
    assert not dialogs
    assert not third_party_requests(page, record_site)
