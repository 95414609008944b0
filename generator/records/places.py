"""Vietnam's administrative units in both eras, from the `vietnamadminunits` data.

Before the reform (`schema.REFORM`): 63 provinces / 696 districts / ~10,000 communes (three tiers).
From it: 34 provinces / 3,321 communes (two tiers), each old province
merged whole into one new province.

We read the package's SQLite and JSON files directly instead of importing it:
its import loads a geocoder stack we do not need, and its converter may query
the network for street addresses.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core.period import Period, first_day
from ..core.vntext import fold, slugify, sort_key
from .schema import REFORM, REFORM_TEXT

LEGACY, CURRENT = "legacy", "current"


def era_of(day) -> str:
    """The era a record dated `day` is placed in: the former units before the reform, the current
    ones from it. A period (`core.period.Period`) by its first day: use `era_of_period` for one
    that may straddle the reform."""
    return LEGACY if first_day(day) < REFORM else CURRENT


def era_of_period(when, province: str, district: str | None, commune: str | None) -> str | None:
    """The era of a place dated `when` (a day or a period), or None when the period straddles the
    reform (the year 2025) and the place does not decide it.

    A place decides when only one era could hold it: a district (there is none from the reform)
    says before; a commune without a district, or a province name that only the current registry
    knows, says from; a province name only the former registry knows says before."""
    if not isinstance(when, Period) or not when.straddles(REFORM):
        return era_of(when)
    if district:
        return LEGACY
    if commune:
        return CURRENT
    reg = registry()
    old, new = bool(reg.find_legacy_province(province)), bool(reg.current_provinces.find(province))
    if old != new:
        return LEGACY if old else CURRENT
    return None

# Unit words editors may write before a name ("Tỉnh Hà Nam", "Huyện Thanh Liêm").
_UNIT_WORDS = ("thành phố", "tỉnh", "tp.", "tp", "quận", "huyện", "thị xã", "thị trấn", "xã", "phường", "đặc khu")
_UNIT_RE = re.compile(r"^(?:" + "|".join(re.escape(w) for w in _UNIT_WORDS) + r")\s+", re.IGNORECASE)

# Official names that changed while the data set kept only the newer one.
_LEGACY_PROVINCE_ALIASES = {"thừa thiên huế": "huế", "thừa thiên - huế": "huế"}


@dataclass(frozen=True)
class Unit:
    code: str  # statistics-office code
    name: str  # full official name, with unit word
    short: str  # name without unit word
    level: str  # "province" | "district" | "commune"
    era: str
    lat: float | None = None
    lon: float | None = None

    @property
    def slug(self) -> str:
        return slugify(self.short)


@dataclass(frozen=True)
class Place:
    era: str
    province: Unit
    district: Unit | None
    commune: Unit | None
    current_province: Unit  # where this place belongs today
    # The district's and the commune's names as the record wrote them, when its unit word is not
    # the registry's: the registry holds mid-2025 names, but a 2020 record in "Thị xã Tân Uyên"
    # must not be shown in "Thành phố Tân Uyên". Indexes and "nay thuộc" use the registry's.
    district_as_written: str | None = None
    commune_as_written: str | None = None

    def renamed_to(self) -> Unit | None:
        """The province a place named before the reform belongs to now, when that province has another
        name: "(nay thuộc Tỉnh Ninh Bình)", never "Tỉnh Quảng Ngãi (nay thuộc Tỉnh Quảng Ngãi)"."""
        renamed = self.era == LEGACY and self.current_province.name != self.province.name
        return self.current_province if renamed else None

    def shown(self) -> tuple[Unit | None, ...]:
        """Commune, district and province, as the record's own page names them."""
        return tuple(u for u in (self.commune, self.district, self.province) if u)

    def name_shown(self, unit: Unit) -> str:
        """A unit's name on the record's own page: as written if the record wrote another unit word."""
        if unit is self.district and self.district_as_written:
            return self.district_as_written
        if unit is self.commune and self.commune_as_written:
            return self.commune_as_written
        return unit.name


# The unit words of each level as laws name them (Luật Tổ chức chính quyền địa phương), for a
# name written with its word: "Thị xã Tân Uyên" is a district-level unit, "Xã Tân Uyên" is not.
# What each word is called in messages, and the eras it existed in (no "thị trấn" from the reform,
# no "đặc khu" before it).
DISTRICT_WORDS = {"huyện": "Huyện", "quận": "Quận", "thị xã": "Thị xã", "thành phố": "Thành phố",
                  "tp.": "Thành phố", "tp": "Thành phố"}
