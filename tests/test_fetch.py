"""Fetching feeds over HTTP against a local server started here (127.0.0.1, a free port).

The feeds and pages below are short texts written for these tests. Timeouts, backoffs and intervals are
made small through FetchSettings so that the file runs in seconds; spacing between requests is measured
from the server's own clock, and backoff delays through an injected ``sleep``.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from evpace import api
from evpace.cli import app
from evpace.errors import InvalidArgumentError, RobotsDisallowedError, UnknownFeedError
from evpace.fetch import FetchSettings, FetchSummary, HttpClient, add_feed, fetch, list_feeds, remove_feed
from evpace.store import Store

FAST = FetchSettings(connect_timeout=2, read_timeout=2, min_interval=0, retries=0, backoff=0.01, max_backoff=0.05,
                     max_bytes=200_000)


# -- the local site ---------------------------------------------------------------------------------
@dataclass
class Reply:
    """One answer. ``ETag``/``Last-Modified`` in ``headers`` make the server answer 304 to a matching
    conditional request. ``stream`` leaves out Content-Length (the body ends when the connection closes)."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream: bool = False


@dataclass
class Hit:
    path: str
    at: float  # the server's time.monotonic() when the request arrived
    headers: dict[str, str]
    status: int = 0


class Site:
    """Routes: path → a Reply, or a list of Replies given in turn (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | list[Reply]] = {}
        self.hits: list[Hit] = []
        self.stop = threading.Event()
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    def hits_of(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def reply(self, path: str) -> Reply:
        route = self.routes.get(path)
        if route is None:
            return Reply(404, "not here", {"Content-Type": "text/plain"})
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            hit = Hit(self.path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()})
            site.hits.append(hit)
            r = site.reply(self.path)
            if r.delay and site.stop.wait(r.delay):
                return
            inm, ims = hit.headers.get("if-none-match"), hit.headers.get("if-modified-since")
            fresh = (inm and inm == r.headers.get("ETag")) or (ims and ims == r.headers.get("Last-Modified"))
            status = 304 if fresh and r.status == 200 else r.status
            hit.status = status
            body = b"" if status == 304 else r.body.encode() if isinstance(r.body, str) else r.body
            try:
                self.send_response(status)
                for k, v in r.headers.items():
                    self.send_header(k, v)
                if not r.stream:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts, size cap)
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _serve() -> Iterator[Site]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    yield from _serve()


@pytest.fixture
def other_site() -> Iterator[Site]:
    """A second host (another port)."""
    yield from _serve()


# -- fixture feeds and pages (written for these tests) ------------------------------------------------
XIAOMI = ("Xiaomi delivered more than 40,000 vehicles in October 2025, the company said on Saturday, its best "
          "month since the SU7 sedan went on sale.")
LEAPMOTOR = "Leapmotor handed over 70,289 vehicles to customers in October 2025, a monthly record for the carmaker."
XPENG = "XPeng delivered 42,013 vehicles in October 2025, up 76% from a year earlier."
HTML = "text/html; charset=utf-8"


def page(text: str, title: str = "EV deliveries", published: str = "2025-11-03") -> str:
    """An article page with navigation and footer boilerplate around the story."""
    return (f'<!doctype html><html><head><title>{title}</title>'
            f'<meta property="article:published_time" content="{published}T08:00:00Z"></head><body>'
            '<nav><a href="/">Home</a> <a href="/markets">Markets</a> Subscribe for 99,000 offers</nav>'
            f'<article><h1>{title}</h1><p>{text}</p><p>Analysts expect the pace to hold into the winter.</p>'
            '</article><footer>Copyright EV Test Wire. 12,345 readers today.</footer></body></html>')


def rss(*items: tuple[str, str, str]) -> str:
    """An RSS 2.0 feed whose items are (title, link, pubDate), with no text of their own."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>"
                   for t, link, d in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>EV wire</title>{body}' \
           '</channel></rss>'


def atom(*entries: tuple[str, str, str]) -> str:
    body = "".join(f'<entry><title>{t}</title><link href="{link}"/><updated>{d}</updated></entry>'
                   for t, link, d in entries)
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>EV wire</title>{body}</feed>'


