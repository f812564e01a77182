"""Extraction: a pure function ``Document -> facts``, with provenance (document, sentence, char span).

No I/O and no mutable global state: the same code runs in a process pool or on a cluster. The entity
registry is passed in (or the shipped one, read once and cached).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..entities import Registry
from ..errors import ExtractionTimeoutError
from ..model import Document, Fact, Origin, Provenance
from .dates import find_dates
from .facts import DocumentReader, Extracted
from .numbers import NumberMatch, drop_overlapping, duration_words, find_numbers
from .tables import TableReader, table_runs
from .text import finder_for, sentences

EXTRACTOR_VERSION = "evpace-extract/0.1"
__all__ = ["EXTRACTOR_VERSION", "Extracted", "default_registry", "extract", "to_fact", "to_record"]


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The shipped entity registry (read once)."""
    from ..dataset import data_dir, read_entities

    return read_entities(data_dir() / "entities.csv")


_MULTIPLIER = re.compile(r"(?:(more than|over|nearly|almost|about|roughly)\s+)?\b(double|doubled|doubling|"
                         r"triple|tripled|"
                         r"tripling|quadruple|quadrupled)\b", re.IGNORECASE)
_MULT_HINT = re.compile(r"doubl|tripl|quadrupl", re.IGNORECASE)
_MULT_VALUE = {"doub": 2.0, "trip": 3.0, "quad": 4.0}
_BOUND = {"more than": "lower", "over": "lower", "nearly": "approx", "almost": "approx", "about": "approx",
          "roughly": "approx"}


def multipliers(text: str) -> list[NumberMatch]:
    """"double", "more than triple"... as ratio figures (unit ``times``)."""
    out: list[NumberMatch] = []
    if not _MULT_HINT.search(text):
        return out
    for m in _MULTIPLIER.finditer(text):
        value = _MULT_VALUE[m.group(2).lower()[:4]]
        bound = _BOUND.get((m.group(1) or "").lower())
        out.append(NumberMatch(value, m.start(), m.end(), m.group(0), bound, False, False, "times"))
    return out


_FULL_YEAR = re.compile(r"\b(20[12]\d)\b")


def context_year(text: str) -> int | None:
    """For undated documents: the year most often written in the text, if any."""
    years = Counter(_FULL_YEAR.findall(text))
    return int(years.most_common(1)[0][0]) if years else None


_EU_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d,])\s?(?:%|％|per ?cent|million|billion|mio\b|mrd\b)")
_EU_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d]|,\d)")
_EN_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d]|\.\d)")
_EN_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3}\.\d{1,2}(?![\d.])\s?(?:%|％|per ?cent|million|billion)")
_SEPARATOR = re.compile(r"(?<=\d)[.,](?=\d)")


def _swap(m: re.Match) -> str:
    return "," if m.group() == "." else "."


def decimal_comma(text: str) -> bool:
    """Does the text write numbers the continental way, a dot for thousands and a comma for decimals
    ("596.555 vehicles, 103,1 % more")? Decided for the whole document: decimal commas must occur, and
    continental forms must outnumber English ones ("1,234", "5.2%") more than twice."""
    if "," not in text or not _EU_DECIMAL.search(text):
        return False
    eu = len(_EU_DECIMAL.findall(text)) + len(_EU_THOUSANDS.findall(text))
    en = len(_EN_THOUSANDS.findall(text)) + len(_EN_DECIMAL.findall(text))
    return eu >= 3 and eu > 2 * en


def _published(doc: Document) -> dt.date | None:
    try:
        return dt.date.fromisoformat(doc.published) if doc.published else None
    except ValueError:
        return None


TIME_LIMIT_S = 10.0  # per document; a normal 5 KB article takes ~20 ms, 1 MB of ordinary news ~5 s


