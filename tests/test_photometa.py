"""Locations hidden in photo metadata: wherever a reader can find one, `inspect` reports it and
`strip_gps` removes it without touching the pixels; hostile metadata costs bounded memory and
never raises anything but PhotoError."""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image

import imaging
from generator.records import photofile

GPS_TIFF = imaging.tiff_block(orientation=6, gps=True)
MAKE = 0x010F


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pixels(path: Path) -> bytes:
    with Image.open(path) as im:
        return im.convert("RGB").tobytes()


def scan_data(data: bytes) -> bytes:
    """A baseline JPEG's compressed pixels: from its scan header to its end-of-image marker."""
    start = 2
    while data[start + 1] != 0xDA:  # skip segments by their lengths: a thumbnail inside EXIF has a scan too
        start += 2 + struct.unpack(">H", data[start + 2:start + 4])[0]
    return data[start:data.index(b"\xff\xd9", start) + 2]


def found_and_stripped(path: Path) -> bytes:
    """`inspect` reports a location, `strip_gps` removes it losslessly and only once; the new bytes."""
    before, decoded = path.read_bytes(), pixels(path)
    assert photofile.inspect(path).gps
    assert photofile.strip_gps(path)
    assert not photofile.inspect(path).gps
    assert pixels(path) == decoded
    if before.startswith(b"\xff\xd8"):
        assert scan_data(path.read_bytes()) == scan_data(before)  # copied byte for byte
    assert not photofile.strip_gps(path)
    return path.read_bytes()


def left_alone(path: Path) -> None:
    before = path.read_bytes()
    assert not photofile.inspect(path).gps
    assert not photofile.strip_gps(path)
    assert path.read_bytes() == before


# --- Ordinary photos are left alone --------------------------------------------------------

def ordinary_files() -> dict[str, bytes]:
    icc = imaging._wide_profile()
    buf = io.BytesIO()
    imaging.picture((64, 48)).save(buf, "MPO", save_all=True, append_images=[imaging.picture((64, 48), seed=3)],
                                   exif=imaging.exif_block(6))
    plain_xmp = imaging.xmp('<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5"/>')
    # A GPS pointer of 0, how some writers say "no GPS directory".
    zero_gps = b"MM\x00*" + struct.pack(">IH", 8, 1) + struct.pack(">HHII", imaging.GPS_IFD, 4, 1, 0) + bytes(4)
    return {
        "jpeg-exif-icc-comment": imaging.encode(imaging.picture((64, 48)), "JPEG", exif=imaging.exif_block(6),
                                                icc_profile=icc, comment="Lễ trao giải, ảnh 3.5 MB"),
        "jpeg-xmp-rating": imaging.encode(imaging.picture((64, 48)), "JPEG", xmp=plain_xmp),
        "jpeg-progressive": imaging.encode(imaging.picture((64, 48)), "JPEG", progressive=True,
                                           exif=imaging.exif_block(3)),
        "jpeg-gps-pointer-zero": imaging.with_segments(imaging.plain_jpeg(),
                                                       imaging.jpeg_segment(0xE1, b"Exif\x00\x00" + zero_gps)),
        "mpo": buf.getvalue(),
        "png-icc-comment": imaging.encode(imaging.picture((64, 48)), "PNG", icc_profile=icc,
                                          exif=imaging.exif_block(6)),
        "webp-icc": imaging.extended_webp(),
        "webp-exif": imaging.encode(imaging.picture((64, 48)), "WEBP", exif=imaging.exif_block(6)),
    }


@pytest.mark.parametrize("name", list(ordinary_files()))
def test_ordinary_photos_are_not_flagged_nor_changed(tmp_path, name):
    left_alone(write(tmp_path, "a.img", ordinary_files()[name]))


# --- 1a. EXIF behind any header, and EXIF the container does not announce ---------------

@pytest.mark.parametrize("header", [b"Exif\x00\xff", b"Exif\x00", b"", b"exif\x00\x00", b"\x00\x00Exif\x00\x00",
                                    b"Exif\x00\x00\x00\x00"],
                         ids=["exif-nul-ff", "exif-one-nul", "bare-tiff", "lower-case", "junk-first", "padded"])
@pytest.mark.parametrize("order", ["MM", "II"])
def test_jpeg_exif_behind_any_header_is_found_and_rewritten(tmp_path, header, order):
    segment = imaging.jpeg_segment(0xE1, header + imaging.tiff_block(orientation=6, gps=True, order=order))
    path = write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), segment))
    found_and_stripped(path)
    with Image.open(path) as im:  # the rest of EXIF survives, now behind the standard header
        assert im.getexif().get(imaging.ORIENTATION) == 6 and im.getexif().get(MAKE) == "PhoneMaker"


