"""A small, polite HTTP(S) GET client on the standard library (:mod:`http.client`).

Politeness: a user agent naming evpace; robots.txt read once per host (per run) with
:mod:`urllib.robotparser` and obeyed, including ``Crawl-delay``; at least ``min_interval`` seconds
between two requests to one host; conditional requests (``If-None-Match`` / ``If-Modified-Since``);
gzip accepted. Robustness: separate connect and read timeouts plus an overall limit per response,
retries with exponential backoff on 5xx, 429 and network errors (``Retry-After`` honoured up to
``max_backoff``), a size cap enforced while streaming (also on the unzipped size), redirects followed
up to ``max_redirects`` with loop detection. Every failure is a :class:`~evpace.errors.FetchError` whose
message names the URL and what happened.

robots.txt follows RFC 9309: a 4xx answer means no rules (all allowed); a 5xx or network failure means
the host is treated as disallowed for the rest of the run.
"""

from __future__ import annotations

import http.client
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from .. import __version__
from ..errors import (
    FetchError,
    FetchTimeoutError,
    HttpStatusError,
    InvalidArgumentError,
    RedirectError,
    ResponseTooLargeError,
    RobotsDisallowedError,
)

ROBOTS_TOKEN = "evpace"
USER_AGENT = f"{ROBOTS_TOKEN}/{__version__} (EV news fact collector; Python http.client)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.9, */*;q=0.5"
REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))
_CHUNK = 65_536
_SAFE = "!#$%&'()*+,/:;=?@[]~"  # left as they are in a request target; spaces and non-ASCII are escaped


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch. Times are in seconds."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    #: Overall limit for one response, so a server dripping a byte at a time cannot hold the run.
    max_seconds: float = 120.0
    #: Minimum spacing between the starts of two requests to the same host (``host:port``).
    min_interval: float = 1.0
    #: Retries after the first attempt, on 5xx, 429 and network errors (timeouts included).
    retries: int = 3
    #: Delay before the first retry; doubled for each further one, capped at ``max_backoff``.
    backoff: float = 1.0
    max_backoff: float = 60.0
    #: A robots.txt ``Crawl-delay`` above this is capped to it.
    max_crawl_delay: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "max_seconds", "max_bytes"):
            if not getattr(self, name) > 0:
                raise InvalidArgumentError(name=name, reason=f"must be more than 0, got {getattr(self, name)!r}")
        for name in ("min_interval", "retries", "backoff", "max_backoff", "max_crawl_delay", "max_redirects"):
            if not getattr(self, name) >= 0:
                raise InvalidArgumentError(name=name, reason=f"must be 0 or more, got {getattr(self, name)!r}")
        if not self.user_agent.strip() or any(c in self.user_agent for c in "\r\n"):
            raise InvalidArgumentError(name="user_agent", reason="must be one non-empty line")


@dataclass
class Response:
    """A final (non-redirect) answer: 2xx with its body, or 304 Not Modified (empty body)."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: Message
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("ETag", "") or ""

    @property
    def last_modified(self) -> str:
        return self.headers.get("Last-Modified", "") or ""

    @property
    def content_type(self) -> str:
        return (self.headers.get_content_type() if self.headers.get("Content-Type") else "") or ""

    @property
    def charset(self) -> str | None:
        return self.headers.get_content_charset() if self.headers.get("Content-Type") else None


class _Retryable(Exception):
    """An attempt that failed in a way worth retrying; ``error`` is what to report if retries run out."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def _restated(exc: FetchError, **fields: object) -> FetchError:
    """The same kind of error with some fields changed (the URL named, the reason completed)."""
    return type(exc)(**{**exc.fields, **fields})


def _checked(url: str) -> str:
    """``url`` if it is an absolute http(s) URL that can be requested; FetchError otherwise."""
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise FetchError(url=url, reason=f"not a valid URL ({exc})") from None
    if not ok:
        raise FetchError(url=url, reason="not an http:// or https:// URL with a host")
    return url


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header given in seconds (an HTTP date is ignored)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


