"""Paths in content/: nothing may reach outside a record's folder or the content folder."""

from __future__ import annotations

import os

import pytest

from generator.records.validate import validate
from imaging import jpeg

from conftest import VALID_INITIATIVE

PHOTO = """\
photos:
  - file: {name}
    caption: Đường hoa
    credit: Việt Hà
    alt: Con đường có hoa hai bên
"""


def errors_at(corpus, report, needle: str) -> list:
    return [e for e in report.errors if needle in e.message]


@pytest.mark.parametrize("name", ["../../../etc/passwd", "/etc/passwd", "anh/../../x.jpg", "..", "C:\\\\x.jpg"])
def test_photo_path_outside_the_record_folder_is_an_error_at_its_line(corpus, name):
    text = VALID_INITIATIVE + PHOTO.format(name=f'"{name}"')
    path = corpus.add("duong-hoa", text)
    _, report = validate(corpus.root)
    [e] = [e for e in report.errors if e.message.startswith("photos[1].file")]
    assert (e.path, e.line) == (path, text.splitlines().index(f'  - file: "{name}"') + 1)


def test_symlinked_photo_is_refused(corpus, tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg())
    path = corpus.add("duong-hoa", VALID_INITIATIVE + PHOTO.format(name="anh.jpg"))
    os.symlink(secret, path.parent / "anh.jpg")
    model, report = validate(corpus.root)
    assert errors_at(corpus, report, "symlink") and model.records == ()
    assert any(e.path == path.parent / "anh.jpg" for e in report.errors)


def test_symlinked_record_and_folder_are_refused(corpus, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "entry.yml").write_text(VALID_INITIATIVE, encoding="utf-8")
    os.symlink(outside, corpus.root / "entries" / "lien-ket")
    folder = corpus.add("that", VALID_INITIATIVE.replace("Đường hoa quân sự", "Đường hoa khác")).parent
    os.symlink(outside / "entry.yml", folder.parent / "entry.yml")
    model, report = validate(corpus.root)
    flagged = {e.path.name for e in report.errors if "symlink" in e.message}
    assert flagged == {"lien-ket", "entry.yml"}
    assert [r.name for r in model.records] == ["Đường hoa khác"]
