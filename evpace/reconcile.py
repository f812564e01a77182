"""Choose one best value per (entity, metric, scope, period, basis, kind) and list disagreements.

Rule for the best value, applied in order until one fact wins (documented in README "Reconcile"):

1. a fact not flagged ``suspect`` beats a suspect one;
2. a primary source beats a ``secondary`` one (a scraper of another site's tables);
3. a tighter bound beats a looser one: exact > approx > lower/upper bound;
4. a reported figure beats a ``derived`` one;
5. the value more sources agree on wins;
6. the earlier publication wins (the figure that was known first);
7. then the curated row order, so the choice is deterministic.

Two facts *disagree* when no single true value could satisfy both, given their bounds and rounding:
exact vs exact differ at all; an approximate or rounded figure is allowed ``APPROX_TOLERANCE``; a
lower bound is violated by a smaller value, an upper bound by a larger one. Disagreements are never
averaged away: every one is listed with both sources. Targets of the same year are revisions, not
conflicts; they are shown by the targets view instead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .entities import Registry
from .model import Event, Fact

APPROX_TOLERANCE = 0.02  # relative slack for "about"/"nearly"/rounded figures
_BOUND_RANK = {"exact": 0, "approx": 1, "lower": 2, "upper": 2}

Key = tuple[str, str, str, str, str, str]


def fact_key(f: Fact) -> Key:
    return (f.entity_id, f.metric, f.scope, f.period, f.basis, f.kind)


def interval(f: Fact) -> tuple[float, float]:
    """The range of true values a fact allows, from its bound and rounding."""
    v = f.value
    slack = v * APPROX_TOLERANCE if (f.bound == "approx" or "rounded" in f.flags) else 0.0
    if f.bound == "lower":
        return v, float("inf")
    if f.bound == "upper":
        return 0.0, v
    return v - slack, v + slack


def agrees(a: Fact | tuple[float, float], b: Fact | tuple[float, float]) -> bool:
    """True when some single value satisfies both facts (or intervals)."""
    lo1, hi1 = a if isinstance(a, tuple) else interval(a)
    lo2, hi2 = b if isinstance(b, tuple) else interval(b)
    return max(lo1, lo2) <= min(hi1, hi2) + 1e-9


@dataclass
class Best:
    """The chosen fact for one key, with the facts it was chosen from."""

    fact: Fact
    candidates: list[Fact]
    reason: str

    @property
    def value(self) -> float:
        return self.fact.value


@dataclass
class Conflict:
    """Facts that cannot all be true. ``kind`` names the check that found it."""

    kind: str  # same-figure | cumulative-vs-monthly | year-vs-monthly
    entity_id: str
    metric: str
    period: str
    message: str
    facts: list[Fact] = field(default_factory=list)
    expected: float | None = None  # the value the cross-check computed, if any
    arithmetic: str = ""


def _rank(f: Fact, support: dict[tuple[Key, float], int]) -> tuple:
    return ("suspect" in f.flags, "secondary" in f.flags, _BOUND_RANK[f.bound], "derived" in f.flags,
            -support[(fact_key(f), f.value)], f.origin.published or "9999", f.provenance.origin_ref, f.id)


def choose(facts: list[Fact]) -> Best:
    """Best of facts sharing one key (see the module docstring for the rule)."""
    support: dict[tuple[Key, float], int] = defaultdict(int)
    for f in facts:
        support[(fact_key(f), f.value)] += 1
    ordered = sorted(facts, key=lambda f: _rank(f, support))
    best = ordered[0]
    if len(ordered) == 1:
        reason = "only figure"
    else:
        runner = ordered[1]
        ra, rb = _rank(best, support), _rank(runner, support)
        names = ("not suspect", "primary source", "tighter bound", "reported, not derived",
                 "more sources agree", "published first", "curated order", "curated order")
        reason = next((names[i] for i in range(len(ra)) if ra[i] != rb[i]), "same value")
        if best.value == runner.value and reason in ("curated order", "published first"):
            reason = "sources agree"
    return Best(fact=best, candidates=ordered, reason=reason)


class FactSet:
    """Facts and events known at ``as_of`` (all, when None), indexed for the analytics."""

    def __init__(self, registry: Registry, facts: Iterable[Fact], events: Iterable[Event] = (),
                 as_of: dt.date | None = None) -> None:
        self.registry = registry
        self.as_of = as_of
        cutoff = as_of.isoformat() if as_of else None
        self.facts = [f for f in facts if cutoff is None or (f.origin.published or "9999") <= cutoff]
        self.events = list(events)
        self._groups: dict[Key, list[Fact]] = defaultdict(list)
        for f in self.facts:
            self._groups[fact_key(f)].append(f)
        self._best: dict[Key, Best] = {}

    def keys(self) -> Iterable[Key]:
        return self._groups.keys()

    def group(self, key: Key) -> list[Fact]:
        return self._groups.get(key, [])

    def best(self, entity_id: str, metric: str, scope: str, period: str, basis: str = "",
             kind: str = "actual") -> Best | None:
        """Best fact for a key, or None when nothing is known."""
        key = (entity_id, metric, scope, period, basis, kind)
        if key not in self._best:
            facts = self._groups.get(key)
            if not facts:
                return None
            self._best[key] = choose(facts)
        return self._best[key]

    def select(self, entity_id: str | None = None, metric: str | None = None, scope: str | None = None,
               kind: str | None = None, basis: str | None = "") -> list[Fact]:
        """Facts matching the filters given (``basis=None`` for any basis)."""
        return [f for f in self.facts if (entity_id is None or f.entity_id == entity_id)
                and (metric is None or f.metric == metric) and (scope is None or f.scope == scope)
                and (kind is None or f.kind == kind) and (basis is None or f.basis == basis)]

    def same_figure_conflicts(self) -> list[Conflict]:
        """Facts about the same figure that cannot all be true."""
        out = []
        for key, facts in sorted(self._groups.items()):
            if key[5] == "target" or len(facts) < 2:
                continue
            involved = sorted({f.id: f for f in _disagreeing(facts)}.values(), key=lambda f: f.value)
            if not involved:
                continue
            values = ", ".join(f"{_fmt(f)} ({f.origin.publisher})" for f in involved)
            out.append(Conflict(kind="same-figure", entity_id=key[0], metric=key[1], period=key[3],
                                message=f"{key[2]} {key[1]} {key[3]}: sources disagree: {values}",
                                facts=involved))
        return out


def _disagreeing(facts: list[Fact]) -> list[Fact]:
    """The facts that disagree with at least one other (``agrees`` false for some pair), in linear time:
    a fact [lo, hi] disagrees with another iff another's lo is above its hi, or another's hi below its
    lo; so only the two largest lows and the two smallest highs matter (a stored figure reported by
    thousands of articles stays cheap)."""
    if len(facts) < 2:
        return []
    spans = [interval(f) for f in facts]
    high_los = sorted(range(len(spans)), key=lambda i: spans[i][0], reverse=True)[:2]
    low_his = sorted(range(len(spans)), key=lambda i: spans[i][1])[:2]
    out = []
    for i, (lo, hi) in enumerate(spans):
        others_lo = spans[high_los[1] if high_los[0] == i else high_los[0]][0]  # the largest low of the others
        others_hi = spans[low_his[1] if low_his[0] == i else low_his[0]][1]  # the smallest high of the others
        if others_lo > hi + 1e-9 or lo > others_hi + 1e-9:
            out.append(facts[i])
    return out


def _fmt(f: Fact) -> str:
    prefix = {"lower": ">=", "upper": "<=", "approx": "~"}.get(f.bound, "")
    return f"{prefix}{f.value:,.0f}"
