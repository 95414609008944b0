"""Galleries in headless Chromium: page weight, the lightbox (readable on a phone, a counter,
buttons and keyboard), the photo library and place pages opening it, no layout shift."""

from __future__ import annotations

import re

import pytest
from browser_conftest import third_party_requests, transfer_bytes
from playwright.sync_api import expect

import imaging
from conftest import VALID_INITIATIVE, Corpus

pytestmark = pytest.mark.browser

BIG = "/ho-so/duong-hoa/"
PHOTOS = 10
BUDGET = 600 * 1000  # bytes a record page with 10 photos may transfer before any click
SMALL_RECORDS = 6  # with the big record: 70 photos, two library pages


# The big record's last photo has a caption near the 300-character limit with a long unbroken
# word: it must wrap, not widen the lightbox past a 360 px screen.
LONG_WORD = "ĐT499B_ThanhLiêm_HàNam_ĐườngHoaQuânSự_BanChỉHuyQuânSự"
LONG_CAPTION = f"Đoạn đường hoa số {PHOTOS}, " + "hoa mười giờ nở đỏ hai bên đường, " * 6 + LONG_WORD
NAME = "Đường hoa quân sự"  # VALID_INITIATIVE's name
DESKTOP = dict(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False, device_scale_factor=1)


def photos_yaml(count: int, long_last: bool = False) -> str:
    def caption(i):
        return LONG_CAPTION if long_last and i == count else f"Đoạn đường hoa số {i}"
    return "photos:\n" + "".join(
        f"  - file: anh-{i}.jpg\n    caption: {caption(i)}\n    credit: Việt Hà\n"
        f"    alt: Hàng hoa dọc con đường, đoạn {i}\n" for i in range(1, count + 1))


def phone_photo(seed: int) -> bytes:
    """A detailed photo (sensor grain, shapes) of 3000×2250, as phones take them."""
    return imaging.encode(imaging.photo_like(3000, 2250, seed), "JPEG", quality=90,
                          exif=imaging.exif_block(orientation=6 if seed == 2 else 1))


@pytest.fixture(scope="module")
def gallery_site(tmp_path_factory, build_site, serve) -> str:
    root = tmp_path_factory.mktemp("gallery-content") / "content"
    corpus = Corpus(root)
    corpus.add("duong-hoa", VALID_INITIATIVE + photos_yaml(PHOTOS, long_last=True),
               files={f"anh-{i}.jpg": phone_photo(i) for i in range(1, PHOTOS + 1)})
    for n in range(SMALL_RECORDS):
        text = VALID_INITIATIVE.replace("Đường hoa quân sự", f"Mô hình số {n}").replace("2022-12-31", f"2021-0{n + 1}-15")
        corpus.add(f"mo-hinh-{n}", text + photos_yaml(PHOTOS),
                   files={f"anh-{i}.jpg": imaging.jpeg((400, 300), seed=n * 10 + i) for i in range(1, PHOTOS + 1)})
    return serve(build_site(root))


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")


def device_page(make_page, device: str):
    return make_page(**(DESKTOP if device == "desktop" else {}))


def press(page, locator) -> None:
    """A tap on a touch screen, a click elsewhere."""
    locator.tap() if page.evaluate("'ontouchstart' in window") else locator.click()


def open_lightbox(page, thumb) -> None:
    press(page, thumb)
    page.locator(".glightbox-container").wait_for(state="visible")
    wait_for_current_photo(page)


