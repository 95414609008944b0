"""Untrusted photo files: recognise, open safely, find GPS, strip GPS.

Photos arrive from pull requests. Pillow decodes dozens of formats, some with
recurring CVEs, and keeps GPS coordinates in EXIF unless told otherwise, so:

- only JPEG, PNG and WebP are accepted, recognised by their first bytes
  (never by the file name), and Pillow is told to try only that one plugin;
- the file size and the pixel count are capped before anything is decoded,
  and Pillow's decompression-bomb warning is an error;
- EXIF and XMP are found by walking the container (JPEG segments, PNG
  chunks, RIFF chunks) without decoding pixels, so checking a 48-megapixel
  photo for GPS costs a few hundred microseconds;
- `strip_gps` rewrites only those metadata blocks and copies the compressed
  pixels byte for byte: no re-encoding, no quality loss.
"""

from __future__ import annotations

import mmap
import struct
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

MAX_BYTES = 30 * 1024 * 1024  # a 48 MP phone JPEG is 12–20 MB
MAX_PIXELS = 60_000_000  # 48 MP phones (8000×6000) pass; a declared 30,000² bomb does not
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}  # Pillow name → editors' name

# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; we turn the
# warning into an error too (see `opened`), so our cap is the only threshold.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_MAKER_NOTE = 0x927C
_XMP_GPS = (b"GPSLatitude", b"GPSLongitude")
_JPEG_EXIF = b"Exif\x00\x00"
_JPEG_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_JPEG_XMP_EXT = b"http://ns.adobe.com/xmp/extension/\x00"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_TEXT = 1 << 20  # bound on decompressed PNG text chunks (zip bombs)


class PhotoError(Exception):
    """A photo we refuse; the message is Vietnamese, for editors."""


@dataclass(frozen=True)
class PhotoInfo:
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int
    height: int
    gps: bool  # EXIF or XMP carries a location


