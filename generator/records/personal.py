"""Personal data that must not reach a public repository: citizen ID numbers, phone numbers
and e-mail addresses in a record's text, in its web addresses and in its folder and file names.

Only `contact` (a collective's or an initiative's public contact, e.g. a hotline) may hold a
phone number or an address. What is scanned is what a reader will see: HTML entities decoded,
Unicode NFKC-normalised, invisible characters removed, Markdown emphasis and HTML tags
dropped, whitespace folded, look-alikes of '@' and '.' read as such. Each finding is mapped
back to its line and column in the file and reported as it is written there.

Every step is linear in the length of a value, and no value is read beyond its schema's
length cap (a longer value is already an error from typecheck), so a hostile record costs no
more time than a legitimate one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import schema as s
from .yamlstrict import MAPPING, SCALAR, SEQUENCE, Node

PUBLIC_CONTACT = "contact"
CITIZEN_ID, PHONE, EMAIL = "số căn cước công dân (12 chữ số)", "số điện thoại", "địa chỉ thư điện tử"

# How a value is read: free text (may hold Markdown and HTML), a web address, a file or folder name.
TEXT, URL, NAME = "text", "url", "name"
# Where a finding is: a text value of entry.yml, a web address, a photos[].file value, the name
# of a file of the record's folder, the record's folder, or a folder above it (below entries/).
IN_TEXT, IN_URL, IN_FILE_NAME, IN_FOLDER_FILE, IN_FOLDER, IN_GROUP = "text", "url", "file", "folder-file", "folder", "group"

DEFAULT_CAP = 1_000  # a value the schema does not cap: an unknown key, already an error
SHORT_CAP = 100  # dates, choices, true/false, integers
URL_CAP = 2_000
NAME_CAP = 255  # the longest file name most file systems allow
_SLACK = 64  # typecheck measures the NFC text without outer spaces: the raw text may be a little longer
_ENTITY_ROUNDS = 5  # "&amp;#48;" needs two; more is garbage that no reader decodes
_LOCAL_MAX, _DOMAIN_MAX = 64, 600  # RFC 5321 local part; a domain of 8 labels of 63 characters


@dataclass(frozen=True)
class Finding:
    where: str  # "summary", "photos[1].caption"; a file name; a folder below entries/ ("ha-nam/0912345678")
    what: str  # Vietnamese: "số điện thoại"
    text: str  # what was found, as written in the file (may hold entities or invisible characters)
    line: int
    col: int
    source: str = IN_TEXT

    @property
    def shown(self) -> str:
        """The found text as it can be printed in a message: one short line, nothing invisible."""
        return printable(self.text)


def printable(text: str, limit: int = 60) -> str:
    """`text` on one line with invisible and control characters escaped (\\n, \\u2060), cut at `limit`."""
    out = []
    for ch in text[:limit]:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return "".join(out) + ("…" if len(text) > limit else "")


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def scan(root: Node, path: Path, names: Iterable[str] = ()) -> list[Finding]:
    """Every piece of personal data in the record at `path` (its tree `root`), in its folder
    names and in `names`, the other files of its folder; with its position in the file."""
    findings: list[Finding] = []
    photo_files: set[str] = set()
    lines: list[str] = []
    for value in _values(root, s.RECORD, ""):
        if value.how == NAME:
            photo_files.add(value.node.text.strip())
        spans = find(value.node.text, value.cap, value.how, value.number)
        if spans:
            # The file is read again only for a finding (rare), to place it exactly.
            lines = lines or path.read_text(encoding="utf-8", errors="replace").splitlines()
            findings.extend(_place(value, spans, lines))
    findings.extend(_in_names(path, names, photo_files))
    return sorted(findings, key=lambda f: (f.line, f.col, f.what))


# --- Which values, read how, up to which length -----------------------------------------------

@dataclass(frozen=True)
class _Value:
    where: str
    node: Node
    cap: int
    how: str = TEXT
    number: bool = False  # a plain figure in a Quantity: 84500000000 is a sum of money, not +84 5…


def _values(node: Node, typ: object, where: str) -> Iterator[_Value]:
    """Every scalar below `node`, with the schema type it has there (None where the schema has none)."""
    if node.kind == SCALAR:
        yield _value(node, typ, where)
    elif node.kind == MAPPING:
        for key, value in node.items:
            if typ is s.RECORD and key.text == PUBLIC_CONTACT:
                continue  # the one place an organisation's public contact may be written
            sub = None
            if isinstance(typ, s.Obj):
                spec = typ.field(key.text)
                sub = spec.type if spec else None
            elif isinstance(typ, s.MapOf):
                sub = typ.value
            yield from _values(value, sub, f"{where}.{key.text}" if where else key.text)
    elif node.kind == SEQUENCE:
        item = typ.item if isinstance(typ, s.ListOf) else None
        for i, value in enumerate(node.items, start=1):
            yield from _values(value, item, f"{where}[{i}]")


def _value(node: Node, typ: object, where: str) -> _Value:
    if isinstance(typ, s.Url):
        return _Value(where, node, URL_CAP, URL)
    if isinstance(typ, s.Text) and typ.pattern == s.FILE_PATTERN:
        return _Value(where, node, min(typ.max_len or NAME_CAP, NAME_CAP), NAME)
    if isinstance(typ, s.Text):
        return _Value(where, node, typ.max_len or DEFAULT_CAP)
    if isinstance(typ, s.Quantity):
        figure = node.plain and re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", node.text.strip()) is not None
        return _Value(where, node, typ.max_len, number=figure)
    if isinstance(typ, (s.Choice, s.Date, s.Bool, s.Integer)):
        return _Value(where, node, SHORT_CAP)
    return _Value(where, node, DEFAULT_CAP)


def find(text: str, cap: int = DEFAULT_CAP, how: str = TEXT, number: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, what) of each piece of personal data in `text`, as offsets into `text`.

    Only the first `cap` characters (measured as typecheck measures them) are read."""
    text = text[: _budget_end(text, cap)]
    if not _may_hold(text):
        return []
    views = [_reader_view(text, how, tags=False)]
    if how == TEXT and _TAG.search(text):
        # Dropping tags joins "0912<b></b>345678", but would hide "<hanh@gmail.com>": read both ways.
        views.append(_reader_view(text, how, tags=True))
    found = []
    for view in views:
        for start, end, what in _detect(view.text, number):
            found.append((*view.origin(start, end), what))
    return _outermost(found)


