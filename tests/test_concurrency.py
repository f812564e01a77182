"""Concurrent ingest: several `evpace ingest` processes write overlapping corpora into one new database
at once (SQLite WAL and PostgreSQL) while this process reads it. Nothing may be lost or stored twice,
no reader may see half a document, and the result must equal a single-process ingest of the same
corpus. Also: connections racing to create the schema, a writer locked out past the busy timeout, and
the SQL conflict check against the Python one."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest
from ingest_support import assert_same, db_state, document_counts, ingest_cmd, parse_summary, write_corpus

from evpace import api
from evpace.errors import StoreError
from evpace.extract import default_registry
from evpace.model import Fact, Origin
from evpace.reconcile import APPROX_TOLERANCE, FactSet
from evpace.store import Store, migrations

# Three files, each overlapping the others: 160 distinct articles, 240 article-copies.
RANGES = {"a": range(0, 100), "b": range(50, 150), "c": range(110, 160)}
COPIES = sum(len(r) for r in RANGES.values())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrent")
    paths = write_corpus(folder / "in", RANGES)
    reference = str(folder / "reference.db")
    api.ingest(paths, reference, workers=1)
    return paths, db_state(reference)


def test_concurrent_ingest_processes_store_each_document_once(db_url, corpus):
    paths, reference = corpus
    # each process gets all three files, in a different order, so they collide document by document
    orders = [paths, paths[1:] + paths[:1], paths[::-1]]
    procs = [subprocess.Popen(ingest_cmd(db_url, order, "--workers", "1"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for order in orders]
    seen, problems = [], []

    def read_while_writing() -> None:
        try:
            while all(p.poll() is None for p in procs) and not seen:  # wait for the schema and entities
                try:
                    with Store(db_url) as s:
                        if len(s.registry()):
                            seen.append(len(document_counts(s)))
                except StoreError:
                    pass
                time.sleep(0.05)
            facts_seen = 0
            with Store(db_url) as s:
                while any(p.poll() is None for p in procs):
                    counts = document_counts(s)  # one statement: one snapshot
                    half = {d: n for d, n in counts.items() if reference.documents.get(d) != n}
                    if half:
                        problems.append(half)
                    seen.append(len(counts))
                    n = len(api.facts(db_url, entity="xiaomi"))  # the API a user would call meanwhile
                    if n < facts_seen:
                        problems.append(f"facts went from {facts_seen} to {n}")
                    facts_seen = n
                    time.sleep(0.02)
        except Exception as exc:  # noqa: BLE001 - a reader that fails is a finding, not a crash
            problems.append(repr(exc))

    reader = threading.Thread(target=read_while_writing)
    reader.start()
    outs = [p.communicate(timeout=180) for p in procs]
    reader.join()
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-3000:]
    summaries = [parse_summary(err) for _, err in outs]

    assert not problems, problems[:3]
    assert len(seen) > 3 and seen == sorted(seen), "the reader saw documents disappear or never ran"
    assert_same(db_state(db_url), reference)
    # every document was stored by exactly one process; the others found it stored
    assert sum(s["new"] for s in summaries) == len(reference.documents)
    assert sum(s["new_facts"] for s in summaries) == len(reference.facts)
    assert all(s["documents"] == COPIES and s["new"] + s["stored"] == COPIES for s in summaries)


def test_concurrent_writers_in_one_process_retry_and_agree(db_url, tmp_path):
    """Threads (one connection each) adding the same documents at once: each stored once, and the
    total of 'new' answers equals the number of documents."""
    paths = write_corpus(tmp_path, {"t": range(500, 540)})
    api.ingest(paths, db_url, workers=1)  # the schema, and the documents to copy
    with Store(db_url) as s:
        docs = s.query("SELECT id FROM documents")
        s.execute("DELETE FROM claims")
        s.execute("DELETE FROM facts")
        s.execute("DELETE FROM documents")
    assert docs
    results: list[int] = []

    def writer() -> None:
        summary = api.ingest(paths, db_url, workers=1)
        results.append(summary.new_documents)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == len(docs)
    with Store(db_url) as s:
        assert s.counts()["documents"] == len(docs)


def test_contradicts_agrees_with_factset(db_url):
    """Store.contradicts (the conflict count used once the conflict list is full) gives the same
    answer as FactSet.same_figure_conflicts, over bounds, rounding and near-boundary values."""
    import random

    rng = random.Random(5)
    registry = default_registry()
    facts = []
    for i in range(120):
        bound = rng.choice(["exact", "approx", "lower", "upper"])
        value = rng.choice([1000, 1010, 1020, 1021, 980, 1500, 900]) * rng.choice([1, 1, 1.001])
        flags = ("rounded",) if rng.random() < 0.3 else ()
        facts.append(Fact(entity_id="xiaomi", metric="deliveries", scope="month", period=f"2025-{1 + i % 3:02d}",
                          value=value, bound=bound, flags=flags, origin=Origin(url=f"https://t.example/{i}")))
    with Store(db_url) as s:
        s.put_entities(registry)
        for k, f in enumerate(facts):
            stored = [g for g in facts[:k] if g.period == f.period]
            expected = any(f in c.facts for c in FactSet(registry, [*stored, f]).same_figure_conflicts())
            s.add_facts([f])
            assert s.contradicts(f, APPROX_TOLERANCE) == expected, (f, stored)


def test_many_connections_open_a_new_database_at_once(db_url):
    """The first connections to an empty database all try to create the schema: one must win, the
    others wait and find it done (a PostgreSQL advisory lock; SQLite's write lock)."""
    barrier = threading.Barrier(8)
    errors: list[str] = []

    def opener() -> None:
        barrier.wait()
        try:
            with Store(db_url) as s:
                s.put_entities(default_registry())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=opener) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(db_url) as s:
        assert [m["version"] for m in s.applied_migrations()] == [v for v, _, _ in migrations()]


def test_a_writer_locked_out_past_the_busy_timeout_tries_again(sqlite_url, monkeypatch):
    """SQLite: when another writer holds the lock longer than the busy timeout, add_document does not
    fail with 'database is locked' but runs its transaction again a little later."""
    import evpace.store as store_module
    from evpace.model import Document

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)
    Store(sqlite_url).close()  # the schema
    locked = threading.Event()

    def hold_the_lock() -> None:
        with Store(sqlite_url) as other:
            other.execute("BEGIN IMMEDIATE")
            locked.set()
            time.sleep(0.7)
            other.execute("COMMIT")

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait()
    with Store(sqlite_url) as s:
        t0 = time.monotonic()
        assert s.add_document(Document(text="A text to store while locked out.", name="x"), [], [], "test")
        assert time.monotonic() - t0 >= 0.5
        holder.join()
        assert s.counts()["documents"] == 1
