"""sovang-files.js in headless Chromium: photos lose every metadata block but the orientation,
losslessly, and record folders are zipped byte for byte the same every time.

The script is loaded into an about:blank page (no site build needed) and bytes cross into
the page as base64. Every output is checked in Python, independently of the script:
generator/records/photofile.py (the server's own validator) finds no location and no
unreadable block, Pillow reads no metadata but the orientation, the decoded pixels equal the
input's, and a JPEG's entropy-coded scans are the input's bytes.

SOVANG_FILES_SCRIPT points the tests at another copy of the script (for mutation checks:
remove a defence in a copy and see a test fail) without touching the checkout.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageSequence

import imaging
from generator.records import photofile

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(os.environ.get("SOVANG_FILES_SCRIPT") or ROOT / "theme" / "assets" / "javascripts" / "sovang-files.js")

GPS_TIFF = imaging.tiff_block(orientation=6, gps=True)
MINIMAL_TIFF = {o: b"MM\x00*" + struct.pack(">IHHHIHHI", 8, 1, imaging.ORIENTATION, 3, 1, o, 0, 0) for o in range(2, 9)}
LIMIT = 25 * 1024 * 1024

# Moves bytes across the page boundary: Playwright serialises JSON, not binary.
BRIDGE = """
window.b64 = {
  from: (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)),
  to: (u) => {
    let s = "";
    for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
    return btoa(s);
  },
};
"""


class JsError(Exception):
    """An Error thrown by the script; the message is the script's."""


class Files:
    """Python face of window.SovangFiles in one page."""

    def __init__(self, page):
        self.page = page

    def clean(self, data: bytes) -> dict:
        result = self.page.evaluate("""(s) => {
          try {
            const r = SovangFiles.clean(b64.from(s));
            return {bytes: b64.to(r.bytes), orientation: r.orientation, removed: r.removed};
          } catch (e) { return {error: e.message, name: e.name}; }
        }""", _b64(data))
        if "error" in result:
            raise JsError(result["error"])
        result["bytes"] = base64.b64decode(result["bytes"])
        return result

    def inspect(self, data: bytes) -> dict:
        return self.page.evaluate("(s) => SovangFiles.inspect(b64.from(s))", _b64(data))

    def zip(self, files: dict[str, bytes | str]) -> bytes:
        listed = [{"name": name, "bytes": _b64(b) if isinstance(b, bytes) else b, "text": isinstance(b, str)}
                  for name, b in files.items()]
        out = self.page.evaluate("""(files) => b64.to(SovangFiles.zip(files.map(
          (f) => ({name: f.name, bytes: f.text ? f.bytes : b64.from(f.bytes)}))))""", listed)
        return base64.b64decode(out)

    def zip_error(self, names: list[str]) -> str:
        return self.page.evaluate("""(names) => {
          try { SovangFiles.zip(names.map((name) => ({name, bytes: new Uint8Array(1)}))); return null; }
          catch (e) { return e.message; }
        }""", names)

    def crc32(self, data: bytes) -> int:
        return self.page.evaluate("(s) => SovangFiles.crc32(b64.from(s))", _b64(data))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.fixture
def files(page) -> Files:
    page.add_script_tag(path=str(SCRIPT))
    page.evaluate(BRIDGE)
    return Files(page)


# --------------------------------------------------------------------------- checks in Python

def pixels(data: bytes) -> list[bytes]:
    """Every frame's decoded pixels (RGBA, or CMYK as stored), without applying the orientation."""
    with Image.open(io.BytesIO(data)) as im:
        mode = "CMYK" if im.mode == "CMYK" else "RGBA"
        return [frame.convert(mode).tobytes() for frame in ImageSequence.Iterator(im)]


def metadata_left(data: bytes) -> dict:
    """What Pillow reads besides pixels and colour: must be nothing but the orientation."""
    with Image.open(io.BytesIO(data)) as im:
        exif = dict(im.getexif())
        for ifd in (imaging.GPS_IFD, imaging.EXIF_IFD):
            assert not im.getexif().get_ifd(ifd), f"EXIF directory {ifd:#x} left"
        info = {k: v for k, v in im.info.items()
                if k not in ("icc_profile", "exif", "dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density",
                             "adobe", "adobe_transform", "progressive", "progression", "gamma", "transparency",
                             "background", "loop", "duration", "timestamp", "default_image", "srgb", "chromaticity",
                             "disposal", "blend", "bbox", "aspect")}
        return {"exif": exif, "info": info, "text": dict(getattr(im, "text", {}) or {})}


