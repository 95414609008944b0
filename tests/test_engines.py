"""ProperDocs and Zensical build the shipped content like MkDocs (generator/site/engines.py).

Material reaches its end of life in May 2027 and MkDocs 1.x is frozen; the generated Markdown
must build with either successor without a change. The shipped content is generated and built
with MkDocs once, then the same docs folder is built by each engine from its virtualenv under
.venv/engines/ (`make engines`, which `make test` runs): no broken link, the same HTML pages,
and the same article on every page. Page chrome (header, navigation, footer, Material's own
scripts and styles) is the engine's and is not compared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.site import engines, links
from generator.site.engine import docs_dir
from projects import ROOT, SHIPPED, build_project, make_project

OTHERS = ("properdocs", "zensical")
EPOCH = "1700000000"

# Files outside assets/ that one engine writes and MkDocs does not, or the other way round; none
# is a page, and none is linked from a page.
ENGINE_ONLY = {
    # Written although mkdocs.yml disables search (the items are empty): Zensical's search
    # plugin writes its index either way, and only the search box reads it.
    "zensical": {"search.json"},
}
MKDOCS_ONLY = {
    # MkDocs gzips its sitemap as well; Zensical 0.0.73 writes sitemap.xml alone.
    "zensical": {"sitemap.xml.gz"},
}

# Zensical's base.html puts the target of its "skip to content" link first inside the article
# container, outside the page's content block (Material's link points at the first heading
# instead). It is the template's, not the page's: removed before the articles are compared.
SKIP_TARGET = {"zensical": '<a id="__skip" tabindex="-1"></a>'}

# Material's article container (an <article> since 9.x, a <div> before) and Zensical's are the same.
_CONTAINER = re.compile(r"""<(article|div)\b[^>]*\bclass=["']md-content__inner\b[^"']*["'][^>]*>""")


@pytest.fixture(scope="module")
def mkdocs_build(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The shipped content built with MkDocs in a throwaway project: (project, docs, site)."""
    project = make_project(tmp_path_factory.mktemp("engines") / "project", SHIPPED)
    build_project(project, SOURCE_DATE_EPOCH=EPOCH)
    return project, docs_dir(project / "mkdocs.yml"), project / "site"


def installed(name: str) -> Path:
    """The pinned engine of `make engines`; the test fails, not skips, without it."""
    program = ROOT / ".venv" / "engines" / name / "bin" / name
    if not program.is_file():
        pytest.fail(f"{name} is not installed at {program}: run `make engines` (requirements-{name}.txt)",
                    pytrace=False)
    return program


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def article(page: Path, engine: str) -> str:
    """The page's article (Material's `md-content__inner` container), whitespace runs as one space."""
    text = page.read_text(encoding="utf-8")
    start = _CONTAINER.search(text)
    assert start, f"{page}: no md-content__inner container"
    tag = re.compile(rf"<(/?){start.group(1)}\b[^>]*>", re.IGNORECASE)
    depth = 0
    for m in tag.finditer(text, start.start()):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            break
    else:
        raise AssertionError(f"{page}: the md-content__inner container is not closed")
    inner = text[start.end():m.start()].strip()
    skip = SKIP_TARGET.get(engine)
    if skip and inner.startswith(skip):
        inner = inner[len(skip):]
    return " ".join(inner.split())


def first_difference(a: str, b: str, context: int = 120) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, at - context)
    return f"  mkdocs: …{a[start:at + context]}…\n  engine: …{b[start:at + context]}…"


@pytest.mark.parametrize("name", OTHERS)
def test_engine_builds_the_shipped_content_like_mkdocs(name, mkdocs_build, monkeypatch):
    project, docs, reference = mkdocs_build
    program = installed(name)
    assert engines.find(name, project) == program  # the pinned one, not another on PATH
    site = project / f"site-{name}"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    engines.build_with(name, project / "mkdocs.yml", docs, site)

    broken = links.check(site)
    assert not broken, f"{name}: {len(broken)} broken links:\n" + "\n".join(
        f"  {b.page}: {b.href} ({b.reason})" for b in broken[:30])

    ours, theirs = files(reference), files(site)
    pages = {f for f in ours if f.endswith(".html")}
    assert {f for f in theirs if f.endswith(".html")} == pages
    # Material's own assets differ by engine (bundles, hashes); everything else is the generator's.
    outside = {f for f in ours if not f.startswith("assets/")}
    assert {f for f in theirs if not f.startswith("assets/")} == (outside - MKDOCS_ONLY.get(name, set())
                                                                  | ENGINE_ONLY.get(name, set()))
    # What MkDocs copies of theme/assets/ (our styles, scripts, logo, the gallery's vendored
    # script) is copied as is. MkDocs leaves out theme/'s Markdown files (the vendored licence
    # and README); Zensical copies them too, which is harmless.
    ours_in_theme = {f"assets/{p}" for p in files(ROOT / "theme" / "assets")} & ours
    assert ours_in_theme <= theirs
    assert all((site / f).read_bytes() == (ROOT / "theme" / f).read_bytes() for f in ours_in_theme)

    differ = []
    for page in sorted(pages):
        a, b = article(reference / page, "mkdocs"), article(site / page, name)
        if a != b:
            differ.append(f"{page}:\n{first_difference(a, b)}")
    assert not differ, f"{name}: the article differs from MkDocs' on {len(differ)} of {len(pages)} pages:\n" + \
        "\n".join(differ[:10])


def test_a_missing_engine_is_named_in_vietnamese(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    monkeypatch.setattr(engines, "_CHECKOUT", tmp_path / "no-checkout")
    monkeypatch.setattr(engines.sys, "executable", str(tmp_path / "no-python"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(engines.EngineError, match="chưa cài Zensical: chạy make engines"):
        engines.build_with("zensical", config, tmp_path / "docs", tmp_path / "site")


def test_a_failed_build_reports_the_engines_own_words(tmp_path):
    installed("zensical")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Trang\n\n[hỏng](khong-co.md)\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    with pytest.raises(engines.EngineError) as failed:
        engines.build_with("zensical", config, tmp_path / "docs", tmp_path / "site")
    message = str(failed.value)
    assert message.startswith("Zensical dựng trang thất bại")
    assert "index.md" in message and "\x1b" not in message and "Traceback" not in message
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".yml") == ["mkdocs.yml"]  # no config left
