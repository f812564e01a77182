"""Everything the watch feature keeps in the database (migration ``0004_watch.sql``).

* ``watch_rules``: the rules; a removed rule keeps its row (``removed_at``) so its alerts keep their
  history and its id is never given again.
* ``watch_alerts``: one row per thing a rule noticed, under a stable ``key`` (rule id + what fired), unique:
  evaluating the rules again inserts nothing new, whichever process does it.
* ``watch_deliveries``: the outbox, one row per alert and channel, written in the same transaction as the
  alert. A run *claims* a row (``pending`` → ``sending`` with a lease), sends, then marks it ``sent`` in a
  transaction of its own; a failure puts it back to ``pending`` with the error. A run that dies between
  sending and marking leaves the row ``sending``; once the lease is over the next run sends it again
  (at-least-once; see docs/watch.md).
* ``watch_channels``: channels configured once; ``watch_scanned``: documents an inconsistent-claim rule
  has checked.

Only SQL that runs unchanged on SQLite and PostgreSQL (``?`` placeholders, see :class:`evpace.store.Store`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError, UnknownRuleError
from ..store import Store

#: How long a run may hold a delivery it is sending before another run may take it over (seconds).
DEFAULT_LEASE = 300.0


def now(offset: float = 0.0) -> str:
    """UTC time as ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00`` (fixed width, so text order is time order)."""
    t = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=offset)
    return t.isoformat(timespec="microseconds")


def alert_id(key: str) -> str:
    """The id of the alert with this key (a hash, so every process derives the same id)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


@dataclass
class Alert:
    """One alert as delivered: the JSON object of ``--format jsonl``, the webhook body and the e-mail."""

    id: str
    key: str
    rule: int
    kind: str
    entity_id: str
    entity: str
    message: str
    date: str | None
    at: str
    rule_text: str = ""
    facts: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "rule": self.rule, "rule_text": self.rule_text, "kind": self.kind,
                "entity_id": self.entity_id, "entity": self.entity, "message": self.message, "date": self.date,
                "facts": self.facts, "sources": self.sources, "details": self.details, "at": self.at}


def _alert(r: dict[str, Any]) -> Alert:
    p = json.loads(r["payload"] or "{}")
    return Alert(id=r["id"], key=r["key"], rule=int(r["rule_id"]), kind=r["kind"], entity_id=r["entity_id"],
                 entity=r["entity"], message=r["message"], date=r["event_date"], at=r["created_at"],
                 rule_text=p.get("rule_text", ""), facts=p.get("facts", []), sources=p.get("sources", []),
                 details=p.get("details", {}))


