"""Build the static report: gather what the API says, hand it to the Jinja2 template, write one HTML file.

The page has the million club, the race chart and the crossing timeline, a section per maker (monthly
chart, milestones, year totals, targets with their charts, forecast if the forecast module is there,
conflicts between sources), the check results of any articles given, and the list of sources every figure
links to (``#src-N``). Scripts and styles are inlined; nothing is loaded from the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import api, charts
from ..analytics.milestones import MILESTONE_METRICS, MilestoneFinder
from ..errors import InvalidArgumentError
from ..model import Origin
from ..series import first_delivery
from .page import EMBED_OPTIONS, SourceIndex, environment, vendor_scripts

#: Thresholds listed in each maker's milestone table (those crossed, and the next one ahead).
MAKER_THRESHOLDS = (100_000, 250_000, 500_000, 1_000_000, 1_500_000, 2_000_000, 3_000_000)
CLUB_THRESHOLD = 1_000_000
CHART_MODES = ("js", "svg")


class _Figures:
    """Charts of the page, numbered; ``svg`` mode renders them with vl-convert instead of Vega in the page."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.count = 0

    def __call__(self, spec: dict[str, Any], caption: str = "") -> dict[str, Any]:
        self.count += 1
        fig = {"id": f"chart-{self.count}", "spec": spec, "caption": caption, "sources": charts.spec_sources(spec),
               "svg": None}
        if self.mode == "svg":
            import vl_convert as vlc

            fig["svg"] = Markup(vlc.vegalite_to_svg(spec, allowed_base_urls=[]))  # noqa: S704 - rendered by Vega
        return fig


def _origins(fs) -> dict[str, Origin]:
    out: dict[str, Origin] = {}
    for f in fs.facts:
        if f.origin.url and f.origin.url not in out:
            out[f.origin.url] = f.origin
    for e in fs.events:
        if e.origin and e.origin.url and e.origin.url not in out:
            out[e.origin.url] = e.origin
    return out


def _urls(facts) -> list[str]:
    return sorted({f.origin.url for f in facts if f.origin.url})


def _milestone(m, latest_urls: list[str]) -> dict[str, Any]:
    return {"entity_id": m.entity_id, "entity": m.entity, "threshold": m.threshold, "status": m.status,
            "date": m.date, "date_basis": m.date_basis, "metric": m.metric, "place": m.place, "order": m.order,
            "first_delivery": m.first_delivery, "first_delivery_sources": [m.first_delivery_source]
            if m.first_delivery_source else [], "months": m.months_from_first_delivery,
            "days": m.days_from_first_delivery, "latest": m.latest_cumulative,
            "latest_period": m.latest_cumulative_period, "latest_metric": m.latest_cumulative_metric,
            "latest_sources": latest_urls, "note": m.note, "sources": m.sources}


def _target_years(fs, entity_id: str) -> list[int]:
    return sorted({int(f.period[:4]) for f in fs.facts
                   if f.entity_id == entity_id and f.kind == "target" and f.scope == "year"})


def _maker(s, fs, finder: MilestoneFinder, eid: str, by_threshold: dict[float, dict[str, Any]],
           fig: _Figures, as_of, year_now: int, forecasts: bool) -> dict[str, Any]:
    ent = fs.registry.get(eid)
    fd = first_delivery(fs, eid)
    out: dict[str, Any] = {"id": eid, "name": ent.name, "kind": ent.kind, "parent": ent.parent,
                           "children": [c.name for c in fs.registry.children(eid) if c.kind != "model"],
                           "first_delivery": fd.date if fd else None,
                           "first_delivery_sources": [fd.origin.url] if fd and fd.origin and fd.origin.url else []}
    # milestones: every threshold crossed, then the next one ahead
    rows = []
    for th in MAKER_THRESHOLDS:
        m = by_threshold.get(th, {}).get(eid)
        if m is None:
            continue
        rows.append(m)
        if m["status"] != "crossed":
            break
    out["milestones"] = rows
    # year totals, their sources being the monthly figures of the year
    monthly = api.series(eid, s, as_of=as_of)
    years, rr = api.stats(eid, s, as_of=as_of)
    out["years"] = [{"year": y.year, "total": y.total, "months": y.months, "complete": y.complete, "bound": y.bound,
                     "growth": y.growth, "growth_basis": y.growth_basis, "reported": y.reported,
                     "sources": sorted({u for p in monthly if p.period.startswith(f"{y.year}-") for u in p.sources})}
                    for y in years if y.total is not None]
    out["runrate"] = {"through": rr.through, "last_month": rr.last_month, "annualised_3m": rr.annualised_3m,
                      "trailing_3m_avg": rr.trailing_3m_avg, "yoy_last_month": rr.yoy_last_month,
                      "sources": _urls(rr.facts)}
    out["monthly_chart"] = fig(charts.monthly_bars(s, eid, as_of=as_of)) if monthly else None
    # targets, one table row per target and revision, a chart per year that has targets
    out["targets"], out["target_charts"] = [], []
    for year in _target_years(fs, eid):
        for t in api.targets(eid, s, year=year, as_of=as_of):
            if t.target is None:
                continue
            tfacts = [f for f in t.facts if f.kind == "target"]
            afacts = [f for f in t.facts if f.kind != "target"]
            out["targets"].append({"year": year, "target": t.target, "announced": t.target_announced,
                                   "announced_basis": t.target_announced_basis, "note": t.target_note,
                                   "actual": t.actual, "actual_through": t.actual_through, "actual_how": t.actual_how,
                                   "progress": t.progress, "remaining": t.remaining,
                                   "pace": t.monthly_pace_needed, "projected": t.projected,
                                   "target_sources": _urls(tfacts), "actual_sources": _urls(afacts),
                                   "sources": t.sources})
        out["target_charts"].append(fig(charts.target_chart(s, eid, year, as_of=as_of)))
    # forecast
    out["forecast"] = None
    if forecasts:
        spec = charts.fan_chart(s, eid, year=year_now, as_of=as_of)
        rows = charts.spec_rows(spec, "message")
        out["forecast"] = {"chart": fig(spec), "available": not rows, "reason": rows[0]["reason"] if rows else "",
                           "crossing": charts.spec_rows(spec, "crossing"), "year": charts.spec_rows(spec, "year")}
    out["conflicts"] = [{"kind": c.kind, "metric": c.metric, "period": c.period, "message": c.message,
                         "arithmetic": c.arithmetic, "expected": c.expected,
                         "figures": [{"value": f.value, "bound": f.bound, "published": f.origin.published,
                                     "sources": [f.origin.url] if f.origin.url else []} for f in c.facts],
                         "sources": _urls(c.facts)}
                        for c in api.conflicts(s, entity=eid, as_of=as_of)]
    return out


