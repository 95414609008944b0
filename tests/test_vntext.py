import random
import unicodedata

import pytest

from generator.core.vntext import fold, person_name_key, slugify, sort_key


def nfd(text):
    return unicodedata.normalize("NFD", text)


# --- fold -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nguyễn Thị Mỹ Hạnh", "nguyen thi my hanh"),
        ("ĐẶNG Đức", "dang duc"),
        ("Hũ gạo  tiết kiệm", "hu gao tiet kiem"),
        ("  Ưu\tái \n Ơn  ", "uu ai on"),
    ],
)
def test_fold_examples(text, expected):
    assert fold(text) == expected


def test_fold_nfd_equals_nfc():
    text = "Nguyễn Thị Mỹ Hạnh, ĐẶNG Đức, Hũ gạo tiết kiệm"
    assert nfd(text) != text  # the input really is decomposed
    assert fold(nfd(text)) == fold(text) == "nguyen thi my hanh, dang duc, hu gao tiet kiem"


def test_fold_leaves_ascii_alone_apart_from_case_and_whitespace():
    assert fold("  Hello,\tWORLD!  #42 (a-b)_c/d ") == "hello, world! #42 (a-b)_c/d"


def test_fold_reads_eth_as_dje():
    # U+00D0 is often typed for Đ by mistake.
    assert fold("\u00d0ỗ") == "do"


def test_fold_keeps_letters_without_diacritics_whole():
    # NFD splits Hangul syllables into jamo; fold must put them back.
    assert fold("Hàn Quốc 한국") == "han quoc 한국"


# --- slugify ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thành phố Hồ Chí Minh", "thanh-pho-ho-chi-minh"),
        ("Phường 1", "phuong-1"),
        ("Đường hoa quân sự!", "duong-hoa-quan-su"),
        ("  --Bà Rịa – Vũng Tàu--  ", "ba-ria-vung-tau"),
    ],
)
def test_slugify_examples(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "!!! -- ...", "–—/?&"])
def test_slugify_without_letters_or_digits_is_empty(text):
    assert slugify(text) == ""


def test_slugify_nfd_equals_nfc():
    assert slugify(nfd("Đường hoa quân sự!")) == "duong-hoa-quan-su"


# --- sort_key ---------------------------------------------------------------


def test_sort_vowel_shapes_and_dje():
    words = ["Đức", "Dung", "Êm", "Em", "Ăn", "An", "Ân", "Ơn", "Ôn", "On", "Ưa", "Ua"]
    expected = ["An", "Ăn", "Ân", "Dung", "Đức", "Em", "Êm", "On", "Ôn", "Ơn", "Ua", "Ưa"]
    assert sorted(words, key=sort_key) == expected


