"""Threshold crossings and year totals as distributions over simulated monthly volumes.

A forecast fits a model to the entity's monthly history as known at ``as_of``, simulates ``n_paths`` paths
of the months after the last known one, and reads each question off every path:

* crossing: the latest cumulative figure + the months after it (known, gap-filled, or simulated) until
  the threshold is reached; the crossing day is interpolated at a constant pace within its month;
* year total: the year-to-date actual (:func:`evpace.analytics.targets.year_actual`) + the rest of the
  year's months, known or simulated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ..analytics.milestones import MilestoneFinder
from ..analytics.targets import targets as target_rows
from ..analytics.targets import year_actual
from ..errors import InvalidArgumentError
from ..model import Fact
from ..reconcile import FactSet
from ..series import SeriesBuilder, month_add, months_between
from .data import (
    MIN_MONTHS,
    Anchor,
    History,
    anchor,
    date_position,
    fill_known,
    history,
    month_ix,
    pooled_entities,
    position_date,
    seasonal_index,
)
from .models import LEVELS, LogModel
from .select import DEFAULT_MODEL, MODEL_NAMES, make_model

DEFAULT_HORIZON, MAX_HORIZON = 60, 144


@dataclass
class Fitted:
    """A model fitted to an entity's history at a point in time."""

    entity_id: str
    metric: str
    history: History
    model: LogModel
    model_name: str
    notes: list[str] = field(default_factory=list)

    @property
    def last(self) -> str:
        return self.model.last_

    def months(self, start: str, end: str, paths: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Monthly volumes from ``start`` to ``end`` per path: known months as known, gaps up to the last
        known month filled log-linearly, later months from ``paths`` (which start the month after
        ``self.last``). Returns (n × months array, months that were gap-filled)."""
        n = paths.shape[0]
        if start > end:
            return np.zeros((n, 0)), []
        known_end = min(end, self.last)
        filled: list[str] = []
        cols = []
        if start <= known_end:
            vals, filled = fill_known(self.history, start, known_end)
            cols.append(np.broadcast_to(vals, (n, len(vals))))
        sim_start = max(start, month_add(self.last, 1))
        if sim_start <= end:
            a, b = months_between(self.last, sim_start) - 1, months_between(self.last, end)
            cols.append(paths[:, a:b])
        return np.concatenate(cols, axis=1), filled


def restrict(fs: FactSet, as_of: dt.date | str | None) -> FactSet:
    """The facts of ``fs`` published by ``as_of`` (``fs`` itself when None)."""
    if as_of is None:
        return fs
    d = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    if fs.as_of is not None and fs.as_of <= d:
        return fs
    return FactSet(fs.registry, fs.facts, fs.events, as_of=d)


def fit(sb: SeriesBuilder, entity_id: str, metric: str = "deliveries", model: str = DEFAULT_MODEL,
        index: np.ndarray | None = None) -> Fitted:
    """Fit ``model`` to the entity's monthly history (pooled seasonal index from the same facts)."""
    if model not in MODEL_NAMES:
        raise InvalidArgumentError(name="model", reason=f"{model!r} is not one of {', '.join(MODEL_NAMES)}")
    hist = history(sb, entity_id, metric)
    if hist.known_months() < MIN_MONTHS:
        raise InvalidArgumentError(name="entity", reason=f"{entity_id} has {hist.known_months()} known months of "
                                   f"{metric}; at least {MIN_MONTHS} are needed to forecast")
    if index is None and model in ("seasonal", "growth", "ensemble", "auto"):
        index, _ = seasonal_index(sb, pooled_entities(sb), metric)
    m = make_model(model, index).fit(hist.frame())
    if len(m.months_) < MIN_MONTHS:
        raise InvalidArgumentError(name="entity", reason=f"{entity_id}: the latest unbroken stretch of {metric} "
                                   f"is shorter than {MIN_MONTHS} months")
    return Fitted(entity_id, metric, hist, m, model, list(m.notes))


def _quantile_dates(pos: np.ndarray, level: int) -> tuple[str | None, str | None]:
    lo, hi = np.quantile(pos, [(100 - level) / 200, 1 - (100 - level) / 200], method="inverted_cdf")
    return position_date(float(lo)), position_date(float(hi))


@dataclass
class Crossing:
    """When an entity's cumulative volume reaches a threshold."""

    entity_id: str
    entity: str
    metric: str
    threshold: float
    as_of: str | None
    status: str  # crossed | forecast
    crossed_date: str | None = None  # when already crossed
    crossed_basis: str = ""
    latest_cumulative: float | None = None
    latest_period: str | None = None
    last_month: str | None = None  # last month of monthly data the model saw
    median: str | None = None  # crossing day (None: not within the horizon on most paths)
    intervals: dict[str, list[str | None]] = field(default_factory=dict)  # level -> [low, high] days
    p_by: dict[str, float] = field(default_factory=dict)  # date -> P(crossed on or before it)
    p_within_horizon: float | None = None
    horizon: str | None = None  # last month simulated
    median_months: float | None = None  # from the end of the latest cumulative month
    model: str = ""
    model_detail: str = ""
    n_paths: int = 0
    notes: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({f.origin.url for f in self.facts if f.origin.url})


def crossing_positions(fitted: Fitted, anc: Anchor, threshold: float, paths: np.ndarray
                       ) -> tuple[np.ndarray, list[str]]:
    """Crossing position (running month number + fraction, see :func:`date_position`) per path; ``inf``
    for a path that does not reach ``threshold`` within the simulated months."""
    horizon_end = month_add(fitted.last, paths.shape[1])
    vols, filled = fitted.months(month_add(anc.period, 1), horizon_end, paths)
    cum = anc.value + np.cumsum(vols, axis=1)
    reached = cum >= threshold
    first = np.where(reached.any(axis=1), reached.argmax(axis=1), -1)
    rows = np.arange(len(first))
    safe = np.maximum(first, 0)
    before = np.where(safe > 0, cum[rows, safe - 1], anc.value)
    vol = np.maximum(vols[rows, safe], 1e-9)
    frac = np.clip((threshold - before) / vol, 0.0, 1.0)
    pos = month_ix(anc.period) + 1 + safe + frac
    return np.where(first >= 0, pos, np.inf), filled


def crossing(fs: FactSet, entity_id: str, threshold: float, metric: str = "deliveries",
             as_of: dt.date | str | None = None, model: str = DEFAULT_MODEL, n_paths: int = 2000,
             dates: list[dt.date | str] | tuple = (), seed: int = 0, horizon: int | None = None,
             fitted: Fitted | None = None) -> Crossing:
    """The month (and day) ``entity_id``'s cumulative ``metric`` crosses ``threshold``, as a distribution.

    ``dates``: days for which P(crossed on or before the day) is given. Only facts published by ``as_of``
    are used; an entity that has already crossed gets the crossing date and its basis instead."""
    if threshold <= 0:
        raise InvalidArgumentError(name="threshold", reason="must be a positive number")
    fs = restrict(fs, as_of)
    eid = fs.registry.resolve(entity_id).id
    ent = fs.registry.get(eid)
    sb = SeriesBuilder(fs)
    out = Crossing(eid, ent.name, metric, float(threshold), fs.as_of.isoformat() if fs.as_of else None, "forecast")
    days = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in dates]
    ms = MilestoneFinder(fs, sb).find(eid, threshold, metric)
    if ms.status == "crossed" and ms.date:
        out.status, out.crossed_date, out.crossed_basis, out.facts = "crossed", ms.date, ms.date_basis, ms.facts
        out.latest_cumulative, out.latest_period = ms.latest_cumulative, ms.latest_cumulative_period
        out.p_by = {d.isoformat(): float(d.isoformat()[:len(ms.date)] >= ms.date) for d in days}
        out.notes.append(f"already crossed: {ms.note or ms.date_basis}")
        return out
    anc = anchor(sb, eid, metric)
    if anc is None:
        raise InvalidArgumentError(name="entity", reason=f"no cumulative {metric} figure for {eid} to add months to")
    fitted = fitted or fit(sb, eid, metric, model)
    need = max([months_between(fitted.last, d.isoformat()[:7]) + 1 for d in days] + [horizon or DEFAULT_HORIZON])
    h = min(max(need, 1), MAX_HORIZON)
    paths = fitted.model.sample_paths(h, n_paths, np.random.default_rng(seed))
    pos, filled = crossing_positions(fitted, anc, threshold, paths)
    out.latest_cumulative, out.latest_period, out.last_month = anc.value, anc.period, fitted.last
    out.model, out.model_detail, out.n_paths = model, fitted.model.detail, n_paths
    out.horizon = month_add(fitted.last, h)
    out.p_within_horizon = float(np.isfinite(pos).mean())
    med = float(np.quantile(pos, 0.5, method="inverted_cdf"))
    out.median = position_date(med)
    out.median_months = round(med - month_ix(anc.period) - 1, 2) if np.isfinite(med) else None
    out.intervals = {str(lv): list(_quantile_dates(pos, lv)) for lv in LEVELS}
    out.p_by = {d.isoformat(): float((pos <= date_position(d)).mean()) for d in days}
    out.notes = fitted.notes + ([f"latest cumulative: {anc.how}"] if anc.how else [])
    if filled:
        out.notes.append(f"months without figures between the latest cumulative and the last monthly figure "
                         f"({', '.join(filled)}) filled log-linearly")
    out.facts = list(anc.facts) + fitted.history.facts(fitted.model.months_[0])
    return out


