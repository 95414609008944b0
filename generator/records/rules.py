"""The rules one record must keep beyond its types: each a function of one shape.

A rule takes an `Entry` (a record as read and as typed by `typecheck`) and
returns its findings; `RULES` lists them in the order they run, each with the
category and the Vietnamese note that the JSON Schema's description lists
under "only the validator checks this" (`jsonschema.py`), so the list of what
the schema cannot see is made from the rules themselves and cannot drift.
`tests/test_jsonschema.py` holds, for every category, a record the schema
accepts and the validator refuses.

Rules that need more than one record (slugs, duplicates) or the clock (dates
after today) run in `validate.py`, over the whole corpus.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

from ..core.period import Period, vi_period, vi_when
from ..core.vntext import fold, slugify, vi_date
from ..diagnostics import Diagnostic, Report
from . import loader, personal, photofile, places, story as story_module, weblinks
from .model import Term
from .schema import GROUPS, PERSON, RECORD, REFORM_TEXT, SLUG_PATTERN
from .typecheck import INVALID
from .yamlstrict import MAPPING, SCALAR, SEQUENCE, Node

MAX_SLUG = 80  # as `sovang new` cuts them
CHILD_AGE = 16


@dataclass
class Entry:
    """One record as a rule sees it: the file, its YAML nodes (for positions) and its typed
    values (`{}` when the document is not a mapping), the record's kind if it is a valid one,
    and the vocabulary of fields (None when the taxonomy could not be read)."""

    raw: loader.RawRecord
    root: Node
    values: dict
    kind: str | None
    terms: dict[str, Term] | None
    programmes: dict[str, Term] | None = None  # the programme vocabulary (taxonomy.yml `programmes`)

    @property
    def path(self) -> Path:
        return self.raw.path

    @cached_property
    def place(self) -> tuple[places.Place | None, list[Diagnostic]]:
        """The place resolved against the registry of its era, and what stood in the way."""
        return _resolve_place(self)

    @cached_property
    def fields(self) -> tuple[tuple[Term, ...] | None, list[Diagnostic]]:
        """The field terms, all found in the taxonomy, or None; and the keys not found."""
        return _resolve_fields(self)

    @cached_property
    def programme_terms(self) -> tuple[tuple[Term, ...] | None, list[Diagnostic]]:
        """The programme terms, all found in the taxonomy's programmes, or None; and the keys not found."""
        return _resolve_programmes(self)

    @cached_property
    def replications(self) -> tuple[tuple | None, list[Diagnostic]]:
        """`replicated_in` with each place resolved in its era, or None; and what stood in the way."""
        return _resolve_replications(self)

    @property
    def withdrawn(self) -> bool:
        return self.values.get("withdrawn") is True or loader.says_withdrawn(self.raw.data)


@dataclass(frozen=True)
class Rule:
    name: str  # the category, in brackets in the JSON Schema's description: "(places)"
    check: Callable[[Entry], list[Diagnostic]]
    note: str  # what the rule checks, in editors' words, for the JSON Schema's description
    published_only: bool = False  # skipped for a withdrawn record, often taken down for want of it


# --- Where the record is --------------------------------------------------------------

def folder_name(e: Entry) -> list[Diagnostic]:
    """The folder's name is the record's slug: its page's address and a file name in the built site."""
    report, slug = Report(), e.raw.slug
    if not re.fullmatch(SLUG_PATTERN, slug):
        report.error(e.path, 1, 1, f"tên thư mục hồ sơ '{slug}' không hợp lệ; chỉ dùng chữ thường không dấu, số và "
                     f"dấu gạch ngang, ví dụ '{slugify(slug) or 'ten-ho-so'}'")
    elif len(slug) > MAX_SLUG:  # 255 bytes is every file system's limit for a name
        report.error(e.path, 1, 1, f"tên thư mục hồ sơ dài {len(slug)} ký tự, tối đa {MAX_SLUG}; hãy đặt tên ngắn hơn, "
                     f"ví dụ '{slug[:40].rstrip('-')}'")
    return report.items


