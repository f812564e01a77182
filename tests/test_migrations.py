"""Migrations are applied by set: one that was added below a newer, already applied one still runs."""

from __future__ import annotations

import evpace.store as store_mod
from evpace.store import Store


def test_a_migration_missing_below_the_newest_is_still_applied(database, monkeypatch):
    full = store_mod.migrations()
    assert len(full) >= 3
    skipped = full[-2]  # e.g. a feature branch's 0003 landing after 0004 was applied somewhere
    monkeypatch.setattr(store_mod, "migrations", lambda: [m for m in full if m[0] != skipped[0]])
    with Store(database) as s:
        assert skipped[0] not in {r["version"] for r in s.applied_migrations()}
        assert s.schema_version() == full[-1][0]
    monkeypatch.setattr(store_mod, "migrations", lambda: full)
    with Store(database) as s:
        assert {r["version"] for r in s.applied_migrations()} == {m[0] for m in full}
    with Store(database) as s:  # and a second open applies nothing
        assert s.migrate() == []


def test_postgres_is_known_by_url_or_key_value_string():
    """A libpq key=value string is PostgreSQL too (a benchmark once passed one and got a SQLite file so named)."""
    from evpace.store import is_postgres

    assert is_postgres("postgresql://ev@db:5432/evpace") and is_postgres("postgres://db/evpace")
    assert is_postgres("host=127.0.0.1 port=54329 dbname=evpace user=ev")
    assert not is_postgres("out/evpace.db") and not is_postgres("evpace.db")
