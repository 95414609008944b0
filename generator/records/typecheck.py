"""Walk a YAML node tree against the schema: typed values plus positioned errors.

Values are read from the text the editor typed, never from YAML 1.1's
guesses, so `name: no` is the text "no" and `consent.name: yes` is an error
that says to write `true`. Optional keys left empty count as absent, which is
what an editor who clears a template line means.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..core import period
from ..core.vntext import slugify
from ..diagnostics import Report
from . import schema as s
from .charsafe import unsafe_character, visible
from .yamlstrict import MAPPING, QUOTES, SCALAR, SEQUENCE, Node, missing_space, quote_pair, unindented

# What only these checks see, beyond the JSON Schema (listed in its description, `jsonschema.py`).
CHECKS = (
    ("characters", "chữ không chứa ký tự ẩn hoặc ký tự điều khiển ngoài bảng mã cơ bản (ví dụ U+E0001, U+F0000), "
                   "không chỉ gồm ký tự trống"),
    ("yaml11", "chữ viết không ngoặc kép mà YAML 1.1 đọc thành giá trị khác (no, yes, on, off, 1:20, 2020-01-01 "
               "trong trường chữ; 3.450 trong trường số) phải đặt trong ngoặc kép"),
)
INVALID = object()  # the value had an error (already reported)
MISSING = object()  # the value was empty

_RESOLVER = yaml.resolver.Resolver()
_YAML11_MEANING = {
    "tag:yaml.org,2002:bool": "đúng/sai",
    "tag:yaml.org,2002:int": "một số",
    "tag:yaml.org,2002:float": "một số",
    "tag:yaml.org,2002:timestamp": "một ngày tháng",
}
_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_INT = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")
MAX_DIGITS = 18  # beyond any count a record states; int() of 4,300+ digits raises, float() overflows to inf
_GROUPED = re.compile(r"[0-9]{1,3}([.,][0-9]{3})+")  # 3.450 or 3,450: thousands separators, Vietnamese style


@dataclass
class Context:
    path: Path
    report: Report
    kind: str | None = None  # the record's kind, for keys that only some kinds may use
    document: str = "định dạng hồ sơ"  # what unknown keys are missing from, in messages

    def error(self, node: Node, where: str, message: str) -> object:
        self.report.error(self.path, node.line, node.col, f"{where}: {message}" if where else message)
        return INVALID

    def warning(self, node: Node, where: str, message: str) -> None:
        self.report.warning(self.path, node.line, node.col, f"{where}: {message}" if where else message)


def conform(node: Node, typ, ctx: Context, where: str = "") -> object:
    """The typed value of `node`, INVALID after reporting, or MISSING when empty."""
    if node.kind == SCALAR and node.plain and node.text.strip() in ("", "~", "null", "Null", "NULL"):
        return MISSING
    if node.kind == SCALAR and node.plain and (quoted := _curly_quoted(node.text)):
        opening, inner, closing = quoted
        if not isinstance(typ, (s.Text, s.Quantity)):  # a date, true/false, a number, a choice: unreadable so
            return ctx.error(node, where, f"giá trị nằm trong {quote_pair(opening, closing)}; YAML đọc hai dấu này như "
                             f"chữ: hãy bỏ chúng, viết {where.rsplit('.', 1)[-1] or 'giá trị'}: {inner}")
        # Text: the editor may want the quotes shown, but most often they came with a paste.
        ctx.warning(node, where, f"giá trị nằm trong {quote_pair(opening, closing)}; YAML đọc hai dấu này như chữ nên "
                    "chúng sẽ hiện trên trang: nếu không muốn vậy, hãy bỏ chúng hoặc thay bằng ngoặc kép thẳng \" \"")
    checker = _CHECKERS[type(typ)]
    return checker(node, typ, ctx, where)


def _curly_quoted(text: str) -> tuple[str, str, str] | None:
    """(opening quote, text inside, closing quote) of a plain value wrapped in typographic quotes."""
    text = text.strip()
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
        return text[0], text[1:-1].strip(), text[-1]
    return None


def _scalar(node: Node, ctx: Context, where: str, expected: str) -> str | object:
    if node.kind == SCALAR:
        return node.text
    found = "một danh sách" if node.kind == SEQUENCE else "một bảng khoá: giá trị"
    return ctx.error(node, where, f"cần {expected}, nhưng đang là {found}")


def _text(node: Node, typ: s.Text, ctx: Context, where: str):
    raw = _scalar(node, ctx, where, "một đoạn chữ")
    if raw is INVALID:
        return INVALID
    if node.plain:
        tag = _RESOLVER.resolve(yaml.ScalarNode, raw, (True, False))
        if tag in _YAML11_MEANING:
            return ctx.error(node, where, f"'{raw}' sẽ bị nhiều công cụ YAML đọc thành {_YAML11_MEANING[tag]}, "
                             f"không phải chữ; hãy đặt trong ngoặc kép: \"{raw}\"")
    text = unicodedata.normalize("NFC", raw).strip()
    if problem := unsafe_character(text, allow_breaks=typ.multiline or typ.paragraph):
        return ctx.error(node, where, problem)
    if not typ.multiline:
        if typ.paragraph:
            # Folded, plain and quoted styles turn a blank line into one "\n"; literal blocks keep it.
            if re.search(r"\n\s*\n", text) or (node.style != "|" and "\n" in text):
                return ctx.error(node, where, "chỉ được viết một đoạn văn; hãy bỏ dòng trống, nội dung dài đưa vào story")
            text = " ".join(text.split())
        elif "\n" in text:
            return ctx.error(node, where, "phải nằm trên một dòng")
    if not text:
        return MISSING
    if not visible(text):
        return ctx.error(node, where, "chỉ gồm ký tự trắng hoặc không nhìn thấy; hãy viết nội dung bằng chữ hoặc xoá dòng này")
    if typ.max_len and len(text) > typ.max_len:
        return ctx.error(node, where, f"dài {len(text)} ký tự, tối đa {typ.max_len}; hãy rút gọn")
    if typ.pattern and not re.fullmatch(typ.pattern, text):
        return ctx.error(node, where, f"'{text}' không hợp lệ; chỉ dùng {typ.pattern_doc}")
    return text


def _choice(node: Node, typ: s.Choice, ctx: Context, where: str):
    raw = _scalar(node, ctx, where, "một trong các giá trị " + ", ".join(typ.values))
    if raw is INVALID or raw in typ.values:
        return raw
    if meant := choice_alias(typ, raw):
        return ctx.error(node, where, f"'{raw.strip()}' là tên tiếng Việt; hồ sơ ghi giá trị bằng tiếng Anh: hãy viết "
                         f"{where.rsplit('.', 1)[-1]}: {meant}")
    hint = difflib.get_close_matches(raw.strip().lower(), typ.values, n=1, cutoff=0.6)
    tip = f"; có phải ý bạn là '{hint[0]}'?" if hint else ""
    return ctx.error(node, where, f"'{raw}' không hợp lệ; chỉ nhận một trong: {', '.join(typ.values)}{tip}")


def choice_alias(typ: s.Choice, text: str) -> str | None:
    """The value meant by its Vietnamese name ("mô hình" → initiative): the kinds' labels of the
    schema, and the labels a choice carries for forms."""
    names = dict(zip(typ.values, getattr(typ, "labels", ()) or ()))
    if set(typ.values) == set(s.KINDS):
        names.update(s.KIND_LABELS)
    wanted = slugify(text)
    return next((value for value, name in names.items() if wanted and slugify(name) == wanted), None)


def _date(node: Node, typ: s.Date, ctx: Context, where: str):
    if typ.partial:
        return _period(node, ctx, where)
    raw = _scalar(node, ctx, where, "một ngày dạng YYYY-MM-DD")
    if raw is INVALID:
        return INVALID
    raw = raw.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return ctx.error(node, where, f"ngày '{raw}' không tồn tại")
    tip = ""
    if m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", raw):  # 2021-2-3
        guess = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        if _is_date(guess):
            tip = f"; có phải ý bạn là {guess}?"
    elif m := _DMY.fullmatch(raw):
        day, month, year = (int(g) for g in m.groups())
        guess = f"{year:04d}-{month:02d}-{day:02d}"
        if _is_date(guess):  # 31/2/2021 has no honest suggestion
            tip = f"; có phải ý bạn là {guess}?"
    return ctx.error(node, where, f"'{raw}' không phải ngày dạng YYYY-MM-DD (năm-tháng-ngày, ví dụ 2020-07-05){tip}")


_MY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{4})")  # 12/2022, as Vietnamese write a month
_MONTH_WORDS = re.compile(r"(?:tháng\s+([0-9]{1,2})\s*[/.-]?\s*(?:năm\s+)?|năm\s+)([0-9]{4})", re.IGNORECASE)


def _period(node: Node, ctx: Context, where: str):
    """A year, a month or a day (`core.period`): as precise as the source, never more."""
    raw = _scalar(node, ctx, where, "năm (2022), tháng (2022-12) hoặc ngày (2022-12-05)")
    if raw is INVALID:
        return INVALID
    raw = raw.strip()
    try:
        found = period.parse(raw)
    except ValueError:
        return ctx.error(node, where, f"'{raw}' không tồn tại (tháng từ 01 đến 12, ngày có trong tháng đó)")
    if found is not None:
        return found
    tip = ""
    if m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?", raw):  # 2021-2-3, 2021-2
        guess = f"{m.group(1)}-{int(m.group(2)):02d}" + (f"-{int(m.group(3)):02d}" if m.group(3) else "")
        tip = f"; có phải ý bạn là {guess}?" if _is_period(guess) else ""
    elif m := _DMY.fullmatch(raw):
        day, month, year = (int(g) for g in m.groups())
        guess = f"{year:04d}-{month:02d}-{day:02d}"
        tip = f"; có phải ý bạn là {guess}?" if _is_period(guess) else ""
    elif (m := _MY.fullmatch(raw)) or (m := _MONTH_WORDS.fullmatch(raw)):
        month, year = m.groups()
        guess = f"{int(year):04d}-{int(month):02d}" if month else f"{int(year):04d}"
        tip = f"; có phải ý bạn là {guess}?" if _is_period(guess) else ""
    return ctx.error(node, where, f"'{raw}' không phải năm (2022), tháng (2022-12) hoặc ngày (2022-12-05) viết theo thứ tự "
                     f"năm-tháng-ngày; chỉ ghi chính xác đến mức nguồn tin nêu{tip}")


def _is_period(text: str) -> bool:
    try:
        return period.parse(text) is not None
    except ValueError:
        return False


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _bool(node: Node, typ: s.Bool, ctx: Context, where: str):
    raw = _scalar(node, ctx, where, "true hoặc false")
    if raw is INVALID:
        return INVALID
    if node.plain and raw in ("true", "True", "TRUE"):
        return True
    if node.plain and raw in ("false", "False", "FALSE"):
        return False
    meant = _BOOL_WORDS.get(slugify(raw))
    tip = f": hãy viết {meant}" if meant else ""
    return ctx.error(node, where, f"cần viết true (có) hoặc false (không), không ngoặc kép; đang là '{raw}'{tip}")


# What editors write for yes and no, in Vietnamese or YAML 1.1's words, and true/false in quotes.
_BOOL_WORDS = {**dict.fromkeys(("true", "yes", "y", "on", "co", "dung", "dong-y", "co-dong-y"), "true"),
               **dict.fromkeys(("false", "no", "n", "off", "khong", "sai", "khong-dong-y"), "false")}


def _integer(node: Node, typ: s.Integer, ctx: Context, where: str):
    raw = _scalar(node, ctx, where, "một số nguyên")
    if raw is INVALID:
        return INVALID
    if not (node.plain and _INT.fullmatch(raw.strip())):
        return ctx.error(node, where, f"cần một số nguyên, không ngoặc kép; đang là '{raw}'")
    if too_long := _too_many_digits(raw.strip()):
        return ctx.error(node, where, too_long)
    value = int(raw)
    if (typ.min is not None and value < typ.min) or (typ.max is not None and value > typ.max):
        return ctx.error(node, where, f"{value} nằm ngoài khoảng cho phép {typ.min}–{typ.max}")
    return value


def _quantity(node: Node, typ: s.Quantity, ctx: Context, where: str):
    raw = _scalar(node, ctx, where, "một con số")
    if raw is INVALID:
        return INVALID
    text = raw.strip()
    if node.plain and _GROUPED.fullmatch(text):
        plain = re.sub(r"[.,]", "", text)
        return ctx.error(node, where, f"'{text}' dễ bị hiểu nhầm vì YAML coi dấu chấm là dấu thập phân; "
                         f"nếu là số {plain}, hãy viết liền không dấu phân cách: {plain}")
    if node.plain and (_INT.fullmatch(text) or _DECIMAL.fullmatch(text)):
        if too_long := _too_many_digits(text):
            return ctx.error(node, where, too_long)
        return int(text) if _INT.fullmatch(text) else float(text)
    if node.plain and re.fullmatch(r"-?[0-9]+,[0-9]+", text):
        return ctx.error(node, where, f"dùng dấu chấm cho phần thập phân: {text.replace(',', '.')}")
    return _text(node, s.Text(max_len=typ.max_len), ctx, where)


def _too_many_digits(number: str) -> str | None:
    digits = sum(c.isdigit() for c in number)
    return f"con số dài {digits} chữ số, tối đa {MAX_DIGITS}; hãy kiểm tra lại" if digits > MAX_DIGITS else None


def _url(node: Node, typ: s.Url, ctx: Context, where: str):
    raw = _scalar(node, ctx, where, "một địa chỉ web")
    if raw is INVALID:
        return INVALID
    url = raw.strip()
    if problem := unsafe_character(url, allow_breaks=False):
        return ctx.error(node, where, problem)
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if not parts or parts.scheme.lower() not in typ.schemes or not parts.netloc or re.search(r'[\s<>"\\]', url):
        return ctx.error(node, where, f"'{url}' không phải địa chỉ web hợp lệ; cần bắt đầu bằng http:// hoặc https://")
    return url


def _list(node: Node, typ: s.ListOf, ctx: Context, where: str):
    if node.kind != SEQUENCE:
        example = f" [{node.text}]" if node.kind == SCALAR else ""
        return ctx.error(node, where, f"cần một danh sách (mỗi mục một dòng bắt đầu bằng '- ', hoặc viết trong ngoặc vuông{example})")
    values, seen = [], {}
    for i, item in enumerate(node.items, start=1):
        value = conform(item, typ.item, ctx, f"{where}[{i}]")
        if value is MISSING:
            ctx.error(item, f"{where}[{i}]", "mục trống; hãy điền hoặc xoá dòng này")
            value = INVALID
        if typ.unique and value is not INVALID:
            if value in seen:
                ctx.error(item, f"{where}[{i}]", f"'{value}' bị lặp (đã có ở mục {seen[value]})")
                value = INVALID  # kept as a placeholder: values stay aligned with their nodes
            else:
                seen[value] = i
        values.append(value)
    if len(node.items) < typ.min_items:
        return ctx.error(node, where, f"cần ít nhất {typ.min_items} mục")
    return values


def _object(node: Node, typ: s.Obj, ctx: Context, where: str):
    if node.kind != MAPPING:
        if node.kind == SCALAR and node.plain and (found := missing_space(node.text.split("\n", 1)[0])):
            # `- file:anh-1.jpg`: without the space YAML reads one text, not the key the format wants.
            col, message = found
            ctx.report.error(ctx.path, node.line, node.col + col - 1, f"{where}: {message}" if where else message)
            return INVALID
        return ctx.error(node, where, "cần một bảng gồm các dòng 'khoá: giá trị' thụt vào bên dưới")
    values: dict[str, object] = {}
    suggested = set()  # keys a misspelling was already pointed to: no second error saying they are missing
    for i, (key, value_node) in enumerate(node.items):
        spec = typ.field(key.text)
        here = f"{where}.{key.text}" if where else key.text
        if spec is None:
            suggested.add(_unknown_key(key, value_node, typ, ctx, where, node.items[i - 1] if i else None))
            continue
        if spec.kinds is not None and ctx.kind is not None and ctx.kind not in spec.kinds:
            allowed = ", ".join(f"{k} ({s.KIND_LABELS[k].lower()})" for k in sorted(spec.kinds))
            ctx.error(key, here, f"chỉ dùng cho hồ sơ loại {allowed}, không dùng cho kind: {ctx.kind}")
            continue
        value = conform(value_node, spec.type, ctx, here)
        if value is not MISSING:
            values[key.text] = value
    for spec in typ.fields:
        required = spec.required or (ctx.kind in spec.required_for)
        if required and spec.key not in values and not (spec.key in suggested and node.key_node(spec.key) is None):
            label = f"{where}.{spec.key}" if where else spec.key
            present = node.key_node(spec.key)
            ctx.error(present or node, label, f"thiếu giá trị bắt buộc ({spec.doc})" if present
                      else f"thiếu khoá bắt buộc: {spec.doc}")
    return values


def _unknown_key(key: Node, value: Node, typ: s.Obj, ctx: Context, where: str,
                 previous: tuple[Node, Node] | None) -> str | None:
    """Report a key the format does not have; returns the key it probably meant.

    Besides misspellings, the reason is named when it is one editors often meet: the key in
    curly quotes, the key in Vietnamese (`tên:`, `loại: mô hình`), or not a key at all but the
    first line of a text left unindented under the key before it (`story: |`)."""
    here = f"{where}.{key.text}" if where else key.text
    known = [f.key for f in typ.fields]
    bare = key.text.strip().strip(QUOTES).strip()
    if bare != key.text.strip() and bare in known:
        quoted = key.text.strip()
        ctx.error(key, "", f"khoá '{here}' nằm trong {quote_pair(quoted[0], quoted[-1] if quoted[-1] in QUOTES else '')}: "
                  f"hãy bỏ dấu ngoặc, viết '{bare}:'")
        return bare
    alias = _alias_of(typ, key.text)
    close = difflib.get_close_matches(key.text.lower(), known, n=1, cutoff=0.6)
    if previous is not None and _left_empty(previous, key) and (previous[1].style in ("|", ">") or not (alias or close)):
        before, text = previous
        opened = f"{before.text}: {text.style}" if text.style else f"{before.text}:"
        ctx.error(key, "", unindented(before.text, opened))
        return None
    if alias is not None:
        meant = f"{alias.key}: {choice}" if isinstance(alias.type, s.Choice) and value.kind == SCALAR and (
            choice := choice_alias(alias.type, value.text)) else f"{alias.key}:"
        ctx.error(key, "", f"khoá '{here}' viết bằng tiếng Việt; tên các khoá trong hồ sơ là tiếng Anh "
                  f"(xem content/README.md): hãy viết '{meant}' thay cho '{key.text}:'")
        return alias.key
    tip = f"có phải ý bạn là '{close[0]}'?" if close else f"các khoá hợp lệ: {', '.join(known)}"
    ctx.error(key, "", f"khoá '{here}' không có trong {ctx.document}; {tip}")
    return close[0] if close else None


def _alias_of(typ: s.Obj, text: str) -> s.Field | None:
    """The field whose Vietnamese name (schema `Field.aliases`) `text` is, compared as slugs."""
    wanted = slugify(text)
    return next((f for f in typ.fields if wanted and any(slugify(a) == wanted for a in f.aliases)), None)


def _left_empty(previous: tuple[Node, Node], key: Node) -> bool:
    """The key before `key` has no text of its own, and `key` stands no deeper than it: the text
    meant for it may be what YAML read as `key`."""
    before, text = previous
    return (text.kind == SCALAR and not text.text.strip() and text.style in ("", "|", ">")
            and key.line > before.line and key.col <= before.col)


def _mapof(node: Node, typ: s.MapOf, ctx: Context, where: str):
    if node.kind != MAPPING:
        return ctx.error(node, where, "cần một bảng gồm các dòng 'khoá: giá trị'")
    values = {}
    for key, value_node in node.items:
        here = f"{where}.{key.text}" if where else key.text
        if not re.fullmatch(typ.key_pattern, key.text):
            ctx.error(key, here, f"khoá '{key.text}' không hợp lệ; dùng {typ.key_doc}")
            continue
        value = conform(value_node, typ.value, ctx, here)
        if value is MISSING:
            ctx.error(value_node, here, "thiếu nội dung")
        elif value is not INVALID:
            values[key.text] = value
    return values


_CHECKERS = {
    s.Text: _text, s.Choice: _choice, s.Date: _date, s.Bool: _bool, s.Integer: _integer,
    s.Quantity: _quantity, s.Url: _url, s.ListOf: _list, s.Obj: _object, s.MapOf: _mapof,
}
