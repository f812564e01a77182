"""Delivery channels (stdout, an append-only JSONL log, e-mail over SMTP, a webhook) and the outbox loop.

A channel has a ``name`` — the key of its deliveries in the database, so the same channel given again
(same URL, same file, same mail server and recipients) picks up what it still owes — and ``send(alert)``,
which returns when the alert is delivered and raises :class:`~evpace.errors.DeliveryError` otherwise.
:func:`deliver` sends what each channel owes: claim, send (tried ``1 + retries`` times with a doubling
back-off), then mark sent in its own transaction. A channel that fails an alert on every try is left alone
for the rest of the run (its other alerts stay pending for the next run).
"""

from __future__ import annotations

import hashlib
import json
import os
import smtplib
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .. import __version__
from ..errors import ChannelError, DeliveryError
from ..store import Store
from . import state
from .state import Alert

TEXT, JSONL = "text", "jsonl"
SMTP_PASSWORD_ENV = "EVPACE_SMTP_PASSWORD"
WEBHOOK_TOKEN_ENV = "EVPACE_WEBHOOK_TOKEN"
DEFAULT_TIMEOUT = 10.0


class Channel(Protocol):
    """Where alerts go."""

    name: str

    def send(self, alert: Alert) -> None: ...

    def config(self) -> dict[str, Any]: ...


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def render_text(alert: Alert) -> str:
    """An alert as a few readable lines (stdout, e-mail body)."""
    lines = [f"[{alert.date or alert.at[:10]}] {alert.kind}: {alert.message}",
             f"  rule {alert.rule}: {alert.rule_text}  ·  alert {alert.id}  ·  noticed {alert.at[:19]}Z"]
    lines += [f"  source: {u}" for u in alert.sources[:10]]
    if len(alert.sources) > 10:
        lines.append(f"  … and {len(alert.sources) - 10} more sources")
    return "\n".join(lines)


def render_json(alert: Alert) -> str:
    return json.dumps(alert.to_dict(), ensure_ascii=False, sort_keys=False, default=str)


@dataclass
class StdoutChannel:
    """Print each alert: readable text (default) or one JSON object a line (``jsonl``)."""

    fmt: str = TEXT
    name: str = "stdout"

    def __post_init__(self) -> None:
        if self.fmt not in (TEXT, JSONL):
            raise ChannelError(channel=self.name, reason=f"format {self.fmt!r} is not text or jsonl")

    def send(self, alert: Alert) -> None:
        try:
            sys.stdout.write((render_json(alert) if self.fmt == JSONL else render_text(alert) + "\n") + "\n")
            sys.stdout.flush()
        except (OSError, ValueError) as exc:  # a closed pipe or stream
            raise DeliveryError(channel=self.name, reason=str(exc)) from exc

    def config(self) -> dict[str, Any]:
        return {"fmt": self.fmt}


@dataclass
class LogChannel:
    """Append each alert as one JSON line to a file (opened in append mode, flushed and fsynced)."""

    path: str
    name: str = ""

    def __post_init__(self) -> None:
        self.path = str(Path(self.path).expanduser().resolve())
        if not Path(self.path).parent.is_dir():
            raise ChannelError(channel=f"log:{self.path}", reason="its folder does not exist")
        self.name = self.name or f"log:{self.path}"

    def send(self, alert: Alert) -> None:
        try:
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(render_json(alert) + "\n")
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise DeliveryError(channel=self.name, reason=str(exc)) from exc

    def config(self) -> dict[str, Any]:
        return {"path": self.path}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: following it would turn the POST into a GET and lose the alert."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class WebhookChannel:
    """HTTP POST of the alert as JSON; any 2xx answer is success. Headers ``Idempotency-Key`` and
    ``X-Evpace-Alert`` carry the alert id (the same on every retry, so a receiver can drop repeats). With
    ``$EVPACE_WEBHOOK_TOKEN`` (or ``token_env``) set, ``Authorization: Bearer`` is added."""

    url: str
    timeout: float = DEFAULT_TIMEOUT
    token_env: str = WEBHOOK_TOKEN_ENV
    name: str = ""

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ChannelError(channel="webhook", reason=f"{self.url!r} is not an http(s) URL")
        # the URL may carry a secret (many webhooks do): the channel's name shows its host and a hash only
        self.name = self.name or f"webhook:{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}#{_short_hash(self.url)}"

    def send(self, alert: Alert) -> None:
        headers = {"Content-Type": "application/json", "User-Agent": f"evpace/{__version__}",
                   "Idempotency-Key": alert.id, "X-Evpace-Alert": alert.id}
        token = os.environ.get(self.token_env)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.url, data=render_json(alert).encode("utf-8"), headers=headers,
                                     method="POST")
        try:
            with _OPENER.open(req, timeout=self.timeout) as resp:
                resp.read(65536)
        except urllib.error.HTTPError as exc:
            raise DeliveryError(channel=self.name, reason=f"HTTP {exc.code} {exc.reason}") from None
        except (OSError, ValueError) as exc:  # refused, timed out, DNS, TLS
            raise DeliveryError(channel=self.name, reason=f"{type(exc).__name__}: {exc}") from None

    def config(self) -> dict[str, Any]:
        return {"url": self.url, "timeout": self.timeout, "token_env": self.token_env}


