"""Ingest: read documents, extract in parallel, store each document whole with its facts and claims.

Two engines produce the same stream of (document, figures), in input order:

* ``local`` (default): documents stream from the readers in this process; batches go to a process
  pool (extraction is a pure function, so workers share nothing) with a bounded number in flight.
* ``dask``: partitions of the input (file lists, JSON Lines byte ranges) are read and extracted on a
  Dask cluster (:mod:`evpace.distributed`); results come back here to be written.

Either way memory stays flat whatever the corpus size, and a document already stored (same content
hash) is skipped before it is extracted. New documents are written whole, a batch of them per
transaction (one commit for up to ``WRITE_BATCH`` documents, or what came in ``WRITE_EVERY_S``), so an
interrupted run leaves whole documents only and re-running finishes the job; several runs may write to
the same database at once (the content-hash keys decide who stores what).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .entities import Registry
from .errors import EvpaceError, ExtractionTimeoutError, InvalidArgumentError
from .extract import EXTRACTOR_VERSION, Extracted, default_registry, extract, to_fact, to_record
from .model import Document, Fact
from .reconcile import APPROX_TOLERANCE, Conflict, FactSet, fact_key
from .sources import read_documents
from .store import Store

BATCH = 64
WRITE_BATCH = 64  # documents per write transaction
WRITE_EVERY_S = 1.0  # ... or fewer, when they come slowly
ENGINES = ("local", "dask")
#: What the engines yield: a document (or a reading error) with its figures; figures are None for a
#: document found already stored before extraction (the item may then be just its id).
Extraction = tuple[Document | EvpaceError | str, list[Extracted] | None]

_worker_registry: Registry | None = None


def _init_worker(entities: list) -> None:
    global _worker_registry
    _worker_registry = Registry(entities)


def extract_batch(docs: list[Document], registry: Registry | None = None) -> list[list[Extracted]]:
    """Extraction of a batch (runs in a worker process; pure)."""
    reg = registry or _worker_registry or default_registry()
    return [_extract_or_error(d, reg) for d in docs]


def _extract_or_error(doc: Document, registry: Registry) -> list[Extracted] | ExtractionTimeoutError:
    """A document's figures, or the timeout error that takes its place (reported; the batch goes on)."""
    try:
        return extract(doc, registry)
    except ExtractionTimeoutError as exc:
        return exc


def extracted_stream(docs: Iterable[Document | EvpaceError], registry: Registry, workers: int = 1,
                     batch: int = BATCH, known: Callable[[list[str]], set[str]] | None = None
                     ) -> Iterator[Extraction]:
    """(document, its figures) in input order; errors pass through with no figures. ``known`` (ids ->
    those stored already) is asked once per batch; a known document is yielded unextracted (None)."""
    chunks = _todo_batches(iter(docs), batch, known)
    if workers <= 1:
        for chunk, todo in chunks:
            yield from _paired(chunk, todo, extract_batch(todo, registry))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(list(registry),)) as pool:
        pending: deque[tuple[list, list[Document], Future]] = deque()
        for chunk, todo in chunks:
            pending.append((chunk, todo, pool.submit(extract_batch, todo)))
            if len(pending) >= workers * 2:
                chunk, todo, fut = pending.popleft()
                yield from _paired(chunk, todo, fut.result())
        while pending:
            chunk, todo, fut = pending.popleft()
            yield from _paired(chunk, todo, fut.result())


def _todo_batches(it: Iterator[Document | EvpaceError], batch: int, known: Callable[[list[str]], set[str]] | None
                  ) -> Iterator[tuple[list[Document | EvpaceError], list[Document]]]:
    """Batches of the input, each with the documents in it that still need extracting."""
    while chunk := list(islice(it, batch)):
        docs = [d for d in chunk if not isinstance(d, EvpaceError)]
        stored = known([d.id for d in docs]) if known and docs else set()
        yield chunk, [d for d in docs if d.id not in stored]


def _paired(chunk: list[Document | EvpaceError], todo: list[Document], results: list[list[Extracted]]
            ) -> Iterator[Extraction]:
    figures = {id(d): r for d, r in zip(todo, results, strict=True)}  # todo: the chunk's documents to extract
    for d in chunk:
        r = None if isinstance(d, EvpaceError) else figures.get(id(d))
        yield (d, []) if isinstance(d, EvpaceError) else (r, []) if isinstance(r, EvpaceError) else (d, r)


def split(doc: Document, figures: list[Extracted]) -> tuple[list[Fact], list[dict[str, Any]]]:
    """Volume figures with a period become facts; percents, ratios, durations become claims."""
    facts, claims = [], []
    for x in figures:
        f = to_fact(x, doc)
        if f is not None:
            facts.append(f)
        elif x.unit != "vehicles":
            claims.append(to_record(x, doc))
    return facts, claims


@dataclass
class IngestSummary:
    """What an ingest run did."""

    documents: int = 0
    new_documents: int = 0
    duplicates: int = 0
    facts: int = 0
    new_facts: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # the first MAX_CONFLICTS_LISTED
    conflict_count: int = 0


