"""The link check: every internal link and #anchor in the built HTML must resolve.

MkDocs' `validation` settings (with `--strict`) catch broken links between
Markdown pages; this also covers links in raw HTML (galleries, charts, the
map, the finder's form) and anchors on other pages, which MkDocs does not
check. It reads the staged site before it replaces the public one, so a
broken link fails the build and the old site stays.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

_HREF = re.compile(r"""<(?:a|link)\b[^>]*?\shref=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"""\sid=(["'])(.*?)\1""")
# Pages that may be served at any depth link from the site root; they are checked from there.
_ROOT_RELATIVE = {"404.html"}


@dataclass(frozen=True)
class Broken:
    page: str  # relative to the site
    href: str
    reason: str  # Vietnamese


def check(site: Path) -> list[Broken]:
    files = _files(site)
    # One pass reads each page once and keeps only its links and ids: 10,000 pages stay small.
    links: dict[str, list[str]] = {}
    ids: dict[str, set[str]] = {}
    for name in sorted(f for f in files if f.endswith(".html")):
        text = (site / name).read_text(encoding="utf-8", errors="replace")
        links[name] = [html.unescape(raw) for _, raw in _HREF.findall(text)]
        ids[name] = {html.unescape(v) for _, v in _ID.findall(text)}
    broken = []
    for name, hrefs in links.items():
        here = "" if name in _ROOT_RELATIVE else posixpath.dirname(name)
        for href in hrefs:
            url = urlsplit(href)
            if url.scheme or url.netloc or href.startswith("#") or not url.path:
                continue
            target = _target(here, unquote(url.path), files)
            if target is None:
                broken.append(Broken(name, href, "không có trang hay tệp này"))
            elif url.fragment and target in ids and unquote(url.fragment) not in ids[target]:
                broken.append(Broken(name, href, f"trang có nhưng không có mục #{unquote(url.fragment)}"))
    return broken


def _files(site: Path) -> set[str]:
    """Every file of the site, as a relative POSIX path: links are resolved on strings, not on disk."""
    found = set()
    for folder, _, names in os.walk(site):
        rel = Path(folder).relative_to(site).as_posix()
        found.update(name if rel == "." else f"{rel}/{name}" for name in names)
    return found


def _target(here: str, path: str, files: set[str]) -> str | None:
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(here, path)
    rel = posixpath.normpath(joined) if joined else "."
    if rel == ".." or rel.startswith("../"):
        return None  # outside the site
    rel = "" if rel == "." else rel
    for candidate in ((rel,) if rel and not path.endswith("/") else ()) + (posixpath.join(rel, "index.html"),):
        if candidate in files:
            return candidate
    return None