def wait_for_current_photo(page) -> None:
    """Until the current photo has loaded and GLightbox's slide and fade animations are over."""
    page.wait_for_function("() => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    page.wait_for_function("""() => document.getAnimations().every(a => a.playState !== 'running'
                              || a.effect.getComputedTiming().iterations === Infinity)""")


def counter(page):
    return page.locator("#glightbox-body .sv-lb-count")


# What decides whether a text reads: its colour, size and opacity, and the backgrounds of it and
# its ancestors (composited, nearest last), and where it is.
LOOK = """el => {
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  const backgrounds = [];
  let opacity = 1;
  for (let n = el; n; n = n.parentElement) {
    const c = getComputedStyle(n);
    backgrounds.unshift(c.backgroundColor);
    opacity *= parseFloat(c.opacity);
  }
  return {color: s.color, size: parseFloat(s.fontSize), opacity, backgrounds,
          left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
          scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, visibility: s.visibility};
}"""


def rgba(css: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def over(top, below):
    """`top` (r, g, b, a) composited over the opaque colour `below` (r, g, b)."""
    a = top[3]
    return tuple(top[i] * a + below[i] * (1 - a) for i in range(3))


def luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(look) -> float:
    """WCAG contrast of a LOOK's text on its backgrounds, at worst over white and over black."""
    worst = 21.0
    for backdrop in ((255, 255, 255), (0, 0, 0)):
        bg = backdrop
        for css in look["backgrounds"]:
            bg = over(rgba(css), bg)
        fg = over(rgba(look["color"]), bg)
        hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
        worst = min(worst, (hi + 0.05) / (lo + 0.05))
    return worst


def assert_readable(page, selector: str, what: str) -> dict:
    look = page.locator(selector).evaluate(LOOK)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    assert look["size"] >= 15, f"{what}: {look['size']} px"
    assert look["opacity"] > 0.99 and look["visibility"] == "visible", f"{what}: {look}"
    assert contrast(look) >= 4.5, f"{what}: contrast {contrast(look):.2f} ({look})"
    assert look["width"] > 0 and look["left"] >= 0 and look["right"] <= width + 0.5, f"{what} sideways: {look}"
    assert 0 <= look["top"] and look["bottom"] <= height + 0.5, f"{what} off screen: {look}"
    return look


def assert_caption_under_photo(page) -> None:
    photo = page.locator(".gslide.current img").bounding_box()
    panel = page.locator(".gslide.current .gslide-description").bounding_box()
    assert photo["y"] + photo["height"] <= panel["y"] + 1, (photo, panel)
    assert panel["y"] + panel["height"] <= page.viewport_size["height"] + 1, panel


def scroll_through(page) -> None:
    """Scroll to the bottom step by step, so every lazy image that a reader could see loads."""
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height + 740, 600):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")


def test_record_page_with_ten_photos_stays_under_budget(page, gallery_site):
    open_page(page, gallery_site + BIG)
    scroll_through(page)
    loaded = page.evaluate("""[...document.querySelectorAll('.sv-gallery img')]
                              .map(i => ({src: i.currentSrc, done: i.complete && i.naturalWidth > 0}))""")
    assert len(loaded) == PHOTOS and all(i["done"] for i in loaded), loaded
    assert all(i["src"].endswith(".webp") for i in loaded), "Chromium should pick WebP from srcset"
    # Thumbnails, portrait ones too; the photo the record's hero already shows (record.md.j2)
    # may be reused at the hero's size, which the page loaded anyway.
    hero = page.evaluate("(document.querySelector('.sv-rec-hero img') || {}).currentSrc || null")
    assert all("-360.webp" in i["src"] or i["src"] == hero for i in loaded), loaded
    # Transfer as a production server (GitHub Pages, nginx) sends it: text gzipped.
    total, raw = transfer_bytes(page, gzip=True), transfer_bytes(page)
    weights = page.sv_recorder.weights(gzip=True)
    images = sum(v for k, v in weights.items() if k.endswith((".webp", ".jpg")))
    print(f"record page, {PHOTOS} photos, phone 360×740@2x: {total} bytes gzipped, {raw} uncompressed, "
          f"{images} in images")
    assert total < BUDGET, sorted(weights.items(), key=lambda kv: -kv[1])[:8]
    assert not third_party_requests(page, gallery_site)
    assert not any(u.endswith(("-1600.webp", "-1200.webp")) for u in page.sv_requests)  # large only on click


