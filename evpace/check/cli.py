"""The ``evpace check`` command. ``register(app)`` adds it to the Typer app of :mod:`evpace.cli`."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

FORMATS = ("table", "json", "html")


def register(app: typer.Typer) -> None:
    """Add ``check ARTICLE... [--as-of DATE] [--now] [--published DATE] [--format table|json|html]``."""

    @app.command("check")
    def check(ctx: typer.Context,
              articles: Annotated[list[str], typer.Argument(help="Article files, folders, globs, or - for stdin.")],
              as_of: Annotated[str | None, typer.Option(
                  "--as-of", help="Check with the data published by this date (YYYY-MM-DD) [default: the "
                                  "article's date, else the latest date it mentions].")] = None,
              now: Annotated[bool, typer.Option(
                  "--now", help="Also judge every claim with all data available today.")] = False,
              published: Annotated[str | None, typer.Option(
                  help="Publication date for articles that carry none.")] = None,
              fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or html.")] = "table") -> None:
        """Check an article: every numeric claim judged against the data, arithmetic shown."""
        from ..errors import EvpaceError
        from ..present import render
        from . import check_paths, render_html, render_table_rows, verdict_dict

        err = Console(stderr=True, soft_wrap=True)
        if fmt not in FORMATS:
            raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
        db = (ctx.find_root().obj or {}).get("db")
        try:
            results = check_paths(articles, db, as_of=as_of, now=now, published=published)
        except EvpaceError as exc:
            err.print(f"[bold red]error[/]: {exc}", markup=True, highlight=False)
            raise typer.Exit(2) from None
        failed = 0
        objects, fragments = [], []
        for r in results:
            if r.error is not None:
                failed += 1
                err.print(f"[red]skipped[/]: {r.error}", highlight=False)
                continue
            doc, verdicts = r.document, r.verdicts
            name = doc.name or doc.path
            if fmt == "json":
                objects += [verdict_dict(v, name, doc.url) for v in verdicts]
            elif fmt == "html":
                fragments.append(f'<section class="evpace-check-doc">\n<h2>{_esc(doc.title or name)}</h2>\n'
                                 f"{render_html(verdicts)}\n</section>")
            else:
                rows = render_table_rows(verdicts)
                cols = list(rows[0]) if rows else ["verdict"]
                when = f"as of {verdicts[0].as_of} ({verdicts[0].as_of_basis})" if verdicts else "no claims"
                counts = ", ".join(f"{sum(v.verdict == k for v in verdicts)} {k}"
                                   for k in ("consistent", "inconsistent", "unverifiable"))
                Console(width=max(160, Console().width)).print(
                    render(rows, "table", cols, f"{name}: {when}; {counts}"), end="", soft_wrap=True, markup=False,
                    highlight=False)
        if fmt == "json":
            sys.stdout.write(json.dumps(objects, indent=2, ensure_ascii=False) + "\n")
        elif fmt == "html":
            sys.stdout.write("\n".join(fragments) + "\n")
        if failed:
            raise typer.Exit(1)


def _esc(s: str) -> str:
    from html import escape

    return escape(s)
