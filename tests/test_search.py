"""The syllable index (generator/site/search.py): encoding, contents, determinism.

The finder's JavaScript reads these files; tests/browser/test_browser_search.py
checks the two agree on real queries.
"""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from generator.records.places import LEGACY
from generator.site import search
from generator.records.validate import validate

from conftest import CONTENT, VALID_INITIATIVE, VALID_PERSON


@pytest.mark.parametrize("ids, count", [([], 10), ([0], 1), ([3, 5, 200, 70_000], 100_000),
                                        (list(range(0, 10_000, 2)), 10_000), (list(range(10_000)), 10_000)])
def test_id_lists_round_trip(ids, count):
    assert search.decode_ids(search.encode_ids(ids, count)) == ids


def test_dense_lists_never_cost_more_than_a_bitmap():
    count = 10_000
    every_other = search.encode_ids(list(range(0, count, 2)), count)
    assert len(every_other) <= 4 * ((1 + count // 8) + 2) // 3 + 4
    sparse = search.encode_ids([17, 5000], count)
    assert len(sparse) < 12


def test_words_split_on_punctuation_and_keep_accents():
    assert search.words("“Hũ gạo tiết kiệm”, ĐT-499B!") == ["hũ", "gạo", "tiết", "kiệm", "đt", "499b"]
    # Decomposed input (as some keyboards send it) gives the same words.
    assert search.words("Ha\u0323nh") == ["hạnh"]


@pytest.fixture(scope="module")
def real_index():
    corpus, report = validate(CONTENT)
    assert not report.errors
    return corpus, search.build(corpus, {})


def shard_with(files: dict[str, str], key: str) -> dict:
    manifest = json.loads(files["tim/index.json"])
    rows = [row for row in manifest["shards"] if row[0] <= key]
    return json.loads(files[f"tim/{rows[-1][1]}"])


def test_manifest_and_cards(real_index):
    corpus, files = real_index
    manifest = json.loads(files["tim/index.json"])
    assert manifest["version"] == 1 and manifest["count"] == len(corpus.records) == 28
    assert set(manifest["filters"]) == {"loai", "tinh", "tinh-cu", "huyen", "linh-vuc", "nam", "chuong-trinh", "nhan-rong"}
    order = search.order(corpus)
    assert [r.date for r in order] == sorted(r.date for r in corpus.records)  # ids: oldest first
    for i, r in enumerate(order):
        card = json.loads(files[f"tim/the/{i}.json"])
        assert card["url"] == f"ho-so/{r.slug}/" and card["title"] == r.name


def test_cards_say_nay_thuoc_only_when_the_province_was_renamed(real_index):
    corpus, files = real_index
    said = {}
    for i, r in enumerate(search.order(corpus)):
        place = json.loads(files[f"tim/the/{i}.json"])["place"]
        if r.place.era == LEGACY:
            said[r.place.current_province.name != r.place.province.name] = ("(nay thuộc" in place, place)
    # The shipped roll has both: a renamed province (Hà Nam, now Ninh Bình) and a kept name.
    assert said[True][0], said[True][1]
    assert not said[False][0], said[False][1]


def test_a_syllable_lists_every_record_with_it_under_each_spelling(real_index):
    corpus, files = real_index
    order = search.order(corpus)
    hanh = next(i for i, r in enumerate(order) if r.name == "Nguyễn Thị Mỹ Hạnh")
    spellings = shard_with(files, "hanh")["hanh"]
    assert hanh in search.decode_ids(spellings["hạnh"][0]) and hanh in search.decode_ids(spellings["hạnh"][1])
    # "Đ" has no Unicode decomposition: it is folded to "d" by hand.
    assert "đường" in shard_with(files, "duong")["duong"]
    for key, variants in shard_with(files, "hanh").items():
        for every, names in variants.values():
            assert set(search.decode_ids(names)) <= set(search.decode_ids(every))


def test_stories_and_labels_are_not_indexed(corpus):
    corpus.add("a", VALID_PERSON + "story: Câu chuyện có một từ lạ là zyxwvu.\n", group="binh-duong/tan-uyen")
    model, report = validate(corpus.root)
    assert not report.errors
    files = search.build(model, {})
    keys = {k for name, text in files.items() if name.startswith("tim/s/") for k in json.loads(text)}
    assert "zyxwvu" not in keys and "nguyen" in keys
    assert "loai" not in keys and "ban" not in keys  # "Loại hồ sơ", "Địa bàn": labels on every page
    assert "zyxwvu" not in "".join(files.values())


def test_same_records_same_bytes_whatever_the_order(corpus):
    for i in range(6):
        corpus.add(f"r{i}", VALID_INITIATIVE.replace("Đường hoa quân sự", f"Đường hoa số {i}")
                   .replace("2022-12-31", f"2022-12-{20 + i}"))
    model, _ = validate(corpus.root)
    first = search.build(model, {})
    shuffled = list(model.records)
    random.Random(3).shuffle(shuffled)
    second = search.build(type(model)(**{**model.__dict__, "records": tuple(shuffled)}), {})
    assert first == second
    for name, text in first.items():  # shards and filters are named after their content
        if name.startswith(("tim/s/", "tim/f/")):
            assert name.split("/")[-1] == hashlib.sha256(text.encode()).hexdigest()[:12] + ".json"
