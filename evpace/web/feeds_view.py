"""The dashboard's view of the feeds ``evpace fetch`` reads: one row per feed for ``feeds.html``.

Kept apart from :mod:`evpace.web.views` so that the feature stays in one place; the route that renders
it lives in :mod:`evpace.web.app` (``GET /feeds``).
"""

from __future__ import annotations

from typing import Any

from ..fetch import list_feeds
from ..store import Store

#: last_status → CSS modifier used by the template.
STATUS_CLASS = {"ok": "ok", "not modified": "ok", "partial": "warn", "error": "bad", "never fetched": "none"}


def feeds_rows(db_url: str | Store) -> list[dict[str, Any]]:
    """Every feed as the page shows it: ``name, url, last_status, status_class, last_fetched, last_error,
    http_status, items_seen`` (``last_fetched`` is ``YYYY-MM-DD HH:MM UTC`` or ``""``; ``items_seen`` is how
    many different article links the feed has listed). ``db_url`` may also be an open Store (the app's
    per-thread connection)."""
    rows = []
    for f in list_feeds(db_url):
        fetched = f["last_fetched_at"] or ""
        rows.append({
            "name": f["name"], "url": f["url"], "last_status": f["last_status"],
            "status_class": STATUS_CLASS.get(f["last_status"], "none"),
            "last_fetched": f"{fetched[:10]} {fetched[11:16]} UTC" if fetched else "",
            "last_error": f["last_error"], "http_status": f["last_http_status"], "items_seen": int(f["items_seen"]),
        })
    return rows
