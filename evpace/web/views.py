"""What each page and API endpoint shows, computed through :mod:`evpace.api` and cached by
:class:`~evpace.web.service.Service`. Rows are the :mod:`evpace.present` dicts, so field names are the
ones of the command line's JSON. Nothing here formats HTML (templates do) except the SVG charts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from .. import api, present
from ..entities import Registry
from ..errors import EvpaceError, InvalidArgumentError, UnknownEntityError
from ..model import KINDS, METRICS, SCOPES, period_end, period_start
from ..store import Store
from . import svg
from .service import Service

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
VEGA_FILES = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
#: Thresholds listed on an entity page (crossed ones, then the next one not yet reached).
ENTITY_THRESHOLDS = (100_000, 250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000)
FACTS_PAGE = 200


def charts_module() -> Any:
    """:mod:`evpace.charts` if it is installed (another part of the project), else None."""
    try:
        from .. import charts  # type: ignore[attr-defined]
    except Exception:  # ImportError, or a half-written module: the page falls back to inline SVG
        return None
    return charts


def vega_scripts() -> list[str]:
    """The vendored Vega scripts, in load order, when all are present (else [], and SVG is drawn)."""
    names = [n for n in VEGA_FILES if (VENDOR / n).is_file()]
    return names if len(names) == len(VEGA_FILES) else []


def spec_json(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec as JSON text, for a ``data-vega-spec`` attribute (autoescaped by the template)."""
    return json.dumps(spec, ensure_ascii=False, default=str)


# -- argument checks -------------------------------------------------------------------------------
def metric_arg(metric: str) -> str:
    """A known metric, else an InvalidArgumentError (400)."""
    if metric not in METRICS:
        raise InvalidArgumentError(name="metric", reason=f"{metric!r} is not one of {', '.join(METRICS)}")
    return metric


