"""Attacks on the web service, as data and runners: shared by ``tests/test_security.py`` (which asserts none
succeeds) and ``benchmarks/bench_security.py`` (which counts tries and successes).

Each runner drives the app through FastAPI's TestClient and returns one :class:`Attempt` per try, ``success``
True when the attack got through (script markup or a ``javascript:`` link in a page, a 5xx, a filter that
matched more than it should, a changed database, a file written outside the upload folder, a write without
the token...). Payloads are our own; the article text is invented.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

#: Every script payload carries this marker, so a page can be searched for what got through.
MARK = "evpx"
XSS = (
    f"<script>alert('{MARK}1')</script>",
    f"<img src=x onerror=alert('{MARK}2')>",
    f"\"><svg onload=alert('{MARK}3')>",
    f"'><iframe src=javascript:alert('{MARK}4')></iframe>",
    f"<a href=\"javascript:alert('{MARK}5')\">more</a>",
    f'<div hx-get="/api/health?{MARK}6" hx-trigger="load">x</div>',
    f"<meta http-equiv=refresh content=\"0;url=https://{MARK}7.test/\">",
    f"</textarea><script>alert('{MARK}8')</script>",
    f"<style>body{{background:url('https://{MARK}9.test/')}}</style>",
    f"<body onload=alert('{MARK}10')>",
    f"&lt;script&gt;alert('{MARK}11')&lt;/script&gt;",
    f"{{{{ 7 * 7 }}}} {MARK}12 {{% print(1) %}}",
)
HOSTILE_URL = f"javascript:alert('{MARK}-url')"
HOSTILE_TITLE = f"<script>alert('{MARK}-title')</script>\"><svg onload=alert('{MARK}-t')>"
MAKERS = ("Xiaomi", "NIO", "Li Auto", "XPeng", "Leapmotor", "Zeekr", "BYD", "AITO", "Xiaomi", "NIO", "Li Auto", "XPeng")

#: Classic SQL payloads (SQLite and PostgreSQL flavours), tried in every query parameter and path id.
SQLI = (
    "' OR '1'='1", "' OR 1=1 --", "xiaomi' OR '1'='1", "1; DROP TABLE facts; --", "xiaomi'; DELETE FROM facts; --",
    '" OR ""="', "%", "_", "%' --", "' UNION SELECT name, sql FROM sqlite_master --",
    "' UNION SELECT table_name FROM information_schema.tables --", "1) OR (1=1",
    "'; ATTACH DATABASE '/tmp/evpace-sqli-attach.db' AS x; CREATE TABLE x.t(a); --",
    "' || (SELECT sqlite_version()) || '", "'; SELECT pg_sleep(3); --", "1' AND (SELECT 1 FROM pg_sleep(3)) --",
    "$$; DROP TABLE facts; $$", "2025' OR '1'='1", "2025-01-01' OR '1'='1", "\\", "\x00",
    "' AND 1=0 UNION ALL SELECT 1 --",
)
SQLI_FILE = Path("/tmp/evpace-sqli-attach.db")
#: Query parameters of each read endpoint (values are replaced by each payload in turn).
SQLI_TARGETS: tuple[tuple[str, tuple[str, ...], dict[str, str]], ...] = (
    ("/api/facts", ("entity", "metric", "scope", "kind", "since", "until", "as_of", "children", "limit", "offset"), {}),
    ("/facts", ("entity", "metric", "scope", "kind", "since", "until", "as_of", "children", "page"), {}),
    ("/api/milestones", ("threshold", "metric", "tag", "as_of", "entity", "sort"), {"threshold": "1000000"}),
    ("/api/entities/xiaomi/series", ("metric", "cumulative", "as_of"), {}),
    ("/api/entities/xiaomi/targets", ("year", "metric", "as_of"), {}),
    ("/api/conflicts", ("entity", "as_of"), {}),
    ("/", ("threshold", "tag", "as_of", "x"), {}),
    ("/entity/li-auto", ("as_of",), {}),
    ("/alerts", ("limit",), {}),
)
#: Path templates taking an id.
SQLI_PATHS = ("/api/entities/{}/series", "/api/entities/{}/targets", "/entity/{}", "/api/documents/{}",
              "/documents/{}")
#: Filters of /api/facts for which anything but "no rows" means the value was not taken literally.
LITERAL_FILTERS = ("entity", "metric", "scope", "kind", "since", "until")

#: Upload names that try to leave the upload folder; ``{t}`` becomes a unique token.
UPLOAD_NAMES = (
    "../../{t}.txt", "../../../../../../tmp/{t}.txt", "/tmp/{t}.txt", "/etc/{t}.txt", "..\\..\\{t}.txt",
    "C:\\Windows\\Temp\\{t}.txt", "\\\\server\\share\\{t}.txt", "....//....//{t}.txt", "%2e%2e%2f%2e%2e%2f{t}.txt",
    "{t}\x00.txt.html", "~/{t}.txt", ".{t}", "a/b/../../../{t}.md", "{t}" + "x" * 300 + ".txt", "ｘ／{t}.txt",
    "{t}\r\nContent-Type: text/html.txt", "<img src=x onerror=alert(1)>{t}.md", "CON", "",
)


@dataclass
class Attempt:
    category: str
    target: str
    payload: str
    success: bool
    detail: str = ""


# -- what a page must not contain -------------------------------------------------------------------------------
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "ping",
                        "srcdoc", "hx-get", "hx-post", "hx-put", "hx-delete", "hx-patch"})
_FORBIDDEN_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
_SCHEME_JUNK = re.compile(r"[\s\x00-\x1f]+")


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag in _FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "script":
            self.in_script = True
            if not a.get("src", "").startswith("/static/"):
                self.found.append(f"<script> without a /static/ src: {a}")
        if tag == "meta" and "http-equiv" in a:
            self.found.append(f"<meta http-equiv={a['http-equiv']!r}>")
        if tag == "link" and not a.get("href", "").startswith("/static/"):
            self.found.append(f"<link href={a.get('href')!r}>")
        for name, value in a.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if MARK in name:
                self.found.append(f"<{tag}> attribute named {name!r}")
            if name in _URL_ATTRS and _SCHEME_JUNK.sub("", value).lower().startswith(("javascript:", "vbscript:",
                                                                                        "data:")):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
            if (name.startswith(("hx-", "data-hx-")) or name == "style") and MARK in value:
                self.found.append(f"<{tag} {name}={value[:40]!r}> (injected)")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.found.append(f"inline script: {data[:40]!r}")


def html_dangers(html: str) -> list[str]:
    """Markup in ``html`` that could run script or leave the page: inline or foreign scripts, event handler
    attributes, ``javascript:``/``data:`` URLs, frames and objects, refresh redirects, injected htmx or style
    attributes. The app's own pages have none."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    low = html.lower()
    raw = [p for p in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "javascript:alert(", "<body onload")
           if p in low and not _only_in_escaped_form(low, p)]
    return scan.found + [f"raw {p!r}" for p in raw]


