"""Shared fixtures: a fresh SQLite file or a fresh PostgreSQL database per test.

PostgreSQL comes from ``EVPACE_TEST_PG_URL`` (``make test`` starts a throwaway server
with ``scripts/pg_test_server.sh`` and sets it).  Without it, postgres tests are
skipped locally but *fail* under CI, so they can never pass by not running.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_ENV = "EVPACE_TEST_PG_URL"


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _with_dbname(base: str, dbname: str) -> str:
    """Return ``base`` (a URL or key=value conninfo) pointing at ``dbname``."""
    if "://" in base:
        parts = urlsplit(base)
        return urlunsplit(parts._replace(path="/" + dbname))
    from psycopg.conninfo import make_conninfo

    return make_conninfo(base, dbname=dbname)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Anything that asks for a PostgreSQL database is a postgres test (so `-m "not postgres"` works).
    for item in items:
        if {"pg_url", "pg_url_factory", "pg_module_url_factory"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """Path of a fresh (not yet existing) SQLite database file."""
    return str(tmp_path / "evpace.db")


def _pg_factory() -> Iterator[Callable[[], str]]:
    base = os.environ.get(PG_ENV)
    if not base:
        msg = (
            f"{PG_ENV} is not set: no PostgreSQL server for postgres tests. "
            "Run `make test` (starts one via scripts/pg_test_server.sh) or export "
            f"{PG_ENV}=$(scripts/pg_test_server.sh start)."
        )
        if _running_in_ci():
            pytest.fail(msg + " (CI is set, so this is an error, not a skip)", pytrace=False)
        pytest.skip(msg)

    import psycopg
    from psycopg import sql

    created: list[str] = []

    def make() -> str:
        name = f"evpace_t_{secrets.token_hex(8)}"
        with psycopg.connect(base, autocommit=True) as conn:
            # template0 is pristine: nothing anyone added to template1 leaks in.
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        created.append(name)
        return _with_dbname(base, name)

    yield make

    if created:
        with psycopg.connect(base, autocommit=True) as conn:
            for name in created:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pg_url_factory() -> Iterator[Callable[[], str]]:
    """Call it to get the URL of a new, empty PostgreSQL database; all are dropped at teardown."""
    yield from _pg_factory()


@pytest.fixture(scope="module")
def pg_module_url_factory() -> Iterator[Callable[[], str]]:
    """Like ``pg_url_factory``, for module-scoped fixtures (a database shared by a module's tests)."""
    yield from _pg_factory()


@pytest.fixture
def pg_url(pg_url_factory) -> str:
    """URL of a fresh, empty PostgreSQL database of its own, dropped after the test."""
    return pg_url_factory()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    """Run the test once on SQLite (a file path) and once on PostgreSQL (a URL)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")