def standard_site(site: Site, feed_headers: dict[str, str] | None = None) -> None:
    """/feed.xml listing two articles (relative and absolute links), served as HTML pages."""
    site.routes["/feed.xml"] = Reply(body=rss(("Xiaomi in October", "/news/xiaomi-october.html",
                                               "Sat, 01 Nov 2025 09:00:00 GMT"),
                                              ("Leapmotor in October", site.url("/news/leapmotor-october.html"),
                                               "Sat, 01 Nov 2025 10:30:00 GMT")),
                                     headers={"Content-Type": "application/rss+xml", **(feed_headers or {})})
    site.routes["/news/xiaomi-october.html"] = Reply(body=page(XIAOMI, "Xiaomi tops 40,000"),
                                                     headers={"Content-Type": HTML, "ETag": '"x1"'})
    site.routes["/news/leapmotor-october.html"] = Reply(body=page(LEAPMOTOR, "Leapmotor record"),
                                                        headers={"Content-Type": HTML, "ETag": '"l1"'})


def run(db: str, settings: FetchSettings = FAST, **kw: object) -> FetchSummary:
    return fetch(db, settings=settings, **kw)


# -- the happy path ------------------------------------------------------------------------------------
def test_feed_pages_become_documents_and_facts_with_provenance(db_url, site):
    standard_site(site)
    add_feed(site.url("/feed.xml"), "wire", db_url)
    s = run(db_url)
    assert s.errors == [] and [f.status for f in s.feeds] == ["ok"]
    rep = s.feeds[0]
    assert (rep.items, rep.new_items, rep.pages_fetched, rep.documents_new) == (2, 2, 2, 2)
    assert s.ingest.new_documents == 2 and s.ingest.new_facts >= 2
    assert site.paths() == ["/robots.txt", "/feed.xml", "/news/xiaomi-october.html", "/news/leapmotor-october.html"]
    assert all(h.headers["user-agent"].startswith("evpace/") for h in site.hits)
    with Store(db_url) as store:
        [fact] = store.facts(entity_ids=["xiaomi"], period="2025-10")
        assert (fact.value, fact.bound) == (40_000, "lower")
        assert fact.origin.url == site.url("/news/xiaomi-october.html")
        assert fact.origin.published == "2025-11-01"  # the item's date, not the page's 2025-11-03
        doc = store.document(fact.provenance.document_id)
        assert doc["url"] == site.url("/news/xiaomi-october.html") and doc["title"] == "Xiaomi tops 40,000"
        assert "Subscribe" not in doc["text"] and "Copyright" not in doc["text"]  # main text only
        assert doc["text"][fact.provenance.start:fact.provenance.end] == "40,000"
        [lf] = store.facts(entity_ids=["leapmotor"], period="2025-10")
        assert lf.value == 70_289 and lf.origin.url == site.url("/news/leapmotor-october.html")
        pages = store.query("SELECT url, status, http_status, etag, document_id FROM pages ORDER BY url")
        assert [(p["status"], p["http_status"], bool(p["document_id"])) for p in pages] == [("stored", 200, True)] * 2
        assert {p["etag"] for p in pages} == {'"x1"', '"l1"'}
    [feed] = list_feeds(db_url)
    assert feed["last_status"] == "ok" and feed["items_seen"] == 2 and feed["last_error"] == ""
    assert feed["last_http_status"] == 200 and feed["last_fetched_at"]


