"""The web dashboard and JSON API (evpace.web) through FastAPI's TestClient: pages, API fields (the same
as the command line's JSON), the token on writes, escaping of article text, hostile filter values and
upload names, and the cache."""

from __future__ import annotations

import json
import os
import re
import tempfile
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # starlette suggests httpx2; httpx is what the project pins
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from typer.testing import CliRunner  # noqa: E402

from evpace import api  # noqa: E402
from evpace.cli import app as cli_app  # noqa: E402
from evpace.web import create_app  # noqa: E402
from evpace.web.app import safe_name, safe_url  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "test-token-1234"
MILLION_CLUB = ("Li Auto", "Leapmotor", "Harmony Intelligent Mobility", "XPeng", "NIO Inc.", "AITO")
XSS_TITLE = "<script>alert('title')</script>"
XSS_ARTICLE = f"""---
title: {XSS_TITLE}
url: javascript:alert('url')
published: 2026-01-06
---
Xiaomi delivered more than 410,000 vehicles in 2025 <script>alert(1)</script>, the company said.
In December 2025 alone, Xiaomi delivered 50,212 vehicles <img src=x onerror=alert(2)> across its models.
"""
ARTICLE = """---
title: Li Auto in May
published: 2024-06-01
---
Li Auto delivered 35,020 vehicles in May 2024, the company said on Saturday.
"""


@pytest.fixture(scope="module")
def db(module_database) -> str:
    api.init(module_database)
    return module_database


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    with TestClient(create_app(db, TOKEN)) as c:
        yield c


def cli_json(db: str, *args: str):
    r = CliRunner().invoke(cli_app, ["--db", db, *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


# -- pages --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/?tag=&threshold=500000", "/?x=date", "/entity/xiaomi", "/entity/li-auto",
                                  "/entity/nio", "/entity/hima", "/facts", "/facts?entity=xiaomi&kind=target",
                                  "/check", "/ingest", "/docs", "/static/style.css", "/static/vendor/htmx.min.js"])
def test_every_page_is_served(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]


def test_leaderboard_lists_the_million_club_and_xiaomi_not_yet(client):
    html = client.get("/").text
    for name in MILLION_CLUB:
        assert name in html
    row = re.search(r'<tr class="status-not-yet" data-entity="xiaomi">(.*?)</tr>', html, re.S)
    assert row and "not yet" in row.group(1) and "736,363" in row.group(1)
    assert html.count('class="badge badge-crossed"') == 6
    assert 'id="race-chart"' in html and "/static/vendor/htmx.min.js" in html
    assert "cdn" not in html.lower()


