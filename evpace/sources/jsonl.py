"""JSON Lines: one document per line, ``{"id"?, "url"?, "title"?, "published"?, "text"}``.

Files are read line by line (never whole), each line capped at ``max_bytes``; a bad line yields an
error naming ``file:line`` and the batch goes on. ``name`` is the record's ``id`` if it has one,
else ``<file stem>:<line>``; ``path`` is ``<file>:<line>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from ..errors import InvalidDocumentError
from ..model import Document
from .common import (
    LONE_SURROGATE,
    binary_reason,
    clean_field,
    invalid,
    normalise_date,
    normalise_newlines,
    text_binary_reason,
)

Result = Document | InvalidDocumentError


class LineReader(Protocol):
    """Anything with ``readline(limit)`` returning bytes or str (a binary or text file, stdin)."""

    def readline(self, size: int = -1, /) -> bytes | str: ...


def _first(record: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and clean_field(value):
            return clean_field(value)
    return ""


def record_to_document(record: object, *, path: str, name: str, published: str | None, **where: Any) -> Result:
    """Turn one parsed JSON value into a Document, or the error saying why it cannot be one.

    ``where`` (e.g. ``line=3``) is added to the error's fields.
    """
    if not isinstance(record, dict):
        return invalid(path, f"expected a JSON object, got {type(record).__name__}", **where)
    if "text" not in record:
        keys = ", ".join(sorted(map(str, record))[:8]) or "none"
        return invalid(path, f"record has no 'text' field (fields: {keys})", **where)
    text = record["text"]
    if not isinstance(text, str):
        return invalid(path, f"'text' must be a string, got {type(text).__name__}", **where)
    reason = text_binary_reason(text)
    if reason:
        return invalid(path, reason, **where)
    bad = LONE_SURROGATE.search(text)
    if bad:
        return invalid(path, f"'text' holds a lone surrogate (\\u{ord(bad[0]):04x} at {bad.start()}), not Unicode "
                             "text", **where)
    text = normalise_newlines(text).strip()
    if not text:
        return invalid(path, "empty document ('text' is empty or whitespace)", **where)
    rid = record.get("id")
    if isinstance(rid, (str, int)) and not isinstance(rid, bool) and clean_field(str(rid)):
        name = clean_field(str(rid))
    date = normalise_date(_first(record, "published", "date", "published_at", "pubDate"))
    return Document(
        text=text,
        name=name,
        url=_first(record, "url", "link"),
        title=_first(record, "title", "headline"),
        published=date or published,
        path=path,
    )


def _parse(raw: str, *, path: str, **where: Any) -> object | InvalidDocumentError:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        at = f"column {e.colno}" if where else f"line {e.lineno}, column {e.colno}"
        return invalid(path, f"bad JSON: {e.msg} ({at})", **where)
    except RecursionError:
        return invalid(path, "bad JSON: nested too deeply", **where)
    except ValueError as e:  # an integer of more than 4,300 digits (Python's int_max_str_digits)
        return invalid(path, f"bad JSON: {e}", **where)


def read_jsonl(
    stream: LineReader,
    *,
    path: str,
    stem: str,
    published: str | None = None,
    max_bytes: int = 5_000_000,
    first_line: int = 1,
) -> Iterator[Result]:
    """Yield a Document or an error for each non-blank line of ``stream``, reading one line at a time."""
    lineno = first_line - 1
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            return
        lineno += 1
        where = f"{path}:{lineno}"
        nl: Any = b"\n" if isinstance(raw, bytes) else "\n"
        if len(raw) > max_bytes and not raw.endswith(nl):
            size = len(raw)
            while raw and not raw.endswith(nl):  # skip the rest of the long line, chunk by chunk
                raw = stream.readline(65_536)
                size += len(raw)
            yield invalid(where, f"line is {size:,} bytes, over the limit of {max_bytes:,} bytes", line=lineno)
            continue
        if isinstance(raw, bytes):
            if lineno == first_line and binary_reason(raw):  # a compressed or binary file: one error, not one a line
                yield invalid(path, binary_reason(raw) or "")
                return
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield invalid(where, f"not UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})", line=lineno)
                continue
        if lineno == 1:
            raw = raw.lstrip("\ufeff")
        if not raw.strip():
            continue
        record = _parse(raw, path=where, line=lineno)
        if isinstance(record, InvalidDocumentError):
            yield record
        else:
            yield record_to_document(record, path=where, name=f"{stem}:{lineno}", published=published, line=lineno)


def read_json_document(data: str, *, path: str, stem: str, published: str | None = None) -> Iterator[Result]:
    """A whole ``.json`` file: one record (an object) or a list of records (``path[i]``)."""
    record = _parse(data, path=path)
    if isinstance(record, InvalidDocumentError):
        yield record
    elif isinstance(record, list):
        if not record:
            yield invalid(path, "empty JSON list (no records)")
        for i, item in enumerate(record):
            yield record_to_document(item, path=f"{path}[{i}]", name=f"{stem}[{i}]", published=published)
    else:
        yield record_to_document(record, path=path, name=stem, published=published)