def test_atom_feed_and_followed_redirect(db_url, site):
    site.routes["/atom.xml"] = Reply(body=atom(("XPeng", "/old/xpeng", "2025-11-01T12:00:00Z")),
                                     headers={"Content-Type": "application/atom+xml"})
    site.routes["/old/xpeng"] = Reply(301, headers={"Location": "/news/xpeng-october.html"})
    # a page in Latin-1 that says so only in the HTTP header
    site.routes["/news/xpeng-october.html"] = Reply(body=page(XPENG, "XPeng: 42 013 livrés").encode("latin-1"),
                                                    headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    add_feed(site.url("/atom.xml"), db=db_url)
    s = run(db_url)
    assert s.errors == [] and s.ingest.new_documents == 1
    with Store(db_url) as store:
        [f] = [f for f in store.facts(entity_ids=["xpeng"]) if f.value == 42_013]
        assert f.origin.url == site.url("/old/xpeng") and f.origin.published == "2025-11-01"  # the item's URL
        [p] = store.query("SELECT final_url, document_id FROM pages")
        assert p["final_url"] == site.url("/news/xpeng-october.html")
        assert store.document(p["document_id"])["title"] == "XPeng: 42 013 livrés"


# -- politeness ------------------------------------------------------------------------------------------
def test_conditional_requests_get_304_and_nothing_is_downloaded_again(db_url, site):
    stamp = "Sat, 01 Nov 2025 11:00:00 GMT"
    standard_site(site, {"ETag": '"feed-v1"', "Last-Modified": stamp})
    add_feed(site.url("/feed.xml"), "wire", db_url)
    assert run(db_url).ingest.new_documents == 2
    del site.hits[:]

    second = run(db_url)
    [hit] = site.hits_of("/feed.xml")
    assert hit.headers["if-none-match"] == '"feed-v1"' and hit.headers["if-modified-since"] == stamp
    assert hit.status == 304 and second.feeds[0].status == "not modified"
    assert site.paths() == ["/robots.txt", "/feed.xml"]  # no page requested
    assert list_feeds(db_url)[0]["last_status"] == "not modified"

    # A new edition of the feed, and a recheck of the stored articles: each is asked for conditionally.
    site.routes["/feed.xml"] = Reply(body=rss(("Xiaomi", "/news/xiaomi-october.html", "2025-11-01"),
                                              ("XPeng", "/news/xpeng-october.html", "2025-11-02"),
                                              ("Leapmotor", "/news/leapmotor-october.html", "2025-11-01")),
                                     headers={"Content-Type": "application/rss+xml", "ETag": '"feed-v2"'})
    site.routes["/news/xpeng-october.html"] = Reply(body=page(XPENG), headers={"Content-Type": HTML})
    del site.hits[:]
    third = run(db_url, recheck=True)
    rep = third.feeds[0]
    assert (rep.pages_not_modified, rep.pages_fetched, rep.documents_new, rep.new_items) == (2, 1, 1, 1)
    assert site.hits_of("/news/xiaomi-october.html")[0].headers["if-none-match"] == '"x1"'
    assert [h.status for h in site.hits if h.path.startswith("/news/")] == [304, 200, 304]
    with Store(db_url) as store:
        assert store.query("SELECT etag FROM feeds")[0]["etag"] == '"feed-v2"'
        assert store.query("SELECT status FROM pages WHERE url = ?", (site.url("/news/xiaomi-october.html"),)
                           )[0]["status"] == "stored"  # a 304 keeps what the page was


def test_robots_txt_is_obeyed(db_url, site):
    rules = "User-agent: *\nDisallow: /cgi/\n\nUser-agent: evpace\nDisallow: /paywall/\n"
    site.routes["/robots.txt"] = Reply(body=rules, headers={"Content-Type": "text/plain"})
    site.routes["/feed.xml"] = Reply(body=rss(("Closed", "/paywall/xiaomi.html", "2025-11-01"),
                                              ("Open", "/news/xpeng-october.html", "2025-11-01")),
                                     headers={"Content-Type": "application/rss+xml"})
    site.routes["/paywall/xiaomi.html"] = Reply(body=page(XIAOMI), headers={"Content-Type": HTML})
    site.routes["/news/xpeng-october.html"] = Reply(body=page(XPENG), headers={"Content-Type": HTML})
    add_feed(site.url("/feed.xml"), db=db_url)
    s = run(db_url)
    assert "/paywall/xiaomi.html" not in site.paths() and site.paths().count("/robots.txt") == 1  # cached
    [error] = s.errors
    assert error.startswith(site.url("/paywall/xiaomi.html")) and "disallowed for evpace by" in error
    assert s.feeds[0].status == "partial" and s.ingest.new_documents == 1
    [feed] = list_feeds(db_url)
    assert feed["last_status"] == "partial" and "robots.txt" in feed["last_error"]


def test_unreadable_robots_txt_keeps_the_host_out(site):
    site.routes["/robots.txt"] = Reply(503, "busy")
    site.routes["/feed.xml"] = Reply(body=rss())
    client = HttpClient(FAST)
    with pytest.raises(RobotsDisallowedError, match=r"robots.txt could not be read \(HTTP 503") as exc:
        client.get(site.url("/feed.xml"))
    assert str(exc.value).startswith(site.url("/feed.xml")) and site.paths() == ["/robots.txt"]


def test_requests_to_one_host_are_spaced(db_url, site):
    standard_site(site)
    site.routes["/news/xpeng-october.html"] = Reply(body=page(XPENG), headers={"Content-Type": HTML})
    site.routes["/feed.xml"] = Reply(body=rss(("a", "/news/xiaomi-october.html", "2025-11-01"),
                                              ("b", "/news/leapmotor-october.html", "2025-11-01"),
                                              ("c", "/news/xpeng-october.html", "2025-11-01")))
    add_feed(site.url("/feed.xml"), db=db_url)
    interval = 0.15
    run(db_url, replace(FAST, min_interval=interval))
    times = [h.at for h in site.hits]  # the server's clock
    assert len(times) == 5  # robots.txt, the feed, three pages
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= interval - 0.01, gaps  # a lower bound only: the client never comes sooner


def test_the_interval_is_per_host(site, other_site):
    """With a clock that only the client's waits move, the waits are exact: one per request to a host
    already contacted, none for a host's first request."""
    for s in (site, other_site):
        s.routes["/a"] = Reply(body="a")
        s.routes["/b"] = Reply(body="b")
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    client = HttpClient(replace(FAST, min_interval=5.0), sleep=sleep, clock=lambda: now[0])
    for url in (site.url("/a"), other_site.url("/a"), site.url("/b"), other_site.url("/b")):
        client.get(url)
    # site's robots.txt: first contact, no wait; site /a: 5 s. other_site's robots.txt: its first contact, no
    # wait; other_site /a: 5 s. site /b: due already (5 s have passed since site /a). other_site /b: 5 s.
    # One limiter shared by all hosts would wait before every request but the first (6 waits).
    assert waits == [5.0, 5.0, 5.0]
    assert [len(s.hits) for s in (site, other_site)] == [3, 3]


def test_crawl_delay_sets_the_interval(site):
    site.routes["/robots.txt"] = Reply(body="User-agent: evpace\nCrawl-delay: 5\n")  # capped to 0.2 here
    site.routes["/a"] = Reply(body="a")
    site.routes["/b"] = Reply(body="b")
    client = HttpClient(replace(FAST, max_crawl_delay=0.2))
    client.get(site.url("/a"))
    client.get(site.url("/b"))
    times = [h.at for h in site.hits]
    assert site.paths() == ["/robots.txt", "/a", "/b"] and times[2] - times[1] >= 0.19


# -- failures ----------------------------------------------------------------------------------------------
def test_slow_page_times_out_and_the_rest_goes_on(db_url, site):
    standard_site(site, {"ETag": '"f1"'})
    site.routes["/feed.xml"].body = rss(("slow", "/news/xiaomi-october.html", "2025-11-01"),
                                        ("gone", "/news/gone.html", "2025-11-01"),
                                        ("fine", "/news/leapmotor-october.html", "2025-11-01"))
    site.routes["/news/xiaomi-october.html"] = Reply(body=page(XIAOMI), delay=5, headers={"Content-Type": HTML})
    add_feed(site.url("/feed.xml"), db=db_url)
    s = run(db_url, replace(FAST, read_timeout=0.4, retries=1))
    timeout, gone = s.errors
    assert timeout == (f"{site.url('/news/xiaomi-october.html')}: timed out after 0.4 s waiting for the response "
                       "(2 attempts)")
    assert gone == f"{site.url('/news/gone.html')}: HTTP 404 Not Found"
    assert len(site.hits_of("/news/xiaomi-october.html")) == 2
    assert s.ingest.new_documents == 1 and s.feeds[0].status == "partial"
    with Store(db_url) as store:
        row = store.query("SELECT status, error, document_id FROM pages WHERE url = ?",
                          (site.url("/news/xiaomi-october.html"),))[0]
        assert row["status"] == "error" and "timed out" in row["error"] and row["document_id"] is None

    # The feed has not changed (304), but the page that timed out is tried again; the 404 is not.
    site.routes["/news/xiaomi-october.html"].delay = 0
    del site.hits[:]
    again = run(db_url)
    assert site.paths() == ["/robots.txt", "/feed.xml", "/news/xiaomi-october.html"]
    assert again.errors == [] and again.feeds[0].status == "not modified" and again.ingest.new_documents == 1


def test_server_error_is_retried_with_backoff_then_reported(db_url, site):
    standard_site(site)
    site.routes["/broken.xml"] = Reply(500, "oops")
    add_feed(site.url("/broken.xml"), "broken", db_url)
    add_feed(site.url("/feed.xml"), "wire", db_url)
    slept: list[float] = []
    client = HttpClient(replace(FAST, retries=3), sleep=slept.append)
    s = fetch(db_url, client=client)
    assert len(site.hits_of("/broken.xml")) == 4 and slept == [0.01, 0.02, 0.04]  # doubling backoff
    assert s.errors == [f"{site.url('/broken.xml')}: HTTP 500 Internal Server Error (4 attempts)"]
    assert [(f.name, f.status) for f in s.feeds] == [("broken", "error"), ("wire", "ok")]
    assert s.ingest.new_documents == 2
    broken = next(f for f in list_feeds(db_url) if f["name"] == "broken")
    assert broken["last_status"] == "error" and broken["last_http_status"] == 500
    assert "HTTP 500" in broken["last_error"] and broken["last_fetched_at"]


def test_unavailable_then_ok_succeeds_after_a_retry(site):
    site.routes["/feed.xml"] = [Reply(503, "later", {"Retry-After": "0"}), Reply(body=rss())]
    slept: list[float] = []
    resp = HttpClient(replace(FAST, retries=2), sleep=slept.append).get(site.url("/feed.xml"))
    assert resp.status == 200 and b"<rss" in resp.body
    assert [h.status for h in site.hits_of("/feed.xml")] == [503, 200] and slept == [0.01]


def test_retry_after_is_honoured_up_to_the_cap(site):
    site.routes["/feed.xml"] = [Reply(429, "slow down", {"Retry-After": "3600"}), Reply(body=rss())]
    slept: list[float] = []
    HttpClient(replace(FAST, retries=1), sleep=slept.append).get(site.url("/feed.xml"))
    assert slept == [FAST.max_backoff]


def test_client_errors_are_not_retried(site):
    standard_site(site)
    site.routes["/feed.xml"] = Reply(404, "gone")
    client = HttpClient(replace(FAST, retries=3), sleep=lambda _s: None)
    with pytest.raises(Exception, match=r"/feed.xml: HTTP 404 Not Found$"):
        client.get(site.url("/feed.xml"))
    assert len(site.hits_of("/feed.xml")) == 1


def test_redirect_loop_and_too_many_redirects_are_clear_errors(site):
    site.routes["/a"] = Reply(302, headers={"Location": "/b"})
    site.routes["/b"] = Reply(302, headers={"Location": site.url("/a")})
    for i in range(8):
        site.routes[f"/hop{i}"] = Reply(307, headers={"Location": f"/hop{i + 1}"})
    client = HttpClient(replace(FAST, max_redirects=3))
    with pytest.raises(Exception) as loop:
        client.get(site.url("/a"))
    assert str(loop.value) == (f"{site.url('/a')}: redirect loop: {site.url('/a')} → {site.url('/b')} → "
                               f"{site.url('/a')}")
    with pytest.raises(Exception, match=r"/hop0: more than 3 redirects: .*/hop0 → .*/hop4$"):
        client.get(site.url("/hop0"))
    assert site.paths().count("/hop3") == 1 and "/hop4" not in site.paths()
    site.routes["/to-ftp"] = Reply(301, headers={"Location": "/hop0"})
    site.routes["/hop0"] = Reply(302, headers={"Location": "ftp://files.example/x"})
    with pytest.raises(Exception) as bad:
        client.get(site.url("/to-ftp"))
    assert str(bad.value) == (f"{site.url('/to-ftp')}: redirect to 'ftp://files.example/x', not an http(s) URL "
                              f"(at {site.url('/hop0')})")


def test_an_error_after_a_redirect_names_the_url_asked_for(site, other_site):
    other_site.routes["/robots.txt"] = Reply(body="User-agent: *\nDisallow: /\n")
    site.routes["/story"] = Reply(302, headers={"Location": other_site.url("/story")})
    with pytest.raises(RobotsDisallowedError) as exc:
        HttpClient(FAST).get(site.url("/story"))
    assert str(exc.value) == (f"{site.url('/story')}: after a redirect to {other_site.url('/story')}: disallowed "
                              f"for evpace by {other_site.base}/robots.txt")
    assert other_site.paths() == ["/robots.txt"]


def test_settings_are_checked():
    with pytest.raises(InvalidArgumentError, match="read_timeout: must be more than 0, got 0"):
        FetchSettings(read_timeout=0)
    with pytest.raises(InvalidArgumentError, match="retries: must be 0 or more, got -1"):
        FetchSettings(retries=-1)
    with pytest.raises(InvalidArgumentError, match="user_agent: must be one non-empty line"):
        FetchSettings(user_agent="evpace\r\nX-Injected: 1")


def test_size_cap_stops_big_responses(db_url, site):
    cap = 20_000
    standard_site(site)
    big = page(XIAOMI + " More. " * 20_000)
    site.routes["/feed.xml"] = Reply(body=rss(("declared", "/big-declared.html", "2025-11-01"),
                                              ("streamed", "/big-streamed.html", "2025-11-01"),
                                              ("zipped bomb", "/bomb.html", "2025-11-01"),
                                              ("zipped fine", "/news/leapmotor-october.html", "2025-11-01")))
    site.routes["/big-declared.html"] = Reply(body=big, headers={"Content-Type": HTML})
    site.routes["/big-streamed.html"] = Reply(body=big, headers={"Content-Type": HTML}, stream=True)
    site.routes["/bomb.html"] = Reply(body=gzip.compress(b"<p>" + b" " * 5_000_000 + b"</p>"),
                                      headers={"Content-Type": HTML, "Content-Encoding": "gzip"})
    site.routes["/news/leapmotor-october.html"] = Reply(body=gzip.compress(page(LEAPMOTOR).encode()),
                                                        headers={"Content-Type": HTML, "Content-Encoding": "gzip"})
    add_feed(site.url("/feed.xml"), db=db_url)
    s = run(db_url, replace(FAST, max_bytes=cap))
    declared, streamed, bomb = s.errors
    assert declared.startswith(site.url("/big-declared.html") + ": response is ")
    assert "(Content-Length), over the limit of 20,000 bytes; not downloaded" in declared
    assert streamed.startswith(site.url("/big-streamed.html") + ": response is over the limit of 20,000 bytes; "
                                                                "stopped reading at")
    assert bomb.startswith(site.url("/bomb.html") + ": response is over the limit of 20,000 bytes")
    assert site.hits_of("/bomb.html")[0].headers["accept-encoding"] == "gzip"
    assert s.ingest.new_documents == 1  # the small zipped page was unzipped and stored
    with Store(db_url) as store:
        assert store.facts(entity_ids=["leapmotor"], period="2025-10")[0].value == 70_289


def test_broken_feed_is_reported_and_other_feeds_are_fetched(db_url, site):
    standard_site(site)
    site.routes["/broken.xml"] = Reply(body="<rss><channel><item><title>Cut off", headers={"ETag": '"b1"'})
    site.routes["/not-a-feed"] = Reply(body=page(XPENG), headers={"Content-Type": HTML})
    site.routes["/quiet.xml"] = Reply(body=rss())  # no items today: not an error
    for name, path in (("broken", "/broken.xml"), ("html", "/not-a-feed"), ("quiet", "/quiet.xml"),
                       ("wire", "/feed.xml")):
        add_feed(site.url(path), name, db_url)
    s = run(db_url)
    broken, html = s.errors
    assert broken.startswith(site.url("/broken.xml") + ": broken XML feed:")
    assert html == (f"{site.url('/not-a-feed')}: an HTML page (Content-Type text/html), not an RSS or Atom feed; "
                    "give the URL of the site's feed")
    assert [(f.status, f.items) for f in s.feeds] == [("error", 0), ("error", 0), ("ok", 0), ("ok", 2)]
    assert s.ingest.new_documents == 2
    with Store(db_url) as store:
        row = store.query("SELECT etag, last_error FROM feeds WHERE name = 'broken'")[0]
        assert row["etag"] == "" and "broken XML feed" in row["last_error"]  # downloaded again next time


def test_bad_items_and_pages_are_reported_each(db_url, site):
    site.routes["/feed.xml"] = Reply(body=rss(("no link", "", "2025-11-01"), ("pdf", "/report.pdf", "2025-11-01"),
                                              ("empty", "/empty.html", "2025-11-01")))
    site.routes["/report.pdf"] = Reply(body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    site.routes["/empty.html"] = Reply(body="<html><body><nav>Home</nav></body></html>",
                                       headers={"Content-Type": HTML, "ETag": '"e1"'})
    add_feed(site.url("/feed.xml"), db=db_url)
    s = run(db_url)
    assert s.errors == [f"{site.url('/feed.xml')}#1: feed item has no http(s) link (title 'no link')",
                        f"{site.url('/report.pdf')}: not an article page (Content-Type application/pdf)",
                        f"{site.url('/empty.html')}: empty document (no text left after removing markup and "
                        "boilerplate)"]
    del site.hits[:]
    run(db_url)  # the unreadable page is asked for conditionally, and not downloaded again
    assert site.hits_of("/empty.html")[0].headers["if-none-match"] == '"e1"'
    assert site.hits_of("/empty.html")[0].status == 304


def test_article_already_stored_is_not_fetched_again(db_url, site, tmp_path):
    standard_site(site)
    known = tmp_path / "xiaomi.md"
    known.write_text(f"---\nurl: {site.url('/news/xiaomi-october.html')}\npublished: 2025-11-01\n---\n{XIAOMI}\n")
    api.ingest([str(known)], db_url, workers=1)
    add_feed(site.url("/feed.xml"), db=db_url)
    first = run(db_url)
    assert "/news/xiaomi-october.html" not in site.paths() and first.feeds[0].pages_known == 1
    assert first.ingest.new_documents == 1
    del site.hits[:]
    second = run(db_url)  # the feed has no validators: it is downloaded again, its pages are not
    assert site.paths() == ["/robots.txt", "/feed.xml"] and second.feeds[0].pages_known == 2


def test_same_text_at_another_url_is_a_duplicate_document(db_url, site):
    standard_site(site)
    site.routes["/feed.xml"] = Reply(body=rss(("a", "/news/xiaomi-october.html", "2025-11-01"),
                                              ("b", "/mirror/xiaomi.html", "2025-11-01")))
    site.routes["/mirror/xiaomi.html"] = site.routes["/news/xiaomi-october.html"]
    add_feed(site.url("/feed.xml"), db=db_url)
    s = run(db_url)
    assert s.ingest.new_documents == 1 and s.ingest.duplicates == 1
    with Store(db_url) as store:
        rows = store.query("SELECT status, document_id FROM pages ORDER BY url")
        assert [r["status"] for r in rows] == ["duplicate", "stored"] and len({r["document_id"] for r in rows}) == 1


# -- feeds, the command line and the dashboard rows ---------------------------------------------------------
def test_feeds_add_list_remove(db_url):
    added = add_feed("https://www.example.com/ev.xml", db=db_url)
    assert added["name"] == "example.com" and added["last_status"] == "never fetched"
    assert add_feed("https://example.com/other.xml", db=db_url)["name"] == "example.com-2"
    with pytest.raises(Exception, match="already a feed, named 'example.com'"):
        add_feed("https://www.example.com/ev.xml", "again", db_url)
    with pytest.raises(Exception, match="a feed is already named 'example.com'"):
        add_feed("https://example.org/x.xml", "example.com", db_url)
    with pytest.raises(Exception, match="not an http:// or https:// URL"):
        add_feed("file:///etc/passwd", db=db_url)
    assert remove_feed("https://example.com/other.xml", db_url)["name"] == "example.com-2"
    with pytest.raises(UnknownFeedError, match=r"no feed named or at 'nope'; feeds: example.com$"):
        remove_feed("nope", db_url)
    assert [f["name"] for f in list_feeds(db_url)] == ["example.com"]


def test_feeds_and_fetch_commands(db_url, site):
    standard_site(site)
    site.routes["/broken.xml"] = Reply(body="<rss><channel>")
    runner = CliRunner()

    def cli(*args: str) -> object:
        return runner.invoke(app, ["--db", db_url, *args])

    r = cli("feeds", "add", site.url("/feed.xml"), "--name", "wire")
    assert r.exit_code == 0 and "added feed 'wire'" in r.output
    assert cli("feeds", "add", site.url("/broken.xml"), "--name", "broken").exit_code == 0
    dup = cli("feeds", "add", site.url("/feed.xml"))
    assert dup.exit_code == 2 and "already a feed, named 'wire'" in dup.output
    r = cli("fetch", "--min-interval", "0", "--retries", "0", "--read-timeout", "2")
    assert r.exit_code == 1, r.output  # one feed failed
    assert f"failed: {site.url('/broken.xml')}: broken XML feed" in r.output
    assert "feed wire: ok; 2 items (2 new), 2 pages fetched" in r.output
    assert "feeds 2: 1 ok, 0 not modified, 0 partial, 1 failed" in r.output and "2 new" in r.output
    r = cli("fetch", "--feed", "wire", "--min-interval", "0")
    assert r.exit_code == 0 and "feeds 1: 1 ok" in r.output and "2 already stored" in r.output
    r = cli("feeds", "list", "--format", "json")
    rows = {f["name"]: f for f in json.loads(r.stdout)}
    assert rows["wire"]["last_status"] == "ok" and rows["wire"]["items_seen"] == 2
    assert rows["broken"]["last_status"] == "error" and "broken XML feed" in rows["broken"]["last_error"]
    table = cli("feeds", "list")
    assert table.exit_code == 0 and "last status" in table.output and "wire" in table.output
    r = cli("feeds", "remove", "broken")
    assert r.exit_code == 0 and "removed feed 'broken'" in r.output
    bad = cli("fetch", "--read-timeout", "0")
    assert bad.exit_code == 2 and "read_timeout: must be more than 0" in bad.output
    unknown = cli("fetch", "--feed", "broken")
    assert unknown.exit_code == 2 and "no feed named or at 'broken'; feeds: wire" in unknown.output


def test_feeds_rows_and_page_for_the_dashboard(db_url, site):
    from evpace.web.app import make_env
    from evpace.web.feeds_view import feeds_rows

    standard_site(site)
    add_feed(site.url("/feed.xml"), "<b>wire</b>", db_url)
    run(db_url)
    site.routes["/feed.xml"] = Reply(500, "oops")
    run(db_url)
    [row] = feeds_rows(db_url)
    assert row["name"] == "<b>wire</b>" and row["last_status"] == "error" and row["items_seen"] == 2
    assert row["status_class"] == "bad" and row["http_status"] == 500 and row["last_fetched"].endswith(" UTC")
    assert row["last_error"] == f"{site.url('/feed.xml')}: HTTP 500 Internal Server Error (1 attempt)"
    html = make_env().get_template("feeds.html").render(path="/feeds", rows=[row], title="Feeds")
    assert "&lt;b&gt;wire&lt;/b&gt;" in html and "<b>wire</b>" not in html  # escaped
    assert f'href="{site.url("/feed.xml")}"' in html and "HTTP 500 Internal Server Error" in html
    assert '<td class="num">2</td>' in html and 'class="badge feed-status-bad">error<' in html
