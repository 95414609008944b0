"""The composer ("Soạn hồ sơ"): a page of the site where an editor writes a record in a form,
and the data that form reads.

Editors are volunteers on phones, not YAML writers, and every privacy check that runs in a
pull request runs after the files are already public. The composer runs the checks the
browser can run before anything leaves the editor's phone (the photos' metadata is removed
there too, `theme/assets/javascripts/sovang-files.js`), then hands over a commented
`entry.yml` and a folder path that `sovang validate` accepts.

Nothing of the record format is spelled in JavaScript: the form's controls are written by the
template from `form()`, which walks `schema.RECORD`, and the script reads the same definition
(limits, patterns, vocabularies, the validator's messages) from `soan/mau.json`.

Data files, each fetched only when needed, so that opening the page costs the list of
provinces and not the registry (10,000 former communes) or the roll (100,000 records):
- `soan/mau.json`: the form definition;
- `soan/noi/index.json`: the provinces of both eras;
- `soan/noi/<province>.json`, `soan/noi/truoc-2025/<province>.json`: one province's units;
- `tim/noi/<province>.json`: the published records of one post-2025 province (name key and
  place), for the warning about a record that already exists;
- `tim/ma/<xx>.json`: the published slugs by the first byte of their hash, for a unique folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..core import urls
from ..core.vntext import slugify, sort_key
from ..records import personal
from ..records import schema as s
from ..records.loader import ENTRY, entries_dir
from ..records.model import Corpus, Record
from ..records.charsafe import bmp_class
from ..records.photofile import MAX_BYTES, MAX_PIXELS
from ..records.places import registry
from ..records.rules import CHILD_AGE
from ..records.typecheck import MAX_DIGITS

FORM_VERSION = 1
# GitHub answers 414 to a request line over ~8 KB, and some phones' browsers cut long
# addresses before that: a longer prefilled new-file address is not offered (copy or zip instead).
MAX_PREFILL_URL = 8_000
LISTING_LIMIT = 40  # places._listing: a province's districts are listed in a message up to this many
SLUG_SHARD_HEX = 2  # 256 files: ~400 slugs, some 10 KB, each at 100,000 records


@dataclass(frozen=True)
class Editing:
    """Where editors change records: the publisher's repository, from mkdocs.yml."""

    repo: str  # https://github.com/<owner>/<name>
    branch: str
    root: Path  # the project folder; repository paths are relative to it

    def source(self, record: Record) -> str | None:
        """The record's `entry.yml` as a path in the repository (under content/), or None
        when the content folder is outside the project."""
        try:
            return (record.folder / ENTRY).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def edit_url(self, record: Record) -> str | None:
        path = self.source(record)
        return urls.github_edit(self.repo, self.branch, path) if path else None


def editing_settings(config: dict, root: Path) -> tuple[Editing | None, str]:
    """The editing settings of mkdocs.yml, or None with the reason in Vietnamese (shown on the
    composer page, which then offers only the copy and the zip)."""
    repo = str(config.get("repo_url") or "").strip().rstrip("/")
    branch = str((config.get("extra") or {}).get("content_branch") or "").strip()
    if not repo.startswith("https://github.com/") or repo.count("/") != 4:
        return None, ("Trang chưa có địa chỉ kho nội dung trên GitHub: nhà xuất bản cần thêm dòng "
                      "repo_url: https://github.com/<tổ-chức>/<kho> vào mkdocs.yml.")
    if not branch:
        return None, ("Trang chưa ghi nhánh nhận hồ sơ: nhà xuất bản cần thêm vào mkdocs.yml "
                      "extra: content_branch: main (tên nhánh chính của kho).")
    return Editing(repo, branch, root), ""


# --- The form definition ---------------------------------------------------------------

