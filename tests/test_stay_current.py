"""Issue 8 end to end, through the command line: from a fresh database, a local feed's new article reports
a month that takes Xiaomi over a watched cumulative threshold; ``evpace fetch && evpace watch --once``
prints that alert once, a second run prints nothing new, and the alert reached a local SMTP server and a
local webhook receiver exactly once. The feed, the page and the figure were written for this test.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from evpace.cli import app

runner = CliRunner()

PAGE = """<!doctype html><html><head><title>Xiaomi's July</title>
<meta property="article:published_time" content="2026-08-01T09:00:00Z"></head>
<body><nav>Home | Markets | Autos</nav><article><h1>Xiaomi's July</h1>
<p>Xiaomi delivered 45,210 vehicles in July 2026, the electronics group said on Saturday, as both of its
SUVs stayed sold out for the summer.</p>
<p>The figure was the company's second-best month so far, and executives repeated that the year's goal
still stands.</p></article><footer>All rights reserved</footer></body></html>"""


def feed(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local EV desk</title><link>{base}/</link>
<item><title>Xiaomi's July</title><link>{base}/xiaomi-july.html</link>
<pubDate>Sat, 01 Aug 2026 09:00:00 GMT</pubDate></item>
</channel></rss>"""


class Receiver:
    """One local HTTP server: serves the feed and the page (GET) and takes webhook POSTs."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                routes = {"/feed.xml": ("application/rss+xml", feed(outer.base)),
                          "/xiaomi-july.html": ("text/html; charset=utf-8", PAGE),
                          "/robots.txt": ("text/plain", "User-agent: *\nAllow: /\n")}
                kind, body = routes.get(self.path, ("text/plain", ""))
                data = body.encode()
                self.send_response(200 if self.path in routes else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                n = int(self.headers.get("Content-Length") or 0)
                outer.posts.append(json.loads(self.rfile.read(n) or b"{}"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


class Messages(list):
    """Messages an SMTP server received, and its port."""

    port: int


@pytest.fixture
def smtp() -> Iterator[list]:
    """A local SMTP server (aiosmtpd); yields the list of messages it received."""
    from aiosmtpd.controller import Controller

    got = Messages()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            got.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port (the controller's own ready check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        got.port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=got.port)
    controller.start()
    yield got
    controller.stop()


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def test_fetch_then_watch_alerts_once_by_stdout_mail_and_webhook(database, receiver, smtp):
    assert cli(database, "init").exit_code == 0
    r = cli(database, "watch", "add", "threshold", "--entity", "xiaomi", "--threshold", "750000",
            "--metric", "deliveries")
    assert r.exit_code == 0, r.output
    assert cli(database, "feeds", "add", receiver.base + "/feed.xml", "--name", "local").exit_code == 0
    delivery = ["--format", "jsonl", "--smtp", f"127.0.0.1:{smtp.port}", "--mail-to", "desk@example.test",
                "--mail-from", "evpace@example.test", "--webhook", receiver.base + "/hook"]

    before = cli(database, "watch", "--once", *delivery)  # nothing crossed yet: July is not known
    assert before.exit_code == 0, before.output
    assert [line for line in before.stdout.splitlines() if line.strip()] == []

    fetched = cli(database, "fetch")
    assert fetched.exit_code == 0, fetched.output

    first = cli(database, "watch", "--once", *delivery)
    assert first.exit_code == 0, first.output
    alerts = [json.loads(line) for line in first.stdout.splitlines() if line.strip()]
    assert len(alerts) == 1, first.stdout
    a = alerts[0]
    assert a["entity_id"] == "xiaomi" and a["kind"] == "threshold"
    assert {"rule", "entity_id", "kind", "message", "facts", "sources", "at"} <= set(a)
    assert any("xiaomi-july" in s for s in map(str, a["sources"])), a["sources"]

    second = cli(database, "watch", "--once", *delivery)
    assert second.exit_code == 0, second.output
    assert [line for line in second.stdout.splitlines() if line.strip()] == []

    assert len(smtp) == 1 and "desk@example.test" in smtp[0].rcpt_tos
    assert len(receiver.posts) == 1 and receiver.posts[0]["entity_id"] == "xiaomi"

    from fastapi.testclient import TestClient

    from evpace.web.app import create_app

    with TestClient(create_app(database)) as client:  # the dashboard shows both
        feeds = client.get("/feeds")
        assert feeds.status_code == 200 and "local" in feeds.text and receiver.base in feeds.text
        page = client.get("/alerts")
        assert page.status_code == 200 and "Xiaomi" in page.text and "750,000" in page.text.replace("750000", "750,000")
