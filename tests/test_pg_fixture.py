"""The database fixtures themselves: real, empty, writable, isolated, of the backend under test."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

_seen_dbnames: list[str] = []
_module_databases: list[str] = []


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


def test_database_is_of_the_backend_under_test(database, db_backend, request):
    """``database`` is a new SQLite path or a new PostgreSQL database, as $EVPACE_TEST_BACKEND says."""
    assert request.node.get_closest_marker("database") is not None
    if db_backend == "sqlite":
        assert not Path(database).exists()
        conn = sqlite3.connect(database)
        try:
            conn.execute("CREATE TABLE t (x integer)")
            conn.execute("INSERT INTO t VALUES (42)")
            assert conn.execute("SELECT x FROM t").fetchall() == [(42,)]
        finally:
            conn.close()
    else:
        import psycopg

        assert database.startswith("postgresql://")
        assert request.node.get_closest_marker("postgres") is not None
        with psycopg.connect(database) as conn:
            assert _user_tables(conn) == []
            conn.execute("CREATE TABLE t (x integer)")
            conn.execute("INSERT INTO t VALUES (42)")
            assert conn.execute("SELECT x FROM t").fetchall() == [(42,)]


def test_database_factory_gives_separate_databases(database, database_factory, module_database):
    others = [database_factory(), database_factory()]
    assert len({database, module_database, *others}) == 4


def test_module_database_is_shared_by_the_module(module_database):
    _module_databases.append(module_database)
    assert len(set(_module_databases)) == 1


test_module_database_is_shared_again = test_module_database_is_shared_by_the_module


def test_db_url_is_the_database_of_the_backend_under_test(db_url, database):
    assert db_url == database