def file_names(e: Entry) -> list[Diagnostic]:
    """Files of a record folder that a Windows or macOS checkout cannot hold side by side."""
    names, path, report = e.raw.names, e.path, Report()
    for _, message in loader.name_problems(list(names), "tệp"):
        report.error(path, 1, 1, f"thư mục hồ sơ: {message}")
    return report.items

def places_rule(e: Entry) -> list[Diagnostic]:
    return e.place[1]

def province_folder(e: Entry) -> list[Diagnostic]:
    """The record's folder is under its province's: reviewers are asked by province folder
    (.github/CODEOWNERS), so a record filed elsewhere goes to another province's team. The
    province of the record's era, as CONTRIBUTING.md (section 1) and the shipped tree have it:
    a record dated before the reform under its former province (ha-nam/), one dated from it
    under its new province (ninh-binh/). A warning: the record itself is right."""
    place, groups, report = e.place[0], e.raw.groups, Report()
    if place is None or groups is None:
        return report.items
    expected = places.folders(place)
    if groups[:1] == expected[:1]:
        return report.items
    node = e.root.get("place").get("province")
    # entries/ and the content folder above it, as the editor sees them in the repository.
    top = e.path.parents[len(groups) + 1]
    base = (top.parent.name, top.name)
    where = "/".join((*base, *groups))
    wanted = "/".join((*base, *expected, e.raw.slug, loader.ENTRY))
    era = f"ghi danh trước {REFORM_TEXT}: tỉnh cũ" if place.era == places.LEGACY else f"ghi danh từ {REFORM_TEXT}: tỉnh mới"
    report.warning(e.path, node.line, node.col, f"place.province: hồ sơ ở {place.province.name} ({era}) nhưng nằm trong "
                   f"thư mục '{where}/'; người duyệt được mời theo thư mục tỉnh (.github/CODEOWNERS) nên hồ sơ sẽ không "
                   f"đến nhóm biên tập của tỉnh mình: hãy chuyển hồ sơ sang {wanted} (trên GitHub: sửa đường dẫn ở ô tên "
                   "tệp), hoặc sửa place.province nếu ghi nhầm tỉnh")
    return report.items

def _resolve_place(e: Entry) -> tuple[places.Place | None, list[Diagnostic]]:
    root, values, report = e.root, e.values, Report()
    when = values.get("date")
    if not isinstance(when, Period):
        return None, report.items
    return _place_at(e, values.get("place"), root, "place", when, root.get("date"), report), report.items


def _place_at(e: Entry, place, parent: Node, where: str, when: Period, when_node: Node | None,
              report: Report) -> places.Place | None:
    """`place` (the record's, or a replication's under `parent`) resolved in the era of `when`,
    with its unit words checked; problems reported at their keys, as `where.key`."""
    path = e.path
    if not isinstance(place, dict) or "province" not in place:
        return None
    if any(not isinstance(v, str) for v in place.values()):  # a badly typed part was reported already
        return None
    era = places.era_of_period(when, place["province"], place.get("district"), place.get("commune"))
    if era is None:
        if when_node is not None:
            report.error(path, when_node.line, when_node.col, f"{_date_key(where)}: {vi_period(when)} có cả trước và sau "
                         f"{REFORM_TEXT} (sắp xếp đơn vị hành chính), và địa bàn chưa cho biết thuộc thời kỳ nào: hãy ghi "
                         f"thêm tháng ({when.year}-03 nếu trước, {when.year}-09 nếu sau ngày đó), hoặc ghi district (huyện cũ) "
                         f"nếu trước {REFORM_TEXT}, commune (xã/phường mới) nếu từ ngày đó")
        return None
    resolved, problems = places.resolve(place["province"], place.get("district"), place.get("commune"), era)
    place_node, key_node = parent.get("place"), parent.key_node("place")
    for key, message in problems:
        node = place_node.get(key) if key != "place" else key_node
        report.error(path, node.line, node.col, f"{where}.{key}: {message}" if key != "place" else f"{where}: {message}")
    if resolved is None:
        return None
    written = {}
    for level in ("district", "commune"):
        unit = getattr(resolved, level)
        if unit is None or not place.get(level):
            continue
        shown, problem = places.as_written(place[level], unit, level, era)
        if problem:
            node = place_node.get(level)
            report.error(path, node.line, node.col, f"{where}.{level}: {problem}")
            return None
        written[f"{level}_as_written"] = shown
    return dataclasses.replace(resolved, **written) if written else resolved


