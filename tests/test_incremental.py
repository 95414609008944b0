"""An incremental build's site is byte-identical to a full build of the same content.

The core test of issue 18: random sequences of edits, additions, deletions and withdrawals on a
small roll; after each step the project is generated and built incrementally (engine.build keeps
its working folder), and the same content is built from nothing in a fresh folder; the two
sites must hold the same files with the same bytes. `make test` runs a few sequences, `make fuzz`
many more (SOVANG_FUZZ_EXAMPLES).

The other tests pin the guarantees around it: the public site is never written in place, a
change to the configuration or the theme makes the build full, a failed build leaves the site
and the next build starts over.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.site import engine
from projects import CONTENT, make_project

EPOCH = 1_750_000_000
# A few records of the sample roll, with photos; the others are the pool that additions come from.
START = ("ha-nam/thanh-liem/duong-hoa-quan-su", "ha-nam/thanh-liem/hu-gao-tiet-kiem",
         "ha-nam/thanh-liem/cuu-chien-binh-thu-gom-rac-thai-tren-dong-ruong")
EXAMPLES = int(os.environ.get("SOVANG_FUZZ_EXAMPLES", "0")) // 100 or 3


def _folders() -> list[str]:
    root = CONTENT / "entries"
    return sorted(p.parent.relative_to(root).as_posix() for p in root.rglob("entry.yml"))


POOL = [f for f in _folders() if f not in START]


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _build(project: Path, cache: Path) -> engine.Built:
    docs = project / "build" / "docs"
    result = pipeline.generate(project / "content", docs, cache=cache)
    assert result.stats is not None, [d.message for d in result.report.items if d.severity == "error"]
    return engine.build(project / "mkdocs.yml", docs, project / "site", epoch=EPOCH)


def _start(root: Path, folders) -> Path:
    project = make_project(root)
    (project / "content").mkdir()
    shutil.copy(CONTENT / "taxonomy.yml", project / "content" / "taxonomy.yml")
    for folder in folders:
        shutil.copytree(CONTENT / "entries" / folder, project / "content" / "entries" / folder)
    return project


def _entries(project: Path) -> list[Path]:
    return sorted(p.parent for p in (project / "content" / "entries").rglob("entry.yml"))


# One step of an editor's day: (operation, which record, a word).
STEPS = st.tuples(st.sampled_from(["edit", "add", "delete", "withdraw", "caption", "nothing"]),
                  st.integers(0, 50), st.sampled_from(["Sửa lại.", "Thêm một câu.", "Cập nhật số liệu năm 2024."]))


def _apply(project: Path, step) -> None:
    op, n, words = step
    entries = _entries(project)
    present = {e.relative_to(project / "content" / "entries").as_posix() for e in entries}
    if op == "add":
        left = [f for f in POOL if f not in present]
        if left:
            shutil.copytree(CONTENT / "entries" / left[n % len(left)], project / "content" / "entries" / left[n % len(left)])
        return
    if not entries or op == "nothing":
        return
    entry = entries[n % len(entries)]
    path = entry / "entry.yml"
    text = path.read_text(encoding="utf-8")
    if op == "delete":
        # A record others replicate cannot go alone (the validator refuses the dangling link).
        if not any(f"replicates: {entry.name}" in (e / "entry.yml").read_text(encoding="utf-8") for e in entries):
            shutil.rmtree(entry)
    elif op == "edit":
        path.write_text(text.replace("summary: >-\n", f"summary: >-\n  {words}\n", 1), encoding="utf-8")
    elif op == "caption" and "caption: " in text:
        path.write_text(text.replace("caption: ", f"caption: {words} ", 1), encoding="utf-8")
    elif op == "withdraw" and "withdrawn:" not in text:
        path.write_text(text + "withdrawn: true\nwithdrawn_reason: Người được ghi danh đề nghị gỡ.\n", encoding="utf-8")


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEPS, min_size=1, max_size=3))
def test_incremental_builds_equal_full_builds(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("incremental")
    cache = root / "cache"  # derivatives are content-addressed: sharing them keeps the test quick
    project = _start(root / "project", START)
    assert _build(project, cache).full
    for i, step in enumerate(steps):
        _apply(project, step)
        built = _build(project, cache)
        assert not built.full, step
        fresh = root / f"fresh-{i}"
        full = make_project(fresh, content=project / "content")
        assert _build(full, cache).full
        got, want = _tree(project / "site"), _tree(full / "site")
        assert sorted(got) == sorted(want), (step, sorted(set(got) ^ set(want))[:10])
        assert [k for k in want if got[k] != want[k]] == [], step
        shutil.rmtree(fresh)


def test_a_one_record_change_rewrites_few_pages_and_never_a_published_file(tmp_path):
    project = _start(tmp_path / "project", START)
    _build(project, tmp_path / "cache")
    site = project / "site"
    before = {rel: (site / rel).read_bytes() for rel in ("index.html", "ho-so/duong-hoa-quan-su/index.html")}
    published = (site / "ho-so/duong-hoa-quan-su/index.html").open("rb")  # a reader holding the old page
    _apply(project, ("edit", _entries(project).index(project / "content/entries" / START[0]), "Sửa lại."))
    built = _build(project, tmp_path / "cache")
    assert not built.full and "ho-so/duong-hoa-quan-su/index.html" in built.written
    assert len(built.written) < 20, built.written
    # The old page's bytes are still what its reader gets: it was unlinked, never truncated.
    assert published.read() == before["ho-so/duong-hoa-quan-su/index.html"]
    published.close()
    assert "Sửa lại." in (site / "ho-so/duong-hoa-quan-su/index.html").read_text(encoding="utf-8")


def test_a_change_to_the_theme_or_configuration_makes_the_build_full(tmp_path):
    project = _start(tmp_path / "project", START)
    cache = tmp_path / "cache"
    _build(project, cache)
    assert not _build(project, cache).full
    with open(project / "theme" / "main.html", "a", encoding="utf-8") as f:
        f.write("\n{#- a comment changes no page, but the build cannot know that -#}\n")
    assert _build(project, cache).full
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: ", "site_name: Tỉnh X - ", 1),
                      encoding="utf-8")
    assert _build(project, cache).full
    assert "Tỉnh X" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert not _build(project, cache).full


def test_a_failed_build_keeps_the_site_and_the_next_one_is_full(tmp_path, monkeypatch):
    project = _start(tmp_path / "project", START)
    cache = tmp_path / "cache"
    _build(project, cache)
    before = _tree(project / "site")
    _apply(project, ("edit", 0, "Sửa lại."))
    edited = f"ho-so/{_entries(project)[0].name}/index.html"

    def killed(cfg, dirty=False):
        # MkDocs truncates what it writes: the sitemap (every build) and the edited record's page.
        for rel in ("sitemap.xml", edited):
            with open(Path(cfg.site_dir) / rel, "w", encoding="utf-8") as f:
                f.write("nửa trang")
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "mkdocs_build", killed)
    with pytest.raises(KeyboardInterrupt):
        _build(project, cache)
    assert _tree(project / "site") == before
    monkeypatch.undo()
    built = _build(project, cache)
    assert built.full  # the working folder was left half-written: nothing of it is trusted
    assert (project / "site" / edited).read_text(encoding="utf-8") != "nửa trang"


def test_a_deleted_record_leaves_no_file(tmp_path):
    project = _start(tmp_path / "project", START)
    cache = tmp_path / "cache"
    _build(project, cache)
    assert (project / "site/ho-so/hu-gao-tiet-kiem/index.html").is_file()
    shutil.rmtree(project / "content/entries/ha-nam/thanh-liem/hu-gao-tiet-kiem")
    built = _build(project, cache)
    assert not built.full and "ho-so/hu-gao-tiet-kiem/index.html" in built.removed
    assert not (project / "site/ho-so/hu-gao-tiet-kiem").exists()
    assert not (project / "build/engine/site/ho-so/hu-gao-tiet-kiem").exists()


def test_a_withdrawn_record_is_gone_from_what_the_deploy_caches(tmp_path):
    # The deploy workflow saves build/docs and build/engine with build/cache for the next run.
    project = _start(tmp_path / "project", START)
    cache = project / "build" / "cache"
    _build(project, cache)
    entry = project / "content/entries/ha-nam/thanh-liem/hu-gao-tiet-kiem"
    photos = [p.name for p in entry.iterdir() if p.suffix == ".jpg"]
    assert photos and any((project / "build/engine/site/ho-so/hu-gao-tiet-kiem").iterdir())
    _apply(project, ("withdraw", _entries(project).index(entry), ""))
    assert not _build(project, cache).full
    left = [p for folder in ("docs", "engine") for p in (project / "build" / folder).rglob("*")
            if "hu-gao-tiet-kiem" in p.as_posix()
            or (p.is_file() and p.suffix in (".html", ".md", ".json", ".xml", ".csv")
                and "Hũ gạo tiết kiệm" in p.read_text(encoding="utf-8", errors="replace"))]
    assert left == []
    assert not (project / "site/ho-so/hu-gao-tiet-kiem").exists()


def test_a_second_sovang_on_the_same_build_folder_is_refused_in_vietnamese(corpus, run_cli, project, tmp_path):
    """A preview left running and a `sovang build` would rename files from under each other in
    build/docs (one of them stopped with a traceback): the second is refused and writes nothing."""
    import fcntl

    from conftest import VALID_INITIATIVE

    corpus.add("duong-hoa", VALID_INITIATIVE)
    site = tmp_path / "site"
    folder = project / "build"
    folder.mkdir()
    with open(folder / ".sovang.lock", "a+b") as held:  # what a running `sovang serve` holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
        assert code == 2 and "Traceback" not in out + err
        assert "một lệnh sovang khác" in err and "rồi chạy lại" in err
        assert not site.exists() and not (folder / "docs").exists()
    code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert code == 0, out + err  # the lock goes with the process that held it
