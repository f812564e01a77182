"""Reading one file (or stdin) with the reader its extension or content calls for."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from typing import Any

from ..errors import InvalidDocumentError
from ..model import Document
from .common import decode, invalid, normalise_date
from .feed import read_feed
from .html import parse_html, sniff_charset
from .htmlparse import TooManyTagsError
from .jsonl import read_json_document, read_jsonl
from .text import read_text

Result = Document | InvalidDocumentError

#: Extensions picked up from directories and globs, and the reader for each.
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}  # fmt: skip
#: Read only when a file is named explicitly (directories hold too many unrelated ``.json`` files).
EXPLICIT_EXTENSIONS = {".json": "json"}
STDIN_LABEL = "<stdin>"
_NOT_JSONL_LINE = re.compile(rb"^[ \t]*[^{\s]", re.M)  # a non-blank line not starting with "{"
_JSONL_START = re.compile(rb"\s*\{")


def kind_of(path: str) -> str | None:
    """The reader for a file name's extension, or None if the extension is not a known one."""
    ext = os.path.splitext(path)[1].lower()
    return EXTENSIONS.get(ext) or EXPLICIT_EXTENSIONS.get(ext)


def sniff(data: bytes) -> str:
    """Guess a format from content: ``feed``, ``html``, ``jsonl`` or ``text``."""
    head = data[:4096].lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")):
        return "html" if b"<html" in head else "feed"
    if head.startswith((b"<!doctype html", b"<html", b"<!--")) or b"<body" in head or b"<head" in head:
        return "html"
    return "jsonl" if head.startswith(b"{") else "text"


def read_file(path: str, published: str | None, max_bytes: int) -> Iterator[Result]:
    """Documents from one file. The size is checked before reading (JSONL: each line's size)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    kind = kind_of(path)
    try:
        if kind == "jsonl" or (kind == "json" and _first_line_is_record(path, max_bytes)):
            with open(path, "rb") as f:
                yield from read_jsonl(f, path=path, stem=stem, published=published, max_bytes=max_bytes)
            return
        size = os.stat(path).st_size
        if size > max_bytes:
            yield invalid(path, f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
            return
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        yield invalid(path, e.strerror or str(e))
        return
    if len(data) > max_bytes:  # grew since stat, or a device / pipe
        yield invalid(path, f"more than the limit of {max_bytes:,} bytes")
        return
    yield from read_data(data, kind or sniff(data), path=path, name=stem, published=published)


def _first_line_is_record(path: str, max_bytes: int) -> bool:
    """Whether a ``.json`` file is really JSON Lines (its first non-blank line is a whole object)."""
    line = b""
    with open(path, "rb") as f:
        for _ in range(100):
            line = f.readline(max_bytes + 1)
            if not line or line.strip():
                break
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def read_data(data: bytes, kind: str, *, path: str, name: str, published: str | None) -> Iterator[Result]:
    """Documents from bytes already in memory, with the reader for ``kind``."""
    if kind == "feed":
        yield from read_feed(data, path=path, stem=name, published=published)
        return
    text = decode(data, path, sniff_charset(data) if kind == "html" else None, may_declare=kind == "html")
    if isinstance(text, InvalidDocumentError):
        yield text
    elif not text.strip():
        yield invalid(path, "empty document (only whitespace)" if text else "empty file")
    elif kind == "json":
        yield from read_json_document(text, path=path, stem=name, published=published)
    elif kind == "jsonl":
        yield from read_jsonl(io.StringIO(text), path=path, stem=name, published=published, max_bytes=len(data))
    elif kind == "html":
        yield html_document(text, path=path, name=name, published=published)
    else:
        yield read_text(text, path=path, name=name, published=published, markdown=kind == "markdown")


def html_document(markup: str, *, path: str, name: str, published: str | None) -> Result:
    """A Document from an HTML page's main text and metadata."""
    try:
        page = parse_html(markup)
    except TooManyTagsError as e:
        return invalid(path, f"HTML page has {e}; refused (is it an article?)")
    except (ValueError, AssertionError, RecursionError) as e:  # html.parser should not raise; be safe
        return invalid(path, f"could not parse HTML: {e}")
    if not page.text.strip():
        return invalid(path, "empty document (no text left after removing markup and boilerplate)")
    return Document(
        text=page.text,
        name=name,
        url=page.url,
        title=page.title,
        published=normalise_date(page.published) or published,
        path=path,
    )


class _Prefixed:
    """``readline(size)`` over an already-read head, then the rest of a stream."""

    def __init__(self, head: bytes, stream: Any) -> None:
        self.head, self.pos, self.stream = head, 0, stream

    def readline(self, size: int = -1) -> bytes:
        if self.pos >= len(self.head):
            return self.stream.readline(size)
        nl = self.head.find(b"\n", self.pos)
        end = len(self.head) if nl < 0 else nl + 1
        if size >= 0:
            end = min(end, self.pos + size)
        line, self.pos = self.head[self.pos : end], end
        if end == len(self.head) and not line.endswith(b"\n") and (size < 0 or len(line) < size):
            line += self.stream.readline(size - len(line) if size >= 0 else -1)
        return line


class _Utf8Lines:
    """A text stream seen as UTF-8 bytes, line by line (for a text-only ``stdin``)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size).encode("utf-8", "surrogateescape")

    def readline(self, size: int = -1) -> bytes:
        return self.stream.readline(size).encode("utf-8", "surrogateescape")


def read_stdin(stream: Any, published: str | None, max_bytes: int) -> Iterator[Result]:
    """stdin: JSONL if every non-blank line starts with ``{`` (streamed line by line when over
    ``max_bytes``), else one document whose format is sniffed (HTML, feed or text)."""
    stream = getattr(stream, "buffer", stream)
    if isinstance(stream.read(0), str):
        stream = _Utf8Lines(stream)
    head = stream.read(max_bytes + 1)
    if len(head) > max_bytes:
        if _JSONL_START.match(head):
            yield from read_jsonl(
                _Prefixed(head, stream), path=STDIN_LABEL, stem="stdin", published=published, max_bytes=max_bytes
            )
        else:
            yield invalid(STDIN_LABEL, f"more than the limit of {max_bytes:,} bytes")
    elif _JSONL_START.match(head) and not _NOT_JSONL_LINE.search(head):
        yield from read_jsonl(
            io.BytesIO(head), path=STDIN_LABEL, stem="stdin", published=published, max_bytes=max_bytes
        )
    else:
        kind = sniff(head)
        yield from read_data(
            head, "text" if kind == "jsonl" else kind, path=STDIN_LABEL, name="stdin", published=published
        )