def _articles(paths: Sequence[str | Path], s, as_of) -> list[dict[str, Any]]:
    from ..check import VERDICTS, check_paths, render_html

    out = []
    for checked in check_paths([str(p) for p in paths], s, as_of=as_of, now=as_of is None):
        doc = checked.document
        item = {"path": checked.path, "title": (doc.title or doc.name) if doc else checked.path,
                "url": doc.url if doc else "", "published": doc.published if doc else None,
                "error": str(checked.error) if checked.error else None, "html": None, "counts": {}}
        if doc is not None:
            item["html"] = Markup(render_html(checked.verdicts))  # noqa: S704 - render_html escapes every text
            item["counts"] = {v: sum(x.verdict == v for x in checked.verdicts) for v in VERDICTS}
        out.append(item)
    return out


def build_report(db: api.DB = None, out_path: str | Path = "report.html", articles: Sequence[str | Path] | None = None,
                 as_of: dt.date | str | None = None, charts_mode: str = "js", forecasts: bool = True,
                 tag: str = "upstart") -> Path:
    """Write the report to ``out_path`` (one self-contained HTML file) and return its path.

    ``articles``: files (or folders, globs) to check against the data, shown with their verdicts.
    ``as_of``: only data published by that day. ``charts_mode``: ``js`` (interactive, Vega inlined) or
    ``svg`` (static pictures rendered by vl-convert; the page then carries no script at all).
    ``forecasts``: False leaves the forecast sections out (they take a second or two per maker)."""
    if charts_mode not in CHART_MODES:
        raise InvalidArgumentError(name="charts_mode", reason=f"{charts_mode!r} is not one of js, svg")
    as_of = api._date(as_of)
    out_path = Path(out_path)
    fig = _Figures(charts_mode)
    with charts._opened(db) as s:
        fs = api.factset(s, as_of)
        finder = MilestoneFinder(fs)
        latest_urls: dict[str, list[str]] = {}

        def latest(eid: str) -> list[str]:
            if eid not in latest_urls:
                found = finder.latest(eid, MILESTONE_METRICS)
                latest_urls[eid] = _urls(found[4]) if found else []
            return latest_urls[eid]

        by_threshold: dict[float, dict[str, Any]] = {}
        for th in sorted(set(MAKER_THRESHOLDS) | {CLUB_THRESHOLD}):
            by_threshold[th] = {m.entity_id: _milestone(m, latest(m.entity_id))
                                for m in api.milestones(th, s, as_of=as_of, tag=tag)}
        club = sorted(by_threshold[CLUB_THRESHOLD].values(),
                      key=lambda r: (r["order"] is None, r["order"] or 0, -(r["latest"] or 0)))
        race = fig(charts.race_chart(s, as_of=as_of))
        timeline = fig(charts.milestone_timeline(s, CLUB_THRESHOLD, as_of=as_of, tag=tag))
        year_now = (as_of or dt.date.today()).year
        makers = [_maker(s, fs, finder, r["entity_id"], by_threshold, fig, as_of, year_now, forecasts) for r in club]
        checked = _articles(articles, s, as_of) if articles else []
        counts = s.counts()
    src = SourceIndex(_origins(fs))
    html = environment().get_template("report.html.j2").render(
        title="evpace report: the EV upstarts' race to a million", generated=dt.date.today().isoformat(),
        as_of=as_of.isoformat() if as_of else None, counts=counts, club=club, threshold=CLUB_THRESHOLD,
        race=race, timeline=timeline, makers=makers, articles=checked, src=src, charts_mode=charts_mode,
        scripts=vendor_scripts() if charts_mode == "js" else (), embed_options=EMBED_OPTIONS,
        forecast_reason=charts.forecast_available(), forecasts=forecasts)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(html, encoding="utf-8")
    return out_path
