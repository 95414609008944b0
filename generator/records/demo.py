"""A synthetic corpus for benchmarks and scale tests: `sovang demo --records N --out DIR`.

Realistic in what costs time and space: real provinces, districts and
communes of both eras, Vietnamese names, one to three fields, results,
honours, sources and stories of a few paragraphs. Deterministic for a
seed, and it validates clean. Nothing here is about real people: the
names are drawn from common family, middle and given names.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..core.vntext import slugify
from .places import registry
from .schema import COLLECTIVE, INITIATIVE, PERSON, REFORM

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Thu", "Xuân", "Hồng", "Kim")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Đạt", "Giang", "Hà", "Hạnh", "Hải", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung",
         "Tú", "Tuấn", "Vân", "Việt", "Yến", "Ánh", "Ơn", "Ưng")
INITIATIVES = ("Hũ gạo tiết kiệm", "Thắp sáng đường quê", "Đường hoa", "Camera an ninh", "Bát cháo yêu thương",
               "Nghe dân nói, nói dân hiểu, làm dân tin", "Mỗi tuần một điểm đến", "Cột điện nở hoa",
               "Tiết kiệm hỗ trợ hộ nghèo", "Thu gom rác thải trên đồng ruộng", "Làm đường, dịch tường",
               "Chưa hết việc, chưa hết giờ", "Tủ sách dòng họ", "Ngày Chủ nhật xanh", "Nhà nhân ái")
COLLECTIVES = ("Chi bộ thôn {n}", "Đoàn Thanh niên {commune}", "Hội Cựu chiến binh {commune}",
               "Hội Liên hiệp Phụ nữ {commune}", "Đảng bộ {commune}", "Chi đoàn thôn {n}")
ROLES = ("Bí thư Chi đoàn", "Trưởng thôn", "Giáo viên", "Công an viên", "Nông dân", "Y sĩ trạm y tế",
         "Chủ tịch Hội Nông dân xã", "Đoàn viên thanh niên")
RESULTS = (("Hộ được hỗ trợ", "hộ"), ("Ki-lô-mét đường", "km"), ("Kinh phí vận động", "triệu đồng"),
           ("Người tham gia", "người"), ("Gạo tiết kiệm được", "kg"), ("Cuộc đối thoại", "cuộc"))
PARAGRAPH = ("Từ khi triển khai, {name} được cán bộ và nhân dân {place} đồng tình hưởng ứng. Mỗi tháng, các thành "
             "viên họp bàn, phân công việc cụ thể, công khai kết quả để mọi người cùng theo dõi và góp ý. Nhiều hộ "
             "gia đình khó khăn được giúp đỡ kịp thời; cách làm được các địa phương lân cận đến học tập.")


@dataclass(frozen=True)
class _Commune:
    province: str
    district: str | None  # None after the reform
    commune: str


def write(out: Path, records: int, seed: int = 1, taxonomy: Path | None = None) -> int:
    """Write a content folder of `records` records into `out` (replaced); returns the count written."""
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    (out / "entries").mkdir(parents=True)
    source = taxonomy or Path(__file__).resolve().parents[2] / "content" / "taxonomy.yml"  # the checkout's
    shutil.copy(source, out / "taxonomy.yml")
    fields = _field_keys(out / "taxonomy.yml")
    legacy, current = _communes()
    used: set = set()
    for i in range(records):
        text, folder = _record(rng, i, legacy, current, fields, used)
        path = out / "entries" / folder / "entry.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return records


def _field_keys(taxonomy: Path) -> list[str]:
    from .yamlstrict import parse_file

    return sorted(k.text for k, _ in parse_file(taxonomy).get("fields").items)


def _communes() -> tuple[list[_Commune], list[_Commune]]:
    reg = registry()
    legacy = [_Commune(p.short, d.short, c.short)
              for p in reg.legacy_provinces.units
              for d in reg.legacy_districts[p.code].units
              for c in reg.legacy_communes.get(d.code, _Empty).units]
    current = [_Commune(p.short, None, c.short)
               for p in reg.current_provinces.units for c in reg.current_communes[p.code].units]
    return legacy, current


class _Empty:
    units: tuple = ()


def _name(rng: random.Random, kind: str, commune_name: str) -> str:
    if kind == PERSON:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    if kind == COLLECTIVE:
        return rng.choice(COLLECTIVES).format(n=rng.randrange(1, 15), commune=commune_name)
    return f"{rng.choice(INITIATIVES)} {commune_name}"


def _record(rng: random.Random, i: int, legacy, current, fields, used: set) -> tuple[str, str]:
    # Four records in five predate the reform, as in the seed articles.
    post = rng.random() < 0.2
    date = (REFORM + dt.timedelta(days=rng.randrange(0, 480))) if post \
        else dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, (REFORM - dt.date(2018, 1, 1)).days))
    kind = rng.choices((INITIATIVE, COLLECTIVE, PERSON), weights=(6, 2, 2))[0]
    while True:  # the validator warns about same name, same place: keep the demo clean
        where = rng.choice(current if post else legacy)
        name = _name(rng, kind, f"xã {where.commune}")
        # Folded, as the validator compares: "xã Sơn Hà" and "xã Sơn Hạ" are the same name to it.
        key = tuple(slugify(x or "") for x in (name, where.province, where.district, where.commune))
        if key not in used:
            used.add(key)
            break
    place_words = ", ".join(x for x in (where.commune, where.district, where.province) if x)
    lines = [f"kind: {kind}", f"name: {json.dumps(name, ensure_ascii=False)}",
             f"summary: {json.dumps(f'{name} được ghi danh vì những việc làm tốt tại {place_words}.', ensure_ascii=False)}",
             f"date: {date.isoformat()}", "place:", f"  province: {json.dumps(where.province, ensure_ascii=False)}"]
    if where.district:
        lines.append(f"  district: {json.dumps(where.district, ensure_ascii=False)}")
    lines.append(f"  commune: {json.dumps(where.commune, ensure_ascii=False)}")
    lines.append(f"fields: [{', '.join(rng.sample(fields, rng.randint(1, 3)))}]")
    if kind == PERSON:
        lines += [f"role: {json.dumps(rng.choice(ROLES), ensure_ascii=False)}", f"birth_year: {rng.randrange(1955, 2000)}",
                  "consent:", "  name: true", "  photo: true", "  story: true", "  given_by: self"]
    else:
        lines.append("results:")
        for label, unit in rng.sample(RESULTS, 2):
            lines += [f"  - label: {label}", f"    value: {rng.randrange(2, 5000)}", f"    unit: {unit}"]
    lines += ["honours:", "  - title: Giấy khen", f"    issuer: UBND {json.dumps(place_words, ensure_ascii=False)[1:-1]}",
              "sources:", f"  - title: {json.dumps('Lan tỏa việc tốt ở ' + where.commune, ensure_ascii=False)}",
              "    publisher: Báo địa phương", f"    date: {date.isoformat()}"]
    story = "\n\n".join(PARAGRAPH.format(name=name, place=place_words) for _ in range(rng.randint(2, 4)))
    lines += ["story: |"] + ["  " + line if line else "" for line in story.splitlines()]
    group = "/".join(slugify(x) for x in (where.province, where.district or "sau-2025"))
    slug = f"{slugify(name)[:60].rstrip('-')}-{i:06d}"
    return "\n".join(lines) + "\n", f"{group}/{slug}"