def assert_clean(tmp_path: Path, before: bytes | list[bytes], result: dict, orientation: int | None) -> None:
    """The server's validator finds nothing, Pillow reads only the orientation, the pixels are the same."""
    after = result["bytes"]
    path = tmp_path / "cleaned.img"
    path.write_bytes(after)
    photofile.check_file(path)
    assert photofile.inspect(path).gps is False  # and no unreadable block, or inspect would raise
    left = metadata_left(after)
    wanted = {imaging.ORIENTATION: orientation} if orientation and orientation != 1 else {}
    assert left == {"exif": wanted, "info": {}, "text": {}}
    assert result["orientation"] == (orientation or 1)
    assert pixels(after) == (before if isinstance(before, list) else pixels(before))


SCAN_END = re.compile(rb"\xff+[^\x00\xd0-\xd7\xff]")


def jpeg_segments(data: bytes, whole: bool = True) -> list[tuple[int, bytes]]:
    """(marker, bytes) of every segment up to EOI, which must end the file when `whole`; a scan runs to
    the end of its entropy-coded data."""
    out, i = [(0xD8, data[:2])], 2
    while True:
        assert data[i] == 0xFF, f"no marker at {i}"
        marker = data[i + 1]
        if marker == 0xD9:
            assert i + 2 == len(data) or not whole, "bytes after the end-of-image marker"
            return out + [(0xD9, data[i:i + 2])]
        end = i + 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xDA:
            end = SCAN_END.search(data, end).start()
        out.append((marker, data[i:end]))
        i = end


def scans(data: bytes) -> list[bytes]:
    """Each scan's header and entropy-coded data, of the first picture in the file."""
    return [segment for marker, segment in jpeg_segments(data, whole=False) if marker == 0xDA]


# Markers a cleaned JPEG may hold: image structure, Adobe, ICC and the orientation's APP1.
JPEG_ALLOWED = {0xD8, 0xD9, 0xDA, 0xDB, 0xC4, 0xDD, 0xEE, 0xE2, 0xE1} | set(range(0xC0, 0xC4))


def assert_jpeg_structure(after: bytes, orientation: int | None) -> None:
    segments = jpeg_segments(after)
    assert {m for m, _ in segments} <= JPEG_ALLOWED
    app1 = [s for m, s in segments if m == 0xE1]
    if orientation and orientation != 1:
        assert segments[1] == (0xE1, b"\xff\xe1" + struct.pack(">H", 34) + b"Exif\x00\x00" + MINIMAL_TIFF[orientation])
        assert len(app1) == 1
    else:
        assert not app1
    assert all(s[4:16] == b"ICC_PROFILE\x00" for m, s in segments if m == 0xE2)


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, each CRC checked; IEND must end the file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, i = [], 8
    while True:
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + length]
        assert struct.unpack(">I", data[i + 8 + length:i + 12 + length])[0] == zlib.crc32(kind + body), kind
        out.append((kind, body))
        i += 12 + length
        if kind == b"IEND":
            assert i == len(data), "bytes after IEND"
            return out


def riff_chunks(data: bytes, start: int = 12, end: int | None = None) -> list[tuple[bytes, bytes]]:
    """(fourcc, data) of the chunks; padding must be right and the RIFF size exact."""
    if end is None:
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        assert struct.unpack("<I", data[4:8])[0] + 8 == len(data), "RIFF size"
        end = len(data)
    out, i = [], start
    while i < end:
        fourcc, length = struct.unpack("<4sI", data[i:i + 8])
        out.append((fourcc, data[i + 8:i + 8 + length]))
        if length & 1:
            assert data[i + 8 + length] == 0, "pad byte"
        i += 8 + length + (length & 1)
    assert i == end, "chunks overrun the container"
    return out


