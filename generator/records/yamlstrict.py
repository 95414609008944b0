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
        return _Composer(loader).document()
    except yaml.MarkedYAMLError as exc:
        line, col = _error_position(exc)
        raise YamlProblem(line, col, translate_yaml_error(exc.problem or exc.context or "", _char_at(text, line, col))) from None
    except yaml.reader.ReaderError as exc:
        # libyaml's position counts UTF-8 bytes; the first such character is the one it met.
        line, col = _offset_position(text, max(text.find(chr(exc.character)), 0))
        raise YamlProblem(line, col, f"tệp chứa ký tự điều khiển không nhìn thấy (U+{exc.character:04X}); hãy xoá nó") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, f"lỗi cú pháp YAML ({exc})") from None
    finally:
        loader.dispose()


# libyaml notices an unclosed [ { or quote only at the end of the file; the
# editor needs the place where it was opened, which libyaml keeps as context.
_OPENED_AT = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a simple key")


def _error_position(exc: yaml.MarkedYAMLError) -> tuple[int, int]:
    use_context = exc.context_mark and (exc.context or "").startswith(_OPENED_AT)
    mark = exc.context_mark if use_context else (exc.problem_mark or exc.context_mark)
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


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
