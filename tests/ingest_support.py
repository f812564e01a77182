"""Helpers for the concurrency, distributed-ingest and fault tests (and benchmarks/bench_reliability.py).

* :func:`write_corpus` writes synthetic articles (:mod:`evpace.synthetic`, invented text) as JSONL files;
* :func:`ingest_cmd` / :func:`parse_summary` run ``evpace ingest`` as a real subprocess and read its
  summary line;
* :func:`db_state` reads what a database holds after ingest: per document, how many facts and claims
  are stored (one statement, so one consistent snapshot even while writers run), and every key;
* :func:`kill_loop` SIGKILLs ``evpace ingest`` at random moments, checking after each kill.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from evpace.store import Store
from evpace.synthetic import write_jsonl

EVPACE = str(Path(sys.executable).parent / "evpace")
_SUMMARY = re.compile(r"documents (\d+): (\d+) new, (\d+) already stored, (\d+) errors; facts (\d+) new")


def write_corpus(folder: Path, ranges: dict[str, range], *, seed: int = 7, size: int = 600) -> list[str]:
    """One JSONL file per name, holding the synthetic articles numbered by its range (ranges may overlap)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [str(write_jsonl(folder / f"{name}.jsonl", numbers, seed=seed, size=size))
            for name, numbers in ranges.items()]


def ingest_cmd(db: str, paths: list[str], *extra: str) -> list[str]:
    return [EVPACE, "--db", db, "ingest", *extra, *paths]


def parse_summary(stderr: str) -> dict[str, int]:
    """``documents``, ``new``, ``stored``, ``errors``, ``new_facts`` from ``evpace ingest``'s summary line."""
    m = _SUMMARY.search(stderr)
    assert m, f"no summary line in: {stderr[-2000:]}"
    return dict(zip(("documents", "new", "stored", "errors", "new_facts"), map(int, m.groups()), strict=True))


@dataclass
class DbState:
    """What ingest left in a database."""

    documents: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (facts, claims) stored
    facts: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)
    rows: dict[str, int] = field(default_factory=dict)  # COUNT(*) per table, to see duplicates

    def incomplete(self, reference: DbState) -> dict[str, tuple[tuple[int, int], tuple[int, int] | None]]:
        """Documents whose stored facts/claims differ from the reference run's: id -> (here, there)."""
        return {d: (n, reference.documents.get(d)) for d, n in self.documents.items()
                if reference.documents.get(d) != n}


def document_counts(store: Store) -> dict[str, tuple[int, int]]:
    """Per stored document: (facts, claims) stored with it, read in one statement (one snapshot)."""
    rows = store.query("SELECT d.id AS id, (SELECT COUNT(*) FROM facts f WHERE f.document_id = d.id) AS nf, "
                       "(SELECT COUNT(*) FROM claims c WHERE c.document_id = d.id) AS nc FROM documents d")
    return {r["id"]: (int(r["nf"]), int(r["nc"])) for r in rows}


def db_state(url: str) -> DbState:
    with Store(url) as s:
        return DbState(
            documents=document_counts(s),
            facts={r["id"] for r in s.query("SELECT id FROM facts WHERE document_id IS NOT NULL")},
            claims={r["id"] for r in s.query("SELECT id FROM claims")},
            rows={t: int(s.query(f"SELECT COUNT(*) AS n FROM {t} WHERE {k} IS NOT NULL")[0]["n"])
                  for t, k in (("documents", "id"), ("facts", "document_id"), ("claims", "document_id"))},
        )


def assert_same(state: DbState, reference: DbState) -> None:
    """The same documents, each with the same facts and claims, and no row twice."""
    assert state.incomplete(reference) == {}
    assert set(state.documents) == set(reference.documents)
    assert state.facts == reference.facts and state.claims == reference.claims
    assert state.rows == {"documents": len(state.documents), "facts": len(state.facts), "claims": len(state.claims)}


# -- fault injection ---------------------------------------------------------------------------------

def stored_documents(store: Store) -> int:
    return int(store.query("SELECT COUNT(*) AS n FROM documents")[0]["n"])


def wait_for_progress(proc: subprocess.Popen, store: Store, before: int, timeout: float = 120) -> bool:
    """Wait until ``proc`` has stored a document more than ``before`` (True) or has exited (False)."""
    end = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < end:
        if stored_documents(store) > before:
            return True
        time.sleep(0.01)
    return False


@dataclass
class KillReport:
    """What :func:`kill_loop` did and found."""

    kills: int = 0  # SIGKILLs delivered to a running ingest, after it had begun storing documents
    finished_before_kill: int = 0  # runs that completed before their kill came
    stored_at_kills: list[int] = field(default_factory=list)  # documents stored when each kill landed
    incomplete_after_kill: int = 0  # documents missing facts or claims, summed over the checks after kills
    final_rc: int | None = None
    seconds: float = 0.0


def kill_loop(db: str, paths: list[str], reference: DbState, kills: int, seed: int, *, max_delay: float = 0.5,
              extra: tuple[str, ...] = ("--workers", "1")) -> KillReport:
    """Run ``evpace ingest`` and SIGKILL it (its whole process group) at a random moment after it has
    begun storing, ``kills`` times; check after every kill that no document is half-written; then run
    it to completion. Delays are drawn from a RNG seeded with ``seed``."""
    rng = random.Random(seed)
    report = KillReport()
    t0 = time.monotonic()
    with Store(db) as watcher:
        for _ in range(kills):
            before = stored_documents(watcher)
            proc = subprocess.Popen(ingest_cmd(db, paths, *extra), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            if wait_for_progress(proc, watcher, before):
                time.sleep(rng.uniform(0, max_delay))
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                report.kills += 1
                report.stored_at_kills.append(stored_documents(watcher))
            else:
                report.finished_before_kill += 1
            proc.wait()
            report.incomplete_after_kill += len(DbState(documents=document_counts(watcher)).incomplete(reference))
    report.final_rc = subprocess.run(ingest_cmd(db, paths, *extra), capture_output=True, timeout=600).returncode
    report.seconds = round(time.monotonic() - t0, 1)
    return report
