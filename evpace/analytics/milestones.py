"""Milestones: when an entity crossed N units, how long it took from first delivery, and between thresholds.

A crossing date comes from, in order of preference:

1. a reported milestone: a cumulative figure of exactly N (or "over N") on a given day or month;
2. an estimate from the cumulative series: the first month whose cumulative reaches N, the day
   interpolated at a constant pace within that month (``estimated=True``, with the months used);
3. an upper limit: the first reported cumulative figure above N ("crossed on or before").

With no metric given, production, deliveries and sales milestones all count and the earliest
reported crossing wins (the metric is shown).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from ..model import Event, Fact
from ..reconcile import FactSet
from ..series import Point, SeriesBuilder, first_delivery, metrics_for, months_between

MILESTONE_METRICS = ("production", "deliveries", "sales")


@dataclass
class Milestone:
    """One entity's crossing of a threshold (or its latest standing when not yet crossed)."""

    entity_id: str
    entity: str
    kind: str
    threshold: float
    metric: str | None
    status: str  # crossed | not yet | unknown
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    date_basis: str = ""  # reported | estimated | on or before
    estimated: bool = False
    place: str = ""
    first_delivery: str | None = None
    first_delivery_source: str | None = None
    months_from_first_delivery: int | None = None
    days_from_first_delivery: int | None = None
    latest_cumulative: float | None = None
    latest_cumulative_period: str | None = None
    latest_cumulative_metric: str | None = None
    latest_cumulative_bound: str | None = None
    rests_on: list[str] = field(default_factory=list)  # months of the series used for an estimate
    order: int | None = None  # 1 = first to cross
    speed_rank: int | None = None  # 1 = fewest months from first delivery
    note: str = ""
    facts: list[Fact] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({f.origin.url for f in self.facts})


def duration(start: str, end: str) -> tuple[int, int | None]:
    """(calendar months, days) between two dates of day or month precision; days need both days."""
    months = months_between(start, end)
    days = None
    if len(start) == 10 and len(end) == 10:
        days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
    return months, days


def _interpolate(prev: float, cur_pt: Point, threshold: float) -> str:
    """Day within the month at which a constant pace reaches the threshold."""
    y, m = int(cur_pt.period[:4]), int(cur_pt.period[5:7])
    ndays = calendar.monthrange(y, m)[1]
    added = (cur_pt.value or 0) - prev
    frac = 1.0 if added <= 0 else min(max((threshold - prev) / added, 0.0), 1.0)
    return dt.date(y, m, max(1, round(frac * ndays))).isoformat()