def riff(chunks: list[tuple[bytes, bytes]]) -> bytes:
    body = b"WEBP" + b"".join(imaging.riff_chunk(f, d) for f, d in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# --------------------------------------------------------------------------- the script itself

def test_script_passes_node_check():
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH")
    subprocess.run([node, "--check", str(SCRIPT)], check=True, capture_output=True, timeout=60)


def test_script_is_plain_and_offline(files, page):
    source = _code(SCRIPT.read_text(encoding="utf-8"))
    for word in ("eval(", "Function(", "fetch(", "XMLHttpRequest", "import ", "require(", "WebSocket", "?.", "??"):
        assert word not in source, word
    assert page.evaluate("Object.keys(SovangFiles).sort()") == ["clean", "crc32", "inspect", "zip"]
    files.clean(imaging.jpeg((64, 48), orientation=6, gps=True))
    assert page.sv_requests == []  # the script inlined by add_script_tag asks for nothing


def _code(js: str) -> str:
    """The script without comments, so prose may say "fetch"."""
    return re.sub(r"/\*.*?\*/|//[^\n\"]*$", "", js, flags=re.S | re.M)


# --------------------------------------------------------------------------- JPEG

def phone_jpeg(orientation: int | None = 6, order: str = "MM") -> bytes:
    """A JPEG with everything a phone or an editing app writes: EXIF with GPS, XMP with GPS and its
    extension, Photoshop IPTC, a comment, a JFIF thumbnail size, and a second picture after EOI."""
    guid = b"0123456789ABCDEF0123456789ABCDEF"
    full = imaging.xmp('<rdf:Description exif:GPSLatitude="21,1.5N" exif:GPSLongitude="105,51E"/>')
    irb = imaging.photoshop_irb((0x0404, b"\x1c\x02\x78\x00\x0dNguyen Van A"), (0x0422, GPS_TIFF))
    base = imaging.encode(imaging.picture((96, 64)), "JPEG", quality=90, icc_profile=imaging._wide_profile())
    exif = b"Exif\x00\x00" + imaging.tiff_block(orientation, gps=True, order=order)
    data = imaging.with_segments(
        base, imaging.jpeg_segment(0xE1, exif), imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + imaging.GPS_XMP),
        imaging.xmp_extension(guid, full, 0, 40), imaging.xmp_extension(guid, full, 40, len(full)),
        imaging.jpeg_segment(0xED, irb), imaging.jpeg_segment(0xFE, "Nhà riêng, 21.028511, 105.804817".encode()),
        imaging.jpeg_segment(0xEB, b'JP\x00\x01{"exif:GPSLatitude": "21,1.5N"}'))
    return data + imaging.jpeg((32, 32), gps=True)  # an appended picture with its own GPS


@pytest.mark.parametrize("orientation", [None, 1, 2, 3, 4, 5, 6, 7, 8])
@pytest.mark.parametrize("order", ["MM", "II"])
def test_jpeg_loses_all_metadata_but_the_orientation(files, tmp_path, orientation, order):
    before = phone_jpeg(orientation, order)
    path = tmp_path / "before.jpg"
    path.write_bytes(before)
    assert photofile.inspect(path).gps  # the input does carry locations
    result = files.clean(before)
    assert_clean(tmp_path, before, result, orientation)
    assert_jpeg_structure(result["bytes"], orientation)
    assert scans(result["bytes"]) == scans(before)  # the compressed pixels, byte for byte
    assert [s for m, s in jpeg_segments(result["bytes"]) if m == 0xE2] == [
        s for m, s in jpeg_segments(before, whole=False) if m == 0xE2]  # the colour profile is kept
    with Image.open(io.BytesIO(result["bytes"])) as im, Image.open(path) as orig:
        assert im.info["icc_profile"] == orig.info["icc_profile"]
    for label in ("EXIF (có toạ độ GPS)", "XMP", "IPTC", "chú thích", "dữ liệu sau ảnh", "APP11"):
        assert label in result["removed"]


def test_jpeg_from_pillow_with_gps_and_orientation(files, tmp_path):
    before = imaging.jpeg((640, 480), orientation=6, gps=True)
    result = files.clean(before)
    assert_clean(tmp_path, before, result, 6)
    assert scans(result["bytes"]) == scans(before)
    assert result["removed"] == ["EXIF (có toạ độ GPS)"]  # a bare JFIF header is not worth naming


def test_jpeg_without_metadata_keeps_its_pixel_data_and_is_idempotent(files, tmp_path):
    before = imaging.plain_jpeg((64, 48))
    once = files.clean(before)
    assert_clean(tmp_path, before, once, None)
    twice = files.clean(once["bytes"])
    assert twice["bytes"] == once["bytes"] and twice["removed"] == []
    assert files.clean(before)["bytes"] == once["bytes"]


