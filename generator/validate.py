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
import re
from collections import defaultdict
from pathlib import Path

from . import gcpause, loader, personal, photofile, places, weblinks
from . import story as story_module
from .diagnostics import ERROR, WARNING, Diagnostic, Report, display_path
from .memo import Memo, Outcome, code_fingerprint
from .model import Corpus, Record, Term, build_photo, build_record
from .schema import GROUPS, KINDS, PERSON, RECORD, SLUG_PATTERN, TAXONOMY
from .typecheck import INVALID, Context, conform
from .vntext import fold, look_alike, slugify, vi_date
from .yamlstrict import EMPTY, MAPPING, Node, YamlProblem, parse_file

TAXONOMY_FILE = "taxonomy.yml"
_CHILD_AGE = 16
_MAX_SLUG = 80  # as `sovang new` cuts them
_VIETNAM = dt.timezone(dt.timedelta(hours=7))


def validate(content: Path, only: set[Path] | None = None, memo: Path | None = None) -> tuple[Corpus, Report]:
    """Check the corpus; with `only` (entry.yml paths), check just those records fully,
    plus the cross-record rules (slugs, duplicates) between them and all the others.
    With `memo` (a file in the build cache), a record whose inputs did not change since
    the last run is not checked again: its outcome is read back (generator/memo.py)."""
    with gcpause.paused():
        report = Report()
        terms = load_taxonomy(content, report)
        raws, every = loader.load(content, report, only)
        report.checked = len(raws)
        remembered = Memo(memo, _salt(content))
        # A withdrawn record is checked afresh each run (there are few): nothing of it, not even
        # a warning naming its folder, is kept in build/cache, which CI saves and restores.
        outcomes = [remembered.get(_record_key(remembered, raw), lambda raw=raw: check_record(raw, terms),
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
        records = sorted((o.record for o in checked if o.record.slug not in duplicated), key=lambda r: r.slug)
        return Corpus(tuple(records), terms or {}), report


def _record_key(memo: Memo, raw: loader.RawRecord) -> bytes:
    return memo.key(str(raw.path).encode("utf-8", "surrogateescape"),
                    repr(raw.files).encode("utf-8", "surrogateescape"), raw.data)


def _salt(content: Path) -> bytes:
    try:
        taxonomy = (content / TAXONOMY_FILE).read_bytes()
    except OSError:
        taxonomy = b""
    return code_fingerprint() + hashlib.sha256(taxonomy).digest()


def load_taxonomy(content: Path, report: Report) -> dict[str, Term] | None:
    path = content / TAXONOMY_FILE
    if path.is_symlink():  # a link would read any file of the build machine into the site
        report.error(path, 1, 1, f"{TAXONOMY_FILE} là liên kết tượng trưng (symlink); hãy thay bằng chính tệp đó")
        return None
    if not path.is_file():
        report.error(path, 1, 1, f"không tìm thấy tệp danh mục lĩnh vực {TAXONOMY_FILE}")
        return None
    try:
        root = parse_file(path)
    except YamlProblem as exc:
        report.error(path, exc.line, exc.col, exc.message + (": cần khoá fields liệt kê các lĩnh vực" if exc.message == EMPTY else ""))
        return None
    local = Report()
    values = conform(root, TAXONOMY, Context(path, local, document="danh mục lĩnh vực"))
    report.extend(local)
    if local.errors or values is INVALID:
        return None
    if not values["fields"]:
        report.error(path, root.line, root.col, "danh mục lĩnh vực trống: cần ít nhất một lĩnh vực trong fields")
        return None
    if _taxonomy_personal_data(root, path, report):
        return None
    return {key: Term(key, v["name"], v.get("description", "")) for key, v in values["fields"].items()}


def _taxonomy_personal_data(root: Node, path: Path, report: Report) -> bool:
    """Field names show on every field page, in the feed and the open data; editors add fields
    in their own pull requests, so they are scanned like a record's text."""
    found = False
    for key, term in root.get("fields").items:
        for part in ("name", "description"):
            node = term.get(part) if term.kind == MAPPING else None
            for _, _, what in personal.find(node.text) if node is not None else ():
                report.error(path, node.line, node.col, f"fields.{key.text}.{part}: có {what}; trang Sổ vàng công khai, "
                             f"nên không ghi {what} vào danh mục lĩnh vực: hãy xoá đi")
                found = True
    return found


def check_record(raw: loader.RawRecord, terms: dict[str, Term] | None) -> Outcome:
    local = Report()
    path, root = raw.path, raw.parse(local)
    if root is None:
        if loader.says_withdrawn(raw.data):  # unreadable, but plainly taken down: the takedown goes first
            return Outcome(None, _not_blocking(local.items), withdrawn=True, path=path)
        return Outcome(None, tuple(local.items))
    if not re.fullmatch(SLUG_PATTERN, raw.slug):
        local.error(path, 1, 1, f"tên thư mục hồ sơ '{raw.slug}' không hợp lệ; chỉ dùng chữ thường không dấu, số và "
                    f"dấu gạch ngang, ví dụ '{slugify(raw.slug) or 'ten-ho-so'}'")
    elif len(raw.slug) > _MAX_SLUG:  # it is a file name in the built site too: 255 bytes is every system's limit
        local.error(path, 1, 1, f"tên thư mục hồ sơ dài {len(raw.slug)} ký tự, tối đa {_MAX_SLUG}; hãy đặt tên ngắn hơn, "
                    f"ví dụ '{raw.slug[:40].rstrip('-')}'")
    _check_file_names(raw.names, path, local)
    if root.kind != MAPPING:
        local.error(path, root.line, root.col, "hồ sơ phải là một bảng gồm các dòng 'khoá: giá trị'")
        return Outcome(None, tuple(local.items))
    kind_node = root.get("kind")
    kind = kind_node.text if kind_node is not None and kind_node.text in KINDS else None
    values = conform(root, RECORD, Context(path, local, kind))
    place = _check_place(root, values, path, local)
    fields = _check_fields(root, values, terms, path, local)
    _check_photos(root, values, raw.names, path, local)
    _check_unlisted_photos(values, raw.names, path, local)
    _check_story_links(root, values, path, local)
    _check_person_in_disguise(root, values, path, local)
    _check_story_as_shown(root, values, path, local)
    _check_personal_data(root, raw, kind, local)
    withdrawn = _check_withdrawal(root, values, path, local) or loader.says_withdrawn(raw.data)
    if not withdrawn:  # consent no longer matters for a record taken down, often for lack of it
        _check_person(root, values, path, local)
    if withdrawn:  # never in the model, so no stage can publish any part of it
        return Outcome(None, _not_blocking(local.items), withdrawn=True, path=path)
    dated = _dates(root, values)
    if local.errors or place is None or fields is None:
        return Outcome(None, tuple(local.items), dated=dated, path=path)
    name = root.key_node("name")
    # The skeleton is computed once, when the record is checked, and remembered with it: ICU
    # takes a fifth of a warm run's time at 10,000 records if every run asks again.
    return Outcome(_build(raw, root, values, place, fields), tuple(local.items), name_at=(name.line, name.col),
                   dated=dated, path=path, looks=_looks(values["name"]))


def _looks(name: str) -> tuple[str, str]:
    looks = look_alike(name)
    return looks, slugify(looks)


def _check_personal_data(root: Node, raw: loader.RawRecord, kind: str | None, report: Report) -> None:
    path = raw.path
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


# "Em Lê Minh An": a child's honorific and a full name. A collective or an initiative needs no
# consent, so a person recorded as one would skip every consent and age rule.
_CHILD_WORDS, _ADULT_WORDS = {"em", "chau", "be"}, {"anh", "chi", "ong", "ba", "co", "chu", "bac"}


def _check_person_in_disguise(root: Node, values: dict, path: Path, report: Report) -> None:
    name = values.get("name")
    if values.get("kind") not in GROUPS or not isinstance(name, str):
        return
    words = name.split()
    honorific = fold(words[0]) if words else ""
    if not (3 <= len(words) <= 5 and all(w[:1].isupper() for w in words[1:])):
        return
    node = root.get("name")
    if honorific in _CHILD_WORDS:
        report.error(path, node.line, node.col, f"name: '{name}' là tên một người, có thể là trẻ em; hồ sơ về một người "
                     "phải là kind: person, có năm sinh (birth_year) và sự đồng ý của người giám hộ nếu dưới 16 tuổi")
    elif honorific in _ADULT_WORDS:
        report.warning(path, node.line, node.col, f"name: '{name}' giống tên một người; hồ sơ về một người phải là "
                       "kind: person, có sự đồng ý công bố của người đó")


def _check_story_links(root: Node, values: dict, path: Path, report: Report) -> None:
    story = values.get("story")
    if not isinstance(story, str):
        return
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


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text) or text  # an e-mail address has none: compare it whole


def _check_story_as_shown(root: Node, values: dict, path: Path, report: Report) -> None:
    """Personal data the page shows whole although the source splits it with Markdown or HTML
    ("0912![](x)345678", "[0912](a)[345678](b)"); the scan of the source has seen the rest."""
    story = values.get("story")
    if not isinstance(story, str) or not story_module.MARKUP.search(story):
        return
    visible = story_module.visible_text(story)
    already = {_digits(story[start:end]) for start, end, _ in personal.find(story, cap=len(story))}
    node = root.get("story")
    for start, end, what in personal.find(visible, cap=len(visible)):
        text = visible[start:end]
        if _digits(text) not in already:
            report.error(path, node.line, node.col, f"story: trên trang, câu chuyện hiện {what} "
                         f"'{personal.printable(text, 60)}' (các phần bị định dạng Markdown/HTML tách ra được ghép lại "
                         f"khi hiển thị); kho hồ sơ và trang Sổ vàng đều công khai: hãy xoá đi")


def _find(needle: str, node: Node, first: int, lines: list[str]) -> tuple[int, int]:
    """Line and column of `needle` in the file, searched from line `first` of a scalar; the
    scalar's own position if escapes or folding changed how it is written."""
    for number in range(max(first, node.line), min(len(lines), first + 200) + 1):
        col = lines[number - 1].find(needle)
        if col >= 0:
            return number, col + 1
    return node.line, node.col


def _not_blocking(items: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """A withdrawn record's problems as warnings. Its removal must never wait for them: an
    error stops the build, and the public site would keep the very record being taken down."""
    note = " (hồ sơ đã gỡ nên lỗi này không chặn việc gỡ; nên sửa, hoặc xoá hẳn thư mục hồ sơ)"
    return tuple(dataclasses.replace(d, severity=WARNING, message=d.message + note) if d.severity == ERROR else d
                 for d in items)


def _check_withdrawal(root: Node, values: dict, path: Path, report: Report) -> bool:
    withdrawn, reason = values.get("withdrawn") is True, values.get("withdrawn_reason")
    if withdrawn and not reason:
        key = root.key_node("withdrawn")
        report.error(path, key.line, key.col, "withdrawn: cần ghi lý do gỡ hồ sơ trong withdrawn_reason "
                     "(ví dụ: withdrawn_reason: Người được ghi danh đề nghị gỡ)")
    elif reason and not withdrawn:
        key = root.key_node("withdrawn_reason")
        report.warning(path, key.line, key.col, "withdrawn_reason: chỉ có tác dụng khi có withdrawn: true; "
                       "hồ sơ này vẫn được xuất bản")
    return withdrawn


def _check_place(root: Node, values: dict, path: Path, report: Report) -> places.Place | None:
    place = values.get("place")
    if not isinstance(place, dict) or "province" not in place or not isinstance(values.get("date"), dt.date):
        return None
    if any(not isinstance(v, str) for v in place.values()):  # a badly typed part was reported already
        return None
    era = places.era_of(values["date"])
    resolved, problems = places.resolve(place["province"], place.get("district"), place.get("commune"), era)
    place_node = root.get("place")
    for key, message in problems:
        node = place_node.get(key) if key != "place" else root.key_node("place")
        report.error(path, node.line, node.col, f"place.{key}: {message}" if key != "place" else f"place: {message}")
    return resolved


def _check_fields(root: Node, values: dict, terms: dict[str, Term] | None, path: Path, report: Report):
    keys = values.get("fields")
    if not isinstance(keys, list) or terms is None:
        return None
    found, nodes = [], root.get("fields").items
    for i, (key, node) in enumerate(zip(keys, nodes), start=1):
        if key is INVALID:
            continue
        if key in terms:
            found.append(terms[key])
            continue
        report.error(path, node.line, node.col, f"fields[{i}]: lĩnh vực '{key}' không có trong content/{TAXONOMY_FILE}"
                     f"{_suggest_term(key, terms)}")
    return tuple(found) if len(found) == len(keys) else None


def _suggest_term(text: str, terms: dict[str, Term]) -> str:
    # Editors often type the field's display name instead of its key.
    by_name = {fold(t.name): t.key for t in terms.values()}
    if fold(text) in by_name:
        return f"; có phải ý bạn là '{by_name[fold(text)]}'?"
    close = difflib.get_close_matches(slugify(text), list(terms), n=2, cutoff=0.6)
    if close:
        return f"; có phải ý bạn là {' hoặc '.join(repr(c) for c in close)}?"
    return f". Các lĩnh vực hiện có: {', '.join(sorted(terms))}; muốn thêm lĩnh vực mới thì sửa content/{TAXONOMY_FILE}"


def _check_photos(root: Node, values: dict, files: frozenset[str], path: Path, report: Report) -> None:
    photos = values.get("photos")
    if not isinstance(photos, list):
        return
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
            _check_photo_file(path.parent / name, f"photos[{i}].file", file_node, path, report)
        seen.setdefault(name, i)
        seen.setdefault(name.casefold(), i)
    if photos and values.get("kind") == PERSON and not (values.get("consent") or {}).get("photo"):
        key = root.key_node("photos")
        report.warning(path, key.line, key.col, "photos: ảnh sẽ không được xuất bản vì chưa có sự đồng ý "
                       "(consent.photo: true); nếu người được ghi danh không đồng ý, hãy xoá cả tệp ảnh khỏi kho")


def _check_file_names(names: frozenset[str], path: Path, report: Report) -> None:
    """Files of a record folder that a Windows or macOS checkout cannot hold side by side."""
    for _, message in loader.name_problems(list(names), "tệp"):
        report.error(path, 1, 1, f"thư mục hồ sơ: {message}")


def _check_unlisted_photos(values: dict, names: frozenset[str], path: Path, report: Report) -> None:
    """A photo beside entry.yml that `photos` does not list is never published, but it is in the
    public repository all the same: its GPS would be as public as a listed one's."""
    listed = {p.get("file") for p in values.get("photos") or () if isinstance(p, dict)}
    for name in sorted(names - listed):
        try:
            with open(path.parent / name, "rb") as f:
                if photofile.sniff(f.read(16)) is None:
                    continue
            gps = photofile.inspect(path.parent / name).gps
        except (OSError, photofile.PhotoError):
            continue  # not a photo we could read: nothing to say about its location
        if gps:
            report.error(path, 1, 1, f"tệp ảnh '{name}' (không có trong photos) chứa toạ độ GPS nơi chụp; kho hồ sơ công "
                         "khai nên ai cũng đọc được vị trí này: hãy xoá tệp, hoặc chạy 'sovang photos --strip-gps'")


def _check_photo_file(photo: Path, where: str, node: Node, path: Path, report: Report) -> None:
    try:
        info = photofile.inspect(photo)
    except photofile.PhotoError as exc:
        report.error(path, node.line, node.col, f"{where}: {exc}")
        return
    if info.gps:
        report.error(path, node.line, node.col, f"{where}: ảnh '{photo.name}' chứa toạ độ GPS nơi chụp; kho hồ sơ công "
                     "khai nên ai cũng đọc được vị trí này từ ảnh gốc. Cách sửa: chạy 'sovang photos --strip-gps' "
                     "(xoá toạ độ, giữ nguyên chất lượng ảnh) rồi gửi lại ảnh, hoặc tắt định vị của máy ảnh và chụp/xuất lại")


def _check_person(root: Node, values: dict, path: Path, report: Report) -> None:
    if values.get("kind") != PERSON or not isinstance(values.get("consent"), dict):
        return
    consent, consent_node = values["consent"], root.get("consent")
    if values.get("story") and consent.get("story") is not True:
        key = root.key_node("story")
        report.warning(path, key.line, key.col, "story: câu chuyện sẽ không được xuất bản vì chưa có sự đồng ý "
                       "(consent.story: true)")
    if consent.get("name") is False:
        node = consent_node.get("name")
        report.error(path, node.line, node.col, "consent.name: người được ghi danh chưa đồng ý công bố họ tên; "
                     "hồ sơ cá nhân chỉ được xuất bản khi consent.name: true")
    _check_age(root, values, consent, path, report)


def _check_age(root: Node, values: dict, consent: dict, path: Path, report: Report) -> None:
    """A person's age on the record's date must be decidable, and a possible child needs a guardian.

    The rule (CONTRIBUTING.md, SECURITY.md): a person record carries `birth_year`, or
    `adult: true` (the sources show the person was at least `_CHILD_AGE`, e.g. an office
    holder), or `consent.given_by: guardian`. With only a birth year, someone born
    `_CHILD_AGE` years before the record's year may still be 15 on its date: we err on
    their side. The date itself can't be in the future (`_check_not_future`), so it can't
    push a child past the threshold."""
    born, date, adult = values.get("birth_year"), values.get("date"), values.get("adult")
    guardian = consent.get("given_by") == "guardian"
    if not isinstance(date, dt.date) or born is INVALID or adult is INVALID:
        return
    consented = consent.get("date")
    if isinstance(born, int) and isinstance(consented, dt.date):
        node = root.get("consent").get("date")
        if consented.year < born:
            report.error(path, node.line, node.col, f"consent.date: ngày đồng ý {vi_date(consented)} trước năm sinh {born}")
        elif consented.year - born <= _CHILD_AGE and not guardian:
            # Consent is given on its own date: a 10-year-old's "self" consent is no consent.
            report.error(path, node.line, node.col, f"consent.date: người được ghi danh có thể chưa đủ {_CHILD_AGE} tuổi "
                         "vào ngày đồng ý; cần sự đồng ý của người giám hộ: consent.given_by: guardian")
    if isinstance(born, int):
        node = root.get("birth_year")
        if born > date.year:
            report.error(path, node.line, node.col, f"birth_year: năm sinh {born} sau năm ghi danh {date.year}")
        elif date.year - born <= _CHILD_AGE and adult is True:
            report.error(path, node.line, node.col, f"birth_year: sinh năm {born} thì có thể chưa đủ {_CHILD_AGE} tuổi "
                         f"vào ngày ghi danh, trái với adult: true; hãy kiểm tra lại năm sinh hoặc bỏ adult: true")
        elif date.year - born <= _CHILD_AGE and not guardian:
            report.error(path, node.line, node.col, f"birth_year: người có thể chưa đủ {_CHILD_AGE} tuổi vào ngày ghi danh; "
                         "cần sự đồng ý của người giám hộ: consent.given_by: guardian")
        return
    if adult is False and not guardian:
        node = root.get("adult")
        report.error(path, node.line, node.col, f"adult: người chưa đủ {_CHILD_AGE} tuổi cần sự đồng ý của người giám hộ: "
                     "consent.given_by: guardian")
    elif adult is None and not guardian:
        node = root.key_node("consent")
        report.error(path, node.line, node.col, f"không xác định được người được ghi danh đã đủ {_CHILD_AGE} tuổi chưa; "
                     "hãy thêm một trong ba: birth_year (năm sinh), adult: true (nếu nguồn tin cho thấy người đó đã "
                     f"đủ {_CHILD_AGE} tuổi, ví dụ đang giữ chức vụ), hoặc consent.given_by: guardian (người giám hộ đồng ý)")


def _dates(root: Node, values: dict) -> tuple[tuple[str, dt.date, int, int], ...]:
    """The dates the clock rule checks, with their positions: the record's and its consent's."""
    found = []
    if isinstance(values.get("date"), dt.date):
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
        future = [d for d in o.dated if d[1] > today] if not o.withdrawn else []
        for key, date, line, col in future:
            what = "ngày ghi danh" if key == "date" else "ngày đồng ý"
            report.error(o.path, line, col, f"{key}: {what} {vi_date(date)} chưa tới (hôm nay là {vi_date(today)}); "
                         f"hãy ghi {what} thật")
        if future:
            o = dataclasses.replace(o, record=None)
        kept.append(o)
    return kept


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


def _build(raw: loader.RawRecord, root: Node, v: dict, place: places.Place, fields: tuple[Term, ...]) -> Record:
    photos = tuple(build_photo(p, n.get("file").line, n.get("file").col)
                   for p, n in zip(v.get("photos", ()), root.get("photos").items if "photos" in v else ()))
    return build_record(v, slug=raw.slug, folder=raw.folder, place=place, fields=fields, photos=photos)