# Whitespace runs count once and combining marks not at all, as in the NFC, folded text typecheck
# measures (Vietnamese written with combining marks is up to three times longer before NFC).
_UNCOUNTED = re.compile(r"\s{2,}|[\u0300-\u036f\u1160-\u11ff]+")


def _budget_end(text: str, cap: int) -> int:
    """Where `text` passes `cap` characters (plus a little slack): nothing after it is read,
    not even by this count, which looks only as far as the characters still to count."""
    limit = cap + _SLACK
    if len(text) <= limit:
        return len(text)
    counted = pos = 0
    while pos < len(text):
        window_end = pos + limit - counted
        m = _UNCOUNTED.search(text, pos, window_end)
        if m is None:
            return min(len(text), window_end)
        if m.end() == window_end:
            m = _UNCOUNTED.match(text, m.start())  # the run goes on past the window: take all of it
        counted += m.start() - pos + (1 if m.group()[0].isspace() else 0)
        pos = m.end()
        if counted >= limit:
            return pos
    return len(text)


_ENCODED = re.compile(r"[@&%<*`\\]")  # an '@', or what may hide one or join groups of digits
_FOLDS_TO_DIGIT = re.compile(r"[^\x00-\x7f](?<=[\d\u24b6\u24d0])")  # non-ASCII digits, ⓐ Ⓐ
_SPELLED_HINT = re.compile(r"[\[({] ?(?:at|a còng|a|@|dot|chấm|\.) ?[\])}]", re.I)  # _SPELLED, found faster
_TEN_DIGITS = re.compile(r"(?:[0-9][^0-9]*+){10}")  # no phone number or CCCD is shorter


def _may_hold(text: str) -> bool:
    """False when the reader's view of `text` cannot hold an '@' or ten digits: most values, decided in C."""
    if _ENCODED.search(text) or _SPELLED_HINT.search(text):
        return True
    if not text.isascii() and (not text.replace("\n", " ").isprintable() or _FOLDS_TO_DIGIT.search(text)
                               or not unicodedata.is_normalized("NFKC", text)):
        return True
    return _TEN_DIGITS.search(text) is not None


