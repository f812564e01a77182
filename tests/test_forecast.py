"""Forecasts: the model protocol, point-in-time (no leakage), awkward series, crossings and target odds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from evpace import api
from evpace.forecast import MODEL_NAMES, ForecastModel, SimulationForecaster, backtest, crossing, make_model, year_total
from evpace.forecast.cli import register
from evpace.forecast.data import date_position, position_date, seasonal_index
from evpace.forecast.models import fit_stretch
from evpace.reconcile import FactSet
from evpace.series import SeriesBuilder

PATHS = 150


@pytest.fixture(scope="module")
def db(module_database: str) -> str:
    api.init(module_database)
    return module_database


@pytest.fixture(scope="module")
def fs_all(db: str) -> FactSet:
    return api.factset(db)


def _frame(values: list[float | None], start: str = "2023-01") -> pd.DataFrame:
    ds = pd.date_range(start + "-01", periods=len(values), freq="MS")
    return pd.DataFrame({"unique_id": "x", "ds": ds, "y": [np.nan if v is None else v for v in values]})


def _seasonal_growth(n: int = 30) -> list[float]:
    rng = np.random.default_rng(3)
    season = np.array([0.8, 0.7, 0.95, 0.9, 0.95, 1.0, 1.0, 1.05, 1.1, 1.15, 1.2, 1.3])
    return [float(1000 * 1.03 ** t * season[t % 12] * np.exp(rng.normal(0, 0.05))) for t in range(n)]


INDEX = np.log(np.array([0.8, 0.7, 0.95, 0.9, 0.95, 1.0, 1.0, 1.05, 1.1, 1.15, 1.2, 1.3]))
INDEX = INDEX - INDEX.mean()


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_model_follows_the_protocol(name: str) -> None:
    m = make_model(name, INDEX).fit(_frame(_seasonal_growth()))
    assert isinstance(m, ForecastModel)
    pred = m.predict(6, level=(50, 80, 95), n=PATHS)
    assert list(pred.columns[:3]) == ["unique_id", "ds", "mean"]
    assert {"lo-50", "hi-50", "lo-80", "hi-80", "lo-95", "hi-95"} <= set(pred.columns)
    assert len(pred) == 6 and pred["ds"].iloc[0] == pd.Timestamp("2025-07-01")
    assert (pred["lo-95"] <= pred["lo-80"]).all() and (pred["lo-80"] <= pred["hi-80"]).all()
    assert (pred["hi-80"] <= pred["hi-95"]).all()
    paths = m.sample_paths(6, PATHS, np.random.default_rng(0))
    assert paths.shape == (PATHS, 6) and np.isfinite(paths).all() and (paths > 0).all()
    again = m.sample_paths(6, PATHS, np.random.default_rng(0))
    assert np.allclose(paths, again), "same rng seed, same paths"
    assert m.detail


@pytest.mark.parametrize("name", ["naive", "seasonal", "growth", "ets", "theta", "ensemble", "auto"])
@pytest.mark.parametrize("kind", ["short", "gappy", "flat"])
def test_awkward_series(name: str, kind: str) -> None:
    values: list[float | None] = {
        "short": [5000.0, 7000.0, 6500.0, 9000.0, 11000.0],
        "gappy": [1000.0, 1100.0, None, 1300.0, None, None, None, 1200.0, 1400.0, None, 1500.0, 1600.0, 1700.0,
                  1650.0],
        "flat": [2000.0] * 15,
    }[kind]
    m = make_model(name, INDEX).fit(_frame(values))
    paths = m.sample_paths(12, PATHS, np.random.default_rng(1))
    assert paths.shape == (PATHS, 12) and np.isfinite(paths).all() and (paths > 0).all()
    spread = np.log(np.quantile(paths[:, -1], 0.9) / np.quantile(paths[:, -1], 0.1))
    assert spread > 0.01, "even a flat or short history gets an interval"
    if kind == "gappy":
        assert any("interpolated" in n or "stretch" in n for n in m.notes)
    if kind == "short" and name not in ("naive",):
        # five months: a year out, the 80 % range spans at least a factor of 1.2
        assert spread > np.log(1.2)


def test_fit_stretch_bridges_short_gaps_only() -> None:
    y = np.array([1.0, 2.0, np.nan, 4.0, 5.0, np.nan, np.nan, np.nan, 9.0, 10.0])
    periods = [f"2024-{m:02d}" for m in range(1, 11)]
    vals, first, notes = fit_stretch(periods, y)
    assert first == "2024-09" and list(vals) == [9.0, 10.0]  # a three-month gap is not bridged
    vals, first, notes = fit_stretch(periods[:5], y[:5])
    assert first == "2024-01" and len(vals) == 5 and "2024-03" in notes[0]


def test_day_positions_round_trip() -> None:
    for d in ("2026-01-31", "2026-02-01", "2026-12-15", "2024-02-29"):
        assert position_date(date_position(dt.date.fromisoformat(d))) == d
    assert position_date(float("inf")) is None


def test_pooled_index_dips_at_lunar_new_year(fs_all: FactSet) -> None:
    sb = SeriesBuilder(fs_all)
    idx, n = seasonal_index(sb, [e.id for e in fs_all.registry if e.kind != "model"])
    assert n > 100
    assert idx[1] < 0 and idx[0] < 0 and idx[11] > 0  # February and January low, December high


def test_no_leakage_after_as_of(db: str, fs_all: FactSet) -> None:
    as_of = "2025-06-10"
    via_as_of = crossing(fs_all, "xiaomi", 500_000, as_of=as_of, n_paths=PATHS, dates=["2025-12-31"])
    # the same facts with everything published later deleted
    cut = [f for f in fs_all.facts if (f.origin.published or "9999") <= as_of]
    deleted = crossing(FactSet(fs_all.registry, cut, fs_all.events), "xiaomi", 500_000, n_paths=PATHS,
                       dates=["2025-12-31"])
    assert via_as_of.median == deleted.median and via_as_of.p_by == deleted.p_by
    assert via_as_of.latest_cumulative == deleted.latest_cumulative and via_as_of.sources == deleted.sources
    assert via_as_of.status == "forecast" and via_as_of.last_month <= "2025-05"
    assert all((f.origin.published or "9999") <= as_of for f in via_as_of.facts)
    # a fact published after as_of that would change everything changes nothing
    late = dataclasses.replace(next(f for f in fs_all.facts if f.entity_id == "xiaomi" and f.scope == "month"),
                               period="2025-05", value=900_000.0,
                               origin=dataclasses.replace(fs_all.facts[0].origin, url="https://late.example",
                                                          published="2025-07-01"))
    planted = FactSet(fs_all.registry, fs_all.facts + [late], fs_all.events)
    again = crossing(planted, "xiaomi", 500_000, as_of=as_of, n_paths=PATHS, dates=["2025-12-31"])
    assert again.median == via_as_of.median and "https://late.example" not in again.sources
    y1 = year_total(fs_all, "xiaomi", 2025, as_of=as_of, n_paths=PATHS)
    y2 = year_total(planted, "xiaomi", 2025, as_of=as_of, n_paths=PATHS)
    assert y1.median == y2.median and y1.actual == y2.actual and y1.actual_through <= "2025-05"


def test_crossing_already_happened(fs_all: FactSet) -> None:
    c = crossing(fs_all, "xiaomi", 500_000, dates=["2025-01-31", "2026-01-31"])
    assert c.status == "crossed" and c.crossed_date.startswith("2025-1")
    assert c.p_by == {"2025-01-31": 0.0, "2026-01-31": 1.0} and c.sources


def test_crossing_forecast_has_intervals_and_sources(fs_all: FactSet) -> None:
    c = crossing(fs_all, "xiaomi", 1_000_000, n_paths=PATHS, dates=["2026-08-31", "2027-12-31", "2030-12-31"])
    assert c.status == "forecast" and c.latest_cumulative and c.latest_cumulative < 1_000_000
    lo95, hi95 = c.intervals["95"]
    lo80, hi80 = c.intervals["80"]
    assert lo95 <= lo80 <= c.median <= hi80 and (hi95 is None or hi80 <= hi95)
    ps = list(c.p_by.values())
    assert ps == sorted(ps) and ps[-1] > 0.5
    assert c.model == "ensemble" and c.model_detail and c.sources


def test_target_probability_monotone(fs_all: FactSet) -> None:
    y = year_total(fs_all, "xiaomi", 2026, n_paths=PATHS)
    assert y.actual_through and y.months_left > 0 and y.actual > 0
    assert y.intervals["80"][0] >= y.actual and y.intervals["95"][0] <= y.intervals["80"][0]
    probs = [y.probability(t) for t in np.linspace(y.actual, 3 * y.median, 25)]
    assert all(a >= b for a, b in zip(probs, probs[1:], strict=False)) and probs[0] == 1.0
    assert [t.target for t in y.targets] == [550_000.0]
    t = y.targets[0]
    assert t.probability == y.probability(550_000) and t.monthly_pace_needed == pytest.approx(
        (550_000 - y.actual) / y.months_left)


def test_complete_year_is_the_actual(fs_all: FactSet) -> None:
    y = year_total(fs_all, "xiaomi", 2025, n_paths=PATHS)
    assert y.months_left == 0 and y.median == y.actual
    assert [round(t.probability) for t in y.targets] == [1, 1, 1]


def test_forecaster_adapter(db: str) -> None:
    f = SimulationForecaster(db=db, n_paths=PATHS)
    p, details = f.crossing_probability("xiaomi", 1_000_000, dt.date(2030, 12, 31), dt.date(2026, 1, 6))
    assert 0.5 < p <= 1 and details["sources"] and "paths" in details["arithmetic"]
    p_done, details = f.crossing_probability("xiaomi", 100_000, dt.date(2025, 1, 1), None)
    assert p_done == 1.0 and "already crossed" in details["arithmetic"]
    total, details = f.year_total("xiaomi", 2026, None)
    assert total > details["actual"] and details["interval_80"][0] < total < details["interval_80"][1]
    check = pytest.importorskip("evpace.check.forecast")
    assert isinstance(f, check.Forecaster)


def test_cli_forecast_json(db: str) -> None:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context, db_opt: str = typer.Option(None, "--db")) -> None:
        ctx.obj = {"db": db_opt}

    register(app)
    res = CliRunner().invoke(app, ["--db", db, "forecast", "xiaomi", "--threshold", "1000000", "--year", "2026",
                                   "--as-of", "2026-01-06", "--by", "2026-12-31", "--paths", str(PATHS),
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["crossing"]["as_of"] == "2026-01-06" and out["crossing"]["latest_period"] == "2025-12"
    assert set(out["crossing"]["p_by"]) == {"2026-12-31"} and out["crossing"]["interval_80"][0]
    assert out["year_total"]["targets"][0]["target"] == 550_000
    bad = CliRunner().invoke(app, ["--db", db, "forecast", "xiaomy", "--threshold", "1000000"])
    assert bad.exit_code == 2


def test_backtest_small(db: str) -> None:
    res = backtest(db, models=("naive", "ensemble"), n_paths=60, workers=1, entities=["xiaomi", "zeekr"],
                   since="2025-01-01")
    keys = {"model", "n_crossings", "crossing_mae_months", "coverage_80", "coverage_95", "n_years",
            "year_total_mape", "target_brier"}
    assert [r["model"] for r in res.summary] == ["naive", "ensemble"]
    for row in res.summary:
        assert keys <= set(row) and row["n_crossings"] > 0 and row["n_years"] > 0
    assert all(r.origin >= "2025-01-01" for r in res.records)
