"""Results remembered by everything that made them: validated records and rendered pages.

Checking one record is a pure function of its `entry.yml` bytes, the names,
sizes and times of the files in its folder (photos are opened and inspected),
the taxonomy, the administrative-units registry and the generator's own code;
rendering one page, of its template context, the templates and the code. The
key hashes all of them, so a remembered result is never stale: any change asks
for another key. On a rebuild where few records changed, reading results back
replaces parsing, checking and rendering every one (docs/scaling.md).

A memo is one pickle file in the build cache, written by this program only
(never from content/ or the network), replaced atomically and holding just the
results the last run used. A file that cannot be read is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from importlib import metadata
from pathlib import Path
from typing import Callable

FILE = "records.pickle"
PAGES = "pages.pickle"
_FORMAT = b"sovang-memo-1"
_PACKAGE = Path(__file__).resolve().parents[1]  # the generator package: every stage, templates included


def code_fingerprint() -> bytes:
    """The generator's sources, templates and the registry's version: a change in any may change any result."""
    digest = hashlib.sha256(_FORMAT)
    for path in sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("*.j2")]):  # every stage's package
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ("vietnamadminunits", "PyYAML"):
        digest.update(f"{package}=={_version(package)}\0".encode())
    return digest.digest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


# A long-running process (the preview) keeps each memo it read or wrote, with the file's identity
# then: while the file is unchanged, the next run takes the same results without unpickling them
# again (records.pickle and pages.pickle are 21 and 55 MB at 10,000 records). A one-shot build
# holds nothing, so MkDocs does not run beside every page's Markdown.
_held: dict[str, tuple[tuple[int, int, int], bytes, dict[bytes, object]]] | None = None


def hold_in_memory() -> None:
    """From now on, keep the memos this process reads and writes (see `_held`)."""
    global _held
    if _held is None:
        _held = {}


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class Memo:
    def __init__(self, path: Path | None, salt: bytes):
        self.path, self.salt = path, salt
        self.header = _FORMAT + b" " + salt.hex().encode() + b"\n"
        self.known: dict[bytes, object] = _recall(path, self.header) if path else {}
        self.used: dict[bytes, object] = {}
        self.computed = 0  # results not found in the memo, for the benchmark and tests

    def key(self, *parts: bytes) -> bytes:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            digest.update(len(part).to_bytes(8, "big") + part)
        return digest.digest()

    def get(self, key: bytes, compute: Callable[[], object], keep: Callable[[object], bool] = lambda _: True):
        """The remembered result for `key`, else `compute()`, remembered for the next run if `keep` says so."""
        found = self.known.get(key)
        if found is None:
            found = compute()
            self.computed += 1
        if keep(found):
            self.used[key] = found
        return found

    def save(self) -> None:
        if self.path is None or (self.used.keys() == self.known.keys()):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with open(temporary, "wb") as f:
            f.write(self.header)
            pickle.dump(self.used, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)
        if _held is not None and (identity := _identity(self.path)) is not None:
            _held[str(self.path)] = (identity, self.header, self.used)


class ValueBytes:
    """Bytes that stand for a value and depend on nothing else, for memo keys.

    A plain pickle also records which parts are the same object, so equal
    contexts built differently (records read back from the memo, or checked
    afresh) would give different bytes and miss; and a set's order changes with
    each process's string hashing. Here nothing is shared (`fast` pickling),
    sets are sorted, and each object of a `digested` type (records, which
    appear in several pages) is pickled once per run and stands in every later
    page as its SHA-256.
    """

    def __init__(self, digested: tuple[type, ...] = ()):
        self.digested = digested
        # By id(), with the object itself: held here, it cannot die and leave its id to another
        # object mid-run, which would then be keyed by the first one's digest.
        self.digests: dict[int, tuple[object, bytes]] = {}

    def __call__(self, value) -> bytes:
        buffer = io.BytesIO()
        _ValuePickler(buffer, self).dump(value)
        return buffer.getvalue()

    def digest(self, obj) -> bytes:
        found = self.digests.get(id(obj))
        if found is None:
            buffer = io.BytesIO()
            _ValuePickler(buffer, self, outer=obj).dump(obj)
            found = self.digests[id(obj)] = (obj, hashlib.sha256(buffer.getvalue()).digest())
        return found[1]


class _ValuePickler(pickle.Pickler):
    def __init__(self, file, owner: ValueBytes, outer=None):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True  # no memo: bytes depend on values, not on which objects are shared
        self.owner, self.outer = owner, outer

    def persistent_id(self, obj):
        if isinstance(obj, self.owner.digested) and obj is not self.outer:
            return self.owner.digest(obj)
        if isinstance(obj, (set, frozenset)):
            return ("set", sorted(obj, key=repr))  # repr: elements need not be orderable
        return None


def _recall(path: Path, header: bytes) -> dict[bytes, object]:
    """The memo at `path`: the one this process holds while the file is the one it read or wrote
    (same inode, size and time), else read from the file."""
    identity = _identity(path)
    held = _held.get(str(path)) if _held is not None else None
    if held is not None and identity is not None and held[0] == identity and held[1] == header:
        return held[2]
    known = _read(path, header)
    if _held is not None and identity is not None and known:
        _held[str(path)] = (identity, header, known)
    return known


def _read(path: Path, header: bytes) -> dict[bytes, object]:
    """The remembered results; none if the file was written by other code or settings."""
    try:
        with open(path, "rb") as f:
            if f.readline() != header:
                return {}
            known = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}
