"""Rules that turn sentences into facts: who, which metric, which period, how bounded, actual or target.

The rules read the words an analyst would: the maker named nearest before the figure in its clause
(or the maker being talked about, for "it", "the company" and sentences that name none), the verb
nearest the figure for the metric, the date nearest the figure for the period, scope words
(year-to-date, cumulative, since launch, "Nth vehicle"), bound words (over, about, nearly) and
target words (target, aims, guidance). Percent changes, ratios and durations become facts of their
own, tied to the volume figure they modify. See docs/extraction.md for the output contract.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from . import cues as C
from .dates import DateMatch
from .numbers import NumberMatch
from .text import Mention, Sentence

if TYPE_CHECKING:
    from ..entities import Registry

MIN_VOLUME = 10
MAX_VOLUME = 50_000_000  # no maker's count is larger: bigger figures are money or market totals


@dataclass(frozen=True, slots=True)
class Extracted:
    """One figure read from a document (see docs/extraction.md)."""

    entity: str
    entity_id: str
    metric: str
    scope: str
    period: str
    value: float
    unit: str
    bound: str
    kind: str
    start: int
    end: int
    quote: str
    sentence_start: int
    change: str = ""
    from_threshold: float | None = None
    to_threshold: float | None = None
    number_text: str = ""


@dataclass(frozen=True, slots=True)
class _Pseudo:
    """A period phrase that is not a date ("for the full year"): resolved from the context."""

    start: int
    end: int
    text: str
    period: str | None
    precision: str
    relative: bool = True
    qualifier: str | None = None


@dataclass
class _Ctx:
    """What the document has established so far."""

    subject: Mention | None = None  # last maker a sentence was about (may be a model)
    org: Mention | None = None  # last group or brand a sentence was about
    subject_had_facts: bool = False
    last: dict = field(default_factory=dict)  # entity id -> its last volume fact
    history: dict = field(default_factory=dict)  # entity id -> all its volume facts so far
    period: str = ""  # period and scope of the last actual figure's sentence
    scope: str = ""
    metric: str = ""
    target_year: str = ""  # year of the last target talked about
    day: str = ""  # the last day-precise date a figure was dated by ("on the same day")
    intro: tuple[str, str, str, bool] | None = None  # (kind, scope, period, partial) of a list's intro ("expects:")
    listed: list = field(default_factory=list)  # the makers of the last sentence that named several, in order
    question: tuple[str, str, str, str] | None = None  # (metric, kind, scope, period) of a question heading
    main_month: str = ""  # the month of the first monthly figure: what a monthly report is about
    lead: tuple[str, str] | None = None  # (period, scope) of the first dated figure: what the article is about


@lru_cache(maxsize=256)
def _without_since(low: str) -> str:
    """The text with its "since ..." phrases blanked (their verb is not the figure's metric)."""
    return C.SINCE_PHRASE.sub(lambda x: " " * len(x.group(0)), low) if "since" in low else low


@lru_cache(maxsize=256)
def _partial(clause_low: str) -> bool:
    """Does the clause count a week or a few days (no scope of ours)?"""
    return bool(C.PARTIAL_PERIOD.search(clause_low))


def _within(items: list, starts: list[int], lo: int, hi: int) -> list:
    i = bisect_left(starts, lo)
    out = []
    while i < len(items) and items[i].start < hi:
        out.append(items[i])
        i += 1
    return out


def _dist(a, b) -> int:
    """Characters between two spans (negative when they overlap)."""
    return b.start - a.end if a.end <= b.start else a.start - b.end


class DocumentReader:
    """Reads one document's sentences in order, keeping the discourse context."""

    def __init__(self, text: str, published: dt.date | None, mentions: list[Mention], dates: list[DateMatch],
                 numbers: list[NumberMatch], registry=None) -> None:
        self.text = text
        self.low_text = text.lower()
        self.published = published
        self.registry = registry
        self.mentions, self.m_starts = mentions, [m.start for m in mentions]
        self.dates, self.d_starts = dates, [d.start for d in dates]
        self.numbers, self.n_starts = numbers, [n.start for n in numbers]
        self.ctx = _Ctx()
        self._breaks: tuple[int, list[tuple[int, int]]] = (-1, [])  # clause breaks of the last sentence
        self._zh = "，" in text or "。" in text  # Chinese punctuation: periods come before their figures

    # -- per sentence -----------------------------------------------------------------------------
    def read(self, sent: Sentence) -> list[Extracted]:
        """Facts of one sentence; updates the context (subject, current period, metric)."""
        ms = [self._qualified(m, sent) for m in _within(self.mentions, self.m_starts, sent.start, sent.end)]
        nums = _within(self.numbers, self.n_starts, sent.start, sent.end)
        ds = [d for d in _within(self.dates, self.d_starts, sent.start, sent.end) if d.period]
        low = self.low_text[sent.start:sent.end]
        if self.ctx.intro is not None and not C.BULLET.match(low):
            self.ctx.intro = None  # the list an intro line opened has ended
        if self.ctx.lead and self.text[max(0, sent.start - 2):sent.start] == "\n\n" and (
                C.TIMESTAMP_LEAD.match(low) or ms and not ds and self.ctx.subject is not None
                and ms[0].start - sent.start < 12 and ms[0].entity_id != self.ctx.subject.entity_id
                and _months(self.ctx.period)[1] < _months(self.ctx.lead[0])[0]):
            # a live blog's new post; a round-up's paragraph on the next maker after a look back at an earlier
            # period ("A year ago it delivered 7,058 in April 2024"): back to the article's own period
            self.ctx.period, self.ctx.scope = self.ctx.lead
        out = self._facts(sent, low, ms, ds, nums) if nums else []
        question, self.ctx.question = self.ctx.question, None
        if question is not None and out:
            out = self._answer(sent, out, question, bool(ds))
        if ms:
            self._set_subject(ms, sent, out)
            named = list({m.entity_id: m for m in ms if any(f.entity_id == m.entity_id for f in out)}.values())
            if len(named) >= 2:
                self.ctx.listed = named
        small = not out and all(n.value < 100 and not n.is_percent for n in nums)  # "Seven makers reported..."
        ds_told = [d for d in ds if not C.COMPARED_BASE.search(self.low_text, max(0, d.start - 40), d.start)]
        topic = [d for d in ds_told if C.POSSESSIVE_OPENING.fullmatch(self.low_text, sent.start, d.start)
                 or d.start - sent.start <= 2 and d.precision in ("month", "quarter", "half")]  # "July on its own"
        if small and ds_told and (C.PERIOD_TALK.search(low) or topic):  # "XPeng's 2025 was extraordinary."
            d = (topic or ds_told)[-1]  # "December itself was the busiest month in its history." dates what follows
            # (not "MoM = vs Aug": a comparison's base)
            if (d.precision in ("month", "quarter", "half") or d.precision == "year" and (
                    not self.ctx.period or topic)) and \
                    not _is_event(self, d) and \
                    C.kind_of(low, "") == "actual":  # not "it expects the L6 to lift sales in the second quarter"
                self.ctx.period, self.ctx.scope = d.period, _scope_of(d.precision)
                metric = C.nearest_keyword(C.METRIC_RES, low, len(low))
                if metric:  # "Monday's batch of August delivery reports ...": what the figures after it count
                    self.ctx.metric = metric
        if small and not ds and not nums and self.ctx.main_month and self.ctx.scope != "month" and \
                C.MONTH_TALK.search(low):  # "The rivals had a stronger month.": back to the report's month
            self.ctx.period, self.ctx.scope = self.ctx.main_month, "month"
        if not out and not ds and self.ctx.lead and self._is_heading(sent):
            self.ctx.period, self.ctx.scope = self.ctx.lead  # a new section: back to the article's own period
        if not out and ds_told and self._is_heading(sent) and C.kind_of(low, "") == "actual":
            d = ds_told[-1]  # "**Q3 2025 at a glance**", "### June deliveries": the period of what follows
            if d.precision in ("month", "quarter", "half", "year") and getattr(d, "qualifier", None) != "estimate" \
                    and not _is_event(self, d):
                self.ctx.period, self.ctx.scope = d.period, _scope_of(d.precision)
        if not out and low.rstrip().endswith(("?", "？")) and self._is_heading(sent):
            d = ds[-1] if ds else None  # "How many cars did Xiaomi deliver in 2024?": what the answer counts
            self.ctx.question = (C.nearest_keyword(C.METRIC_RES, low, len(low)) or "", C.kind_of(low, ""),
                                 _scope_of(d.precision) if d else "", d.period if d else "")
        alone = self.text[max(0, sent.start - 1):sent.start] in ("", "\n") and \
            self.text[sent.end:sent.end + 1] in ("", "\n")  # a line of its own, not a sentence inside a paragraph
        short = not nums and len(low) < 90 and alone and (self._is_heading(sent) or not C.ORDERS_ONLY.search(low))
        if not out and (low.rstrip().endswith(":") or short):
            # a heading such as "Deliveries in July:" sets the metric and period of a list
            metric = C.nearest_keyword(C.METRIC_RES, low, len(low))
            if metric:
                self.ctx.metric = metric
            if ds and low.rstrip().endswith(":"):
                self.ctx.period, self.ctx.scope = ds[-1].period, _scope_of(ds[-1].precision)
            if low.rstrip().endswith(":"):  # "For the second quarter, the company expects:" + bullets
                kind = C.kind_of(low, "")
                d = ds[-1] if ds else None
                self.ctx.intro = (kind, _scope_of(d.precision) if d else "", d.period if d else "",
                                  bool(C.PARTIAL_PERIOD.search(low)))
        return out

    def _group_of_listed_brands(self, before: list[Mention]) -> Mention | None:
        """The group whose brands are listed right before the figure ("its NIO, ONVO and Firefly brands")."""
        last = before[-1]
        brands = C.BRANDS_AFTER.match(self.low_text, last.end) if self.registry is not None else None
        if brands is None:
            return None
        listed = [last]
        for m in reversed(before[:-1]):
            if not C.LIST_GAP.fullmatch(self.low_text, m.end, listed[0].start):
                break
            listed.insert(0, m)
        owners = {m.parent or m.entity_id for m in listed}
        if len(listed) < 2 or len(owners) != 1:
            return None
        e = self.registry.get(owners.pop())
        return Mention(listed[0].start, brands.end(), e.name, e.id, e.kind, e.parent)

    def _aside_model(self, m: Mention) -> bool:
        """A model named in an appositive about the maker's car ("its first car, the SU7 sedan,"): not the subject."""
        return m.kind == "model" and bool(C.MODEL_APPOSITIVE.search(self.low_text, max(0, m.start - 40), m.start))

    def _quoted(self, pos: int) -> bool:
        """Is ``pos`` inside quoted speech ("We handed over 41,948 cars last month," she said)?"""
        para = self.text.rfind("\n\n", 0, pos) + 1
        opened = max(self.text.rfind("“", para, pos), -1)
        if opened >= 0:
            return self.text.find("”", opened, pos) == -1
        return self.text.count('"', para, pos) % 2 == 1

    def _heads(self, d, o: NumberMatch, *, noun: bool = False) -> bool:
        """Does date ``d`` lead straight into figure ``o``: "its total for the first eleven months to 441,995",
        or (only this with ``noun``) through a metric noun: "fourth-quarter volume to 116,249", "January-April
        deliveries of 93,693"?"""
        if not noun and C.DATE_THEN_FIGURE.fullmatch(self.low_text, d.end, o.start):
            return True
        noun = C.METRIC_NOUN_AFTER.match(self.low_text[d.end:d.end + 25])
        return noun is not None and bool(C.DATE_THEN_FIGURE.fullmatch(self.low_text, d.end + noun.end(), o.start))

    def _trails(self, d, n: NumberMatch, o: NumberMatch) -> bool:
        """Is date ``d``, after figures ``n`` and then ``o``, o's rather than n's? "25,287, ..., and 50,457 since
        January 1" (a total right after o), "climbed from 14,567 to 20,116 in June" (where it got to), "the
        144,200 it delivered in 2023" (o's own verb), "the nearly 111,200 of 2022"."""
        after_o = d.start - o.end
        if self.low_text[o.end:d.start] == " of ":
            return True
        if 0 <= after_o <= 30 and C.TOLD_AFTER.match(self.low_text, o.end):
            return True
        if not 0 <= after_o <= 12:
            return False
        totals = d.precision == "ytd" or d.precision in ("half", "quarter") and re.search(
            r"\bfor (?:the )?$", self.low_text[max(0, d.start - 8):d.start])
        return bool(totals or C.MOVED_FROM.search(self.low_text, max(0, n.start - 40), n.start))

    def _owns(self, d, n: NumberMatch, nums: list[NumberMatch]) -> bool:
        """Is ``d`` the figure's own date, whatever else is near: "July's 21,017" (even as a comparison's
        base), "Aug 14.0k", "in March, when it handed over 41,053", "than in 2024 (293,724)"."""
        gap = n.start - d.end
        between = self.text[d.end:n.start]
        if 0 <= gap <= 4 and between.rstrip() in ("'s", "’s") or 0 <= gap <= 30 and C.POSSESSIVE_RECORD.fullmatch(
                self.low_text, d.end, n.start):
            return True  # ("December's record 48,135")
        if d.precision == "month" and 0 < gap <= 2 and not between.strip() and not self.text[d.end - 1].isdigit():
            return True
        if 0 < gap <= 3 and between.strip() == "(":
            return True
        if 0 < gap <= 40 and d.precision in ("ytd", "range", "quarter", "half") and self._heads(d, n, noun=True):
            return True  # "Its January-April deliveries of 93,693"
        return 0 < gap <= 60 and bool(C.WHEN_AFTER_DATE.match(self.low_text, d.end)) and not any(
            d.end <= o.start < n.start for o in nums)

    def _counts_something_else(self, sent: Sentence, n: NumberMatch) -> bool:
        """A bare figure whose nearest count noun before it, in its sentence, is not a vehicle one ("3,900
        supercharging stations ... another 600 by the end of the year")."""
        lo = max(sent.start, n.start - 120)
        nouns = list(C.COUNT_NOUN.finditer(self.low_text, lo, n.start))
        return bool(nouns) and nouns[-1].group("other") is not None

    def _answer(self, sent: Sentence, out: list[Extracted], question: tuple[str, str, str, str],
                dated: bool) -> list[Extracted]:
        """The figure an answer opens with ("Just over 139,000, in nine months of sales.") counts what the
        question heading above asked for: its metric, its kind (a target, a forecast) and, when the answer
        names no date, its period."""
        metric, kind, scope, period = question
        first = out[0]
        if first.unit != "vehicles" or not C.ANSWER_LEAD.fullmatch(self.low_text, sent.start, first.start):
            return out
        changed = replace(first, metric=metric or first.metric,
                          kind=kind if kind != "actual" and first.kind == "actual" else first.kind)
        if period and not dated:
            changed = replace(changed, scope=scope, period=period)
        return [changed] + out[1:]

    def _is_heading(self, sent: Sentence) -> bool:
        """A heading: "### June deliveries", "**Q3 2025 at a glance**", or a short line of its own with no
        closing punctuation (readers drop the Markdown marks)."""
        if C.HEADING.match(sent.text):
            return True
        t = sent.text.rstrip()
        alone = self.text[max(0, sent.start - 1):sent.start] in ("", "\n") and \
            self.text[sent.end:sent.end + 1] in ("", "\n")
        return alone and len(t) < 70 and not t.endswith((".", "!", ":", ";", ",", "。", "：", "，"))  # (a question too)

    def remember(self, facts: list[Extracted]) -> None:
        """Volume facts read elsewhere (a table) join the context later sentences refer back to."""
        for f in facts:
            if f.unit == "vehicles":
                self.ctx.last[f.entity_id] = f
                self.ctx.history.setdefault(f.entity_id, []).append(f)

    def _set_subject(self, ms: list[Mention], sent: Sentence, out: list[Extracted]) -> None:
        head = self.low_text[sent.start:ms[0].start]
        if re.match(r"\W*(?:it|its|the (?:plant|factory|site|facility|company|automaker|carmaker|group|firm|model|"
                    r"car|vehicle|suv|sedan|brand|maker))\b", head) and not out:
            return  # "The plant has become the most productive in Tesla's network": still about the plant
        named = [m for m in ms if not C.NOT_SUBJECT_BEFORE.search(self.low_text, max(sent.start, m.start - 60),
                                                                  m.start)] or [  # not "rivals from Leapmotor, AITO"
            m for m in ms if any(f.entity_id == m.entity_id for f in out)]  # ("deliveries from NIO rose to ...")
        if not named:
            return  # "its wagon met cheaper rivals from Leapmotor and XPeng": still about the same maker
        first = named[0] if named[0].start - sent.start < 40 else named[-1]
        nxt = [m for m in ms if m.start > first.end and m.start - first.end < 40 and m.parent == first.entity_id]
        if nxt and self.text[first.end:first.end + 2] in ("'s", "’s"):
            first = nxt[0]  # "Xiaomi's second model, the YU7, ...": the model is what the sentence is about
        first = self._qualified(first, sent)  # "Shipments from Tesla's Shanghai factory ...": Tesla China
        self.ctx.subject = first
        lead = ms[0].start - sent.start < 25 and not C.BREAKDOWN_START.match(self.low_text[sent.start:sent.end])
        models = {m.entity_id for m in ms if m.kind == "model"}
        self.ctx.subject_had_facts = lead and any(f.entity_id == first.entity_id for f in out) and len(models) < 2
        # ("The YU7 accounted for 33,662 of those and the SU7 for 14,992": a breakdown, not a new subject)
        orgs = [m for m in named if m.kind != "model"]
        if orgs:
            org = self._qualified(orgs[0] if orgs[0].start - sent.start < 40 else orgs[-1], sent)
            cur = self.ctx.org
            if cur is None or org.parent != cur.entity_id or self._narrowed(org):
                # ("the NIO brand contributed...": still NIO Inc.; "Tesla ... at its Shanghai factory": Tesla China)
                self.ctx.org = org

    def _narrowed(self, m: Mention) -> bool:
        """Was a group's name read as one of its brands by a word elsewhere in the sentence ("Tesla ... in China")?"""
        if self.registry is None or m.kind != "brand" or m.parent is None:
            return False
        e = self.registry.get(m.entity_id)
        return re.sub(r"[\s-]+", " ", m.text.lower()) not in {a.lower() for a in (e.name, *e.aliases)} and not re.match(
            r"[\s-]*(?:brand(?:ed)?|marque)\b", self.low_text[m.end:m.end + 12])

    def _qualified(self, m: Mention, sent: Sentence) -> Mention:
        """A group named with the distinguishing word of one of its brands ("Tesla ... China-made") is that brand."""
        if self.registry is None or m.kind != "group":
            return m
        branded = re.match(r"[\s-]*(?:brand(?:ed)?|marque)\b", self.low_text[m.end:m.end + 12]) is not None
        for child, same_name, words in _brand_words(self.registry, m.entity_id, m.text.lower()):
            if branded and same_name:
                return Mention(m.start, m.end, m.text, child.id, child.kind, child.parent)  # "the NIO brand"
            if words is not None and words.search(self.low_text, sent.start, sent.end):
                return Mention(m.start, m.end, m.text, child.id, child.kind, child.parent)  # "Tesla ... China-made"
        return m

    def _as_brand(self, m: Mention) -> Mention:
        """A group named where its brand is meant: the brand of the same name."""
        if self.registry is None or m.kind != "group":
            return m
        for child in self.registry.children(m.entity_id):
            if any(a.lower().startswith(m.text.lower()) for a in (child.name, *child.aliases)):
                return Mention(m.start, m.end, m.text, child.id, child.kind, child.parent)
        return m

    def _subject_for(self, head: str) -> Mention | None:
        """The maker a sentence without a name of its own is about."""
        if C.SUBJECT_REF.search(head) and self.ctx.org is not None:
            if self.ctx.subject is not None and self.ctx.subject.kind == "model" and self.ctx.subject_had_facts \
                    and not re.search(r"company|automaker|carmaker|group|firm|maker", head):
                return self.ctx.subject
            return self.ctx.org
        if self.ctx.subject is not None and self.ctx.subject.kind == "model" and self.ctx.subject_had_facts:
            return self.ctx.subject
        return self.ctx.org or self.ctx.subject

    # -- the figures of a sentence ----------------------------------------------------------------
    def _facts(self, sent: Sentence, low: str, ms: list[Mention], ds: list, nums: list[NumberMatch]):
        volumes, percents, others = self._classify(sent, nums)
        if not (volumes or percents or others):
            return []
        pseudo = self._pseudo_dates(sent, low, ds)
        ds = [d for d in ds if not any(_dist(d, p) < 0 for p in pseudo)] + pseudo
        date_for = self._assign_dates(volumes, ds)
        if "respectively" in low:
            date_for.update(self._dates_respectively(volumes, ds))
        ranges = self._ranges(volumes)
        durations = [n for k, n, _ in others if k == "duration"]
        portions = [n for k, n, _ in others if k == "portion"]
        others = [o for o in others if o[0] != "portion"]
        thresholds = {n.start: self._thresholds(sent, n, volumes, durations, portions) for n in durations}
        skip = set().union(*(t[2] for t in thresholds.values())) if thresholds else set()
        respectively = self._respectively(low, ms, volumes)
        facts: list[Extracted] = []
        for n in volumes:
            if n.start in skip:
                continue
            first = ranges.get(n.start)
            d = date_for.get(first.start if first else n.start)
            prev = [f for f in facts if f.unit == "vehicles"]
            if d is None and prev and prev[-1].period:  # a list: "NIO delivered A in 2025, ONVO B, Firefly C"
                d = _Pseudo(prev[-1].start, prev[-1].end, "", prev[-1].period, _precision_of(prev[-1]))
            f = self._volume(sent, low, n, ms, d, respectively.get(n.start), facts)
            if f is None:
                continue
            if n.start in ranges or any(r is n for r in ranges.values()):
                if f.kind == "actual" and f.scope in ("month", "day") and f.period[:4].isdigit():
                    f = replace(f, scope="year", period=f.period[:4])  # "In March it cut that to a range of ...":
                    # the month the range was set, not the period it is for
                f = replace(f, bound=("upper" if first else "lower") if f.bound == "exact" else f.bound,
                            kind="target" if f.kind == "actual" else f.kind)
                if first:
                    lead = next((x for x in facts if x.start == first.start), None)
                    if lead:
                        f = replace(f, scope=lead.scope, period=lead.period, kind=lead.kind, metric=lead.metric)
            if f.bound in ("lower", "upper") and f.kind == "actual" and C.STREAK.search(low) and any(
                    h.period == f.period and h.scope == f.scope and h.bound == "exact" and h.unit == "vehicles"
                    for h in (*self.ctx.history.get(f.entity_id, ()), *facts)):
                continue  # "deliveries have exceeded 30,000 for three consecutive months" after June's 35,169:
                # a streak told of a month whose figure is known, not a figure of its own
            if f.kind == "actual" and f.scope == "year" and self.published and f.period == str(
                    self.published.year) and isinstance(d, _Pseudo) and d.text.lower() == "for the year":
                end = self._ytd_end()  # "That took its tally for the year to 391,937" in early December: the
                if end and end[:4] == f.period:  # year so far
                    f = replace(f, scope="ytd", period=f"{end[:4]}-01/{end}")
            if f.kind == "actual" and getattr(d, "relative", False) and self.published and not C.NOW.search(low):
                f = replace(f, period=_ended_by(f.period, f.scope, self.published))  # what happened has happened
            elif f.kind != "actual" and getattr(d, "relative", False) and self.published and re.fullmatch(
                    r"\d{4}-\d{2}", f.period) and f.period < self.published.strftime("%Y-%m") and d.text[:1].isupper():
                f = replace(f, period=f"{int(f.period[:4]) + 1}{f.period[4:]}")  # "crosses 1 million in October":
                # the coming October
            facts.append(f)
        self._rebase(sent, low, facts, ranges)
        lead = ds[0] if ds and ds[0].start == sent.start and ds[0].precision == "month" else None
        if lead is not None and C.FIRST_MONTH_LEAD.match(low):  # "May was the first month of 2024 in which XPeng's
            for i, f in enumerate(facts):                        # deliveries exceeded 10,000 units": May's
                if f.unit == "vehicles" and f.scope == "year" and f.period == lead.period[:4]:
                    facts[i] = replace(f, scope="month", period=lead.period)
        pranges = self._ranges(percents)
        presp = self._respectively(low, ms, percents)
        for n in percents:
            f = self._percent(sent, low, n, facts, ms, ds, presp.get(n.start))
            if f and (n.start in pranges or any(r is n for r in pranges.values())) and f.bound == "exact":
                high = (n.start in pranges) == (f.value >= 0)  # "a decrease of 30.7% to 37.0%": -37.0 is the low end
                f = replace(f, bound="upper" if high else "lower")
            if f:
                facts.append(f)
        for kind, n, m in others:
            f = self._other(sent, low, kind, n, m, ms, facts, thresholds.get(n.start, (None, None, set(), None)))
            if f:
                facts.append(f)
        vol = [f for f in facts if f.unit == "vehicles"]
        vol = [f for i, f in enumerate(vol) if not self._earlier_figure(f, vol[i - 1] if i else None)]
        changes = [f for f in facts if f.unit == "percent" and f.kind == "actual" and f.period
                   and f.scope in ("month", "quarter", "half", "year")]
        if not vol and changes:  # "deliveries rose 7.4% in November from October": November is talked about
            self.ctx.period, self.ctx.scope = changes[0].period, changes[0].scope
        if vol:
            dated = [f for f in vol if f.period and f.kind == "actual" and f.scope not in ("cumulative", "ytd")]
            if not self.ctx.lead and dated:
                self.ctx.lead = (dated[0].period, dated[0].scope)
            if not self.ctx.main_month:
                self.ctx.main_month = next((f.period for f in vol if f.scope == "month" and f.kind == "actual"
                                            and len(f.period) == 7), "")
            aside = dated and (C.ALONE_AFTER.match(self.low_text, dated[0].end) or C.ALONE_BEFORE.search(
                self.low_text, max(sent.start, dated[0].start - 40), dated[0].start) or (
                dated[0].scope == "quarter" and self.ctx.scope == "month" and C.THE_QUARTER.search(low)))
            if dated and not aside:
                # the sentence's main figure sets the period later sentences inherit (not "in December alone")
                self.ctx.period, self.ctx.scope = dated[0].period, dated[0].scope
            days = [f for f in vol if len(f.period) == 10]
            if days:
                self.ctx.day = days[-1].period
            targets = [f for f in vol if f.kind != "actual" and f.period[:4].isdigit()]
            if targets:
                self.ctx.target_year = targets[-1].period[:4]
            self.ctx.metric = vol[-1].metric
            for f in vol:
                self.ctx.last[f.entity_id] = f
                self.ctx.history.setdefault(f.entity_id, []).append(f)
        return facts

    def _rebase(self, sent: Sentence, low: str, facts: list[Extracted], ranges: dict[int, NumberMatch]) -> None:
        """Periods of the sentence's comparison bases and earlier goals, from the figures they are compared with
        (in place)."""
        for m in C.TO_FROM_BASE.finditer(low) if " from " in low else ():
            # "rose 182.2% to 376,030 from 133,246": the base is the same period a year earlier when it has no
            # date of its own (it took the date of the figure it is compared with)
            base = next((i for i, f in enumerate(facts) if f.start == sent.start + m.end("base")), None)
            to = [f for f in facts if f.end <= sent.start + m.start("base") and f.unit == "vehicles"]
            if base is not None and to and facts[base].period == to[-1].period and to[-1].scope in (
                    "year", "quarter", "half") and to[-1].kind == facts[base].kind == "actual" and \
                    not C.DATE_RIGHT_AFTER_FIGURE.match(self.low_text, facts[base].end):
                facts[base] = replace(facts[base], period=_year_back(to[-1].period))
        goals = [f for f in facts if f.unit == "vehicles" and f.kind == "target"]
        for i, f in enumerate(facts) if len(goals) >= 2 else ():
            new = [g for g in goals if g.end <= f.start]
            first = ranges.get(f.start)  # (the upper end of "from the 500,000 to 600,000" follows its lower end)
            head = first.start if first is not None else f.start
            if f.kind == "target" and new and C.PREVIOUS_GOAL_BEFORE.search(self.low_text, max(0, head - 40), head):
                # "raising our full-year target to between 580,000 and 650,000, from the 500,000 to 600,000 that
                # we set out last November": the earlier goal for the same year
                base = [g for g in new if g.start < head]
                if base and base[-1].period != f.period:
                    facts[i] = replace(f, scope=base[-1].scope, period=base[-1].period)
        ytd = [f for f in facts if f.unit == "vehicles" and f.scope == "ytd" and f.kind == "actual"]
        if not ytd and facts and C.THAT_IS.match(low):  # "Year to date, it has delivered 239,981. That's 38.5%
            last = self.ctx.last.get(facts[0].entity_id)  # more than the 173,251 it had managed by the end of July"
            ytd = [last] if last is not None and last.scope == "ytd" and last.kind == "actual" else []
        for i, f in enumerate(facts) if ytd else ():
            if f.unit == "vehicles" and f.scope == "cumulative" and re.fullmatch(r"\d{4}-\d{2}", f.period) and \
                    f.start > ytd[0].end and C.THAN_THE.search(self.low_text, max(0, f.start - 25), f.start):
                # "204,004 since January, 12.8% fewer than the 233,906 it had handed over by the end of July last
                # year": the base of a year-to-date figure is the same months of its own year
                facts[i] = replace(f, scope="ytd", period=f"{f.period[:4]}-01/{f.period}")

    def _earlier_figure(self, f: Extracted, prev: Extracted | None) -> bool:
        """Is ``f`` a comparison base or an earlier figure told in passing ("down from 36,279 in June",
        "vs 34,611 in June and 11,145 in July 2024", "it had delivered 27,415 in March")? Such figures are
        facts, but not what later sentences refer back to."""
        if f.kind != "actual":
            return False
        low = self.low_text
        if C.EARLIER_BEFORE.search(low[max(0, f.start - 40):f.start]) or C.WHEN_BASE_BEFORE.search(
                low, max(0, f.start - 90), f.start) or C.PLUPERFECT.search(
                low[max(0, f.start - 40):f.start]) or C.LABELLED_BEFORE.search(low[max(0, f.start - 24):f.start]):
            return True
        return prev is not None and self._earlier_figure(prev, None) and prev.end < f.start and bool(
            C.LIST_GLUE.fullmatch(low[prev.end:f.start]))

    def _classify(self, sent: Sentence, nums: list[NumberMatch]):
        volumes, percents, others = [], [], []
        hypothetical = bool(C.CONDITIONAL_SENTENCE.match(self.low_text, sent.start, sent.end))
        for i, n in enumerate(nums):
            if n.is_money or n.unit not in (None, "vehicles", "ordinal", "times"):
                continue
            after = self.text[n.end:n.end + 40]
            before = self.low_text[max(sent.start, n.start - 45):n.start]
            if i > 0 and nums[i - 1].unit is None and C.YEARS_AND_MONTHS.match(self.text[nums[i - 1].end:n.end + 10]):
                continue  # the "seven" of "one year and seven months"
            if n.unit == "times" and (n.text[-1:] == "X" or n.value > 100 or
                                      C.NOT_MULTIPLIER.match(self.low_text[n.start:n.end + 8])):
                continue  # "the 7X" is a model; "double-digit" is no ratio
            if n.is_percent and i > 0 and nums[i - 1].is_money and n.start - nums[i - 1].end < 30:
                continue  # "revenue was RMB 44.3 billion, up 6.1%"
            if n.is_percent or n.unit == "times":
                if hypothetical:
                    continue  # "If this year's second half were 30% stronger"
                if C.PERCENT_SKIP.match(after) or C.PERCENT_SKIP_BEFORE.search(before) or self._financial(sent, n) \
                        or self._retracted(sent, n):
                    continue
                if n.is_percent:
                    percents.append(n)
                else:
                    others.append(("times", n, None))
                continue
            dur = C.YEARS_AND_MONTHS.match(after) or C.DURATION_UNIT.match(after)
            if dur:
                pre = self.low_text[max(sent.start, n.start - 30):n.start]
                post = self.low_text[n.end + dur.end():n.end + dur.end() + 12]
                # "The 2 millionth followed on Sept. 6, 2023, just under 13 months later": between milestones
                later = bool(re.match(r"\s*later\b", post)) and any(o.unit == "ordinal" and o.start < n.start
                                                                    for o in nums)
                if not C.PAST.search(pre) and (C.DURATION_CUE.search(pre) or C.DURATION_AFTER.match(post)
                                               or C.DURATION_TO.match(post) or later) and (later or not re.match(
                        r"\s*(?:earlier|ago|later|before|prior|since|previously)", post)) and \
                        C.DURATION_CONTEXT.search(self.low_text[sent.start:sent.end]):
                    others.append(("duration", n, dur))
                continue
            if C.PORTION_BEFORE.search(before) and re.match(r"[^.;]{0,25}\b(?:took|needed|came|required|were built|"
                                                            r"were delivered|were produced|were sold|in (?:about |"
                                                            r"around |roughly |just |only |under |less than )?"
                                                            r"[\w-]+ (?:months|years|days|weeks))\b",
                                                            self.low_text[n.end:n.end + 40]):
                others.append(("portion", n, None))
                continue  # "the latest 400,000 took about 10 months": a span between milestones
            if n.value < (1000 if n.unit == "ordinal" else MIN_VOLUME) or (n.value < 100 and n.unit != "vehicles") \
                    or n.value > MAX_VOLUME:
                continue
            if C.TICKER_BEFORE.search(before) or C.MARGIN_BEFORE.search(before) or C.CAPACITY_BEFORE.search(
                    self.low_text[max(sent.start, n.start - 90):n.start]):
                continue  # "(HKEX: 9863)", "raises its annual output potential to 600,000"
            if (C.EXPORT_BEFORE.search(self.low_text[max(sent.start, n.start - 50):n.start])
                    or C.EXPORT_AFTER.match(self.low_text, n.end)) and not C.EXPORT_INCLUDED.search(
                    self.low_text[sent.start:sent.end]):
                continue  # exports are part of a maker's volume, not a figure of ours
            wide = self.low_text[max(sent.start, n.start - 70):n.start]
            if hypothetical and not (before.endswith("its ") or C.TOLD_IN_PASSING.search(before) and C.TOLD_AFTER.match(
                    self.low_text, n.end)):
                continue  # "Were it to repeat April's volume, it would finish on roughly 753,000"
            if C.HYPOTHETICAL.search(before[-30:]) or C.CARRY_BEFORE.search(before) or (
                    n.start - sent.start < 45 and C.PURPOSE_BEFORE.search(before)) or C.WOULD_TAKE.search(
                    self.low_text, max(sent.start, n.start - 80), n.start) or (
                    "impl" in wide and C.IMPLIED.search(wide)) or (
                    "recall" in wide and C.RECALL.search(wide)):
                continue  # "reaching the midpoint would require roughly 50,000": not a reported figure
            if n.unit is None and C.NOT_VOLUME_AFTER.match(after) or C.TYPICAL_PERIOD_AFTER.match(self.low_text, n.end):
                continue  # "roughly 9,000 units in a typical month": an average
            if C.DEFINITION_AFTER.match(self.low_text, n.end) or C.DEFINITION_BEFORE.search(before):
                continue  # a glossary: "2.3万 means 23,000, and 100万 means one million"
            if n.unit is None and self._counts_something_else(sent, n):
                continue  # "add 1,000 swap stations, bringing its total to more than 3,300": stations
            if n.text[:1] == "+" or C.TICKER_AFTER.match(self.low_text, n.end) or self._retracted(sent, n):
                continue  # "(+15 units)": a difference; "1810.HK": a stock code
            if C.CAPACITY.search(before[-30:] + self.low_text[n.end:n.end + 25]) and "capacity" in (
                    before + self.low_text[n.end:n.end + 25]) or C.PER_YEAR_AFTER.match(self.low_text, n.end):
                continue  # "capacity of 300,000", "200,000 cars a year" (not "48,740 a year ago")
            wide = self.low_text[max(sent.start, n.start - 110):n.start]
            if C.GAP_AFTER.match(self.low_text, n.end) or C.PER_DAY_AFTER.match(self.low_text, n.end) or \
                    C.REMAINDER_BEFORE.search(before) or C.REMAINDER_AFTER.match(self.low_text, n.end) or \
                    C.PER_MONTH_AFTER.match(self.low_text, n.end) and (
                        C.AVERAGE_BEFORE.search(wide) or C.HYPOTHETICAL.search(wide)) or \
                    C.OUR_ARITHMETIC.search(wide) or C.OUR_ARITHMETIC_AFTER.match(self.low_text, n.end) or \
                    C.PER_MONTH_AFTER.match(self.low_text, n.end) and \
                    C.OUR_ARITHMETIC_LEAD.match(self.low_text, sent.start, n.start):
                continue  # "55,775 vehicles short of that mark"; "an average of about 8,270 units a month"
            volumes.append(n)
        return volumes, percents, others

    def _retracted(self, sent: Sentence, n: NumberMatch) -> bool:
        """A figure a correction takes back: "misstated XPeng's deliveries as 30,985", or "(An earlier version
        ...) It also gave Li Auto's growth as 81.8%"."""
        if C.RETRACTED_BEFORE.search(self.low_text, max(sent.start, n.start - 90), n.start):
            return True
        return bool(C.RETRACTED_ALSO.search(self.low_text, max(sent.start, n.start - 70), n.start)) and \
            "earlier version" in self.low_text[max(0, n.start - 400):n.start]

    def _financial(self, sent: Sentence, n: NumberMatch) -> bool:
        """A percent or ratio about money, shares or the market, not a maker's volume: a finance word
        nearer the figure (in its clause) than any volume word."""
        clause = self._clause(sent, n)
        if not C.VOLUME_WORD.search(self.low_text[clause[0]:clause[1]]):
            clause = (sent.start, sent.end)  # "..., while XPeng gained 5.1%": the sentence is about shares
        text = self.low_text[clause[0]:min(clause[1], n.end + 40)]
        pos = n.start - clause[0]

        def nearest(pat: re.Pattern[str]) -> int:
            return min((abs(m.start() - pos) for m in pat.finditer(text)), default=10**9)
        return nearest(C.FINANCE) < nearest(C.VOLUME_WORD)

    def _pseudo_dates(self, sent: Sentence, low: str, ds: list | None = None) -> list[_Pseudo]:
        """"For the full year", "on Thursday", "the three months to December", "the same month last year",
        dated from the context."""
        out = []
        for m in C.N_MONTH_TOTAL.finditer(low) if "-month" in low else ():
            period = self._months_to_report(C.WORD_COUNTS[m.group(1)])  # "its four-month total was 65,994"
            if period:
                out.append(_Pseudo(sent.start + m.start(), sent.start + m.end(), m.group(0), period,
                                   _precision_of_period(period)))
        for m in C.THE_QUARTER.finditer(low) if "the quarter" in low else ():
            months = [d.period for d in ds or () if d.precision == "month" and d.period
                      and d.end <= sent.start + m.start()]  # "March brought 27,415, but the quarter as a whole"
            q = _quarter_of(months[-1] if months else self.ctx.period)  # "For the quarter, ...": the month's quarter
            if q:
                out.append(_Pseudo(sent.start + m.start(), sent.start + m.end(), m.group(0), q, "quarter"))
        for m in C.SAME_PERIOD.finditer(low) if "the same" in low else ():
            # "16.13 lakh in the first half of 2024 ... 4.27 lakh units over the same six months": that period
            at = sent.start + m.start()
            own = [d for d in [*(ds or ()), *out] if d.end <= at and d.period
                   and d.precision in ("month", "quarter", "half", "year", "ytd")]
            if own:
                out.append(_Pseudo(at, sent.start + m.end(), m.group(0), own[-1].period, own[-1].precision))
        for m in C.MONTHS_COMBINED.finditer(low) if "combined" in low or "together" in low else ():
            # "64,948 units delivered in October and November combined": the two months' span
            a = [d for d in ds or () if d.precision == "month" and d.period and d.start == sent.start + m.start(1)]
            b = [d for d in ds or () if d.precision == "month" and d.period and d.start == sent.start + m.start(2)]
            if a and b and a[0].period < b[0].period:
                period = f"{a[0].period}/{b[0].period}"
                out.append(_Pseudo(a[0].start, sent.start + m.end(), m.group(0), period, "range"))
        if C.YEAR_AGO_LEAD.match(low):  # "A year earlier its first-half total had been 29,984": the periods
            for d in ds or ():            # the sentence names without a year are a year back
                if d.relative and d.precision in ("month", "quarter", "half", "ytd") and d.period:
                    back = _year_back(d.period)
                    if back:
                        out.append(_Pseudo(d.start, d.end, d.text, back, d.precision))
        # "22,093 units in the same month last year": a year back
        for m in C.YEAR_EARLIER.finditer(low) if "year" in low or "去年" in low or "same" in low else ():
            if not C.FIGURE_JUST_BEFORE.search(low, max(0, m.start() - 40), m.start()) and not C.WHEN_AFTER_DATE.match(
                    low, m.end()):  # ("lower than a year earlier, when XPeng handed over 11,524": that figure's)
                continue  # ("up 28% from a year earlier" is a change, read by the percent rules)
            at = sent.start + m.start()
            own = [d for d in [*(ds or ()), *out] if d.end <= at
                   and d.precision in ("month", "quarter", "half", "year", "ytd")
                   and d.period and not (d.start < sent.start + m.end() and at < d.end)]
            period = own[-1].period if own else self.ctx.period
            back = _year_back(period) if m.group("year") is None else _year_back(period, to=m.group("year"))
            if back:
                out.append(_Pseudo(at, sent.start + m.end(), m.group(0), back, _precision_of_period(back)))
        for m in C.CHANGE_FROM_BASE.finditer(low) if "from" in low else ():
            # "851,732 in 2025, down 7.1% from 916,660": the base of a change over a year (or of a change said to
            # be year-on-year) is the same period a year earlier, unless a date of its own follows it
            at = sent.start + m.start("base")
            if C.DATE_RIGHT_AFTER_FIGURE.match(low, m.end()):
                continue
            own = [d for d in [*(ds or ()), *out] if d.end <= sent.start + m.start() and d.period and (
                d.precision == "year" or m.groupdict().get("yoy") and d.precision in ("month", "quarter", "half",
                                                                                      "ytd"))]
            back = _year_back(own[-1].period) if own else _year_back(self.ctx.period) if (
                self.ctx.scope == "year" and not ds) else ""  # ("Deliveries fell 18.8% from 500,508" in a
            # section on last year)
            if back:
                out.append(_Pseudo(at, sent.start + m.end("base"), "from", back, _precision_of_period(back)))
        if "year's" in low:  # "596,555 vehicles in 2025, more than double the previous year's 293,724"
            for n in _within(self.numbers, self.n_starts, sent.start, sent.end):
                m = C.PREVIOUS_YEARS.search(self.low_text, max(sent.start, n.start - 30), n.start)
                if m is not None:  # (the same year as "the previous year" counted from publication: replaced)
                    own = [d for d in ds or () if d.end <= m.start() and d.period and d.precision == "year"]
                    back = _year_back(own[-1].period if own else self.ctx.period[:4])
                    if back:  # the span stops before "'s", so the figure owns the date ("October's 70,289")
                        end = m.start() + max(m.group(0).rfind("'s"), m.group(0).rfind("’s"))
                        out.append(_Pseudo(m.start(), end, "previous year", back, "year"))
        pub = self.published
        if pub:
            for m in C.WEEKDAY.finditer(low) if "day" in low else ():
                back = (pub.weekday() - C.WEEKDAYS.index(m.group(1))) % 7
                day = (pub - dt.timedelta(days=back)).isoformat()
                prep = m.group(0).split()[0]
                out.append(_Pseudo(sent.start + m.start(1), sent.start + m.end(), f"{prep} {m.group(1)}", day, "day"))
            for m in C.QUARTER_TO.finditer(low) if "quarter" in low or "months" in low else ():
                month = C.MONTHS.index(m.group(1)) + 1
                year = pub.year - (month > pub.month)
                out.append(_Pseudo(sent.start + m.start(), sent.start + m.end(), m.group(0),
                                   f"{year}-Q{(month - 1) // 3 + 1}", "quarter"))
        for m in C.CALENDAR_YEAR.finditer(low) if "cy" in low else ():
            out.append(_Pseudo(sent.start + m.start(), sent.start + m.end(), m.group(0), m.group(1), "year"))
        for m in C.ZH_MONTH_RANGE.finditer(low) if "月" in low else ():
            year = self.ctx.period[:4] or (str(pub.year) if pub else "")
            a, b = int(m.group(1)), int(m.group(2))
            if year and 1 <= a <= b <= 12:
                out.append(_Pseudo(sent.start + m.start(), sent.start + m.end(), m.group(0),
                                   f"{year}-{a:02d}/{year}-{b:02d}", "ytd" if a == 1 else "range"))
        for m in C.NEXT_OF_LIST.finditer(low) if "the second" in low or "the third" in low or "the fourth" in low \
                else ():  # "203,938 vehicles in the first half and 202,405 in the second"
            at = sent.start + m.start()
            first = [d for d in ds or () if d.end <= at and d.period and d.precision in ("half", "quarter")]
            k = ("second", "third", "fourth").index(m.group(1)) + 2
            if first and (first[-1].precision == "quarter" or k == 2):
                unit = "Q" if first[-1].precision == "quarter" else "H"
                out.append(_Pseudo(at, sent.start + m.end(), m.group(0), f"{first[-1].period[:4]}-{unit}{k}",
                                   first[-1].precision))
        for m in C.FULL_YEAR.finditer(low) if "year" in low or "annual" in low or "全年" in low else ():
            lead = self.ctx.lead[0][:4] if self.ctx.lead else ""  # the article's own year, not a digression's
            named = [d.period for d in ds or () if d.precision == "year" and d.period
                     and d.end <= sent.start + m.start()]  # "2019 — 16,608 deliveries for the year"
            year = named[-1] if named else max(lead, self.ctx.period[:4]) or (
                str(self.published.year - (self.published.month == 1)) if self.published else "")
            if year:
                out.append(_Pseudo(sent.start + m.start(), sent.start + m.end(), m.group(0), year, "year"))
        return out

    def _assign_dates(self, nums: list[NumberMatch], ds: list) -> dict[int, object]:
        """Each figure gets the nearest date (a date just after a figure is its own: "31,165 in January
        and 20,251 in February"). A date nearer another figure is that figure's; if none is left, the
        nearest date not tied to a comparison figure ("down 44.2% from the 18,012 it delivered in
        December"). Datelines, dates of announcements and days without milestone words count less."""
        def gap(d, n) -> int:
            g = _dist(d, n)
            if self.text[d.end:d.end + 1] in (":", "：") and not (0 <= n.start - d.end <= 20 and C.LABEL_GAP.fullmatch(
                    self.low_text, d.end, n.start)) and not (
                    0 <= d.start - n.end <= 20 and C.OWN_DATE_BEFORE_COLON.match(self.low_text, n.end, d.start)):
                return -1  # "(2023: 947,742)": a labelled date is the figure's after its colon only
            if g < 0 or d.start < n.end:
                if g >= 0 and C.WHILE_BREAK.search(self.low_text, d.end, n.start):
                    return g + 60  # "76% compared to the same period last year, while NIO delivered 40,397": the
                    # year-back period of the clause before
                return g if g < 0 else g + 10  # (a date before the figure counts a little further away)
            if any(o.start > d.end and self._heads(d, o) and not any(0 <= x.start - o.end <= 4 for x in ds)
                   for o in nums):  # (not "from 30,452 in July and 36,396 in August to 41,948 in September")
                return -1  # "37,508, bringing fourth-quarter volume to 116,249": Q4 is the later figure's
            if d.precision == "month" and C.MONTH_LIST_AFTER.match(self.low_text, d.end) and \
                    "respectively" not in self.low_text[n.end:d.end + 60]:
                return -1  # "29,984, all of it delivered in April, May and June": the months it spans
            if C.CAUSE_BETWEEN_FIGURE_DATE.search(self.low_text, n.end, d.start):
                return -1  # "grew to 111k, thanks to a strong April and May": the months are a cause
            if C.CLAUSE_OPENING_DATE.search(self.low_text, n.end, d.start) and any(
                    d.end < o.start <= d.end + 80 and not C.CLAUSE_BREAK.search(self.low_text, d.end, o.start)
                    and C.NO_CLAUSE_BREAK.fullmatch(self.low_text, d.end, o.start) for o in nums):
                return -1  # "293,724, and last year it nearly doubled again, to 596,555"
            if self._zh and re.search(r"[，；。]", self.text[n.end:d.start]):
                return -1  # "累计交付355,209辆，距离全年38万辆的目标": in Chinese a period comes before its figure
            between = [o for o in nums if n.end <= o.start < d.start]
            if between and any(n.end <= x.start and x.end <= d.start for x in ds):
                return -1  # "nearly 25k cars, and Q2 deliveries of 72k were up, because Q1 was bad": not Q1
            if any(self._trails(d, n, o) for o in between):
                return -1  # the date follows a later figure and is that figure's
            return g

        eligible, announced = [], []
        for d in ds:
            if _is_event(self, d) or C.EVENT_AFTER_DATE.match(self.low_text[d.end:d.end + 8]):
                if d.precision == "day" and not C.SINCE_BEFORE_DATE.search(self.low_text[max(0, d.start - 70):d.start]):
                    announced.append(d)
                continue  # "launched in April", "the guidance it issued in May": not a figure's period
            if (d.text[:5].lower() == "since" or d.precision == "ytd" and "so far" in d.text.lower()) and \
                    C.SUPERLATIVE_BEFORE.search(self.low_text, max(0, d.start - 40), d.start):
                continue  # "its lowest monthly figure since January": a record's span, not the figure's period
            if isinstance(d, _Pseudo) and d.text.startswith("on ") and not all(_milestone_like(n) for n in nums):
                continue  # "reported on Thursday": the day of the report, not the period of the figure
            extra = 30 if d.precision == "day" and not all(_milestone_like(n) for n in nums) else 0
            if d.end <= (nums[0].start if nums else 0) and re.search(r"\)\s*[-–—]\s*$|^\s*[-–—]",
                                                                  self.text[d.end:d.end + 25]):
                extra += 80  # a dateline: "GUANGZHOU, July 1 (Reuters) - ..."
            eligible.append((d, extra))
        out: dict[int, object] = {}
        for n in nums:
            own = [d for d, _ in eligible if self._owns(d, n, nums)]
            if own:
                out[n.start] = own[0]
                continue
            label = C.PRIOR_YEAR_LABEL.match(self.text, n.end)
            if label and _is_year(label.group(1)):  # "4.6 million (2024: 4.27 million)": the next year's
                year = str(int(label.group(1)) + 1)
                out[n.start] = _Pseudo(n.end, n.end, "", year, "year")
        owned = list(out.values())
        asides = self._asides(max(0, min((x.start for x in nums), default=0) - 300),
                              max((x.end for x in nums), default=0) + 300)
        for strict in (True, False):
            for n in nums:
                if n.start in out:
                    continue
                best, best_d = None, 10**9
                for d, extra in eligible:
                    if any(o is d for o in owned):
                        continue  # "beat October's 70,289": October is that figure's alone
                    if any(a <= d.start < b and not a <= n.start < b for a, b in asides):
                        continue  # "the ONVO brand, which began deliveries on Sept. 28, contributed 4,319"
                    g = gap(d, n)
                    if g < 0 or (d.start >= n.end and g > 90 and not _milestone_like(n)):
                        continue  # (a date far after the figure is another clause's: "..., until ... in 2027")
                    if d.precision not in ("ytd", "range") and (C.COMPARED_BASE.search(
                            self.low_text[max(0, d.start - 40):d.start]) and not C.OPENING_FROM.search(
                            self.low_text, max(0, d.start - 8), d.start) or C.PERCENT_ON_BASE.search(
                            self.low_text[max(0, d.start - 25):d.start]) or C.DATE_BASE_BEFORE.search(
                            self.low_text[max(0, d.start - 25):d.start])) and (d.start >= n.end or not re.match(
                                r",?\s*(?:when|in which|during which)\b", self.low_text[d.end:d.end + 12])):
                        continue  # "down 38.2% from October 2024": the base of a comparison
                    rivals = [o for o in nums if o is not n and 0 <= gap(d, o) < g]
                    if rivals and (strict or any(C.COMPARED_BASE.search(self.low_text[max(0, o.start - 25):o.start])
                                                 for o in rivals)):
                        continue
                    if not strict and re.search(r";|\.\s", self.text[min(d.end, n.end):max(d.start, n.start)]):
                        continue
                    between = self.low_text[min(d.end, n.end):max(d.start, n.start)]
                    if ";" in between:
                        g += 60  # "In the first quarter we delivered 87,552; the second quarter was larger"
                    elif d.start >= n.end and C.LATER_CLAUSE.search(between):
                        g += 30  # "In July BYD sold 262,161, and even February ... brought 193,655"
                    if g + extra < best_d:
                        best, best_d = d, g + extra
                if best is not None:
                    out[n.start] = best
        for n in nums:  # "X said on Tuesday that its 1 millionth car...": a milestone is dated by its announcement
            if n.start not in out and _milestone_like(n) and announced:
                out[n.start] = min(announced, key=lambda d: abs(_dist(d, n)))
        return out

    def _dates_respectively(self, nums: list[NumberMatch], ds: list) -> dict[int, object]:
        """"29,356 and 37,705 vehicles in April and May, respectively": the i-th figure gets the i-th date."""
        joiner = re.compile(r"\s*(?:,|,? and|and|&)\s*")
        ds = sorted((d for d in ds if d.period), key=lambda d: d.start)
        runs: list[list] = []
        for d in ds:
            if runs and joiner.fullmatch(self.low_text[runs[-1][-1].end:d.start]):
                runs[-1].append(d)
            else:
                runs.append([d])
        out: dict[int, object] = {}
        for run in runs:
            if len(run) < 2:
                continue
            before = [n for n in nums if n.end <= run[0].start]
            after = [n for n in nums if n.start >= run[-1].end]  # "July, August and September brought A, B and C"
            for figs in (before[-len(run):] if len(before) >= len(run) else [],
                         after[:len(run)] if len(after) >= len(run) else []):
                joined = all(C.FIGURE_LIST_GAP.fullmatch(self.low_text, a.end, b.start)
                             for a, b in zip(figs, figs[1:], strict=False))
                if figs and joined:
                    out.update({n.start: d for n, d in zip(figs, run, strict=True)})
                    break
        return out

    def _range_end(self, n: NumberMatch) -> int:
        """End of the range ``n`` opens ("6,000 and 8,000"), else of ``n``."""
        m = C.RANGE_TAIL.match(self.low_text, n.end)
        return m.end() if m else n.end

    def _ranges(self, volumes: list[NumberMatch]) -> dict[int, NumberMatch]:
        """Second figure of "between X and Y" / "X to Y" -> the first."""
        out = {}
        for a, b in zip(volumes, volumes[1:], strict=False):
            if C.RANGE_BETWEEN.match(self.text[a.end:b.start]) and b.value > a.value and (
                    "between" in self.low_text[max(0, a.start - 12):a.start] or
                    re.search(r"to|-|–|—|至|到|~", self.text[a.end:b.start])) and not C.MOVED_FROM.search(
                    self.low_text, max(0, a.start - 40), a.start):  # not "climbed from 14,567 to 20,116"
                out[b.start] = a
        return out

    def _respectively(self, low: str, ms: list[Mention], nums: list[NumberMatch]) -> dict[int, Mention]:
        """"A, B and C delivered X, Y and Z (respectively)": the i-th figure of a list belongs to the i-th
        maker of the list of names just before it."""
        if len(ms) < 2 or len(nums) < 2:
            return {}
        runs: list[list[NumberMatch]] = [[nums[0]]]
        for a, b in zip(nums, nums[1:], strict=False):
            if re.fullmatch(r"(?:%|\s|vehicles|units|cars|per cent|percent)*(?:,|,? and|and)\s*",
                            self.low_text[a.end:b.start]):
                runs[-1].append(b)
            else:
                runs.append([b])
        out: dict[int, Mention] = {}
        for run in runs:
            if len(run) < 2:
                continue
            prev_end = max((n.end for n in nums if n.end <= run[0].start), default=0)
            names: list[Mention] = []
            for m in (m for m in ms if prev_end <= m.start and m.end <= run[0].start):
                if not names or names[-1].entity_id != m.entity_id:
                    names.append(m)
            joined = len(names) >= 2 and all(
                re.fullmatch(r"[^.;:]{0,40}?(?:,|,? and|and|&)\s*(?:the\s+)?", self.low_text[a.end:b.start])
                for a, b in zip(names[-len(run):], names[-len(run) + 1:], strict=False))
            if "respectively" not in low and not (joined and len(names) >= len(run)):
                continue
            if names and C.BRANDS_AFTER.match(self.low_text, names[-1].end):
                names = [self._as_brand(m) for m in names]  # "the NIO, ONVO and Firefly brands"
            k = min(len(names), len(run))
            if k >= 2:
                out.update({n.start: m for n, m in zip(run[:k], names[-k:], strict=True)})
        return out

    def _entity(self, sent: Sentence, n, ms: list[Mention], clause: tuple[int, int]) -> Mention | None:
        right = [m for m in ms if 0 <= m.start - n.end <= 3 and re.fullmatch(r"[\s-]*", self.text[n.end:m.start])]
        if right and not n.is_percent:
            return self._qualified(right[0], sent)  # "25,000 SU7 sedans", "13,735 NIO-branded cars"
        source = [m for m in ms if 0 < m.start - n.end <= 40 and C.FROM_MAKER_AFTER.match(self.low_text[n.end:m.start])]
        if source and not n.is_percent:
            if source[0].kind == "group" and any(m.parent == source[0].entity_id for m in ms):
                return self._as_brand(source[0])  # "13,735 from NIO, 6,840 from ONVO": the NIO brand
            return self._qualified(source[0], sent)  # "of which 10,219 came from the NIO brand"
        ref = self._former_latter(clause[0], n)
        if ref is not None:
            return ref
        ms = [m for m in ms if not C.EVENT_OF_BEFORE.search(self.low_text, max(0, m.start - 30), m.start)]
        # (not "The arrival of the YU7 ... changed the pace": an event, not the subject)
        before = [m for m in ms if m.end <= n.start and m.start >= clause[0]]
        asides = self._asides(clause[0], n.start)
        if asides:  # "the ONVO brand, whose first model is the L60 SUV, for 5,082": not the L60
            kept = [m for m in before if not any(a <= m.start < b for a, b in asides)]
            before = kept or before
        if before and self._aside_model(before[-1]):
            before = before[:-1]  # "it had just begun deliveries of its first car, the SU7 sedan, and delivered"
        group = self._group_of_listed_brands(before) if len(before) >= 2 else None
        if group is not None:
            return group  # "Deliveries across its NIO, ONVO and Firefly brands came to 23,900": the group's
        lead = self._appositive_lead(sent, ms, n)
        if lead is not None:
            return lead  # "BYD, the carmaker that overtook Tesla ..., reported a 30.1% fall"
        if before and self._in_since(before[-1], sent):  # "its deliveries since the Li ONE went on sale reached"
            rest = [m for m in before if not self._in_since(m, sent)]
            head = self.low_text[clause[0]:before[-1].start]
            if rest:
                return rest[-1]
            subject = self._subject_for(head)  # "Cumulative deliveries since the Li ONE first reached customers"
            before = [subject] if subject is not None else before
        if before and C.COMPANY_ASIDE.match(self.low_text, sent.start, before[-1].start):
            subject = self._subject_for(self.low_text[sent.start:before[-1].start])  # "The EV maker, whose first
            if subject is not None:                                                  # car, the SU7, ..., aims to"
                return subject
        if before:
            if C.UNTRACKED_MODEL_AFTER.match(self.text, before[-1].end, n.start):
                return None  # "Li Auto's i8 SUV accounted for 6,000 units": a model the registry does not track
            return before[-1]
        head = self.low_text[clause[0]:n.start]
        if (C.SUBJECT_REF.search(head) or C.WE_REF.search(head) and self._quoted(n.start)) and not [
                m for m in ms if m.end <= n.start]:
            return self._subject_for(head)  # "the automaker had delivered ... since the Li ONE went on sale"
        before_any = [m for m in ms if m.end <= n.start and not self._aside_model(m)]
        after = [m for m in ms if m.start >= n.end and m.start < clause[1] and not self._in_since(m, sent)
                 and not C.NOT_SUBJECT_BEFORE.search(self.low_text, max(sent.start, m.start - 60), m.start)]
        if after and not before_any and not (self.ctx.org is not None and C.CAUSE_BETWEEN.search(
                self.low_text[n.end:after[0].start])):
            return after[0]  # not "rose 40.8% as the Maextro S800 ... added": a cause, not the subject
        if before_any:
            return before_any[-1]
        sent_head = self.low_text[sent.start:n.start]
        current = self._subject_for(sent_head)
        if ms and not C.SUBJECT_LEAD.match(sent_head) and not all(self._in_since(m, sent) or self._aside_model(m)
                                                                  for m in ms) and not (
                current is not None and all(m.entity_id == current.entity_id for m in ms)):
            return None  # (a maker named only in "counting from the first SU7 handover" is not another subject;
            # the maker talked about, named again later in the sentence, is: "the count stood at 15,337, and NIO")
        if C.GENERIC_SUBJECT.search(sent_head) and not C.SUBJECT_REF.search(sent_head):
            return None
        return self._subject_for(sent_head)

    def _asides(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Spans of ", which/who/whose ...," asides between ``lo`` and ``hi`` (none without such a word)."""
        part = self.low_text[lo:hi]
        if "," not in part or not ("which" in part or "who" in part):
            return []
        return [a.span() for a in C.ASIDE.finditer(self.low_text, lo, hi)]

    def _former_latter(self, lo: int, n) -> Mention | None:
        """"The former's figure was up 26.5%, whereas the latter's ...": the first or last maker of the last
        sentence that named several."""
        ref = C.FORMER_LATTER.search(self.low_text, lo, n.start)
        if ref is None or len(self.ctx.listed) < 2:
            return None
        return self.ctx.listed[0] if ref.group(1) == "former" else self.ctx.listed[-1]

    def _appositive_lead(self, sent: Sentence, ms: list[Mention], n) -> Mention | None:
        """The sentence's first maker when the names between it and the figure sit in an appositive set off
        by commas right after it ("HIMA, the alliance that includes the AITO brand, delivered 81.9k")."""
        if not ms or ms[0].start - sent.start > 3:
            return None
        first = ms[0]
        tail = self.text[first.end:n.start]
        for appositive in C.APPOSITIVES:  # one aside, or two ("Harmony Intelligent Mobility, or HIMA, the group
            m = appositive.match(tail)    # that includes AITO, delivered")
            if m is None or not any(first.end + m.start(1) <= x.start < first.end + m.end(1) for x in ms[1:]):
                continue
            if any(x.start >= first.end + m.end(1) for x in ms[1:] if x.end <= n.start):
                continue
            return first
        return None

    def _in_since(self, m: Mention, sent: Sentence) -> bool:
        """Is the mention inside a "since ..." phrase (the start of a count, not its subject)?"""
        return any(x.start() <= m.start < x.end() for x in C.SINCE_PHRASE.finditer(self.low_text, sent.start, sent.end))

    def _clause(self, sent: Sentence, n) -> tuple[int, int]:
        """The clause around a figure: from the last clause break before it to the first one after it."""
        if self._breaks[0] != sent.start:
            low = self.low_text[sent.start:sent.end]
            self._breaks = (sent.start, [(m.start(), m.end()) for m in C.CLAUSE_BREAK.finditer(low)])
        rel_s, rel_e = n.start - sent.start, n.end - sent.start
        lo, hi = 0, sent.end - sent.start
        for b_start, b_end in self._breaks[1]:
            if b_end <= rel_s:
                lo = b_end
            elif b_start >= rel_e:
                hi = b_start
                break
        return sent.start + lo, sent.start + hi

    def _scope_period(self, low: str, rel: int, n: NumberMatch, d, clause: tuple[int, int] | None = None
                      ) -> tuple[str, str]:
        lo = max(0, rel - 110)
        if clause is not None:
            lo = max(lo, clause[0] - (n.start - rel))
        lo = max(lo, low.rfind("，", lo, rel) + 1)  # a Chinese clause: "累计交付355,209辆，距离全年38万辆的目标"
        window = low[lo:rel + len(n.text) + 40]
        if C.MONTHLY.search(window) and d is not None and d.precision in ("month", "day"):
            return "month", (d.period or "")[:7]
        ytd = bool(C.YTD.search(window)) and not C.SUPERLATIVE_YTD.search(window)
        cum = n.unit == "ordinal" or bool(C.CUMULATIVE.search(window)) or (
            _milestone_like(n) and bool(C.MILESTONE_VERB.search(low[max(0, rel - 40):rel])))
        if d is not None and C.AS_OF.search(self.low_text[max(0, d.start - 20):d.start]):
            cum = True  # "by November 2025, ... 500,000": a total as of that date
        if d is None and cum and self.ctx.day and C.SAME_DAY.search(low):
            return "cumulative", self.ctx.day
        if d is not None:
            prec, period = d.precision, d.period or ""
            if prec in ("ytd", "range"):
                scope, period = _range_scope(period)
                if scope == "ytd" and C.QUARTER_AFTER.match(self.low_text, d.end) and re.fullmatch(
                        r"(\d{4})-01/\1-03", period):
                    return "quarter", f"{period[:4]}-Q1"  # "the January-March quarter"
                return scope, period
            if ytd and prec == "year" and d.start > n.start and not d.relative:
                ytd = False  # "in the first nine months ... almost double the 139,471 it handed over in the whole
                # of 2024": the figure's own year, after it
            if ytd:
                end = period[:7] if re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", period) else self._ytd_end()
                return ("ytd", f"{end[:4]}-01/{end}") if end else ("ytd", "")
            if cum:
                return "cumulative", f"{period}-12" if prec == "year" else period
            if prec == "day":
                return "month", period[:7]
            return _scope_of(prec), period
        if ytd:
            end = self._ytd_end()
            return ("ytd", f"{end[:4]}-01/{end}") if end else ("ytd", "")
        if cum:  # a total with no date is as of publication only when the text says "to date", "now"...
            now = self.published and C.NOW.search(window)
            month = self.ctx.period if re.fullmatch(r"\d{4}-\d{2}", self.ctx.period) else self.ctx.main_month
            if now and month:
                return "cumulative", month  # "now stand at 1.1 million" in a monthly report
            return "cumulative", self.published.isoformat() if now else ""
        if not self.ctx.period and self.ctx.target_year:
            return "year", self.ctx.target_year  # an annual story: "the group ended up delivering 326,028"
        return self.ctx.scope or "month", self.ctx.period

    def _months_to_report(self, n: int) -> str:
        """The ``n`` months up to the report's month (the context month, else the month before publication):
        the year to date when they start in January, else the quarter or half they make up."""
        end = self.ctx.period if re.fullmatch(r"\d{4}-\d{2}", self.ctx.period) else self.ctx.main_month
        end = end or self._ytd_end()
        if not end:
            return ""
        y, m = int(end[:4]), int(end[5:7])
        if n == m:
            return f"{y}-01/{end}"
        if n == 3 and m % 3 == 0:
            return f"{y}-Q{m // 3}"
        if n == 6 and m % 6 == 0:
            return f"{y}-H{m // 6}"
        return ""

    def _ytd_end(self) -> str:
        """Last month of a year-to-date figure with no month given: the report's month, else the month
        before publication."""
        if re.fullmatch(r"\d{4}-\d{2}", self.ctx.period):
            return self.ctx.period
        if not self.published:
            return ""
        return (self.published.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")

    def _volume(self, sent: Sentence, low: str, n: NumberMatch, ms: list[Mention], d, forced: Mention | None,
                facts: list[Extracted]) -> Extracted | None:
        clause = self._clause(sent, n)
        rel = n.start - sent.start
        clause_low = self.low_text[clause[0]:clause[1]]
        crel = n.start - clause[0]
        if C.RANK.search(low[max(0, rel - 200):rel]) and not C.ACTUAL_VERB.search(clause_low[:crel]):
            return None  # "the first upstart to clear 1 million": a rank claim, not a figure
        head = clause_low[:crel]
        for a, b in self._asides(clause[0], n.start):  # not ", which has not put a number on this year,"
            head = head[:a - clause[0]] + " " * (b - a) + head[b - clause[0]:]
        # "the 48,135 it delivered": a figure with its own verb, whatever was negated before it
        told = C.TOLD_IN_PASSING.search(head[-12:]) and C.TOLD_AFTER.match(self.low_text, n.end)
        if not told and C.NEGATED.search(head[-45:]) and not C.TARGET_AFTER.match(
                self.low_text[n.end:n.end + 45]) or \
                C.ASPIRATION.search(self.low_text[n.end:n.end + 30]):
            return None  # "hasn't reached 1 million yet", "1 million within sight" state no figure
        if _partial(clause_low) or (self.ctx.intro is not None and self.ctx.intro[3]):
            return None  # a week's or a few days' count: no scope of ours holds it
        m = forced or self._entity(sent, n, ms, clause)
        if m is None:
            return None
        between = self.low_text[max(m.end, sent.start):n.start] if m.end <= n.start else ""
        if ")" in between:  # 'Li Auto Inc. ("Li Auto") (Nasdaq: LI), a leader in ...': the brackets are asides
            between = re.sub(r"^[^()]*\)|\([^()]*\)", lambda x: " " * len(x.group(0)), between)
        comma = between.find(",")
        app = None
        if 0 <= comma and (comma <= 30 or not between[:comma].strip()):
            apps = [a.match(self.text, m.end + comma, n.start) for a in C.APPOSITIVES]
            app = next((a for a in apps[::-1] if a is not None and not C.VERB_IN_ASIDE.search(a.group(1))), apps[0])
        if app is not None:  # "HIMA, the Huawei-led alliance of brands, delivered": the appositive describes it
            between = between[:comma] + self.low_text[app.end(1) + 1:n.start]
        if C.MARKET.search(between) or (not ms and C.MARKET.search(low[:rel])) or (
                forced is None and C.GENERIC_BETWEEN.search(between)):
            return None
        if n.unit == "ordinal" and d is None and not re.search(r"(?:\bits|'s|’s|their)\s+$", low[:rel]) \
                and not C.SAME_DAY.search(low):
            return None  # "the 1 millionth vehicle marks a shift": said of no maker in particular
        metric = C.nearest_keyword(C.METRIC_RES, _without_since(clause_low), crel)
        if metric == "sales" and C.SHIPPED.search(clause_low) and not C.SOLD.search(clause_low):
            # "shipped" is what the article counts for this maker: CPCA wholesale for Tesla China, deliveries
            # for a start-up ("Rival Li Auto Inc shipped 34,134 vehicles last month")
            told = self.ctx.history.get(m.entity_id)
            metric = told[-1].metric if told else self.ctx.metric or metric
        if metric is None:
            prev = [f for f in facts if f.unit == "vehicles"]
            same = [f for f in self.ctx.history.get(m.entity_id, []) if f.scope == "cumulative"] \
                if _milestone_like(n) else []
            metric = (prev[-1].metric if prev else same[-1].metric if same else
                      C.nearest_keyword(C.METRIC_RES, low, rel) or self.ctx.metric)
            if not metric:
                if n.unit not in ("vehicles", "ordinal"):
                    return None
                metric = "deliveries"
        scope, period = self._scope_period(low, rel, n, d, clause)
        prev = [f for f in facts if f.unit == "vehicles"]
        if prev and prev[-1].scope == "cumulative" and scope != "cumulative" and _milestone_like(n) and \
                _milestone_value(prev[-1].value) and d is not None and d.precision == "day":
            scope, period = "cumulative", d.period  # "hit 5 million on Aug. 9, 2023, and 7 million on March 25"
        bound = n.bound_hint or "exact"
        pre40 = self.low_text[max(0, n.start - 40):n.start]
        if bound in ("lower", "upper") and C.COMPARISON_BEFORE.search(pre40) and not C.BOUND_WORD_BEFORE.search(pre40):
            bound = "exact"  # "more than the 190,068 it handed over": a comparison, not a bound
        kind = C.kind_of(clause_low[:crel], clause_low[crel + len(n.text):], clause=clause_low)
        if C.TARGET_AFTER.match(self.low_text[n.end:n.end + 70]):
            kind = "target"  # "the 300,000 deliveries it had targeted", "the 380,000 target"
        elif re.search(r"(?:up|down|rising|falling|grew|rose|fell|increase|decrease)\s+from\s+(?:the\s+)?$|"
                       r"compared (?:with|to)\s+(?:the\s+)?$", self.low_text[max(0, n.start - 25):n.start]):
            kind = "actual"  # "up from 429,445 in 2025": the base of a comparison is what happened
        elif C.ACTUAL_AFTER.match(self.low_text[n.end:n.end + 45]) or re.search(
                r"(?:last year's|previous year's|its|their)\s+$", self.low_text[max(0, n.start - 16):n.start]) \
                and kind != "actual" and re.search(r"last year's|previous year's", self.low_text[n.start - 16:n.start]):
            kind = "actual"  # "the 596,555 vehicles the company delivered", "last year's 376,030"
        elif C.EXPECTED_AFTER.match(self.low_text, n.end, n.end + 70):
            kind = "expected"  # "the roughly 33,000 units that analysts ... had forecast for the month"
        if bound == "exact" and _milestone_like(n) and C.LOWER_VERB_BEFORE.search(self.low_text[max(0, n.start - 25):
                                                                                               n.start]):
            bound = "lower"  # "cross 1 million", "topped 1 million": at least that many
        if kind == "actual" and getattr(d, "qualifier", None) == "estimate":
            kind = "expected"  # "FY2026E", "1Q26E": an analyst's estimate
        intro = self.ctx.intro
        if intro is not None and kind == "actual" and intro[0] != "actual" and not C.ACTUAL_VERB.search(clause_low):
            kind = intro[0]  # a bullet under "the company expects:"
        if intro is not None and intro[2] and d is None:
            return Extracted(entity=m.text, entity_id=m.entity_id, metric=metric, scope=intro[1], period=intro[2],
                             value=n.value, unit="vehicles", bound=bound, kind=kind, start=n.start, end=n.end,
                             quote=sent.text, sentence_start=sent.start, number_text=n.text)
        if kind != "actual" and bound == "exact" and C.EXCEED_BEFORE.search(pre40):
            bound = "lower"  # "expected deliveries to exceed 40,000"
        if kind != "actual" and d is not None and scope in ("month", "quarter") and not C.ANNUAL_WORD.search(
                clause_low) and not C.YEAR_GOAL_BEFORE.search(clause_low, 0, crel) and (
                C.THIS_PERIOD.fullmatch(d.text.lower()) and C.METRIC_NOUN_BEFORE.search(
                    self.low_text[max(0, d.start - 20):d.start])
                or 0 <= d.start - self._range_end(n) <= 25 and C.UNIT_THEN_IN.fullmatch(
                    self.low_text[self._range_end(n):d.start])  # "between 6,000 and 8,000 vehicles this month"
                or C.FORECAST_FOR.search(self.low_text, max(0, d.start - 30), d.start)  # "forecast for January"
                or clause[0] <= d.start and d.end <= n.start and C.METRIC_NOUN_AFTER.match(
                    self.low_text[d.end:d.end + 25])):  # "expect June deliveries to come in at around 11,000"
            if getattr(d, "relative", False) and self.published and re.fullmatch(r"\d{4}-\d{2}", period) and \
                    period < self.published.strftime("%Y-%m"):
                period = f"{int(period[:4]) + 1}{period[4:]}"  # a forecast for "June" is the coming June
            return Extracted(entity=m.text, entity_id=m.entity_id, metric=metric, scope=scope, period=period,
                             value=n.value, unit="vehicles", bound=bound, kind=kind, start=n.start, end=n.end,
                             quote=sent.text, sentence_start=sent.start, number_text=n.text)  # "this month"
        pseudo_year = isinstance(d, _Pseudo) and bool(C.FULL_YEAR.fullmatch(d.text))
        other_clause = d is not None and not clause[0] <= d.start < clause[1]  # "H1 deliveries fell, and it aims for"
        listed = [f for f in facts if f.unit == "vehicles"]
        if listed and listed[-1].kind != "actual" and not C.ACTUAL_VERB.search(clause_low) and (
                d is None or other_clause or isinstance(d, _Pseudo) and not d.text and listed[-1].period == d.period):
            return replace(listed[-1], entity=m.text, entity_id=m.entity_id, value=n.value, bound=bound, start=n.start,
                           end=n.end, number_text=n.text)  # "expect Li Auto to deliver 30,000 in April, and NIO 15,000"
        if kind != "actual" and (scope in ("month", "cumulative", "ytd") or d is None or pseudo_year
                                 or other_clause) and not C.FOR_THE_PERIOD.match(self.low_text, n.end, n.end + 80) \
                and not (kind == "expected" and d is None and scope == "month" and C.CONSENSUS.search(clause_low)) \
                and not (
                scope == "cumulative" and (n.unit == "ordinal" or C.CUMULATIVE.search(clause_low) or (
                    kind == "expected" and C.MILESTONE_VERB.search(self.low_text[max(0, n.start - 40):n.start])))):
            # a target or forecast is for a year: the year named in the sentence, else the one talked about
            others = [o for o in self.numbers if sent.start <= o.start < sent.end and o is not n]
            years = [x for x in self.dates if sent.start <= x.start < sent.end and x.precision == "year" and x.period
                     and not C.COMPARED_BASE.search(self.low_text[max(0, x.start - 40):x.start])
                     and not any(0 <= _dist(x, o) < abs(_dist(x, n)) for o in others)  # "up from 429,445 in 2025"
                     and (x.start < n.start or x.start - n.end <= 60 and x.start < clause[1])]
            own = d is not None and not (isinstance(d, _Pseudo) and C.FULL_YEAR.fullmatch(d.text))
            year = min(years, key=lambda x: abs(_dist(x, n))).period[:4] if years else (
                period[:4] if own and d.precision in ("month", "day", "year") and not _is_event(self, d)
                else d.period[:4] if pseudo_year and d.period  # "全年38万辆的交付目标", "for the full year"
                else self.ctx.period[:4] if C.COMPARED_TARGET.search(clause_low) and self.ctx.period[:4].isdigit()
                else self.ctx.target_year or (str(self.published.year) if self.published else ""))
            # ("that beat the goal it started the year with": the goal of the year just reported)
            scope, period = "year", year
        return Extracted(entity=m.text, entity_id=m.entity_id, metric=metric, scope=scope, period=period,
                         value=n.value, unit="vehicles", bound=bound, kind=kind, start=n.start, end=n.end,
                         quote=sent.text, sentence_start=sent.start, number_text=n.text)

    def _percent(self, sent: Sentence, low: str, n: NumberMatch, facts: list[Extracted], ms: list[Mention],
                 ds: list, forced: Mention | None = None) -> Extracted | None:
        """A percent change of the maker named nearest before it, tied to that maker's figure: one
        before it in the sentence, else the one talked about (a target when the sentence is about one)."""
        rel = n.start - sent.start
        clause = self._clause(sent, n)
        if _partial(self.low_text[clause[0]:clause[1]]):
            return None  # "down 18% from the week before"
        if C.LEVEL_FROM_BEFORE.search(self.low_text, max(0, n.start - 30), n.start):
            return None  # "accounted for about 41% of that, up from 27% two years earlier": a share, not a change
        if forced is None and not [m for m in ms if m.end <= n.start] and C.MARKET.search(low[:rel]):
            return None  # "CPCA estimated that retail sales ... rose 47%": the market, not a maker
        vols = [f for f in facts if f.unit == "vehicles"]
        if forced is None and len(vols) >= 3 and vols[-1].end < n.start and C.BREAKDOWN_CUE.search(
                self.low_text, vols[0].end, vols[1].start) and C.CHANGE_AFTER_LIST.match(self.low_text, vols[-1].end):
            # "87,071, consisting of 36,928 from the NIO brand, ... and 12,487 from firefly, representing an
            # increase of 40.8%": the change of the total
            forced = Mention(vols[0].start, vols[0].end, vols[0].entity, vols[0].entity_id, "group", None)
        ent = forced or self._entity(sent, n, ms, clause)
        if ent is None:
            return None
        after_host = [f for f in facts if f.unit == "vehicles" and f.entity_id == ent.entity_id and f.start >= n.end
                      and C.PERCENT_TO_FIGURE.match(self.low_text[n.end:f.start])]
        if after_host:  # "deliveries fell 18.8% to 406,343"
            forced = forced or ent
        host = [f for f in facts if f.unit == "vehicles" and f.entity_id == ent.entity_id
                and (f.end <= n.start or forced is not None)
                and not C.HOST_BASE.search(self.low_text[max(0, f.start - 25):f.start])  # not "from 916,660"
                and not C.WHEN_BASE_BEFORE.search(self.low_text, max(0, f.start - 90), f.start)]
        h = host[-1] if host else None
        if h is not None and h.kind == "actual" and C.TARGET_IMPLIES.search(self.low_text, max(0, n.start - 70),
                                                                             n.start):
            goals = [f for f in (*self.ctx.history.get(ent.entity_id, ()), *facts)
                     if f.unit == "vehicles" and f.kind == "target" and f.scope == "year"]
            if goals:  # "It handed over 596,555 last year, so the target implies growth of 67.6%": the target's
                h = max(goals, key=lambda f: f.period)  # growth on last year, not last year's own change
        base = self._base_date(n)
        if base is not None and host:  # "83,465 in Q1, including 35,486 in March, up 98.3% from Q1 2025"
            same = [f for f in host if f.scope == _scope_of(base.precision)]
            h = same[-1] if same else h
        if h is None:
            hist = self.ctx.history.get(ent.entity_id, [])
            if C.TARGET_CONTEXT.search(low[:rel]):
                targets = [f for f in hist if f.kind != "actual"]
                hist = sorted(targets, key=lambda f: f.period)[-1:] if targets else hist  # the newest target
            h = hist[-1] if hist else None
            near = [d for d in ds if d.end <= n.start and d.period and not _is_event(self, d)
                    and not (isinstance(d, _Pseudo) and C.YEAR_EARLIER.fullmatch(d.text))  # a base's period
                    and not C.COMPARED_BASE.search(self.low_text[max(0, d.start - 40):d.start])
                    and not C.DATELINE_AFTER.match(self.text, d.end)  # not "BEIJING, May 1 (Wire) -"
                    and self.text[d.end:d.end + 1] not in (":", "：")]  # nor "(2023: 141,601)"
            near += [d for d in ds if d.period and 0 <= d.start - n.end <= 40 and d.precision != "day"
                     and (C.PERIOD_OF_CHANGE.fullmatch(self.low_text[n.end:d.start])  # "up 7% in April"
                          or d.start - n.end == 1 and d.text.lower() in ("last year", "this year"))]  # "to 33.1% last
            # year"
            if h is not None and near:
                scope, period = (_range_scope(near[-1].period) if near[-1].precision in ("ytd", "range")
                                 else (_scope_of(near[-1].precision), near[-1].period))  # "the July-to-September
                h = replace(h, scope=scope, period=period)                          # period rose 173.4%": Q3
                if h.kind != "actual" and not C.TARGET_CONTEXT.search(low[:rel]) and C.kind_of(
                        low[:rel], low[rel:]) == "actual":  # "Last year's deliveries were up 103%", after a
                    h = replace(h, kind="actual")          # sentence on the target: what happened last year
                    own = C.nearest_keyword(C.METRIC_RES, low[:rel], rel)
                    h = replace(h, metric=own) if own else h
        around = low[max(0, rel - 70):rel + len(n.text) + 60]
        change = C.change_of(around, min(rel, 70), h.period if h else "", h.scope if h else "")
        if not change:
            vs = C.VS_YEAR.search(low[rel + len(n.text):rel + len(n.text) + 60])
            base_year = (h.period[:4] if h and h.period[:4].isdigit() else "")
            if vs:
                change = f"vs {vs.group(1)}" if vs.group(1) else (f"vs {int(base_year) - 1}" if base_year else "")
            elif h is not None and h.kind != "actual" and base_year and C.GROWTH.search(around):
                change = f"vs {int(base_year) - 1}"  # "growth of 40% to 50% this year" (on last year)
        if change.startswith("vs ") and h is not None and h.period.startswith(change[3:]):
            prior = [f for f in self.ctx.history.get(ent.entity_id, []) if not f.period.startswith(change[3:])]
            h = prior[-1] if prior else h
        if h is not None and h.kind == "actual" and change.startswith("vs ") and h.period[:4].isdigit() \
                and change[3:] == str(int(h.period[:4]) - 1):
            change = "yoy"
        if h is not None and not change:
            lead = [d for d in ds if d.end <= n.start and d.period and C.COMPARED_LEAD.search(
                self.low_text, max(0, d.start - 25), d.start)]  # "Compared to September, ..., October's figure
            change = _change_between(h.period, lead[-1].period) if lead else ""  # was down 32.3%"
        if h is not None and h.kind == "actual" and not change and h.scope in ("month", "quarter", "half", "year",
                                                                                "ytd"):
            change = "yoy"  # a bare "up 92.6%" on a monthly or annual figure is year-on-year by convention
        if base is not None and h is not None and h.kind == "actual":
            change = _change_between(h.period, base.period or "") or change
        if h is not None and h.kind == "target" and h.scope == "year" and change == "yoy" and h.period.isdigit():
            change = f"vs {int(h.period) - 1}"  # an annual target's growth is on the last year's actual figure
        value = -n.value if _falling(low, rel, len(n.text)) else n.value
        if h is not None:
            return replace(h, value=value, unit="percent", bound=n.bound_hint or "exact", start=n.start,
                           end=n.end, change=change, quote=sent.text, sentence_start=sent.start, number_text=n.text)
        metric = C.nearest_keyword(C.METRIC_RES, low, rel) or self.ctx.metric
        if not metric or not change:
            return None
        dates = self._assign_dates([n], ds)
        scope, period = self._scope_period(low, rel, n, dates.get(n.start))
        return Extracted(entity=ent.text, entity_id=ent.entity_id, metric=metric, scope=scope, period=period,
                         value=value, unit="percent", bound=n.bound_hint or "exact",
                         kind=C.kind_of(low[:rel], low[rel:]), start=n.start, end=n.end, quote=sent.text,
                         sentence_start=sent.start, change=change, number_text=n.text)

    def _base_date(self, n: NumberMatch) -> DateMatch | None:
        """The period a change is measured from: "up 98.3% from the first quarter of 2025"."""
        i = bisect_left(self.d_starts, n.end)
        if i < len(self.dates):
            d = self.dates[i]
            m = C.COMPARED_BASE.search(self.low_text[max(n.end, d.start - 40):d.start]) if d.period else None
            if m is None and d.period:  # "up 40.3% from 86,165 in the third quarter"
                m = C.BASE_FIGURE_IN.search(self.low_text[max(n.end, d.start - 45):d.start])
            if m is None and d.period and d.precision in ("month", "quarter", "half", "year"):
                m = re.search(r"\bon\s+(?:the\s+)?$", self.low_text[max(n.end, d.start - 40):d.start])  # "up 65.5%
                # on the third quarter" (British usage)
            if m is not None and d.start - n.end <= 45:
                gap = self.low_text[n.end:max(n.end, d.start - 40) + m.start()]
                if len(gap) <= 25 and not re.search(r"[.,;]|\bbut\b|\band\b|year|month|quarter", gap):
                    return d
        return None

    def _thresholds(self, sent: Sentence, n: NumberMatch, volumes: list[NumberMatch], durations: list[NumberMatch],
                    portions: list[NumberMatch]) -> tuple[float | None, float | None, set[int], float | None]:
        """(from, to, figures used as thresholds, size of the latest span) of one duration: read after it up to
        the next duration or the end of its clause ("took five years to reach the first 500,000"), else before
        it ("From first delivery to 1 million took 58 months"). Figures in "from X to Y" are thresholds, not
        facts of their own; "the latest 400,000 took 10 months" is the span ending at the latest milestone."""
        i = durations.index(n)
        after_end = durations[i + 1].start if i + 1 < len(durations) else sent.end
        cut = C.CLAUSE_END.search(self.low_text, n.end, after_end)
        after_end = cut.start() if cut else after_end
        before_start = durations[i - 1].end if i > 0 else sent.start
        whole = self.low_text[sent.start:sent.end]
        spans = ((n.end, after_end), (before_start, n.start))
        pre = [a for a in volumes if before_start <= a.start < n.start]
        if len(pre) >= 2 and C.FROM_BEFORE.search(self.low_text[max(0, pre[-2].start - 16):pre[-2].start]):
            spans = spans[::-1]  # "going from 1 million to 2 million took 389 days"
        for lo, hi in spans:
            frm = to = None
            used: set[int] = set()
            last = [p for p in portions if lo <= p.start < hi]
            if last:  # "passed 600,000 in January, so the latest 400,000 were built in 10 months": the span
                near = last[-1] if hi == n.start else last[0]
                lo, hi = (near.end, hi) if hi == n.start else (lo, near.start)
            for a in volumes:
                if not (lo <= a.start < hi):
                    continue
                pre = self.low_text[max(lo, a.start - 16):a.start]
                if C.FROM_BEFORE.search(pre):
                    frm = a.value
                    if not any(d.period for d in _within(self.dates, self.d_starts, a.end, a.end + 46)):
                        used.add(a.start)  # (not "after the 3 millionth left the line on Oct. 11, 2024": a fact)
                elif C.TO_BEFORE.search(pre) or self.low_text[a.end:a.end + 6].startswith(" mark"):
                    to = a.value
                    if C.THRESHOLD_ONLY.search(pre) and not self._dated_as_of(sent):
                        used.add(a.start)  # "to reach the first 500,000": not a figure of its own
            if to is not None or frm is not None:
                if frm is None and C.FROM_START.search(whole):
                    frm = 0.0
                return frm, to, used, None
            if last:
                return None, None, set(), near.value
        return (0.0 if C.FROM_START.search(whole) else None), None, set(), None

    def _dated_as_of(self, sent: Sentence) -> bool:
        """"By November 2025, it had taken 20 months to hit 500,000": the threshold is also a dated total."""
        return any(C.AS_OF.search(self.low_text[max(0, d.start - 20):d.start])
                   for d in self.dates if sent.start <= d.start < sent.end)

    def _other(self, sent, low, kind, n, m, ms, facts, thresholds) -> Extracted | None:
        """A ratio ("2.3 times") or a duration ("took 58 months") of the maker talked about."""
        before = [x for x in ms if x.end <= n.start]
        ent = self._former_latter(self._clause(sent, n)[0], n) or (
            before[-1] if before else self._subject_for(self.low_text[sent.start:n.start]))
        if ent is None or (not ms and C.GENERIC_SUBJECT.search(low)):
            return None
        miles = [f for f in facts if f.unit == "vehicles" and f.scope == "cumulative" and f.end <= n.start]
        if kind == "duration" and miles and self.registry is not None and miles[-1].entity_id in {
                a.id for a in self.registry.ancestors(ent.entity_id)}:  # "its 1 millionth car, an ES8, ... seven
            e = self.registry.get(miles[-1].entity_id)                   # years after": the maker's milestone
            ent = Mention(miles[-1].start, miles[-1].end, miles[-1].entity, e.id, e.kind, e.parent)
        vol = [f for f in facts if f.unit == "vehicles" and f.entity_id == ent.entity_id and f.end <= n.start] or \
            [f for f in facts if f.unit == "vehicles" and f.entity_id == ent.entity_id]
        base = vol[0] if vol and kind == "times" else vol[-1] if vol else self.ctx.last.get(ent.entity_id)
        if kind == "times":  # "..., and last year it nearly doubled again, to 596,555": the figure it doubled to
            to = next((f for f in facts if f.unit == "vehicles" and f.entity_id == ent.entity_id
                       and 0 <= f.start - n.end <= 30 and C.RATIO_TO.fullmatch(self.low_text, n.end, f.start)), None)
            last = self.ctx.last.get(ent.entity_id)
            if to is not None:
                base = to
            elif base is not None and last is not None and last.kind == "actual" and (
                    base.kind != "actual" and base.start > n.end  # "more than doubled its deliveries, ... and beat
                    or self._earlier_figure(base, None)):        # its 380,000 goal"; "tripled from its 2024 total of"
                base = last
        if kind == "duration" and not vol:  # "the company got there 58 months after...": its latest milestone
            miles = [f for f in self.ctx.history.get(ent.entity_id, []) if f.scope == "cumulative"
                     and _milestone_value(f.value)]
            base = miles[-1] if miles else base
        metric = base.metric if base else (C.nearest_keyword(C.METRIC_RES, low, n.start - sent.start) or "deliveries")
        if kind == "times":  # a ratio takes the period of the figure it is about, or the year it names
            k = C.kind_of(low[:n.start - sent.start], low[n.end - sent.start:])
            near = [d for d in self.dates if sent.start <= d.start < sent.end and d.period and not _is_event(self, d)
                    and (d.end <= n.start or re.search(r"\bin\s+$", self.low_text[max(0, d.start - 5):d.start])
                         or (0 <= d.start - n.end < 20 and C.METRIC_NOUN_AFTER.match(self.low_text[d.end:d.end + 25])))]
            if near and not vol:
                d0 = min(near, key=lambda d: abs(_dist(d, n)))
                if base is not None:
                    base = replace(base, scope=_scope_of(d0.precision), period=d0.period)
                else:
                    return Extracted(entity=ent.text, entity_id=ent.entity_id, metric=metric,
                                     scope=_scope_of(d0.precision), period=d0.period, value=n.value, unit="times",
                                     bound=n.bound_hint or "exact", kind=k, start=n.start, end=n.end,
                                     quote=sent.text, sentence_start=sent.start, number_text=n.text)
            return Extracted(entity=ent.text, entity_id=ent.entity_id, metric=metric,
                             scope=base.scope if base else "", period=base.period if base else "",
                             value=n.value, unit="times", bound=n.bound_hint or "exact",
                             kind=k if k != "actual" or not base else base.kind, start=n.start, end=n.end,
                             quote=sent.text, sentence_start=sent.start, number_text=n.text)
        value, end = n.value, n.end
        if m.re is C.YEARS_AND_MONTHS:  # "one year and seven months"
            months = _WORD_NUMS.get(m.group(1).lower())
            if months is None:
                return None
            value, unit, end = n.value * 12 + months, "months", n.end + m.end()
        elif m.group("unit") is None:
            unit = C.ZH_DURATION_UNIT[m.group("zh")]
        else:
            unit = m.group("unit").lower().rstrip("s") + "s"
            if m.group("pre") or m.group("post"):  # "a year and a half", "one and a half years"
                value, end = value + 0.5, n.end + m.end()
            if unit == "weeks":
                value, unit = value * 7, "days"
            elif unit == "decades":
                value, unit, end = value * 10, "years", n.end + m.end()  # "more than a decade"
        frm, to, _, last = thresholds
        if last is not None:  # "the latest 400,000 took 10 months": the span ending at the maker's latest milestone
            top = max((f for f in facts + self.ctx.history.get(ent.entity_id, [])
                       if f.entity_id == ent.entity_id and f.unit == "vehicles" and f.scope == "cumulative"
                       and _milestone_value(f.value) and f.value > last), key=lambda f: f.value, default=None)
            if top is not None:
                base, to, frm = top, top.value, top.value - last
        bound = n.bound_hint or ("upper" if re.search(r"\b(?:within|inside|under)\s+(?:just\s+|only\s+)?$",
                                                       self.low_text[max(0, n.start - 20):n.start]) else "exact")
        if to is None and base is not None and base.scope == "cumulative" and _milestone_value(base.value):
            to = base.value
        if to is not None:
            ended = [f for f in facts + self.ctx.history.get(ent.entity_id, [])
                     if f.entity_id == ent.entity_id and f.value == to and f.unit == "vehicles"]
            base = next((f for f in ended if f.period), ended[0]) if ended else base  # (a dated telling of the
            metric = base.metric if base else metric                                 # milestone, not a headline's)
        if to is None:
            return None  # "profitable roughly 18 months after the launch": no milestone, no volume duration
        # a duration is dated by the milestone it ends at, when that is the figure talked about
        period = base.period if base is not None and to is not None and base.value == to else ""
        if not period and to is not None:  # "17 months to deliver its first 50,000, a mark it passed in April 2021"
            near = [d for d in self.dates if sent.start <= d.start < sent.end and d.period and d.start > n.end]
            period = near[0].period if near else ""
        said = C.nearest_keyword(C.METRIC_RES, self.low_text[n.end:sent.end], 0)
        known = self.ctx.history.get(ent.entity_id, []) + [f for f in facts if f.entity_id == ent.entity_id]
        if said and to is not None and not any(f.value == to for f in known):
            metric = said  # "17 months to deliver its first 50,000": the threshold's own verb
        return Extracted(entity=ent.text, entity_id=ent.entity_id, metric=metric, scope="cumulative", period=period,
                         value=value, unit=unit, bound=bound,
                         kind=C.kind_of(low[:n.start - sent.start], ""), start=n.start, end=end, quote=sent.text,
                         sentence_start=sent.start, from_threshold=frm, to_threshold=to,
                         number_text=self.text[n.start:end])


def _ended_by(period: str, scope: str, published: dt.date) -> str:
    """A month, quarter or half reported as done but resolved to one not over at publication ("the first
    half" in an early-January story), or a total dated in the future ("by the end of the year"): the same
    period a year earlier."""
    y = period[:4]
    if not y.isdigit():
        return period
    if scope == "cumulative":
        first = (int(y), int(period[5:7])) if re.fullmatch(r"\d{4}-\d{2}", period) else None
        return str(int(y) - 1) + period[4:] if first and first > (published.year, published.month) else period
    if re.fullmatch(r"\d{4}-\d{2}", period):
        end = (int(y), int(period[5:]))
    elif m := re.fullmatch(r"\d{4}-Q(\d)", period):
        end = (int(y), int(m.group(1)) * 3)
    elif m := re.fullmatch(r"\d{4}-H(\d)", period):
        end = (int(y), int(m.group(1)) * 6)
    else:
        return period
    if end >= (published.year, published.month):
        return str(int(y) - 1) + period[4:]
    return period


def _range_scope(period: str) -> tuple[str, str]:
    """A span of months: a calendar quarter or half is that ("from April to June" = Q2), else year-to-date."""
    m = re.fullmatch(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})", period)
    if m and m.group(1) == m.group(3):
        a, b = int(m.group(2)), int(m.group(4))
        if b - a == 2 and a % 3 == 1 and a != 1:
            return "quarter", f"{m.group(1)}-Q{(a + 2) // 3}"
        if (a, b) == (7, 12):
            return "half", f"{m.group(1)}-H2"
    return "ytd", period


def _change_between(period: str, base: str) -> str:
    """yoy / mom / qoq between a figure's period and the period it is compared with, when they say so."""
    period, base = _as_quarter(period), _as_quarter(base)
    y, b = period[:4], base[:4]
    if not (y.isdigit() and b.isdigit()) or len(period) != len(base):
        return ""
    if period[4:] == base[4:] and int(y) - int(b) == 1:
        return "yoy"
    if re.fullmatch(r"\d{4}-\d{2}", period) and re.fullmatch(r"\d{4}-\d{2}", base):
        a, c = int(y) * 12 + int(period[5:]), int(b) * 12 + int(base[5:])
        return "mom" if a - c == 1 else ""
    if re.fullmatch(r"\d{4}-Q\d", period) and re.fullmatch(r"\d{4}-Q\d", base):
        a, c = int(y) * 4 + int(period[6]), int(b) * 4 + int(base[6])
        return "qoq" if a - c == 1 else ""
    return ""


def _as_quarter(period: str) -> str:
    """"2025-04/2025-06" (April-June) -> "2025-Q2"; any other period unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{2})/\1-(\d{2})", period)
    if m and int(m.group(3)) - int(m.group(2)) == 2 and int(m.group(2)) % 3 == 1:
        return f"{m.group(1)}-Q{int(m.group(3)) // 3}"
    return period


def _falling(low: str, rel: int, length: int) -> bool:
    """Is the change a decline? The direction word nearest before the figure decides ("增长33.3%，同比下降24.4%"),
    else one just after it ("a 7.1% decline")."""
    direct = C.DIRECTION_RIGHT_AFTER.match(low, rel + length)  # "4.3% fewer than in April but 230.4% more than"
    if direct:
        return direct.group(1) in ("less", "lower", "fewer", "below", "down", "smaller")
    before = low[max(0, rel - 30):rel]
    ups = [m.end() for m in C.UP.finditer(before)]
    downs = [m.end() for m in C.DOWN.finditer(before)]
    if ups or downs:
        return max(downs, default=-1) > max(ups, default=-1)
    at = rel + length + C.CHANGE_WORD_AFTER.match(low, rel + length).end() - (rel + length)  # "5% year-on-year fall"
    return bool(C.DOWN.search(low[at:at + 12]))


def _is_event(reader: DocumentReader, d) -> bool:
    """A date of an announcement or of a start ("launched in April", "since ... in 2018", "when it reported
    third-quarter results")."""
    low = reader.low_text
    event = C.EVENT_BEFORE_DATE.search(low[max(0, d.start - 40):d.start])
    if event is not None and C.CHANGE_NOUN.search(event.group(0)):
        event = None  # "reported a broad rebound in March", "reported deliveries in May": what happened then
    return bool(event or
                C.SINCE_BEFORE_DATE.search(low[max(0, d.start - 70):d.start]) or
                (C.EVENT_VERB_BEFORE.search(low[max(0, d.start - 25):d.start]) and
                 C.EVENT_RESULTS_AFTER.match(low[d.end:d.end + 14])))


def _months(period: str) -> tuple[str, str]:
    """First and last month ("YYYY-MM") a period covers; ("", "") if it is not a period."""
    if re.fullmatch(r"\d{4}", period):
        return f"{period}-01", f"{period}-12"
    if m := re.fullmatch(r"(\d{4})-([QH])([1-4])", period):
        k, span = int(m.group(3)), 3 if m.group(2) == "Q" else 6
        return f"{m.group(1)}-{(k - 1) * span + 1:02d}", f"{m.group(1)}-{k * span:02d}"
    if re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", period):
        return period[:7], period[:7]
    if re.fullmatch(r"\d{4}-\d{2}/\d{4}-\d{2}", period):
        return period[:7], period[8:]
    return "", ""


def _quarter_of(period: str) -> str:
    """The quarter a month or quarter period falls in ("2025-09" -> "2025-Q3"); "" otherwise."""
    if re.fullmatch(r"\d{4}-Q[1-4]", period):
        return period
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return f"{period[:4]}-Q{(int(period[5:]) - 1) // 3 + 1}"
    return ""


def _is_year(y: str) -> bool:
    return y.isdigit() and 1990 <= int(y) <= 2039


_BRAND_WORDS: dict[tuple[int, str, str], list] = {}


def _brand_words(registry: Registry, group_id: str, text: str) -> list:
    """For a group named ``text``: each brand, whether its names start with the group's name ("NIO brand"), and
    the words that tell it apart ("China", "Shanghai" for Tesla China) as one regex (None without any). Cached."""
    key = (id(registry), group_id, text)
    if key not in _BRAND_WORDS:
        group = registry.get(group_id)
        bases = [a.lower() for a in (group.name, *group.aliases) if text.startswith(a.lower())]
        name = min(bases, key=len) if bases else text  # "Tesla Inc.'s China-made cars": "tesla"
        out = []
        for child in registry.children(group_id):
            names = [a.lower() for a in (child.name, *child.aliases)]
            extras = {a[len(name):].strip(" ()") for a in names if a.startswith(name + " ")}
            extras = sorted(e for e in extras if e and e not in ("brand", "marque"))
            words = re.compile(r"\b(?:" + "|".join(map(re.escape, extras)) + r")\b") if extras else None
            out.append((child, any(a.startswith(name) for a in names), words))
        _BRAND_WORDS[key] = out
    return _BRAND_WORDS[key]


def _year_back(period: str, to: str | None = None) -> str:
    """The same period a year earlier ("2025-07" -> "2024-07", "2025-Q3" -> "2024-Q3", "2025-01/2025-10" ->
    "2024-01/2024-10"), or in year ``to``; "" if not a period."""
    if re.fullmatch(r"\d{4}(?:-(?:\d{2}|Q[1-4]|H[12]))?", period or ""):
        return f"{to or int(period[:4]) - 1}{period[4:]}"
    if re.fullmatch(r"(\d{4})-\d{2}/\1-\d{2}", period or ""):
        year = to or str(int(period[:4]) - 1)
        return f"{year}{period[4:8]}{year}{period[12:]}"
    return ""


def _precision_of_period(period: str) -> str:
    return "year" if len(period) == 4 else "ytd" if "/" in period else {"Q": "quarter", "H": "half"}.get(
        period[5], "month")


def _precision_of(f: Extracted) -> str:
    return {"month": "month", "quarter": "quarter", "half": "half", "year": "year", "ytd": "ytd",
            "cumulative": "day" if len(f.period) == 10 else "month"}.get(f.scope, "month")


def _scope_of(precision: str) -> str:
    return {"month": "month", "quarter": "quarter", "half": "half", "year": "year", "ytd": "ytd",
            "range": "ytd", "day": "month"}.get(precision, "month")


def _milestone_value(v: float) -> bool:
    return v >= 10_000 and v % 10_000 == 0


def _milestone_like(n: NumberMatch) -> bool:
    """A round threshold (100,000, 150,000, 1 million...) rather than a reported count."""
    return n.unit == "ordinal" or (n.value >= 100_000 and n.value % 50_000 == 0)


_WORD_NUMS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven".split())}
_WORD_NUMS.update({str(i): i for i in range(12)})
