"""Hostile text for the property and fuzz tests (tests/test_properties.py).

Text is drawn from all of Unicode: every general category (controls, format
characters, surrogates, private use, unassigned), the characters that ever
broke YAML front matter, and Markdown and HTML attacks. `yaml_quoted` writes
any of it into entry.yml as a double-quoted scalar with escapes, so even code
points a YAML file may not hold raw reach the validator.
"""

from __future__ import annotations

import html
import unicodedata

from hypothesis import strategies as st

from generator.records.charsafe import unsafe_character

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "![x](javascript:alert(1))",
    "<iframe src=//evil.example></iframe>", "<object data=x></object>", "<embed src=x>", "<svg onload=alert(1)>",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>", "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "[x]( javascript:alert(1) )", "[x]: javascript:alert(1)\n\n[y][x]", "<base href=//evil.example>",
    "<meta http-equiv=refresh content=0;url=//evil.example>", "<form action=//evil.example><button>x</button></form>",
    "<style>body{display:none}</style>", "<details open ontoggle=alert(1)>", "<a href=\"vbscript:x\">v</a>",
    "{{ 7*7 }}", "{% include 'mkdocs.yml' %}", "--8<-- \"mkdocs.yml\"", "{: onclick=\"alert(1)\" }", "<<script>script>",
    "&lt;script&gt;", "`<script>`", "<!-- x -->", "]]>", "\u202eevil", "[x](<javascript:alert(1)>)", "<a href=&#106;avascript:x>",
    "*em* **b** # h", "| a | b |\n| - | - |\n| <script> | x |", "\\", "'", "\"", "&", "<", ">",
]

# More Markdown and HTML: autolinks, off-site images, attribute lists, raw blocks, entities.
MARKUP = [
    "<javascript:alert(1)>", "<https://evil.example/>", "![x](https://evil.example/x.png)", "![x](//evil.example/x.png)",
    "<img src=https://evil.example/x.png>", "<img src=//evil.example/x.png>", "[x](//evil.example)",
    "[x][1]\n\n[1]: javascript:alert(1)", "<div markdown=\"1\">*x* [y](javascript:alert(1))</div>",
    "<div markdown=\"1\">\n\n[y](javascript:alert(1))\n\n</div>", "# x {: onclick=\"alert(1)\" }", "x\n{: onclick=alert(1) }",
    "{#id .c onmouseover=alert(1)}", "<a href=\"java\tscript:alert(1)\">x</a>", "<a href=\" javascript:alert(1)\">x</a>",
    "&#x6A;avascript:alert(1)", "&#0000106;", "&lt;img src=x onerror=alert(1)&gt;", "<!--", "-->", "<![CDATA[x]]>",
    "</title><script>alert(1)</script>", "</textarea>", "\"><svg/onload=alert(1)>", "' onmouseover='alert(1)",
    "```\n<script>\n```", "    <script>alert(1)</script>", "> <script>", "1. <script>", "***", "___", "- - -",
    "<!DOCTYPE html>", "<?php ?>", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "=HYPERLINK(\"https://evil.example\")", "+1+1", "-1+1", "@SUM(1)", "\t=1", "=cmd|' /C calc'!A0",
    "\\[x\\](javascript:alert(1))", "[x](javascript&colon;alert(1))", "&amp;", "&quot;", "%0a", "%00",
]

# What ended or changed a YAML front-matter block, or a YAML scalar, or a line.
BREAKERS = [chr(cp) for cp in range(0x80, 0xA0)] + [
    "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\n---\n", "\n...\n", "---", "...", "\r", "\r\n", "\n",
    "\n\n", "\t", '"', "'", ": ", " #", "#", ":", "- ", "? ", "|", ">", "!", "&a", "*a", "%YAML 1.1", "{", "}", "[", "]",
    ",", "`", "@", "\\", "\\n", "\\x85", "\\u2028", "\"\n---\ntitle: x", "\ntitle: pwned\n",
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1f", "\x7f",
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u061c", "\u00ad",
    "\u2060", "\u180e", "\ufff9", "\U000e0001", "\U000e007f",
    "\ud800", "\udfff", "\udbff\udfff",
    "\ue000", "\uf8ff", "\U000f0000", "\U0010fffd",
    "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff",
    "\u115f", "\u1160", "\u3164", "\uffa0", "\u2800",
    "\xa0", "\u2000", "\u3000", "\u0378", "\U000e0000",
    "e\u0301", "\u1ea1", "Đ", "\u0110\u0300", "\U0001f469\u200d\U0001f467", "\ufb01", "\u2126",
]

# Fenced code blocks (MkDocs always loads fenced_code): a summary "~~~" once opened a fence that a
# "~~~" line in the story's <pre> closed, handing the rest of the story back to Markdown
# (test_properties.test_a_fence_opened_by_the_summary_does_not_reopen_the_story).
FENCES = ["~~~", "~~~~", "~~~ python", "\n~~~\n", "```", "\n```\n",
          "    a\n    ~~~\n    [1]: javascript:alert(1)\n    [x][1]"]

SPECIAL = [b for b in BREAKERS if len(b) == 1]

code_point = st.one_of(
    st.characters(exclude_categories=()),  # every category: Cc, Cf, Cs, Co, Cn, Zl, Zp included
    st.integers(0, 0x10FFFF).map(chr),  # uniform over the code space: mostly unassigned and private use
    st.sampled_from(SPECIAL),
)
fragment = st.one_of(
    st.sampled_from(BREAKERS), st.sampled_from(HOSTILE), st.sampled_from(MARKUP), st.sampled_from(FENCES),
    st.text(alphabet=code_point, max_size=10), st.sampled_from([" ", "  ", "\n", "Nguyễn", "Hạnh", "x"]),
)


def any_text(max_parts: int = 6) -> st.SearchStrategy[str]:
    """Text from all of Unicode, with front-matter breakers and Markdown/HTML attacks."""
    return st.lists(fragment, min_size=1, max_size=max_parts).map("".join)


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: printable ASCII as is, every other code point escaped."""
    out = ['"']
    for ch in text:
        cp = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= cp < 0x7F:
            out.append(ch)
        elif cp < 0x100:
            out.append(f"\\x{cp:02x}")
        elif cp < 0x10000:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    out.append('"')
    return "".join(out)


def norm(value: str) -> str:
    """A value on one line, as pages and front matter print it."""
    return " ".join(value.split())


def front(value: str) -> str:
    """What a front-matter field must read back as: the one-line value, HTML-escaped."""
    return html.escape(norm(value))


def acceptable(text: str, allow_breaks: bool) -> str:
    """`text` without the code points the validator refuses (NFC first, as the validator reads it)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if unsafe_character(ch, allow_breaks) is None)
