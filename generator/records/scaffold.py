"""`sovang new KIND`: a new record folder with a filled-in, commented entry.yml.

The slug comes from the name (diacritics removed, đ → d) and is made unique
across all records; the grouping folder comes from the place
(`<province>/<district>` before the 2025 reform, `<province>/<commune>` after).

Every answer is judged by the validator itself, never by rules of our own: the
record is drawn from the template with the answers as they stand (`draft`),
written into a scratch folder that mirrors content/entries, and checked by
`validate.check_record` (types, limits and patterns from the schema, then every
rule of `rules.RULES`: places in the era of the date, field keys against
content/taxonomy.yml, personal data, consent, age) and by the clock rule. Each
finding is about the answer whose line it points at (`_key_at`), so a question
shows only what is about its own answer, in the validator's own words, and asks
again; the last whole-record check re-asks only the answers at fault. Questions
can therefore never accept what `sovang validate` refuses. Only the rules
across records (duplicates) need the record in place: it is written, validated
there, and removed again if that finds a problem in it.

On a terminal `Session` asks for what the flags did not give (a flag is an
answer too, and asked again when it is wrong); otherwise `create` takes the
flags as they are and, on a problem, writes nothing and raises `Refused` with
the validator's findings. A person's consent is never assumed: the editor
states it, because publishing a name without it is what the privacy rules forbid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..core import period
from ..core.vntext import fold, slugify
from ..diagnostics import ERROR, Diagnostic, Report
from . import places
from .charsafe import unsafe_character
from .loader import ENTRY, TAXONOMY_FILE, RawRecord, discover, entries_dir
from .model import Term
from .rules import CHILD_AGE, MAX_SLUG
from .schema import KIND_LABELS, KINDS, PERSON, RECORD, REFORM_TEXT
from .validate import check_not_future, check_record, load_taxonomy, validate
from .yamlstrict import MAPPING, parse_text

TEMPLATES = Path(__file__).parent / "templates"
CONSENTS = ("name", "photo", "story")
# birth_year, adult and consent.given_by decide together whether a guardian must consent
# (rules.age reports on any of their lines): one group of questions, asked and re-asked together.
AGE = "age"
# The questions, in the order they are asked.
ORDER = ("kind", "name", "summary", "date", "province", "district", "commune", "fields",
         *(f"consent.{c}" for c in CONSENTS), AGE)
# A record key → the question that answers it, where the two differ. The `place:` line itself
# carries only "district missing" (places.resolve).
_ASKED_BY = {"place": "district", "place.province": "province", "place.district": "district",
             "place.commune": "commune", "consent": AGE, "consent.given_by": AGE, "birth_year": AGE, "adult": AGE}
# How each answer is given without a terminal, for the messages that say what to change.
FLAGS = {"kind": "LOẠI (person, collective hoặc initiative)", "name": "--name", "summary": "--summary",
         "date": "--date", "province": "--province", "district": "--district", "commune": "--commune",
         "fields": "--fields", **{f"consent.{c}": "--consent" for c in CONSENTS},
         AGE: "--birth-year NĂM, --adult hoặc --guardian"}
_REQUIRED = ("kind", "name", "summary", "province", "fields")
_RECORD_KEY = {"province": "place.province", "district": "place.district", "commune": "place.commune"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(period.PATTERN)  # a year, a month or a day: as precise as the source
_YES, _NO = {"c", "co", "y", "yes"}, {"k", "khong", "n", "no"}


class ScaffoldError(Exception):
    """What the editor must supply or fix; Vietnamese."""


class Stopped(Exception):
    """The editor ended the questions (Ctrl-D or Ctrl-C): nothing is written."""


@dataclass(frozen=True)
class Finding:
    key: str  # the question (ORDER) whose answer the diagnostic is about
    diagnostic: Diagnostic


class Refused(ScaffoldError):
    """The record has errors, so nothing was written; the validator's findings, at the would-be file."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.diagnostic.message for f in findings))
        self.findings = findings

    @property
    def flags(self) -> list[str]:
        """The flags to change, in the order of the questions."""
        keys = {f.key for f in self.findings}
        return list(dict.fromkeys(FLAGS[k] for k in ORDER if k in keys))