def extract(doc: Document, registry: Registry | None = None, *, time_limit: float | None = None
            ) -> list[Extracted]:
    """Every figure the document states about a maker's volume (see docs/extraction.md). Raises
    :class:`~evpace.errors.ExtractionTimeoutError` past ``time_limit`` seconds (default
    :data:`TIME_LIMIT_S`; 0: no limit), so one pathological text cannot hold up a batch; a document is read
    whole or not at all."""
    time_limit = TIME_LIMIT_S if time_limit is None else time_limit
    deadline = time.perf_counter() + time_limit if time_limit > 0 else None
    registry = registry or default_registry()
    text = doc.text
    pub = _published(doc)
    ctx_year = None if pub else context_year(text)
    low = text.lower()
    mentions = finder_for(registry).find(text, low)
    if not mentions:
        return []  # every fact is about a maker named in the text (aliases and cashtags included)
    sents = sentences(text)
    dates, numbers = [], []
    continental = decimal_comma(text)
    for lo, hi in _chunks(text, sents, low):  # only sentences that may hold a figure or a date are scanned
        part = text[lo:hi]
        ds = [d for d in find_dates(part, pub, ctx_year) if not _name_not_month(part, d)]
        if continental:  # "596.555 vehicles, 103,1 % more": read with the separators swapped (same offsets)
            ns = [replace(n, text=part[n.start:n.end]) for n in find_numbers(_SEPARATOR.sub(_swap, part))]
            ns = drop_overlapping(ns, ds)
        else:
            ns = drop_overlapping(find_numbers(part), ds)
        ns += multipliers(part) + drop_overlapping(duration_words(part), ns)
        dates += [_shift(d, lo) for d in ds]
        numbers += [_shift(n, lo) for n in ns]
    if not numbers:
        return []
    numbers.sort(key=lambda n: n.start)
    if ("that " in low or "same " in low) and (_THAT_YEAR.search(low) or _THAT_MONTH.search(low)):
        dates = that_year(text, dates)
    reader = DocumentReader(text, pub, mentions, dates, numbers, registry)
    tables = {run[0].start: run for run in table_runs(text, sents)} if "|" in text else {}
    tab = TableReader(text, reader.low_text, pub, mentions, dates, numbers) if tables else None
    out: list[Extracted] = []
    skip_to = -1
    for i, s in enumerate(sents):
        if deadline is not None and i % 8 == 0 and time.perf_counter() > deadline:
            raise ExtractionTimeoutError(path=doc.name or doc.id, limit=time_limit)
        if s.start < skip_to or _LINK_LINE.match(s.text):
            continue  # ("Related: Leapmotor tops 70,000 for the first time": another article's headline)
        run = tables.get(s.start)
        if run is not None and tab is not None:
            facts, used = tab.read(run, (reader.ctx.metric, reader.ctx.scope, reader.ctx.period),
                                   reader.ctx.org or reader.ctx.subject)
            if facts:
                out.extend(facts)
                reader.remember(facts)
                skip_to = used[-1].end
                continue
        out.extend(reader.read(s))
    return out


_LINK_LINE = re.compile(r"\W*(?:related(?: articles?| stories| news)?|read more|read also|also read|see also|"
                        r"recommended|more from [\w ]{1,30}|you may also like|further reading|more on this)"
                        r"\s*[:：|>»-]", re.I)

# Run on lower-cased text (no IGNORECASE: ~3x faster); word alternatives start at a word boundary.
_MAY_HOLD = re.compile(r"[\d万亿零一二三四五六七八九十年月季]|\b(?:million|billion|thousand|hundred|lakh|crore|double|"
                       r"triple|quadruple|half|dozen|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                       r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|jan|feb|mar|apr|may|jun|jul|aug|sep|"
                       r"oct|nov|dec|quarter|year|month|week|today|yesterday|q[1-4]\b|h[12]\b)|"
                       r"\B(?:million|billion|thousand|hundred|lakh|crore|double|triple|quadruple|half|dozen|jan|feb|"
                       r"mar|apr|may|jun|jul|aug|sep|oct|nov|dec|quarter|year|month|week|today|yesterday)")


