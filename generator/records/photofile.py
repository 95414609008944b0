"""Untrusted photo files: recognise, open safely, find locations, strip them.

Photos arrive from pull requests and their originals stay public in the repository, so a
location inside a file is published with it. Pillow decodes dozens of formats, some with
recurring CVEs, so:

- only JPEG, PNG and WebP are accepted, recognised by their first bytes (never by the
  file name), and Pillow is told to try only that one plugin;
- the file size and the pixel count are capped before anything is decoded, and
  Pillow's decompression-bomb warning is an error;
- locations are looked for by walking the container without decoding pixels: every
  JPEG segment before, between and after the scans, every PNG and RIFF chunk, and
  whatever follows the image; every block that is not pixel data is searched, whatever
  header it starts with. Finding the scans' end reads a JPEG whole, at regular-expression
  speed: about 10 ms for a 20 MB photo;
- compressed metadata is inflated against one budget for the whole file, and the work
  spent on directories and blocks is capped, so a small file cannot ask for gigabytes;
- `strip_gps` rewrites or drops only the blocks that carry a location, copies the
  compressed pixels byte for byte (no re-encoding, no quality loss), and checks its own
  output before replacing the file.

What counts as a location, in any block that is not pixel data:

- a TIFF structure (EXIF) wherever its header stands (`II*\\0` or `MM\\0*` with a first
  directory inside the block): behind any `Exif` header or none, in Photoshop's APP13
  (resource 0x0422), PNG eXIf or ImageMagick's hex "Raw profile" text, WebP EXIF, an EXIF
  thumbnail, a second picture appended after the image. Every directory a reader follows
  is walked; a GPS directory holding more than its version number is a location;
- the name of a latitude or longitude property in any namespace, as attribute or element,
  in UTF-8, 16 or 32: exif:GPSLatitude, drone-dji:GpsLatitude (and DJI's "Longtitude"),
  in XMP, extended XMP (reassembled), XMP inside EXIF or APP13, C2PA's JSON; and an
  ISO 6709 string (+21.0285+105.8542/), as video trailers of motion photos store it;
- in comments (JPEG COM, PNG text chunks), coordinates as people paste them:
  "21.028511, 105.804817" (four decimals or more) or 21°01'42.6"N.

A block that cannot be read (broken directories, corrupt compressed text) cannot be
vouched for: `inspect` refuses the file and `strip_gps` drops the block. Place names
(a city in IPTC, an address in a comment) are not coordinates and are left to reviewers.
"""

from __future__ import annotations

import mmap
import re
import struct
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

# GitHub's web upload ("Add file → Upload files") takes files up to 25 MiB, and most editors upload
# there; a 48 MP phone JPEG is 12–20 MB. A larger file could only come by git, and would be refused.
MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000  # 48 MP phones (8000×6000) pass; a declared 30,000² bomb does not
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}  # Pillow name → editors' name

# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; we turn the
# warning into an error too (see `opened`), so our cap is the only threshold.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_MAX_INFLATED = 8 * 1024 * 1024  # decompressed metadata per file; real text chunks and ICC profiles are kilobytes
_MAX_TIFFS = 256  # TIFF structures read per file; a photo has a handful (EXIF, thumbnail, MPF, maker note)
_MAX_IFDS = 64  # directories per TIFF structure
_MAX_ENTRIES = 4096  # directory entries per TIFF structure
_MAX_BLOCKS = 100_000  # segments and chunks walked per file

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_MAKER_NOTE = 0x927C
_XML_PACKET = 0x02BC  # XMP kept inside EXIF
_SUB_IFDS = (_EXIF_IFD, _GPS_IFD, 0xA005, 0x014A)  # Exif, GPS, interoperability, SubIFDs: what readers follow
_JPEG_XMP_EXT = b"http://ns.adobe.com/xmp/extension/\x00"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG frame, table and restart-interval segments: decoding data, never metadata.
_JPEG_STRUCTURE = frozenset(range(0xC0, 0xE0)) - {0xD8, 0xD9, 0xDA}
_WEBP_PIXELS = frozenset((b"VP8 ", b"VP8L", b"ALPH", b"ANMF", b"ANIM", b"VP8X"))
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")  # the first marker after entropy-coded data
_TIFF_MAGIC = re.compile(rb"II\*\x00|MM\x00\*")


