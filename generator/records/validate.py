"""Validate the whole corpus and build the typed model.

Structure and types come from the schema (`typecheck`); this module adds the
rules that need more than one value: places against the registry of the
record's era, field keys against the taxonomy, photo files against the
folder, consent, and slugs across the corpus. Every problem is reported in
one run; a record with any error is left out of the model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..core import collector, period
from ..core.memo import Memo, code_fingerprint
from ..core.period import Period, vi_when
from ..core.vntext import look_alike, slugify, vi_date
from ..diagnostics import ERROR, WARNING, Diagnostic, Report, display_path
from . import loader, personal, places, rules
from .model import Corpus, Record, Term, build_photo, build_record
from .schema import INITIATIVE, KIND_LABELS, KINDS, RECORD, TAXONOMY
from .typecheck import INVALID, Context, conform
from .yamlstrict import EMPTY, MAPPING, Node, YamlProblem, parse_file

_VIETNAM = dt.timezone(dt.timedelta(hours=7))
# The rules over the whole corpus and the clock, for the JSON Schema's description (`jsonschema.py`).
CHECKS = (
    ("dates", "ngày có thật (2023-02-30 đúng dạng nhưng không tồn tại) và không sau ngày kiểm tra"),
    ("duplicates", "tên thư mục hồ sơ không trùng, hồ sơ không trùng tên và địa bàn với hồ sơ khác"),
)


@dataclass(frozen=True)
class Outcome:
    """What checking one record found: the record (None if it has errors or was withdrawn)
    and every diagnostic about it."""

    record: Record | None
    diagnostics: tuple[Diagnostic, ...]
    withdrawn: bool = False
    name_at: tuple[int, int] = (1, 1)  # line and column of `name:`, for cross-record findings
    # The record's date and its line and column, for the future-date rule, which runs after
    # the memo (and on records with other errors too).
    dated: tuple[tuple[str, Period | dt.date, int, int], ...] = ()  # (key, date, line, column): date and consent.date
    path: Path | None = None  # the record's entry.yml
    looks: tuple[str, str] = ("", "")  # the name's confusable skeleton (vntext.look_alike) and its slug, for duplicates
    lineage: "Lineage | None" = None  # what the replication rules need of it, across records


@dataclass(frozen=True)
class Lineage:
    """A record as the replication rules see it from another record: its kind, its date, and the
    model it replicates with the position of `replicates:`."""

    slug: str
    kind: str | None
    date: Period | None
    replicates: str | None = None
    at: tuple[int, int] = (1, 1)


def _lineage(raw: loader.RawRecord, root: Node, values: dict) -> Lineage | None:
    if root.kind != MAPPING:
        return None
    target, node = values.get("replicates"), root.get("replicates")
    date = values.get("date")
    return Lineage(raw.slug, values.get("kind") if values.get("kind") in KINDS else None,
                   date if isinstance(date, Period) else None, target if isinstance(target, str) else None,
                   (node.line, node.col) if node is not None else (1, 1))



def validate(content: Path, only: set[Path] | None = None, memo: Path | None = None) -> tuple[Corpus, Report]:
    """Check the corpus; with `only` (entry.yml paths), check just those records fully,
    plus the cross-record rules (slugs, duplicates) between them and all the others.
    With `memo` (a file in the build cache), a record whose inputs did not change since
    the last run is not checked again: its outcome is read back (generator/core/memo.py)."""
    with collector.paused():
        report = Report()
        terms, programmes = load_vocabularies(content, report)
        raws, every = loader.load(content, report, only)
        report.checked = len(raws)
        remembered = Memo(memo, _salt(content))
        # A withdrawn record is checked afresh each run (there are few): nothing of it, not even
        # a warning naming its folder, is kept in build/cache, which CI saves and restores.
        outcomes = [remembered.get(_record_key(remembered, raw), lambda raw=raw: check_record(raw, terms, programmes),
                                   keep=lambda o: not o.withdrawn)
                    for raw in raws if raw.data is not None]
        remembered.save()
        report.remembered = len(outcomes) - remembered.computed
        for o in outcomes:
            report.items.extend(o.diagnostics)
            report.withdrawn += o.withdrawn
        # A withdrawn record keeps no slug: its removal must not wait for a clash with another.
        gone = {o.path for o in outcomes if o.withdrawn}
        duplicated = _check_slugs([p for p in every if p not in gone], report, only)
        outcomes = check_not_future(outcomes, report)
        checked = [o for o in outcomes if o.record is not None]
        others = loader.heads([p for p in every if p not in only]) if only is not None else []
        _check_duplicates(checked, others, report)
        refused = _check_replicates(outcomes, others, gone, report)
        records = sorted((o.record for o in checked if o.record.slug not in duplicated | refused), key=lambda r: r.slug)
        return Corpus(tuple(records), terms or {}, programmes or {}), report


def _record_key(memo: Memo, raw: loader.RawRecord) -> bytes:
    return memo.key(str(raw.path).encode("utf-8", "surrogateescape"),
                    repr(raw.files).encode("utf-8", "surrogateescape"), raw.data)


def _salt(content: Path) -> bytes:
    try:
        taxonomy = (content / loader.TAXONOMY_FILE).read_bytes()
    except OSError:
        taxonomy = b""
    return code_fingerprint() + hashlib.sha256(taxonomy).digest()


def load_taxonomy(content: Path, report: Report) -> dict[str, Term] | None:
    """The field vocabulary of content/taxonomy.yml, or None (the problems reported)."""
    return load_vocabularies(content, report)[0]


def load_vocabularies(content: Path, report: Report) -> tuple[dict[str, Term] | None, dict[str, Term] | None]:
    """The fields and the programmes of content/taxonomy.yml, each None if the file could not be read."""
    path = content / loader.TAXONOMY_FILE
    if path.is_symlink():  # a link would read any file of the build machine into the site
        report.error(path, 1, 1, f"{loader.TAXONOMY_FILE} là liên kết tượng trưng (symlink); hãy thay bằng chính tệp đó")
        return None, None
    if not path.is_file():
        report.error(path, 1, 1, f"không tìm thấy tệp danh mục lĩnh vực {loader.TAXONOMY_FILE}")
        return None, None
    try:
        root = parse_file(path)
    except YamlProblem as exc:
        report.error(path, exc.line, exc.col, exc.message + (": cần khoá fields liệt kê các lĩnh vực" if exc.message == EMPTY else ""))
        return None, None
    local = Report()
    values = conform(root, TAXONOMY, Context(path, local, document="danh mục lĩnh vực"))
    report.extend(local)
    if local.errors or values is INVALID:
        return None, None
    if not values["fields"]:
        report.error(path, root.line, root.col, "danh mục lĩnh vực trống: cần ít nhất một lĩnh vực trong fields")
        return None, None
    if _taxonomy_personal_data(root, path, report):
        return None, None
    return tuple({key: Term(key, v["name"], v.get("description", "")) for key, v in (values.get(part) or {}).items()}
                 for part in ("fields", "programmes"))


def _taxonomy_personal_data(root: Node, path: Path, report: Report) -> bool:
    """Field and programme names show on their pages, in the feed and the open data; editors add
    them in their own pull requests, so they are scanned like a record's text."""
    found = False
    for vocabulary in ("fields", "programmes"):
        block = root.get(vocabulary)
        for key, term in block.items if block is not None and block.kind == MAPPING else ():
            for part in ("name", "description"):
                node = term.get(part) if term.kind == MAPPING else None
                for _, _, what in personal.find(node.text) if node is not None else ():
                    report.error(path, node.line, node.col, f"{vocabulary}.{key.text}.{part}: có {what}; trang Sổ vàng "
                                 f"công khai, nên không ghi {what} vào danh mục: hãy xoá đi")
                    found = True
    return found


