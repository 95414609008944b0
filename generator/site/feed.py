"""The Atom feed (`feed.xml`, RFC 4287): the latest records, newest first.

A plain function from the model to `{docs-relative path: bytes}`; the pipeline
writes it into the docs folder beside the Markdown and MkDocs copies it as it
is. Deterministic: the same corpus gives the same bytes; no clock is read,
every date comes from the records. An entry says no more than the record's
page: its title, summary, date, author, fields and first published photo
(model.WITHHELD["feed"] lists the rest, with the reasons).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from ..core import urls
from ..media.images import published_renditions
from ..records.model import Corpus, Record
from .order import latest
from .publisher import DEFAULT, Publisher

# The feed names the publisher's site (publisher.py): its title, author and credit line.
FEED_SUBTITLE = "Các cá nhân, tập thể và mô hình tiêu biểu mới được ghi danh trong {site}."
LICENCE = "Dữ liệu được công bố để mọi người cùng sử dụng; khi dùng lại, hãy ghi nguồn {site}."
GENERATOR = "sovang"

FEED_LIMIT = 50

ATOM_NS = "http://www.w3.org/2005/Atom"
# Tag URIs (RFC 4151) name things independently of where the site is hosted, so an
# entry keeps its id when the site moves to another domain. `.invalid` (RFC 2606)
# can never be registered by anyone else.
TAG_PREFIX = "tag:sovang.invalid,2025:"
FEED_ID = TAG_PREFIX + "feed"
# Vietnam has no daylight saving: every record date is midnight in UTC+7.
TIME_OF_DAY = "T00:00:00+07:00"
# The feed's <updated> when there is no record at all (Atom requires one): the tag date.
EMPTY_FEED_DATE = dt.date(2025, 1, 1)
# Characters XML 1.0 forbids in any document. Validation already refuses control
# characters in records; this keeps the feed well-formed whatever the model holds.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _timestamp(day: dt.date) -> str:
    return day.isoformat() + TIME_OF_DAY


def atom_feed(corpus: Corpus, site_url: str | None, photos: dict[str, tuple] | None = None,
              limit: int = FEED_LIMIT, publisher: Publisher = DEFAULT) -> dict[str, bytes]:
    """`feed.xml`: the latest `limit` records by date, newest first (ties in Vietnamese name order).

    Without `site_url`, entry links are relative ("ho-so/<slug>/"). RFC 4287 resolves them
    against the feed's own address, but many feed readers do not: a published site should
    pass its address (mkdocs.yml `site_url`). Entry ids never depend on it.
    """
    base = urls.base(site_url)
    records = latest(corpus.records, max(limit, 0))
    updated = corpus.newest or EMPTY_FEED_DATE

    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "vi"})
    _sub(feed, "id", base or FEED_ID)
    _sub(feed, "title", publisher.site_name)
    _sub(feed, "subtitle", FEED_SUBTITLE.format(site=publisher.site_name))
    _sub(feed, "updated", _timestamp(updated))
    if base:
        ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": base + urls.FEED})
        ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": base})
    author = ET.SubElement(feed, "author")
    _sub(author, "name", publisher.by_line)
    if publisher.email:
        _sub(author, "email", publisher.email)
    _sub(feed, "rights", LICENCE.format(site=publisher.site_name))
    _sub(feed, "generator", GENERATOR)
    for record in records:
        feed.append(_entry(record, site_url, published_renditions(record, photos), publisher))

    ET.indent(feed, space=" ")
    body = ET.tostring(feed, encoding="unicode")
    return {urls.FEED: ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")}


def _entry(record: Record, site_url: str | None, renditions: list, publisher: Publisher) -> ET.Element:
    entry = ET.Element("entry")
    # The id names the record for ever: spelled here, not taken from urls, so that a change of URLs
    # never makes readers see every entry again as new.
    _sub(entry, "id", f"{TAG_PREFIX}ho-so/{record.slug}")
    _sub(entry, "title", record.name)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": urls.record_url(record.slug, site_url)})
    if renditions:  # the first photo, as readers show an image enclosure beside the entry
        ET.SubElement(entry, "link", {"rel": "enclosure", "type": "image/jpeg",
                                      "href": urls.absolute(renditions[0].jpeg.path, site_url)})
    # A year or a month is dated by its first day: Atom needs a full timestamp.
    _sub(entry, "published", _timestamp(record.date.first))
    _sub(entry, "updated", _timestamp(record.date.first))
    _sub(entry, "summary", record.summary)  # type="text" (the default): readers show it as is
    author = ET.SubElement(entry, "author")
    _sub(author, "name", record.organization or publisher.by_line)
    for term in record.fields:
        ET.SubElement(entry, "category", {"term": term.key, "label": _xml_text(term.name)})
    return entry


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _xml_text(text)
    return element


def _xml_text(text: str) -> str:
    # ElementTree escapes &, < and > (so "]]>" and "<script>" stay text) but not characters XML forbids.
    return _NOT_XML.sub("", text)
