"""Forward-looking claims ("on track to cross 1 million within 2026", "could become the fastest to reach
one million", "expects 600,000 this year"), judged by the forecast hook (:mod:`evpace.check.forecast`)
with the data known at the article's date. Judged again with all data (``now``), a claim is *resolved*
when the data shows the outcome (crossed by the deadline, or the deadline passed without it); until then
it is re-forecast with the latest data, and the note says it is not resolved yet.

Strong wording ("on track", "expected", "will") is consistent when the forecast probability is at least
0.5; weak wording ("could", "may", "might") when it is at least 0.05.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from ..model import month_end
from ..series import month_add, months_between
from .claims import Claim
from .data import milestone_window
from .judge import CONSISTENT, INCONSISTENT, UNVERIFIABLE, Reading, Result, relation, unverifiable
from .ranks import peers
from .timing import period_window, when_text
from .tolerance import Tolerance, fmt_num

if TYPE_CHECKING:
    from .judge import Judge


def forward(j: Judge, c: Claim) -> Result:
    """A forward-looking claim judged by the forecaster at the article's date; with ``now``, resolved
    against what the data shows happened since (or, if not resolved yet, re-forecast with all data)."""
    d = c.detail
    if c.entity_id is None:
        return unverifiable("—", "names no maker")
    if "rank_type" in d:
        return _forward_rank(j, c)
    if d.get("threshold"):
        return _forward_crossing(j, c)
    return _forward_volume(j, c)


def _by_forecast(j: Judge, c: Claim, threshold: float, by: dt.date, weak: bool) -> tuple[str, Reading, dict]:
    p, det = j.forecaster.crossing_probability(c.entity_id, threshold, by, j.as_of)
    if p is None or (isinstance(p, float) and math.isnan(p)):
        verdict = UNVERIFIABLE
    else:
        verdict = CONSISTENT if p >= (0.05 if weak else 0.5) else INCONSISTENT
    r = Reading(f"forecast: {getattr(j.forecaster, 'name', 'forecaster')}", det.get("projected", p),
                f"{det.get('arithmetic', '')}; p = {p:.2f}" if p == p else det.get("arithmetic", ""), verdict,
                sources=det.get("sources", []))
    return verdict, r, det


def _resolved(j: Judge, c: Claim, threshold: float, by: dt.date) -> Result | None:
    """With all data: the outcome, when the data shows it."""
    if not j.now:
        return None
    name = j.data.name(c.entity_id)
    ms = j.data.crossing(c.entity_id, threshold, None)
    w = milestone_window(ms)
    if w is not None:
        ok = w[1] <= by
        return Result(ms.date, CONSISTENT if ok else INCONSISTENT,
                      f"resolved: {name} crossed {fmt_num(threshold)} {when_text(ms)} ({ms.metric}); deadline {by}",
                      facts=ms.facts)
    latest = j.data.latest_cumulative(c.entity_id)
    if latest is not None and ms.latest_cumulative_period and period_window(ms.latest_cumulative_period)[1] >= by:
        return Result(ms.latest_cumulative, INCONSISTENT,
                      f"resolved: {name} had {fmt_num(ms.latest_cumulative)} at {ms.latest_cumulative_period}, past "
                      f"the deadline {by}, below {fmt_num(threshold)}", facts=ms.facts)
    return None


def _forward_crossing(j: Judge, c: Claim) -> Result:
    """"on track to cross 1 million within 2026"."""
    d = c.detail
    threshold = d["threshold"]
    if not d.get("by"):
        return unverifiable("—", "no deadline given")
    by = dt.date.fromisoformat(d["by"])
    res = _resolved(j, c, threshold, by)
    if res is not None:
        return res
    verdict, r, det = _by_forecast(j, c, threshold, by, d.get("weak", False))
    r.chosen, r.why = True, "the forecast hook"
    readings = [r]
    bt = d.get("basis_target")
    if bt and bt.get("year"):
        start = j.data.value(c.entity_id, "deliveries", "cumulative", f"{int(bt['year']) - 1}-12")
        if start is not None:
            x = start.value + bt["value"]
            readings.append(Reading(f"the article's basis: cumulative at the end of {int(bt['year']) - 1} + the "
                                    f"{bt['year']} target", x,
                                    f"{fmt_num(start.value)} + {fmt_num(bt['value'])} = {fmt_num(x)} "
                                    f"{'≥' if x >= threshold else '<'} {fmt_num(threshold)}",
                                    CONSISTENT if x >= threshold else INCONSISTENT, sources=start.sources))
    note = f"judged by the forecast at {j.as_of or 'the latest data'}"
    if j.now:
        note = f"not resolved yet (data through {det.get('latest_period', '?')}); " + note
    recomputed = det.get("projected") if det.get("projected") is not None else det.get("crossed")
    return Result(recomputed, verdict, r.arithmetic, readings, sources=det.get("sources", []), note=note)


def _forward_rank(j: Judge, c: Claim) -> Result:
    """"could become the fastest automaker to reach one million": the record to beat, and whether the
    forecast beats it."""
    d = c.detail
    threshold = d["threshold"]
    name = j.data.name(c.entity_id)
    group = d.get("peers_named") or d.get("peers_context") or "all"
    fd = j.data.first_delivery(c.entity_id)
    if fd is None:
        return unverifiable("—", f"{name}'s first delivery is not in the data")
    rows = [j.data.milestone(p, threshold, c.metric) for p in peers(j, c.entity_id, group)]
    rows = [r for r in rows if r.status == "crossed" and r.months_from_first_delivery is not None]
    if d.get("rank_type") != "speed" or not rows:
        return unverifiable("—", "only 'fastest' forward ranks are judged" if rows else "no record to compare with")
    rec = min(rows, key=lambda r: (r.months_from_first_delivery, r.days_from_first_delivery or 0))
    months = rec.months_from_first_delivery
    by = month_end(*map(int, month_add(fd.date[:7], months - 1).split("-")))
    record = (f"record {j.when} ({c.metric or 'any metric'}, {'upstarts' if group == 'upstart' else 'all makers'}): "
              f"{rec.entity} {months} months ({rec.first_delivery} → {rec.date})")
    me = j.data.milestone(c.entity_id, threshold, c.metric)
    if me.status == "crossed" and me.months_from_first_delivery is not None:
        ok = (me.months_from_first_delivery, me.days_from_first_delivery or 0) < (
            months, rec.days_from_first_delivery or 0)
        return Result(me.months_from_first_delivery, CONSISTENT if ok else INCONSISTENT,
                      f"{record}; {name} took {me.months_from_first_delivery} months ({fd.date} → {me.date})",
                      facts=me.facts + rec.facts)
    if j.now and dt.date.today() > by and (res := _resolved(j, c, threshold, by)) is not None:
        res.arithmetic = f"{record}; " + res.arithmetic
        return res
    verdict, r, det = _by_forecast(j, c, threshold, by, d.get("weak", False))
    r.chosen, r.why = True, "the forecast hook"
    cross = det.get("projected_crossing")
    proj_months = months_between(fd.date[:7], cross) if cross else None
    arith = (f"{record}; {name} must cross {fmt_num(threshold)} by {by} (within {months - 1} calendar months of "
             f"{fd.date}); {r.arithmetic}")
    note = f"judged by the forecast at {j.as_of or 'the latest data'}" + ("; not resolved yet" if j.now else "")
    if d.get("weak"):
        note += "; 'could' is read as 'the forecast makes it possible'"
    return Result(proj_months, verdict, arith, [r], facts=rec.facts, sources=det.get("sources", []), note=note)


def _forward_volume(j: Judge, c: Claim) -> Result:
    """A volume the article expects for a year: the forecast's year total (or, now, the actual)."""
    if not c.period[:4].isdigit():
        return unverifiable("—", "no year for the expected figure")
    year = int(c.period[:4])
    tol = j.tolerance(c)
    slack = max((tol.high - tol.low) / 2, 0.10 * (c.value or 0))
    wide = Tolerance((c.value or 0) - slack, (c.value or 0) + slack, f"a forecast: ±10% or {tol.rule}", "approx")
    if j.now:
        v, through = j.data.year(c.entity_id, year, j.metric(c))
        if v is not None and through == f"{year}-12":
            return Result(v.value, CONSISTENT if wide.contains(v.value) else INCONSISTENT,
                          f"resolved: {j.data.name(c.entity_id)} {year}: {fmt_num(v.value)} ({v.how}); "
                          f"{relation(v.value, wide)}", facts=v.facts, tolerance=wide)
    total, det = j.forecaster.year_total(c.entity_id, year, j.as_of)
    if total is None:
        return unverifiable(det.get("arithmetic", "—"), "no forecast possible", tolerance=wide)
    return Result(total, CONSISTENT if wide.contains(total) else INCONSISTENT,
                  f"{det.get('arithmetic', '')}; {relation(total, wide)}", sources=det.get("sources", []),
                  tolerance=wide, note=f"judged by the forecast at {j.as_of or 'the latest data'}")