COMMUNE_WORDS = {"xã": "Xã", "phường": "Phường", "thị trấn": "Thị trấn", "đặc khu": "Đặc khu"}
_WORD_ERAS = {"Thị trấn": (LEGACY,), "Đặc khu": (CURRENT,)}
_LEVEL_NAMES = {"district": ("cấp huyện", "huyện, quận, thị xã hoặc thành phố thuộc tỉnh"),
                "commune": ("cấp xã", "xã, phường, thị trấn (trước 2025) hoặc đặc khu (từ 2025)")}


def unit_word(text: str) -> str | None:
    """The unit word an editor wrote before a name, lower case ("thị xã"), or None."""
    m = _UNIT_RE.match(_norm(text))
    return m.group(0).strip() if m else None


def as_written(text: str, unit: Unit, level: str, era: str) -> tuple[str | None, str | None]:
    """The name to show for `unit` when the record wrote `text`, if it differs from the registry's,
    and a problem: a unit word that is no unit of that level, or of that era."""
    word = unit_word(text)
    if word is None:
        return None, None
    words = DISTRICT_WORDS if level == "district" else COMMUNE_WORDS
    level_name, legal = _LEVEL_NAMES[level]
    if word not in words:
        return None, (f"'{text}': '{word}' không phải tên gọi của đơn vị {level_name}; đơn vị {level_name} là {legal}. "
                      f"Hãy ghi '{unit.short}', hoặc '{unit.name}'")
    official = words[word]
    if era not in _WORD_ERAS.get(official, (era,)):
        when = f"trước {REFORM_TEXT}" if era == LEGACY else f"từ {REFORM_TEXT}"
        return None, f"'{text}': {when} không có đơn vị '{official.lower()}'; hãy ghi '{unit.short}', hoặc '{unit.name}'"
    shown = f"{official} {unit.short}"
    return (shown if shown != unit.name else None), None


def folders(place: Place) -> tuple[str, ...]:
    """The grouping folders below entries/ that a record of `place` belongs in (CONTRIBUTING.md,
    section 1): its province, then its district before the reform or its commune from it, as the
    site's addresses spell them (`Unit.slug`). Province folders are what .github/CODEOWNERS
    assigns reviewers by."""
    second = place.district if place.era == LEGACY else place.commune
    return tuple(u.slug for u in (place.province, second) if u)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@functools.lru_cache(maxsize=65536)  # place names repeat across thousands of records
def name_key(text: str) -> str:
    """A unit's name for comparison: no unit word, no diacritics, no case ("Tỉnh Hà Nam" → "ha-nam")."""
    return slugify(_UNIT_RE.sub("", _norm(text)))


def _input_keys(text: str) -> set[str]:
    n = _norm(text)
    return {n, _UNIT_RE.sub("", n)}


class _Index:
    """Units of one parent, looked up by short or full name, case-insensitively."""

    def __init__(self, units: list[Unit]):
        self.units = units
        self.by_key: dict[str, list[Unit]] = {}
        for u in units:
            for key in {_norm(u.short), _norm(u.name)}:
                self.by_key.setdefault(key, []).append(u)

    def find(self, text: str) -> list[Unit]:
        found: dict[str, Unit] = {}
        for key in _input_keys(text):
            for u in self.by_key.get(key, ()):
                found[u.code] = u
        if len(found) > 1:  # "Xã Tân Thành" vs "Phường Tân Thành": the unit word decides
            exact = [u for u in found.values() if _norm(u.name) == _norm(text)]
            if exact:
                return exact
        return sorted(found.values(), key=lambda u: u.code)

    def suggest(self, text: str, limit: int = 3) -> list[Unit]:
        """Nearest names: first the same letters without diacritics, then close spellings."""
        target = fold(_UNIT_RE.sub("", _norm(text)))
        same = [u for u in self.units if fold(u.short) == target]
        if same:
            return same[:limit]
        shorts = {fold(u.short): u for u in self.units}
        close = difflib.get_close_matches(target, list(shorts), n=limit, cutoff=0.75)
        return [shorts[c] for c in close]


