"""Claims about time: milestones reached (and when), first deliveries, durations, and ratios of pace
("2.3 times faster"). Each function takes the :class:`~evpace.check.judge.Judge` and a claim and returns a
:class:`~evpace.check.judge.Result` (ranks: :mod:`.ranks`; forward-looking claims: :mod:`.forward`).

Elapsed time is measured from date *windows*: a date known to the day is one day, a date known to the
month (or estimated within a month) is that whole month, "early 2024" is January to April. A month
count is ``(calendar months) + (day difference) / 30.44``; the claim is consistent when some elapsed
time the windows allow is within its tolerance (the note says when that depends on an unknown day).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..model import month_end
from ..series import month_add, months_between
from .claims import Claim
from .data import Value, event_window, milestone_window
from .judge import CONSISTENT, INCONSISTENT, UNVERIFIABLE, Reading, Result, relation, unverifiable
from .tolerance import HEDGE_SLACK, Tolerance, fmt_num, tolerance_for

if TYPE_CHECKING:
    from .judge import Judge

DAYS_PER_MONTH = 30.44
Window = tuple[dt.date, dt.date]


def months_frac(a: dt.date, b: dt.date) -> float:
    """Elapsed months from ``a`` to ``b``: calendar months plus the day difference / 30.44."""
    return (b.year - a.year) * 12 + (b.month - a.month) + (b.day - a.day) / DAYS_PER_MONTH


def period_window(period: str) -> Window | None:
    """First and last day of a period string (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD)."""
    from ..model import period_end, period_start

    try:
        return period_start(period), period_end(period)
    except (ValueError, IndexError):
        return None


def window_text(w: Window) -> str:
    a, b = w
    if a == dt.date.min:
        return f"on or before {b}"
    return a.isoformat() if a == b else f"{a}..{b}"


def duration_tolerance(c: Claim) -> Tolerance:
    """Durations: rounded to the unit, or a count of completed units (months, years); hedges and bounds
    as for any number (see :mod:`evpace.check.tolerance`)."""
    n, unit, word = c.value or 0.0, c.unit, c.word
    text = c.number_text or fmt_num(n)
    if c.bound in ("lower", "upper"):
        return tolerance_for(n, text, c.bound, word, unit)
    half = float(c.detail.get("rounding_months", 0.5)) if unit == "months" else 0.5
    rule = f"{text} {unit} read as rounded (±{fmt_num(half)})"
    if c.bound == "approx" and HEDGE_SLACK * n > half:
        half = HEDGE_SLACK * n
        rule = f"'{word}' {text} {unit}: ±2% = ±{fmt_num(half)}"
    elif c.bound == "approx":
        rule = f"'{word}' {text} {unit}: ±{fmt_num(half)}"
    high = n + half
    if unit in ("months", "years") and "rounding_months" not in c.detail:
        high = max(high, n + 1)
        rule += f" or as {fmt_num(n)} completed {unit} (up to {fmt_num(n + 1)})"
    return Tolerance(n - half, high, rule, "approx" if c.bound == "approx" else "exact", center=n)


# -- milestones and dates ----------------------------------------------------------------------------
def _claimed_window(j: Judge, c: Claim) -> Window | None:
    """The day(s) a milestone claim names; "topped ... on D" and "by D" mean on or before D."""
    if c.detail.get("within") and not c.period:
        fd = j.data.first_delivery(c.entity_id) if c.entity_id else None
        if fd is None:
            return None
        n = int(c.detail["within"]["value"])
        a = event_window(fd)[0]
        end = _add_months(a, n) if c.detail["within"]["unit"] == "months" else a + dt.timedelta(days=n)
        return dt.date.min, end
    w = period_window(c.period) if c.period else None
    if w is None:
        return None
    sent = c.quote.lower()
    if c.bound == "lower" or " by " in f" {sent[:max(0, c.start - c.sentence_start)]}".replace(",", " ")[-60:]:
        return dt.date.min, w[1]
    return w


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    last = month_end(y, m + 1).day
    return dt.date(y, m + 1, min(d.day, last))


def milestone_fact(j: Judge, c: Claim) -> Result:
    """"its 1 millionth vehicle rolled off the line on Oct. 15, 2024": when the data says it crossed."""
    name, threshold = j.data.name(c.entity_id), c.value or 0.0
    if not (c.detail.get("ordinal") or c.detail.get("within") or _round_threshold(threshold)):
        v = j.data.value(c.entity_id, j.metric(c), "cumulative", c.period) if c.period else None
        if v is None:
            return unverifiable("—", f"no cumulative {j.metric(c)} figure of {name} for {c.period or '(no date)'} "
                                f"in the data {j.when}")
        tol = j.tolerance(c)
        verdict = CONSISTENT if tol.overlaps(v.low, v.high) else INCONSISTENT
        return Result(v.value, verdict, f"{name}: {v.how} = {fmt_num(v.value)}; {relation(v.value, tol)}",
                      facts=v.facts, tolerance=tol)
    claimed = _claimed_window(j, c)
    ms = j.data.crossing(c.entity_id, threshold, c.metric)
    w = milestone_window(ms)
    metric_note = "" if not c.metric or ms.metric in (None, c.metric) or ms.status != "crossed" else \
        f"the data's crossing is in {ms.metric}, the article speaks of {c.metric}"
    if w is None:
        ms = j.data.milestone(c.entity_id, threshold, None)
        latest = f"latest cumulative {fmt_num(ms.latest_cumulative)} ({ms.latest_cumulative_metric}, " \
                 f"{ms.latest_cumulative_period})" if ms.latest_cumulative is not None else "no cumulative figure"
        if claimed and ms.latest_cumulative_period and ms.latest_cumulative is not None and \
                ms.latest_cumulative < threshold and period_window(ms.latest_cumulative_period)[1] >= claimed[1]:
            return Result(ms.latest_cumulative, INCONSISTENT, f"{name}: {latest}, below {fmt_num(threshold)} "
                          f"after the claimed date ({window_text(claimed)})", facts=ms.facts)
        extra = _parent_context(j, c, claimed)
        return unverifiable(f"{name}: {fmt_num(threshold)} not reached in the data {j.when}; {latest}",
                            "; ".join(x for x in (f"the data {j.when} does not reach the claimed date", extra) if x),
                            facts=ms.facts)
    arith = f"{name} crossed {fmt_num(threshold)} {when_text(ms)} ({ms.metric}, {ms.date_basis})"
    if claimed is None:
        return Result(ms.date, CONSISTENT, arith + " — the article gives no date", facts=ms.facts,
                      note=metric_note)
    ok = max(w[0], claimed[0]) <= min(w[1], claimed[1])
    arith += f"; claimed {window_text(claimed)}: {'matches' if ok else 'does not match'}"
    return Result(ms.date, CONSISTENT if ok else INCONSISTENT, arith, facts=ms.facts, note=metric_note)


def _round_threshold(v: float) -> bool:
    return v >= 10_000 and v % 10_000 == 0


def when_text(ms) -> str:
    return f"on {ms.date}" if len(ms.date or "") == 10 else f"in {ms.date}"


def _parent_context(j: Judge, c: Claim, claimed: Window | None) -> str:
    """For a model with no figures: what its brand delivered over the same months (an upper bound)."""
    ent = j.data.fs.registry.get(c.entity_id)
    fd = j.data.first_delivery(c.entity_id)
    if ent.kind != "model" or not ent.parent or fd is None or claimed is None:
        return ""
    months = [month_add(fd.date[:7], i) for i in range(months_between(fd.date[:7], claimed[1].isoformat()[:7]) + 1)]
    v, missing = j.data.months(ent.parent, j.metric(c), months)
    own = [p for p in months if j.data.month(c.entity_id, j.metric(c), p)]
    known = ", ".join(f"{p}: {fmt_num(j.data.month(c.entity_id, j.metric(c), p).value)}" for p in own)
    parts = [f"{ent.name} monthly figures known: {known}" if own else f"no monthly {ent.name} figures"]
    if v is not None:
        parts.append(f"{j.data.name(ent.parent)} as a whole delivered {fmt_num(v.value)} in "
                     f"{months[0]}..{months[-1]} (an upper bound)")
    return "; ".join(parts)


def not_yet(j: Judge, c: Claim) -> Result:
    """"hasn't reached 1 million yet": not crossed at the article's date."""
    name, threshold = j.data.name(c.entity_id), c.value or 0.0
    ms = j.data.crossing(c.entity_id, threshold, None)
    w = milestone_window(ms)
    if w is not None:
        return Result(ms.date, INCONSISTENT, f"{name} crossed {fmt_num(threshold)} {when_text(ms)} ({ms.metric})",
                      facts=ms.facts)
    if ms.latest_cumulative is None:
        return unverifiable("—", f"no cumulative figure of {name} in the data {j.when}")
    return Result(ms.latest_cumulative, CONSISTENT,
                  f"{name}: latest cumulative {fmt_num(ms.latest_cumulative)} ({ms.latest_cumulative_metric}, "
                  f"{ms.latest_cumulative_period}) < {fmt_num(threshold)}", facts=ms.facts)


