"""Judge each claim against the data known at the article's date: a :class:`Verdict` with the readings
tried, the arithmetic a person can redo, the tolerance the wording allows and the sources used.

Figures (``fact``), percent changes, target arithmetic, ratios and run-rates are judged here; durations,
ranks and forward-looking claims in :mod:`evpace.check.timing`. :func:`check_document` runs the whole
check at one point in time and, with ``now=True``, again with all data available today.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..extract.text import sentences
from ..model import Document, Fact
from ..reconcile import FactSet
from ..series import month_add
from .claims import Claim, find_claims, latest_date_mentioned, with_published
from .data import DataView, Value
from .forecast import Forecaster, LinearRunRate
from .tolerance import Tolerance, fmt_num, tolerance_for

CONSISTENT, INCONSISTENT, UNVERIFIABLE = "consistent", "inconsistent", "unverifiable"
VERDICTS = (CONSISTENT, INCONSISTENT, UNVERIFIABLE)


@dataclass
class Reading:
    """One interpretation of a claim, what it gives, and whether it was the one judged by."""

    name: str
    value: float | str | None
    arithmetic: str
    verdict: str
    chosen: bool = False
    why: str = ""
    sources: list[str] = field(default_factory=list)


@dataclass
class Result:
    """What judging one claim at one point in time gives."""

    recomputed: float | str | None
    verdict: str
    arithmetic: str
    readings: list[Reading] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str = ""
    tolerance: Tolerance | None = None


@dataclass
class Verdict:
    """A claim of the article judged against the data (see docs/check.md for every field)."""

    quote: str
    start: int
    end: int
    kind: str
    entity_id: str | None
    claimed: float | str | None
    recomputed: float | str | None
    verdict: str
    tolerance: Tolerance | None
    readings: list[Reading]
    arithmetic: str
    sources: list[str]
    facts: list[Fact]
    note: str
    entity: str = ""
    unit: str = ""
    number_text: str = ""
    quote_start: int = 0  # offset of ``quote`` in the document (``start - quote_start`` is the figure in it)
    claim_origin: str = "extractor"
    as_of: str | None = None
    as_of_basis: str = ""  # given | published | latest date mentioned | none: all data
    now_recomputed: float | str | None = None
    now_verdict: str | None = None
    now_arithmetic: str | None = None
    now_note: str | None = None
    now_sources: list[str] | None = None


def unverifiable(arithmetic: str, note: str = "", **kw: Any) -> Result:
    """A claim the data cannot decide; with no arithmetic to show, the arithmetic says what is missing."""
    if arithmetic in ("", "—") and note:
        arithmetic = f"cannot recompute: {note}"
    return Result(None, UNVERIFIABLE, arithmetic, note=note, **kw)


def relation(x: float, tol: Tolerance, unit: str = "") -> str:
    """"50,212 ≥ 50,000", "411,837 within 405,000–415,000", "46,249 outside 47,500–52,500"."""
    if tol.bound == "lower":
        return f"{fmt_num(x, unit)} {'≥' if x >= tol.low - 1e-9 else '<'} {fmt_num(tol.low, unit)}"
    if tol.bound == "upper":
        return f"{fmt_num(x, unit)} {'≤' if x <= tol.high + 1e-9 else '>'} {fmt_num(tol.high, unit)}"
    if tol.high - tol.low <= 1 and unit != "percent":
        return f"{fmt_num(x, unit)} {'=' if tol.contains(x) else '≠'} {fmt_num(tol.center or (tol.low + tol.high) / 2)}"
    where = "within" if tol.contains(x) else "outside"
    return f"{fmt_num(x, unit)} {where} {fmt_num(tol.low, unit)}–{fmt_num(tol.high, unit)}"


def compare(v: Value, tol: Tolerance) -> str:
    return CONSISTENT if tol.overlaps(v.low, v.high) else INCONSISTENT


def pct(a: float, b: float) -> float:
    return (a / b - 1) * 100


class Judge:
    """Judges claims with the data known at ``fs.as_of`` (``now``: all data, forward claims resolved)."""

    def __init__(self, fs: FactSet, forecaster: Forecaster, claims: list[Claim], doc: Document,
                 now: bool = False) -> None:
        self.data = DataView(fs)
        self.forecaster = forecaster
        self.claims = claims
        self.doc = doc
        self.now = now
        self.as_of = fs.as_of
        self.when = "today" if now else (f"at {fs.as_of.isoformat()}" if fs.as_of else "with all data")
        self._sent_index = {s.start: i for i, s in enumerate(sentences(doc.text))}

    # -- helpers -------------------------------------------------------------------------------------
    def tolerance(self, c: Claim, unit: str | None = None) -> Tolerance:
        return tolerance_for(c.value or 0.0, c.number_text, c.bound, c.word, unit or c.unit)

    def metric(self, c: Claim) -> str:
        return c.metric or "deliveries"

    def nearby(self, c: Claim, before: int = 2, after: int = 1) -> list[Claim]:
        """Other claims of the article in the same sentence or a few sentences around it."""
        idx = self._sent_index
        me = idx.get(c.sentence_start, 0)
        return [o for o in self.claims if o is not c and me - before <= idx.get(o.sentence_start, 0) <= me + after]

    def article_figure(self, c: Claim, period: str, claim_kind: str = "actual") -> Claim | None:
        """The article's own volume figure for the claim's maker and a period, nearest to the claim."""
        cands = [o for o in self.nearby(c) if o.unit == "vehicles" and o.entity_id == c.entity_id
                 and o.period == period and o.claim_kind == claim_kind and o.kind in ("fact", "forward")]
        return min(cands, key=lambda o: abs(o.start - c.start)) if cands else None

    # -- dispatch -------------------------------------------------------------------------------------
    def judge(self, c: Claim) -> Result:
        from . import forward, ranks, timing

        handler = {"fact": self.fact, "percent_change": self.percent_change, "ratio": self.ratio,
                   "run_rate": self.run_rate, "target_arithmetic": self.target_arithmetic,
                   "duration": timing.duration, "rank": ranks.rank, "forward": forward.forward}[c.kind]
        if c.kind in ("duration", "rank", "forward"):
            res = handler(self, c)
        else:
            res = handler(c)
        milestone = c.kind == "fact" and c.scope == "cumulative"
        if res.tolerance is None and c.value is not None and not milestone and c.unit not in (
                "date", "rank", "count", "other", "money"):
            res.tolerance = self.tolerance(c)
        res.sources = sorted(set(res.sources) | {f.origin.url for f in res.facts if f.origin.url} |
                             {u for r in res.readings if r.chosen for u in r.sources})
        return res

    # -- figures ---------------------------------------------------------------------------------------
    def fact(self, c: Claim) -> Result:
        from . import timing

        if c.unit in ("other", "money"):
            what = "prices and money" if c.unit == "money" else f"{c.detail.get('noun', 'this')}"
            return unverifiable("—", f"not a vehicle volume: evpace holds no data on {what}")
        if c.unit == "date":
            return timing.date_fact(self, c)
        if c.detail.get("not_yet"):
            return timing.not_yet(self, c)
        if c.entity_id is None:
            return unverifiable("—", "the claim names no maker")
        if c.claim_kind == "target":
            return self.target(c)
        if c.scope == "cumulative":
            return timing.milestone_fact(self, c)
        tol = self.tolerance(c)
        name, metric = self.data.name(c.entity_id), self.metric(c)
        v = self.data.value(c.entity_id, metric, c.scope, c.period)
        if v is None and c.scope == "year" and c.period[:4].isdigit():
            partial, through = self.data.year(c.entity_id, int(c.period[:4]), metric)
            if partial is not None and tol.bound == "lower" and partial.value >= tol.low:
                return Result(partial.value, CONSISTENT, f"{name} {metric} {c.period}: {partial.how}: "
                              f"{relation(partial.value, tol)}", facts=partial.facts, tolerance=tol)
            if partial is not None:
                return unverifiable(f"{name} {metric} {c.period}: {fmt_num(partial.value)} through {through} "
                                    f"only", f"the data {self.when} does not cover the whole year", tolerance=tol,
                                    facts=partial.facts)
        if v is None:
            return unverifiable("—", f"no {metric} figure for {name}, {c.scope} {c.period or '(no period)'}, "
                                f"in the data {self.when}", tolerance=tol)
        verdict = compare(v, tol)
        arith = f"{name} {metric} {c.period} = {fmt_num(v.value)} ({v.how}); {relation(v.value, tol)}"
        note = ""
        if verdict == CONSISTENT and tol.bound == "lower" and v.value > tol.low * 1.1:
            note = "true, though well above the figure given"
        return Result(v.value, verdict, arith, facts=v.facts, note=note, tolerance=tol)

    def target(self, c: Claim) -> Result:
        tol = self.tolerance(c)
        name = self.data.name(c.entity_id)
        if not c.period[:4].isdigit():
            return unverifiable("—", "the article does not say which year the target is for", tolerance=tol)
        ts = self.data.targets(c.entity_id, int(c.period[:4]), self.metric(c))
        if not ts:
            return unverifiable("—", f"no {c.period} target of {name} in the data {self.when}", tolerance=tol)
        listed = "; ".join(f"{fmt_num(t.value)} ({t.origin.publisher or t.origin.url}, "
                           f"{t.origin.published or 'undated'})" for t in ts)
        hits = [t for t in ts if tol.overlaps(t.value, t.value)]
        if hits:
            return Result(hits[0].value, CONSISTENT, f"{name}'s stated {c.period} targets {self.when}: {listed}; "
                          f"{fmt_num(hits[0].value)} matches {c.number_text}", facts=hits, tolerance=tol)
        return Result(ts[-1].value, INCONSISTENT, f"{name}'s stated {c.period} targets {self.when}: {listed}; none "
                      f"is {c.number_text}", facts=ts, tolerance=tol,
                      note="may be a revision the data does not have yet")

    # -- arithmetic on figures ----------------------------------------------------------------------
    def percent_change(self, c: Claim) -> Result:
        tol = self.tolerance(c, "percent")
        if c.entity_id is None or not c.period:
            return unverifiable("—", "no maker or period to recompute the change for", tolerance=tol)
        if c.detail.get("other_entity"):
            return self._versus(c, tol)
        base_scope, base_period = _base_period(c)
        if base_period is None:
            return unverifiable("—", f"cannot tell what the change '{c.change or '?'}' is measured against",
                                tolerance=tol)
        name, metric = self.data.name(c.entity_id), self.metric(c)
        readings: list[Reading] = []
        cur = self.data.value(c.entity_id, metric, c.scope, c.period)
        base = self.data.value(c.entity_id, metric, base_scope, base_period)
        if cur is not None and base is not None and base.value:
            r = pct(cur.value, base.value)
            lo = pct(cur.low, base.high) if base.high else -100.0
            hi = pct(cur.high, base.low) if base.low else math.inf
            spread = f" (between {lo:+.1f}% and {hi:+.1f}% given the bounds)" if hi - lo > 0.05 else ""
            readings.append(Reading("data: both figures from the dataset", r,
                                    f"{fmt_num(cur.value)} ({c.period}, {cur.how}) / {fmt_num(base.value)} "
                                    f"({base_period}, {base.how}) − 1 = {r:+.1f}%{spread}; "
                                    f"{relation(r, tol, 'percent')}",
                                    CONSISTENT if tol.overlaps(lo, hi) else INCONSISTENT,
                                    sources=cur.sources + base.sources))
        a_cur = self.article_figure(c, c.period, c.claim_kind)
        a_base = self.article_figure(c, base_period)
        if a_cur is not None and a_base is not None and a_base.value:
            r = pct(a_cur.value, a_base.value)
            readings.append(Reading("the article's own figures", r,
                                    f"{a_cur.number_text} / {a_base.number_text} − 1 = {r:+.1f}%; "
                                    f"{relation(r, tol, 'percent')}", CONSISTENT if tol.contains(r) else INCONSISTENT))
        if not readings:
            return unverifiable("—", f"{name} {metric}: no figure for {c.period} and {base_period} in the data "
                                f"{self.when} or in the article", tolerance=tol)
        readings[0].chosen = True
        readings[0].why = "the dataset is the reference" if readings[0].name.startswith("data") else \
            "the dataset lacks a figure; the article's own arithmetic is checked"
        ch = readings[0]
        facts = (cur.facts + base.facts) if ch.name.startswith("data") and cur and base else []
        return Result(ch.value, ch.verdict, ch.arithmetic, readings, facts=facts, tolerance=tol,
                      note=_disagree(readings))

    def _versus(self, c: Claim, tol: Tolerance) -> Result:
        """"4% more than NIO": the two makers' figures for the same period."""
        other = c.detail["other_entity"]
        metric = self.metric(c)
        a = self.data.value(c.entity_id, metric, c.scope, c.period)
        b = self.data.value(other, metric, c.scope, c.period)
        na, nb = self.data.name(c.entity_id), self.data.name(other)
        if a is None or b is None or not b.value:
            return unverifiable("—", f"no {c.scope} {c.period} {metric} figure for "
                                f"{na if a is None else nb} in the data {self.when}", tolerance=tol)
        r = pct(a.value, b.value)
        arith = (f"{na} {fmt_num(a.value)} / {nb} {fmt_num(b.value)} ({c.period}) − 1 = {r:+.1f}%; "
                 f"{relation(r, tol, 'percent')}")
        return Result(r, CONSISTENT if tol.contains(r) else INCONSISTENT, arith, facts=a.facts + b.facts,
                      tolerance=tol)

    def target_arithmetic(self, c: Claim) -> Result:
        """"550,000, a 34% increase compared with 2025 (more than 410,000)": the target over the base
        year's actual, from the article's figures and from the data."""
        tol = self.tolerance(c, "percent")
        year = c.period[:4]
        base_year = c.change[3:] if c.change.startswith("vs ") else (str(int(year) - 1) if year.isdigit() else "")
        if not base_year.isdigit() or c.entity_id is None:
            return unverifiable("—", "cannot tell which year the target is compared with", tolerance=tol)
        name, metric = self.data.name(c.entity_id), self.metric(c)
        a_target = self.article_figure(c, year, "target") or self.article_figure(c, year, "expected")
        a_base = self.article_figure(c, base_year)
        d_base, _ = self.data.year(c.entity_id, int(base_year), metric)
        d_targets = self.data.targets(c.entity_id, int(year), metric) if year.isdigit() else []
        readings: list[Reading] = []

        def add(label: str, t: float, t_text: str, b: float, b_text: str, sources: list[str]) -> None:
            r = pct(t, b)
            readings.append(Reading(label, r, f"{t_text} / {b_text} − 1 = {r:.1f}% ≈ {c.number_text} "
                                    f"({tol.short} point)" if tol.contains(r) else
                                    f"{t_text} / {b_text} − 1 = {r:.1f}%, not {c.number_text} ({tol.short} point)",
                                    CONSISTENT if tol.contains(r) else INCONSISTENT, sources=sources))

        complete = d_base is not None and math.isfinite(d_base.high)
        if a_target is not None and complete:
            add(f"the article's target over the data's {base_year} actual", a_target.value,
                fmt_num(a_target.value), d_base.value, f"{fmt_num(d_base.value)} ({base_year}, {d_base.how})",
                d_base.sources)
        if a_target is not None and a_base is not None:
            add("the article's own figures", a_target.value, fmt_num(a_target.value), a_base.value,
                f"{a_base.number_text} ({base_year}, as the article gives it)", [])
        if complete:
            for t in d_targets:
                if a_target is None or t.value != a_target.value:
                    add(f"the data's {year} target ({t.origin.publisher}) over its {base_year} actual", t.value,
                        fmt_num(t.value), d_base.value, fmt_num(d_base.value), d_base.sources + [t.origin.url])
        if not readings:
            return unverifiable("—", f"no {year} target in the article and no complete {base_year} total for "
                                f"{name} in the data {self.when}", tolerance=tol)
        readings[0].chosen = True
        readings[0].why = ("the target as the article states it, over what was actually delivered"
                           if complete and a_target is not None else "the data has no complete base year")
        note = _disagree(readings)
        if a_base is not None and a_base.bound == "lower":
            note = (note + "; " if note else "") + (f"{a_base.number_text} is a lower bound ('{a_base.word}'), so the "
                                                    f"article's own figures give at most the increase shown")
        ch = readings[0]
        facts = d_base.facts if complete and ch.sources else []
        return Result(ch.value, ch.verdict, ch.arithmetic, readings, facts=facts, tolerance=tol, note=note)

    def run_rate(self, c: Claim) -> Result:
        """"50,000 in December would put annual output close to 600,000": the month × 12."""
        tol = self.tolerance(c)
        d = c.detail
        name, metric = self.data.name(c.entity_id), self.metric(c)
        readings: list[Reading] = []
        month = d.get("base_period") or ""
        v = self.data.month(c.entity_id, metric, month) if c.entity_id and month else None
        if v is not None:
            x = v.value * 12
            readings.append(Reading(f"the data's {month} figure × 12", x,
                                    f"{fmt_num(v.value)} ({name} {metric} {month}) × 12 = {fmt_num(x)}; "
                                    f"{relation(x, tol)}", CONSISTENT if tol.contains(x) else INCONSISTENT,
                                    sources=v.sources))
        x = d["base"] * 12
        readings.append(Reading("the article's own monthly figure × 12", x,
                                f"{d['base_text']} × 12 = {fmt_num(x)}; {relation(x, tol)}",
                                CONSISTENT if tol.contains(x) else INCONSISTENT))
        if c.entity_id and month:
            rr, last, pts = self.forecaster.run_rate(c.entity_id, self.as_of, month) if hasattr(
                self.forecaster, "run_rate") else (None, None, [])
            if rr is not None:
                readings.append(Reading("trailing 3-month average × 12 (not what the article says)", rr * 12,
                                        f"({' + '.join(fmt_num(p.value) for p in pts)}) / 3 × 12 = {fmt_num(rr * 12)}",
                                        CONSISTENT if tol.contains(rr * 12) else INCONSISTENT,
                                        sources=sorted({u for p in pts for u in p.sources})))
        readings[0].chosen = True
        readings[0].why = ("the month the article refers to, as the data has it" if v is not None else
                           "the data lacks that month; the article's own arithmetic is checked")
        ch = readings[0]
        note = _disagree(readings[:2])
        if d.get("base_bound") == "lower":
            note = (note + "; " if note else "") + "the monthly figure is a lower bound, so is the annual one"
        return Result(ch.value, ch.verdict, ch.arithmetic, readings, facts=v.facts if v and ch.sources else [],
                      tolerance=tol, note=note)

    def ratio(self, c: Claim) -> Result:
        """"2.3 times faster than the SU7": deliveries over the same number of months."""
        from . import timing

        return timing.ratio(self, c)


