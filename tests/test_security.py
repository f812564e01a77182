"""Security of the web service: what SECURITY.md promises, attacked through FastAPI's TestClient.

The attacks live in ``tests/security_attacks.py`` (``benchmarks/bench_security.py`` counts the same tries):
hostile article text, titles, URLs and file names must be inert on every page that shows them; query
parameters and ids must not reach SQL as code; upload names must not choose where a file is written; writes
need the token (and nothing else); bodies over the size limits are refused unread. Plus the headers, the
constant-time token comparison, and one check in a real browser that no injected script runs.
"""

from __future__ import annotations

import re
import secrets
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # starlette suggests httpx2; httpx is what the project pins
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from security_attacks import (  # noqa: E402
    MARK,
    XSS,
    document_count,
    hostile_article,
    html_dangers,
    size_attempts,
    sqli_attempts,
    token_attempts,
    upload_attempts,
    xss_attempts,
)
from test_web_browser import TOKEN as BROWSER_TOKEN  # noqa: E402
from test_web_browser import browser, chromium_path, page, server  # noqa: E402, F401 - fixtures

from evpace import api  # noqa: E402
from evpace.web import create_app, views  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "sec-" + secrets.token_hex(16)


@pytest.fixture(scope="module")
def client(module_database) -> TestClient:
    """The app with a token, on the shipped dataset; a 5xx comes back as a response, not an exception."""
    api.init(module_database)
    with TestClient(create_app(module_database, TOKEN), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def db(client, module_database) -> str:
    return module_database


def succeeded(attempts) -> list[str]:
    return [f"{a.target} [{a.payload!r}]: {a.detail}" for a in attempts if a.success]


# -- script injection -------------------------------------------------------------------------------------------
def test_the_detector_sees_script_markup():
    """html_dangers is what the XSS tests rely on: it must flag live markup and pass escaped text."""
    for live in ("<p><img src=x onerror=alert(1)></p>", "<script>alert(1)</script>",
                 '<a href=" JaVa\tscript:x()">a</a>', '<input value=""><svg onload=alert(1)>">',
                 f'<div hx-get="/api/health?{MARK}" hx-trigger="load">',
                 '<meta http-equiv="refresh" content="0;url=https://x.test">', "<iframe src=x></iframe>",
                 '<script src="https://cdn.example/x.js"></script>'):
        assert html_dangers(live), live
    escaped = "".join(f"<p>{p.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p>" for p in XSS)
    assert html_dangers(escaped + '<script src="/static/vendor/htmx.min.js" defer></script>') == []


def test_article_text_is_inert_everywhere(client):
    """The hostile article (title, URL, a payload in every sentence) on the document page with each fact and
    claim highlighted, the facts and entity pages, the leaderboard, /check (pasted, uploaded, htmx), the
    ingest result, the JSON API, error pages and forms that echo a parameter, and the feeds page."""
    attempts = xss_attempts(client, TOKEN)
    assert len(attempts) > 300
    assert succeeded(attempts) == []


def test_highlighted_sentence_shows_the_payload_as_text(client):
    r = client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                    files={"files": ("again.md", hostile_article().replace("2025", "2024").encode(), "text/markdown")})
    doc = r.json()["stored"][0]["id"]
    facts = client.get(f"/api/documents/{doc}").json()["facts"]
    fact = next(f for f in facts if f["entity_id"] == "xiaomi")
    html = client.get(f"/documents/{doc}", params={"fact": fact["id"]}).text
    mark = re.search(r'<mark id="hl" class="sentence">(.*?)</mark>', html, re.S)
    assert mark and "&lt;script&gt;alert(&#39;evpx1&#39;)&lt;/script&gt;" in mark.group(1)
    assert '<strong class="figure">' in mark.group(1)
    api_doc = client.get(f"/api/documents/{doc}")
    assert api_doc.headers["content-type"].startswith("application/json")
    assert XSS[0] in api_doc.json()["document"]["text"], "the API returns the text as data, unaltered"


