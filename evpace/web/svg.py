"""Inline SVG charts drawn on the server: the fallback when :mod:`evpace.charts` (Vega-Lite) is absent,
and the small per-entity charts. No scripts; every text is escaped; numbers only otherwise.

Each series is one ``<path>`` (a gap in the data is a gap in the line), so a race chart has exactly one
``path.race-line`` per maker.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

#: Tableau 10: distinguishable, print-friendly.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")


@dataclass
class Line:
    """One maker's series: ``points`` are (``YYYY-MM``, value or None for a gap); ``marks`` are reported
    figures drawn as dots (a threshold crossing, the latest cumulative figure), useful where the monthly
    series has gaps."""

    id: str
    name: str
    points: list[tuple[str, float | None]]
    marks: list[tuple[str, float, str]] = field(default_factory=list)


def _month_index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^k) giving about ``ticks`` ticks over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def short(v: float) -> str:
    """1,500,000 → 1.5M; 250,000 → 250k."""
    if abs(v) >= 1_000_000:
        return f"{v / 1_000_000:g}M"
    if abs(v) >= 1_000:
        return f"{v / 1_000:g}k"
    return f"{v:g}"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _y_axis(ymax: float, y, x0: float, x1: float) -> tuple[list[str], float]:
    step = nice_step(ymax)
    top = math.ceil(ymax / step) * step if ymax > 0 else step
    out = []
    v = 0.0
    while v <= top + step / 2:
        yy = _fmt(y(v, top))
        out.append(f'<line class="grid" x1="{_fmt(x0)}" x2="{_fmt(x1)}" y1="{yy}" y2="{yy}"/>'
                   f'<text class="tick" x="{_fmt(x0 - 6)}" y="{yy}" text-anchor="end" dy="0.32em">{short(v)}</text>')
        v += step
    return out, top


def _x_axis(lo: int, hi: int, x, ybase: float) -> list[str]:
    out = []
    years = range(lo // 12, hi // 12 + 1)
    every = max(1, math.ceil(len(years) / 10))
    for yr in years:
        i = yr * 12
        if i < lo or (yr - years[0]) % every:
            continue
        xx = _fmt(x(i))
        out.append(f'<line class="xtick" x1="{xx}" x2="{xx}" y1="{_fmt(ybase)}" y2="{_fmt(ybase + 5)}"/>'
                   f'<text class="tick" x="{xx}" y="{_fmt(ybase + 18)}" text-anchor="middle">{yr}</text>')
    return out


def _path(pts: Sequence[tuple[float, float | None]]) -> str:
    d, pen = [], False
    for xx, yy in pts:
        if yy is None:
            pen = False
            continue
        d.append(f"{'L' if pen else 'M'}{_fmt(xx)},{_fmt(yy)}")
        pen = True
    return " ".join(d)


def _spread(ys: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label positions near ``ys`` (sorted order kept) at least ``gap`` apart, within [lo, hi]."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    pos = [ys[i] for i in order]
    for k in range(1, len(pos)):
        pos[k] = max(pos[k], pos[k - 1] + gap)
    if pos and pos[-1] > hi:
        pos[-1] = hi
        for k in range(len(pos) - 2, -1, -1):
            pos[k] = min(pos[k], pos[k + 1] - gap)
    pos = [max(lo, p) for p in pos]
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out


def race_svg(lines: Sequence[Line], threshold: float | None = 1_000_000, title: str = "",
             width: int = 960, height: int = 430) -> Markup:
    """Cumulative volume per maker over time: one ``path.race-line`` per maker, labelled at its end."""
    left, right, top_m, bottom = 58, 170, 16, 34
    pw, ph = width - left - right, height - top_m - bottom
    months = [_month_index(p) for ln in lines for p, v in ln.points if v is not None]
    months += [_month_index(p) for ln in lines for p, _, _ in ln.marks]
    values = [v for ln in lines for _, v in ln.points if v is not None] + [v for ln in lines for _, v, _ in ln.marks]
    label = escape(title or "Cumulative volume per maker")
    if not months:
        return Markup(f'<svg class="chart race" role="img" viewBox="0 0 {width} 60" aria-label="{label}">'
                      f'<text x="10" y="30">No data</text></svg>')
    lo, hi = min(months), max(months)
    hi = max(hi, lo + 1)
    ymax = max(values + ([threshold] if threshold else []))

    def x(i: float) -> float:
        return left + (i - lo) / (hi - lo) * pw

    def y(v: float, top: float) -> float:
        return top_m + ph - v / top * ph

    grid, top = _y_axis(ymax, y, left, left + pw)
    parts = [f'<svg class="chart race" role="img" viewBox="0 0 {width} {height}" '
             f'preserveAspectRatio="xMidYMid meet" aria-label="{label}"><title>{label}</title>']
    parts += grid
    parts += _x_axis(lo, hi, x, top_m + ph)
    parts.append(f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{top_m + ph}" y2="{top_m + ph}"/>')
    if threshold and threshold <= top:
        ty = _fmt(y(threshold, top))
        parts.append(f'<line class="threshold" x1="{left}" x2="{left + pw}" y1="{ty}" y2="{ty}"/>'
                     f'<text class="threshold-label" x="{left + 4}" y="{ty}" dy="-0.4em">{short(threshold)}</text>')
    ends = []
    for k, ln in enumerate(lines):
        color = PALETTE[k % len(PALETTE)]
        series = sorted(ln.points)
        pts = [(x(_month_index(p)), None if v is None else y(v, top)) for p, v in series]
        known = [(p, v) for p, v in series if v is not None] + [(p, v) for p, v, _ in ln.marks]
        last = max(known, key=lambda pv: (_month_index(pv[0]), pv[1])) if known else None
        tip = escape(ln.name) + (f": {last[1]:,.0f} by {escape(last[0])}" if last else "")
        parts.append(f'<path class="race-line" data-entity="{escape(ln.id)}" d="{_path(pts)}" stroke="{color}">'
                     f"<title>{tip}</title></path>")
        for k2, (p, v) in enumerate(series):  # a lone point between gaps would be invisible as a path
            if v is not None and all(series[j][1] is None for j in (k2 - 1, k2 + 1) if 0 <= j < len(series)):
                parts.append(f'<circle class="race-dot" cx="{_fmt(x(_month_index(p)))}" cy="{_fmt(y(v, top))}" '
                             f'r="2.5" fill="{color}"><title>{escape(ln.name)}: {v:,.0f} ({escape(p)})</title>'
                             f"</circle>")
        for p, v, what in ln.marks:
            parts.append(f'<circle class="race-mark" cx="{_fmt(x(_month_index(p)))}" cy="{_fmt(y(v, top))}" r="4" '
                         f'stroke="{color}"><title>{escape(ln.name)}: {escape(what)} ({escape(p)})</title></circle>')
        if last:
            ends.append((ln, color, x(_month_index(last[0])), y(last[1], top), last[1]))
    ys = _spread([e[3] for e in ends], 15, top_m + 6, top_m + ph)
    for (ln, color, ex, ey, v), ly in zip(ends, ys, strict=True):
        parts.append(f'<circle cx="{_fmt(ex)}" cy="{_fmt(ey)}" r="3" fill="{color}"/>'
                     f'<text class="line-label" x="{_fmt(left + pw + 8)}" y="{_fmt(ly)}" dy="0.32em" '
                     f'fill="{color}"><title>{escape(ln.name)}</title>{escape(_clip(ln.name, 20))} '
                     f'<tspan class="muted">{short(round(v, -3))}</tspan></text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars_svg(points: Sequence[tuple[str, float | None]], title: str = "", width: int = 960,
             height: int = 240) -> Markup:
    """Monthly volumes as bars; a month without data is drawn as a gap marker, not a zero."""
    left, right, top_m, bottom = 58, 12, 12, 30
    pw, ph = width - left - right, height - top_m - bottom
    label = escape(title or "Monthly volume")
    pts = sorted(points)
    values = [v for _, v in pts if v is not None]
    if not values:
        return Markup(f'<svg class="chart bars" role="img" viewBox="0 0 {width} 60" aria-label="{label}">'
                      f'<text x="10" y="30">No monthly data</text></svg>')
    lo, hi = _month_index(pts[0][0]), _month_index(pts[-1][0])
    n = hi - lo + 1
    bw = pw / n

    def x(i: float) -> float:
        return left + (i - lo) * bw

    def y(v: float, top: float) -> float:
        return top_m + ph - v / top * ph

    grid, top = _y_axis(max(values), y, left, left + pw)
    parts = [f'<svg class="chart bars" role="img" viewBox="0 0 {width} {height}" aria-label="{label}">'
             f"<title>{label}</title>"]
    parts += grid
    parts += _x_axis(lo, hi, lambda i: x(i) + bw / 2, top_m + ph)
    for p, v in pts:
        i = _month_index(p)
        if v is None:
            parts.append(f'<rect class="gap" x="{_fmt(x(i) + bw * 0.1)}" y="{_fmt(top_m + ph - 4)}" '
                         f'width="{_fmt(bw * 0.8)}" height="4"><title>{escape(p)}: no data (gap)</title></rect>')
            continue
        yy = y(v, top)
        parts.append(f'<rect class="bar" x="{_fmt(x(i) + bw * 0.1)}" y="{_fmt(yy)}" width="{_fmt(bw * 0.8)}" '
                     f'height="{_fmt(top_m + ph - yy)}"><title>{escape(p)}: {v:,.0f}</title></rect>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{top_m + ph}" y2="{top_m + ph}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_svg(points: Sequence[tuple[str, float | None]], marks: Sequence[float] = (), title: str = "",
             width: int = 960, height: int = 240) -> Markup:
    """One cumulative series as a line (gaps as gaps), with dashed lines at the thresholds in ``marks``."""
    left, right, top_m, bottom = 58, 12, 12, 30
    pw, ph = width - left - right, height - top_m - bottom
    label = escape(title or "Cumulative volume")
    pts = sorted(points)
    values = [v for _, v in pts if v is not None]
    if not values:
        return Markup(f'<svg class="chart cumulative" role="img" viewBox="0 0 {width} 60" aria-label="{label}">'
                      f'<text x="10" y="30">No cumulative data</text></svg>')
    lo, hi = _month_index(pts[0][0]), _month_index(pts[-1][0])
    hi = max(hi, lo + 1)

    def x(i: float) -> float:
        return left + (i - lo) / (hi - lo) * pw

    def y(v: float, top: float) -> float:
        return top_m + ph - v / top * ph

    grid, top = _y_axis(max(values), y, left, left + pw)
    parts = [f'<svg class="chart cumulative" role="img" viewBox="0 0 {width} {height}" aria-label="{label}">'
             f"<title>{label}</title>"]
    parts += grid
    parts += _x_axis(lo, hi, x, top_m + ph)
    labelled = -1e9
    for m in sorted(marks, reverse=True):  # label from the top; skip a label that would overlap the last
        if m <= top:
            my = y(m, top)
            parts.append(f'<line class="threshold" x1="{left}" x2="{left + pw}" y1="{_fmt(my)}" y2="{_fmt(my)}"/>')
            if my - labelled >= 14:
                parts.append(f'<text class="threshold-label" x="{left + 4}" y="{_fmt(my)}" dy="-0.4em">'
                             f"{short(m)}</text>")
                labelled = my
    d = _path([(x(_month_index(p)), None if v is None else y(v, top)) for p, v in pts])
    parts.append(f'<path class="cum-line" d="{d}" stroke="{PALETTE[0]}"/>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{top_m + ph}" y2="{top_m + ph}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
