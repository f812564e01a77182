"""Watch rules: what each kind looks for, and the stable key of every thing it finds.

=====================  =============================================================  ==========================
kind                   fires when                                                     key (after the rule id)
=====================  =============================================================  ==========================
``threshold``          the entity's cumulative volume has crossed N                   entity, metric, N
                       (:class:`~evpace.analytics.milestones.MilestoneFinder`)
``target-pace``        year-to-date + forecast gives P(target met) below a level      entity, year, metric, target
                       (:func:`evpace.forecast.year_total`), for each target/revision
``conflict``           two sources disagree (:func:`evpace.api.conflicts`)            the conflict's facts
``inconsistent-claim`` an ingested article makes a claim evpace.check judges          document, claim offset
                       inconsistent
``leaderboard``        a maker (of a tag) joins the club of those past N              entity, metric, N, tag
=====================  =============================================================  ==========================

Every rule reads the data as it stands (all facts known now). What already holds when a rule is added is
recorded as its *baseline* and never reported (unless the rule is added with ``backfill``); an
inconsistent-claim rule looks only at documents ingested from then on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..analytics.milestones import MilestoneFinder
from ..entities import Registry
from ..errors import EvpaceError, WatchRuleError
from ..model import Document, Fact
from ..reconcile import Conflict, FactSet
from ..store import Store

KINDS = ("threshold", "target-pace", "conflict", "inconsistent-claim", "leaderboard")
VOLUME_METRICS = ("deliveries", "production", "sales")
NEEDS_ENTITY = ("threshold", "target-pace")
NEEDS_THRESHOLD = ("threshold", "leaderboard")


@dataclass
class Rule:
    """A watch rule. ``params``: ``threshold``, ``metric`` (threshold, leaderboard, target-pace), ``year``,
    ``below``, ``model``, ``paths`` (target-pace), ``tag`` (leaderboard), ``since`` (inconsistent-claim:
    documents ingested from then on; None = all)."""

    id: int
    kind: str
    entity_id: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    removed_at: str | None = None

    def describe(self, entity: str | None = None) -> str:
        """The rule in words, e.g. ``xiaomi crosses 1,000,000 cumulative deliveries``."""
        p, who = self.params, entity or self.entity_id or ""
        metric = p.get("metric") or "units (any metric)"
        if self.kind == "threshold":
            return f"{who} crosses {p['threshold']:,.0f} cumulative {metric}"
        if self.kind == "target-pace":
            return f"{who}: P(meeting a {p['year']} {metric} target) below {p['below']:.0%}"
        if self.kind == "leaderboard":
            tag = f" ({p['tag']})" if p.get("tag") else ""
            by = f" of {p['metric']}" if p.get("metric") else ""
            return f"a maker{tag} joins the {p['threshold']:,.0f} club{by}"
        about = f" about {who}" if who else ""
        if self.kind == "conflict":
            return f"a new conflict between sources{about}"
        return f"an ingested article makes an inconsistent claim{about}"

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> Rule:
        return cls(id=int(r["id"]), kind=r["kind"], entity_id=r["entity_id"], params=dict(r["params"]),
                   created_at=r["created_at"], removed_at=r.get("removed_at"))


def validate(kind: str, entity_id: str | None, params: dict[str, Any]) -> dict[str, Any]:
    """The rule's parameters checked and cleaned (None values dropped); raises :class:`WatchRuleError`."""
    def bad(reason: str) -> WatchRuleError:
        return WatchRuleError(rule=kind, reason=reason)

    if kind not in KINDS:
        raise bad(f"unknown kind; one of {', '.join(KINDS)}")
    p = {k: v for k, v in params.items() if v is not None}
    if kind in NEEDS_ENTITY and not entity_id:
        raise bad("needs --entity")
    if kind == "leaderboard" and entity_id:
        raise bad("does not take --entity (a club is every maker, or those with --tag)")
    if kind in NEEDS_THRESHOLD:
        if float(p.get("threshold") or 0) <= 0:
            raise bad("needs --threshold N (a positive number of units)")
        p["threshold"] = float(p["threshold"])
    if p.get("metric") is not None and p["metric"] not in VOLUME_METRICS:
        raise bad(f"metric {p['metric']!r} is not one of {', '.join(VOLUME_METRICS)}")
    if kind == "target-pace":
        from ..forecast import MODEL_NAMES

        if not p.get("year"):
            raise bad("needs --year")
        below = float(p.get("below", 0.5))
        if not 0 < below <= 1:
            raise bad("--below is a probability between 0 and 1 (e.g. 0.5)")
        p.update(year=int(p["year"]), below=below, metric=p.get("metric") or "deliveries")
        p.setdefault("model", "ensemble")
        if p["model"] not in MODEL_NAMES:
            raise bad(f"model {p['model']!r} is not one of {', '.join(MODEL_NAMES)}")
        p["paths"] = int(p.get("paths", 2000))
        if not 50 <= p["paths"] <= 100_000:
            raise bad("--paths must be between 50 and 100,000")
    allowed = {"threshold": {"threshold", "metric"}, "leaderboard": {"threshold", "metric", "tag"},
               "target-pace": {"year", "below", "metric", "model", "paths"}, "conflict": set(),
               "inconsistent-claim": {"since"}}[kind]
    extra = set(p) - allowed
    if extra:
        raise bad(f"does not take {', '.join('--' + x for x in sorted(extra))}")
    return p


