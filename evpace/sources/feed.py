"""RSS 2.0 / RSS 1.0 (RDF) and Atom feeds: each item or entry becomes a Document.

Parsed with :mod:`xml.etree.ElementTree`. defusedxml is not available, so any document with a
``<!DOCTYPE`` or ``<!ENTITY`` declaration is refused outright (no entity expansion, no external
entities). Item text comes from ``content:encoded``, Atom ``content``, ``description`` or
``summary`` (first non-empty), HTML turned into text by :func:`evpace.sources.html.parse_html`; the items
of one feed share one budget of :data:`~evpace.sources.htmlparse.MAX_TAGS` start tags (a feed costs at most
what one page does).
:func:`read_entries` gives each item's link, title, date and text even when it has no text (feeds that
only link their articles; used by :mod:`evpace.fetch`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InvalidDocumentError
from ..model import Document
from .common import decode, invalid, normalise_date
from .html import parse_html
from .htmlparse import MAX_TAGS, TooManyTagsError

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
_OWN_NS = frozenset({"", ATOM, RSS1, CONTENT, DC, DCTERMS})  # not media:, itunes:, ...
_PREFIX = re.compile(r"<(/?)[A-Za-z_][\w.-]*:(?=[A-Za-z_])")
_MARKUP = re.compile(r"<[A-Za-z/!]|&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.I)  # tags or (double-)escaped entities
_BLANKS = re.compile(r"\n{3,}")
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
_TEXT_FIELDS = ("encoded", "content", "description", "summary")
_DATE_FIELDS = ("published", "pubDate", "issued", "date", "created", "updated", "modified")

Result = Document | InvalidDocumentError


def _split(tag: str) -> tuple[str, str]:
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _is(el: ET.Element, local: str) -> bool:
    """Whether ``el`` is a ``local`` element of RSS/Atom/content/Dublin Core (not media:, itunes:, ...)."""
    if not isinstance(el.tag, str):  # comments, processing instructions
        return False
    ns, name = _split(el.tag)
    return name == local and ns in _OWN_NS


def _children(item: ET.Element, local: str) -> list[ET.Element]:
    return [c for c in item if _is(c, local)]


class _TagBudget:
    """The start tags left for the HTML inside one feed's items."""

    def __init__(self) -> None:
        self.total = self.left = MAX_TAGS

    def text(self, markup: str) -> str:
        try:
            page = parse_html(markup, main_content=False, max_tags=self.left)
        except TooManyTagsError:
            raise TooManyTagsError(self.total) from None  # the feed's limit, not what was left of it
        self.left -= page.tags
        return page.text


def _content_text(el: ET.Element, budget: _TagBudget) -> str:
    """Text of a title/content/description element, honouring Atom's ``type`` (text, html, xhtml)."""
    ns, _ = _split(el.tag)
    kind = (el.get("type") or "").lower()
    if kind == "xhtml" or (len(el) and not (el.text or "").strip()):
        try:
            markup = (el.text or "") + "".join(ET.tostring(child, encoding="unicode") for child in el)
            markup = _PREFIX.sub(r"<\1", markup)  # <html:p> → <p>
        except RecursionError:
            return re.sub(r"\s+", " ", "".join(el.itertext())).strip()
        return budget.text(markup)
    raw = el.text or ""
    if (ns == ATOM and kind in ("", "text", "text/plain")) or not _MARKUP.search(raw):
        return _BLANKS.sub("\n\n", "\n".join(" ".join(line.split()) for line in raw.strip().splitlines()))
    return budget.text(raw)


def _link(item: ET.Element) -> str:
    for link in _children(item, "link"):
        href = (link.get("href") or "").strip()
        if href and link.get("rel", "alternate") == "alternate":
            return href
        if not href and (link.text or "").strip():
            return (link.text or "").strip()
    for guid in _children(item, "guid") + _children(item, "id"):
        value = (guid.text or "").strip()
        if value.startswith(("http://", "https://")) and guid.get("isPermaLink", "true") != "false":
            return value
    return ""


