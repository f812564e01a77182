"""Faults during ingest: SIGKILL at random moments, a full disk, a database that goes away. Each time
the database must hold whole documents only (every stored document with all its facts and claims, as
a clean reference run stores them), lose nothing it had committed, and a re-run must finish the job."""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path

import pytest
from ingest_support import (
    DbState,
    assert_same,
    db_state,
    document_counts,
    ingest_cmd,
    kill_loop,
    wait_for_progress,
    write_corpus,
)

from evpace import api
from evpace.errors import StorageFullError
from evpace.store import Store

KILLS = 3  # benchmarks/bench_reliability.py runs the same loop with more


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    paths = write_corpus(folder / "in", {"f1": range(0, 150), "f2": range(150, 300)}, seed=11)
    reference = str(folder / "reference.db")
    api.ingest(paths, reference, workers=1)
    return paths, db_state(reference)


def _intact(url: str, reference: DbState) -> int:
    """Assert every stored document is whole; the number stored."""
    with Store(url) as s:
        counts = document_counts(s)
    assert DbState(documents=counts).incomplete(reference) == {}
    return len(counts)


def test_sigkill_at_random_moments_then_rerun(db_url, corpus):
    paths, reference = corpus
    report = kill_loop(db_url, paths, reference, KILLS, seed=2026)
    assert report.kills >= 2, report  # the kills landed while documents were being stored
    assert report.incomplete_after_kill == 0, report
    assert report.final_rc == 0, report
    assert_same(db_state(db_url), reference)


def test_full_disk_stops_with_a_clear_error_and_keeps_what_was_stored(tmp_path, corpus):
    """A file size limit (RLIMIT_FSIZE) in the ingest process stands in for a full disk."""
    paths, reference = corpus
    db = str(tmp_path / "full.db")
    api.ingest(paths[:1], db, workers=1)
    before = _intact(db, reference)
    limit = os.path.getsize(db) + 64 * 1024

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = subprocess.run(ingest_cmd(db, paths, "--workers", "1"), capture_output=True, text=True, timeout=300,
                       preexec_fn=small_files)
    assert r.returncode == 2, r.stderr[-2000:]
    assert f"database {db} is out of space" in r.stderr and "file size limit" in r.stderr, r.stderr[-2000:]
    assert _intact(db, reference) >= before
    assert not api.ingest(paths, db, workers=1).errors  # space again: the re-run finishes the job
    assert_same(db_state(db), reference)


def test_sqlite_full_database_raises_storage_full(tmp_path, corpus):
    """SQLITE_FULL (what a disk without space gives; here PRAGMA max_page_count) is StorageFullError,
    raised from ingest with the documents stored before it intact."""
    paths, reference = corpus
    db = str(tmp_path / "pages.db")
    with Store(db) as s:
        api.ingest(paths[:1], s, workers=1)
        pages = s.query("PRAGMA page_count")[0]["page_count"]
        s.query(f"PRAGMA max_page_count = {pages + 8}")
        with pytest.raises(StorageFullError, match=f"database {db} is out of space: database or disk is full"):
            api.ingest(paths, s, workers=1)
    assert _intact(db, reference) >= len(range(150))


def test_postgres_connection_killed_mid_run(pg_url, corpus):
    paths, reference = corpus
    proc = subprocess.Popen(ingest_cmd(pg_url, paths, "--workers", "1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    with Store(pg_url) as s:
        assert wait_for_progress(proc, s, 0), "the ingest finished or failed before it could be cut off"
        s.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err[-2000:]
    assert "became unavailable: connection lost" in err and pg_url.split("@")[-1] in err, err[-2000:]
    n = _intact(pg_url, reference)
    assert 0 < n < len(reference.documents)
    assert api.ingest(paths, pg_url, workers=1).new_documents == len(reference.documents) - n
    assert_same(db_state(pg_url), reference)


def test_sqlite_file_moved_away_mid_run(tmp_path, corpus):
    """SQLite would go on writing into a file that was moved or deleted (and lose the writes with it):
    ingest notices, stops with a clear error, and what it had committed is in the moved file."""
    paths, reference = corpus
    db = tmp_path / "moving.db"
    Store(str(db)).close()
    proc = subprocess.Popen(ingest_cmd(str(db), paths, "--workers", "1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    with Store(str(db)) as s:
        assert wait_for_progress(proc, s, 0), "the ingest finished or failed before the file was moved"
    moved = _move(db, tmp_path / "elsewhere.db")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err[-2000:]
    assert f"database {db} became unavailable: the database file was deleted, moved or replaced" in err, err[-2000:]
    _move(moved, db)
    n = _intact(str(db), reference)
    assert 0 < n < len(reference.documents)
    assert api.ingest(paths, str(db), workers=1).new_documents == len(reference.documents) - n
    assert_same(db_state(str(db)), reference)


def _move(db: Path, to: Path) -> Path:
    """Move a SQLite database with its -wal and -shm files."""
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db}{suffix}")
        if src.exists():
            src.rename(f"{to}{suffix}")
    return to
