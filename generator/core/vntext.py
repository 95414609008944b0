"""Vietnamese text helpers: search folding, URL slugs and alphabetical order.

Python's default string order is code point order, which puts "Đ" after "Z"
and "Á" after "z"; Vietnamese dictionaries order by the letters of the
Vietnamese alphabet first and by tone only to break ties. Keys built here are
plain nested tuples of ints plus a final string, so sorting 100,000 records
stays cheap: every character is resolved through one dict lookup, and the
key of each word (names reuse a small stock of syllables) is memoised.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters of the Vietnamese alphabet, with f j w z slotted in at their Latin
# places so loanwords and foreign names still sort predictably.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=1)}
_NUMBER = 0  # marks a run of digits; below every letter rank, so digits sort first
_FOREIGN = 1000  # other letters go after z, ordered by code point

# Tone marks in Vietnamese order. Breve, circumflex and horn are *not* here:
# they change the letter (a -> ă), so they belong to the base letters.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Some keyboards and old encodings type Đ as Icelandic Ð (U+00D0), whose
# lower case is ð; nobody writes Icelandic in this site, so read both as đ.
_ETH_AS_DJE = str.maketrans({"Ð": "đ", "ð": "đ"})
_DJE_AS_D = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d"})

# Hyphens and dashes join words ("Bà Rịa - Vũng Tàu", "Ê-đê") but are read as
# word breaks; word processors often turn "-" into an en dash.
_HYPHENS_AS_SPACE = str.maketrans(dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212", " "))

_NON_SLUG = re.compile(r"[^a-z0-9]+")

_LETTER, _DIGIT, _SKIP = 0, 1, 2


def fold(text: str) -> str:
    """Lower case without diacritics, for search and matching: "Đức" -> "duc"."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_DJE_AS_D)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        # Recompose: NFD also splits things that are not diacritics (Hangul).
        text = unicodedata.normalize("NFC", bare)
    return " ".join(text.split())


def look_alike(text: str) -> str:
    """What a name looks like, for the duplicate check: "Nguyễn Văn А" with a Cyrillic А,
    "Ngu\u2060yễn Văn A" with a word joiner and "NGUYỄN VĂN A" give the same text.

    Case is folded first (UTS #39 skeletons are case-sensitive: "I" and "i" map apart), then
    ICU's confusable skeleton maps look-alikes from every script to one prototype and drops
    default-ignorable characters; diacritics stay (`slugify` of it drops them too)."""
    # Ð (Icelandic eth) passes for Đ in Vietnamese text; the skeleton keeps them apart.
    folded = unicodedata.normalize("NFC", text).translate(_ETH_AS_DJE).casefold()
    skeleton = _spoof_checker().getSkeleton(0, folded)
    # A doubled mark draws as one ("Hạ̣nh"): keep one of each run of the same combining mark.
    skeleton = _DOUBLED_MARK.sub(r"\1", unicodedata.normalize("NFD", skeleton))
    return " ".join(unicodedata.normalize("NFC", skeleton).split())


_DOUBLED_MARK = re.compile("([\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff])\\1+")


@functools.cache
def _spoof_checker():
    import icu  # imported on first use: only the duplicate check needs ICU

    return icu.SpoofChecker()


def vi_number(value) -> str:
    """3450 → 3.450, 2.1 → 2,1: Vietnamese separators. Text passes through."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, frac = f"{value}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def vi_date_text(d) -> str:
    """01/7/2025: the day with two digits and the month without, as laws and the press write a date in
    running text (the reform date, for one); tables and lists use `vi_date`."""
    return f"{d.day:02d}/{d.month}/{d.year}"


def vi_date(d) -> str:
    """05/07/2020: the day first, as Vietnamese write dates."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def slugify(text: str) -> str:
    """URL slug of ASCII letters, digits and single hyphens; "" if none."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")


def sort_key(text: str) -> tuple:
    """Key for Vietnamese alphabetical order, word by word."""
    text = unicodedata.normalize("NFC", text)
    # The normalised text breaks ties, so NFC and NFD input give equal keys.
    return (_word_keys(text), text)


def person_name_key(full_name: str) -> tuple:
    """Key for names the Vietnamese way: given name, middle names, family name.

    Same shape as `sort_key`, so people and other records can share one list."""
    text = unicodedata.normalize("NFC", full_name)
    words = _word_keys(text)
    if len(words) < 2:  # a one-word name is a given name
        return (words, text)
    return ((words[-1], *words[1:-1], words[0]), text)


def _word_keys(text: str) -> tuple:
    """One key per word of already-NFC text; words with no letter or digit vanish."""
    keys = (_word_key(word) for word in text.translate(_HYPHENS_AS_SPACE).split())
    return tuple(key for key in keys if key[0])


@functools.lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> tuple:
    """(base letters, tones): tones only count when all base letters are equal."""
    bases: list[int] = []
    tones: list[int] = []
    number = None
    for ch in word:
        kind, value, tone = _CHAR_INFO.get(ch) or _learn(ch)
        if kind == _DIGIT:
            number = value if number is None else number * 10 + value
            continue
        if number is not None:  # a digit run compares by its value: 2 < 10
            bases += (_NUMBER, number)
            number = None
        if kind == _LETTER:
            bases += value
        if tone:
            tones.append(tone)
    if number is not None:
        bases += (_NUMBER, number)
    # A syllable has one tone wherever the mark sits ("hoà" = "hòa"), so keep
    # the tones without their positions.
    return (tuple(bases), tuple(tones))


def _classify(ch: str) -> tuple:
    """(kind, value, tone) of one NFC character; see _word_key for the use."""
    if ch.isdecimal():
        return (_DIGIT, unicodedata.decimal(ch), 0)
    if not (ch.isalpha() or unicodedata.combining(ch)):
        return (_SKIP, (), 0)
    # casefold may expand (ß -> ss); NFD splits the tone off the letter.
    decomposed = unicodedata.normalize("NFD", ch.casefold().translate(_ETH_AS_DJE))
    tone = next((_TONES[m] for m in decomposed if m in _TONES), 0)
    # Recompose without the tone to get the shaped letter back: ặ -> ă.
    shaped = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
    ranks = tuple(_letter_rank(c) for c in shaped if not unicodedata.combining(c))
    return (_LETTER, ranks, tone)


def _letter_rank(ch: str) -> int:
    """Rank of a toneless lower-case letter; foreign marks (ü, ç) are dropped."""
    if ch in _RANK:
        return _RANK[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return _RANK.get(base, _FOREIGN + ord(base))


def _learn(ch: str) -> tuple:
    # Characters outside the precomputed set are rare; remember each once.
    info = _CHAR_INFO[ch] = _classify(ch)
    return info


def _common_characters() -> set[str]:
    """Every Vietnamese letter with every tone, both cases, plus ASCII."""
    chars = {chr(code) for code in range(32, 127)}
    for letter in _ALPHABET:
        for mark in ("", *_TONES):
            composed = unicodedata.normalize("NFC", letter + mark)
            if len(composed) == 1:  # f, j, w, z lack most toned forms
                chars.update((composed, composed.upper()))
    chars.update(_TONES)  # bare marks survive NFC when no precomposed form exists
    return chars


_CHAR_INFO: dict[str, tuple] = {}
for _ch in _common_characters():
    _learn(_ch)
del _ch


def toc_slugify(value: str, separator: str = "-") -> str:
    """Heading anchors for Python-Markdown's toc: 'Cột điện' → 'cot-dien', not 'cot-ien'."""
    return slugify(value).replace("-", separator)
