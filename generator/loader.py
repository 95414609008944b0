"""Find the records under `content/entries/` and read each `entry.yml` strictly.

A record is a folder holding `entry.yml` and its photos (a page bundle); the
folder name is the slug. Grouping folders above it are free.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .yamlstrict import EMPTY, Node, YamlProblem, parse_file

ENTRY = "entry.yml"
_MISNAMED = {"entry.yaml", "entry.yml.txt", "entry.txt", "Entry.yml", "ENTRY.yml", "entry.YML"}


@dataclass(frozen=True)
class RawRecord:
    path: Path  # the entry.yml
    slug: str
    files: frozenset[str]  # names of the other files in the record folder (photos)
    root: Node | None  # None when the YAML could not be read (already reported)

    @property
    def folder(self) -> Path:
        return self.path.parent


def entries_dir(content: Path) -> Path:
    return content / "entries"


def discover(content: Path, report: Report) -> list[Path]:
    """Every entry.yml below content/entries, in a stable order."""
    found: list[Path] = []
    top = entries_dir(content)
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        here = Path(folder)
        for name in sorted(files):
            if name in _MISNAMED or (name.lower().endswith((".yml", ".yaml")) and name != ENTRY):
                report.error(here / name, 1, 1, f"tệp '{name}' sẽ không được đọc: mỗi hồ sơ phải nằm trong tệp tên đúng là '{ENTRY}'")
        if ENTRY in files:
            found.append(here / ENTRY)
    return found


def read(path: Path, report: Report) -> RawRecord:
    folder = path.parent
    files = frozenset(p.name for p in folder.iterdir() if p.is_file() and p.name != ENTRY)
    try:
        root = parse_file(path)
    except YamlProblem as exc:
        message = f"{EMPTY}: hồ sơ cần có ít nhất các khoá kind, name, summary, date, place, fields" \
            if exc.message == EMPTY else exc.message
        report.error(path, exc.line, exc.col, message)
        root = None
    except OSError as exc:
        report.error(path, 1, 1, f"không đọc được tệp ({exc.strerror})")
        root = None
    return RawRecord(path, folder.name, files, root)


def load(content: Path, report: Report) -> list[RawRecord]:
    paths = discover(content, report)
    nested = _nested(paths, report)
    return [read(p, report) for p in paths if p not in nested]


def _nested(paths: list[Path], report: Report) -> set[Path]:
    """Records inside another record's folder: reported, and not read as records."""
    folders = {p.parent for p in paths}
    found = set()
    for p in paths:
        parent = next((f for f in p.parent.parents if f in folders), None)
        if parent is not None:
            report.error(p, 1, 1, f"hồ sơ nằm bên trong thư mục của hồ sơ khác ({parent.name}); hãy chuyển nó ra ngoài")
            found.add(p)
    return found