@dataclass
class TargetOdds:
    """The probability of meeting one announced target (or revision)."""

    target: float
    announced: str | None
    note: str
    probability: float
    remaining: float | None
    monthly_pace_needed: float | None
    sources: list[str] = field(default_factory=list)


@dataclass
class YearTotal:
    """A year's total volume as a distribution, with the odds of each announced target."""

    entity_id: str
    entity: str
    metric: str
    year: int
    as_of: str | None
    actual: float
    actual_through: str | None
    actual_how: str
    months_left: int
    mean: float | None = None
    median: float | None = None
    intervals: dict[str, list[float]] = field(default_factory=dict)
    targets: list[TargetOdds] = field(default_factory=list)
    model: str = ""
    model_detail: str = ""
    n_paths: int = 0
    notes: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({f.origin.url for f in self.facts if f.origin.url})

    def probability(self, target: float) -> float:
        """P(total ≥ target) from the stored totals."""
        return float((self._totals >= target).mean()) if hasattr(self, "_totals") else float(
            (self.median or 0) >= target)


def year_totals(fitted: Fitted, ytd: float, through: str | None, year: int, paths: np.ndarray
                ) -> tuple[np.ndarray, list[str]]:
    """The year's total per path: ``ytd`` (through month ``through``) + the remaining months."""
    start = month_add(through, 1) if through else f"{year}-01"
    rest, filled = fitted.months(start, f"{year}-12", paths)
    return ytd + rest.sum(axis=1), filled