def as_of_arg(value: str | None) -> str | None:
    """A ``YYYY-MM-DD`` date or None; anything else is an InvalidArgumentError (400)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidArgumentError(name="as_of", reason=f"{value!r} is not a date (YYYY-MM-DD)") from None


_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-Q[1-4]|-H[12])?$")


def period_bound(value: str | None, end: bool) -> str | None:
    """A period (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn``) as the first (or last) day it covers;
    None if empty or not a period (such a filter is then ignored and reported by the caller)."""
    if not value or not _PERIOD.match(value.strip()):
        return None
    try:
        return (period_end(value.strip()) if end else period_start(value.strip())).isoformat()
    except ValueError:
        return None


# -- cached reads ----------------------------------------------------------------------------------
def registry(svc: Service) -> Registry:
    return svc.cached(("registry",), lambda s: s.registry())


def resolve(svc: Service, name: str):
    """An entity by id, name or alias (UnknownEntityError → 404)."""
    return registry(svc).resolve(name)


def check_tag(svc: Service, tag: str | None) -> None:
    """InvalidArgumentError (400) for a tag no entity carries, found in the cached registry before any
    analytics are computed for it."""
    if tag and all(tag not in e.tags for e in registry(svc)):
        known = sorted({t for e in registry(svc) for t in e.tags})
        raise InvalidArgumentError(name="tag", reason=f"no entity has tag {tag!r}; tags: {', '.join(known)}")


def entity_rows(svc: Service) -> list[dict[str, Any]]:
    return svc.cached(("entities",), lambda s: [present.entity_row(e) for e in api.entities(s)])


def milestone_rows(svc: Service, threshold: float, metric: str | None = None, tag: str | None = None,
                   as_of: str | None = None, entities: tuple[str, ...] | None = None,
                   sort: str = "date") -> list[dict[str, Any]]:
    def compute(s: Store) -> list[dict[str, Any]]:
        rows = api.milestones(threshold, s, metric, as_of, list(entities) if entities else None, sort, tag)
        return [present.milestone_row(m) for m in rows]

    return svc.cached(("milestones", float(threshold), metric, tag, as_of, entities, sort), compute)


def series_rows(svc: Service, entity_id: str, metric: str = "deliveries", cumulative: bool = False,
                as_of: str | None = None) -> list[dict[str, Any]]:
    def compute(s: Store) -> list[dict[str, Any]]:
        return [present.series_row(entity_id, metric, p) for p in api.series(entity_id, s, metric, cumulative, as_of)]

    return svc.cached(("series", entity_id, metric, cumulative, as_of), compute)


def target_rows(svc: Service, entity_id: str, year: int | None = None, metric: str = "deliveries",
                as_of: str | None = None) -> list[dict[str, Any]]:
    return svc.cached(("targets", entity_id, year, metric, as_of),
                      lambda s: [present.target_row(t) for t in api.targets(entity_id, s, year, metric, as_of)])


def conflict_rows(svc: Service, entity_id: str | None = None, as_of: str | None = None) -> list[dict[str, Any]]:
    return svc.cached(("conflicts", entity_id, as_of),
                      lambda s: [present.conflict_row(c) for c in api.conflicts(s, entity_id, as_of)])


def stats_rows(svc: Service, entity_id: str, metric: str = "deliveries",
               as_of: str | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    def compute(s: Store):
        years, rr = api.stats(entity_id, s, metric, as_of)
        return [present.year_row(entity_id, y) for y in years], present.runrate_row(entity_id, rr)

    return svc.cached(("stats", entity_id, metric, as_of), compute)


def json_bytes(svc: Service, key: tuple, rows_fn) -> bytes:
    """The JSON text of an API answer, cached with the rows it is made of."""
    return svc.cached(("json",) + key, lambda s: json.dumps(rows_fn(), ensure_ascii=False,
                                                            default=str).encode("utf-8"))


# -- facts browser -------------------------------------------------------------------------------
def fact_filters(entity: str | None, metric: str | None, scope: str | None, kind: str | None, since: str | None,
                 until: str | None, as_of: str | None, children: bool) -> dict[str, Any]:
    """The filters as given (for the form), with a note for each one that cannot match anything."""
    return {"entity": entity or "", "metric": metric or "", "scope": scope or "", "kind": kind or "",
            "since": since or "", "until": until or "", "as_of": as_of or "", "children": children}


def fact_rows(svc: Service, f: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Facts matching the filters (present.fact_row dicts) and notes on filters that match nothing.
    An unknown entity, metric, scope or kind is not an error: it matches no fact."""
    notes: list[str] = []
    ids = None
    if f["entity"]:
        try:
            e = resolve(svc, f["entity"])
        except UnknownEntityError:
            notes.append(f"no entity is called {f['entity']!r}")
            return [], notes
        ids = e.id
    for name, allowed in (("metric", METRICS), ("scope", SCOPES), ("kind", KINDS)):
        if f[name] and f[name] not in allowed:
            notes.append(f"{name} {f[name]!r} is not one of {', '.join(allowed)}")
            return [], notes
    since = period_bound(f["since"], end=False)
    until = period_bound(f["until"], end=True)
    for name, given, got in (("since", f["since"], since), ("until", f["until"], until)):
        if given and got is None:
            notes.append(f"{name} {given!r} is not a period (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn)")
            return [], notes
    as_of = as_of_arg(f["as_of"]) if f["as_of"] else None
    key = ("facts", ids, f["metric"] or None, f["scope"] or None, f["kind"] or None, since, until, as_of,
           bool(f["children"]))

    def compute(s: Store) -> list[dict[str, Any]]:
        rows = api.facts(s, ids, f["metric"] or None, f["scope"] or None, f["kind"] or None, as_of, since, until,
                         bool(f["children"]))
        return [present.fact_row(x) for x in rows]

    return svc.cached(key, compute), notes