def _date_key(where: str) -> str:
    """The date key beside a place key: "date" for "place", "replicated_in[2].date" for its place."""
    return "date" if where == "place" else where.rsplit(".", 1)[0] + ".date"

def fields_rule(e: Entry) -> list[Diagnostic]:
    return e.fields[1]

def _resolve_fields(e: Entry) -> tuple[tuple[Term, ...] | None, list[Diagnostic]]:
    return _resolve_terms(e, "fields", e.terms, "lĩnh vực")

def programmes_rule(e: Entry) -> list[Diagnostic]:
    return e.programme_terms[1]

def _resolve_programmes(e: Entry) -> tuple[tuple[Term, ...] | None, list[Diagnostic]]:
    if "programmes" not in e.values:
        return (), []
    return _resolve_terms(e, "programmes", e.programmes, "chương trình")

def _resolve_terms(e: Entry, key: str, terms: dict[str, Term] | None, what: str):
    """The terms a list of vocabulary keys names (`fields`, `programmes`), or None; and the keys not found."""
    root, values, path, report = e.root, e.values, e.path, Report()
    keys = values.get(key)
    if not isinstance(keys, list) or terms is None:
        return None, report.items
    found, nodes = [], root.get(key).items
    for i, (term, node) in enumerate(zip(keys, nodes), start=1):
        if term is INVALID:
            continue
        if term in terms:
            found.append(terms[term])
            continue
        report.error(path, node.line, node.col, f"{key}[{i}]: {what} '{term}' không có trong mục {key} của "
                     f"content/{loader.TAXONOMY_FILE}{_suggest_term(term, terms, key, what)}")
    return (tuple(found) if len(found) == len(keys) else None), report.items

def _suggest_term(text: str, terms: dict[str, Term], key: str = "fields", what: str = "lĩnh vực") -> str:
    # Editors often type the field's display name instead of its key.
    by_name = {fold(t.name): t.key for t in terms.values()}
    if fold(text) in by_name:
        return f"; có phải ý bạn là '{by_name[fold(text)]}'?"
    close = difflib.get_close_matches(slugify(text), list(terms), n=2, cutoff=0.6)
    if close:
        return f"; có phải ý bạn là {' hoặc '.join(repr(c) for c in close)}?"
    have = f"Các {what} hiện có: {', '.join(sorted(terms))}; muốn" if terms else f"Chưa có {what} nào; muốn"
    return f". {have} thêm {what} mới thì sửa mục {key} trong content/{loader.TAXONOMY_FILE}"

# --- Replication (nhân rộng) -------------------------------------------------------------

def replication(e: Entry) -> list[Diagnostic]:
    """A model names no replication of itself; the other replicates rules (the target exists, is
    a model, no cycle, not older) need the other records and run in `validate.py`."""
    root, values, report = e.root, e.values, Report()
    target = values.get("replicates")
    if isinstance(target, str) and target == e.raw.slug:
        node = root.get("replicates")
        report.error(e.path, node.line, node.col, f"replicates: '{target}' là chính hồ sơ này; replicates ghi tên "
                     "thư mục hồ sơ của mô hình gốc mà mô hình này nhân rộng từ đó")
    return report.items + e.replications[1]