def _disagree(readings: list[Reading]) -> str:
    verdicts = {r.verdict for r in readings}
    if len(verdicts) > 1 and readings:
        other = [r for r in readings if r.verdict != readings[0].verdict]
        return f"another reading gives {other[0].verdict}: {other[0].name}"
    return ""


def _base_period(c: Claim) -> tuple[str, str | None]:
    """Scope and period a percent change is measured against."""
    p = c.period
    if c.change.startswith("vs ") and c.change[3:].isdigit():
        return "year", c.change[3:]
    if c.change == "mom" and c.scope == "month":
        return "month", month_add(p, -1)
    if c.change == "qoq" and c.scope == "quarter":
        y, q = int(p[:4]), int(p[-1])
        return "quarter", f"{y - (q == 1)}-Q{4 if q == 1 else q - 1}"
    if c.change == "yoy" or not c.change:
        if c.scope == "ytd" and "/" in p:
            a, b = p.split("/")
            return "ytd", f"{int(a[:4]) - 1}{a[4:]}/{int(b[:4]) - 1}{b[4:]}"
        if re.match(r"\d{4}", p):
            return c.scope, f"{int(p[:4]) - 1}{p[4:]}"
    return c.scope, None


# -- the whole check ----------------------------------------------------------------------------------
def resolve_as_of(doc: Document, as_of: dt.date | str | None) -> tuple[dt.date | None, str]:
    """The point in time to check at, and how it was chosen: ``as_of`` if given, else the article's
    publication date, else the latest day the article mentions."""
    if as_of is not None:
        return (as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))), "given"
    if doc.published:
        try:
            return dt.date.fromisoformat(doc.published[:10]), "published"
        except ValueError:
            pass
    latest = latest_date_mentioned(doc)
    return latest, ("latest date mentioned" if latest else "none: all data")


