"""Charts as Vega-Lite specifications (built with Altair), one function per chart.

The same spec serves the static report, the web dashboard and file export (PNG/SVG through vl-convert,
no browser). Every spec carries its data inline as named ``datasets``; every data row that shows a number
carries ``sources`` (the URLs it rests on) and ``source`` (their publishers, shown in tooltips), so every
number on a chart can say where it comes from.

* :func:`race_chart` — cumulative volume against months since first delivery, one line per maker, with
  markers where a milestone was crossed and rules at 500,000 and 1,000,000.
* :func:`monthly_bars` — monthly volume; months without a figure are shaded gaps, never zero bars.
* :func:`target_chart` — a year's running total against each announced target and revision.
* :func:`fan_chart` — forecast fan (50/80/95 % bands) of cumulative volume, if :mod:`evpace.forecast` is
  importable; otherwise a spec whose title says no forecast is available.
* :func:`milestone_timeline` — who crossed a threshold when (date × maker, metric as colour).

:func:`save` writes ``.png``/``.svg`` (vl-convert), ``.html`` (a standalone page with the vendored Vega
scripts inlined: no CDN) or ``.json``; :func:`chart` dispatches on a kind name for the command line.
Nothing here computes figures: the numbers come from :mod:`evpace.api` (and the forecast module).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import altair as alt

from . import api
from .dataset import publisher_of
from .errors import InvalidArgumentError
from .model import month_end
from .series import first_delivery, month_add, months_between
from .store import Store

KINDS = ("race", "monthly", "target", "fan", "timeline")
FORMATS = (".png", ".svg", ".html", ".json")
WIDTH, HEIGHT = 640, 360
DAYS_PER_MONTH = 365.25 / 12
#: Thresholds the fan chart looks ahead to when none is given (the first above the latest figure).
FAN_THRESHOLDS = (100_000, 200_000, 300_000, 500_000, 1_000_000, 1_500_000, 2_000_000, 3_000_000, 5_000_000)
FAN_LEVELS = (95, 80, 50)
GAP_COLOUR = "#d9d9d9"

_STATUS_DOMAIN = ["reported", "approximate", "lower bound", "no figure (gap)"]
_STATUS_RANGE = ["#4c78a8", "#9ecae9", "#f58518", GAP_COLOUR]


# -- helpers -----------------------------------------------------------------------------------------------
_opened = api.open_store  # one open store for the several API calls a chart makes


def _publishers(urls: Sequence[str], most: int = 3) -> str:
    hosts = list(dict.fromkeys(publisher_of(u) for u in urls if u))
    if not hosts:
        return "—"
    return ", ".join(hosts[:most]) + (f" (+{len(hosts) - most} more)" if len(hosts) > most else "")


def _src(urls: Iterable[str]) -> dict[str, Any]:
    """The provenance fields every data row carries."""
    urls = sorted({u for u in urls if u})
    return {"sources": urls, "source": _publishers(urls)}


def _day(date: str) -> dt.date:
    """A ``YYYY-MM-DD`` day, or the middle of a ``YYYY-MM`` month (a month-precision date)."""
    if len(date) >= 10:
        return dt.date.fromisoformat(date[:10])
    return dt.date(int(date[:4]), int(date[5:7]), 15)


def _period_end(period: str) -> dt.date:
    return month_end(int(period[:4]), int(period[5:7]))


def _months_since(start: dt.date, day: dt.date) -> float:
    return round((day - start).days / DAYS_PER_MONTH, 2)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f}"


def _short(n: float) -> str:
    """500,000 -> 500k, 1,000,000 -> 1M, 1,500,000 -> 1.5M."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:g}M"
    if n >= 1_000:
        return f"{n / 1_000:g}k"
    return f"{n:g}"


def _as_of_text(as_of: dt.date | str | None) -> str:
    return f"data published by {as_of}" if as_of else "all data in the database"


def _title(text: str, *subtitle: str) -> alt.TitleParams:
    sub = [s for s in subtitle if s]
    return alt.TitleParams(text, subtitle=sub or alt.Undefined, anchor="start")


