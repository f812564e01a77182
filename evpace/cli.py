"""The ``evpace`` command line: each command parses its options and calls one API function."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from . import api, present
from .cli_support import db_of as _db
from .cli_support import err
from .cli_support import handle_errors as _errors
from .errors import EvpaceError

app = typer.Typer(help="evpace: EV makers' milestones, pace and targets, every figure with its source.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

# -- option groups, defined once -------------------------------------------------------------------
Format = Annotated[str, typer.Option("--format", "-f", help="Output: table, json or csv.")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Use only facts published by this date (YYYY-MM-DD).")]
Metric = Annotated[str | None, typer.Option("--metric", "-m",
                                            help="deliveries, sales, production or orders.")]
EntityArg = Annotated[str, typer.Argument(help="Entity id, name or alias (e.g. xiaomi, 'Li Auto', HIMA).")]


@app.callback()
def _main(ctx: typer.Context,
          db: Annotated[str | None, typer.Option("--db", envvar="EVPACE_DB",
                                                 help="SQLite file or postgresql:// URL [default: evpace.db].")]
          = None) -> None:
    ctx.obj = {"db": db}


def _emit(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None, title: str | None = None) -> None:
    if fmt not in present.FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(present.FORMATS)}", param_hint="--format")
    if fmt == "table":
        Console(width=max(160, Console().width)).print(
            present.render(rows, fmt, columns, title), end="", soft_wrap=True, markup=False, highlight=False)
    else:
        sys.stdout.write(present.render(rows, fmt, columns) + ("\n" if fmt == "json" else ""))


def _summary(s: api.InitSummary, what: str) -> None:
    err.print(f"{what} {s.url} (schema v{s.schema_version}): {s.facts_new} new facts, "
              f"{s.facts_existing} already stored; {s.events_new} new events; {s.entities_changed} entities "
              f"added or changed. Totals: " + ", ".join(f"{k} {v}" for k, v in s.counts.items()), highlight=False)
    for e in s.errors:
        err.print(f"[red]refused[/]: {e}", highlight=False)
    if s.errors:
        err.print(f"{len(s.errors)} row(s) refused; the valid rows were stored.", highlight=False)
        raise typer.Exit(1)


@app.command()
@_errors
def init(ctx: typer.Context,
         data: Annotated[Path | None, typer.Option(help="Folder with entities/facts/events CSVs "
                                                        "[default: the shipped dataset].")] = None) -> None:
    """Create or upgrade the database and load the shipped dataset (idempotent)."""
    _summary(api.init(_db(ctx), data), "initialised")


@app.command()
@_errors
def load(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="CSV with the columns of facts.csv.")]) -> None:
    """Add facts from a CSV file; bad rows are reported by line and field, good rows are stored."""
    _summary(api.load(path, _db(ctx)), "loaded into")


@app.command()
@_errors
def extract(paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.")],
            published: Annotated[str | None, typer.Option(help="Publication date for documents without one.")]
            = None,
            fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or table.")] = "jsonl") -> None:
    """Extract figures from articles (no database): one JSON object per figure."""
    import json

    if fmt not in ("jsonl", "table"):
        raise typer.BadParameter(f"{fmt!r} is not jsonl or table", param_hint="--format")
    rows, errors = [], 0
    for doc, records in api.extract_documents(paths, published):
        if isinstance(doc, EvpaceError):
            errors += 1
            err.print(f"[red]skipped[/]: {doc}", highlight=False)
            continue
        for r in records:
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
            else:
                rows.append(r)
    if fmt == "table":
        _emit(rows, "table", ["doc", "entity_id", "metric", "scope", "period", "value", "unit", "bound", "kind",
                              "change", "text"])
    if errors:
        raise typer.Exit(1)


@app.command()
@_errors
def ingest(ctx: typer.Context,
           paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.")],
           published: Annotated[str | None, typer.Option(help="Publication date for documents without one.")]
           = None,
           workers: Annotated[int | None, typer.Option(help="Extraction processes [default: cores].")] = None,
           engine: Annotated[str, typer.Option(help="local (a process pool) or dask (a Dask cluster).")] = "local",
           scheduler: Annotated[str | None, typer.Option(
               help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --engine dask; without it, a local "
                    "cluster of --workers processes).")] = None,
           partition_size: Annotated[int | None, typer.Option(
               min=1, help="Documents per batch (local) or per Dask task (JSON Lines lines, or files).")] = None,
           ) -> None:
    """Store articles and the facts read from them (idempotent; each document whole or not at all)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    if scheduler and engine != "dask":
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    with Progress(TextColumn("ingest"), BarColumn(), TextColumn("{task.completed} documents"),
                  TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("ingest", total=None)
        s = api.ingest(paths, _db(ctx), published, workers, progress=lambda n: bar.update(task, completed=n),
                       engine=engine, scheduler=scheduler, partition_size=partition_size)
    err.print(f"documents {s.documents}: {s.new_documents} new, {s.duplicates} already stored, "
              f"{len(s.errors)} errors; facts {s.new_facts} new; claims {s.claims}; "
              f"conflicts with stored facts {s.conflict_count}", highlight=False)
    for e in s.errors:
        err.print(f"[red]skipped[/]: {e}", highlight=False)
    for c in s.conflicts:
        err.print(f"[yellow]conflict[/]: {c.message}", highlight=False)
    if s.errors:
        raise typer.Exit(1)


@app.command()
@_errors
def entities(ctx: typer.Context, fmt: Format = "table") -> None:
    """List groups, brands and models with their aliases."""
    _emit([present.entity_row(e) for e in api.entities(_db(ctx))], fmt,
          ["id", "name", "kind", "parent", "aliases", "rollup"])


@app.command()
@_errors
def facts(ctx: typer.Context,
          entity: Annotated[str | None, typer.Option("--entity", "-e", help="Entity id, name or alias.")] = None,
          metric: Metric = None,
          scope: Annotated[str | None, typer.Option(help="month, quarter, year, ytd or cumulative.")] = None,
          kind: Annotated[str | None, typer.Option(help="actual, target or expected.")] = None,
          since: Annotated[str | None, typer.Option(help="Periods ending on or after (YYYY-MM-DD).")] = None,
          until: Annotated[str | None, typer.Option(help="Periods ending on or before (YYYY-MM-DD).")] = None,
          children: Annotated[bool, typer.Option(help="Include the entity's brands and models.")] = False,
          as_of: AsOf = None, fmt: Format = "table") -> None:
    """Stored facts, filtered, each with its source."""
    rows = api.facts(_db(ctx), entity, metric, scope, kind, as_of, since, until, children)
    _emit([present.fact_row(f) for f in rows], fmt,
          ["entity_id", "metric", "scope", "period", "value", "bound", "kind", "flags", "published", "source"])


@app.command()
@_errors
def conflicts(ctx: typer.Context,
              entity: Annotated[str | None, typer.Option("--entity", "-e", help="Only this entity.")] = None,
              as_of: AsOf = None, fmt: Format = "table") -> None:
    """Every disagreement between sources, or between reported totals and monthly sums."""
    rows = [present.conflict_row(c) for c in api.conflicts(_db(ctx), entity, as_of)]
    _emit(rows, fmt, ["kind", "entity_id", "period", "message", "sources"])


@app.command()
@_errors
def milestones(ctx: typer.Context,
               threshold: Annotated[float, typer.Option("--threshold", "-n", help="Units, e.g. 1000000.")],
               metric: Metric = None,
               entity: Annotated[list[str] | None, typer.Option("--entity", "-e", help="Only these (repeat).")]
               = None,
               sort: Annotated[str, typer.Option(help="date (order of crossing) or speed (months).")] = "date",
               tag: Annotated[str | None, typer.Option(help="Only entities with this tag, e.g. upstart.")] = None,
               as_of: AsOf = None, fmt: Format = "table") -> None:
    """Who crossed N units, when, and how many months after first delivery (the million club)."""
    rows = api.milestones(threshold, _db(ctx), metric, as_of, entity, sort, tag)
    _emit([present.milestone_row(m) for m in rows], fmt,
          ["order", "entity", "status", "date", "metric", "date_basis", "place", "first_delivery",
           "months_from_first_delivery", "days_from_first_delivery", "latest_cumulative",
           "latest_cumulative_period", "sources"], title=f"Milestone: {threshold:,.0f} units")


@app.command()
@_errors
def pace(ctx: typer.Context, entity: EntityArg,
         from_n: Annotated[float, typer.Option("--from", help="Start threshold (0 = first delivery).")] = 0,
         to_n: Annotated[float, typer.Option("--to", help="End threshold.")] = 1_000_000,
         metric: Metric = None, as_of: AsOf = None, fmt: Format = "table") -> None:
    """Time from one threshold (or first delivery) to another."""
    p = api.pace(entity, from_n, to_n, _db(ctx), metric, as_of)
    _emit([present.pace_row(p)], fmt)


@app.command()
@_errors
def series(ctx: typer.Context, entity: EntityArg, metric: Annotated[str, typer.Option("--metric", "-m")]
           = "deliveries",
           cumulative: Annotated[bool, typer.Option(help="Cumulative since first delivery.")] = False,
           as_of: AsOf = None, fmt: Format = "table") -> None:
    """An entity's monthly (or cumulative) series; gaps are shown as gaps."""
    pts = api.series(entity, _db(ctx), metric, cumulative, as_of)
    eid = api.resolve(entity, _db(ctx)).id
    cols = ["period", "value", "bound", "how"] + (["reported"] if cumulative else ["metric_used"]) + ["sources"]
    _emit([present.series_row(eid, metric, p) for p in pts], fmt, cols)


@app.command()
@_errors
def targets(ctx: typer.Context, entity: EntityArg,
            year: Annotated[int | None, typer.Option(help="Target year [default: this year].")] = None,
            metric: Annotated[str, typer.Option("--metric", "-m")] = "deliveries",
            as_of: AsOf = None, fmt: Format = "table") -> None:
    """Year-to-date volume against each announced target and revision, and the pace still needed."""
    rows = api.targets(entity, _db(ctx), year, metric, as_of)
    _emit([present.target_row(t) for t in rows], fmt,
          ["year", "actual", "actual_through", "actual_how", "target", "target_announced", "target_note",
           "progress", "monthly_pace_needed", "projected"], title=f"{rows[0].entity} targets" if rows else None)


@app.command()
@_errors
def stats(ctx: typer.Context, entity: EntityArg, metric: Annotated[str, typer.Option("--metric", "-m")]
          = "deliveries", as_of: AsOf = None, fmt: Format = "table") -> None:
    """Year totals with year-on-year growth, and the latest run-rates."""
    years, rr = api.stats(entity, _db(ctx), metric, as_of)
    eid = api.resolve(entity, _db(ctx)).id
    if fmt == "json":
        import json

        print(json.dumps({"years": [present.year_row(eid, y) for y in years],
                          "run_rate": present.runrate_row(eid, rr)}, indent=2, default=str))
        return
    _emit([present.year_row(eid, y) for y in years], fmt,
          ["year", "total", "months", "complete", "bound", "growth", "growth_basis", "reported"])
    if fmt == "table":
        _emit([present.runrate_row(eid, rr)], fmt)


@app.command()
@_errors
def chart(ctx: typer.Context,
          kind: Annotated[str, typer.Argument(help="race, monthly, target, fan or timeline.")],
          entity: Annotated[list[str] | None, typer.Argument(help="Entities (default: the upstarts).")] = None,
          out: Annotated[Path, typer.Option("-o", "--out", help="FILE.png, .svg, .html or .json.")] = Path("chart.png"),
          year: Annotated[int | None, typer.Option(help="Year (target and fan charts).")] = None,
          threshold: Annotated[float | None, typer.Option(help="Threshold (fan and timeline charts).")] = None,
          as_of: AsOf = None) -> None:
    """Draw a chart (Vega-Lite) to PNG, SVG, HTML or JSON, without a browser."""
    from . import charts

    kw = {k: v for k, v in (("year", year), ("threshold", threshold), ("as_of", as_of)) if v is not None}
    path = charts.chart(kind, entity or [], _db(ctx), out, **kw)
    err.print(f"wrote {path}", highlight=False)


@app.command()
@_errors
def report(ctx: typer.Context,
           out: Annotated[Path, typer.Option("-o", "--out", help="HTML file to write.")] = Path("report.html"),
           article: Annotated[list[str] | None, typer.Option("--article", "-a", help="Articles to check (repeat).")]
           = None,
           as_of: AsOf = None) -> None:
    """Write one self-contained, offline HTML report (tables, charts, sources, article checks)."""
    from .report import build_report

    path = build_report(_db(ctx), out, articles=article, as_of=as_of)
    err.print(f"wrote {path}", highlight=False)


@app.command()
@_errors
def serve(ctx: typer.Context,
          host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000,
          token: Annotated[str | None, typer.Option(envvar="EVPACE_TOKEN",
                                                    help="Token required for writes (ingest); none = read-only.")]
          = None) -> None:
    """Run the web dashboard and JSON API (reads open, writes need the token)."""
    from .web import serve as run

    run(_db(ctx) or "evpace.db", host=host, port=port, token=token)


def _register_extensions() -> None:
    """Commands that live with their feature: ``check`` (evpace.check) and ``forecast``/``backtest``
    (evpace.forecast), when present."""
    from .check.cli import register as register_check

    register_check(app)
    __import__("evpace.fetch.cli", fromlist=["register"]).register(app)  # feeds add|list|remove, fetch
    __import__("evpace.watch.cli", fromlist=["register"]).register(app)  # watch rules and alerts (evpace/watch)
    try:
        from .forecast.cli import register as register_forecast
    except ImportError:
        return
    register_forecast(app)


_register_extensions()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