def date_fact(j: Judge, c: Claim) -> Result:
    """A first-delivery date ("began deliveries in early 2024") or a crossing period ("reached that
    milestone in 2025")."""
    name = j.data.name(c.entity_id)
    claimed = tuple(dt.date.fromisoformat(x) for x in c.detail.get("window", ()))
    if len(claimed) != 2:
        return unverifiable("—", "cannot read the date")
    if c.detail.get("event") == "first_delivery":
        fd = j.data.first_delivery(c.entity_id)
        if fd is None:
            return unverifiable("—", f"{name}'s first delivery is not in the data")
        w = event_window(fd)
        ok = max(w[0], claimed[0]) <= min(w[1], claimed[1])
        return Result(fd.date, CONSISTENT if ok else INCONSISTENT,
                      f"{name}'s first delivery: {fd.date}; '{c.detail['claimed_date']}' = {window_text(claimed)}: "
                      f"{'within' if ok else 'outside'}", sources=[fd.origin.url] if fd.origin else [])
    threshold = c.value or 0.0
    readings = []
    for metric in ("production", "deliveries"):
        ms = j.data.milestone(c.entity_id, threshold, metric)
        w = milestone_window(ms)
        if w is None:
            continue
        ok = max(w[0], claimed[0]) <= min(w[1], claimed[1])
        arith = (f"{name} crossed {fmt_num(threshold)} in {metric} {when_text(ms)} ({ms.date_basis}); "
                 f"'{c.detail['claimed_date']}' = {window_text(claimed)}: {'within' if ok else 'outside'}")
        readings.append(Reading(f"{metric} crossing", ms.date, arith, CONSISTENT if ok else INCONSISTENT,
                                sources=ms.sources))
    if not readings:
        ms = j.data.milestone(c.entity_id, threshold, None)
        return unverifiable(f"{name}: no crossing of {fmt_num(threshold)} in the data {j.when}; latest cumulative "
                            f"{fmt_num(ms.latest_cumulative)} ({ms.latest_cumulative_period})")
    earliest = min(readings, key=lambda r: str(r.value))
    ok = [r for r in readings if r.verdict == CONSISTENT]
    chosen = earliest if not ok or earliest in ok else ok[0]
    chosen.chosen = True
    chosen.why = "the first crossing in any metric, as the milestones table counts" if chosen is earliest else \
        "the article does not say which metric; this one matches"
    return Result(chosen.value, chosen.verdict, chosen.arithmetic, readings)


