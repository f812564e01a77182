"""One fetch run: every feed, then the article pages its items link, each stored like an ingested file.

For each feed: a conditional GET (the feed's stored ETag / Last-Modified). On a 304 only the pages of
its earlier items that failed for a reason that may pass (network error, timeout, 5xx, robots.txt
unreadable; not a 4xx) are tried again. Otherwise its items are read with
:func:`evpace.sources.feed.read_entries` and remembered; each item's page is fetched unless an article
with that URL is stored already (or was tried earlier in this run), its main text read with the HTML
reader of :mod:`evpace.sources`, and the document stored with its facts and claims the way
:mod:`evpace.ingest` stores a file: url = the article URL, published = the item's date (else the page's,
else the day of the run). A feed or page that fails is reported with its URL and the run goes on; the
outcome of each feed and page is kept in the database (:mod:`evpace.fetch.state`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..api import open_store
from ..entities import Registry
from ..errors import EvpaceError, FetchError, InvalidDocumentError
from ..extract import default_registry, extract
from ..ingest import IngestSummary, _store
from ..model import Document
from ..sources.common import codec_name, invalid
from ..sources.dispatch import read_data, sniff
from ..sources.feed import FeedEntry, read_entries
from ..store import Store
from . import state
from .http import FetchSettings, HttpClient, Response

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass
class FeedReport:
    """What happened to one feed in a run."""

    name: str
    url: str
    status: str = state.ERROR
    http_status: int | None = None
    items: int = 0  # in the feed (0 when it answered 304)
    new_items: int = 0  # links it had not listed before
    pages_fetched: int = 0
    pages_not_modified: int = 0
    pages_known: int = 0  # an article with that URL was stored already: not requested
    documents_new: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class FetchSummary:
    """What a fetch run did: one report per feed, the documents stored (as an ingest summary) and every
    error, each naming its URL."""

    feeds: list[FeedReport] = field(default_factory=list)
    ingest: IngestSummary = field(default_factory=IngestSummary)
    requests: int = 0

    @property
    def errors(self) -> list[str]:
        return [e for f in self.feeds for e in f.errors]

    def count(self, status: str) -> int:
        """How many feeds ended with this status (``ok``, ``not modified``, ``partial``, ``error``)."""
        return sum(f.status == status for f in self.feeds)


class _Run:
    """The state of one run: store, client, registry, the URLs tried so far, the summary."""

    def __init__(self, store: Store, client: HttpClient, recheck: bool) -> None:
        self.store, self.client, self.recheck = store, client, recheck
        registry = store.registry()
        if not len(registry):  # a database never initialised: it needs the entities facts refer to
            store.put_entities(default_registry())
            registry = store.registry()
        self.registry: Registry = registry
        self.today = dt.date.today().isoformat()
        self.tried: set[str] = set()
        self.summary = FetchSummary()

    # -- feeds ---------------------------------------------------------------------------------
    def feed(self, feed: dict[str, Any]) -> FeedReport:
        rep = FeedReport(name=feed["name"], url=feed["url"])
        try:
            resp = self.client.get(feed["url"], etag=feed["etag"], last_modified=feed["last_modified"])
        except FetchError as exc:
            return self._feed_failed(feed, rep, exc)
        rep.http_status = resp.status
        validators: dict[str, str] = {}
        if resp.not_modified:  # nothing new listed; retry the pages that failed for a reason that may pass
            links = {r["url"]: FeedEntry(link=r["url"], title=r["title"], published=r["published"])
                     for r in state.retry_items(self.store, feed["id"])}
        else:
            entries = list(read_entries(resp.body, path=feed["url"], empty_ok=True))
            whole = entries[0] if len(entries) == 1 else None
            if isinstance(whole, InvalidDocumentError) and whole.fields.get("path") == feed["url"]:
                if sniff(resp.body) == "html":
                    what = f"Content-Type {resp.content_type}" if resp.content_type else "no Content-Type"
                    whole = invalid(feed["url"], f"an HTML page ({what}), not an RSS or Atom feed; give the URL "
                                                 "of the site's feed")
                return self._feed_failed(feed, rep, whole)  # validators not kept: the next run downloads it again
            links = self._links(resp, entries, rep)
            rep.items = len(entries)
            rep.new_items = state.add_items(self.store, feed["id"],
                                            ((u, e.title, e.published) for u, e in links.items()))
            validators = {"etag": resp.etag, "last_modified": resp.last_modified}
        for url, entry in links.items():
            self.page(url, entry, rep)
        rep.status = state.PARTIAL if rep.errors else state.NOT_MODIFIED if resp.not_modified else state.OK
        n = len(rep.errors)
        error = f"{n} item{'' if n == 1 else 's'} failed; first: {rep.errors[0]}" if n else ""
        state.record_feed(self.store, feed["id"], rep.status, http_status=resp.status, error=error, **validators)
        return rep

    def _feed_failed(self, feed: dict[str, Any], rep: FeedReport, exc: EvpaceError) -> FeedReport:
        rep.errors.append(str(exc))
        rep.http_status = exc.fields.get("status")
        state.record_feed(self.store, feed["id"], state.ERROR, http_status=rep.http_status, error=str(exc))
        return rep

    def _links(self, resp: Response, entries: list[FeedEntry | InvalidDocumentError],
               rep: FeedReport) -> dict[str, FeedEntry]:
        """Each item's absolute http(s) link (first item wins for a link listed twice); bad items reported."""
        links: dict[str, FeedEntry] = {}
        for n, e in enumerate(entries, 1):
            if isinstance(e, InvalidDocumentError):
                rep.errors.append(str(e))
                continue
            url = urljoin(resp.final_url, e.link).split("#")[0] if e.link else ""
            if urlsplit(url).scheme not in ("http", "https"):
                title = f" (title {e.title[:80]!r})" if e.title else ""
                rep.errors.append(f"{rep.url}#{n}: feed item has no http(s) link{title}")
                continue
            links.setdefault(url, e)
        return links

    # -- pages ---------------------------------------------------------------------------------
    def page(self, url: str, entry: FeedEntry, rep: FeedReport) -> None:
        if url in self.tried or (not self.recheck and state.is_stored(self.store, url)):
            rep.pages_known += 1
            return
        self.tried.add(url)
        known = state.page(self.store, url) or {}
        try:
            resp = self.client.get(url, etag=known.get("etag", ""), last_modified=known.get("last_modified", ""))
        except FetchError as exc:
            rep.errors.append(str(exc))
            state.record_page(self.store, url, state.ERROR, http_status=exc.fields.get("status"), error=str(exc))
            return
        if resp.not_modified:
            rep.pages_not_modified += 1
            state.record_page(self.store, url, known.get("status") or state.NOT_MODIFIED, http_status=304,
                              error=known.get("error", ""))
            return
        rep.pages_fetched += 1
        doc = page_document(resp, url, entry)
        kept = dict(final_url=resp.final_url, http_status=resp.status, etag=resp.etag,
                    last_modified=resp.last_modified)
        if isinstance(doc, InvalidDocumentError):
            rep.errors.append(str(doc))
            state.record_page(self.store, url, state.UNREADABLE, error=str(doc), **kept)
            return
        new = self.store_document(doc)
        rep.documents_new += new
        state.record_page(self.store, url, state.STORED if new else state.DUPLICATE, document_id=doc.id, **kept)

    def store_document(self, doc: Document) -> bool:
        """Extract and store one document exactly as :func:`evpace.ingest.ingest` does; False if it is
        stored already (same text, from whatever URL or file)."""
        s = self.summary.ingest
        s.documents += 1
        if self.store.known_documents([doc.id]) or not _store(self.store, doc, extract(doc, self.registry),
                                                              self.registry, self.today, s):
            s.duplicates += 1
            return False
        return True


