"""`sovang new KIND`: a new record folder with a filled-in, commented entry.yml.

The slug comes from the name (diacritics removed, đ → d) and is made unique
across all records; the grouping folder comes from the place
(`<province>/<district>` before the 2025 reform, `<province>/<commune>` after).
On a terminal it asks for what the flags did not give; otherwise it refuses
with the list of missing flags. A person's consent is never assumed: the
editor states it (`--consent name,photo,story`), because publishing a name
without it is what the privacy rules forbid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..core.vntext import slugify
from ..diagnostics import Report
from . import places
from .loader import ENTRY, discover, entries_dir
from .schema import KIND_LABELS, PERSON, RECORD

TEMPLATES = Path(__file__).parent / "templates"
CONSENTS = ("name", "photo", "story")


class ScaffoldError(Exception):
    """What the editor must supply or fix; Vietnamese."""


@dataclass
class Answers:
    kind: str
    name: str = ""
    summary: str = ""
    date: str = ""
    province: str = ""
    district: str = ""
    commune: str = ""
    fields: list[str] = field(default_factory=list)
    consent: list[str] = field(default_factory=list)
    guardian: bool = False
    birth_year: int | None = None
    adult: bool = False


def create(content: Path, answers: Answers) -> Path:
    """Write the record; returns its entry.yml path."""
    date = _date(answers.date)
    era = places.era_of(date)
    place, problems = places.resolve(answers.province, answers.district or None, answers.commune or None, era)
    if place is None:
        raise ScaffoldError("; ".join(f"{key}: {message}" for key, message in problems))
    if answers.kind == PERSON and "name" not in answers.consent:
        raise ScaffoldError("hồ sơ cá nhân cần sự đồng ý công bố họ tên của người được ghi danh: thêm --consent name "
                            "(và photo, story nếu người đó đồng ý) sau khi đã hỏi ý kiến họ")
    if answers.kind == PERSON and answers.birth_year is None and not (answers.adult or answers.guardian):
        raise ScaffoldError("hồ sơ cá nhân cần biết người được ghi danh đã đủ 16 tuổi chưa: thêm --birth-year NĂM, "
                            "hoặc --adult nếu chắc chắn đã đủ 16 tuổi (ví dụ đang giữ chức vụ), hoặc --guardian nếu "
                            "người giám hộ đồng ý thay")
    folder = entries_dir(content) / _group(place) / _unique_slug(content, answers.name)
    text = _render(answers, date, place)
    folder.mkdir(parents=True)
    path = folder / ENTRY
    path.write_text(text, encoding="utf-8")
    return path


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        raise ScaffoldError(f"ngày '{text}' không đúng dạng YYYY-MM-DD (ví dụ 2024-05-19)") from None


def _group(place: places.Place) -> str:
    second = place.district if place.era == places.LEGACY else place.commune
    return "/".join(u.slug for u in (place.province, second) if u)


def _unique_slug(content: Path, name: str) -> str:
    base = slugify(name)[:80].rstrip("-") or "ho-so"
    taken = {p.parent.name for p in discover(content, Report())}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _render(a: Answers, date: dt.date, place: places.Place) -> str:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True, autoescape=False, finalize=yaml_scalar)
    env.filters["comment"] = lambda text: _Verbatim(" ".join(str(text).split()))
    env.globals["PERSON"] = PERSON
    docs = {f.key: f.doc for f in RECORD.fields}
    return env.get_template("entry.yml.j2").render(
        a=a, date=date.isoformat(), place=place, kind_label=KIND_LABELS[a.kind], docs=docs,
        consent={c: c in a.consent for c in CONSENTS})


class _Verbatim(str):
    """Text for a YAML comment: printed as it is."""


def yaml_scalar(value) -> str:
    """A value as YAML that every reader takes as the same text: plain when safe, else double-quoted."""
    if isinstance(value, _Verbatim):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)
    plain_ok = (value.strip() == value and value and not value[0] in "-?:,[]{}#&*!|>'\"%@`"
                and ": " not in value and " #" not in value and "\n" not in value
                and yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str")
    if plain_ok:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