# -- durations --------------------------------------------------------------------------------------
def _point(w: Window, date: str | None) -> dt.date:
    """The single day to count from: the stated (or estimated) day, else the middle of the window."""
    if date and len(date) == 10:
        return dt.date.fromisoformat(date)
    return w[0] + (w[1] - w[0]) / 2


def _basis(ms) -> str:
    return f"{ms.metric}, estimated within {ms.date[:7]}" if ms.estimated else f"{ms.metric}, {ms.date_basis}"


def _end(j: Judge, c: Claim) -> tuple[Window | None, dt.date | None, str, list, str]:
    """(window, day, description, facts, note) of the end of a span."""
    if c.detail.get("to_date"):
        w = period_window(c.detail["to_date"])
        return w, _point(w, None) if w else None, f"{c.detail.get('to_date_text')} (the article's date)", [], ""
    to = c.to_threshold or c.detail.get("fact_value")
    if to is None:
        return None, None, "", [], "the article does not say what the span ends at"
    ms = j.data.crossing(c.entity_id, to, c.metric)
    w = milestone_window(ms) if ms.date_basis != "on or before" else None
    if w is not None:
        return w, _point(w, ms.date), f"{fmt_num(to)} {when_text(ms)} ({_basis(ms)})", ms.facts, ""
    w = period_window(c.period) if c.period else None
    if w is not None:
        return (w, _point(w, c.period), f"{fmt_num(to)} on {c.period} (the article's own date)", [],
                f"the data {j.when} has no date for {fmt_num(to)}; the article's date is used")
    return None, None, "", [], f"no date for {fmt_num(to)} in the data {j.when}"