def year_total(fs: FactSet, entity_id: str, year: int, metric: str = "deliveries",
               as_of: dt.date | str | None = None, model: str = DEFAULT_MODEL, n_paths: int = 2000, seed: int = 0,
               fitted: Fitted | None = None) -> YearTotal:
    """``year``'s total ``metric`` as a distribution: year-to-date actual + simulated rest of the year, and
    P(total ≥ target) for every announced target and revision known at ``as_of``."""
    fs = restrict(fs, as_of)
    eid = fs.registry.resolve(entity_id).id
    sb = SeriesBuilder(fs)
    act = year_actual(fs, sb, eid, year, metric)
    through = act.through if act.value is not None else None
    ytd = act.value if act.value is not None else 0.0
    months_left = 12 - int(through[5:]) if through else 12
    out = YearTotal(eid, fs.registry.get(eid).name, metric, year, fs.as_of.isoformat() if fs.as_of else None,
                    ytd, through, act.how or "no figures yet", months_left, facts=list(act.facts))
    if months_left == 0:
        totals = np.array([ytd])
        out.notes.append("the year is complete")
        out.model = "actual"
    else:
        fitted = fitted or fit(sb, eid, metric, model)
        end_ix = month_ix(f"{year}-12")
        if month_ix(fitted.last) + 1 < month_ix(through or f"{year}-01"):
            out.notes.append(f"the model's last month {fitted.last} is before the year-to-date figure")
        h = max(end_ix - month_ix(fitted.last), 1)
        paths = fitted.model.sample_paths(h, n_paths, np.random.default_rng(seed))
        totals, filled = year_totals(fitted, ytd, through, year, paths)
        if filled:
            out.notes.append(f"months without figures ({', '.join(filled)}) filled log-linearly")
        out.model, out.model_detail, out.n_paths = model, fitted.model.detail, n_paths
        out.notes = fitted.notes + out.notes
        out.facts += fitted.history.facts(fitted.model.months_[0])
    out._totals = totals  # kept for probability(); not a field, so not serialised
    out.mean, out.median = float(totals.mean()), float(np.median(totals))
    out.intervals = {str(lv): [float(np.quantile(totals, (100 - lv) / 200)),
                               float(np.quantile(totals, 1 - (100 - lv) / 200))] for lv in LEVELS}
    for t in target_rows(fs, eid, year, metric):
        if t.target is None:
            continue
        remaining = t.target - ytd
        need = max(remaining, 0.0) / months_left if months_left else 0.0
        out.targets.append(TargetOdds(t.target, t.target_announced, t.target_note,
                                      float((totals >= t.target).mean()), remaining, need,
                                      sorted({f.origin.url for f in t.facts[-1:]})))
        out.facts += t.facts[-1:]
    return out