class Registry:
    def __init__(self, rows_legacy, rows_current, province_merges: dict[str, list[str]],
                 ward_merges: dict | None = None, ward_splits: dict | None = None):
        self._build_legacy(rows_legacy)
        self._build_current(rows_current)
        self._build_successors(province_merges)
        self._build_commune_successors(ward_merges or {}, ward_splits or {})

    def _build_legacy(self, rows) -> None:
        provinces: dict[str, Unit] = {}
        districts: dict[str, dict[str, Unit]] = {}
        communes: dict[str, dict[str, Unit]] = {}
        self._legacy_keys: dict[str, str] = {}
        self._legacy_commune_keys: dict[str, str] = {}
        for r in rows:
            pc = r["provinceCode"]
            if pc not in provinces:
                provinces[pc] = Unit(pc, r["province"], r["provinceShort"], "province", LEGACY, r["provinceLat"], r["provinceLon"])
                self._legacy_keys[r["provinceKey"]] = pc
            dc = r["districtCode"]
            districts.setdefault(pc, {}).setdefault(
                dc, Unit(dc, r["district"], r["districtShort"], "district", LEGACY, r["districtLat"], r["districtLon"]))
            if r["wardCode"]:
                communes.setdefault(dc, {})[r["wardCode"]] = Unit(
                    r["wardCode"], r["ward"], r["wardShort"], "commune", LEGACY, r["wardLat"], r["wardLon"])
                if "wardKey" in r.keys():  # the converter names former communes by these keys
                    self._legacy_commune_keys[r["wardCode"]] = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
        self.legacy_provinces = _Index(list(provinces.values()))
        self.legacy_districts = {pc: _Index(list(d.values())) for pc, d in districts.items()}
        self.legacy_communes = {dc: _Index(list(c.values())) for dc, c in communes.items()}
        self.all_legacy_districts = _Index([u for d in districts.values() for u in d.values()])
        self.district_province = {dc: pc for pc, d in districts.items() for dc in d}

    def _build_current(self, rows) -> None:
        provinces: dict[str, Unit] = {}
        communes: dict[str, dict[str, Unit]] = {}
        self._current_keys: dict[str, str] = {}
        self._current_commune_by_key: dict[tuple[str, str], Unit] = {}
        for r in rows:
            pc = r["provinceCode"]
            if pc not in provinces:
                provinces[pc] = Unit(pc, r["province"], r["provinceShort"], "province", CURRENT, r["provinceLat"], r["provinceLon"])
                self._current_keys[r["provinceKey"]] = pc
            communes.setdefault(pc, {})[r["wardCode"]] = Unit(
                r["wardCode"], r["ward"], r["wardShort"], "commune", CURRENT, r["wardLat"], r["wardLon"])
            if "wardKey" in r.keys():
                self._current_commune_by_key[(r["provinceKey"], r["wardKey"])] = communes[pc][r["wardCode"]]
        self.current_provinces = _Index(list(provinces.values()))
        self.current_communes = {pc: _Index(list(c.values())) for pc, c in communes.items()}

    def _build_successors(self, merges: dict[str, list[str]]) -> None:
        by_code = {u.code: u for u in self.current_provinces.units}
        self.successor: dict[str, Unit] = {}
        for new_key, old_keys in merges.items():
            new = by_code[self._current_keys[new_key]]
            for old_key in old_keys:
                self.successor[self._legacy_keys[old_key]] = new
        missing = [u.name for u in self.legacy_provinces.units if u.code not in self.successor]
        if missing:  # the data package is pinned; this guards an upgrade that breaks the mapping
            raise RuntimeError(f"no post-2025 province for: {missing}")

    def _build_commune_successors(self, merges: dict, splits: dict) -> None:
        """Former commune (its converter key) → the communes it became, the main one first.

        `merges` (DICT_PROVINCE_WARD_NO_DIVIDED) lists, per new commune, the former communes
        merged whole into it; `splits` (DICT_PROVINCE_WARD_DIVIDED) lists, per former commune
        divided between several, the new ones with the one holding most of it marked default."""
        moved: dict[str, list[tuple[Unit, bool]]] = {}
        for province_key, communes in merges.items():
            for new_key, old_keys in communes.items():
                new = self._current_commune_by_key.get((province_key, new_key))
                for old_key in old_keys if new is not None else ():
                    moved.setdefault(old_key, []).append((new, True))
        for province_key, olds in splits.items():
            for old_key, parts in olds.items():
                found = [(self._current_commune_by_key.get((province_key, p["newWardKey"])), bool(p["isDefaultNewWard"]))
                         for p in parts]
                moved[old_key] = sorted(((u, main) for u, main in found if u is not None), key=lambda x: not x[1])
        self._commune_successors = moved

    def commune_successors(self, former: Unit) -> list[tuple[Unit, bool]]:
        """The communes from the reform that a former commune became: (commune, holds most of it)."""
        return self._commune_successors.get(self._legacy_commune_keys.get(former.code, ""), [])

    def former_communes(self, current: Unit, text: str) -> list[tuple[Unit, Unit, Unit]]:
        """(commune, district, province) before the reform named `text`, in the former provinces
        merged into `current`: what an editor wrote who used the old name after the reform."""
        found = []
        for province in self.predecessors(current):
            for district in self.legacy_districts[province.code].units:
                index = self.legacy_communes.get(district.code)
                found += [(c, district, province) for c in (index.find(text) if index else ())]
        return found

    def find_legacy_province(self, text: str) -> list[Unit]:
        alias = _LEGACY_PROVINCE_ALIASES.get(_UNIT_RE.sub("", _norm(text)))
        return self.legacy_provinces.find(alias or text)

    def predecessors(self, current: Unit) -> list[Unit]:
        return [u for u in self.legacy_provinces.units if self.successor[u.code].code == current.code]

    def legacy_province_of(self, district: Unit) -> Unit:
        pc = self.district_province[district.code]
        return next(u for u in self.legacy_provinces.units if u.code == pc)