def test_rewritten_jpeg_exif_has_one_standard_header(tmp_path):
    path = write(tmp_path, "a.jpg", imaging.jpeg((64, 48), orientation=6, gps=True))
    photofile.strip_gps(path)
    data = path.read_bytes()
    app1 = data.index(b"\xff\xe1")
    assert data[app1 + 4:app1 + 14] == b"Exif\x00\x00MM\x00*"  # not 'Exif\0\0Exif\0\0'


@pytest.mark.parametrize("gps_in", ["exif", "ifd1"])
def test_gps_pointer_outside_ifd0_is_followed(tmp_path, gps_in):
    """Readers follow a GPS pointer from the Exif directory or IFD1; Pillow looks only in IFD0."""
    segment = imaging.jpeg_segment(0xE1, b"Exif\x00\x00" + imaging.hand_tiff(gps_in))
    path = write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), segment))
    found_and_stripped(path)
    with Image.open(path) as im:
        assert im.getexif().get(imaging.ORIENTATION) == 6


@pytest.mark.parametrize("nested", ["xmp-in-exif", "thumbnail-with-gps"])
def test_location_nested_inside_exif_is_found(tmp_path, nested):
    tiff = (imaging.hand_tiff(xml_packet=imaging.GPS_XMP) if nested == "xmp-in-exif"
            else imaging.hand_tiff(thumbnail=imaging.jpeg((16, 16), gps=True)))
    path = write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(),
                                                          imaging.jpeg_segment(0xE1, b"Exif\x00\x00" + tiff)))
    found_and_stripped(path)
    with Image.open(path) as im:
        assert im.getexif().get(imaging.ORIENTATION) == 6  # EXIF rewritten, not dropped


# --- 1b. Photoshop's APP13 ----------------------------------------------------------------

@pytest.mark.parametrize("resource, data", [(0x0422, GPS_TIFF), (0x0424, imaging.GPS_XMP)], ids=["exif", "xmp"])
def test_location_in_photoshop_app13_is_found_and_the_segment_dropped(tmp_path, resource, data):
    irb = imaging.photoshop_irb((0x0404, b"\x1c\x02\x78\x00\x05Hoa 1"), (resource, data))
    path = write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), imaging.jpeg_segment(0xED, irb)))
    assert b"Photoshop 3.0" not in found_and_stripped(path)


def test_app13_without_a_location_is_kept(tmp_path):
    irb = imaging.photoshop_irb((0x0404, b"\x1c\x02\x78\x00\x05Hoa 1"))
    left_alone(write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), imaging.jpeg_segment(0xED, irb))))


# --- 1c. XMP in every spelling ------------------------------------------------------------

XMP_SPELLINGS = {
    "dji-attributes": '<rdf:Description drone-dji:GpsLatitude="21.0285" drone-dji:GpsLongtitude="+105.8542"/>',
    "upper-case-element": "<rdf:Description><drone-dji:GPSLATITUDE>21.0285</drone-dji:GPSLATITUDE></rdf:Description>",
    "any-prefix": '<rdf:Description cam:GPSLongitude="105.8542"/>',
    "exif-element": "<rdf:Description><exif:GPSLatitude>21,1.5N</exif:GPSLatitude></rdf:Description>",
    "exifex-destination": '<rdf:Description exifEX:GPSDestLatitude="21,1.5N"/>',
}


@pytest.mark.parametrize("spelling", XMP_SPELLINGS, ids=list(XMP_SPELLINGS))
def test_xmp_location_in_any_namespace_and_case_is_found(tmp_path, spelling):
    segment = imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + imaging.xmp(XMP_SPELLINGS[spelling]))
    data = found_and_stripped(write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), segment)))
    assert b"xmpmeta" not in data


def test_utf16_xmp_is_found(tmp_path):
    packet = imaging.xmp(XMP_SPELLINGS["exif-element"], "utf-16-le")
    segment = imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + packet)
    found_and_stripped(write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), segment)))