def _start(j: Judge, c: Claim) -> tuple[Window | None, dt.date | None, str, list, list[str], str]:
    """(window, day, description, facts, sources, note) of the start of a span."""
    frm = c.from_threshold
    if frm:
        ms = j.data.crossing(c.entity_id, frm, c.metric)
        w = milestone_window(ms) if ms.date_basis != "on or before" else None
        if w is None:
            return None, None, "", [], [], f"no date for {fmt_num(frm)} in the data {j.when}"
        return w, _point(w, ms.date), f"{fmt_num(frm)} {when_text(ms)} ({_basis(ms)})", ms.facts, [], ""
    fd = j.data.first_delivery(c.entity_id)
    note = "" if frm == 0 or c.detail.get("from_event") else "read as counted from the first delivery"
    if fd is None:
        return None, None, "", [], [], f"{j.data.name(c.entity_id)}'s first delivery is not in the data"
    w = event_window(fd)
    return w, _point(w, fd.date), f"first delivery {fd.date}", [], [fd.origin.url] if fd.origin else [], note


def duration(j: Judge, c: Claim) -> Result:
    """"took about 58 months from first delivery", "343 days from 500,000 to 1 million"."""
    tol = duration_tolerance(c)
    if c.entity_id is None:
        return unverifiable("—", "names no maker in particular" + (" ('established automakers')" if c.detail.get(
            "generic") else ""), tolerance=tol)
    name = j.data.name(c.entity_id)
    end, end_day, end_desc, end_facts, end_note = _end(j, c)
    start, start_day, start_desc, start_facts, start_sources, start_note = _start(j, c)
    readings = _fallback_starts(j, c, end) if start is None else []
    if start is None or end is None:
        return unverifiable("—", "; ".join(x for x in (start_note, end_note) if x), tolerance=tol, readings=readings)
    if c.unit == "days":
        lo, hi = (end[0] - start[1]).days, (end[1] - start[0]).days
        point = (end_day - start_day).days
        shown = f"{lo}–{hi} days" if lo != hi else f"{lo} days"
    else:
        lo, hi = months_frac(start[1], end[0]), months_frac(start[0], end[1])
        point = months_between(start[0].isoformat(), end[1].isoformat())
        if c.unit == "years":
            lo, hi, point = lo / 12, hi / 12, round(months_frac(start_day, end_day) / 12, 1)
        shown = f"{fmt_num(round(lo, 1))}–{fmt_num(round(hi, 1))} {c.unit}" if hi - lo >= 0.05 else \
            f"{fmt_num(round(lo, 1))} {c.unit}"
    ok = tol.overlaps(lo, hi)
    arith = f"{name}: {start_desc} → {end_desc} = {shown}"
    if c.unit == "months":
        arith += f" ({point} calendar months)"
    written = c.detail.get("written")
    claimed = f"{written} ({fmt_num(c.value)} {c.unit})" if written else f"{c.number_text} {c.unit}"
    arith += f"; claimed {claimed} ({tol.short if tol.bound != 'exact' else tol.rule})"
    notes = [x for x in (start_note, end_note) if x]
    if ok and not (tol.contains(lo) and tol.contains(hi)):
        notes.append(f"holds only for part of the span the dates allow ({shown})")
    return Result(point, CONSISTENT if ok else INCONSISTENT, arith, readings, facts=end_facts + start_facts,
                  sources=start_sources, tolerance=tol, note="; ".join(notes))