def _resolve_replications(e: Entry) -> tuple[tuple | None, list[Diagnostic]]:
    from .model import Replication  # the model imports this module's siblings; only this rule builds one

    root, values, path, report = e.root, e.values, e.path, Report()
    items, own = values.get("replicated_in"), values.get("date")
    if not isinstance(items, list):
        return (), report.items
    built, ok = [], True
    for i, (item, node) in enumerate(zip(items, root.get("replicated_in").items), start=1):
        if not isinstance(item, dict):
            ok = False
            continue
        where = f"replicated_in[{i}]"
        if "place" not in item and "count" not in item:
            report.error(path, node.line, node.col, f"{where}: cần ghi nơi nhân rộng (place) hoặc số nơi (count), "
                         "hoặc cả hai (ví dụ: count: 374, note: khu dân cư trên địa bàn huyện)")
            ok = False
            continue
        when = item.get("date")
        if isinstance(when, Period) and isinstance(own, Period) and when.last < own.first:
            date_node = node.get("date")
            report.error(path, date_node.line, date_node.col, f"{where}.date: nhân rộng {vi_when(when)}, trước khi mô hình "
                         f"được ghi danh ({vi_when(own)}); hãy kiểm tra lại thời gian nhân rộng hoặc ngày ghi danh")
            ok = False
        place = None
        if "place" in item:
            at = when if isinstance(when, Period) else own
            if not isinstance(at, Period):
                ok = False
                continue
            # An undated replication is placed in the record's own era; a straddling record date
            # is reported at the record's date already.
            place = _place_at(e, item["place"], node, f"{where}.place", at, node.get("date") if when else None, report)
            if place is None:
                ok = False
                continue
        if any(v is INVALID for v in item.values()):
            ok = False
            continue
        built.append(Replication(place=place, count=item.get("count"), date=when if isinstance(when, Period) else None,
                                 note=item.get("note")))
    return (tuple(built) if ok else None), report.items

# --- Photos ----------------------------------------------------------------------------

def photos(e: Entry) -> list[Diagnostic]:
    root, values, files, path, report = e.root, e.values, e.raw.names, e.path, Report()
    photos = values.get("photos")
    if not isinstance(photos, list):
        return report.items
    seen: dict[str, int] = {}
    for i, (photo, node) in enumerate(zip(photos, root.get("photos").items), start=1):
        if not isinstance(photo, dict) or not isinstance(photo.get("file"), str):
            continue
        name, file_node = photo["file"], node.get("file")
        if loader.windows_reserved(name):
            report.error(path, file_node.line, file_node.col, f"photos[{i}].file: '{name}' là tên Windows dành riêng "
                         "cho thiết bị; hãy đổi tên tệp ảnh (ví dụ anh-1.jpg)")
            continue
        if name.casefold() in seen and name not in seen:
            report.error(path, file_node.line, file_node.col, f"photos[{i}].file: ảnh '{name}' chỉ khác ảnh ở mục "
                         f"{seen[name.casefold()]} ở chữ hoa, chữ thường; máy Windows và macOS coi là một tệp")
            continue
        if name in seen:
            report.error(path, file_node.line, file_node.col, f"photos[{i}].file: ảnh '{name}' đã được liệt kê ở mục {seen[name]}")
        elif name not in files:
            near = difflib.get_close_matches(name, sorted(files), n=1, cutoff=0.6)
            tip = f"; có phải ý bạn là '{near[0]}'?" if near else "; hãy tải ảnh lên cùng thư mục với entry.yml"
            report.error(path, file_node.line, file_node.col,
                         f"photos[{i}].file: không tìm thấy tệp '{name}' trong thư mục hồ sơ{tip}")
        else:
            _check_photo_file(path.parent / name, f"photos[{i}].file", (file_node.line, file_node.col), path, report)
        seen.setdefault(name, i)
        seen.setdefault(name.casefold(), i)
    if photos and values.get("kind") == PERSON and not (values.get("consent") or {}).get("photo"):
        key = root.key_node("photos")
        report.warning(path, key.line, key.col, "photos: ảnh sẽ không được xuất bản vì chưa có sự đồng ý "
                       "(consent.photo: true); nếu người được ghi danh không đồng ý, hãy xoá cả tệp ảnh khỏi kho")
    return report.items

def unlisted_photos(e: Entry) -> list[Diagnostic]:
    """A photo beside entry.yml that `photos` does not list is never published, but it is in the
    public repository all the same, and so is its GPS: it is checked as a listed one is, and
    the editor is told it is public (warned, as it may be on its way into `photos`)."""
    root, names, path, report = e.root, e.raw.names, e.path, Report()
    node = root.get("photos") if root.kind == MAPPING else None
    # Read from the YAML, not the typed values: a list with errors still names its files.
    listed = {item.get("file").text for item in (node.items if node is not None and node.kind == SEQUENCE else ())
              if item.kind == MAPPING and item.get("file") is not None and item.get("file").kind == SCALAR}
    readable = node is None or node.kind == SEQUENCE or (node.kind == SCALAR and not node.text.strip())
    key = root.key_node("photos") if node is not None else None
    line, col = (key.line, key.col) if key is not None else (1, 1)
    for name in sorted(names - listed):
        photo = path.parent / name
        try:
            with open(photo, "rb") as f:
                head = f.read(16)
        except OSError:
            continue
        if not photofile.looks_like_photo(name, head):
            continue
        if readable:
            report.warning(path, line, col, f"tệp ảnh '{name}' nằm trong thư mục hồ sơ nhưng không có trong photos: ảnh "
                           "sẽ không hiện trên trang, nhưng kho hồ sơ là công khai nên ai cũng tải được tệp gốc; hãy "
                           "thêm ảnh vào photos (kèm caption, credit, alt), hoặc xoá tệp nếu không dùng")
        _check_photo_file(photo, f"tệp '{name}' (không có trong photos)", (line, col), path, report)
    return report.items