def _data_dir() -> Path:
    # find_spec locates the package without running its heavy __init__.
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


@lru_cache(maxsize=1)
def registry() -> Registry:
    data = _data_dir()
    with sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        legacy = conn.execute(
            "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey, "
            "district, districtShort, districtCode, districtLat, districtLon, districtKey, "
            "ward, wardShort, wardCode, wardLat, wardLon, wardKey FROM admin_units_legacy "
            "ORDER BY provinceCode, districtCode, wardCode").fetchall()
        current = conn.execute(
            "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey, "
            "ward, wardShort, wardCode, wardLat, wardLon, wardKey FROM admin_units ORDER BY provinceCode, wardCode").fetchall()
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    return Registry(legacy, current, converter["DICT_PROVINCE"], converter["DICT_PROVINCE_WARD_NO_DIVIDED"],
                    converter["DICT_PROVINCE_WARD_DIVIDED"])


# --- Resolution of what an editor wrote, with messages in Vietnamese -------------

def _did_you_mean(index: _Index, text: str) -> str:
    near = index.suggest(text)
    quoted = " hoặc ".join("'" + u.short + "'" for u in near)
    return f"; có phải ý bạn là {quoted}?" if near else ""


def _listing(index: _Index, what: str, limit: int = 40) -> str:
    if len(index.units) > limit:
        return ""
    names = sorted((u.short for u in index.units), key=sort_key)
    return f" Các {what}: {', '.join(names)}."


def resolve(province: str, district: str | None, commune: str | None, era: str,
            reg: Registry | None = None) -> tuple[Place | None, list[tuple[str, str]]]:
    """Match a record's place against the registry of its era.

    Returns the place, or None with (key, message) problems, key being the
    place key the message is about.
    """
    reg = reg or registry()
    if era == LEGACY:
        return _resolve_legacy(reg, province, district, commune)
    return _resolve_current(reg, province, district, commune)


def _resolve_legacy(reg: Registry, province: str, district: str | None, commune: str | None):
    found = reg.find_legacy_province(province)
    if not found:
        return None, [("province", f"không có tỉnh/thành phố '{province}' trong 63 tỉnh, thành phố trước {REFORM_TEXT}"
                       f"{_did_you_mean(reg.legacy_provinces, province)}")]
    prov = found[0]
    if not district:
        return None, [("place", f"thiếu district: hồ sơ ghi danh trước {REFORM_TEXT} phải ghi huyện/quận/thị xã/thành phố "
                       f"thuộc {prov.name}.{_listing(reg.legacy_districts[prov.code], 'đơn vị cấp huyện')}")]
    dist_index = reg.legacy_districts[prov.code]
    dists = dist_index.find(district)
    if not dists:
        return None, [("district", _district_not_found(reg, prov, district))]
    dist = dists[0]
    comm = None
    if commune:
        comm_index = reg.legacy_communes.get(dist.code)
        matches = comm_index.find(commune) if comm_index else []
        if not matches:
            return None, [("commune", _legacy_commune_not_found(reg, prov, dist, commune))]
        comm = matches[0]
    return Place(LEGACY, prov, dist, comm, reg.successor[prov.code]), []