def _insert_before_scan(data: bytes, index: int, *segments: bytes) -> bytes:
    at = [m.start() for m in re.finditer(rb"\xff\xda", data)][index]
    return data[:at] + b"".join(segments) + data[at:]


def test_progressive_jpeg_with_metadata_between_scans(files, tmp_path):
    plain = imaging.encode(imaging.picture((120, 80)), "JPEG", quality=85, progressive=True,
                           exif=imaging.exif_block(3, gps=True))
    assert len(scans(plain)) > 3
    markers = [m for m, _ in jpeg_segments(plain)]
    assert 0xC4 in markers[markers.index(0xDA):]  # tables between scans, which stay
    between = (imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + imaging.GPS_XMP)
               + imaging.jpeg_segment(0xE1, b"Exif\x00\x00" + imaging.tiff_block(8, gps=True))
               + imaging.jpeg_segment(0xFE, b"21.028511, 105.804817"))
    before = _insert_before_scan(plain, 2, between)
    result = files.clean(before)
    assert_clean(tmp_path, before, result, 3)  # the EXIF after a scan is not the photo's: readers ignore it
    assert scans(result["bytes"]) == scans(plain)
    markers = [m for m, _ in jpeg_segments(result["bytes"])]
    assert markers.count(0xDA) == len(scans(plain)) and markers.count(0xE1) == 1


def test_restart_markers_inside_scans_are_kept(files, tmp_path):
    before = imaging.encode(imaging.picture((128, 96)), "JPEG", quality=90, restart_marker_rows=1,
                            exif=imaging.exif_block(gps=True))
    assert re.search(rb"\xff[\xd0-\xd7]", scans(before)[0]) and b"\xff\xdd" in before
    result = files.clean(before)
    assert_clean(tmp_path, before, result, None)
    assert scans(result["bytes"]) == scans(before) and 0xDD in {m for m, _ in jpeg_segments(result["bytes"])}


def test_adobe_segment_of_a_cmyk_jpeg_is_kept_alone(files, tmp_path):
    """APP14 Adobe decides how a CMYK JPEG decodes: without it the colours come out inverted."""
    plain = imaging.encode(imaging.picture((64, 48)).convert("CMYK"), "JPEG", quality=90)
    adobe_at = plain.index(b"\xff\xee\x00\x0eAdobe")
    # What rides along after its 12 bytes is dropped: the segment is rewritten to its 12 bytes.
    padded = plain[:adobe_at] + imaging.jpeg_segment(0xEE, plain[adobe_at + 4:adobe_at + 16] + imaging.GPS_XMP) \
        + plain[adobe_at + 16:]
    assert pixels(padded) == pixels(plain)
    result = files.clean(padded)
    assert_clean(tmp_path, plain, result, None)
    assert plain[adobe_at:adobe_at + 16] in result["bytes"] and b"xmpmeta" not in result["bytes"]


def test_multi_segment_icc_profile_is_kept_whole(files, tmp_path):
    profile = imaging._wide_profile()
    big = profile + bytes(150_000)  # Pillow splits it over three APP2 segments
    before = imaging.encode(imaging.picture((64, 48)), "JPEG", icc_profile=big, exif=imaging.exif_block(5, gps=True))
    result = files.clean(before)
    with Image.open(io.BytesIO(result["bytes"])) as im:
        assert im.info["icc_profile"] == big
    assert_clean(tmp_path, before, result, 5)


def test_mpo_second_picture_and_appended_data_are_dropped(files, tmp_path):
    buf = io.BytesIO()
    imaging.picture((64, 48)).save(buf, "MPO", save_all=True, append_images=[imaging.picture((64, 48), seed=3)],
                                   exif=imaging.exif_block(6, gps=True))
    mpo = buf.getvalue()
    with Image.open(io.BytesIO(mpo)) as im:
        assert im.format == "MPO" and im.n_frames == 2
    before = mpo + b"PK\x03\x04 a zip after the photos, " + GPS_TIFF
    result = files.clean(before)
    after = result["bytes"]
    with Image.open(io.BytesIO(after)) as im:
        assert im.format == "JPEG" and getattr(im, "n_frames", 1) == 1
    with Image.open(io.BytesIO(mpo)) as im:
        first = im.convert("RGBA").tobytes()
    assert_clean(tmp_path, [first], result, 6)
    assert_jpeg_structure(after, 6)  # ends at its EOI, no MPF index
    assert {"dữ liệu sau ảnh", "ảnh phụ (MPF)"} <= set(result["removed"])


