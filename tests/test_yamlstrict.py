"""The strict YAML reader: positioned nodes, text as typed, and what it refuses."""

from __future__ import annotations

import pytest

from generator.records import yamlstrict
from generator.records.yamlstrict import MAPPING, SCALAR, SEQUENCE, YamlProblem, parse_bytes, parse_file, parse_text

DOC = """\
# Hồ sơ thử
name: Đường hoa
place:
  province: Hà Nam
  district: Thanh Liêm
fields: [quoc-phong, moi-truong]
photos:
  - file: anh-1.jpg
    alt: Hai hàng hoa
"""


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle`."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def pos(node) -> tuple[int, int]:
    return node.line, node.col


def problem(text: str | bytes) -> tuple[tuple[int, int], str]:
    with pytest.raises(YamlProblem) as info:
        parse_bytes(text) if isinstance(text, bytes) else parse_text(text)
    return (info.value.line, info.value.col), info.value.message


# --- positions -----------------------------------------------------------------------

def test_positions_of_top_level_keys_and_values():
    root = parse_text(DOC)
    assert root.kind == MAPPING and pos(root) == at(DOC, "name:")
    assert pos(root.key_node("name")) == at(DOC, "name:")
    assert pos(root.get("name")) == at(DOC, "Đường hoa")
    assert pos(root.key_node("photos")) == at(DOC, "photos:")


def test_positions_of_nested_keys_and_values():
    place = parse_text(DOC).get("place")
    assert place.kind == MAPPING and pos(place) == at(DOC, "province:")
    assert pos(place.key_node("district")) == at(DOC, "district:")
    assert pos(place.get("district")) == at(DOC, "Thanh Liêm")


def test_positions_of_list_items():
    root = parse_text(DOC)
    fields = root.get("fields")
    assert fields.kind == SEQUENCE and pos(fields) == at(DOC, "[quoc-phong")
    assert [pos(n) for n in fields.items] == [at(DOC, "quoc-phong"), at(DOC, "moi-truong")]
    [photo] = root.get("photos").items
    assert photo.kind == MAPPING and pos(photo) == at(DOC, "file:")
    assert pos(photo.get("alt")) == at(DOC, "Hai hàng hoa")


def test_columns_count_characters_not_bytes():
    text = "a: 1\nplace: {province: Hà Nội, district: Ba Đình}\n"
    place = parse_text(text).get("place")
    assert pos(place.key_node("district")) == at(text, "district")
    assert pos(place.get("district")) == at(text, "Ba Đình")


def test_crlf_line_endings_keep_line_numbers():
    root = parse_text("a: 1\r\nb: 2\r\nc: 3\r\n")
    assert pos(root.get("c")) == (3, 4)


def test_node_lookup_of_a_missing_key():
    root = parse_text(DOC)
    assert root.get("summary") is None and root.key_node("summary") is None


# --- text kept as typed ------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["no", "yes", "on", "off", "true", "1:20", "007", "0x1F", "3.450", "2.1",
                                   "2020-01-01", "1e3", ".inf", "~", "null"])
def test_plain_scalar_text_is_kept_exactly(typed):
    node = parse_text(f"a: 1\nb: {typed}\n").get("b")
    assert node.kind == SCALAR and node.text == typed and node.plain is True


@pytest.mark.parametrize("typed, text", [('"no"', "no"), ("'1:20'", "1:20"), ('"007"', "007"),
                                         ("'it''s'", "it's"), ('"a\\tb"', "a\tb")])
def test_quoted_scalar_is_not_plain(typed, text):
    node = parse_text(f"a: 1\nb: {typed}\n").get("b")
    assert node.text == text and node.plain is False


@pytest.mark.parametrize("indicator, text", [("|", "Dòng một\n\nDòng hai\n"), (">-", "Dòng một\nDòng hai")])
def test_block_scalars_are_not_plain(indicator, text):
    node = parse_text(f"a: 1\nb: {indicator}\n  Dòng một\n\n  Dòng hai\n").get("b")
    assert node.text == text and node.plain is False and pos(node) == (2, 4)


def test_empty_value_is_an_empty_plain_scalar():
    node = parse_text("a: 1\nb:\n").get("b")
    assert (node.kind, node.text, node.plain) == (SCALAR, "", True)


# --- problems, with their positions -------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("a: 1\nname: x\nb: 2\nname: y\n", "name"),
    ("a: 1\nplace:\n  province: x\n  district: y\n  province: z\n", "province"),
], ids=["top-level", "nested"])
def test_duplicate_key(text, key):
    position, message = problem(text)
    assert position == at(text, f"{key}:", nth=2)
    assert f"'{key}'" in message and f"dòng {at(text, f'{key}:')[0]}" in message


@pytest.mark.parametrize("text, needle, hint", [
    ("a: 1\nplace:\n  province: x\n district: y\n", "district", "thụt lề"),
    ("a: 1\nb: c: d\n", ": d", "':'"),
    ("a: 1\nb: @x\n", "@x", "ngoặc kép"),
    ("a: 1\nb:\n  - x\n  c: 2\n", "c: 2", "'- '"),
    ("a: 1\nb: - x\n", "- x", "'- '"),
], ids=["indentation", "colon-in-value", "reserved-character", "list-indentation", "list-after-key"])
def test_syntax_errors(text, needle, hint):
    position, message = problem(text)
    assert position == at(text, needle)
    assert message.startswith("lỗi cú pháp YAML") and hint in message


@pytest.mark.parametrize("text", ["a: 1\nplace:\n\tprovince: x\n", "a: 1\nplace:\n  province: x\n\tdistrict: y\n"])
def test_tab_indentation(text):
    position, message = problem(text)
    assert position == at(text, "\t")
    assert message.startswith("lỗi cú pháp YAML") and "tab" in message


@pytest.mark.parametrize("text", ["", "\n\n", "# chỉ có ghi chú\n"])
def test_empty_document(text):
    position, message = problem(text)
    assert position == (1, 1) and "trống" in message


@pytest.mark.parametrize("text, needle, word", [
    ("a: 1\n---\nb: 2\n", "---", "---"),
    ("a: 1\n...\n---\nb: 2\n", "---", "---"),
    ("a: 1\nb: &x 2\n", "&x", "&"),
    ("a: 1\nb: *x\n", "*x", "*"),
    ("a: 1\nb: !!python/object:os.system x\n", "!!python", "python/object"),
    ("a: 1\nb: !local x\n", "!local", "!local"),
    ("a: 1\n[b]: 2\n", "[b]", "khoá"),
    ("a: 1\n? {b: 1}\n: 2\n", "{b", "khoá"),
], ids=["second-document", "second-document-after-end", "anchor", "alias", "python-tag", "local-tag",
        "list-as-key", "mapping-as-key"])
def test_refused_constructs(text, needle, word):
    position, message = problem(text)
    assert position == at(text, needle) and word in message


def test_tag_is_named_as_typed():
    _, message = problem("a: 1\nb: !!python/object:os.system x\n")
    assert "!!python/object:os.system" in message


def test_not_utf8():
    position, message = problem(b"a: 1\nname: \xff\n")
    assert position == (2, 7) and "UTF-8" in message


def test_not_utf8_column_counts_characters():
    position, _ = problem("a: 1\nname: Đường \udcff\n".encode("utf-8", "surrogateescape"))
    assert position == (2, 13)  # "name: Đường " is 12 characters (15 bytes)


def test_control_character_is_reported_where_it_is():
    text = "a: 1\nb: 2\nname: Đường\x1bhoa\n"
    position, message = problem(text)
    assert position == at(text, "\x1b")
    assert "ký tự điều khiển" in message and "unacceptable" not in message


def test_bom_is_accepted():
    root = parse_bytes(b"\xef\xbb\xbfa: 1\nname: x\n")
    assert [k.text for k, _ in root.items] == ["a", "name"]
    assert pos(root.key_node("a")) == (1, 1) and pos(root.get("name")) == (2, 7)


def test_nesting_depth_limit():
    depth = yamlstrict.MAX_DEPTH  # the root mapping is level 1, each bracket one more
    ok = "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"
    parse_text(ok)
    text = "a: " + "[" * depth + "]" * depth + "\n"
    position, message = problem(text)
    assert position == (1, len("a: ") + depth) and str(depth) in message


def test_deep_nesting_does_not_recurse_forever():
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    position, message = problem(text)
    assert position == (1, len("a: ") + yamlstrict.MAX_DEPTH) and "sâu" in message


def test_file_size_limit(tmp_path):
    path = tmp_path / "entry.yml"
    path.write_bytes(b"a: " + b"x" * yamlstrict.MAX_BYTES + b"\n")
    with pytest.raises(YamlProblem) as info:
        parse_file(path)
    assert (info.value.line, info.value.col) == (1, 1) and "quá lớn" in info.value.message


def test_unknown_libyaml_message_keeps_its_text():
    assert yamlstrict.translate_yaml_error("something new") == "lỗi cú pháp YAML (something new)"
