"""Data access for the web app: one database connection per thread and a small in-process cache.

The leaderboard and entity views recompute the analytics from the whole fact set (~50-150 ms each on
the shipped dataset). Their results are cached, keyed by the call and by a *fingerprint* of the
database (row counts and the latest ``recorded_at`` of facts and events, documents and entities), so a
repeated read costs a dictionary look-up. The fingerprint is re-read at most every ``ttl`` seconds (a
write by another process, e.g. ``evpace ingest``, shows within that time) and at once after an ingest
through the app (:meth:`Service.invalidate`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ..store import Store

T = TypeVar("T")

_FINGERPRINT_SQL = (
    "SELECT (SELECT COUNT(*) FROM facts) AS facts, (SELECT MAX(recorded_at) FROM facts) AS facts_at, "
    "(SELECT COUNT(*) FROM events) AS events, (SELECT MAX(recorded_at) FROM events) AS events_at, "
    "(SELECT COUNT(*) FROM entities) AS entities, (SELECT COUNT(*) FROM documents) AS documents, "
    "(SELECT MAX(ingested_at) FROM documents) AS documents_at"
)


_MISS = object()  # "not cached" (None can be a cached value)

class Service:
    """What the routes use: :meth:`store` (this thread's connection) and :meth:`cached`."""

    def __init__(self, db: str, ttl: float = 1.0, maxsize: int = 512) -> None:
        self.db = db
        self.ttl = ttl
        self.maxsize = maxsize
        self._local = threading.local()
        self._stores: list[Store] = []
        self._lock = threading.Lock()
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._fp: tuple | None = None
        self._fp_at = 0.0
        self.hits = 0
        self.misses = 0
        # Create / migrate the database once, up front (and fail early on a bad URL).
        self.store()

    # -- connections ----------------------------------------------------------------------------
    def store(self) -> Store:
        """This thread's connection (SQLite connections may not cross threads)."""
        s = getattr(self._local, "store", None)
        if s is None:
            s = Store(self.db)
            self._local.store = s
            with self._lock:
                self._stores.append(s)
        return s

    def close(self) -> None:
        with self._lock:
            stores, self._stores = self._stores, []
        for s in stores:
            s.close()
        self._local = threading.local()

    # -- cache ----------------------------------------------------------------------------------
    def fingerprint(self) -> tuple:
        """What the database looks like now (re-read at most every ``ttl`` seconds)."""
        now = time.monotonic()
        fp = self._fp
        if fp is None or now - self._fp_at > self.ttl:
            row = self.store().query(_FINGERPRINT_SQL)[0]
            fp = tuple(str(v) for v in row.values())
            with self._lock:
                if fp != self._fp:
                    self._cache.clear()
                self._fp, self._fp_at = fp, now
        return fp

    def invalidate(self) -> None:
        """Forget every cached result and re-read the fingerprint on the next call (after a write)."""
        with self._lock:
            self._cache.clear()
            self._fp = None

    def peek(self, key: Hashable, default: Any = None) -> Any:
        """The cached value of ``key`` for the database as it is now, or ``default`` (no computing)."""
        full = (self.fingerprint(), key)
        with self._lock:
            return self._hit(full, default)

    def _hit(self, full: tuple, default: Any) -> Any:
        """The cached value under ``full`` (counted as a hit), else ``default``; the caller holds the lock."""
        if full not in self._cache:
            return default
        self._cache.move_to_end(full)
        self.hits += 1
        return self._cache[full]

    def put(self, key: Hashable, value: Any, fingerprint: tuple) -> None:
        """Remember ``value`` for ``key`` as computed with the database at ``fingerprint`` (read *before*
        computing it, so a value is never filed under a newer state than the one it saw)."""
        with self._lock:
            if fingerprint != self._fp:
                return
            self._cache[(fingerprint, key)] = value
            self._cache.move_to_end((fingerprint, key))
            while len(self._cache) > self.maxsize:
                self._cache.popitem(last=False)

    def cached(self, key: Hashable, compute: Callable[[Store], T]) -> T:
        """``compute(store)``, remembered for ``key`` while the database does not change. Concurrent
        callers of a missing key wait for one computation instead of each doing it."""
        full = (self.fingerprint(), key)
        with self._lock:
            if (hit := self._hit(full, _MISS)) is not _MISS:
                return hit
            klock = self._key_locks.setdefault(full, threading.Lock())
        with klock:
            with self._lock:
                if full in self._cache:
                    self.hits += 1
                    return self._cache[full]
            try:
                value = compute(self.store())
            except BaseException:
                with self._lock:
                    self._key_locks.pop(full, None)
                raise
            with self._lock:
                self.misses += 1
                self._cache[full] = value
                self._cache.move_to_end(full)
                while len(self._cache) > self.maxsize:
                    self._cache.popitem(last=False)
                self._key_locks.pop(full, None)
        return value

    def stats(self) -> dict[str, int]:
        return {"entries": len(self._cache), "hits": self.hits, "misses": self.misses}