def test_jfif_thumbnail_is_dropped_and_named(files, tmp_path):
    thumb = bytes([2, 2]) + bytes(12)  # a 2×2 RGB thumbnail in the JFIF header
    jfif = b"JFIF\x00\x01\x02\x00\x00\x01\x00\x01" + thumb
    before = imaging.with_segments(imaging.plain_jpeg()[:2] + imaging.plain_jpeg()[20:], imaging.jpeg_segment(0xE0, jfif))
    result = files.clean(before)
    assert "ảnh thu nhỏ" in result["removed"]
    assert_clean(tmp_path, before, result, None)


def test_bytes_between_segments_are_dropped(files, tmp_path):
    """Decoders skip stray bytes before a marker; so does the cleaner, and it does not copy them."""
    plain = imaging.plain_jpeg((64, 48))
    at = plain.index(b"\xff\xc0")
    before = plain[:at] + b"GPS 21.028511, 105.804817" + plain[at:]
    result = files.clean(before)
    assert b"21.028511" not in result["bytes"] and "dữ liệu thừa giữa các khối" in result["removed"]
    assert_clean(tmp_path, plain, result, None)


def test_segments_cost_no_more_than_their_bytes(files):
    """Half a million empty comments: one pass, and each one named once."""
    before = imaging.with_segments(imaging.plain_jpeg(), b"\xff\xfe\x00\x02" * 500_000)
    result = files.clean(before)
    assert result["removed"] == ["chú thích"] and len(result["bytes"]) < 2000


# --------------------------------------------------------------------------- PNG

def test_png_loses_text_exif_and_time_but_keeps_colour(files, tmp_path):
    plain = imaging.png_with_icc_and_comment()  # iCCP, tEXt, iTXt XMP, eXIf with orientation 3
    before = imaging.with_png_chunks(
        plain, imaging.png_chunk(b"tIME", b"\x07\xe8\x05\x01\x0c\x00\x00"),
        imaging.ztxt(b"Raw profile type exif", imaging.raw_profile("exif", GPS_TIFF)),
        imaging.itxt(b"Description", "Nhà ông A, 21.028511, 105.804817".encode()),
        imaging.png_chunk(b"caBX", b"c2pa manifest"),
        imaging.png_chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))) + imaging.jpeg((16, 16), gps=True)
    path = tmp_path / "before.png"
    path.write_bytes(before)
    assert photofile.inspect(path).gps
    result = files.clean(before)
    assert_clean(tmp_path, before, result, 3)
    chunks = png_chunks(result["bytes"])
    kinds = [k for k, _ in chunks]
    assert kinds[:3] == [b"IHDR", b"iCCP", b"pHYs"] and kinds[-1] == b"IEND"
    assert kinds.index(b"eXIf") < kinds.index(b"IDAT") and kinds.count(b"eXIf") == 1
    assert dict(chunks)[b"eXIf"] == MINIMAL_TIFF[3]
    assert set(kinds) == {b"IHDR", b"iCCP", b"pHYs", b"eXIf", b"IDAT", b"IEND"}
    assert [d for k, d in chunks if k == b"IDAT"] == [d for k, d in png_chunks(plain) if k == b"IDAT"]
    with Image.open(io.BytesIO(result["bytes"])) as im, Image.open(io.BytesIO(plain)) as orig:
        assert im.info["icc_profile"] == orig.info["icc_profile"]
    for label in ("EXIF", "XMP", "chú thích", "thời điểm sửa ảnh", "khối caBX", "dữ liệu sau ảnh"):
        assert label in result["removed"]


def test_png_orientation_one_leaves_no_exif(files, tmp_path):
    before = imaging.encode(imaging.picture((64, 48)), "PNG", exif=imaging.exif_block(1, gps=True))
    result = files.clean(before)
    assert_clean(tmp_path, before, result, None)
    assert b"eXIf" not in {k for k, _ in png_chunks(result["bytes"])}


def test_palette_png_keeps_transparency(files, tmp_path):
    im = imaging.picture((64, 48)).convert("P", palette=Image.ADAPTIVE, colors=16)
    before = imaging.encode(im, "PNG", transparency=0, exif=imaging.exif_block(7, gps=True))
    before = imaging.with_png_chunks(before, imaging.png_chunk(b"tEXt", b"Author\x00Nguyen Van A"))
    result = files.clean(before)
    assert_clean(tmp_path, before, result, 7)
    assert {b"PLTE", b"tRNS"} <= {k for k, _ in png_chunks(result["bytes"])}


