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

from ..core import collector

_HREF = re.compile(r"""<(?:a|link)\b[^>]*?\shref=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"""\sid=(["'])(.*?)\1""")
# Pages that may be served at any depth link from the site root; they are checked from there.
_ROOT_RELATIVE = {"404.html"}


@dataclass(frozen=True)
class Broken:
    page: str  # relative to the site
    href: str
    reason: str  # Vietnamese


def check(site: Path, pages: list[str] | None = None) -> list[Broken]:
    """The broken links of `pages` (relative HTML paths; every page of the site by default),
    resolved against the whole site."""
    files = site_files(site)
    # One pass: each page is read once and its links resolved at once; only links to an
    # #anchor wait for the ids of their target. At 100,000 pages nothing else is kept.
    ids: dict[str, set[str]] = {}
    anchored: list[tuple[str, str, str, str]] = []  # page, href, target page, fragment
    broken: list[Broken] = []
    checked = sorted(f for f in files if f.endswith(".html")) if pages is None else sorted(set(pages) & files)
    with collector.paused():  # millions of short strings, no cycles: rescanning them is wasted time
        for name in checked:
            text = (site / name).read_text(encoding="utf-8", errors="replace")
            ids[name] = _ids(text)
            here = "" if name in _ROOT_RELATIVE else posixpath.dirname(name)
            for _, raw in _HREF.findall(text):
                href = html.unescape(raw)
                try:
                    url = urlsplit(href)
                except ValueError:  # "//[::1": an unclosed IPv6 host, which no browser can follow either
                    broken.append(Broken(name, href, "địa chỉ không đọc được"))
                    continue
                if url.scheme or url.netloc or href.startswith("#") or not url.path:
                    continue
                target = _target(here, unquote(url.path), files)
                if target is None:
                    broken.append(Broken(name, href, "không có trang hay tệp này"))
                elif url.fragment:
                    anchored.append((name, href, target, unquote(url.fragment)))
        for name, href, target, fragment in anchored:
            if target.endswith(".html") and target not in ids:  # a page not checked this time: its ids only
                ids[target] = _ids((site / target).read_text(encoding="utf-8", errors="replace"))
            if target in ids and fragment not in ids[target]:
                broken.append(Broken(name, href, f"trang có nhưng không có mục #{fragment}"))
    return sorted(broken, key=lambda b: b.page)  # stable: a page's links stay in their order


def _ids(text: str) -> set[str]:
    return {html.unescape(v) for _, v in _ID.findall(text)}


def site_files(site: Path) -> set[str]:
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
