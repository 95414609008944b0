"""Find the records under `content/entries/` and read each `entry.yml` strictly.

A record is a folder holding `entry.yml` and its photos (a page bundle); the
folder name is the slug. Grouping folders above it are free.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core import changes
from ..diagnostics import Report
from .schema import MAX_ENTRY_PATH, WINDOWS_RESERVED
from .yamlstrict import EMPTY, Node, YamlProblem, parse_bytes

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ENTRY = "entry.yml"
TAXONOMY_FILE = "taxonomy.yml"  # the vocabulary of fields, beside the entries folder
# What an entry.yml is called when a phone, Notepad or GitHub's web editor named it: "entry"
# without an extension, "entry.yml.txt", "Entry.yml", "entry.yaml". Any other YAML file is refused too.
_ENTRY_LIKE = re.compile(r"entry(?:\.(?:ya?ml|txt|text|md))*", re.IGNORECASE)
# The shipped layout (CONTRIBUTING.md, section 1): entries/<province>/<district or commune>/<record>/.
# A folder shallower than a record's is a grouping folder, whoever put an entry.yml in it.
RECORD_DEPTH = 3
# The largest legitimate record is some 60 KB (a 20,000-character story, three bytes a character at
# worst, with photos and sources); a bigger file is refused before it is parsed, typechecked, scanned.
MAX_ENTRY_BYTES = 256 * 1024


@dataclass(frozen=True)
class RawRecord:
    path: Path  # the entry.yml
    slug: str
    files: tuple[tuple[str, int, int], ...]  # the folder's other files (photos): name, size, mtime_ns
    data: bytes | None  # the file's bytes; None when it could not be read (already reported)
    group: tuple[str, ...] | None = None  # the folders between entries/ and the record's: ("ha-nam", "thanh-liem")

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def groups(self) -> tuple[str, ...] | None:
        """The grouping folders above the record, as the loader found them; for a record built
        elsewhere (`sovang new` checks a draft in a scratch folder), read from its path below the
        nearest entries/ folder; None when it is not below one."""
        if self.group is not None:
            return self.group
        parts = self.path.parent.parts
        at = next((i for i in range(len(parts) - 2, -1, -1) if parts[i] == "entries"), None)
        return None if at is None else tuple(parts[at + 1:-1])

    @property
    def names(self) -> frozenset[str]:
        return frozenset(name for name, _, _ in self.files)

    def parse(self, report: Report) -> Node | None:
        """The positioned YAML tree, or None after reporting why it could not be read."""
        if self.data is None:
            return None
        try:
            return parse_bytes(self.data)
        except YamlProblem as exc:
            message = f"{EMPTY}: hồ sơ cần có ít nhất các khoá kind, name, summary, date, place, fields" \
                if exc.message == EMPTY else exc.message
            report.error(self.path, exc.line, exc.col, message)
            return None


def entries_dir(content: Path) -> Path:
    return content / "entries"


_SYMLINK = ("'{name}' là liên kết tượng trưng (symlink); trong thư mục content/ chỉ được có tệp và thư mục thật: "
            "hãy thay bằng chính tệp đó")


def discover(content: Path, report: Report) -> list[Path]:
    """Every entry.yml below content/entries, in a stable order."""
    return list(_scan(content, report))


def _scan(content: Path, report: Report) -> dict[Path, list[os.DirEntry]]:
    """Every entry.yml below content/entries, with the other files of its folder."""
    found: dict[Path, list[os.DirEntry]] = {}
    root = entries_dir(content)
    if root.is_symlink():
        report.error(root, 1, 1, _SYMLINK.format(name=root.name))
        return found
    stack, base = [root], len(str(root)) + 1
    while stack:
        here = stack.pop()
        if len(str(here)) - base > MAX_ENTRY_PATH:  # by string length: relative_to() per folder costs at 100,000
            report.error(here, 1, 1, f"đường dẫn '{str(here)[base:base + 60]}…' dài hơn {MAX_ENTRY_PATH} ký tự; "
                         "máy Windows không mở được đường dẫn quá dài: hãy đặt tên thư mục ngắn hơn")
            continue
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        # A link could pull any file of the machine that builds the site into the public site.
        for e in entries:
            if e.is_symlink():
                report.error(here / e.name, 1, 1, _SYMLINK.format(name=e.name))
        files = [e for e in entries if not e.is_symlink() and e.is_file(follow_symlinks=False)]
        record = any(e.name == ENTRY for e in files)
        for e in files:
            if misnamed(e.name):
                report.error(here / e.name, 1, 1, _misnamed_message(e.name, record))
        if record:
            found[here / ENTRY] = [e for e in files if e.name != ENTRY]
        folders = [e.name for e in entries if not e.is_symlink() and e.is_dir(follow_symlinks=False)]
        for name in folders:
            if "." in name and _ENTRY_LIKE.fullmatch(name):
                # GitHub's "Create new file" makes a folder of every name followed by '/'.
                report.error(here / name, 1, 1, f"'{name}' là một thư mục, không phải tệp (trên GitHub, gõ '/' sau tên "
                             f"sẽ tạo thư mục); hồ sơ phải là tệp '{ENTRY}' nằm ngay trong thư mục hồ sơ: hãy chuyển tệp "
                             f"bên trong ra ngoài và xoá thư mục '{name}'")
        # A record folder's files are the validator's (their problems never block a takedown);
        # elsewhere files and folders are checked together, as a checkout must hold both.
        names = folders if record else folders + [e.name for e in files]
        for name, message in name_problems(names, "thư mục" if record else "tệp hoặc thư mục"):
            report.error(here / name, 1, 1, message)
        # Depth first in name order, as os.walk(top-down) with sorted dirs would go.
        stack.extend(here / e.name for e in reversed(entries) if not e.is_symlink() and e.is_dir(follow_symlinks=False))
    return found


def misnamed(name: str) -> bool:
    """A file meant as a record's entry.yml but named otherwise: it would never be read."""
    return name != ENTRY and (_ENTRY_LIKE.fullmatch(name) is not None or name.lower().endswith((".yml", ".yaml")))