def test_apng_frames_survive(files, tmp_path):
    frames = [imaging.picture((48, 32), seed=s) for s in range(3)]
    before = imaging.encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100)
    before = imaging.with_png_chunks(before, imaging.png_chunk(b"tEXt", b"Comment\x00hello"), before=b"acTL")
    result = files.clean(before)
    assert_clean(tmp_path, before, result, None)
    kinds = {k for k, _ in png_chunks(result["bytes"])}
    assert {b"acTL", b"fcTL", b"fdAT"} <= kinds and len(pixels(result["bytes"])) == 3


# --------------------------------------------------------------------------- WebP

ODD_XMP = imaging.GPS_XMP + b" " * (1 - len(imaging.GPS_XMP) % 2)  # an odd size: the chunk is padded


@pytest.mark.parametrize("exif_header", [b"", b"Exif\x00\x00"], ids=["bare", "exif-header"])
@pytest.mark.parametrize("orientation", [None, 1, 6])
def test_webp_loses_exif_and_xmp_and_keeps_the_profile(files, tmp_path, exif_header, orientation):
    plain = imaging.extended_webp((64, 48))
    before = imaging.with_webp_chunks(
        plain, imaging.riff_chunk(b"EXIF", exif_header + imaging.tiff_block(orientation, gps=True)),
        imaging.riff_chunk(b"XMP ", ODD_XMP),
        imaging.riff_chunk(b"ABCD", b"vendor")) + b"trailing junk"
    result = files.clean(before)
    assert_clean(tmp_path, plain, result, orientation)
    chunks = riff_chunks(result["bytes"])
    kinds = [k for k, _ in chunks]
    rotated = bool(orientation and orientation != 1)
    assert kinds == [k for k, _ in riff_chunks(plain)] + ([b"EXIF"] if rotated else [])
    flags = chunks[0][1][0]
    assert not flags & 0x04 and bool(flags & 0x08) == rotated and flags & 0x20  # XMP off, EXIF iff written, ICC kept
    if rotated:
        assert chunks[-1][1] == MINIMAL_TIFF[orientation]
    assert [d for k, d in chunks if k == b"VP8 "] == [d for k, d in riff_chunks(plain) if k == b"VP8 "]
    with Image.open(io.BytesIO(result["bytes"])) as im, Image.open(io.BytesIO(plain)) as orig:
        assert im.info["icc_profile"] == orig.info["icc_profile"]
    assert {"EXIF (có toạ độ GPS)", "XMP", "khối ABCD", "dữ liệu sau ảnh"} <= set(result["removed"])


def test_webp_odd_chunks_are_padded(files, tmp_path):
    """An odd-sized chunk that is kept gets its pad byte; a last chunk whose pad byte is missing is read."""
    chunks = riff_chunks(imaging.extended_webp((64, 48)))
    odd = [(k, d + b"\x00" if k == b"ICCP" and not len(d) % 2 else d) for k, d in chunks]
    plain = riff(odd)
    assert any(k == b"ICCP" and len(d) % 2 for k, d in riff_chunks(plain))
    unpadded = plain + imaging.riff_chunk(b"XMP ", ODD_XMP)[:-1]  # no pad byte, and the RIFF size says so
    before = b"RIFF" + struct.pack("<I", len(unpadded) - 8) + unpadded[8:]
    result = files.clean(before)
    assert result["bytes"] == plain
    riff_chunks(result["bytes"])
    assert_clean(tmp_path, plain, result, None)


@pytest.mark.parametrize("lossless", [False, True])
def test_simple_webp_keeps_only_its_image_chunk(files, tmp_path, lossless):
    plain = imaging.encode(imaging.picture((64, 48)), "WEBP", lossless=lossless, quality=80)
    chunks = riff_chunks(plain)
    assert [k for k, _ in chunks] == [b"VP8L" if lossless else b"VP8 "]
    before = riff(chunks + [(b"EXIF", GPS_TIFF)]) + imaging.jpeg((16, 16), gps=True)
    result = files.clean(before)
    assert result["bytes"] == plain
    assert_clean(tmp_path, plain, result, None)


