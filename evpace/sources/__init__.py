"""Readers that turn inputs (files, directories, globs, stdin) into :class:`~evpace.model.Document`.

:func:`read_documents` is a generator: it expands one input at a time and reads one file at a
time (JSONL one line at a time), so a large corpus is never held in memory. Problems are
*yielded* as :class:`~evpace.errors.InvalidDocumentError` values naming the file (and line or feed
item) and the reason, so a batch goes on past bad inputs.

Formats by extension: ``.txt .text .md .markdown`` (text, front matter), ``.html .htm .xhtml``,
``.jsonl .ndjson`` (and ``.json`` when named explicitly), ``.xml .rss .atom`` (RSS/Atom feeds).
A file with another extension is read only when named explicitly, its format sniffed from content.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InvalidArgumentError, InvalidDocumentError
from ..model import Document
from .common import invalid, normalise_date
from .dispatch import EXPLICIT_EXTENSIONS, EXTENSIONS, STDIN_LABEL, read_file, read_stdin

__all__ = ["EXPLICIT_EXTENSIONS", "EXTENSIONS", "STDIN_LABEL", "default_published", "input_paths", "normalise_date",
           "read_documents"]

Result = Document | InvalidDocumentError


def read_documents(
    inputs: Iterable[str],
    *,
    published: str | None = None,
    max_bytes: int = 5_000_000,
    stdin: Any = None,
) -> Iterator[Result]:
    """Yield a Document or an InvalidDocumentError for every document found in ``inputs``.

    ``inputs`` are file paths, directories (recursed in sorted order, known extensions only,
    hidden entries skipped), globs (``news/*.txt``, ``news/**``) or ``-`` for ``stdin`` (default
    ``sys.stdin``; a binary or text stream). ``published`` (any form :func:`normalise_date` reads)
    is the date given to documents that carry none. Files over ``max_bytes`` are refused before
    being read; for JSONL the limit applies to each line. A file reached twice is read once.

    Raises :class:`InvalidArgumentError` at once (not lazily) for a bad ``published`` or ``max_bytes``.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    default = default_published(published)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise InvalidArgumentError(name="max_bytes", reason=f"must be a positive number of bytes, got {max_bytes!r}")
    return _read_all(inputs, default, max_bytes, stdin)


def default_published(published: str | None) -> str | None:
    """``published`` as ``YYYY-MM-DD`` (None stays None); raises :class:`InvalidArgumentError` if unreadable."""
    if published is None:
        return None
    default = normalise_date(published)
    if default is None:
        raise InvalidArgumentError(name="published", reason=f"cannot read {published!r} as a date")
    return default


def _read_all(inputs: Iterable[str], published: str | None, max_bytes: int, stdin: Any) -> Iterator[Result]:
    for path in input_paths(inputs):
        if isinstance(path, InvalidDocumentError):
            yield path
        elif path == "-":
            yield from read_stdin(sys.stdin if stdin is None else stdin, published, max_bytes)
        else:
            yield from read_file(path, published, max_bytes)


def input_paths(inputs: Iterable[str]) -> Iterator[str | InvalidDocumentError]:
    """The files ``inputs`` name, in the order :func:`read_documents` reads them, each once (``-`` for
    stdin), with an error for an input that names none. Lets a caller read the files elsewhere (a
    distributed ingest reads them on its workers)."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    seen: set[str] = set()
    for item in inputs:
        item = os.fspath(item)
        if item == "-":
            if item not in seen:
                seen.add(item)
                yield item
            continue
        for path in _expand(item):
            if isinstance(path, InvalidDocumentError):
                yield path
                continue
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield path


def _expand(item: str) -> Iterator[str | InvalidDocumentError]:
    """Paths named by one input: the file itself, a directory's known files, or a glob's matches."""
    if os.path.isdir(item):
        found = False
        for path in _walk(item):
            found = True
            yield path
        if not found:
            yield invalid(item, f"directory has no readable files ({' '.join(sorted(EXTENSIONS))})")
    elif os.path.exists(item):
        yield item
    elif any(c in item for c in "*?["):
        # `*.log` names its extension, so any match is wanted; `news/**` only the known extensions.
        explicit = os.path.splitext(item)[1].lower() not in ("", ".*")
        matches = (p for p in glob.iglob(item, recursive=True) if os.path.isfile(p))
        chosen = [p for p in matches if explicit or os.path.splitext(p)[1].lower() in EXTENSIONS]
        yield from sorted(chosen, key=lambda p: p.split(os.sep)) or [invalid(item, "no files match this pattern")]
    else:
        yield invalid(item, "no such file or directory")


def _walk(top: str) -> Iterator[str | InvalidDocumentError]:
    """Known-extension files under ``top``, depth first in sorted name order (= sorted path order).

    Iterative (a stack of directory listings); hidden entries and symlinked directories are skipped.
    """
    stack: list[Iterator[os.DirEntry[str]]] = []
    todo: str | None = top
    while todo is not None or stack:
        if todo is not None:
            try:
                with os.scandir(todo) as it:
                    stack.append(iter(sorted(it, key=lambda e: e.name)))
            except OSError as e:
                yield invalid(todo, e.strerror or str(e))
            todo = None
            continue
        for entry in stack[-1]:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                todo = entry.path
                break
            if os.path.splitext(entry.name)[1].lower() in EXTENSIONS and entry.is_file():
                yield entry.path
        else:
            stack.pop()
