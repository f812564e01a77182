"""Verdicts as table rows, JSON and an HTML fragment. Nothing here computes: it only names and formats
what :func:`evpace.check.check_document` returned.

The HTML fragment is a ``<table class="evpace-check">``: every text is escaped, the claimed figure is
wrapped in ``<mark class="evpace-claim">`` inside its sentence, verdicts are ``<span class="evpace-badge
evpace-<verdict>">`` badges, readings sit in a ``<details>`` element; only ``http(s)`` sources become
links. No scripts, no inline styles: a report or web page styles it through the classes.
"""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any
from urllib.parse import urlsplit

from ..model import Fact
from .judge import Reading, Verdict
from .tolerance import fmt_num

#: Fields every JSON object carries (the stable contract; see docs/check.md).
JSON_FIELDS = ("quote", "start", "end", "kind", "entity_id", "entity", "claimed", "recomputed", "verdict",
               "tolerance", "readings", "arithmetic", "sources", "facts", "note", "unit", "number_text",
               "quote_start", "claim_origin", "as_of", "as_of_basis", "now_recomputed", "now_verdict",
               "now_arithmetic", "now_note", "now_sources")
TABLE_COLUMNS = ("verdict", "kind", "entity", "claim", "claimed", "recomputed", "tolerance", "arithmetic")