def _check_photo_file(photo: Path, where: str, at: tuple[int, int], path: Path, report: Report) -> None:
    try:
        info = photofile.inspect(photo)
    except photofile.PhotoError as exc:
        report.error(path, *at, f"{where}: {exc}")
        return
    except OSError as exc:  # vanished or unreadable between the folder scan and now
        report.error(path, *at, f"{where}: không đọc được tệp ảnh ({exc.strerror or 'lỗi đọc tệp'})")
        return
    if info.gps:
        report.error(path, *at, f"{where}: ảnh '{photo.name}' chứa toạ độ GPS nơi chụp; kho hồ sơ công "
                     "khai nên ai cũng đọc được vị trí này từ ảnh gốc. Cách sửa: chạy 'sovang photos --strip-gps' "
                     "(xoá toạ độ, giữ nguyên chất lượng ảnh) rồi gửi lại ảnh, hoặc tắt định vị của máy ảnh và chụp/xuất lại")

# --- The story and personal data -------------------------------------------------------

def story_links(e: Entry) -> list[Diagnostic]:
    root, values, path, report = e.root, e.values, e.path, Report()
    story = values.get("story")
    if not isinstance(story, str):
        return report.items
    node, lines = root.get("story"), None
    for offset, url in weblinks.targets(story):
        found = personal.find(url, how=personal.URL)  # "mailto:hanh%40gmail.com" is an address all the same
        if weblinks.is_public(url) and not found:
            continue
        lines = lines or path.read_text(encoding="utf-8", errors="replace").splitlines()
        line, col = _find(url, node, node.line + story[:offset].count("\n"), lines)
        if found:
            report.error(path, line, col, f"story: liên kết '{personal.printable(url, 80)}' chứa {found[0][2]}; kho hồ sơ "
                         "và trang Sổ vàng đều công khai: hãy bỏ liên kết này")
        else:
            report.error(path, line, col, f"story: liên kết '{personal.printable(url, 80)}' không dùng được trên trang; "
                         "chỉ dùng địa chỉ đầy đủ bắt đầu bằng https:// hoặc http:// (hoặc mailto: cho thư điện tử của cơ quan)")
    return report.items

def _digits(text: str) -> str:
    return re.sub(r"\D", "", text) or text  # an e-mail address has none: compare it whole

def story_as_shown(e: Entry) -> list[Diagnostic]:
    """Personal data the page shows whole although the source splits it with Markdown or HTML
    ("0912![](x)345678", "[0912](a)[345678](b)"); the scan of the source has seen the rest."""
    root, values, path, report = e.root, e.values, e.path, Report()
    story = values.get("story")
    if not isinstance(story, str) or not story_module.MARKUP.search(story):
        return report.items
    visible = story_module.visible_text(story)
    already = {_digits(story[start:end]) for start, end, _ in personal.find(story, cap=len(story))}
    node = root.get("story")
    for start, end, what in personal.find(visible, cap=len(visible)):
        text = visible[start:end]
        if _digits(text) not in already:
            report.error(path, node.line, node.col, f"story: trên trang, câu chuyện hiện {what} "
                         f"'{personal.printable(text, 60)}' (các phần bị định dạng Markdown/HTML tách ra được ghép lại "
                         f"khi hiển thị); kho hồ sơ và trang Sổ vàng đều công khai: hãy xoá đi")
    return report.items

