"""Year totals, growth, run-rates and progress against annual targets (with their revisions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Fact
from ..reconcile import FactSet
from ..series import SeriesBuilder, first_delivery, metrics_for


@dataclass
class YearActual:
    """What a year's volume was (or is so far), and how it was obtained."""

    year: int
    value: float | None
    through: str | None  # YYYY-MM of the last month counted
    bound: str = "exact"
    how: str = ""  # monthly sum | year-to-date figure | year figure
    months: int = 0
    facts: list[Fact] = field(default_factory=list)
    reported: list[Fact] = field(default_factory=list)  # year / ytd figures reported by sources


def year_actual(fs: FactSet, sb: SeriesBuilder, entity_id: str, year: int, metric: str = "deliveries") -> YearActual:
    """The year's total: monthly figures added from January while unbroken, or a later-reaching
    reported year-to-date / year figure. Reported totals are listed beside it either way."""
    monthly = sb.monthly(entity_id, metric)
    total, facts, bound, through, n = 0.0, [], "exact", None, 0
    for m in range(1, 13):
        pt = monthly.get(f"{year}-{m:02d}")
        if pt is None or pt.value is None:
            break
        total += pt.value
        facts += pt.facts
        bound = pt.bound if pt.bound != "exact" else bound
        through, n = pt.period, m
    best = YearActual(year, total if n else None, through, bound, "monthly sum" if n else "", n, facts)
    reported = []
    for m in metrics_for(metric):
        reported += [f for f in fs.select(entity_id, m, "year", "actual") if f.period == str(year)]
        reported += [f for f in fs.select(entity_id, m, "ytd", "actual") if f.period.startswith(f"{year}-01/")]
    best.reported = sorted(reported, key=lambda f: (f.period, f.value))
    for f in best.reported:
        f_through = f"{year}-12" if f.scope == "year" else f.period[-7:]
        if "suspect" in f.flags:
            continue
        if best.through is None or f_through > best.through:
            best = YearActual(year, f.value, f_through, f.bound, f"{f.scope} figure", int(f_through[5:]), [f],
                              best.reported)
    return best


@dataclass
class TargetProgress:
    """Progress of a year's actual volume against one announced target."""

    entity_id: str
    entity: str
    year: int
    actual: float | None
    actual_through: str | None
    actual_bound: str
    actual_how: str
    target: float | None
    target_announced: str | None
    target_announced_basis: str | None
    target_note: str
    target_bound: str | None
    progress: float | None
    remaining: float | None
    months_left: int | None
    monthly_pace_needed: float | None
    run_rate_3m: float | None  # trailing 3-month average
    projected: float | None  # actual + run_rate_3m * months_left
    facts: list[Fact] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({f.origin.url for f in self.facts})


def targets(fs: FactSet, entity_id: str, year: int, metric: str = "deliveries") -> list[TargetProgress]:
    """One row per announced target (and revision) of the year, oldest announcement first.
    With no target known, one row with the actual only."""
    sb = SeriesBuilder(fs)
    ent = fs.registry.get(entity_id)
    act = year_actual(fs, sb, entity_id, year, metric)
    months_left = 12 - int(act.through[5:]) if act.through else 12
    monthly = sb.monthly(entity_id, metric)
    last3 = [monthly.get(p) for p in sorted(monthly) if act.through and p <= act.through][-3:]
    rr = (sum(p.value for p in last3) / 3) if len(last3) == 3 and all(p and p.value is not None for p in last3) \
        else None
    tfacts = [f for m in metrics_for(metric) for f in fs.select(entity_id, m, "year", "target")
              if f.period == str(year)]
    # announcement order; a target the source calls "initial" comes first whatever its source's date
    tfacts.sort(key=lambda f: ("initial" not in f.note.lower(), f.origin.published or "", f.value))
    rows = []
    for t in tfacts or [None]:
        target = t.value if t else None
        remaining = (target - act.value) if (target is not None and act.value is not None) else None
        need = None
        if remaining is not None and months_left > 0:
            need = max(remaining, 0.0) / months_left
        elif remaining is not None:
            need = 0.0
        rows.append(TargetProgress(
            entity_id=ent.id, entity=ent.name, year=year, actual=act.value, actual_through=act.through,
            actual_bound=act.bound, actual_how=act.how, target=target,
            target_announced=t.origin.published if t else None,
            target_announced_basis=t.origin.published_basis if t else None,
            target_note=t.note if t else "", target_bound=t.bound if t else None,
            progress=(act.value / target) if (target and act.value is not None) else None,
            remaining=remaining, months_left=months_left, monthly_pace_needed=need, run_rate_3m=rr,
            projected=(act.value + rr * months_left) if (rr is not None and act.value is not None) else None,
            facts=act.facts + ([t] if t else [])))
    return rows


