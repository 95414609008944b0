"""Problems found in the content, reported as `PATH:LINE:COL: error: MESSAGE`.

Every stage reports through `Diagnostic` so that editors see one uniform,
clickable format whatever stage found the problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: Path
    line: int  # 1-based
    col: int  # 1-based
    severity: str
    message: str

    def format(self, cwd: Path | None = None) -> str:
        return f"{display_path(self.path, cwd)}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def github(self, cwd: Path | None = None) -> str:
        """A GitHub Actions workflow command: shown on the line in the pull request's diff."""
        props = f"file={_gh_property(display_path(self.path, cwd))},line={self.line},col={self.col}"
        return f"::{self.severity} {props},title={_gh_property(TITLES[self.severity])}::{_gh_data(self.message)}"

    def as_dict(self, cwd: Path | None = None) -> dict:
        return {"file": display_path(self.path, cwd), "line": self.line, "column": self.col,
                "severity": self.severity, "message": self.message}


TITLES = {ERROR: "Lỗi hồ sơ", WARNING: "Cảnh báo hồ sơ"}
JSON_FORMAT_VERSION = 1


def _gh_data(text: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def display_path(path: Path, cwd: Path | None = None) -> str:
    """Path relative to the current folder when possible, with forward slashes, printable."""
    base = cwd or Path.cwd()
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        rel = str(path)
    return printable(rel.replace(os.sep, "/"))


def printable(text: str) -> str:
    """`text` on one line with every invisible or control character written as \\uXXXX.

    Messages quote what a record holds, and folder names are the contributor's too: a
    newline followed by `::error …` would start a new GitHub annotation in the build log,
    a carriage return would overwrite the line on a terminal, and a bidirectional
    override would reorder it. Space is the one blank kept as it is."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    cp = ord(ch)
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


class Report:
    """Collects diagnostics from every stage; the build refuses to run on errors."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self.checked = 0  # records read, for the summary line
        self.withdrawn = 0  # of those, records marked `withdrawn: true`: checked, never published
        self.remembered = 0  # of those, unchanged since the last run: outcome read back from the memo

    def error(self, path: Path, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, col, ERROR, printable(message)))

    def warning(self, path: Path, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, col, WARNING, printable(message)))

    def extend(self, other: "Report") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        # Stable order by file, then position, so output is deterministic.
        return sorted(set(self.items), key=lambda d: (str(d.path), d.line, d.col, d.severity, d.message))
