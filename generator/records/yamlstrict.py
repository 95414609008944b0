"""Strict YAML reading: a tree of positioned nodes, never Python objects.

PyYAML's loaders turn `no` into False, `1:20` into 80 and keep the last of
two duplicate keys without a word. We parse YAML *events* instead and keep
every scalar as the text the editor typed, with its line and column; the
schema (not YAML 1.1's resolver) decides what each value means. Anchors,
aliases, explicit tags and extra documents are refused: editors never need
them and they only hide what a record says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.vntext import vi_number
from .charsafe import BULLETS, char_name, odd_blank

# What the strict reader refuses beyond the JSON Schema (listed in its description, `jsonschema.py`).
CHECKS = (("yaml", "YAML: không trùng khoá, không dùng anchor, alias, tag, một tài liệu mỗi tệp"),)

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster

MAX_BYTES = 1_000_000  # an entry.yml is a few KB; anything near this is a mistake or an attack
MAX_DEPTH = 20

SCALAR, MAPPING, SEQUENCE = "scalar", "mapping", "sequence"
EMPTY = "tệp trống"  # callers add what the file should hold


@dataclass(eq=False)
class Node:
    kind: str
    line: int  # 1-based, like editors' line numbers
    col: int  # 1-based
    text: str = ""  # scalars: the characters as typed (without quotes)
    style: str = ""  # scalars: "" plain, "|" literal, ">" folded, '"' or "'" quoted
    items: list = field(default_factory=list)  # sequences: [Node]; mappings: [(key Node, value Node)]

    @property
    def plain(self) -> bool:
        """Unquoted, so a YAML 1.1 reader could turn it into a non-string."""
        return self.style == ""

    def get(self, key: str) -> "Node | None":
        for k, v in self.items:
            if k.text == key:
                return v
        return None

    def key_node(self, key: str) -> "Node | None":
        for k, _ in self.items:
            if k.text == key:
                return k
        return None


class YamlProblem(Exception):
    """A problem that stops reading the file; carries its 1-based position."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def parse_file(path: Path) -> Node:
    return parse_bytes(path.read_bytes())


def parse_bytes(data: bytes) -> Node:
    if len(data) > MAX_BYTES:
        raise YamlProblem(1, 1, f"tệp quá lớn ({vi_number(len(data))} byte); một hồ sơ không được vượt quá "
                                f"{vi_number(MAX_BYTES)} byte")
    text = _decode(data)
    return parse_text(text)


def parse_text(text: str) -> Node:
    loader = Loader(text)
    try:
        root = _Composer(loader).document()
    except yaml.MarkedYAMLError as exc:
        line, col = _error_position(exc)
        # libyaml says where reading stopped, which is often a line or two after the editor's slip
        # and in words about tokens; a known slip near there is named instead (`diagnose`).
        found = diagnose(_lines(text), _problem_line(exc) or line, line)
        if found is not None:
            raise YamlProblem(*found) from None
        raise YamlProblem(line, col, translate_yaml_error(exc.problem or exc.context or "", _char_at(text, line, col))) from None
    except yaml.reader.ReaderError as exc:
        # libyaml's position counts UTF-8 bytes; the first such character is the one it met.
        line, col = _offset_position(text, max(text.find(chr(exc.character)), 0))
        raise YamlProblem(line, col, f"tệp chứa ký tự điều khiển không nhìn thấy (U+{exc.character:04X}); hãy xoá nó") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, f"lỗi cú pháp YAML ({exc})") from None
    finally:
        loader.dispose()
    _check_tree(root, text)
    return root


# libyaml notices an unclosed [ { or quote only at the end of the file; the
# editor needs the place where it was opened, which libyaml keeps as context.
_OPENED_AT = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a simple key")


def _error_position(exc: yaml.MarkedYAMLError) -> tuple[int, int]:
    use_context = exc.context_mark and (exc.context or "").startswith(_OPENED_AT)
    mark = exc.context_mark if use_context else (exc.problem_mark or exc.context_mark)
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _problem_line(exc: yaml.MarkedYAMLError) -> int | None:
    return exc.problem_mark.line + 1 if exc.problem_mark else None


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    return lines[line - 1][col - 1 : col] if line <= len(lines) else ""


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a BOM is what Windows Notepad adds; harmless
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Everything before the bad byte is valid UTF-8: count characters, as editors' tools do.
        before = data[: exc.start].decode("utf-8")
        line, col = _offset_position(before, len(before))
        raise YamlProblem(line, col, "tệp không phải mã UTF-8; hãy lưu lại tệp với bảng mã UTF-8") from None


