"""Benchmark: cold photo derivatives, the pipeline against a plain Pillow baseline.

Not a test (timings are noisy); it prints figures. Both sides run in this one
process on the same photos and write the same outputs with the same encoder
settings (three WebP sizes and one JPEG):

- baseline: for each output, `Image.open` + `thumbnail` + `save`, one process,
  the way a straightforward script does it;
- pipeline: `generator.images` as the build runs it (decode once at reduced
  JPEG scale, resize each size from the one above, every core), plus the same
  code on one core, to separate the algorithm's gain from the parallelism;
- warm: the second run, served from the cache.

    .venv/bin/python bench/images.py [--photos 16] [--megapixels 12]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator.media import images  # noqa: E402
from generator.core.cache import Job, Store, key_of  # noqa: E402
from imaging import photo_like  # noqa: E402


def make_photos(folder: Path, count: int, megapixels: float) -> list[Path]:
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    paths = []
    for i in range(count):
        path = folder / f"photo-{i:03d}.jpg"
        exif = Image.Exif()
        exif[0x0112] = 6 if i % 3 == 0 else 1  # some taken upright on a phone
        photo_like(width, height, i).save(path, "JPEG", quality=92, exif=exif.tobytes())
        paths.append(path)
    return paths


def baseline(paths: list[Path], out: Path) -> None:
    for path in paths:
        for name, size in images.SIZES:
            with Image.open(path) as im:
                im.thumbnail(size)
                im.save(out / f"{path.stem}-{name}.webp", "WEBP", **images.WEBP)
            if name == images.FALLBACK:
                with Image.open(path) as im:
                    im.thumbnail(size)
                    im.save(out / f"{path.stem}-{name}.jpg", "JPEG", **images.JPEG)


def pipeline_one_core(paths: list[Path], out: Path) -> None:
    for i, path in enumerate(paths):
        folder = out / str(i)
        folder.mkdir()
        images.write_derivatives(folder, str(path))


def pipeline(paths: list[Path], cache: Path) -> int:
    store = Store(cache)
    jobs = [Job(key_of(images.SETTINGS, str(p)), (str(p),)) for p in paths]
    ran, failures = store.fill(jobs, images.write_derivatives, "bench", progress=False)
    assert not failures, failures
    return ran


def timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=16)
    parser.add_argument("--megapixels", type=float, default=12.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "src").mkdir()
        paths = make_photos(work / "src", args.photos, args.megapixels)
        size_mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        with Image.open(paths[0]) as im:
            dims = f"{im.width}×{im.height}"
        print(f"{args.photos} JPEG photos of {dims} ({args.megapixels:g} MP), {size_mb:.1f} MB each; "
              f"{os.cpu_count()} cores; Pillow {Image.__version__}")
        print(f"outputs per photo: WebP {', '.join('×'.join(map(str, s)) for _, s in images.SIZES)} px boxes + JPEG {images.FALLBACK}; "
              f"WebP {images.WEBP}, JPEG {images.JPEG}")

        results = {}
        for label, fn, target in (("baseline: open + thumbnail + save, 1 process", baseline, "base"),
                                  ("pipeline, 1 core", pipeline_one_core, "one"),
                                  ("pipeline, all cores (cold cache)", pipeline, "cache")):
            out = work / target
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            results[target] = timed(fn, paths, out)
        warm = timed(pipeline, paths, work / "cache")

        base = results["base"]
        print(f"{'':44} {'seconds':>8} {'photos/s':>9} {'× baseline':>11}")
        for label, target in (("baseline: open + thumbnail + save, 1 process", "base"),
                              ("pipeline, 1 core", "one"), ("pipeline, all cores (cold cache)", "cache")):
            t = results[target]
            print(f"{label:44} {t:8.2f} {args.photos / t:9.2f} {base / t:10.2f}×")
        print(f"{'pipeline, warm cache (second build)':44} {warm:8.3f} {'-':>9} {'0 decoded':>11}")
        speedup = base / results["cache"]
        verdict = "meets" if speedup >= 3 else "MISSES"
        print(f"cold pipeline is {speedup:.2f}× the baseline per photo: {verdict} the 3× goal")


if __name__ == "__main__":
    main()
