"""The ``evpace watch`` commands. ``register(app)`` adds them to the Typer app of :mod:`evpace.cli`.

``evpace watch --once`` (one pass, for cron) or ``--every 1h`` (a loop) evaluates the rules and delivers the
alerts; ``watch add | list | remove | alerts`` manage rules and show the history; ``watch channel add | list |
remove`` keep channels in the database. Exit codes: 0 all went through; 1 a rule failed or a delivery is still
owed (it is retried on the next run); 2 bad options or no database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .deliver import JSONL, TEXT, Channel, LogChannel, SmtpChannel, StdoutChannel, WebhookChannel, parse_hostport
from .rules import KINDS

err = Console(stderr=True, soft_wrap=True, highlight=False)

# -- channel options, shared by `watch` and `watch channel add` ---------------------------------------
LogOpt = Annotated[list[Path] | None, typer.Option("--log", help="Append each alert as a JSON line to FILE.",
                                                   metavar="FILE")]
WebhookOpt = Annotated[list[str] | None, typer.Option(
    "--webhook", help="POST each alert as JSON to URL ($EVPACE_WEBHOOK_TOKEN: Authorization: Bearer).",
    metavar="URL")]
SmtpOpt = Annotated[str | None, typer.Option("--smtp", envvar="EVPACE_SMTP", metavar="HOST:PORT",
                                             help="E-mail each alert through this SMTP server.")]
MailToOpt = Annotated[list[str] | None, typer.Option("--mail-to", envvar="EVPACE_MAIL_TO", metavar="ADDRESS",
                                                     help="Recipient (repeat for more).")]
MailFromOpt = Annotated[str | None, typer.Option("--mail-from", envvar="EVPACE_MAIL_FROM", metavar="ADDRESS",
                                                 help="Sender address.")]
StartTlsOpt = Annotated[bool, typer.Option("--starttls", envvar="EVPACE_SMTP_STARTTLS",
                                           help="Upgrade the SMTP connection with STARTTLS.")]
SslOpt = Annotated[bool, typer.Option("--ssl", envvar="EVPACE_SMTP_SSL", help="SMTP over TLS (SMTPS, port 465).")]
SmtpUserOpt = Annotated[str | None, typer.Option("--smtp-user", envvar="EVPACE_SMTP_USER",
                                                 help="Log in as this user; the password is read from "
                                                      "$EVPACE_SMTP_PASSWORD.")]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1,
                                           help="Seconds to wait for a mail server or webhook.")]
Fmt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]


def build_channels(log: list[Path] | None, webhook: list[str] | None, smtp: str | None, mail_to: list[str] | None,
                   mail_from: str | None, starttls: bool, ssl: bool, smtp_user: str | None,
                   timeout: float) -> list[Channel]:
    """Channels from the command line's options (raises ChannelError on a bad one)."""
    from ..errors import ChannelError

    out: list[Channel] = [LogChannel(str(p)) for p in log or []]
    out += [WebhookChannel(u, timeout=timeout) for u in webhook or []]
    if smtp:
        host, port = parse_hostport(smtp, 465 if ssl else 25)
        security = "ssl" if ssl else "starttls" if starttls else "none"
        out.append(SmtpChannel(host, port, list(mail_to or []), mail_from or "", security, smtp_user,
                               timeout=timeout))
    elif mail_to or mail_from or smtp_user:
        raise ChannelError(channel="smtp", reason="--mail-to/--mail-from/--smtp-user need --smtp HOST:PORT")
    return out


def _report(result, verbose: bool) -> None:
    """Rule and delivery errors (and, with --verbose, a summary) on stderr; stdout carries alerts only."""
    from ..errors import EvpaceError

    if isinstance(result, EvpaceError):
        err.print(f"[bold red]error[/]: {result}")
        return
    for e in result.rule_errors:
        err.print(f"[red]rule failed[/]: {e}")
    for ch, errors in result.delivery.errors.items():
        for e in errors:
            err.print(f"[yellow]not delivered[/] ({ch}, will retry): {e}")
    if verbose or not result.ok:
        sent = ", ".join(f"{k} {v}" for k, v in result.delivery.sent.items()) or "no channel"
        err.print(f"watch: {result.rules} rules, {len(result.new_alerts)} new alerts; sent: {sent}; "
                  f"still owed: {result.delivery.pending}")


