"""The pipeline, left to right: validate → images → share cards → plan pages → render (pages,
feed, open data, search index) → write.

Nothing is written into the docs folder unless every stage before it
succeeded, so a mistake in one record never leaves half a site behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
from .site.plan import Media, plan, record_pages
from .site.publisher import DEFAULT, Publisher
from .site.render import Renderer, RenderError


QR_MASKS = "qr-masks.json"  # in the build cache: qr.remembered_masks


@dataclass(frozen=True)
class Generated:
    corpus: Corpus
    report: Report
    stats: SyncStats | None  # None when errors stopped the run before anything was written
    images_processed: int = 0  # photos decoded in this run; 0 when every derivative was cached
    # The published photos by record slug (images.Derived.renditions): the preview's quick pages
    # draw the related cards' photos from the last run's.
    photos: dict[str, tuple] = field(default_factory=dict)


def default_cache(docs: Path) -> Path:
    """The build cache sits beside the generated docs (build/docs → build/cache)."""
    return docs.parent / "cache"


def check(content: Path, docs: Path, cache: Path | None = None) -> tuple[Corpus, Report]:
    """The first stage alone: the records read and validated (from the memo where unchanged)."""
    cache = cache or default_cache(docs)
    return validate(content, memo=cache / memo.FILE)  # with the collector paused (collector.py)


def generate(content: Path, docs: Path, cache: Path | None = None, progress: bool = False,
             site_url: str | None = None, editing: tuple[Editing | None, str] = (None, ""),
             publisher: Publisher | None = None, checked: tuple[Corpus, Report] | None = None) -> Generated:
    """`publisher` (mkdocs.yml, publisher.py) names the site on every page; its `site_url` wins
    over the `site_url` argument, which stays for callers without a configuration. `checked` is
    `check`'s result when the caller has it already (the preview, which looked at it first)."""
    cache = cache or default_cache(docs)
    corpus, report = checked or check(content, docs, cache)
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
    return Generated(corpus, report, stats, derived.processed + shared.processed, derived.renditions)


@dataclass(frozen=True)
class Quick:
    """The preview's quick pages: Markdown by docs path, and the photo and card files they show."""
    pages: dict[str, str]
    files: dict[str, Path]


def quick_pages(corpus: Corpus, slugs: list[str], last: Generated, docs: Path, cache: Path | None = None,
                editing: tuple[Editing | None, str] = (None, ""), publisher: Publisher = DEFAULT) -> Quick | None:
    """The pages of the records `slugs` alone, as the whole run would render them (the same plan
    function and templates, the related cards and lineage of the whole roll), for the preview to
    show a saved record ahead of the whole run; None when a photo of theirs
    cannot be read (the whole run reports it). Only their photos are looked up; the other records'
    (on the related cards) are the `last` run's, which they are when those records did not change,
    the only case the preview asks for. Nothing is written into `docs`, and the photo index of the
    cache is left as the last whole run saved it."""
    cache = cache or default_cache(docs)
    with collector.frozen():
        chosen = [r for r in corpus.records if r.slug in set(slugs)]
        mine = replace(corpus, records=tuple(chosen))
        derived = images.derive(mine, cache, remember=False)
        if derived.problems:
            return None
        shared = cards.derive(mine, derived, cache, brand=publisher.site_name, tagline=publisher.tagline)
        photos = {slug: p for slug, p in last.photos.items() if slug not in set(slugs)} | derived.renditions
        pages = record_pages(corpus.records, chosen, Media(photos, shared.by_slug), editing[0])
        renderer = Renderer(publisher=publisher)
        return Quick({page.path: renderer.render(page) for page in pages}, {**derived.files, **shared.files})


def _source_of(page_path: str, page_plan: list, docs: Path) -> tuple[Path, int, int]:
    """Where to point an editor for a page that failed: its record's file, else the page."""
    page = next(p for p in page_plan if p.path == page_path)
    record = page.context.get("record")
    return (record.folder / ENTRY, 1, 1) if record is not None else (docs / page_path, 1, 1)