def sniff(head: bytes) -> str | None:
    """The format from the first 12 bytes, or None for anything we do not accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(_PNG_SIGNATURE):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def describe(head: bytes) -> str:
    """What an unaccepted file really is, in editors' words, when we can tell."""
    known = [(b"GIF8", "GIF"), (b"<svg", "SVG"), (b"<?xml", "SVG/XML"), (b"%PDF", "PDF"), (b"BM", "BMP"),
             (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF")]
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "HEIC (ảnh iPhone)"
    stripped = head.lstrip()
    return next((name for magic, name in known if stripped.startswith(magic)), "không xác định")


def check_file(path: Path) -> str:
    """The format of an acceptable photo file, from its size and first bytes; or PhotoError."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PhotoError(f"tệp ảnh nặng {size / 1048576:.1f} MB, vượt giới hạn {MAX_BYTES // 1048576} MB; "
                         "hãy giảm kích thước ảnh (ví dụ xuất lại ở cạnh dài 4000 điểm ảnh)")
    with open(path, "rb") as f:
        head = f.read(12)
    fmt = sniff(head)
    if fmt is None:
        raise PhotoError(f"tệp không phải ảnh JPEG, PNG hay WebP (nội dung thực tế: {describe(head)}); "
                         "đổi đuôi tệp không đổi được định dạng, hãy xuất lại ảnh sang JPEG")
    return fmt


@contextmanager
def opened(path: Path):
    """Open a photo with Pillow restricted to its real format; pixels are not decoded yet."""
    fmt = check_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path, formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_too_many_pixels()) from None
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise PhotoError(f"không đọc được tệp ảnh {FORMATS[fmt]} (tệp hỏng hoặc tải lên chưa hết): {exc}") from None
    with im:
        if im.width * im.height > MAX_PIXELS or min(im.size) < 1:
            raise PhotoError(_too_many_pixels(im.size))
        yield im


def _too_many_pixels(size: tuple[int, int] | None = None) -> str:
    dims = f" ({size[0]}×{size[1]} điểm ảnh)" if size else ""
    return (f"ảnh quá lớn{dims}: tối đa {MAX_PIXELS // 1_000_000} triệu điểm ảnh; "
            "hãy thu nhỏ ảnh trước khi tải lên")


def inspect(path: Path) -> PhotoInfo:
    """Format, size and GPS presence, without decoding pixels. Raises PhotoError."""
    with opened(path) as im:
        fmt, (width, height) = im.format, im.size
    # mmap: walking the metadata touches only the pages it reads, not the pixel data.
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        exif, xmp = metadata(fmt, data)
    return PhotoInfo(fmt, width, height, _exif_has_gps(exif) or any(_xmp_has_gps(x) for x in xmp))


# --- Metadata blocks in the three containers ---------------------------------------------

@dataclass(frozen=True)
class _Block:
    start: int  # byte span of the whole segment/chunk in the file
    end: int
    kind: str  # "exif", "xmp" or "other"
    payload: bytes


def metadata(fmt: str, data: bytes) -> tuple[list[bytes], list[bytes]]:
    """(EXIF payloads, XMP payloads) found in the file."""
    blocks = _blocks(fmt, data)
    return [b.payload for b in blocks if b.kind == "exif"], [b.payload for b in blocks if b.kind == "xmp"]


def _blocks(fmt: str, data: bytes) -> list[_Block]:
    try:
        return {"JPEG": _jpeg_blocks, "PNG": _png_blocks, "WEBP": _webp_blocks}[fmt](data)
    except (IndexError, struct.error, zlib.error) as exc:
        raise PhotoError(f"cấu trúc tệp ảnh bị hỏng: {exc}") from None


def _jpeg_blocks(data: bytes) -> list[_Block]:
    blocks, i = [], 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise PhotoError("cấu trúc tệp JPEG bị hỏng")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            i += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan: compressed pixels follow
            break
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        payload = data[i + 4:i + 2 + length]
        kind = "other"
        if marker == 0xE1 and payload.startswith(_JPEG_EXIF):
            kind, payload = "exif", payload[len(_JPEG_EXIF):]
        elif marker == 0xE1 and payload.startswith((_JPEG_XMP, _JPEG_XMP_EXT)):
            kind = "xmp"
        blocks.append(_Block(i, i + 2 + length, kind, payload))
        i += 2 + length
    return blocks


def _png_blocks(data: bytes) -> list[_Block]:
    blocks, i = [], len(_PNG_SIGNATURE)
    while i + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[i:i + 8])
        payload = data[i + 8:i + 8 + length]
        kind = "other"
        if ctype == b"eXIf":
            kind = "exif"
        elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
            kind, payload = _png_text(ctype, payload)
        blocks.append(_Block(i, i + 12 + length, kind, payload))
        if ctype == b"IEND":
            break
        i += 12 + length
    return blocks


def _png_text(ctype: bytes, payload: bytes) -> tuple[str, bytes]:
    """PNG text chunks that carry EXIF (ImageMagick's hex 'Raw profile') or XMP."""
    keyword, _, rest = payload.partition(b"\x00")
    if ctype == b"zTXt":
        rest = _inflate(rest[1:])
    elif ctype == b"iTXt":
        compressed, rest = rest[:1] == b"\x01", rest[2:]
        rest = rest.split(b"\x00", 2)[-1]  # skip language tag and translated keyword
        rest = _inflate(rest) if compressed else rest
    key = keyword.lower()
    if key == b"xml:com.adobe.xmp":
        return "xmp", rest
    if key.startswith(b"raw profile type") and (b"exif" in key or b"app1" in key):
        hexdigits = b"".join(rest.split(b"\n")[3:])
        try:
            return "exif", bytes.fromhex(hexdigits.decode("ascii", "replace"))
        except ValueError:
            raise PhotoError("dữ liệu EXIF trong tệp PNG bị hỏng") from None
    return "other", payload


def _inflate(data: bytes) -> bytes:
    d = zlib.decompressobj()
    out = d.decompress(data, _MAX_TEXT)
    if d.unconsumed_tail:
        raise PhotoError("khối văn bản trong tệp PNG quá lớn")
    return out


def _webp_blocks(data: bytes) -> list[_Block]:
    blocks, i = [], 12
    while i + 8 <= len(data):
        fourcc, length = struct.unpack("<4sI", data[i:i + 8])
        payload = data[i + 8:i + 8 + length]
        kind = {b"EXIF": "exif", b"XMP ": "xmp"}.get(fourcc, "other")
        if kind == "exif" and payload.startswith(_JPEG_EXIF):
            payload = payload[len(_JPEG_EXIF):]
        end = i + 8 + length + (length & 1)
        blocks.append(_Block(i, end, kind, payload))
        i = end
    return blocks


def _load_exif(payload: bytes) -> Image.Exif:
    exif = Image.Exif()
    try:
        exif.load(payload)
        exif.get_ifd(_GPS_IFD)
        exif.get_ifd(_EXIF_IFD)
    except Exception:  # noqa: BLE001 - any parser failure on untrusted bytes means "cannot vouch for it"
        raise PhotoError("dữ liệu EXIF của ảnh bị hỏng nên không kiểm tra được toạ độ GPS; "
                         "chạy 'sovang photos --strip-gps' để xoá khối EXIF này") from None
    return exif


def _exif_has_gps(payloads: list[bytes]) -> bool:
    # A GPS directory holding only its version number locates nobody.
    return any(set(_load_exif(p).get_ifd(_GPS_IFD)) - {0} for p in payloads)


def _xmp_has_gps(payload: bytes) -> bool:
    return any(tag in payload for tag in _XMP_GPS)


# --- Removing GPS in place, losslessly -------------------------------------------------

def strip_gps(path: Path) -> bool:
    """Rewrite `path` without GPS (EXIF GPS directory, maker notes, XMP with a location).

    Compressed pixel data is copied unchanged. The file is replaced atomically.
    Returns whether anything was removed.
    """
    fmt = check_file(path)
    data = path.read_bytes()
    out = bytearray()
    pos, changed = 0, False
    for block in _blocks(fmt, data):
        replacement = _clean_block(fmt, block)
        if replacement is None:
            continue
        out += data[pos:block.start] + replacement
        pos, changed = block.end, True
    if not changed:
        return False
    out += data[pos:]
    if fmt == "WEBP":
        out = _fix_riff(out)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(bytes(out))
    tmp.replace(path)
    return True


def _clean_block(fmt: str, block: _Block) -> bytes | None:
    """The block's new bytes, b"" to drop it, or None to keep it as it is."""
    if block.kind == "xmp":
        return b"" if _xmp_has_gps(block.payload) else None
    if block.kind != "exif":
        return None
    try:
        exif = _load_exif(block.payload)
    except PhotoError:
        return b""  # unreadable EXIF: drop it whole rather than keep an unknown location
    if not set(exif.get_ifd(_GPS_IFD)) - {0}:
        return None
    del exif[_GPS_IFD]
    exif.get_ifd(_EXIF_IFD).pop(_MAKER_NOTE, None)  # vendors copy the location into maker notes
    tiff = exif.tobytes()
    if fmt == "JPEG":
        body = _JPEG_EXIF + tiff
        return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body if len(body) <= 65533 else b""
    if fmt == "PNG":  # a hex 'Raw profile' text chunk becomes a standard eXIf chunk
        return struct.pack(">I", len(tiff)) + b"eXIf" + tiff + struct.pack(">I", zlib.crc32(b"eXIf" + tiff))
    return b"EXIF" + struct.pack("<I", len(tiff)) + tiff + (b"\x00" if len(tiff) & 1 else b"")


def _fix_riff(data: bytearray) -> bytearray:
    """Update the RIFF size, and the VP8X flags when an XMP chunk was dropped."""
    data[4:8] = struct.pack("<I", len(data) - 8)
    if data[12:16] == b"VP8X" and b"XMP " not in _chunk_names(data):
        data[20] &= ~0x04 & 0xFF
    return data


def _chunk_names(data: bytes) -> set[bytes]:
    return {bytes(data[b.start:b.start + 4]) for b in _webp_blocks(bytes(data))}