def default_forecaster(factsets) -> Forecaster:
    """The simulation forecaster of :mod:`evpace.forecast` (issue 4/6), with the linear run-rate's
    ``run_rate`` kept for run-rate readings; the linear run-rate alone if forecasting is unavailable."""
    linear = LinearRunRate(factsets)
    try:
        from ..forecast.adapter import SimulationForecaster
    except ImportError:
        return linear
    sim = SimulationForecaster(factsets=factsets, n_paths=1000)
    sim.run_rate = linear.run_rate  # type: ignore[attr-defined]
    return sim


def check_document(doc: Document, db: Any = None, as_of: dt.date | str | None = None, now: bool = False,
                   forecaster: Forecaster | None = None) -> list[Verdict]:
    """Every numeric claim of ``doc`` judged with the data published on or before the article's date
    (``as_of`` if given, else ``doc.published``, else the latest day the article mentions). With ``now``,
    each verdict also carries ``now_*`` fields: the same claim judged with all data available today
    (forward-looking claims: resolved when the data shows the outcome)."""
    from ..api import _date, factset

    when, basis = resolve_as_of(doc, _date(as_of) if as_of is not None else None)
    cache: dict[dt.date | None, FactSet] = {}

    def factsets(d: dt.date | None) -> FactSet:
        if d not in cache:
            cache[d] = factset(db, d)
        return cache[d]

    fs = factsets(when)
    fc = forecaster or default_forecaster(factsets)
    text_doc = with_published(doc, when)
    claims = find_claims(text_doc, fs.registry)
    judge = Judge(fs, fc, claims, text_doc)
    later = Judge(factsets(None), fc, claims, text_doc, now=True) if now else None
    out = []
    for c in claims:
        r = judge.judge(c)
        v = Verdict(quote=c.quote, start=c.start, end=c.end, kind=c.kind, entity_id=c.entity_id,
                    claimed=_claimed(c), recomputed=_round(r.recomputed), verdict=r.verdict, tolerance=r.tolerance,
                    readings=r.readings, arithmetic=r.arithmetic, sources=r.sources, facts=r.facts, note=r.note,
                    entity=c.entity, unit=c.unit, number_text=c.number_text, quote_start=c.sentence_start,
                    claim_origin=c.origin, as_of=when.isoformat() if when else None, as_of_basis=basis)
        if later is not None:
            n = later.judge(c)
            v.now_recomputed, v.now_verdict, v.now_arithmetic = _round(n.recomputed), n.verdict, n.arithmetic
            v.now_note, v.now_sources = n.note, n.sources
        out.append(v)
    return out


def _claimed(c: Claim) -> float | str | None:
    if c.unit == "date":
        return c.detail.get("claimed_date") or c.period
    return c.value


def _round(x: float | str | None) -> float | str | None:
    if isinstance(x, float):
        if not math.isfinite(x):
            return None
        return round(x, 2) if abs(x) < 1000 else round(x)
    return x


__all__ = ["CONSISTENT", "INCONSISTENT", "UNVERIFIABLE", "VERDICTS", "Judge", "Reading", "Result", "Verdict",
           "check_document", "resolve_as_of"]
