"""Watch the data and send alerts: rules (:mod:`.rules`), their state in the database (:mod:`.state`) and
delivery (:mod:`.deliver`). Rules and guarantees: docs/watch.md.

>>> from evpace import watch
>>> watch.add_rule("evpace.db", "threshold", "xiaomi", threshold=1_000_000, metric="deliveries")
>>> result = watch.run_once("evpace.db", [watch.StdoutChannel(), watch.WebhookChannel("https://example.org/hook")])
>>> result.new_alerts, result.delivery.sent, result.ok

``run_once`` evaluates every rule, stores what is new (each alert once, under a stable key) with a pending
delivery per channel, then delivers what every channel owes, old failures included.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..api import DB, open_store
from ..errors import ChannelError, EvpaceError, InvalidArgumentError, StoreError
from . import state
from .deliver import (
    Channel,
    DeliveryReport,
    LogChannel,
    SmtpChannel,
    StdoutChannel,
    WebhookChannel,
    channel_from_config,
    deliver,
    kind_of,
)
from .rules import KINDS, Finding, Rule, Snapshot, evaluate, validate
from .state import Alert

__all__ = ["KINDS", "Alert", "Channel", "DeliveryReport", "LogChannel", "Rule", "RunResult", "SmtpChannel",
           "StdoutChannel", "WebhookChannel", "add_channel", "add_rule", "alerts", "channels", "parse_every",
           "list_rules", "remove_channel", "remove_rule", "run_every", "run_once"]


def _alert(rule: Rule, f: Finding, at: str, rule_text: str) -> Alert:
    from ..check.render import fact_dict

    key = f"{rule.id}|{f.key}"
    return Alert(id=state.alert_id(key), key=key, rule=rule.id, kind=rule.kind, entity_id=f.entity_id,
                 entity=f.entity, message=f.message, date=f.date, at=at, rule_text=rule_text,
                 facts=[fact_dict(x) for x in f.facts], sources=list(dict.fromkeys(f.sources)), details=f.details)


# -- rules ----------------------------------------------------------------------------------------------
@dataclass
class Added:
    """A rule just added, and what already held then (its baseline: recorded, never reported)."""

    rule: Rule
    baseline: list[Alert] = field(default_factory=list)


def add_rule(db: DB, kind: str, entity: str | None = None, *, backfill: bool = False, **params: Any) -> Added:
    """Add a watch rule (see :mod:`.rules` for kinds and parameters). What the rule finds right now is
    recorded as its baseline and never reported, unless ``backfill``: then the next run reports it."""
    with open_store(db) as s:
        entity_id = s.registry().resolve(entity).id if entity else None
        created = state.now()
        if kind == "inconsistent-claim":
            params["since"] = None if backfill else created
        rule = Rule(id=0, kind=kind, entity_id=entity_id, params=validate(kind, entity_id, params),
                    created_at=created)
        snap = Snapshot(s)
        findings = [] if backfill or kind == "inconsistent-claim" else \
            [f for batch in evaluate(rule, snap) for f in batch.findings]
        text = rule.describe(snap.name(entity_id))

        def baseline(rule_id: int) -> list[Alert]:
            rule.id = rule_id
            return [_alert(rule, f, created, text) for f in findings]

        rule.id, base = state.insert_rule(s, kind, entity_id, rule.params, created, baseline)
        return Added(rule, base)


def list_rules(db: DB = None, include_removed: bool = False) -> list[Rule]:
    """The watch rules, oldest first."""
    with open_store(db) as s:
        return [Rule.from_row(r) for r in state.rule_rows(s, include_removed)]


def remove_rule(db: DB, rule_id: int) -> None:
    """Stop evaluating a rule; its alerts stay in the history."""
    with open_store(db) as s:
        state.remove_rule(s, int(rule_id))


# -- channels configured once ------------------------------------------------------------------------
def add_channel(db: DB, name: str, channel: Channel) -> None:
    """Keep a channel in the database: every later run delivers to it as well."""
    if not re.fullmatch(r"[A-Za-z0-9][\w.-]{0,63}", name or ""):
        raise ChannelError(channel=name, reason="a name is letters, digits, '.', '_' or '-' (up to 64)")
    if isinstance(channel, StdoutChannel):
        raise ChannelError(channel=name, reason="stdout is not a stored channel; it is on unless --quiet")
    with open_store(db) as s:
        if not state.put_channel(s, name, kind_of(channel), channel.config()):
            raise ChannelError(channel=name, reason="a channel of that name exists (remove it first)")


def channels(db: DB = None) -> list[Channel]:
    """The stored channels, each under its name."""
    with open_store(db) as s:
        return [channel_from_config(r["kind"], r["config"], r["name"]) for r in state.channel_rows(s)]


def remove_channel(db: DB, name: str) -> None:
    """Remove a stored channel; what it still owed stays pending under its name."""
    with open_store(db) as s:
        if not state.delete_channel(s, name):
            raise ChannelError(channel=name, reason="no stored channel of that name")


def alerts(db: DB = None, limit: int = 100) -> list[dict[str, Any]]:
    """The latest alerts, newest first, with their delivery status per channel."""
    with open_store(db) as s:
        return state.history(s, limit)


# -- running ------------------------------------------------------------------------------------------
@dataclass
class RunResult:
    """One evaluation of every rule, and the deliveries that followed."""

    rules: int = 0
    new_alerts: list[Alert] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)

    @property
    def ok(self) -> bool:
        """No rule failed and every delivery tried went through."""
        return not self.rule_errors and self.delivery.ok


def run_once(db: DB = None, channels: Sequence[Channel] = (), *, stored_channels: bool = True, retries: int = 2,
             backoff: float = 0.5, lease: float = state.DEFAULT_LEASE,
             sleep: Callable[[float], None] = time.sleep) -> RunResult:
    """Evaluate every rule, store new alerts (each once) with a pending delivery per channel, and deliver
    everything ``channels`` (and, with ``stored_channels``, the channels kept in the database) still owe.

    A rule that fails is reported in ``rule_errors`` and the others go on; a database error ends the run.
    ``retries``/``backoff``: further tries of a failed send within the run, pausing ``backoff``, then twice
    that...; ``lease``: seconds a run may hold a delivery it is sending (see docs/watch.md)."""
    out = RunResult()
    with open_store(db) as s:
        by_name: dict[str, Channel] = {}
        for c in channels:
            by_name.setdefault(c.name, c)  # a channel given twice is one channel
        broken: dict[str, list[str]] = {}  # stored channels that cannot be built: still owed their alerts
        for r in state.channel_rows(s) if stored_channels else []:
            try:
                by_name.setdefault(r["name"], channel_from_config(r["kind"], r["config"], r["name"]))
            except ChannelError as exc:
                broken[r["name"]] = [exc.message]
        chans, names = list(by_name.values()), list(by_name) + list(broken)
        snap = Snapshot(s)
        active = [Rule.from_row(r) for r in state.rule_rows(s)]
        out.rules = len(active)
        for rule in active:
            at, text = state.now(), rule.describe(snap.name(rule.entity_id))
            try:
                for batch in evaluate(rule, snap):
                    alerts_ = [_alert(rule, f, at, text) for f in batch.findings]
                    out.new_alerts += state.record_alerts(s, alerts_, names,
                                                          scanned=[(rule.id, d) for d in batch.scanned])
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - one broken rule must not silence the others
                msg = exc.message if isinstance(exc, EvpaceError) else f"{type(exc).__name__}: {exc}"
                out.rule_errors.append(f"rule {rule.id} ({text}): {msg}")
        out.delivery = deliver(s, chans, retries=retries, backoff=backoff, lease=lease, sleep=sleep)
        out.delivery.errors.update(broken)
        out.delivery.pending = state.pending_count(s, names)
    return out


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """``30s``, ``5m``, ``1h``, ``1d``, ``1h30m`` or a number of seconds → seconds (at least 1)."""
    t = str(text).strip().lower()
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", t)
    if re.fullmatch(r"\d+(\.\d+)?", t):
        seconds = float(t)
    elif parts and re.fullmatch(r"(\s*\d+(?:\.\d+)?\s*[smhd])+\s*", t):
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    else:
        raise InvalidArgumentError(name="every", reason=f"{text!r} is not a duration like 30s, 5m, 1h or 1d")
    if seconds < 1:
        raise InvalidArgumentError(name="every", reason="must be at least 1 second")
    return seconds


def run_every(db: DB, every: float | str, channels: Sequence[Channel] = (), *, runs: int | None = None,
              on_run: Callable[[RunResult | EvpaceError], None] | None = None,
              sleep: Callable[[float], None] = time.sleep, **kwargs: Any) -> int:
    """Call :func:`run_once` every ``every`` (seconds or ``1h``...), ``runs`` times (None: until
    interrupted). A run that fails on an evpace error (the database away...) is passed to ``on_run`` and
    the loop goes on. Returns the number of runs that were not ok."""
    period = every if isinstance(every, (int, float)) else parse_every(every)
    done = failed = 0
    while runs is None or done < runs:
        started = time.monotonic()
        try:
            result: RunResult | EvpaceError = run_once(db, channels, sleep=sleep, **kwargs)
        except EvpaceError as exc:
            result = exc
        done += 1
        failed += not (isinstance(result, RunResult) and result.ok)
        if on_run:
            on_run(result)
        if runs is None or done < runs:
            sleep(max(0.0, period - (time.monotonic() - started)))
    return failed

