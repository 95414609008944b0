"""Galleries in headless Chromium: page weight, the lightbox, the photo library, no layout shift."""

from __future__ import annotations

import pytest
from browser_conftest import third_party_requests, transfer_bytes

import imaging
from conftest import VALID_INITIATIVE, Corpus

pytestmark = pytest.mark.browser

BIG = "/ho-so/duong-hoa/"
PHOTOS = 10
BUDGET = 600 * 1000  # bytes a record page with 10 photos may transfer before any click
SMALL_RECORDS = 6  # with the big record: 70 photos, two library pages


def photos_yaml(count: int) -> str:
    return "photos:\n" + "".join(
        f"  - file: anh-{i}.jpg\n    caption: Đoạn đường hoa số {i}\n    credit: Việt Hà\n"
        f"    alt: Hàng hoa dọc con đường, đoạn {i}\n" for i in range(1, count + 1))


def phone_photo(seed: int) -> bytes:
    """A detailed photo (sensor grain, shapes) of 3000×2250, as phones take them."""
    return imaging.encode(imaging.photo_like(3000, 2250, seed), "JPEG", quality=90,
                          exif=imaging.exif_block(orientation=6 if seed == 2 else 1))


@pytest.fixture(scope="module")
def gallery_site(tmp_path_factory, build_site, serve) -> str:
    root = tmp_path_factory.mktemp("gallery-content") / "content"
    corpus = Corpus(root)
    corpus.add("duong-hoa", VALID_INITIATIVE + photos_yaml(PHOTOS),
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
    assert all("-360.webp" in i["src"] for i in loaded), loaded  # thumbnails, portrait ones too
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


def test_photo_library_pages_link_to_records(page, gallery_site):
    open_page(page, gallery_site + "/thu-vien-anh/")
    thumbs = page.locator(".sv-gallery figure")
    assert 0 < thumbs.count() <= 60
    page.locator("nav.sv-pager a[rel=next]").click()
    page.wait_for_url("**/thu-vien-anh/trang-2/")
    assert page.locator(".sv-gallery figure").count() == (1 + SMALL_RECORDS) * PHOTOS - 60
    page.locator(".sv-gallery figure a").first.click()
    page.wait_for_url("**/ho-so/mo-hinh-*/")
    assert page.locator("h1").inner_text().startswith("Mô hình số")
    assert not third_party_requests(page, gallery_site)


def test_place_pages_show_the_latest_photos(page, gallery_site):
    open_page(page, gallery_site + "/dia-phuong/truoc-2025/ha-nam/thanh-liem/")
    figures = page.locator(".sv-gallery figure")
    assert figures.count() == 1 + SMALL_RECORDS
    figures.first.locator("a").click()
    page.wait_for_url("**" + BIG)