def test_sort_tones():
    assert sorted(["má", "mà", "mạ", "mã", "ma", "mả"], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_sort_word_by_word():
    assert sort_key("Hà Nam") < sort_key("Hà Nội") < sort_key("Hải Dương")
    assert sort_key("Bình Dương") < sort_key("Bình Định")


def test_sort_shorter_prefix_first():
    assert sort_key("An") < sort_key("An Bình")
    assert sort_key("An Bình") < sort_key("Anh")


def test_sort_base_letters_before_tone():
    # Tone only breaks ties: "mạ" has the heaviest tone but fewer letters.
    assert sort_key("mạ") < sort_key("man")
    assert sort_key("Bà") < sort_key("Bạc") < sort_key("Bắc")


def test_sort_latin_letters_and_digits():
    words = ["z", "y", "x", "w", "v", "k", "j", "i", "g", "f", "ê", "e", "9", "1"]
    expected = ["1", "9", "e", "ê", "f", "g", "i", "j", "k", "v", "w", "x", "y", "z"]
    assert sorted(words, key=sort_key) == expected


def test_sort_numbers_by_value():
    words = ["Phường 10", "Phường 2", "Phường 1", "Phường Bến Nghé"]
    assert sorted(words, key=sort_key) == ["Phường 1", "Phường 2", "Phường 10", "Phường Bến Nghé"]


def test_sort_ignores_punctuation():
    assert sort_key("(An)")[0] == sort_key("An")[0]
    assert sort_key("Bà Rịa - Vũng Tàu")[0] == sort_key("Bà Rịa Vũng Tàu")[0]
    assert sort_key("H'Mông")[0] == sort_key("Hmông")[0]


def test_sort_hyphen_separates_words():
    assert sort_key("Ê-đê")[0] == sort_key("Ê đê")[0]
    assert sort_key("Ê-đê")[0] != sort_key("Êđê")[0]


def test_sort_reads_eth_as_dje():
    assert sort_key("\u00d0ức")[0] == sort_key("Đức")[0]
    assert sort_key("Dung") < sort_key("\u00d0ức") < sort_key("Em")


def test_sort_key_nfd_equals_nfc():
    for text in ["Nguyễn Thị Mỹ Hạnh", "Đặng Ứng", "Bà Rịa - Vũng Tàu", "Thừa Thiên Huế"]:
        assert nfd(text) != text
        assert sort_key(nfd(text)) == sort_key(text)


def test_sort_key_ignores_tone_mark_position():
    # Old style "hoà" and new style "hòa" are the same syllable.
    assert sort_key("Hoà Bình")[0] == sort_key("Hòa Bình")[0]


def test_sort_case_only_matters_for_final_tiebreak():
    lower, upper = sort_key("đặng ứng"), sort_key("ĐẶNG ỨNG")
    assert lower[:-1] == upper[:-1]
    assert lower != upper
    assert sorted(["đặng ứng", "ĐẶNG ỨNG"], key=sort_key) == ["ĐẶNG ỨNG", "đặng ứng"]
    # Case never overrides letters: lower "an" still precedes upper "ĂN".
    assert sort_key("an") < sort_key("ĂN")


def test_sort_key_is_plain_tuples():
    def leaves(value):
        if isinstance(value, tuple):
            for item in value:
                yield from leaves(item)
        else:
            yield value

    key = sort_key("Phường 12, Bà Rịa – Vũng Tàu")
    assert isinstance(key, tuple)
    assert all(type(leaf) in (int, str) for leaf in leaves(key))


PROVINCES = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thành phố Hồ Chí Minh",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sort_provinces(seed):
    shuffled = PROVINCES[:]
    random.Random(seed).shuffle(shuffled)
    assert shuffled != PROVINCES
    assert sorted(shuffled, key=sort_key) == PROVINCES


def test_sort_provinces_nfd_and_reversed():
    names = [nfd(name) for name in reversed(PROVINCES)]
    assert sorted(names, key=sort_key) == [nfd(name) for name in PROVINCES]


def test_sort_provinces_differs_from_code_point_order():
    # Guards the province test: plain sorted() must get this list wrong.
    assert sorted(PROVINCES) != PROVINCES


# --- person_name_key --------------------------------------------------------


def test_person_names_by_given_name():
    names = ["Trần Thanh Bình", "Nguyễn Thị Mỹ Hạnh", "Võ Đức Trung", "Nguyễn Văn An"]
    expected = ["Nguyễn Văn An", "Trần Thanh Bình", "Nguyễn Thị Mỹ Hạnh", "Võ Đức Trung"]
    assert sorted(names, key=person_name_key) == expected


def test_person_names_then_middle_then_family():
    names = ["Trần Văn An", "Lê Văn An", "Nguyễn Thị An", "Lê An", "An", "Đỗ Thị An"]
    expected = ["An", "Lê An", "Đỗ Thị An", "Nguyễn Thị An", "Lê Văn An", "Trần Văn An"]
    assert sorted(names, key=person_name_key) == expected


def test_person_name_one_word_is_given_name():
    assert person_name_key("Hạnh") < person_name_key("Nguyễn Hạnh")
    assert person_name_key("Hạnh") > person_name_key("Nguyễn Văn Bình")


def test_person_name_key_nfd_and_case():
    name = "Nguyễn Thị Mỹ Hạnh"
    assert person_name_key(nfd(name)) == person_name_key(name)
    assert person_name_key(name.upper())[:-1] == person_name_key(name)[:-1]
    assert person_name_key(name.upper()) != person_name_key(name)
