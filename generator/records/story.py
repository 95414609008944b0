"""A record's story: Markdown in, sanitised HTML out, and the text a reader sees.

The renderer puts `story_html` on the record page; the validator reads
`visible_text` for personal data, because Markdown and HTML can split a number
in the source ("0912![](x)345678") that the page then shows whole.
"""

from __future__ import annotations

import html
import re

import markdown
import nh3
from markupsafe import Markup

from . import weblinks

_STORY_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "a", "h3", "h4", "h5", "h6", "code", "pre", "hr"}
_STORY_ATTRS = {"a": {"href", "title"}}
# Only what Markdown or HTML gives a meaning to can make the page differ from the source.
MARKUP = re.compile(r"[\[\]<>!*_`&\\]")
_TAG = re.compile(r"<[^>]*>")

# One converter for every story: building a Markdown instance costs more than converting a story.
_STORY_MD = markdown.Markdown(extensions=["sane_lists"], output_format="html")


def story_html(text: str) -> Markup:
    """Markdown story to sanitised HTML, inside one raw block so MkDocs does not reparse it."""
    body = _STORY_MD.reset().convert(text)
    body = re.sub(r"<(/?)h([1-6])", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}", body)
    clean = nh3.clean(body, tags=_STORY_TAGS, attributes=_STORY_ATTRS, url_schemes=set(weblinks.SCHEMES),
                      link_rel="nofollow noopener noreferrer", attribute_filter=_public_href)
    # Blank lines would end Markdown's raw HTML block early; they carry no meaning in HTML.
    clean = re.sub(r"\n\s*\n", "\n", clean)
    # Fence characters as entities: were the raw block ever read as Markdown again (a fence
    # left open above it), a "~~~" or "```" line in the story could not close that fence
    # and hand the rest of the story, links and all, back to Markdown.
    clean = clean.replace("~", "&#126;").replace("`", "&#96;")
    return Markup(f'<div class="sv-story" markdown="0">\n{clean}\n</div>')


def _public_href(tag: str, attribute: str, value: str) -> str | None:
    # nh3 keeps relative URLs ("../x", "//[::1"); a story only links out (generator/records/weblinks.py).
    return value if attribute != "href" or weblinks.is_public(value) else None


def visible_text(text: str) -> str:
    """The story's words as the page shows them: tags gone, entities decoded. Block ends become
    spaces; inline tags vanish, as they do on the page ("0912<b>345</b>678" reads 0912345678)."""
    body = re.sub(r"</?(?:p|br|li|ul|ol|blockquote|h[1-6]|pre|hr)\b[^>]*>", " ", story_html(text))
    return html.unescape(_TAG.sub("", body))
