"""Claim types the extractor does not emit, read from the sentences themselves (see
:mod:`evpace.check.claims` for the list). Each detector takes the indexed document and the claims found
so far (it may replace an extractor claim it reads better) and returns new claims; a claim's ``origin``
is ``pattern:<name>``.
"""

from __future__ import annotations

import re
from typing import Any

from ..extract.cues import CROSS, CROSSED
from ..extract.text import Mention, Sentence
from .claims import MODAL as _MODAL
from .claims import Claim, DocContext, date_window, overlaps
from .tolerance import qualifier

_PACE = re.compile(r"\b(?:pace|rate|run-?rate|sustain\w*|annuali[sz]\w*|keeps? up)\b")
_ANNUAL = re.compile(r"\b(?:annual\w*|a year|per year|yearly|full[- ]year|twelve months|12 months)\b")
_FORWARD = re.compile(r"\b(?P<cue>(?:is|are|was|were|looks?|seems?)?\s*(?:on track|on course|set|poised|expected|"
                      r"likely|forecast|projected|due|tipped|slated)\s+to|will|should)\s+(?P<verb>" + CROSS +
                      r"|exceed|break|do so|achieve)\b")
_RANK = re.compile(r"\b(?P<rank>first|second|third|fourth|fifth|sixth|last|fastest|quickest|only)\b"
                   r"(?P<between>[^.;]{0,60}?)\bto\s+(?P<verb>" + CROSS + r"|achieve|break)\b(?P<rest>[^.;]{0,60})")
_WEAK_MODAL = re.compile(r"\b(?:could|may|might)\b")
_UPSTART = re.compile(r"\bupstarts?\b|\bstart-?ups?\b|new (?:force|player|entrant)s?|\bnewcomers?\b|"
                      r"\bnew (?:ev )?makers?\b")
_COUNT = re.compile(r"\b(?:the other|the remaining|all|these|those)\s+(?P<n>two|three|four|five|six|seven|eight|"
                    r"nine|ten|\d{1,2})\b(?P<mid>[^.;]{0,40}?)\b(?:" + CROSSED + r"|made)\b")
_EXCEPT = re.compile(r"\b(?:except(?: for)?|apart from|other than|besides|bar)\s*$")
_MILESTONE_ANAPHOR = re.compile(r"\b(?:" + CROSSED + r"|achieved|made)\s+(?:that|the|this|its|their)\s+"
                                r"(?:milestone|mark|threshold|club|level|leap|feat)\b")
_FIRST_DELIVERY = re.compile(r"\b(?:began|begun|begin(?:s|ning)?|started|start(?:s|ing)?|commenced|kicked off)\s+"
                             r"(?:customer\s+|its\s+)?deliver(?:ies|ing)\b|\bdeliveries\s+(?:began|beginning|"
                             r"started|starting|commenced|kicked off)\b|\bfirst deliver(?:y|ies)\s+(?:was|were|"
                             r"came|took place)\b")
_NOT_YET = re.compile(r"(?:hasn't|has not|haven't|have not|is yet to|are yet to|yet to|not yet)\s+"
                      r"(?:\w+\s+){0,2}?(?:" + CROSSED + "|" + CROSS + r")\s+$")
_WORD_DURATION = re.compile(r"\b(?:(?P<word>about|around|roughly|nearly|almost|close to|more than|over|under|"
                            r"less than|just|only|within)\s+)?(?P<n>a|one|two|three|four|five|six|seven|eight|"
                            r"nine|ten)\s+(?P<unit>decades?|years? and a half|and a half years)\b")
_CLAUSE = re.compile(r",\s*(?:while|whereas|but|and|although)\s+|;\s*|\s+—\s+|—")
_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
_WORDS["a"] = 1
_OTHER_NOUN = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?P<noun>stations?|countries|cities|stores?|technologies|patents|"
                         r"employees|engineers|chargers?|markets|models|plants|factories|users|owners|kilometres|"
                         r"kilometers|km|kwh|hours|minutes)\b")