def test_extended_xmp_is_reassembled_before_searching(tmp_path):
    """'GPSLatitude' cut in two across extended-XMP pieces, stored last piece first."""
    full = imaging.xmp('<rdf:Description exif:GPSLatitude="21,1.5N"/>')
    cut = full.index(b"GPSLat") + 6
    guid = b"0123456789ABCDEF0123456789ABCDEF"
    main = imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + imaging.xmp(
        f'<rdf:Description xmpNote:HasExtendedXMP="{guid.decode()}"/>'))
    pieces = [imaging.xmp_extension(guid, full, cut, len(full)), imaging.xmp_extension(guid, full, 0, cut)]
    data = found_and_stripped(write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), main, *pieces)))
    assert imaging.XMP_EXTENSION_HEADER not in data and imaging.XMP_HEADER in data  # the main packet had no location


@pytest.mark.parametrize("marker, payload", [
    (0xE5, b"XMP\x00" + imaging.GPS_XMP),  # an XMP header ExifTool also reads
    (0xEB, b'JP\x00\x01{"exif:GPSLatitude": "21,1.5N"}'),  # C2PA's JSON in a JUMBF box
    (0xE2, b"Exif\x00\x00" + GPS_TIFF),  # EXIF in the wrong segment
    (0xE0, b"LOC\x00+21.0285+105.8542/"),  # ISO 6709
], ids=["app5-xmp", "app11-c2pa", "app2-exif", "app0-iso6709"])
def test_location_in_any_application_segment_is_found(tmp_path, marker, payload):
    segment = imaging.jpeg_segment(marker, payload)
    data = found_and_stripped(write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), segment)))
    assert payload not in data


def test_location_in_a_segment_between_progressive_scans_is_found(tmp_path):
    progressive = imaging.encode(imaging.picture((64, 48)), "JPEG", quality=90, progressive=True)
    second_scan = progressive.index(b"\xff\xda", progressive.index(b"\xff\xda") + 2)
    segment = imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + imaging.GPS_XMP)
    path = write(tmp_path, "a.jpg", progressive[:second_scan] + segment + progressive[second_scan:])
    before = pixels(path)
    assert photofile.inspect(path).gps
    assert photofile.strip_gps(path) and not photofile.inspect(path).gps
    assert path.read_bytes() == progressive and pixels(path) == before


# --- Comments and what follows the image ---------------------------------------------------

@pytest.mark.parametrize("comment", ["nhà bà Hạnh: 21.028511, 105.804817", "21.02851° N, 105.80482° E",
                                     "21°01'42.6\"N 105°48'17.3\"E"])
def test_coordinates_typed_into_a_comment_are_found(tmp_path, comment):
    segment = imaging.jpeg_segment(0xFE, comment.encode())
    assert b"\xff\xfe" not in found_and_stripped(
        write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), segment)))


def test_comment_without_coordinates_is_kept(tmp_path):
    segment = imaging.jpeg_segment(0xFE, "Lễ trao giải 2024, ảnh 3.5 MB, bản 1.0".encode())
    left_alone(write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), segment)))


def test_picture_appended_after_the_image_is_searched_and_cut(tmp_path):
    primary = imaging.plain_jpeg()
    path = write(tmp_path, "a.jpg", primary + imaging.jpeg((32, 24), gps=True))
    assert found_and_stripped(path) == primary


def test_multi_picture_file_is_inspected_and_stripped(tmp_path):
    """Pillow opens a JPEG with a multi-picture index as 'MPO'; its second picture is after the first's end."""
    buf = io.BytesIO()
    imaging.picture((64, 48)).save(buf, "MPO", save_all=True, append_images=[imaging.picture((64, 48), seed=3)],
                                   exif=imaging.exif_block(6, gps=True))
    path = write(tmp_path, "a.jpg", buf.getvalue())
    info = photofile.inspect(path)
    assert (info.format, info.gps) == ("JPEG", True)
    data = found_and_stripped(path)
    assert b"MPF\x00" not in data and data.count(b"\xff\xd8") == 1  # index and second picture went together
    with Image.open(path) as im:
        assert im.getexif().get(imaging.ORIENTATION) == 6


# --- 1d. PNG text chunks, eXIf, and after IEND ----------------------------------------------

