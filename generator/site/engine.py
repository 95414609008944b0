"""The MkDocs stage: build the generated Markdown into a static site, or serve it.

The generator writes plain Markdown before MkDocs runs and uses no MkDocs
hooks or plugins of its own, so any engine that reads `mkdocs.yml` (MkDocs
with Material today, Zensical tomorrow) can build the same folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import subprocess
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # a banner for developers, not for editors

from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, ConfigurationError  # noqa: E402

from ..diagnostics import printable  # noqa: E402
from . import links  # noqa: E402


class SiteError(Exception):
    """MkDocs refused the generated pages or the configuration."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _raw_config(config_file: Path) -> dict:
    # Read without MkDocs' validation, which insists the docs folder already exists.
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, encoding="utf-8") as f:
        return yaml_load(f) or {}


def docs_dir(config_file: Path) -> Path:
    """Where the generated Markdown goes: `docs_dir` of mkdocs.yml."""
    return config_file.parent / _raw_config(config_file).get("docs_dir", "docs")


def publisher(config_file: Path):
    """The publisher's identity and settings (site_name, site_url, extra.publisher): publisher.py.
    Raises publisher.SettingsError with a Vietnamese message."""
    from .publisher import settings

    return settings(_raw_config(config_file))


def editing(config_file: Path):
    """The composer's and the edit links' settings (repo_url, extra.content_branch), or None with
    what is missing, in Vietnamese (composer.editing_settings)."""
    from .composer import editing_settings

    return editing_settings(_raw_config(config_file), config_file.resolve().parent)


def source_date_epoch(content: Path, newest: dt.date | None) -> int:
    """The build's date, so that the same commit builds the same bytes anywhere, any day.

    `SOURCE_DATE_EPOCH` when set (reproducible-builds.org); else the time of
    the last commit of the content's repository; else the newest record's date.
    MkDocs dates the sitemap and stamps its gzip copy with it.
    """
    return _in_range(_epoch(content, newest))


def _epoch(content: Path, newest: dt.date | None) -> int:
    if os.environ.get("SOURCE_DATE_EPOCH", "").isascii() and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=content, capture_output=True, text=True,
                              timeout=30)
        if done.returncode == 0 and done.stdout.strip().isascii() and done.stdout.strip().isdigit():
            return int(done.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        pass
    day = newest or dt.date(2000, 1, 1)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


# gzip stores its date in 32 unsigned bits (until 2106-02-07); a commit's date is whatever
# its author wrote, so a date beyond that is a clear error, not a traceback from gzip.
_LAST_EPOCH = 2**32 - 1


def _in_range(epoch: int) -> int:
    if not 0 <= epoch <= _LAST_EPOCH:
        raise SiteError(f"ngày dựng trang (SOURCE_DATE_EPOCH, ngày của commit cuối hoặc của hồ sơ mới nhất) là "
                        f"{epoch}, ngoài khoảng 01/01/1970–07/02/2106; hãy kiểm tra lại ngày đó")
    return epoch


def build(config_file: Path, docs: Path, site: Path, epoch: int | None = None) -> None:
    """Build into a fresh folder, then swap it in: a failed build leaves the old site whole."""
    if epoch is not None:
        with _environ("SOURCE_DATE_EPOCH", str(epoch)):
            return build(config_file, docs, site)
    _recover(site)
    staging = site.with_name(site.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _stage(config_file, docs, staging)
    except BaseException:
        # Whatever stopped the build (MkDocs, the link check, Ctrl-C), no half-built site.new stays.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, site)


def _stage(config_file: Path, docs: Path, staging: Path) -> None:
    """MkDocs into `staging`, then the link check of what it built."""
    collector = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collector)
    old_level = log.level
    log.setLevel(logging.WARNING)  # MkDocs' INFO lines are English noise for editors
    try:
        cfg = load_config(config_file=str(config_file), docs_dir=str(docs), site_dir=str(staging), strict=True)
        mkdocs_build(cfg)
    except (Abort, ConfigurationError) as exc:
        details = "\n".join(printable(m) for m in collector.messages) or printable(str(exc))
        raise SiteError(details) from None
    finally:
        log.removeHandler(collector)
        log.setLevel(old_level)
    broken = links.check(staging)
    if broken:
        lines = [printable(f"{b.page}: liên kết '{b.href}' hỏng: {b.reason}") for b in broken[:50]]
        more = f"\n… và {len(broken) - 50} liên kết hỏng khác" if len(broken) > 50 else ""
        raise SiteError("Trang dựng ra có liên kết hỏng; trang cũ được giữ nguyên:\n" + "\n".join(lines) + more)


@contextlib.contextmanager
def _environ(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _recover(site: Path) -> None:
    """Finish a swap that was interrupted between its two renames: put the previous site back."""
    old = site.with_name(site.name + ".old")
    if old.is_dir() and not site.exists():
        os.replace(old, site)


def _swap(new: Path, site: Path) -> None:
    # Two renames; a build stopped between them leaves site.old, which _recover puts back.
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.replace(site, old)
    os.replace(new, site)
    shutil.rmtree(old, ignore_errors=True)
