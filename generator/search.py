"""The search stage: Pagefind indexes the built site, after MkDocs, before the swap.

Pagefind splits its index into small chunks fetched on demand, so a first
search downloads a few hundred kilobytes whatever the size of the roll,
where Material's built-in search ships one JSON file of every page to every
visitor (30 MB at 10,000 records). What is indexed is decided by one
template: `_search.html.j2` writes into each record page a hidden block that
is the page's whole `data-pagefind-body` (so no other page is indexed): the
words a citizen searches by, the filters, the sort key and the result
card's metadata.

Vietnamese users often type without diacritics. Pagefind folds diacritics
itself and ranks exact-accent matches first, but no Unicode decomposition
turns đ into d, so the words with đ are added in folded form ("Đức" → "duc").
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cbor2

from .vntext import fold

INDEX_DIR = "pagefind"
LANGUAGE = "vi"


class SearchError(Exception):
    """Pagefind failed; the message is for the publisher."""


def folded_dd(*texts: str) -> str:
    """The folded form of every word with đ/Đ in `texts` (Pagefind folds the other marks itself)."""
    words = {fold(w) for text in texts if text for w in text.split() if "đ" in w.lower()}
    return " ".join(sorted(words))


def write_index(site: Path) -> None:
    """Index `site` with the Pagefind binary (from the `pagefind[bin]` package) into `site/pagefind/`."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", INDEX_DIR,
               "--force-language", LANGUAGE, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"không chạy được Pagefind để tạo chỉ mục tìm kiếm: {exc}") from None
    if done.returncode != 0 or not (site / INDEX_DIR / "pagefind.js").is_file():
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise SearchError(f"Pagefind không tạo được chỉ mục tìm kiếm:\n{detail}")
    canonicalize(site / INDEX_DIR)


# --- Same input, same bytes ------------------------------------------------------------
# Pagefind 1.5 writes its filter chunks in hash-map order, which changes from run to
# run (Pagefind/pagefind#638: fragments were fixed, filter and meta files were not).
# The content is the same, so we re-encode those files in sorted order and rename
# them after their new content; pagefind.js finds them through the meta file and
# pagefind-entry.json, which are rewritten to match.

_SIGNATURE = b"pagefind_dcd"


def canonicalize(bundle: Path) -> None:
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for lang, info in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_file)
        renamed = {}
        for name, chunk in meta[3]:
            old = bundle / "filter" / f"{chunk}.pf_filter"
            data = _read(old)
            data[1] = sorted(data[1], key=lambda value: value[0])
            renamed[name] = _write_named(bundle / "filter", lang, data, ".pf_filter", 7)
            old.unlink()
        meta[3] = sorted([name, renamed[name]] for name, _ in meta[3])
        info["hash"] = _write_named(bundle, lang, meta, ".pf_meta", 10, prefix="pagefind.")
        meta_file.unlink()
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchError(f"tệp chỉ mục Pagefind không đúng định dạng: {path.name}")
    return cbor2.loads(data[len(_SIGNATURE):])


def _write_named(folder: Path, lang: str, value, suffix: str, digits: int, prefix: str = "") -> str:
    body = _SIGNATURE + cbor2.dumps(value)
    name = f"{lang}_{hashlib.sha256(body).hexdigest()[:digits]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    return name