PNG_CARRIERS = {
    "ztxt-raw-xmp": imaging.ztxt(b"Raw profile type xmp", imaging.raw_profile("xmp", imaging.GPS_XMP)),
    "itxt-raw-exif": imaging.itxt(b"Raw profile type exif", imaging.raw_profile("exif", b"Exif\x00\x00" + GPS_TIFF)),
    "text-raw-app1": imaging.png_chunk(b"tEXt", b"Raw profile type APP1\x00"
                                       + imaging.raw_profile("APP1", b"Exif\x00\x00" + GPS_TIFF)),
    "text-raw-upper-xmp": imaging.png_chunk(b"tEXt", b"raw profile type XMP\x00"
                                            + imaging.raw_profile("XMP", imaging.GPS_XMP)),
    "ztxt-raw-8bim": imaging.ztxt(b"Raw profile type 8bim",
                                  imaging.raw_profile("8bim", imaging.photoshop_irb((0x0422, GPS_TIFF))[14:])),
    "itxt-xmp-dji": imaging.itxt(b"XML:com.adobe.xmp", imaging.xmp(XMP_SPELLINGS["dji-attributes"]), compressed=False),
    "exif-with-header": imaging.png_chunk(b"eXIf", b"Exif\x00\x00" + GPS_TIFF),
    "text-comment": imaging.png_chunk(b"tEXt", "Comment\x00chụp ở 21°01'42.6\"N".encode("latin-1", "replace")),
}


@pytest.mark.parametrize("carrier", PNG_CARRIERS, ids=list(PNG_CARRIERS))
@pytest.mark.parametrize("where", [b"IDAT", b"IEND"], ids=["before-pixels", "after-pixels"])
def test_png_location_in_text_and_exif_chunks_is_found(tmp_path, carrier, where):
    png = imaging.encode(imaging.picture((64, 48)), "PNG")
    path = write(tmp_path, "a.png", imaging.with_png_chunks(png, PNG_CARRIERS[carrier], before=where))
    found_and_stripped(path)


def test_png_raw_exif_profile_becomes_a_clean_exif_chunk(tmp_path):
    png = imaging.encode(imaging.picture((64, 48)), "PNG")
    path = write(tmp_path, "a.png", imaging.with_png_chunks(png, PNG_CARRIERS["itxt-raw-exif"]))
    data = found_and_stripped(path)
    assert b"Raw profile" not in data and b"eXIf" in data
    with Image.open(path) as im:
        assert im.getexif().get(imaging.ORIENTATION) == 6


def test_png_bytes_after_iend_are_searched(tmp_path):
    png = imaging.encode(imaging.picture((64, 48)), "PNG")
    path = write(tmp_path, "a.png", png + b"Exif\x00\x00" + GPS_TIFF)
    assert found_and_stripped(path) == png


# --- WebP chunks ---------------------------------------------------------------------------

@pytest.mark.parametrize("header", [b"Exif\x00\xff", b"Exif\x00\x00", b"Exif\x00", b""],
                         ids=["odd", "jpeg-style", "one-nul", "bare"])
def test_webp_exif_behind_any_header_is_found_and_rewritten(tmp_path, header):
    chunk = imaging.riff_chunk(b"EXIF", header + GPS_TIFF)
    path = write(tmp_path, "a.webp", imaging.with_webp_chunks(imaging.extended_webp(), chunk))
    found_and_stripped(path)
    with Image.open(path) as im:
        assert im.getexif().get(imaging.ORIENTATION) == 6


@pytest.mark.parametrize("chunk", [imaging.riff_chunk(b"XMP ", imaging.xmp(XMP_SPELLINGS["dji-attributes"])),
                                   imaging.riff_chunk(b"EXIF", b"Exif\x00\x00" + b"\x00" * 16 + GPS_TIFF),
                                   imaging.riff_chunk(b"GPS ", b"Exif\x00\x00" + GPS_TIFF)],
                         ids=["xmp", "exif-too-far-in", "unknown"])
def test_webp_location_in_any_chunk_is_found(tmp_path, chunk):
    path = write(tmp_path, "a.webp", imaging.with_webp_chunks(imaging.extended_webp(), chunk))
    data = found_and_stripped(path)
    assert data[20] & 0x0C == 0  # the VP8X flags of a dropped EXIF or XMP chunk are cleared
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8


def test_webp_chunk_running_past_its_container_is_dropped_with_a_true_size(tmp_path):
    webp = imaging.with_webp_chunks(imaging.extended_webp(), imaging.riff_chunk(b"XMP ", imaging.GPS_XMP))
    xmp_at = webp.index(b"XMP ")
    cut = bytearray(webp)
    cut[4:8] = struct.pack("<I", xmp_at + 20 - 8)  # the container ends inside the XMP chunk
    path = write(tmp_path, "a.webp", bytes(cut))  # libwebp refuses to open it; strip_gps can still mend it
    assert photofile.strip_gps(path)
    expected = bytearray(webp[:xmp_at])
    expected[4:8], expected[20] = struct.pack("<I", xmp_at - 8), expected[20] & ~0x04  # true size, no XMP flag
    assert path.read_bytes() == expected
    assert not photofile.inspect(path).gps


