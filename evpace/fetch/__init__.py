"""Fetching feeds over HTTP(S): ``evpace feeds add|list|remove`` and ``evpace fetch``.

>>> from evpace.fetch import add_feed, fetch, FetchSettings
>>> add_feed("https://example.com/ev-news.xml", db="evpace.db")            # doctest: +SKIP
>>> s = fetch("evpace.db", settings=FetchSettings(min_interval=2.0))      # doctest: +SKIP
>>> s.ingest.new_documents, s.errors                                       # doctest: +SKIP

Modules: :mod:`.http` (the polite client: robots.txt, rate limit, timeouts, retries, size cap,
redirects), :mod:`.state` (the feeds, feed_items and pages tables), :mod:`.run` (a fetch run),
:mod:`.cli` (the commands). See docs/staying-current.md.
"""

from __future__ import annotations

from typing import Any

from ..api import open_store
from . import state
from .http import USER_AGENT, FetchSettings, HttpClient, Response
from .run import FeedReport, FetchSummary, fetch, page_document

#: The columns of a feed as listed (command line, JSON, dashboard).
FEED_FIELDS = ("name", "url", "last_fetched_at", "last_status", "last_http_status", "last_error", "items_seen",
               "added_at")


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in FEED_FIELDS}


def add_feed(url: str, name: str | None = None, db: Any = None) -> dict[str, Any]:
    """Add a feed to fetch (named after its host unless ``name`` is given); returns it as listed."""
    with open_store(db) as store:
        return _public(state.add_feed(store, url, name))


def list_feeds(db: Any = None) -> list[dict[str, Any]]:
    """Every feed with its last fetch time, status, HTTP status, error and the number of items it listed."""
    with open_store(db) as store:
        return [_public(r) for r in state.feeds(store)]


def remove_feed(name_or_url: str, db: Any = None) -> dict[str, Any]:
    """Stop fetching a feed (by name or URL); the articles already stored stay. Returns the feed removed."""
    with open_store(db) as store:
        return _public(state.remove_feed(store, name_or_url))


__all__ = ["FEED_FIELDS", "USER_AGENT", "FeedReport", "FetchSettings", "FetchSummary", "HttpClient", "Response",
           "add_feed", "fetch", "list_feeds", "page_document", "remove_feed"]