def _chunks(text: str, sents, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of consecutive sentences that may hold a number or a date (``low``: the text lower-cased)."""
    out: list[tuple[int, int]] = []
    low = text.lower() if low is None else low
    for s in sents:
        if not _MAY_HOLD.search(low, s.start, s.end):
            continue
        if out and text[out[-1][1]:s.start].strip() == "":
            out[-1] = (out[-1][0], s.end)
        else:
            out.append((s.start, s.end))
    return out


_THAT_MONTH = re.compile(r"\b(?:that|same) (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
_THAT_YEAR = re.compile(r"\b(?:(?:of|in|during|by the end of|at the end of)\s+)?(?:that|the same) year\b", re.I)
_OF_THAT_YEAR = re.compile(r"\s*,?\s*(?:of|in)\s+(?:that|the same) year\b", re.I)


def that_year(text: str, dates: list) -> list:
    """"By the end of that year", "in March of that year": the year of the last date named before it."""
    from .dates import _new_date

    dates = sorted(dates, key=lambda d: d.start)
    out = []
    last_year = written_year = ""
    carry = None
    taken = [(d.start, d.end) for d in dates]
    extra = []
    for m in _THAT_YEAR.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        extra.append(m)
    i = 0
    for d in dates:
        while i < len(extra) and extra[i].start() < d.start:
            if last_year:
                m = extra[i]
                out.append(_new_date(m.start(), m.end(), m.group(0), last_year, "year", True, None))
            i += 1
        tail = _OF_THAT_YEAR.match(text, d.end)
        that = d.relative and text[max(0, d.start - 5):d.start].lower() in ("that ", "same ")
        follows = carry is not None and d.relative and d.start - carry[1] < 80 and "." not in text[carry[1]:d.start]
        year = last_year if tail else written_year if that or follows else ""
        if year and d.period and d.precision in ("month", "day", "quarter", "half"):
            # "in March of that year"; "delivered 100 cars that June and 381 in July": the year last written
            d = _new_date(d.start, d.end, d.text, year + d.period[4:], d.precision, True, d.qualifier)
        carry = (year, d.end) if year and (that or follows) else None
        if d.period and d.period[:4].isdigit():
            last_year = d.period[:4]
            if not d.relative:
                written_year = last_year
        out.append(d)
    for m in extra[i:]:
        if last_year:
            out.append(_new_date(m.start(), m.end(), m.group(0), last_year, "year", True, None))
    return sorted(out, key=lambda d: d.start)


def _name_not_month(part: str, d) -> bool:
    """"Lei Jun", "Mar" in a name: a bare month abbreviation after a capitalised word is not a date."""
    from .cues import BARE_MONTH

    return bool(BARE_MONTH.fullmatch(d.text) and re.search(r"[A-Z][a-z]+\s+$", part[max(0, d.start - 20):d.start]))


def _shift(m, offset: int):
    """A number or date match moved by ``offset`` characters (matches are found per chunk). An equal
    object to ``dataclasses.replace(m, start=..., end=...)``, built without the frozen ``__init__``
    (``replace`` was 5% of the extraction time)."""
    if not offset:
        return m
    obj = object.__new__(type(m))
    d = obj.__dict__
    d.update(m.__dict__)
    d["start"] += offset
    d["end"] += offset
    return obj


def to_record(x: Extracted, doc: Document) -> dict[str, Any]:
    """The JSON object ``evpace extract`` prints for one figure."""
    return {"doc": doc.name, "document_id": doc.id, "entity": x.entity, "entity_id": x.entity_id,
            "metric": x.metric, "scope": x.scope, "period": x.period, "value": x.value, "unit": x.unit,
            "bound": x.bound, "kind": x.kind, "change": x.change, "from_threshold": x.from_threshold,
            "to_threshold": x.to_threshold, "text": x.number_text, "quote": x.quote, "start": x.start,
            "end": x.end, "url": doc.url, "published": doc.published, "extractor": EXTRACTOR_VERSION}


def to_fact(x: Extracted, doc: Document) -> Fact | None:
    """A storable :class:`Fact` for a volume figure with a period (percents and durations are claims)."""
    if x.unit != "vehicles" or not x.period or not x.scope:
        return None
    from ..dataset import publisher_of

    url = doc.url or f"doc:{doc.id}"
    origin = Origin(url=url, publisher=publisher_of(url) if doc.url else (doc.name or "document"), title=doc.title,
                    published=doc.published, published_basis="source" if doc.published else "unknown")
    prov = Provenance(document_id=doc.id, sentence=x.quote, start=x.start, end=x.end, extractor=EXTRACTOR_VERSION)
    flags = ("rounded",) if _ROUNDED.search(x.number_text) else ()
    return Fact(entity_id=x.entity_id, metric=x.metric, scope=x.scope, period=x.period, value=x.value,
                bound=x.bound, kind=x.kind, origin=origin, provenance=prov, flags=flags)


# "34.6k", "1.1 million", "38.63万": written to a scale, so rounded (not "the 1 millionth vehicle")
_ROUNDED = re.compile(r"\d\s*(?:k|m|mn|bn|million|billion|thousand|lakh|crore|万|亿)(?![a-z])", re.IGNORECASE)