def _misnamed_message(name: str, beside_entry: bool) -> str:
    if beside_entry:
        return (f"tệp '{name}' sẽ không được đọc: thư mục này đã có '{ENTRY}', mỗi hồ sơ chỉ có một tệp đó; hãy "
                f"chuyển nội dung cần giữ sang '{ENTRY}' rồi xoá tệp '{name}'")
    return (f"tệp '{name}' sẽ không được đọc: mỗi hồ sơ phải nằm trong tệp tên đúng là '{ENTRY}' (chữ thường, đuôi .yml): "
            f"hãy đổi tên tệp thành '{ENTRY}' (trên GitHub: mở tệp, bấm biểu tượng bút chì ✎ rồi sửa tên ở ô trên cùng)")


# A top-level `withdrawn:` line that means yes, as an editor may write it (`true`, `"true"`,
# `yes`, `có`): read from the bytes, so a record that cannot be parsed or typed can still go.
_WITHDRAWN = re.compile(rb"^withdrawn[ \t]*:[ \t]*([\"']?)(?:true|yes|on|c\xc3\xb3|co)\1[ \t]*(?:#[^\r\n]*)?\r?$",
                        re.MULTILINE | re.IGNORECASE)


def says_withdrawn(data: bytes | None) -> bool:
    """True if the record's file plainly asks for its takedown, readable as YAML or not."""
    return data is not None and _WITHDRAWN.search(data) is not None


# Characters no Windows file name may hold (controls included); a Linux editor can still commit them.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"\\|?*\x00-\x1f]|[\ud800-\udfff]')


def windows_reserved(name: str) -> bool:
    """A device name Windows reserves, with or without an extension ("CON", "nul.jpg")."""
    return name.split(".", 1)[0].casefold() in WINDOWS_RESERVED


