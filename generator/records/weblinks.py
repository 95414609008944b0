"""Which outside addresses a record's story may link to, and where its links are.

A story is Markdown, so its links are written in four ways (inline, reference,
autolink, raw HTML). The validator points the editor at each bad one; the
renderer drops any that got past it, so the rule holds at the sink too.
"""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urlsplit

SCHEMES = ("http", "https", "mailto")

_TARGETS = re.compile(
    r"\]\(\s*<?(?P<inline>[^\s)>]+)"  # [text](url) and [text](<url>)
    # [id]: url, the address maybe on the next line; at any indentation, as a code block
    # could become live Markdown if it ever escaped its block
    r"|^[ \t]*\[[^\]\n]+\]:\s*<?(?P<reference>[^\s>]+)"
    r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>"  # <https://…>
    r"|\b(?:href|src)\s*=\s*[\"']?(?P<attr>[^\"'\s>]+)",  # <a href="…">
    re.MULTILINE | re.IGNORECASE)


def is_public(url: str) -> bool:
    """An absolute http(s) address with a host, or a mailto: address; nothing relative."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return bool(parts.path)
    return scheme in ("http", "https") and bool(parts.hostname)


def targets(markdown: str) -> Iterator[tuple[int, str]]:
    """(offset, address) of every link and image target written in `markdown`."""
    for match in _TARGETS.finditer(markdown):
        group = match.lastgroup
        yield match.start(group), match.group(group)