def test_security_headers_on_every_kind_of_response(client):
    vega = bool(views.vega_scripts())
    for path in ("/", "/facts", "/api/facts?entity=xiaomi", "/static/style.css", "/no-such-page", "/entity/nope",
                 "/openapi.json", "/docs", "/?threshold=250000", "/?threshold=250000"):  # the last: a cached replay
        r = client.get(path)
        csp = dict(d.strip().split(" ", 1) for d in r.headers["content-security-policy"].split(";"))
        assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'" and csp["base-uri"] == "'none'"
        assert csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'self'"
        assert csp["script-src"] == ("'self' 'unsafe-eval'" if vega else "'self'"), "eval only for the vendored Vega"
        assert "unsafe-inline" not in csp["script-src"]
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
    r = client.post("/api/check", content=b"x" * 17_000_000, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "script-src 'self'" in r.headers["content-security-policy"]


# -- SQL ----------------------------------------------------------------------------------------------------------
def test_parameters_cannot_inject_sql(client, db):
    """Classic payloads in every query parameter of /facts, /api/*, the leaderboard and entity pages, and as
    entity and document ids: 200 or 4xx, no sleep, literal filters match nothing, the database is unchanged."""
    attempts = sqli_attempts(client, db)
    assert len(attempts) > 800
    assert succeeded(attempts) == []


# -- uploads ------------------------------------------------------------------------------------------------------
def test_upload_names_cannot_choose_where_files_go(client, db, tmp_path):
    """/ingest writes each upload under a reduced name in a fresh folder of its own and removes the folder;
    /check never writes one. No file named after an upload appears anywhere (upload folder, repo, /tmp, /,
    /etc, home), and the stored paths are inside the upload folder."""
    sandbox = tmp_path / "uploads"
    sandbox.mkdir()
    attempts = upload_attempts(client, TOKEN, db, sandbox, ROOT)
    assert len(attempts) > 60
    assert succeeded(attempts) == []
    assert list(sandbox.iterdir()) == []


# -- writes -------------------------------------------------------------------------------------------------------
def test_writes_need_the_token_and_nothing_else(client, db):
    def app_with(configured):
        return TestClient(create_app(db, configured), raise_server_exceptions=False)

    attempts = token_attempts(client, TOKEN, db, app_with)
    assert len(attempts) > 50
    assert succeeded(attempts) == []
    # and the token itself does work, as a header (any case of "Bearer") or a form field
    for headers, form in (({"Authorization": f"Bearer {TOKEN}"}, {}), ({"Authorization": f"bearer {TOKEN}"}, {}),
                          ({}, {"token": TOKEN})):
        before = document_count(db)
        body = f"Zeekr delivered {secrets.randbelow(90_000) + 10_000:,} vehicles in April 2025.".encode()
        r = client.post("/api/ingest", headers=headers, data=form, files={"files": ("ok.txt", body, "text/plain")})
        assert r.status_code == 200 and document_count(db) == before + 1, r.text


def test_the_token_is_compared_in_constant_time(client, monkeypatch):
    from evpace.web import app as web_app

    calls = []
    real = secrets.compare_digest

    def spy(a, b):
        calls.append((type(a), type(b)))
        return real(a, b)

    monkeypatch.setattr(web_app.secrets, "compare_digest", spy)
    r = client.post("/api/ingest", headers={"Authorization": "Bearer not-it"},
                    files={"files": ("a.txt", b"NIO delivered 3 cars.", "text/plain")})
    assert r.status_code == 403 and calls == [(bytes, bytes)]


def test_the_token_never_appears_in_a_response(client):
    pages = [client.get(p).text for p in ("/ingest", "/api/health", "/openapi.json", "/docs", "/")]
    pages.append(client.post("/ingest", data={"token": "wrong"}, files={"files": ("a.txt", b"x", "text/plain")}).text)
    pages.append(client.post("/api/ingest", files={"files": ("a.txt", b"x", "text/plain")}).text)
    assert not any(TOKEN in p for p in pages)


# -- sizes and odd values ---------------------------------------------------------------------------------------
def test_request_bodies_over_the_limit_are_refused_unread(client):
    attempts = size_attempts(client)
    assert succeeded(attempts) == []
    # under the limits, big bodies still get through to the app (which then judges them)
    r = client.post("/check", files={"file": ("zeros.txt", b"\x00" * 4_900_000, "text/plain")})
    assert r.status_code == 200 and "binary content" in r.text
    r = client.post("/api/ingest", files={"files": ("big.txt", b"x" * 30_000_000, "text/plain")})
    assert r.status_code == 403, "an ingest body may be bigger; without the token it is refused all the same"


def test_values_that_used_to_give_500_or_bad_json(client):
    r = client.post("/api/check", content=b'{"text": "Xiaomi delivered 1,000 cars \\ud800 in 2025."}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 400 and "surrogate" in r.json()["message"]
    r = client.post("/api/check", content=b'{"text": "Xiaomi delivered 50,212 vehicles in December 2025.", '
                                          b'"title": "\\udfff", "url": "\\ud800", "published": "2026-01-06"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()
    for params in ({"threshold": "inf"}, {"threshold": "nan"}, {"threshold": "-1"}):
        assert client.get("/", params=params).status_code == 400
    assert client.get("/api/milestones", params={"threshold": "inf"}).status_code == 400


def test_static_files_stay_in_their_folder(client):
    for path in ("/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
                 "/static/vendor/..%2f..%2f..%2fpyproject.toml", "/static/vendor/%2e%2e%2f%2e%2e%2fweb%2fapp.py",
                 "/static//etc/passwd", "/static/vendor/../../web/app.py"):
        r = client.get(path)
        assert r.status_code == 404 or "create_app" not in r.text, path
        assert "[build-system]" not in r.text and "root:" not in r.text


# -- in a browser -------------------------------------------------------------------------------------------------
def test_no_injected_script_runs_in_a_browser(server, page):  # noqa: F811 - the imported fixtures
    """Chromium on the pages that show the hostile article: no dialog opens, no request carries the payloads'
    marker (an injected image, frame or htmx attribute would make one), no CSP violation is reported."""
    import httpx

    article = hostile_article().replace("November 2025", "September 2025")  # not the one stored above
    r = httpx.post(server + "/api/ingest", headers={"Authorization": f"Bearer {BROWSER_TOKEN}"},
                   files={"files": ("hostile.md", article.encode(), "text/markdown")}, timeout=60)
    assert r.status_code == 200, r.text
    doc = r.json()["stored"][0]["id"]
    facts = httpx.get(server + f"/api/documents/{doc}", timeout=30).json()["facts"]
    dialogs, marked = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda req: marked.append(req.url) if MARK in req.url else None)
    for path in (f"/documents/{doc}", f"/documents/{doc}?fact={facts[0]['id']}",
                 f"/documents/{doc}?fact={facts[-1]['id']}", "/facts?entity=xiaomi&since=2025-11&until=2025-11",
                 "/entity/nio"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    page.goto(server + "/check")
    page.fill("textarea[name=text]", article)
    page.click("#check-submit")
    page.locator("#check-result table.evpace-check").wait_for()
    page.wait_for_load_state("networkidle")
    assert MARK in page.locator("#check-result").inner_text(), "the payloads are shown, as text"
    assert page.evaluate("document.querySelectorAll('#check-result script, #check-result img, #check-result iframe,"
                         " #check-result svg[onload], #check-result [hx-get]').length") == 0
    assert dialogs == [] and marked == []
    assert page.errors == []