def name_problems(names: list[str], what: str) -> list[tuple[str, str]]:
    """(name, Vietnamese message) for names of one folder that a Windows or macOS checkout
    cannot hold: equal but for case, device names, forbidden characters, a trailing dot
    or space. `what` is "tệp" or "thư mục"."""
    problems = []
    by_folded: dict[str, list[str]] = {}
    for name in sorted(names):
        by_folded.setdefault(unicodedata.normalize("NFC", name).casefold(), []).append(name)
        if windows_reserved(name) or name.endswith((".", " ")) or _WINDOWS_FORBIDDEN.search(name):
            problems.append((name, f"{what} '{name}' có tên máy Windows không dùng được (tên thiết bị như CON, NUL, "
                             "COM1; ký tự < > : \" \\ | ? * hay ký tự điều khiển; byte không phải UTF-8; hoặc kết "
                             "thúc bằng dấu chấm, dấu cách); hãy đổi tên"))
    for group in (g for g in by_folded.values() if len(g) > 1):
        problems.append((group[-1], f"các {what} {', '.join(repr(n) for n in group)} chỉ khác nhau ở chữ hoa, chữ "
                         f"thường; máy Windows và macOS coi là một {what}: hãy đổi tên hoặc bỏ bớt"))
    return problems


def read(path: Path, others: list[os.DirEntry], report: Report, group: tuple[str, ...] = ()) -> RawRecord:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_ENTRY_BYTES + 1)  # never more than the cap into memory
    except OSError as exc:
        report.error(path, 1, 1, f"không đọc được tệp ({exc.strerror})")
        data = None
    if data is not None and len(data) > MAX_ENTRY_BYTES:
        # Too big to check, but a takedown must not wait for the file to shrink: it is never published.
        (report.warning if says_withdrawn(data) else report.error)(path, 1, 1, f"tệp quá lớn (hơn {MAX_ENTRY_BYTES // 1024} KB); một hồ sơ tối đa {MAX_ENTRY_BYTES // 1024} KB: "
                     "hãy rút gọn câu chuyện (story tối đa 20.000 ký tự) hoặc bớt ảnh, nguồn, khen thưởng")
        data = None
    files = []
    for e in others:
        st = e.stat(follow_symlinks=False)
        files.append((e.name, st.st_size, st.st_mtime_ns))
    return RawRecord(path, path.parent.name, tuple(files), data, group)


def load(content: Path, report: Report, only: set[Path] | None = None) -> tuple[list[RawRecord], list[Path]]:
    """(records read, every record path). With `only`, just those entry.yml files are read."""
    scanned = _scan(content, report)
    paths = list(scanned)
    nested = _nested(paths, entries_dir(content), report)
    wanted = [p for p in paths if p not in nested and (only is None or p in only)]
    root = entries_dir(content)
    return ([read(p, scanned[p], report, p.parent.parent.relative_to(root).parts if p.parent != root else ())
             for p in wanted], [p for p in paths if p not in nested])


@dataclass(frozen=True)
class Head:
    """What cross-record checks need of a record they do not validate: read fast, trusted less."""

    path: Path
    kind: str
    name: str
    date: str
    place: dict[str, str]
    replicates: str | None = None  # read when it comes before the story, where `sovang new` writes it

    @property
    def slug(self) -> str:
        return self.path.parent.name


def heads(paths: list[Path]) -> list[Head]:
    """The kind, name, date and place of each record, without validating it.

    For `validate --changed`: the other records were validated on the main
    branch, and reading just their first keys from the YAML event stream
    (stopping before the story) is several times faster than a full parse.
    Unreadable files are skipped; the full check reports them.
    """
    found = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                top = _head_keys(f)
        except (OSError, yaml.YAMLError):
            continue
        if all(isinstance(top.get(k), str) for k in ("kind", "name", "date")) and isinstance(top.get("place"), dict):
            replicates = top.get("replicates")
            found.append(Head(path, top["kind"], top["name"], top["date"], top["place"],
                              replicates if isinstance(replicates, str) else None))
    return found


_HEAD_KEYS = {"kind", "name", "date", "place"}
# The keys after which reading stops: `replicates` (for the replication rules) is looked for up to
# the story, the long part the head reader exists to skip.
_STOP_KEYS = {"replicates", "story"}


