"""What the fetcher remembers in the database (tables of migration 0003): the feeds to fetch with their
validators and last outcome, the items each feed listed, and every article page fetched.

All access goes through :class:`~evpace.store.Store` (``?`` placeholders, portable SQL), so it works on
SQLite and PostgreSQL alike. Timestamps are ISO-8601 UTC strings, like the rest of the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from ..errors import InvalidArgumentError, UnknownFeedError
from ..store import Store

#: ``feeds.last_status`` values.
NEVER, OK, NOT_MODIFIED, PARTIAL, ERROR = "never fetched", "ok", "not modified", "partial", "error"
#: ``pages.status`` values besides ``ERROR`` (not fetched) and ``NOT_MODIFIED``: a new document, the text of
#: a document stored already, or a page fetched but with no article text that could be read.
STORED, DUPLICATE, UNREADABLE = "stored", "duplicate", "unreadable"

_FEED_COLUMNS = ("f.name, f.url, f.last_fetched_at, f.last_status, f.last_http_status, f.last_error, "
                 "(SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id) AS items_seen, f.added_at, f.id")


def now() -> str:
    """The current UTC time as stored (seconds precision)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def feed_id(url: str) -> str:
    """A feed's key: a short hash of its URL."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def check_url(url: str, what: str = "url") -> str:
    """``url`` stripped, if it is an absolute http(s) URL with a host; else InvalidArgumentError."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidArgumentError(name=what, reason=f"{url!r} is not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgumentError(name=what, reason=f"{url!r} is not an http:// or https:// URL with a host")
    return url


# -- feeds ---------------------------------------------------------------------------------------------
def add_feed(store: Store, url: str, name: str | None = None) -> dict[str, Any]:
    """Add a feed (named after its host unless ``name`` is given); returns its row."""
    url = check_url(url)
    with store.transaction():
        same = store.query("SELECT name FROM feeds WHERE url = ?", (url,))
        if same:
            raise InvalidArgumentError(name="url", reason=f"{url} is already a feed, named {same[0]['name']!r}")
        taken = {r["name"] for r in store.query("SELECT name FROM feeds")}
        if name is not None:
            name = name.strip()
            if not name:
                raise InvalidArgumentError(name="name", reason="must not be empty")
            if name in taken:
                raise InvalidArgumentError(name="name", reason=f"a feed is already named {name!r}")
        else:
            host = (urlsplit(url).hostname or "feed").removeprefix("www.")
            name = next(n for n in (host, *(f"{host}-{i}" for i in range(2, len(taken) + 3))) if n not in taken)
        store.execute("INSERT INTO feeds (id, name, url, added_at) VALUES (?, ?, ?, ?)",
                      (feed_id(url), name, url, now()))
    return find_feed(store, name)


def feeds(store: Store, names: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Every feed (or those named, by name or URL), by name, with ``items_seen`` and its validators."""
    rows = store.query(f"SELECT {_FEED_COLUMNS}, f.etag, f.last_modified FROM feeds f ORDER BY f.name")
    if names is None:
        return rows
    return [find_feed(store, n, rows) for n in names]


def find_feed(store: Store, name_or_url: str, rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The feed with this name or URL; UnknownFeedError listing the known names otherwise."""
    rows = feeds(store) if rows is None else rows
    key = name_or_url.strip()
    for r in rows:
        if key in (r["name"], r["url"]):
            return r
    raise UnknownFeedError(name=name_or_url, known=", ".join(r["name"] for r in rows) or "none yet")


def remove_feed(store: Store, name_or_url: str) -> dict[str, Any]:
    """Forget a feed and the list of items it showed (fetched pages and stored documents stay)."""
    with store.transaction():
        row = find_feed(store, name_or_url)
        store.execute("DELETE FROM feed_items WHERE feed_id = ?", (row["id"],))
        store.execute("DELETE FROM feeds WHERE id = ?", (row["id"],))
    return row


def record_feed(store: Store, fid: str, status: str, *, http_status: int | None = None, error: str = "",
                etag: str | None = None, last_modified: str | None = None) -> None:
    """Store the outcome of fetching a feed; validators are replaced only when given (not on a 304)."""
    sets = ["last_fetched_at = ?", "last_status = ?", "last_http_status = ?", "last_error = ?"]
    params: list[Any] = [now(), status, http_status, error]
    for col, val in (("etag", etag), ("last_modified", last_modified)):
        if val is not None:
            sets.append(f"{col} = ?")
            params.append(val)
    store.execute(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?", (*params, fid))


def add_items(store: Store, fid: str, items: Iterable[tuple[str, str, str | None]]) -> int:
    """Remember the (url, title, published) items a feed listed; returns how many were new to it."""
    new = 0
    seen = now()
    with store.transaction():
        for url, title, published in items:
            cur = store.execute("INSERT INTO feed_items (feed_id, url, title, published, first_seen_at) "
                                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", (fid, url, title, published, seen))
            new += cur.rowcount == 1
    return new


def retry_items(store: Store, fid: str) -> list[dict[str, Any]]:
    """Items this feed listed whose page is still to get: never tried (an interrupted run), or failed for
    a reason that may pass (network error, timeout, 5xx, robots.txt unreadable); a 4xx is not retried."""
    return store.query(
        "SELECT i.url, i.title, i.published FROM feed_items i LEFT JOIN pages p ON p.url = i.url "
        "WHERE i.feed_id = ? AND (p.url IS NULL OR (p.status = ? AND p.document_id IS NULL "
        "AND (p.http_status IS NULL OR p.http_status >= 500))) ORDER BY i.first_seen_at, i.url", (fid, ERROR))


# -- pages ---------------------------------------------------------------------------------------------
def page(store: Store, url: str) -> dict[str, Any] | None:
    """What is known of an article URL: its ``pages`` row, or None if it was never fetched."""
    rows = store.query("SELECT * FROM pages WHERE url = ?", (url,))
    return rows[0] if rows else None


def is_stored(store: Store, url: str) -> bool:
    """Whether an article at this URL is stored already: fetched into a document, or ingested from a file
    that gave it this URL."""
    return bool(store.query("SELECT 1 AS x FROM pages WHERE url = ? AND document_id IS NOT NULL "
                            "UNION ALL SELECT 1 AS x FROM documents WHERE url = ?", (url, url)))


def record_page(store: Store, url: str, status: str, *, final_url: str = "", http_status: int | None = None,
                error: str = "", etag: str | None = None, last_modified: str | None = None,
                document_id: str | None = None) -> None:
    """Insert or update a page's row. Validators and the document are kept when not given."""
    store.execute(
        "INSERT INTO pages (url, final_url, etag, last_modified, status, http_status, error, fetched_at, document_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
        "final_url = CASE WHEN excluded.final_url = '' THEN pages.final_url ELSE excluded.final_url END, "
        "etag = CASE WHEN ? THEN excluded.etag ELSE pages.etag END, "
        "last_modified = CASE WHEN ? THEN excluded.last_modified ELSE pages.last_modified END, "
        "status = excluded.status, http_status = excluded.http_status, error = excluded.error, "
        "fetched_at = excluded.fetched_at, document_id = COALESCE(excluded.document_id, pages.document_id)",
        (url, final_url, etag or "", last_modified or "", status, http_status, error, now(), document_id,
         etag is not None, last_modified is not None))