class _Composer:
    def __init__(self, loader):
        self.loader = loader

    def document(self) -> Node:
        ev = self.loader.get_event()  # StreamStart
        ev = self.loader.get_event()
        if isinstance(ev, yaml.StreamEndEvent):
            raise YamlProblem(1, 1, EMPTY)
        root = self._node(self.loader.get_event(), 1)
        self.loader.get_event()  # DocumentEnd
        nxt = self.loader.get_event()
        if not isinstance(nxt, yaml.StreamEndEvent):
            line, col = _pos(nxt)
            raise YamlProblem(line, col, "tệp chỉ được chứa một tài liệu YAML; hãy xoá dòng '---' thứ hai và phần sau nó")
        return root

    def _node(self, ev, depth: int) -> Node:
        line, col = _pos(ev)
        if depth > MAX_DEPTH:
            raise YamlProblem(line, col, f"cấu trúc lồng nhau quá sâu (quá {MAX_DEPTH} cấp)")
        if isinstance(ev, yaml.AliasEvent):
            raise YamlProblem(line, col, "không dùng bí danh YAML (*tên); hãy viết đầy đủ giá trị")
        if getattr(ev, "anchor", None):
            raise YamlProblem(line, col, "không dùng neo YAML (&tên); hãy viết đầy đủ giá trị ở mỗi chỗ")
        tag = getattr(ev, "tag", None)
        if tag is not None:
            typed = tag.replace("tag:yaml.org,2002:", "!!")  # as the editor wrote it
            raise YamlProblem(line, col, f"không dùng thẻ kiểu YAML ({typed}); hãy bỏ phần bắt đầu bằng '!'")
        if isinstance(ev, yaml.ScalarEvent):
            return Node(SCALAR, line, col, text=ev.value, style=ev.style or "")
        if isinstance(ev, yaml.SequenceStartEvent):
            return self._sequence(line, col, depth)
        if isinstance(ev, yaml.MappingStartEvent):
            return self._mapping(line, col, depth)
        raise YamlProblem(line, col, "cấu trúc YAML không mong đợi")

    def _sequence(self, line: int, col: int, depth: int) -> Node:
        node = Node(SEQUENCE, line, col)
        while not isinstance(ev := self.loader.get_event(), yaml.SequenceEndEvent):
            node.items.append(self._node(ev, depth + 1))
        return node

    def _mapping(self, line: int, col: int, depth: int) -> Node:
        node = Node(MAPPING, line, col)
        seen: dict[str, Node] = {}
        while not isinstance(ev := self.loader.get_event(), yaml.MappingEndEvent):
            key = self._node(ev, depth + 1)
            if key.kind != SCALAR:
                raise YamlProblem(key.line, key.col, "khoá phải là một chữ đơn giản, không phải danh sách hay bảng")
            if key.text in seen:
                first = seen[key.text]
                raise YamlProblem(
                    key.line, key.col,
                    f"khoá '{key.text}' bị lặp (đã có ở dòng {first.line}); YAML sẽ âm thầm bỏ giá trị đầu, "
                    "hãy giữ một khoá và xoá khoá còn lại",
                )
            seen[key.text] = key
            node.items.append((key, self._node(self.loader.get_event(), depth + 1)))
        return node


def _pos(ev) -> tuple[int, int]:
    mark = ev.start_mark
    return mark.line + 1, mark.column + 1