# -- pages ---------------------------------------------------------------------------------------
def race(svc: Service, rows: list[dict[str, Any]], threshold: float, as_of: str | None,
         x: str = "months") -> dict[str, Any]:
    """The race chart of the makers in ``rows``: a Vega-Lite spec (when evpace.charts and the vendored
    Vega scripts are there; ``x`` is ``months`` since first delivery or calendar ``date``) or an inline SVG
    with one line per maker (calendar dates). ``lines`` is how many makers have a line drawn."""
    ids = tuple(r["entity_id"] for r in rows)
    charts = charts_module()
    if charts is not None and vega_scripts() and hasattr(charts, "race_chart"):
        try:
            spec = svc.cached(("race-spec", ids, as_of, x), lambda s: fit_width(charts.race_chart(
                s, entity_ids=list(ids), metric="deliveries", as_of=as_of, x=x)))
            drawn = {r.get("entity_id") for r in spec.get("datasets", {}).get("lines", [])}
            return {"kind": "vega", "spec": spec_json(spec), "makers": len(ids), "lines": len(drawn), "x": x}
        except Exception:  # a chart must never take the leaderboard down: draw the SVG instead
            pass

    def compute(s: Store) -> Any:
        lines = []
        for r in rows:
            pts = [(p["period"][:7], p["value"]) for p in series_rows(svc, r["entity_id"], "deliveries", True, as_of)]
            marks = []
            if r["status"] == "crossed" and r["date"]:
                marks.append((r["date"], float(r["threshold"]), f"crossed {r['threshold']:,.0f} ({r['metric']})"))
            if r["latest_cumulative"] and r["latest_cumulative_period"]:
                marks.append((r["latest_cumulative_period"], float(r["latest_cumulative"]),
                              f"{r['latest_cumulative']:,.0f} {r['latest_cumulative_metric'] or ''} reported"))
            lines.append(svg.Line(r["entity_id"], r["entity"], pts, marks))
        return svg.race_svg(lines, threshold, "Cumulative deliveries per maker")

    return {"kind": "svg", "svg": svc.cached(("race-svg", ids, float(threshold), as_of), compute),
            "makers": len(ids), "lines": len(ids), "x": "date"}


def fit_width(spec: dict[str, Any]) -> dict[str, Any]:
    """A spec stretched to its container's width (the page decides the size, not the spec)."""
    spec = dict(spec)
    spec["width"] = "container"
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def leaderboard(svc: Service, threshold: float = 1_000_000, tag: str | None = "upstart", metric: str | None = None,
                as_of: str | None = None, x: str = "months") -> dict[str, Any]:
    rows = milestone_rows(svc, threshold, metric, tag, as_of)
    return {"rows": rows, "crossed": [r for r in rows if r["status"] == "crossed"],
            "not_yet": [r for r in rows if r["status"] != "crossed"], "threshold": threshold, "tag": tag or "",
            "metric": metric or "", "as_of": as_of or "", "x": x}


def entity_page(svc: Service, entity_id: str, as_of: str | None = None) -> dict[str, Any]:
    """Everything the entity page shows."""
    reg = registry(svc)
    e = reg.resolve(entity_id)

    def compute(s: Store) -> dict[str, Any]:
        monthly = series_rows(svc, e.id, "deliveries", False, as_of)
        cumulative = series_rows(svc, e.id, "deliveries", True, as_of)
        cum_by = {r["period"]: r for r in cumulative}
        periods = sorted({r["period"] for r in monthly} | set(cum_by))
        mon_by = {r["period"]: r for r in monthly}
        table = [{"period": p, "monthly": mon_by.get(p), "cumulative": cum_by.get(p)} for p in periods]
        milestones = []
        for t in ENTITY_THRESHOLDS:
            try:
                rows = milestone_rows(svc, t, None, None, as_of, (e.id,))
            except EvpaceError:
                rows = []
            milestones += rows
            if not rows or rows[0]["status"] != "crossed":
                break
        target_facts = api.facts(s, e.id, kind="target", as_of=as_of)
        years = sorted({int(f.period[:4]) for f in target_facts if f.period[:4].isdigit()})
        targets = {y: target_rows(svc, e.id, y, "deliveries", as_of) for y in years}
        try:
            years_stats, run_rate = stats_rows(svc, e.id, "deliveries", as_of)
        except EvpaceError:
            years_stats, run_rate = [], None
        crossed = [m["threshold"] for m in milestones if m["status"] == "crossed"]
        charts = {
            "monthly": svg.bars_svg([(r["period"], r["value"]) for r in monthly],
                                    f"{e.name}: monthly deliveries (gaps are months with no data)"),
            "cumulative": svg.line_svg([(r["period"], r["value"]) for r in cumulative], crossed,
                                       f"{e.name}: cumulative deliveries"),
        }
        return {
            "entity": present.entity_row(e), "parent": reg.get(e.parent) if e.parent else None,
            "children": sorted(reg.children(e.id), key=lambda c: c.id),
            "events": merged_events(s.events(entity_ids=[e.id])),
            "table": table, "gaps": sum(1 for r in monthly if r["value"] is None),
            "milestones": milestones, "targets": targets, "stats": years_stats, "run_rate": run_rate,
            "conflicts": conflict_rows(svc, e.id, as_of), "charts": charts, "as_of": as_of or "",
        }

    return svc.cached(("entity-page", e.id, as_of), compute)


