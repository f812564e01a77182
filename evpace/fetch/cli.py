"""``evpace feeds add|list|remove`` and ``evpace fetch``; ``register(app)`` adds them to :mod:`evpace.cli`."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Annotated

import typer
from rich.console import Console

from .http import FetchSettings

_D = FetchSettings()
err = Console(stderr=True, soft_wrap=True)
TABLE_COLUMNS = ["name", "url", "last_fetched_at", "last_status", "last_error", "items_seen"]


def _db(ctx: typer.Context) -> str | None:
    return (ctx.find_root().obj or {}).get("db")


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """An evpace error becomes one red line on stderr and exit status 2 (as in the other commands)."""
    from ..errors import EvpaceError

    try:
        yield
    except EvpaceError as exc:
        err.print(f"[bold red]error[/]: {exc}", markup=True, highlight=False)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add the ``feeds`` command group and the ``fetch`` command."""
    feeds_app = typer.Typer(help="The RSS/Atom feeds `evpace fetch` reads.", no_args_is_help=True)

    @feeds_app.command("add")
    def add(ctx: typer.Context, url: Annotated[str, typer.Argument(help="The feed's http(s) URL.")],
            name: Annotated[str | None, typer.Option(help="A short name [default: the URL's host].")] = None) -> None:
        """Add an RSS or Atom feed to fetch."""
        from . import add_feed

        with _reported():
            row = add_feed(url, name, _db(ctx))
        err.print(f"added feed {row['name']!r}: {row['url']}", highlight=False)

    @feeds_app.command("list")
    def list_(ctx: typer.Context,
              fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table") -> None:
        """The feeds, with last fetch time, status, error and how many items each has listed."""
        from ..present import FORMATS, render
        from . import list_feeds

        if fmt not in FORMATS:
            raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
        with _reported():
            rows = list_feeds(_db(ctx))
        if fmt == "table":
            Console(width=max(160, Console().width)).print(render(rows, fmt, TABLE_COLUMNS), end="", soft_wrap=True,
                                                           markup=False, highlight=False)
        else:
            sys.stdout.write(render(rows, fmt) + ("\n" if fmt == "json" else ""))

    @feeds_app.command("remove")
    def remove(ctx: typer.Context, feed: Annotated[str, typer.Argument(help="The feed's name or URL.")]) -> None:
        """Stop fetching a feed (the articles already stored stay)."""
        from . import remove_feed

        with _reported():
            row = remove_feed(feed, _db(ctx))
        err.print(f"removed feed {row['name']!r}: {row['url']}", highlight=False)

    app.add_typer(feeds_app, name="feeds")

    @app.command("fetch")
    def fetch_cmd(
        ctx: typer.Context,
        feed: Annotated[list[str] | None, typer.Option("--feed", help="Only this feed, by name or URL (repeat).")]
        = None,
        recheck: Annotated[bool, typer.Option(help="Request stored articles again (conditionally) for changes.")]
        = False,
        min_interval: Annotated[float, typer.Option(help="Seconds between two requests to one host.")]
        = _D.min_interval,
        connect_timeout: Annotated[float, typer.Option(help="Seconds to connect.")] = _D.connect_timeout,
        read_timeout: Annotated[float, typer.Option(help="Seconds to wait for each read.")] = _D.read_timeout,
        retries: Annotated[int, typer.Option(help="Retries on 5xx, 429 and network errors.")] = _D.retries,
        backoff: Annotated[float, typer.Option(help="Seconds before the first retry (doubles each time).")]
        = _D.backoff,
        max_bytes: Annotated[int, typer.Option(help="Largest feed or page accepted, in bytes.")] = _D.max_bytes,
        max_redirects: Annotated[int, typer.Option(help="Redirects followed per request.")] = _D.max_redirects,
        user_agent: Annotated[str, typer.Option(help="User-Agent header.")] = _D.user_agent,
    ) -> None:
        """Fetch every feed and the articles its items link; store them with their facts, like `ingest`."""
        from . import fetch

        with _reported():
            settings = FetchSettings(min_interval=min_interval, connect_timeout=connect_timeout,
                                     read_timeout=read_timeout, retries=retries, backoff=backoff,
                                     max_bytes=max_bytes, max_redirects=max_redirects, user_agent=user_agent)
            s = fetch(_db(ctx), feeds=feed, settings=settings, recheck=recheck, on_feed=_print_feed)
        i = s.ingest
        err.print(f"feeds {len(s.feeds)}: {s.count('ok')} ok, {s.count('not modified')} not modified, "
                  f"{s.count('partial')} partial, {s.count('error')} failed; {s.requests} requests; "
                  f"documents {i.documents}: {i.new_documents} new, {i.duplicates} already stored; "
                  f"facts {i.new_facts} new; claims {i.claims}; conflicts with stored facts {i.conflict_count}",
                  highlight=False)
        for c in i.conflicts:
            err.print(f"[yellow]conflict[/]: {c.message}", highlight=False)
        if s.errors:
            raise typer.Exit(1)


def _print_feed(rep) -> None:  # noqa: ANN001 - a FeedReport
    err.print(f"feed {rep.name}: {rep.status}; {rep.items} items ({rep.new_items} new), {rep.pages_fetched} pages "
              f"fetched, {rep.pages_not_modified} not modified, {rep.pages_known} already stored; "
              f"{rep.documents_new} new documents", highlight=False)
    for e in rep.errors:
        err.print(f"[red]failed[/]: {e}", highlight=False)