# libyaml's messages, in the words an editor needs. Unknown ones keep the original text.
_TAB_HINT = "có ký tự tab; YAML chỉ cho phép thụt lề bằng dấu cách"
_YAML_HINTS = [
    (r"found character '\\t'|found a tab", _TAB_HINT),
    (r"mapping values are not allowed", "có dấu ':' ở chỗ không hợp lệ; nếu giá trị chứa ': ' hãy đặt cả giá trị trong ngoặc kép"),
    (r"did not find expected key", "thụt lề không khớp với các dòng xung quanh, hoặc thiếu dấu ':' sau tên khoá"),
    (r"could not find expected ':'", "thiếu dấu ':' sau tên khoá"),
    (r"did not find expected '-' indicator", "thụt lề của danh sách không đúng; mỗi mục bắt đầu bằng '- ' thẳng hàng với nhau"),
    (r"did not find expected ',' or '\]'", "danh sách trong ngoặc vuông [ ] chưa được đóng, hoặc thiếu dấu phẩy"),
    (r"did not find expected ',' or '\}'", "bảng trong ngoặc nhọn { } chưa được đóng, hoặc thiếu dấu phẩy"),
    (r"found unexpected end of stream|unexpected end of stream", "tệp kết thúc khi một chuỗi trong ngoặc kép chưa được đóng"),
    (r"found undefined alias|found unknown escape|found unexpected", "có ký tự đặc biệt ở đầu giá trị; hãy đặt cả giá trị trong ngoặc kép"),
    (r"block sequence entries are not allowed", "dấu '- ' của danh sách đặt sai chỗ; danh sách phải bắt đầu ở dòng mới, thụt vào dưới tên khoá"),
    (r"found character that cannot start any token", "có ký tự không thể bắt đầu một giá trị (ví dụ @, `, % hoặc tab); hãy đặt giá trị trong ngoặc kép"),
    (r"control characters are not allowed|special characters are not allowed", "tệp chứa ký tự điều khiển không hiển thị được; hãy xoá nó"),
]


def translate_yaml_error(problem: str, char: str = "") -> str:
    if char == "\t":  # libyaml blames tabs in many words; the fix is always the same
        return f"lỗi cú pháp YAML: {_TAB_HINT}"
    for pattern, hint in _YAML_HINTS:
        if re.search(pattern, problem):
            return f"lỗi cú pháp YAML: {hint}"
    return f"lỗi cú pháp YAML ({problem})"


# --- The slips editors make, named where they are -------------------------------------------
#
# Records are typed by volunteers on phones and in GitHub's web editor, often pasted from Word
# or Facebook. Some slips make YAML fail a line or two later with a message about tokens; others
# make it read a key or a text where the editor meant something else. Both are caught here, at
# the line the editor has to change, in words that say what to type.

QUOTES = "“”„‟‘’‚‛«»‹›＂"  # what Word, Facebook and phone keyboards turn " and ' into
# A key as editors write one: ASCII like the format's keys, or a few Vietnamese words ("năm sinh").
_KEY = r"[^\W\d][\w]*(?: [^\W\d][\w]*){0,3}"
_NO_SPACE = re.compile(rf"^(?P<lead> *(?:- +)?)(?P<key>{_KEY}):(?P<rest>[^\s/:][^\n]*)$")
# A line the format itself could have written: `key: value`, `key:`, `- key: value`.
_CLEAN_KEY_LINE = re.compile(r"^ *(?:- +)?[A-Za-z_][A-Za-z0-9_]*:(?: |$)")
# A key whose text must follow on the next lines, indented: `story: |`, `summary: >-`, `story:`.
_OPENER = re.compile(rf"^(?P<lead> *(?:- +)?)(?P<key>{_KEY}): *(?P<block>[|>][0-9+-]*)? *(?:#.*)?$")
_QUOTED_VALUE = re.compile(rf"(?:^ *(?:- +)?(?:{_KEY}): +|^ *- +)(?P<quote>[{QUOTES}])")


def indent_problem(line: str) -> tuple[int, str] | None:
    """(column, message) when `line` starts, after its spaces, with a character standing in for
    a space or a list dash: a no-break or ideographic space, a Word bullet."""
    rest = line.lstrip(" ")
    if not rest:
        return None
    col, ch = len(line) - len(rest) + 1, rest[0]
    if odd_blank(ch):
        return col, (f"đầu dòng có ký tự {char_name(ch)} thay cho dấu cách thường (thường do chép từ Word hay trang "
                     "web); YAML chỉ thụt lề bằng dấu cách gõ từ phím cách: hãy xoá phần trắng ở đầu dòng này rồi gõ "
                     "lại bằng phím cách")
    if ch in BULLETS and (len(rest) == 1 or rest[1] == " " or odd_blank(rest[1])):
        return col, (f"đầu dòng có dấu {char_name(ch)}, thường do Word tự tạo danh sách; trong hồ sơ, mỗi mục danh "
                     "sách bắt đầu bằng một dấu gạch ngang thường và một dấu cách ('- '), thụt vào dưới tên khoá: "
                     f"hãy thay '{ch}' bằng '-'")
    return None