@dataclass(frozen=True)
class FeedEntry:
    """One feed item as read: its link, title, date and text (each ``""`` / None when absent)."""

    link: str
    title: str = ""
    published: str | None = None
    text: str = ""


def _entry(item: ET.Element, budget: _TagBudget) -> FeedEntry:
    titles = _children(item, "title")
    title = _content_text(titles[0], budget) if titles else ""
    text = ""
    for field in _TEXT_FIELDS:
        for el in _children(item, field):
            text = _content_text(el, budget)
            if text:
                break
        if text:
            break
    date = None
    for field in _DATE_FIELDS:
        for el in _children(item, field):
            date = date or normalise_date(el.text or "")
    return FeedEntry(link=_link(item), title=" ".join(title.split()), published=date, text=text)


def _decode_feed(data: bytes, path: str) -> str | InvalidDocumentError:
    """The feed as text with its XML declaration removed (so any Python codec works), or an error."""
    m = _XML_ENCODING.match(data[:400])
    text = decode(data, path, m[1].decode("ascii") if m else None, may_declare=True)
    if isinstance(text, str):
        text = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1)
    return text


def feed_items(data: bytes, *, path: str, empty_ok: bool = False) -> list[ET.Element] | InvalidDocumentError:
    """The ``<item>`` / ``<entry>`` elements of an RSS or Atom feed, or an error naming ``path`` (also
    for a feed without items unless ``empty_ok``)."""
    text = _decode_feed(data, path)
    if isinstance(text, InvalidDocumentError):
        return text
    if not text.strip():
        return invalid(path, "empty document")
    if _DECLARATION.search(text):
        return invalid(path, "feed has a <!DOCTYPE> or <!ENTITY> declaration; refused (entity-expansion risk)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        return invalid(path, f"broken XML feed: {e}")
    except RecursionError:
        return invalid(path, "broken XML feed: nested too deeply")
    local = _split(root.tag)[1]
    if local not in ("rss", "feed", "RDF"):
        return invalid(path, f"not an RSS or Atom feed (root element <{local}>)")
    wanted = "entry" if local == "feed" else "item"
    items = [el for el in root.iter() if _is(el, wanted)]
    return items if items or empty_ok else invalid(path, f"feed has no <{wanted}> elements")


def read_entries(data: bytes, *, path: str, empty_ok: bool = False) -> Iterator[FeedEntry | InvalidDocumentError]:
    """Each item of a feed as a :class:`FeedEntry` (link, title, date, text; the text may be empty, as in
    feeds that only link their articles), or an error for the whole feed or one item (``path#n``).
    ``empty_ok``: a feed with no items yields nothing (else an error)."""
    items = feed_items(data, path=path, empty_ok=empty_ok)
    if isinstance(items, InvalidDocumentError):
        yield items
        return
    budget = _TagBudget()
    for n, item in enumerate(items, 1):
        try:
            yield _entry(item, budget)
        except RecursionError:
            yield invalid(f"{path}#{n}", "feed item nested too deeply")
        except TooManyTagsError as e:
            yield invalid(f"{path}#{n}", f"the HTML in the feed's items has {e}; this item and the "
                                         f"{len(items) - n} after it are refused")
            return


def read_feed(data: bytes, *, path: str, stem: str, published: str | None = None) -> Iterator[Result]:
    """Yield a Document (or error) for each item of an RSS or Atom feed held in ``data``."""
    for n, entry in enumerate(read_entries(data, path=path), 1):
        if isinstance(entry, InvalidDocumentError):
            yield entry
        elif not entry.text:
            about = f"; title: {entry.title[:80]!r}" if entry.title else ""
            yield invalid(f"{path}#{n}", f"feed item has no text (no content, description or summary){about}")
        else:
            yield Document(text=entry.text, name=f"{stem}#{n}", url=entry.link, title=entry.title,
                           published=entry.published or published, path=f"{path}#{n}")