def _num(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def fact_dict(f: Fact) -> dict[str, Any]:
    """A fact used, compactly: what it says and where it comes from."""
    return {"id": f.id, "entity_id": f.entity_id, "metric": f.metric, "scope": f.scope, "period": f.period,
            "value": f.value, "bound": f.bound, "kind": f.kind, "source": f.origin.url,
            "publisher": f.origin.publisher, "published": f.origin.published}


def reading_dict(r: Reading) -> dict[str, Any]:
    return {"name": r.name, "value": _num(round(r.value, 4) if isinstance(r.value, float) else r.value),
            "arithmetic": r.arithmetic, "verdict": r.verdict, "chosen": r.chosen, "why": r.why,
            "sources": list(r.sources)}


def verdict_dict(v: Verdict, doc_name: str | None = None, doc_url: str | None = None) -> dict[str, Any]:
    """One verdict as a JSON-ready object with the fields of :data:`JSON_FIELDS` (and ``doc``/``url``
    when given)."""
    out: dict[str, Any] = {}
    if doc_name is not None:
        out["doc"] = doc_name
        out["url"] = doc_url or ""
    out.update({
        "quote": v.quote, "start": v.start, "end": v.end, "kind": v.kind, "entity_id": v.entity_id,
        "entity": v.entity, "claimed": _num(v.claimed), "recomputed": _num(v.recomputed), "verdict": v.verdict,
        "tolerance": v.tolerance.to_dict() if v.tolerance else None,
        "readings": [reading_dict(r) for r in v.readings], "arithmetic": v.arithmetic, "sources": list(v.sources),
        "facts": [fact_dict(f) for f in v.facts], "note": v.note, "unit": v.unit, "number_text": v.number_text,
        "quote_start": v.quote_start, "claim_origin": v.claim_origin, "as_of": v.as_of,
        "as_of_basis": v.as_of_basis, "now_recomputed": _num(v.now_recomputed), "now_verdict": v.now_verdict,
        "now_arithmetic": v.now_arithmetic, "now_note": v.now_note,
        "now_sources": list(v.now_sources) if v.now_sources is not None else None,
    })
    return out


def render_json(verdicts: list[Verdict], doc_name: str | None = None, doc_url: str | None = None,
                indent: int | None = 2) -> str:
    """A JSON list with one object per claim."""
    return json.dumps([verdict_dict(v, doc_name, doc_url) for v in verdicts], indent=indent, ensure_ascii=False)


def _value(x: Any, unit: str) -> str:
    if x is None:
        return "—"
    if isinstance(x, (int, float)):
        return fmt_num(float(x), unit)
    return str(x)


def render_table_rows(verdicts: list[Verdict]) -> list[dict[str, Any]]:
    """Rows for a terminal table (:data:`TABLE_COLUMNS`, plus ``now`` when the check ran with ``now``)."""
    rows = []
    for v in verdicts:
        row = {"verdict": v.verdict, "kind": v.kind, "entity": v.entity or v.entity_id or "—",
               "claim": v.number_text, "claimed": _value(v.claimed, v.unit),
               "recomputed": _value(v.recomputed, v.unit),
               "tolerance": v.tolerance.short if v.tolerance else "—",
               "arithmetic": v.arithmetic + (f" [{v.note}]" if v.note else "")}
        if v.now_verdict is not None:
            row["now"] = f"{v.now_verdict}: {v.now_arithmetic}" if v.now_verdict != v.verdict or v.kind == "forward" \
                else v.now_verdict
        rows.append(row)
    return rows


def _link(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        host = parts.netloc.removeprefix("www.")
        return f'<a href="{escape(url, quote=True)}" rel="nofollow noopener noreferrer">{escape(host)}</a>'
    return f'<span class="evpace-source">{escape(url)}</span>'


def _badge(verdict: str | None, prefix: str = "") -> str:
    if not verdict:
        return ""
    cls = verdict if verdict in ("consistent", "inconsistent", "unverifiable") else "unknown"
    return f'<span class="evpace-badge evpace-{cls}">{escape(prefix + verdict)}</span>'


def _quote(v: Verdict) -> str:
    a, b = v.start - v.quote_start, v.end - v.quote_start
    q = v.quote
    if not (0 <= a <= b <= len(q)) or a == b:
        return escape(q)
    return f'{escape(q[:a])}<mark class="evpace-claim">{escape(q[a:b])}</mark>{escape(q[b:])}'


def render_html(verdicts: list[Verdict], title: str | None = None) -> str:
    """An HTML fragment: ``<table class="evpace-check">`` with one row per claim (see the module docstring)."""
    out = ['<table class="evpace-check">']
    if title or verdicts:
        as_of = verdicts[0].as_of if verdicts else None
        basis = verdicts[0].as_of_basis if verdicts else ""
        cap = escape(title or "")
        if as_of:
            cap += (" — " if cap else "") + f"checked with data published by {escape(as_of)}" + (
                f" ({escape(basis)})" if basis else "")
        out.append(f"<caption>{cap}</caption>")
    out.append("<thead><tr><th>Claim</th><th>Kind</th><th>Verdict</th><th>Arithmetic</th><th>Sources</th></tr>"
               "</thead>")
    out.append("<tbody>")
    for v in verdicts:
        readings = ""
        if v.readings:
            items = "".join(
                f'<li class="evpace-reading{" evpace-chosen" if r.chosen else ""}">{_badge(r.verdict)} '
                f"<strong>{escape(r.name)}</strong>: {escape(r.arithmetic)}"
                + (f' <em>{escape(r.why)}</em>' if r.why else "") + "</li>" for r in v.readings)
            readings = f"<details><summary>readings tried ({len(v.readings)})</summary><ul>{items}</ul></details>"
        note = f'<p class="evpace-note">{escape(v.note)}</p>' if v.note else ""
        now = ""
        if v.now_verdict is not None:
            now = (f'<p class="evpace-now">{_badge(v.now_verdict, "today: ")} {escape(v.now_arithmetic or "")}'
                   + (f" ({escape(v.now_note)})" if v.now_note else "") + "</p>")
        tol = f'<p class="evpace-tolerance">tolerance: {escape(v.tolerance.rule)}</p>' if v.tolerance else ""
        sources = "".join(f"<li>{_link(u)}</li>" for u in v.sources)
        entity = escape(v.entity or v.entity_id or "")
        out.append(
            f'<tr class="evpace-row evpace-row-{escape(v.verdict)}" data-kind="{escape(v.kind)}" '
            f'data-start="{v.start}" data-end="{v.end}">'
            f'<td class="evpace-quote">{_quote(v)}</td>'
            f'<td class="evpace-kind">{escape(v.kind)}<br><span class="evpace-entity">{entity}</span></td>'
            f'<td class="evpace-verdict">{_badge(v.verdict)}</td>'
            f'<td class="evpace-arithmetic"><p>{escape(v.arithmetic)}</p>{tol}{note}{now}{readings}</td>'
            f'<td class="evpace-sources"><ul>{sources}</ul></td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)