def _fallback_starts(j: Judge, c: Claim, end: Window | None) -> list[Reading]:
    """With no first delivery: spans from other dated events (not chosen: a launch is not a delivery)."""
    if end is None or c.from_threshold or c.entity_id is None:
        return []
    out = []
    for kind in ("launch", "first_production"):
        for e in j.data.events(c.entity_id, kind):
            w = event_window(e)
            m = months_frac(w[0], end[1])
            v = m / 12 if c.unit == "years" else m
            out.append(Reading(f"from {kind.replace('_', ' ')} ({e.date}) instead of first delivery", round(v, 1),
                               f"{e.date} → {window_text(end)} = {fmt_num(round(v, 1))} {c.unit}", UNVERIFIABLE,
                               why="not chosen: not a first delivery", sources=[e.origin.url] if e.origin else []))
    return out


# -- ratios ---------------------------------------------------------------------------------------------
def _first_months(j: Judge, entity_id: str, n: int) -> tuple[list[str], str]:
    fd = j.data.first_delivery(entity_id)
    if fd is None:
        return [], ""
    return [month_add(fd.date[:7], i) for i in range(n)], fd.date


def ratio(j: Judge, c: Claim) -> Result:
    """"roughly 2.3 times faster than the SU7": the readings are tried in order and the first one the data
    supports is judged: (1) deliveries over each model's first N months, (2) the same calendar months,
    (3) months the other needed to reach the same figure."""
    tol = tolerance_for(c.value or 0.0, c.number_text, c.bound, c.word, "times")
    d = c.detail
    a, b = c.entity_id, d.get("other_entity")
    if not a or not b:
        return unverifiable("—", "the article does not name what is compared", tolerance=tol)
    fig, n = d.get("figure"), int(d.get("months") or 0)
    na, nb = j.data.name(a), j.data.name(b)
    metric = (fig or {}).get("metric") or j.metric(c)  # the metric of the figure compared
    readings: list[Reading] = []

    def add(name: str, x: float | None, arith: str, sources: list[str]) -> None:
        if x is None:
            readings.append(Reading(name, None, arith, UNVERIFIABLE, sources=sources))
        else:
            readings.append(Reading(name, x, f"{arith} = {x:.2f}; {relation(x, tol)}",
                                    CONSISTENT if tol.contains(x) else INCONSISTENT, sources=sources))

    if n and fig:
        ma, fda = _first_months(j, a, n)
        mb, fdb = _first_months(j, b, n)
        va = j.data.months(a, metric, ma)[0] if ma else None
        a_val = va.value if va else fig["value"]
        a_txt = (f"{na} {fmt_num(va.value)} ({ma[0]}..{ma[-1]}, data)" if va else
                 f"{na} {fig['text']} (the article's figure; the data has no complete {ma[0] if ma else '?'}.."
                 f"{ma[-1] if ma else '?'} for it)")
        vb, missing_b = j.data.months(b, metric, mb) if mb else (None, [])
        if vb is not None:
            add(f"first {n} months since each first delivery ({na} from {fda}, {nb} from {fdb})",
                a_val / vb.value, f"{a_txt} / {nb} {fmt_num(vb.value)} ({mb[0]}..{mb[-1]}: {vb.how})",
                vb.sources + (va.sources if va else []))
        else:
            add(f"first {n} months since each first delivery", None,
                f"no figures for {nb}'s first {n} months ({', '.join(missing_b) or 'no first delivery'})", [])
        if ma:
            vb2 = j.data.months(b, metric, ma)[0]
            how = f"{nb} {fmt_num(vb2.value)} ({vb2.how})" if vb2 else ""
            if vb2 is None:
                ent_b = j.data.fs.registry.get(b)
                par = j.data.months(ent_b.parent, metric, ma)[0] if ent_b.parent else None
                if par is not None:
                    vb2 = Value(par.value - a_val, 0, 0, "", par.facts)
                    how = (f"{nb} = {j.data.name(ent_b.parent)} {fmt_num(par.value)} − {na} {fmt_num(a_val)} = "
                           f"{fmt_num(vb2.value)}")
            if vb2 is not None and vb2.value > 0:
                add(f"the same calendar months ({ma[0]}..{ma[-1]})", a_val / vb2.value, f"{a_txt} / {how}",
                    vb2.sources)
        t = _months_to_reach(j, b, metric, fig["value"])
        if t is not None:
            mths, when, srcs = t
            add(f"time for the {nb} to reach {fig['text']}", mths / n,
                f"{nb} reached {fig['text']} about {when} = {mths:.1f} months after its first delivery; / {n} months",
                srcs)
    elif fig and fig.get("period"):
        va = j.data.value(a, metric, fig["scope"], fig["period"])
        vb = j.data.value(b, metric, fig["scope"], fig["period"])
        if va and vb and vb.value:
            add(f"{fig['scope']} {fig['period']} figures", va.value / vb.value,
                f"{na} {fmt_num(va.value)} / {nb} {fmt_num(vb.value)}", va.sources + vb.sources)
    usable = [r for r in readings if r.value is not None]
    if not usable:
        return unverifiable("—", "; ".join(r.arithmetic for r in readings) or
                            f"no figures to compare {na} with {nb} in the data {j.when}", readings=readings,
                            tolerance=tol)
    usable[0].chosen = True
    usable[0].why = "deliveries over the same number of months since each model's first delivery: the like-for-" \
        "like reading of 'faster'" if usable[0] is readings[0] else "the first reading the data supports"
    ch = usable[0]
    others = [f"{r.name}: {r.value:.2f}" for r in usable[1:]]
    note = ("other readings: " + "; ".join(others)) if others else ""
    if fig and "article's figure" in ch.arithmetic:
        note = (note + "; " if note else "") + f"rests on the article's own {fig['text']}"
    return Result(round(ch.value, 2), ch.verdict, ch.arithmetic, readings, tolerance=tol, note=note)


def _months_to_reach(j: Judge, entity_id: str, metric: str, target: float) -> tuple[float, str, list[str]] | None:
    """Months from first delivery until the cumulative monthly figures reach ``target`` (interpolated)."""
    fd = j.data.first_delivery(entity_id)
    if fd is None:
        return None
    total, p, srcs = 0.0, fd.date[:7], []
    start = event_window(fd)[0]
    for _ in range(120):
        v = j.data.month(entity_id, metric, p)
        if v is None:
            return None
        srcs += v.sources
        if total + v.value >= target:
            y, m = int(p[:4]), int(p[5:7])
            days = month_end(y, m).day
            day = max(1, round((target - total) / v.value * days))
            when = dt.date(y, m, day)
            return months_frac(start, when), when.isoformat(), sorted(set(srcs))
        total += v.value
        p = month_add(p, 1)
    return None
