"""The database fixtures themselves: real, empty, writable, isolated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

_seen_dbnames: list[str] = []


def _dbname(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT current_database()").fetchone()[0]


def _user_tables(conn) -> list[str]:
    rows = conn.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables"
        " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
    ).fetchall()
    return [r[0] for r in rows]


def test_pg_url_is_real_empty_and_writable(pg_url):
    import psycopg

    with psycopg.connect(pg_url) as conn:
        name, version = conn.execute(
            "SELECT current_database(), current_setting('server_version_num')"
        ).fetchone()
        assert name.startswith("evpace_t_")
        assert int(version) >= 130000  # DROP DATABASE ... WITH (FORCE) needs 13+
        assert _user_tables(conn) == []

        conn.execute("CREATE TABLE t (id integer PRIMARY KEY, label text NOT NULL)")
        conn.execute("INSERT INTO t VALUES (%s, %s), (%s, %s)", (1, "one", 2, "two"))
        conn.commit()

    with psycopg.connect(pg_url) as conn:  # a new connection sees committed data
        assert conn.execute("SELECT id, label FROM t ORDER BY id").fetchall() == [(1, "one"), (2, "two")]
    _seen_dbnames.append(name)


def test_two_pg_urls_get_different_databases(pg_url, pg_url_factory):
    import psycopg

    other = pg_url_factory()
    assert other != pg_url
    assert _dbname(other) != _dbname(pg_url)

    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE only_here (x integer)")
    with psycopg.connect(other) as conn:
        assert _user_tables(conn) == []


def test_databases_are_dropped_after_the_test(pg_url):
    """Runs after test_pg_url_is_real_empty_and_writable (file order) and checks its database is gone."""
    import psycopg

    if not _seen_dbnames:
        pytest.skip("needs test_pg_url_is_real_empty_and_writable to have run first in this session")
    with psycopg.connect(pg_url) as conn:
        leftovers = conn.execute(
            "SELECT datname FROM pg_database WHERE datname = ANY(%s)", (_seen_dbnames,)
        ).fetchall()
    assert leftovers == []


def test_db_url_runs_on_both_backends(db_url, request):
    backend = request.node.callspec.params["db_url"]
    if backend == "sqlite":
        assert not Path(db_url).exists()
        conn = sqlite3.connect(db_url)
        try:
            conn.execute("CREATE TABLE t (x integer)")
            conn.execute("INSERT INTO t VALUES (42)")
            assert conn.execute("SELECT x FROM t").fetchall() == [(42,)]
        finally:
            conn.close()
    else:
        import psycopg

        assert db_url.startswith("postgresql://")
        assert request.node.get_closest_marker("postgres") is not None
        with psycopg.connect(db_url) as conn:
            assert _user_tables(conn) == []
            conn.execute("CREATE TABLE t (x integer)")
            conn.execute("INSERT INTO t VALUES (42)")
            assert conn.execute("SELECT x FROM t").fetchall() == [(42,)]