def test_webp_bytes_after_the_riff_container_are_searched(tmp_path):
    webp = imaging.extended_webp()
    path = write(tmp_path, "a.webp", webp + imaging.GPS_XMP)
    assert found_and_stripped(path) == webp


def test_strip_gps_checks_its_own_output_before_replacing_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(photofile, "_clean_exif", lambda tiff, budget: tiff)  # a cleaning that misses the GPS
    path = write(tmp_path, "a.jpg", imaging.jpeg((64, 48), orientation=6, gps=True))
    before = path.read_bytes()
    with pytest.raises(photofile.PhotoError, match="không xoá được hết toạ độ GPS"):
        photofile.strip_gps(path)
    assert path.read_bytes() == before and not (tmp_path / "a.jpg.tmp").exists()


# --- 2. Bounded memory and work -----------------------------------------------------------

def text_bomb_png(chunks: int, each: int, kind: str, where: bytes = b"IEND") -> bytes:
    """A small PNG whose compressed chunks (after the pixels, by default) inflate to `chunks` × `each` bytes."""
    text = b"<x:xmpmeta>" + b" " * each
    make = {"ztxt": lambda: imaging.ztxt(b"Comment", text),
            "itxt-xmp": lambda: imaging.itxt(b"XML:com.adobe.xmp", text),
            "iccp": lambda: imaging.png_chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(text, 9))}[kind]
    one = make()
    png = imaging.encode(imaging.picture((64, 48)), "PNG")
    return imaging.with_png_chunks(png, *[one] * chunks, before=where)


@pytest.mark.parametrize("chunks, kind, where", [(100, "ztxt", b"IEND"), (100, "itxt-xmp", b"IEND"),
                                                 (100, "iccp", b"IEND"), (1, "ztxt", b"IEND"),
                                                 (100, "ztxt", b"IDAT")],
                         ids=["many-ztxt", "many-itxt", "many-iccp", "one-huge", "before-pixels"])
def test_compressed_metadata_bomb_is_refused_within_a_memory_bound(tmp_path, chunks, kind, where):
    """Each chunk inflates to just under a megabyte (or one to 200 MB): the file is refused once the
    whole file's metadata passes the budget, before Pillow reads any of it, and inspecting it never
    holds more than 64 MB."""
    each = 1_000_000 if chunks > 1 else 200_000_000
    path = write(tmp_path, "bomb.png", text_bomb_png(chunks, each, kind, where))
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(photofile.PhotoError, match="giải nén ra hơn 8 MB"):
            photofile.inspect(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MB"
    with pytest.raises(photofile.PhotoError, match="giải nén ra hơn 8 MB"):
        photofile.strip_gps(path)


def test_many_tiff_headers_are_refused_not_parsed_forever(tmp_path):
    comment = imaging.jpeg_segment(0xFE, b"MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00" * 4000)
    path = write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), comment))
    with pytest.raises(photofile.PhotoError, match="khối EXIF lồng nhau"):
        photofile.inspect(path)


def test_many_tiny_segments_are_refused(tmp_path):
    path = write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(), b"\xff\xfe\x00\x02" * 100_001))
    with pytest.raises(photofile.PhotoError, match="nghìn khối dữ liệu"):
        photofile.inspect(path)


# --- 3. Malformed metadata: PhotoError, never a traceback ---------------------------------

