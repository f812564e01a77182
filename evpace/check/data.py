"""What the checker asks of the dataset, known at one date: monthly and yearly values, cumulative
figures, milestones, first deliveries and targets, each with the facts it rests on and a few words on
how it was obtained.

One rule is added on top of :mod:`evpace.series`: a model with no figures of its own for a month
takes its brand's figure when it was the brand's only model delivering then (every other model of
the brand had its first delivery later). That is how the SU7's first months are known: Xiaomi sold
nothing else until the YU7 arrived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..analytics.milestones import Milestone, MilestoneFinder
from ..analytics.targets import year_actual
from ..model import Event, Fact, month_end
from ..reconcile import FactSet, interval
from ..series import SeriesBuilder, first_delivery, metrics_for, month_add, month_range


@dataclass
class Value:
    """A recomputed figure: value, the range of true values it allows, and where it comes from."""

    value: float
    low: float
    high: float
    how: str
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        urls = {f.origin.url for f in self.facts} | {e.origin.url for e in self.events if e.origin}
        return sorted(u for u in urls if u)


def _bounds(value: float, bound: str) -> tuple[float, float]:
    if bound == "lower":
        return value, float("inf")
    if bound == "upper":
        return 0.0, value
    if bound == "approx":
        return value * 0.98, value * 1.02
    return value, value


class DataView:
    """The dataset known at ``fs.as_of`` (everything, when None), as the checker reads it."""

    def __init__(self, fs: FactSet) -> None:
        self.fs = fs
        self.sb = SeriesBuilder(fs)
        self.finder = MilestoneFinder(fs, self.sb)
        self._ms: dict[tuple[str, float, str | None], Milestone] = {}

    @property
    def as_of(self) -> dt.date | None:
        return self.fs.as_of

    def name(self, entity_id: str | None) -> str:
        if not entity_id or entity_id not in self.fs.registry:
            return entity_id or "—"
        return self.fs.registry.get(entity_id).name

    # -- months ------------------------------------------------------------------------------------
    def sole_model_month(self, entity_id: str, period: str) -> bool:
        """True when the model was its brand's only model delivering in that month."""
        ent = self.fs.registry.get(entity_id)
        if ent.kind != "model" or not ent.parent:
            return False
        own = first_delivery(self.fs, entity_id)
        if own is None or own.date[:7] > period:
            return False
        for sib in self.fs.registry.children(ent.parent):
            if sib.id == entity_id:
                continue
            fd = first_delivery(self.fs, sib.id)
            if fd is None or fd.date[:7] <= period:
                return False
        return True

    def month(self, entity_id: str, metric: str, period: str) -> Value | None:
        """One month's figure (deliveries and sales stand in for each other)."""
        pt = self.sb.monthly(entity_id, metric).get(period)
        if pt is not None and pt.value is not None:
            lo, hi = _bounds(pt.value, pt.bound)
            how = pt.how + (f", {pt.metric}" if pt.metric != metric else "")
            return Value(pt.value, lo, hi, how, list(pt.facts))
        ent = self.fs.registry.get(entity_id)
        if ent.kind == "model" and ent.parent and self.sole_model_month(entity_id, period):
            v = self.month(ent.parent, metric, period)
            if v is not None:
                v.how = f"{self.name(ent.parent)} figure: the {ent.name} was its only model then"
                return v
        return None

    def months(self, entity_id: str, metric: str, periods: list[str]) -> tuple[Value | None, list[str]]:
        """Sum of several months, or None and the months missing."""
        vals, missing = [], []
        for p in periods:
            v = self.month(entity_id, metric, p)
            (vals.append(v) if v else missing.append(p))
        if missing or not vals:
            return None, missing
        hows = sorted({v.how for v in vals})
        total = sum(v.value for v in vals)
        return Value(total, sum(v.low for v in vals), sum(v.high for v in vals),
                     f"sum of {len(vals)} monthly figures {periods[0]}..{periods[-1]} ({'; '.join(hows)})",
                     [f for v in vals for f in v.facts[:1]]), []

    def year(self, entity_id: str, year: int, metric: str) -> tuple[Value | None, str | None]:
        """The year's total, or None and (when partly known) the last month counted. Months before the
        first delivery count as zero."""
        fd = self.first_delivery(entity_id)
        start = fd.date[:7] if fd else None
        months = [f"{year}-{m:02d}" for m in range(1, 13)]
        before = [p for p in months if start and p < start]
        if before and len(before) < 12:
            v, missing = self.months(entity_id, metric, months[len(before):])
            if v is not None:
                v.how = (f"sum of the monthly figures {months[len(before)]}..{year}-12 (nothing before the first "
                         f"delivery, {fd.date})")
                v.events = [fd]
                return v, f"{year}-12"
        act = year_actual(self.fs, self.sb, entity_id, year, metric)
        if act.value is None:
            return None, None
        if act.through != f"{year}-12":
            lo, _ = _bounds(act.value, act.bound)
            return Value(act.value, lo, float("inf"), f"{act.how} through {act.through} only (a lower bound)",
                         act.facts), act.through
        lo, hi = _bounds(act.value, act.bound)
        how = f"sum of the 12 monthly figures of {year}" if act.how == "monthly sum" else act.how
        if act.how != "monthly sum" and act.facts:
            how = f"{act.how} ({act.facts[0].bound}, {act.facts[0].origin.publisher or act.facts[0].origin.url})"
        return Value(act.value, lo, hi, how, act.facts), act.through

    def value(self, entity_id: str, metric: str, scope: str, period: str) -> Value | None:
        """A month, quarter, half, year, year-to-date or cumulative figure."""
        if not period:
            return None
        if scope == "month":
            return self.month(entity_id, metric, period)
        if scope == "year":
            v, through = self.year(entity_id, int(period[:4]), metric)
            return v if v is not None and through == f"{period[:4]}-12" else None
        if scope in ("quarter", "half"):
            y, n = int(period[:4]), int(period[-1])
            k = 3 if scope == "quarter" else 6
            months = [f"{y}-{m:02d}" for m in range(k * (n - 1) + 1, k * n + 1)]
            return self.months(entity_id, metric, months)[0]
        if scope == "ytd":
            a, b = period.split("/") if "/" in period else (period[:4] + "-01", period)
            return self.months(entity_id, metric, month_range(a, b))[0]
        if scope == "cumulative":
            pt = self.sb.cumulative(entity_id, metric).get(period[:7])
            if pt is not None and pt.value is not None:
                lo, hi = _bounds(pt.value, pt.bound)
                return Value(pt.value, lo, hi, f"cumulative at the end of {pt.period} ({pt.how})", list(pt.facts))
        return None

    def cumulative_before(self, entity_id: str, metric: str, period: str) -> Value | None:
        """Cumulative volume at the end of the month before ``period``."""
        return self.value(entity_id, metric, "cumulative", month_add(period[:7], -1))

    def latest_cumulative(self, entity_id: str, metric: str = "deliveries") -> Value | None:
        cum = self.sb.cumulative(entity_id, metric)
        known = [p for p in sorted(cum) if cum[p].value is not None]
        if not known:
            return None
        pt = cum[known[-1]]
        lo, hi = _bounds(pt.value, pt.bound)
        return Value(pt.value, lo, hi, f"cumulative {metric} at the end of {pt.period}", list(pt.facts[-3:]))

    # -- milestones, events, targets -------------------------------------------------------------
    def milestone(self, entity_id: str, threshold: float, metric: str | None = None) -> Milestone:
        key = (entity_id, threshold, metric)
        if key not in self._ms:
            self._ms[key] = self.finder.find(entity_id, threshold, metric)
        return self._ms[key]

    def crossing(self, entity_id: str, threshold: float, metric: str | None = None) -> Milestone:
        """The crossing in the metric asked (its family), else in any metric; a reported or estimated
        date beats an "on or before" one."""
        cands = ([self.milestone(entity_id, threshold, metric)] if metric else []) + [
            self.milestone(entity_id, threshold, None)]
        crossed = [m for m in cands if m.status == "crossed" and m.date]
        dated = [m for m in crossed if m.date_basis != "on or before"]
        return (dated or crossed or cands[-1:])[0]

    def first_delivery(self, entity_id: str) -> Event | None:
        return first_delivery(self.fs, entity_id)

    def events(self, entity_id: str, kind: str) -> list[Event]:
        return [e for e in self.fs.events if e.entity_id == entity_id and e.event == kind and e.status == "confirmed"]

    def targets(self, entity_id: str, year: int, metric: str) -> list[Fact]:
        """Stated targets for a year, one per value (earliest source first)."""
        out: dict[float, Fact] = {}
        for m in metrics_for(metric):
            for f in sorted(self.fs.select(entity_id, m, "year", "target"), key=lambda f: f.origin.published or ""):
                if f.period == str(year) and f.value not in out:
                    out[f.value] = f
        return sorted(out.values(), key=lambda f: (f.origin.published or "", f.value))


def milestone_window(ms: Milestone) -> tuple[dt.date, dt.date] | None:
    """First and last day a crossing date allows: the day; the month (month-precise or estimated); or
    anything up to the date ("on or before")."""
    if ms.status != "crossed" or not ms.date:
        return None
    d = ms.date
    if len(d) == 10 and ms.date_basis == "reported":
        day = dt.date.fromisoformat(d)
        return (dt.date.min if ms.note.startswith("reported as 'over'") else day), day
    y, m = int(d[:4]), int(d[5:7])
    start, end = dt.date(y, m, 1), month_end(y, m)
    if ms.date_basis == "on or before":
        return dt.date.min, (dt.date.fromisoformat(d) if len(d) == 10 else end)
    return start, end


def event_window(e: Event) -> tuple[dt.date, dt.date]:
    if len(e.date) == 10:
        d = dt.date.fromisoformat(e.date)
        return d, d
    y, m = int(e.date[:4]), int(e.date[5:7])
    return dt.date(y, m, 1), month_end(y, m)


def fact_interval(f: Fact) -> tuple[float, float]:
    return interval(f)
