"""Watch rules and alert delivery (evpace.watch): every rule kind firing and not firing, each alert once,
the outbox (SMTP down, webhook 500 or hanging, a crash between send and mark), the JSONL and log formats,
the command line and the alert history page. Runs on the backend under test (``db_url``).

The articles below were written for these tests; their figures are invented to move the shipped data.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from evpace import api, watch
from evpace.cli import app
from evpace.errors import ChannelError, InvalidArgumentError, UnknownEntityError, UnknownRuleError, WatchRuleError
from evpace.store import Store
from evpace.watch import state
from evpace.watch.deliver import SmtpChannel, StdoutChannel, WebhookChannel

runner = CliRunner()

MILLION = """---
title: Xiaomi Auto passes one million deliveries
url: https://example.test/watch/xiaomi-million
published: 2026-08-02
---

Xiaomi Auto said on Sunday that it delivered 41,500 vehicles in July 2026. The carmaker's cumulative
deliveries have now reached 1,003,000 vehicles since its first car was handed over.
"""
SECOND_JUNE = """---
title: A second count of Xiaomi's June
url: https://example.test/watch/xiaomi-june
published: 2026-07-05
---

Xiaomi Auto delivered 52,000 vehicles in June 2026, according to a tally from a regional dealer group.
"""
BAD_CLAIM = """---
title: Xiaomi's strong close to 2025
url: https://example.test/watch/xiaomi-claim
published: 2026-01-10
---

Xiaomi Auto delivered 50,212 vehicles in December 2025, up 80% from November, when it delivered 46,249
vehicles.
"""
GOOD_CLAIM = """---
title: Xiaomi in December
url: https://example.test/watch/xiaomi-december
published: 2026-01-05
---

Xiaomi Auto delivered 50,212 vehicles in December 2025.
"""
SLUMP = """---
title: Xiaomi Auto's quiet July
url: https://example.test/watch/xiaomi-slump
published: 2026-08-01
---