def page_document(resp: Response, url: str, entry: FeedEntry) -> Document | InvalidDocumentError:
    """The article in a fetched page: main text of HTML (or plain text), with url = the article URL,
    published = the item's date (else the page's), title = the page's (else the item's)."""
    ctype = resp.content_type
    kind = sniff(resp.body) if not ctype else "html" if ctype in HTML_TYPES else "text" if ctype == "text/plain" \
        else ""
    if kind not in ("html", "text"):
        return invalid(url, f"not an article page (Content-Type {ctype or 'unknown'})")
    body = resp.body
    charset = resp.charset
    if charset and codec_name(charset) not in (None, "utf-8"):  # the HTTP header wins over the page's own
        try:
            body = body.decode(charset).encode("utf-8")
        except (UnicodeDecodeError, LookupError):
            pass  # let the reader report it
    path = urlsplit(url).path.rstrip("/")
    name = os.path.splitext(path.rsplit("/", 1)[-1])[0] or (urlsplit(url).hostname or "page")
    result = next(read_data(body, kind, path=url, name=name, published=None))
    if isinstance(result, InvalidDocumentError):
        return result
    return replace(result, url=url, published=entry.published or result.published,
                   title=result.title or entry.title, path=resp.final_url)


def fetch(db: Any = None, *, feeds: Sequence[str] | None = None, settings: FetchSettings | None = None,
          recheck: bool = False, client: HttpClient | None = None,
          on_feed: Callable[[FeedReport], None] | None = None) -> FetchSummary:
    """Fetch every feed (or those named, by name or URL) and store the articles their items link.

    ``db``: a :class:`~evpace.store.Store`, a SQLite path or a ``postgresql://`` URL. ``settings``:
    timeouts, politeness and limits (:class:`FetchSettings`). ``recheck``: request pages already stored
    again (conditionally), to pick up articles that changed. ``on_feed`` is called with each feed's report
    as soon as it is done. Raises only for problems with the database or an unknown feed name; network
    and content failures are in the summary."""
    with open_store(db) as store:
        selected = state.feeds(store, feeds)
        run = _Run(store, client or HttpClient(settings), recheck)
        for feed in selected:
            rep = run.feed(feed)
            run.summary.feeds.append(rep)
            if on_feed:
                on_feed(rep)
        run.summary.requests = run.client.requests
        return run.summary