def _type(t) -> dict:
    if isinstance(t, s.Text):
        return {"type": "text", "maxLen": t.max_len, "multiline": t.multiline, "paragraph": t.paragraph,
                "pattern": t.pattern, "patternDoc": t.pattern_doc}
    if isinstance(t, s.Choice):
        return {"type": "choice", "values": list(t.values), "labels": list(t.labels or t.values)}
    if isinstance(t, s.Date):
        return {"type": "date", "partial": t.partial}
    if isinstance(t, s.Bool):
        return {"type": "bool"}
    if isinstance(t, s.Integer):
        return {"type": "integer", "min": t.min, "max": t.max}
    if isinstance(t, s.Quantity):
        return {"type": "quantity", "maxLen": t.max_len}
    if isinstance(t, s.Url):
        return {"type": "url", "schemes": list(t.schemes)}
    if isinstance(t, s.ListOf):
        return {"type": "list", "item": _type(t.item), "minItems": t.min_items, "unique": t.unique}
    if isinstance(t, s.Obj):
        return {"type": "object", "fields": [_field(f) for f in t.fields]}
    raise TypeError(f"no form control for {t!r}")  # a new type in schema.py needs one here


def _field(f: s.Field) -> dict:
    return {"key": f.key, "label": f.label or f.key, "doc": f.doc, "required": f.required,
            "kinds": sorted(f.kinds) if f.kinds else None, "requiredFor": sorted(f.required_for), **_type(f.type)}


# Keys of the format the composer does not ask for, with the reason. Everything else is asked.
NOT_IN_COMPOSER = {
    "withdrawn": "a new record is never withdrawn; a takedown edits the published entry.yml ('Sửa hồ sơ này')",
    "withdrawn_reason": "goes with withdrawn",
    # Each item holds a place of its own era, which would need the place pickers per item; the
    # editors' reference and `sovang new`'s template show it, and a replication is mostly added
    # later to a published model ('Sửa hồ sơ này'), not when it is first proposed.
    "replicated_in": "a list of places, each in the era of its own date: added by editing the published record",
}

