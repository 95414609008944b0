"""The image stage: published photos → upright, sRGB, metadata-free derivatives.

Each photo becomes WebP at three sizes (thumbnail, medium, large; `srcset`
lets the browser pick) plus one medium JPEG for the few browsers without
WebP (Safari before 14). Large JPEGs are not made: they would double the
disk and encode time for well under 1% of visitors, who still get a medium
image in the lightbox.

Speed, since a phone photo is 12–48 megapixels:
- JPEGs are decoded at reduced scale (`draft`: libjpeg's DCT scaling), never
  at full size and shrunk afterwards;
- the source is decoded once; each smaller size is resized from the one above;
- derivatives are cached by the hash of the source bytes and of the settings
  below, and cold misses run on every core.

Nothing of the source's metadata survives: derivatives are written from bare
pixels after an sRGB conversion, with no EXIF, GPS, XMP, comment or ICC.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageCms, ImageOps

from ..core import urls
from ..core.cache import FileHashes, Job, Store, WorkError, key_of
from ..records import photofile
from ..records.model import Corpus, Photo, Record
from ..records.schema import PERSON

# Boxes each size must fit in, in pixels. Thumbnails fill a 4:3 grid cell whatever
# the photo's shape, so theirs is bound by width: a portrait thumbnail 360 wide
# still covers its cell, where a 270-wide one would make the browser fetch the
# medium size. Medium and large are seen whole, so they are bound by the long side.
SIZES = (("thumb", (360, 720)), ("medium", (800, 800)), ("large", (1600, 1600)))
FALLBACK = "medium"  # the size also written as JPEG
WEBP = {"quality": 76, "method": 4}
JPEG = {"quality": 80, "optimize": True, "progressive": True}
VERSION = 2  # bump when the code below changes its output
SETTINGS = {"version": VERSION, "sizes": SIZES, "fallback": FALLBACK, "webp": WEBP, "jpeg": JPEG}
_META = "meta.json"
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Variant:
    path: str  # relative to the docs folder
    width: int
    height: int


@dataclass(frozen=True)
class Rendition:
    """One published photo, as pages use it."""

    record: Record
    photo: Photo
    webp: tuple[Variant, ...]  # smallest first
    jpeg: Variant

    @property
    def thumb(self) -> Variant:
        return self.webp[0]

    @property
    def large(self) -> Variant:
        return self.webp[-1]


@dataclass(frozen=True)
class Problem:
    record: Record
    photo: Photo
    message: str


@dataclass(frozen=True)
class Derived:
    renditions: dict[str, tuple[Rendition, ...]]  # by record slug, in the record's order
    files: dict[str, Path]  # docs-relative path → cached file
    processed: int  # images decoded in this run (0 when every derivative was cached)
    problems: tuple[Problem, ...]
    keys: frozenset[str]  # cache entries in use


def published(record: Record) -> tuple[Photo, ...]:
    """Photos that may appear on the site: a person's only with their consent."""
    if record.kind == PERSON and not (record.consent and record.consent.photo):
        return ()
    return record.photos


def published_renditions(record: Record, photos: dict[str, tuple] | None) -> list:
    """A caller's renditions of a record, checked once more against consent: what the
    feed and the open data may show, whatever they were handed."""
    if not photos:
        return []
    allowed = published(record)
    return [p for p in photos.get(record.slug, ()) if p.photo in allowed]


def derive(corpus: Corpus, cache: Path, progress: bool = False, remember: bool = True) -> Derived:
    """Every published photo's derivatives, from the cache where its bytes are known. Without
    `remember` (the preview's quick page, for one record) the index of photo hashes is not saved:
    it would keep that record's photos only, and the next whole run would read every photo again."""
    store, hashes = Store(cache / "photos"), FileHashes(cache)
    todo: list[tuple[Record, Photo, str]] = []
    for record in corpus.records:
        for photo in published(record):
            source = record.folder / photo.file
            todo.append((record, photo, key_of(SETTINGS, hashes.digest(source))))
    jobs = [Job(key, (str(r.folder / p.file),)) for r, p, key in todo]
    ran, failed = store.fill(jobs, write_derivatives, "Xử lý ảnh", progress)
    failures = {f.key: f.message for f in failed}
    if remember:
        hashes.save()
    problems = tuple(Problem(r, p, failures[k]) for r, p, k in todo if k in failures)
    renditions: dict[str, list[Rendition]] = {}
    files: dict[str, Path] = {}
    for record, photo, key in todo:
        if key in failures:
            continue
        rendition, outputs = _rendition(record, photo, key, store.entry(key))
        renditions.setdefault(record.slug, []).append(rendition)
        files.update(outputs)
    return Derived({k: tuple(v) for k, v in renditions.items()}, files, ran, problems, frozenset(k for _, _, k in todo))