def _finish(chart: alt.TopLevelMixin, datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The chart as a Vega-Lite dict (validated by Altair) with its data inlined as named datasets."""
    chart = chart.configure(
        font="Liberation Sans, Helvetica, Arial, sans-serif",
        title=alt.TitleConfig(fontSize=16, subtitleFontSize=12, subtitleColor="#555", anchor="start", offset=12),
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=12, titleFontWeight="normal", gridColor="#eee"),
        legend=alt.LegendConfig(labelFontSize=11, titleFontSize=12, titleFontWeight="normal", labelLimit=220),
        view=alt.ViewConfig(stroke=None),
    )
    spec = chart.to_dict()
    spec["datasets"] = {k: _jsonable(v) for k, v in datasets.items()}
    return spec


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def clean(v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            return None
        return v

    return [{k: clean(v) for k, v in r.items()} for r in rows]


def _data(name: str) -> alt.NamedData:
    return alt.NamedData(name=name)


def spec_rows(spec: dict[str, Any], name: str | None = None) -> list[dict[str, Any]]:
    """The data rows of a spec (of one named dataset, or all of them)."""
    ds = spec.get("datasets", {})
    if name is not None:
        return list(ds.get(name, []))
    return [r for rows in ds.values() for r in rows]


def spec_sources(spec: dict[str, Any]) -> list[str]:
    """Every source URL the rows of a spec rest on, in order of first appearance."""
    out: dict[str, None] = {}
    for r in spec_rows(spec):
        for u in r.get("sources") or ():
            out.setdefault(u, None)
    return list(out)


def _names(s: Store) -> dict[str, Any]:
    return {e.id: e for e in api.entities(s)}


def _tooltip_num(field: str, title: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=title, format=",.0f")


#: Value axes: 0, 200k, 400k … 1M, 1.2M (thousands as k, millions as M).
Y_AXIS = dict(tickCount=6, labelExpr=(
    "datum.value >= 1e6 ? format(datum.value / 1e6, '.2~f') + 'M' : "
    "datum.value >= 1e3 ? format(datum.value / 1e3, ',.0f') + 'k' : format(datum.value, ',.0f')"))


# -- race ----------------------------------------------------------------------------------------------------
def race_chart(db: api.DB = None, entity_ids: Sequence[str] | None = None, metric: str = "deliveries",
               threshold_rules: Sequence[float] = (500_000, 1_000_000), as_of: dt.date | str | None = None,
               x: str = "months") -> dict[str, Any]:
    """Cumulative ``metric`` against months since first delivery, one line per maker.

    Default makers: groups and brands tagged ``upstart`` that have a cumulative series. Markers show where
    each maker crossed a threshold of ``threshold_rules`` (the milestone table's date, any metric; tooltip:
    date, how it is known, sources); horizontal rules mark the thresholds. A maker whose first delivery
    date is unknown cannot be placed on the months axis and is named in the subtitle instead (``x="date"``
    plots calendar dates and places everyone). A first delivery known only to the month is taken as the
    15th of that month; a cumulative point is placed at the end of its month.
    """
    if x not in ("months", "date"):
        raise InvalidArgumentError(name="x", reason=f"{x!r} is not 'months' or 'date'")
    with _opened(db) as s:
        ents = _names(s)
        if entity_ids:
            ids = [api.resolve(e, s).id for e in entity_ids]
        else:
            ids = [e.id for e in ents.values() if "upstart" in e.tags and e.kind != "model"]
        fs = api.factset(s, as_of)
        lines: list[dict[str, Any]] = []
        ends: list[dict[str, Any]] = []
        starts: dict[str, dt.date] = {}
        unplaced, empty = [], []
        for eid in ids:
            name = ents[eid].name
            pts = api.series(eid, s, metric=metric, cumulative=True, as_of=as_of)
            known = [p for p in pts if p.value is not None]
            if not known:
                empty.append(name)
                continue
            fd = first_delivery(fs, eid)
            if fd is None and x == "months":
                unplaced.append(name)
                continue
            start = _day(fd.date) if fd else None
            if start:
                starts[eid] = start
            # from the first known point to the last: gaps inside stay None (the line breaks there)
            i0, i1 = pts.index(known[0]), pts.index(known[-1])
            span = pts[i0:i1 + 1]
            for i, p in enumerate(span):
                day = _period_end(p.period)
                # a known month with no known neighbour draws no line: it gets a dot
                alone = p.value is not None and all(
                    not (0 <= j < len(span)) or span[j].value is None for j in (i - 1, i + 1))
                row = {"entity_id": eid, "maker": name, "period": p.period, "date": day.isoformat(),
                       "months": _months_since(start, day) if start else None, "value": p.value,
                       "bound": p.bound or "gap", "how": p.how, "metric": p.metric or metric,
                       "first_delivery": fd.date if fd else None, "isolated": alone, **_src(p.sources)}
                lines.append(row)
            ends.append(dict(lines[-1]))
        marks: list[dict[str, Any]] = []
        for th in threshold_rules:
            plotted = [i for i in ids if ents[i].name not in unplaced + empty]
            if not plotted:
                break
            for m in api.milestones(th, s, as_of=as_of, entities=plotted):
                if m.status != "crossed" or not m.date:
                    continue
                day = _day(m.date)
                start = starts.get(m.entity_id)
                marks.append({
                    "entity_id": m.entity_id, "maker": m.entity, "threshold": th, "threshold_label": _short(th),
                    "date": m.date, "x_date": day.isoformat(),
                    "months": _months_since(start, day) if start else None, "date_basis": m.date_basis,
                    "metric": m.metric, "months_from_first_delivery": m.months_from_first_delivery,
                    "place": m.place, "note": m.note, **_src(m.sources)})
    rules = [{"threshold": th, "label": f"{th:,.0f}"} for th in threshold_rules]

    top = max([r["months"] or 0 for r in lines + marks] + [12])
    top = 12 * math.ceil(top / 12)
    xfield = alt.X("months:Q", title="Months since first delivery", scale=alt.Scale(domain=[0, top], nice=False),
                   axis=alt.Axis(values=list(range(0, top + 1, 12)), grid=True))
    xmark = xfield
    if x == "date":
        xfield = alt.X("date:T", title=None, scale=alt.Scale(type="utc"), axis=alt.Axis(format="%Y"))
        xmark = alt.X("x_date:T", scale=alt.Scale(type="utc"))
    yfield = alt.Y("value:Q", title=f"Cumulative {metric}", axis=alt.Axis(**Y_AXIS))
    makers = list(dict.fromkeys(r["maker"] for r in lines))
    # makers are named at the end of their lines: no legend needed
    colour = alt.Color("maker:N", title="Maker", scale=alt.Scale(domain=makers, scheme="tableau10"), legend=None)
    line_tip = [alt.Tooltip("maker:N", title="Maker"), alt.Tooltip("period:N", title="Month"),
                _tooltip_num("value", f"Cumulative {metric}"), alt.Tooltip("how:N", title="How"),
                alt.Tooltip("bound:N", title="Bound"), alt.Tooltip("source:N", title="Sources")]
    base = alt.Chart(_data("lines"))
    rule = alt.Chart(_data("rules")).mark_rule(strokeDash=[5, 4], color="#888").encode(y="threshold:Q")
    rule_text = alt.Chart(_data("rules")).mark_text(align="left", baseline="bottom", dx=4, dy=-3, color="#666",
                                                     fontSize=11).encode(
        y="threshold:Q", x=alt.value(0), text="label:N")
    line = base.mark_line(strokeWidth=2.2, invalid="break-paths-filter-domains").encode(
        x=xfield, y=yfield, color=colour, detail="entity_id:N")
    hover = base.mark_circle(size=50, opacity=0).encode(x=xfield, y="value:Q", tooltip=line_tip)
    dots = base.transform_filter("datum.isolated").mark_circle(size=45, opacity=1).encode(
        x=xfield, y="value:Q", color=colour, tooltip=line_tip)
    end = alt.Chart(_data("ends")).mark_text(align="left", dx=5, fontSize=11, fontWeight="bold").encode(
        x=xfield, y="value:Q", text="maker:N", color=colour)
    # a white halo under each end label keeps it readable where it crosses another line
    halo = alt.Chart(_data("ends")).mark_text(align="left", dx=5, fontSize=11, fontWeight="bold", stroke="white",
                                              strokeWidth=3, strokeJoin="round").encode(
        x=xfield, y="value:Q", text="maker:N")
    mark = alt.Chart(_data("milestones")).mark_point(filled=True, size=110, shape="diamond", stroke="white",
                                                     strokeWidth=1, opacity=1).encode(
        x=xmark, y="threshold:Q", color=colour,
        tooltip=[alt.Tooltip("maker:N", title="Maker"), alt.Tooltip("threshold:Q", title="Crossed", format=",.0f"),
                 alt.Tooltip("date:N", title="Date"), alt.Tooltip("date_basis:N", title="Date is"),
                 alt.Tooltip("metric:N", title="Metric"),
                 alt.Tooltip("months_from_first_delivery:Q", title="Months from first delivery"),
                 alt.Tooltip("place:N", title="Place"), alt.Tooltip("source:N", title="Sources")])
    notes = []
    if unplaced:
        notes.append(f"Not placed (first delivery date unknown): {', '.join(unplaced)}.")
    if empty:
        notes.append(f"No cumulative {metric} series: {', '.join(empty)}.")
    chart = alt.layer(rule, rule_text, line, dots, hover, mark, halo, end).properties(
        width=WIDTH, height=HEIGHT,
        title=_title(f"Race to a million: cumulative {metric}" + (" since first delivery" if x == "months" else ""),
                     f"Lines: cumulative {metric} (reported figures and monthly sums); a break where no figure "
                     "is known.",
                     f"Diamonds: crossings of {' / '.join(_short(t) for t in threshold_rules)} (reported, estimated "
                     f"or on-or-before; any metric); {_as_of_text(as_of)}.",
                     " ".join(notes)))
    return _finish(chart, {"lines": lines, "ends": ends, "milestones": marks, "rules": rules})


# -- monthly -------------------------------------------------------------------------------------------------
def _status(bound: str, how: str) -> str:
    if not bound:
        return "no figure (gap)"
    if bound == "lower" or "lower" in how:
        return "lower bound"
    if bound == "approx":
        return "approximate"
    return "reported"


def monthly_bars(db: api.DB = None, entity_id: str = "xiaomi", metric: str = "deliveries",
                 as_of: dt.date | str | None = None) -> dict[str, Any]:
    """Monthly ``metric`` of one maker as bars. A month without a figure is a shaded full-height band
    labelled ``no figure (gap)`` (and has ``value: null`` in the data), never a zero bar; lower bounds
    (sums of brands with some missing) and approximate figures are coloured apart."""
    with _opened(db) as s:
        ent = api.resolve(entity_id, s)
        pts = api.series(ent.id, s, metric=metric, as_of=as_of)
    rows = []
    for p in pts:
        rows.append({"entity_id": ent.id, "maker": ent.name, "period": p.period, "month": f"{p.period}-01",
                     "value": p.value, "bound": p.bound or "gap", "status": _status(p.bound, p.how), "how": p.how,
                     "metric": p.metric or metric, "note": p.note, **_src(p.sources)})
    gaps = sum(r["value"] is None for r in rows)
    colour = alt.Color("status:N", title=None, scale=alt.Scale(domain=_STATUS_DOMAIN, range=_STATUS_RANGE),
                       legend=alt.Legend(orient="top", direction="horizontal"))
    xaxis = alt.Axis(format="%b %Y", labelAngle=0, tickCount={"interval": "month", "step": 6})
    tip = [alt.Tooltip("period:N", title="Month"), _tooltip_num("value", metric.capitalize()),
           alt.Tooltip("status:N", title="Status"), alt.Tooltip("how:N", title="How"),
           alt.Tooltip("metric:N", title="Metric used"), alt.Tooltip("note:N", title="Note"),
           alt.Tooltip("source:N", title="Sources")]
    base = alt.Chart(_data("months"))
    gap = base.transform_filter("datum.value === null").mark_rect(opacity=0.6).encode(
        x=alt.X("utcyearmonth(month):T"), y=alt.value(0), y2=alt.value(HEIGHT), color=colour,
        tooltip=[alt.Tooltip("period:N", title="Month"), alt.Tooltip("status:N", title="Status")])
    bars = base.transform_filter("datum.value !== null").mark_bar().encode(
        x=alt.X("utcyearmonth(month):T", title=None, axis=xaxis, scale=alt.Scale(type="utc")),
        y=alt.Y("value:Q", title=f"Monthly {metric}", axis=alt.Axis(**Y_AXIS)), color=colour, tooltip=tip)
    if not rows:
        sub = f"No monthly {metric} figures; {_as_of_text(as_of)}."
    elif gaps:
        sub = f"{len(rows)} months, {gaps} without a figure (shaded: a gap, not zero); {_as_of_text(as_of)}."
    else:
        sub = f"{len(rows)} months, each with a figure; {_as_of_text(as_of)}."
    # the gap layer only when there are gaps (an empty layer makes Vega warn about an infinite extent)
    chart = alt.layer(*([gap] if gaps else []), bars).properties(width=WIDTH, height=HEIGHT,
                                            title=_title(f"{ent.name}: monthly {metric}", sub))
    return _finish(chart, {"months": rows})


def _target_label(t: Any, year: int) -> str:
    """``550,000 (announced 2026-01-01)``; a source dated after the year began that calls the target its
    initial one says so rather than suggest a late announcement."""
    when = t.target_announced
    if not when:
        return f"{t.target:,.0f} (announcement date unknown)"
    if t.target_announced_basis == "assumed":
        return f"{t.target:,.0f} (announcement date not known)"
    if "initial" in (t.target_note or "").lower() and when > f"{year}-01-31":
        return f"{t.target:,.0f} (initial target; source dated {when})"
    return f"{t.target:,.0f} (announced {when})"


def _target_labels(targets: list[dict[str, Any]], top: float) -> list[dict[str, Any]]:
    """One label per target value (equal targets share it). A label sits above its rule; below it when the
    next rule up is too close; in the middle of the chart when rules are close on both sides."""
    by_value: dict[float, list[dict[str, Any]]] = {}
    for t in targets:
        by_value.setdefault(t["target"], []).append(t)
    values = sorted(by_value)
    top = max([top] + values) * 1.15 or 1.0  # roughly the axis top after rounding
    close = lambda a, b: abs(a - b) / top * HEIGHT < 15  # noqa: E731 - pixels between two rules
    out: list[dict[str, Any]] = []
    for i, value in enumerate(values):
        group = by_value[value]
        parts = list(dict.fromkeys(t["label"].split(" (", 1)[1].rstrip(")") for t in group if " (" in t["label"]))
        label = f"{value:,.0f}" + (f" ({'; '.join(parts)})" if parts else "")
        above = i + 1 < len(values) and close(values[i + 1], value)
        below = i > 0 and (close(values[i - 1], value) or out[-1]["label_dy"] > 0)
        dy, x = 0, 0
        if above and not below:
            dy = 14
        elif above:
            x = WIDTH // 2
        out.append({"target": value, "label": label, "label_x": x, "label_dy": dy,
                    **_src(u for t in group for u in t["sources"])})
    return out


# -- targets -------------------------------------------------------------------------------------------------
def target_chart(db: api.DB = None, entity_id: str = "xiaomi", year: int | None = None,
                 as_of: dt.date | str | None = None, metric: str = "deliveries") -> dict[str, Any]:
    """``year``'s running total (monthly figures added from January while unbroken; a reported
    year-to-date figure that reaches further is drawn as its own point) against each target and revision,
    drawn as horizontal rules labelled with the target and its announcement date. A dashed line shows the
    run-rate projection (trailing three-month average carried to December) when the year is not over."""
    with _opened(db) as s:
        ent = api.resolve(entity_id, s)
        year = year or (dt.date.fromisoformat(str(as_of)) if as_of else dt.date.today()).year
        progress = api.targets(ent.id, s, year=year, metric=metric, as_of=as_of)
        monthly = [p for p in api.series(ent.id, s, metric=metric, as_of=as_of) if p.period.startswith(f"{year}-")]
    ytd = [{"date": f"{year}-01-01", "period": f"{year}-01 (start)", "value": 0.0, "how": "start of year",
            "sources": [], "source": "—"}]
    total, urls, through = 0.0, [], None
    for p in sorted(monthly, key=lambda p: p.period):
        if p.value is None or p.period != (month_add(through, 1) if through else f"{year}-01"):
            break
        total += p.value
        urls += p.sources
        through = p.period
        ytd.append({"date": _period_end(p.period).isoformat(), "period": p.period, "value": total,
                    "month_value": p.value, "how": f"sum of the monthly figures {year}-01 to {p.period}",
                    **_src(urls)})
    targets, projection = [], []
    for t in progress:
        if t.actual is not None and t.actual_through and (through is None or t.actual_through > through) \
                and t.actual_how != "monthly sum":
            ytd.append({"date": _period_end(t.actual_through).isoformat(), "period": t.actual_through,
                        "value": t.actual, "how": t.actual_how, **_src(f.origin.url for f in t.facts
                                                                       if f.kind == "actual")})
            through = t.actual_through
        if t.target is None:
            continue
        targets.append({"target": t.target, "announced": t.target_announced, "announced_basis":
                        t.target_announced_basis, "label": _target_label(t, year),
                        "note": t.target_note, "progress": t.progress, "actual": t.actual,
                        "actual_through": t.actual_through, "monthly_pace_needed": t.monthly_pace_needed,
                        **_src(f.origin.url for f in t.facts if f.kind == "target")})
    if progress and progress[0].projected is not None and progress[0].months_left and ytd[-1]["value"]:
        t = progress[0]
        last = ytd[-1]
        projection = [{"date": last["date"], "value": last["value"], "what": "latest", **_src(last["sources"])},
                      {"date": f"{year}-12-31", "value": t.projected, "what": "projected at the trailing 3-month "
                       f"average ({_fmt(t.run_rate_3m)}/month)", **_src(f.origin.url for f in t.facts
                                                                      if f.kind == "actual")}]
    labels = _target_labels(targets, max([r["value"] for r in ytd + projection] + [0.0]))
    # dedupe the ytd rows by date (a reported ytd figure may duplicate the last monthly sum)
    seen, rows = set(), []
    for r in ytd:
        if r["date"] not in seen:
            seen.add(r["date"])
            rows.append(r)
    x = alt.X("date:T", title=None, scale=alt.Scale(type="utc", domain=[f"{year}-01-01", f"{year}-12-31"]),
              axis=alt.Axis(format="%b", tickCount={"interval": "month", "step": 1}, labelAngle=0))
    y = alt.Y("value:Q", title=f"{year} {metric}, year to date", axis=alt.Axis(**Y_AXIS))
    line = alt.Chart(_data("ytd")).mark_line(point=alt.OverlayMarkDef(size=40, filled=True), color="#4c78a8",
                                             strokeWidth=2.5).encode(
        x=x, y=y, tooltip=[alt.Tooltip("period:N", title="Through"), _tooltip_num("value", "Year to date"),
                           alt.Tooltip("how:N", title="How"), alt.Tooltip("source:N", title="Sources")])
    trule = alt.Chart(_data("targets")).mark_rule(color="#e45756", strokeWidth=1.5, strokeDash=[6, 3]).encode(
        y="target:Q", tooltip=[_tooltip_num("target", "Target"), alt.Tooltip("announced:N", title="Announced"),
                               alt.Tooltip("note:N", title="Note"),
                               alt.Tooltip("progress:Q", title="Progress", format=".1%"),
                               alt.Tooltip("source:N", title="Sources")])
    ttext = [alt.Chart(_data("labels")).transform_filter(cond).mark_text(
        align="left", baseline=base, dx=4, dy=dy, color="#b03a3a", fontSize=11).encode(
        y="target:Q", x=alt.X("label_x:Q", scale=None), text="label:N")
        for cond, base, dy in (("datum.label_dy == 0", "bottom", -3), ("datum.label_dy > 0", "top", 3))
        if any((r["label_dy"] > 0) == (dy > 0) for r in labels)]  # no empty layer: Vega warns about those
    layers = [trule, *ttext, line]
    if projection:
        layers.append(alt.Chart(_data("projection")).mark_line(strokeDash=[2, 3], color="#4c78a8").encode(
            x=x, y="value:Q", tooltip=[alt.Tooltip("what:N", title=" "), _tooltip_num("value", "Volume"),
                                       alt.Tooltip("source:N", title="Sources")]))
    sub = (f"Year to date through {through}: {_fmt(rows[-1]['value'])}" if through else "No figure yet this year")
    sub += "; dashed red: targets and revisions" if targets else "; no target announced for this year"
    sub += "; dotted: run-rate projection" if projection else ""
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=_title(
        f"{ent.name}: {year} {metric} against targets", sub + f" ({_as_of_text(as_of)}).")
    )
    return _finish(chart, {"ytd": rows, "targets": targets, "labels": labels, "projection": projection})


# -- forecast fan --------------------------------------------------------------------------------------------
def forecast_available() -> str | None:
    """None if :mod:`evpace.forecast` can make forecasts here, else why not."""
    try:
        from evpace import forecast
        from evpace.forecast.data import anchor  # noqa: F401
        from evpace.forecast.engine import crossing, fit, year_total  # noqa: F401
    except Exception as e:  # noqa: BLE001 - any failure to import means: no forecasts
        return f"the forecast module could not be imported ({type(e).__name__}: {e})"
    if not hasattr(forecast, "crossing"):
        return "the forecast module offers no crossing forecast"
    return None


def _model_name(detail: str) -> str:
    """A model's description short enough for a subtitle: parentheses and what follows a colon dropped."""
    prev = None
    while prev != detail:
        prev, detail = detail, re.sub(r"\s*\([^()]*\)", "", detail)
    detail = " ".join(detail.split(":")[0].split())
    return detail if len(detail) <= 60 else detail[:59] + "…"


