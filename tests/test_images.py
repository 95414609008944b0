"""The photo pipeline: safe opening, metadata removal, orientation, caching, GPS rules."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

import imaging
from conftest import ROOT, VALID_INITIATIVE, VALID_PERSON
from generator.media import images
from generator.records import photofile
from generator.pipeline import generate
from generator.records.validate import validate

PHOTO_ITEM = """\
  - file: {name}
    caption: Tuyến đường hoa {n}
    credit: Việt Hà
    alt: Hai hàng hoa dọc con đường {n}
"""
# Everything that could carry a location, a device or a person's note.
METADATA_MARKERS = (b"Exif", b"GPS", b"xmp", b"XMP", b"iCCP", b"ICC_PROFILE", b"PhoneMaker", b"ng\xc3\xb5 34",
                    b"Raw profile", b"tEXt", b"iTXt", b"zTXt", b"eXIf")


def photos_yaml(*names: str) -> str:
    return "photos:\n" + "".join(PHOTO_ITEM.format(name=n, n=i) for i, n in enumerate(names, start=1))


def derivatives_of(source: bytes, tmp_path: Path, name: str = "src") -> dict[str, Path]:
    src = tmp_path / name
    src.write_bytes(source)
    out = tmp_path / f"out-{name}"
    out.mkdir()
    images.write_derivatives(out, str(src))
    return {p.name: p for p in out.iterdir() if p.suffix in (".webp", ".jpg")}


def assert_bare(path: Path) -> None:
    """Reopen an output: no EXIF, ICC, XMP or comment, and no marker bytes anywhere in the file."""
    data = path.read_bytes()
    for marker in METADATA_MARKERS:
        assert marker not in data, (path.name, marker)
    with Image.open(path) as im:
        assert not im.getexif(), path.name
        assert not {"exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"} & set(im.info), (path.name, im.info)


def is_red(rgb) -> bool:
    r, g, b = rgb[:3]
    return r > 180 and g < 80 and b < 80


# --- Metadata and orientation ------------------------------------------------------

def test_gps_exif_is_gone_from_every_output(tmp_path):
    source = imaging.jpeg((1200, 900), gps=True)
    assert photofile.inspect(_write(tmp_path / "gps.jpg", source)).gps
    outputs = derivatives_of(source, tmp_path)
    assert sorted(outputs) == ["large.webp", "medium.jpg", "medium.webp", "thumb.webp"]
    for path in outputs.values():
        assert_bare(path)


@pytest.mark.parametrize("orientation, displayed_size, red_corner", [
    (1, (800, 600), "top-left"),
    (3, (800, 600), "bottom-right"),  # rotated 180°
    (6, (600, 800), "top-right"),  # rotated 90° clockwise for display
    (8, (600, 800), "bottom-left"),  # rotated 90° counter-clockwise
])
def test_exif_rotated_photo_comes_out_upright(tmp_path, orientation, displayed_size, red_corner):
    outputs = derivatives_of(imaging.jpeg((800, 600), orientation=orientation), tmp_path)
    for path in outputs.values():
        assert_bare(path)  # no orientation tag left to rotate it twice
        with Image.open(path) as im:
            im = im.convert("RGB")
            w, h = im.size
            assert (w > h) == (displayed_size[0] > displayed_size[1]), path.name
            corners = {"top-left": (w // 8, h // 8), "top-right": (w - w // 8, h // 8),
                       "bottom-left": (w // 8, h - h // 8), "bottom-right": (w - w // 8, h - h // 8)}
            assert is_red(im.getpixel(corners[red_corner])), (path.name, red_corner)
            others = [c for name, c in corners.items() if name != red_corner]
            assert not any(is_red(im.getpixel(c)) for c in others), path.name


def test_png_with_icc_profile_comment_and_xmp_comes_out_bare_and_upright(tmp_path):
    source = imaging.png_with_icc_and_comment((640, 480))  # orientation 3: upside down
    with Image.open(io.BytesIO(source)) as im:  # the fixture really carries all of it
        assert {"icc_profile", "Comment", "XML:com.adobe.xmp"} <= set(im.info)
    for path in derivatives_of(source, tmp_path).values():
        assert_bare(path)
        with Image.open(path) as im:
            im = im.convert("RGB")
            assert is_red(im.getpixel((im.width - 5, im.height - 5)))


def test_sizes_and_formats(tmp_path):
    outputs = derivatives_of(imaging.jpeg((4000, 3000)), tmp_path)
    sizes = {name: Image.open(p).size for name, p in outputs.items()}
    assert sizes == {"thumb.webp": (360, 270), "medium.webp": (800, 600), "large.webp": (1600, 1200),
                     "medium.jpg": (800, 600)}
    assert Image.open(outputs["medium.jpg"]).format == "JPEG"
    assert Image.open(outputs["large.webp"]).format == "WEBP"


def test_small_photo_is_not_enlarged_nor_listed_twice(corpus, tmp_path):
    sizes = {Image.open(p).size for p in derivatives_of(imaging.jpeg((300, 200)), tmp_path).values()}
    assert sizes == {(300, 200)}
    corpus.add("duong-hoa", VALID_INITIATIVE + photos_yaml("anh-1.jpg"), files={"anh-1.jpg": imaging.jpeg((600, 400))})
    assert generate(corpus.root, tmp_path / "docs").stats is not None
    page = (tmp_path / "docs" / "ho-so" / "duong-hoa" / "index.md").read_text(encoding="utf-8")
    srcset = page.split('srcset="')[1].split('"')[0]
    assert [c.split()[1] for c in srcset.split(", ")] == ["360w", "600w"]


def test_transparent_png_gets_a_white_jpeg_fallback(tmp_path):
    im = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    outputs = derivatives_of(imaging.encode(im, "PNG"), tmp_path)
    with Image.open(outputs["medium.jpg"]) as fallback:
        assert fallback.convert("RGB").getpixel((10, 10)) == (255, 255, 255)
    with Image.open(outputs["medium.webp"]) as webp:
        assert webp.mode == "RGBA"


def test_jpeg_is_decoded_at_reduced_scale(tmp_path):
    src = _write(tmp_path / "big.jpg", imaging.jpeg((4000, 3000)))
    im = images.load_upright(src, 1600)
    assert im.size == (2000, 1500)  # libjpeg scaled the decode by 1/2; never the full 4000×3000


# --- Refused files ------------------------------------------------------------------

def one_error(corpus, text: str, files: dict[str, bytes]):
    path = corpus.add("duong-hoa", text, files=files)
    _, report = validate(corpus.root)
    errors = [(d.line, d.col, d.message) for d in report.errors]
    assert len(errors) == 1, errors
    return path, errors[0]


def line_of(text: str, needle: str) -> tuple[int, int]:
    for i, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if needle in line:
            return i, line.index(needle) + 1 + len("file: ")
    raise AssertionError(needle)


@pytest.mark.parametrize("data, says", [(imaging.GIF, "GIF"), (imaging.SVG, "SVG"), (b"%PDF-1.4 ...", "PDF"),
                                        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20, "HEIC")])
def test_other_formats_renamed_jpg_are_refused_at_their_line(corpus, data, says):
    text = VALID_INITIATIVE + photos_yaml("anh-1.jpg")
    _, (line, col, message) = one_error(corpus, text, {"anh-1.jpg": data})
    assert (line, col) == line_of(text, "file: anh-1.jpg")
    assert "photos[1].file" in message and "không phải ảnh JPEG, PNG hay WebP" in message and says in message


def test_decompression_bomb_is_refused_without_exhausting_memory(tmp_path):
    """A 100-byte PNG declaring 30,000×30,000 pixels (2.7 GB decoded) is refused from its header,
    in a process that could not even allocate that much."""
    bomb = _write(tmp_path / "bomb.png", imaging.bomb_png(30_000, 30_000))
    assert bomb.stat().st_size < 200
    script = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        resource.setrlimit(resource.RLIMIT_AS, (768 * 2**20, 768 * 2**20))
        from generator.media import images
        from generator.records import photofile
        for step in (photofile.inspect, lambda p: images.load_upright(p, 1600)):
            try:
                step(__import__("pathlib").Path({str(bomb)!r}))
            except photofile.PhotoError as exc:
                print("refused:", exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("refused:") == 2 and "quá lớn" in done.stdout


def test_bomb_is_reported_at_its_line(corpus):
    text = VALID_INITIATIVE + photos_yaml("anh-1.png")
    _, (line, col, message) = one_error(corpus, text, {"anh-1.png": imaging.bomb_png()})
    assert (line, col) == line_of(text, "file: anh-1.png")
    assert "quá lớn" in message and "60 triệu điểm ảnh" in message


def test_just_under_the_pixel_cap_is_accepted_by_its_header(tmp_path):
    ok = _write(tmp_path / "ok.png", imaging.bomb_png(8000, 7000))  # 56 MP: a 48+ MP phone
    assert photofile.inspect(ok).width == 8000


def test_oversized_file_is_refused(corpus, monkeypatch):
    monkeypatch.setattr(photofile, "MAX_BYTES", 10_000)
    text = VALID_INITIATIVE + photos_yaml("anh-1.jpg")
    _, (_, _, message) = one_error(corpus, text, {"anh-1.jpg": imaging.jpeg((1000, 800), seed=3)})
    assert "vượt giới hạn" in message


def test_truncated_jpeg_is_an_error_at_its_line_not_a_traceback(corpus, project, tmp_path, run_cli):
    text = VALID_INITIATIVE + photos_yaml("anh-1.jpg")
    whole = imaging.jpeg((1600, 1200))
    path = corpus.add("duong-hoa", text, files={"anh-1.jpg": whole[: len(whole) // 2]})
    code, out, err = run_cli("generate", "--content", str(corpus.root), "--docs", str(tmp_path / "docs"), cwd=project)
    assert code == 1
    line, col = line_of(text, "file: anh-1.jpg")
    # Refused by the validator already (photofile: the JPEG has no end marker), before any decoding.
    assert f"entry.yml:{line}:{col}: error: photos[1].file: tệp ảnh JPEG bị thiếu phần cuối" in out
    assert "Traceback" not in out + err
    assert not (tmp_path / "docs").exists()  # nothing written


def test_photo_with_gps_is_an_error_with_the_fix(corpus):
    text = VALID_INITIATIVE + photos_yaml("anh-1.jpg")
    _, (line, col, message) = one_error(corpus, text, {"anh-1.jpg": imaging.jpeg(gps=True)})
    assert (line, col) == line_of(text, "file: anh-1.jpg")
    assert "toạ độ GPS" in message and "sovang photos --strip-gps" in message


def test_gps_only_in_xmp_is_found(tmp_path):
    xmp = b'<x:xmpmeta><rdf:Description exif:GPSLatitude="21,1.5N" exif:GPSLongitude="105,51E"/></x:xmpmeta>'
    path = _write(tmp_path / "x.jpg", imaging.encode(imaging.picture((64, 48)), "JPEG", xmp=xmp))
    assert photofile.inspect(path).gps
    assert photofile.strip_gps(path)
    assert not photofile.inspect(path).gps


# --- Stripping GPS from originals -------------------------------------------------------

@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_strip_gps_is_lossless_and_keeps_orientation(tmp_path, fmt):
    im = imaging.picture((320, 240))
    path = _write(tmp_path / f"a.{fmt.lower()}", imaging.encode(im, fmt, exif=imaging.exif_block(6, gps=True)))
    before = Image.open(path).convert("RGB").tobytes()
    assert photofile.strip_gps(path)
    assert not photofile.inspect(path).gps
    with Image.open(path) as after:
        assert after.getexif().get(imaging.ORIENTATION) == 6
        assert after.getexif().get(0x010F) == "PhoneMaker"  # the rest of EXIF is kept
        assert after.convert("RGB").tobytes() == before  # no re-encoding
    assert not photofile.strip_gps(path)  # idempotent: nothing left to remove


def test_strip_gps_copies_jpeg_scan_data_byte_for_byte(tmp_path):
    data = imaging.jpeg((640, 480), orientation=6, gps=True)
    path = _write(tmp_path / "a.jpg", data)
    photofile.strip_gps(path)
    scan = data.index(b"\xff\xda")
    assert path.read_bytes().endswith(data[scan:])


def test_photos_command_fixes_the_validation_error(corpus, run_cli):
    text = VALID_INITIATIVE + photos_yaml("anh-1.jpg", "anh-2.jpg")
    corpus.add("duong-hoa", text, files={"anh-1.jpg": imaging.jpeg(gps=True), "anh-2.jpg": imaging.jpeg(seed=2)})
    assert len(validate(corpus.root)[1].errors) == 1
    code, out, err = run_cli("photos", "--strip-gps", "--content", str(corpus.root))
    assert code == 0, err
    assert "anh-1.jpg: đã xoá toạ độ GPS" in out and "anh-2.jpg" not in out
    assert "xoá toạ độ GPS ở 1 ảnh" in err
    assert validate(corpus.root)[1].errors == []


def test_photos_command_needs_the_flag(run_cli):
    code, _, err = run_cli("photos")
    assert code == 2 and "--strip-gps" in err and "thiếu tham số" in err


# --- Consent, caching and clean output -----------------------------------------------

def test_persons_photo_without_consent_is_not_published(corpus, tmp_path):
    text = VALID_PERSON + photos_yaml("anh-1.jpg")
    corpus.add("nguyen-thi-my-hanh", text, group="binh-duong/tan-uyen", files={"anh-1.jpg": imaging.jpeg()})
    result = generate(corpus.root, tmp_path / "docs")
    assert [w.message for w in result.report.warnings if "photos" in w.message][0].startswith("photos: ảnh sẽ không")
    assert not (tmp_path / "cache" / "photos").exists()  # the photo was never even decoded
    assert not list((tmp_path / "docs").rglob("*.webp"))
    page = (tmp_path / "docs" / "ho-so" / "nguyen-thi-my-hanh" / "index.md").read_text(encoding="utf-8")
    assert "<picture>" not in page and "gallery:" not in page


def test_persons_photo_with_consent_is_published(corpus, tmp_path):
    text = VALID_PERSON.replace("  story: true", "  story: true\n  photo: true") + photos_yaml("anh-1.jpg")
    corpus.add("nguyen-thi-my-hanh", text, group="binh-duong/tan-uyen", files={"anh-1.jpg": imaging.jpeg((2000, 1500))})
    result = generate(corpus.root, tmp_path / "docs")
    assert not result.report.items
    assert len(list((tmp_path / "docs" / "ho-so" / "nguyen-thi-my-hanh").glob("*.webp"))) == 3


def test_second_build_processes_zero_images_and_deleted_photos_leave_nothing(corpus, tmp_path):
    docs = tmp_path / "docs"
    path = corpus.add("duong-hoa", VALID_INITIATIVE + photos_yaml("anh-1.jpg", "anh-2.jpg"),
                      files={"anh-1.jpg": imaging.jpeg(seed=1), "anh-2.jpg": imaging.jpeg(seed=2)})
    corpus.add("hu-gao", VALID_INITIATIVE.replace("Đường hoa quân sự", "Hũ gạo") + photos_yaml("anh-1.jpg"),
               files={"anh-1.jpg": imaging.jpeg(seed=3)})
    first = generate(corpus.root, docs)
    assert first.images_processed == 3 + 3  # three photos; two record cards and the site card
    assert len(list(docs.rglob("*.webp"))) == 3 * 2  # 640-pixel sources: thumbnail and full size

    second = generate(corpus.root, docs)
    assert second.images_processed == 0
    assert second.stats.written == ()

    # Drop one photo from a record: its four derivatives go, from the docs and from the cache.
    path.write_text(VALID_INITIATIVE + photos_yaml("anh-1.jpg"), encoding="utf-8")
    (path.parent / "anh-2.jpg").unlink()
    third = generate(corpus.root, docs)
    assert third.images_processed == 0  # same first photo and text: the record's card is unchanged
    names = {p.name for p in docs.rglob("*") if p.is_file()}
    assert not any(n.startswith("anh-2.") for n in names)
    assert len(list((tmp_path / "cache" / "photos").glob("*/*"))) == 2

    # Delete a whole record: its folder of images goes too.
    import shutil
    shutil.rmtree(corpus.root / "entries" / "ha-nam" / "thanh-liem" / "hu-gao")
    generate(corpus.root, docs)
    assert not (docs / "ho-so" / "hu-gao").exists()
    assert not (docs / "ho-so" / "hu-gao" / "index.md").exists()


def test_derivatives_are_deterministic(tmp_path):
    a = derivatives_of(imaging.jpeg((1200, 900)), tmp_path, "a")
    b = derivatives_of(imaging.jpeg((1200, 900)), tmp_path, "b")
    assert {k: v.read_bytes() for k, v in a.items()} == {k: v.read_bytes() for k, v in b.items()}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