@dataclass
class Finding:
    """Something a rule found: ``key`` is stable across runs (the rule id is put in front of it)."""

    key: str
    entity_id: str
    entity: str
    message: str
    date: str | None = None
    facts: list[Fact] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Batch:
    """Findings to store together, with the documents checked to find them (recorded in one transaction)."""

    findings: list[Finding]
    scanned: list[str] = field(default_factory=list)


class Snapshot:
    """The data the rules of one run read: one fact set of everything known now, computed once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._fs: FactSet | None = None
        self._finder: MilestoneFinder | None = None
        self._conflicts: list[Conflict] | None = None
        self._registry: Registry | None = None

    @property
    def fs(self) -> FactSet:
        if self._fs is None:
            from ..api import factset

            self._fs = factset(self.store)
        return self._fs

    @property
    def finder(self) -> MilestoneFinder:
        if self._finder is None:
            self._finder = MilestoneFinder(self.fs)
        return self._finder

    def conflicts(self) -> list[Conflict]:
        if self._conflicts is None:
            from ..api import conflicts

            self._conflicts = conflicts(self.store)
        return self._conflicts

    def name(self, entity_id: str | None) -> str:
        """An entity's name (its id when unknown), from the registry alone."""
        if self._registry is None:
            self._registry = self._fs.registry if self._fs is not None else self.store.registry()
        return self._registry.get(entity_id).name if entity_id and entity_id in self._registry else entity_id or ""


def _urls(facts: list[Fact]) -> list[str]:
    return sorted({f.origin.url for f in facts if f.origin.url})


def evaluate(rule: Rule, snap: Snapshot) -> Iterator[Batch]:
    """What ``rule`` finds in the data now, in batches to store one transaction each."""
    fn = {"threshold": _threshold, "target-pace": _target_pace, "conflict": _conflict,
          "leaderboard": _leaderboard, "inconsistent-claim": _inconsistent_claims}[rule.kind]
    return fn(rule, snap)


def _threshold(rule: Rule, snap: Snapshot) -> Iterator[Batch]:
    p, eid = rule.params, str(rule.entity_id)
    ms = snap.finder.find(eid, p["threshold"], p.get("metric"))
    found = []
    if ms.status == "crossed":
        when = f"{ms.date_basis} {ms.date}".strip() if ms.date else "date unknown"
        latest = (f"; latest cumulative {ms.latest_cumulative:,.0f} ({ms.latest_cumulative_period})"
                  if ms.latest_cumulative is not None else "")
        found.append(Finding(
            key=f"threshold|{eid}|{p.get('metric') or 'any'}|{p['threshold']:g}", entity_id=eid, entity=ms.entity,
            message=f"{ms.entity} crossed {p['threshold']:,.0f} cumulative {ms.metric or 'units'} ({when}){latest}",
            date=ms.date, facts=list(ms.facts), sources=ms.sources,
            details={"threshold": p["threshold"], "metric": ms.metric, "date_basis": ms.date_basis,
                     "latest_cumulative": ms.latest_cumulative, "note": ms.note}))
    yield Batch(found)