def _no_forecast(name: str, reason: str, as_of: dt.date | str | None) -> dict[str, Any]:
    rows = [{"message": "No forecast available", "reason": reason, "sources": [], "source": "—"}]
    text = alt.Chart(_data("message")).mark_text(fontSize=16, color="#777").encode(text="message:N")
    chart = text.properties(width=WIDTH, height=120, title=_title(
        f"{name}: no forecast available", reason, _as_of_text(as_of)))
    return _finish(chart, {"message": rows})


def fan_chart(db: api.DB = None, entity_id: str = "xiaomi", threshold: float | None = None, year: int | None = None,
              as_of: dt.date | str | None = None, metric: str = "deliveries", months: int = 24,
              history_months: int = 36, n_paths: int = 2000, model: str | None = None, seed: int = 0) -> dict[str, Any]:
    """Forecast fan of cumulative ``metric``: 50/80/95 % bands of the simulated paths month by month after
    the latest cumulative figure, the median dashed, and the last ``history_months`` of the series solid.

    ``threshold`` (default: the first of :data:`FAN_THRESHOLDS` above the latest figure) adds a rule and
    the crossing forecast (median day, 50/80/95 % intervals); ``year`` extends the horizon to its December
    and marks the year's total forecast there. Uses :mod:`evpace.forecast` when importable; otherwise,
    or when the maker cannot be forecast, returns a spec whose title says "no forecast available".
    ``model`` defaults to the forecast module's ``DEFAULT_MODEL``; ``seed`` makes the fan reproducible."""
    with _opened(db) as s:
        ent = api.resolve(entity_id, s)
        why = forecast_available()
        if why:
            return _no_forecast(ent.name, why, as_of)
        import numpy as np

        from . import forecast
        from .forecast.data import anchor
        from .forecast.engine import crossing, fit, year_total

        model = model or getattr(forecast, "DEFAULT_MODEL", "auto")
        from .series import SeriesBuilder, month_range

        fs = api.factset(s, as_of)
        sb = SeriesBuilder(fs)
        try:
            anc = anchor(sb, ent.id, metric)
            if anc is None:
                return _no_forecast(ent.name, f"no cumulative {metric} figure to add forecast months to", as_of)
            fitted = fit(sb, ent.id, metric, model)
        except Exception as e:  # noqa: BLE001 - the forecast module's refusal, shown as the chart's reason
            return _no_forecast(ent.name, str(e), as_of)
        if threshold is None:
            threshold = next((t for t in FAN_THRESHOLDS if t > anc.value), None)
        cross = None
        if threshold:
            try:
                cross = crossing(fs, ent.id, threshold, metric, model=model, n_paths=n_paths, seed=seed,
                                 fitted=fitted)
            except Exception:  # noqa: BLE001 - the fan is still worth showing
                cross = None
        start = month_add(anc.period, 1)
        end = month_add(anc.period, months)
        if year:
            end = max(end, f"{year}-12")
        if cross and cross.median and cross.median[:7] > end:
            end = min(month_add(cross.median[:7], 3), month_add(anc.period, 120))
        h = max(months_between(fitted.last, end), 1)
        paths = fitted.model.sample_paths(h, n_paths, np.random.default_rng(seed))
        vols, filled = fitted.months(start, end, paths)
        cum = anc.value + np.cumsum(vols, axis=1)
        periods = month_range(start, end)
        model_urls = {f.origin.url for f in anc.facts}
        with contextlib.suppress(Exception):
            model_urls |= {f.origin.url for f in fitted.history.facts(fitted.model.months_[0])}
        src = _src(model_urls)
        bands = []
        for j, p in enumerate(periods):
            col = cum[:, j]
            row = {"period": p, "date": _period_end(p).isoformat(), "median": float(np.median(col))}
            for lv in FAN_LEVELS:
                lo, hi = np.quantile(col, [(100 - lv) / 200, 1 - (100 - lv) / 200])
                row[f"lo{lv}"], row[f"hi{lv}"] = float(lo), float(hi)
            bands.append({**row, **src})
        # the fan starts at the anchor: a zero-width band there joins it to the history line
        a_row = {"period": anc.period, "date": _period_end(anc.period).isoformat(), "median": anc.value,
                 **{f"{b}{lv}": anc.value for lv in FAN_LEVELS for b in ("lo", "hi")}, **_src(f.origin.url
                                                                                            for f in anc.facts)}
        bands.insert(0, a_row)
        hist = []
        for p in api.series(ent.id, s, metric=metric, cumulative=True, as_of=as_of):
            if p.period > anc.period or p.period < month_add(anc.period, -history_months):
                continue
            hist.append({"period": p.period, "date": _period_end(p.period).isoformat(), "value": p.value,
                         "how": p.how, **_src(p.sources)})
        if not any(r["period"] == anc.period and r["value"] is not None for r in hist):
            hist.append({"period": anc.period, "date": _period_end(anc.period).isoformat(), "value": anc.value,
                         "how": anc.how, **_src(f.origin.url for f in anc.facts)})
        crossings, rules, year_rows = [], [], []
        if threshold:
            rules.append({"threshold": threshold, "label": f"{threshold:,.0f}"})
        if cross is not None:
            row = {"threshold": threshold, "status": cross.status, "median": cross.median or cross.crossed_date,
                   "crossed_date": cross.crossed_date, "p_within_horizon": cross.p_within_horizon,
                   "horizon": cross.horizon, "model": cross.model_detail, **_src(cross.sources)}
            for lv in FAN_LEVELS:
                lo, hi = (cross.intervals.get(str(lv)) or [None, None])[:2]
                row[f"lo{lv}"], row[f"hi{lv}"] = lo, hi or (_period_end(end).isoformat() if lo else None)
                row[f"interval{lv}"] = f"{lo or '?'} – {hi or 'beyond ' + str(cross.horizon)}"
            crossings.append(row)
        if year:
            try:
                yt = year_total(fs, ent.id, year, metric, model=model, n_paths=n_paths, seed=seed, fitted=fitted)
                odds = "; ".join(f"{o.target:,.0f}: {o.probability:.0%}" for o in yt.targets)
                year_rows.append({"date": f"{year}-12-31", "year": year, "median": yt.median,
                                  "actual": yt.actual, "actual_through": yt.actual_through,
                                  "interval80": f"{_fmt(yt.intervals['80'][0])} – {_fmt(yt.intervals['80'][1])}",
                                  "interval95": f"{_fmt(yt.intervals['95'][0])} – {_fmt(yt.intervals['95'][1])}",
                                  "targets": odds or "none announced",
                                  "label": f"{year} total: median {_fmt(yt.median)}"
                                           + (f"; P({_short(yt.targets[-1].target)} target) "
                                              f"{yt.targets[-1].probability:.0%}" if yt.targets else ""),
                                  **_src(list(yt.sources) + [u for o in yt.targets for u in o.sources])})
            except Exception:  # noqa: BLE001
                year_rows = []
    x = alt.X("date:T", title=None, scale=alt.Scale(type="utc"), axis=alt.Axis(format="%b %Y", labelAngle=0))
    y_title, y_axis = f"Cumulative {metric}", alt.Axis(**Y_AXIS)
    band_tip = [alt.Tooltip("period:N", title="Month"), _tooltip_num("median", "Median"),
                _tooltip_num("lo80", "80 % low"), _tooltip_num("hi80", "80 % high"),
                _tooltip_num("lo95", "95 % low"), _tooltip_num("hi95", "95 % high"),
                alt.Tooltip("source:N", title="Fitted to")]
    fan = alt.Chart(_data("bands"))
    layers: list[Any] = [
        fan.mark_area(color="#4c78a8", opacity=o).encode(x=x, y=alt.Y(f"lo{lv}:Q", title=y_title, axis=y_axis),
                                                         y2=f"hi{lv}:Q")
        for lv, o in zip(FAN_LEVELS, (0.15, 0.2, 0.3), strict=True)]
    layers.append(fan.mark_line(strokeDash=[5, 3], color="#1f3b63").encode(x=x, y="median:Q", tooltip=band_tip))
    layers.append(alt.Chart(_data("history")).mark_line(color="#222", strokeWidth=2.2,
                                                        invalid="break-paths-filter-domains").encode(
        x=x, y="value:Q", tooltip=[alt.Tooltip("period:N", title="Month"), _tooltip_num("value", "Cumulative"),
                                   alt.Tooltip("how:N", title="How"), alt.Tooltip("source:N", title="Sources")]))
    if rules:
        layers.append(alt.Chart(_data("rules")).mark_rule(strokeDash=[5, 4], color="#888").encode(y="threshold:Q"))
        layers.append(alt.Chart(_data("rules")).mark_text(align="left", baseline="bottom", dx=4, dy=-3,
                                                          color="#666").encode(
            y="threshold:Q", x=alt.value(0), text="label:N"))
    if crossings and crossings[0]["lo80"]:
        ctip = [_tooltip_num("threshold", "Threshold"), alt.Tooltip("median:N", title="Median crossing"),
                alt.Tooltip("interval50:N", title="50 %"), alt.Tooltip("interval80:N", title="80 %"),
                alt.Tooltip("interval95:N", title="95 %"), alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("source:N", title="Sources")]
        cr = alt.Chart(_data("crossing"))
        layers.append(cr.mark_rule(color="#e45756", strokeWidth=1.5).encode(
            x=alt.X("lo95:T", scale=alt.Scale(type="utc")), x2="hi95:T", y="threshold:Q", tooltip=ctip))
        layers.append(cr.mark_rule(color="#e45756", strokeWidth=5).encode(
            x=alt.X("lo80:T", scale=alt.Scale(type="utc")), x2="hi80:T", y="threshold:Q", tooltip=ctip))
        layers.append(cr.mark_point(color="#e45756", filled=True, size=80, shape="diamond").encode(
            x=alt.X("median:T", scale=alt.Scale(type="utc")), y="threshold:Q", tooltip=ctip))
    if year_rows:
        layers.append(alt.Chart(_data("year")).mark_rule(color="#999", strokeDash=[2, 2]).encode(
            x=alt.X("date:T", scale=alt.Scale(type="utc")),
            tooltip=[alt.Tooltip("year:N", title="Year"), _tooltip_num("median", "Median year total"),
                     alt.Tooltip("interval80:N", title="80 %"), alt.Tooltip("interval95:N", title="95 %"),
                     alt.Tooltip("targets:N", title="P(target met)"), alt.Tooltip("source:N", title="Sources")]))
        layers.append(alt.Chart(_data("year")).mark_text(align="right", baseline="top", dx=-4, dy=4, color="#555",
                                                         fontSize=11).encode(
            x=alt.X("date:T", scale=alt.Scale(type="utc")), y=alt.value(0), text="label:N"))
    sub = [f"Bands: 50/80/95 % of {n_paths:,} simulated paths after {anc.period}; median dashed; "
           f"{_as_of_text(as_of)}.",
           f"Model: {_model_name(getattr(fitted.model, 'detail', '') or fitted.model_name)}."]
    if crossings and crossings[0]["status"] == "forecast":
        sub.append(f"{threshold:,.0f}: median {crossings[0]['median'] or 'beyond the horizon'}, "
                   f"80 % {crossings[0]['interval80']} (red).")
    elif crossings:
        sub.append(f"{threshold:,.0f} already crossed on {crossings[0]['crossed_date']}.")
    if filled:
        sub.append(f"Months without figures filled log-linearly: {', '.join(filled)}.")
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=_title(
        f"{ent.name}: cumulative {metric}, forecast", *sub))
    return _finish(chart, {"bands": bands, "history": hist, "rules": rules, "crossing": crossings,
                           "year": year_rows})


