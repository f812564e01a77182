"""The event-driven half of the HTML reader: a :class:`PageParser` over the stdlib :mod:`html.parser`.

Nothing here recurses. Open elements live on a list; the element "tree" is a flat list of node
ids in document order (``parent``, ``kind``, ``end``), so a node's descendants are the ids from it
to ``end[node]``. Nodes are made only for block elements and only down to :data:`MAX_DEPTH`;
deeper elements are just counted, so a 100,000-level ``<div>`` chain costs a counter, not a tree.

Text goes into ``segments`` as ``(node, soft, text)``: ``text`` None is a block boundary, and
``soft`` marks text inside elements whose class/id look like boilerplate. Text inside hard-skipped
elements (script, style, nav, header, footer, aside, form, hidden elements, ...) is not recorded.
Page metadata (title, canonical URL, publication dates by priority) is collected on the way.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

MAX_DEPTH = 400
#: Start tags read from one document (or one whole feed) at most. :mod:`html.parser` is pure Python:
#: with our handler a tag costs 5-20 µs, so this bounds one document to a few seconds; article pages
#: have a few thousand tags, and a 100,000-level ``<div>`` chain still fits.
MAX_TAGS = 200_000
#: A start tag longer than this (an attribute flood) is dropped, its content kept: the stdlib's tag regex
#: holds state for every attribute (1 GB and 9 s for one 5 MB tag).
MAX_TAG_CHARS = 65_536
#: Publication-date candidates kept (a page of 100,000 ``<meta name=date>`` is not a better-dated page).
MAX_DATES = 100
HARD = frozenset(
    "script style noscript nav header footer aside form iframe svg math template button select "
    "textarea canvas object embed dialog title".split()
)
VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
BLOCK = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr blockquote "
    "pre figure figcaption address hr caption details summary center body html fieldset".split()
)
_AUTO_CLOSE = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
               "td": {"td", "th"}, "th": {"td", "th"}}  # fmt: skip
_NO_SOFT = frozenset({"html", "body", "article", "main"})
_BOILER_WORD = re.compile(
    r"^(?:nav|navbar|navigation|menu\w*|footer\w*|share|shares|sharing|sharebar|social\w*|related\w*|comments?|"
    r"cookies?|cookiebanner|consent|subscribe\w*|subscription|newsletter\w*|advert\w*|ads?|adslot|adunit|"
    r"sponsor\w*|promo\w*|breadcrumbs?|sidebar\w*|popup|modal|banner|skip|toolbar)$"
)
_WORD_SPLIT = re.compile(r"[\s_-]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HARD_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu"})
#: ``<meta>`` names/properties giving a publication date, with their priority (lower wins).
DATE_META = {
    "article:published_time": 0, "og:article:published_time": 0, "datepublished": 2, "date": 3, "pubdate": 3,
    "publish-date": 3, "publish_date": 3, "publishdate": 3, "dc.date": 3, "dc.date.issued": 3, "dcterms.date": 3,
    "dcterms.created": 3, "sailthru.date": 3, "parsely-pub-date": 3, "article.published": 3,
}  # fmt: skip
_WS = re.compile(r"\s+")
# How far a start tag reaches: possessive, so matching keeps no state per attribute.
_TAG_EXTENT = re.compile(r"""<[a-zA-Z](?:[^>"']++|"[^"]*+"|'[^']*+'|["'])*+""")
# Closers the stdlib parser searches for (html.parser / _markupbase in Python 3.11).
_COMMENT_CLOSE = re.compile(r"--\s*>")
_SECTION_CLOSE = re.compile(r"]\s*]\s*>")
_MS_SECTION_CLOSE = re.compile(r"]\s*>")
_MARKED_SECTION = re.compile(r"<!\[(?:([a-zA-Z][-_.a-zA-Z0-9]*))?")
_SECTION_NAMES = frozenset({"temp", "cdata", "ignore", "include", "rcdata"})
_MS_SECTION_NAMES = frozenset({"if", "else", "endif"})


def _last_start(rx: re.Pattern[str], text: str) -> int:
    """Where the last match of ``rx`` in ``text`` starts (-1 if none)."""
    last = -1
    for m in rx.finditer(text):
        last = m.start()
    return last


def defuse(markup: str) -> str:
    """``markup`` with every ``<`` that can never open a complete construct written as ``&lt;``.

    :class:`html.parser.HTMLParser` (Python 3.11) searches the rest of the page for the end of each
    ``<...`` construct; when there is none it shows the ``<`` as text and searches again from the next
    one, so a page of unclosed ``<!--``, ``</``, ``<?``, ``<a`` or ``<![CDATA[`` takes quadratic time
    (minutes for 200 KB). A construct whose closer does not occur after it is text anyway, so it is
    escaped up front: the visible text is the same, the work linear. Marked sections with a name the
    parser does not know (it raises on ``<![foo[``) are escaped too.
    """
    if "<" not in markup:
        return markup
    last_gt = markup.rfind(">")
    head, tail = markup[: last_gt + 1], markup[last_gt + 1 :].replace("<", "&lt;")  # nothing after can close
    comment = _last_start(_COMMENT_CLOSE, head) if "<!--" in head else -1
    if "<!--" in head[max(0, comment - 3) :]:
        cut = max(0, comment - 3)  # an opener at i searches for its closer from i + 4
        head = head[:cut] + head[cut:].replace("<!--", "&lt;!--")
    if "<![" in head:
        closes = {"s": _last_start(_SECTION_CLOSE, head), "ms": _last_start(_MS_SECTION_CLOSE, head)}

        def section(m: re.Match[str]) -> str:
            name = (m[1] or "").lower()
            kind = "s" if name in _SECTION_NAMES else "ms" if name in _MS_SECTION_NAMES else None
            return m[0] if kind and closes[kind] >= m.start() + 3 else "&lt;" + m[0][1:]

        head = _MARKED_SECTION.sub(section, head)
    return head + tail


def is_boilerplate(attrs: dict[str, str]) -> bool:
    """Whether an element's class or id reads like navigation, sharing, ads, comments and the like."""
    words = _WORD_SPLIT.split(f"{attrs.get('class', '')} {attrs.get('id', '')}".lower())
    return any(w and _BOILER_WORD.match(w) for w in words)


class TooManyTagsError(ValueError):
    """Raised by :class:`PageParser` at the first start tag over its ``max_tags``."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,} tags, the limit for one document")
        self.limit = limit


class PageParser(HTMLParser):
    """Feed it markup, call :meth:`finish`, then read ``segments``, the node lists and the metadata.

    Raises :class:`TooManyTagsError` past ``max_tags`` start tags (parsing stops there).
    """

    def __init__(self, max_tags: int = MAX_TAGS) -> None:
        super().__init__(convert_charrefs=True)
        self.max_tags = max_tags
        self.tags = 0  # start tags seen
        self.stack: list[tuple[str, int, bool, bool, bool]] = []  # tag, node, owns node?, hard, soft
        self.parent, self.kind, self.end = [-1], ["#root"], [-1]
        self.candidates: dict[str, list[int]] = {"article": [], "main": []}
        self.segments: list[tuple[int, bool, str | None]] = []
        self.overflow = 0  # open elements deeper than MAX_DEPTH
        self.overflow_hard = 0  # overflow level at which a hard-skipped element opened (0 = none)
        self.title: list[str] = []
        self.in_title = False
        self.jsonld: list[str] | None = None
        self.meta: dict[str, str] = {}
        self.dates: list[tuple[int, str]] = []  # (priority, raw date)

    def _top(self) -> tuple[int, bool, bool]:
        """Node, hard-skip and soft-skip state of the innermost open element."""
        if self.stack:
            _, node, _, hard, soft = self.stack[-1]
            return node, hard or self.overflow_hard > 0, soft
        return 0, self.overflow_hard > 0, False

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            tag, node, own, _, _ = self.stack.pop()
            if own:
                self.end[node] = len(self.kind) - 1
            if tag in BLOCK:
                self.segments.append((self._top()[0], False, None))

    def parse_starttag(self, i: int) -> int:
        """The stdlib's, except that a start tag over :data:`MAX_TAG_CHARS` is skipped whole."""
        m = _TAG_EXTENT.match(self.rawdata, i, i + MAX_TAG_CHARS + 1)
        if m is None or m.end() <= i + MAX_TAG_CHARS:
            return super().parse_starttag(i)
        end = _TAG_EXTENT.match(self.rawdata, i).end()  # possessive: linear, and the tag is consumed once
        return min(end + 1, len(self.rawdata))

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if self.tags > self.max_tags:
            raise TooManyTagsError(self.max_tags)
        attrs = {k: v or "" for k, v in attr_list}
        self._metadata(tag, attrs)
        if tag in VOID:
            node, hard, soft = self._top()
            if not hard:
                self.segments.append((node, soft, "\n" if tag == "br" else None if tag == "hr" else " "))
            return
        if self.overflow or len(self.stack) >= MAX_DEPTH:
            self.overflow += 1
            if tag in HARD and not self.overflow_hard:
                self.overflow_hard = self.overflow
            return
        if tag == "body":
            for i, entry in enumerate(self.stack):
                if entry[0] == "head":
                    self._pop_to(i)
                    break
        while self.stack and (
            self.stack[-1][0] in _AUTO_CLOSE.get(tag, ()) or (self.stack[-1][0] == "p" and tag in BLOCK)
        ):
            self._pop_to(len(self.stack) - 1)
        node, hard, soft = self._top()
        if attrs:
            hard = (
                hard
                or "hidden" in attrs
                or attrs.get("aria-hidden", "").lower() == "true"
                or attrs.get("role", "").lower() in _HARD_ROLES
                or bool(_HIDDEN_STYLE.search(attrs.get("style", "")))
            )
            soft = soft or (tag not in _NO_SOFT and is_boilerplate(attrs))
        hard = hard or tag in HARD
        own = tag in BLOCK
        if own:
            self.parent.append(node)
            self.kind.append(tag)
            self.end.append(-1)
            node = len(self.kind) - 1
            self.segments.append((node, False, None))
            if not hard and (tag == "article" or attrs.get("itemprop", "").lower() == "articlebody"):
                self.candidates["article"].append(node)
            elif not hard and (tag == "main" or attrs.get("role", "").lower() == "main"):
                self.candidates["main"].append(node)
        self.stack.append((tag, node, own, hard, soft))
        if tag in ("td", "th"):
            self.segments.append((node, soft, " "))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag == "script" and self.jsonld is not None:
            self._read_jsonld("".join(self.jsonld))
            self.jsonld = None
        if tag in VOID:
            return
        if self.overflow:
            self.overflow -= 1
            if self.overflow < self.overflow_hard:
                self.overflow_hard = 0
            return
        for i in range(len(self.stack) - 1, max(-1, len(self.stack) - 65), -1):
            if self.stack[i][0] == tag:
                self._pop_to(i)
                return

    def handle_data(self, data: str) -> None:
        if self.jsonld is not None:
            self.jsonld.append(data)
        if self.in_title:
            self.title.append(data)
        node, hard, soft = self._top()
        if not hard:
            self.segments.append((node, soft, _WS.sub(" ", data)))

    def _metadata(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "title" and not self.title and not any(e[0] == "svg" for e in self.stack[-8:]):
            self.in_title = True
        elif tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
            content = attrs.get("content", "").strip()
            if key in DATE_META and content and len(self.dates) < MAX_DATES:
                self.dates.append((DATE_META[key], content))
            elif key in ("og:title", "twitter:title", "og:url") and content:
                self.meta.setdefault(key, content)
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
            self.meta.setdefault("canonical", attrs["href"].strip())
        elif tag == "time" and attrs.get("datetime") and len(self.dates) < MAX_DATES:
            special = "pubdate" in attrs or attrs.get("itemprop", "").lower() == "datepublished"
            self.dates.append((4 if special else 5, attrs["datetime"]))
        elif tag == "script" and attrs.get("type", "").strip().lower() == "application/ld+json":
            self.jsonld = []

    def _read_jsonld(self, raw: str) -> None:
        """``datePublished`` and ``headline`` from a JSON-LD block (walked with a stack, not recursion)."""
        try:
            todo = [json.loads(raw)]
        except (ValueError, RecursionError):
            return
        seen = 0
        while todo and seen < 5000:
            obj = todo.pop()
            seen += 1
            if isinstance(obj, dict):
                if isinstance(obj.get("datePublished"), str):
                    self.dates.append((1, obj["datePublished"]))
                if isinstance(obj.get("headline"), str):
                    self.meta.setdefault("headline", obj["headline"])
                todo.extend(reversed(list(obj.values())))
            elif isinstance(obj, list):
                todo.extend(reversed(obj))

    def finish(self) -> None:
        """Flush the parser and close every element still open."""
        self.close()
        self._pop_to(0)
        last = len(self.kind) - 1
        self.end = [last if e < 0 else e for e in self.end]

    @property
    def page_title(self) -> str:
        title = self.meta.get("og:title") or self.meta.get("twitter:title") or "".join(self.title)
        return _WS.sub(" ", title or self.meta.get("headline", "")).strip()