def _target_pace(rule: Rule, snap: Snapshot) -> Iterator[Batch]:
    from ..forecast import year_total

    p, eid = rule.params, str(rule.entity_id)
    try:
        yt = year_total(snap.fs, eid, p["year"], p["metric"], model=p["model"], n_paths=p["paths"], seed=0)
    except EvpaceError as exc:
        raise WatchRuleError(rule=rule.id, reason=f"no forecast for {eid} {p['year']}: {exc}") from None
    found = []
    for t in yt.targets:
        if t.probability >= p["below"]:
            continue
        pace = f"; {t.monthly_pace_needed:,.0f}/month needed" if t.monthly_pace_needed else ""
        found.append(Finding(
            key=f"target-pace|{eid}|{p['year']}|{p['metric']}|{t.target:g}", entity_id=eid, entity=yt.entity,
            message=(f"{yt.entity}: P(meeting the {p['year']} target of {t.target:,.0f} {p['metric']}) = "
                     f"{t.probability:.0%}, below {p['below']:.0%} (year to date {yt.actual:,.0f} through "
                     f"{yt.actual_through or '—'}{pace}; model {yt.model})"),
            date=yt.actual_through, facts=list(yt.facts), sources=sorted(set(yt.sources) | set(t.sources)),
            details={"year": p["year"], "target": t.target, "probability": t.probability, "below": p["below"],
                     "actual": yt.actual, "actual_through": yt.actual_through, "median": yt.median,
                     "monthly_pace_needed": t.monthly_pace_needed, "model": yt.model, "n_paths": yt.n_paths}))
    yield Batch(found)


def conflict_key(c: Conflict) -> str:
    """Same figure: the facts in disagreement (a new source joining makes a new alert); a cross-check
    (cumulative or year total vs months): the reported fact it contradicts."""
    ids = sorted(f.id for f in c.facts) if c.kind == "same-figure" else [c.facts[0].id if c.facts else c.period]
    digest = hashlib.sha1("|".join(ids).encode()).hexdigest()[:16]
    return f"conflict|{c.kind}|{c.entity_id}|{c.metric}|{c.period}|{digest}"


def _conflict(rule: Rule, snap: Snapshot) -> Iterator[Batch]:
    found = [Finding(key=conflict_key(c), entity_id=c.entity_id, entity=snap.name(c.entity_id),
                     message=f"{snap.name(c.entity_id)}: {c.message}", date=c.period, facts=list(c.facts),
                     sources=_urls(c.facts),
                     details={"conflict": c.kind, "metric": c.metric, "period": c.period, "expected": c.expected,
                              "arithmetic": c.arithmetic})
             for c in snap.conflicts() if rule.entity_id in (None, c.entity_id)]
    yield Batch(found)


def _leaderboard(rule: Rule, snap: Snapshot) -> Iterator[Batch]:
    p = rule.params
    tag = p.get("tag")
    ids = [e.id for e in snap.fs.registry if e.kind != "model" and (not tag or tag in e.tags)]
    if not ids:
        raise WatchRuleError(rule=rule.id, reason=f"no entity has tag {tag!r}")
    found = []
    for m in snap.finder.table(p["threshold"], p.get("metric"), ids):
        if m.status != "crossed":
            continue
        club = f"{p['threshold']:,.0f} club" + (f" ({tag})" if tag else "")
        rank = f" as no. {m.order}" if m.order else ""
        found.append(Finding(
            key=f"leaderboard|{p['threshold']:g}|{p.get('metric') or 'any'}|{tag or ''}|{m.entity_id}",
            entity_id=m.entity_id, entity=m.entity,
            message=f"{m.entity} joins the {club}{rank}: {m.metric or 'units'} {m.date_basis} {m.date}".rstrip(),
            date=m.date, facts=list(m.facts), sources=m.sources,
            details={"threshold": p["threshold"], "order": m.order, "metric": m.metric, "date_basis": m.date_basis,
                     "months_from_first_delivery": m.months_from_first_delivery}))
    yield Batch(found)


def _inconsistent_claims(rule: Rule, snap: Snapshot) -> Iterator[Batch]:
    """One batch per document ingested since the rule was added and not checked by it yet."""
    from ..check import check_document
    from .state import documents_to_scan

    for row in documents_to_scan(snap.store, rule.id, rule.params.get("since")):
        doc = Document(text=row["text"], name=row["name"], url=row["url"], title=row["title"],
                       published=row["published"], path=row["path"])
        title = doc.title or doc.name or doc.id[:12]
        found = []
        for v in check_document(doc, snap.store):
            if v.verdict != "inconsistent" or rule.entity_id not in (None, v.entity_id):
                continue
            claimed = v.number_text or v.claimed
            found.append(Finding(
                key=f"claim|{row['id']}|{v.start}|{v.kind}", entity_id=v.entity_id or "", entity=v.entity,
                message=f"{title}: claim {claimed!s} ({v.kind}) is inconsistent with the data: {v.arithmetic}",
                date=doc.published, facts=list(v.facts), sources=([doc.url] if doc.url else []) + list(v.sources),
                details={"document_id": row["id"], "document": title, "quote": v.quote, "claimed": v.claimed,
                         "recomputed": v.recomputed, "claim": v.kind, "note": v.note, "as_of": v.as_of}))
        yield Batch(found, scanned=[row["id"]])