def missing_space(line: str) -> tuple[int, str] | None:
    """(column after the colon, message) for `key:value`, which YAML reads as one plain text."""
    m = _NO_SPACE.match(line)
    if m is None or m["rest"].startswith(("//", "\\")):  # a web address, a Windows path: text
        return None
    shown = f"{m['key']}:{m['rest'][:20]}"
    return len(m["lead"]) + len(m["key"]) + 2, (
        f"thiếu dấu cách sau dấu ':' trong '{shown}'; YAML chỉ hiểu là khoá khi có dấu cách sau ':', nên đang đọc cả "
        f"dòng thành một đoạn chữ: hãy viết '{m['key']}: {m['rest'][:20]}'")


def quote_pair(opening: str, closing: str = "") -> str:
    """Typographic quotes as editors should recognise them: "dấu ngoặc “…” (U+201C…U+201D), không phải …"."""
    shown = f"{opening}…{closing}" if closing else opening
    points = "…".join(f"U+{ord(c):04X}" for c in (opening, closing) if c)
    return (f"dấu ngoặc {shown} ({points}), không phải ngoặc kép thẳng \" của bàn phím (Word, Facebook hay bàn phím "
            "điện thoại thường tự đổi)")


def _typographic_quote(line: str) -> tuple[int, str] | None:
    m = _QUOTED_VALUE.match(line)
    if m is None:
        return None
    ch = m["quote"]
    return m.start("quote") + 1, (
        f"giá trị mở đầu bằng {quote_pair(ch)}; YAML không coi {ch} là dấu ngoặc, nên dấu ':' hay '#' bên trong làm "
        "hỏng dòng: hãy thay cặp ngoặc này bằng ngoặc kép thẳng \" \", hoặc bỏ chúng")


def _markdown_bullet(line: str) -> tuple[int, str] | None:
    # `* item` is a list in Markdown (and in the story it stays one); as a record's list, YAML
    # reads `*` as the start of an alias and fails.
    rest = line.lstrip(" ")
    if not rest.startswith("* "):
        return None
    return len(line) - len(rest) + 1, ("đầu dòng có dấu '*' như danh sách Markdown; trong hồ sơ, mỗi mục danh sách "
                                       "bắt đầu bằng một dấu gạch ngang và một dấu cách ('- '): hãy thay '*' bằng '-'")


_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _lines(text: str) -> list[str]:
    # The lines as libyaml numbers them: Notepad's CRLF is one break, and so are NEL, LS and PS.
    return _BREAKS.split(text)


def _line(text: str, number: int, lines: list[str]) -> str:
    """Line `number` of `text`; `lines` is filled with the split on first use."""
    if not lines:
        lines.extend(_lines(text))
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _unindented_block(lines: list[str], at: int, block_only: bool) -> tuple[int, int, str] | None:
    """A text pasted under `story: |` (or `summary:`) without the spaces that keep it inside:
    YAML ends the text at the first line not indented more than its key, and reads that line
    as a key or fails on it. Reported at that first line."""
    opener = None
    for n in range(at, max(0, at - 400), -1):
        line = lines[n - 1]
        m = _OPENER.match(line)
        if m and (m["block"] or not block_only):
            opener = (n, m)
            break
        if _indent(line) == 0 and _CLEAN_KEY_LINE.match(line) and n < at:
            return None  # a complete top-level key in between: the slip is not under an opener
    if opener is None:
        return None
    n0, m = opener
    key_indent = len(m["lead"])  # the key's own column, after any `- ` of a list item
    # Lines indented under the key are its text; the first one that is not ends it.
    first = next((n for n in range(n0 + 1, at + 1) if lines[n - 1].strip() and _indent(lines[n - 1]) <= key_indent), None)
    if first is None or lines[first - 1].lstrip(" ").startswith("\t"):
        return None  # indented with a tab: the reader's own message says so
    # libyaml may give up on the line after the text, looking there for the ':' of a key.
    last = at - 1 if at > first and _CLEAN_KEY_LINE.match(lines[at - 1]) else at
    if any(_CLEAN_KEY_LINE.match(lines[n - 1]) for n in range(first, last + 1)):
        return None  # the next line is a key of its own: the text was left empty, the slip is elsewhere
    if not m["block"] and (lines[first - 1].lstrip(" ").startswith("- ") or indent_problem(lines[first - 1])):
        return None  # `fields:` then a list at the same indentation is valid YAML; bullets are named elsewhere
    if odd_blank(lines[first - 1].lstrip(" ")[:1] or " ") and (found := indent_problem(lines[first - 1])):
        return first, found[0], f"lỗi cú pháp YAML: {found[1]}"  # indented, with characters YAML does not count
    opened = f"{m['key']}: {m['block']}" if m["block"] else f"{m['key']}:"
    return first, _indent(lines[first - 1]) + 1, f"lỗi cú pháp YAML: {unindented(m['key'], opened)}"


