"""The forecast hook that forward-looking claims are judged by.

:class:`Forecaster` is the protocol a forecasting module implements; :class:`LinearRunRate` is the
default: the latest cumulative figure plus the average of the last three months times the months
left. It gives a probability of 1 or 0 (it has no spread); a better forecaster plugs in by passing
``forecaster=`` to :func:`evpace.check.check_document`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from ..analytics.milestones import MilestoneFinder
from ..analytics.targets import year_actual
from ..reconcile import FactSet
from ..series import SeriesBuilder, month_add, months_between
from .tolerance import fmt_num

FactSetSource = Callable[[dt.date | None], FactSet]


@runtime_checkable
class Forecaster(Protocol):
    """What the checker asks of a forecast. ``as_of`` None means all data available now.

    Both methods return ``(value, details)``; ``details`` must carry an ``arithmetic`` string a person
    can redo, a ``method`` name and ``sources`` (URLs), and may carry anything else.
    """

    name: str

    def crossing_probability(self, entity_id: str, threshold: float, by_date: dt.date,
                             as_of: dt.date | None) -> tuple[float, dict[str, Any]]:
        """Probability that the entity's cumulative volume reaches ``threshold`` on or before ``by_date``."""
        ...

    def year_total(self, entity_id: str, year: int, as_of: dt.date | None) -> tuple[float | None, dict[str, Any]]:
        """Expected total volume of the entity in ``year``."""
        ...


class LinearRunRate:
    """Latest cumulative (or year-to-date) figure + trailing-3-month average × months left.

    ``factsets`` gives the facts known at a date (the checker passes its cached ones); ``metric`` is
    the volume series used (deliveries, with sales standing in, by default).
    """

    name = "linear run-rate (latest cumulative + trailing 3-month average × months left)"

    def __init__(self, factsets: FactSetSource, metric: str = "deliveries") -> None:
        self._factsets = factsets
        self.metric = metric
        self._builders: dict[dt.date | None, SeriesBuilder] = {}

    def _sb(self, as_of: dt.date | None) -> SeriesBuilder:
        if as_of not in self._builders:
            self._builders[as_of] = SeriesBuilder(self._factsets(as_of))
        return self._builders[as_of]

    def run_rate(self, entity_id: str, as_of: dt.date | None, through: str | None = None
                 ) -> tuple[float | None, str | None, list]:
        """(average of the last three known months up to ``through``, last month, points used)."""
        monthly = self._sb(as_of).monthly(entity_id, self.metric)
        known = [p for p in sorted(monthly) if monthly[p].value is not None and (through is None or p <= through)]
        if not known:
            return None, None, []
        last = known[-1]
        pts = [monthly.get(month_add(last, -i)) for i in (2, 1, 0)]
        if any(p is None or p.value is None for p in pts):
            return None, last, []
        return sum(p.value for p in pts) / 3, last, pts

    def crossing_probability(self, entity_id: str, threshold: float, by_date: dt.date,
                             as_of: dt.date | None) -> tuple[float, dict[str, Any]]:
        sb = self._sb(as_of)
        details: dict[str, Any] = {"method": self.name, "threshold": threshold, "by_date": by_date.isoformat(),
                                   "as_of": as_of.isoformat() if as_of else None, "sources": []}
        ms = MilestoneFinder(sb.fs, sb).find(entity_id, threshold)
        if ms.status == "crossed" and ms.date and ms.date[:7] <= by_date.isoformat()[:7]:
            details.update(crossed=ms.date, sources=ms.sources, projected_crossing=ms.date,
                           arithmetic=f"already crossed {fmt_num(threshold)} on {ms.date} ({ms.metric}, "
                                      f"{ms.date_basis})")
            return 1.0, details
        cum = sb.cumulative(entity_id, self.metric)
        known = [p for p in sorted(cum) if cum[p].value is not None]
        if not known:
            details["arithmetic"] = "no cumulative series to project from"
            return math.nan, details
        last = known[-1]
        latest = cum[last].value
        rr, _, pts = self.run_rate(entity_id, as_of, last)
        details.update(latest_cumulative=latest, latest_period=last, sources=sorted(
            {u for p in [cum[last], *pts] for u in p.sources}))
        if rr is None:
            details["arithmetic"] = f"cumulative {fmt_num(latest)} at {last}, but no three straight months to average"
            return math.nan, details
        by_month = by_date.isoformat()[:7]
        months_left = max(months_between(last, by_month), 0)
        projected = latest + rr * months_left
        need = threshold - latest
        cross = month_add(last, math.ceil(need / rr)) if rr > 0 and need > 0 else last
        details.update(run_rate_3m=rr, run_rate_months=[p.period for p in pts], months_left=months_left,
                       projected=projected, projected_crossing=cross)
        avg = " + ".join(fmt_num(p.value) for p in pts)
        details["arithmetic"] = (
            f"{fmt_num(latest)} (cumulative {self.metric}, {last}) + {fmt_num(rr)}/month (({avg}) / 3, "
            f"{pts[0].period}..{pts[-1].period}) × {months_left} months to {by_month} = {fmt_num(projected)} "
            f"{'≥' if projected >= threshold else '<'} {fmt_num(threshold)}; at that pace {fmt_num(threshold)} "
            f"is reached in {cross}")
        return (1.0 if projected >= threshold else 0.0), details

    def year_total(self, entity_id: str, year: int, as_of: dt.date | None) -> tuple[float | None, dict[str, Any]]:
        sb = self._sb(as_of)
        act = year_actual(sb.fs, sb, entity_id, year, self.metric)
        details: dict[str, Any] = {"method": self.name, "year": year, "sources": sorted(
            {f.origin.url for f in act.facts})}
        if act.through is None:
            rr, last, pts = self.run_rate(entity_id, as_of, f"{year - 1}-12")
            if rr is None or last != f"{year - 1}-12":
                details["arithmetic"] = f"no {year} figures and no run-rate at the end of {year - 1}"
                return None, details
            details.update(run_rate_3m=rr, months_left=12, projected=rr * 12)
            details["arithmetic"] = (f"{fmt_num(rr)}/month (average of {pts[0].period}..{pts[-1].period}) × 12 "
                                     f"= {fmt_num(rr * 12)}")
            details["sources"] = sorted({u for p in pts for u in p.sources})
            return rr * 12, details
        months_left = 12 - int(act.through[5:])
        rr, _, pts = self.run_rate(entity_id, as_of, act.through)
        if months_left == 0:
            details["arithmetic"] = f"{year} complete: {fmt_num(act.value)} ({act.how})"
            return act.value, details
        if rr is None:
            details["arithmetic"] = f"{fmt_num(act.value)} through {act.through}, no run-rate to project with"
            return None, details
        total = act.value + rr * months_left
        details.update(actual=act.value, through=act.through, run_rate_3m=rr, months_left=months_left,
                       projected=total)
        details["arithmetic"] = (f"{fmt_num(act.value)} ({year} through {act.through}) + {fmt_num(rr)}/month × "
                                 f"{months_left} months = {fmt_num(total)}")
        return total, details
