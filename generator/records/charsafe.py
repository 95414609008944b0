"""Which code points a record's text may hold.

Record text reaches YAML front matter, HTML, SVG, XML, JSON, CSV and log
lines. Each of those has characters that end or change a construct, and
YAML escapes in quoted scalars ("\\x85", "\\u202e") let an editor type any
code point at all. Rather than trust every writer downstream to cope, the
validator refuses what no honour-roll text needs:

- control characters (Cc): newline and tab only in multi-line text, where
  YAML itself puts them; a C1 control (U+0080–U+009F) is not printable YAML
  and once broke the front matter open;
- format characters (Cf): zero-width spaces and joiners, soft hyphens, word
  joiners and the bidirectional overrides and isolates, which hide or reorder
  what a reviewer reads; the zero-width joiner only inside multi-line text,
  where emoji sequences use it;
- surrogates (Cs), which no encoder writes, private-use code points (Co),
  whose glyph depends on the reader's fonts, and the 66 non-characters;
- line and paragraph separators (U+2028/U+2029), newlines to YAML and
  JavaScript but not to Python's `str.splitlines` users' eyes;
- fillers that render as blank (Hangul fillers, the blank Braille pattern),
  used to make a name that looks empty or to slip between letters.
"""

from __future__ import annotations

import re
import unicodedata

_BREAKS = frozenset("\n\t")
_JOINER = "\u200d"
# Letters and symbols that draw nothing: a "name" of these looks empty, and
# inside a word they split it for the duplicate check without showing.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_SEPARATORS = frozenset("\u2028\u2029")
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

_WHAT = {
    "Cc": "ký tự điều khiển",
    "Cf": "ký tự định dạng vô hình",
    "Cs": "nửa cặp mã thay thế (surrogate), không phải ký tự",
    "Co": "ký tự dùng riêng (private use), mỗi máy hiện một kiểu",
}


_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
# What `str.isprintable` lets through but we refuse: the whole check runs at C speed on clean text.
_SUSPECT = re.compile(f"[{_NONCHARACTERS}{''.join(sorted(BLANK_LOOKING))}]")


def is_noncharacter(cp: int) -> bool:
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def unsafe_character(text: str, allow_breaks: bool) -> str | None:
    """Vietnamese message naming the first code point `text` may not hold, or None."""
    probe = text.replace("\n", " ").replace("\t", " ").replace(_JOINER, "") if allow_breaks else text
    if probe.isprintable() and not _SUSPECT.search(probe):
        return None
    for index, ch in enumerate(text, start=1):
        what = _forbidden(ch, allow_breaks)
        if what:
            return (f"chứa {what} U+{ord(ch):04X}{_name(ch)} ở ký tự thứ {index} của giá trị; "
                    "ký tự này không nhìn thấy hoặc làm hỏng trang, hãy xoá nó (thường do sao chép từ Word, "
                    "Facebook hay trang web)")
    return None


def _forbidden(ch: str, allow_breaks: bool) -> str | None:
    if ch.isprintable() and ch not in BLANK_LOOKING:
        if is_noncharacter(ord(ch)):  # isprintable() says yes to U+FDD0 and friends
            return "mã không phải ký tự (noncharacter)"
        return None
    if ch == " " or (allow_breaks and (ch in _BREAKS or ch == _JOINER)):
        return None
    if ch in BLANK_LOOKING:
        return "ký tự trống giả chữ"
    if ch in _BIDI:
        return "ký tự đảo chiều văn bản"
    if ch == "\n":
        return "ký tự xuống dòng (trường này chỉ viết trên một dòng)"
    if ch in _SEPARATORS:
        return "ký tự ngắt dòng đặc biệt (muốn xuống dòng thì nhấn Enter)"
    if is_noncharacter(ord(ch)):
        return "mã không phải ký tự (noncharacter)"
    category = unicodedata.category(ch)
    if category in _WHAT:
        return _WHAT[category]
    if category == "Cn" and _default_ignorable(ord(ch)):
        return "ký tự vô hình chưa được định nghĩa"
    # Zs (no-break and other spaces, which isprintable() refuses) and other Cn (unassigned in
    # this Python's Unicode, e.g. a newer emoji) are harmless as text.
    return None


def _default_ignorable(cp: int) -> bool:
    # Unassigned but reserved as Default_Ignorable_Code_Point: browsers draw nothing for them,
    # so they can split a phone number or a name without showing.
    return 0x2065 <= cp <= 0x2065 or 0xFFF0 <= cp <= 0xFFF8 or 0xE0000 <= cp <= 0xE0FFF or 0x1D173 <= cp <= 0x1D17A


def _name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f" ({name})" if name else ""


def visible(text: str) -> bool:
    """True if `text` shows at least one letter, digit, punctuation or symbol."""
    return any(ch not in BLANK_LOOKING and unicodedata.category(ch)[0] in "LNPS"
               for ch in text)


def bmp_class(allow_breaks: bool) -> str:
    """The forbidden code points of the Basic Multilingual Plane as a regular-expression class
    of \\uXXXX ranges, read by both ECMA-262 and Python: the JSON Schema's copy of this rule,
    derived from it. (Astral code points need syntax the two dialects don't share.)"""
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        if _forbidden(chr(cp), allow_breaks):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    parts = (f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)
    return "[" + "".join(parts) + "]"


# --- Characters that stand where YAML wants a plain space or a list dash ------------------------
#
# Word, web pages and phone keyboards put these at the start of a line: a no-break space where
# the editor typed spaces, the ideographic space of an East Asian input method, the bullets and
# dashes of Word's automatic lists. They look like indentation or a list item to a person and
# are ordinary text to YAML, which then reads a key or a list where neither was meant; the
# reader (`yamlstrict`) names them instead of reporting what YAML made of them.

_OTHER_BLANKS = frozenset("\u200b\u2060\ufeff\u180e")  # zero-width: format characters, not Zs
BULLETS = frozenset("•◦▪▫●○■□‣⁃∙·–—−►▸▶➢➤✓✔\uf0b7\uf0a7\uf0d8\uf076")  # the \uf0xx: Word's Symbol-font bullets
_VIETNAMESE = {
    "\u00a0": "dấu cách không ngắt",
    "\u202f": "dấu cách hẹp không ngắt",
    "\u2007": "dấu cách bằng chữ số",
    "\u2009": "dấu cách mảnh",
    "\u3000": "dấu cách của bộ gõ tiếng Trung, Nhật",
    "\u200b": "dấu cách không nhìn thấy",
    "\ufeff": "ký tự BOM không nhìn thấy",
    "\u2060": "ký tự nối từ không nhìn thấy",
    "•": "dấu chấm đầu dòng của Word",
    "◦": "dấu tròn rỗng đầu dòng của Word",
    "▪": "dấu vuông đầu dòng của Word",
    "–": "dấu gạch ngang dài",
    "—": "dấu gạch ngang rất dài",
    "\uf0b7": "dấu chấm đầu dòng phông Symbol của Word",
}


def odd_blank(ch: str) -> bool:
    """A character that shows as a space (or nothing) but is not the space YAML indents with."""
    return ch != " " and (ch in _OTHER_BLANKS or unicodedata.category(ch) == "Zs")


def char_name(ch: str) -> str:
    """The code point, its Unicode name and, for the usual culprits, what editors call it."""
    words = [w for w in (unicodedata.name(ch, ""), _VIETNAMESE.get(ch, "")) if w]
    return f"U+{ord(ch):04X}" + (f" ({': '.join(words)})" if words else "")