# The validator's messages, as templates the browser fills in ({where} is the key path).
# tests/test_composer.py runs the real validator on records that break each rule and checks
# that it says exactly what the template says, so the two cannot drift apart.
MESSAGES = {
    "missing": "{where}: thiếu khoá bắt buộc: {doc}",
    "too_long": "{where}: dài {length} ký tự, tối đa {max}; hãy rút gọn",
    "pattern": "{where}: '{text}' không hợp lệ; chỉ dùng {doc}",
    "range": "{where}: {value} nằm ngoài khoảng cho phép {min}–{max}",
    "integer": "{where}: cần một số nguyên, không ngoặc kép; đang là '{raw}'",
    "url": "{where}: '{url}' không phải địa chỉ web hợp lệ; cần bắt đầu bằng http:// hoặc https://",
    "decimal_comma": "{where}: dùng dấu chấm cho phần thập phân: {fixed}",
    "grouped": ("{where}: '{text}' dễ bị hiểu nhầm vì YAML coi dấu chấm là dấu thập phân; "
                "nếu là số {plain}, hãy viết liền không dấu phân cách: {plain}"),
    "missing_district": ("place: thiếu district: hồ sơ ghi danh trước {reform} phải ghi huyện/quận/thị xã/thành phố "
                         "thuộc {province}.{listing}"),
    "listing": " Các đơn vị cấp huyện: {names}.",
    "min_items": "{where}: cần ít nhất {min} mục",
    # charsafe names the character's kind and Unicode name, which the browser cannot know.
    "forbidden": ("{where}: chứa ký tự U+{cp} ở ký tự thứ {index} của giá trị; ký tự này không nhìn thấy hoặc "
                  "làm hỏng trang, hãy xoá nó (thường do sao chép từ Word, Facebook hay trang web)"),
    "paragraph": "{where}: chỉ được viết một đoạn văn; hãy bỏ dòng trống, nội dung dài đưa vào story",
    "digits": "{where}: con số dài {digits} chữ số, tối đa {max}; hãy kiểm tra lại",
    "duplicate": ("name: hồ sơ trùng hoàn toàn với {paths} (cùng loại, tên, địa bàn và ngày ghi danh); "
                  "hãy xoá một trong hai, hoặc sửa hồ sơ nếu đây là hai việc khác nhau"),
    "story_unconsented": "story: câu chuyện sẽ không được xuất bản vì chưa có sự đồng ý (consent.story: true)",
    "photo_unconsented": ("photos: ảnh sẽ không được xuất bản vì chưa có sự đồng ý "
                          "(consent.photo: true); nếu người được ghi danh không đồng ý, hãy xoá cả tệp ảnh khỏi kho"),
    "pixels": "{where}: ảnh quá lớn: tối đa {max} triệu điểm ảnh; hãy thu nhỏ ảnh trước khi tải lên",
    "personal": ("{where}: có {what} '{found}'; kho hồ sơ và trang Sổ vàng đều công khai, "
                 "nên không ghi {what} của cá nhân: hãy xoá đi{hint}"),
    "personal_hint": "; nếu đó là liên hệ công khai của đơn vị, hãy ghi vào trường contact",
    "no_name_consent": ("consent.name: người được ghi danh chưa đồng ý công bố họ tên; "
                        "hồ sơ cá nhân chỉ được xuất bản khi consent.name: true"),
    "child": (f"birth_year: người có thể chưa đủ {CHILD_AGE} tuổi vào ngày ghi danh; "
              "cần sự đồng ý của người giám hộ: consent.given_by: guardian"),
    "future": "{where}: {what} ({day}) chưa tới (hôm nay là {today}); hãy ghi {what} thật",
    "period": ("{where}: '{raw}' không phải năm (2022), tháng (2022-12) hoặc ngày (2022-12-05) viết theo thứ tự "
               "năm-tháng-ngày; chỉ ghi chính xác đến mức nguồn tin nêu"),
    "born_after": "birth_year: năm sinh {born} sau năm ghi danh {year}",
    "undecided_age": (f"không xác định được người được ghi danh đã đủ {CHILD_AGE} tuổi chưa; "
                      "hãy thêm một trong ba: birth_year (năm sinh), adult: true (nếu nguồn tin cho thấy người đó đã "
                      f"đủ {CHILD_AGE} tuổi, ví dụ đang giữ chức vụ), hoặc consent.given_by: guardian (người giám hộ đồng ý)"),
}

# What the personal-data check looks for, by name, as the validator names it.
PERSONAL_KINDS = {"phone": personal.PHONE, "citizen_id": personal.CITIZEN_ID, "email": personal.EMAIL}


def form(terms: dict, programmes: dict | None = None) -> dict:
    """Everything the composer's form and script need to know about the record format."""
    return {
        # The choices of each list of vocabulary keys, by the key of the list.
        "vocabularies": {"fields": [{"key": key, "name": t.name} for key, t in terms.items()],
                         "programmes": [{"key": key, "name": t.name} for key, t in (programmes or {}).items()]},
        "version": FORM_VERSION,
        "record": [f for f in _field(s.Field("", s.RECORD, "", required=True))["fields"] if f["key"] not in NOT_IN_COMPOSER],
        "kinds": [{"key": k, "label": s.KIND_LABELS[k]} for k in s.KINDS],
        "terms": [{"key": key, "name": t.name} for key, t in terms.items()],
        "reform": s.REFORM.isoformat(),
        "reformText": s.REFORM_TEXT,
        "childAge": CHILD_AGE,
        "photoMaxBytes": MAX_BYTES,
        "slugPattern": s.SLUG_PATTERN,
        "maxEntryPath": s.MAX_ENTRY_PATH,
        "publicContact": personal.PUBLIC_CONTACT,
        "personal": PERSONAL_KINDS,
        "messages": MESSAGES,
        "entries": entries_dir(Path("content")).as_posix() + "/",
        "entry": ENTRY,
        "maxPrefillUrl": MAX_PREFILL_URL,
        "listingLimit": LISTING_LIMIT,
        "maxDigits": MAX_DIGITS,
        "maxPixels": MAX_PIXELS,
        # charsafe's forbidden code points of the BMP, as a class both Python and JavaScript read.
        "forbiddenLine": bmp_class(allow_breaks=False),
        "forbiddenText": bmp_class(allow_breaks=True),
        "slugShardHex": SLUG_SHARD_HEX,
    }


