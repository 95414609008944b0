"""Shared fixtures: small content folders written per test, throwaway projects, the real site built once.

Nothing a test does may change the checkout: builds run in a project folder of
their own (`project`, `real_site`, tests/projects.py), every test starts in an
empty folder outside the checkout, and the session fails if build/, site/,
content/, schema/, docs/, theme/, the top-level names or `git status` differ at
the end from what they were at the start (`pytest_sessionfinish` below).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

from generator.cli import main as cli_main
from projects import CONTENT, ROOT, Checkout, build_project, make_project, tree_snapshot

# A valid pre-2025 initiative; tests change one thing at a time.
VALID_INITIATIVE = """\
kind: initiative
name: Đường hoa quân sự
summary: Ba ki-lô-mét đường hoa trên trục ĐT 499B do Ban Chỉ huy Quân sự huyện thực hiện.
date: 2022-12-31
place:
  province: Hà Nam
  district: Thanh Liêm
fields: [quoc-phong]
"""

VALID_PERSON = """\
kind: person
name: Nguyễn Thị Mỹ Hạnh
summary: Phó Bí thư Thường trực Đảng ủy phường Tân Phước Khánh.
date: 2020-07-05
place:
  province: Bình Dương
  district: Tân Uyên
  commune: Tân Phước Khánh
fields: [xay-dung-dang]
role: Phó Bí thư Thường trực Đảng ủy phường
adult: true
consent:
  name: true
  story: true
  given_by: self
"""

# A photo item for the records above; the file itself is added by each test.
PHOTO = """\
photos:
  - file: anh-1.jpg
    caption: Tuyến đường hoa
    credit: Việt Hà
    alt: Hai hàng hoa dọc con đường
"""


class Corpus:
    """A throwaway content folder with the real taxonomy."""

    def __init__(self, root: Path):
        self.root = root
        (root / "entries").mkdir(parents=True)
        shutil.copy(CONTENT / "taxonomy.yml", root / "taxonomy.yml")

    def add(self, slug: str, text: str, group: str = "ha-nam/thanh-liem", files: dict[str, bytes] | None = None) -> Path:
        folder = self.root / "entries" / group / slug
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "entry.yml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        for name, data in (files or {}).items():
            (folder / name).write_bytes(data)
        return path


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    return Corpus(tmp_path / "content")


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run `sovang ARGS` in-process from a folder; returns (exit code, stdout, stderr)."""

    def run(*args: str, cwd: Path | None = None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        try:
            code = cli_main(list(args))
        except SystemExit as exc:  # argparse exits on usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


# --------------------------------------------------------------------------- throwaway projects


@pytest.fixture
def project(tmp_path) -> Path:
    """A throwaway project folder, `tmp_path / "project"`: copies of mkdocs.yml and theme/, no content.

    Run the CLI there (`run_cli("build", "--content", ..., "--site", ..., cwd=project)`,
    or `--config project / "mkdocs.yml"`): the generated Markdown, the build cache
    and the default site folder are then `project/build/docs`, `project/build/cache`
    and `project/site`, never the checkout's.
    """
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The shipped content/ built once per session, as `make site` builds it, in a throwaway project.

    The site folder (holds index.html), shared by every test that reads the real
    site (tests/test_site.py, tests/browser): tests must not change it, and the
    session's teardown fails if one did. A test that needs other content, or a
    change to it, builds its own.
    """
    project = make_project(tmp_path_factory.mktemp("real-site") / "project", content=CONTENT)
    build_project(project)
    site = project / "site"
    assert (site / "index.html").is_file()
    before = tree_snapshot(site)
    yield site
    after = tree_snapshot(site)
    changed = sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))
    assert not changed, f"a test changed the shared real site: {changed[:20]}"


@pytest.fixture(scope="session", autouse=True)
def _cwd_outside_the_checkout(tmp_path_factory):
    """Every test starts in an empty folder outside the checkout.

    A command run without `cwd=` (relative `content`, `mkdocs.yml`, `build/`,
    `site`) then finds nothing, and writes nothing, in the checkout.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        yield


def pytest_configure(config):
    # Hypothesis keeps its example database and caches in ./.hypothesis, i.e. in the
    # checkout: put them in a temporary folder unless HYPOTHESIS_STORAGE_DIRECTORY says where.
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return
    try:
        from hypothesis.configuration import set_hypothesis_home_dir
    except ImportError:
        return
    home = tempfile.mkdtemp(prefix="sovang-hypothesis-")
    set_hypothesis_home_dir(home)
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))


# --------------------------------------------------------------------------- the checkout guard

_CHECKOUT = pytest.StashKey[Checkout]()
_CHANGES = pytest.StashKey[list]()


def pytest_sessionstart(session):
    if hasattr(session.config, "workerinput"):  # a pytest-xdist worker: the controller checks
        return
    session.config.stash[_CHECKOUT] = Checkout()


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(_CHECKOUT, None)
    if before is None:
        return
    changes = before.differences(Checkout())
    if changes:
        session.config.stash[_CHANGES] = changes
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    changes = config.stash.get(_CHANGES, None)
    if not changes:
        return
    terminalreporter.section(f"the tests changed the checkout {ROOT}", sep="=", red=True, bold=True)
    for line in changes[:100]:
        terminalreporter.line(line, red=True)
    if len(changes) > 100:
        terminalreporter.line(f"... and {len(changes) - 100} more", red=True)
    terminalreporter.line("Tests must write only under tmp_path (see the `project` fixture); "
                          "the run fails.", red=True)