def register(app: typer.Typer) -> None:
    """Add ``watch`` (with ``add``, ``list``, ``remove``, ``alerts`` and ``channel``) to ``app``."""
    from ..cli import _db, _emit, _errors

    watch_app = typer.Typer(help="Watch rules and alerts: threshold crossings, target odds, conflicts, "
                                 "inconsistent claims, new members of a club.", add_completion=False)
    channel_app = typer.Typer(help="Channels kept in the database (every run delivers to them too).",
                              no_args_is_help=True, add_completion=False)
    watch_app.add_typer(channel_app, name="channel")
    app.add_typer(watch_app, name="watch")

    @watch_app.callback(invoke_without_command=True)
    @_errors
    def watch(ctx: typer.Context,
              once: Annotated[bool, typer.Option("--once", help="Evaluate the rules and deliver once, then exit.")]
              = False,
              every: Annotated[str | None, typer.Option("--every", metavar="DURATION",
                                                        help="Run again every 30s, 5m, 1h, 1d... until stopped.")]
              = None,
              runs: Annotated[int | None, typer.Option("--runs", min=1, help="With --every: stop after N runs.")]
              = None,
              fmt: Annotated[str, typer.Option("--format", "-f", help="Alerts on stdout: text or jsonl.")] = TEXT,
              quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no alerts on stdout.")] = False,
              log: LogOpt = None, webhook: WebhookOpt = None, smtp: SmtpOpt = None, mail_to: MailToOpt = None,
              mail_from: MailFromOpt = None, starttls: StartTlsOpt = False, ssl: SslOpt = False,
              smtp_user: SmtpUserOpt = None, timeout: TimeoutOpt = 10.0,
              retries: Annotated[int, typer.Option("--retries", min=0, help="Further tries of a failed send in a "
                                                                               "run.")] = 2,
              verbose: Annotated[bool, typer.Option("--verbose", "-v", help="A summary line on stderr.")] = False,
              ) -> None:
        """Evaluate the watch rules and deliver new alerts: `evpace watch --once` (cron) or `--every 1h`."""
        from . import parse_every, run_every, run_once

        if ctx.invoked_subcommand is not None:
            return
        if once == bool(every):
            raise typer.BadParameter("give --once (one pass) or --every DURATION (a loop)", param_hint="--once")
        if fmt not in (TEXT, JSONL):
            raise typer.BadParameter(f"{fmt!r} is not text or jsonl", param_hint="--format")
        chans = ([] if quiet else [StdoutChannel(fmt)]) + build_channels(
            log, webhook, smtp, mail_to, mail_from, starttls, ssl, smtp_user, timeout)
        if once:
            result = run_once(_db(ctx), chans, retries=retries)
            _report(result, verbose)
            raise typer.Exit(0 if result.ok else 1)
        period = parse_every(str(every))
        try:
            failed = run_every(_db(ctx), period, chans, runs=runs, retries=retries,
                               on_run=lambda r: _report(r, verbose))
        except KeyboardInterrupt:
            raise typer.Exit(0) from None
        raise typer.Exit(1 if failed else 0)

    @watch_app.command("add")
    @_errors
    def add(ctx: typer.Context,
            kind: Annotated[str, typer.Argument(help=f"Rule kind: {', '.join(KINDS)}.")],
            entity: Annotated[str | None, typer.Option("--entity", "-e", help="Entity id, name or alias.")] = None,
            threshold: Annotated[float | None, typer.Option("--threshold", "-n", help="Units, e.g. 1000000.")]
            = None,
            metric: Annotated[str | None, typer.Option("--metric", "-m", help="deliveries, production or sales.")]
            = None,
            year: Annotated[int | None, typer.Option(help="Target year (target-pace).")] = None,
            below: Annotated[float | None, typer.Option(help="Alert when P(target met) is below this (0-1).")]
            = None,
            tag: Annotated[str | None, typer.Option(help="Leaderboard of entities with this tag, e.g. upstart.")]
            = None,
            model: Annotated[str | None, typer.Option(help="Forecast model (target-pace) [default: ensemble].")]
            = None,
            paths: Annotated[int | None, typer.Option(help="Simulated paths (target-pace) [default: 2000].")]
            = None,
            backfill: Annotated[bool, typer.Option(help="Also report what already holds now.")] = False) -> None:
        """Add a rule, e.g. `watch add threshold --entity xiaomi --threshold 1000000 --metric deliveries`."""
        from . import add_rule

        params = {"threshold": threshold, "metric": metric, "year": year, "below": below, "tag": tag,
                  "model": model, "paths": paths}
        added = add_rule(_db(ctx), kind, entity, backfill=backfill, **params)
        print(f"added rule {added.rule.id}: {added.rule.describe()}")
        if added.baseline:
            err.print(f"already true now, so not reported (add with --backfill to report): "
                      f"{len(added.baseline)}")
            for a in added.baseline[:10]:
                err.print(f"  {a.message}")

    @watch_app.command("list")
    @_errors
    def list_cmd(ctx: typer.Context,
                 all_: Annotated[bool, typer.Option("--all", help="Include removed rules.")] = False,
                 fmt: Fmt = "table") -> None:
        """List the watch rules."""
        from . import list_rules

        rows = [{"id": r.id, "kind": r.kind, "entity_id": r.entity_id, "rule": r.describe(), "params": r.params,
                 "created_at": r.created_at[:19], "removed_at": (r.removed_at or "")[:19] or None}
                for r in list_rules(_db(ctx), all_)]
        _emit(rows, fmt, ["id", "kind", "rule", "created_at"] + (["removed_at"] if all_ else []))

    @watch_app.command("remove")
    @_errors
    def remove(ctx: typer.Context, rule_id: Annotated[int, typer.Argument(metavar="ID", help="Rule id.")]) -> None:
        """Remove a rule (its past alerts stay in the history)."""
        from . import remove_rule

        remove_rule(_db(ctx), rule_id)
        print(f"removed rule {rule_id}")

    @watch_app.command("alerts")
    @_errors
    def history(ctx: typer.Context, limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
                fmt: Fmt = "table") -> None:
        """Alerts sent so far, newest first, with their delivery status per channel."""
        from . import alerts

        rows = alerts(_db(ctx), limit)
        for r in rows:
            r["delivery"] = [f"{d['channel']}: {d['status']}" for d in r["deliveries"]]
        _emit(rows, fmt, ["at", "rule", "kind", "entity_id", "message", "delivery"])

    @channel_app.command("add")
    @_errors
    def channel_add(ctx: typer.Context, name: Annotated[str, typer.Argument(help="A name for the channel.")],
                    log: LogOpt = None, webhook: WebhookOpt = None, smtp: SmtpOpt = None,
                    mail_to: MailToOpt = None, mail_from: MailFromOpt = None, starttls: StartTlsOpt = False,
                    ssl: SslOpt = False, smtp_user: SmtpUserOpt = None, timeout: TimeoutOpt = 10.0) -> None:
        """Keep one channel (--log, --webhook or --smtp with --mail-to/--mail-from) in the database."""
        from . import add_channel

        chans = build_channels(log, webhook, smtp, mail_to, mail_from, starttls, ssl, smtp_user, timeout)
        if len(chans) != 1:
            raise typer.BadParameter("give exactly one of --log, --webhook, --smtp", param_hint="NAME")
        add_channel(_db(ctx), name, chans[0])
        print(f"added channel {name}")

    @channel_app.command("list")
    @_errors
    def channel_list(ctx: typer.Context, fmt: Fmt = "table") -> None:
        """List the stored channels (no secrets are stored)."""
        from . import channels
        from .deliver import kind_of

        _emit([{"name": c.name, "kind": kind_of(c), "config": c.config()} for c in channels(_db(ctx))], fmt)

    @channel_app.command("remove")
    @_errors
    def channel_remove(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Channel name.")]) -> None:
        """Remove a stored channel."""
        from . import remove_channel

        remove_channel(_db(ctx), name)
        print(f"removed channel {name}")
