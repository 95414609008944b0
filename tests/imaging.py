"""Photos made by the tests themselves: real encoded files with the metadata phones add."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np

from PIL import Image, ImageCms, ImageDraw

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112


def picture(size=(640, 480), seed: int = 0) -> Image.Image:
    """A photo-like picture whose top-left quadrant is red, so orientation is testable."""
    w, h = size
    ramp = Image.linear_gradient("L")
    im = Image.merge("RGB", (Image.new("L", size, 30 + seed * 37 % 60), ramp.resize(size),
                             ramp.rotate(90).resize(size)))
    draw = ImageDraw.Draw(im)
    draw.rectangle([0, 0, w // 2, h // 2], fill=(220, 20, 20))
    return im


def photo_like(width: int, height: int, seed: int) -> Image.Image:
    """Smooth light, mid-scale shapes and sensor grain: encodes like a phone photo."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack([x / width * 140 + 60, y / height * 120 + 50, (x + y) / (width + height) * 100 + 70], -1)
    blobs = rng.normal(0, 40, (height // 40, width // 40, 3)).astype(np.float32)
    blobs = np.asarray(Image.fromarray(np.clip(blobs + 128, 0, 255).astype(np.uint8)).resize((width, height), Image.BICUBIC),
                       dtype=np.float32) - 128
    grain = rng.normal(0, 7, (height, width, 3)).astype(np.float32)
    return Image.fromarray(np.clip(base + blobs + grain, 0, 255).astype(np.uint8))


def exif_block(orientation: int | None = None, gps: bool = False) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone X"
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        ifd = exif.get_ifd(GPS_IFD)
        ifd.update({1: "N", 2: (21.0, 1.0, 30.5), 3: "E", 4: (105.0, 51.0, 12.25)})
    return exif.tobytes()


def encode(im: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def jpeg(size=(640, 480), orientation: int | None = None, gps: bool = False, seed: int = 0, **options) -> bytes:
    return encode(picture(size, seed), "JPEG", exif=exif_block(orientation, gps), quality=90, **options)


def png_with_icc_and_comment(size=(320, 240)) -> bytes:
    """An RGB PNG carrying a (non-sRGB) Adobe-like profile, a text comment and EXIF."""
    from PIL import PngImagePlugin

    profile = _wide_profile()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "chụp tại nhà riêng, số 12 ngõ 34")
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta><rdf:Description exif:GPSLatitude="21,1.5N"/></x:xmpmeta>')
    return encode(picture(size), "PNG", pnginfo=info, icc_profile=profile, exif=exif_block(orientation=3))


def _wide_profile() -> bytes:
    # Pillow cannot build an Adobe RGB profile; an sRGB profile with a different description
    # still exercises the conversion path and must not survive into the output.
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG file whose header declares a huge image."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


# --- Hostile metadata, built byte by byte ------------------------------------------------

def tiff_block(orientation: int | None = None, gps: bool = False, order: str = "MM") -> bytes:
    """A bare TIFF structure (what follows the 'Exif' header), big- or little-endian."""
    exif = Image.Exif()
    exif.load(exif_block(orientation, gps))
    exif.endian = "<" if order == "II" else ">"
    return exif.tobytes().removeprefix(b"Exif\x00\x00")


def hand_tiff(gps_in: str | None = None, thumbnail: bytes = b"", xml_packet: bytes = b"") -> bytes:
    """A big-endian TIFF built by hand, for what Pillow would not write: a GPS pointer in the Exif
    directory ("exif") or in IFD1 ("ifd1"), a thumbnail in IFD1, XMP inside EXIF (tag 0x02BC)."""
    gps = _ifd([(1, 2, 2, b"N\x00\x00\x00"), (3, 2, 2, b"E\x00\x00\x00")], 0)  # latitude and longitude refs
    # (tag, type, count, value); None: the offset of what the tag points to, filled in below.
    ifd0_entries = [(0x010F, 2, 4, b"Mak\x00"), (ORIENTATION, 3, 1, b"\x00\x06\x00\x00")]
    ifd0_entries += [(EXIF_IFD, 4, 1, None)]
    ifd0_entries += [(0x02BC, 7, len(xml_packet), None)] if xml_packet else []
    exif_entries = [(0x9000, 7, 4, b"0232")] + ([(GPS_IFD, 4, 1, None)] if gps_in == "exif" else [])
    ifd1_entries = [(0x0103, 3, 1, b"\x00\x06\x00\x00")]
    ifd1_entries += [(0x0201, 4, 1, None), (0x0202, 4, 1, struct.pack(">I", len(thumbnail)))] if thumbnail else []
    ifd1_entries += [(GPS_IFD, 4, 1, None)] if gps_in == "ifd1" else []
    layout, at = {}, 8  # after the header: IFD0, Exif, IFD1 (2 + 12·n + 4 bytes each), then their data
    for name, entries in (("ifd0", ifd0_entries), ("exif", exif_entries), ("ifd1", ifd1_entries)):
        layout[name], at = at, at + 2 + 12 * len(entries) + 4
    layout["gps"], at = at, at + len(gps)
    layout["thumbnail"], at = at, at + len(thumbnail)
    layout["xmp"] = at
    pointers = {EXIF_IFD: layout["exif"], GPS_IFD: layout["gps"], 0x0201: layout["thumbnail"],
                0x02BC: layout["xmp"]}

    def filled(entries):
        return [(t, k, n, v if v is not None else struct.pack(">I", pointers[t])) for t, k, n, v in entries]

    return (b"MM\x00*" + struct.pack(">I", 8) + _ifd(filled(ifd0_entries), layout["ifd1"])
            + _ifd(filled(exif_entries), 0) + _ifd(filled(ifd1_entries), 0) + gps + thumbnail + xml_packet)


def _ifd(entries: list[tuple[int, int, int, bytes]], following: int) -> bytes:
    table = b"".join(struct.pack(">HHI", tag, kind, n) + value for tag, kind, n, value in entries)
    return struct.pack(">H", len(entries)) + table + struct.pack(">I", following)


def xmp(description: str, encoding: str = "utf-8") -> bytes:
    """An XMP packet around one rdf:Description body."""
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{description}</rdf:RDF>'
            '</x:xmpmeta><?xpacket end="w"?>').encode(encoding)


GPS_XMP = xmp('<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
              'exif:GPSLatitude="21,1.5N" exif:GPSLongitude="105,51E"/>')
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXTENSION_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"


def plain_jpeg(size=(64, 48), seed: int = 0) -> bytes:
    """A JPEG with no metadata but the JFIF header."""
    return encode(picture(size, seed), "JPEG", quality=90)


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def with_segments(jpeg_bytes: bytes, *segments: bytes) -> bytes:
    """`jpeg_bytes` with `segments` inserted right after the start-of-image marker."""
    return jpeg_bytes[:2] + b"".join(segments) + jpeg_bytes[2:]


def xmp_extension(guid: bytes, full: bytes, offset: int, size: int) -> bytes:
    """One APP1 piece of extended XMP: `full[offset:offset + size]` with its header."""
    return jpeg_segment(0xE1, XMP_EXTENSION_HEADER + guid + struct.pack(">II", len(full), offset)
                        + full[offset:offset + size])


def photoshop_irb(*resources: tuple[int, bytes]) -> bytes:
    """An APP13 payload: 'Photoshop 3.0' then 8BIM resources (id, empty name, size, data, padding)."""
    body = b"".join(b"8BIM" + struct.pack(">H", rid) + b"\x00\x00" + struct.pack(">I", len(data)) + data
                    + b"\x00" * (len(data) & 1) for rid, data in resources)
    return b"Photoshop 3.0\x00" + body


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_png_chunks(png: bytes, *chunks: bytes, before: bytes = b"IDAT") -> bytes:
    """`png` with `chunks` inserted before its first `before` chunk."""
    at = png.index(before) - 4
    return png[:at] + b"".join(chunks) + png[at:]


def raw_profile(name: str, data: bytes) -> bytes:
    """ImageMagick's 'Raw profile type …' text: newline, name, padded length, hex in lines of 72."""
    hexed = data.hex()
    lines = "\n".join(hexed[i:i + 72] for i in range(0, len(hexed), 72))
    return f"\n{name}\n{len(data):8d}\n{lines}\n".encode("ascii")


def ztxt(keyword: bytes, text: bytes) -> bytes:
    return png_chunk(b"zTXt", keyword + b"\x00\x00" + zlib.compress(text, 9))


def itxt(keyword: bytes, text: bytes, compressed: bool = True) -> bytes:
    body = zlib.compress(text, 9) if compressed else text
    return png_chunk(b"iTXt", keyword + b"\x00" + bytes([compressed, 0]) + b"\x00\x00" + body)


def riff_chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) & 1)


def with_webp_chunks(webp: bytes, *chunks: bytes) -> bytes:
    """An extended (VP8X) `webp` with `chunks` appended inside its RIFF container, flagged as readers expect."""
    body = bytearray(webp[12:] + b"".join(chunks))
    for flag, name in ((0x08, b"EXIF"), (0x04, b"XMP ")):
        if any(c.startswith(name) for c in chunks):
            body[8] |= flag
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + bytes(body)


def extended_webp(size=(64, 48)) -> bytes:
    """A WebP in the extended (VP8X) layout, which may carry metadata chunks; it has only a colour profile."""
    return encode(picture(size), "WEBP", quality=80, icc_profile=_wide_profile())


GIF = encode(Image.new("P", (8, 8)), "GIF")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
