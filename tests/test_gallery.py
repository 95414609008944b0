"""Galleries in the built site: record, district and province galleries, the photo library, share cards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

import imaging
from conftest import VALID_INITIATIVE, Corpus
from generator.site.plan import PHOTOS_PER_PAGE, PHOTOS_PER_PLACE, pager_window
from projects import make_project

PHOTOS_ON_BIG_RECORD = 10
SMALL_RECORDS = 7  # with the big record, 70 photos: more than one library page


def photos_yaml(count: int, prefix: str = "anh") -> str:
    return "photos:\n" + "".join(
        f"  - file: {prefix}-{i}.jpg\n    caption: Chú thích <b>ảnh</b> {i} & \"trích\"\n"
        f"    credit: Việt Hà\n    alt: Mô tả ảnh {i} \"có ngoặc\" <script>\n" for i in range(1, count + 1))


def gallery_corpus(root: Path, source_size=(1200, 900)) -> Corpus:
    corpus = Corpus(root)
    corpus.add("duong-hoa", VALID_INITIATIVE + photos_yaml(PHOTOS_ON_BIG_RECORD),
               files={f"anh-{i}.jpg": imaging.jpeg(source_size, seed=i, orientation=6 if i == 2 else None)
                      for i in range(1, PHOTOS_ON_BIG_RECORD + 1)})
    for n in range(SMALL_RECORDS):
        text = VALID_INITIATIVE.replace("Đường hoa quân sự", f"Mô hình số {n}").replace("2022-12-31", f"2021-0{n + 1}-15")
        corpus.add(f"mo-hinh-{n}", text + photos_yaml(PHOTOS_ON_BIG_RECORD),
                   files={f"anh-{i}.jpg": imaging.jpeg((480, 360), seed=n * 10 + i)
                          for i in range(1, PHOTOS_ON_BIG_RECORD + 1)})
    corpus.add("khong-anh", VALID_INITIATIVE.replace("Đường hoa quân sự", "Không có ảnh"))
    return corpus


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from generator.pipeline import generate
    from generator.site.engine import build

    work = make_project(tmp_path_factory.mktemp("gallery"))
    corpus = gallery_corpus(work / "content")
    result = generate(corpus.root, work / "docs")
    assert result.stats is not None, [d.format() for d in result.report.items]
    build(work / "mkdocs.yml", work / "docs", work / "site")
    return work / "site"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_record_gallery_markup(site):
    doc = page(site, "ho-so/duong-hoa")
    gallery = doc.select_one(".sv-gallery[data-lightbox]")
    figures = gallery.select("figure.sv-photo")
    assert len(figures) == PHOTOS_ON_BIG_RECORD
    for fig in figures:
        img, source, link = fig.find("img"), fig.find("source"), fig.find("a", class_="sv-zoom")
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        assert int(img["width"]) > 0 and int(img["height"]) > 0
        assert source["type"] == "image/webp" and source["sizes"]
        candidates = [c.split() for c in source["srcset"].split(", ")]
        assert [int(w[:-1]) for _, w in candidates] == sorted(int(w[:-1]) for _, w in candidates)
        for url, width in candidates:  # each candidate exists and is as wide as it says
            with Image.open(site / "ho-so/duong-hoa" / url) as im:
                assert f"{im.width}w" == width
        with Image.open(site / "ho-so/duong-hoa" / img["src"]) as im:
            assert im.format == "JPEG"
        with Image.open(site / "ho-so/duong-hoa" / candidates[0][0]) as thumb:
            assert (thumb.width, thumb.height) == (int(img["width"]), int(img["height"]))
        assert link["href"].endswith(".webp") and link["data-fallback"].endswith(".jpg")
        assert "Ảnh: Việt Hà" in fig.find("figcaption").get_text()
    # Portrait photo 2 (EXIF-rotated) reserves a portrait box.
    second = figures[1].find("img")
    assert int(second["height"]) > int(second["width"])


def test_captions_and_alt_are_escaped_text(site):
    doc = page(site, "ho-so/duong-hoa")
    fig = doc.select_one("figure.sv-photo")
    assert fig.find("img")["alt"] == 'Mô tả ảnh 1 "có ngoặc" <script>'
    assert "Chú thích <b>ảnh</b> 1 & \"trích\"" in fig.find("figcaption").get_text()
    assert not doc.select(".sv-gallery b, .sv-gallery script")
    raw = (site / "ho-so/duong-hoa/index.html").read_text(encoding="utf-8")
    assert "\\" not in fig.find("figcaption").get_text()  # no Markdown escapes leaking into HTML
    assert "<script>" not in raw.split("<article", 1)[1].split("</article>", 1)[0]


def test_lightbox_assets_only_on_gallery_pages(site):
    with_gallery = page(site, "ho-so/duong-hoa")
    without = page(site, "ho-so/khong-anh")
    scripts = lambda doc: [s.get("src", "") for s in doc.find_all("script")]  # noqa: E731
    assert any("glightbox.min.js" in s for s in scripts(with_gallery))
    assert not any("glightbox" in s for s in scripts(without))
    for src in scripts(with_gallery):
        if src and "glightbox" in src or "sovang-gallery" in src:
            assert not src.startswith(("http:", "https:", "//")) and (site / "ho-so/duong-hoa" / src).resolve().is_file()


def test_photo_library_is_paginated_and_links_to_records(site):
    total = PHOTOS_ON_BIG_RECORD * (1 + SMALL_RECORDS)
    pages = -(-total // PHOTOS_PER_PAGE)
    assert pages >= 2
    seen = []
    for n in range(1, pages + 1):
        doc = page(site, "thu-vien-anh" if n == 1 else f"thu-vien-anh/trang-{n}")
        figures = doc.select(".sv-gallery figure")
        assert 0 < len(figures) <= PHOTOS_PER_PAGE
        for fig in figures:
            href = fig.find("a")["href"]
            assert re.fullmatch(r"(\.\./)+ho-so/[a-z0-9-]+/", href), href
            seen.append(fig.find("img")["src"])
        pager = doc.select_one("nav.sv-pager")
        assert pager.select_one("[aria-current=page]").get_text() == str(n)
        assert bool(pager.select_one("a[rel=next]")) == (n < pages)
        assert bool(pager.select_one("a[rel=prev]")) == (n > 1)
    assert len(seen) == total and len(set(seen)) == total
    # The newest record (2022) comes first.
    first = page(site, "thu-vien-anh").select_one(".sv-gallery figure a")["href"]
    assert first.endswith("ho-so/duong-hoa/")
    assert not (site / "thu-vien-anh" / f"trang-{pages + 1}").exists()


INDEX_PAGES = ("thu-vien-anh", "thu-vien-anh/trang-2", "dia-phuong/truoc-2025/ha-nam/thanh-liem",
               "dia-phuong/truoc-2025/ha-nam", "dia-phuong/ninh-binh")


@pytest.mark.parametrize("url", INDEX_PAGES)
def test_library_and_place_photos_open_the_lightbox_and_keep_the_record_a_tap_away(site, url):
    doc = page(site, url)
    gallery = doc.select_one(".sv-gallery[data-lightbox]")
    assert gallery is not None, url
    figures = gallery.select("figure.sv-photo")
    assert figures
    for fig in figures:
        zoom = fig.select_one("a.sv-zoom")
        record = zoom["href"]  # without JavaScript the photo is a link to its record
        assert re.fullmatch(r"(\.\./)+ho-so/[a-z0-9-]+/", record), record
        assert (site / url / record / "index.html").is_file()
        assert zoom["data-large"].endswith(".webp") and zoom["data-fallback"].endswith(".jpg")
        for attr in ("data-large", "data-fallback"):
            assert (site / url / zoom[attr]).is_file(), zoom[attr]
        name = fig.select_one("figcaption a")
        assert name["href"] == record
        # The lightbox's caption: the photo's caption and credit, and the record's link, as
        # escaped markup in an inert <template> (the script never reads text from attributes).
        # Parsed again from its markup, as the script hands the template's innerHTML to GLightbox
        # (and BeautifulSoup's get_text skips text inside a <template>).
        caption = BeautifulSoup(fig.select_one("template.sv-lb-caption").decode_contents(), "html.parser")
        link = caption.select_one("a.sv-lb-record")
        assert link["href"] == record
        assert link.get_text() == f"Xem hồ sơ: {name.get_text()}"
        assert caption.select_one(".sv-credit").get_text() == "Ảnh: Việt Hà"
        assert re.match(r'Chú thích <b>ảnh</b> \d+ & "trích" ', caption.get_text()), caption.get_text()
        assert not caption.select("b, script, img")
    raw = (site / url / "index.html").read_text(encoding="utf-8")
    assert "Chú thích &lt;b&gt;ảnh&lt;/b&gt;" in raw and "<b>ảnh</b>" not in raw


@pytest.mark.parametrize("url", INDEX_PAGES)
def test_library_and_place_pages_load_the_lightbox(site, url):
    doc = page(site, url)
    scripts = [s.get("src", "") for s in doc.find_all("script")]
    assert any(s.endswith("glightbox.min.js") for s in scripts), url
    assert any(s.endswith("sovang-gallery.js") for s in scripts), url
    assert any(link.get("href", "").endswith("glightbox.min.css") for link in doc.find_all("link"))


def test_library_is_in_the_navigation(site):
    nav = [a.get_text(strip=True) for a in page(site, "").select(".md-tabs a")]
    assert "Thư viện ảnh" in nav


def test_district_and_province_pages_have_galleries(site):
    for url in ("dia-phuong/truoc-2025/ha-nam/thanh-liem", "dia-phuong/truoc-2025/ha-nam", "dia-phuong/ninh-binh"):
        doc = page(site, url)
        figures = doc.select(".sv-gallery figure")
        assert 0 < len(figures) <= PHOTOS_PER_PLACE, url
        # One photo per record, each linking to its record.
        hrefs = [f.find("a")["href"] for f in figures]
        assert len(hrefs) == len(set(hrefs)) == 1 + SMALL_RECORDS


def test_share_card_per_record_and_for_the_site(site):
    for url, kind in (("ho-so/duong-hoa", "photo"), ("ho-so/khong-anh", "text"), ("", "site")):
        doc = page(site, url)
        meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.find_all("meta")}
        assert meta["twitter:card"] == "summary_large_image"
        image = site / url / meta["og:image"] if not meta["og:image"].startswith("http") else None
        with Image.open(image) as im:
            assert im.size == (1200, 630) and im.format == "JPEG"
            assert not im.getexif() and "icc_profile" not in im.info
        if kind != "site":
            assert meta["og:title"] and meta["og:type"] == "article"


def test_pager_window_is_bounded():
    assert pager_window(1, 1) == [1]
    assert pager_window(5, 3) == [1, 2, 3, 4, 5]
    assert pager_window(5000, 2500) == [1, None, 2498, 2499, 2500, 2501, 2502, None, 5000]
    assert pager_window(5000, 1) == [1, 2, 3, None, 5000]


def test_every_image_url_in_every_page_resolves(site):
    missing, checked = [], 0
    for html_file in site.rglob("*.html"):
        doc = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        urls = [img["src"] for img in doc.select(".sv-gallery img")]
        urls += [c.split()[0] for s in doc.select(".sv-gallery source") for c in s["srcset"].split(", ")]
        urls += [a["href"] for a in doc.select(".sv-gallery a")]
        urls += [a["data-fallback"] for a in doc.select("a[data-fallback]")]
        urls += [a["data-large"] for a in doc.select("a[data-large]")]
        urls += [a["href"] for a in doc.select(".sv-gallery template a")]
        for url in urls:
            checked += 1
            target = html_file.parent / url
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(f"{html_file.relative_to(site)}: {url}")
    assert checked > 500 and not missing, missing[:5]