def test_animated_webp_frames_survive_and_lose_stray_chunks(files, tmp_path):
    frames = [imaging.picture((48, 32), seed=s) for s in range(3)]
    plain = imaging.encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100, quality=80)
    chunks = riff_chunks(plain)
    assert b"ANMF" in {k for k, _ in chunks}
    # A chunk hidden inside the first frame, after its image data.
    hidden = [(k, d + imaging.riff_chunk(b"EXIF", GPS_TIFF)) if k == b"ANMF" and i == 2 else (k, d)
              for i, (k, d) in enumerate(chunks)]
    before = riff(hidden + [(b"XMP ", imaging.GPS_XMP)])
    before = before[:20] + bytes([before[20] | 0x04]) + before[21:]
    result = files.clean(before)
    assert result["bytes"] == plain
    assert_clean(tmp_path, plain, result, None)


# --------------------------------------------------------------------------- refused files

HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
IPHONE_HEIF = b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1MiHEheic" + bytes(64)
AVIF = b"\x00\x00\x00\x20ftypavif\x00\x00\x00\x00avifmif1miafMA1B" + bytes(64)
IPHONE_HINT = "Trên iPhone: Cài đặt → Camera → Định dạng → Tương thích nhất"
ACCEPTED = "JPEG, PNG hoặc WebP"


def _cut_jpeg() -> bytes:
    data = imaging.jpeg((64, 48))
    return data[:data.index(b"\xff\xda") + 200]


