"""The pipeline, left to right: validate → plan pages → render → write Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .model import Corpus
from .output import SyncStats, sync
from .pages import plan
from .render import Renderer
from .validate import validate


@dataclass(frozen=True)
class Generated:
    corpus: Corpus
    report: Report
    stats: SyncStats | None  # None when errors stopped the run before anything was written


def generate(content: Path, docs: Path) -> Generated:
    corpus, report = validate(content)
    if report.errors:
        return Generated(corpus, report, None)
    pages = Renderer().render_all(plan(corpus))
    return Generated(corpus, report, sync(pages, docs))
