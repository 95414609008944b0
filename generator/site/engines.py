"""The other engines that read mkdocs.yml: ProperDocs and Zensical, each run as a subprocess.

MkDocs with Material builds the site in-process (engine.py). Material reaches its end of life
in May 2027 and MkDocs 1.x is frozen, so the same generated Markdown must also build with
ProperDocs (the maintained fork of MkDocs 1.x, with the same Material) and with Zensical
(Material's successor, which reads mkdocs.yml and theme/ as they are). Each lives in its own
virtualenv under .venv/engines/ (`make engines`, requirements-<name>.txt): their dependencies
need not agree with the generator's, so they are run as programs, never imported.
tests/test_engines.py checks that both give the same pages and the same article HTML as MkDocs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..diagnostics import printable

NAMES = ("mkdocs", "properdocs", "zensical")

# What a person reads in a message.
_LABELS = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}

# Zensical 0.0.73 refuses a docs_dir or site_dir outside the folder of its configuration file
# ("must be within project root"), and panics on an absolute docs_dir given through INHERIT
# ("invariant: Id(Format(Path(RootDir)))"): it gets both as paths relative to that folder.
_WITHIN_ROOT = {"zensical"}

# Zensical colours its messages whatever the terminal (NO_COLOR and TERM=dumb do not stop it).
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class EngineError(Exception):
    """The engine is missing or refused the build; the message is Vietnamese, with the engine's own output."""


# The checkout this generator runs from, where `make engines` installs them: a project folder
# elsewhere (`--config`, the tests' throwaway projects) uses the same engines.
_CHECKOUT = Path(__file__).resolve().parents[2]


def find(name: str, project: Path) -> Path | None:
    """The engine's program: the project's own (.venv/engines/<name>/, from `make engines`), then
    the generator's checkout's, then one beside the running Python (the generator's MkDocs), then PATH."""
    exe = name  # each engine's program is named after it
    for candidate in (project / ".venv" / "engines" / name / "bin" / exe,
                      _CHECKOUT / ".venv" / "engines" / name / "bin" / exe,
                      Path(sys.executable).parent / exe):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(exe)
    return Path(found) if found else None


def build_with(name: str, config_file: Path, docs: Path, site_dir: Path) -> None:
    """Build the Markdown in `docs` with engine `name` into `site_dir` (replaced), strictly: a warning
    fails the build. SOURCE_DATE_EPOCH, when set, reaches the engine through the environment.
    Raises EngineError when the engine is not installed or the build fails."""
    if name not in NAMES:
        raise EngineError(f"không có công cụ dựng trang '{printable(name)}'; hãy chọn một trong: {', '.join(NAMES)}")
    label = _LABELS[name]
    config_file = config_file.resolve()
    root = config_file.parent
    program = find(name, root)
    if program is None:
        raise EngineError(f"chưa cài {label}: chạy make engines (không thấy .venv/engines/{name}/bin/{name} "
                          f"cạnh {config_file.name} hay trong mã nguồn, cũng không có lệnh {name} trong PATH)")
    docs, site_dir = docs.resolve(), site_dir.resolve()
    if name in _WITHIN_ROOT and not docs.is_relative_to(root):
        raise EngineError(f"{label} chỉ đọc Markdown trong thư mục của {config_file.name} ({root}), "
                          f"không đọc được {docs}")
    # Outside the root, Zensical builds into a folder inside it, then the site is moved.
    out = site_dir
    if name in _WITHIN_ROOT and not site_dir.is_relative_to(root):
        out = Path(tempfile.mkdtemp(prefix=f".{name}-site-", dir=root))
    # None of the engines takes docs_dir on its command line, Zensical not site_dir either: a
    # configuration beside the real one inherits it (relative paths keep their meaning, and
    # Zensical keeps its project root) and overrides only the two folders. JSON strings are YAML.
    fd, inherit = tempfile.mkstemp(prefix=f".{config_file.stem}.{name}.", suffix=".yml", dir=root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"INHERIT: {json.dumps(config_file.name)}\n"
                    f"docs_dir: {json.dumps(_path_for(name, docs, root))}\n"
                    f"site_dir: {json.dumps(_path_for(name, out, root))}\n")
        done = _run(name, program, Path(inherit), root)
        if done.returncode != 0:
            raise EngineError(f"{label} dựng trang thất bại (mã thoát {done.returncode}):\n{_output(done.stdout)}")
        if out != site_dir:
            shutil.rmtree(site_dir, ignore_errors=True)
            shutil.move(out, site_dir)
    finally:
        os.unlink(inherit)
        if out != site_dir:
            shutil.rmtree(out, ignore_errors=True)


def _path_for(name: str, path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if name in _WITHIN_ROOT else str(path)


def _run(name: str, program: Path, config: Path, root: Path) -> subprocess.CompletedProcess:
    # Every engine here spells these two options alike; none takes docs_dir as an option.
    command = [str(program), "build", "--strict", "--config-file", str(config)]
    env = dict(os.environ)
    # mkdocs.yml's toc slugify is this generator's (generator.core.vntext): the engine imports the
    # same code that is running, whatever its own virtualenv holds. Only from a checkout: an
    # installed generator's parent is site-packages, which would bring our dependencies along.
    if (_CHECKOUT / "pyproject.toml").is_file():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_CHECKOUT), env.get("PYTHONPATH")]))
    env["PYTHONUTF8"] = "1"  # file names in messages are Vietnamese
    env["NO_MKDOCS_2_WARNING"] = env["DISABLE_MKDOCS_2_WARNING"] = "true"  # banners about MkDocs 2, not our build
    try:
        return subprocess.run(command, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise EngineError(f"không chạy được {_LABELS[name]} ({program}): {printable(str(exc))}") from None


def _output(text: str) -> str:
    """The engine's messages, without colours and without the Python traceback of its own exit
    (Zensical raises one for every failed build); the exception's last line stays."""
    lines = _ANSI.sub("", text).splitlines()
    if "Traceback (most recent call last):" in lines:
        start = lines.index("Traceback (most recent call last):")
        lines = lines[:start] + lines[-1:]
    return "\n".join(printable(line) for line in lines if line.strip()) or "(không có thông báo)"
