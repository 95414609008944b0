"""Escaping, sanitising and formatting used by the templates."""

from __future__ import annotations

import datetime as dt
import posixpath

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.site.render import front_matter_text, md_text, story_html, vi_date, vi_number


@pytest.mark.parametrize("text", [
    "*đậm* _nghiêng_ `mã`", "[liên kết](http://x)", "# tiêu đề", "1. danh sách", "- gạch", "a | b",
    "<b>thẻ</b> & ký tự", "{: .class onclick=x }", "\\ gạch chéo", "!{[]}()", "Hũ gạo: 3.450 kg = 2,1 tỷ ~ ^",
])
def test_md_text_renders_back_to_the_same_text(text):
    rendered = markdown.markdown(md_text(text), extensions=["tables"])
    plain = rendered.removeprefix("<p>").removesuffix("</p>")
    import html
    assert html.unescape(plain) == text
    assert "<b>" not in plain and "<em>" not in plain and "<a " not in plain


def test_md_text_folds_newlines():
    assert md_text("một\n\nhai") == "một hai"


def test_front_matter_is_escaped_yaml():
    import yaml
    value = front_matter_text('"><script>alert(1)</script>\nHạnh')
    assert yaml.safe_load(f"title: {value}")["title"] == "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; Hạnh"


def test_story_is_sanitised():
    out = str(story_html("Chữ **đậm**.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>"
                         "\n\n<a href='https://baoquangtri.vn' onclick='x'>báo</a>"))
    assert "<strong>đậm</strong>" in out
    assert "<script" not in out and "javascript:" not in out and "onerror" not in out and "onclick" not in out
    assert "<img" not in out
    assert 'href="https://baoquangtri.vn"' in out and 'rel="nofollow noopener noreferrer"' in out


def test_story_headings_are_demoted_below_the_page_sections():
    out = str(story_html("# Một\n\n## Hai\n\ntext"))
    assert "<h3>Một</h3>" in out and "<h4>Hai</h4>" in out and "<h1" not in out and "<h2" not in out


def test_story_is_one_raw_block_without_blank_lines():
    out = str(story_html("Đoạn một.\n\n\n\nĐoạn hai."))
    assert "\n\n" not in out and out.startswith('<div class="sv-story"')


@pytest.mark.parametrize("value, expected", [(3450, "3.450"), (2.1, "2,1"), (1500000, "1.500.000"), (95, "95"),
                                             (3.0, "3"), ("hàng tỷ", "hàng tỷ"), (12345.25, "12.345,25")])
def test_vi_number(value, expected):
    assert vi_number(value) == expected


def test_vi_date():
    assert vi_date(dt.date(2020, 7, 5)) == "05/07/2020"


@given(st.lists(st.sampled_from(["a", "b", "ho-so", "x.json"]), max_size=4),
       st.lists(st.sampled_from(["a", "b", "ho-so"]), max_size=4), st.booleans(), st.booleans())
def test_relative_urls_match_posixpath(target, here, target_dir, here_dir):
    from generator.core.urls import relative as _relative
    t = "/".join(target) + ("/" if target and target_dir else "")
    h = "/".join(here) + ("/" if here and here_dir else "")
    assert _relative(t, h) == posixpath.relpath(t or ".", h or ".")
