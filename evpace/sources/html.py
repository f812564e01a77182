"""HTML pages → main text and metadata, offline, with the stdlib :mod:`html.parser`.

Main text: script/style/nav/header/footer/aside/form/iframe/svg, comments and hidden elements
are dropped (see :mod:`evpace.sources.htmlparse`); elements whose class or id look like
boilerplate (nav, menu, share, related, cookie, subscribe, ad, promo, sidebar, ...) are dropped
too unless nothing else is left. Then ``itemprop=articleBody`` / ``<article>`` content is
preferred, then ``<main>``, else the block holding most ``<p>`` text. Blocks are separated by a
blank line, ``<br>`` by a newline; entities are decoded and runs of whitespace collapsed.

Metadata: title from ``og:title``, ``twitter:title``, ``<title>``, JSON-LD ``headline``; URL from
``<link rel=canonical>`` or ``og:url``; published from ``article:published_time``, JSON-LD
``datePublished``, ``<meta name=date|pubdate|publish-date|...>`` and ``<time datetime>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .common import normalise_date
from .htmlparse import MAX_TAGS, PageParser, defuse

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_SPACE_NL = re.compile(r" ?\n ?")  # after _SPACES: " *\n *" is quadratic on a long run of blanks
_SPACES = re.compile(r" {2,}")
_NLS = re.compile(r"\n{2,}")


@dataclass(frozen=True)
class HtmlPage:
    """What :func:`parse_html` found: the main text and page metadata (``""`` when absent).

    ``published`` is the raw date string of the best source that :func:`normalise_date` can read;
    ``tags`` is how many start tags were read.
    """

    text: str
    title: str = ""
    url: str = ""
    published: str = ""
    tags: int = 0


def _totals(p: PageParser, soft_ok: bool) -> tuple[list[int], list[float]]:
    """Text length under each node, and each node's paragraph score (its ``<p>`` children's text,
    plus half of its grandchildren's)."""
    total, score = [0] * len(p.kind), [0.0] * len(p.kind)
    for node, soft, text in p.segments:
        if text and (soft_ok or not soft):
            n = len(text.strip())
            total[node] += n
            if p.kind[node] == "p":
                score[p.parent[node]] += n
                score[max(0, p.parent[p.parent[node]])] += n / 2
    for i in range(len(total) - 1, 0, -1):  # a child's id is larger than its parent's
        total[p.parent[i]] += total[i]
    return total, score


def _main_node(p: PageParser, soft_ok: bool) -> int:
    """The node holding the main text: the largest article (or main) unless a paragraph block
    elsewhere has more than twice its text; else the block with the best paragraph score."""
    total, score = _totals(p, soft_ok)
    best_p = max(range(len(score)), key=score.__getitem__) if any(score) else 0
    for key in ("article", "main"):
        found = [n for n in p.candidates[key] if total[n] > 0]
        if found:
            best = max(found, key=total.__getitem__)
            inside = best_p <= best <= p.end[best_p]
            return best if inside or total[best] * 2 >= total[best_p] else best_p
    return best_p


def _flush(parts: list[str], blocks: list[str]) -> None:
    if parts:
        block = _SPACE_NL.sub("\n", _SPACES.sub(" ", "".join(parts)))
        block = _NLS.sub("\n", block).strip()
        if block:
            blocks.append(block)
        parts.clear()


def _text_of(p: PageParser, node: int, soft_ok: bool) -> str:
    blocks: list[str] = []
    parts: list[str] = []
    last = p.end[node]
    for seg_node, soft, text in p.segments:
        if not node <= seg_node <= last or (soft and not soft_ok):
            continue
        if text is None:
            _flush(parts, blocks)
        else:
            parts.append(text)
    _flush(parts, blocks)
    return "\n\n".join(blocks)


def parse_html(markup: str, *, main_content: bool = True, max_tags: int = MAX_TAGS) -> HtmlPage:
    """Main text and metadata of an HTML page (with ``main_content=False``: all visible text).

    Raises :class:`~evpace.sources.htmlparse.TooManyTagsError` (a ValueError) past ``max_tags`` start tags.
    """
    parser = PageParser(max_tags)
    parser.feed(defuse(markup))
    parser.finish()
    text = ""
    for soft_ok in (False, True):  # boilerplate-looking blocks only if nothing else is left
        text = _text_of(parser, _main_node(parser, soft_ok) if main_content else 0, soft_ok)
        if text:
            break
    dates = sorted(parser.dates, key=lambda d: d[0])
    return HtmlPage(
        text=text,
        title=parser.page_title,
        url=parser.meta.get("canonical") or parser.meta.get("og:url", ""),
        published=next((raw for _, raw in dates if normalise_date(raw)), ""),
        tags=parser.tags,
    )


def html_to_text(fragment: str) -> str:
    """All visible text of an HTML fragment (feed content), with blank lines between blocks."""
    return parse_html(fragment, main_content=False).text


def sniff_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB (``<meta charset>``, http-equiv, XML declaration)."""
    head = data[:4096]
    m = _CHARSET.search(head) or _XML_ENCODING.search(head)
    return m[1].decode("ascii") if m else None