class MilestoneFinder:
    """Finds crossings over a :class:`FactSet`."""

    def __init__(self, fs: FactSet, builder: SeriesBuilder | None = None) -> None:
        self.fs = fs
        self.sb = builder or SeriesBuilder(fs)

    def reported_crossing(self, entity_id: str, threshold: float, metrics: tuple[str, ...]) -> Fact | None:
        """Earliest cumulative fact of exactly the threshold (exact or lower bound)."""
        hits = [f for m in metrics for f in self.fs.select(entity_id, m, "cumulative", "actual")
                if f.value == threshold and f.bound in ("exact", "lower", "approx") and "suspect" not in f.flags]
        if not hits:
            return None
        # earliest; a day-precise date beats a month one in the same month; primary before secondary
        return min(hits, key=lambda f: (f.period[:7], len(f.period) != 10, f.period, "secondary" in f.flags,
                                        f.origin.published or "9999", f.id))

    def first_above(self, entity_id: str, threshold: float, metrics: tuple[str, ...]) -> Fact | None:
        hits = [f for m in metrics for f in self.fs.select(entity_id, m, "cumulative", "actual")
                if f.value > threshold and f.bound in ("exact", "lower") and "suspect" not in f.flags]
        return min(hits, key=lambda f: (f.period, f.id)) if hits else None

    def estimate(self, entity_id: str, threshold: float, metric: str) -> tuple[str, list[Point]] | None:
        """Crossing day estimated from the cumulative series, with the points used."""
        cum = self.sb.cumulative(entity_id, metric)
        prev_pt = None
        for p in sorted(cum):
            pt = cum[p]
            if pt.value is None:
                prev_pt = None
                continue
            if pt.value >= threshold and pt.bound in ("exact", "approx", "lower"):
                if prev_pt is None or prev_pt.value is None:
                    return None  # crossed somewhere in a gap: cannot say when
                return _interpolate(prev_pt.value, pt, threshold), [prev_pt, pt]
            prev_pt = pt
        return None

    def latest(self, entity_id: str, metrics: tuple[str, ...]) -> tuple[float, str, str, str, list[Fact]] | None:
        """Latest known cumulative figure: the series' last point or a later reported figure."""
        best = None
        for m in metrics:
            if m == "sales":
                continue  # the deliveries series already uses sales where needed
            cum = self.sb.cumulative(entity_id, m) if m != "production" else {}
            known = [p for p in cum.values() if p.value is not None]
            if known:
                pt = max(known, key=lambda p: p.period)
                cand = (pt.value, pt.period, m, pt.bound, pt.facts)
                if best is None or cand[1] > best[1]:
                    best = cand
        for m in metrics:
            for f in self.fs.select(entity_id, m, "cumulative", "actual"):
                if "suspect" in f.flags:
                    continue
                cand = (f.value, f.period, f.metric, f.bound, [f])
                if best is None or (cand[1][:7], cand[0]) > (best[1][:7], best[0]):
                    best = cand
        return best

    def find(self, entity_id: str, threshold: float, metric: str | None = None) -> Milestone:
        """The crossing of ``threshold`` by one entity."""
        ent = self.fs.registry.get(entity_id)
        metrics = tuple(metrics_for(metric)) if metric else MILESTONE_METRICS
        if metric == "production":
            metrics = ("production",)
        fd: Event | None = first_delivery(self.fs, entity_id)
        ms = Milestone(entity_id=ent.id, entity=ent.name, kind=ent.kind, threshold=threshold, metric=metric,
                       status="unknown", first_delivery=fd.date if fd else None,
                       first_delivery_source=fd.origin.url if fd and fd.origin else None)
        rep = self.reported_crossing(entity_id, threshold, metrics)
        if rep:
            ms.status, ms.date, ms.date_basis, ms.metric = "crossed", rep.period, "reported", rep.metric
            ms.place, ms.facts = rep.place, [rep]
            if rep.bound == "lower":
                ms.note = "reported as 'over' the threshold on that date"
        else:
            series_metric = metric if metric in ("deliveries", "sales") else "deliveries"
            est = self.estimate(entity_id, threshold, series_metric) if metric != "production" else None
            if est:
                day, pts = est
                ms.status, ms.date, ms.date_basis, ms.estimated = "crossed", day, "estimated", True
                ms.metric = pts[-1].metric or series_metric
                ms.rests_on = [p.period for p in pts]
                ms.facts = [f for p in pts for f in p.facts]
                ms.note = (f"estimated within {pts[-1].period} from cumulative "
                           f"{pts[0].value:,.0f} -> {pts[-1].value:,.0f}")
            else:
                above = self.first_above(entity_id, threshold, metrics)
                if above:
                    ms.status, ms.date, ms.date_basis, ms.metric = "crossed", above.period, "on or before", above.metric
                    ms.facts, ms.place = [above], above.place
                    ms.note = f"first reported cumulative above the threshold: {above.value:,.0f}"
        latest = self.latest(entity_id, metrics)
        if latest:
            (ms.latest_cumulative, ms.latest_cumulative_period, ms.latest_cumulative_metric,
             ms.latest_cumulative_bound, lfacts) = latest
            if ms.status == "unknown":
                ms.status = "not yet" if latest[0] < threshold else "crossed"
                ms.facts = lfacts
                if ms.status == "crossed":  # only a figure above it, without a usable date
                    ms.date, ms.date_basis = latest[1], "on or before"
        if ms.date and fd:
            ms.months_from_first_delivery, ms.days_from_first_delivery = duration(fd.date, ms.date)
        return ms

    def table(self, threshold: float, metric: str | None = None, entity_ids: list[str] | None = None,
              keep_unknown: bool = False) -> list[Milestone]:
        """Crossings of the entities given (default: every group and brand), in order of crossing,
        then those not there yet by latest figure. Entities with no figure at all are left out unless
        ``keep_unknown``."""
        ids = entity_ids if entity_ids is not None else [e.id for e in self.fs.registry if e.kind != "model"]
        rows = [self.find(i, threshold, metric) for i in ids]
        rows = [r for r in rows if r.status != "unknown" or keep_unknown]
        crossed = sorted((r for r in rows if r.status == "crossed" and r.date),
                         key=lambda r: (r.date[:7], r.date))
        for i, r in enumerate(crossed, 1):
            r.order = i
        timed = sorted((r for r in crossed if r.months_from_first_delivery is not None),
                       key=lambda r: (r.months_from_first_delivery, r.days_from_first_delivery or 0))
        for i, r in enumerate(timed, 1):
            r.speed_rank = i
        rest = sorted((r for r in rows if r.status != "crossed"),
                      key=lambda r: -(r.latest_cumulative or 0))
        return crossed + rest


@dataclass
class Pace:
    """Time between two thresholds (0 = first delivery)."""

    entity_id: str
    entity: str
    from_threshold: float
    to_threshold: float
    from_date: str | None
    to_date: str | None
    months: int | None
    days: int | None
    estimated: bool
    start: Milestone | None
    end: Milestone
    note: str = ""

    @property
    def sources(self) -> list[str]:
        s = set(self.end.sources)
        if self.start:
            s |= set(self.start.sources)
        return sorted(s)


def pace(fs: FactSet, entity_id: str, from_n: float, to_n: float, metric: str | None = None) -> Pace:
    """Time from ``from_n`` units (0 = first delivery) to ``to_n`` units."""
    finder = MilestoneFinder(fs)
    end = finder.find(entity_id, to_n, metric)
    start = None
    if from_n <= 0:
        from_date = end.first_delivery
    else:
        start = finder.find(entity_id, from_n, metric)
        from_date = start.date if start.status == "crossed" and start.date_basis != "on or before" else None
    to_date = end.date if end.status == "crossed" and end.date_basis != "on or before" else None
    months = days = None
    note = ""
    if from_date and to_date:
        months, days = duration(from_date, to_date)
    else:
        missing = [n for n, d in ((from_n, from_date), (to_n, to_date)) if not d]
        note = "no date for " + " and ".join(f"{n:,.0f}" if n else "first delivery" for n in missing)
    return Pace(entity_id=end.entity_id, entity=end.entity, from_threshold=from_n, to_threshold=to_n,
                from_date=from_date, to_date=to_date, months=months, days=days,
                estimated=end.estimated or bool(start and start.estimated), start=start, end=end, note=note)