def _find(needle: str, node: Node, first: int, lines: list[str]) -> tuple[int, int]:
    """Line and column of `needle` in the file, searched from line `first` of a scalar; the
    scalar's own position if escapes or folding changed how it is written."""
    for number in range(max(first, node.line), min(len(lines), first + 200) + 1):
        col = lines[number - 1].find(needle)
        if col >= 0:
            return number, col + 1
    return node.line, node.col

def personal_data(e: Entry) -> list[Diagnostic]:
    root, raw, kind, path, report = e.root, e.raw, e.kind, e.path, Report()
    public = "kho hồ sơ và trang Sổ vàng đều công khai"
    for f in personal.scan(root, path, raw.names):
        where, found = personal.printable(f.where, 120), f"có {f.what} '{f.shown}'"
        if f.source == personal.IN_FOLDER:
            message = (f"tên thư mục hồ sơ '{where.rsplit('/', 1)[-1]}' (entries/{where}) {found}; tên thư mục là "
                       f"địa chỉ trang của hồ sơ, {public}: "
                       f"hãy đổi tên thư mục, bỏ {f.what} đi (ví dụ đặt theo họ tên: nguyen-thi-hanh)")
        elif f.source == personal.IN_GROUP:
            message = (f"tên thư mục 'entries/{where}' (chứa hồ sơ này) {found}; {public}: hãy đổi tên thư mục đó, "
                       f"bỏ {f.what} đi (ví dụ đặt theo tên tỉnh, huyện: ha-nam/thanh-liem)")
        elif f.source == personal.IN_FOLDER_FILE:
            message = (f"tệp '{where}' trong thư mục hồ sơ: tên tệp {found}; tên tệp cũng nằm trong kho công khai: "
                       f"hãy đổi tên tệp (ví dụ anh-2.jpg)")
        elif f.source == personal.IN_URL:
            message = (f"{where}: địa chỉ web {found}; {public}: hãy bỏ phần đó khỏi địa chỉ, hoặc dùng địa chỉ "
                       f"khác của bài viết không chứa {f.what}")
        elif f.source == personal.IN_FILE_NAME:
            message = (f"{where}: tên tệp {found}; tên tệp cũng nằm trong kho công khai: hãy đổi tên tệp trong "
                       f"thư mục hồ sơ (ví dụ anh-1.jpg) và sửa {where} cho khớp")
        else:
            hint = ("; nếu đó là liên hệ công khai của đơn vị, hãy ghi vào trường contact"
                    if kind in RECORD.field("contact").kinds else "")
            message = f"{where}: {found}; {public}, nên không ghi {f.what} của cá nhân: hãy xoá đi{hint}"
        report.error(path, f.line, f.col, message)
    return report.items

# "Em Lê Minh An": a child's honorific and a full name. A collective or an initiative needs no
# consent, so a person recorded as one would skip every consent and age rule.
_CHILD_WORDS, _ADULT_WORDS = {"em", "chau", "be"}, {"anh", "chi", "ong", "ba", "co", "chu", "bac"}


def person_in_disguise(e: Entry) -> list[Diagnostic]:
    root, values, path, report = e.root, e.values, e.path, Report()
    name = values.get("name")
    if values.get("kind") not in GROUPS or not isinstance(name, str):
        return report.items
    words = name.split()
    honorific = fold(words[0]) if words else ""
    if not (3 <= len(words) <= 5 and all(w[:1].isupper() for w in words[1:])):
        return report.items
    node = root.get("name")
    if honorific in _CHILD_WORDS:
        report.error(path, node.line, node.col, f"name: '{name}' là tên một người, có thể là trẻ em; hồ sơ về một người "
                     "phải là kind: person, có năm sinh (birth_year) và sự đồng ý của người giám hộ nếu dưới 16 tuổi")
    elif honorific in _ADULT_WORDS:
        report.warning(path, node.line, node.col, f"name: '{name}' giống tên một người; hồ sơ về một người phải là "
                       "kind: person, có sự đồng ý công bố của người đó")
    return report.items

# --- Takedown, consent and age ----------------------------------------------------------

