"""The validation memo: a rebuild reads back what it checked before, and never a stale outcome."""

from __future__ import annotations

import os
import subprocess
import sys

from generator.core import memo
from generator.records.validate import _salt, validate

import imaging
from conftest import PHOTO, ROOT, VALID_INITIATIVE, VALID_PERSON



def _run(corpus, tmp_path):
    """Validate with the memo; returns the corpus, the report and how many records were checked afresh."""
    result, report = validate(corpus.root, memo=tmp_path / "cache" / memo.FILE)
    return result, report, report.checked - report.remembered


def _diagnostics(report):
    return [d.format() for d in report.sorted()]


def test_a_second_run_checks_nothing_again_and_finds_the_same(corpus, tmp_path):
    corpus.add("duong-hoa", VALID_INITIATIVE)
    corpus.add("hanh", VALID_PERSON, group="binh-duong/tan-uyen")
    corpus.add("loi", VALID_INITIATIVE.replace("date: 2022-12-31", "date: 2022-13-31"), group="ha-nam/ly-nhan")
    first, report1, computed1 = _run(corpus, tmp_path)
    second, report2, computed2 = _run(corpus, tmp_path)
    fresh, report3 = validate(corpus.root)  # no memo at all
    assert (computed1, computed2) == (3, 0)
    assert first == second == fresh
    assert _diagnostics(report1) == _diagnostics(report2) == _diagnostics(report3) != []


def test_a_changed_record_is_checked_again(corpus, tmp_path):
    path = corpus.add("duong-hoa", VALID_INITIATIVE)
    corpus.add("hanh", VALID_PERSON, group="binh-duong/tan-uyen")
    _run(corpus, tmp_path)
    path.write_text(VALID_INITIATIVE.replace("Đường hoa quân sự", "Đường hoa thanh niên"), encoding="utf-8")
    result, report, computed = _run(corpus, tmp_path)
    assert computed == 1
    assert "Đường hoa thanh niên" in {r.name for r in result.records}


def test_a_changed_photo_is_inspected_again(corpus, tmp_path):
    path = corpus.add("duong-hoa", VALID_INITIATIVE + PHOTO, files={"anh-1.jpg": imaging.jpeg(size=(64, 48))})
    _, report, _ = _run(corpus, tmp_path)
    assert not report.errors
    # Replaced by a photo that gives away where it was taken: the memo must not hide it.
    (path.parent / "anh-1.jpg").write_bytes(imaging.jpeg(size=(64, 48), gps=True))
    os.utime(path.parent / "anh-1.jpg", ns=(1, 1))
    _, report, computed = _run(corpus, tmp_path)
    assert computed == 1
    assert any("GPS" in d.message for d in report.errors)


def test_a_changed_taxonomy_checks_every_record_again(corpus, tmp_path):
    corpus.add("duong-hoa", VALID_INITIATIVE)
    corpus.add("hanh", VALID_PERSON, group="binh-duong/tan-uyen")
    _run(corpus, tmp_path)
    taxonomy = corpus.root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("quoc-phong:", "quoc-phong-an-ninh:"),
                        encoding="utf-8")
    _, report, computed = _run(corpus, tmp_path)
    assert computed == 2
    assert any("quoc-phong" in d.message for d in report.errors)


def test_a_damaged_memo_is_ignored_and_rewritten(corpus, tmp_path):
    corpus.add("duong-hoa", VALID_INITIATIVE)
    _run(corpus, tmp_path)
    path = tmp_path / "cache" / memo.FILE
    path.write_bytes(path.read_bytes()[:40])
    result, report, computed = _run(corpus, tmp_path)
    assert computed == 1 and len(result.records) == 1 and not report.errors
    assert _run(corpus, tmp_path)[2] == 0


def test_the_memo_keeps_only_what_the_last_run_used(corpus, tmp_path):
    path = corpus.add("duong-hoa", VALID_INITIATIVE)
    _run(corpus, tmp_path)
    for n in range(3):
        path.write_text(VALID_INITIATIVE.replace("Đường hoa quân sự", f"Đường hoa số {n}"), encoding="utf-8")
        _run(corpus, tmp_path)
    known = memo.Memo(tmp_path / "cache" / memo.FILE, _salt(corpus.root))
    assert len(known.known) == 1


def test_rendered_pages_are_read_back_only_while_their_context_is_unchanged(corpus, tmp_path):
    from generator.site.plan import plan
    from generator.site.render import Renderer

    path = corpus.add("duong-hoa", VALID_INITIATIVE)
    corpus.add("hanh", VALID_PERSON, group="binh-duong/tan-uyen")
    pages = tmp_path / "cache" / memo.PAGES

    def render():
        result, _ = validate(corpus.root)
        page_plan = plan(result)
        return Renderer().render_all(page_plan, pages), Renderer().render_all(page_plan), len(page_plan)

    first, fresh, count = render()
    again, _, _ = render()
    assert first == fresh == again
    salt = memo.code_fingerprint()
    assert len(memo.Memo(pages, salt).known) == count
    path.write_text(VALID_INITIATIVE.replace("Ba ki-lô-mét", "Bốn ki-lô-mét"), encoding="utf-8")
    changed, fresh, _ = render()
    assert changed == fresh
    assert "Bốn ki-lô-mét" in changed["ho-so/duong-hoa/index.md"]
    assert {p for p in changed if changed[p] != first[p]} >= {"ho-so/duong-hoa/index.md", "mo-hinh/index.md"}