@dataclass
class Answers:
    kind: str = ""
    name: str = ""
    summary: str = ""
    date: str = ""  # as typed; empty: today
    province: str = ""
    district: str = ""
    commune: str = ""
    fields: list[str] = field(default_factory=list)
    consent: list[str] = field(default_factory=list)  # what the person agreed to publish, of CONSENTS
    guardian: bool = False
    birth_year: int | str | None = None  # a str is a typed year that is no number: the validator says so
    adult: bool = False

    def given(self) -> set[str]:
        """The questions these answers already answer (from the flags)."""
        found = {k for k in ("kind", "name", "summary", "date", "province", "district", "commune") if getattr(self, k)}
        if self.fields:
            found.add("fields")
        if self.consent:
            found.update(f"consent.{c}" for c in CONSENTS)
        if self.birth_year is not None or self.adult or self.guardian:
            found.add(AGE)
        return found


def missing(a: Answers) -> list[str]:
    """The flags a run without a terminal lacks."""
    return [FLAGS[k] for k in _REQUIRED if not (a.fields if k == "fields" else getattr(a, k))]


# --- Drawing and checking the record -----------------------------------------------------

def draft(a: Answers, today: dt.date) -> str:
    """entry.yml for the answers as they stand; place names as the registry spells them once they resolve."""
    date = a.date or today.isoformat()
    where = {"province": a.province, "district": a.district, "commune": a.commune}
    place = _resolved(a, today)
    if place is not None:
        where = {k: u.short if u else "" for k, u in
                 (("province", place.province), ("district", place.district), ("commune", place.commune))}
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True, autoescape=False, finalize=yaml_scalar)
    env.filters["comment"] = lambda text: _Verbatim(" ".join(str(text).split()))
    env.globals["PERSON"] = PERSON
    docs = {f.key: f.doc for f in RECORD.fields}
    # A well-formed date is written bare, as editors write it; anything else quoted if need be, so the
    # validator reads exactly what was typed and says what is wrong with it.
    date_text = _Verbatim(date if _ISO_DATE.fullmatch(date) else yaml_scalar(date))
    return env.get_template("entry.yml.j2").render(
        a=a, date=date_text, place=where, fields=_Verbatim(", ".join(_flow_scalar(k) for k in a.fields)),
        kind_label=KIND_LABELS[a.kind], docs=docs, consent={c: c in a.consent for c in CONSENTS})


def _resolved(a: Answers, today: dt.date) -> places.Place | None:
    day = _day(a.date or today.isoformat())
    if day is None or not a.province:
        return None
    era = places.era_of_period(day, a.province, a.district or None, a.commune or None)
    if era is None:
        return None
    place, _ = places.resolve(a.province, a.district or None, a.commune or None, era)
    return place


def _day(text: str) -> period.Period | None:
    try:
        return period.parse(text)
    except ValueError:
        return None


def _unwritable(a: Answers, text: str, path: Path) -> list[Finding]:
    """Answers holding a lone surrogate: bytes that were not UTF-8, passed on by the shell from a flag.
    No file can hold one, so the draft has U+FFFD in its place (`_quoted`); the validator's own
    character rule names it, at the value's line."""
    values = [(k, _RECORD_KEY.get(k, k), getattr(a, k)) for k in ("name", "summary", "date", "province", "district", "commune")]
    values += [("fields", f"fields[{i}]", v) for i, v in enumerate(a.fields, start=1)]
    if isinstance(a.birth_year, str):
        values.append((AGE, "birth_year", a.birth_year))
    found = [(key, where, value) for key, where, value in values if _SURROGATE.search(value)]
    if not found:
        return []
    root = parse_text(text)
    out = []
    for key, where, value in found:
        node = root
        for part in re.findall(r"[a-z_]+|\[[0-9]+\]", where):
            node = node.items[int(part[1:-1]) - 1] if part.startswith("[") else node.get(part)
        out.append(Finding(key, Diagnostic(path, node.line, node.col, ERROR,
                                           f"{where}: {unsafe_character(value, allow_breaks=False)}")))
    return out


