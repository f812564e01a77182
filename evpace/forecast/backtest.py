"""Rolling-origin backtest of every model against what happened.

Origins are the 10th of every month (by then the previous month's figures are out). At each origin the
facts are cut to those published by that day (the same :class:`~evpace.reconcile.FactSet` filter as any
``as_of`` query), every model is fitted to each series that has a forecastable history then, and scored
against the final data:

* crossings: for every threshold in :data:`THRESHOLDS` not yet reached at the origin and reached within
  :data:`MAX_LEAD` months after it (in the final cumulative series), the error in months of the median
  predicted crossing and whether the 80 % / 95 % intervals covered the true crossing;
* year totals: the total of the origin's year (year-to-date as known + simulated rest), for years whose
  final total is known: absolute % error of the median, 80 % coverage, and the Brier score of
  P(total ≥ target) for every target announced by the origin.

Series: groups and brands with at least :data:`MIN_SERIES_MONTHS` known months in the final data.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..analytics.targets import targets as target_rows
from ..analytics.targets import year_actual
from ..reconcile import FactSet
from ..series import SeriesBuilder, month_add
from .data import anchor, history, month_ix, pooled_entities, seasonal_index
from .engine import crossing_positions, fit, year_totals
from .models import WIDTH
from .select import MODEL_NAMES

THRESHOLDS = (100_000, 200_000, 300_000, 500_000, 1_000_000, 1_500_000, 2_000_000)
MIN_SERIES_MONTHS = 18
MAX_LEAD = 24
#: Months simulated in the backtest: a median crossing beyond it counts as at its end, so errors of
#: forecasts that put the crossing further out than that are lower bounds.
BACKTEST_HORIZON = 48
#: The latest unbroken stretch a series needs at an origin to be forecast in the backtest.
MIN_ORIGIN_MONTHS = 6
ORIGIN_DAY = 10
#: Interval width factors every forecast is scored at, and the origin date that splits calibration
#: (before) from hold-out (from then on).
WIDTH_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0)
SPLIT = "2024-01-01"


@dataclass
class Record:
    """One scored forecast."""

    kind: str  # crossing | year | target
    model: str
    entity_id: str
    origin: str
    key: str  # threshold, year, or year:target
    error: float  # months (crossing), relative error (year), squared error (target)
    covered_80: bool | None = None
    covered_95: bool | None = None
    detail: str = ""
    lead: float | None = None  # crossings: months from the origin to the true crossing
    width: float = 1.0  # interval width factor the record was scored at


@dataclass
class Truth:
    """What happened, from the final data."""

    crossings: dict[tuple[str, int], float] = field(default_factory=dict)  # (entity, threshold) -> position
    data_end: dict[str, int] = field(default_factory=dict)  # entity -> month number of its last cumulative
    years: dict[tuple[str, int], float] = field(default_factory=dict)  # (entity, year) -> total
    thresholds: tuple[int, ...] = THRESHOLDS


def truth(fs: FactSet, entity_ids: list[str], metric: str, thresholds: tuple[int, ...]) -> Truth:
    """Crossing positions (month number + fraction) and complete year totals in the final data."""
    sb = SeriesBuilder(fs)
    out = Truth(thresholds=tuple(thresholds))
    for eid in entity_ids:
        cum = sb.cumulative(eid, metric)
        known = [p for p in cum if cum[p].value is not None]
        if known:
            out.data_end[eid] = month_ix(max(known))
        for n in thresholds:
            prev = None
            for p in sorted(cum):
                v = cum[p].value
                if v is not None and v >= n:
                    if prev is not None and prev[0] == month_add(p, -1):
                        out.crossings[(eid, n)] = month_ix(p) + (n - prev[1]) / max(v - prev[1], 1e-9)
                    break
                prev = (p, v) if v is not None else None
        for y in sorted({int(p[:4]) for p in sb.monthly(eid, metric)}):
            act = year_actual(fs, sb, eid, y, metric)
            if act.value is not None and act.through == f"{y}-12" and act.bound in ("exact", "approx"):
                out.years[(eid, y)] = act.value
    return out


def series_entities(fs: FactSet, metric: str = "deliveries") -> list[str]:
    """Groups and brands with at least :data:`MIN_SERIES_MONTHS` known months."""
    sb = SeriesBuilder(fs)
    return [eid for eid in pooled_entities(sb) if history(sb, eid, metric).known_months() >= MIN_SERIES_MONTHS]


def _spread(paths: np.ndarray, width: float) -> np.ndarray:
    """Paths with their log spread around the per-month median scaled by ``width``."""
    if width == 1.0:
        return paths
    logp = np.log(paths)
    med = np.median(logp, axis=0)
    return np.exp(med + width * (logp - med))


def _score_model(fitted, anc, tr: Truth, eid: str, o: str, origin_pos: float, thresholds: list[int],
                 censored: list[int], year_job: tuple | None, paths: np.ndarray, widths: tuple[float, ...]
                 ) -> list[Record]:
    """Records of one fitted model at one origin, scored at every interval width in ``widths``."""
    name = fitted.model_name
    detail = getattr(fitted.model, "choice_", "")
    h = paths.shape[1]
    out: list[Record] = []
    for w in widths:
        p = _spread(paths, w)
        for n in thresholds + censored:
            pos, _ = crossing_positions(fitted, anc, n, p)
            q = np.quantile(pos, [0.025, 0.1, 0.5, 0.9, 0.975], method="inverted_cdf")
            med = q[2] if math.isfinite(q[2]) else month_ix(fitted.last) + h + 1  # beyond the horizon
            if n in thresholds:
                t = tr.crossings[(eid, n)]
                out.append(Record("crossing", name, eid, o, str(n), float(med - t), bool(q[1] <= t <= q[3]),
                                  bool(q[0] <= t <= q[4]), detail, round(float(t - origin_pos), 2), w))
            else:
                window = origin_pos + MAX_LEAD
                out.append(Record("not-crossed", name, eid, o, str(n), float(min(med - window, 0.0)),
                                  bool(q[3] >= window), bool(q[4] >= window), detail, None, w))
        if year_job is not None:
            year, ytd, through, actual, tgts = year_job
            totals, _ = year_totals(fitted, ytd, through, year, p)
            q = np.quantile(totals, [0.025, 0.1, 0.5, 0.9, 0.975])
            out.append(Record("year", name, eid, o, str(year), float(q[2] / actual - 1),
                              bool(q[1] <= actual <= q[3]), bool(q[0] <= actual <= q[4]), detail, None, w))
            for t in tgts:
                prob = float((totals >= t).mean())
                out.append(Record("target", name, eid, o, f"{year}:{t:.0f}", (prob - float(actual >= t)) ** 2,
                                  None, None, f"p={prob:.3f}", None, w))
    return out


def _score_origin(args: tuple) -> list[Record]:
    """Every model at one origin (runs in a worker process). Models simulate at their raw width (1); the
    records are scored at every width of the grid."""
    registry, facts, events, origin, entity_ids, models, tr, metric, n_paths, seed, widths = args
    fs = FactSet(registry, facts, events, as_of=origin)
    sb = SeriesBuilder(fs)
    index, _ = seasonal_index(sb, pooled_entities(sb), metric)
    out: list[Record] = []
    o = origin.isoformat()
    origin_pos = month_ix(o[:7]) + origin.day / 31
    saved = dict(WIDTH)
    WIDTH.clear()
    try:
        for eid in entity_ids:
            hist = history(sb, eid, metric)
            if hist.last is None or _run(hist) < MIN_ORIGIN_MONTHS or hist.last < month_add(o[:7], -3):
                continue
            anc = anchor(sb, eid, metric)
            year = origin.year
            act = year_actual(fs, sb, eid, year, metric)
            year_job = None
            if (eid, year) in tr.years and act.through != f"{year}-12":
                tgts = [t.target for t in target_rows(fs, eid, year, metric) if t.target]
                year_job = (year, act.value or 0.0, act.through if act.value is not None else None,
                            tr.years[(eid, year)], tgts)
            thresholds = [n for (e, n), pos in tr.crossings.items() if e == eid and anc is not None
                          and anc.value < n and pos > month_ix(hist.last) + 1 and pos - origin_pos <= MAX_LEAD]
            # the next threshold up, not reached within MAX_LEAD months although the data reach that far
            window = origin_pos + MAX_LEAD
            nxt = [n for n in tr.thresholds if anc is not None and n > anc.value][:1]
            censored = [n for n in nxt if tr.crossings.get((eid, n), math.inf) > window
                        and tr.data_end.get(eid, 0) + 1 >= window]
            if not thresholds and year_job is None and not censored:
                continue
            for name in models:
                fitted = fit(sb, eid, metric, name, index)
                h = max(BACKTEST_HORIZON, month_ix(f"{year}-12") - month_ix(fitted.last))
                paths = fitted.model.sample_paths(h, n_paths, np.random.default_rng(seed))
                out += _score_model(fitted, anc, tr, eid, o, origin_pos, thresholds, censored, year_job, paths,
                                    widths)
    finally:
        WIDTH.update(saved)
    return out


def _run(hist) -> int:
    n = 0
    for v in reversed(hist.values):
        if v is None:
            break
        n += 1
    return n


@dataclass
class BacktestResult:
    """All scored forecasts (at every width of the grid) and their summary per model."""

    records: list[Record]
    summary: list[dict]
    entities: list[str]
    origins: int
    n_paths: int
    widths: dict[str, float]  # width each model is summarised at (the one it ships with)
    suggested: dict[str, float]  # widths the calibration on origins before SPLIT picks now


def _metrics(records: list[Record]) -> dict:
    cr = [r for r in records if r.kind == "crossing"]
    yr = [r for r in records if r.kind == "year"]
    tg = [r for r in records if r.kind == "target"]
    nc = [r for r in records if r.kind == "not-crossed"]

    def mean(xs: list) -> float | None:
        return round(float(np.mean(xs)), 4) if xs else None

    return {
        "n_crossings": len(cr), "crossing_mae_months": mean([abs(r.error) for r in cr]),
        "crossing_median_ae_months": round(float(np.median([abs(r.error) for r in cr])), 4) if cr else None,
        "crossing_bias_months": mean([r.error for r in cr]),
        "coverage_80": mean([r.covered_80 for r in cr]), "coverage_95": mean([r.covered_95 for r in cr]),
        "n_not_crossed": len(nc), "not_crossed_false_median": mean([r.error < 0 for r in nc]),
        "n_years": len(yr), "year_total_mape": mean([abs(r.error) for r in yr]),
        "year_total_bias": mean([r.error for r in yr]), "year_coverage_80": mean([r.covered_80 for r in yr]),
        "year_coverage_95": mean([r.covered_95 for r in yr]),
        "n_targets": len(tg), "target_brier": mean([r.error for r in tg]),
    }


def summarise(records: list[Record], models: tuple[str, ...], widths: dict[str, float] | None = None,
              split: str = SPLIT) -> list[dict]:
    """One row per model at its width (``widths``, default 1): the fields of ``benchmarks/results/backtest.json``,
    with ``raw`` (width 1) and ``holdout`` (origins from ``split`` on, at its width) beside them."""
    widths = widths or {}
    rows = []
    for m in models:
        w = widths.get(m, 1.0)
        mine = [r for r in records if r.model == m and r.width == w]
        row = {"model": m, "width": w, **_metrics(mine)}
        row["raw"] = _metrics([r for r in records if r.model == m and r.width == 1.0])
        row["holdout"] = _metrics([r for r in mine if r.origin >= split])
        rows.append(row)
    return rows


def calibrate(records: list[Record], models: tuple[str, ...], split: str = SPLIT, target: float = 0.8
              ) -> dict[str, float]:
    """Per model, the width of the grid whose 80 % crossing intervals covered closest to ``target`` on
    origins before ``split`` (ties: the width nearest 1)."""
    out = {}
    for m in models:
        best = None
        for w in sorted({r.width for r in records if r.model == m}):
            cov = [r.covered_80 for r in records if r.model == m and r.width == w and r.kind == "crossing"
                   and r.origin < split]
            if not cov:
                continue
            key = (round(abs(float(np.mean(cov)) - target), 3), abs(np.log(w)))
            if best is None or key < best[0]:
                best = (key, w)
        out[m] = best[1] if best else 1.0
    return out


def backtest(db=None, models: tuple[str, ...] = MODEL_NAMES, metric: str = "deliveries", n_paths: int = 500,
             thresholds: tuple[int, ...] = THRESHOLDS, entities: list[str] | None = None, seed: int = 0,
             workers: int | None = None, since: str | None = None, widths: tuple[float, ...] = WIDTH_GRID,
             progress: Callable[[int, int], None] | None = None) -> BacktestResult:
    """Score ``models`` at every monthly origin over every series (see the module docstring).

    ``db``: a path/URL/:class:`~evpace.store.Store`, or a :class:`FactSet` holding every fact (its ``as_of``
    is ignored: each origin cuts the facts itself). ``since``: first origin (YYYY-MM-DD). ``widths``: the
    interval width factors every forecast is scored at (each model's shipped width is added)."""
    if isinstance(db, FactSet):
        registry, facts, events = db.registry, db.facts, db.events
    else:
        from ..store import Store

        s = db if isinstance(db, Store) else Store(db)
        try:
            registry, facts, events = s.registry(), s.facts(), s.events()
        finally:
            if s is not db:
                s.close()
    shipped = {m: WIDTH.get(m, 1.0) for m in models}
    grid = tuple(sorted(set(widths) | set(shipped.values()) | {1.0}))
    final = FactSet(registry, facts, events)
    ids = entities or series_entities(final, metric)
    tr = truth(final, ids, metric, thresholds)
    first = min(history(SeriesBuilder(final), e, metric).periods[0] for e in ids)
    last = max(history(SeriesBuilder(final), e, metric).last for e in ids)
    origins = []
    p = month_add(first, 1)
    while p <= month_add(last, 1):
        d = dt.date(int(p[:4]), int(p[5:7]), ORIGIN_DAY)
        if since is None or d.isoformat() >= since:
            origins.append(d)
        p = month_add(p, 1)
    jobs = [(registry, facts, events, d, ids, models, tr, metric, n_paths, seed, grid) for d in origins]
    records: list[Record] = []
    if workers == 1:
        for i, job in enumerate(jobs):
            records += _score_origin(job)
            if progress:
                progress(i + 1, len(jobs))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for i, recs in enumerate(pool.map(_score_origin, jobs)):
                records += recs
                if progress:
                    progress(i + 1, len(jobs))
    return BacktestResult(records, summarise(records, models, shipped), ids, len(origins), n_paths, shipped,
                          calibrate(records, models))
