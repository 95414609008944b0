"""The pipeline, left to right: validate → images → share cards → plan pages → render (pages,
feed, open data, search index) → write.

Nothing is written into the docs folder unless every stage before it
succeeded, so a mistake in one record never leaves half a site behind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .core import collector, memo, urls
from .diagnostics import Report
from .media import cards, images
from .records.loader import ENTRY
from .records.model import Corpus
from .records.validate import validate
from .site import composer, feed, opendata, qr, search
from .site.composer import Editing
from .site.output import SyncStats, sync
from .site.plan import Media, plan
from .site.publisher import DEFAULT, Publisher
from .site.render import Renderer, RenderError


QR_MASKS = "qr-masks.json"  # in the build cache: qr.remembered_masks


@dataclass(frozen=True)
class Generated:
    corpus: Corpus
    report: Report
    stats: SyncStats | None  # None when errors stopped the run before anything was written
    images_processed: int = 0  # photos decoded in this run; 0 when every derivative was cached


def default_cache(docs: Path) -> Path:
    """The build cache sits beside the generated docs (build/docs → build/cache)."""
    return docs.parent / "cache"


def generate(content: Path, docs: Path, cache: Path | None = None, progress: bool = False,
             site_url: str | None = None, editing: tuple[Editing | None, str] = (None, ""),
             publisher: Publisher | None = None) -> Generated:
    """`publisher` (mkdocs.yml, publisher.py) names the site on every page; its `site_url` wins
    over the `site_url` argument, which stays for callers without a configuration."""
    cache = cache or default_cache(docs)
    corpus, report = validate(content, memo=cache / memo.FILE)  # with the collector paused (collector.py)
    if report.errors:
        return Generated(corpus, report, None)
    with collector.frozen():  # the model stays; the later stages' cycles are collected
        if publisher is None:
            publisher = replace(DEFAULT, site_url=site_url)
        return _generate(corpus, report, docs, cache, progress, publisher, editing, content)


def _generate(corpus: Corpus, report: Report, docs: Path, cache: Path, progress: bool,
              publisher: Publisher, editing: tuple[Editing | None, str] = (None, ""),
              content: Path | None = None) -> Generated:
    site_url = publisher.site_url
    derived = images.derive(corpus, cache, progress)
    for p in derived.problems:
        index = p.record.photos.index(p.photo) + 1
        report.error(p.record.folder / ENTRY, p.photo.line, p.photo.col, f"photos[{index}].file: {p.message}")
    if report.errors:
        return Generated(corpus, report, None, derived.processed)
    shared = cards.derive(corpus, derived, cache, progress, brand=publisher.site_name, tagline=publisher.tagline)
    page_plan = plan(corpus, Media(derived.renditions, shared.by_slug), *editing, publisher=publisher)
    data = opendata.open_data(corpus, site_url, derived.renditions, publisher)
    page_plan.append(opendata.open_data_page(corpus, data))
    try:
        addresses = frozenset(urls.record_url(r.slug, site_url) for r in corpus.records)
        with qr.remembered_masks(cache / QR_MASKS, addresses):
            outputs: dict[str, str | bytes] = Renderer(publisher=publisher).render_all(page_plan, cache / memo.PAGES)
    except RenderError as exc:
        report.error(*_source_of(exc.page, page_plan, docs), f"trang {exc.page}: {exc}; trang không được dựng")
        return Generated(corpus, report, None, derived.processed + shared.processed)
    outputs.update(data)
    outputs.update(feed.atom_feed(corpus, site_url, derived.renditions, publisher=publisher))
    outputs.update(search.build(corpus, derived.renditions))
    outputs.update(composer.files(corpus, content))
    stats = sync(outputs, docs, {**derived.files, **shared.files})
    # Only after a whole run: entries no page uses go, a withdrawn photo's derivatives with them.
    images.prune(cache, derived.keys)
    cards.prune(cache, shared.keys)
    return Generated(corpus, report, stats, derived.processed + shared.processed)


def _source_of(page_path: str, page_plan: list, docs: Path) -> tuple[Path, int, int]:
    """Where to point an editor for a page that failed: its record's file, else the page."""
    page = next(p for p in page_plan if p.path == page_path)
    record = page.context.get("record")
    return (record.folder / ENTRY, 1, 1) if record is not None else (docs / page_path, 1, 1)
