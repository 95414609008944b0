"""The editors' reference of the record format, generated from the schema.

Committed as content/README.md (GitHub shows it under the folder editors
work in); a test fails when it drifts from `schema.RECORD`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..core.mdtext import inert
from . import schema as s
from .schema import REFORM_TEXT

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Row:
    key: str  # dotted path, e.g. photos[].file
    type: str
    required: str
    doc: str


def _type_name(t) -> str:
    match t:
        case s.Text(multiline=True):
            return "văn bản Markdown"
        case s.Text(max_len=n) if n:
            return f"chữ (tối đa {n} ký tự)"
        case s.Text():
            return "chữ"
        case s.Choice(values=v):
            return " \\| ".join(f"`{x}`" for x in v)
        case s.Date(partial=True):
            return "năm `YYYY`, tháng `YYYY-MM` hoặc ngày `YYYY-MM-DD`"
        case s.Date():
            return "ngày `YYYY-MM-DD`"
        case s.Bool():
            return "`true` \\| `false`"
        case s.Integer():
            return "số nguyên"
        case s.Quantity():
            return "số (hoặc chữ)"
        case s.Url():
            return "địa chỉ web"
        case s.ListOf(item=s.Obj()):
            return "danh sách các bảng"
        case s.ListOf():
            return "danh sách"
        case s.Obj():
            return "bảng"
    raise TypeError(t)


def _required(f: s.Field) -> str:
    if f.required:
        return "bắt buộc"
    if f.required_for:
        return "bắt buộc với " + ", ".join(sorted(f.required_for))
    return ""


def rows(obj: s.Obj = s.RECORD, prefix: str = "") -> list[Row]:
    out: list[Row] = []
    for f in obj.fields:
        key = prefix + f.key
        doc = f.doc + (f" Chỉ dùng cho: {', '.join(sorted(f.kinds))}." if f.kinds else "")
        out.append(Row(key, _type_name(f.type), _required(f), doc))
        inner = f.type.item if isinstance(f.type, s.ListOf) else f.type
        if isinstance(inner, s.Obj):
            out += rows(inner, key + ("[]." if isinstance(f.type, s.ListOf) else "."))
    return out


def record_format_markdown() -> str:
    # Trusted text (the schema's), still escaped for Markdown as the site's pages are.
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), finalize=inert, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["raw"] = Markup
    env.globals["REFORM_TEXT"] = REFORM_TEXT
    template = env.get_template("reference.md.j2")
    return template.render(rows=rows())
