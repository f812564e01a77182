"""The fact store: an embedded SQLite file by default, PostgreSQL when given a ``postgresql://`` URL.

One schema and one set of queries serve both (portable SQL; ``?`` placeholders are rewritten for
psycopg). The schema is versioned by numbered migrations in ``store/migrations`` and each applied
migration is recorded in ``schema_migrations``. Every write runs in a transaction; facts are keyed by
a content hash so loading the same data twice changes nothing.

Several processes may write at once (see ``docs/scaling.md``): every insert is ``ON CONFLICT DO
NOTHING`` on a content-hash key, SQLite writers queue on ``BEGIN IMMEDIATE`` with a busy timeout,
migrations are serialised (a PostgreSQL advisory lock; SQLite's write lock), and :meth:`Store.write`
runs a transaction again when the database asks for it (busy, deadlock, serialization failure).
Database errors surface as typed errors naming the database: :class:`StorageFullError` when it is out
of space, :class:`DatabaseUnavailableError` when it went away (connection lost, SQLite file deleted or
moved), :class:`StoreError` otherwise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import re
import resource
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from ..entities import Registry
from ..errors import DatabaseUnavailableError, SchemaVersionError, StorageFullError, StoreError
from ..model import Document, Entity, Event, Fact, Origin, Provenance

DEFAULT_DB = "evpace.db"
ENV_VAR = "EVPACE_DB"
BUSY_TIMEOUT_S = 30  # how long a SQLite writer waits for the write lock before "database is locked"
WRITE_ATTEMPTS = 6  # Store.write: attempts when the database says "try again"
MIGRATION_LOCK = 0x65767061  # PostgreSQL advisory lock key serialising migrations ("evpa")
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_GONE_SQLSTATES = {"57P01", "57P02", "57P03"}  # admin / crash shutdown, cannot connect now
T = TypeVar("T")


def default_url() -> str:
    """``$EVPACE_DB`` or ``evpace.db`` in the current folder."""
    return os.environ.get(ENV_VAR) or DEFAULT_DB


_CONNINFO = re.compile(r"^\s*(?:host|hostaddr|dbname|user|port|service)\s*=")


def is_postgres(url: str) -> bool:
    """A ``postgresql://`` URL or a libpq ``key=value`` string (``host=... dbname=...``); anything else is a
    SQLite file path."""
    return url.startswith(("postgresql://", "postgres://")) or bool(_CONNINFO.match(url))


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
                self.conn = sqlite3.connect(self.url, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                self.conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
        except StoreError:
            raise
        except Exception as exc:  # psycopg.OperationalError, sqlite3.OperationalError...
            raise self._error(exc) from exc
        self._file = self._file_identity()
        self._depth = 0
        if migrate:
            self.migrate()

    # -- plumbing -------------------------------------------------------------------------------
    @property
    def redacted_url(self) -> str:
        """The URL without a password, for messages."""
        return re.sub(r"(password\s*=\s*)\S+", r"\1***", re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", self.url))

    def _sql(self, sql: str) -> str:
        return _pg_placeholders(sql) if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders on both databases)."""
        try:
            return self.conn.execute(self._sql(sql), tuple(params))
        except Exception as exc:
            raise self._error(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run one statement for each row; the number of rows it changed in all."""
        if not rows:
            return 0
        try:
            if self.postgres:
                with self.conn.cursor() as cur:
                    cur.executemany(self._sql(sql), [tuple(r) for r in rows])
                    return max(cur.rowcount, 0)
            return max(self.conn.executemany(sql, [tuple(r) for r in rows]).rowcount, 0)
        except Exception as exc:
            raise self._error(exc) from exc

    # -- errors ---------------------------------------------------------------------------------
    def _error(self, exc: BaseException) -> StoreError:
        """The typed error for a database exception: out of space, gone, or another store error."""
        if isinstance(exc, StoreError):
            return exc
        reason = str(exc).strip() or type(exc).__name__
        url = self.redacted_url
        sqlstate = getattr(exc, "sqlstate", None) or ""
        name = getattr(exc, "sqlite_errorname", "") or ""
        if sqlstate == "53100":
            return StorageFullError(url=url, reason=reason)
        if name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR"):  # a short write, or EFBIG / ENOSPC
            full = self._why_full()
            if full or name == "SQLITE_FULL":
                return StorageFullError(url=url, reason=f"{reason} ({full})" if full else reason)
        if self.postgres and (sqlstate in _GONE_SQLSTATES or sqlstate.startswith("08") or self._connection_lost(exc)):
            return DatabaseUnavailableError(url=url, reason=f"connection lost ({reason})")
        if name in ("SQLITE_CANTOPEN", "SQLITE_READONLY_DBMOVED"):
            return DatabaseUnavailableError(url=url, reason=reason)
        return StoreError(url=url, reason=reason)

    def _connection_lost(self, exc: BaseException) -> bool:
        import psycopg

        conn = getattr(self, "conn", None)
        return isinstance(exc, psycopg.OperationalError) and (conn is None or conn.closed or conn.broken)

    def _why_full(self) -> str | None:
        """Why a SQLite write failed for lack of space, if it did: no room on the disk, or the process's
        file size limit (RLIMIT_FSIZE) reached by the database or its write-ahead log."""
        path = Path(self.url)
        with contextlib.suppress(OSError):
            free = shutil.disk_usage(path.parent).free
            if free < 1 << 20:
                return f"{free:,} bytes free on the disk"
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        if limit != resource.RLIM_INFINITY:
            sizes = [f.stat().st_size for f in (path, Path(f"{path}-wal")) if f.exists()]
            if sizes and max(sizes) + 65_536 >= limit:
                return f"file size limit of {limit:,} bytes reached"
        return None

    @staticmethod
    def _transient(exc: BaseException) -> bool:
        """Whether the database asked to try again: SQLite busy/locked, PostgreSQL deadlock or
        serialization failure."""
        cause = exc.__cause__ if isinstance(exc, StoreError) and exc.__cause__ else exc
        name = getattr(cause, "sqlite_errorname", "") or ""
        return (name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(cause)
                or getattr(cause, "sqlstate", None) in _TRANSIENT_SQLSTATES)

    def _file_identity(self) -> tuple[int, int] | None:
        """(device, inode) of a SQLite database file, to notice it being deleted or replaced."""
        if self.postgres or self.url == ":memory:" or self.url.startswith("file:"):
            return None
        try:
            st = os.stat(self.url)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def _check_file(self) -> None:
        """SQLite goes on writing to a file that was deleted or moved while open, and the writes are
        lost with it: refuse instead."""
        if self._file is not None and self._file_identity() != self._file:
            raise DatabaseUnavailableError(url=self.redacted_url,
                                           reason="the database file was deleted, moved or replaced while in use")

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
        self._check_file()
        self._depth = 1
        try:
            if self.postgres:
                try:
                    with self.conn.transaction():
                        yield self
                except StoreError:
                    raise
                except Exception as exc:  # the commit itself failed
                    if type(exc).__module__.startswith("psycopg"):
                        raise self._error(exc) from exc
                    raise
            else:
                self.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                    self.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:  # a failed COMMIT may have rolled back already
                        with contextlib.suppress(sqlite3.Error):
                            self.conn.execute("ROLLBACK")
                    raise
        finally:
            self._depth = 0

    def write(self, fn: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
        """``fn()`` in a transaction, run again (after a short random pause) when the database says to
        try again: SQLite still locked after the busy timeout, PostgreSQL deadlock or serialization
        failure. Inside an open transaction it simply joins it (the outer caller owns retrying)."""
        if self._depth:
            with self.transaction():
                return fn()
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction():
                    return fn()
            except StoreError as exc:
                if attempt == attempts or not self._transient(exc):
                    raise
            time.sleep(min(2.0, 0.05 * 2**attempt) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

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
        done = {int(r["version"]) for r in self.applied_migrations()} if current else set()
        applied = []
        for version, name, sql in known:
            if version in done:  # (by set, not "<= current": a migration added below a newer one still runs)
                continue
            with self.transaction():
                if self.postgres:  # concurrent CREATE TABLEs race in the catalogue: one migrator at a time
                    self.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
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
        """Store facts in one transaction (each source once, the facts in one batch); returns
        (new, already stored)."""
        placeholders = ", ".join("?" * len(FACT_COLUMNS))
        sql = f"INSERT INTO facts ({', '.join(FACT_COLUMNS)}) VALUES ({placeholders}) ON CONFLICT DO NOTHING"
        recorded = _now()
        rows, sources = [], {}
        for f in facts:
            sources.setdefault(f.origin.id, f.origin)
            p = f.provenance
            rows.append((f.id, f.entity_id, f.metric, f.scope, f.period, f.as_of.isoformat(), f.value, f.bound,
                         f.kind, f.basis, ";".join(f.flags), f.note, f.place, f.origin.id, f.origin.published,
                         f.origin.published_basis, p.document_id, p.sentence, p.start, p.end, p.extractor,
                         p.origin_ref, f.recorded_at or recorded))
        with self.transaction():
            for _, origin in sorted(sources.items()):
                self._put_source(origin)
            new = self.executemany(sql, rows)
        return new, len(rows) - new

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
            params.append(str(period_from))  # a date too: PostgreSQL will not compare text with date
        if period_to:
            where.append("f.period_end <= ?")
            params.append(str(period_to))  # a date too: PostgreSQL will not compare text with date
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
        return self.add_documents([(doc, facts, claims)], extractor)[0]

    def add_documents(self, items: Sequence[tuple[Document, Sequence[Fact], Sequence[dict[str, Any]]]],
                      extractor: str) -> list[bool]:
        """Store documents, each whole with its facts and claims, in one transaction (one commit for
        many documents: ingest's bulk write). For each, False if it was stored already, by this process
        or concurrently by another: the content-hash key decides, never an earlier read. Rows are
        inserted in key order, so that concurrent writers take their locks in one order (no deadlock)."""

        def put() -> list[bool]:
            stored, facts, claims = [False] * len(items), [], []
            now = _now()
            for i in sorted(range(len(items)), key=lambda i: items[i][0].id):
                doc, doc_facts, doc_claims = items[i]
                cur = self.execute(
                    "INSERT INTO documents (id, name, url, title, published, path, text, extractor, n_facts, "
                    "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (doc.id, doc.name, doc.url, doc.title, doc.published, doc.path, doc.text, extractor,
                     len(doc_facts) + len(doc_claims), now))
                stored[i] = cur.rowcount == 1
                if stored[i]:
                    facts += doc_facts
                    claims += [(f"{doc.id[:20]}:{c['start']}", doc.id, c["entity_id"], c["metric"], c["scope"],
                                c["period"], c["value"], c["unit"], c["bound"], c["kind"], c["change"],
                                c["from_threshold"], c["to_threshold"], c["quote"], c["start"], c["end"], extractor,
                                now) for c in doc_claims]
            self.add_facts(facts)
            self.executemany(
                "INSERT INTO claims (id, document_id, entity_id, metric, scope, period, value, unit, bound, "
                "kind, change, from_threshold, to_threshold, sentence, span_start, span_end, extractor, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING", claims)
            return stored

        return self.write(put)

    def documents_at(self, paths: Sequence[str]) -> dict[str, set[str]]:
        """Ids of the stored documents read from each of these paths (``file`` or ``file:line``)."""
        out: dict[str, set[str]] = {}
        for i in range(0, len(paths), 500):
            chunk = list(paths[i:i + 500])
            rows = self.query(f"SELECT path, id FROM documents WHERE path IN ({', '.join('?' * len(chunk))})", chunk)
            for r in rows:
                out.setdefault(r["path"], set()).add(r["id"])
        return out

    def contradicts(self, fact: Fact, tolerance: float) -> bool:
        """Whether a stored fact of the same figure (entity, metric, scope, period, basis, kind) cannot be
        true together with ``fact``: the two intervals of :func:`evpace.reconcile.interval` (bound, and
        ``tolerance`` for approximate or rounded figures) do not meet. One indexed query; the test suite
        checks it against ``FactSet.same_figure_conflicts``."""
        from ..reconcile import interval

        lo, hi = interval(fact)
        slack = "(CASE WHEN bound = 'approx' OR (';' || flags || ';') LIKE ? THEN value * ? ELSE 0 END)"
        below = f"(bound <> 'lower' AND (CASE WHEN bound = 'upper' THEN value ELSE value + {slack} END) < ?)"
        above = f"(CASE WHEN bound = 'upper' THEN 0 WHEN bound = 'lower' THEN value ELSE value - {slack} END) > ?"
        cond, params = [below], ["%;rounded;%", tolerance, lo - 1e-9]
        if hi != float("inf"):
            cond.append(above)
            params += ["%;rounded;%", tolerance, hi + 1e-9]
        rows = self.query(
            "SELECT 1 AS hit FROM facts WHERE entity_id = ? AND metric = ? AND scope = ? AND period = ? AND basis = ? "
            f"AND kind = ? AND ({' OR '.join(cond)}) LIMIT 1",
            [fact.entity_id, fact.metric, fact.scope, fact.period, fact.basis, fact.kind, *params])
        return bool(rows)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A stored document (by id or unique id prefix, in either case: ids are SHA-1 hex digests)."""
        # Not LIKE: it is case-insensitive on SQLite but not on PostgreSQL, and '%' / '_' in the prefix
        # would be wildcards.
        prefix = doc_id.strip().lower()
        if not prefix:
            return None
        rows = self.query("SELECT * FROM documents WHERE id = ? OR SUBSTR(id, 1, ?) = ?",
                          (doc_id, len(prefix), prefix))
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


_QUOTED = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*")""")


def _pg_placeholders(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s``. A literal ``%`` (``LIKE 'a%'``, modulo) becomes ``%%``, which
    psycopg reads as ``%``; a ``?`` inside a quoted string or identifier stays a ``?``, as on SQLite."""
    parts = _QUOTED.split(sql.replace("%", "%%"))
    return "".join(part if i % 2 else part.replace("?", "%s") for i, part in enumerate(parts))


def _split_sql(sql: str) -> list[str]:
    """Statements of a migration file (no semicolons inside strings in our migrations)."""
    body = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]
