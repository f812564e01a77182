"""Ingest: read documents, extract in parallel, store each document with its facts in one transaction.

Documents stream from the readers; batches go to a process pool (extraction is a pure function, so
workers share nothing) with a bounded number in flight, so memory stays flat whatever the corpus size.
A document already stored (same content hash) is skipped; each new one is written in its own
transaction, so an interrupted run leaves whole documents only and re-running finishes the job.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .entities import Registry
from .errors import EvpaceError
from .extract import EXTRACTOR_VERSION, Extracted, default_registry, extract, to_fact, to_record
from .model import Document, Fact
from .reconcile import Conflict, FactSet
from .sources import read_documents
from .store import Store

BATCH = 64

_worker_registry: Registry | None = None


def _init_worker(entities: list) -> None:
    global _worker_registry
    _worker_registry = Registry(entities)


def extract_batch(docs: list[Document], registry: Registry | None = None) -> list[list[Extracted]]:
    """Extraction of a batch (runs in a worker process; pure)."""
    reg = registry or _worker_registry or default_registry()
    return [extract(d, reg) for d in docs]


def extracted_stream(docs: Iterable[Document | EvpaceError], registry: Registry, workers: int = 1,
                     batch: int = BATCH) -> Iterator[tuple[Document | EvpaceError, list[Extracted]]]:
    """(document, its figures) in input order; errors pass through with no figures."""
    it = iter(docs)
    if workers <= 1:
        for d in it:
            yield (d, []) if isinstance(d, EvpaceError) else (d, extract(d, registry))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(list(registry),)) as pool:
        pending: list[tuple[list, Future]] = []
        while True:
            while len(pending) < workers * 2:
                chunk = list(islice(it, batch))
                if not chunk:
                    break
                good = [d for d in chunk if not isinstance(d, EvpaceError)]
                pending.append((chunk, pool.submit(extract_batch, good)))
            if not pending:
                return
            chunk, fut = pending.pop(0)
            results = iter(fut.result())
            for d in chunk:
                yield (d, []) if isinstance(d, EvpaceError) else (d, next(results))


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
           progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Store documents and their facts; idempotent by content hash; one transaction per document.

    A document without a publication date is dated the day it is ingested (``published_basis``
    ``ingested``), so that ``as_of`` queries can still place its facts in time."""
    workers = workers or min(os.cpu_count() or 1, 8)
    summary = IngestSummary()
    today = dt.date.today().isoformat()
    store = db if isinstance(db, Store) else Store(db)
    try:
        registry = store.registry()
        if not len(registry):  # a database never initialised: it needs the entities facts refer to
            store.put_entities(default_registry())
            registry = store.registry()
        docs = read_documents(inputs, published=published)
        for doc, figures in extracted_stream(docs, registry, workers):
            summary.documents += 1
            if progress:
                progress(summary.documents)
            if isinstance(doc, EvpaceError):
                summary.errors.append(str(doc))
                continue
            if store.known_documents([doc.id]):
                summary.duplicates += 1
                continue
            facts, claims = split(doc, figures)
            if not doc.published:
                facts = [_dated(f, today) for f in facts]
            facts = [f for f in facts if f.entity_id in registry]
            if store.add_document(doc, facts, [c for c in claims if c["entity_id"] in registry], EXTRACTOR_VERSION):
                summary.new_documents += 1
                summary.new_facts += len(facts)
                summary.facts += len(facts)
                summary.claims += len(claims)
                _note_conflicts(store, facts, summary)
            else:
                summary.duplicates += 1
    finally:
        if store is not db:
            store.close()
    return summary


MAX_CONFLICTS_LISTED = 200


def _note_conflicts(store: Store, facts: list[Fact], summary: IngestSummary) -> None:
    """Compare a new document's facts with the stored facts of the same figure (one small query per
    figure), so memory stays flat however large the corpus. The list is capped; the count is not."""
    by_figure: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        by_figure.setdefault((f.entity_id, f.period), []).append(f)
    for (eid, period), new in by_figure.items():
        fs = FactSet(_registry_of(store), store.facts(entity_ids=[eid], period=period))
        new_ids = {f.id for f in new}
        for c in fs.same_figure_conflicts():
            if any(f.id in new_ids for f in c.facts):
                summary.conflict_count += 1
                if len(summary.conflicts) < MAX_CONFLICTS_LISTED:
                    summary.conflicts.append(c)


def _registry_of(store: Store):
    cached = getattr(store, "_ingest_registry", None)
    if cached is None:
        cached = store.registry()
        store._ingest_registry = cached  # type: ignore[attr-defined]
    return cached


def _dated(f: Fact, day: str) -> Fact:
    from dataclasses import replace

    return replace(f, origin=replace(f.origin, published=day, published_basis="ingested"))