def merged_events(events: list) -> list[dict[str, Any]]:
    """Dated events, one per (event, date), with the sources of every row that states it."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for ev in events:
        row = out.setdefault((ev.event, ev.date), {"event": ev.event, "date": ev.date, "place": ev.place,
                                                   "status": ev.status, "sources": []})
        row["place"] = row["place"] or ev.place
        if ev.status == "confirmed":  # one confirming source is enough
            row["status"] = "confirmed"
        if ev.origin and ev.origin.url and ev.origin.url not in row["sources"]:
            row["sources"].append(ev.origin.url)
    return sorted(out.values(), key=lambda r: (r["date"], r["event"]))


def document_page(svc: Service, doc_id: str, fact_id: str | None, start: int | None,
                  end: int | None) -> dict[str, Any] | None:
    """A stored document split into segments, the chosen fact's sentence and figure highlighted."""
    if not re.fullmatch(r"[0-9a-f]{6,40}", doc_id or ""):
        return None

    def compute(s: Store):
        d = s.document(doc_id)
        if d is None:
            return None
        return {"doc": d, "facts": [present.fact_row(f) | {"sentence": f.provenance.sentence,
                                                            "start": f.provenance.start, "end": f.provenance.end}
                                    for f in s.facts(document_id=d["id"])],
                "claims": s.claims(document_id=d["id"])}

    base = svc.cached(("document", doc_id), compute)
    if base is None:
        return None
    text = base["doc"]["text"]
    chosen = None
    if fact_id:
        chosen = next((f for f in base["facts"] if f["id"] == fact_id), None)
    if chosen is not None:
        start, end = chosen["start"], chosen["end"]
    segments = [{"text": text, "mark": None}]
    if start is not None and end is not None and 0 <= start < end <= len(text):
        s0, s1 = sentence_span(text, start, end, chosen["sentence"] if chosen else None)
        segments = [{"text": text[:s0], "mark": None}, {"text": text[s0:start], "mark": "sentence"},
                    {"text": text[start:end], "mark": "figure"}, {"text": text[end:s1], "mark": "sentence"},
                    {"text": text[s1:], "mark": None}]
    return base | {"segments": segments, "chosen": chosen, "start": start, "end": end}


def sentence_span(text: str, start: int, end: int, sentence: str | None) -> tuple[int, int]:
    """Where the sentence holding ``text[start:end]`` begins and ends (the stored sentence if it is found
    around the span, else the text between sentence stops)."""
    if sentence:
        i = text.rfind(sentence, max(0, end - len(sentence) - 1), start + len(sentence) + 1)
        if i != -1 and i <= start and end <= i + len(sentence):
            return i, i + len(sentence)
    stops = [m.end() for m in re.finditer(r"[.!?。\n]\s", text[:start])]
    s0 = stops[-1] if stops else 0
    m = re.search(r"[.!?。\n](\s|$)", text[end:])
    s1 = end + m.start() + 1 if m else len(text)
    return s0, s1