def test_odd_exif_gives_no_english_warning(tmp_path):
    """Pillow warns in English about EXIF tags pointing past their block; editors read only Vietnamese."""
    tiff = (b"MM\x00*\x00\x00\x00\x08" + struct.pack(">H", 1) + struct.pack(">HHII", MAKE, 2, 100, 0xFFFF)
            + b"\x00" * 4)
    path = write(tmp_path, "a.jpg", imaging.with_segments(imaging.plain_jpeg(),
                                                          imaging.jpeg_segment(0xE1, b"Exif\x00\x00" + tiff)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert not photofile.inspect(path).gps
    assert [str(w.message) for w in caught] == []


def test_unreadable_exif_directories_refuse_the_file_until_stripped(tmp_path):
    looping = b"MM\x00*\x00\x00\x00\x08" + struct.pack(">HHHII", 1, 0x8769, 4, 1, 8) + b"\x00" * 4
    huge = b"MM\x00*\x00\x00\x00\x08\xff\xff" + b"\x00" * 64
    for name, tiff in (("loop", looping), ("huge", huge)):
        path = write(tmp_path, f"{name}.jpg", imaging.with_segments(
            imaging.plain_jpeg(), imaging.jpeg_segment(0xE1, b"Exif\x00\x00" + tiff)))
        if name == "huge":
            with pytest.raises(photofile.PhotoError, match="sovang photos --strip-gps"):
                photofile.inspect(path)
            assert photofile.strip_gps(path)
        assert not photofile.inspect(path).gps


def test_corrupt_compressed_text_refuses_the_file_until_stripped(tmp_path):
    png = imaging.encode(imaging.picture((64, 48)), "PNG")
    broken = imaging.png_chunk(b"zTXt", b"XML:com.adobe.xmp\x00\x00" + zlib.compress(imaging.GPS_XMP)[:-30] + b"junk")
    path = write(tmp_path, "a.png", imaging.with_png_chunks(png, broken, before=b"IEND"))
    with pytest.raises(photofile.PhotoError, match="sovang photos --strip-gps"):
        photofile.inspect(path)
    assert photofile.strip_gps(path)
    assert not photofile.inspect(path).gps and path.read_bytes() == png


@pytest.mark.parametrize("data", [
    b"\xff\xd8\xff\xe1\x00\x00",  # segment length 0
    b"\xff\xd8\xff\xe1\x00\x01" + b"\x00" * 8,  # segment length 1
    b"\xff\xd8\xff\xe1\xff\xff" + b"Exif\x00\x00MM",  # segment longer than the file
    b"\xff\xd8\xff",  # a marker with no code
    imaging.bomb_png(64, 48)[:40] + struct.pack(">I", 2**31) + b"tEXt",  # chunk longer than the file
    b"RIFF\xff\xff\xff\xffWEBPVP8X\x0a\x00",  # truncated RIFF header
], ids=["len0", "len1", "jpeg-too-long", "bare-marker", "png-too-long", "webp-cut"])
def test_truncated_structures_raise_only_photo_error(tmp_path, data):
    path = write(tmp_path, "a.bin", data)
    with pytest.raises(photofile.PhotoError):
        photofile.inspect(path)
    try:
        photofile.strip_gps(path)
    except photofile.PhotoError:
        pass


def hostile_files() -> dict[str, bytes]:
    png = imaging.encode(imaging.picture((32, 24)), "PNG")
    return {
        "jpeg": imaging.with_segments(imaging.jpeg((32, 24), orientation=6, gps=True),
                                      imaging.jpeg_segment(0xED, imaging.photoshop_irb((0x0422, GPS_TIFF))),
                                      imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + imaging.GPS_XMP)),
        "jpeg-hand-tiff": imaging.with_segments(imaging.plain_jpeg((32, 24)), imaging.jpeg_segment(
            0xE1, b"Exif\x00\x00" + imaging.hand_tiff("exif", thumbnail=imaging.plain_jpeg((8, 8))))),
        "png": imaging.with_png_chunks(png, PNG_CARRIERS["itxt-raw-exif"], PNG_CARRIERS["ztxt-raw-xmp"],
                                       imaging.png_chunk(b"eXIf", GPS_TIFF)),
        "webp": imaging.with_webp_chunks(imaging.extended_webp((32, 24)),
                                         imaging.riff_chunk(b"XMP ", imaging.GPS_XMP),
                                         imaging.riff_chunk(b"EXIF", GPS_TIFF)),
    }


@pytest.mark.parametrize("name", ["jpeg", "jpeg-hand-tiff", "png", "webp"])
def test_mutated_files_raise_only_photo_error(tmp_path, name):
    """Cut short anywhere, or with bytes of the metadata overwritten: inspect and strip_gps either
    work or raise PhotoError, and after a successful strip no location is left."""
    original = hostile_files()[name]
    rng = random.Random(name)
    mutants = [original[:n] for n in range(0, min(len(original), 1200), 7)]
    for _ in range(200):
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(min(len(data), 1200))] = rng.choice((0, 1, 0x2A, 0x88, 0xFF, rng.randrange(256)))
        mutants.append(bytes(data))
    path = tmp_path / "m.bin"
    for data in mutants:
        path.write_bytes(data)
        try:
            photofile.inspect(path)
        except photofile.PhotoError:
            pass
        try:
            stripped = photofile.strip_gps(path)
        except photofile.PhotoError:
            continue
        if stripped:
            try:
                assert not photofile.inspect(path).gps, data
            except photofile.PhotoError:
                pass  # what is left may not be a decodable picture; it carries no location
