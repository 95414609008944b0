"""Photos made by the tests themselves: real encoded files with the metadata phones add."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np

from PIL import Image, ImageCms, ImageDraw

GPS_IFD = 0x8825
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
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


GIF = encode(Image.new("P", (8, 8)), "GIF")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