@dataclass
class YearStat:
    year: int
    total: float | None
    months: int
    complete: bool
    bound: str
    growth: float | None  # vs previous year's total, complete years (or same months) only
    growth_basis: str
    reported: list[float] = field(default_factory=list)


@dataclass
class RunRate:
    through: str | None
    last_month: float | None
    annualised_last_month: float | None
    trailing_3m_avg: float | None
    annualised_3m: float | None
    yoy_last_month: float | None
    facts: list[Fact] = field(default_factory=list)


def year_stats(fs: FactSet, entity_id: str, metric: str = "deliveries") -> tuple[list[YearStat], RunRate]:
    """Year totals with YoY growth, and the latest run-rate (month x 12, trailing 3 months x 12)."""
    sb = SeriesBuilder(fs)
    monthly = sb.monthly(entity_id, metric)
    years = sorted({int(p[:4]) for p in monthly})
    fd = first_delivery(fs, entity_id)
    start = fd.date[:7] if fd else None  # months before the first delivery count as zero
    stats: list[YearStat] = []
    by_year: dict[int, dict[int, float]] = {}
    for y in years:
        vals = {m: monthly[f"{y}-{m:02d}"].value for m in range(1, 13)
                if f"{y}-{m:02d}" in monthly and monthly[f"{y}-{m:02d}"].value is not None}
        vals.update({m: 0.0 for m in range(1, 13) if start and f"{y}-{m:02d}" < start and m not in vals})
        by_year[y] = vals
        bound = "exact"
        for m in vals:
            b = monthly[f"{y}-{m:02d}"].bound if f"{y}-{m:02d}" in monthly else "exact"
            bound = b if b != "exact" else bound
        complete = len(vals) == 12
        prev = by_year.get(y - 1, {})
        growth, basis = None, ""
        common = sorted(set(vals) & set(prev))
        if complete and len(prev) == 12:
            growth, basis = sum(vals.values()) / sum(prev.values()) - 1, "full year"
        elif common and common == sorted(vals) and len(common) == len(vals):
            cur = sum(vals[m] for m in common)
            growth, basis = cur / sum(prev[m] for m in common) - 1, f"same {len(common)} months"
        reported = [f.value for m in metrics_for(metric) for f in fs.select(entity_id, m, "year", "actual")
                    if f.period == str(y)]
        stats.append(YearStat(y, sum(vals.values()) if vals else None, len(vals), complete, bound, growth,
                              basis, sorted(reported)))
    known = [p for p in sorted(monthly) if monthly[p].value is not None]
    rr = RunRate(None, None, None, None, None, None)
    if known:
        last = known[-1]
        lv = monthly[last].value
        t3 = [monthly[p] for p in sorted(monthly) if p <= last][-3:]
        avg3 = sum(p.value for p in t3) / 3 if len(t3) == 3 and all(p.value is not None for p in t3) else None
        ly = f"{int(last[:4]) - 1}{last[4:]}"
        yoy = (lv / monthly[ly].value - 1) if ly in monthly and monthly[ly].value else None
        rr = RunRate(last, lv, lv * 12, avg3, avg3 * 12 if avg3 is not None else None, yoy,
                     [f for p in t3 for f in p.facts])
    return stats, rr