def withdrawal(e: Entry) -> list[Diagnostic]:
    root, values, path, report = e.root, e.values, e.path, Report()
    withdrawn, reason = values.get("withdrawn") is True, values.get("withdrawn_reason")
    if withdrawn and not reason:
        key = root.key_node("withdrawn")
        report.error(path, key.line, key.col, "withdrawn: cần ghi lý do gỡ hồ sơ trong withdrawn_reason "
                     "(ví dụ: withdrawn_reason: Người được ghi danh đề nghị gỡ)")
    elif reason and not withdrawn:
        key = root.key_node("withdrawn_reason")
        report.warning(path, key.line, key.col, "withdrawn_reason: chỉ có tác dụng khi có withdrawn: true; "
                       "hồ sơ này vẫn được xuất bản")
    return report.items

def consent(e: Entry) -> list[Diagnostic]:
    root, values, path, report = e.root, e.values, e.path, Report()
    if values.get("kind") != PERSON or not isinstance(values.get("consent"), dict):
        return report.items
    consent, consent_node = values["consent"], root.get("consent")
    if values.get("story") and consent.get("story") is not True:
        key = root.key_node("story")
        report.warning(path, key.line, key.col, "story: câu chuyện sẽ không được xuất bản vì chưa có sự đồng ý "
                       "(consent.story: true)")
    if consent.get("name") is False:
        node = consent_node.get("name")
        report.error(path, node.line, node.col, "consent.name: người được ghi danh chưa đồng ý công bố họ tên; "
                     "hồ sơ cá nhân chỉ được xuất bản khi consent.name: true")
    return report.items

def age(e: Entry) -> list[Diagnostic]:
    """A person's age on the record's date must be decidable, and a possible child needs a guardian.

    The rule (CONTRIBUTING.md, SECURITY.md): a person record carries `birth_year`, or
    `adult: true` (the sources show the person was at least `CHILD_AGE`, e.g. an office
    holder), or `consent.given_by: guardian`. With only a birth year, someone born
    `CHILD_AGE` years before the record's year may still be 15 on its date: we err on
    their side. The date itself can't be in the future (`validate.check_not_future`), so it can't
    push a child past the threshold."""
    root, values, path, report = e.root, e.values, e.path, Report()
    if values.get("kind") != PERSON or not isinstance(values.get("consent"), dict):
        return report.items
    consent = values["consent"]
    born, date, adult = values.get("birth_year"), values.get("date"), values.get("adult")
    guardian = consent.get("given_by") == "guardian"
    if not isinstance(date, Period) or born is INVALID or adult is INVALID:
        return report.items
    consented = consent.get("date")
    if isinstance(born, int) and isinstance(consented, dt.date):
        node = root.get("consent").get("date")
        if consented.year < born:
            report.error(path, node.line, node.col, f"consent.date: ngày đồng ý {vi_date(consented)} trước năm sinh {born}")
        elif consented.year - born <= CHILD_AGE and not guardian:
            # Consent is given on its own date: a 10-year-old's "self" consent is no consent.
            report.error(path, node.line, node.col, f"consent.date: người được ghi danh có thể chưa đủ {CHILD_AGE} tuổi "
                         "vào ngày đồng ý; cần sự đồng ý của người giám hộ: consent.given_by: guardian")
    if isinstance(born, int):
        node = root.get("birth_year")
        if born > date.year:
            report.error(path, node.line, node.col, f"birth_year: năm sinh {born} sau năm ghi danh {date.year}")
        elif date.year - born <= CHILD_AGE and adult is True:
            report.error(path, node.line, node.col, f"birth_year: sinh năm {born} thì có thể chưa đủ {CHILD_AGE} tuổi "
                         f"vào ngày ghi danh, trái với adult: true; hãy kiểm tra lại năm sinh hoặc bỏ adult: true")
        elif date.year - born <= CHILD_AGE and not guardian:
            report.error(path, node.line, node.col, f"birth_year: người có thể chưa đủ {CHILD_AGE} tuổi vào ngày ghi danh; "
                         "cần sự đồng ý của người giám hộ: consent.given_by: guardian")
        return report.items
    if adult is False and not guardian:
        node = root.get("adult")
        report.error(path, node.line, node.col, f"adult: người chưa đủ {CHILD_AGE} tuổi cần sự đồng ý của người giám hộ: "
                     "consent.given_by: guardian")
    elif adult is None and not guardian:
        node = root.key_node("consent")
        report.error(path, node.line, node.col, f"không xác định được người được ghi danh đã đủ {CHILD_AGE} tuổi chưa; "
                     "hãy thêm một trong ba: birth_year (năm sinh), adult: true (nếu nguồn tin cho thấy người đó đã "
                     f"đủ {CHILD_AGE} tuổi, ví dụ đang giữ chức vụ), hoặc consent.given_by: guardian (người giám hộ đồng ý)")
    return report.items