def ingest(inputs: Iterable[str], db: Any = None, *, published: str | None = None, workers: int | None = None,
           progress: Callable[[int], None] | None = None, engine: str = "local", scheduler: str | None = None,
           partition_size: int | None = None) -> IngestSummary:
    """Store documents and their facts; idempotent by content hash; every document whole (with all its
    facts and claims) or not at all, in transactions of up to ``WRITE_BATCH`` documents.

    A document without a publication date is dated the day it is ingested (``published_basis``
    ``ingested``), so that ``as_of`` queries can still place its facts in time. ``engine`` is ``local``
    (a pool of ``workers`` processes) or ``dask`` (the cluster at ``scheduler``, or a local one of
    ``workers`` processes); ``partition_size`` is documents per batch (local) or per task (dask)."""
    if engine not in ENGINES:
        raise InvalidArgumentError(name="engine", reason=f"{engine!r} is not one of {', '.join(ENGINES)}")
    workers = workers or min(os.cpu_count() or 1, 8)
    summary = IngestSummary()
    today = dt.date.today().isoformat()
    store = db if isinstance(db, Store) else Store(db)
    try:
        registry = store.registry()
        if not len(registry):  # a database never initialised: it needs the entities facts refer to
            store.put_entities(default_registry())
            registry = store.registry()
        if engine == "dask":
            from .distributed import dask_stream

            stream = dask_stream(inputs, registry, store, published=published, scheduler=scheduler,
                                 workers=workers, partition_size=partition_size)
        else:
            docs = read_documents(inputs, published=published)
            stream = extracted_stream(docs, registry, workers, partition_size or BATCH, store.known_documents)
        pending: list[tuple[Document, list[Extracted]]] = []  # extracted, to be written together
        since = time.monotonic()
        with contextlib.closing(stream):  # stops the pool or cluster at once if writing fails
            for doc, figures in stream:
                summary.documents += 1
                if progress:
                    progress(summary.documents)
                if isinstance(doc, EvpaceError):
                    summary.errors.append(str(doc))
                elif figures is None:  # found stored before extraction
                    summary.duplicates += 1
                else:
                    if not pending:
                        since = time.monotonic()
                    pending.append((doc, figures))
                if pending and (len(pending) >= WRITE_BATCH or time.monotonic() - since >= WRITE_EVERY_S):
                    summary.duplicates += _write(store, pending, registry, today, summary).count(False)
                    pending = []
            summary.duplicates += _write(store, pending, registry, today, summary).count(False)
    finally:
        if store is not db:
            store.close()
    return summary


def _write(store: Store, batch: list[tuple[Document, list[Extracted]]], registry: Registry, today: str,
           summary: IngestSummary) -> list[bool]:
    """Write documents with their facts and claims in one transaction and count what was new; for each,
    False if it was stored already (by another run, or earlier in this batch)."""
    items = []
    for doc, figures in batch:
        facts, claims = split(doc, figures)
        if not doc.published:
            facts = [_dated(f, today) for f in facts]
        items.append((doc, [f for f in facts if f.entity_id in registry],
                      [c for c in claims if c["entity_id"] in registry], len(claims)))
    stored = store.add_documents([(d, f, c) for d, f, c, _ in items], EXTRACTOR_VERSION) if items else []
    for (_, facts, _, n_claims), new in zip(items, stored, strict=True):
        if new:
            summary.new_documents += 1
            summary.new_facts += len(facts)
            summary.facts += len(facts)
            summary.claims += n_claims
            _note_conflicts(store, facts, summary)
    return stored


def _store(store: Store, doc: Document, figures: list[Extracted], registry: Registry, today: str,
           summary: IngestSummary) -> bool:
    """Write one document as :func:`ingest` does (used by :mod:`evpace.fetch`); False if stored already."""
    return _write(store, [(doc, figures)], registry, today, summary)[0]


MAX_CONFLICTS_LISTED = 200


def _note_conflicts(store: Store, facts: list[Fact], summary: IngestSummary) -> None:
    """Compare a new document's facts with the stored facts of the same figure, one indexed query per
    figure, so time and memory stay flat however large the corpus. Conflicts are listed (the stored
    facts of the figure read back) until the list is full; after that they are only counted."""
    by_figure: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        if f.kind != "target":  # targets of one year are revisions, not conflicts
            by_figure.setdefault((f.entity_id, f.period), []).append(f)
    for new in by_figure.values():
        keys: dict[tuple, list[Fact]] = {}
        for f in new:
            keys.setdefault(fact_key(f), []).append(f)
        for key, same in sorted(keys.items()):
            if len(summary.conflicts) < MAX_CONFLICTS_LISTED:
                stored = [f for f in store.facts(entity_ids=[key[0]], metric=key[1], scope=key[2], period=key[3],
                                                 kind=key[5]) if f.basis == key[4]]
                new_ids = {f.id for f in same}
                found = [c for c in FactSet(_registry_of(store), stored).same_figure_conflicts()
                         if any(f.id in new_ids for f in c.facts)]
                summary.conflicts += found
                summary.conflict_count += len(found)
            elif any(store.contradicts(f, APPROX_TOLERANCE) for f in same):
                summary.conflict_count += 1


def _registry_of(store: Store):
    cached = getattr(store, "_ingest_registry", None)
    if cached is None:
        cached = store.registry()
        store._ingest_registry = cached  # type: ignore[attr-defined]
    return cached


def _dated(f: Fact, day: str) -> Fact:
    from dataclasses import replace

    return replace(f, origin=replace(f.origin, published=day, published_basis="ingested"))
