"""Plain text made inert in Markdown, for every page the generator writes in Markdown.

Shared by the site's pages (`render`) and the editors' format reference
(`reference`), which is Markdown for GitHub: one escaping rule for both.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

# Python-Markdown's backslash-escapable characters plus `|` (tables), and <>& which
# become entities; `~` too, which opens a fenced code block (MkDocs always loads
# fenced_code) and cannot be backslash-escaped, so it becomes an entity as well.
# Escaping anything else would show the backslash to readers.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~])")


def md_text(value) -> str:
    """Plain text made inert in Markdown: no markup, no HTML, one line."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(lambda m: _escape_char(m.group(1)), text)


def _escape_char(c: str) -> str:
    # <, > and & become entities (Markdown would pass raw HTML through); the rest a backslash.
    return html.escape(c) if c in "<>&" else "&#126;" if c == "~" else "\\" + c


def inert(value) -> str:
    """A template value as Markdown text: `Markup` as it is (built and escaped by us), None as nothing."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return md_text(value)
