"""RSS 2.0 / RSS 1.0 (RDF) and Atom feeds: each item or entry becomes a Document.

Parsed with :mod:`xml.etree.ElementTree`. defusedxml is not available, so any document with a
``<!DOCTYPE`` or ``<!ENTITY`` declaration is refused outright (no entity expansion, no external
entities). Item text comes from ``content:encoded``, Atom ``content``, ``description`` or
``summary`` (first non-empty), HTML turned into text by :func:`evpace.sources.html.html_to_text`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from ..errors import InvalidDocumentError
from ..model import Document
from .common import decode, invalid, normalise_date
from .html import html_to_text

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


def _content_text(el: ET.Element) -> str:
    """Text of a title/content/description element, honouring Atom's ``type`` (text, html, xhtml)."""
    ns, _ = _split(el.tag)
    kind = (el.get("type") or "").lower()
    if kind == "xhtml" or (len(el) and not (el.text or "").strip()):
        try:
            markup = (el.text or "") + "".join(ET.tostring(child, encoding="unicode") for child in el)
            markup = _PREFIX.sub(r"<\1", markup)  # <html:p> → <p>
        except RecursionError:
            return re.sub(r"\s+", " ", "".join(el.itertext())).strip()
        return html_to_text(markup)
    raw = el.text or ""
    if (ns == ATOM and kind in ("", "text", "text/plain")) or not _MARKUP.search(raw):
        return _BLANKS.sub("\n\n", "\n".join(" ".join(line.split()) for line in raw.strip().splitlines()))
    return html_to_text(raw)


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


def _item_document(item: ET.Element, *, path: str, name: str, published: str | None) -> Result:
    titles = _children(item, "title")
    title = _content_text(titles[0]) if titles else ""
    text = ""
    for field in _TEXT_FIELDS:
        for el in _children(item, field):
            text = _content_text(el)
            if text:
                break
        if text:
            break
    if not text:
        about = f"; title: {title[:80]!r}" if title else ""
        return invalid(path, f"feed item has no text (no content, description or summary){about}")
    date = None
    for field in _DATE_FIELDS:
        for el in _children(item, field):
            date = date or normalise_date(el.text or "")
    title = " ".join(title.split())
    return Document(text=text, name=name, url=_link(item), title=title, published=date or published, path=path)


def _decode_feed(data: bytes, path: str) -> str | InvalidDocumentError:
    """The feed as text with its XML declaration removed (so any Python codec works), or an error."""
    m = _XML_ENCODING.match(data[:400])
    text = decode(data, path, m[1].decode("ascii") if m else None, may_declare=True)
    if isinstance(text, str):
        text = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1)
    return text


def read_feed(data: bytes, *, path: str, stem: str, published: str | None = None) -> Iterator[Result]:
    """Yield a Document (or error) for each item of an RSS or Atom feed held in ``data``."""
    text = _decode_feed(data, path)
    if isinstance(text, InvalidDocumentError):
        yield text
        return
    if not text.strip():
        yield invalid(path, "empty document")
        return
    if _DECLARATION.search(text):
        yield invalid(path, "feed has a <!DOCTYPE> or <!ENTITY> declaration; refused (entity-expansion risk)")
        return
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        yield invalid(path, f"broken XML feed: {e}")
        return
    except RecursionError:
        yield invalid(path, "broken XML feed: nested too deeply")
        return
    local = _split(root.tag)[1]
    if local not in ("rss", "feed", "RDF"):
        yield invalid(path, f"not an RSS or Atom feed (root element <{local}>)")
        return
    wanted = "entry" if local == "feed" else "item"
    items = [el for el in root.iter() if _is(el, wanted)]
    if not items:
        yield invalid(path, f"feed has no <{wanted}> elements")
        return
    for n, item in enumerate(items, 1):
        try:
            yield _item_document(item, path=f"{path}#{n}", name=f"{stem}#{n}", published=published)
        except RecursionError:
            yield invalid(f"{path}#{n}", "feed item nested too deeply")
