"""Personal data in a record's text (generator/personal.py): an error at its line and column."""

from __future__ import annotations

import pytest

from generator.validate import validate

from conftest import VALID_INITIATIVE, VALID_PERSON


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of `needle` in the fixture, computed from the text itself."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def errors(corpus, text: str, kind: str = "person"):
    base = VALID_PERSON if kind == "person" else VALID_INITIATIVE
    path = corpus.add("r", base + text, group="binh-duong/tan-uyen" if kind == "person" else "ha-nam/thanh-liem")
    _, report = validate(corpus.root)
    return path, base + text, report.errors


@pytest.mark.parametrize("extra, needle, what", [
    ("story: |\n  Chị Hạnh sống ở khu phố 3.\n\n  Liên hệ chị qua số 0912 345 678 hoặc hanh.nguyen@gmail.com.\n",
     "0912 345 678", "số điện thoại"),
    ("story: |\n  Đoạn đầu.\n\n  Liên hệ chị qua số 0912 345 678 hoặc hanh.nguyen@gmail.com.\n",
     "hanh.nguyen@gmail.com", "địa chỉ thư điện tử"),
    ("honours:\n  - title: Bằng khen\n    decision: \"CCCD 001099012345\"\n", "001099012345", "số căn cước công dân"),
    ("sources:\n  - title: Gọi +84 24 3825 1234 để biết thêm\n", "+84 24 3825 1234", "số điện thoại"),
])
def test_personal_data_is_an_error_at_its_position(corpus, extra, needle, what):
    path, text, found = errors(corpus, extra)
    matching = [e for e in found if needle in e.message]
    assert len(matching) == 1, found
    e = matching[0]
    assert (e.path, e.line, e.col) == (path, *position(text, needle))
    assert what in e.message and "Traceback" not in e.message


def test_an_organisation_may_publish_its_contact(corpus):
    _, _, found = errors(corpus, "contact: Đường dây nóng 0226 3851 234, doanthanhnien@hanam.gov.vn\n", kind="initiative")
    assert found == []


def test_a_contact_in_the_summary_points_to_the_contact_field(corpus):
    _, _, found = errors(corpus, "organization: Đoàn xã, điện thoại 0226 3851 234\n", kind="initiative")
    [e] = found
    assert "contact" in e.message and e.message.startswith("organization:")


def test_a_person_has_no_contact_field(corpus):
    _, _, found = errors(corpus, "contact: 0912 345 678\n")
    assert found and all("contact" in e.message for e in found)


@pytest.mark.parametrize("harmless", ["Quyết định 1234/QĐ-UBND", "Tiết kiệm 2.500.000.000 đồng", "Từ 01/7/2025",
                                      "Đạt 3450 kg", "Trên trục ĐT 499B", "Mã 0123", "0,5 tỷ đồng"])
def test_numbers_that_are_not_personal_data_pass(corpus, harmless):
    _, _, found = errors(corpus, f"organization: {harmless}\n", kind="initiative")
    assert found == []


def test_web_addresses_are_not_scanned(corpus):
    _, _, found = errors(corpus, "sources:\n  - title: Bài báo\n    url: https://baohanam.com.vn/tin/0912345678.html\n",
                         kind="initiative")
    assert found == []