Xiaomi Auto delivered 9,000 vehicles in July 2026 while its plant was retooled.
"""
FAST = {"retries": 0, "backoff": 0.0}  # no pauses in tests that do not time them


# -- helpers ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def initialised(module_database: str) -> str:
    """A database with the shipped dataset (``evpace.api.init``), copied by ``data`` for each test."""
    api.init(module_database)
    return module_database


@pytest.fixture
def data(initialised: str, db_url: str) -> str:
    """The shipped dataset in the test's own database (``db_url``, either backend): a copy of
    ``initialised``, faster than loading it again."""
    if "://" not in db_url:
        with sqlite3.connect(initialised) as src, sqlite3.connect(db_url) as dst:
            src.backup(dst)
        return db_url
    import psycopg
    from psycopg import sql

    name, template = (urlsplit(u).path.lstrip("/") for u in (db_url, initialised))
    with psycopg.connect(os.environ["EVPACE_TEST_PG_URL"], autocommit=True) as conn:  # the conftest's server
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
    return db_url


def ingest(db: str, tmp_path: Path, text: str, name: str) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    s = api.ingest([str(path)], db, workers=1)
    assert s.new_documents == 1, s


def cli(db: str, *args: str, code: int = 0):
    r = runner.invoke(app, ["--db", db, *args])
    assert r.exit_code == code, (r.exit_code, r.output)
    return r


def messages(result: watch.RunResult) -> list[str]:
    return [a.message for a in result.new_alerts]


def seed(db: str, n: int = 1, message: str = "test alert") -> list[state.Alert]:
    """``n`` alerts of a conflict rule, pending on no channel yet (no dataset needed)."""
    with Store(db) as s:
        rid, _ = state.insert_rule(s, "conflict", None, {}, state.now())
        alerts = [state.Alert(id=state.alert_id(f"{rid}|t{i}"), key=f"{rid}|t{i}", rule=rid, kind="conflict",
                              entity_id="xiaomi", entity="Xiaomi Auto", message=f"{message} {i}", date="2026-07",
                              at=state.now(), rule_text="a new conflict between sources",
                              sources=[f"https://example.test/{i}"]) for i in range(n)]
        return state.record_alerts(s, alerts, ())


def deliveries(db: str) -> dict[tuple[str, str], dict]:
    with Store(db) as s:
        return {(r["alert_id"], r["channel"]): r for r in s.query("SELECT * FROM watch_deliveries")}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_reads_the_password_from_the_environment(db_url, monkeypatch):
    [alert] = seed(db_url)
    port = free_port()
    box = Mailbox(port, password="pw-from-env")
    try:
        channel = SmtpChannel("127.0.0.1", port, ["team@example.test"], "evpace@example.test", user="bot", timeout=2)
        _owe(db_url, [alert], channel.name)
        monkeypatch.delenv("EVPACE_SMTP_PASSWORD", raising=False)
        missing = watch.run_once(db_url, [channel], **FAST)
        assert "$EVPACE_SMTP_PASSWORD is not set" in missing.delivery.errors[channel.name][0]
        monkeypatch.setenv("EVPACE_SMTP_PASSWORD", "pw-from-env")
        assert watch.run_once(db_url, [channel], **FAST).delivery.sent == {channel.name: 1}
        assert box.logins == ["bot"] and len(box.messages) == 1
    finally:
        box.close()


def test_a_redirecting_webhook_is_a_failure_not_a_delivery(db_url, hook):
    [alert] = seed(db_url)
    channel = WebhookChannel(hook.url)
    _owe(db_url, [alert], channel.name)
    hook.plan = [302]
    assert watch.run_once(db_url, [channel], **FAST).delivery.errors[channel.name] == [
        f"alert {alert.id}: HTTP 302 Found"]
    assert watch.run_once(db_url, [channel], **FAST).delivery.sent == {channel.name: 1}


def test_a_broken_stored_channel_keeps_its_alerts_and_the_others_deliver(db_url, tmp_path, hook):
    folder = tmp_path / "logs"
    folder.mkdir()
    watch.add_channel(db_url, "audit", watch.LogChannel(str(folder / "alerts.jsonl")))
    watch.add_channel(db_url, "team", WebhookChannel(hook.url))
    folder.rmdir()  # the stored log channel cannot be built any more
    [alert] = seed(db_url)
    _owe(db_url, [alert], "audit")
    _owe(db_url, [alert], "team")
    result = watch.run_once(db_url, [], **FAST)
    assert result.delivery.sent == {"team": 1} and "its folder does not exist" in result.delivery.errors["audit"][0]
    assert result.delivery.pending == 1 and [b["id"] for b in hook.accepted()] == [alert.id]
    assert deliveries(db_url)[(alert.id, "audit")]["status"] == "pending"


def _owe(db: str, alerts: list[state.Alert], channel: str) -> None:
    with Store(db) as s:
        s.executemany("INSERT INTO watch_deliveries (alert_id, channel) VALUES (?, ?)", [(a.id, channel)
                                                                                          for a in alerts])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Hook:
    """A local HTTP receiver: answers each POST with the next of ``plan`` (a status, or 'hang'), then 200."""

    def __init__(self, plan: list[int | str] | None = None) -> None:
        self.plan = list(plan or [])
        self.requests: list[tuple[int | str, dict, dict]] = []  # (answer, headers, body)
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                answer = hook.plan.pop(0) if hook.plan else 200
                hook.requests.append((answer, dict(self.headers), body))
                if answer == "hang":
                    time.sleep(1.5)
                    return
                self.send_response(int(answer))
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook?secret=abc"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self) -> list[dict]:
        return [body for answer, _, body in self.requests if answer == 200]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook():
    h = Hook()
    yield h
    h.close()


class Mailbox:
    """A local SMTP server (aiosmtpd) on ``port``, keeping what it receives; with ``password``, it wants a
    login (over plain text: a test server only)."""

    def __init__(self, port: int, password: str | None = None) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages: list[bytes] = []
        self.logins: list[str] = []
        box = self

        def authenticator(server, session, envelope, mechanism, data):
            box.logins.append(data.login.decode())
            return AuthResult(success=data.password.decode() == password)

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                box.messages.append(envelope.content)
                return "250 OK"

        auth = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False} if password else {}
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port, **auth)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()


def smtp_channel(port: int) -> SmtpChannel:
    return SmtpChannel("127.0.0.1", port, ["team@example.test"], "evpace@example.test", timeout=2)


# -- the main story ------------------------------------------------------------------------------
def test_threshold_alert_is_printed_once_after_an_article_takes_xiaomi_over_a_million(data, tmp_path):
    r = cli(data, "watch", "add", "threshold", "--entity", "xiaomi", "--threshold", "1000000",
            "--metric", "deliveries")
    assert r.stdout.startswith("added rule 1: ")
    assert cli(data, "watch", "--once").stdout == ""  # 736,363 at 2026-06: not yet
    ingest(data, tmp_path, MILLION, "million")
    first = cli(data, "watch", "--once").stdout
    assert first.count("Xiaomi Auto crossed 1,000,000 cumulative deliveries") == 1
    assert "https://example.test/watch/xiaomi-million" in first
    assert cli(data, "watch", "--once").stdout == ""  # nothing new
    assert cli(data, "watch", "--once", "--format", "jsonl").stdout == ""  # the stdout channel owes nothing
    history = json.loads(cli(data, "watch", "alerts", "--format", "json").stdout)
    assert [(a["kind"], a["entity_id"]) for a in history] == [("threshold", "xiaomi")]
    assert history[0]["deliveries"][0]["channel"] == "stdout" and history[0]["deliveries"][0]["status"] == "sent"


# -- each rule kind, firing and not firing -------------------------------------------------------------
def test_threshold_already_crossed_is_baseline_unless_backfilled(data):
    added = watch.add_rule(data, "threshold", "li-auto", threshold=1_000_000)
    assert [a.entity_id for a in added.baseline] == ["li-auto"]
    assert watch.run_once(data, [], **FAST).new_alerts == []
    watch.add_rule(data, "threshold", "li-auto", threshold=1_000_000, backfill=True)
    assert messages(watch.run_once(data, [], **FAST)) == [
        "Li Auto crossed 1,000,000 cumulative production (reported 2024-10-15); latest cumulative 1,764,155 (2026-07)"]


def test_target_pace_fires_when_the_odds_drop_below_the_level(data, tmp_path):
    # naive3 with 200 paths: P(550,000 in 2026) = 6.5 % on the shipped data, 1 % after a 9,000 July
    added = watch.add_rule(data, "target-pace", "xiaomi", year=2026, below=0.04, model="naive3", paths=200)
    assert added.baseline == []
    assert watch.run_once(data, [], **FAST).new_alerts == []
    ingest(data, tmp_path, SLUMP, "slump")
    [alert] = watch.run_once(data, [], **FAST).new_alerts
    assert alert.message.startswith("Xiaomi Auto: P(meeting the 2026 target of 550,000 deliveries) = 1%, below 4%")
    assert alert.details["target"] == 550_000 and alert.details["actual_through"] == "2026-07"
    assert "https://example.test/watch/xiaomi-slump" in alert.sources
    assert watch.run_once(data, [], **FAST).new_alerts == []
    with pytest.raises(WatchRuleError, match="needs --year"):
        watch.add_rule(data, "target-pace", "xiaomi", below=0.5)


def test_conflict_rule_reports_only_new_conflicts_and_respects_its_entity(data, tmp_path):
    everything = watch.add_rule(data, "conflict")
    li = watch.add_rule(data, "conflict", "li-auto")
    assert len(everything.baseline) >= 10  # the shipped data's known disagreements are not news
    assert watch.run_once(data, [], **FAST).new_alerts == []
    ingest(data, tmp_path, SECOND_JUNE, "june")
    [alert] = watch.run_once(data, [], **FAST).new_alerts
    assert alert.rule == everything.rule.id and alert.entity_id == "xiaomi"
    assert "34,738" in alert.message and "52,000" in alert.message
    assert "https://example.test/watch/xiaomi-june" in alert.sources and len(alert.facts) == 2
    assert li.rule.id not in {a.rule for a in watch.run_once(data, [], **FAST).new_alerts}


def test_inconsistent_claim_rule_checks_each_new_article_once(data, tmp_path):
    any_maker = watch.add_rule(data, "inconsistent-claim")
    other = watch.add_rule(data, "inconsistent-claim", "li-auto")
    ingest(data, tmp_path, GOOD_CLAIM, "good")
    assert watch.run_once(data, [], **FAST).new_alerts == []  # every claim of it is consistent
    ingest(data, tmp_path, BAD_CLAIM, "bad")
    [alert] = watch.run_once(data, [], **FAST).new_alerts
    assert alert.rule == any_maker.rule.id and alert.kind == "inconsistent-claim"
    assert alert.message.startswith("Xiaomi's strong close to 2025: claim 80% (percent_change) is inconsistent")
    assert alert.sources[0] == "https://example.test/watch/xiaomi-claim" and alert.details["quote"]
    assert watch.run_once(data, [], **FAST).new_alerts == []
    with Store(data) as s:
        scanned = s.query("SELECT rule_id, COUNT(*) AS n FROM watch_scanned GROUP BY rule_id ORDER BY rule_id")
    assert [(r["rule_id"], r["n"]) for r in scanned] == [(any_maker.rule.id, 2), (other.rule.id, 2)]


def test_leaderboard_rule_announces_a_new_member_of_the_club(data, tmp_path):
    added = watch.add_rule(data, "leaderboard", threshold=1_000_000, tag="upstart")
    assert {a.entity_id for a in added.baseline} == {"li-auto", "leapmotor", "hima", "xpeng", "nio", "aito"}
    assert watch.run_once(data, [], **FAST).new_alerts == []
    ingest(data, tmp_path, MILLION, "million")
    assert messages(watch.run_once(data, [], **FAST)) == [
        "Xiaomi Auto joins the 1,000,000 club (upstart) as no. 7: deliveries on or before 2026-07"]
    with pytest.raises(WatchRuleError, match="needs --threshold"):
        watch.add_rule(data, "leaderboard", tag="upstart")


def test_a_failing_rule_is_reported_and_the_others_still_alert(db_url, monkeypatch):
    from evpace.watch import rules

    seed(db_url)
    seed(db_url)

    def evaluate(rule, snap):  # rule 1 has a bug; rule 2 finds something
        if rule.id == 1:
            raise ValueError("simulated bug")
        yield rules.Batch([rules.Finding(key="k", entity_id="xiaomi", entity="Xiaomi Auto", message="found")])

    monkeypatch.setattr(rules, "_conflict", evaluate)
    result = watch.run_once(db_url, [], **FAST)
    assert messages(result) == ["found"] and [a.rule for a in result.new_alerts] == [2]
    assert result.rule_errors == ["rule 1 (a new conflict between sources): ValueError: simulated bug"]
    assert not result.ok


# -- delivery: every channel once, and the failure modes ------------------------------------------------
def test_one_alert_reaches_stdout_log_mail_and_webhook_exactly_once(data, tmp_path, hook, capsys):
    port = free_port()
    box = Mailbox(port)
    try:
        log = tmp_path / "alerts.jsonl"
        channels = [StdoutChannel("jsonl"), watch.LogChannel(str(log)), smtp_channel(port), WebhookChannel(hook.url)]
        watch.add_rule(data, "threshold", "Xiaomi", threshold=1_000_000, metric="deliveries")
        ingest(data, tmp_path, MILLION, "million")
        for _ in range(3):
            result = watch.run_once(data, channels, **FAST)
            assert result.ok and result.delivery.pending == 0
        printed = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        logged = [json.loads(x) for x in log.read_text().splitlines()]
        hooked = hook.accepted()
        assert len(printed) == len(logged) == len(hooked) == len(box.messages) == 1
        assert printed[0] == logged[0] == hooked[0]
        a = printed[0]  # the JSON object of --format jsonl, the log and the webhook
        assert {"rule", "entity_id", "kind", "message", "facts", "sources", "at"} <= set(a)
        assert (a["rule"], a["entity_id"], a["kind"], a["date"]) == (1, "xiaomi", "threshold", "2026-07")
        assert a["sources"] == ["https://example.test/watch/xiaomi-million"]
        assert a["facts"][0]["value"] == 1_003_000 and a["facts"][0]["source"] == a["sources"][0]
        assert hook.requests[0][1]["Idempotency-Key"] == hooked[0]["id"]
        mail = box.messages[0].decode()
        assert "Subject: [evpace] Xiaomi Auto crossed 1,000,000 cumulative deliveries" in mail
        assert f"Message-ID: <{hooked[0]['id']}." in mail and "https://example.test/watch/xiaomi-million" in mail
        assert {d["status"] for d in deliveries(data).values()} == {"sent"}
    finally:
        box.close()


def test_smtp_down_is_retried_on_the_next_run_and_delivered_once(db_url):
    [alert] = seed(db_url)
    port = free_port()  # nothing listens yet
    channel = smtp_channel(port)
    _owe(db_url, [alert], channel.name)
    down = watch.run_once(db_url, [channel], **FAST)
    assert not down.ok and down.delivery.pending == 1
    assert "ConnectionRefusedError" in down.delivery.errors[channel.name][0]
    row = deliveries(db_url)[(alert.id, channel.name)]
    assert (row["status"], row["attempts"]) == ("pending", 1) and "refused" in row["last_error"].lower()
    box = Mailbox(port)
    try:
        up = watch.run_once(db_url, [channel], **FAST)
        again = watch.run_once(db_url, [channel], **FAST)
        assert up.ok and up.delivery.sent == {channel.name: 1} and again.delivery.sent == {channel.name: 0}
        assert len(box.messages) == 1 and alert.id.encode() in box.messages[0]
        assert deliveries(db_url)[(alert.id, channel.name)]["status"] == "sent"
    finally:
        box.close()


def test_webhook_500_is_retried_with_backoff_then_delivered_once(db_url, hook):
    alerts = seed(db_url, 2)
    channel = WebhookChannel(hook.url)
    _owe(db_url, alerts, channel.name)
    hook.plan = [500, 500, 500]
    pauses: list[float] = []
    first = watch.run_once(db_url, [channel], retries=2, backoff=0.25, sleep=pauses.append)
    assert pauses == [0.25, 0.5]  # 1 + 2 tries, doubling pauses
    assert first.delivery.errors[channel.name] == [f"alert {alerts[0].id}: HTTP 500 Internal Server Error"]
    assert len(hook.requests) == 3  # the second alert was not tried: the channel is down for this run
    second = watch.run_once(db_url, [channel], retries=2, backoff=0.25, sleep=pauses.append)
    assert second.ok and second.delivery.sent == {channel.name: 2}
    assert sorted(b["id"] for b in hook.accepted()) == sorted(a.id for a in alerts)
    keys = [h["Idempotency-Key"] for _, h, _ in hook.requests]
    assert keys.count(alerts[0].id) == 4 and keys.count(alerts[1].id) == 1
    assert deliveries(db_url)[(alerts[0].id, channel.name)]["attempts"] == 2  # two runs claimed it
    assert "secret" not in channel.name and channel.name.startswith("webhook:http://127.0.0.1:")


def test_a_hanging_webhook_times_out_and_is_retried(db_url, hook):
    [alert] = seed(db_url)
    channel = WebhookChannel(hook.url, timeout=0.3)
    _owe(db_url, [alert], channel.name)
    hook.plan = ["hang"]
    started = time.monotonic()
    hung = watch.run_once(db_url, [channel], **FAST)
    assert time.monotonic() - started < 1.4 and not hung.ok
    assert "timed out" in hung.delivery.errors[channel.name][0]
    assert watch.run_once(db_url, [channel], **FAST).delivery.sent == {channel.name: 1}
    assert [b["id"] for b in hook.accepted()] == [alert.id]


def test_a_crash_between_send_and_mark_sends_again_after_the_lease(db_url, hook, monkeypatch):
    """Documented edge (docs/watch.md): the send happened but was not recorded, so it is sent again once
    the lease is over: at least once, with the same Idempotency-Key for the receiver to drop the repeat.
    While the lease holds, no other run sends it."""
    [alert] = seed(db_url)
    channel = WebhookChannel(hook.url)
    _owe(db_url, [alert], channel.name)
    real = state.mark_sent

    def crash(*args):
        raise RuntimeError("simulated crash after the send")

    monkeypatch.setattr(state, "mark_sent", crash)
    with pytest.raises(RuntimeError):
        watch.run_once(db_url, [channel], lease=300, **FAST)
    monkeypatch.setattr(state, "mark_sent", real)
    held = watch.run_once(db_url, [channel], **FAST)  # the crashed run's lease still holds
    assert held.delivery.sent == {channel.name: 0} and held.delivery.pending == 1
    assert deliveries(db_url)[(alert.id, channel.name)]["status"] == "sending"
    assert len(hook.accepted()) == 1

    with Store(db_url) as s:  # the lease runs out
        s.execute("UPDATE watch_deliveries SET claimed_until = ?", (state.now(-1),))
    assert watch.run_once(db_url, [channel], **FAST).delivery.sent == {channel.name: 1}
    assert watch.run_once(db_url, [channel], **FAST).delivery.sent == {channel.name: 0}
    assert [h["Idempotency-Key"] for _, h, _ in hook.requests] == [alert.id, alert.id]
    assert deliveries(db_url)[(alert.id, channel.name)]["status"] == "sent"


def test_a_send_is_tried_at_least_once_whatever_the_retries():
    from evpace.watch.deliver import send_with_retries

    sent: list[state.Alert] = []
    channel = type("Counting", (), {"name": "counting", "send": lambda self, a: sent.append(a)})()
    alert = state.Alert("a1", "1|k", 1, "conflict", "", "", "m", None, state.now())
    assert send_with_retries(channel, alert, retries=-1, backoff=0) is None and sent == [alert]


def test_two_runs_racing_for_one_delivery_claim_it_once(db_url):
    [alert] = seed(db_url)
    _owe(db_url, [alert], "log:x")
    with Store(db_url) as a, Store(db_url) as b:
        wins = [state.claim(a, alert.id, "log:x"), state.claim(b, alert.id, "log:x")]
    assert wins == [True, False]


def test_the_log_is_appended_to_never_rewritten(db_url, tmp_path):
    log = tmp_path / "alerts.jsonl"
    log.write_text('{"kept": true}\n')
    channel = watch.LogChannel(str(log))
    _owe(db_url, seed(db_url, 2, "first"), channel.name)
    watch.run_once(db_url, [channel], **FAST)
    before = log.read_text()
    [later] = seed(db_url, 1, "later")
    _owe(db_url, [later], channel.name)
    watch.run_once(db_url, [channel], **FAST)
    after = log.read_text()
    assert after.startswith(before) and before.startswith('{"kept": true}\n')
    rows = [json.loads(x) for x in after.splitlines()[1:]]
    assert [r["message"] for r in rows] == ["first 0", "first 1", "later 0"]


def test_a_channel_is_owed_only_the_alerts_raised_while_it_was_in_use(db_url, hook):
    seed(db_url)  # raised by a run that had no channel
    channel = WebhookChannel(hook.url)
    assert watch.run_once(db_url, [channel], **FAST).delivery.sent == {channel.name: 0}
    assert hook.requests == []


# -- command line -------------------------------------------------------------------------------------
def test_cli_help_and_usage_errors():
    r = runner.invoke(app, ["watch", "--help"])
    assert r.exit_code == 0
    for word in ("--once", "--every", "--format", "--log", "--webhook", "--smtp", "--mail-to", "--starttls",
                 "add", "list", "remove", "alerts", "channel"):
        assert word in r.output
    r = runner.invoke(app, ["watch", "channel", "add", "--help"])
    assert r.exit_code == 0 and "--webhook" in r.output
    r = runner.invoke(app, ["watch"])
    assert r.exit_code == 2 and "--once" in r.output
    assert runner.invoke(app, ["watch", "--once", "--every", "1h"]).exit_code == 2


def test_cli_rules_add_list_remove_and_errors(data):
    cli(data, "watch", "add", "threshold", "--entity", "Xiaomi Auto", "--threshold", "2000000", "-m", "sales")
    assert cli(data, "watch", "add", "conflict").stdout == "added rule 2: a new conflict between sources\n"
    rows = json.loads(cli(data, "watch", "list", "--format", "json").stdout)
    assert [(r["id"], r["kind"], r["rule"]) for r in rows] == [(1, "threshold", "xiaomi crosses 2,000,000 "
                                                                "cumulative sales"),
                                                               (2, "conflict", "a new conflict between sources")]
    assert cli(data, "watch", "remove", "1").stdout == "removed rule 1\n"
    assert [r.id for r in watch.list_rules(data)] == [2]
    assert [r.id for r in watch.list_rules(data, include_removed=True)] == [1, 2]
    assert "no watch rule 1" in cli(data, "watch", "remove", "1", code=2).output
    assert "needs --entity" in cli(data, "watch", "add", "threshold", "--threshold", "5", code=2).output
    for kind, entity, params, error in [("rumour", None, {}, "unknown kind"),
                                        ("conflict", None, {"tag": "x"}, "does not take --tag"),
                                        ("leaderboard", "xiaomi", {"threshold": 5}, "does not take --entity"),
                                        ("threshold", "xiaomi", {"threshold": 5, "metric": "orders"}, "not one of"),
                                        ("target-pace", "xiaomi", {"year": 2026, "below": 2}, "between 0 and 1")]:
        with pytest.raises(WatchRuleError, match=error):
            watch.add_rule(data, kind, entity, **params)
    with pytest.raises(UnknownEntityError):
        watch.add_rule(data, "threshold", "nope", threshold=5)
    with pytest.raises(UnknownRuleError):
        watch.remove_rule(data, 99)
    assert watch.add_rule(data, "conflict").rule.id == 3  # ids are never given twice


def test_cli_exits_1_while_a_delivery_is_owed(db_url):
    dead = f"http://127.0.0.1:{free_port()}/hook"
    _owe(db_url, seed(db_url), WebhookChannel(dead).name)
    r = cli(db_url, "watch", "--once", "-q", "--webhook", dead, "--retries", "0", code=1)
    assert "not delivered" in r.stderr and "will retry" in r.stderr and r.stdout == ""
    assert "--smtp" in cli(db_url, "watch", "--once", "--mail-to", "a@example.test", code=2).output


def test_stored_channels_are_used_by_every_run(db_url, hook, monkeypatch):
    cli(db_url, "watch", "channel", "add", "team-hook", "--webhook", hook.url, "--timeout", "3")
    cli(db_url, "watch", "channel", "add", "team-mail", "--smtp", "127.0.0.1:2525", "--mail-to", "a@example.test",
        "--mail-from", "b@example.test", "--starttls", "--smtp-user", "bot")
    listed = json.loads(cli(db_url, "watch", "channel", "list", "--format", "json").stdout)
    assert [(c["name"], c["kind"]) for c in listed] == [("team-hook", "webhook"), ("team-mail", "smtp")]
    assert listed[1]["config"] == {"host": "127.0.0.1", "port": 2525, "mail_to": ["a@example.test"],
                                   "mail_from": "b@example.test", "security": "starttls", "user": "bot",
                                   "password_env": "EVPACE_SMTP_PASSWORD", "timeout": 10.0}  # no password
    assert "exactly one" in cli(db_url, "watch", "channel", "add", "x", code=2).output
    with pytest.raises(ChannelError, match="exists"):
        watch.add_channel(db_url, "team-hook", WebhookChannel(hook.url))
    with pytest.raises(ChannelError, match="a name is"):
        watch.add_channel(db_url, "../x", WebhookChannel(hook.url))
    watch.remove_channel(db_url, "team-mail")
    [alert] = seed(db_url)
    _owe(db_url, [alert], "team-hook")
    assert cli(db_url, "watch", "--once", "-q").stdout == ""
    assert [b["id"] for b in hook.accepted()] == [alert.id]
    with pytest.raises(ChannelError, match="no stored channel"):
        watch.remove_channel(db_url, "team-mail")


def test_cli_every_runs_the_given_number_of_times(db_url):
    seed(db_url)
    r = cli(db_url, "watch", "--every", "1s", "--runs", "1", "--verbose")
    assert "watch: 1 rules, 0 new alerts" in r.stderr


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("5m", 300), ("1h", 3600), ("1d", 86400),
                                               ("1h30m", 5400), ("90", 90), (" 2H ", 7200)])
def test_every_parses_durations(text, seconds):
    assert watch.parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "1w", "h", "0s", "-5m", "1 hour", "5m later"])
def test_every_refuses_what_is_not_a_duration(text):
    with pytest.raises(InvalidArgumentError):
        watch.parse_every(text)


def test_run_every_loops_pauses_and_survives_a_failed_run(db_url, monkeypatch):
    seed(db_url)
    calls: list[object] = []
    real = watch.run_once

    def flaky(*args, **kwargs):
        if len(calls) == 1:
            raise InvalidArgumentError(name="db", reason="simulated outage")
        return real(*args, **kwargs)

    monkeypatch.setattr(watch, "run_once", flaky)
    pauses: list[float] = []
    failed = watch.run_every(db_url, "1h", [], runs=3, on_run=calls.append, sleep=pauses.append)
    assert failed == 1 and len(calls) == 3 and isinstance(calls[1], InvalidArgumentError)
    assert len(pauses) == 2 and all(3599 < p <= 3600 for p in pauses)


# -- the history page ----------------------------------------------------------------------------------
def test_alert_history_page_shows_status_per_channel_and_escapes(db_url):
    from evpace.web.alerts_view import alert_rows
    from evpace.web.app import make_env

    [alert] = seed(db_url, 1, "<script>alert(1)</script>")
    _owe(db_url, [alert], "webhook:http://127.0.0.1:9#x")
    _owe(db_url, [alert], "stdout")
    watch.run_once(db_url, [StdoutChannel("jsonl")], **FAST)
    rows = alert_rows(db_url, 10)
    assert [(d["channel"], d["status"], d["badge"]) for d in rows[0]["deliveries"]] == [
        ("stdout", "sent", "badge-crossed"), ("webhook:http://127.0.0.1:9#x", "pending", "badge-not-yet")]
    html = make_env().get_template("alerts.html").render(path="/alerts", rows=rows, title="Alerts")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert 'href="https://example.test/0"' in html and 'href="/entity/xiaomi"' in html
    assert "No alerts yet" in make_env().get_template("alerts.html").render(path="/alerts", rows=[])
