"""Turn API results into rows with stable, documented field names, and render them as table, JSON or CSV.

Nothing here computes: it only names and formats what the API returned.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from .analytics.milestones import Milestone, Pace
from .analytics.targets import RunRate, TargetProgress, YearStat
from .dataset import publisher_of
from .model import Entity, Fact
from .reconcile import Conflict
from .series import Point

FORMATS = ("table", "json", "csv")


def entity_row(e: Entity) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "kind": e.kind, "parent": e.parent, "aliases": list(e.aliases),
            "rollup": e.rollup, "tags": list(e.tags), "source": e.source_url}


def fact_row(f: Fact) -> dict[str, Any]:
    return {"id": f.id, "entity_id": f.entity_id, "metric": f.metric, "scope": f.scope, "period": f.period,
            "value": f.value, "bound": f.bound, "kind": f.kind, "basis": f.basis, "flags": list(f.flags),
            "note": f.note, "place": f.place, "source": f.origin.url, "publisher": f.origin.publisher,
            "published": f.origin.published, "published_basis": f.origin.published_basis,
            "origin": f.provenance.origin_ref, "document_id": f.provenance.document_id,
            "recorded_at": f.recorded_at}


def milestone_row(m: Milestone) -> dict[str, Any]:
    return {"entity_id": m.entity_id, "entity": m.entity, "kind": m.kind, "threshold": m.threshold,
            "metric": m.metric, "status": m.status, "date": m.date, "date_basis": m.date_basis,
            "estimated": m.estimated, "place": m.place, "order": m.order, "speed_rank": m.speed_rank,
            "first_delivery": m.first_delivery, "first_delivery_source": m.first_delivery_source,
            "months_from_first_delivery": m.months_from_first_delivery,
            "days_from_first_delivery": m.days_from_first_delivery,
            "latest_cumulative": m.latest_cumulative, "latest_cumulative_period": m.latest_cumulative_period,
            "latest_cumulative_metric": m.latest_cumulative_metric, "rests_on": m.rests_on, "note": m.note,
            "sources": m.sources}


def pace_row(p: Pace) -> dict[str, Any]:
    return {"entity_id": p.entity_id, "entity": p.entity, "from": p.from_threshold, "to": p.to_threshold,
            "from_date": p.from_date, "to_date": p.to_date, "months": p.months, "days": p.days,
            "estimated": p.estimated, "note": p.note, "sources": p.sources}


def series_row(entity_id: str, metric: str, p: Point) -> dict[str, Any]:
    return {"entity_id": entity_id, "metric": metric, "period": p.period, "value": p.value, "bound": p.bound,
            "metric_used": p.metric, "how": p.how, "reported": p.reported, "note": p.note,
            "sources": p.sources}


def target_row(t: TargetProgress) -> dict[str, Any]:
    return {"entity_id": t.entity_id, "entity": t.entity, "year": t.year, "actual": t.actual,
            "actual_through": t.actual_through, "actual_bound": t.actual_bound, "actual_how": t.actual_how,
            "target": t.target, "target_announced": t.target_announced,
            "target_announced_basis": t.target_announced_basis, "target_note": t.target_note,
            "progress": t.progress, "remaining": t.remaining, "months_left": t.months_left,
            "monthly_pace_needed": t.monthly_pace_needed, "run_rate_3m": t.run_rate_3m,
            "projected": t.projected, "sources": t.sources}


def conflict_row(c: Conflict) -> dict[str, Any]:
    return {"kind": c.kind, "entity_id": c.entity_id, "metric": c.metric, "period": c.period,
            "message": c.message, "expected": c.expected, "arithmetic": c.arithmetic,
            "values": [{"value": f.value, "bound": f.bound, "source": f.origin.url,
                        "published": f.origin.published, "origin": f.provenance.origin_ref} for f in c.facts],
            "sources": sorted({f.origin.url for f in c.facts})}


def year_row(entity_id: str, y: YearStat) -> dict[str, Any]:
    return {"entity_id": entity_id, "year": y.year, "total": y.total, "months": y.months,
            "complete": y.complete, "bound": y.bound, "growth": y.growth, "growth_basis": y.growth_basis,
            "reported": y.reported}


def runrate_row(entity_id: str, r: RunRate) -> dict[str, Any]:
    return {"entity_id": entity_id, "through": r.through, "last_month": r.last_month,
            "annualised_last_month": r.annualised_last_month, "trailing_3m_avg": r.trailing_3m_avg,
            "annualised_3m": r.annualised_3m, "yoy_last_month": r.yoy_last_month,
            "sources": sorted({f.origin.url for f in r.facts})}


def fmt_value(v: Any, key: str = "") -> str:
    """Human text for one cell."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and key in ("progress", "growth", "yoy_last_month"):
        return f"{v:+.1%}" if key != "progress" else f"{v:.1%}"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 10 or v.is_integer() else f"{v:.2f}"
    if isinstance(v, list) and key in ("sources", "source"):
        hosts = list(dict.fromkeys(publisher_of(str(u)) for u in v))
        return ", ".join(hosts[:2]) + (f" (+{len(hosts) - 2})" if len(hosts) > 2 else "")
    if key == "source" and isinstance(v, str):
        return publisher_of(v)
    if isinstance(v, list):
        return ", ".join(fmt_value(x, key) for x in v)
    return str(v)


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None,
           title: str | None = None, console: Console | None = None, width: int = 160) -> str:
    """Rows as a Rich table (``columns`` chosen; sources shortened to their publishers), JSON or CSV (all
    fields, full source URLs)."""
    if fmt == "json":
        return json.dumps(list(rows), indent=2, ensure_ascii=False, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        fields = list(rows[0]) if rows else list(columns or [])
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (";".join(map(str, v)) if isinstance(v, list) else v) for k, v in r.items()})
        return buf.getvalue()
    cols = list(columns or (rows[0].keys() if rows else []))
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in cols:
        table.add_column(c.replace("_", " "), overflow="fold")
    for r in rows:
        table.add_row(*(fmt_value(r.get(c), c) for c in cols))
    con = console or Console(width=width, record=True, file=io.StringIO())
    con.print(table)
    return con.export_text() if con.record else ""
