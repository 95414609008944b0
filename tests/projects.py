"""Throwaway project folders for tests.

A project folder holds what `sovang build` reads relative to its configuration:
a copy of mkdocs.yml (`docs_dir: build/docs`, the cache beside it, `site_dir: site`)
and of theme/, plus a content/ folder if asked for. Running the CLI with
`cwd=` such a folder (or `--config` its mkdocs.yml) keeps build/, site/ and the
memos there, never in the checkout: a developer's `make site` output survives
`make test`.

Importable from tests/ and tests/browser as `projects` (tests/ is on sys.path,
as for `imaging` and `hostile`).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

# What a project folder needs besides content/: the MkDocs configuration and
# everything it refers to by a relative path.
PROJECT_FILES = ("mkdocs.yml", "theme")


def make_project(root: Path, content: Path | None = None, config_extra: str = "") -> Path:
    """A project folder at `root` (created): copies of mkdocs.yml and theme/, and of `content` as content/.

    `config_extra` is appended to mkdocs.yml (e.g. a site_url). Returns `root`.
    theme/ is copied, not linked, so that nothing done in the project reaches the checkout.
    """
    root.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    if config_extra:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + config_extra, encoding="utf-8")
    if content is not None:
        shutil.copytree(content, root / "content")
    return root


def subprocess_env(**extra: str) -> dict[str, str]:
    """os.environ with this checkout first on PYTHONPATH, plus `extra`.

    A `python -m generator` started from a project folder (outside the checkout)
    must import this checkout's generator/, and so must mkdocs.yml's
    `!!python/name:generator.vntext.toc_slugify`, not whatever `sovang` is
    installed in the virtualenv (an editable install may point at another
    checkout). Checked once per session.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.update(extra)
    _check_imports_this_checkout(env["PYTHONPATH"])
    return env


@functools.cache
def _check_imports_this_checkout(pythonpath: str) -> None:
    env = dict(os.environ, PYTHONPATH=pythonpath)
    done = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"],
                          cwd=tempfile.gettempdir(), env=env, capture_output=True, text=True, timeout=60, check=True)
    found = Path(done.stdout.strip()).resolve()
    assert found == ROOT / "generator" / "__init__.py", (
        f"a subprocess imports {found}, not this checkout's generator/ ({ROOT})")