def check_record(raw: loader.RawRecord, terms: dict[str, Term] | None,
                 programmes: dict[str, Term] | None = None) -> Outcome:
    """One record against its types (`typecheck`) and every rule of `rules.RULES`; its model if it passes."""
    local = Report()
    path, root = raw.path, raw.parse(local)
    if root is None:
        if loader.says_withdrawn(raw.data):  # unreadable, but plainly taken down: the takedown goes first
            return Outcome(None, _not_blocking(local.items), withdrawn=True, path=path)
        return Outcome(None, tuple(local.items))
    kind_node = root.get("kind") if root.kind == MAPPING else None
    kind = kind_node.text if kind_node is not None and kind_node.text in KINDS else None
    if root.kind == MAPPING:
        values = conform(root, RECORD, Context(path, local, kind))
    else:  # the rules on the folder and its files still apply
        local.error(path, root.line, root.col, "hồ sơ phải là một bảng gồm các dòng 'khoá: giá trị'")
        values = {}
    entry = rules.Entry(raw, root, values if isinstance(values, dict) else {}, kind, terms, programmes or {})
    local.items.extend(rules.run(entry))
    if entry.withdrawn:  # never in the model, so no stage can publish any part of it
        return Outcome(None, _not_blocking(local.items), withdrawn=True, path=path)
    if root.kind != MAPPING:
        return Outcome(None, tuple(local.items))
    dated = _dates(root, values)
    (place, _), (fields, _) = entry.place, entry.fields
    (programmes, _), (replications, _) = entry.programme_terms, entry.replications
    if local.errors or place is None or fields is None or programmes is None or replications is None:
        return Outcome(None, tuple(local.items), dated=dated, path=path, lineage=_lineage(raw, root, values))
    name = root.key_node("name")
    # The skeleton is computed once, when the record is checked, and remembered with it: ICU
    # takes a fifth of a warm run's time at 10,000 records if every run asks again.
    record = _build(raw, root, values, place, fields, programmes=programmes, replicated_in=replications)
    return Outcome(record, tuple(local.items), name_at=(name.line, name.col), dated=dated, path=path,
                   looks=_looks(values["name"]), lineage=_lineage(raw, root, values))


