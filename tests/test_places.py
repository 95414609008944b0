"""The administrative-units registry of both eras."""

from __future__ import annotations

import pytest

from generator.records.places import CURRENT, LEGACY, registry, resolve


def test_registry_sizes_of_both_eras():
    reg = registry()
    assert len(reg.legacy_provinces.units) == 63
    assert len(reg.all_legacy_districts.units) == 696
    assert sum(len(i.units) for i in reg.legacy_communes.values()) > 10_000
    assert len(reg.current_provinces.units) == 34
    assert sum(len(i.units) for i in reg.current_communes.values()) == 3321


@pytest.mark.parametrize("old, new", [("Hà Nam", "Ninh Bình"), ("Bình Dương", "Hồ Chí Minh"), ("Long An", "Tây Ninh"),
                                      ("Quảng Trị", "Quảng Trị"), ("Quảng Bình", "Quảng Trị"), ("Kon Tum", "Quảng Ngãi")])
def test_old_provinces_merge_into_new_ones(old, new):
    reg = registry()
    assert reg.successor[reg.find_legacy_province(old)[0].code].short == new


@pytest.mark.parametrize("province, district, expected", [
    ("Hà Nam", "Thanh Liêm", ("Tỉnh Hà Nam", "Huyện Thanh Liêm")),
    ("Tỉnh Hà Nam", "Huyện Thanh Liêm", ("Tỉnh Hà Nam", "Huyện Thanh Liêm")),
    ("hà nam", "thanh liêm", ("Tỉnh Hà Nam", "Huyện Thanh Liêm")),
    ("Thừa Thiên Huế", "Phú Vang", ("Thành phố Huế", "Huyện Phú Vang")),  # renamed in the data set
])
def test_legacy_names_with_or_without_unit_word(province, district, expected):
    place, problems = resolve(province, district, None, LEGACY)
    assert problems == []
    assert (place.province.name, place.district.name) == expected


def test_same_district_name_in_two_provinces_is_decided_by_the_province():
    a, _ = resolve("Bình Dương", "Tân Uyên", None, LEGACY)
    b, _ = resolve("Lai Châu", "Tân Uyên", None, LEGACY)
    assert a.district.code != b.district.code
    assert a.current_province.short == "Hồ Chí Minh" and b.current_province.short == "Lai Châu"


def test_numbered_ward_is_found_by_its_full_name():
    place, problems = resolve("Long An", "Kiến Tường", "Phường 1", LEGACY)
    assert problems == [] and place.commune.name == "Phường 1"


def test_current_era_has_no_district():
    place, problems = resolve("Ninh Bình", None, None, CURRENT)
    assert problems == [] and place.district is None and place.current_province is place.province
    _, problems = resolve("Ninh Bình", "Thanh Liêm", None, CURRENT)
    assert [k for k, _ in problems] == ["district"]
