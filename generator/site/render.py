"""Turn the page plan into Markdown text with Jinja2 templates.

Everything a record says is untrusted. Markdown templates (`*.md.j2`) print
values through `finalize`, which escapes them for Markdown and HTML unless
they are `Markup` made here (links we build, story HTML after sanitising).
HTML fragments (`*.html.j2`, e.g. galleries, which Markdown passes through
raw) are autoescaped by Jinja instead. Either way a template author has to
opt *out* of escaping, never remember to opt in.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, pass_eval_context, select_autoescape
from markupsafe import Markup

from ..core import urls
from ..core.mdtext import inert, md_text
from ..core.memo import Memo, ValueBytes, code_fingerprint
from ..core.period import vi_period, vi_when
from ..core.vntext import vi_date, vi_number
from ..media.images import Rendition
from ..records.model import Record, place_line
from ..records.places import LEGACY, Place, Unit
from ..records.schema import INITIATIVE, KIND_LABELS, PERSON, REFORM_TEXT
from ..records.story import story_html
from . import books, charts, lineage
from .plan import Page
from .publisher import DEFAULT, Publisher
from .stats import MapPlace, Tally

TEMPLATES = Path(__file__).parent / "templates"

@pass_eval_context
def _finalize(eval_ctx, value):
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if eval_ctx.autoescape:
        # One line: a blank line in a value would end Markdown's raw HTML block and
        # hand the rest of the value to Markdown. Autoescape HTML-escapes it next.
        return " ".join(str(value).split())
    return inert(value)


def front_matter_text(value: str) -> Markup:
    """A front-matter scalar no text can break out of: HTML-escaped, because MkDocs themes
    print page.title and meta unescaped, then written by YAML's own emitter as one
    double-quoted line, which escapes every code point YAML could not read back."""
    text = _SURROGATE.sub("\ufffd", html.escape(" ".join(str(value).split())))  # no encoder writes a lone surrogate
    return Markup(yaml.safe_dump(text, allow_unicode=True, default_style='"', width=math.inf).rstrip("\n"))


_SURROGATE = re.compile("[\ud800-\udfff]")
# The loader MkDocs reads front matter with: libyaml's, stricter than PyYAML's (it refuses "\uD800").
_FRONT_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RenderError(Exception):
    """A page the generator wrote but could not read back; the message is Vietnamese."""

    def __init__(self, page: str, message: str):
        super().__init__(message)
        self.page = page


# The front-matter block as MkDocs (mkdocs.utils.meta), Python-Markdown's meta and Zensical find it.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def check_front_matter(page: str, text: str, emitted: list[str]) -> None:
    """Parse the page's front matter back and require exactly what the `front` filter wrote.

    MkDocs drops front matter it cannot parse without a word and renders the block as
    Markdown, so a value that broke the block would be published as page content. The
    emitter makes that impossible today; this check keeps it so if templates or the
    emitter change."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        if emitted:
            raise RenderError(page, "phần đầu trang (front matter) không còn nguyên khối")
        return
    try:
        data = yaml.load(match.group(1), _FRONT_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        data = None
    lines = [line for line in match.group(1).splitlines() if line.strip()]
    if not isinstance(data, dict) or len(data) != len(lines):
        raise RenderError(page, "phần đầu trang (front matter) không đọc lại được đúng từng dòng")
    read_back = iter(v for v in data.values() if isinstance(v, str))
    wanted = [yaml.load(str(e), _FRONT_LOADER) for e in emitted]  # noqa: S506 - a safe loader
    if not all(any(value == w for value in read_back) for w in wanted):
        raise RenderError(page, "phần đầu trang (front matter) đọc lại khác với giá trị đã ghi")



def map_label(p: MapPlace) -> str:
    """"Huyện Châu Thành, Tỉnh Tiền Giang": unit names repeat across provinces."""
    return p.unit.name if p.unit == p.within else f"{p.unit.name}, {p.within.name}"


class Renderer:
    """`publisher` is the template global `site` (publisher.py): every page may name the site,
    so it is part of every page's memo key."""

    def __init__(self, templates: Path = TEMPLATES, publisher: Publisher = DEFAULT):
        self.publisher = publisher
        self.env = Environment(
            loader=FileSystemLoader(str(templates)), finalize=_finalize,
            autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
            undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        )
        self._front: list[str] = []  # what `front` wrote into the page being rendered
        self.env.filters.update(front=self._front_filter, story=story_html, vi_date=vi_date, vi_period=vi_period, vi_when=vi_when, vi_number=vi_number,
                                place_line=place_line, place_words=lineage.place_words, raw=Markup, map_label=map_label,
                                html_block=_html_block)
        self.env.globals.update(href=_href, link=_link, urls=urls, KIND_LABELS=KIND_LABELS, REFORM_TEXT=REFORM_TEXT,
                                LEGACY=LEGACY, PERSON=PERSON, INITIATIVE=INITIATIVE, site=publisher,
                                unit_link=_unit_link, url_for=_url_for, html_link=_html_link,
                                bar_chart=_bar_chart, column_chart=_column_chart, map_chart=_map_chart,
                                spread_map=_spread_map,
                                sheet_facts=books.sheet_facts)  # the print sheet's cut texts and QR code

    def _front_filter(self, value) -> Markup:
        scalar = front_matter_text(value)
        self._front.append(scalar)
        return scalar

    def render(self, page: Page) -> str:
        template = self.env.get_template(page.template)
        self._front = []
        text = template.render(page_path=page.path, **page.context)
        check_front_matter(page.path, text, self._front)
        return text

    def render_all(self, plan: list[Page], memo: Path | None = None) -> dict[str, str]:
        """Every page's Markdown. With `memo` (a file in the build cache), a page whose
        context, templates and code are unchanged since the last run is read back."""
        if memo is None:
            return {page.path: self.render(page) for page in plan}
        remembered, values = Memo(memo, code_fingerprint()), ValueBytes(digested=KEYED_BY_DIGEST)
        site = values(self.publisher)
        out = {page.path: remembered.get(_page_key(remembered, values, page, site), lambda page=page: self.render(page))
               for page in plan}
        remembered.save()
        return out


def _html_block(html: str) -> Markup:
    """Generated HTML as one raw HTML block: Markdown ends such a block at the first blank line
    and reads what follows as Markdown, so the lines that macros left empty are dropped."""
    return Markup("\n".join(line for line in str(html).splitlines() if line.strip()))


# Records, places, their units and published photos stand in many pages' contexts: each is
# pickled once a run and then stands in every page's key as its digest. With records alone, the
# units' strings made keying 1,000 records' pages 2.3x as slow (persistent_id runs for every object
# pickled); with 2 photos a record, the photos' variants made keying 2,000 records' pages 2x as
# slow and their keys' bytes 6x as long (28 MB, hashed every run).
KEYED_BY_DIGEST = (Record, Place, Unit, Rendition)


def _page_key(memo: Memo, values: ValueBytes, page: Page, site: bytes) -> bytes:
    # The context and the publisher by value: equal bytes mean equal values, so equal pages.
    return memo.key(page.path.encode(), page.template.encode(), values(page.context), site)


@pass_context
def _href(ctx, target: str) -> Markup:
    here = posixpath.dirname(ctx["page_path"])
    return Markup(posixpath.relpath(target, here or "."))


@pass_context
def _html_link(ctx, text, target: str) -> Markup:
    """<a href> to a page of the site, for HTML templates: a Python function, as a Jinja
    macro call per link cost a second at 10,000 records."""
    return Markup(f'<a href="{html.escape(urls.served_from(ctx["page_path"], target))}">{html.escape(" ".join(str(text).split()))}</a>')


@pass_context
def _url_for(ctx, target: str) -> Markup:
    """A URL for raw HTML, which MkDocs does not rewrite: relative to the page's served folder."""
    return Markup(html.escape(urls.served_from(ctx["page_path"], target)))


# Charts are raw HTML built (and escaped) by generator/site/charts.py; their links are
# made relative here, where the page's own place is known.
@pass_context
def _bar_chart(ctx, title: str, rows: list[Tally], chart_id: str) -> Markup:
    return Markup(charts.bar_chart(title, _chart_rows(ctx, rows), chart_id=chart_id))


@pass_context
def _column_chart(ctx, title: str, rows: list[Tally], chart_id: str) -> Markup:
    return Markup(charts.column_chart(title, _chart_rows(ctx, rows), chart_id=chart_id))


def _chart_rows(ctx, rows: list[Tally]) -> list[tuple[str, int, str | None]]:
    return [(r.label, r.count, r.target and urls.served_from(ctx["page_path"], r.target)) for r in rows]


@pass_context
def _map_chart(ctx, title: str, places: list[MapPlace], land, landmarks, chart_id: str) -> Markup:
    points = charts.points_by_unit([(p.unit, p.count, urls.served_from(ctx["page_path"], p.target), map_label(p))
                                    for p in places])
    return Markup(charts.vietnam_map(points, background=land, landmarks=landmarks, chart_id=chart_id, title=title))


def _spread_map(record: Record, spread: lineage.Spread, title: str, chart_id: str) -> Markup:
    """The map of where a model spread (lineage.py, charts.py); nothing when no place of it has coordinates."""
    origin, places = lineage.spread_points(record, spread)
    if not places:
        return Markup("")
    land = lineage.spread_land(record, spread)
    return Markup(charts.spread_map(origin, places, background=land, chart_id=chart_id, title=title))


@pass_context
def _link(ctx, text, target: str) -> Markup:
    return Markup(f"[{md_text(text)}]({_href(ctx, target)})")


@pass_context
def _unit_link(ctx, u: Unit, target: str | None) -> Markup:
    return _link(ctx, u.name, target) if target else Markup(md_text(u.name))