def _clauses(ctx: DocContext, sent: Sentence) -> list[tuple[int, int]]:
    """Spans of a sentence's clauses (split at ", while", ";", dashes)."""
    out, lo = [], sent.start
    for m in _CLAUSE.finditer(ctx.text, sent.start, sent.end):
        out.append((lo, m.start()))
        lo = m.end()
    out.append((lo, sent.end))
    return [(a, b) for a, b in out if b > a]


def _claim(kind: str, ctx: DocContext, sent: Sentence, start: int, end: int, origin: str, **kw: Any) -> Claim:
    return Claim(kind=kind, quote=sent.text, start=start, end=end, sentence_start=sent.start,
                 number_text=ctx.text[start:end], origin=f"pattern:{origin}", **kw)


def _run_rates(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """"keeping that monthly pace up would mean roughly 600,000 a year": the monthly figure before it × 12."""
    out = []
    for sent in ctx.sentences:
        low = ctx.low[sent.start:sent.end]
        if not (_PACE.search(low) and _ANNUAL.search(low)):
            continue
        months = [c for c in claims if c.unit == "vehicles" and c.scope == "month" and c.claim_kind == "actual"
                  and c.start < sent.end and ctx.sentence_index(c.start) >= ctx.sentence_index(sent.start) - 2]
        if not months:
            continue
        base = months[-1]
        for n in ctx.numbers_in(sent.start, sent.end):
            if n.is_money or n.is_percent or n.value < 12 * 0.5 * base.value or n.start == base.start:
                continue
            word, bound = qualifier(ctx.text[sent.start:n.start], ctx.text[n.end:n.end + 12])
            old = overlaps(claims, n.start, n.end)
            c = _claim("run_rate", ctx, sent, n.start, n.end, "run_rate", entity_id=base.entity_id,
                       entity=base.entity, value=n.value, unit="vehicles", word=word, bound=bound,
                       metric=base.metric, scope="year", period="", claim_kind="expected",
                       detail={"base": base.value, "base_text": base.number_text, "base_period": base.period,
                               "base_bound": base.bound, "base_start": base.start, "months": 12})
            if old is not None:
                claims.remove(old)
                c.origin = "extractor+pattern:run_rate"
            out.append(c)
    return out


def _forwards(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """"on track to cross 1 million within 2026", "expected to do so in early 2026"."""
    out = []
    for sent in ctx.sentences:
        for lo, hi in _clauses(ctx, sent):
            for m in _FORWARD.finditer(ctx.low, lo, hi):
                after = [n for n in ctx.numbers_in(m.end(), hi) if not n.is_money and not n.is_percent]
                num = after[0] if after and after[0].start - m.end() < 20 else None
                threshold = num.value if num else ctx.threshold_before(m.start())
                if threshold is None or threshold < 1000:
                    continue
                ds = [d for d in ctx.dates_in(m.end(), hi)]
                ent = ([x for x in ctx.mentions_in(lo, m.start())] or [ctx.subject_before(m.start())])[-1]
                if ent is None:
                    continue
                window = date_window(ds[0]) if ds else None
                start, end = (num.start, num.end) if num else (m.start("verb"), m.end("verb"))
                old = overlaps(claims, start, end) if num else None
                metric = "production" if re.search(r"off the line|produc|output", ctx.low[lo:hi]) else "deliveries"
                c = _claim("forward", ctx, sent, start, end, "forward_crossing", entity_id=ent.entity_id,
                           entity=ent.text, value=threshold, unit="vehicles", word=ds[0].text if ds else None,
                           bound="lower", metric=metric, scope="cumulative", claim_kind="expected",
                           period=ds[0].period if ds else "",
                           detail={"threshold": threshold, "by": window[1].isoformat() if window else None,
                                   "by_text": ds[0].text if ds else "", "cue": m.group("cue").strip(),
                                   "weak": bool(_WEAK_MODAL.search(m.group(0))),
                                   "basis_target": _basis_target(ctx, lo, m.start())})
                if old is not None:
                    claims.remove(old)
                    c.origin = "extractor+pattern:forward_crossing"
                out.append(c)
    return out


_BASIS = re.compile(r"based on (?:its |the )?(?P<year>20\d\d)?\s*(?:delivery |sales )?target of (?P<n>[\d,.]+)"
                    r"(?:\s*(?P<scale>million))?")


def _basis_target(ctx: DocContext, lo: int, hi: int) -> dict | None:
    m = _BASIS.search(ctx.low, lo, hi)
    if not m:
        return None
    try:
        value = float(m.group("n").replace(",", "")) * (1e6 if m.group("scale") else 1)
    except ValueError:
        return None
    return {"value": value, "year": m.group("year"), "text": ctx.text[m.start():m.end()]}


def _ranks(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """"the first of the start-ups to get there", "could become the fastest ... to reach one million"."""
    out = []
    for sent in ctx.sentences:
        for m in _RANK.finditer(ctx.low, sent.start, sent.end):
            if ctx.low[m.end("rank"):m.end("rank") + 9].startswith((" deliver", " model", " time")):
                continue  # "first delivery", "second model": not a rank
            rest_lo, rest_hi = m.start("rest"), m.end("rest")
            nums = [n for n in ctx.numbers_in(rest_lo, rest_hi) if not n.is_money and n.value >= 1000]
            threshold = nums[0].value if nums else ctx.threshold_before(m.start())
            if threshold is None:
                continue
            ms = [x for x in ctx.mentions_in(sent.start, m.start())]
            ent = ms[-1] if ms else ctx.subject_before(m.start())
            if ent is None:
                continue
            head = ctx.low[sent.start:m.start()]
            modal = _MODAL.search(head[-60:])
            peer_text = ctx.low[m.start():m.end("between")] + " " + head[-30:]
            context = ctx.low[ctx.sentences[max(ctx.sentence_index(sent.start) - 6, 0)].start:m.start()]
            rank_word = m.group("rank")
            rest = ctx.low[rest_lo:rest_hi]
            metric = "deliveries" if re.search(r"sales|deliver", rest) else (
                "production" if re.search(r"off the line|produc", rest) else None)
            detail = {"threshold": threshold, "rank_word": rank_word,
                      "rank_type": "speed" if rank_word in ("fastest", "quickest") else "order",
                      "rank": {"first": 1, "fastest": 1, "quickest": 1, "only": 1, "second": 2, "third": 3,
                               "fourth": 4, "fifth": 5, "sixth": 6}.get(rank_word),
                      "peers_named": "upstart" if _UPSTART.search(peer_text) else (
                          "all" if re.search(r"automakers?|carmakers?|manufacturers?|on record|ever", peer_text)
                          else None),
                      "peers_context": "upstart" if _UPSTART.search(context) else None,
                      "weak": bool(modal and _WEAK_MODAL.search(modal.group(0)))}
            for n in nums:
                old = overlaps(claims, n.start, n.end)
                if old is not None:
                    claims.remove(old)
            out.append(_claim("forward" if modal else "rank", ctx, sent, m.start("rank"), m.end("rank"), "rank",
                              entity_id=ent.entity_id, entity=ent.text, value=float(detail["rank"] or 0),
                              unit="rank", metric=metric, claim_kind="expected" if modal else "actual",
                              detail=detail))
    return out


def _counts(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """"Except for Xiaomi Auto..., the other five have all joined the million-unit club"."""
    out = []
    for sent in ctx.sentences:
        for m in _COUNT.finditer(ctx.low, sent.start, sent.end):
            n = _WORDS.get(m.group("n")) or (int(m.group("n")) if m.group("n").isdigit() else None)
            threshold = ctx.threshold_before(sent.end) if n else None
            if not n or threshold is None:
                continue
            i = ctx.sentence_index(sent.start)
            lo = ctx.sentences[max(i - 1, 0)].start
            named: dict[str, Mention] = {}
            excluded: set[str] = set()
            for x in ctx.mentions_in(lo, m.start()):
                eid = x.entity_id if x.kind != "model" else (x.parent or x.entity_id)
                if x.start >= sent.start and _EXCEPT.search(ctx.low[max(sent.start, x.start - 25):x.start]):
                    excluded.add(eid)
                named.setdefault(eid, x)
            entities = [e for e in named if e not in excluded]
            for num in ctx.numbers_in(m.start("n"), m.end("n") + 1):
                old = overlaps(claims, num.start, num.end)
                if old is not None:
                    claims.remove(old)
            out.append(_claim("rank", ctx, sent, m.start("n"), m.end("n"), "count", entity_id=None,
                              entity=", ".join(named[e].text for e in entities), value=float(n), unit="count",
                              metric=None, detail={"threshold": threshold, "entities": entities,
                                                   "excluded": sorted(excluded)}))
    return out


def _milestone_periods(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """"makers A and B got to that mark in 2025"; "C and D got there in late 2025 and early 2026,
    respectively": each maker's crossing date."""
    out = []
    for sent in ctx.sentences:
        respectively = "respectively" in ctx.low[sent.start:sent.end]
        for lo, hi in _clauses(ctx, sent):
            m = _MILESTONE_ANAPHOR.search(ctx.low, lo, hi)
            if not m or _MODAL.search(ctx.low[lo:m.start()]) or ctx.numbers_in(lo, hi):
                continue
            threshold = ctx.threshold_before(m.start())
            ds = ctx.dates_in(m.end(), hi)
            ents = []
            for x in ctx.mentions_in(lo, m.start()):
                if x.entity_id not in [e.entity_id for e in ents]:
                    ents.append(x)
            if threshold is None or not ds or not ents:
                continue
            pairs = list(zip(ents, ds, strict=False)) if respectively and len(ds) == len(ents) else [(e, ds[0])
                                                                                                     for e in ents]
            for ent, d in pairs:
                out.append(_claim("fact", ctx, sent, d.start, d.end, "milestone_period", entity_id=ent.entity_id,
                                  entity=ent.text, value=threshold, unit="date", metric=None, scope="cumulative",
                                  period=d.period or "",
                                  detail={"threshold": threshold, "claimed_date": d.text,
                                          "window": [w.isoformat() for w in date_window(d) or ()],
                                          "mention_start": ent.start}))
    return out


def _first_deliveries(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """"which only began deliveries in early 2024": the first delivery date."""
    out = []
    for sent in ctx.sentences:
        for m in _FIRST_DELIVERY.finditer(ctx.low, sent.start, sent.end):
            ds = [d for d in ctx.dates_in(m.end(), min(sent.end, m.end() + 25))]
            if not ds:
                continue
            ms = ctx.mentions_in(sent.start, m.start())
            ent = ms[-1] if ms else ctx.subject_before(m.start())
            if ent is None:
                continue
            d = ds[0]
            out.append(_claim("fact", ctx, sent, d.start, d.end, "first_delivery", entity_id=ent.entity_id,
                              entity=ent.text, value=None, unit="date", metric="deliveries", scope="event",
                              period=d.period or "",
                              detail={"event": "first_delivery", "claimed_date": d.text,
                                      "window": [w.isoformat() for w in date_window(d) or ()]}))
    return out


def _not_yet(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """"Xiaomi Auto hasn't reached 1 million yet": not crossed at the article's date."""
    out = []
    for n in ctx.numbers:
        if n.value < 1000 or n.is_money or overlaps(claims, n.start, n.end):
            continue
        sent = ctx.sentence_at(n.start)
        if not _NOT_YET.search(ctx.low[max(sent.start, n.start - 50):n.start]):
            continue
        ms = ctx.mentions_in(sent.start, n.start)
        ent = ms[-1] if ms else ctx.subject_before(n.start)
        if ent is None:
            continue
        out.append(_claim("fact", ctx, sent, n.start, n.end, "not_yet", entity_id=ent.entity_id, entity=ent.text,
                          value=n.value, unit="vehicles", bound="upper", word="not yet", metric=None,
                          scope="cumulative", detail={"not_yet": True, "threshold": n.value}))
    return out


def _word_durations(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """"nearly ten years", "about eighteen months after a model's launch"."""
    out = []
    for m in _WORD_DURATION.finditer(ctx.low):
        if overlaps(claims, m.start("n"), m.end()):
            continue
        sent = ctx.sentence_at(m.start())
        n = _WORDS[m.group("n")]
        unit = m.group("unit")
        months = n * 120 if unit.startswith("decade") else n * 12 + 6
        word = m.group("word")
        bound = qualifier(word + " " if word else "")[1]
        tail = ctx.text[m.end():min(sent.end, m.end() + 60)]
        after = re.match(r"\s+after\s+(?:the\s+)?(?:launch|debut|first deliver\w*)\s+of\s+(?:the\s+)?", tail,
                         re.IGNORECASE)
        ents = ctx.mentions_in(m.end(), m.end() + (after.end() + 25 if after else 0)) if after else []
        ent = ents[0] if ents else None
        ds = ctx.dates_in(sent.start, m.start())
        generic = bool(re.search(r"\b(?:established|traditional|legacy|most|other)\s+(?:automakers|carmakers|"
                                 r"makers|brands|players)", ctx.low[sent.start:m.start()]))
        out.append(_claim("duration", ctx, sent, m.start("n"), m.end(), "word_duration",
                          entity_id=ent.entity_id if ent else None, entity=ent.text if ent else "",
                          value=float(months), unit="months", word=word, bound=bound if bound != "exact" else (
                              "approx" if unit.startswith("decade") else "exact"), metric=None, scope="cumulative",
                          detail={"written": ctx.text[m.start("n"):m.end()], "from_event": "first_delivery"
                                  if after else None, "to_date": ds[-1].period if ds and after else None,
                                  "to_date_text": ds[-1].text if ds and after else None, "generic": generic,
                                  "rounding_months": 12 if unit.startswith("decade") else 3}))
    return out


def other_numbers(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """Numbers no claim covers that count something evpace holds no data on (stations, countries,
    technologies) or are prices: each gets an 'unverifiable' line, so no figure goes unmentioned."""
    out = []
    for n in ctx.numbers:
        if overlaps(claims, n.start, n.end) or n.unit == "ordinal" or n.is_percent:
            continue
        if not re.search(r"\d", n.text) or (n.value < 10 and not n.is_money):
            continue  # "two fronts", "one after another": words, not figures
        sent = ctx.sentence_at(n.start)
        if n.is_money:
            kind_unit, noun = "money", n.unit or "money"
        else:
            m = _OTHER_NOUN.match(ctx.low, n.end)
            if not m:
                continue
            kind_unit, noun = "other", m.group("noun")
        ms = ctx.mentions_in(sent.start, n.start)
        ent = ms[-1] if ms else None
        word, bound = qualifier(ctx.text[sent.start:n.start], ctx.text[n.end:n.end + 12])
        out.append(_claim("fact", ctx, sent, n.start, n.end, "other_number", entity_id=ent.entity_id if ent else None,
                          entity=ent.text if ent else "", value=n.value, unit=kind_unit, word=word, bound=bound,
                          metric=None, detail={"noun": noun}))
    return out




DETECTORS = (_run_rates, _forwards, _ranks, _counts, _milestone_periods, _first_deliveries, _not_yet,
             _word_durations)