def _any_width(word: bytes) -> bytes:
    # XMP may be UTF-8, UTF-16 or UTF-32: up to three NULs between the letters of a name.
    return rb"\x00{0,3}".join(re.escape(bytes([c])) for c in word)


_LOCATION_TEXT = re.compile(
    # The W3C "geo:" vocabulary (geo:lat, geo:long) besides every namespace's latitude/longitude.
    b"(?i)" + b"|".join(_any_width(w) for w in (b"latitude", b"longitude", b"longtitude", b"geo:lat", b"geo:long"))
    + rb"|[+-]\d\d\.\d{3,}[+-]\d{3}\.\d{3,}")  # ISO 6709
_DEGREE, _MINUTE, _SECOND = rb"(?:\xc2?\xb0|\s?deg)", rb"(?:'|\xe2\x80\xb2)", rb"(?:\"|''|\xe2\x80\xb3)"
_TEXT_COORDINATES = re.compile(
    # A decimal pair (point or Vietnamese comma, comma, semicolon or space between, N/E before or after)
    rb"(?<![\d.,])[NSns]?\s?[+-]?\d{1,2}[.,]\d{4,}\s*" + _DEGREE + rb"?\s*[NSns]?\s*[,; ]\s*[EWew]?\s?[+-]?\d{1,3}[.,]\d{4,}(?![\d])"
    # degrees and decimal minutes: 21°01.710'N
    rb"|\d{1,3}\s*" + _DEGREE + rb"\s*\d{1,2}[.,]\d{2,}\s*" + _MINUTE + rb"?\s*[NSns]"
    # a labelled latitude: "Lat 21.0285", {"lat":21.0285}, "vĩ độ 21,0285"
    rb"|(?i:\blat(?:itude)?|v\xc4\xa9 \xc4\x91\xe1\xbb\x99)\W{0,4}[+-]?\d{1,2}[.,]\d{3,}"
    rb"|\d{1,3}\s*" + _DEGREE + rb"\s*\d{1,2}\s*" + _MINUTE + rb"\s*\d{1,2}(?:[.,]\d+)?\s*" + _SECOND + rb"?\s*[NSns]")


_MAX_SCANS = 100  # progressive JPEGs from cameras and editors have about 10


class PhotoError(Exception):
    """A photo we refuse; the message is Vietnamese, for editors."""


@dataclass(frozen=True)
class PhotoInfo:
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int
    height: int
    gps: bool  # some metadata block carries a location


