"""Personal data that must not reach a public repository: citizen ID numbers, phone numbers
and e-mail addresses in the free text of a record.

Only `contact` (a collective's or an initiative's public contact, e.g. a
hotline) may hold a phone number or an address; web addresses (`url`) and
file names are not text. Each finding is reported at its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .yamlstrict import MAPPING, SCALAR, SEQUENCE, Node

PUBLIC_CONTACT = "contact"
_NOT_TEXT = {"url", "file", PUBLIC_CONTACT}

# 12 digits: the citizen identity card (CCCD) number; not part of a longer number.
_CITIZEN_ID = re.compile(r"(?<![\d.,/])\d{12}(?![\d.,/]?\d)")
# Mobile (0 + 9 digits) and landline (0 + 10 digits), also as +84 without the 0,
# with single spaces, dots or dashes between digit groups: "0912 345 678", "+84 24 3825 1234".
_PHONE = re.compile(r"(?<![\w+])(?:\+84[\s.\-]?|0)\d(?:[\s.\-]?\d){8,9}(?![\w])")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")

KINDS_OF_DATA = (("số căn cước công dân (12 chữ số)", _CITIZEN_ID), ("số điện thoại", _PHONE), ("địa chỉ thư điện tử", _EMAIL))


@dataclass(frozen=True)
class Finding:
    where: str  # "summary", "photos[1].caption"
    what: str  # Vietnamese: "số điện thoại"
    text: str  # what was found, as written
    line: int
    col: int


def scan(root: Node, path: Path) -> list[Finding]:
    """Every piece of personal data in the record's text, with its position in the file at `path`."""
    lines: list[str] = []
    findings = []
    for where, node in _texts(root, ""):
        for what, pattern in KINDS_OF_DATA:
            for match in pattern.finditer(node.text):
                # The file is read again only for a finding (rare), to place it exactly.
                lines = lines or path.read_text(encoding="utf-8").splitlines()
                line, col = _position(node, match, lines)
                findings.append(Finding(where, what, match.group(), line, col))
    return sorted(findings, key=lambda f: (f.line, f.col, f.what))


def _texts(node: Node, where: str) -> Iterator[tuple[str, Node]]:
    if node.kind == SCALAR:
        yield where, node
    elif node.kind == MAPPING:
        for key, value in node.items:
            if key.text not in _NOT_TEXT:
                yield from _texts(value, f"{where}.{key.text}" if where else key.text)
    elif node.kind == SEQUENCE:
        for i, item in enumerate(node.items, start=1):
            yield from _texts(item, f"{where}[{i}]")


def _position(node: Node, match: re.Match, lines: list[str]) -> tuple[int, int]:
    """Where the match is in the file: searched from the scalar's line (block and folded
    scalars run over several lines); the scalar's own position if it is split across lines."""
    first = node.line + node.text[: match.start()].count("\n")
    for number in range(first, min(len(lines), first + 200) + 1):
        col = lines[number - 1].find(match.group())
        if col >= 0 and (number > node.line or col + 1 >= node.col):
            return number, col + 1
    return node.line, node.col
