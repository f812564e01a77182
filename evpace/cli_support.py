"""What every command module shares: the stderr console, the database option of the root command and
the error handler that turns a typed :class:`~evpace.errors.EvpaceError` into one red line and exit code 2.

Feature packages (check, forecast, fetch, watch) register their commands on :data:`evpace.cli.app` and
import these instead of repeating them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console

from .errors import EvpaceError

err = Console(stderr=True, soft_wrap=True)


def handle_errors(fn: Callable[..., None]) -> Callable[..., None]:
    """Decorator for a command: a typed evpace error is printed as ``error: message`` and exits with 2."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except EvpaceError as exc:
            err.print(f"[bold red]error[/]: {exc}", markup=True, highlight=False)
            raise typer.Exit(2) from None
    return wrapper


def db_of(ctx: typer.Context) -> str | None:
    """The ``--db`` given to the root command (or ``EVPACE_DB``), for a sub-command."""
    return (ctx.find_root().obj or {}).get("db")