def _key_at(text: str) -> Callable[[int], str]:
    """Line of the draft `text` → the question its finding is about.

    A finding points at the line of the value at fault (or of its key); every value of a
    draft is on one line (`yaml_scalar` escapes line breaks), so the last key starting at or
    before the line is the one. Lines before the first key hold only comments: findings there
    (at 1:1) are about the record's folder, whose name is the slug of the name."""
    starts = []
    for key, value in parse_text(text).items:
        starts.append((key.line, key.text))
        if key.text in ("place", "consent") and value.kind == MAPPING:
            starts.extend((sub.line, f"{key.text}.{sub.text}") for sub, _ in value.items)

    def at(line: int) -> str:
        found = "name"
        for start, key in starts:
            if start <= line:
                found = key
        return _ASKED_BY.get(found, found)

    return at


class _Checker:
    """The validator's findings on a draft, each with the question it is about."""

    def __init__(self, content: Path, scratch: Path):
        self.content, self.scratch, self.today = content, scratch, dt.date.today()
        report = Report()
        self.terms: dict[str, Term] | None = load_taxonomy(content, report)
        if report.errors:  # no answer can fix the vocabulary; fields could not even be checked
            raise Refused([Finding("taxonomy", d) for d in report.errors])

    def findings(self, a: Answers) -> list[Finding]:
        text = draft(a, self.today)
        place = _resolved(a, self.today)
        # The scratch copy sits where the record would, below an entries/ folder: the personal-data rule
        # reads folder names too, and reads the file back to place what it finds.
        group = _group(place) if place is not None else "_"
        path = self.scratch / "entries" / group / _slug(a.name) / ENTRY
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        outcome = check_record(RawRecord(path, path.parent.name, (), text.encode("utf-8")), self.terms)
        clock = Report()
        check_not_future([outcome], clock)
        key_at = _key_at(text)
        return [*_unwritable(a, text, path), *(Finding(key_at(d.line), d) for d in (*outcome.diagnostics, *clock.items))]

    def errors(self, a: Answers, key: str | None = None) -> list[Finding]:
        return [f for f in self.findings(a) if f.diagnostic.severity == ERROR and key in (None, f.key)]

    def target(self, a: Answers) -> Path:
        """Where the record goes: the place's folder and a slug no other record has."""
        place = _resolved(a, self.today)
        if place is not None:
            group = _group(place)
        else:  # only to name the would-be file in messages: the place is one of the problems
            group = "/".join(filter(None, (slugify(a.province), slugify(a.district or a.commune)))) or "_"
        return entries_dir(self.content) / group / _unique_slug(self.content, a.name) / ENTRY

    def write(self, a: Answers) -> tuple[Path | None, Report, list[Finding]]:
        """Write the record, then validate it in place as `sovang validate` would (the rules across
        records need the others); if that finds errors in it, remove it again and return them."""
        path, text = self.target(a), draft(a, self.today)
        created = _write(path, text)
        try:
            _, report = validate(self.content, {path})
        except BaseException:  # Ctrl-C while validating: nothing stays behind
            _remove(path, created)
            raise
        # Errors elsewhere in the corpus (another record's file names) are reported, as ever, but no
        # answer here can fix them and the new record is not at fault.
        mine = [d for d in report.errors if d.path == path]
        if not mine:
            return path, report, []
        _remove(path, created)
        key_at = _key_at(text)
        return None, report, [Finding(key_at(d.line), d) for d in mine]


def create(content: Path, answers: Answers) -> tuple[Path, Report]:
    """Write the record from the flags alone; returns its entry.yml path and the validation report.

    Raises Refused, having written nothing, if the validator finds an error in it."""
    with tempfile.TemporaryDirectory(prefix="sovang-new-") as scratch:
        check = _Checker(content, Path(scratch))
        if errors := check.errors(answers):
            target = check.target(answers)
            raise Refused([dataclasses.replace(f, diagnostic=dataclasses.replace(f.diagnostic, path=target))
                           for f in sorted(errors, key=lambda f: (f.diagnostic.line, f.diagnostic.col))])
        path, report, errors = check.write(answers)
        if errors:
            raise Refused(errors)
        return path, report