def _outermost(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One finding per stretch of text: a phone number inside an e-mail address, or the same number
    seen with and without tags, is reported once."""
    kept: list[tuple[int, int, str]] = []
    for start, end, what in sorted(found, key=lambda f: (f[0], -f[1], f[2])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, what))
    return kept


# --- The text a reader sees, and where each of its characters comes from ----------------------

class _View:
    """A text rewritten step by step; each step keeps, for every new character, the span of the
    characters it came from, so that a finding can be mapped back to the text as written."""

    def __init__(self, text: str):
        self.text = text
        self._steps: list[tuple[array, array]] = []

    def rewrite(self, pattern: re.Pattern, replace: Callable[[re.Match], object]) -> bool:
        """Replace each match by replace(match): a string, pieces (text, start, end) with their own
        origins, or None to keep it. False when nothing changed."""
        changes = []
        for m in pattern.finditer(self.text):
            new = replace(m)
            if new is None or new == m.group():
                continue
            changes.append((m.start(), m.end(), [(new, m.start(), m.end())] if isinstance(new, str) else new))
        if not changes:
            return False
        out, starts, ends, last = [], array("q"), array("q"), 0
        for a, b, pieces in changes:
            out.append(self.text[last:a])
            starts.extend(range(last, a))
            ends.extend(range(last + 1, a + 1))
            for piece, origin_start, origin_end in pieces:
                out.append(piece)
                starts.extend([origin_start] * len(piece))
                ends.extend([origin_end] * len(piece))
            last = b
        out.append(self.text[last:])
        starts.extend(range(last, len(self.text)))
        ends.extend(range(last + 1, len(self.text) + 1))
        self.text = "".join(out)
        self._steps.append((starts, ends))
        return True

    def origin(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that characters start…end (exclusive, non-empty) come from."""
        for starts, ends in reversed(self._steps):
            start, end = starts[start], ends[end - 1]
        return start, end


def _reader_view(text: str, how: str, tags: bool) -> _View:
    view = _View(text)
    if how == URL:
        view.rewrite(_PERCENT, _unpercent)
    if how == TEXT:
        if tags:
            view.rewrite(_TAG, lambda m: "")
        view.rewrite(_MARKDOWN, lambda m: "")
    for _ in range(_ENTITY_ROUNDS):  # "&amp;#64;" is "&#64;" once decoded, "@" twice
        if not view.rewrite(_ENTITY, _unentity):
            break
    view.rewrite(_NON_ASCII, _fold)
    view.rewrite(_SPACES, lambda m: " ")
    view.rewrite(_SPELLED, lambda m: "." if re.search(r"dot|chấm|\.", m.group(), re.I) else "@")
    return view


_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_TAG = re.compile(r"<[A-Za-z/!?][^<>]{0,300}>")
_MARKDOWN = re.compile(r"[*`\\]+")  # emphasis, code and escapes: "0912**345**678", "hanh\@gmail.com"
# html.unescape's own pattern (Lib/html/__init__.py), so that each reference is decoded exactly as it does.
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
# A non-ASCII run, with the character before it: a combining mark belongs to its base.
_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_SPACES = re.compile(r"\s{2,}|[^\S ]")
# "hanh [at] gmail [dot] com", "hanh (a còng) gmail (chấm) com", "hanh(a)gmail.com".
_SPELLED = re.compile(r" ?[\[({] ?(?:at|a còng|@|dot|chấm|\.) ?[\])}] ?|[\[({]a[\])}]", re.I)


def _unpercent(m: re.Match) -> str:
    return bytes.fromhex(m.group().replace("%", "")).decode("utf-8", errors="replace")


def _unentity(m: re.Match) -> str:
    token = m.group()
    if token.startswith("&#"):
        # Leading zeros and huge numbers would make int() in html.unescape raise (4,300 digits at most).
        hexadecimal = token[2:3] in ("x", "X")
        body = token[3:] if hexadecimal else token[2:]
        body = body.rstrip(";").lstrip("0") or "0"
        if len(body) > (6 if hexadecimal else 7):
            body = "110000" if hexadecimal else "1114112"  # beyond Unicode: U+FFFD, as html.unescape says
        token = f"&#{'x' if hexadecimal else ''}{body};"
    return html.unescape(token)


_AT_BEFORE_NFKC = {"\u24d0", "\u24b6"}  # ⓐ Ⓐ (NFKC makes them a letter)
_AT = {"@", "\ufe6b", "\uff20"}  # @ ﹫ ＠
_DOT = {"\u3002", "\uff61", "\ufe12", "\u00b7", "\u2027", "\u22c5"}  # 。｡︒·‧⋅
_DASH = {chr(c) for c in range(0x2010, 0x2016)} | {"\u2212"}  # ‐‑‒–—― −
# Printable, NFKC-stable characters that are still invisible (default-ignorable code points).
_IGNORABLE = set("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0") | \
    {chr(c) for c in range(0xFE00, 0xFE10)} | {chr(c) for c in range(0xE0100, 0xE01F0)}
_NEEDS_FOLDING = re.compile("[0-9@.\\d" + "".join(sorted(_AT_BEFORE_NFKC | _DOT | _DASH | _IGNORABLE)) + "]")


def _fold(m: re.Match) -> list[tuple[str, int, int]] | None:
    """NFKC, without invisible characters, with ASCII digits and '@', '.', '-' for their look-alikes."""
    run = m.group()
    plain = run.isprintable() and not _NEEDS_FOLDING.search(run)
    if plain and unicodedata.is_normalized("NFKC", run):
        return None  # ordinary (Vietnamese) letters and punctuation: the common case, decided in C
    if plain:
        return unicodedata.normalize("NFKC", run)  # letters written with combining marks: composed
    pieces = []
    previous = m.string[m.start() - 1] if m.start() else ""
    for start, unit in _units(run, m.start()):
        read = "@" if unit[0] in _AT_BEFORE_NFKC else unicodedata.normalize("NFKC", unit)
        folded = "".join(_fold_chars(read, previous))
        previous = folded[-1:] or previous
        pieces.append((folded, start, start + len(unit)))
    return pieces


def _fold_chars(text: str, previous: str) -> Iterator[str]:
    for ch in text:
        ch = _fold_char(ch, previous)
        if ch:
            yield ch
            previous = ch


def _units(run: str, offset: int) -> Iterator[tuple[int, str]]:
    """Each character with the combining marks that follow it."""
    start = 0
    for i in range(1, len(run) + 1):
        if i == len(run) or not unicodedata.combining(run[i]):
            yield offset + start, run[start:i]
            start = i


def _fold_char(ch: str, previous: str) -> str:
    if ch in _AT:
        return "@"
    if ch in _DOT:
        return "."
    if ch in _DASH:
        return "-"
    category = unicodedata.category(ch)
    if ch.isspace():
        return " "
    if category == "Cf" or category == "Cc" or ch in _IGNORABLE:
        return ""  # U+2060, U+00AD, U+200B, U+FEFF…: nothing a reader sees
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if category in ("Mn", "Me") and (previous.isdigit() or previous in ("@", ".")):
        return ""  # a mark stacked on a digit does not stop anyone reading the digit
    return ch


# --- What personal data looks like -------------------------------------------------------------

def _detect(text: str, number: bool) -> Iterator[tuple[int, int, str]]:
    yield from _emails(text)
    yield from _numbers(text, number)


_LOCAL = re.compile(r"[\w.+\-]{1,%d}\Z" % _LOCAL_MAX)
# Labels and dots alternate, and a label cannot hold a dot: no way to match one text twice.
_DOMAIN = re.compile(r"(?:[\w\-]{1,63}+\.){1,8}[^\W\d_]{2,63}+")


def _emails(text: str) -> Iterator[tuple[int, int, str]]:
    """Anchored on each '@' and read outward in windows of bounded length: linear in the text,
    where a pattern tried from every start of a long word is quadratic."""
    at = text.find("@")
    while at >= 0:
        before = at - 1 if text[at - 1 : at] == " " else at  # "hanh @ gmail.com"
        after = at + 2 if text[at + 1 : at + 2] == " " else at + 1
        local = _LOCAL.search(text, max(0, before - _LOCAL_MAX), before)
        domain = _DOMAIN.match(text, after, after + _DOMAIN_MAX) if local else None
        if local and domain:
            start = local.start() + len(local.group()) - len(local.group().lstrip(".+-"))
            if start < before:
                yield start, domain.end(), EMAIL
        at = text.find("@", at + 1)


# A digit, then digits and what separates groups of digits; possessive, so it is never retried.
_RUN = re.compile(r"[0-9][0-9 ()+./_\-,;:|'~\u2022\u2219\u00b7\u2500]*+")
_GROUP = re.compile(r"[0-9]+")
# Between two groups of one number: "0912 345 678", "0912.345.678", "(024) 3825-1234", "+84 (0)912".
_JOIN = re.compile(r"[ ./_\-]| ?[()] ?|\)[ ./_\-]| [./_\-] ")
# Separators nobody writes inside a number by accident, but lists use ("03, 05, 07"): they
# join two groups only when both have three digits or more, as "0912,345,678" does.
_JOIN_WIDE = re.compile(r" ?[,;:|'~\u2022\u2219\u00b7\u2500] ?")
_LEAD = re.compile(r"[(+][ (+]*\Z")
_PLUS = re.compile(r"\+ ?\(? ?\Z")
# Mobile: 0 + 3/5/7/8/9 + 8 digits; landline: 02 + 9 digits (area code and subscriber number).
_NATIONAL = re.compile(r"0[35789][0-9]{8}|02[0-9]{9}")
_LONGEST = 14  # 0084 + a landline without its 0


@dataclass
class _Groups:
    """The groups of digits of one run of digits and separators, and what is between them."""

    digits: list[str]
    spans: list[tuple[int, int]]
    joined: list[bool]  # joined[k]: groups k and k+1 can be parts of one number
    before: list[str]  # what precedes each group
    dated: set[int]  # groups that are part of a date


def _numbers(text: str, number: bool) -> Iterator[tuple[int, int, str]]:
    for run in _RUN.finditer(text):
        spans = [g.span() for g in _GROUP.finditer(text, run.start(), run.end())]
        gaps = [text[spans[k][1] : spans[k + 1][0]] for k in range(len(spans) - 1)]
        digits = [text[a:b] for a, b in spans]
        joined = [_JOIN.fullmatch(gap) is not None or (_JOIN_WIDE.fullmatch(gap) is not None and len(digits[k]) >= 3
                                                        and len(digits[k + 1]) >= 3) for k, gap in enumerate(gaps)]
        groups = _Groups(digits, spans, joined,
                         [text[max(0, run.start() - 3) : run.start()], *gaps], _dates(digits, gaps))
        reach = _reach(groups)
        i = 0
        while i < len(spans):
            # No phone number or CCCD has fewer than 10 digits: years, sums, decision numbers are passed by.
            hit = _longest(groups, gaps, i, number) if reach[i] >= 10 and _may_begin(digits[i]) else None
            if hit is None:
                i += 1
                continue
            last, what = hit
            lead = _LEAD.search(groups.before[i])
            yield spans[i][0] - (len(lead.group()) if lead else 0), spans[last][1], what
            i = last + 1


def _reach(groups: _Groups) -> list[int]:
    """For each group, how many digits a number starting there could have at most."""
    reach, ahead = [0] * len(groups.digits), 0
    for k in range(len(groups.digits) - 1, -1, -1):
        if k in groups.dated:
            ahead = 0
            continue
        ahead = len(groups.digits[k]) + (ahead if k + 1 < len(groups.digits) and groups.joined[k] else 0)
        reach[k] = ahead
    return reach


def _may_begin(digits: str) -> bool:
    """Whether a phone number or a CCCD can begin with `digits`: 0 (but not 000), 84."""
    if digits[0] == "0":
        return digits[:3] != "000"
    return digits[0] == "8" and digits[1:2] in ("", "4")


def _longest(groups: _Groups, gaps: list[str], i: int, number: bool) -> tuple[int, str] | None:
    """The longest number of personal data made of groups i, i+1, …: (its last group, what it is).
    A phone number wins: "0912 345 678 15 lần" is a phone number followed by a count."""
    plus = _PLUS.search(groups.before[i]) is not None
    digits, best = "", {}
    for j in range(i, len(groups.digits)):
        if j in groups.dated or (j > i and not groups.joined[j - 1]):
            break
        digits += groups.digits[j]
        if len(digits) > _LONGEST or not _may_begin(digits):
            break
        if len(digits) >= 10:
            what = _kind(digits, plus, number or _thousands(groups.digits, gaps, i, j))
            if what:
                best[what] = (j, what)
    return best.get(PHONE) or best.get(CITIZEN_ID)


def _kind(digits: str, plus: bool, a_sum: bool) -> str | None:
    # A CCCD begins with its province code, 001 to 096: 2.500.000.000 or a year list is not one.
    if len(digits) == 12 and digits[0] == "0" and 1 <= int(digits[:3]) <= 96:
        return CITIZEN_ID
    if digits.startswith("0084"):
        rest = digits[4:]
    elif digits.startswith("84") and (plus or not a_sum):
        rest = digits[2:]  # 84912345678, +84 24 3825 1234
    elif digits.startswith("0"):
        rest = digits[1:]
    else:
        return None
    national = "0" + (rest[1:] if rest.startswith("0") else rest)  # +84 (0)912 345 678
    return PHONE if _NATIONAL.fullmatch(national) else None


def _thousands(digits: list[str], gaps: list[str], i: int, j: int) -> bool:
    """Groups i…j written as a sum: 84.500.000.000 (1 to 3 digits, then groups of 3, one separator)."""
    if j == i or len(set(gaps[i:j])) != 1 or gaps[i] not in (".", " "):
        return False
    return len(digits[i]) <= 3 and all(len(group) == 3 for group in digits[i + 1 : j + 1])


def _dates(digits: list[str], gaps: list[str]) -> set[int]:
    """Groups that form a date (01.07.2025, 1/7/2025, 2025-07-01): never part of a number."""
    dated: set[int] = set()
    for k in range(len(digits) - 2):
        if gaps[k] != gaps[k + 1] or gaps[k] not in (".", "/", "-"):
            continue
        a, b, c = digits[k : k + 3]
        if _is_date(a, b, c) or _is_date(c, b, a):  # day-month-year or year-month-day
            dated.update((k, k + 1, k + 2))
    return dated


def _is_date(day: str, month: str, year: str) -> bool:
    return (len(day) <= 2 and len(month) <= 2 and len(year) == 4 and year[:2] in ("19", "20")
            and 1 <= int(day) <= 31 and 1 <= int(month) <= 12)


# --- Where findings are -----------------------------------------------------------------------

def _place(value: _Value, spans: list[tuple[int, int, str]], lines: list[str]) -> Iterator[Finding]:
    node, source = value.node, {NAME: IN_FILE_NAME, URL: IN_URL}.get(value.how, IN_TEXT)
    line, col, seen, newlines = node.line, node.col, 0, 0
    for start, end, what in spans:
        written = node.text[start:end]
        newlines += node.text.count("\n", seen, start)
        seen = start
        # Escapes in a double-quoted scalar can give its text more lines than the file has.
        estimate = node.line + newlines if node.style != '"' else node.line
        if estimate > line:
            line, col = estimate, 1
        where = _search(lines, written, line, col)
        if where is None:
            yield Finding(value.where, what, written, node.line, node.col, source)
            continue
        line, col = where
        yield Finding(value.where, what, written, line, col, source)
        col += 1


def _search(lines: list[str], written: str, line: int, col: int) -> tuple[int, int] | None:
    """The first place at or after (line, col) where `written` (or, if the file folds it over
    lines or escapes it, its first word) is in the file."""
    first = written.split("\n", 1)[0]
    cut = next((i for i, ch in enumerate(first) if not ch.isprintable() or ch == "\\"), len(first))
    needles = [first[:cut]]
    word = needles[0].split(" ", 1)[0]
    if word != needles[0]:
        needles.append(word)
    for needle in filter(None, needles):
        for number in range(line, min(len(lines), line + 200) + 1):
            found = lines[number - 1].find(needle, col - 1 if number == line else 0)
            if found >= 0:
                return number, found + 1
    return None


def _in_names(path: Path, names: Iterable[str], photo_files: set[str]) -> Iterator[Finding]:
    """The record's folder, the folders above it below entries/, and the other files of its folder:
    names are public too (in the repository, and the folder's name in the page's address)."""
    folders = []
    for folder in path.parents:
        if folder.name in ("entries", ""):
            break
        folders.append(folder)
    else:
        folders = [path.parent]  # not below an entries/ folder: only the record's own
    top = folders[-1].parent if folders else path.parent
    for folder in reversed(folders):
        where = folder.relative_to(top).as_posix()
        source = IN_FOLDER if folder == path.parent else IN_GROUP
        for start, end, what in find(folder.name, NAME_CAP, NAME):
            yield Finding(where, what, folder.name[start:end], 1, 1, source)
    for name in sorted(set(names) - photo_files):  # a listed photo is reported at its photos[].file
        for start, end, what in find(name, NAME_CAP, NAME):
            yield Finding(name, what, name[start:end], 1, 1, IN_FOLDER_FILE)
