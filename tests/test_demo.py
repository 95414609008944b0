"""`sovang demo`: the synthetic corpus benchmarks use is realistic, deterministic and valid."""

from __future__ import annotations

import hashlib

from generator.records.places import CURRENT, LEGACY
from generator.records.validate import validate


def digest(folder) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def test_demo_corpus_validates_clean_and_is_deterministic(tmp_path, run_cli):
    code, _, err = run_cli("demo", "--records", "300", "--out", str(tmp_path / "a"))
    assert code == 0 and "300 hồ sơ" in err
    run_cli("demo", "--records", "300", "--out", str(tmp_path / "b"))
    run_cli("demo", "--records", "300", "--seed", "2", "--out", str(tmp_path / "c"))
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")
    model, report = validate(tmp_path / "a")
    assert not report.items, [d.format() for d in report.items][:5]
    assert len(model.records) == 300
    assert {r.kind for r in model.records} == {"person", "collective", "initiative"}
    assert {r.place.era for r in model.records} == {LEGACY, CURRENT}
    assert len({r.place.current_province.code for r in model.records}) > 25


def test_demo_refuses_to_overwrite_another_folder(tmp_path, run_cli):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("giữ lại")
    code, _, err = run_cli("demo", "--records", "5", "--out", str(tmp_path / "x"))
    assert code == 2 and (tmp_path / "x" / "notes.txt").exists()