def unindented(key: str, opened: str) -> str:
    """The message for text left unindented under `opened` (`story: |`)."""
    return (f"nội dung của '{key}' phải thụt vào: mỗi dòng của đoạn văn sau dòng '{opened}' cần bắt đầu bằng ít nhất "
            f"hai dấu cách, lùi vào so với chữ '{key}'; từ dòng này trở đi chưa lùi vào nên YAML đọc nhầm thành khoá "
            "mới hoặc báo lỗi")


def _nearby(lines: list[str], at: int, reach: int = 5) -> list[int]:
    """The error's line and those just before it that YAML may still have been reading (a plain text
    continues over lines), back to the last line that reads as a clean `key: value`."""
    found = [at]
    for n in range(at - 1, max(0, at - reach), -1):
        if not lines[n - 1].strip() or _CLEAN_KEY_LINE.match(lines[n - 1]):
            break
        found.append(n)
    return sorted(found)


def diagnose(lines: list[str], at: int, reported: int) -> tuple[int, int, str] | None:
    """(line, column, message) of an editor's slip that explains a YAML error met at line `at`
    (reported at line `reported`, where a quote or bracket was opened); None if none is seen."""
    at = min(max(at, reported), len(lines))
    if at < 1:
        return None
    if found := _unindented_block(lines, at, block_only=True):
        return found
    near = _nearby(lines, at)
    for check in (indent_problem, _markdown_bullet, _typographic_quote, missing_space):
        for n in sorted(n for n in {*near, reported} if 1 <= n <= len(lines)):
            if found := check(lines[n - 1]):
                return n, found[0], f"lỗi cú pháp YAML: {found[1]}"
    return _unindented_block(lines, at, block_only=False)


def _check_tree(root: Node, text: str) -> None:
    """Slips YAML reads without complaint but not as the editor meant: a key that starts with a
    no-break space or a bullet (`\\u00a0\\u00a0province:`), a list typed with Word bullets
    (`fields:` then `• quoc-phong`, one text to YAML), a value in curly quotes that a '#' inside
    cut short (`name: “Đội #1”` is the text “Đội to YAML), a whole file of `key:value` lines
    (one text to YAML)."""
    lines: list[str] = []  # split once, and only if a check needs the source line
    if root.kind == SCALAR and root.plain and (problem := missing_space(_line(text, root.line, lines))):
        raise YamlProblem(root.line, problem[0], f"lỗi cú pháp YAML: {problem[1]}")
    found: list[tuple[int, int, str]] = []
    todo = [root]
    while todo:
        node = todo.pop()
        if node.kind == SEQUENCE:
            todo.extend(node.items)
        elif node.kind == MAPPING:
            for key, value in node.items:
                if problem := indent_problem(key.text):
                    found.append((key.line, key.col + problem[0] - 1, problem[1]))
                plain = value.kind == SCALAR and value.plain
                if plain and value.line > key.line and (problem := indent_problem(value.text)):
                    found.append((value.line, value.col + problem[0] - 1, problem[1]))
                if plain and value.text[:1] in QUOTES and value.text[-1:] not in QUOTES and (
                        problem := _typographic_quote(_line(text, value.line, lines))):
                    found.append((value.line, problem[0], problem[1]))
                todo.append(value)
    if found:  # the first in the file: the one the editor reaches first
        line, col, message = min(found)
        raise YamlProblem(line, col, f"lỗi cú pháp YAML: {message}")