def test_lightbox_opens_navigates_and_closes(page, gallery_site):
    open_page(page, gallery_site + BIG)
    page.locator("a.sv-zoom").first.click()
    box = page.locator(".glightbox-container")
    box.wait_for(state="visible")
    current = page.locator(".gslide.current img")
    current.wait_for(state="visible")
    page.wait_for_function("() => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    first = current.get_attribute("src")
    assert first.endswith(".webp") and "-360" not in first  # the large size, not the thumbnail
    description = page.locator(".gslide.current .gslide-desc").inner_text()
    assert "Đoạn đường hoa số 1" in description and "Ảnh: Việt Hà" in description
    assert page.locator(".gclose").get_attribute("aria-label") == "Đóng"

    page.keyboard.press("ArrowRight")
    page.wait_for_function("src => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.getAttribute('src') !== src && i.naturalWidth > 0; }", arg=first)
    second = page.locator(".gslide.current img")
    assert second.get_attribute("alt") == "Hàng hoa dọc con đường, đoạn 2"
    size = page.evaluate("(() => { const i = document.querySelector('.gslide.current img');"
                         " return [i.naturalWidth, i.naturalHeight]; })()")
    assert size[1] > size[0]  # photo 2 was taken sideways (EXIF 6): shown upright

    page.keyboard.press("Escape")
    box.wait_for(state="detached")
    assert not page.sv_recorder.console_errors
    assert not third_party_requests(page, gallery_site)


def test_lightbox_works_from_the_keyboard_on_a_desktop(make_page, gallery_site):
    page = make_page(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False, device_scale_factor=1)
    open_page(page, gallery_site + BIG)
    page.locator("a.sv-zoom").nth(2).focus()
    page.keyboard.press("Enter")
    page.locator(".glightbox-container").wait_for(state="visible")
    page.wait_for_function("() => { const i = document.querySelector('.gslide.current img');"
                           " return i && i.naturalWidth > 0; }")
    assert "Đoạn đường hoa số 3" in page.locator(".gslide.current .gslide-desc").inner_text()
    page.keyboard.press("Escape")
    page.locator(".glightbox-container").wait_for(state="detached")


def test_thumbnails_do_not_shift_the_layout(page, gallery_site):
    page.add_init_script("""
        window.__cls = 0;
        new PerformanceObserver(list => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
        }).observe({type: 'layout-shift', buffered: true});
    """)
    open_page(page, gallery_site + BIG)
    scroll_through(page)
    assert page.evaluate("window.__cls") < 0.05


def test_photo_library_pages_are_paged_and_name_their_records(page, gallery_site):
    open_page(page, gallery_site + "/thu-vien-anh/")
    thumbs = page.locator(".sv-gallery figure")
    assert 0 < thumbs.count() <= 60
    page.locator("nav.sv-pager a[rel=next]").click()
    page.wait_for_url("**/thu-vien-anh/trang-2/")
    assert page.locator(".sv-gallery figure").count() == (1 + SMALL_RECORDS) * PHOTOS - 60
    # The name under a photo is a link of its own, tall enough to tap (the photo opens the lightbox).
    name = page.locator(".sv-gallery figcaption a").first
    assert name.bounding_box()["height"] >= 24
    name.tap()
    page.wait_for_url("**/ho-so/mo-hinh-*/")
    assert page.locator("h1").inner_text().startswith("Mô hình số")
    assert not third_party_requests(page, gallery_site)


def test_a_tap_in_the_photo_library_opens_the_lightbox_with_a_link_to_the_record(page, gallery_site):
    open_page(page, gallery_site + "/thu-vien-anh/")
    weight = transfer_bytes(page, gzip=True)
    print(f"photo library page, 60 photos, phone, before a tap: {weight} bytes gzipped")
    assert weight < BUDGET
    library = page.url
    thumbs = page.locator(".sv-gallery a.sv-zoom")
    total = thumbs.count()
    assert total == 60  # the whole page is the slide set
    open_lightbox(page, thumbs.nth(2))
    assert page.url == library  # a lightbox, not a navigation
    expect(counter(page)).to_have_text(f"Ảnh 3/{total}")
    photo = page.locator(".gslide.current img")
    assert re.search(r"/ho-so/duong-hoa/anh-3\.[0-9a-f]+-\d+\.webp$", photo.evaluate("i => i.currentSrc"))
    assert photo.get_attribute("alt") == "Hàng hoa dọc con đường, đoạn 3"
    desc = page.locator(".gslide.current .gslide-desc")
    assert "Đoạn đường hoa số 3" in desc.inner_text() and "Ảnh: Việt Hà" in desc.inner_text()
    assert_readable(page, ".gslide.current .gslide-desc .sv-credit", "credit")
    link = desc.locator("a.sv-lb-record")
    assert link.inner_text() == f"Xem hồ sơ: {NAME}"
    look = assert_readable(page, ".gslide.current .gslide-desc a.sv-lb-record", "record link")
    assert look["height"] >= 24
    press(page, page.locator(".gnext"))
    expect(counter(page)).to_have_text(f"Ảnh 4/{total}")
    wait_for_current_photo(page)
    page.locator(".gslide.current a.sv-lb-record").tap()
    page.wait_for_url("**" + BIG)
    assert page.locator("h1").inner_text() == NAME
    assert not page.sv_recorder.console_errors
    assert not third_party_requests(page, gallery_site)


def test_without_javascript_library_photos_link_to_their_records(make_page, gallery_site):
    page = make_page(java_script_enabled=False)
    open_page(page, gallery_site + "/thu-vien-anh/")
    page.locator(".sv-gallery a.sv-zoom").nth(12).click()
    page.wait_for_url("**/ho-so/mo-hinh-*/")
    assert not page.locator(".glightbox-container").count()


def test_place_pages_open_their_photos_in_the_lightbox(page, gallery_site):
    open_page(page, gallery_site + "/dia-phuong/truoc-2025/ha-nam/thanh-liem/")
    total, raw = transfer_bytes(page, gzip=True), transfer_bytes(page)
    print(f"district page, {1 + SMALL_RECORDS} photos, phone: {total} bytes gzipped, {raw} uncompressed")
    assert total < BUDGET
    figures = page.locator(".sv-gallery figure")
    assert figures.count() == 1 + SMALL_RECORDS
    open_lightbox(page, figures.first.locator("a.sv-zoom"))
    expect(counter(page)).to_have_text(f"Ảnh 1/{1 + SMALL_RECORDS}")
    href = page.locator(".gslide.current a.sv-lb-record").get_attribute("href")
    assert href.endswith("ho-so/duong-hoa/")
    press(page, page.locator(".gclose"))
    page.locator(".glightbox-container").wait_for(state="detached")
    figures.first.locator("figcaption a").tap()
    page.wait_for_url("**" + BIG)
    assert not page.sv_recorder.console_errors
    assert not third_party_requests(page, gallery_site)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_lightbox_captions_read_well_and_count_the_photos(make_page, gallery_site, device):
    page = device_page(make_page, device)
    open_page(page, gallery_site + BIG)
    page.sv_recorder.reset()
    open_lightbox(page, page.locator(".sv-gallery a.sv-zoom").first)
    caption = assert_readable(page, ".gslide.current .gslide-desc", "caption")
    assert caption["scrollWidth"] <= caption["clientWidth"]
    assert_readable(page, ".gslide.current .gslide-desc .sv-credit", "credit")
    assert page.locator(".gslide.current .sv-credit").inner_text() == "Ảnh: Việt Hà"
    assert_readable(page, "#glightbox-body .sv-lb-count", "counter")
    expect(counter(page)).to_have_text(f"Ảnh 1/{PHOTOS}")
    assert_caption_under_photo(page)
    for selector, label in ((".gclose", "Đóng"), (".gprev", "Ảnh trước"), (".gnext", "Ảnh sau")):
        button = page.locator(f"#glightbox-body {selector}")
        assert button.get_attribute("aria-label") == label
        box = button.bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, (selector, box)
        assert 0 <= box["x"] and box["x"] + box["width"] <= page.viewport_size["width"], (selector, box)
        assert 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"], (selector, box)
    if device == "phone":
        # Phones get the 800 px photo (srcset), not the 1600 px one a desktop takes.
        assert page.locator(".gslide.current img").evaluate("i => i.currentSrc").endswith("-800.webp")
    else:
        assert page.locator(".gslide.current img").evaluate("i => i.currentSrc").endswith("-1600.webp")
    page.wait_for_load_state("networkidle")
    print(f"lightbox opened on a {device}: {transfer_bytes(page)} bytes")

    press(page, page.locator(".gnext"))
    expect(counter(page)).to_have_text(f"Ảnh 2/{PHOTOS}")
    wait_for_current_photo(page)
    press(page, page.locator(".gprev"))
    expect(counter(page)).to_have_text(f"Ảnh 1/{PHOTOS}")
    press(page, page.locator(".gprev"))  # loops round to the last photo, the long caption
    expect(counter(page)).to_have_text(f"Ảnh {PHOTOS}/{PHOTOS}")
    wait_for_current_photo(page)
    long = assert_readable(page, ".gslide.current .gslide-desc", "long caption")
    assert LONG_WORD[:20] in page.locator(".gslide.current .gslide-desc").inner_text()
    assert long["scrollWidth"] <= long["clientWidth"], long
    assert_caption_under_photo(page)  # a long caption takes room from the photo, never covers it
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert not page.sv_recorder.console_errors
    assert not third_party_requests(page, gallery_site)


@pytest.mark.parametrize("path", [BIG, "/thu-vien-anh/", "/dia-phuong/truoc-2025/ha-nam/thanh-liem/"])
def test_gallery_pages_do_not_scroll_sideways_on_a_phone(page, gallery_site, path):
    open_page(page, gallery_site + path)
    width = page.viewport_size["width"]
    wide = page.evaluate("""w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
                            .slice(0, 5).map(e => e.tagName + '.' + e.className)""", width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    boxes = page.locator(".sv-gallery figure").evaluate_all(
        "fs => fs.map(f => { const r = f.getBoundingClientRect(); return [r.left, r.right]; })")
    assert boxes and all(left >= 0 and right <= width for left, right in boxes), boxes
    targets = page.locator(".sv-gallery a").evaluate_all(
        "as => as.map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height]; })")
    assert all(w >= 24 and h >= 24 for w, h in targets), targets


def test_tab_stays_in_the_lightbox_and_reaches_the_record_link(make_page, gallery_site):
    page = make_page(**DESKTOP)
    open_page(page, gallery_site + "/thu-vien-anh/")
    thumbs = page.locator(".sv-gallery a.sv-zoom")
    thumbs.nth(1).focus()
    page.keyboard.press("Enter")
    page.locator(".glightbox-container").wait_for(state="visible")
    wait_for_current_photo(page)
    here = """() => { const a = document.activeElement;
                      return a.id || ['gclose', 'gprev', 'gnext', 'sv-lb-record'].find(c => a.classList.contains(c))
                             || a.tagName; }"""
    inside = "() => !!document.activeElement.closest('#glightbox-body')"
    assert page.evaluate(here) == "glightbox-body"  # the dialog has focus, not the thumbnail behind it
    seen = []
    for _ in range(5):
        page.keyboard.press("Tab")
        assert page.evaluate(inside)
        seen.append(page.evaluate(here))
    # The caption's link, then the buttons (the document's order), then round again.
    assert seen == ["sv-lb-record", "gclose", "gprev", "gnext", "sv-lb-record"], seen
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(here) == "gnext"
    page.keyboard.press("ArrowRight")
    expect(counter(page)).to_have_text("Ảnh 3/60")
    page.keyboard.press("Escape")
    page.locator(".glightbox-container").wait_for(state="detached")
    # Focus comes back to the photo last shown.
    assert page.evaluate("document.activeElement === document.querySelectorAll('.sv-gallery a.sv-zoom')[2]")
