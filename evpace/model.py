"""Core types shared by every pipeline stage.

Data flows one way: sources -> extract -> store -> series -> analytics/check/forecast -> present.
These types are plain dataclasses so that extraction stays a pure function and results can be
serialised to JSON without special encoders (see :func:`to_dict`).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any

METRICS = ("deliveries", "sales", "production", "orders")
#: Metrics that measure vehicles reaching customers; a series of one may fall back to the other.
VOLUME_FAMILY = ("deliveries", "sales")
SCOPES = ("month", "quarter", "half", "year", "ytd", "cumulative")
BOUNDS = ("exact", "approx", "lower", "upper")
KINDS = ("actual", "target", "expected", "estimate")
ENTITY_KINDS = ("group", "brand", "model")
#: Flags a fact may carry (semicolon-separated in CSV).
FLAGS = (
    "derived",  # computed by the source or the curator from other reported figures
    "rounded",  # the source rounded the figure
    "conflicts",  # the source itself notes a disagreement with another source
    "secondary",  # a secondary source (e.g. a scraper of another site's tables)
    "suspect",  # an audit found reason to doubt the row (mislabelled entity, repeated value...)
    "range-low",  # low end of a range ("500,000-600,000")
    "range-high",  # high end of a range
)


@dataclass(frozen=True)
class Origin:
    """Where a figure comes from (after owid/etl's Origin)."""

    url: str
    publisher: str = ""
    title: str = ""
    published: str | None = None  # YYYY-MM-DD when known
    published_basis: str = "unknown"  # source | url | assumed | unknown
    accessed: str | None = None

    @functools.cached_property  # a content hash of immutable fields: computed once
    def id(self) -> str:
        """Stable identifier: a short hash of the URL."""
        return hashlib.sha1(self.url.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Entity:
    """A group, brand or model. ``parent`` is the id of the enclosing group or brand."""

    id: str
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    rollup: str = "none"  # complete | partial | none: may a group's total be summed from its brands?
    tags: tuple[str, ...] = ()  # e.g. "upstart" (a startup EV maker, as the trade press groups them)
    note: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class Event:
    """A dated event that is not a volume figure: first delivery, first production, launch."""

    entity_id: str
    event: str  # first_delivery | first_production | launch
    date: str  # YYYY-MM-DD or YYYY-MM
    status: str = "confirmed"  # confirmed | planned | internal
    place: str = ""
    model: str = ""
    note: str = ""
    origin: Origin | None = None
    origin_ref: str = ""  # file:line of the curated input

    @property
    def precision(self) -> str:
        return "day" if len(self.date) == 10 else "month"


@dataclass(frozen=True)
class Provenance:
    """Where in a document a fact was read (empty for curated dataset rows)."""

    document_id: str | None = None
    sentence: str | None = None
    start: int | None = None
    end: int | None = None
    extractor: str | None = None
    origin_ref: str = ""  # file:line of a curated dataset row


@dataclass(frozen=True)
class Fact:
    """One reported figure: entity, metric, scope, period, value, bound, kind, with its origin.

    ``period`` is ``YYYY`` (year), ``YYYY-Qn``, ``YYYY-Hn``, ``YYYY-MM`` (month),
    ``YYYY-MM/YYYY-MM`` (year-to-date range) or ``YYYY-MM-DD`` / ``YYYY-MM`` for a cumulative
    figure as of that day or month.
    """

    entity_id: str
    metric: str
    scope: str
    period: str
    value: float
    bound: str = "exact"
    kind: str = "actual"
    basis: str = ""  # e.g. "domestic" for China retail only; empty = the entity's usual basis
    flags: tuple[str, ...] = ()
    note: str = ""
    place: str = ""
    origin: Origin = field(default_factory=lambda: Origin(url=""))
    provenance: Provenance = field(default_factory=Provenance)
    recorded_at: str | None = None

    @functools.cached_property  # a content hash of immutable fields: computed once
    def id(self) -> str:
        """Content hash: the same figure from the same place is the same fact."""
        key = "|".join(
            str(x)
            for x in (
                self.entity_id, self.metric, self.scope, self.period, _num(self.value),
                self.bound, self.kind, self.basis, self.origin.url,
                self.provenance.document_id or "", self.provenance.start, self.provenance.origin_ref,
            )
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]

    @property
    def as_of(self) -> dt.date:
        """The last day the figure describes (end of month / year, or the day itself)."""
        return period_end(self.period)

    @property
    def published(self) -> str | None:
        return self.origin.published


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_end(period: str) -> dt.date:
    """Last day covered by a period string (see :class:`Fact`)."""
    p = period.split("/")[-1]
    if len(p) == 4:
        return dt.date(int(p), 12, 31)
    if len(p) == 10:
        return dt.date.fromisoformat(p)
    y, rest = p[:4], p[5:]
    if rest.startswith("Q"):
        return month_end(int(y), int(rest[1]) * 3)
    if rest.startswith("H"):
        return month_end(int(y), int(rest[1]) * 6)
    return month_end(int(y), int(rest))


def period_start(period: str) -> dt.date:
    """First day covered by a period string."""
    p = period.split("/")[0]
    if len(p) == 4:
        return dt.date(int(p), 1, 1)
    if len(p) == 10:
        return dt.date.fromisoformat(p)
    y, rest = int(p[:4]), p[5:]
    if rest.startswith("Q"):
        return dt.date(y, (int(rest[1]) - 1) * 3 + 1, 1)
    if rest.startswith("H"):
        return dt.date(y, (int(rest[1]) - 1) * 6 + 1, 1)
    return dt.date(y, int(rest), 1)


def to_dict(obj: Any) -> Any:
    """Recursively turn dataclasses (and tuples, dates) into JSON-ready values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


@dataclass(frozen=True)
class Document:
    """A news item to extract from. ``id`` is the SHA-1 of the text, so the same text is the same document
    whatever file or feed it came from; ``name`` is what the user calls it (file stem or JSONL ``id``)."""

    text: str
    name: str = ""
    url: str = ""
    title: str = ""
    published: str | None = None  # YYYY-MM-DD when known
    path: str = ""  # file (and ``:line`` for JSONL, ``#n`` for feed items) it was read from

    @functools.cached_property  # a content hash of immutable fields: computed once
    def id(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()
