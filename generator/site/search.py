"""The search stage: a static index of syllables, written with the pages.

Why not Pagefind or Material's search: measured at 10,000 records
(`bench/search.py`), Material ships one 70 MB JSON file to every visitor and
does not fold diacritics; Pagefind folds them but fetches one index chunk of
50–80 KB per query word (its chunks hold at least 20,000 word positions), so
a four-syllable name like "nguyen thi my hanh" cost ~490 KB. Vietnamese is
written in syllables drawn from a closed set, so an index of syllables with
plain record-id lists is small, and a list never costs more than a bitmap of
the roll (N/8 bytes: 1.25 KB at 10,000 records). A first search fetches the
manifest, one shard per query word and twenty result cards.

Files, under `tim/` in the docs folder (copied as they are by MkDocs or any
engine that reads `mkdocs.yml`):
- `index.json`: the version, the number of records, the shard table
  (first syllable of each shard → file), the filter files and a build tag;
- `s/<hash>.json`: syllables in order, each folded syllable ("hanh") mapped to
  its spellings ("hạnh", "hành", …), each spelling to two id lists: every
  record that has it, and the records that have it in their name;
- `f/<hash>.json`: one per filter, each value → id list (fetched only when a
  visitor opens the finder's filters or picks one);
- `the/<id>.json`: what a result shows (name, kind, place, date, summary,
  thumbnail), fetched for the results on screen.

Ids follow (date, slug), oldest first: the newest records, the usual
additions, take new ids and leave older cards' files as they were; newest
first is the descending order. Id lists are delta-coded varints, or a bitmap
when that is smaller, in base64. Files are named after their content, so the
same input gives the same bytes and a browser never mixes two builds.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from ..core import urls
from ..core.period import vi_period
from ..core.vntext import fold
from ..records.model import Corpus, Record, place_line
from .finder import FINDER_FILTERS, finder_values
from .lineage import Lineage

FORMAT_VERSION = 1
SHARD_BYTES = 12_000  # before gzip; a shard is cut after the first syllable that passes it
_WORD = re.compile(r"[^\W_]+")


# --- Words ---------------------------------------------------------------------------

def words(text: str) -> list[str]:
    """Lower-case words as written (NFC), split on anything that is not a letter or digit."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def searchable(r: Record) -> tuple[str, str]:
    """(name, everything else a citizen may search a record by); stories stay out, as do labels."""
    p = r.place
    rest = [r.summary, r.kind_label, place_line(r), p.current_province.name, *(t.name for t in r.fields),
            *(t.name for t in r.programmes),
            r.organization or "", r.role or "", *(h.title for h in r.honours)]
    return r.name, " ".join(rest)


# --- Id lists ------------------------------------------------------------------------

def encode_ids(ids: list[int], count: int) -> str:
    """Sorted ids as base64: b"\\0" + delta varints, or b"\\1" + a bitmap of `count` bits, whichever is shorter."""
    varints = bytearray(b"\0")
    previous = -1
    for i in ids:
        delta = i - previous - 1
        previous = i
        while True:
            byte, delta = delta & 0x7F, delta >> 7
            varints.append(byte | (0x80 if delta else 0))
            if not delta:
                break
    if len(varints) - 1 > (count + 7) // 8:
        bitmap = bytearray(1 + (count + 7) // 8)
        bitmap[0] = 1
        for i in ids:
            bitmap[1 + i // 8] |= 1 << (i % 8)
        varints = bitmap
    return base64.b64encode(bytes(varints)).decode("ascii")


def decode_ids(text: str) -> list[int]:
    """The inverse of encode_ids (the finder's JavaScript does the same)."""
    data = base64.b64decode(text)
    if data[:1] == b"\1":
        return [8 * k + bit for k, byte in enumerate(data[1:]) for bit in range(8) if byte >> bit & 1]
    ids, value, shift, previous = [], 0, 0, -1
    for byte in data[1:]:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            previous += value + 1
            ids.append(previous)
            value, shift = 0, 0
    return ids


# --- The index -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Postings:
    every: list[int]
    names: list[int]


def order(corpus: Corpus) -> list[Record]:
    """Records in id order: oldest first."""
    return sorted(corpus.records, key=lambda r: (r.date, r.slug))


def build(corpus: Corpus, renditions: dict[str, tuple]) -> dict[str, str]:
    """Every file of the index, by path in the docs folder."""
    records = order(corpus)
    count = len(records)
    postings: dict[str, dict[str, _Postings]] = {}
    for i, r in enumerate(records):
        name, rest = searchable(r)
        in_name = set(words(name))
        for word in sorted(in_name | set(words(rest))):
            entry = postings.setdefault(fold(word), {}).setdefault(word, _Postings([], []))
            entry.every.append(i)
            if word in in_name:
                entry.names.append(i)
    files: dict[str, str] = {}
    shards = _shards(postings, count, files)
    filters = _filters(records, count, files)
    for i, r in enumerate(records):
        files[urls.search_card(i)] = _json(_card(r, renditions.get(r.slug, ())))
    manifest = {"version": FORMAT_VERSION, "count": count, "shards": shards, "filters": filters}
    manifest["build"] = hashlib.sha256(_json(manifest).encode() + "".join(
        files[k] for k in sorted(files)).encode()).hexdigest()[:12]
    files[urls.SEARCH_INDEX] = _json(manifest)
    return files


def _shards(postings: dict[str, dict[str, _Postings]], count: int, files: dict[str, str]) -> list[list[str]]:
    table, shard, size = [], {}, 0
    for key in sorted(postings):
        spellings = {w: [encode_ids(p.every, count), encode_ids(p.names, count)]
                     for w, p in sorted(postings[key].items())}
        shard[key] = spellings
        size += len(key) + sum(len(w) + len(a) + len(b) + 12 for w, (a, b) in spellings.items())
        if size >= SHARD_BYTES:
            table.append(_store(files, shard))
            shard, size = {}, 0
    if shard:
        table.append(_store(files, shard))
    return table


def _store(files: dict[str, str], shard: dict) -> list[str]:
    """Write one shard under its content hash; its table row is (first syllable, file)."""
    text = _json(shard)
    name = urls.search_shard_name(hashlib.sha256(text.encode()).hexdigest()[:12])
    files[urls.search_file(name)] = text
    return [next(iter(shard)), name]


def _filters(records: list[Record], count: int, files: dict[str, str]) -> dict[str, str]:
    values: dict[str, dict[str, list[int]]] = {key: {} for key in FINDER_FILTERS}
    lineage = Lineage(records)
    for i, r in enumerate(records):
        for key, vs in finder_values(r, lineage).items():
            for v in vs:
                values[key].setdefault(v, []).append(i)
    table = {}
    for key in FINDER_FILTERS:
        text = _json({v: encode_ids(ids, count) for v, ids in sorted(values[key].items())})
        table[key] = name = urls.search_filter_name(hashlib.sha256(text.encode()).hexdigest()[:12])
        files[urls.search_file(name)] = text
    return table


def _card(r: Record, photos: tuple) -> dict:
    now = r.place.renamed_to()  # as on the record page
    place = place_line(r) + (f" (nay thuộc {now.name})" if now else "")
    card = {"url": urls.served(urls.record(r.slug)), "title": r.name, "kind": r.kind_label, "place": place,
            "date": vi_period(r.date), "summary": r.summary}
    if photos:
        card["image"], card["alt"] = photos[0].thumb.path, photos[0].photo.alt
    return card


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
