"""Plain text and Markdown documents.

A file may start with front matter (``---`` / ``key: value`` lines / ``---``; no YAML library is
needed for the flat keys read here) or with a header block (``Title:``, ``URL:``, ``Published:``
lines followed by a blank line). Either is read as metadata and removed from the text.

Markdown is lightly cleaned (heading markers, emphasis markers, link and image syntax) *before*
the Document is built, so character offsets into ``Document.text`` stay meaningful.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InvalidDocumentError
from ..model import Document
from .common import invalid, normalise_date, normalise_newlines, text_binary_reason

#: Front-matter / header keys understood, mapped to Document fields.
META_KEYS = {
    "title": "title",
    "headline": "title",
    "url": "url",
    "link": "url",
    "source": "url",
    "source_url": "url",
    "canonical": "url",
    "canonical_url": "url",
    "published": "published",
    "published_at": "published",
    "publish_date": "published",
    "pubdate": "published",
    "date": "published",
}
# No lazy group before a trailing ``[ \t]*$``: that backtracks quadratically on a long run of blanks;
# values are right-stripped in Python instead. (Every pattern here must stay linear: see tests/test_fuzz.py.)
_FM_LINE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:[ \t]*(.*)$")
_HEADER_LINE = re.compile(r"^(title|headline|url|link|source|published|date)[ \t]*:[ \t]*(\S.*)$", re.I)
_MAX_META_LINES = 200


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``(metadata, rest)`` when ``text`` starts with ``---`` front matter, else ``({}, text)``.

    Lines inside must be ``key: value`` pairs (indented lines, list items, comments and blank lines
    are tolerated and ignored); anything else means the leading ``---`` was just a rule.
    """
    first, sep, rest = text.partition("\n")
    if first.rstrip() != "---" or not sep:
        return {}, text
    meta: dict[str, str] = {}
    pos = len(first) + 1
    for _ in range(_MAX_META_LINES):
        if pos >= len(text):
            break
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        pos = end + 1
        if line.rstrip() in ("---", "..."):
            return meta, text[pos:]
        m = _FM_LINE.match(line)
        if m:
            meta.setdefault(m[1].lower(), _unquote(m[2].rstrip(" \t")))
        elif not line.strip() or line[:1] in (" ", "\t", "-", "#"):
            continue
        else:
            return {}, text
    return {}, text


def split_header_block(text: str) -> tuple[dict[str, str], str]:
    """``(metadata, rest)`` for a leading ``Title:`` / ``URL:`` / ``Published:`` block ended by a blank line."""
    meta: dict[str, str] = {}
    pos = 0
    while pos < len(text) and len(meta) < 10:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        m = _HEADER_LINE.match(line)
        if not m:
            if meta and not line.strip():
                return meta, text[end + 1 :]
            return {}, text
        meta.setdefault(m[1].lower(), m[2].rstrip(" \t"))
        pos = end + 1
    return (meta, text[pos:]) if meta and pos >= len(text) else ({}, text)


def _drop_comments(text: str) -> str:
    """``<!-- ... -->`` removed; an unclosed ``<!--`` and what follows it are kept (one scan, not one per opener)."""
    out: list[str] = []
    pos = 0
    while (i := text.find("<!--", pos)) >= 0:
        j = text.find("-->", i + 4)
        if j < 0:
            break
        out.append(text[pos:i])
        pos = j + 3
    return "".join(out) + text[pos:] if out else text


def _heading(m: re.Match[str]) -> str:
    """An ATX heading's text without its closing ``#`` run (done in Python: see _FM_LINE)."""
    text = m[1].rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare[-1:] in (" ", "\t"):
        return bare.rstrip(" \t")
    return text


# Brackets and parentheses exclude their own opener, so a run of unclosed "[" or "(" is scanned once,
# not once per opener (linear time on hostile input).
_MD_RULES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)"), ""),  # images
    (re.compile(r"^ {0,3}\[[^\[\]\n]+\]:[ \t]+\S.*(?:\n|$)", re.M), ""),  # reference definitions
    (re.compile(r"\[([^\[\]\n]+)\]\([^()\s]*(?:[ \t]+\"[^\"\n]*\")?\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^<>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*)$", re.M), _heading),  # ATX headings
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*"), r"\1"),  # strong emphasis
    (re.compile(r"__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__"), r"\1"),
    (re.compile(r"\n{3,}"), "\n\n"),
]
_MD_TITLE = re.compile(r"^\s*#[ \t]+(.*)$")


def clean_markdown(text: str) -> str:
    """Markdown → readable text: drop images, comments and heading/quote/strong markers; links → their text."""
    text = _drop_comments(text)
    for rx, repl in _MD_RULES:
        text = rx.sub(repl, text)
    return text


def markdown_title(text: str) -> str:
    """The text of a level-1 heading on the first non-blank line, or ``""``."""
    for line in text.split("\n", 20)[:20]:
        if line.strip():
            m = _MD_TITLE.match(line)
            return clean_markdown(_heading(m)).strip() if m else ""
    return ""


def read_text(
    text: str,
    *,
    path: str,
    name: str,
    published: str | None = None,
    markdown: bool = False,
) -> Document | InvalidDocumentError:
    """Build a Document from decoded text (front matter / header block read and removed)."""
    text = normalise_newlines(text.lstrip("\ufeff"))
    reason = text_binary_reason(text)
    if reason:
        return invalid(path, reason)
    meta, body = split_front_matter(text)
    if not meta:
        meta, body = split_header_block(text)
    fields = {"title": "", "url": "", "published": ""}
    for key, value in meta.items():
        field = META_KEYS.get(key)
        if field and value and not fields[field]:
            fields[field] = value
    if markdown:
        fields["title"] = fields["title"] or markdown_title(body)
        body = clean_markdown(body)
    body = body.strip()
    if not body:
        return invalid(path, "empty document (no text" + (" after the front matter)" if meta else ")"))
    return Document(
        text=body,
        name=name,
        url=fields["url"],
        title=fields["title"],
        published=normalise_date(fields["published"]) or published,
        path=path,
    )
