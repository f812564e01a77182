"""Monthly and cumulative series per entity and metric, built from reconciled facts.

* Monthly: the best month figure for the metric asked; deliveries and sales stand in for each other
  (sources word the same volume either way) and the point says which was used. A group with no
  figure of its own for a month is the sum of its brands when every brand that may have started is
  known (``rolled-up``); with some brands missing the sum is only a lower bound. Models are never
  added into brands. Months with nothing stay gaps (``value=None``).
* Cumulative: anchored on reported since-inception figures at month ends. Between anchors the monthly
  figures are added forward (or subtracted backward from the next anchor); a reported figure that an
  unbroken chain of monthly figures contradicts is listed as a conflict and not used as an anchor.
  Where neither reaches, the month is a gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import VOLUME_FAMILY, Event, Fact, month_end, period_end
from .reconcile import Conflict, FactSet

ANCHOR_TOLERANCE = 0.001  # relative slack between a reported cumulative figure and monthly sums


def month_add(period: str, n: int) -> str:
    """``YYYY-MM`` shifted by n months."""
    y, m = int(period[:4]), int(period[5:7])
    idx = y * 12 + (m - 1) + n
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def months_between(a: str, b: str) -> int:
    """Whole calendar months from month ``a`` to month ``b`` (``YYYY-MM...``)."""
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7])


def month_range(a: str, b: str) -> list[str]:
    return [month_add(a, i) for i in range(months_between(a, b) + 1)]


@dataclass
class Point:
    """One month of a series. ``how`` says where the value comes from."""

    period: str
    value: float | None
    bound: str = ""  # exact | approx | lower | upper; empty for a gap
    metric: str | None = None
    how: str = "gap"
    facts: list[Fact] = field(default_factory=list)
    reported: float | None = None  # cumulative only: a figure reported for that month's end
    note: str = ""

    @property
    def sources(self) -> list[str]:
        return sorted({f.origin.url for f in self.facts})


def _looser(a: str, b: str) -> str:
    order = ["exact", "approx", "lower", "upper"]
    return a if order.index(a) >= order.index(b) else b


def metrics_for(metric: str) -> list[str]:
    """The metric asked first, then its stand-ins."""
    if metric in VOLUME_FAMILY:
        return [metric] + [m for m in VOLUME_FAMILY if m != metric]
    return [metric]


def first_delivery(fs: FactSet, entity_id: str) -> Event | None:
    """The entity's first customer delivery: its own confirmed event, else (for a group whose brands
    make up its volume) its earliest brand's.

    Planned and internal (staff-only) deliveries don't count. Of confirmed events the earliest month
    wins and, within it, a day-precise date is preferred.
    """
    own = [e for e in fs.events if e.entity_id == entity_id and e.event == "first_delivery"
           and e.status == "confirmed"]
    if own:
        return min(own, key=lambda e: (e.date[:7], e.precision != "day", e.date, e.origin_ref))
    ent = fs.registry.get(entity_id)
    if ent.kind != "group" or ent.rollup not in ("complete", "partial"):
        return None  # a brand's models, or a group whose brands are not all of it, say nothing of it
    kids = [first_delivery(fs, c.id) for c in fs.registry.children(entity_id) if c.kind != "model"]
    kids = [k for k in kids if k]
    return min(kids, key=lambda e: (e.date[:7], e.precision != "day", e.date)) if kids else None


class SeriesBuilder:
    """Builds series from a :class:`FactSet`, caching monthly series per (entity, metric)."""

    def __init__(self, fs: FactSet) -> None:
        self.fs = fs
        self._monthly: dict[tuple[str, str], dict[str, Point]] = {}
        self.conflicts: list[Conflict] = []
        self._checked: set[tuple[str, str]] = set()

    # -- monthly --------------------------------------------------------------------------------
    def own_month(self, entity_id: str, metric: str, period: str) -> Point | None:
        for m in metrics_for(metric):
            best = self.fs.best(entity_id, m, "month", period)
            if best:
                f = best.fact
                bound = "approx" if "rounded" in f.flags and f.bound == "exact" else f.bound
                return Point(period, f.value, bound, m, "reported", [f],
                             note="" if m == metric else f"{m} figure stands in for {metric}")
        return None

    def monthly(self, entity_id: str, metric: str = "deliveries") -> dict[str, Point]:
        """Month -> point, from the first month known to the last, gaps included."""
        key = (entity_id, metric)
        if key in self._monthly:
            return self._monthly[key]
        ent = self.fs.registry.get(entity_id)
        months = {f.period for m in metrics_for(metric) for f in self.fs.select(entity_id, m, "month")}
        children = [c for c in self.fs.registry.children(entity_id) if c.kind != "model"]
        rollup = ent.kind == "group" and ent.rollup in ("complete", "partial") and children
        child_series = {c.id: self.monthly(c.id, metric) for c in children} if rollup else {}
        for s in child_series.values():
            months |= {p for p, pt in s.items() if pt.value is not None}
        out: dict[str, Point] = {}
        if months:
            for period in month_range(min(months), max(months)):
                pt = self.own_month(entity_id, metric, period)
                if pt is None and rollup:
                    pt = self._rolled_up(ent.rollup, period, children, child_series)
                out[period] = pt or Point(period, None)
        self._monthly[key] = out
        return out

    def _rolled_up(self, rollup: str, period: str, children, child_series) -> Point | None:
        total, bound, facts, missing = 0.0, "exact", [], []
        for c in children:
            pt = child_series[c.id].get(period)
            if pt and pt.value is not None:
                total += pt.value
                bound = _looser(bound, pt.bound)
                facts += pt.facts
                continue
            fd = first_delivery(self.fs, c.id)
            if fd is None or fd.date[:7] <= period:
                missing.append(c.id)
        if not facts:
            return None
        if missing or rollup != "complete":
            note = f"sum of brands; missing: {', '.join(missing)}" if missing else "sum of known brands"
            return Point(period, total, "lower", facts[0].metric, "rolled-up (lower bound)", facts, note=note)
        return Point(period, total, bound, facts[0].metric, "rolled-up", facts, note="sum of brands")

    # -- cumulative -----------------------------------------------------------------------------
    def anchors(self, entity_id: str, metric: str) -> list[Fact]:
        """Reported since-inception figures usable as month-end anchors (exact, at a month's end)."""
        out = []
        for m in metrics_for(metric):
            for f in self.fs.select(entity_id, m, "cumulative"):
                if f.bound == "exact" and len(f.period) == 10 and period_end(f.period) == month_end(
                        int(f.period[:4]), int(f.period[5:7])) and "suspect" not in f.flags:
                    out.append(f)
        return sorted(out, key=lambda f: (f.period, metrics_for(metric).index(f.metric), f.id))

    def cumulative(self, entity_id: str, metric: str = "deliveries") -> dict[str, Point]:
        """Month -> cumulative point (see the module docstring)."""
        monthly = self.monthly(entity_id, metric)
        anchors_by_month: dict[str, list[Fact]] = {}
        for f in self.anchors(entity_id, metric):
            anchors_by_month.setdefault(f.period[:7], []).append(f)
        fd = first_delivery(self.fs, entity_id)
        months = set(monthly) | set(anchors_by_month)
        if not months:
            return {}
        start = min(months)
        if fd and fd.date[:7] < start:
            start = fd.date[:7]
        periods = month_range(start, max(months))
        value = lambda p: monthly[p].value if p in monthly else None  # noqa: E731

        # forward pass: accepted anchors and running chain
        accepted: dict[str, Fact] = {}
        chain: dict[str, tuple[float, str, list[Fact], str]] = {}
        running: tuple[float, str, list[Fact], str] | None = None
        if fd and fd.date[:7] == start:
            running = (0.0, "exact", [], f"sum since first delivery ({fd.date})")
            before = month_add(start, -1)
            chain[before] = running
        for p in periods:
            if running is not None:
                v = value(p)
                if v is None:
                    running = None
                else:
                    running = (running[0] + v, _looser(running[1], monthly[p].bound),
                               running[2] + monthly[p].facts, running[3])
            for f in anchors_by_month.get(p, []):
                if running is not None and abs(running[0] - f.value) > ANCHOR_TOLERANCE * f.value:
                    self._conflict(entity_id, metric, p, f, running[0])
                    continue
                if p not in accepted:
                    accepted[p] = f
                    running = (f.value, "exact", [f], f"reported {f.period}")
            if running is not None:
                chain[p] = running
        out: dict[str, Point] = {}
        for p in periods:
            reported = anchors_by_month.get(p)
            rep = reported[0].value if reported else None
            if p in chain:
                v, bound, facts, base = chain[p]
                how = "reported" if p in accepted else f"{base} + monthly"
                out[p] = Point(p, v, bound, metric, how, facts[-12:] if how != "reported" else facts,
                               reported=rep)
                continue
            back = self._back(p, periods, accepted, monthly)
            out[p] = back or Point(p, None, reported=rep, facts=reported or [])
        return out

    def _back(self, p: str, periods: list[str], accepted: dict[str, Fact], monthly: dict[str, Point]):
        later = [q for q in accepted if q > p]
        if not later:
            return None
        q = min(later)
        total, facts, bound = accepted[q].value, [accepted[q]], "exact"
        for r in month_range(month_add(p, 1), q):
            pt = monthly.get(r)
            if pt is None or pt.value is None:
                return None
            total -= pt.value
            facts.append(pt.facts[0])
            bound = _looser(bound, pt.bound)
        return Point(p, total, bound, accepted[q].metric, f"reported {accepted[q].period} - later monthly",
                     facts)

    def _conflict(self, entity_id: str, metric: str, period: str, fact: Fact, computed: float) -> None:
        key = (fact.id, metric)
        if key in self._checked:
            return
        self._checked.add(key)
        diff = fact.value - computed
        self.conflicts.append(Conflict(
            kind="cumulative-vs-monthly", entity_id=entity_id, metric=fact.metric, period=fact.period,
            message=(f"cumulative {fact.metric} reported as {fact.value:,.0f} for {fact.period} "
                     f"({fact.origin.publisher}), but the previous cumulative figure plus monthly figures "
                     f"give {computed:,.0f} ({diff:+,.0f})"),
            facts=[fact], expected=computed,
            arithmetic=f"{computed:,.0f} (chain) vs {fact.value:,.0f} (reported)"))

    def year_conflicts(self, entity_id: str, metric: str) -> list[Conflict]:
        """Reported year totals that the twelve reported months contradict."""
        out = []
        monthly = self.monthly(entity_id, metric)
        years = {f.period for f in self.fs.select(entity_id, metric, "year", "actual")}
        for y in sorted(years):
            pts = [monthly.get(f"{y}-{m:02d}") for m in range(1, 13)]
            if any(p is None or p.value is None for p in pts):
                continue
            lo = sum(p.value * (0.98 if p.bound == "approx" else 1) for p in pts)
            hi = sum(p.value * (1.02 if p.bound == "approx" else 1) if p.bound != "lower" else float("inf")
                     for p in pts)
            total = sum(p.value for p in pts)
            from .reconcile import agrees

            for f in self.fs.group((entity_id, metric, "year", y, "", "actual")):
                if not agrees(f, (lo, hi)):
                    out.append(Conflict(
                        kind="year-vs-monthly", entity_id=entity_id, metric=metric, period=y,
                        message=(f"{y} {metric} reported as {f.value:,.0f} ({f.bound}, {f.origin.publisher}) "
                                 f"but the 12 monthly figures add up to {total:,.0f}"),
                        facts=[f], expected=total, arithmetic=" + ".join(f"{p.value:,.0f}" for p in pts)))
        return out


def today() -> dt.date:
    return dt.date.today()