class HttpClient:
    """Polite GETs with per-host rate limiting and a per-host robots.txt cache (one per fetch run).

    ``sleep`` and ``clock`` can be replaced (tests); they default to :func:`time.sleep` and
    :func:`time.monotonic`.
    """

    def __init__(self, settings: FetchSettings | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings or FetchSettings()
        self._sleep, self._clock = sleep, clock
        self._last: dict[str, float] = {}
        self._interval: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | FetchError] = {}
        self.requests = 0

    # -- public --------------------------------------------------------------------------------
    def get(self, url: str, *, etag: str = "", last_modified: str = "", robots: bool = True) -> Response:
        """GET ``url`` following redirects; a 2xx (body read) or 304 Response, else a FetchError.

        ``etag`` / ``last_modified`` make the request conditional. ``robots=False`` skips the robots.txt
        check (for robots.txt itself)."""
        headers = {"User-Agent": self.settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip",
                   "Connection": "close"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        chain = [_checked(url)]
        while True:
            current = chain[-1]
            try:
                if robots:
                    self.check_robots(current)
                status, resp_headers, body = self._with_retries(current, headers)
            except FetchError as exc:
                if current == url:
                    raise
                raise _restated(exc, url=url, reason=f"after a redirect to {current}: {exc.fields['reason']}") from None
            if status not in REDIRECTS:
                return Response(url=url, final_url=current, status=status, headers=resp_headers, body=body,
                                redirects=chain[1:])
            location = (resp_headers.get("Location") or "").strip()
            hop = "" if current == url else f" (at {current})"
            if not location:
                raise RedirectError(url=url, reason=f"HTTP {status} redirect without a Location header{hop}")
            try:
                target = _checked(urljoin(current, location))
            except (FetchError, ValueError):
                raise RedirectError(url=url, reason=f"redirect to {location!r}, not an http(s) URL{hop}") from None
            if target in chain:
                raise RedirectError(url=url, reason="redirect loop: " + " → ".join([*chain, target]))
            if len(chain) > self.settings.max_redirects:
                raise RedirectError(url=url, reason=f"more than {self.settings.max_redirects} redirects: "
                                                    + " → ".join([*chain, target]))
            chain.append(target)

    def check_robots(self, url: str) -> None:
        """Raise RobotsDisallowedError if the host's robots.txt forbids ``url`` to evpace."""
        key = _host_key(url)
        rules = self._robots.get(key)
        if rules is None:
            rules = self._robots[key] = self._read_robots(key)
        if isinstance(rules, FetchError):
            raise RobotsDisallowedError(url=url, reason=f"{key}/robots.txt could not be read ({rules.fields['reason']})"
                                                        "; the host is skipped for this run (RFC 9309)")
        if not rules.can_fetch(ROBOTS_TOKEN, url):
            raise RobotsDisallowedError(url=url, reason=f"disallowed for {ROBOTS_TOKEN} by {key}/robots.txt")

    # -- robots --------------------------------------------------------------------------------
    def _read_robots(self, key: str) -> RobotFileParser | FetchError:
        rules = RobotFileParser(f"{key}/robots.txt")
        try:
            resp = self.get(f"{key}/robots.txt", robots=False)
        except HttpStatusError as exc:
            if 400 <= exc.fields.get("status", 0) < 500:
                rules.allow_all = True
                return rules
            return exc
        except FetchError as exc:
            return exc
        rules.parse(resp.body.decode("utf-8", "replace").splitlines())
        delay = rules.crawl_delay(ROBOTS_TOKEN)
        if delay:
            self._interval[key] = min(float(delay), self.settings.max_crawl_delay)
        return rules

    # -- requests ------------------------------------------------------------------------------
    def _with_retries(self, url: str, headers: dict[str, str]) -> tuple[int, Message, bytes]:
        s = self.settings
        for attempt in range(s.retries + 1):
            try:
                return self._attempt(url, headers)
            except _Retryable as exc:
                if attempt == s.retries:
                    tries = f"{attempt + 1} attempts" if attempt else "1 attempt"
                    raise _restated(exc.error, reason=f"{exc.error.fields['reason']} ({tries})") from None
                delay = min(s.max_backoff, s.backoff * 2 ** attempt)
                if exc.retry_after is not None:
                    delay = max(delay, min(exc.retry_after, s.max_backoff))
                self._sleep(delay)
        raise AssertionError("unreachable")

    def _wait_turn(self, key: str) -> None:
        interval = max(self.settings.min_interval, self._interval.get(key, 0.0))
        last = self._last.get(key)
        if last is not None:
            wait = last + interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[key] = self._clock()

    def _attempt(self, url: str, headers: dict[str, str]) -> tuple[int, Message, bytes]:
        """One request. Returns (status, headers, body) for 2xx, 304 and redirects; raises otherwise."""
        s = self.settings
        parts = urlsplit(url)  # checked by get()
        target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_SAFE)
        self._wait_turn(_host_key(url))
        self.requests += 1
        conn: http.client.HTTPConnection | None = None
        phase = "connecting"
        try:
            if parts.scheme == "https":
                conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=s.connect_timeout,
                                                   context=ssl.create_default_context())
            else:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=s.connect_timeout)
            conn.connect()
            phase = "waiting for the response"
            if conn.sock is not None:
                conn.sock.settimeout(s.read_timeout)
            conn.request("GET", target, headers=headers)
            resp = conn.getresponse()
            status = resp.status
            if status in RETRY_STATUSES:
                raise _Retryable(HttpStatusError(url=url, status=status, reason=f"HTTP {status} {resp.reason}"),
                                 _retry_after(resp.getheader("Retry-After")))
            if status == 304 or status in REDIRECTS:
                return status, resp.msg, b""
            if not 200 <= status < 300:
                raise HttpStatusError(url=url, status=status, reason=f"HTTP {status} {resp.reason}")
            phase = "reading the body"
            return status, resp.msg, self._read_body(url, resp)
        except TimeoutError:
            timeout = s.connect_timeout if phase == "connecting" else s.read_timeout
            raise _Retryable(FetchTimeoutError(url=url, reason=f"timed out after {timeout:g} s {phase}")) from None
        except ssl.SSLError as exc:  # certificate problems do not go away by retrying
            raise FetchError(url=url, reason=f"TLS error: {exc.reason or exc}") from None
        except ValueError as exc:  # http.client.InvalidURL, a bad port...
            raise FetchError(url=url, reason=f"cannot request this URL: {exc}") from None
        except (OSError, http.client.HTTPException) as exc:
            what = exc.strerror if isinstance(exc, OSError) and exc.strerror else (str(exc) or type(exc).__name__)
            raise _Retryable(FetchError(url=url, reason=f"network error while {phase}: {what}")) from None
        finally:
            if conn is not None:
                conn.close()
            # the interval runs from the end of a request, so a slow answer does not bring the next one closer
            self._last[_host_key(url)] = self._clock()

    def _read_body(self, url: str, resp: http.client.HTTPResponse) -> bytes:
        """The body, streamed, stopping as soon as it (or its unzipped form) passes ``max_bytes``."""
        s = self.settings
        cap = s.max_bytes
        declared = resp.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise ResponseTooLargeError(url=url, reason=f"response is {int(declared):,} bytes (Content-Length), "
                                                        f"over the limit of {cap:,} bytes; not downloaded")
        gzip = (resp.getheader("Content-Encoding") or "").strip().lower() in ("gzip", "x-gzip")
        unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
        deadline = self._clock() + s.max_seconds
        parts: list[bytes] = []
        size = wire = 0
        while True:
            chunk = resp.read1(_CHUNK)
            if not chunk:
                break
            wire += len(chunk)
            if unzip is not None:
                try:
                    chunk = unzip.decompress(chunk, cap + 1 - size)
                except zlib.error as exc:
                    raise FetchError(url=url, reason=f"corrupt gzip body: {exc}") from None
            size += len(chunk)
            if size > cap or wire > cap:
                raise ResponseTooLargeError(url=url, reason=f"response is over the limit of {cap:,} bytes; "
                                                            f"stopped reading at {max(size, wire):,}")
            parts.append(chunk)
            if self._clock() > deadline:
                raise FetchTimeoutError(url=url, reason=f"response took over {s.max_seconds:g} s to download")
        if unzip is not None:
            parts.append(unzip.flush())
            if size + len(parts[-1]) > cap:
                raise ResponseTooLargeError(url=url, reason=f"response is over the limit of {cap:,} bytes unzipped")
        return b"".join(parts)


__all__ = ["FetchSettings", "HttpClient", "Response", "ROBOTS_TOKEN", "USER_AGENT"]