# -- timeline ------------------------------------------------------------------------------------------------
def milestone_timeline(db: api.DB = None, threshold: float = 1_000_000, as_of: dt.date | str | None = None,
                       tag: str | None = None, entity_ids: Sequence[str] | None = None) -> dict[str, Any]:
    """Who crossed ``threshold`` when: date on x, maker on y (in order of crossing), metric as colour and
    how the date is known (reported / estimated / on or before) as shape."""
    with _opened(db) as s:
        rows_ms = api.milestones(threshold, s, as_of=as_of, tag=tag, entities=list(entity_ids) if entity_ids else None)
    rows, pending = [], []
    for m in rows_ms:
        if m.status == "crossed" and m.date:
            rows.append({"entity_id": m.entity_id, "maker": m.entity, "order": m.order, "date": m.date,
                         "x_date": _day(m.date).isoformat(), "date_basis": m.date_basis, "metric": m.metric,
                         "months_from_first_delivery": m.months_from_first_delivery, "place": m.place,
                         "note": m.note, "threshold": threshold, **_src(m.sources)})
        elif m.status == "not yet":
            pending.append(f"{m.entity} ({_fmt(m.latest_cumulative)} by {m.latest_cumulative_period})")
    order = [r["maker"] for r in sorted(rows, key=lambda r: (r["order"] or 0))]
    y = alt.Y("maker:N", title=None, sort=order, axis=alt.Axis(labelLimit=240, grid=True))
    x = alt.X("x_date:T", title=None, scale=alt.Scale(type="utc", padding=20),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}))
    tip = [alt.Tooltip("maker:N", title="Maker"), alt.Tooltip("date:N", title="Date"),
           alt.Tooltip("date_basis:N", title="Date is"), alt.Tooltip("metric:N", title="Metric"),
           alt.Tooltip("months_from_first_delivery:Q", title="Months from first delivery"),
           alt.Tooltip("place:N", title="Place"), alt.Tooltip("source:N", title="Sources")]
    base = alt.Chart(_data("crossings"))
    pts = base.mark_point(filled=True, size=140, opacity=1).encode(
        x=x, y=y, color=alt.Color("metric:N", title="Metric", scale=alt.Scale(
            domain=["production", "deliveries", "sales"], range=["#f58518", "#4c78a8", "#54a24b"])),
        shape=alt.Shape("date_basis:N", title="Date is", scale=alt.Scale(
            domain=["reported", "estimated", "on or before"], range=["circle", "diamond", "triangle-left"])),
        tooltip=tip)
    labels = base.mark_text(align="left", dx=10, fontSize=11, color="#333").encode(x=x, y=y, text="date:N")
    sub = [f"Date on x, colour: metric that crossed, shape: how the date is known; {_as_of_text(as_of)}."]
    if pending:
        sub.append("Not yet: " + "; ".join(pending) + ".")
    chart = alt.layer(pts, labels).properties(
        width=WIDTH, height=max(60, 34 * len(rows)),
        title=_title(f"Who crossed {threshold:,.0f}, and when", *sub))
    return _finish(chart, {"crossings": rows})