def _district_not_found(reg: Registry, prov: Unit, district: str) -> str:
    index = reg.legacy_districts[prov.code]
    msg = f"{prov.name} không có đơn vị cấp huyện '{district}'"
    elsewhere = reg.all_legacy_districts.find(district)
    if elsewhere:
        where = ", ".join(f"{u.name} ({reg.legacy_province_of(u).name})" for u in elsewhere)
        return f"{msg}; tên này có ở: {where}. Hãy kiểm tra lại tỉnh (province) hoặc huyện"
    return msg + (_did_you_mean(index, district) or "." + _listing(index, "đơn vị cấp huyện"))


def _legacy_commune_not_found(reg: Registry, prov: Unit, dist: Unit, commune: str) -> str:
    msg = f"{dist.name} ({prov.name}) không có xã/phường/thị trấn '{commune}'"
    for other in reg.legacy_districts[prov.code].units:
        index = reg.legacy_communes.get(other.code)
        if other.code != dist.code and index and index.find(commune):
            return f"{msg}; '{commune}' thuộc {other.name}. Hãy sửa district hoặc commune"
    index = reg.legacy_communes.get(dist.code)
    return msg + (_did_you_mean(index, commune) if index else "")


def _former_name(reg: Registry, prov: Unit, commune: str, limit: int = 4) -> str:
    """When `commune` is a name from before the reform: what it was and what it became."""
    former = reg.former_communes(prov, commune)
    if not former:
        return ""
    parts, meant = [], []
    for old, district, province in former[:limit]:
        became = reg.commune_successors(old)
        names = [u.name + (" (phần lớn)" if main and len(became) > 1 else "") for u, main in became]
        verb = "nay chia vào" if len(names) > 1 else "nay thuộc"
        parts.append(f"{old.name} ({district.name}, {province.name}) {verb} {' và '.join(names) or 'đơn vị khác'}")
        meant += [u.short for u, _ in became if u.short not in meant]
    if not meant:
        return f"; '{commune}' là tên trước {REFORM_TEXT}: " + "; ".join(parts)
    choice = f"commune: {meant[0]}" if len(meant) == 1 else         "tên xã/phường mới nơi diễn ra việc làm: " + " hoặc ".join(f"'{m}'" for m in meant)
    return f". '{commune}' là tên trước {REFORM_TEXT}: {'; '.join(parts)}; hãy ghi {choice}"


def _resolve_current(reg: Registry, province: str, district: str | None, commune: str | None):
    problems: list[tuple[str, str]] = []
    found = reg.current_provinces.find(province)
    if not found:
        old = reg.find_legacy_province(province)
        if old:
            new = reg.successor[old[0].code]
            problems.append(("province", f"{old[0].name} đã hợp nhất vào {new.name} từ {REFORM_TEXT}; hồ sơ ghi danh "
                             f"từ ngày đó dùng tên tỉnh mới: province: {new.short}"))
        else:
            problems.append(("province", f"không có tỉnh/thành phố '{province}' trong 34 tỉnh, thành phố từ {REFORM_TEXT}"
                             f"{_did_you_mean(reg.current_provinces, province)}"))
    if district:
        problems.append(("district", f"từ {REFORM_TEXT} không còn cấp huyện; hãy xoá dòng district "
                         "(ghi xã/phường mới vào commune nếu cần)"))
    if problems:
        return None, problems
    prov = found[0]
    comm = None
    if commune:
        index = reg.current_communes[prov.code]
        matches = index.find(commune)
        if not matches:
            return None, [("commune", f"{prov.name} không có xã/phường/đặc khu '{commune}' sau sắp xếp {REFORM_TEXT}"
                           f"{_former_name(reg, prov, commune) or _did_you_mean(index, commune)}")]
        comm = matches[0]
    return Place(CURRENT, prov, None, comm, prov), []