@dataclass
class SmtpChannel:
    """One e-mail per alert. ``security``: ``none``, ``starttls`` or ``ssl`` (SMTPS); with ``user``, log in
    with the password in ``$EVPACE_SMTP_PASSWORD`` (or ``password_env``); it is never stored. The
    Message-ID is derived from the alert and the channel, the same on every retry."""

    host: str
    port: int
    mail_to: list[str]
    mail_from: str
    security: str = "none"
    user: str | None = None
    password_env: str = SMTP_PASSWORD_ENV
    timeout: float = DEFAULT_TIMEOUT
    name: str = ""

    def __post_init__(self) -> None:
        label = f"smtp:{self.host}:{self.port}"
        if not self.host or not 0 < int(self.port) < 65536:
            raise ChannelError(channel=label, reason="needs --smtp HOST:PORT")
        if not self.mail_to or not all("@" in a for a in self.mail_to) or "@" not in (self.mail_from or ""):
            raise ChannelError(channel=label, reason="needs --mail-to ADDRESS (repeatable) and --mail-from ADDRESS")
        if self.security not in ("none", "starttls", "ssl"):
            raise ChannelError(channel=label, reason=f"security {self.security!r} is not none, starttls or ssl")
        self.port = int(self.port)
        self.name = self.name or f"{label}>{','.join(sorted(self.mail_to))}"

    def message(self, alert: Alert) -> EmailMessage:
        msg = EmailMessage()
        subject = f"[evpace] {alert.message}"
        msg["Subject"] = subject if len(subject) <= 150 else subject[:149] + "…"
        msg["From"] = self.mail_from
        msg["To"] = ", ".join(self.mail_to)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = f"<{alert.id}.{_short_hash(self.name)}@evpace.invalid>"
        msg["X-Evpace-Alert"] = alert.id
        msg.set_content(render_text(alert) + "\n\n" + json.dumps(alert.to_dict(), indent=2, ensure_ascii=False,
                                                                   default=str) + "\n")
        return msg

    def send(self, alert: Alert) -> None:
        msg = self.message(alert)
        try:
            ctx = ssl.create_default_context()
            cls = smtplib.SMTP_SSL if self.security == "ssl" else smtplib.SMTP
            kw: dict[str, Any] = {"context": ctx} if self.security == "ssl" else {}
            with cls(self.host, self.port, timeout=self.timeout, **kw) as smtp:
                if self.security == "starttls":
                    smtp.starttls(context=ctx)
                if self.user:
                    password = os.environ.get(self.password_env)
                    if password is None:
                        raise DeliveryError(channel=self.name, reason=f"${self.password_env} is not set")
                    smtp.login(self.user, password)
                smtp.send_message(msg)
        except DeliveryError:
            raise
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(channel=self.name, reason=f"{type(exc).__name__}: {exc}") from None

    def config(self) -> dict[str, Any]:
        return {"host": self.host, "port": self.port, "mail_to": list(self.mail_to), "mail_from": self.mail_from,
                "security": self.security, "user": self.user, "password_env": self.password_env,
                "timeout": self.timeout}


CHANNEL_KINDS: dict[str, Callable[..., Channel]] = {"stdout": StdoutChannel, "log": LogChannel,
                                                     "webhook": WebhookChannel, "smtp": SmtpChannel}


def kind_of(channel: Channel) -> str:
    return next(k for k, cls in CHANNEL_KINDS.items() if isinstance(channel, cls))  # type: ignore[arg-type]


def channel_from_config(kind: str, config: dict[str, Any], name: str = "") -> Channel:
    """A channel rebuilt from its stored configuration (``watch_channels``)."""
    if kind not in CHANNEL_KINDS:
        raise ChannelError(channel=name or kind, reason=f"unknown kind; one of {', '.join(CHANNEL_KINDS)}")
    try:
        return CHANNEL_KINDS[kind](**config, name=name)
    except TypeError as exc:
        raise ChannelError(channel=name or kind, reason=f"bad stored configuration: {exc}") from None


def parse_hostport(value: str, default_port: int = 25) -> tuple[str, int]:
    """``host:port`` (or ``host``, or ``[v6]:port``) → (host, port)."""
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.lstrip(":")
    else:
        host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    try:
        return host, int(port) if port else default_port
    except ValueError:
        raise ChannelError(channel=f"smtp:{value}", reason="port is not a number") from None


@dataclass
class DeliveryReport:
    """What :func:`deliver` did, per channel."""

    sent: dict[str, int] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    pending: int = 0  # still owed on these channels after the run

    @property
    def ok(self) -> bool:
        return not self.errors


def send_with_retries(channel: Channel, alert: Alert, retries: int, backoff: float,
                      sleep: Callable[[float], None] = time.sleep) -> str | None:
    """Send, trying ``1 + retries`` times with a doubling pause; the last error, or None when sent."""
    error = None
    for attempt in range(max(retries, 0) + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        try:
            channel.send(alert)
            return None
        except DeliveryError as exc:
            error = str(exc.fields.get("reason") or exc)
    return error


def deliver(store: Store, channels: Sequence[Channel], *, retries: int = 2, backoff: float = 0.5,
            lease: float = state.DEFAULT_LEASE, sleep: Callable[[float], None] = time.sleep) -> DeliveryReport:
    """Send every alert each channel owes (see the module docstring)."""
    report = DeliveryReport()
    for ch in channels:
        report.sent.setdefault(ch.name, 0)
        for alert in state.due(store, ch.name):
            if not state.claim(store, alert.id, ch.name, lease):
                continue  # another run holds it, or sent it meanwhile
            error = send_with_retries(ch, alert, retries, backoff, sleep)
            if error is None:
                state.mark_sent(store, alert.id, ch.name)
                report.sent[ch.name] += 1
                continue
            state.mark_failed(store, alert.id, ch.name, error)
            report.errors.setdefault(ch.name, []).append(f"alert {alert.id}: {error}")
            break  # the channel is down: leave its other alerts for the next run
    report.pending = state.pending_count(store, [c.name for c in channels])
    return report
