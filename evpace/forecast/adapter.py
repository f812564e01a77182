"""A ``Forecaster`` for the claim checker (:mod:`evpace.check`): the probability that an entity crosses a
threshold by a date, and the expected total of a year, each with the arithmetic and sources behind it.

>>> from evpace.forecast import SimulationForecaster
>>> f = SimulationForecaster(db="evpace.db")
>>> p, details = f.crossing_probability("xiaomi", 1_000_000, dt.date(2026, 12, 31), None)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from ..errors import EvpaceError
from ..reconcile import FactSet
from .engine import crossing, year_total
from .select import DEFAULT_MODEL


def _n(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


class SimulationForecaster:
    """Answers forward-looking claims from simulated paths (see :mod:`evpace.forecast.engine`).

    ``factsets``: a function giving the facts known at a date (``None`` = everything), as the checker passes
    its cached ones; or ``db`` to read them with :func:`evpace.api.factset`. Results are deterministic
    (fixed ``seed``)."""

    def __init__(self, factsets: Callable[[dt.date | None], FactSet] | None = None, db: Any = None,
                 model: str = DEFAULT_MODEL, metric: str = "deliveries", n_paths: int = 2000, seed: int = 0) -> None:
        if factsets is None:
            from ..api import factset

            factsets = lambda as_of: factset(db, as_of)  # noqa: E731
        self._factsets = factsets
        self.model, self.metric, self.n_paths, self.seed = model, metric, n_paths, seed
        self.name = f"evpace.forecast {model} ({n_paths} simulated paths of monthly {metric})"

    def crossing_probability(self, entity_id: str, threshold: float, by_date: dt.date,
                             as_of: dt.date | None) -> tuple[float, dict[str, Any]]:
        """P(cumulative volume ≥ ``threshold`` on or before ``by_date``) with the details behind it."""
        details: dict[str, Any] = {"method": self.name, "threshold": threshold, "by_date": by_date.isoformat(),
                                   "as_of": as_of.isoformat() if as_of else None, "sources": []}
        try:
            c = crossing(self._factsets(as_of), entity_id, threshold, self.metric, as_of, self.model, self.n_paths,
                         [by_date], self.seed)
        except EvpaceError as exc:
            details["arithmetic"] = f"no forecast: {exc}"
            return math.nan, details
        p = c.p_by[by_date.isoformat()]
        details.update(sources=c.sources, probability=p, model_detail=c.model_detail, notes=c.notes)
        if c.status == "crossed":
            details.update(crossed=c.crossed_date, projected_crossing=c.crossed_date)
            details["arithmetic"] = f"already crossed {_n(threshold)} on {c.crossed_date} ({c.crossed_basis})"
            return p, details
        lo80, hi80 = c.intervals["80"]
        details.update(latest_cumulative=c.latest_cumulative, latest_period=c.latest_period,
                       projected_crossing=c.median, interval_80=[lo80, hi80], interval_95=c.intervals["95"])
        details["arithmetic"] = (
            f"{_n(c.latest_cumulative)} (cumulative {self.metric}, {c.latest_period}) + simulated monthly volumes "
            f"({c.n_paths} paths, {c.model_detail}): {p:.0%} of paths reach {_n(threshold)} by {by_date}; "
            f"median crossing {c.median or 'beyond ' + str(c.horizon)}, 80% interval {lo80 or '—'} .. "
            f"{hi80 or 'beyond ' + str(c.horizon)}")
        return p, details

    def year_total(self, entity_id: str, year: int, as_of: dt.date | None) -> tuple[float | None, dict[str, Any]]:
        """Expected (mean) total of ``year`` with its median, intervals and target odds in the details."""
        details: dict[str, Any] = {"method": self.name, "year": year, "as_of": as_of.isoformat() if as_of else None,
                                   "sources": []}
        try:
            y = year_total(self._factsets(as_of), entity_id, year, self.metric, as_of, self.model, self.n_paths,
                           self.seed)
        except EvpaceError as exc:
            details["arithmetic"] = f"no forecast: {exc}"
            return None, details
        details.update(sources=y.sources, actual=y.actual, through=y.actual_through, months_left=y.months_left,
                       median=y.median, interval_80=y.intervals["80"], interval_95=y.intervals["95"],
                       projected=y.mean, targets=[{"target": t.target, "probability": t.probability,
                                                   "announced": t.announced} for t in y.targets])
        if y.months_left == 0:
            details["arithmetic"] = f"{year} complete: {_n(y.actual)} ({y.actual_how})"
            return y.actual, details
        lo, hi = y.intervals["80"]
        details["arithmetic"] = (
            f"{_n(y.actual)} ({year} through {y.actual_through or 'no month yet'}) + {y.months_left} simulated "
            f"months ({y.n_paths} paths, {y.model_detail}) = mean {_n(y.mean)}, median {_n(y.median)}, "
            f"80% interval {_n(lo)} .. {_n(hi)}")
        return y.mean, details