def _only_in_escaped_form(low: str, needle: str) -> bool:
    # "javascript:alert(" may appear as text (a hostile URL shown, not linked); it is dangerous only in markup,
    # which the parser above checks. The others are markup by themselves.
    return needle == "javascript:alert("


# -- database state --------------------------------------------------------------------------------------------
def db_digest(db: str) -> str:
    """A hash of every row of every table: equal before and after means nothing was written."""
    from evpace.store import Store, is_postgres

    with Store(db) as s:
        if is_postgres(db):
            tables = [r["table_name"] for r in s.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_type = 'BASE TABLE'")]
        else:
            tables = [r["name"] for r in s.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
        h = hashlib.sha256()
        for t in sorted(tables):
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", t):
                continue
            rows = sorted(repr(sorted(r.items())) for r in s.query(f"SELECT * FROM {t}"))  # t: a catalogue name
            h.update(f"{t}:{len(rows)}:".encode())
            for r in rows:
                h.update(r.encode("utf-8", "surrogatepass"))
        return h.hexdigest()


def document_count(db: str) -> int:
    from evpace.store import Store

    with Store(db) as s:
        return s.counts()["documents"]


# -- XSS ---------------------------------------------------------------------------------------------------------
def hostile_article() -> str:
    """An article (our own words) with a hostile title, URL and a payload in every sentence carrying a figure."""
    lines = [f"{MAKERS[i]} delivered {41_003 + 997 * i:,} vehicles in November 2025 {p}, the maker said."
             for i, p in enumerate(XSS)]
    return (f"---\ntitle: {HOSTILE_TITLE}\nurl: {HOSTILE_URL}\npublished: 2025-12-02\n---\n" + "\n".join(lines) + "\n")


def _page_attempt(target: str, payload: str, r: Any, *, expect_mark: bool = False, status: tuple = (200,)) -> Attempt:
    problems = []
    if r.status_code not in status:
        problems.append(f"status {r.status_code}")
    if "html" in r.headers.get("content-type", ""):
        problems += html_dangers(r.text)
        if expect_mark and MARK not in r.text:
            problems.append("the payload is not shown at all (nothing was tested)")
    elif r.headers.get("content-type", "").startswith("application/json"):
        try:
            r.json()
        except ValueError:
            problems.append("not JSON")
    else:
        problems.append(f"content-type {r.headers.get('content-type')!r}")
    if r.headers.get("x-content-type-options") != "nosniff" or "script-src 'self'" not in r.headers.get(
            "content-security-policy", ""):
        problems.append("security headers missing")
    return Attempt("xss", target, payload, bool(problems), "; ".join(problems[:4]))


def xss_attempts(client: Any, token: str) -> list[Attempt]:
    """Store the hostile article (a legitimate write of hostile content), then look at every page showing it."""
    out: list[Attempt] = []
    auth = {"Authorization": f"Bearer {token}"}
    article = hostile_article()
    r = client.post("/api/ingest", files={"files": ("hostile.md", article.encode(), "text/markdown")}, headers=auth)
    stored = r.json()["stored"] if r.status_code == 200 else []
    out.append(Attempt("xss", "POST /api/ingest", "hostile article", r.status_code != 200 or not stored,
                       f"status {r.status_code}"))
    if not stored:
        return out
    doc_id = stored[0]["id"]
    api_doc = client.get(f"/api/documents/{doc_id}")
    out.append(_page_attempt("GET /api/documents/{id}", "stored article", api_doc))
    facts = api_doc.json()["facts"] if api_doc.status_code == 200 else []
    claims = api_doc.json()["claims"] if api_doc.status_code == 200 else []
    out.append(Attempt("xss", "facts read from the hostile article", "", len(facts) < 6, f"{len(facts)} facts"))
    pages = [(f"/documents/{doc_id}", {}, True)]
    pages += [(f"/documents/{doc_id}", {"fact": f["id"]}, True) for f in facts]
    pages += [(f"/documents/{doc_id}", {"start": c["span_start"], "end": c["span_end"]}, True) for c in claims[:5]]
    pages += [("/facts", {"entity": m, "since": "2025-11", "until": "2025-11"}, True)
              for m in ("xiaomi", "nio", "li-auto", "xpeng", "leapmotor")]
    pages += [("/entity/xiaomi", {}, False), ("/entity/nio", {}, False), ("/", {"tag": ""}, False),
              ("/facts", {}, False)]  # the entity pages list the article's URL among the conflicts' sources
    for path, params, mark in pages:
        for hx in (False, True):
            if hx and not path.startswith("/facts"):
                continue
            r = client.get(path, params=params, headers={"HX-Request": "true"} if hx else {})
            out.append(_page_attempt(f"GET {path} {params}{' (htmx)' if hx else ''}", "stored article", r,
                                     expect_mark=mark))
    # Pages that show text sent with the request.
    for hx in (False, True):
        r = client.post("/check", data={"text": article}, headers={"HX-Request": "true"} if hx else {})
        out.append(_page_attempt(f"POST /check text{' (htmx)' if hx else ''}", "article", r, expect_mark=True))
    r = client.post("/check", data={"published": "2025-12-02"},
                    files={"file": (f"<img src=x onerror=alert('{MARK}')>.md", article.encode(), "text/markdown")})
    out.append(_page_attempt("POST /check upload", "article + file name", r, expect_mark=True))
    r = client.post("/api/check", json={"text": article.split("---\n", 2)[2], "title": HOSTILE_TITLE,
                                        "url": HOSTILE_URL, "published": "2025-12-02"})
    out.append(_page_attempt("POST /api/check", "article", r))
    variant = article.replace("November", "October")
    r = client.post("/ingest", data={"token": token},
                    files={"files": (f"\"><svg onload=alert('{MARK}')>.md", variant.encode(), "text/markdown")})
    out.append(_page_attempt("POST /ingest result", "article + file name", r, expect_mark=True))
    for payload in XSS + (HOSTILE_URL,):
        reflected = [
            ("/entity/{}", None, (404,)), ("/documents/{}", None, (404,)), ("/facts", "entity", (200,)),
            ("/facts", "metric", (200,)), ("/facts", "since", (200,)), ("/facts", "as_of", (400,)),
            ("/", "as_of", (400,)), ("/", "tag", (400,)), ("/", "x", (400,)), ("/entity/xiaomi", "as_of", (400,)),
            ("/api/entities/{}/series", None, (404,)), ("/api/facts", "entity", (200,)),
        ]
        for path, param, status in reflected:
            for hx in (False, True):
                if hx and path.startswith("/api/"):
                    continue
                url = path.format(quote(payload, safe="")) if param is None else path
                r = client.get(url, params={param: payload} if param else None,
                               headers={"HX-Request": "true"} if hx else {})
                out.append(_page_attempt(f"GET {path} {param or 'path'}{' (htmx)' if hx else ''}", payload, r,
                                         status=status))
        r = client.post("/check", data={"text": "Xiaomi delivered 1,000 cars.", "published": payload})
        out.append(_page_attempt("POST /check published", payload, r, status=(400,)))
    out += _feeds_attempts(client)
    return out


def _feeds_attempts(client: Any) -> list[Attempt]:
    """The feeds page shows names and URLs people add (and errors from remote servers)."""
    try:
        from evpace.fetch import add_feed
    except ImportError:
        return []
    db = client.app.state.service.db
    out = []
    for i, payload in enumerate(XSS[:4]):
        try:
            add_feed(f"https://feeds{i}.{MARK}.test/rss?q={payload}", name=f"{payload} {i}", db=db)
        except Exception as e:  # noqa: BLE001 - a refused feed is fine: nothing hostile is shown
            out.append(Attempt("xss", "add_feed", payload, False, f"refused: {e}"))
    r = client.get("/feeds")
    out.append(_page_attempt("GET /feeds", "feed names and URLs", r, expect_mark=True))
    return out


# -- SQL injection ------------------------------------------------------------------------------------------------
def sqli_attempts(client: Any, db: str) -> list[Attempt]:
    """Every payload in every query parameter and path id: 200 or 4xx only, quickly, the literal filters
    match nothing, and the database is unchanged afterwards."""
    out: list[Attempt] = []
    before = db_digest(db)
    SQLI_FILE.unlink(missing_ok=True)

    def judge(target: str, payload: str, r: Any, seconds: float, literal: bool) -> Attempt:
        problems = []
        if r.status_code >= 500 or r.status_code not in (200, 400, 404, 422):
            problems.append(f"status {r.status_code}")
        if seconds > 2.5:
            problems.append(f"took {seconds:.1f} s (a sleep got through?)")
        if literal and r.status_code == 200 and r.json() != []:
            problems.append(f"{len(r.json())} rows for a value that names nothing")
        return Attempt("sqli", target, payload, bool(problems), "; ".join(problems))

    for payload in SQLI:
        for path, params, base in SQLI_TARGETS:
            for name in params:
                start = time.perf_counter()
                r = client.get(path, params=base | {name: payload})
                literal = path == "/api/facts" and name in LITERAL_FILTERS
                out.append(judge(f"GET {path}?{name}=", payload, r, time.perf_counter() - start, literal))
        for template in SQLI_PATHS:
            start = time.perf_counter()
            r = client.get(template.format(quote(payload, safe="")))
            out.append(judge(f"GET {template}", payload, r, time.perf_counter() - start, False))
        start = time.perf_counter()
        r = client.post("/api/check", json={"text": "Xiaomi delivered 1,000 cars in 2025.", "as_of": payload})
        out.append(judge("POST /api/check as_of", payload, r, time.perf_counter() - start, False))
    after = db_digest(db)
    out.append(Attempt("sqli", "database unchanged", "all of the above", after != before,
                       "" if after == before else "rows changed"))
    out.append(Attempt("sqli", "no file attached", SQLI[12], SQLI_FILE.exists(), str(SQLI_FILE)))
    return out


# -- uploads -------------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def sandboxed_tempdir(sandbox: Path) -> Iterator[Path]:
    """tempfile's folder set to ``sandbox`` for the duration (the app makes its upload folders there)."""
    old = tempfile.tempdir
    tempfile.tempdir = str(sandbox)
    try:
        yield sandbox
    finally:
        tempfile.tempdir = old


def _files_named(token: str, roots: list[tuple[Path, int]]) -> list[str]:
    """Files and folders whose name holds ``token`` under each root, down to its depth."""
    found = []
    for root, depth in roots:
        if not root.is_dir():
            continue
        base = len(root.parts)
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = [d for d in dirs if d not in (".git", ".venv", "node_modules", "proc", "sys")
                       and len(here.parts) - base < depth]
            found += [str(here / f) for f in files + dirs if token in f]
    return found


def upload_attempts(client: Any, token: str, db: str, sandbox: Path, repo: Path) -> list[Attempt]:
    """Hostile upload names, to the ingest (writes to a temporary folder) and to /check (in memory)."""
    out: list[Attempt] = []
    auth = {"Authorization": f"Bearer {token}"}
    roots = [(sandbox, 4), (sandbox.parent, 1), (sandbox.parent.parent, 1), (repo, 3), (Path(tempfile.gettempdir()), 2),
             (Path("/tmp"), 2), (Path.home(), 1), (Path("/"), 1), (Path("/etc"), 1), (Path.cwd(), 1)]
    with sandboxed_tempdir(sandbox):
        for i, pattern in enumerate(UPLOAD_NAMES):
            tag = f"evpaceup{secrets.token_hex(4)}"
            name = pattern.format(t=tag)
            body = f"Leapmotor delivered {20_000 + i:,} vehicles in June 2024, upload {tag}.\n".encode()
            sends = (
                ("POST /api/ingest", lambda n=name, b=body: client.post(
                    "/api/ingest", headers=auth, files={"files": (n, b, "text/plain")})),
                ("POST /ingest", lambda n=name, b=body: client.post(
                    "/ingest", data={"token": token}, files={"files": (n, b + b" Again.", "text/plain")})),
                ("POST /check", lambda n=name, b=body: client.post("/check", files={"file": (n, b, "text/plain")})),
            )
            for label, send in sends:
                try:
                    r = send()
                except Exception as e:  # noqa: BLE001 - the client may refuse to send such a name: not an attack
                    out.append(Attempt("upload", label, repr(name), False, f"client refused: {type(e).__name__}"))
                    continue
                problems = [] if r.status_code < 500 else [f"status {r.status_code}"]
                if label == "POST /api/ingest" and r.status_code == 200:
                    for d in r.json()["stored"]:
                        if re.search(r"[/\\\x00]|\.\.", d["name"]):
                            problems.append(f"stored name {d['name']!r}")
                    problems += [f"error names the server folder: {e!r}" for e in r.json()["errors"]
                                 if str(sandbox) in e or "evpace-upload-" in e]
                if "html" in r.headers.get("content-type", ""):
                    problems += html_dangers(r.text)
                left = list(sandbox.iterdir())
                if left:
                    problems.append(f"left in the upload folder: {left}")
                out.append(Attempt("upload", label, repr(name), bool(problems), "; ".join(problems[:3])))
            written = _files_named(tag, roots)
            out.append(Attempt("upload", "no file written anywhere", repr(name), bool(written), "; ".join(written[:3])))
    from evpace.store import Store

    with Store(db) as s:
        paths = [r["path"] for r in s.query("SELECT path FROM documents WHERE text LIKE ?", ("%evpaceup%",))]
    outside = [p for p in paths if not os.path.realpath(p).startswith(os.path.realpath(sandbox) + os.sep)
               and not p.startswith(str(sandbox))]
    out.append(Attempt("upload", "stored paths inside the upload folder", f"{len(paths)} documents", bool(outside),
                       "; ".join(outside[:3])))
    return out


# -- the token -----------------------------------------------------------------------------------------------------
def _token_tries(token: str) -> list[tuple[str, dict[str, str], dict[str, str], dict[str, str], dict[str, str]]]:
    """(what, headers, form fields, query, cookies) that must all be refused."""
    b64 = base64.b64encode(f"evpace:{token}".encode()).decode()
    tries = [
        ("no credentials", {}, {}, {}, {}),
        ("wrong bearer", {"Authorization": "Bearer wrong-token"}, {}, {}, {}),
        ("empty bearer", {"Authorization": "Bearer "}, {}, {}, {}),
        ("bearer word only", {"Authorization": "Bearer"}, {}, {}, {}),
        ("no space", {"Authorization": f"Bearer{token}"}, {}, {}, {}),
        ("token without scheme", {"Authorization": token}, {}, {}, {}),
        ("basic auth", {"Authorization": f"Basic {b64}"}, {}, {}, {}),
        ("token minus a character", {"Authorization": f"Bearer {token[:-1]}"}, {}, {}, {}),
        ("token plus a character", {"Authorization": f"Bearer {token}x"}, {}, {}, {}),
        ("token twice", {"Authorization": f"Bearer {token}{token}"}, {}, {}, {}),
        ("token reversed", {"Authorization": f"Bearer {token[::-1]}"}, {}, {}, {}),
        ("upper case", {"Authorization": f"Bearer {token.upper()}"}, {}, {}, {}),
        ("huge token", {"Authorization": "Bearer " + "t" * 60_000}, {}, {}, {}),
        ("unicode token", {}, {"token": "tökén-☃"}, {}, {}),
        ("in the query string", {}, {}, {"token": token}, {}),
        ("in a cookie", {}, {}, {}, {"token": token}),
        ("in X-Token", {"X-Token": token, "X-Api-Key": token}, {}, {}, {}),
        ("empty form token", {}, {"token": ""}, {}, {}),
        ("wrong form token", {}, {"token": "wrong"}, {}, {}),
        ("form token with blanks", {}, {"token": f" {token} "}, {}, {}),
        ("form token with NUL", {}, {"token": f"{token}\x00"}, {}, {}),
        ("form token prefix", {}, {"token": token[:4]}, {}, {}),
        ("wrong form token, no header", {"Authorization": "Bearer "}, {"token": "nope"}, {}, {}),
    ]
    return [t for t in tries if not (t[0] == "upper case" and token.upper() == token)]


def token_attempts(client: Any, token: str, db: str, no_token_client: Callable[[str | None], Any]) -> list[Attempt]:
    """Writes with anything but the token, to /api/ingest and /ingest, on a server with a token and on servers
    without one (``no_token_client(configured)`` gives a client for ``create_app(db, configured)``)."""
    out: list[Attempt] = []

    def attempt(c: Any, path: str, what: str, headers: dict, form: dict, query: dict, cookies: dict,
                expect: str) -> Attempt:
        before = document_count(db)
        body = f"Zeekr delivered {secrets.randbelow(90_000) + 10_000:,} vehicles in March 2025, try {what}.\n"
        c.cookies.clear()
        for k, v in cookies.items():
            c.cookies.set(k, v)
        try:
            r = c.post(path, headers=headers, data=form, params=query,
                       files={"files": ("t.txt", body.encode(), "text/plain")})
        except Exception as e:  # noqa: BLE001 - a request the client cannot even send is refused
            return Attempt("token", f"POST {path}", what, False, f"client refused: {type(e).__name__}")
        finally:
            c.cookies.clear()
        problems = []
        if r.status_code != 403:
            problems.append(f"status {r.status_code}")
        if document_count(db) != before:
            problems.append("a document was stored")
        if expect not in r.text:
            problems.append(f"no {expect!r} in the answer")
        if token and token in r.text:
            problems.append("the answer shows the token")
        return Attempt("token", f"POST {path}", what, bool(problems), "; ".join(problems))

    for what, headers, form, query, cookies in _token_tries(token):
        for path in ("/api/ingest", "/ingest"):
            out.append(attempt(client, path, what, headers, form, query, cookies, "valid token"))
    for configured in (None, ""):
        c = no_token_client(configured)
        for what, headers, form in (("bearer None", {"Authorization": "Bearer None"}, {}),
                                    ("empty bearer", {"Authorization": "Bearer "}, {}),
                                    ("empty form token", {}, {"token": ""}),
                                    ("the other server's token", {"Authorization": f"Bearer {token}"},
                                     {"token": token})):
            for path in ("/api/ingest", "/ingest"):
                out.append(attempt(c, path, f"server token {configured!r}: {what}", headers, form, {}, {},
                                   "disabled"))
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        r = client.request(method, "/api/ingest", headers={"Authorization": f"Bearer {token}"})
        out.append(Attempt("token", f"{method} /api/ingest", "other method", r.status_code not in (405,),
                           f"status {r.status_code}"))
    return out


# -- request size ---------------------------------------------------------------------------------------------------
def size_attempts(client: Any) -> list[Attempt]:
    """Bodies far over the limits, announced and chunked, to the open endpoints: refused (413) unread."""
    out = []

    def chunks(n: int, head: bytes = b'{"text": "', tail: bytes = b'"}') -> Iterator[bytes]:
        yield head
        for _ in range(n):
            yield b"a" * 1_000_000
        yield tail

    mp_head = (b'--BOUND\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
               b"Content-Type: text/plain\r\n\r\n")
    tries = [
        ("POST /api/check", "announced 40 MB JSON", lambda: client.post(
            "/api/check", content=b'{"text": "' + b"a" * 40_000_000 + b'"}',
            headers={"content-type": "application/json"})),
        ("POST /api/check", "chunked 40 MB JSON", lambda: client.post(
            "/api/check", content=chunks(40), headers={"content-type": "application/json"})),
        ("POST /check", "chunked 40 MB upload", lambda: client.post(
            "/check", content=chunks(40, mp_head, b"\r\n--BOUND--\r\n"),
            headers={"content-type": "multipart/form-data; boundary=BOUND"})),
        ("POST /api/ingest", "chunked 150 MB upload without token", lambda: client.post(
            "/api/ingest", content=chunks(150, mp_head.replace(b'"file"', b'"files"'), b"\r\n--BOUND--\r\n"),
            headers={"content-type": "multipart/form-data; boundary=BOUND"})),
    ]
    for target, what, send in tries:
        r = send()
        out.append(Attempt("size", target, what, r.status_code != 413, f"status {r.status_code}"))
    return out