def _rendition(record: Record, photo: Photo, key: str, entry: Path) -> tuple[Rendition, dict[str, Path]]:
    meta = json.loads((entry / _META).read_text(encoding="utf-8"))
    stem = PurePosixPath(photo.file).stem
    files, webp = {}, []
    for name, _ in SIZES:
        w, h = meta[name]
        if webp and webp[-1].width == w:  # a small source: the larger sizes are the same image
            continue
        path = urls.photo(record.slug, stem, key, w, "webp")
        files[path] = entry / f"{name}.webp"
        webp.append(Variant(path, w, h))
    w, h = meta[FALLBACK]
    jpeg = Variant(urls.photo(record.slug, stem, key, w, "jpg"), w, h)
    files[jpeg.path] = entry / f"{FALLBACK}.jpg"
    return Rendition(record, photo, tuple(webp), jpeg), files


# --- The worker (runs in a child process) ---------------------------------------------

def write_derivatives(out: Path, source: str) -> None:
    """Decode `source` once and write every size into `out`, with `meta.json` giving their pixel sizes."""
    try:
        im = load_upright(Path(source), max(SIZES[-1][1]))
    except photofile.PhotoError as exc:
        raise WorkError(str(exc)) from None
    except (OSError, ValueError, SyntaxError):  # Pillow's decoder on a damaged file
        raise WorkError("không giải mã được ảnh (tệp hỏng hoặc tải lên chưa hết)") from None
    meta = {}
    for name, box in reversed(SIZES):  # large first; each smaller one from the previous
        im = _shrink(im, box)
        meta[name] = im.size
        _save(im, out / f"{name}.webp", "WEBP", WEBP)
        if name == FALLBACK:
            _save(_flatten(im), out / f"{name}.jpg", "JPEG", JPEG)
    (out / _META).write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")


def load_upright(path: Path, longest: int) -> Image.Image:
    """Decode a photo at the smallest scale that still gives `longest` pixels, upright and in sRGB."""
    with photofile.opened(path) as im:
        if im.format == "JPEG":
            # DCT scaling: decode at 1/2, 1/4 or 1/8 while staying at or above the target.
            scale = max(im.size) / longest
            if scale > 1:
                im.draft("RGB", (int(im.width / scale), int(im.height / scale)))
        # EXIF orientation swaps width and height later; the box above is square, so that is fine.
        im.load()
        icc = im.info.get("icc_profile")
        upright = ImageOps.exif_transpose(im)
    return _to_srgb(upright, icc)


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.point(lambda v: v / 256).convert("L")  # 16-bit greyscale PNG
    target = "RGBA" if alpha else "RGB"
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if im.mode not in ("RGB", "RGBA", "CMYK", "L"):
                im = im.convert(target)
            return ImageCms.profileToProfile(im, src, _SRGB, outputMode=target if im.mode != "L" else "L").convert(target)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: treat the pixels as sRGB, as browsers do
    return im.convert(target) if im.mode != target else im


def _shrink(im: Image.Image, box: tuple[int, int]) -> Image.Image:
    scale = min(box[0] / im.width, box[1] / im.height)
    if scale >= 1:
        return im
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _flatten(im: Image.Image) -> Image.Image:
    if im.mode != "RGBA":
        return im
    flat = Image.new("RGB", im.size, (255, 255, 255))
    flat.paste(im, mask=im.getchannel("A"))
    return flat


def _save(im: Image.Image, path: Path, fmt: str, options: dict) -> None:
    # Pillow copies some metadata (a JPEG comment, for one) from `info`; start bare.
    bare = im.copy()
    bare.info = {}
    bare.save(path, fmt, **options)


def prune(cache: Path, keep: frozenset[str]) -> int:
    return Store(cache / "photos").prune(set(keep))
