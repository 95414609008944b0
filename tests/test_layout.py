"""The code's layout: imports flow one way through the stages, the README maps every module,
and each fact of the site (URLs, the reform date, the kinds, number and date formats) is
spelled out in one place only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from generator.core import urls
from generator.records.schema import KINDS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
# Stages read left to right; a module may import from its own stage and the ones before it.
LAYERS = {"core": 0, "records": 1, "media": 2, "site": 3}
TOP = {"pipeline": 4, "cli": 5, "__main__": 6}
SHARED = "diagnostics"  # every stage reports through it; it imports nothing of the generator


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def name_of(path: Path) -> str:
    return ".".join(("generator", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return -1  # the package itself
    if parts[1] in LAYERS:
        return LAYERS[parts[1]]
    if parts[1] == SHARED:
        return -1
    return TOP[parts[1]]


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import of the generator, function-level ones included."""
    here = name_of(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            if not target.startswith("generator"):
                continue
            for alias in node.names:  # "from . import urls" imports a module
                candidate = f"{target}.{alias.name}"
                found.append((node.lineno, candidate if _is_module(candidate) else target))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
    return found


def _is_module(name: str) -> bool:
    path = PACKAGE.joinpath(*name.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path):
    me = name_of(path)
    for line, target in imports(path):
        if me.endswith(SHARED):
            raise AssertionError(f"{me}:{line} imports {target}: diagnostics must import nothing of the generator")
        assert not target.startswith("generator.cli") or me == "generator.__main__", (
            f"{me}:{line} imports {target}: nothing imports the CLI")
        assert layer(target) <= layer(me), (
            f"{me}:{line} imports {target}, a later stage; move the shared part down a stage")


def test_the_layout_has_the_stages_and_nothing_else_at_the_top():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "cli", "pipeline", SHARED}
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(LAYERS)


def _readme_table() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `(generator/[^`]+)`", text, flags=re.M)


def test_the_readme_table_names_every_module_once():
    listed = _readme_table()
    assert len(listed) == len(set(listed)), "a module is listed twice in README.md"
    expected = {str(p.relative_to(ROOT)) for p in modules() if p.name not in ("__init__.py", "__main__.py")}
    folders = {str(p.relative_to(ROOT)) + "/" for p in PACKAGE.rglob("*") if p.is_dir()
               and p.name in ("templates", "fonts")}
    assert set(listed) == expected | folders, (
        f"missing from README.md: {sorted((expected | folders) - set(listed))}; "
        f"listed but absent: {sorted(set(listed) - expected - folders)}")


def test_packaging_includes_every_stage_and_its_files():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for stage in LAYERS:
        assert f'"generator.{stage}"' in text
    for folder in ("records/templates", "site/templates", "media/fonts"):
        stage, sub = folder.split("/")
        assert re.search(rf'"generator\.{stage}" = \["{sub}/\*', text), folder


# --- Each fact once --------------------------------------------------------------------

def _python_strings(path: Path) -> str:
    """Every string literal of a module except docstrings, which may describe a layout in prose."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return "\n".join(n.value for n in ast.walk(tree)
                     if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings)


_COMMENTS = re.compile(r"\{#.*?#\}|<!--.*?-->|/\*.*?\*/|^\s*//.*?$", re.S | re.M)


def sources() -> dict[str, str]:
    """What the generator and the theme spell out: code strings and template text, without comments."""
    found = {str(p.relative_to(ROOT)): _python_strings(p) for p in modules()}
    for pattern in ("generator/**/*.j2", "theme/*.html", "theme/partials/*.html", "theme/assets/javascripts/*.js"):
        for p in sorted(ROOT.glob(pattern)):
            found[str(p.relative_to(ROOT))] = _COMMENTS.sub("", p.read_text(encoding="utf-8"))
    return found


# (what, pattern, {file: why it may say it too}); the first file named is where it is defined.
FACTS = [
    ("the reform date", r"2025-0?7-0?1|0?1/0?7/2025|0?1\.0?7\.2025", {}),
    ("a kind's URL word", r"\b(?:ca-nhan|tap-the|mo-hinh)\b", {"generator/core/urls.py": "KIND_SLUGS"}),
    ("a record's URL", r"ho-so/", {
        "generator/core/urls.py": "defined here",
        "generator/site/feed.py": "the Atom id names the record for ever, whatever its URL becomes (RFC 4151 tag)"}),
    ("a place page's URL", r"dia-phuong/|truoc-2025/", {"generator/core/urls.py": "defined here"}),
    ("a list page's URL", r"(?<![\w-])(?:linh-vuc|chuong-trinh|nam|thu-vien-anh|thong-ke|ban-do|tra-cuu|du-lieu)/|trang-\{",
     {"generator/core/urls.py": "defined here"}),
    ("the search index's files", r"(?<![\w-])tim/|\bthe/|index\.json", {"generator/core/urls.py": "defined here"}),
    ("the feed and the share card", r"feed\.xml|chia-se", {
        "generator/core/urls.py": "defined here",
        "theme/main.html": "a MkDocs theme template cannot import Python: test_theme_paths_match_urls pins them"}),
    ("the open data files", r"ho-so\.(?:json|csv)|schema-v", {"generator/core/urls.py": "defined here"}),
    ("the composer's page and data", r"(?<![\w-])soan/|mau\.json", {"generator/core/urls.py": "defined here"}),
    ("GitHub's page addresses", r"/(?:new|edit|upload)/", {"generator/core/urls.py": "defined here"}),
    ("the slug pattern", r"\[a-z0-9\]", {
        "generator/records/schema.py": "SLUG_PATTERN",
        "generator/core/vntext.py": "slugify's complement of it: what a slug may not hold"}),
    ("Vietnamese number formatting", r"""replace\(",", "\."\)|:,\}""", {}),
]


def test_each_fact_is_spelled_out_in_one_place():
    texts = sources()
    # Python formatting code is not in string literals: look at the source for those two.
    code = {name: (ROOT / name).read_text(encoding="utf-8") for name in texts if name.endswith(".py")}
    for what, pattern, allowed in FACTS:
        found = {name for name, text in texts.items() if re.search(pattern, text)}
        if what == "Vietnamese number formatting":
            found = {name for name, text in code.items() if re.search(pattern, text)} - {"generator/core/vntext.py"}
        assert found <= set(allowed), f"{what} is spelled out in {sorted(found - set(allowed))}; use its one definition"


def test_theme_paths_match_urls():
    main = (ROOT / "theme" / "main.html").read_text(encoding="utf-8")
    assert f'meta.image or "{urls.SITE_CARD}"' in main and f"'{urls.FEED}' | url" in main


def test_kind_url_words_cover_the_kinds():
    assert set(urls.KIND_SLUGS) == set(KINDS)
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # the publisher's navigation names the kind pages
    assert all(urls.kind(k) in nav for k in KINDS)


def _material_words(path: Path) -> dict[str, str]:
    import json

    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("{{ {") + 3:text.index("}[key]") + 1])


def test_the_theme_speaks_vietnamese_for_every_word_material_has():
    """theme/partials/languages/vi.html replaces Material's: every key of Material's English is
    there (a missing one would fall back to English), and none is still the English word."""
    import material

    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    english, ours = _material_words(languages / "en.html"), _material_words(ROOT / "theme" / "partials" / "languages" / "vi.html")
    assert set(english) <= set(ours), sorted(set(english) - set(ours))
    not_words = {"direction", "search.config.pipeline", "search.config.separator"}
    assert [k for k in ours if k not in not_words and ours[k] == english.get(k)] == []