# --- The place registry, split by province ----------------------------------------------

def _unit(u) -> list:
    return [u.short, u.name]


def _alphabetical(u) -> tuple:
    # Pickers in the order people look names up, and the validator's listings in its order.
    return sort_key(u.short), u.code


def registry_files() -> dict[str, bytes]:
    reg = registry()
    legacy = sorted(reg.legacy_provinces.units, key=_alphabetical)
    current = sorted(reg.current_provinces.units, key=_alphabetical)
    out = {urls.COMPOSER_PROVINCES: _json({
        "legacy": [[u.slug, *_unit(u), reg.successor[u.code].slug] for u in legacy],
        "current": [[u.slug, *_unit(u)] for u in current],
    })}
    for p in legacy:
        districts = sorted(reg.legacy_districts[p.code].units, key=_alphabetical)
        out[urls.composer_legacy(p.slug)] = _json([
            [d.slug, *_unit(d), [_unit(c) for c in sorted(reg.legacy_communes[d.code].units, key=_alphabetical)]
             if d.code in reg.legacy_communes else []]
            for d in districts])
    for p in current:
        out[urls.composer_current(p.slug)] = _json(
            [_unit(c) for c in sorted(reg.current_communes[p.code].units, key=_alphabetical)])
    return out


# --- The published roll, split by place and by slug ---------------------------------------

def slug_shard(slug: str) -> str:
    """FNV-1a (32 bits) of the slug, as hex: the composer computes it too, and Web Crypto's
    digests exist only on https pages, which a preview on a LAN address is not."""
    h = 0x811C9DC5
    for byte in slug.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"[:SLUG_SHARD_HEX]


def published_files(corpus: Corpus, content: Path | None = None) -> dict[str, bytes]:
    """What the composer checks a new record against, one file per province and per slug shard.
    Each row of a province: slug, name key, name, local unit, kind, date, and the record's
    entry.yml as the repository names it (for the exact-duplicate message), when `content` is known."""
    # Every province and every shard has its file, empty or not: the composer fetches the one it
    # needs without a 404 in the console, and the set of files does not change with the roll.
    reg = registry()
    by_province: dict[str, list] = {u.slug: [] for u in reg.current_provinces.units}
    by_shard: dict[str, list] = {f"{n:0{SLUG_SHARD_HEX}x}": [] for n in range(16 ** SLUG_SHARD_HEX)}
    for r in sorted(corpus.records, key=lambda r: r.slug):
        p = r.place
        local = p.district or p.commune
        by_province[p.current_province.slug].append(
            [r.slug, slugify(r.name), r.name, local.name if local else "", r.kind, r.date.isoformat(),
             _source(r, content)])
        by_shard[slug_shard(r.slug)].append(r.slug)
    out = {urls.search_place(k): _json(v) for k, v in sorted(by_province.items())}
    out.update({urls.search_slugs(k): _json(v) for k, v in sorted(by_shard.items())})
    return out


def _source(record: Record, content: Path | None) -> str:
    if content is None:
        return ""
    try:
        inside = (record.folder / ENTRY).relative_to(entries_dir(content))
    except ValueError:
        return ""
    return (entries_dir(Path("content")) / inside).as_posix()


def files(corpus: Corpus, content: Path | None = None) -> dict[str, bytes]:
    return {urls.COMPOSER_FORM: _json(form(corpus.terms, corpus.programmes)), **registry_files(), **published_files(corpus, content)}


def _json(value) -> bytes:
    # UTF-8 as written: Vietnamese names escaped as \\uXXXX would cost six bytes a letter.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
