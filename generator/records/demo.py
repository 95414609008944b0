"""A synthetic corpus for benchmarks and scale tests: `sovang demo --records N --out DIR`.

Realistic in what costs time and space: real provinces, districts and
communes of both eras, Vietnamese names, one to three fields, results,
honours, sources and stories of a few paragraphs. Deterministic for a
seed, and it validates clean. Nothing here is about real people: the
names are drawn from common family, middle and given names.

With `--photos-per-record K`, each record also gets K generated JPEGs
(1200×800, quality 80, some 95–110 KB, no EXIF) beside its entry.yml, listed
under `photos` with a Vietnamese caption, credit and alt text, so that the
image stage has real work: every file's pixels differ, so each photo gets
its own derivatives. Drawing a whole scene per photo would cost more than
encoding it, so a handful of scenes are drawn once per process, as drawn
and mirrored, and each photo is a different crop of one of them with its
own people and banner drawn on: some 3.5 ms a photo, nearly all of it in
the JPEG encoder, which holds the GIL, so photos are made by one worker
process per core. A photo's bytes depend only on the record's slug and the
photo's number (no clock, no shared random state): the same N, K and seed
give the same files, and K = 0 gives exactly the corpus it always did (the
photos' randomness never touches the records' generator).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

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

# The most photos `--photos-per-record` puts in one record. The format sets no count of its own:
# what bounds it is entry.yml's size cap (loader.MAX_ENTRY_BYTES, 256 KB), some hundreds of
# photo items; no real record has more than a handful, and 20 keeps a demo's disk use bounded
# (20 photos are some 2 MB a record).
MAX_PHOTOS = 20
PHOTO_SIZE = (1200, 800)
JPEG_QUALITY = 80
# What the people in a photo do: the caption's words and what the alt text sees.
ACTIVITIES = (
    ("ra quân dọn vệ sinh đường làng", "Nhiều người mặc áo xanh tình nguyện cầm chổi, xẻng quét dọn rác trên con "
     "đường bê tông giữa cánh đồng lúa; phía xa là hàng cây và mái nhà."),
    ("trồng hoa dọc tuyến đường liên thôn", "Một nhóm người ngồi bên mép đường trồng những khóm hoa nhiều màu, phía "
     "sau là hàng cây xanh và mấy ngôi nhà mái đỏ."),
    ("trao quà cho các hộ gia đình có hoàn cảnh khó khăn", "Mấy người đứng trước cổng một ngôi nhà trao túi quà và "
     "bao gạo cho một cụ già; xung quanh có vài người đứng xem."),
    ("họp bàn kế hoạch tại nhà văn hoá thôn", "Khoảng hai chục người ngồi quanh những dãy bàn dài trong hội trường, "
     "phía trên treo băng rôn màu đỏ."),
    ("sửa sang đoạn đường bị hư hỏng", "Người dân đổ bê tông, dùng cào và xẻng san phẳng mặt đường; bên đường đặt "
     "máy trộn và mấy bao xi măng."),
    ("thu gom rác thải trên đồng ruộng", "Vài người đội nón lá nhặt vỏ bao thuốc bảo vệ thực vật bỏ vào bao tải trên "
     "bờ ruộng; phía sau là cánh đồng lúa xanh."),
    ("lắp đặt đèn chiếu sáng đường quê", "Hai người đứng trên thang gắn bóng đèn lên cột điện bên đường làng, phía "
     "dưới có người giữ thang và một cuộn dây điện."),
    ("góp gạo vào hũ gạo tiết kiệm", "Một phụ nữ đổ gạo từ chiếc ca nhựa vào hũ sành đặt trên bàn, bên cạnh là cuốn "
     "sổ ghi chép và mấy người đang xếp hàng."),
    ("thăm hỏi, tặng quà gia đình chính sách", "Đoàn người đứng trong phòng khách của một ngôi nhà, trao giỏ quà cho "
     "hai ông bà đang ngồi trên ghế gỗ."),
    ("khánh thành cây cầu dân sinh", "Người dân đứng đông hai bên một cây cầu bê tông nhỏ bắc qua con kênh; giữa cầu "
     "căng một dải lụa đỏ."),
    ("hướng dẫn người dân phân loại rác tại nguồn", "Một người cầm tờ rơi chỉ vào ba thùng rác màu xanh, vàng và xám "
     "đặt trước nhà văn hoá; vài người đứng nghe."),
    ("dạy bơi miễn phí cho trẻ em trong dịp hè", "Mấy em nhỏ mặc áo phao đứng trong bể bơi nông, một người lớn đứng "
     "cạnh đỡ tay một em."),
    ("phát quang bụi rậm hai bên đường", "Một hàng người mặc áo xanh dùng liềm, dao phát cỏ ven con đường đất đỏ, "
     "cỏ cắt xong được gom thành từng đống."),
    ("tặng sách cho tủ sách của thôn", "Vài người xếp sách lên chiếc tủ gỗ kê sát tường nhà văn hoá; mấy em nhỏ đứng "
     "cạnh cầm sách đọc."),
)
CREWS = ("Đoàn viên thanh niên", "Hội viên phụ nữ", "Hội viên cựu chiến binh", "Cán bộ và nhân dân",
         "Các hộ gia đình", "Học sinh và thầy cô giáo", "Hội viên nông dân")
WHEN = ("", " sáng Chủ nhật", " dịp Tết Nguyên đán", " trong Tháng Thanh niên", " trong đợt ra quân đầu năm",
        " cuối tuần qua", " sau mùa gặt", " nhân Ngày hội Đại đoàn kết toàn dân tộc")
CAPTIONS = {
    PERSON: ("{name} (giữa) cùng bà con {place} {action}{when}.", "{name} cùng đoàn viên, hội viên {action}{when}.",
             "{crew} {place} {action} theo lời kêu gọi của {name}{when}."),
    COLLECTIVE: ("{name} {action}{when}.", "Thành viên {name} {action}{when}.",
                 "{crew} và {name} cùng {action}{when}."),
    INITIATIVE: ("{crew} {place} {action}, một hoạt động của mô hình “{name}”{when}.",
                 "Mô hình “{name}”: {crew_lower} {action}{when}.", "{crew} {place} {action}{when}."),
}
CREDITS = ("Báo địa phương", "Đài Truyền thanh {place}", "UBND {place}", "Ban biên tập Sổ vàng", "{photographer}",
           "{photographer}")


@dataclass(frozen=True)
class _Commune:
    province: str
    district: str | None  # None after the reform
    commune: str


def check_photo_count(value: str | int) -> int:
    """`--photos-per-record` as a count of photos, or ValueError with the reason in Vietnamese."""
    try:
        count = int(str(value).strip())
    except ValueError:
        raise ValueError(f"--photos-per-record phải là một số nguyên từ 0 đến {MAX_PHOTOS} (nhận được '{value}')") from None
    if not 0 <= count <= MAX_PHOTOS:
        raise ValueError(f"--photos-per-record phải từ 0 đến {MAX_PHOTOS} ảnh mỗi hồ sơ (nhận được {count})")
    return count


def write(out: Path, records: int, seed: int = 1, taxonomy: Path | None = None, photos: int = 0,
          workers: int | None = None) -> int:
    """Write a content folder of `records` records into `out` (replaced), each with `photos`
    generated photos (made by `workers` processes, default one per core); returns the count written."""
    photos = check_photo_count(photos)
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    (out / "entries").mkdir(parents=True)
    source = taxonomy or Path(__file__).resolve().parents[2] / "content" / "taxonomy.yml"  # the checkout's
    shutil.copy(source, out / "taxonomy.yml")
    fields = _field_keys(out / "taxonomy.yml")
    legacy, current = _communes()
    used: set = set()
    jobs: list[tuple[Path, str]] = []
    for i in range(records):
        text, folder, files = _record(rng, i, legacy, current, fields, used, photos)
        path = out / "entries" / folder / "entry.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        jobs += [(path.parent / name, key) for name, key in files]
    _write_photos(jobs, workers)
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


def _record(rng: random.Random, i: int, legacy, current, fields, used: set,
            photos: int = 0) -> tuple[str, str, list[tuple[str, str]]]:
    """The entry.yml text, the folder below entries/, and the photos to make: (file name, seed)."""
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
    group = "/".join(slugify(x) for x in (where.province, where.district or "sau-2025"))
    slug = f"{slugify(name)[:60].rstrip('-')}-{i:06d}"
    files = [(f"anh-{n}.jpg", f"{slug}/{n}") for n in range(1, photos + 1)]
    if files:  # after the record's own draws, from generators of their own: the rest is as without photos
        lines.append("photos:")
        for file, key in files:
            caption, credit, alt = _photo_texts(random.Random(key), kind, name, where)
            lines += [f"  - file: {file}", f"    caption: {json.dumps(caption, ensure_ascii=False)}",
                      f"    credit: {json.dumps(credit, ensure_ascii=False)}", f"    alt: {json.dumps(alt, ensure_ascii=False)}"]
    lines += ["story: |"] + ["  " + line if line else "" for line in story.splitlines()]
    return "\n".join(lines) + "\n", f"{group}/{slug}", files


# --- Photos ------------------------------------------------------------------------------

def _photo_texts(rng: random.Random, kind: str, name: str, where: _Commune) -> tuple[str, str, str]:
    """A photo's caption, credit and alt text, in Vietnamese."""
    action, alt = rng.choice(ACTIVITIES)
    crew, place = rng.choice(CREWS), where.commune  # no "xã": it may be a ward or a township
    caption = rng.choice(CAPTIONS[kind]).format(name=name, place=place, action=action, when=rng.choice(WHEN),
                                                crew=crew, crew_lower=crew[0].lower() + crew[1:])
    credit = rng.choice(CREDITS).format(place=place, photographer=f"{rng.choice(MIDDLE[3:])} {rng.choice(GIVEN)}")
    return caption, credit, alt