def _group(place: places.Place) -> str:
    # The folders the validator expects the record in (its province-folder rule), spelled once there.
    return "/".join(places.folders(place))


def _slug(name: str) -> str:
    return slugify(name)[:MAX_SLUG].rstrip("-") or "ho-so"


def _unique_slug(content: Path, name: str) -> str:
    base = _slug(name)
    taken = {p.parent.name for p in discover(content, Report())}
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"  # cut the base, not the suffix: the folder rule allows MAX_SLUG characters
        slug, n = base[:MAX_SLUG - len(suffix)].rstrip("-") + suffix, n + 1
    return slug


def _write(path: Path, text: str) -> list[Path]:
    """Write `path` in a new folder; returns the folders it created, outermost first."""
    created = [p for p in reversed(path.parents) if not p.exists()]
    path.parent.mkdir(parents=True)
    try:
        path.write_text(text, encoding="utf-8")
    except BaseException:
        _remove(path, created)
        raise
    return created


def _remove(path: Path, created: list[Path]) -> None:
    path.unlink(missing_ok=True)
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:  # something else was put there meanwhile: not ours to remove
            break


# --- Asking on a terminal ------------------------------------------------------------------

class Session:
    """The questions on a terminal, each answer checked as it is given, none thrown away at the end."""

    def __init__(self, content: Path, answers: Answers, ask: Callable[[str], str] = input,
                 say: Callable[[str], None] = print):
        self.content, self.a, self.ask, self.say = content, answers, ask, say

    def run(self) -> tuple[Path, Report]:
        """Ask, check, write; returns the entry.yml path and the report of `sovang validate` on it.

        Raises Stopped on Ctrl-D or Ctrl-C at a prompt, and Refused if content/taxonomy.yml has
        errors; nothing is written then."""
        with tempfile.TemporaryDirectory(prefix="sovang-new-") as scratch:
            self.check = _Checker(self.content, Path(scratch))
            self.say("Tạo hồ sơ mới. Trả lời từng câu hỏi; mục không bắt buộc thì nhấn Enter để bỏ qua. "
                     "Muốn dừng: Ctrl-C hoặc Ctrl-D (chưa có gì được ghi).")
            given = self.a.given()
            if not self.a.kind:
                self._kind()
            for key in ORDER[1:]:
                if not self._applies(key):
                    continue
                if key not in given:
                    self._ask(key)
                elif wrong := self.check.errors(self.a, key):  # a flag is an answer too: asked again if wrong
                    self._ask(key, wrong)
            while True:
                errors = self.check.errors(self.a)
                if not errors:
                    path, report, errors = self.check.write(self.a)
                    if path is not None:
                        return path, report
                if not any(f.key in ORDER for f in errors):  # no question can mend it: never ask in circles
                    raise Refused(errors)
                self.say("Hồ sơ vẫn còn lỗi; hỏi lại các mục sau:")
                for key in ORDER:
                    if wrong := [f for f in errors if f.key == key]:
                        self._ask(key, wrong)

    def _applies(self, key: str) -> bool:
        if key.startswith("consent.") or key == AGE:
            return self.a.kind == PERSON
        if key == "district":  # no district level from the reform; one given anyway is checked (and refused)
            return self._era() == places.LEGACY or bool(self.a.district)
        return True

    def _era(self) -> str | None:
        day = _day(self.a.date or self.check.today.isoformat())
        if day is None:
            return None
        # The year 2025 straddles the reform: a district answered says before; else ask as from it.
        return places.era_of_period(day, self.a.province, self.a.district or None, self.a.commune or None) or places.CURRENT

    # --- one question, asked until the validator has nothing against its answer

    def _ask(self, key: str, wrong: list[Finding] = ()) -> None:
        self._show(wrong)
        first = True
        while True:
            if key == "kind":
                self._kind()
            elif key == AGE:
                self._age()
            elif key == "fields":
                self._fields(listed=not first)
            elif key.startswith("consent."):
                part = key.split(".")[1]
                what = {"name": "họ tên", "photo": "ảnh", "story": "câu chuyện"}[part]
                agreed = self._yes_no(f"Người được ghi danh đồng ý công bố {what}? (c/k):")
                self.a.consent = [c for c in CONSENTS if (agreed if c == part else c in self.a.consent)]
            else:
                setattr(self.a, key, self._input(self._prompt(key)))
                if key == "date" and not self.a.date:
                    self.a.date = self.check.today.isoformat()
            first = False
            found = [f for f in self.check.findings(self.a) if f.key == key]
            if not any(f.diagnostic.severity == ERROR for f in found):
                self._show(found)  # warnings: said, not asked again
                return
            self._show(found)
            if key == "consent.name":
                self.say("  Nếu người được ghi danh không đồng ý thì không tạo hồ sơ: nhấn Ctrl-C để dừng.")

    def _prompt(self, key: str) -> str:
        legacy = self._era() == places.LEGACY
        registry = places.registry()
        if key == "name":
            return {PERSON: "Họ và tên người được ghi danh:", "collective": "Tên tập thể:",
                    "initiative": "Tên mô hình:"}[self.a.kind]
        if key == "summary":
            return f"Tóm tắt một đoạn văn (tối đa {RECORD.field('summary').type.max_len} ký tự):"
        if key == "date":
            return (f"Thời gian ghi danh, chính xác như nguồn tin: năm (2022), tháng (2022-12) hoặc ngày (2022-12-05) "
                    f"(Enter: hôm nay, {self.check.today.isoformat()}):")
        if key == "province":
            if legacy:
                return (f"Tỉnh/thành phố (một trong {len(registry.legacy_provinces.units)} tỉnh, thành phố "
                        f"trước {REFORM_TEXT}):")
            return f"Tỉnh/thành phố (một trong {len(registry.current_provinces.units)} tỉnh, thành phố từ {REFORM_TEXT}):"
        if key == "district":
            if legacy:
                return "Huyện/quận/thị xã/thành phố thuộc tỉnh:"
            return f"Huyện/quận: từ {REFORM_TEXT} không còn cấp huyện, hãy để trống (Enter):"
        if legacy:
            return "Xã/phường/thị trấn (Enter nếu không ghi):"
        return "Xã/phường/đặc khu (Enter nếu không ghi):"

    def _kind(self) -> None:
        labels = [KIND_LABELS[k] for k in KINDS]
        self.say("Loại hồ sơ:")
        for i, label in enumerate(labels, start=1):
            self.say(f"  {i}. {label}")
        choices = ", ".join(str(i) for i in range(1, len(KINDS))) + f" hoặc {len(KINDS)}"
        while True:
            answer = self._input(f"Chọn {choices}:")
            by_word = {fold(label): k for k, label in zip(KINDS, labels)} | {k: k for k in KINDS}
            if answer.isdigit() and 1 <= int(answer) <= len(KINDS):
                self.a.kind = KINDS[int(answer) - 1]
                return
            if fold(answer) in by_word:
                self.a.kind = by_word[fold(answer)]
                return
            self.say(f"  Hãy chọn {choices} ({', '.join(labels)}).")

    def _fields(self, listed: bool) -> None:
        terms = list((self.check.terms or {}).values())
        if not listed:
            self.say(f"Các lĩnh vực (content/{TAXONOMY_FILE}):")
            for i, term in enumerate(terms, start=1):
                self.say(f"  {i:>2}. {term.name} ({term.key})")
        while True:
            answer = self._input("Lĩnh vực: số thứ tự hoặc khoá, cách nhau bằng dấu phẩy (ví dụ 1,7):")
            keys, wrong = [], []
            for part in (p.strip() for p in answer.split(",")):
                # "1 7" is two numbers; a display name typed in ("Môi trường") stays whole for the validator's hint.
                for token in (part.split() if re.fullmatch(r"[0-9]+(?:\s+[0-9]+)*", part) else [part]):
                    if token.isdigit():
                        if 1 <= int(token) <= len(terms):
                            keys.append(terms[int(token) - 1].key)
                        else:
                            wrong.append(token)
                    elif token:
                        keys.append(token)
            if not wrong:
                self.a.fields = keys
                return
            self.say(f"  Không có lĩnh vực số {', '.join(wrong)}; hãy chọn số từ 1 đến {len(terms)} hoặc gõ khoá.")

    def _age(self) -> None:
        """Birth year (may be unknown), then adulthood or a guardian's consent, as the validator's age rule needs."""
        a = self.a
        a.adult = a.guardian = False
        while True:
            a.birth_year = _year(self._input("Năm sinh (chỉ ghi năm; Enter nếu không biết):"))
            # The year on its own: with a guardian's consent a possible child is allowed, so what the
            # validator still says is about the year itself (no number, out of range, after the record's year).
            own = self.check.errors(dataclasses.replace(a, guardian=True), AGE)
            if not own:
                break
            self._show(own)
        if a.birth_year is None:
            a.adult = self._yes_no(f"Người được ghi danh chắc chắn đã đủ {CHILD_AGE} tuổi vào ngày ghi danh (có căn cứ, "
                                   "ví dụ nguồn tin nêu người đó đang giữ chức vụ, đang đi làm)? (c/k):")
        # Whether a guardian is needed is the validator's age rule (rules.CHILD_AGE) to say, not ours.
        if not a.adult and (why := self.check.errors(a, AGE)):
            for f in why:
                self.say(f"  Lưu ý: {f.diagnostic.message}")
            a.guardian = self._yes_no("Sự đồng ý công bố do người giám hộ (cha, mẹ hoặc người đỡ đầu) "
                                      "đưa ra? (c/k):")

    def _yes_no(self, prompt: str) -> bool:
        while True:
            answer = fold(self._input(prompt))
            if answer in _YES or answer in _NO:
                return answer in _YES
            self.say("  Hãy trả lời c (có) hoặc k (không).")

    def _input(self, prompt: str) -> str:
        while True:
            try:
                return self.ask(prompt + " ").strip()
            except (EOFError, KeyboardInterrupt):
                raise Stopped from None
            except UnicodeDecodeError:  # the terminal is not set to UTF-8
                self.say("  Không đọc được chữ vừa gõ (bảng mã của cửa sổ dòng lệnh không phải UTF-8); hãy gõ lại.")

    def _show(self, found) -> None:
        for f in found:
            word = "Lỗi" if f.diagnostic.severity == ERROR else "Lưu ý"
            self.say(f"  {word}: {f.diagnostic.message}")