# --- The list -----------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule("folder", folder_name, f"tên thư mục hồ sơ chỉ gồm chữ thường không dấu, số và dấu gạch ngang, tối đa "
         f"{MAX_SLUG} ký tự"),
    Rule("files", file_names, "tên các tệp trong thư mục hồ sơ dùng được trên Windows và macOS (không phải tên "
         "dành riêng như CON, không chỉ khác nhau ở chữ hoa, chữ thường)"),
    Rule("places", places_rule, "địa bàn có trong danh mục đơn vị hành chính đúng thời kỳ của ngày ghi danh"),
    Rule("province-folder", province_folder, "thư mục hồ sơ nằm trong thư mục của tỉnh ghi ở place.province (tỉnh cũ "
         f"nếu ghi danh trước {REFORM_TEXT}, tỉnh mới nếu từ {REFORM_TEXT}), để người duyệt của tỉnh được mời duyệt "
         "(chỉ cảnh báo)"),
    Rule("fields", fields_rule, "khoá lĩnh vực có trong content/taxonomy.yml"),
    Rule("programmes", programmes_rule, "khoá chương trình có trong mục programmes của content/taxonomy.yml"),
    Rule("replication", replication, "mô hình không nhân rộng từ chính nó; mỗi nơi nhân rộng ghi place hoặc count, "
         "địa bàn đúng thời kỳ của thời gian nhân rộng, thời gian nhân rộng không trước ngày ghi danh"),
    Rule("photos", photos, "tệp ảnh có trong thư mục hồ sơ, đúng định dạng, không quá lớn, không chứa toạ độ GPS"),
    Rule("unlisted-photos", unlisted_photos, "ảnh nằm trong thư mục hồ sơ mà không có trong photos cũng được kiểm "
         "tra định dạng và toạ độ GPS như ảnh có trong photos, vì kho hồ sơ là công khai"),
    Rule("story-links", story_links, "liên kết và ảnh trong câu chuyện dùng địa chỉ đầy đủ https://, http:// hoặc "
         "mailto: và không chứa thông tin cá nhân"),
    Rule("story-shown", story_as_shown, "câu chuyện hiển thị trên trang không ghép thành số điện thoại, số giấy tờ "
         "hay thư điện tử cá nhân"),
    Rule("personal", personal_data, "không ghi số điện thoại, số giấy tờ tuỳ thân, thư điện tử hay toạ độ của cá nhân, "
         "kể cả trong tên thư mục, tên tệp và địa chỉ web; liên hệ công khai của đơn vị chỉ ghi trong contact"),
    Rule("kind", person_in_disguise, "hồ sơ tập thể, mô hình không mang tên một người (nhất là trẻ em): hồ sơ về "
         "một người là kind: person"),
    Rule("withdrawn", withdrawal, "hồ sơ gỡ (withdrawn: true) ghi lý do trong withdrawn_reason"),
    Rule("consent", consent, "sự đồng ý: consent.name phải là true; câu chuyện, ảnh của cá nhân chỉ được đăng "
         "khi consent.story, consent.photo là true", published_only=True),
    Rule("age", age, f"hồ sơ cá nhân xác định được tuổi: có birth_year, adult: true hoặc consent.given_by: guardian; "
         f"người có thể dưới {CHILD_AGE} tuổi (tính cả vào ngày đồng ý) cần consent.given_by: guardian; năm sinh "
         "không sau năm ghi danh", published_only=True),
)


def run(e: Entry) -> list[Diagnostic]:
    """Every rule's findings for one record, in the order of RULES."""
    withdrawn = e.withdrawn
    return [d for rule in RULES if not (rule.published_only and withdrawn) for d in rule.check(e)]
