"""Distributed ingest on a Dask cluster: ``evpace ingest --engine dask [--scheduler tcp://HOST:PORT]``.

The input is cut into *partitions* here, on the driver, without reading documents: runs of files, and
byte ranges of JSON Lines files (``partition_size`` lines each, found by scanning for newlines). Each
partition is one task: a worker reads it with the ordinary readers, skips the documents the database
already holds (the driver sends, per partition, the ids stored for its paths), runs the pure extractor
and returns the documents with their figures. Never one task per document, and never more than
``IN_FLIGHT_PER_THREAD`` tasks per worker thread at a time, so the driver's memory stays flat
whatever the corpus size.

The driver consumes results in input order and writes them with the same code as the local engine
(:func:`evpace.ingest.ingest`): documents whole, many per transaction, content-hash keys, ``ON
CONFLICT DO NOTHING``. So a dask run stores exactly what a local run stores, re-running adds nothing,
and an interrupted run is finished by running it again. Writing from the driver rather than from the
workers keeps SQLite possible (one file, local to the driver), keeps the conflict report, and costs
little next to extraction (see ``docs/scaling.md`` for the figures and for when that stops holding).

Workers read the files themselves, so they must see them at the same absolute paths (a shared or
copied folder); documents keep the paths as given on the command line. ``-`` (stdin) is read on the
driver and sent as partitions of documents.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .entities import Registry
from .errors import ClusterError, EvpaceError, InvalidArgumentError
from .extract import extract
from .model import Document, Entity
from .sources import default_published, input_paths
from .sources.dispatch import kind_of, read_file, read_stdin
from .sources.jsonl import read_jsonl
from .store import Store

PARTITION_SIZE = 256  # documents (JSON Lines lines, or files) per task
IN_FLIGHT_PER_THREAD = 2
MAX_BYTES = 5_000_000  # per document, as read_documents
CONNECT_TIMEOUT_S = 20
_SCAN_CHUNK = 1 << 20


@dataclass(frozen=True)
class Partition:
    """A slice of the input one task reads: ``lines`` of a JSON Lines file (bytes ``start``-``stop``,
    first line number ``first_line``), ``files`` (pairs of the path as given and its absolute path),
    or ``docs`` already read (stdin)."""

    kind: str
    path: str = ""
    real: str = ""
    start: int = 0
    stop: int = 0
    first_line: int = 1
    lines: int = 0
    files: tuple[tuple[str, str], ...] = ()
    docs: tuple[Document, ...] = ()

    def labels(self) -> list[str]:
        """The ``path`` values its documents will carry (for looking up those stored already)."""
        if self.kind == "lines":
            return [f"{self.path}:{n}" for n in range(self.first_line, self.first_line + self.lines)]
        if self.kind == "files":
            return [label for label, _ in self.files]
        return [d.path for d in self.docs]

    def read(self, published: str | None) -> Iterator[Document | EvpaceError]:
        """Its documents (and reading errors), exactly as :func:`evpace.sources.read_documents` gives them."""
        if self.kind == "lines":
            stem = os.path.splitext(os.path.basename(self.path))[0]
            with open(self.real, "rb") as f:
                f.seek(self.start)
                yield from read_jsonl(_Until(f, self.stop), path=self.path, stem=stem, published=published,
                                      max_bytes=MAX_BYTES, first_line=self.first_line)
        elif self.kind == "files":
            for label, real in self.files:
                for item in read_file(real, published, MAX_BYTES):
                    yield _relabel(item, real, label)
        else:
            yield from self.docs


class _Until:
    """A binary file seen only up to byte ``stop`` (a line boundary), line by line."""

    def __init__(self, f: Any, stop: int) -> None:
        self.f, self.stop = f, stop

    def readline(self, size: int = -1) -> bytes:
        return b"" if self.f.tell() >= self.stop else self.f.readline(size)


def _relabel(item: Document | EvpaceError, real: str, label: str) -> Document | EvpaceError:
    """A document or error read from the absolute path ``real``, named by the path as given."""
    if real == label:
        return item
    if isinstance(item, Document):
        return replace(item, path=label + item.path[len(real):]) if item.path.startswith(real) else item
    fields = dict(item.fields)
    if str(fields.get("path", "")).startswith(real):
        fields["path"] = label + str(fields["path"])[len(real):]
    return type(item)(**fields)


# -- planning (driver) --------------------------------------------------------------------------------

def partitions(inputs: Iterable[str], published: str | None, size: int = PARTITION_SIZE
               ) -> Iterator[Partition | EvpaceError]:
    """The input cut into partitions, in reading order; inputs that name no file come as errors."""
    files: list[tuple[str, str]] = []
    for path in input_paths(inputs):
        alone = isinstance(path, EvpaceError) or path == "-" or kind_of(path) == "jsonl"
        if files and (alone or len(files) >= size):
            yield Partition("files", files=tuple(files))
            files = []
        if isinstance(path, EvpaceError):
            yield path
        elif path == "-":
            yield from _stdin_partitions(published, size)
        elif kind_of(path) == "jsonl":
            yield from _line_partitions(path, size)
        else:
            files.append((path, os.path.abspath(path)))
    if files:
        yield Partition("files", files=tuple(files))


def _line_partitions(path: str, size: int) -> Iterator[Partition]:
    """Runs of ``size`` lines of a JSON Lines file, found by scanning its bytes for newlines."""
    real = os.path.abspath(path)
    try:
        f = open(real, "rb")  # noqa: SIM115 - closed below; a generator holds it across yields
    except OSError:  # the worker's read_file reports it as the local engine would
        yield Partition("files", files=((path, real),))
        return
    with f:
        start = pos = count = 0
        first, last = 1, b"\n"
        while chunk := f.read(_SCAN_CHUNK):
            i = chunk.find(b"\n")
            while i >= 0:
                count += 1
                if count == size:
                    yield Partition("lines", path=path, real=real, start=start, stop=pos + i + 1, first_line=first,
                                    lines=count)
                    start, first, count = pos + i + 1, first + count, 0
                i = chunk.find(b"\n", i + 1)
            pos += len(chunk)
            last = chunk[-1:]
        if pos > start:
            yield Partition("lines", path=path, real=real, start=start, stop=pos, first_line=first,
                            lines=count + (last != b"\n"))


def _stdin_partitions(published: str | None, size: int) -> Iterator[Partition | EvpaceError]:
    import sys

    docs: list[Document] = []
    for item in read_stdin(sys.stdin, published, MAX_BYTES):
        if isinstance(item, EvpaceError):
            yield item
        else:
            docs.append(item)
            if len(docs) >= size:
                yield Partition("docs", docs=tuple(docs))
                docs = []
    if docs:
        yield Partition("docs", docs=tuple(docs))


# -- tasks (workers) ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Error:
    """An :class:`EvpaceError` in a form that survives pickling (its class and fields)."""

    cls: type
    fields: dict[str, Any]

    def rebuild(self) -> EvpaceError:
        return self.cls(**self.fields)


_registries: dict[str, Registry] = {}


def run_partition(part: Partition, entities: list[Entity], key: str, published: str | None,
                  stored: dict[str, set[str]]) -> list[tuple[Any, Any]]:
    """Read a partition and extract its documents (a task; pure but for reading the input).

    Returns (document, figures) pairs; (id, None) for a document ``stored`` has at its path already;
    (error, []) for what could not be read."""
    registry = _registries.get(key)
    if registry is None:  # one per worker process: the extractor caches compiled finders per registry
        _registries.clear()
        registry = _registries[key] = Registry(entities)
    out: list[tuple[Any, Any]] = []
    for item in part.read(published):
        if isinstance(item, EvpaceError):
            out.append((_Error(type(item), item.fields), []))
        elif item.id in stored.get(item.path, ()):
            out.append((item.id, None))
        else:
            try:
                out.append((item, extract(item, registry)))
            except EvpaceError as exc:  # a per-document time limit: reported like a read error
                out.append((_Error(type(exc), exc.fields), []))
    return out


# -- driver -------------------------------------------------------------------------------------------

def dask_stream(inputs: Iterable[str], registry: Registry, store: Store, *, published: str | None = None,
                scheduler: str | None = None, workers: int | None = None, partition_size: int | None = None
                ) -> Iterator[tuple[Any, Any]]:
    """(document, figures) for every document of ``inputs``, in input order, extracted on the cluster at
    ``scheduler`` (or on a local cluster of ``workers`` processes). See :mod:`evpace.ingest`."""
    size = PARTITION_SIZE if partition_size is None else partition_size
    if size < 1:
        raise InvalidArgumentError(name="partition_size", reason=f"must be at least 1, got {size}")
    published = default_published(published)
    client, cluster = _connect(scheduler, workers)
    try:
        [entities] = client.scatter([list(registry)], broadcast=True)
        key = hashlib.sha1(repr(list(registry)).encode()).hexdigest()
        limit = IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))
        window: deque[Any] = deque()  # errors and futures, in input order
        running = 0
        for part in partitions(inputs, published, size):
            if isinstance(part, EvpaceError):
                window.append(part)
                continue
            stored = store.documents_at(part.labels())
            window.append(client.submit(run_partition, part, entities, key, published, stored, pure=False))
            running += 1
            while running >= limit:
                head = window.popleft()
                running -= not isinstance(head, EvpaceError)
                yield from _results(head, scheduler)
        while window:
            yield from _results(window.popleft(), scheduler)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _results(head: Any, scheduler: str | None) -> Iterator[tuple[Any, Any]]:
    if isinstance(head, EvpaceError):
        yield head, []
        return
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    try:
        results = head.result()
    except (KilledWorker, CancelledError, OSError) as exc:
        raise ClusterError(scheduler=scheduler or "local cluster", reason=f"a partition failed: {exc!r}") from exc
    for item, figures in results:
        yield (item.rebuild() if isinstance(item, _Error) else item), figures


def local_cluster(workers: int) -> Any:
    """A ``distributed.LocalCluster`` of ``workers`` processes with one thread each, quiet, without a
    dashboard, its HTTP endpoint on a free localhost port (8787 may be taken)."""
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, silence_logs=logging.ERROR,
                        dashboard_address=None,
                        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})


def _connect(scheduler: str | None, workers: int | None) -> tuple[Any, Any]:
    """A client of the cluster at ``scheduler``, or of a new local cluster (and that cluster)."""
    from distributed import Client

    cluster = client = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        else:
            cluster = local_cluster(workers or os.cpu_count() or 1)
            client = Client(cluster)
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        return client, cluster
    except (OSError, TimeoutError) as exc:
        for c in (client, cluster):
            if c is not None:
                c.close()
        reason = str(exc) or repr(exc)
        if client is not None:
            reason = f"no worker joined within {CONNECT_TIMEOUT_S} s ({reason})"
        raise ClusterError(scheduler=scheduler or "local cluster", reason=reason) from exc