def _year(text: str) -> int | str | None:
    """A birth year as typed: a number, the text itself if it is none (the validator refuses it), or None."""
    if not text:
        return None
    return int(text) if re.fullmatch(r"-?[0-9]{1,9}", text) else text


# --- YAML scalars ---------------------------------------------------------------------------

class _Verbatim(str):
    """Text for a YAML comment: printed as it is."""


def yaml_scalar(value) -> str:
    """A value as YAML that every reader takes as the same text, on one line: plain when safe, else double-quoted."""
    if isinstance(value, _Verbatim):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)
    plain_ok = (value.strip() == value and value and value.isprintable() and not value[0] in "-?:,[]{}#&*!|>'\"%@`"
                and ": " not in value and " #" not in value and not value.endswith(":")
                and yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str")
    if plain_ok:
        return value
    return _quoted(value)


def _flow_scalar(value: str) -> str:
    """An item of a [flow, list]: quoted as well when it holds what ends or splits an item there."""
    return _quoted(value) if re.search(r"[,\[\]{}]", value) else yaml_scalar(value)


def _quoted(value: str) -> str:
    # Line breaks and invisible characters as escapes: the value stays on one line of the file (so a
    # finding's line names its key) and a character the validator refuses reaches it, to be named.
    out = []
    for ch in value:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif _SURROGATE.match(ch):  # no YAML reader takes one, escaped or not (see _unwritable)
            out.append("\\ufffd")
        else:
            cp = ord(ch)
            out.append(f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}")
    return '"' + "".join(out) + '"'
