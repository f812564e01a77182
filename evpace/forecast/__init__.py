"""Forecasts: when a maker crosses a threshold, what a year's total will be and the odds of each target,
as distributions from simulated monthly volumes, with a rolling-origin backtest of every model.

* :func:`crossing` — the crossing day as a distribution (median, 50/80/95 % intervals, P(crossed by D));
* :func:`year_total` — the year's total (year-to-date + simulated rest) and P(total ≥ target) per target;
* :func:`backtest` — every model scored against what happened (``benchmarks/bench_backtest.py``);
* :class:`SimulationForecaster` — the ``Forecaster`` the claim checker calls.

Every function takes ``as_of``: only facts published by then are used, and each result lists the facts it
rests on (``sources``) and the model used. ``fs`` is a :class:`~evpace.reconcile.FactSet` or anything
:func:`evpace.api.factset` accepts as a database (path, URL, open store, None for the default).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..reconcile import FactSet
from .adapter import SimulationForecaster
from .backtest import BacktestResult
from .engine import Crossing, TargetOdds, YearTotal
from .engine import crossing as _crossing
from .engine import year_total as _year_total
from .models import LEVELS, ForecastModel
from .select import DEFAULT_MODEL, MODEL_NAMES, make_model

__all__ = ["crossing", "year_total", "backtest", "SimulationForecaster", "Crossing", "YearTotal", "TargetOdds",
           "BacktestResult", "ForecastModel", "MODEL_NAMES", "DEFAULT_MODEL", "LEVELS", "make_model"]


def _fs(fs: Any, as_of: dt.date | str | None) -> FactSet:
    if isinstance(fs, FactSet):
        return fs
    from ..api import factset

    return factset(fs, as_of)


def crossing(fs: Any, entity_id: str, threshold: float, metric: str = "deliveries",
             as_of: dt.date | str | None = None, model: str = DEFAULT_MODEL, n_paths: int = 2000,
             dates: list[dt.date | str] | tuple = (), seed: int = 0) -> Crossing:
    """When ``entity_id``'s cumulative ``metric`` reaches ``threshold`` (see :func:`engine.crossing`)."""
    return _crossing(_fs(fs, as_of), entity_id, threshold, metric, as_of, model, n_paths, dates, seed)


def year_total(fs: Any, entity_id: str, year: int, metric: str = "deliveries", as_of: dt.date | str | None = None,
               model: str = DEFAULT_MODEL, n_paths: int = 2000, seed: int = 0) -> YearTotal:
    """``year``'s total as a distribution and the odds of each target (see :func:`engine.year_total`)."""
    return _year_total(_fs(fs, as_of), entity_id, year, metric, as_of, model, n_paths, seed)


def backtest(db: Any = None, models: tuple[str, ...] = MODEL_NAMES, n_paths: int = 500, workers: int | None = None,
             **kwargs: Any) -> BacktestResult:
    """Rolling-origin backtest of ``models`` (see :mod:`evpace.forecast.backtest`)."""
    from .backtest import backtest as _backtest

    return _backtest(db, models=models, n_paths=n_paths, workers=workers, **kwargs)