# -- export --------------------------------------------------------------------------------------------------
def save(spec: dict[str, Any], path: str | Path, scale: float = 2.0, title: str | None = None) -> Path:
    """Write ``spec`` to ``path``: ``.png`` / ``.svg`` rendered by vl-convert (no browser, no network),
    ``.html`` a standalone page with the vendored Vega scripts inlined, ``.json`` the spec itself."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidArgumentError(name="out", reason=f"{path.name}: the file name must end in {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        path.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    elif suffix == ".html":
        from .report import chart_page

        path.write_text(chart_page(spec, title=title), encoding="utf-8")
    else:
        import vl_convert as vlc

        if suffix == ".png":
            path.write_bytes(vlc.vegalite_to_png(spec, scale=scale, allowed_base_urls=[]))
        else:
            path.write_text(vlc.vegalite_to_svg(spec, allowed_base_urls=[]), encoding="utf-8")
    return path


def build(kind: str, entities: Sequence[str] = (), db: api.DB = None, **kw: Any) -> dict[str, Any]:
    """The spec of chart ``kind`` (one of :data:`KINDS`) for ``entities``.

    ``race`` takes any number of makers (none: the upstarts); ``monthly``, ``target`` and ``fan`` exactly
    one; ``timeline`` uses them as a filter. Other keywords go to the chart function."""
    entities = list(entities or ())
    if kind == "race":
        return race_chart(db, entities or None, **kw)
    if kind == "timeline":
        return milestone_timeline(db, entity_ids=entities or None, **kw)
    fn = {"monthly": monthly_bars, "target": target_chart, "fan": fan_chart}.get(kind)
    if fn is None:
        raise InvalidArgumentError(name="kind", reason=f"{kind!r} is not one of {', '.join(KINDS)}")
    if len(entities) != 1:
        raise InvalidArgumentError(name="entity", reason=f"the {kind} chart takes exactly one maker")
    return fn(db, entities[0], **kw)


def chart(kind: str, entities: Sequence[str], db: api.DB, out_path: str | Path, **kw: Any) -> Path:
    """Build chart ``kind`` and write it to ``out_path`` (``.png``, ``.svg``, ``.html`` or ``.json``): what
    ``evpace chart KIND [ENTITY...] -o FILE`` does."""
    scale = kw.pop("scale", 2.0)
    spec = build(kind, entities, db, **kw)
    return save(spec, out_path, scale=scale)
