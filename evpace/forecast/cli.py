"""``evpace forecast`` and ``evpace backtest``: :func:`register` adds them to the Typer app.

Rows are named here and rendered by :func:`evpace.present.render`; every number comes from
:mod:`evpace.forecast`.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from .. import present
from ..cli_support import err
from ..cli_support import handle_errors as _errors
from ..errors import InvalidArgumentError
from .backtest import BacktestResult
from .engine import Crossing, YearTotal
from .select import DEFAULT_MODEL, MODEL_NAMES


def _pct(p: float | None) -> str:
    return "—" if p is None else f"{p:.0%}"


def _span(pair: list | None, money: bool = False) -> str:
    if not pair:
        return "—"
    lo, hi = pair
    f = (lambda x: "—" if x is None else f"{x:,.0f}") if money else (lambda x: x or "beyond horizon")
    return f"{f(lo)} .. {f(hi)}"


def crossing_row(c: Crossing) -> dict[str, Any]:
    """Stable JSON fields of a crossing forecast."""
    return {"entity_id": c.entity_id, "entity": c.entity, "metric": c.metric, "threshold": c.threshold,
            "as_of": c.as_of, "status": c.status, "crossed_date": c.crossed_date, "crossed_basis": c.crossed_basis,
            "latest_cumulative": c.latest_cumulative, "latest_period": c.latest_period, "last_month": c.last_month,
            "median": c.median, "median_months": c.median_months,
            **{f"interval_{lv}": c.intervals.get(lv) for lv in ("50", "80", "95")},
            "p_by": c.p_by, "p_within_horizon": c.p_within_horizon, "horizon": c.horizon, "model": c.model,
            "model_detail": c.model_detail, "n_paths": c.n_paths, "notes": c.notes, "sources": c.sources}


def year_row(y: YearTotal) -> dict[str, Any]:
    """Stable JSON fields of a year-total forecast."""
    return {"entity_id": y.entity_id, "entity": y.entity, "metric": y.metric, "year": y.year, "as_of": y.as_of,
            "actual": y.actual, "actual_through": y.actual_through, "actual_how": y.actual_how,
            "months_left": y.months_left, "mean": y.mean, "median": y.median,
            **{f"interval_{lv}": y.intervals.get(lv) for lv in ("50", "80", "95")},
            "targets": [{"target": t.target, "announced": t.announced, "note": t.note,
                         "probability": t.probability, "remaining": t.remaining,
                         "monthly_pace_needed": t.monthly_pace_needed, "sources": t.sources} for t in y.targets],
            "model": y.model, "model_detail": y.model_detail, "n_paths": y.n_paths, "notes": y.notes,
            "sources": y.sources}


def _crossing_table(r: dict[str, Any]) -> dict[str, Any]:
    if r["status"] == "crossed":
        when = f"crossed {r['crossed_date']} ({r['crossed_basis']})"
        return {"entity": r["entity"], "threshold": r["threshold"], "as of": r["as_of"] or "now", "crossing": when,
                "by date": ", ".join(f"{d}: {_pct(p)}" for d, p in r["p_by"].items()), "sources": r["sources"]}
    return {"entity": r["entity"], "threshold": r["threshold"], "as of": r["as_of"] or "now",
            "latest": f"{r['latest_cumulative']:,.0f} ({r['latest_period']})",
            "median": r["median"] or f"beyond {r['horizon']}", "50%": _span(r["interval_50"]),
            "80%": _span(r["interval_80"]), "95%": _span(r["interval_95"]),
            "by date": ", ".join(f"{d}: {_pct(p)}" for d, p in r["p_by"].items()) or "—",
            "model": r["model"], "sources": r["sources"]}


def _year_table(r: dict[str, Any]) -> list[dict[str, Any]]:
    base = {"entity": r["entity"], "year": r["year"], "as of": r["as_of"] or "now",
            "actual": f"{r['actual']:,.0f} (through {r['actual_through'] or '—'})", "median": r["median"],
            "80%": _span(r["interval_80"], True), "95%": _span(r["interval_95"], True), "model": r["model"]}
    rows = [{**base, "target": t["target"], "announced": t["announced"], "P(total ≥ target)": _pct(t["probability"]),
             "pace needed": t["monthly_pace_needed"]} for t in r["targets"]]
    return rows or [{**base, "target": None}]


def _emit(rows: list[dict[str, Any]], fmt: str, title: str | None = None) -> None:
    if fmt == "table":
        Console(width=max(160, Console().width)).print(present.render(rows, "table", None, title), end="",
                                                       soft_wrap=True, markup=False, highlight=False)
    else:
        sys.stdout.write(present.render(rows, "json") + "\n")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidArgumentError(name="date", reason=f"{value!r} is not a date (YYYY-MM-DD)") from None


def _db(ctx: typer.Context) -> str | None:
    return (ctx.find_root().obj or {}).get("db")


def backtest_rows(r: BacktestResult) -> list[dict[str, Any]]:
    """Summary rows of a backtest with the ratios to the run-rate baselines."""
    base = {row["model"]: row for row in r.summary}
    out = []
    for row in r.summary:
        extra = {}
        for b in ("naive", "naive3"):
            if b in base and base[b]["crossing_mae_months"] and row["crossing_mae_months"] is not None:
                extra[f"mae_vs_{b}"] = round(row["crossing_mae_months"] / base[b]["crossing_mae_months"], 3)
        out.append({**row, **extra})
    return out


def register(app: typer.Typer) -> None:
    """Add ``forecast`` and ``backtest`` to ``app``."""

    @app.command()
    @_errors
    def forecast(ctx: typer.Context,
                 entity: Annotated[str, typer.Argument(help="Entity id, name or alias (e.g. xiaomi).")],
                 threshold: Annotated[float | None, typer.Option("--threshold", "-n",
                                                                 help="Cumulative units, e.g. 1000000.")] = None,
                 year: Annotated[int | None, typer.Option(help="Forecast this year's total and target odds.")] = None,
                 metric: Annotated[str, typer.Option("--metric", "-m", help="deliveries or sales.")] = "deliveries",
                 as_of: Annotated[str | None, typer.Option("--as-of", help="Use only facts published by this date.")]
                 = None,
                 model: Annotated[str, typer.Option(help=f"One of {', '.join(MODEL_NAMES)}.")] = DEFAULT_MODEL,
                 by: Annotated[list[str] | None, typer.Option("--by", help="P(crossed by this date); repeat.")]
                 = None,
                 paths: Annotated[int, typer.Option(help="Simulated paths.")] = 2000,
                 fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
        """When ENTITY crosses a threshold, and its year total with the odds of each target, with intervals."""
        from ..api import factset
        from .engine import crossing, year_total

        if fmt not in ("table", "json"):
            raise typer.BadParameter(f"{fmt!r} is not table or json", param_hint="--format")
        if threshold is None and year is None:
            raise InvalidArgumentError(name="threshold", reason="give --threshold N and/or --year Y")
        as_of_d = _date(as_of)
        dates = [_date(d) for d in by or []]
        fs = factset(_db(ctx), as_of_d)
        out: dict[str, Any] = {}
        if threshold is not None:
            out["crossing"] = crossing_row(crossing(fs, entity, threshold, metric, as_of_d, model, paths, dates))
        if year is not None:
            out["year_total"] = year_row(year_total(fs, entity, year, metric, as_of_d, model, paths))
        if fmt == "json":
            import json

            sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False, default=str) + "\n")
            return
        if "crossing" in out:
            c = out["crossing"]
            title = f"When does {c['entity']} cross {c['threshold']:,.0f} cumulative {metric}?"
            _emit([_crossing_table(c)], fmt, title)
            for n in c["notes"]:
                err.print(f"note: {n}", highlight=False)
        if "year_total" in out:
            y = out["year_total"]
            _emit(_year_table(y), fmt, f"{y['entity']} {y['year']} total {metric}")
            for n in y["notes"]:
                err.print(f"note: {n}", highlight=False)

    @app.command()
    @_errors
    def backtest(ctx: typer.Context,
                 paths: Annotated[int, typer.Option(help="Simulated paths per forecast.")] = 500,
                 workers: Annotated[int | None, typer.Option(help="Processes [default: cores].")] = None,
                 fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
        """Rolling-origin backtest of every forecast model against the naive run-rate (takes minutes)."""
        from .backtest import backtest as run

        if fmt not in ("table", "json"):
            raise typer.BadParameter(f"{fmt!r} is not table or json", param_hint="--format")
        rows = backtest_rows(run(_db(ctx), n_paths=paths, workers=workers))
        if fmt == "json":
            _emit(rows, "json")
            return
        cols = ["model", "width", "n_crossings", "crossing_mae_months", "mae_vs_naive", "mae_vs_naive3",
                "coverage_80", "coverage_95", "n_years", "year_total_mape", "year_coverage_80", "n_targets",
                "target_brier"]
        _emit([{c: r.get(c) for c in cols} for r in rows], "table", "Backtest (rolling origins)")
