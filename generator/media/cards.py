"""The share-card stage: an Open Graph image (1200×630 JPEG) per record, and one for the site.

A link shared on Facebook or Zalo shows this card. It is composed from the
record's first published photo (its large derivative, already upright and
metadata-free) or, without one, as a typographic card; see `sharecard`.
Cards are cached by everything drawn on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core import urls
from ..core.cache import Job, Store, WorkError, key_of
from ..records.model import Corpus, Record, place_line
from .images import Derived

VERSION = 2  # 2: the brand line and the site card name the publisher (site/publisher.py)
JPEG = {"quality": 85, "optimize": True, "progressive": True}
_FILE = "card.jpg"


@dataclass(frozen=True)
class Cards:
    by_slug: dict[str, str]  # docs-relative path of each record's card
    files: dict[str, Path]  # docs-relative path → cached file
    processed: int
    keys: frozenset[str]


def lines_for(record: Record) -> list[str]:
    return [f"{record.kind_label} · {place_line(record)}"]


def derive(corpus: Corpus, derived: Derived, cache: Path, progress: bool = False, *, brand: str,
           tagline: str) -> Cards:
    """Every card carries the site's name at its foot (`brand`), so a card shared on Zalo says
    whose roll it comes from; the site's own card is the name over `tagline` (who publishes it).
    Both come from the publisher's settings (site/publisher.py, a later stage: plain text here)."""
    store = Store(cache / "cards")
    jobs, paths, by_slug = [], {}, {}
    site = Job(key_of(VERSION, brand, brand, [tagline], None), (brand, [tagline], None, brand))
    jobs.append(site)
    paths[urls.SITE_CARD] = site.key
    for record in corpus.records:
        photos = derived.renditions.get(record.slug, ())
        photo = str(derived.files[photos[0].large.path]) if photos else None
        # The photo's cache key is in its derivative's path, so a changed photo changes the card.
        job = Job(key_of(VERSION, brand, record.name, lines_for(record), photos[0].large.path if photos else None),
                  (record.name, lines_for(record), photo, brand))
        jobs.append(job)
        by_slug[record.slug] = urls.share_card(record.slug, job.key)
        paths[by_slug[record.slug]] = job.key
    ran, failures = store.fill(jobs, _make, "Ảnh chia sẻ", progress)
    if failures:  # inputs are validated, already-decoded derivatives: a failure is a bug, not an editor's mistake
        raise RuntimeError(f"share card failed: {failures[0].message}")
    files = {path: store.entry(key) / _FILE for path, key in paths.items()}
    return Cards(by_slug, files, ran, frozenset(paths.values()))


def _make(out: Path, title: str, lines: list[str], photo: str | None, brand: str) -> None:
    from PIL import Image

    from .sharecard import card

    try:
        picture = Image.open(photo, formats=["WEBP"]) if photo else None
    except OSError as exc:
        raise WorkError(str(exc)) from None
    image = card(title, lines, brand, picture)
    image.info = {}
    image.save(out / _FILE, "JPEG", **JPEG)


def prune(cache: Path, keep: frozenset[str]) -> int:
    return Store(cache / "cards").prune(set(keep))
