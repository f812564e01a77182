"""The fact store: an embedded SQLite file by default, PostgreSQL when given a ``postgresql://`` URL.

One schema and one set of queries serve both (portable SQL; ``?`` placeholders are rewritten for
psycopg). The schema is versioned by numbered migrations in ``store/migrations`` and each applied
migration is recorded in ``schema_migrations``. Every write runs in a transaction; facts are keyed by
a content hash so loading the same data twice changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ..entities import Registry
from ..errors import SchemaVersionError, StoreError
from ..model import Document, Entity, Event, Fact, Origin, Provenance

DEFAULT_DB = "evpace.db"
ENV_VAR = "EVPACE_DB"


def default_url() -> str:
    """``$EVPACE_DB`` or ``evpace.db`` in the current folder."""
    return os.environ.get(ENV_VAR) or DEFAULT_DB


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every shipped migration, in order."""
    folder = resources.files("evpace.store") / "migrations"
    out = []
    for item in folder.iterdir():
        m = re.match(r"^(\d{4})_(\w+)\.sql$", item.name)
        if m:
            out.append((int(m.group(1)), m.group(2), item.read_text(encoding="utf-8")))
    return sorted(out)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


FACT_COLUMNS = ("id", "entity_id", "metric", "scope", "period", "period_end", "value", "bound", "kind",
                "basis", "flags", "note", "place", "source_id", "published", "published_basis",
                "document_id", "sentence", "span_start", "span_end", "extractor", "origin_ref", "recorded_at")