REFUSED = {
    "heic": (HEIC, [IPHONE_HINT, "HEIC", "JPEG"]),
    "heif-mif1": (IPHONE_HEIF, [IPHONE_HINT, "HEIC"]),
    "avif": (AVIF, [IPHONE_HINT, "AVIF"]),
    "gif": (imaging.GIF, ["GIF", ACCEPTED]),
    "bmp": (imaging.encode(Image.new("RGB", (4, 4)), "BMP"), ["BMP", ACCEPTED]),
    "tiff": (imaging.encode(Image.new("RGB", (4, 4)), "TIFF"), ["TIFF", ACCEPTED]),
    "pdf": (b"%PDF-1.7\n" + bytes(100), ["PDF", ACCEPTED]),
    "svg": (imaging.SVG, ["SVG", ACCEPTED]),
    "mp4": (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(64), [ACCEPTED]),
    "text": ("Xin chào".encode(), [ACCEPTED]),
    "empty": (b"", ["chưa đầy đủ"]),
    "jpeg-cut-in-scan": (_cut_jpeg(), ["JPEG", "chưa đầy đủ"]),
    "jpeg-cut-in-header": (imaging.jpeg((64, 48))[:300], ["JPEG", "chưa đầy đủ"]),
    "jpeg-only-soi": (b"\xff\xd8\xff", ["JPEG", "chưa đầy đủ"]),
    "jpeg-no-frame": (b"\xff\xd8\xff\xfe\x00\x04hi\xff\xd9", ["JPEG", "chưa đầy đủ"]),
    "jpeg-segment-past-end": (imaging.plain_jpeg()[:2] + b"\xff\xe1\xff\xff" + GPS_TIFF, ["JPEG", "chưa đầy đủ"]),
    "jpeg-length-below-two": (imaging.plain_jpeg()[:2] + b"\xff\xe1\x00\x01" + imaging.plain_jpeg()[2:],
                              ["JPEG", "hỏng"]),
    "png-no-iend": (imaging.encode(imaging.picture((32, 32)), "PNG")[:-12], ["PNG", "chưa đầy đủ"]),
    "png-chunk-past-end": (imaging.encode(imaging.picture((32, 32)), "PNG")[:33] + b"\x00\x10\x00\x00IDAT" + bytes(99),
                           ["PNG", "chưa đầy đủ"]),
    "png-iend-past-end": (imaging.encode(imaging.picture((32, 32)), "PNG")[:-12] + b"\x00\x00\x00\x10IEND" + bytes(8),
                          ["PNG", "chưa đầy đủ"]),
    "webp-riff-past-end": (imaging.extended_webp()[:-10], ["WebP", "chưa đầy đủ"]),
    "webp-chunk-past-end": (b"RIFF" + struct.pack("<I", 22) + b"WEBPVP8X" + struct.pack("<I", 0xFFFF) + bytes(10),
                            ["WebP", "chưa đầy đủ"]),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_files_get_a_vietnamese_reason(files, name):
    data, words = REFUSED[name]
    found = files.inspect(data)
    assert found["error"], found
    for word in words:
        assert word in found["error"], (word, found["error"])
    with pytest.raises(JsError) as raised:
        files.clean(data)
    assert str(raised.value) == found["error"]


def test_too_many_scans_are_refused(files):
    plain = imaging.encode(imaging.picture((16, 16)), "JPEG", quality=90)
    scan = scans(plain)[0]
    at = plain.index(scan) + len(scan)
    before = plain[:at] + scan * 101 + plain[at:]
    assert "lượt quét" in files.inspect(before)["error"]


@pytest.mark.parametrize("data, kind, ext", [
    (imaging.jpeg((32, 32)), "jpeg", "jpg"),
    (imaging.encode(imaging.picture((32, 32)), "PNG"), "png", "png"),
    (imaging.extended_webp(), "webp", "webp"),
], ids=["jpeg", "png", "webp"])
def test_inspect_tells_the_format_from_the_bytes(files, data, kind, ext):
    assert files.inspect(data) == {"type": kind, "ext": ext, "error": None}


def test_files_over_github_limit_are_refused_with_their_size(files, page):
    """Built in the page: a 25 MiB buffer never touches the disk."""
    found = page.evaluate("""(limit) => [limit + 1, 30 * 1048576, limit].map((size) => {
      const u = new Uint8Array(size);
      u.set([0xff, 0xd8, 0xff, 0xe0]);
      let thrown = null;
      try { SovangFiles.clean(u); } catch (e) { thrown = e.message; }
      return [SovangFiles.inspect(u), thrown];
    })""", LIMIT)
    (just_over, over_thrown), (thirty, _), (at_limit, _) = found
    assert "25,1 MB" in just_over["error"] and "25 MB" in just_over["error"] and over_thrown == just_over["error"]
    assert just_over["type"] == "jpeg"
    assert "30,0 MB" in thirty["error"]
    assert "MB" not in at_limit["error"] and "JPEG" in at_limit["error"]  # at the limit: only its structure is wrong


def test_heic_is_refused_even_when_large(files, page):
    found = page.evaluate("""(head) => {
      const u = new Uint8Array(26 * 1048576);
      u.set(Array.from(atob(head), (c) => c.charCodeAt(0)));
      return SovangFiles.inspect(u);
    }""", _b64(HEIC[:32]))
    assert IPHONE_HINT in found["error"] and found["type"] is None


# --------------------------------------------------------------------------- ZIP and CRC-32

def test_crc32_matches_zlib(files):
    for data in (b"", b"a", "Sổ vàng".encode(), os.urandom(100_000), bytes(range(256)) * 300):
        assert files.crc32(data) == zlib.crc32(data)


def test_zip_round_trips_and_is_deterministic(files, tmp_path):
    photo = files.clean(imaging.jpeg((64, 48), orientation=6, gps=True))["bytes"]
    entry = "name: Nguyễn Văn A\ndistrict: Thanh Liêm\n"
    folder = "ha-nam/thanh-liem/nguyen-van-a/"
    content = {folder + "entry.yml": entry, folder + "anh-1.jpg": photo, folder + "Ảnh đẹp.jpg": photo[:100],
               folder + "empty.txt": b""}
    first = files.zip(content)
    assert files.zip(content) == first
    path = tmp_path / "record.zip"
    path.write_bytes(first)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == list(content)
        for info in archive.infolist():
            assert info.flag_bits & 0x800 and info.compress_type == zipfile.ZIP_STORED
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            wanted = content[info.filename]
            assert archive.read(info) == (wanted.encode() if isinstance(wanted, str) else wanted)
    assert files.zip({}) == b"PK\x05\x06" + bytes(18)
    with zipfile.ZipFile(io.BytesIO(files.zip({"a.txt": b"1"}))) as archive:
        assert archive.read("a.txt") == b"1"


@pytest.mark.parametrize("names", [["../x"], ["/abs"], ["a//b"], ["a\\b"], ["a", "a"], [""], ["a/./b"], ["a\nb"]],
                         ids=["dotdot", "absolute", "empty-part", "backslash", "duplicate", "empty", "dot", "control"])
def test_zip_refuses_names_that_leave_the_folder(files, names):
    assert "ZIP" in (files.zip_error(names) or "")
