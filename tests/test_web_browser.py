"""The dashboard in a real browser: uvicorn on a free loopback port in a thread, Debian's chromium driven by
Playwright. Checks that pages load without console errors (a Content-Security-Policy violation is one),
that the race chart draws one line per maker, that htmx swaps in check verdicts and ingest summaries, and
saves a screenshot of each page in tests/artifacts/ (and the dashboard in docs/img/dashboard.png). With
EVPACE_TEST_BACKEND=postgres the server runs on a PostgreSQL database and the screenshots go to
tests/artifacts/postgres/.

Skipped, with the reason, only when no chromium (or Playwright) is found and CI is not set; under CI it
must run. ``EVPACE_CHROMIUM`` names another browser binary. Playwright's own browser download is never
used.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evpace import api

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS_IMG = ROOT / "docs" / "img" / "dashboard.png"
TOKEN = "browser-token-5678"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTICLE = """Xiaomi's goal for 2026: 550,000 cars

Xiaomi aims to hand over 550,000 vehicles to buyers in 2026, about 34% more than the over 410,000 it
delivered in 2025. In December 2025 it handed over more than 50,000 vehicles.
"""
UPLOAD = """---
title: Leapmotor in June
published: 2024-07-01
---
Leapmotor delivered 20,116 vehicles in June 2024, the company said.
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _chromium() -> str | None:
    for c in (os.environ.get("EVPACE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
              shutil.which("chromium-browser")):
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    return None


def _need(what: str) -> None:
    msg = f"{what}; install Debian's chromium (apt-get install -y chromium) and the playwright package"
    if _in_ci():
        pytest.fail(msg + " (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = _chromium()
    if path is None:
        _need("no chromium found (/usr/bin/chromium, chromium or chromium-browser on PATH, $EVPACE_CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _need("the playwright package is not installed")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(module_database) -> Iterator[str]:
    import uvicorn

    from evpace.web import create_app

    db = module_database
    api.init(db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db, TOKEN), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, db_backend):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.errors = []  # console errors and uncaught exceptions: a CSP violation shows here
    # screenshots of the SQLite pass in tests/artifacts/, of the PostgreSQL pass in tests/artifacts/postgres/
    pg.artifacts = ARTIFACTS if db_backend == "sqlite" else ARTIFACTS / db_backend
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def shot(pg, name: str) -> Path:
    pg.artifacts.mkdir(parents=True, exist_ok=True)
    path = pg.artifacts / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def test_dashboard_loads_with_the_million_club(server, page, db_backend):
    page.goto(server + "/")
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Leaderboard")
    rows = page.locator("table.leaderboard tbody tr")
    assert rows.count() == 7
    assert "not yet" in page.locator('tr[data-entity="xiaomi"]').inner_text()
    assert page.evaluate("typeof htmx") == "object", "htmx is served by the app"
    page.locator("#race-chart svg").first.wait_for()
    shot(page, "dashboard")
    if db_backend == "sqlite":  # the README's picture, once per `make test`
        DOCS_IMG.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_IMG), full_page=True)
        assert DOCS_IMG.stat().st_size < 300_000
    assert page.errors == []


def test_race_chart_draws_one_line_per_maker(server, page):
    page.goto(server + "/")
    fig = page.locator("#race-chart")
    kind, makers, lines = (fig.get_attribute(a) for a in ("data-kind", "data-makers", "data-lines"))
    assert int(makers) == 7
    if kind == "vega":
        paths = page.locator("#race-chart svg g.mark-line path")
        paths.first.wait_for()
        assert paths.count() == int(lines) >= 5
        # each maker's path is drawn (a maker known at one point only, e.g. AITO, is a lone dot: "M x,y Z")
        ds = [paths.nth(i).get_attribute("d") or "" for i in range(paths.count())]
        assert all(d.startswith("M") for d in ds) and sum(len(d) > 100 for d in ds) >= 4
    else:
        assert page.locator("#race-chart svg path.race-line").count() == int(makers)
    # the htmx controls redraw table and chart
    page.select_option("select[name=threshold]", "500000")
    page.wait_for_function("document.querySelector('#board h2').textContent.includes('500,000')")
    page.locator("#race-chart svg").first.wait_for()
    assert "threshold=500000" in page.url
    shot(page, "dashboard-500k")
    assert page.errors == []


def test_entity_page(server, page):
    page.goto(server + "/entity/xiaomi")
    page.wait_for_load_state("networkidle")
    assert "Xiaomi Auto" in page.locator("h1").inner_text()
    assert page.locator("svg.chart.bars rect.bar").count() > 12
    assert page.locator("svg.chart.cumulative path.cum-line").count() == 1
    shot(page, "entity-xiaomi")
    page.goto(server + "/entity/li-auto")
    assert page.locator("svg.chart.bars rect.gap").count() >= 1, "a month without data is drawn as a gap"
    shot(page, "entity-li-auto")
    assert page.errors == []


def test_facts_filters_reload_with_htmx(server, page):
    page.goto(server + "/facts")
    total = page.locator("#facts-results h2").inner_text()
    page.fill("input[name=entity]", "xiaomi")
    page.select_option("select[name=kind]", "target")
    page.wait_for_function(f"!document.querySelector('#facts-results h2').textContent.includes({total!r})")
    page.wait_for_function("location.search.includes('kind=target')")
    rows = page.locator("#facts-results tbody tr")
    assert 1 <= rows.count() <= 20 and "target" in rows.first.inner_text()
    shot(page, "facts")
    assert page.errors == []


def test_check_turns_an_article_into_verdicts(server, page):
    page.goto(server + "/check")
    page.fill("textarea[name=text]", ARTICLE)
    page.fill("input[name=published]", "2026-01-06")
    page.click("#check-submit")
    page.locator("#check-result table.evpace-check").wait_for()
    assert page.url.endswith("/check"), "htmx swapped the result in place"
    assert page.locator("#check-result .evpace-badge.evpace-consistent").count() >= 2
    assert "consistent" in page.locator("#check-result").inner_text()
    shot(page, "check")
    assert page.errors == []


def test_ingest_needs_the_token_then_stores(server, page, tmp_path):
    article = tmp_path / "leapmotor-june.md"
    article.write_text(UPLOAD)
    page.goto(server + "/ingest")
    page.set_input_files("input[name=files]", str(article))
    page.click("#ingest-submit")
    page.locator("#ingest-result .error").wait_for()
    assert "Refused" in page.locator("#ingest-result").inner_text()
    assert page.errors and all("403" in e for e in page.errors), page.errors  # the refusal, as expected
    page.errors.clear()
    page.fill("input[name=token]", TOKEN)
    page.set_input_files("input[name=files]", str(article))
    page.click("#ingest-submit")
    page.locator("#ingest-result table.summary").wait_for()
    text = page.locator("#ingest-result").inner_text()
    assert "new documents\t1" in text or "new documents 1" in text.replace("\t", " ")
    shot(page, "ingest")
    page.click("#ingest-result a[href^='/documents/']")
    page.wait_for_load_state("networkidle")
    page.click(".doc-facts a:has-text('show')")
    page.locator("mark#hl strong.figure").wait_for()
    assert page.locator("mark#hl strong.figure").inner_text() == "20,116"
    shot(page, "document")
    page.goto(server + "/docs")
    shot(page, "api-docs")
    assert page.errors == [], page.errors