# A photo is a crop of a scene this much bigger than it (121 × 81 placements), of one of _SCENES
# scenes drawn once per process, as drawn or mirrored: some 3.5 MB of pixels each.
_MARGIN = (120, 80)
_SCENES = 6
_GRAIN = 2  # the film grain's strength: without it a photo compresses to some 50 KB, with it some 100 KB


@dataclass(frozen=True)
class _Scene:
    image: Image.Image
    horizon: int  # the ground starts there


@functools.cache
def _bases() -> tuple[_Scene, ...]:
    scenes = [_scene(n) for n in range(_SCENES)]
    return tuple(scenes) + tuple(_Scene(s.image.transpose(Image.Transpose.FLIP_LEFT_RIGHT), s.horizon) for s in scenes)


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(size)
    lut = [a + (b - a) * v // 255 for a, b in zip(top, bottom) for v in range(256)]
    return Image.merge("RGB", (ramp, ramp, ramp)).point(lut)


def _shade(rng: random.Random, colour: tuple[int, int, int], by: int = 18) -> tuple[int, int, int]:
    return tuple(max(0, min(255, c + rng.randint(-by, by))) for c in colour)


def _scene(n: int) -> _Scene:
    """A countryside scene: sky, hills, fields converging on a road, houses, trees, film grain."""
    rng = random.Random(f"sovang-demo-scene-{n}")
    w, h = PHOTO_SIZE[0] + _MARGIN[0], PHOTO_SIZE[1] + _MARGIN[1]
    horizon = int(h * rng.uniform(0.33, 0.48))
    im = Image.new("RGB", (w, h))
    im.paste(_gradient((w, horizon), _shade(rng, (90, 150, 215), 30), _shade(rng, (225, 230, 235), 15)), (0, 0))
    im.paste(_gradient((w, h - horizon), _shade(rng, (120, 160, 80), 25), _shade(rng, (70, 110, 40), 25)), (0, horizon))
    d = ImageDraw.Draw(im)
    for _ in range(rng.randint(3, 6)):  # clouds
        cx, cy, r = rng.randrange(w), rng.randrange(horizon // 2), rng.randrange(30, 90)
        for _ in range(4):
            dx, dy = rng.randrange(-2 * r, 2 * r), rng.randrange(-r // 3, r // 3 + 1)
            d.ellipse((cx + dx - r, cy + dy - r // 2, cx + dx + r, cy + dy + r // 2), fill=_shade(rng, (245, 245, 248), 6))
    for layer in range(rng.randint(2, 3)):  # hills, the farther paler
        step = w // rng.randint(5, 9)
        ridge = [(x, horizon - rng.randrange(15, 110 - 30 * layer)) for x in range(0, w + step, step)]
        d.polygon([(0, horizon)] + ridge + [(w, horizon)], fill=_shade(rng, (110 + 30 * (2 - layer), 140, 120), 15))
    vx = rng.randrange(w // 4, 3 * w // 4)
    edges = sorted(rng.sample(range(-w, 2 * w, 40), 12))
    for i, (a, b) in enumerate(zip(edges, edges[1:])):  # fields towards the vanishing point
        d.polygon([(vx, horizon), (a, h), (b, h)], fill=_shade(rng, (100, 150, 60) if i % 2 else (130, 170, 70), 20))
    road = rng.randrange(140, 320)
    d.polygon([(vx - 3, horizon), (vx + 3, horizon), (vx + road, h), (vx - road, h)], fill=_shade(rng, (150, 150, 145), 10))
    for _ in range(rng.randint(4, 8)):  # houses on the horizon
        x, y, hw, hh = rng.randrange(w), horizon + rng.randrange(0, 20), rng.randrange(30, 90), rng.randrange(22, 55)
        d.rectangle((x, y - hh, x + hw, y), fill=_shade(rng, (230, 215, 170), 25))
        d.polygon([(x - 6, y - hh), (x + hw + 6, y - hh), (x + hw // 2, y - hh - hw // 2)], fill=_shade(rng, (170, 70, 50), 25))
        d.rectangle((x + hw // 3, y - hh // 2, x + hw // 3 + hw // 5, y), fill=(70, 50, 40))
    for _ in range(rng.randint(8, 16)):  # trees
        x, y, r = rng.randrange(w), horizon + rng.randrange(0, 60), rng.randrange(18, 50)
        d.rectangle((x - r // 8, y - r, x + r // 8, y), fill=(90, 60, 40))
        d.ellipse((x - r, y - 3 * r, x + r, y - r // 2), fill=_shade(rng, (50, 100, 45), 20))
    im = im.filter(ImageFilter.GaussianBlur(1.2))
    # Grain from a hash, not from Pillow's effect_noise (C rand(), unseeded): the same on every run.
    grain = Image.frombytes("L", (w, h), hashlib.shake_256(f"sovang-demo-grain-{n}".encode()).digest(w * h))
    grain = grain.filter(ImageFilter.BoxBlur(1)).point([128 + (v - 128) * _GRAIN // 16 for v in range(256)])
    return _Scene(ImageChops.add(im, Image.merge("RGB", (grain, grain, grain)), 1.0, -128), horizon)


SHIRTS = ((30, 90, 200), (40, 120, 220), (245, 245, 245), (200, 40, 40), (240, 200, 60), (60, 140, 80))
SKIN = ((224, 172, 130), (200, 150, 110), (180, 130, 95))


def photo(key: str) -> bytes:
    """The JPEG bytes of the photo named by `key` (the record's slug and the photo's number): a
    crop of one of the scenes, with its own people and maybe a banner on it. Some 3.5 ms, nearly
    all in the JPEG encoder: a tint (Image.point) or a mirror per photo would add 1 to 2 ms more."""
    rng = random.Random(key)
    bases = _bases()
    scene = bases[rng.randrange(len(bases))]
    (w, h), (x, y) = PHOTO_SIZE, (rng.randrange(_MARGIN[0] + 1), rng.randrange(_MARGIN[1] + 1))
    im = scene.image.crop((x, y, x + w, y + h))
    d, horizon = ImageDraw.Draw(im), scene.horizon - y
    if rng.random() < 0.6:  # a red banner with a line of yellow lettering
        bw, bh = rng.randrange(300, 700), rng.randrange(50, 90)
        bx, by = rng.randrange(0, w - bw), max(10, horizon - bh - rng.randrange(20, 120))
        d.rectangle((bx, by, bx + bw, by + bh), fill=_shade(rng, (200, 30, 30), 15))
        for lx in range(bx + 20, bx + bw - 30, rng.randrange(24, 34)):
            d.rectangle((lx, by + bh // 3, lx + rng.randrange(10, 20), by + 2 * bh // 3), fill=(250, 220, 60))
    people = sorted((rng.randrange(horizon + 40, h + 60), rng.randrange(w)) for _ in range(rng.randint(4, 12)))
    for fy, fx in people:  # far first: nearer people stand in front
        s = max(8, int(70 * (fy - horizon) / (h - horizon)))  # size by distance from the horizon
        skin, shirt = rng.choice(SKIN), _shade(rng, rng.choice(SHIRTS), 12)
        d.rectangle((fx - s // 2, fy - 2 * s, fx + s // 2, fy - s // 2), fill=shirt)
        d.rectangle((fx - s // 2, fy - s // 2, fx + s // 2, fy + s), fill=_shade(rng, (50, 50, 60), 15))
        d.ellipse((fx - s // 3, fy - 2 * s - 2 * s // 3, fx + s // 3, fy - 2 * s), fill=skin)
        if rng.random() < 0.4:  # a conical hat
            d.polygon([(fx - s // 2 - 4, fy - 2 * s - s // 3), (fx + s // 2 + 4, fy - 2 * s - s // 3),
                       (fx, fy - 3 * s)], fill=(225, 205, 150))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=JPEG_QUALITY)  # no exif=, no comment: nothing but pixels and JFIF
    return out.getvalue()


_CHUNK = 64  # photos a worker process makes per task: some 0.2 s of work


def _write_photos(jobs: list[tuple[Path, str]], workers: int | None) -> None:
    """Make the photos, on every core: Pillow's JPEG encoder holds the GIL, so threads would not help."""
    if not jobs:
        return
    workers = min(workers or os.cpu_count() or 1, -(-len(jobs) // _CHUNK))
    _bases()  # drawn before the workers start: a forked worker inherits them
    if workers <= 1:
        for job in jobs:
            _write_photo(job)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(_write_photo, jobs, chunksize=_CHUNK):
            pass


def _write_photo(job: tuple[Path, str]) -> None:
    path, key = job
    path.write_bytes(photo(key))