def _done(top: dict) -> bool:
    return _HEAD_KEYS <= top.keys() and bool(_STOP_KEYS & top.keys())


def _head_keys(stream) -> dict:
    top: dict = {}
    key, depth, place_key = None, 0, None
    for event in yaml.parse(stream, Loader=_LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth == 2 and key == "place" and isinstance(event, yaml.MappingStartEvent):
                top["place"] = {}
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            if depth == 1:
                key = None
                if _done(top):
                    break
        elif isinstance(event, yaml.ScalarEvent):
            if depth == 1 and key is None:
                key = event.value
                if key == "story":
                    top["story"] = None
                    if _done(top):
                        break
            elif depth == 1:
                top[key], key = event.value, None
                if _done(top):
                    break
            elif depth == 2 and key == "place":
                if place_key is None:
                    place_key = event.value
                else:
                    top["place"][place_key], place_key = event.value, None
    return top


def _nested(paths: list[Path], root: Path, report: Report) -> set[Path]:
    """Records inside another record's folder: reported, and not read as records.

    Which of the two is at fault is told by the layout: an entry.yml in a grouping folder
    (`entries/ha-nam/entry.yml`, shallower than a record's folder, or holding two or more
    records) is the stray one, and the records below it are read as usual; a record's folder
    holding one record below it keeps its own, and the inner one is the stray one."""
    folders = {p.parent for p in paths}
    inner: dict[Path, list[Path]] = {}
    for p in paths:
        for folder in p.parent.parents:
            if folder in folders:
                inner.setdefault(folder, []).append(p)
    grouping = {f for f, below in inner.items()
                if len(below) >= 2 or len(f.relative_to(root).parts) < RECORD_DEPTH}
    found = set()
    for folder in sorted(grouping):
        below = sorted(inner[folder])
        path, example = folder / ENTRY, below[0].parent.relative_to(folder).as_posix()
        report.error(path, 1, 1, f"tệp '{ENTRY}' này nằm trong thư mục nhóm '{folder.name}', nơi đã chứa "
                     f"{len(below)} hồ sơ khác (ví dụ {folder.name}/{example}); mỗi hồ sơ cần một thư mục riêng: hãy "
                     f"chuyển tệp này vào một thư mục mới bên trong, ví dụ {_example_folder(folder, root)}")
        found.add(path)
    for p in paths:
        parent = next((f for f in p.parent.parents if f in folders and f not in grouping), None)
        if parent is not None and p not in found:
            report.error(p, 1, 1, f"hồ sơ nằm bên trong thư mục của hồ sơ khác ({parent.name}); hãy chuyển nó ra ngoài")
            found.add(p)
    return found


def _example_folder(folder: Path, root: Path) -> str:
    parts = folder.relative_to(root).parts
    fill = ("<tỉnh>", "<huyện-hoặc-xã>", "<mã-hồ-sơ>")[len(parts):] or ("<mã-hồ-sơ>",)
    return "/".join((root.parent.name, root.name, *parts, *fill, ENTRY))


# --- What a branch changed ----------------------------------------------------------------

def changed_records(content: Path, base: str) -> set[Path] | None:
    """entry.yml files of the records changed since the merge base with `base`, including
    uncommitted and untracked files; None when everything must be checked (the taxonomy changed)."""
    paths = changes.changed_files(content, base)  # raises changes.ChangesError for editors
    entries = entries_dir(content).resolve()
    if (content / TAXONOMY_FILE).resolve() in paths:
        return None
    records = set()
    for path in paths:
        if entries in path.parents:
            folder = _record_folder(path, entries)
            if folder is not None:
                records.add(folder / ENTRY)
    # Map back to the caller's spelling of the content path, which is how the loader names files.
    return {content / p.relative_to(content.resolve()) for p in records}


def _record_folder(path: Path, entries: Path) -> Path | None:
    """The record folder a changed file belongs to (its nearest folder holding entry.yml)."""
    for folder in [path.parent, *path.parent.parents]:
        if folder == entries or entries not in folder.parents:
            return None
        if (folder / ENTRY).is_file():
            return folder
    return None