def _looks(name: str) -> tuple[str, str]:
    looks = look_alike(name)
    return looks, slugify(looks)




def _not_blocking(items: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """A withdrawn record's problems as warnings. Its removal must never wait for them: an
    error stops the build, and the public site would keep the very record being taken down."""
    note = " (hồ sơ đã gỡ nên lỗi này không chặn việc gỡ; nên sửa, hoặc xoá hẳn thư mục hồ sơ)"
    return tuple(dataclasses.replace(d, severity=WARNING, message=d.message + note) if d.severity == ERROR else d
                 for d in items)


def _dates(root: Node, values: dict) -> tuple[tuple[str, Period | dt.date, int, int], ...]:
    """The dates the clock rule checks, with their positions: the record's (its first day: the
    youngest a person could have been) and its consent's."""
    found = []
    if isinstance(values.get("date"), Period):
        node = root.get("date")
        found.append(("date", values["date"], node.line, node.col))
    consent = values.get("consent")
    if isinstance(consent, dict) and isinstance(consent.get("date"), dt.date):
        node = root.get("consent").get("date")
        found.append(("consent.date", consent["date"], node.line, node.col))
    return tuple(found)


def check_not_future(outcomes: list[Outcome], report: Report, today: dt.date | None = None) -> list[Outcome]:
    """Refuse records dated after today: the one rule that reads the clock.

    A future date would let a child's record claim an age it will only reach later, and
    the build's own date cannot serve as "now": it comes from the newest record or from a
    commit date the contributor controls. Reading the clock can only refuse a record, never
    change a page, so the output stays deterministic. "Today" is Vietnam's (UTC+7), where
    editors date their records. Run after the memo: an outcome read back from an earlier
    day must still be refused."""
    today = today or dt.datetime.now(_VIETNAM).date()
    kept = []
    for o in outcomes:
        # A period by its first day: "2027" has not begun, "2026" has, though some of its days are to come.
        future = [d for d in o.dated if period.first_day(d[1]) > today] if not o.withdrawn else []
        for key, date, line, col in future:
            what = "thời gian ghi danh" if key == "date" else "ngày đồng ý"
            report.error(o.path, line, col, f"{key}: {what} ({vi_when(date)}) chưa tới (hôm nay là {vi_date(today)}); "
                         f"hãy ghi {what} thật")
        if future:
            o = dataclasses.replace(o, record=None)
        kept.append(o)
    return kept


def _check_replicates(outcomes: list[Outcome], others: list[loader.Head], gone: set[Path], report: Report) -> set[str]:
    """`replicates` across records: the model it names exists, is published and is a model
    (initiative), is not replicated in a loop, and is not younger than its replication. Returns
    the slugs of the records refused.

    A target being withdrawn is only a warning: a takedown must never wait for the records that
    point to it (the replication's page then names no original)."""
    known: dict[str, Lineage] = {}
    for h in others:
        try:
            date = period.parse(h.date.strip())
        except ValueError:
            date = None
        known[h.slug] = Lineage(h.slug, h.kind if h.kind in KINDS else None, date, h.replicates)
    withdrawn = {p.parent.name for p in gone}
    mine = [o for o in outcomes if o.lineage is not None and not o.withdrawn]
    known.update((o.lineage.slug, o.lineage) for o in mine)
    refused = set()
    for o in mine:
        me = o.lineage
        if me.replicates is None or me.replicates == me.slug:  # a self-reference is a rule of its own (rules.replication)
            continue
        line, col = me.at
        problem = _replicates_problem(me, known, withdrawn)
        if problem == _WITHDRAWN:
            report.warning(o.path, line, col, f"replicates: mô hình gốc '{me.replicates}' đã được gỡ khỏi trang "
                           "(withdrawn: true); trang hồ sơ này sẽ không nhắc đến mô hình gốc: hãy xoá dòng replicates")
        elif problem:
            report.error(o.path, line, col, f"replicates: {problem}")
            refused.add(me.slug)
    return refused


_WITHDRAWN = "withdrawn"


def _replicates_problem(me: Lineage, known: dict[str, Lineage], withdrawn: set[str]) -> str | None:
    target = known.get(me.replicates)
    if target is None:
        if me.replicates in withdrawn:
            return _WITHDRAWN
        near = difflib.get_close_matches(me.replicates, sorted(known), n=1, cutoff=0.7)
        tip = f"; có phải ý bạn là '{near[0]}'?" if near else ""
        return (f"không có hồ sơ nào có tên thư mục '{me.replicates}' trong content/entries{tip}. replicates ghi tên "
                "thư mục hồ sơ của mô hình gốc")
    if target.kind != INITIATIVE:
        what = KIND_LABELS.get(target.kind, "không rõ loại").lower()
        return (f"'{me.replicates}' là hồ sơ {what}, không phải mô hình; chỉ một mô hình (kind: initiative) "
                "mới được nhân rộng")
    # A loop: following replicates from the target comes back to this record.
    seen, step = [me.slug], target
    while step is not None and step.replicates is not None and len(seen) <= len(known):
        seen.append(step.slug)
        if step.replicates == me.slug:
            return (f"vòng lặp nhân rộng: {' → '.join(seen + [me.slug])}; một mô hình không thể vừa là gốc vừa là "
                    "nơi nhân rộng của mô hình kia: hãy bỏ replicates ở hồ sơ nhân rộng sau")
        if step.replicates in seen:
            break  # a loop that does not pass through this record is reported on its own records
        step = known.get(step.replicates)
    if me.date is not None and target.date is not None and me.date.last < target.date.first:
        return (f"mô hình này ghi danh {vi_when(me.date)}, trước mô hình gốc '{me.replicates}' ({vi_when(target.date)}); "
                "nơi nhân rộng không thể có trước mô hình gốc: hãy kiểm tra lại ngày ghi danh hoặc replicates")
    return None


def _check_slugs(paths: list[Path], report: Report, only: set[Path] | None) -> set[str]:
    """Report every record whose slug another record also uses; return those slugs."""
    by_slug: dict[str, list[Path]] = defaultdict(list)
    for path in paths:
        by_slug[path.parent.name].append(path)
    duplicated = {slug for slug, group in by_slug.items() if len(group) > 1}
    for slug in duplicated:
        group = by_slug[slug]
        for path in group:
            if only is not None and path not in only:
                continue
            others = ", ".join(display_path(o) for o in group if o is not path)
            report.error(path, 1, 1, f"tên thư mục hồ sơ '{slug}' bị trùng với {others}; "
                         "mỗi hồ sơ cần một tên thư mục riêng trong toàn bộ content/entries")
    return duplicated


def _check_duplicates(checked: list[Outcome], others: list[loader.Head], report: Report) -> None:
    """Same name and place as another record: a warning; also the same kind and date: an error.

    Reported on the records checked in this run, naming the other files. Names are
    compared by what they look like (UTS #39 skeletons: a Cyrillic "А" or a word joiner
    makes no new name), folded (no diacritics, case or punctuation) for the warning and
    with their diacritics for the error; places by their words without the unit word
    ("Tỉnh Hà Nam" = "Hà Nam").
    """
    groups: dict[tuple, list[tuple[Path, str, str, str]]] = defaultdict(list)
    keys = [_near_key(o.looks[1], _place_words(o.record)) for o in checked]
    for key, o in zip(keys, checked):
        r = o.record
        groups[key].append((r.folder / loader.ENTRY, r.kind, o.looks[0], r.date.isoformat()))
    for h in others:
        looks = look_alike(h.name)
        key = _near_key(slugify(looks), tuple(h.place.get(k, "") for k in ("province", "district", "commune")))
        if key in groups:
            groups[key].append((h.path, h.kind, looks, h.date))
    for key, o in zip(keys, checked):
        group = groups[key]
        if len(group) < 2:
            continue
        r, path = o.record, o.record.folder / loader.ENTRY
        me = next(g for g in group if g[0] == path)
        exact = [g for g in group if g is not me and g[1:] == me[1:]]
        near = [g for g in group if g is not me and g not in exact]
        line, col = o.name_at
        if exact:
            report.error(path, line, col, f"name: hồ sơ trùng hoàn toàn với {_paths(exact)} (cùng loại, "
                         "tên, địa bàn và ngày ghi danh); hãy xoá một trong hai, hoặc sửa hồ sơ nếu đây là hai việc khác nhau")
        if near:
            report.warning(path, line, col, f"name: có thể trùng với {_paths(near)} (cùng tên và địa bàn); "
                           "nếu là cùng một người, tập thể hay mô hình thì hãy gộp vào một hồ sơ")


def _near_key(folded: str, place: tuple[str, ...]) -> tuple:
    """The warning's key: the name's skeleton folded (`slugify(vntext.look_alike(name))`), and the place."""
    return (folded,) + tuple(places.name_key(p) if p else "" for p in place)


def _place_words(r: Record) -> tuple[str, ...]:
    p = r.place
    return tuple(u.short if u else "" for u in (p.province, p.district, p.commune))


def _paths(group) -> str:
    return ", ".join(display_path(g[0]) for g in sorted(group))


def _build(raw: loader.RawRecord, root: Node, v: dict, place: places.Place, fields: tuple[Term, ...], **derived) -> Record:
    photos = tuple(build_photo(p, n.get("file").line, n.get("file").col)
                   for p, n in zip(v.get("photos", ()), root.get("photos").items if "photos" in v else ()))
    return build_record(v, slug=raw.slug, folder=raw.folder, place=place, fields=fields, photos=photos, **derived)
