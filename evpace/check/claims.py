"""Numeric claims of an article: the extractor's figures, turned into claims, plus the claim types the
extractor does not emit, read from the sentences themselves.

From the extractor (:func:`evpace.extract.extract`):

* a volume figure → ``fact`` (actual or target), or ``forward`` when it is expected/forecast;
* a percent change → ``percent_change``, or ``target_arithmetic`` when it is a target's increase over an
  earlier year;
* "2.3 times" → ``ratio``; "took 58 months", "343 days" → ``duration``.

Read from the sentences by :mod:`evpace.check.patterns` (names in :data:`PATTERNS`):

* ``run_rate``: "keeping that monthly pace up would mean roughly 600,000 a year" after a monthly figure;
* ``forward``: "on track to cross 1 million within 2026", "is expected to do so in early 2026";
* ``rank``: "the first of the start-ups to get there", "fastest automaker to reach one million"
  (with "could"/"would", a forward-looking rank), "the remaining five are all in the club now" (a count);
* ``fact`` about dates: "reached that milestone in 2025" (a crossing year), "began deliveries in early
  2024" (the first delivery), "hasn't reached 1 million yet" (not yet crossed);
* ``duration`` in words: "a decade", "a year and a half";
* numbers about something evpace holds no data on ("12 technologies", "30 countries", prices) become
  ``fact`` claims with unit ``other`` / ``money``, so that every figure in the article gets a line.

Everything here is a pure function of the document and the registry. Claims of one statement are then
linked (:func:`_link`): "150,000 within six months", the figures a ratio compares, a milestone "on the
same day".
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..entities import Registry
from ..extract import context_year, default_registry, extract
from ..extract.dates import DateMatch, find_dates
from ..extract.facts import Extracted
from ..extract.numbers import NumberMatch, drop_overlapping, find_numbers
from ..extract.text import Mention, Sentence, finder_for, sentences
from ..model import Document
from .tolerance import qualifier

KINDS = ("fact", "percent_change", "ratio", "run_rate", "duration", "rank", "target_arithmetic", "forward")

#: Names of the sentence patterns read here (a claim's ``origin`` is ``pattern:<name>``).
PATTERNS = ("run_rate", "forward_crossing", "rank", "count", "milestone_period", "first_delivery", "not_yet",
            "word_duration", "other_number")


@dataclass
class Claim:
    """One numeric statement of the article. ``start``/``end`` span the figure (or the phrase that
    carries the claim, for claims without a figure) in the document text."""

    kind: str
    quote: str
    start: int
    end: int
    sentence_start: int
    entity_id: str | None
    entity: str = ""
    value: float | None = None
    unit: str = "vehicles"  # vehicles | percent | times | months | days | years | date | rank | count | other | money
    number_text: str = ""
    word: str | None = None  # the hedge or bound word as written ("about", "more than")
    bound: str = "exact"  # exact | approx | lower | upper
    metric: str | None = "deliveries"
    scope: str = ""
    period: str = ""
    claim_kind: str = "actual"  # actual | target | expected
    change: str = ""
    from_threshold: float | None = None
    to_threshold: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    origin: str = "extractor"


# -- the document, indexed ------------------------------------------------------------------------------
class DocContext:
    """Sentences, entity mentions, numbers and dates of one document, with lookups by position."""

    def __init__(self, doc: Document, registry: Registry) -> None:
        self.doc = doc
        self.text = doc.text
        self.low = doc.text.lower()
        self.registry = registry
        pub = _date(doc.published)
        self.published = pub
        self.dates = [d for d in find_dates(self.text, pub, None if pub else context_year(self.text))
                      if not _false_date(self.text, d)]
        self.numbers = sorted(drop_overlapping(find_numbers(self.text), self.dates), key=lambda n: n.start)
        self.mentions = finder_for(registry).find(self.text)
        self.sentences = sentences(self.text)
        self._s_starts = [s.start for s in self.sentences]

    def sentence_at(self, pos: int) -> Sentence:
        i = max(bisect.bisect_right(self._s_starts, pos) - 1, 0)
        return self.sentences[i]

    def sentence_index(self, pos: int) -> int:
        return max(bisect.bisect_right(self._s_starts, pos) - 1, 0)

    def mentions_in(self, lo: int, hi: int) -> list[Mention]:
        return [m for m in self.mentions if lo <= m.start < hi]

    def numbers_in(self, lo: int, hi: int) -> list[NumberMatch]:
        return [n for n in self.numbers if lo <= n.start < hi]

    def dates_in(self, lo: int, hi: int) -> list[DateMatch]:
        return [d for d in self.dates if lo <= d.start < hi and d.period]

    def subject_before(self, pos: int, sentences_back: int = 3) -> Mention | None:
        """The maker named last before ``pos`` (groups and brands first), within a few sentences."""
        i = self.sentence_index(pos)
        lo = self.sentences[max(i - sentences_back, 0)].start
        ms = [m for m in self.mentions if lo <= m.start < pos]
        orgs = [m for m in ms if m.kind != "model"]
        return (orgs or ms or [None])[-1]

    def threshold_before(self, pos: int, sentences_back: int = 3) -> float | None:
        """The milestone talked about last ("that mark", "do so"): a round figure of 100,000 or more, or a
        "million" written in words, in this sentence before ``pos`` or a few sentences back."""
        i = self.sentence_index(pos)
        lo = self.sentences[max(i - sentences_back, 0)].start
        best: tuple[int, float] | None = None
        for n in self.numbers:
            if lo <= n.start < pos and milestone_value(n.value) and not n.is_money:
                best = (n.start, n.value)
        for m in _MILLION_WORD.finditer(self.low, lo, pos):
            if best is None or m.start() > best[0]:
                best = (m.start(), 1_000_000.0)
        return best[1] if best else None


_MILLION_WORD = re.compile(r"\bmillion[- ](?:unit|delivery|vehicle|car|mark|club|threshold|milestone)")


def _false_date(text: str, d: DateMatch) -> bool:
    """"Lei Jun" is a name, not June."""
    return d.precision == "month" and d.text[:1].isupper() and len(d.text) == 3 and not re.search(
        r"\d", text[d.end:d.end + 6]) and bool(re.search(r"[A-Z][a-z]+\s$", text[max(0, d.start - 12):d.start]))


def _date(s: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def milestone_value(v: float) -> bool:
    return v >= 100_000 and v % 50_000 == 0


def date_window(d: DateMatch | None) -> tuple[dt.date, dt.date] | None:
    """First and last day a date expression covers ("early 2026" = January to April 2026)."""
    if d is None or not d.period:
        return None
    p = d.period.split("/")[-1]
    try:
        if d.precision == "day" or len(p) == 10:
            day = dt.date.fromisoformat(p)
            return day, day
        y = int(p[:4])
        if d.precision == "year" or len(p) == 4:
            months = {"early": (1, 4), "start": (1, 3), "mid": (5, 8), "late": (9, 12), "end": (10, 12)}.get(
                d.qualifier or "", (1, 12))
            return dt.date(y, months[0], 1), dt.date(y, months[1], calendar.monthrange(y, months[1])[1])
        if "Q" in p:
            q = int(p[-1])
            return dt.date(y, 3 * q - 2, 1), dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        if "H" in p:
            h = int(p[-1])
            return dt.date(y, 6 * h - 5, 1), dt.date(y, 6 * h, calendar.monthrange(y, 6 * h)[1])
        m = int(p[5:7])
        last = calendar.monthrange(y, m)[1]
        days = {"early": (1, 10), "start": (1, 10), "mid": (11, 20), "late": (21, last), "end": (21, last)}.get(
            d.qualifier or "", (1, last))
        return dt.date(y, m, days[0]), dt.date(y, m, days[1])
    except ValueError:
        return None


def latest_date_mentioned(doc: Document) -> dt.date | None:
    """The latest day named in an undated article (else the end of the latest month named): the article
    cannot have been written before it. Years alone ("by 2030") are plans, not news, and do not count."""
    text = doc.text
    ds = [d for d in find_dates(text, None, context_year(text)) if d.period and not _false_date(text, d)]
    days = [date_window(d)[1] for d in ds if d.precision == "day" and date_window(d)]
    if days:
        return max(days)
    months = [date_window(d)[1] for d in ds if d.precision == "month" and date_window(d)]
    return max(months) if months else None


# -- claims from the extractor ----------------------------------------------------------------------------
_VEHICLE_NOUN = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:vehicles?|units?|cars?|evs?|nevs?|deliveries|suvs?|sedans?)\b")
MODAL = re.compile(r"\b(?:could|may|might|would|will|set to|on track|poised|aims?|aiming|hopes?|expected|"
                    r"likely)\b")
_DOUBLING_DOWN = re.compile(r"doubl\w*\s+down|tripl\w*\s+down")


def _from_extracted(x: Extracted, ctx: DocContext) -> Claim | None:
    text = ctx.text
    sent = ctx.sentence_at(x.start)
    word, bound = qualifier(text[sent.start:x.start], text[x.end:x.end + 12])
    if x.number_text.endswith(("-plus", "+")):
        word, bound = "-plus", "lower"
    if word is None and x.bound != "exact":
        bound = x.bound  # a bound the extractor read that we have no word for
    c = Claim(kind="fact", quote=sent.text, start=x.start, end=x.end, sentence_start=sent.start,
              entity_id=x.entity_id, entity=x.entity, value=x.value, unit=x.unit, number_text=x.number_text,
              word=word, bound=bound, metric=x.metric, scope=x.scope, period=x.period, claim_kind=x.kind,
              change=x.change, from_threshold=x.from_threshold, to_threshold=x.to_threshold)
    low_after = ctx.low[x.end:x.end + 40]
    if x.unit == "vehicles":
        num = next((n for n in ctx.numbers if n.start == x.start), None)
        if x.value < 1000 and not (num and num.unit in ("vehicles", "ordinal")) and not _VEHICLE_NOUN.match(
                text[x.end:x.end + 30]):
            return None  # "12 full-stack technologies": not a volume (left to the other-number pass)
        c.detail["ordinal"] = bool(num and num.unit == "ordinal")
        if c.detail["ordinal"] and c.claim_kind != "actual" and not MODAL.search(ctx.low[sent.start:x.start]):
            c.claim_kind = "actual"  # "marked its 270,000th delivery": a count reached, not a target
        c = _fix_year(c, ctx, sent)
        if x.kind == "expected":
            c.kind = "forward"
        return c
    if x.unit == "percent":
        host_target = x.kind in ("target", "expected")
        c.kind = "target_arithmetic" if host_target and x.change.startswith("vs ") or (
            host_target and re.search(r"increase|growth|rise|up\b|higher|more than", ctx.low[x.end:x.end + 40])
        ) else "percent_change"
        if c.kind == "target_arithmetic" and not c.change:
            c.change = f"vs {int(x.period[:4]) - 1}" if x.period[:4].isdigit() else ""
        return c
    if x.unit == "times":
        if _DOUBLING_DOWN.match(ctx.low[x.start:x.end + 10]) or low_after.startswith(" down"):
            return None  # "doubling down on": an idiom
        c.kind = "ratio"
        return c
    if x.unit in ("months", "days", "years"):
        c.kind = "duration"
        return c
    return None


def _fix_year(c: Claim, ctx: DocContext, sent: Sentence) -> Claim:
    """A target or forecast for "the year" takes the year the sentence names when it names one and the
    extractor chose another (it resolves "for the year" from the publication date)."""
    if c.scope != "year" or c.claim_kind == "actual" or not c.period[:4].isdigit():
        return c
    years = sorted({d.period for d in ctx.dates_in(sent.start, sent.end) if d.precision == "year"
                    and len(d.period) == 4 and not d.relative})
    if len(years) == 1 and years[0] != c.period:
        c.detail["period_note"] = f"year read from the sentence ({years[0]}), not {c.period}"
        c.period = years[0]
    return c


def overlaps(claims: list[Claim], start: int, end: int) -> Claim | None:
    """The first claim whose span overlaps ``start``..``end``."""
    return next((c for c in claims if c.start < end and start < c.end), None)


def _thresholds_used(claims: list[Claim], ctx: DocContext) -> list[tuple[int, int]]:
    """Spans of figures that are a duration's thresholds ("from 500,000 to 1 million"), so that they are
    not read again as claims of their own."""
    spans = []
    for c in claims:
        if c.kind != "duration":
            continue
        sent = ctx.sentence_at(c.start)
        for n in ctx.numbers_in(sent.start, sent.end):
            if n.value in (c.from_threshold, c.to_threshold) and not overlaps(claims, n.start, n.end):
                spans.append((n.start, n.end))
    return spans


_COMPARED = re.compile(r"\s*(?:more|less|fewer|higher|lower|above|below|ahead of|behind)(?:\s+than)?\b")
_SAME_DAY = re.compile(r"same day|that day|the same time|on that date")
_THAN = re.compile(r"\b(?:than|as|compared (?:with|to)|versus|vs\.?)\b")


def _link(claims: list[Claim], ctx: DocContext) -> None:
    """Tie claims of one statement together: a figure and the span it took ("150,000 within six months"),
    a ratio and the figures it compares, a milestone "on the same day" and that day."""
    for c in claims:
        sent = ctx.sentence_at(c.start)
        i = ctx.sentence_index(c.start)
        if c.unit == "vehicles" and c.scope == "cumulative" and c.kind == "fact" and not c.period:
            prev_lo = ctx.sentences[max(i - 1, 0)].start
            days = [d for d in ctx.dates_in(prev_lo, c.start) if d.precision == "day"]
            if days and (_SAME_DAY.search(ctx.low[sent.start:sent.end]) or ctx.dates_in(sent.start, c.start)):
                c.period = days[-1].period or ""
                c.detail["period_note"] = f"day taken from '{days[-1].text}' ('same day')"
        if c.kind == "fact" and c.unit == "vehicles" and c.scope == "cumulative":
            spans = [d for d in claims if d.kind == "duration" and d.entity_id == c.entity_id
                     and ctx.sentence_index(d.start) == i and d.to_threshold in (None, c.value)]
            if spans:
                d = spans[0]
                c.detail["within"] = {"value": d.value, "unit": d.unit, "bound": d.bound, "text": d.number_text}
                d.detail["fact_value"] = c.value
        if c.kind == "percent_change":
            m = _COMPARED.match(ctx.low, c.end)
            others = [x for x in ctx.mentions_in(c.end, m.end() + 40) if x.entity_id != c.entity_id] if m else []
            if others and others[0].start - m.end() < 25:  # "4% more than NIO": against another maker
                c.detail["other_entity"], c.detail["other_text"] = others[0].entity_id, others[0].text
        if c.kind == "ratio":
            before = ctx.mentions_in(sent.start, c.start)
            prev_lo = ctx.sentences[max(i - 1, 0)].start
            earlier = [d for d in claims if d.unit == "vehicles" and d.kind == "fact" and prev_lo <= d.start < c.start]
            if before:  # the maker named before the figure in its own sentence
                c.entity_id, c.entity = before[-1].entity_id, before[-1].text
            elif earlier:  # "That performance is 2.3 times ...": the figure just talked about
                c.entity_id, c.entity = earlier[-1].entity_id, earlier[-1].entity
            after = ctx.mentions_in(c.end, sent.end)
            than = _THAN.search(ctx.low, c.end, sent.end)
            others = [m for m in after if than and m.start >= than.start() and m.entity_id != c.entity_id] or \
                [m for m in after if m.entity_id != c.entity_id]
            if others:
                c.detail["other_entity"] = others[0].entity_id
                c.detail["other_text"] = others[0].text
            figs = [d for d in claims if d.entity_id == c.entity_id and prev_lo <= d.start < c.start]
            vol = [d for d in figs if d.unit == "vehicles" and d.kind == "fact"]
            span = [d for d in figs if d.kind == "duration" and d.unit == "months"]
            if vol:
                c.detail["figure"] = {"value": vol[-1].value, "text": vol[-1].number_text, "scope": vol[-1].scope,
                                      "period": vol[-1].period, "metric": vol[-1].metric, "bound": vol[-1].bound}
            if span:
                c.detail["months"] = span[-1].value
            c.detail["faster"] = bool(re.match(r"\s*(?:faster|quicker|more quickly)", ctx.low[c.end:c.end + 20]))


def find_claims(doc: Document, registry: Registry | None = None) -> list[Claim]:
    """Every numeric claim of a document, in text order (see the module docstring)."""
    registry = registry or default_registry()
    ctx = DocContext(doc, registry)
    claims: list[Claim] = []
    for x in extract(doc, registry):
        c = _from_extracted(x, ctx)
        if c is not None and not any(o.start == c.start and o.end == c.end for o in claims):
            claims.append(c)
    from .patterns import DETECTORS, other_numbers

    for detector in DETECTORS:
        claims += detector(ctx, claims)
    used = _thresholds_used(claims, ctx)
    # a generic milestone mention ("several upstarts have hit the 1 million mark") is context, not a claim
    placeholders = [Claim("fact", "", s, e, 0, None) for s, e in used]
    claims += other_numbers(ctx, claims + placeholders)
    _link(claims, ctx)
    return sorted(claims, key=lambda c: (c.start, c.end, c.entity_id or ""))


def with_published(doc: Document, published: dt.date | None) -> Document:
    """The document with a publication date, when it has none (relative dates then resolve)."""
    if doc.published or published is None:
        return doc
    return replace(doc, published=published.isoformat())
