"""The web dashboard and JSON API: ``create_app(db, token)`` and ``serve(db, host, port, token)``.

Pages are rendered on the server with Jinja2 (autoescaped: article text is never trusted) and made
interactive with htmx (vendored in ``evpace/static/vendor``; nothing is loaded from a CDN). Reads are
open; writes (``/ingest``, ``/api/ingest``) need the token given at start-up, as a form field ``token`` or
an ``Authorization: Bearer`` header, and are disabled when no token is configured. See docs/web.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from .. import __version__, api, present
from ..dataset import publisher_of
from ..errors import EvpaceError, InvalidArgumentError, UnknownEntityError
from ..model import KINDS, METRICS, SCOPES, Document
from . import views
from .service import Service

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
VENDOR = views.VENDOR
#: Per uploaded file, and files per request.
MAX_UPLOAD_BYTES = 5_000_000
MAX_FILES = 20
MAX_TEXT_CHARS = 1_000_000
#: Request bodies are refused (413) past these sizes before they are read: the ingest forms take up to
#: MAX_FILES files of MAX_UPLOAD_BYTES; everything else (one upload or 1M pasted characters) much less.
MAX_INGEST_BODY_BYTES = MAX_FILES * MAX_UPLOAD_BYTES + 1_000_000
MAX_BODY_BYTES = 16_000_000
NAV = (("/", "Leaderboard"), ("/facts", "Facts"), ("/check", "Check an article"), ("/ingest", "Ingest"),
       ("/feeds", "Feeds"), ("/alerts", "Alerts"), ("/docs", "API"))
JSON = "application/json"


# -- templates -------------------------------------------------------------------------------------
def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL (safe in ``href``), else None: a source such as
    ``javascript:...`` or ``github:owner/repo/...`` is shown as text, never as a link."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def num(v: Any) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 10 else f"{v:,.2f}"
    return str(v)


def pct(v: Any, signed: bool = False) -> str:
    if v is None:
        return "—"
    return f"{v:+.1%}" if signed else f"{v:.1%}"


def md_code(text: Any) -> Markup:
    """Text with `backtick` spans as ``<code>`` (everything escaped): for the API descriptions."""
    parts = str(text or "").split("`")
    return Markup("".join(f"<code>{escape(p)}</code>" if i % 2 else str(escape(p)) for i, p in enumerate(parts)))


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True,
                      default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=num, pct=pct, safe_url=safe_url, host=lambda u: publisher_of(str(u)) or str(u),
                       fmt=present.fmt_value, md_code=md_code)
    env.globals.update(nav=NAV, version=__version__)
    return env


# -- security headers --------------------------------------------------------------------------------
class SecurityHeaders:
    """A pure ASGI middleware adding a Content-Security-Policy and friends to every response."""

    def __init__(self, app: Any, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
        ]

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """A pure ASGI middleware refusing request bodies over a size (413) before the app reads them, so
    no client (token or not: a form's token is only known once the body is parsed) can make the server
    buffer or spool more than that. ``Content-Length`` is checked up front; a chunked body as it arrives."""

    def __init__(self, app: Any, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        from starlette.exceptions import HTTPException

        limit = self.limit_for(scope["path"])
        message = f"the request body is over the limit of {limit:,} bytes"
        length = dict(scope.get("headers") or ()).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await JSONResponse({"error": "too-large", "message": message}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:  # an HTTPException passes FastAPI's body parsing untouched
                    raise HTTPException(status_code=413, detail=message)
            return msg

        await self.app(scope, limited, send)


def body_limit(path: str) -> int:
    return MAX_INGEST_BODY_BYTES if path in ("/ingest", "/api/ingest") else MAX_BODY_BYTES


CACHE_MARK = b"x-evpace-cacheable"


class ResponseCache:
    """A pure ASGI fast path for repeated reads: a GET answered before by a handler that marked its
    response cacheable (header ``x-evpace-cacheable``, set by the app's ``cached_response``) is replayed
    from the :class:`Service` cache, keyed by path, query string and the htmx headers, while the database
    is unchanged; routing, parameter parsing and response building are skipped. The mark never leaves
    the server."""

    def __init__(self, app: Any, service: Service) -> None:
        self.app = app
        self.svc = service

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        hdrs = dict(scope.get("headers") or ())
        key = ("asgi", scope["path"], scope.get("query_string", b""), hdrs.get(b"hx-request"),
               hdrs.get(b"hx-history-restore-request"), dt.date.today())  # defaults like "this year" move
        fp = self.svc.fingerprint()
        hit = self.svc.peek(key)
        if hit is not None:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        captured: dict[str, Any] = {}

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                mark = any(k == CACHE_MARK for k, _ in headers)
                if mark:
                    headers = [(k, v) for k, v in headers if k != CACHE_MARK]
                    message = dict(message, headers=headers)
                    if message.get("status", 200) == 200:
                        captured.update(headers=headers, body=[])
            elif message["type"] == "http.response.body" and "body" in captured:
                captured["body"].append(message.get("body", b""))
                if not message.get("more_body"):
                    self.svc.put(key, (captured["headers"], b"".join(captured["body"])), fp)
            await send(message)

        await self.app(scope, receive, capture)


def csp(vega: bool) -> str:
    # Vega compiles its expressions with Function(): allowed only when the vendored Vega is in use.
    script = "script-src 'self'" + (" 'unsafe-eval'" if vega else "")
    return ("default-src 'self'; " + script + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


# -- uploads ---------------------------------------------------------------------------------------
_KNOWN_EXT = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".json", ".xml",
              ".rss", ".atom")


def safe_name(filename: str | None, fallback: str = "upload") -> str:
    """A file name made from an upload's name: its last path component, reduced to ``[A-Za-z0-9._-]``,
    no leading dots, at most 80 characters (``../../etc/passwd`` → ``passwd``). Used inside a fresh
    temporary folder only, so it can never point elsewhere."""
    base = re.split(r"[/\\]", filename or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).lstrip(".-")[:80].rstrip(".")
    return base or fallback


def kind_for(name: str, data: bytes) -> str:
    from ..sources.dispatch import kind_of, sniff

    kind = kind_of(name)
    return kind or sniff(data)


def read_upload(f: UploadFile) -> tuple[bytes | None, str | None]:
    """(bytes, None), or (None, reason) when the file is over the size limit."""
    data = f.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return None, f"{safe_name(f.filename)}: over the limit of {MAX_UPLOAD_BYTES:,} bytes"
    return data, None


def documents_from(text: str | None, upload: UploadFile | None, published: str | None,
                   title: str | None = None, url: str | None = None) -> tuple[list[Document], list[str]]:
    """Documents read from pasted text or one uploaded file, in memory (no file is written)."""
    from ..sources.common import LONE_SURROGATE, normalise_date
    from ..sources.dispatch import read_data

    if published and normalise_date(published) is None:
        raise InvalidArgumentError(name="published", reason=f"cannot read {published!r} as a date")
    pub = normalise_date(published) if published else None
    docs: list[Document] = []
    errors: list[str] = []
    if upload is not None and upload.filename:
        data, err = read_upload(upload)
        if err:
            return [], [err]
        name = safe_name(upload.filename)
        for d in read_data(data or b"", kind_for(name, data or b""), path=name,
                           name=os.path.splitext(name)[0], published=pub):
            (errors.append(str(d)) if isinstance(d, EvpaceError) else docs.append(d))
    elif text and text.strip():
        if len(text) > MAX_TEXT_CHARS:
            return [], [f"the text is over the limit of {MAX_TEXT_CHARS:,} characters"]
        bad = LONE_SURROGATE.search(text)  # JSON can spell "\ud800"; UTF-8 cannot hold it
        if bad:
            return [], [f"the text holds a lone surrogate (\\u{ord(bad[0]):04x}), not Unicode text"]
        for d in read_data(text.encode("utf-8"), "text", path="pasted", name="Pasted article", published=pub):
            (errors.append(str(d)) if isinstance(d, EvpaceError) else docs.append(d))
    else:
        errors.append("paste an article or choose a file")
    if title or url:
        from dataclasses import replace

        docs = [replace(d, title=title or d.title, url=url or d.url) for d in docs]
    return docs, errors


# -- the app ---------------------------------------------------------------------------------------
def create_app(db: str, token: str | None = None, *, cache_ttl: float = 1.0, warm: bool = False) -> FastAPI:
    """The dashboard and API over the database ``db`` (path or ``postgresql://`` URL). ``token`` enables
    writes (ingest) for requests that present it; None disables them. ``warm`` computes the leaderboard and
    its makers' pages in a background thread at start-up, so the first visitors do not wait for them."""
    svc = Service(str(db), ttl=cache_ttl)
    env = make_env()
    vega = views.vega_scripts()
    token = token or None

    def warm_up() -> None:
        try:
            board = views.leaderboard(svc)
            views.race(svc, board["rows"], 1_000_000, None)
            for r in board["rows"]:
                views.entity_page(svc, r["entity_id"])
        except Exception:  # noqa: BLE001 - warming is best effort; the pages compute on demand
            pass

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        if warm:
            threading.Thread(target=warm_up, name="evpace-warm", daemon=True).start()
        yield
        svc.close()

    app = FastAPI(
        lifespan=lifespan, title="evpace", version=__version__, docs_url=None, redoc_url=None,
        openapi_url="/openapi.json",
        description="EV makers' milestones, pace and targets, every figure with its source. Field names are "
                    "those of the command line's `--format json`. Reads are open; `POST /api/ingest` needs "
                    "the server's token as `Authorization: Bearer TOKEN`.",
    )
    app.state.service = svc
    app.state.token_configured = token is not None
    app.add_middleware(BodyLimit, limit_for=body_limit)
    app.add_middleware(ResponseCache, service=svc)
    app.add_middleware(SecurityHeaders, csp=csp(bool(vega)))  # outermost: replayed responses get it too
    app.mount("/static/vendor", StaticFiles(directory=str(VENDOR), check_dir=False), name="vendor")
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # -- helpers --
    def is_hx(request: Request) -> bool:
        return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") \
            != "true"

    def render(name: str, request: Request | None = None, status: int = 200, **ctx: Any) -> HTMLResponse:
        path = request.url.path if request is not None else ""
        html = env.get_template(name).render(path=path, vega=vega, writes=token is not None, **ctx)
        return HTMLResponse(html, status_code=status, headers={"Vary": "HX-Request"})

    def render_bytes(name: str, path: str, **ctx: Any) -> bytes:
        return env.get_template(name).render(path=path, vega=vega, writes=token is not None, **ctx).encode()

    async def cached_response(key: tuple, build: Callable[[], bytes], media_type: str) -> Response:
        """A response whose body is cached until the database changes (computed off the event loop)."""
        body = svc.peek(key)
        if body is None:
            body = await run_in_threadpool(svc.cached, key, lambda _s: build())
        return Response(body, media_type=media_type, headers={"Vary": "HX-Request", CACHE_MARK.decode(): "1"})

    def authorized(request: Request, form_token: str | None) -> tuple[bool, str]:
        if token is None:
            return False, "writes are disabled: the server was started without a token"
        given = form_token or ""
        auth = request.headers.get("authorization", "")
        if not given and auth[:7].lower() == "bearer ":
            given = auth[7:].strip()
        if given and secrets.compare_digest(given.encode(), token.encode()):
            return True, ""
        return False, "a valid token is needed to write (form field 'token' or 'Authorization: Bearer')"

    # -- errors --
    @app.exception_handler(EvpaceError)
    async def evpace_error(request: Request, exc: EvpaceError) -> Response:
        status = 404 if isinstance(exc, UnknownEntityError) else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.code, "message": exc.message}, status_code=status)
        if is_hx(request):
            return render("_error.html", request, status, message=exc.message)
        return render("error.html", request, status, title="Not found" if status == 404 else "Bad request",
                      message=exc.message)

    def not_found(request: Request, what: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "not-found", "message": what}, status_code=404)
        return render("error.html", request, 404, title="Not found", message=what)

    # -- pages --
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def leaderboard(request: Request, threshold: float = 1_000_000, tag: str = "upstart",
                          as_of: str | None = None, x: str = "months") -> Response:
        a = views.as_of_arg(as_of)
        if x not in ("months", "date"):
            raise InvalidArgumentError(name="x", reason=f"{x!r} is not 'months' or 'date'")
        if not math.isfinite(threshold) or threshold <= 0:
            raise InvalidArgumentError(name="threshold", reason="must be a positive number")
        hx = is_hx(request)

        def build() -> bytes:
            views.check_tag(svc, tag)
            board = views.leaderboard(svc, threshold, tag or None, None, a, x)
            chart = views.race(svc, board["rows"], threshold, a, x)
            return render_bytes("_leaderboard.html" if hx else "index.html", "/", board=board, chart=chart,
                                title="Leaderboard")

        return await cached_response(("page", "/", threshold, tag, a, x, hx), build, "text/html; charset=utf-8")

    @app.get("/entity/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    async def entity(request: Request, entity_id: str, as_of: str | None = None) -> Response:
        a = views.as_of_arg(as_of)

        def build() -> bytes:
            page = views.entity_page(svc, entity_id, a)
            return render_bytes("entity.html", "/entity", page=page, title=page["entity"]["name"])

        return await cached_response(("page", "/entity", entity_id, a), build, "text/html; charset=utf-8")

    @app.get("/facts", response_class=HTMLResponse, include_in_schema=False)
    def facts_page(request: Request, entity: str | None = None, metric: str | None = None, scope: str | None = None,
                   kind: str | None = None, since: str | None = None, until: str | None = None,
                   as_of: str | None = None, children: bool = False, page: int = 1) -> Response:
        f = views.fact_filters(entity, metric, scope, kind, since, until, as_of, children)
        rows, notes = views.fact_rows(svc, f)
        page = max(1, page)
        start = (page - 1) * views.FACTS_PAGE
        ctx = dict(filters=f, rows=rows[start:start + views.FACTS_PAGE], total=len(rows), page=page,
                   pages=max(1, -(-len(rows) // views.FACTS_PAGE)), notes=notes, entities=views.entity_rows(svc),
                   metrics=METRICS, scopes=SCOPES, kinds=KINDS, title="Facts",
                   query={k: v for k, v in f.items() if v})
        return render("_facts_table.html" if is_hx(request) else "facts.html", request, **ctx)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str, fact: str | None = None, start: int | None = None,
                      end: int | None = None) -> Response:
        page = views.document_page(svc, doc_id, fact, start, end)
        if page is None:
            return not_found(request, f"no stored document {doc_id!r}")
        return render("document.html", request, page=page, title=page["doc"]["title"] or page["doc"]["name"])

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_form(request: Request) -> Response:
        return render("check.html", request, title="Check an article", result=None, form={})

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_post(request: Request, text: Annotated[str | None, Form()] = None,
                   file: Annotated[UploadFile | None, File()] = None,
                   published: Annotated[str | None, Form()] = None, as_of: Annotated[str | None, Form()] = None,
                   now: Annotated[bool, Form()] = False) -> Response:
        result = run_check(text, file, published or None, as_of or None, now)
        form = {"text": text or "", "published": published or "", "as_of": as_of or "", "now": now}
        if is_hx(request):
            return render("_check_result.html", request, result=result)
        return render("check.html", request, title="Check an article", result=result, form=form)

    def run_check(text: str | None, file: UploadFile | None, published: str | None, as_of: str | None,
                  now: bool) -> dict[str, Any]:
        from ..check import check_document, render_html, verdict_dict

        a = views.as_of_arg(as_of)
        docs, errors = documents_from(text, file, published)
        out = []
        for d in docs[:20]:
            verdicts = check_document(d, svc.store(), as_of=a, now=now)
            counts = {k: sum(v.verdict == k for v in verdicts) for k in ("consistent", "inconsistent",
                                                                          "unverifiable")}
            # render_html escapes every text it shows (evpace.check.render); it is the one fragment
            # of HTML the pages take as is.
            out.append({"name": d.title or d.name, "html": Markup(render_html(verdicts)), "counts": counts,
                        "n": len(verdicts), "as_of": verdicts[0].as_of if verdicts else None,
                        "json": [verdict_dict(v, d.name, d.url) for v in verdicts]})
        return {"documents": out, "errors": errors}

    @app.get("/feeds", response_class=HTMLResponse, include_in_schema=False)
    def feeds_page(request: Request) -> Response:
        """Feeds with their last fetch status (issue 8). Not cached: the cache does not watch these tables."""
        from .feeds_view import feeds_rows

        return render("feeds.html", request, title="Feeds", rows=feeds_rows(svc.store()))

    @app.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
    def alerts_page(request: Request, limit: int = 200) -> Response:
        """Alert history with each channel's delivery status."""
        from .alerts_view import alert_rows

        return render("alerts.html", request, title="Alerts", rows=alert_rows(svc.store(), max(1, min(limit, 1000))))

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_form(request: Request) -> Response:
        return render("ingest.html", request, title="Ingest", result=None, refused=None)

    @app.post("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_post(request: Request, files: Annotated[list[UploadFile] | None, File()] = None,
                    token_field: Annotated[str | None, Form(alias="token")] = None,
                    published: Annotated[str | None, Form()] = None) -> Response:
        ok, why = authorized(request, token_field)
        template = "_ingest_result.html" if is_hx(request) else "ingest.html"
        if not ok:
            return render(template, request, 403, title="Ingest", result=None, refused=why)
        result = run_ingest(files or [], published or None)
        return render(template, request, title="Ingest", result=result, refused=None)

    def run_ingest(files: list[UploadFile], published: str | None) -> dict[str, Any]:
        """Write each upload under a generated name in a fresh temporary folder, ingest, clean up."""
        errors: list[str] = []
        if not any(f.filename for f in files):
            return {"documents": 0, "new_documents": 0, "duplicates": 0, "facts": 0, "new_facts": 0, "claims": 0,
                    "errors": ["choose one or more files"], "conflicts": [], "stored": []}
        if len(files) > MAX_FILES:
            errors.append(f"only the first {MAX_FILES} files were read")
            files = files[:MAX_FILES]
        with tempfile.TemporaryDirectory(prefix="evpace-upload-") as tmp:
            paths = []
            for i, f in enumerate(files):
                if not f.filename:
                    continue
                data, err = read_upload(f)
                if err:
                    errors.append(err)
                    continue
                folder = Path(tmp) / f"{i:03d}"
                folder.mkdir()
                path = folder / safe_name(f.filename, f"upload-{i}")
                path.write_bytes(data or b"")
                paths.append(str(path))
            summary = api.ingest(paths, svc.store(), published, workers=1) if paths else None
            prefix = tmp + os.sep  # the documents of this upload: their paths are under its temporary folder
            stored = svc.store().query(
                "SELECT id, name, title, n_facts FROM documents WHERE SUBSTR(path, 1, ?) = ? ORDER BY name",
                (len(prefix), prefix)) if paths else []
        svc.invalidate()
        folder_re = re.compile(re.escape(tmp) + r"/\d{3}/")
        s = summary
        return {"documents": s.documents if s else 0, "new_documents": s.new_documents if s else 0,
                "duplicates": s.duplicates if s else 0, "facts": s.facts if s else 0,
                "new_facts": s.new_facts if s else 0, "claims": s.claims if s else 0,
                "errors": errors + [folder_re.sub("", e) for e in (s.errors if s else [])],
                "conflicts": [present.conflict_row(c) for c in (s.conflicts if s else [])], "stored": stored}

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        return render("api_docs.html", request, title="API", spec=app.openapi())

    # -- JSON API --
    def json_response(body: bytes) -> Response:
        return Response(body, media_type=JSON)

    @app.get("/api/entities", tags=["data"], summary="Groups, brands and models",
             response_description="entity rows (as `evpace entities --format json`)")
    async def api_entities() -> Response:
        return await cached_response(("api", "entities"),
                                     lambda: json.dumps(views.entity_rows(svc), ensure_ascii=False).encode(), JSON)

    @app.get("/api/milestones", tags=["analytics"], summary="Who crossed a threshold, when, how fast",
             response_description="milestone rows (as `evpace milestones --format json`)")
    async def api_milestones(threshold: Annotated[float, Query(gt=0, description="units, e.g. 1000000")],
                             metric: Annotated[str | None, Query(description="deliveries, sales, production")]
                             = None,
                             tag: Annotated[str | None, Query(description="e.g. upstart")] = None,
                             as_of: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
                             entity: Annotated[list[str] | None, Query(description="only these (repeat)")] = None,
                             sort: Annotated[str, Query(description="date or speed")] = "date") -> Response:
        a = views.as_of_arg(as_of)
        if not math.isfinite(threshold):  # "inf" passes gt=0, and JSON has no Infinity
            raise InvalidArgumentError(name="threshold", reason="must be a finite number")
        if sort not in ("date", "speed"):  # checked before the table is computed, not after
            raise InvalidArgumentError(name="sort", reason=f"{sort!r} is not 'date' or 'speed'")
        if metric:
            views.metric_arg(metric)
        ents = tuple(entity) if entity else None

        def build() -> bytes:
            views.check_tag(svc, tag)
            return _dumps(views.milestone_rows(svc, threshold, metric or None, tag or None, a, ents, sort))

        return await cached_response(("api", "milestones", threshold, metric, tag, a, ents, sort), build, JSON)

    @app.get("/api/entities/{entity_id}/series", tags=["analytics"],
             summary="Monthly or cumulative series (gaps are points with value null)",
             response_description="series rows (as `evpace series --format json`)")
    async def api_series(entity_id: str, metric: str = "deliveries", cumulative: bool = False,
                         as_of: Annotated[str | None, Query(description="YYYY-MM-DD")] = None) -> Response:
        a = views.as_of_arg(as_of)
        views.metric_arg(metric)

        def build() -> bytes:
            e = views.resolve(svc, entity_id)
            return _dumps(views.series_rows(svc, e.id, metric, cumulative, a))

        return await cached_response(("api", "series", entity_id, metric, cumulative, a), build, JSON)

    @app.get("/api/entities/{entity_id}/targets", tags=["analytics"],
             summary="Progress against each announced target of a year",
             response_description="target rows (as `evpace targets --format json`)")
    async def api_targets(entity_id: str, year: int | None = None, metric: str = "deliveries",
                          as_of: Annotated[str | None, Query(description="YYYY-MM-DD")] = None) -> Response:
        a = views.as_of_arg(as_of)
        views.metric_arg(metric)

        def build() -> bytes:
            e = views.resolve(svc, entity_id)
            return _dumps(views.target_rows(svc, e.id, year, metric, a))

        return await cached_response(("api", "targets", entity_id, year, metric, a, dt.date.today()), build, JSON)

    @app.get("/api/facts", tags=["data"], summary="Stored facts, filtered; each with its source",
             response_description="fact rows (as `evpace facts --format json`); an entity, metric, scope or "
                                  "kind that does not exist matches nothing")
    def api_facts(entity: str | None = None, metric: str | None = None, scope: str | None = None,
                  kind: str | None = None,
                  since: Annotated[str | None, Query(description="periods ending on or after")] = None,
                  until: Annotated[str | None, Query(description="periods ending on or before")] = None,
                  as_of: Annotated[str | None, Query(description="YYYY-MM-DD")] = None, children: bool = False,
                  limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
                  offset: Annotated[int, Query(ge=0)] = 0) -> Response:
        f = views.fact_filters(entity, metric, scope, kind, since, until, as_of, children)
        rows, _notes = views.fact_rows(svc, f)
        return json_response(_dumps(rows[offset:offset + limit]))

    @app.get("/api/conflicts", tags=["data"], summary="Disagreements between sources or with monthly sums",
             response_description="conflict rows (as `evpace conflicts --format json`)")
    async def api_conflicts(entity: str | None = None,
                            as_of: Annotated[str | None, Query(description="YYYY-MM-DD")] = None) -> Response:
        a = views.as_of_arg(as_of)

        def build() -> bytes:
            eid = views.resolve(svc, entity).id if entity else None
            return _dumps(views.conflict_rows(svc, eid, a))

        return await cached_response(("api", "conflicts", entity, a), build, JSON)

    @app.get("/api/documents/{doc_id}", tags=["data"], summary="A stored document with its facts and claims")
    def api_document(request: Request, doc_id: str) -> Response:
        page = views.document_page(svc, doc_id, None, None, None)
        if page is None:
            return not_found(request, f"no stored document {doc_id!r}")
        return json_response(_dumps({"document": page["doc"], "facts": page["facts"], "claims": page["claims"]}))

    @app.post("/api/check", tags=["check"], summary="Check an article's numeric claims",
              response_description="one verdict object per claim (as `evpace check --format json`)")
    def api_check(body: Annotated[dict[str, Any], _check_body()]) -> Response:
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InvalidArgumentError(name="text", reason="the article's text is required")
        docs, errors = documents_from(text, None, _str(body.get("published")), _str(body.get("title")),
                                      _str(body.get("url")))
        if errors and not docs:
            raise InvalidArgumentError(name="text", reason="; ".join(errors))
        from ..check import check_document, verdict_dict

        a = views.as_of_arg(_str(body.get("as_of")))
        out = []
        for d in docs:
            out += [verdict_dict(v, d.name, d.url) for v in check_document(d, svc.store(), as_of=a,
                                                                           now=bool(body.get("now")))]
        return json_response(_dumps(out))

    @app.post("/api/ingest", tags=["write"], summary="Store articles and their facts (needs the token)",
              responses={403: {"description": "no token, a wrong token, or writes disabled"}})
    def api_ingest(request: Request, files: Annotated[list[UploadFile], File()],
                   published: Annotated[str | None, Form()] = None,
                   token_field: Annotated[str | None, Form(alias="token")] = None) -> Response:
        ok, why = authorized(request, token_field)
        if not ok:
            return JSONResponse({"error": "forbidden", "message": why}, status_code=403)
        return json_response(_dumps(run_ingest(files, published or None)))

    @app.get("/api/health", tags=["data"], summary="Database counts and cache statistics")
    def api_health() -> Response:
        return json_response(_dumps({"counts": svc.store().counts(), "cache": svc.stats(),
                                     "writes": token is not None, "version": __version__}))

    return app


def _check_body() -> Any:
    from fastapi import Body

    return Body(openapi_examples={"article": {"summary": "an article", "value": {
        "text": "Xiaomi delivered more than 410,000 vehicles in 2025.", "published": "2026-01-06",
        "as_of": None, "now": False, "title": "", "url": ""}}},
        description="`text` (required), `published` (YYYY-MM-DD, for an article without a date), "
                    "`as_of`, `now` (also judge with today's data), `title`, `url`.")


def _str(v: Any) -> str | None:
    """A non-empty string field of a JSON body (lone surrogates and control characters cleaned, so it can be
    encoded and stored), else None."""
    from ..sources.common import clean_field

    return clean_field(v) or None if isinstance(v, str) else None


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8")


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None, *,
          log_level: str = "info") -> None:
    """Run the dashboard with uvicorn (one worker) on ``host:port`` (loopback unless told otherwise)."""
    import uvicorn

    app = create_app(db, token, warm=True)
    if token is None:
        print("evpace web: no token given: reads only (ingest is disabled)")
    uvicorn.run(app, host=host, port=port, workers=1, log_level=log_level, server_header=False,
                proxy_headers=False)