class Store:
    """A connection to an evpace database. Use as a context manager or call :meth:`close`."""

    def __init__(self, url: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> None:
        self.url = str(url) if url else default_url()
        self.postgres = is_postgres(self.url)
        try:
            if self.postgres:
                import psycopg

                self.conn: Any = psycopg.connect(self.url, connect_timeout=10, autocommit=True)
            else:
                parent = Path(self.url).expanduser().resolve().parent
                if not parent.is_dir():
                    raise StoreError(url=self.url, reason=f"folder {parent} does not exist")
                self.conn = sqlite3.connect(self.url, timeout=30, isolation_level=None)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                self.conn.execute("PRAGMA busy_timeout=30000")
        except StoreError:
            raise
        except Exception as exc:  # psycopg.OperationalError, sqlite3.OperationalError...
            raise StoreError(url=self.redacted_url, reason=str(exc).strip()) from exc
        self._depth = 0
        if migrate:
            self.migrate()

    # -- plumbing -------------------------------------------------------------------------------
    @property
    def redacted_url(self) -> str:
        """The URL without a password, for messages."""
        return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", self.url)

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders on both databases)."""
        try:
            return self.conn.execute(self._sql(sql), tuple(params))
        except Exception as exc:
            raise StoreError(url=self.redacted_url, reason=str(exc).strip()) from exc

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a SELECT as dicts."""
        cur = self.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """All writes inside commit together or not at all. Nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            if self.postgres:
                with self.conn.transaction():
                    yield self
            else:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------------
    def schema_version(self) -> int:
        """Highest applied migration, 0 for an empty database."""
        try:
            rows = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchall()
        except Exception:
            return 0
        return int(rows[0][0] or 0)

    def migrate(self) -> list[int]:
        """Apply pending migrations, each in its own transaction; returns the versions applied."""
        known = migrations()
        current = self.schema_version()
        latest = known[-1][0] if known else 0
        if current > latest:
            raise SchemaVersionError(url=self.redacted_url, found=current, known=latest)
        applied = []
        for version, name, sql in known:
            if version <= current:
                continue
            with self.transaction():
                self.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                             "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
                # a concurrent process may have applied it meanwhile
                if self.query("SELECT version FROM schema_migrations WHERE version = ?", (version,)):
                    continue
                for stmt in _split_sql(sql):
                    self.execute(stmt)
                self.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             (version, name, _now()))
            applied.append(version)
        return applied

    def applied_migrations(self) -> list[dict[str, Any]]:
        return self.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")

    # -- writes ---------------------------------------------------------------------------------
    def put_entities(self, entities: Iterable[Entity]) -> int:
        """Insert or update entities; returns how many rows were new or changed."""
        changed = 0
        with self.transaction():
            existing = {r["id"]: r for r in self.query("SELECT * FROM entities")}
            for e in entities:
                row = {"id": e.id, "name": e.name, "kind": e.kind, "parent_id": e.parent,
                       "aliases": ";".join(e.aliases), "rollup": e.rollup, "tags": ";".join(e.tags),
                       "note": e.note, "source_url": e.source_url}
                if existing.get(e.id) == row:
                    continue
                changed += 1
                self.execute(
                    "INSERT INTO entities (id, name, kind, parent_id, aliases, rollup, tags, note, source_url) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                    "kind = excluded.kind, parent_id = excluded.parent_id, aliases = excluded.aliases, "
                    "rollup = excluded.rollup, tags = excluded.tags, note = excluded.note, "
                    "source_url = excluded.source_url",
                    tuple(row.values()))
        return changed

    def _put_source(self, origin: Origin) -> str:
        self.execute("INSERT INTO sources (id, url, publisher, title, accessed) VALUES (?, ?, ?, ?, ?) "
                     "ON CONFLICT DO NOTHING", (origin.id, origin.url, origin.publisher, origin.title,
                                                origin.accessed))
        return origin.id

    def add_facts(self, facts: Iterable[Fact]) -> tuple[int, int]:
        """Store facts in one transaction; returns (new, already stored)."""
        new = dup = 0
        placeholders = ", ".join("?" * len(FACT_COLUMNS))
        sql = f"INSERT INTO facts ({', '.join(FACT_COLUMNS)}) VALUES ({placeholders}) ON CONFLICT DO NOTHING"
        recorded = _now()
        with self.transaction():
            for f in facts:
                source_id = self._put_source(f.origin)
                p = f.provenance
                cur = self.execute(sql, (
                    f.id, f.entity_id, f.metric, f.scope, f.period, f.as_of.isoformat(), f.value, f.bound,
                    f.kind, f.basis, ";".join(f.flags), f.note, f.place, source_id, f.origin.published,
                    f.origin.published_basis, p.document_id, p.sentence, p.start, p.end, p.extractor,
                    p.origin_ref, f.recorded_at or recorded))
                if cur.rowcount == 1:
                    new += 1
                else:
                    dup += 1
        return new, dup

    def add_events(self, events: Iterable[Event]) -> tuple[int, int]:
        """Store events in one transaction; returns (new, already stored)."""
        import hashlib

        new = dup = 0
        recorded = _now()
        with self.transaction():
            for ev in events:
                origin = ev.origin or Origin(url="")
                source_id = self._put_source(origin)
                key = "|".join((ev.entity_id, ev.event, ev.date, ev.status, origin.url, ev.origin_ref))
                eid = hashlib.sha1(key.encode()).hexdigest()[:20]
                cur = self.execute(
                    "INSERT INTO events (id, entity_id, event, date, status, place, model, note, source_id, "
                    "origin_ref, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (eid, ev.entity_id, ev.event, ev.date, ev.status, ev.place, ev.model, ev.note, source_id,
                     ev.origin_ref, recorded))
                new, dup = (new + 1, dup) if cur.rowcount == 1 else (new, dup + 1)
        return new, dup

    # -- reads ----------------------------------------------------------------------------------
    def registry(self) -> Registry:
        """The entity registry as stored."""
        rows = self.query("SELECT * FROM entities ORDER BY id")
        return Registry(Entity(id=r["id"], name=r["name"], kind=r["kind"], parent=r["parent_id"],
                               aliases=tuple(a for a in r["aliases"].split(";") if a), rollup=r["rollup"],
                               tags=tuple(t for t in r["tags"].split(";") if t), note=r["note"],
                               source_url=r["source_url"]) for r in rows)

    def facts(self, *, entity_ids: Sequence[str] | None = None, metric: str | None = None,
              scope: str | None = None, kind: str | None = None, as_of: dt.date | str | None = None,
              period_from: str | None = None, period_to: str | None = None,
              document_id: str | None = None, period: str | None = None) -> list[Fact]:
        """Facts matching every filter given; ``as_of`` keeps only those published by that day."""
        where, params = [], []
        if entity_ids is not None:
            if not entity_ids:
                return []
            where.append(f"f.entity_id IN ({', '.join('?' * len(entity_ids))})")
            params += list(entity_ids)
        for col, val in (("metric", metric), ("scope", scope), ("kind", kind), ("document_id", document_id),
                         ("period", period)):
            if val is not None:
                where.append(f"f.{col} = ?")
                params.append(val)
        if as_of is not None:
            where.append("f.published IS NOT NULL AND f.published <= ?")
            params.append(str(as_of))
        if period_from:
            where.append("f.period_end >= ?")
            params.append(period_from)
        if period_to:
            where.append("f.period_end <= ?")
            params.append(period_to)
        sql = ("SELECT f.*, s.url, s.publisher, s.title, s.accessed FROM facts f "
               "JOIN sources s ON s.id = f.source_id")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY f.entity_id, f.metric, f.scope, f.period_end, f.id"
        return [_row_to_fact(r) for r in self.query(sql, params)]

    def events(self, *, entity_ids: Sequence[str] | None = None, event: str | None = None) -> list[Event]:
        """Dated events (first deliveries...)."""
        where, params = [], []
        if entity_ids is not None:
            if not entity_ids:
                return []
            where.append(f"e.entity_id IN ({', '.join('?' * len(entity_ids))})")
            params += list(entity_ids)
        if event:
            where.append("e.event = ?")
            params.append(event)
        sql = "SELECT e.*, s.url, s.publisher FROM events e JOIN sources s ON s.id = e.source_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.query(sql + " ORDER BY e.entity_id, e.date, e.id", params)
        return [Event(entity_id=r["entity_id"], event=r["event"], date=r["date"], status=r["status"],
                      place=r["place"], model=r["model"], note=r["note"],
                      origin=Origin(url=r["url"], publisher=r["publisher"]), origin_ref=r["origin_ref"])
                for r in rows]

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {t: int(self.query(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"])
                for t in ("entities", "sources", "facts", "events", "documents", "claims")}

    # -- documents ------------------------------------------------------------------------------
    def known_documents(self, ids: Sequence[str]) -> set[str]:
        """Which of these document ids are stored already."""
        if not ids:
            return set()
        rows = self.query(f"SELECT id FROM documents WHERE id IN ({', '.join('?' * len(ids))})", list(ids))
        return {r["id"] for r in rows}

    def add_document(self, doc: Document, facts: Sequence[Fact], claims: Sequence[dict[str, Any]],
                     extractor: str) -> bool:
        """Store a document with its facts and claims in one transaction; False if it was stored already."""
        with self.transaction():
            cur = self.execute(
                "INSERT INTO documents (id, name, url, title, published, path, text, extractor, n_facts, "
                "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (doc.id, doc.name, doc.url, doc.title, doc.published, doc.path, doc.text, extractor,
                 len(facts) + len(claims), _now()))
            if cur.rowcount != 1:
                return False
            self.add_facts(facts)
            recorded = _now()
            for c in claims:
                self.execute(
                    "INSERT INTO claims (id, document_id, entity_id, metric, scope, period, value, unit, bound, "
                    "kind, change, from_threshold, to_threshold, sentence, span_start, span_end, extractor, "
                    "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (f"{doc.id[:20]}:{c['start']}", doc.id, c["entity_id"], c["metric"], c["scope"], c["period"],
                     c["value"], c["unit"], c["bound"], c["kind"], c["change"], c["from_threshold"],
                     c["to_threshold"], c["quote"], c["start"], c["end"], extractor, recorded))
        return True

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A stored document (by id or unique id prefix)."""
        rows = self.query("SELECT * FROM documents WHERE id = ? OR id LIKE ?", (doc_id, doc_id + "%"))
        return rows[0] if len(rows) == 1 else None

    def claims(self, *, document_id: str | None = None, entity_ids: Sequence[str] | None = None) -> list[dict]:
        """Stored claims (percent changes, ratios, durations) with their sentences."""
        where, params = [], []
        if document_id:
            where.append("document_id = ?")
            params.append(document_id)
        if entity_ids:
            where.append(f"entity_id IN ({', '.join('?' * len(entity_ids))})")
            params += list(entity_ids)
        sql = "SELECT * FROM claims" + (" WHERE " + " AND ".join(where) if where else "")
        return self.query(sql + " ORDER BY document_id, span_start", params)


def _row_to_fact(r: dict[str, Any]) -> Fact:
    origin = Origin(url=r["url"], publisher=r["publisher"], title=r["title"], published=r["published"],
                    published_basis=r["published_basis"], accessed=r["accessed"])
    prov = Provenance(document_id=r["document_id"], sentence=r["sentence"], start=r["span_start"],
                      end=r["span_end"], extractor=r["extractor"], origin_ref=r["origin_ref"])
    return Fact(entity_id=r["entity_id"], metric=r["metric"], scope=r["scope"], period=r["period"],
                value=float(r["value"]), bound=r["bound"], kind=r["kind"], basis=r["basis"],
                flags=tuple(x for x in r["flags"].split(";") if x), note=r["note"], place=r["place"],
                origin=origin, provenance=prov, recorded_at=r["recorded_at"])


def _split_sql(sql: str) -> list[str]:
    """Statements of a migration file (no semicolons inside strings in our migrations)."""
    body = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]
