"""Shared fixtures: a fresh database per test (or per module) on the backend under test.

The suite runs once per storage backend, chosen with ``EVPACE_TEST_BACKEND``:

* ``sqlite`` (the default): every test, with the database fixtures below giving SQLite file paths;
* ``postgres``: the same database fixtures give URLs of new PostgreSQL databases. ``make test`` runs
  this pass over the tests marked ``database`` only (the others do not touch a database).

PostgreSQL comes from ``EVPACE_TEST_PG_URL`` (``make test`` starts a throwaway server with
``scripts/pg_test_server.sh`` and sets it).  Without it, tests that need PostgreSQL are skipped
locally but *fail* under CI, so they can never pass by not running.

Fixtures:

``database`` / ``database_factory``
    a new, empty database of the backend under test (function scope; the factory gives more than one).
``module_database`` / ``module_database_factory``
    the same, shared by the tests of a module (for a dataset loaded once with ``evpace init``).
``db_url``
    the same as ``database`` (older name).
``db_backend``
    the name of the backend under test, ``sqlite`` or ``postgres``.
``sqlite_url``
    always a SQLite file path, whatever the backend: for tests about SQLite itself.
``pg_url`` / ``pg_url_factory`` / ``pg_module_url_factory``
    always PostgreSQL, whatever the backend.

Markers, added here from the fixtures a test uses:

``database``
    the test uses one of the backend-switched fixtures, so it runs on both backends.
``postgres``
    the test needs a PostgreSQL server (``pg_*`` fixtures; every ``database`` test in the postgres pass).
``sqlite_only`` (set by hand)
    the test is about SQLite itself; skipped when the backend is postgres.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_ENV = "EVPACE_TEST_PG_URL"
BACKEND_ENV = "EVPACE_TEST_BACKEND"
BACKENDS = ("sqlite", "postgres")
DATABASE_FIXTURES = frozenset({"database", "database_factory", "module_database", "module_database_factory",
                               "db_url"})
PG_FIXTURES = frozenset({"pg_url", "pg_url_factory", "pg_module_url_factory"})
_backend_key = pytest.StashKey[str]()


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _read_backend() -> str:
    value = os.environ.get(BACKEND_ENV, "").strip().lower() or "sqlite"
    value = {"postgresql": "postgres", "pg": "postgres"}.get(value, value)
    if value not in BACKENDS:
        raise pytest.UsageError(f"{BACKEND_ENV}={os.environ[BACKEND_ENV]!r}: expected one of {', '.join(BACKENDS)}")
    return value


def backend(config: pytest.Config) -> str:
    """The backend under test: ``sqlite`` or ``postgres``."""
    return config.stash[_backend_key]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_backend_key] = _read_backend()
    config.addinivalue_line("markers", "database: uses a database of the backend under test "
                            f"(${BACKEND_ENV}); runs on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: about SQLite itself; skipped when the backend is postgres")


def pytest_report_header(config: pytest.Config) -> str:
    name = backend(config)
    where = "SQLite files under the pytest temporary folder" if name == "sqlite" else \
        f"a new database per fixture on {_server(os.environ.get(PG_ENV, '')) or '(no ' + PG_ENV + ')'}"
    return f"evpace test backend: {name} ({BACKEND_ENV}); databases: {where}"


def _server(url: str) -> str:
    """host:port of a PostgreSQL URL, for the header (no user, no password)."""
    if "://" not in url:
        return url and "(key=value conninfo)"
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = backend(config) == "postgres"
    sqlite_skip = pytest.mark.skip(reason=f"SQLite only, and {BACKEND_ENV}=postgres")
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)
            if on_postgres:
                item.add_marker(pytest.mark.postgres)
        # Anything that asks for a PostgreSQL database is a postgres test (so `-m "not postgres"` works).
        if used & PG_FIXTURES:
            item.add_marker(pytest.mark.postgres)
        if on_postgres and item.get_closest_marker("sqlite_only"):
            item.add_marker(sqlite_skip)


def _with_dbname(base: str, dbname: str) -> str:
    """Return ``base`` (a URL or key=value conninfo) pointing at ``dbname``."""
    if "://" in base:
        parts = urlsplit(base)
        return urlunsplit(parts._replace(path="/" + dbname))
    from psycopg.conninfo import make_conninfo

    return make_conninfo(base, dbname=dbname)


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


def _sqlite_factory(folder: Path) -> Callable[[], str]:
    """Paths of new (not yet existing) SQLite files in ``folder``: evpace.db, evpace-1.db, ..."""
    names = itertools.count()
    return lambda: str(folder / (f"evpace-{i}.db" if (i := next(names)) else "evpace.db"))


def _backend_factory(request: pytest.FixtureRequest, folder: Callable[[], Path]) -> Iterator[Callable[[], str]]:
    if backend(request.config) == "postgres":
        yield from _pg_factory()
    else:
        yield _sqlite_factory(folder())


# -- the backend under test ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def db_backend(pytestconfig: pytest.Config) -> str:
    """The backend under test: ``sqlite`` or ``postgres``."""
    return backend(pytestconfig)


@pytest.fixture
def database_factory(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Call it for a new, empty database of the backend under test (a SQLite path or a PostgreSQL URL)."""
    yield from _backend_factory(request, lambda: request.getfixturevalue("tmp_path"))


@pytest.fixture(scope="module")
def module_database_factory(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Like ``database_factory``, for module-scoped fixtures (databases shared by a module's tests)."""
    name = request.module.__name__.rpartition(".")[2]
    yield from _backend_factory(request, lambda: request.getfixturevalue("tmp_path_factory").mktemp(name))


@pytest.fixture
def database(database_factory: Callable[[], str]) -> str:
    """A new, empty database of the backend under test: a SQLite path or a PostgreSQL URL."""
    return database_factory()


@pytest.fixture(scope="module")
def module_database(module_database_factory: Callable[[], str]) -> str:
    """A new, empty database of the backend under test, shared by the tests of a module."""
    return module_database_factory()


@pytest.fixture
def db_url(database: str) -> str:
    """The same as ``database``: the backend under test (``make test`` runs both)."""
    return database


# -- one backend, whatever the backend under test ------------------------------------------------------
@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Path of a fresh (not yet existing) SQLite database file."""
    return str(tmp_path / "evpace.db")


@pytest.fixture
def pg_url_factory() -> Iterator[Callable[[], str]]:
    """Call it to get the URL of a new, empty PostgreSQL database; all are dropped at teardown."""
    yield from _pg_factory()


@pytest.fixture(scope="module")
def pg_module_url_factory() -> Iterator[Callable[[], str]]:
    """Like ``pg_url_factory``, for module-scoped fixtures (a database shared by a module's tests)."""
    yield from _pg_factory()


@pytest.fixture
def pg_url(pg_url_factory: Callable[[], str]) -> str:
    """URL of a fresh, empty PostgreSQL database of its own, dropped after the test."""
    return pg_url_factory()
