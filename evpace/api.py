"""The Python API: one function per user-facing operation. The CLI only parses options and calls these.

Every function takes ``db`` (a path or ``postgresql://`` URL, an open :class:`Store`, or None for
``$EVPACE_DB`` / ``evpace.db``) and, where it reads, ``as_of`` (only facts published by that day).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .analytics.milestones import Milestone, MilestoneFinder, Pace
from .analytics.milestones import pace as _pace
from .analytics.targets import RunRate, TargetProgress, YearStat, year_stats
from .analytics.targets import targets as _targets
from .dataset import load_dataset, read_facts
from .entities import Registry
from .errors import EvpaceError, InvalidArgumentError, InvalidRowError
from .model import METRICS, Entity, Fact
from .reconcile import Conflict, FactSet
from .series import Point, SeriesBuilder
from .store import Store

DB = str | Path | Store | None


@contextlib.contextmanager
def open_store(db: DB) -> Iterator[Store]:
    """An open store for ``db`` (used as is when it already is one; closed afterwards otherwise)."""
    if isinstance(db, Store):
        yield db
        return
    store = Store(db)
    try:
        yield store
    finally:
        store.close()


def _date(as_of: dt.date | str | None) -> dt.date | None:
    if as_of is None or isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise InvalidArgumentError(name="as_of", reason=f"{as_of!r} is not a date (YYYY-MM-DD)") from None


def _metric(metric: str | None) -> str | None:
    if metric is not None and metric not in METRICS:
        raise InvalidArgumentError(name="metric", reason=f"{metric!r} is not one of {', '.join(METRICS)}")
    return metric


def factset(db: DB = None, as_of: dt.date | str | None = None) -> FactSet:
    """All facts and events known at ``as_of``, ready for the analytics."""
    as_of = _date(as_of)
    with open_store(db) as s:
        return FactSet(s.registry(), s.facts(as_of=as_of), s.events(), as_of=as_of)


@dataclass
class InitSummary:
    """What ``init`` / ``load`` stored."""

    url: str
    schema_version: int
    entities_changed: int = 0
    facts_new: int = 0
    facts_existing: int = 0
    events_new: int = 0
    events_existing: int = 0
    errors: list[InvalidRowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def init(db: DB = None, data: str | Path | None = None) -> InitSummary:
    """Create or upgrade the database and load the shipped dataset (or a folder like it).

    Loading is idempotent: facts are keyed by content, so a second run adds nothing. Rows that fail
    validation are reported and not loaded; every valid row is stored in one transaction.
    """
    ds = load_dataset(Path(data) if data else None)
    with open_store(db) as s:
        with s.transaction():
            changed = s.put_entities(ds.registry)
            fn, fe = s.add_facts(ds.facts)
            en, ee = s.add_events(ds.events)
        return InitSummary(s.redacted_url, s.schema_version(), changed, fn, fe, en, ee, ds.errors, s.counts())


def load(path: str | Path, db: DB = None) -> InitSummary:
    """Add a user's CSV of facts (columns as ``evpace/data/facts.csv``): valid rows are stored in one
    transaction, each bad row is reported with file, line and field."""
    with open_store(db) as s:
        facts, errors = read_facts(Path(path), s.registry())
        fn, fe = s.add_facts(facts)
        return InitSummary(s.redacted_url, s.schema_version(), 0, fn, fe, 0, 0, errors, s.counts())


def extract_documents(inputs: list[str], published: str | None = None):
    """Read inputs and extract every figure, without a database: yields (document, records) and, for
    inputs that could not be read, (error, [])."""
    from .extract import default_registry, extract, to_record
    from .sources import read_documents

    registry = default_registry()
    for doc in read_documents(inputs, published=published):
        if isinstance(doc, EvpaceError):
            yield doc, []
        else:
            try:
                yield doc, [to_record(x, doc) for x in extract(doc, registry)]
            except EvpaceError as exc:  # the per-document time limit
                yield exc, []


def ingest(inputs: list[str], db: DB = None, published: str | None = None, workers: int | None = None,
           progress=None, *, engine: str = "local", scheduler: str | None = None, partition_size: int | None = None):
    """Store documents and the facts read from them (see :mod:`evpace.ingest`; ``engine="dask"`` extracts
    on a Dask cluster, :mod:`evpace.distributed`)."""
    from .ingest import ingest as _ingest

    if published is not None:
        _date(published)
    return _ingest(inputs, db, published=published, workers=workers, progress=progress, engine=engine,
                   scheduler=scheduler, partition_size=partition_size)


def entities(db: DB = None) -> list[Entity]:
    """Every entity, groups first, then brands and models."""
    with open_store(db) as s:
        order = {"group": 0, "brand": 1, "model": 2}
        return sorted(s.registry(), key=lambda e: (order.get(e.kind, 3), e.parent or "", e.id))


def resolve(name: str, db: DB = None) -> Entity:
    """An entity by id, name or alias (unknown names raise with close matches)."""
    with open_store(db) as s:
        return s.registry().resolve(name)


def _with_descendants(reg: Registry, entity_id: str) -> list[str]:
    out, todo = [], [entity_id]
    while todo:
        e = todo.pop()
        out.append(e)
        todo += [c.id for c in reg.children(e)]
    return out


def facts(db: DB = None, entity: str | None = None, metric: str | None = None, scope: str | None = None,
          kind: str | None = None, as_of: dt.date | str | None = None, period_from: str | None = None,
          period_to: str | None = None, include_children: bool = False) -> list[Fact]:
    """Stored facts matching the filters (``period_from``/``period_to`` compare period end dates)."""
    with open_store(db) as s:
        ids = None
        if entity:
            reg = s.registry()
            e = reg.resolve(entity)
            ids = _with_descendants(reg, e.id) if include_children else [e.id]
        return s.facts(entity_ids=ids, metric=_metric(metric), scope=scope, kind=kind, as_of=_date(as_of),
                       period_from=period_from, period_to=period_to)


def conflicts(db: DB = None, entity: str | None = None, as_of: dt.date | str | None = None) -> list[Conflict]:
    """Every disagreement: same figure from different sources, cumulative figures that monthly sums
    contradict, and year totals that their twelve months contradict."""
    fs = factset(db, as_of)
    ids = [fs.registry.resolve(entity).id] if entity else [e.id for e in fs.registry]
    out = [c for c in fs.same_figure_conflicts() if c.entity_id in ids]
    sb = SeriesBuilder(fs)
    for eid in ids:
        if fs.registry.get(eid).kind == "model":
            continue
        for metric in ("deliveries", "sales"):
            sb.cumulative(eid, metric)
            out += sb.year_conflicts(eid, metric)
    seen = set()
    for c in sb.conflicts:
        key = (c.facts[0].id, c.kind)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return sorted(out, key=lambda c: (c.entity_id, c.kind, c.period))


def milestones(threshold: float, db: DB = None, metric: str | None = None, as_of: dt.date | str | None = None,
               entities: list[str] | None = None, sort: str = "date", tag: str | None = None) -> list[Milestone]:
    """Who crossed ``threshold`` when, how long after first delivery, and who has not yet.

    ``entities`` limits the table to those named; ``tag`` to entities carrying that tag (e.g.
    ``upstart``); ``sort`` is ``date`` (order of crossing) or ``speed`` (months from first delivery)."""
    if threshold <= 0:
        raise InvalidArgumentError(name="threshold", reason="must be a positive number")
    fs = factset(db, as_of)
    ids = [fs.registry.resolve(e).id for e in entities] if entities else None
    if tag:
        ids = [e.id for e in fs.registry if tag in e.tags and e.kind != "model" and (ids is None or e.id in ids)]
        if not ids:
            known = sorted({t for e in fs.registry for t in e.tags})
            raise InvalidArgumentError(name="tag", reason=f"no entity has tag {tag!r}; tags: {', '.join(known)}")
    rows = MilestoneFinder(fs).table(threshold, _metric(metric), ids, keep_unknown=bool(entities))
    if sort == "speed":
        rows.sort(key=lambda r: (r.speed_rank is None, r.speed_rank or 0, -(r.latest_cumulative or 0)))
    elif sort != "date":
        raise InvalidArgumentError(name="sort", reason=f"{sort!r} is not 'date' or 'speed'")
    return rows


def pace(entity: str, from_n: float, to_n: float, db: DB = None, metric: str | None = None,
         as_of: dt.date | str | None = None) -> Pace:
    """Time from ``from_n`` units (0 = first delivery) to ``to_n`` units."""
    if to_n <= from_n:
        raise InvalidArgumentError(name="to", reason=f"must be above from ({from_n:,.0f})")
    fs = factset(db, as_of)
    return _pace(fs, fs.registry.resolve(entity).id, from_n, to_n, _metric(metric))


def series(entity: str, db: DB = None, metric: str = "deliveries", cumulative: bool = False,
           as_of: dt.date | str | None = None) -> list[Point]:
    """The monthly (or cumulative) series of an entity, gaps included as points with no value."""
    fs = factset(db, as_of)
    eid = fs.registry.resolve(entity).id
    sb = SeriesBuilder(fs)
    data = sb.cumulative(eid, _metric(metric) or "deliveries") if cumulative else sb.monthly(eid, metric)
    return [data[p] for p in sorted(data)]


def targets(entity: str, db: DB = None, year: int | None = None, metric: str = "deliveries",
            as_of: dt.date | str | None = None) -> list[TargetProgress]:
    """Year-to-date (or full-year) volume against each announced target and revision of ``year``
    (default: the current year, or the year of ``as_of``)."""
    as_of_d = _date(as_of)
    fs = factset(db, as_of_d)
    year = year or (as_of_d or dt.date.today()).year
    return _targets(fs, fs.registry.resolve(entity).id, year, _metric(metric) or "deliveries")


def stats(entity: str, db: DB = None, metric: str = "deliveries",
          as_of: dt.date | str | None = None) -> tuple[list[YearStat], RunRate]:
    """Year totals with growth, and the latest run-rates."""
    fs = factset(db, as_of)
    return year_stats(fs, fs.registry.resolve(entity).id, _metric(metric) or "deliveries")