def sniff(head: bytes) -> str | None:
    """The format from the first 12 bytes, or None for anything we do not accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(_PNG_SIGNATURE):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


# Extensions of picture files an editor may leave in a record folder, accepted or not.
_PICTURE_SUFFIXES = (".jpg", ".jpeg", ".jfif", ".jpe", ".png", ".webp", ".heic", ".heif", ".avif", ".gif", ".bmp",
                     ".tif", ".tiff", ".dng")


def looks_like_photo(name: str, head: bytes) -> bool:
    """A picture by its first bytes or its name: a photo we accept, or one we would refuse (HEIC, GIF …)."""
    return (sniff(head) is not None or describe(head) != _UNKNOWN
            or name.lower().endswith(_PICTURE_SUFFIXES)) and not head.lstrip().startswith(b"%PDF")


def describe(head: bytes) -> str:
    """What an unaccepted file really is, in editors' words, when we can tell."""
    known = [(b"GIF8", "GIF"), (b"<svg", "SVG"), (b"<?xml", "SVG/XML"), (b"%PDF", "PDF"), (b"BM", "BMP"),
             (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF")]
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "HEIC (ảnh iPhone)"
    stripped = head.lstrip()
    return next((name for magic, name in known if stripped.startswith(magic)), _UNKNOWN)


_UNKNOWN = "không xác định"


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
            warnings.simplefilter("ignore", UserWarning)  # Pillow's English notes on odd EXIF; editors read Vietnamese
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path, formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_too_many_pixels()) from None
    except (OSError, SyntaxError, ValueError, struct.error):
        # Pillow's English message names the build machine's path: neither belongs in a public log.
        raise PhotoError(f"không đọc được tệp ảnh {FORMATS[fmt]} (tệp hỏng hoặc tải lên chưa hết)") from None
    with im:
        if im.width * im.height > MAX_PIXELS or min(im.size) < 1:
            raise PhotoError(_too_many_pixels(im.size))
        yield im


def _too_many_pixels(size: tuple[int, int] | None = None) -> str:
    dims = f" ({size[0]}×{size[1]} điểm ảnh)" if size else ""
    return (f"ảnh quá lớn{dims}: tối đa {MAX_PIXELS // 1_000_000} triệu điểm ảnh; "
            "hãy thu nhỏ ảnh trước khi tải lên")


def inspect(path: Path) -> PhotoInfo:
    """Format, size and whether a location is in the metadata, without decoding pixels. Raises PhotoError."""
    fmt = check_file(path)
    # Metadata first, so Pillow never meets a text-chunk bomb. mmap: the walk holds no copy of
    # the pixel data, and skips the pages of PNG and WebP pixel chunks altogether.
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        budget = _Budget()
        found = _located(fmt, data, budget)
    if found is None:
        raise PhotoError(_UNREADABLE)
    if not budget.whole:
        raise PhotoError(_cut_short(fmt))
    with opened(path) as im:
        width, height = im.size
        if fmt == "PNG":
            _verify(im, fmt)
    return PhotoInfo(fmt, width, height, found)


def _cut_short(fmt: str) -> str:
    return (f"tệp ảnh {FORMATS[fmt]} bị thiếu phần cuối (tải lên chưa hết, hoặc tệp bị hỏng khi chép); trang web không "
            "dựng được ảnh từ tệp này: hãy tải lại ảnh gốc lên, đợi đến khi tải xong rồi mới lưu (Commit changes)")


def _verify(im: Image.Image, fmt: str) -> None:
    """Pillow's own check of the whole file (PNG: every chunk's CRC and the end chunk), without decoding pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im.verify()
    except (OSError, SyntaxError, ValueError, struct.error, zlib.error):
        raise PhotoError(f"tệp ảnh {FORMATS[fmt]} bị hỏng: một phần dữ liệu không khớp mã kiểm tra của nó (tải lên chưa "
                         "hết, hoặc tệp hỏng khi chép); hãy tải lại ảnh gốc lên") from None


_UNREADABLE = ("một khối siêu dữ liệu của ảnh (EXIF, XMP hoặc văn bản kèm ảnh) bị hỏng nên không kiểm tra được "
               "toạ độ GPS; chạy 'sovang photos --strip-gps' để xoá khối này (điểm ảnh giữ nguyên)")
_REEXPORT = "hãy mở ảnh bằng trình sửa ảnh và xuất lại sang JPEG mới không kèm siêu dữ liệu (metadata)"


def _broken(fmt: str) -> str:
    return f"cấu trúc tệp {FORMATS[fmt]} bị hỏng (tệp hỏng hoặc tải lên chưa hết); {_REEXPORT}"


# --- Metadata blocks in the three containers ---------------------------------------------

@dataclass(frozen=True)
class _Block:
    spans: tuple[tuple[int, int], ...]  # bytes of the file it occupies: several for extended XMP, MPF + trailer
    kind: str  # "exif" (a TIFF structure we can rewrite), "comment", "meta", or "broken" (cannot be read)
    payload: bytes  # decoded: the TIFF structure for "exif", inflated text, or the raw bytes


class _Budget:
    """What one file may cost us to read, however its metadata is crafted."""

    def __init__(self) -> None:
        self.inflated = self.tiffs = self.blocks = 0
        # The walk reached the container's end (JPEG's EOI marker, PNG's IEND chunk, the RIFF size of
        # WebP): a file uploaded halfway passes every other check, and fails only when the build decodes it.
        self.whole = False

    def step(self) -> None:
        self.blocks += 1
        if self.blocks > _MAX_BLOCKS:
            raise PhotoError(f"tệp ảnh có hơn {_MAX_BLOCKS // 1000} nghìn khối dữ liệu, không phải ảnh chụp "
                             f"bình thường; {_REEXPORT}")

    def tiff(self) -> None:
        self.tiffs += 1
        if self.tiffs > _MAX_TIFFS:
            raise PhotoError(f"ảnh chứa hơn {_MAX_TIFFS} khối EXIF lồng nhau, không phải ảnh chụp bình thường; "
                             f"{_REEXPORT}")

    def inflate(self, data: bytes) -> bytes | None:
        """`data` decompressed, or None when it is corrupt; PhotoError past the file's budget."""
        left = _MAX_INFLATED - self.inflated
        try:
            out = zlib.decompressobj().decompress(data, left + 1)  # max_length: never more than the budget
        except zlib.error:
            return None
        self.inflated += len(out)
        if self.inflated > _MAX_INFLATED:
            raise PhotoError(f"siêu dữ liệu nén trong ảnh (khối văn bản, hồ sơ màu) giải nén ra hơn "
                             f"{_MAX_INFLATED // 1048576} MB, quá nhiều với một ảnh chụp (có thể là tệp cố ý làm "
                             f"tràn bộ nhớ); {_REEXPORT}")
        return out


def _blocks(fmt: str, data: bytes, budget: _Budget) -> list[_Block]:
    """Every block of the file that is not pixel data, decoded as far as a reader would."""
    walk = {"JPEG": _jpeg_blocks, "PNG": _png_blocks, "WEBP": _webp_blocks}[fmt]
    try:
        return walk(data, budget)
    except (IndexError, struct.error, ValueError):  # a length or offset pointing outside the file
        raise PhotoError(_broken(fmt)) from None


def _jpeg_blocks(data: bytes, budget: _Budget) -> list[_Block]:
    blocks, extended, mpf, scans = [], {}, [], 0
    i = 2
    while i + 1 < len(data):
        budget.step()
        if data[i] != 0xFF:
            raise PhotoError(_broken("JPEG"))
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            i += 2
            continue
        if marker == 0xD9:  # end of image: whatever follows is read too (appended pictures, videos)
            budget.whole = scans > 0
            if i + 2 < len(data):
                mpf_spans = tuple(span for span, _ in mpf)
                blocks.append(_Block(mpf_spans + ((i + 2, len(data)),), "meta",
                                     b"".join(p for _, p in mpf) + data[i + 2:]))
                mpf = []  # the multi-picture index describes that trailer: it goes with it
            break
        if i + 4 > len(data):
            break
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if length < 2:
            raise PhotoError(_broken("JPEG"))
        end = i + 2 + length
        if marker == 0xDA:  # start of scan: skip the entropy-coded pixels to the next marker
            scans += 1
            if scans > _MAX_SCANS:
                # libjpeg decodes every scan over the whole picture: 20,000 tiny scans in 2.5 MB
                # cost a minute of build time for one photo. Cameras write 1 to ~12.
                raise PhotoError(f"ảnh JPEG có hơn {_MAX_SCANS} lượt quét (scan), không phải ảnh chụp bình thường; "
                                 "hãy mở ảnh bằng phần mềm xem ảnh rồi lưu (xuất) lại thành JPEG")
            found = _SCAN_END.search(data, end)
            if found is None:
                break  # cut off inside the pixels: nothing more to read
            i = found.start()
            continue
        if marker not in _JPEG_STRUCTURE:
            _jpeg_segment(marker, (i, end), data[i + 4:end], blocks, extended, mpf)
        i = end
    blocks += [_Block((span,), "meta", payload) for span, payload in mpf]
    return blocks + [_joined(parts) for parts in extended.values()]


def _jpeg_segment(marker: int, span, payload: bytes, blocks: list, extended: dict, mpf: list) -> None:
    if marker == 0xE1 and (at := _tiff_start(payload)) is not None:
        blocks.append(_Block((span,), "exif", payload[at:]))
    elif marker == 0xE1 and payload.startswith(_JPEG_XMP_EXT) and len(payload) >= len(_JPEG_XMP_EXT) + 40:
        # Extended XMP comes in pieces (GUID, full length, offset, data); a name may be cut between two.
        head = len(_JPEG_XMP_EXT)
        guid, (offset,) = payload[head:head + 32], struct.unpack(">I", payload[head + 36:head + 40])
        extended.setdefault(guid, []).append((offset, span, payload[head + 40:]))
    elif marker == 0xE2 and payload.startswith(b"MPF\x00"):
        mpf.append((span, payload))
    else:
        blocks.append(_Block((span,), "comment" if marker == 0xFE else "meta", payload))


def _joined(parts: list) -> _Block:
    parts = sorted(parts, key=lambda part: part[0])
    return _Block(tuple(span for _, span, _ in parts), "meta", b"".join(piece for _, _, piece in parts))


def _png_blocks(data: bytes, budget: _Budget) -> list[_Block]:
    blocks, i = [], len(_PNG_SIGNATURE)
    while i + 8 <= len(data):
        budget.step()
        length, ctype = struct.unpack(">I4s", data[i:i + 8])
        end = i + 12 + length
        # Critical chunks (upper-case first letter) and frame data are the image itself.
        if ctype[0] & 0x20 and ctype != b"fdAT":
            blocks.append(_png_chunk(ctype, (i, end), data[i + 8:i + 8 + length], budget))
        if ctype == b"IEND":
            budget.whole = end <= len(data)
            if end < len(data):
                blocks.append(_Block(((end, len(data)),), "meta", data[end:]))
            break
        i = end
    return blocks


def _png_chunk(ctype: bytes, span, payload: bytes, budget: _Budget) -> _Block:
    if ctype == b"eXIf":
        return _tiff_block(span, payload)
    if ctype == b"iCCP":  # Pillow inflates the profile too: it counts against the budget before Pillow sees it
        profile = budget.inflate(payload.partition(b"\x00")[2][1:])
        return _Block((span,), "meta", profile) if profile is not None else _Block((span,), "broken", payload)
    if ctype not in (b"tEXt", b"zTXt", b"iTXt"):
        return _Block((span,), "meta", payload)
    keyword, text = _png_text(ctype, payload, budget)
    if text is None:
        return _Block((span,), "broken", payload)
    if keyword.lower().startswith(b"raw profile type"):  # ImageMagick: a header, then the profile in hex
        profile = _raw_profile(text)
        return _tiff_block(span, profile) if profile is not None else _Block((span,), "broken", payload)
    kind = "meta" if keyword == b"XML:com.adobe.xmp" else "comment"
    return _Block((span,), kind, keyword + b"\x00" + text)


def _png_text(ctype: bytes, payload: bytes, budget: _Budget) -> tuple[bytes, bytes | None]:
    """(keyword, text) of a text chunk; the text is None when it cannot be decompressed."""
    keyword, _, rest = payload.partition(b"\x00")
    if ctype == b"zTXt":
        return keyword, budget.inflate(rest[1:])
    if ctype == b"iTXt":
        compressed, text = rest[:1] == b"\x01", rest[2:].split(b"\x00", 2)[-1]  # after language and translation
        return keyword, budget.inflate(text) if compressed else text
    return keyword, rest


def _raw_profile(text: bytes) -> bytes | None:
    header = re.match(rb"\s*\S+\s+\d+\s", text)
    if header is None:
        return None
    try:
        return bytes.fromhex(re.sub(rb"\s+", b"", text[header.end():]).decode("ascii"))
    except ValueError:  # not hex: a lenient reader may still decode something, so it cannot be vouched for
        return None


def _webp_blocks(data: bytes, budget: _Budget) -> list[_Block]:
    (size,) = struct.unpack("<I", data[4:8])
    riff_end = min(len(data), 8 + size)
    budget.whole = len(data) >= 8 + size
    blocks, i = [], 12
    while i + 8 <= riff_end:
        budget.step()
        fourcc, length = struct.unpack("<4sI", data[i:i + 8])
        end = i + 8 + length + (length & 1)
        if fourcc == b"EXIF":
            blocks.append(_tiff_block((i, end), data[i + 8:i + 8 + length]))
        elif fourcc not in _WEBP_PIXELS:
            blocks.append(_Block(((i, end),), "meta", data[i + 8:i + 8 + length]))
        i = end
    budget.whole = budget.whole and i <= riff_end + 1  # no chunk runs past the container (+1: a missing pad byte)
    if max(i, riff_end) < len(data):  # bytes after the RIFF container
        blocks.append(_Block(((max(i, riff_end), len(data)),), "meta", data[max(i, riff_end):]))
    return blocks


def _tiff_block(span, payload: bytes) -> _Block:
    """A block meant to hold EXIF: rewritable when a TIFF header opens it, whatever 'Exif' padding precedes."""
    at = _tiff_start(payload)
    return _Block((span,), "exif", payload[at:]) if at is not None else _Block((span,), "meta", payload)


def _tiff_start(payload: bytes) -> int | None:
    # `Exif\0\0`, `Exif\0\xff`, `Exif\0`, a few bytes of junk, or nothing: a TIFF header within 12 bytes.
    return next(_tiff_headers(payload, 16), None)


def _tiff_headers(blob: bytes, endpos: int | None = None):
    """Where a TIFF structure starts: byte order, 42, and a first directory inside the blob."""
    for found in _TIFF_MAGIC.finditer(blob, 0, len(blob) if endpos is None else endpos):
        at = found.start()
        if at + 8 <= len(blob):
            (first,) = struct.unpack_from("<I" if blob[at] == 0x49 else ">I", blob, at + 4)
            if 8 <= first and at + first + 2 <= len(blob):
                yield at


# --- Finding a location in a block --------------------------------------------------------

def _located(fmt: str, data: bytes, budget: "_Budget | None" = None) -> bool | None:
    """Whether the file carries a location; None when a block cannot be read."""
    budget, result = budget or _Budget(), False
    for block in _blocks(fmt, data, budget):
        found = _block_location(block, budget)
        if found:
            return True
        result = None if found is None else result
    return result


def _block_location(block: _Block, budget: _Budget) -> bool | None:
    if block.kind == "broken":
        return None
    if _LOCATION_TEXT.search(block.payload):
        return True
    # Coordinates typed as text: map-camera apps write them into the EXIF description, XMP
    # dc:description or their own segment, not only into comments. Searched in UTF-8 and UTF-16.
    if _TEXT_COORDINATES.search(block.payload) or _TEXT_COORDINATES.search(block.payload.replace(b"\x00", b"")):
        return True
    return _tiffs_location(block.payload, budget)


def _tiffs_location(blob: bytes, budget: _Budget) -> bool | None:
    """Whether any TIFF structure in `blob` (EXIF, its thumbnail, an appended picture's) holds a location."""
    result = False
    view = memoryview(blob)
    for at in _tiff_headers(blob):
        budget.tiff()
        found = _tiff_gps(view[at:])
        if found:
            return True
        result = None if found is None else result
    return result


def _tiff_gps(tiff: memoryview) -> bool | None:
    """Whether a GPS directory reachable from this TIFF header holds more than its version number.

    Walks IFD0's chain and every Exif, GPS, interoperability and SubIFD pointer from any
    directory, as readers do (a GPS pointer may hide in the Exif directory or IFD1). None
    when a directory cannot be read, so the structure cannot be vouched for.
    """
    order = "<" if tiff[:2] == b"II" else ">"
    try:
        todo, seen, entries = [(struct.unpack_from(order + "I", tiff, 4)[0], "chain")], set(), 0
        while todo:
            offset, role = todo.pop()
            if (offset, role == "gps") in seen:
                continue  # a loop in a hostile directory graph
            seen.add((offset, role == "gps"))
            if len(seen) > _MAX_IFDS or offset < 8:
                return None
            (count,) = struct.unpack_from(order + "H", tiff, offset)
            table_end = offset + 2 + 12 * count
            entries += count
            if entries > _MAX_ENTRIES or table_end > len(tiff):
                return None
            for tag, kind, n, value in struct.iter_unpack(order + "HHII", tiff[offset + 2:table_end]):
                if role == "gps" and tag != 0:
                    return True
                if tag in _SUB_IFDS:
                    pointers = _pointers(tiff, order, kind, n, value)
                    if pointers is None:
                        return None
                    # A zero offset is how some writers say "none": no reader finds a directory there.
                    todo += [(p, "gps" if tag == _GPS_IFD else "sub") for p in pointers if p]
            if role == "chain" and table_end + 4 <= len(tiff):
                (following,) = struct.unpack_from(order + "I", tiff, table_end)
                todo += [(following, "chain")] if following else []
    except struct.error:
        return None
    return False


def _pointers(tiff: memoryview, order: str, kind: int, n: int, value: int) -> list[int] | None:
    """The directory offsets a sub-directory entry points to; None for a form no reader agrees on."""
    if n == 0:
        return []
    if n == 1 and kind in (4, 13):  # LONG or IFD: the offset is the entry's value
        return [value]
    if n == 1 and kind == 3:  # SHORT: left-justified in the value field
        return [value & 0xFFFF if order == "<" else value >> 16]
    if kind in (4, 13) and n <= _MAX_IFDS:
        return list(struct.unpack_from(f"{order}{n}I", tiff, value))
    return None


# --- Removing locations in place, losslessly --------------------------------------------

def strip_gps(path: Path) -> bool:
    """Rewrite `path` without any location: the EXIF GPS directory (and maker notes, which vendors
    fill with a copy) is removed and the rest of EXIF kept; any other block carrying a location,
    or that cannot be read, is dropped whole.

    Compressed pixel data is copied unchanged. The result is checked again before the file is
    replaced atomically. Returns whether anything was removed.
    """
    fmt = check_file(path)
    data = path.read_bytes()
    edits = _edits(fmt, data)
    if not edits:
        return False
    out, pos = bytearray(), 0
    for start, end, replacement in edits:
        out += data[pos:start] + replacement
        pos = end
    out += data[pos:]
    if fmt == "WEBP":
        _fix_riff(out, data, edits)
    if _located(fmt, bytes(out)) is not False:
        raise PhotoError(f"không xoá được hết toạ độ GPS khỏi ảnh mà vẫn giữ nguyên điểm ảnh; {_REEXPORT}")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(bytes(out))
    tmp.replace(path)
    return True


def _edits(fmt: str, data: bytes) -> list[tuple[int, int, bytes]]:
    """(start, end, new bytes) for every block that carries a location or cannot be read, in file order."""
    budget, edits = _Budget(), []
    for block in _blocks(fmt, data, budget):
        if _block_location(block, budget) is False:
            continue
        (start, end), *rest = sorted(block.spans)
        new = _exif_container(fmt, _clean_exif(block.payload, budget)) if block.kind == "exif" else b""
        edits += [(start, end, new)] + [(s, e, b"") for s, e in rest]
    return sorted(edits)


def _clean_exif(tiff: bytes, budget: _Budget) -> bytes | None:
    """The TIFF structure rebuilt without GPS, maker notes or embedded XMP; None when that still locates."""
    exif = Image.Exif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of every oddity in hostile EXIF; we check the result
            exif.load(tiff)
            for tag in (_GPS_IFD, _XML_PACKET):
                exif.pop(tag, None)
            for tag in (_MAKER_NOTE, _GPS_IFD):
                exif.get_ifd(_EXIF_IFD).pop(tag, None)
            # Pillow writes IFD0, Exif, GPS and interoperability directories only: the thumbnail (IFD1) goes.
            clean = exif.tobytes().removeprefix(b"Exif\x00\x00")
    except Exception:  # noqa: BLE001 - any parser failure on untrusted bytes: drop the block whole
        return None
    return clean if _block_location(_Block((), "exif", clean), budget) is False else None


def _exif_container(fmt: str, tiff: bytes | None) -> bytes:
    """A JPEG APP1 segment, PNG eXIf chunk or WebP EXIF chunk holding `tiff`; b"" to drop it."""
    if tiff is None:
        return b""
    if fmt == "JPEG":
        body = b"Exif\x00\x00" + tiff
        return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body if len(body) <= 65533 else b""
    if fmt == "PNG":  # a hex 'Raw profile' text chunk becomes a standard eXIf chunk
        return struct.pack(">I", len(tiff)) + b"eXIf" + tiff + struct.pack(">I", zlib.crc32(b"eXIf" + tiff))
    return b"EXIF" + struct.pack("<I", len(tiff)) + tiff + b"\x00" * (len(tiff) & 1)


def _fix_riff(out: bytearray, data: bytes, edits: list[tuple[int, int, bytes]]) -> None:
    """Update the RIFF size by what changed inside it, and the VP8X flags of dropped EXIF or XMP."""
    riff_end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    # A chunk may claim to run past the container's end: only its part inside counts.
    riff_end += sum(len(new) - (min(end, riff_end) - start) for start, end, new in edits if start < riff_end)
    out[4:8] = struct.pack("<I", riff_end - 8)
    if out[12:16] == b"VP8X":
        names = _webp_chunk_names(bytes(out))
        for flag, name in ((0x08, b"EXIF"), (0x04, b"XMP ")):
            if name not in names:
                out[20] &= ~flag & 0xFF


def _webp_chunk_names(data: bytes) -> set[bytes]:
    names, i, end = set(), 12, min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    while i + 8 <= end:
        fourcc, length = struct.unpack("<4sI", data[i:i + 8])
        names.add(fourcc)
        i += 8 + length + (length & 1)
    return names