def test_leaderboard_partial_for_htmx(client):
    r = client.get("/?threshold=500000", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text and "Li Auto" in r.text


def test_race_chart_has_one_line_per_maker(client):
    html = client.get("/").text
    fig = re.search(r'<figure class="race-chart".*?data-makers="(\d+)" data-lines="(\d+)" data-kind="(\w+)"', html)
    assert fig, "no race chart"
    makers, lines, kind = int(fig.group(1)), int(fig.group(2)), fig.group(3)
    assert makers == 7
    if kind == "svg":
        assert html.count('class="race-line"') == makers == lines
    else:
        assert 'class="vega-chart" data-vega-spec="{' in html and 1 <= lines <= makers


def test_entity_page_shows_series_milestones_targets_conflicts_and_sources(client):
    html = client.get("/entity/xiaomi").text
    for text in ("Xiaomi Auto", "Monthly deliveries", "Milestones", "Targets", "550,000", "Conflicts", "2024-04-03",
                 "Year totals"):
        assert text in html, text
    assert re.search(r'<a href="https?://[^"]+" rel="nofollow noopener noreferrer"', html), "sources are linked"
    li = client.get("/entity/li-auto").text
    assert '<tr class="gap">' in li, "a month without data is a gap row"
    assert 'class="gap"' in li.split("Cumulative")[0], "and a gap in the monthly chart"
    assert "1,000,000" in li and "crossed" in li


def test_entity_by_alias_and_unknown_entity(client):
    assert client.get("/entity/Xiaomi").status_code == 200
    r = client.get("/entity/no-such-maker")
    assert r.status_code == 404 and "unknown entity" in r.text


def test_openapi_and_docs_page(client):
    spec = client.get("/openapi.json").json()
    for p in ("/api/entities", "/api/milestones", "/api/entities/{entity_id}/series",
              "/api/entities/{entity_id}/targets", "/api/facts", "/api/conflicts", "/api/check", "/api/ingest"):
        assert p in spec["paths"], p
    docs = client.get("/docs").text
    assert "/api/milestones" in docs and "threshold" in docs


def test_security_headers(client):
    r = client.get("/")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


# -- JSON API: the command line's field names and values ---------------------------------------------------
def test_api_matches_the_cli_json(client, db):
    assert client.get("/api/milestones", params={"threshold": 1_000_000, "tag": "upstart"}).json() == cli_json(
        db, "milestones", "--threshold", "1000000", "--tag", "upstart")
    assert client.get("/api/entities/xiaomi/series").json() == cli_json(db, "series", "xiaomi")
    assert client.get("/api/entities/li-auto/series", params={"cumulative": "true"}).json() == cli_json(
        db, "series", "li-auto", "--cumulative")
    assert client.get("/api/entities/xiaomi/targets", params={"year": 2025}).json() == cli_json(
        db, "targets", "xiaomi", "--year", "2025")
    assert client.get("/api/entities").json() == cli_json(db, "entities")
    assert client.get("/api/conflicts", params={"entity": "xiaomi"}).json() == cli_json(
        db, "conflicts", "--entity", "xiaomi")
    assert client.get("/api/facts", params={"entity": "xiaomi", "kind": "target"}).json() == cli_json(
        db, "facts", "--entity", "xiaomi", "--kind", "target")


def test_api_milestone_fields(client):
    rows = client.get("/api/milestones?threshold=1000000&tag=upstart").json()
    need = {"entity_id", "entity", "threshold", "metric", "status", "date", "estimated", "months_from_first_delivery",
            "days_from_first_delivery", "place", "latest_cumulative", "sources"}
    assert rows and all(need <= set(r) for r in rows)
    by_id = {r["entity_id"]: r for r in rows}
    assert by_id["li-auto"]["date"] == "2024-10-15" and by_id["li-auto"]["months_from_first_delivery"] == 58
    assert by_id["xiaomi"]["status"] == "not yet"


def test_api_series_keeps_gaps_and_as_of(client):
    rows = client.get("/api/entities/li-auto/series").json()
    assert any(r["value"] is None for r in rows)
    early = client.get("/api/entities/xiaomi/series?as_of=2025-01-31").json()
    assert early and max(r["period"] for r in early) <= "2024-12"


def test_api_errors(client):
    assert client.get("/api/entities/nope/series").status_code == 404
    assert client.get("/api/milestones?threshold=1000000&as_of=yesterday").status_code == 400
    assert client.get("/api/entities/xiaomi/series?metric=bogus").status_code == 400
    assert client.get("/api/milestones?threshold=-5").status_code == 422


def test_api_check_returns_verdicts(client):
    from evpace.check import JSON_FIELDS

    r = client.post("/api/check", json={"text": "Xiaomi delivered more than 410,000 vehicles in 2025.",
                                        "published": "2026-01-06"})
    assert r.status_code == 200
    rows = r.json()
    assert rows and set(JSON_FIELDS) <= set(rows[0]) and rows[0]["verdict"] == "consistent"
    assert client.post("/api/check", json={"text": ""}).status_code == 400


# -- hostile input ----------------------------------------------------------------------------------
SQLISH = ("' OR 1=1 --", "xiaomi'; DROP TABLE facts; --", '" OR ""="', "%", "_")


@pytest.mark.parametrize("value", SQLISH)
@pytest.mark.parametrize("field", ["entity", "metric", "scope", "kind", "since", "until"])
def test_sqlish_filters_match_nothing(client, field, value):
    r = client.get("/api/facts", params={field: value})
    assert r.status_code == 200 and r.json() == []
    page = client.get("/facts", params={field: value})
    assert page.status_code == 200 and "0 facts" in page.text


def test_sqlish_ids_are_not_found(client):
    assert client.get("/api/entities/' OR 1=1 --/series").status_code == 404
    assert client.get("/documents/' OR 1=1 --").status_code == 404
    assert client.get("/documents/%25").status_code == 404
    assert client.get("/api/facts").json(), "the facts table is still there"


def test_check_page_escapes_the_article(client):
    r = client.post("/check", data={"text": XSS_ARTICLE})
    assert r.status_code == 200 and "consistent" in r.text
    for raw in ("<script>alert", "<img src=x", "onerror=alert(2)>", 'href="javascript:'):
        assert raw not in r.text, raw
    result = r.text.split('id="check-result"')[1]
    assert '<mark class="evpace-claim">' in result and "&lt;script&gt;alert(1)&lt;/script&gt;" in result


def test_check_page_htmx_fragment_and_upload(client):
    r = client.post("/check", data={"published": "2026-01-06"}, headers={"HX-Request": "true"},
                    files={"file": ("../../evil<b>.txt", XSS_ARTICLE.encode(), "text/plain")})
    assert r.status_code == 200 and "<html" not in r.text and "evpace-consistent" in r.text
    assert "<script>alert" not in r.text and "<b>" not in r.text


# -- writes ------------------------------------------------------------------------------------------
def _count_documents(db: str) -> int:
    from evpace.store import Store

    with Store(db) as s:
        return s.counts()["documents"]


def test_ingest_needs_the_token(client, db):
    before = _count_documents(db)
    files = {"files": ("a.txt", ARTICLE.encode(), "text/plain")}
    assert client.post("/api/ingest", files=files).status_code == 403
    assert client.post("/api/ingest", files=files, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.post("/api/ingest", files=files, data={"token": "wrong"}).status_code == 403
    r = client.post("/ingest", files=files, data={"token": ""})
    assert r.status_code == 403 and "Refused" in r.text
    assert _count_documents(db) == before


def test_writes_are_disabled_without_a_configured_token(db):
    with TestClient(create_app(db, None)) as c:
        r = c.post("/api/ingest", files={"files": ("a.txt", ARTICLE.encode(), "text/plain")},
                   headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403 and "disabled" in r.json()["message"]
        assert "Writes are disabled" in c.get("/ingest").text


def test_ingest_with_token_stores_and_invalidates_the_cache(client, db):
    before = client.get("/api/facts", params={"entity": "li-auto", "metric": "deliveries", "scope": "month",
                                              "since": "2024-05", "until": "2024-05"}).json()
    r = client.post("/api/ingest", files={"files": ("li.txt", ARTICLE.encode(), "text/plain")},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["new_documents"] == 1 and s["new_facts"] >= 1 and s["errors"] == []
    doc = s["stored"][0]
    after = client.get("/api/facts", params={"entity": "li-auto", "metric": "deliveries", "scope": "month",
                                             "since": "2024-05", "until": "2024-05"}).json()
    assert len(after) == len(before) + 1, "the cache was invalidated by the ingest"
    new = next(f for f in after if f["document_id"] == doc["id"])
    page = client.get(f"/documents/{doc['id']}", params={"fact": new["id"]})
    assert page.status_code == 200
    assert re.search(r'<mark id="hl" class="sentence">Li Auto delivered <strong class="figure">35,020</strong>',
                     page.text)
    facts_page = client.get("/facts", params={"entity": "li-auto", "since": "2024-05", "until": "2024-05"}).text
    assert f"/documents/{doc['id']}?fact={new['id']}" in facts_page
    again = client.post("/ingest", files={"files": ("li.txt", ARTICLE.encode(), "text/plain")},
                        data={"token": TOKEN})
    assert again.status_code == 200 and "already stored" in again.text
    assert client.post("/api/ingest", files={"files": ("li.txt", ARTICLE.encode(), "text/plain")},
                       headers={"Authorization": f"Bearer {TOKEN}"}).json()["duplicates"] == 1


def test_document_page_escapes_the_article(client):
    r = client.post("/api/ingest", files={"files": ("xss.md", XSS_ARTICLE.encode(), "text/markdown")},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and r.json()["new_documents"] == 1
    doc = r.json()["stored"][0]
    facts = client.get(f"/api/documents/{doc['id']}").json()["facts"]
    assert facts
    for params in ({}, {"fact": facts[0]["id"]}):
        html = client.get(f"/documents/{doc['id']}", params=params).text
        for raw in ("<script>alert", "<img src=x", 'href="javascript:'):
            assert raw not in html, raw
        assert "&lt;img src=x onerror=alert(2)&gt;" in html
        assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    facts_html = client.get("/facts", params={"entity": "xiaomi", "since": "2025-01", "until": "2025-12"}).text
    assert f"/documents/{doc['id']}" in facts_html and 'href="javascript:' not in facts_html


def test_upload_names_cannot_escape_the_temporary_folder(client, tmp_path, monkeypatch):
    sandbox = tmp_path / "tmp"
    sandbox.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(sandbox))
    passwd = Path("/etc/passwd")
    before = passwd.stat().st_mtime if passwd.exists() else None
    body = ARTICLE.replace("35,020", "35,021").encode()
    r = client.post("/api/ingest", files=[("files", ("../../etc/passwd", body, "text/plain")),
                                          ("files", ("..\\..\\x\\evil.txt", body + b" More.", "text/plain"))],
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    names = sorted(d["name"] for d in r.json()["stored"])
    assert names == ["evil", "passwd"]
    assert list(sandbox.iterdir()) == [], "the upload folder is removed"
    assert not any(p.name in ("passwd", "evil.txt", "etc") for p in tmp_path.rglob("*"))
    assert (passwd.stat().st_mtime if passwd.exists() else None) == before


def test_safe_name_and_safe_url():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\windows\\win.ini") == "win.ini"
    assert safe_name("...") == "upload" and safe_name(None) == "upload"
    assert "/" not in safe_name("a/b/../../c d<e>.txt") and safe_name("a/b/../../c d<e>.txt") == "c-d-e-.txt"
    assert safe_url("https://example.com/x") == "https://example.com/x"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "github:a/b", "//evil.com", ""):
        assert safe_url(bad) is None, bad


# -- cache ----------------------------------------------------------------------------------------------
def test_repeated_reads_hit_the_cache(client):
    svc = client.app.state.service
    client.get("/api/entities/xiaomi/series")
    hits = svc.hits
    for _ in range(3):
        client.get("/api/entities/xiaomi/series")
        client.get("/entity/li-auto")
    assert svc.hits >= hits + 6


def test_cache_follows_writes_from_other_processes(database, tmp_path):
    """A write that does not go through the app shows once the fingerprint is re-read (ttl=0 here)."""
    path = database
    api.init(path)
    with TestClient(create_app(path, None, cache_ttl=0)) as c:
        n = len(c.get("/api/facts", params={"entity": "li-auto"}).json())
        src = tmp_path / "li.txt"
        src.write_text(ARTICLE)
        api.ingest([str(src)], path, workers=1)
        assert len(c.get("/api/facts", params={"entity": "li-auto"}).json()) == n + 1


@pytest.mark.skipif(os.name != "posix", reason="posix paths")
def test_serve_defaults_to_loopback():
    import inspect

    from evpace.web import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_replayed_responses_keep_the_security_headers(client):
    first = client.get("/api/entities/xiaomi/series?as_of=2025-06-30")
    again = client.get("/api/entities/xiaomi/series?as_of=2025-06-30")
    assert first.content == again.content
    for r in (first, again):
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert "x-evpace-cacheable" not in r.headers
    full, part = client.get("/?threshold=250000"), client.get("/?threshold=250000", headers={"HX-Request": "true"})
    assert "<html" in full.text and "<html" not in part.text


def test_ingest_through_the_app_refreshes_cached_pages(database):
    import calendar

    path = database
    api.init(path)
    with TestClient(create_app(path, TOKEN)) as c:
        month = next(r for r in c.get("/api/entities/xpeng/series").json() if r["value"] and r["how"] == "reported")
        y, m = map(int, month["period"].split("-"))
        before = c.get("/api/conflicts", params={"entity": "xpeng"}).json()
        page = c.get("/entity/xpeng").text
        text = (f"XPeng delivered {int(month['value']) + 1234:,} vehicles in {calendar.month_name[m]} {y}, "
                "the company said.\n")
        r = c.post("/api/ingest", files={"files": ("xp.txt", text.encode(), "text/plain")},
                   data={"published": f"{y + (m == 12)}-{m % 12 + 1:02d}-02"},
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and r.json()["new_facts"] == 1, r.text
        after = c.get("/api/conflicts", params={"entity": "xpeng"}).json()
        assert len(after) == len(before) + 1
        assert c.get("/entity/xpeng").text != page


def test_upload_errors_name_the_file_not_the_server_folder(client):
    r = client.post("/api/ingest", files=[("files", ("bad.bin", b"\x00\x01\x02\xff" * 50, "application/octet-stream")),
                                          ("files", ("empty.txt", b"", "text/plain"))],
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    errors = r.json()["errors"]
    assert len(errors) == 2 and any("bad.bin" in e for e in errors) and any("empty.txt" in e for e in errors)
    assert not any("evpace-upload-" in e or tempfile.gettempdir() in e for e in errors)


def test_race_chart_falls_back_to_inline_svg_without_evpace_charts(db, monkeypatch):
    from evpace.web import views

    monkeypatch.setattr(views, "charts_module", lambda: None)
    with TestClient(create_app(db, None)) as c:
        html = c.get("/?threshold=999999").text
    assert 'data-kind="svg"' in html and html.count('class="race-line"') == 7
    assert "<script" not in html.split('id="race-chart"')[1].split("</figure>")[0]
    for eid in ("li-auto", "leapmotor", "hima", "xpeng", "nio", "aito", "xiaomi"):
        assert f'data-entity="{eid}"' in html