KEYS_OF_EVERY_PAGE = """
import hashlib, sys
from pathlib import Path
from generator.core import memo
from generator.site.plan import plan
from generator.site.render import KEYED_BY_DIGEST, _page_key
from generator.records.validate import validate
result, report = validate(Path(sys.argv[1]), memo=Path(sys.argv[2]))
keys, values = memo.Memo(None, b"salt"), memo.ValueBytes(digested=KEYED_BY_DIGEST)
print(report.remembered, hashlib.sha256(b"".join(_page_key(keys, values, p, b"") for p in plan(result))).hexdigest())
"""


def test_page_keys_are_the_same_in_every_process(corpus, tmp_path):
    # Records checked afresh in one process and read back from the memo in another, with
    # other string hashing (set order): a page of equal content must have an equal key,
    # or the first rebuild after any build would render every page again.
    corpus.add("duong-hoa", VALID_INITIATIVE)
    corpus.add("hanh", VALID_PERSON, group="binh-duong/tan-uyen")
    corpus.add("hanh-2", VALID_PERSON.replace("Nguyễn Thị Mỹ Hạnh", "Trần Văn Hùng"), group="binh-duong/tan-uyen")
    runs = [subprocess.run([sys.executable, "-c", KEYS_OF_EVERY_PAGE, str(corpus.root), str(tmp_path / memo.FILE)],
                           capture_output=True, text=True, check=True, cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": str(seed)}).stdout.split()
            for seed in (1, 2)]
    assert runs[0][0] == "0" and runs[1][0] == "3"  # fresh, then from the memo
    assert runs[0][1] == runs[1][1]


def test_a_digested_unit_keys_by_its_value_not_its_identity():
    # Units stand in page keys as digests: an equal unit built apart keys the same, and a unit
    # renamed deep inside a place changes the key of every context that holds it.
    from generator.records.places import Place, Unit
    from generator.site.render import KEYED_BY_DIGEST

    def place(district: str) -> Place:
        province = Unit("80", "Tỉnh Long An", "Long An", "province", "legacy")
        return Place("legacy", province, Unit("794", district, district.split(" ", 1)[1], "district", "legacy"),
                     None, province)

    values = memo.ValueBytes(digested=KEYED_BY_DIGEST)
    same = {"places": [place("Huyện Đức Hoà")], "n": 1}
    assert values(same) == values({"places": [place("Huyện Đức Hoà")], "n": 1})
    assert values(same) != values({"places": [place("Huyện Đức Huệ")], "n": 1})
    # Places made and dropped one after another reuse each other's memory (so their id()): each
    # must still be keyed by its own value.
    assert len({values({"places": [place(f"Huyện Số {i}")]}) for i in range(50)}) == 50


def test_the_code_fingerprint_covers_every_stage_and_template(tmp_path, monkeypatch):
    """A change in any module or template of any stage changes every memo's key; so does a file
    moving between stages (the path is hashed with the bytes)."""
    import shutil

    copy = tmp_path / "generator"
    shutil.copytree(memo._PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(memo, "_PACKAGE", copy)
    first = memo.code_fingerprint()
    for changed in ("records/rules.py", "media/cards.py", "site/templates/record.md.j2", "records/templates/entry.yml.j2",
                    "core/urls.py", "pipeline.py"):
        path = copy / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert memo.code_fingerprint() != first, changed
        path.write_bytes(original)
    assert memo.code_fingerprint() == first
    (copy / "site" / "feed.py").rename(copy / "records" / "feed.py")
    assert memo.code_fingerprint() != first


def test_a_held_memo_is_reused_only_while_its_file_is_unchanged(tmp_path, monkeypatch):
    # The preview holds its memos (memo.hold_in_memory): the next run takes the results it wrote
    # without reading the file, and reads the file again once another process replaced it.
    monkeypatch.setattr(memo, "_held", {})
    reads = []
    real = memo._read
    monkeypatch.setattr(memo, "_read", lambda path, header: reads.append(path) or real(path, header))
    path = tmp_path / "m.pickle"
    first = memo.Memo(path, b"salt")
    first.get(b"k", lambda: "one")
    first.save()
    assert memo.Memo(path, b"salt").get(b"k", lambda: "again") == "one"
    assert reads == [path]  # only the first Memo, which found no file, read
    assert memo.Memo(path, b"other salt").get(b"k", lambda: "fresh") == "fresh"  # other code: not held
    elsewhere = memo.Memo(tmp_path / "other.pickle", b"salt")
    elsewhere.get(b"k", lambda: "two")
    elsewhere.save()
    os.replace(tmp_path / "other.pickle", path)  # another process's memo takes its place
    assert memo.Memo(path, b"salt").get(b"k", lambda: "again") == "two"
    assert reads[-1] == path and len(reads) == 4


def test_a_one_shot_run_holds_no_memo(tmp_path, monkeypatch):
    monkeypatch.setattr(memo, "_held", None)
    path = tmp_path / "m.pickle"
    first = memo.Memo(path, b"salt")
    first.get(b"k", lambda: "one")
    first.save()
    assert memo._held is None