# -- rules --------------------------------------------------------------------------------------------
def insert_rule(store: Store, kind: str, entity_id: str | None, params: dict[str, Any], created_at: str,
                baseline: Callable[[int], Sequence[Alert]] = lambda _id: ()) -> tuple[int, list[Alert]]:
    """Store a rule and its baseline (``baseline(rule_id)``: what holds already) in one transaction; returns
    the rule's id (one more than any id ever given, removed rules included) and the baseline stored."""
    def put() -> tuple[int, list[Alert]]:
        rid = int(store.query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM watch_rules")[0]["n"])
        store.execute("INSERT INTO watch_rules (id, kind, entity_id, params, created_at) VALUES (?, ?, ?, ?, ?)",
                      (rid, kind, entity_id, json.dumps(params, sort_keys=True), created_at))
        return rid, record_alerts(store, baseline(rid), (), baseline=True)

    attempt = 1
    while True:
        try:
            return store.write(put)
        except StoreError:  # PostgreSQL: another process took that id meanwhile; take the next one
            if not store.postgres or attempt == 3:
                raise
            attempt += 1


def rule_rows(store: Store, include_removed: bool = False) -> list[dict[str, Any]]:
    """Rules as rows (``params`` decoded), oldest first."""
    sql = "SELECT * FROM watch_rules" + ("" if include_removed else " WHERE removed_at IS NULL")
    rows = store.query(sql + " ORDER BY id")
    for r in rows:
        r["params"] = json.loads(r["params"] or "{}")
    return rows


def remove_rule(store: Store, rule_id: int) -> None:
    """Retire a rule: it is no longer evaluated; its alerts and their deliveries stay."""
    cur = store.execute("UPDATE watch_rules SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                        (now(), rule_id))
    if cur.rowcount != 1:
        raise UnknownRuleError(rule=rule_id)


# -- alerts ---------------------------------------------------------------------------------------------
def record_alerts(store: Store, alerts: Sequence[Alert], channels: Sequence[str], *, baseline: bool = False,
                  scanned: Iterable[tuple[int, str]] = ()) -> list[Alert]:
    """Insert alerts not stored yet, each with a pending delivery per channel, and the documents
    scanned to find them, in one transaction. Returns the alerts that were new. ``baseline`` alerts (true
    when their rule was added) are stored so they never fire, and get no delivery."""
    def put() -> list[Alert]:
        new = []
        for a in alerts:
            payload = json.dumps({"rule_text": a.rule_text, "facts": a.facts, "sources": a.sources,
                                  "details": a.details}, ensure_ascii=False, sort_keys=True, default=str)
            cur = store.execute(
                "INSERT INTO watch_alerts (id, key, rule_id, kind, entity_id, entity, message, event_date, payload, "
                "baseline, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (a.id, a.key, a.rule, a.kind, a.entity_id, a.entity, a.message, a.date, payload, int(baseline), a.at))
            if cur.rowcount != 1:
                continue  # found before (by this or another process)
            new.append(a)
            if not baseline:
                store.executemany("INSERT INTO watch_deliveries (alert_id, channel) VALUES (?, ?) "
                                  "ON CONFLICT DO NOTHING", [(a.id, ch) for ch in channels])
        store.executemany("INSERT INTO watch_scanned (rule_id, document_id, scanned_at) VALUES (?, ?, ?) "
                          "ON CONFLICT DO NOTHING", [(r, d, now()) for r, d in scanned])
        return new

    scanned = list(scanned)
    return store.write(put)


def documents_to_scan(store: Store, rule_id: int, since: str | None) -> Iterator[dict[str, Any]]:
    """Stored documents ingested at or after ``since`` (all when None) that the rule has not checked, read
    one at a time (a backfill over a large corpus does not hold every text at once)."""
    sql = ("SELECT id FROM documents d WHERE NOT EXISTS "
           "(SELECT 1 FROM watch_scanned s WHERE s.rule_id = ? AND s.document_id = d.id)")
    params: list[Any] = [rule_id]
    if since:
        sql += " AND d.ingested_at >= ?"
        params.append(since[:19])  # documents carry seconds; a rule added within that second still sees it
    for r in store.query(sql + " ORDER BY d.ingested_at, d.id", params):
        yield store.query("SELECT id, name, url, title, published, path, text FROM documents WHERE id = ?",
                          (r["id"],))[0]


def history(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    """The latest alerts (baselines left out), newest first, each with ``deliveries`` per channel."""
    rows = store.query("SELECT * FROM watch_alerts WHERE baseline = 0 ORDER BY created_at DESC, id LIMIT ?",
                       (int(limit),))
    out = []
    for r in rows:
        d = _alert(r).to_dict()
        d["deliveries"] = store.query(
            "SELECT channel, status, attempts, last_error, last_attempt_at, sent_at FROM watch_deliveries "
            "WHERE alert_id = ? ORDER BY channel", (r["id"],))
        out.append(d)
    return out


# -- the outbox ---------------------------------------------------------------------------------------
_DUE = "(status = 'pending' OR (status = 'sending' AND claimed_until < ?))"  # columns of watch_deliveries only


def due(store: Store, channel: str) -> list[Alert]:
    """Alerts this channel still owes: pending, or claimed by a run whose lease is over."""
    rows = store.query(f"SELECT a.* FROM watch_deliveries d JOIN watch_alerts a ON a.id = d.alert_id "
                       f"WHERE d.channel = ? AND {_DUE} ORDER BY a.created_at, a.rule_id, a.key", (channel, now()))
    return [_alert(r) for r in rows]


def claim(store: Store, alert: str, channel: str, lease: float = DEFAULT_LEASE) -> bool:
    """Take a delivery for sending (one atomic UPDATE: of two runs racing, one wins). False when another
    run holds it or it was sent meanwhile."""
    t = now()
    cur = store.execute(f"UPDATE watch_deliveries SET status = 'sending', claimed_until = ?, attempts = attempts + 1, "
                        f"last_attempt_at = ? WHERE alert_id = ? AND channel = ? AND "
                        f"{_DUE}", (now(lease), t, alert, channel, t))
    return cur.rowcount == 1


def mark_sent(store: Store, alert: str, channel: str) -> None:
    """Record a successful send (its own transaction, after the send)."""
    store.write(lambda: store.execute("UPDATE watch_deliveries SET status = 'sent', sent_at = ?, claimed_until = NULL, "
                                      "last_error = '' WHERE alert_id = ? AND channel = ?", (now(), alert, channel)))


def mark_failed(store: Store, alert: str, channel: str, error: str) -> None:
    """Put a delivery back to pending with the error; the next run (or attempt) tries again."""
    store.write(lambda: store.execute("UPDATE watch_deliveries SET status = 'pending', claimed_until = NULL, "
                                      "last_error = ? WHERE alert_id = ? AND channel = ? AND status = 'sending'",
                                      (error[:1000], alert, channel)))


def pending_count(store: Store, channels: Sequence[str]) -> int:
    """Deliveries still owed on these channels (pending or being sent)."""
    if not channels:
        return 0
    marks = ", ".join("?" * len(channels))
    return int(store.query(f"SELECT COUNT(*) AS n FROM watch_deliveries WHERE status != 'sent' AND channel IN "
                           f"({marks})", list(channels))[0]["n"])


# -- channels configured once -----------------------------------------------------------------------
def channel_rows(store: Store) -> list[dict[str, Any]]:
    rows = store.query("SELECT name, kind, config, created_at FROM watch_channels ORDER BY name")
    for r in rows:
        r["config"] = json.loads(r["config"] or "{}")
    return rows


def put_channel(store: Store, name: str, kind: str, config: dict[str, Any]) -> bool:
    """Add a channel; False when the name is taken."""
    cur = store.execute("INSERT INTO watch_channels (name, kind, config, created_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT DO NOTHING", (name, kind, json.dumps(config, sort_keys=True), now()))
    return cur.rowcount == 1


def delete_channel(store: Store, name: str) -> bool:
    """Remove a channel (its past deliveries stay, under its name)."""
    return store.execute("DELETE FROM watch_channels WHERE name = ?", (name,)).rowcount == 1
