"""`sovang demo --photos-per-record K`: generated photos that are deterministic, distinct, valid and built."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from PIL import Image

from generator.records import demo, photofile
from generator.records.validate import validate

from projects import build_project, make_project


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def entries(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("entry.yml"))}


def without_photos(text: str) -> str:
    """entry.yml with its `photos:` block (the key and its indented items) taken out."""
    return re.sub(r"^photos:\n(?:  .*\n)+", "", text, flags=re.MULTILINE)


def test_the_same_count_gives_the_same_bytes_and_every_photo_is_its_own(tmp_path):
    # 80 photos: made in this process with one worker, by a pool of two with two.
    demo.write(tmp_path / "a", 40, photos=2, workers=1)
    demo.write(tmp_path / "b", 40, photos=2, workers=2)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    photos = sorted((tmp_path / "a").rglob("*.jpg"))
    assert len(photos) == 80
    # Distinct bytes, so that the image stage (cached by the source's hash) derives every one.
    assert len({hashlib.sha256(p.read_bytes()).digest() for p in photos}) == 80
    demo.write(tmp_path / "c", 40, photos=1, workers=1)
    first = {p.relative_to(tmp_path / "c") for p in (tmp_path / "c").rglob("*.jpg")}
    # A photo depends on its record and number only: anh-1.jpg is the same with one photo a record or two.
    assert all((tmp_path / "a" / rel).read_bytes() == (tmp_path / "c" / rel).read_bytes() for rel in first)


def test_no_photos_by_default_and_photos_leave_the_records_as_they_were(tmp_path):
    demo.write(tmp_path / "none", 60)
    files = {p.relative_to(tmp_path / "none").as_posix() for p in (tmp_path / "none").rglob("*") if p.is_file()}
    assert files == {"taxonomy.yml"} | set(entries(tmp_path / "none"))
    assert not any("photos" in text for text in entries(tmp_path / "none").values())
    # The photos' randomness is their own: with photos, every record is the same but for its photos.
    demo.write(tmp_path / "two", 60, photos=2)
    with_photos = entries(tmp_path / "two")
    assert all(text.count("\n  - file: anh-") == 2 for text in with_photos.values())
    assert {k: without_photos(v) for k, v in with_photos.items()} == entries(tmp_path / "none")


def test_a_demo_with_photos_validates_clean(tmp_path):
    demo.write(tmp_path / "c", 12, photos=2, seed=3)
    model, report = validate(tmp_path / "c")
    assert not report.items, [d.format() for d in report.items][:5]
    assert len(model.records) == 12 and {r.kind for r in model.records} == {"person", "collective", "initiative"}
    for record in model.records:
        assert [p.file for p in record.photos] == ["anh-1.jpg", "anh-2.jpg"]
        assert all(p.caption and p.credit and p.alt and p.caption != p.alt for p in record.photos)
        for p in record.photos:
            path = record.folder / p.file
            info = photofile.inspect(path)
            assert (info.format, info.width, info.height, info.gps) == ("JPEG", 1200, 800, False)
            assert 50_000 <= path.stat().st_size <= 150_000
            with Image.open(path) as im:
                assert not im.getexif() and "exif" not in im.info and "comment" not in im.info
    captions = [p.caption for r in model.records for p in r.photos]
    assert len(set(captions)) == len(captions)


@pytest.mark.parametrize("value", ["-1", str(demo.MAX_PHOTOS + 1), "hai", "1.5", ""])
def test_a_bad_count_is_refused_in_vietnamese(tmp_path, run_cli, value):
    code, out, err = run_cli("demo", "--records", "3", "--photos-per-record", value, "--out", str(tmp_path / "c"))
    assert code == 2 and "--photos-per-record" in err and f"từ 0 đến {demo.MAX_PHOTOS}" in err, err
    assert "Traceback" not in err and not (tmp_path / "c").exists()


def test_the_command_writes_the_photos_and_its_help_gives_the_limit(tmp_path, run_cli, capsys):
    code, _, err = run_cli("demo", "--records", "4", "--photos-per-record", str(demo.MAX_PHOTOS),
                           "--out", str(tmp_path / "c"))
    assert code == 0 and f"mỗi hồ sơ {demo.MAX_PHOTOS} ảnh" in err, err
    assert len(list((tmp_path / "c").rglob("*.jpg"))) == 4 * demo.MAX_PHOTOS
    code, out, _ = run_cli("demo", "--help")
    assert code == 0 and re.search(rf"từ 0 đến\s+{demo.MAX_PHOTOS}\b", out), out


def test_a_demo_with_photos_builds_with_derivatives_of_every_photo(tmp_path):
    project = make_project(tmp_path / "project")
    demo.write(project / "content", 5, photos=2)
    build_project(project)
    model, _ = validate(project / "content")
    keys = set()
    for record in model.records:
        folder = project / "site" / "ho-so" / record.slug
        page = (folder / "index.html").read_text(encoding="utf-8")
        for n in (1, 2):
            made = sorted(p.name for p in folder.glob(f"anh-{n}.*"))
            widths = {re.fullmatch(rf"anh-{n}\.(\w+)-(\d+)\.webp", name).group(2) for name in made if name.endswith(".webp")}
            assert widths == {"360", "800", "1200"}, made
            assert any(name.endswith("-800.jpg") for name in made), made
            assert all(name in page for name in made if name.endswith((".webp", ".jpg"))), made
            keys |= {name.split(".")[1].rsplit("-", 1)[0] for name in made}
    assert len(keys) == 10  # one source key per photo: none was taken for another
