"""`sovang validate --changed BASE --format summary`: the pull request's records, for a phone.

GitHub shows what a step appends to `$GITHUB_STEP_SUMMARY` on the run's Summary page, as
GitHub Flavored Markdown, above the preview artifact. Editors open it from the pull request,
often on a phone: so one short section per changed record, a list and no wide table, in
Vietnamese: its name, folder, page address, summary and problems (or "không có lỗi").

Everything a record or a contributor's folder name holds is untrusted, and so is what the
validator's messages quote from them: each goes through `md_inline`, which leaves it one
line of plain text that no Markdown or HTML reader turns into markup (no link, image, tag,
heading, list, table or line break of its own).

Name and summary are shown only for a record the validator accepted, the same text the site
would publish: a record with errors may name a person who has not agreed to be named, or
hold a phone number, and the summary page outlives the pull request's fixes. A withdrawn
record shows neither (its takedown must not make a new copy of it).
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from pathlib import Path

from ..core import changes, urls
from ..core.vntext import vi_number
from ..diagnostics import ERROR, Diagnostic, Report, display_path, printable
from . import loader
from .model import Corpus, Record

# Caps keep the page short on a phone and far below GitHub's 1 MiB per step summary.
MAX_RECORDS = 30
MAX_PROBLEMS = 20  # per record, and for problems outside any record
NAME_CHARS, SUMMARY_CHARS, MESSAGE_CHARS, PATH_CHARS = 120, 300, 300, 160

# GitHub Flavored Markdown lets a backslash escape every ASCII punctuation character and shows
# none of those backslashes, so escaping them all costs nothing a reader sees (Python-Markdown,
# which the site uses, is narrower: core/mdtext.py). This covers every inline construct, since
# each starts with punctuation: links and images, raw HTML and entities (`<`, `&`), emphasis,
# code spans, autolinks (`https:`, `www.`), and a table cell's `|`.
_PUNCTUATION = frozenset(string.punctuation)
# But GitHub links an e-mail address (and `xmpp:`/`mailto:` ones) found in the text after
# escapes are read, and may turn `@name` into a link to that account: a run of `@` goes into a
# code span of its own, which both leave alone. The text cannot widen or close that span, since
# its own backticks are all escaped; a whole run in one span, because "`@``@`" would be one span
# holding the backticks.
_ESCAPE = {c: "\\" + c for c in _PUNCTUATION - {"@"}}
_AT_RUN = re.compile(r"@+")

ERRORS, WARNINGS, CLEAN, WITHDRAWN = "errors", "warnings", "clean", "withdrawn"
_STATUS = {ERRORS: "❌", WARNINGS: "⚠️", WITHDRAWN: "🗑️", CLEAN: "✅"}
_ORDER = (ERRORS, WARNINGS, WITHDRAWN, CLEAN)  # what needs the editor first
_SEVERITY = {ERROR: "lỗi"}  # any other severity is a warning


def md_inline(value, limit: int | None = None) -> str:
    """Untrusted text as one line of inert GitHub Markdown: whitespace runs (newlines
    included) become one space, invisible and control characters are written as \\uXXXX,
    the text is cut at `limit` characters, every ASCII punctuation character is escaped and
    `@` is put in a code span."""
    text = printable(" ".join(str(value).split()))
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + "…"
    escaped = "".join(_ESCAPE.get(c, c) for c in text)
    return _AT_RUN.sub(lambda m: f"`{m.group()}`", escaped)


def pr_summary(content: Path, base: str, only: set[Path] | None, corpus: Corpus, report: Report) -> str:
    """The Markdown section: `only` is what `loader.changed_records` gave the validator
    (None when a changed taxonomy had every record checked), `corpus` and `report` its result."""
    entries = loader.entries_dir(content).resolve()
    changed = changes.changed_files(content, base)
    records = {_record_of(p, entries) for p in changed} - {None}
    deleted = sorted(p.parent for p in changed if p.name == loader.ENTRY and entries in p.parents
                     and not p.exists() and _record_of(p, entries) is None)
    problems: dict[Path, list[Diagnostic]] = defaultdict(list)
    elsewhere: list[Diagnostic] = []
    for d in report.sorted():
        folder = _record_of(Path(d.path).resolve(), entries)
        (problems[folder] if folder is not None else elsewhere).append(d)
    # With every record checked (taxonomy), the others appear too, but only when they have problems.
    records |= set(problems)
    accepted = {r.folder.resolve(): r for r in corpus.records}
    cards = sorted(((_status(f, problems[f], accepted), f) for f in records), key=lambda c: (_ORDER.index(c[0]), str(c[1])))

    counts = defaultdict(int)
    for status, _ in cards:
        counts[status] += 1
    out = ["## Kiểm tra hồ sơ", ""]
    if only is None:
        out += ["Pull request sửa danh mục lĩnh vực (taxonomy.yml) nên đã kiểm tra mọi hồ sơ; dưới đây là các "
                "hồ sơ đã sửa và các hồ sơ có lỗi.", ""]
    if not cards and not deleted:
        out += ["Pull request này không sửa hồ sơ nào.", ""]
    else:
        parts = [f"{_STATUS[s]} {vi_number(counts[s])} {_WORDS[s]}" for s in _ORDER if counts[s]]
        if deleted:
            parts.append(f"{vi_number(len(deleted))} bị xoá")
        out += [f"{vi_number(len(cards) + len(deleted))} hồ sơ: " + ", ".join(parts) + ".", ""]
    for status, folder in cards[:MAX_RECORDS]:
        out += _card(status, folder, accepted.get(folder), problems[folder]) + [""]
    if len(cards) > MAX_RECORDS:
        out += [f"… và {vi_number(len(cards) - MAX_RECORDS)} hồ sơ khác; xem chú thích lỗi trong thẻ "
                "Files changed của pull request.", ""]
    if deleted:
        out += ["### 🗑️ Hồ sơ bị xoá", ""]
        out += [f"- {_folder(f)}: trang {_page(f.name)} sẽ không còn trên web." for f in deleted[:MAX_RECORDS]]
        if len(deleted) > MAX_RECORDS:
            out.append(f"- … và {vi_number(len(deleted) - MAX_RECORDS)} hồ sơ khác.")
        out.append("")
    if elsewhere:
        mark = _STATUS[ERRORS] if any(d.severity == ERROR for d in elsewhere) else _STATUS[WARNINGS]
        out += [f"### {mark} Ngoài các thư mục hồ sơ", ""]
        out += _problems(elsewhere, lambda d: md_inline(display_path(d.path), PATH_CHARS), indent="")
        out.append("")
    if cards:
        out += ["Khi kiểm tra không có lỗi, bản xem thử cả trang web nằm ở mục **Artifacts** cuối trang này; "
                "trong tệp nén, trang của mỗi hồ sơ là đường dẫn ghi trên, thêm index.html.", ""]
    return "\n".join(out)


_WORDS = {ERRORS: "có lỗi", WARNINGS: "có cảnh báo", WITHDRAWN: "đã gỡ", CLEAN: "không có lỗi"}


def _status(folder: Path, found: list[Diagnostic], accepted: dict[Path, Record]) -> str:
    # First: a withdrawn record's problems are warnings (its takedown waits for none of them).
    if folder not in accepted and _withdrawn(folder):
        return WITHDRAWN
    if any(d.severity == ERROR for d in found):
        return ERRORS
    return WARNINGS if found else CLEAN


def _withdrawn(folder: Path) -> bool:
    try:
        with open(folder / loader.ENTRY, "rb") as f:
            return loader.says_withdrawn(f.read(loader.MAX_ENTRY_BYTES + 1))
    except OSError:
        return False


def _card(status: str, folder: Path, record: Record | None, found: list[Diagnostic]) -> list[str]:
    slug = folder.name
    title = md_inline(record.name, NAME_CHARS) if record is not None else md_inline(slug, NAME_CHARS)
    lines = [f"### {_STATUS[status]} {title}", "", f"- Thư mục: {_folder(folder)}"]
    if status == WITHDRAWN:
        lines.append(f"- Đã gỡ (withdrawn): không xuất bản; trang {_page(slug)} sẽ không còn trên web.")
    elif record is None:
        lines += [f"- Trang trên web (khi hết lỗi): {_page(slug)}",
                  "- Tên và tóm tắt hiện ở đây khi hồ sơ hết lỗi."]
    else:
        lines += [f"- Trang trên web: {_page(slug)}", f"- Tóm tắt: {md_inline(record.summary, SUMMARY_CHARS)}"]
    if not found:
        lines.append("- Không có lỗi.")
    else:
        errors = sum(d.severity == ERROR for d in found)
        warnings = len(found) - errors
        counts = [f"{vi_number(errors)} lỗi"] * bool(errors) + [f"{vi_number(warnings)} cảnh báo"] * bool(warnings)
        lines.append(f"- {', '.join(counts)}:")
        lines += _problems(found, lambda d: _where(d, folder), indent="  ")
    return lines


def _problems(found: list[Diagnostic], where, indent: str) -> list[str]:
    lines = [f"{indent}- {where(d)}:{d.line}:{d.col}: {_SEVERITY.get(d.severity, 'cảnh báo')}: "
             f"{md_inline(d.message, MESSAGE_CHARS)}" for d in found[:MAX_PROBLEMS]]
    if len(found) > MAX_PROBLEMS:
        lines.append(f"{indent}- … và {vi_number(len(found) - MAX_PROBLEMS)} vấn đề khác; xem chú thích trong thẻ "
                     "Files changed.")
    return lines


def _where(d: Diagnostic, folder: Path) -> str:
    """The problem's file inside the record's folder (the folder is on the line above)."""
    path = Path(d.path).resolve()
    name = path.relative_to(folder).as_posix() if path != folder else folder.name + "/"
    return md_inline(name, PATH_CHARS)


def _folder(folder: Path) -> str:
    return md_inline(display_path(folder) + "/", PATH_CHARS)


def _page(slug: str) -> str:
    """Where the record's page is served, from the site's root (core/urls.py spells it)."""
    return md_inline(urls.served(urls.record(slug)), PATH_CHARS)


def _record_of(path: Path, entries: Path) -> Path | None:
    """The record folder (resolved) a file or folder below `entries` belongs to: the nearest
    folder at or above it that holds entry.yml, as `loader.changed_records` maps changes."""
    for folder in [path, *path.parents]:
        if folder == entries or entries not in folder.parents:
            return None
        if (folder / loader.ENTRY).is_file():
            return folder
    return None
