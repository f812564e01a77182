"""From reconciled facts to what a forecast rests on: the monthly history a model fits, the latest
cumulative figure the simulated months are added to, and a seasonal index pooled across makers.

Everything here reads a :class:`~evpace.series.SeriesBuilder` over a :class:`~evpace.reconcile.FactSet`,
so a forecast as of a date sees only the facts published by then.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model import Fact
from ..series import SeriesBuilder, month_add, month_range

#: Fewer known months than this in the fitted stretch and no forecast is made.
MIN_MONTHS = 4
#: Months of data an entity needs before the pooled seasonal index uses it.
INDEX_MIN_RUN = 13


def month_ix(period: str) -> int:
    """``YYYY-MM`` as a running month number (year × 12 + month − 1)."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def ix_period(ix: int) -> str:
    """Inverse of :func:`month_ix`."""
    return f"{ix // 12:04d}-{ix % 12 + 1:02d}"


def date_position(d: dt.date) -> float:
    """A day as a position on the month axis: ``month_ix`` of its month + the fraction of the month elapsed
    at the end of that day (the last day of a month is the month's end)."""
    ndays = (dt.date(d.year + d.month // 12, d.month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return month_ix(d.isoformat()[:7]) + d.day / ndays


def position_date(pos: float) -> str | None:
    """Inverse of :func:`date_position` (None for infinity: not within the horizon)."""
    if not math.isfinite(pos):
        return None
    ix = math.ceil(pos) - 1
    frac = pos - ix
    period = ix_period(ix)
    y, m = int(period[:4]), int(period[5:7])
    ndays = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(ndays, max(1, math.ceil(frac * ndays - 1e-9)))).isoformat()


@dataclass
class History:
    """An entity's monthly volumes as known at ``as_of`` (gaps as None), first known month to last."""

    entity_id: str
    metric: str
    periods: list[str]
    values: list[float | None]
    facts_by_period: dict[str, list[Fact]] = field(default_factory=dict)
    bounds: dict[str, str] = field(default_factory=dict)

    @property
    def last(self) -> str | None:
        """Last month with a value."""
        known = [p for p, v in zip(self.periods, self.values, strict=True) if v is not None]
        return known[-1] if known else None

    def value(self, period: str) -> float | None:
        try:
            return self.values[self.periods.index(period)]
        except ValueError:
            return None

    def known_months(self) -> int:
        return sum(v is not None for v in self.values)

    def frame(self) -> pd.DataFrame:
        """Long format (``unique_id, ds, y``): ``ds`` the first day of the month, ``y`` NaN for a gap."""
        return pd.DataFrame({"unique_id": self.entity_id,
                             "ds": pd.to_datetime([p + "-01" for p in self.periods]),
                             "y": [np.nan if v is None else float(v) for v in self.values]})

    def facts(self, since: str | None = None) -> list[Fact]:
        """Facts behind the months from ``since`` (all when None)."""
        return [f for p, fs in self.facts_by_period.items() if since is None or p >= since for f in fs]


def history(sb: SeriesBuilder, entity_id: str, metric: str = "deliveries") -> History:
    """The monthly series (deliveries and sales standing in for each other, as in :mod:`evpace.series`)."""
    monthly = sb.monthly(entity_id, metric)
    periods = sorted(monthly)
    while periods and monthly[periods[-1]].value is None:
        periods.pop()
    while periods and monthly[periods[0]].value is None:
        periods.pop(0)
    return History(entity_id, metric, periods, [monthly[p].value for p in periods],
                   {p: monthly[p].facts for p in periods if monthly[p].value is not None},
                   {p: monthly[p].bound for p in periods if monthly[p].value is not None})


@dataclass
class Anchor:
    """The latest cumulative figure known: the simulated months are added to it."""

    period: str  # YYYY-MM: the figure is the cumulative at the end of that month
    value: float
    how: str
    facts: list[Fact] = field(default_factory=list)


def anchor(sb: SeriesBuilder, entity_id: str, metric: str = "deliveries") -> Anchor | None:
    """Latest cumulative point of the series, or a later reported since-inception figure (a figure dated
    within a month is taken as that month's end: a slight overstatement of how early it was reached)."""
    cum = sb.cumulative(entity_id, metric)
    known = [p for p in sorted(cum) if cum[p].value is not None]
    best = None
    if known:
        pt = cum[known[-1]]
        best = Anchor(pt.period, pt.value, pt.how, list(pt.facts))
    from ..series import metrics_for

    for m in metrics_for(metric):
        for f in sb.fs.select(entity_id, m, "cumulative", "actual"):
            if "suspect" in f.flags or f.bound not in ("exact", "approx", "lower"):
                continue
            if best is None or f.period[:7] > best.period:
                best = Anchor(f.period[:7], f.value, f"reported {f.period} ({f.bound})", [f])
    return best


def fill_known(hist: History, start: str, end: str) -> tuple[np.ndarray, list[str]]:
    """Known monthly values from ``start`` to ``end`` (inclusive), gaps filled log-linearly between the
    nearest known months; returns the values and the months that were filled."""
    months = month_range(start, end) if start <= end else []
    out, filled = [], []
    for p in months:
        v = hist.value(p)
        if v is None:
            before = [q for q, x in zip(hist.periods, hist.values, strict=True) if x is not None and q < p]
            after = [q for q, x in zip(hist.periods, hist.values, strict=True) if x is not None and q > p]
            if before and after:
                a, b = before[-1], after[0]
                w = (month_ix(p) - month_ix(a)) / (month_ix(b) - month_ix(a))
                va, vb = max(hist.value(a), 1.0), max(hist.value(b), 1.0)
                v = math.exp((1 - w) * math.log(va) + w * math.log(vb))
            else:
                v = hist.value(before[-1]) if before else 0.0
            filled.append(p)
        out.append(float(v))
    return np.array(out), filled


def seasonal_index(sb: SeriesBuilder, entity_ids: list[str], metric: str = "deliveries",
                   shrink: float = 2.0) -> tuple[np.ndarray, int]:
    """Month-of-year effects on log volume, pooled across makers: each month's log volume minus the centred
    12-month moving average around it, the median per calendar month over every maker and year, centred to
    sum to zero and shrunk toward zero by ``n / (n + shrink)``. Returns (12 effects, January first; number of
    maker-months used). Rolled-up lower bounds are left out."""
    devs: list[list[float]] = [[] for _ in range(12)]
    for eid in entity_ids:
        h = history(sb, eid, metric)
        logs = {p: math.log(v) for p, v in zip(h.periods, h.values, strict=True)
                if v is not None and v > 0 and h.bounds.get(p) != "lower"}
        for p in logs:
            window = [month_add(p, k) for k in range(-6, 7)]
            if not all(q in logs for q in window):
                continue
            ma = (0.5 * logs[window[0]] + sum(logs[q] for q in window[1:-1]) + 0.5 * logs[window[-1]]) / 12
            devs[int(p[5:7]) - 1].append(logs[p] - ma)
    n = sum(len(d) for d in devs)
    idx = np.array([float(np.median(d)) * len(d) / (len(d) + shrink) if d else 0.0 for d in devs])
    return idx - idx.mean(), n


def pooled_entities(sb: SeriesBuilder) -> list[str]:
    """Groups and brands (never models) whose series may feed the pooled seasonal index."""
    return [e.id for e in sb.fs.registry if e.kind in ("group", "brand")]
