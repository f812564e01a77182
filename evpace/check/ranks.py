"""Ranks and counts: "the first upstart to reach 1 million" (order of crossing), "the fastest" (months
from first delivery), "the other five have all joined the club" (how many of the makers named crossed).

The peer group is the one the sentence names ("upstart", "automaker on record"), else the article's
subject when it talks about upstarts, else every group and brand; the other group is tried too and
shown as a reading. A maker's own group, brands and models are never its peers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .claims import Claim
from .judge import CONSISTENT, INCONSISTENT, UNVERIFIABLE, Reading, Result, unverifiable
from .tolerance import fmt_num

if TYPE_CHECKING:
    from .judge import Judge


def peers(j: Judge, entity_id: str | None, group: str) -> list[str]:
    reg = j.data.fs.registry
    related = set()
    if entity_id:
        related = {entity_id} | {a.id for a in reg.ancestors(entity_id)}
        related |= {e.id for e in reg if entity_id in {a.id for a in reg.ancestors(e.id)}}
    return [e.id for e in reg if e.kind != "model" and e.id not in related
            and (group != "upstart" or "upstart" in e.tags)]


def rank(j: Judge, c: Claim) -> Result:
    """"the first upstart to reach 1 million" (order of crossing), "the fastest" (months from first
    delivery), "the other five have all joined" (a count)."""
    d = c.detail
    if c.unit == "count":
        return _count(j, c)
    chosen_group = d.get("peers_named") or d.get("peers_context") or "all"
    readings = []
    for group in dict.fromkeys([chosen_group, "upstart" if chosen_group == "all" else "all"]):
        r = _rank_in(j, c, group)
        r.chosen = group == chosen_group
        if r.chosen:
            r.why = ("the article says which makers it compares" if d.get("peers_named") else
                     "the article is about upstarts" if group == "upstart" else "no peer group named: every maker")
        readings.append(r)
    ch = readings[0]
    if ch.value is None:
        return unverifiable(ch.arithmetic, readings=readings)
    return Result(ch.value, ch.verdict, ch.arithmetic, readings, note=_other(readings), sources=ch.sources)


def _other(readings: list[Reading]) -> str:
    o = [r for r in readings if not r.chosen and r.value is not None]
    return f"{o[0].name}: rank {o[0].value} ({o[0].verdict})" if o else ""


def _rank_in(j: Judge, c: Claim, group: str) -> Reading:
    d = c.detail
    threshold, speed = d["threshold"], d["rank_type"] == "speed"
    me = j.data.milestone(c.entity_id, threshold, c.metric)
    how = "months from first delivery" if speed else "order of crossing"
    label = f"among {'upstarts' if group == 'upstart' else 'all makers'} ({how})"
    if me.status != "crossed" or not me.date:
        return Reading(label, None, f"{j.data.name(c.entity_id)} has not crossed {fmt_num(threshold)} in the data "
                       f"{j.when}", UNVERIFIABLE)
    rows = []
    for p in peers(j, c.entity_id, group):
        ms = j.data.milestone(p, threshold, c.metric)
        if ms.status == "crossed" and ms.date:
            rows.append(ms)
    if speed:
        if me.months_from_first_delivery is None:
            return Reading(label, None, f"no first delivery for {j.data.name(c.entity_id)}", UNVERIFIABLE)
        key = (me.months_from_first_delivery, me.days_from_first_delivery or 0)
        ahead = [r for r in rows if r.months_from_first_delivery is not None
                 and (r.months_from_first_delivery, r.days_from_first_delivery or 0) < key]
        listing = ", ".join(f"{r.entity} {r.months_from_first_delivery}" for r in sorted(
            rows + [me], key=lambda r: (r.months_from_first_delivery is None, r.months_from_first_delivery or 0)))
        what = "months from first delivery to "
    else:
        ahead = [r for r in rows if (r.date[:7], r.date) < (me.date[:7], me.date)]
        listing = ", ".join(f"{r.entity} {r.date}" for r in sorted(rows + [me], key=lambda r: (r.date[:7], r.date)))
        what = "crossings of "
    pos = len(ahead) + 1
    claimed = int(c.value or 1)
    ok = pos == claimed
    arith = f"{what}{fmt_num(threshold)} {label.split(' (')[0]} {j.when}: {listing} → {j.data.name(c.entity_id)} " \
            f"is #{pos}" + ("" if ok else f", not #{claimed}")
    return Reading(label, pos, arith, CONSISTENT if ok else INCONSISTENT, sources=me.sources)


def _count(j: Judge, c: Claim) -> Result:
    d = c.detail
    threshold, ents = d["threshold"], d["entities"]
    crossed, lines, facts = 0, [], []
    for e in ents:
        ms = j.data.milestone(e, threshold, None)
        if ms.status == "crossed" and ms.date:
            crossed += 1
            lines.append(f"{ms.entity} {ms.date}")
            facts += ms.facts
        else:
            lines.append(f"{ms.entity} not yet ({fmt_num(ms.latest_cumulative)})")
    n = int(c.value or 0)
    ok = crossed == n == len(ents)
    arith = f"of the {len(ents)} makers named: {', '.join(lines)} → {crossed} crossed {fmt_num(threshold)} {j.when}"
    note = "" if len(ents) == n else f"the article names {len(ents)} makers, not {n}"
    return Result(crossed, CONSISTENT if ok else INCONSISTENT, arith, facts=facts, note=note)
