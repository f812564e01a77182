"""Tables: figures laid out in rows and columns rather than sentences.

A table is a run of two or more lines with cells between ``|`` (Markdown pipe tables; the HTML reader
writes ``<table>`` rows the same way). The first line is the header; a ``|---|`` line under it is
skipped. Each body cell holding a figure becomes a fact whose

- maker is the registry name in the row's label cell (or in the column's header, for tables with one
  maker per column),
- period is the date in the column's header (``March``, ``Q1 2026``, ``2025``) or in the row's label,
  or, failing both, the period the text before the table talks about,
- metric is a metric word in the header, else in the caption (the line under the table) or in the
  paragraph before it, else deliveries,
- a column headed ``YoY``, ``MoM``, ``change`` or ``%`` holds percent changes of the figure column to
  its left.

Numbers, dates and mentions come from the document-wide passes, so offsets are the document's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import cues as C
from .dates import DateMatch, _new_date
from .facts import Extracted, _change_between
from .numbers import NumberMatch
from .text import Mention, Sentence

_SEPARATOR = re.compile(r"^[\s|:\-–—]+$")
_YOY = re.compile(r"\byoy\b|y/y|y-o-y|year[\s-]on[\s-]year|year[\s-]over[\s-]year|vs\.? (?:a )?year|同比")
_MOM = re.compile(r"\bmom\b|m/m|m-o-m|month[\s-]on[\s-]month|month[\s-]over[\s-]month|环比")
_QOQ = re.compile(r"\bqoq\b|q/q|quarter[\s-]on[\s-]quarter")
_CHANGE = re.compile(r"change|chg|growth|\bdiff|%|增长|增速")
_CUMULATIVE = re.compile(r"cumulativ|since (?:launch|inception|start)|all[\s-]time|to date|累计")
_YTD = re.compile(r"\bytd\b|year[\s-]to[\s-]date|今年以来")
_TARGET = re.compile(r"target|goal|guidance|plan|目标")
_EXPECTED = re.compile(r"forecast|estimate|expected|projection|预计")
_NOT_VOLUME = re.compile(r"price|revenue|margin|share|kwh|range|km|yuan|rmb|usd|\$|€|¥|元")


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int


@dataclass
class Column:
    """What a header cell says about the figures under it."""

    period: DateMatch | None = None
    change: str = ""  # yoy | mom | qoq for a change column
    is_change: bool = False
    metric: str = ""
    scope: str = ""  # cumulative | ytd when the header says so
    kind: str = ""
    skip: bool = False  # a price, revenue or share column
    entity: Mention | None = None


def cells(text: str, start: int, end: int) -> list[Cell]:
    """The cells of one table line (offsets into ``text``), without the outer pipes."""
    out, lo = [], start
    for i in range(start, end + 1):
        if i == end or text[i] == "|":
            a, b = lo, i
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            out.append(Cell(a, b))
            lo = i + 1
    if out and out[0].start == out[0].end and text[start:end].lstrip().startswith("|"):
        out = out[1:]
    if out and out[-1].start == out[-1].end and text[start:end].rstrip().endswith("|"):
        out = out[:-1]
    return out


def table_runs(text: str, sents: list[Sentence]) -> list[list[Sentence]]:
    """Runs of two or more consecutive lines that look like table rows (two or more ``|``)."""
    runs: list[list[Sentence]] = []
    cur: list[Sentence] = []
    for s in sents:
        is_row = s.text.count("|") >= 2 and "\n" not in s.text
        if is_row and (not cur or "\n" in text[cur[-1].end:s.start]):
            cur.append(s)
            continue
        if len(cur) >= 2:
            runs.append(cur)
        cur = [s] if is_row else []
    if len(cur) >= 2:
        runs.append(cur)
    return runs


def _in(items: list, lo: int, hi: int) -> list:
    return [x for x in items if lo <= x.start and x.end <= hi]


def _in_year(row: DateMatch | None, col: DateMatch | None) -> DateMatch | None:
    """The date of a cell: the column's, except that a month, quarter or half named by the row is read in
    the year the column names ("| January | 69,129 | 63,238 |" under "| Month | 2026 | 2025 |")."""
    if col is None or row is None or col.precision != "year" or row.precision not in ("month", "quarter", "half") \
            or not col.period or not row.period:
        return col
    return _new_date(row.start, row.end, row.text, col.period[:4] + row.period[4:], row.precision, False, None)


class TableReader:
    """Reads the tables of one document (see the module docstring)."""

    def __init__(self, text: str, low: str, published: dt.date | None, mentions: list[Mention],
                 dates: list[DateMatch], numbers: list[NumberMatch]) -> None:
        self.text, self.low, self.published = text, low, published
        self.mentions, self.dates, self.numbers = mentions, dates, numbers

    def read(self, rows: list[Sentence], context: tuple[str, str, str], subject: Mention | None = None):
        """Facts of one table. ``context`` is (metric, scope, period) of the text before the table;
        ``subject`` the maker the text is about, for a table that names none (months as columns, rows
        "Deliveries" and "MoM"). Returns (facts, the sentences consumed)."""
        header, body = rows[0], rows[1:]
        if body and _SEPARATOR.match(body[0].text):
            body = body[1:]
        hcells = cells(self.text, header.start, header.end)
        if len(hcells) < 2 or not body:
            return [], []
        cols = [self._column(c) for c in hcells]
        t_metric, t_kind = self._table_metric(rows, hcells)
        ctx_metric, ctx_scope, ctx_period = context
        # a target or forecast column with no date of its own is for the year another header names
        # ("| FY2026E (ours) | Company target |"), else the year of the heading above the table
        years = [c.period for c in cols if c.period is not None and c.period.precision == "year"] or [
            d for d in _in(self.dates, max(0, header.start - 200), header.start)
            if d.precision == "year" and d.period]
        for col in cols:
            if col.period is None and col.kind in ("target", "expected") and years:
                col.period = years[-1] if years[-1].start < header.start else years[0]
        out = []
        named = bool(_in(self.mentions, header.start, rows[-1].end))
        for row in body:
            rcells = cells(self.text, row.start, row.end)
            if not rcells:
                continue
            label = rcells[0]
            row_ent = next(iter(_in(self.mentions, label.start, label.end)), None)
            row_dates = [d for d in _in(self.dates, label.start, label.end) if d.period]
            row_date = row_dates[0] if row_dates else None
            row_change = self._row_change(label, row_dates)
            last_volume: dict[int, object] = {}
            for j, cell in enumerate(rcells[1:], start=1):
                col = cols[j] if j < len(cols) else Column()
                if col.skip:
                    continue
                ent = row_ent or col.entity or (None if named else subject)
                nums = [n for n in _in(self.numbers, cell.start, cell.end) if not n.is_money]
                if ent is None or not nums:
                    continue
                n = nums[0]
                if n.unit not in (None, "vehicles"):
                    continue
                if row_change is not None and n.is_percent:  # a row of changes: "MoM", "Change, April vs. March"
                    date = _in_year(row_date, col.period) or row_date
                    scope, period = self._scope_period(col, date, ctx_scope, ctx_period)
                    out.append(Extracted(entity=ent.text, entity_id=ent.entity_id,
                                         metric=col.metric or t_metric or ctx_metric or "deliveries", scope=scope,
                                         period=period, value=n.value, unit="percent", bound=n.bound_hint or "exact",
                                         kind=col.kind or t_kind or "actual", start=n.start, end=n.end,
                                         quote=row.text, sentence_start=row.start,
                                         change=row_change or col.change or "yoy", number_text=n.text))
                    continue
                ends = nums[:2] if len(nums) > 1 and not (n.is_percent or col.is_change) and C.RANGE_BETWEEN.match(
                    self.low[n.end:nums[1].start]) else []  # "456k–489k": a range, each end a fact
                base = self._base_column(cols, j) if (n.is_percent or col.is_change) else j
                bcol = cols[base] if base is not None and base < len(cols) else col
                date = _in_year(row_date, bcol.period or (col.period if col is not bcol else None)) or row_date
                metric = bcol.metric or col.metric or t_metric or ctx_metric or "deliveries"
                scope, period = self._scope_period(bcol, date, ctx_scope, ctx_period)
                kind = bcol.kind or col.kind or t_kind or "actual"
                if n.is_percent or col.is_change:
                    if not n.is_percent and abs(n.value) >= 1000:
                        continue
                    change = col.change or bcol.change or "yoy"
                    out.append(Extracted(entity=ent.text, entity_id=ent.entity_id, metric=metric, scope=scope,
                                         period=period, value=n.value, unit="percent",
                                         bound=n.bound_hint or "exact", kind=kind, start=n.start, end=n.end,
                                         quote=row.text, sentence_start=row.start, change=change,
                                         number_text=n.text))
                    continue
                if n.value < 10 or n.value > 50_000_000 or (n.value.is_integer() is False and n.value < 1000):
                    continue
                for x, bound in zip(ends, ("lower", "upper"), strict=False) if ends else [(n, n.bound_hint or "exact")]:
                    f = Extracted(entity=ent.text, entity_id=ent.entity_id, metric=metric, scope=scope,
                                  period=period, value=x.value, unit="vehicles", bound=bound, kind=kind,
                                  start=x.start, end=x.end, quote=row.text, sentence_start=row.start,
                                  number_text=x.text)
                    last_volume[j] = f
                    out.append(f)
        return out, rows

    # -- the header ---------------------------------------------------------------------------------
    def _column(self, c: Cell) -> Column:
        low = self.low[c.start:c.end]
        col = Column()
        ds = [d for d in _in(self.dates, c.start, c.end) if d.period]
        col.period = ds[-1] if ds else None
        ms = _in(self.mentions, c.start, c.end)
        col.entity = ms[0] if ms else None
        col.metric = C.nearest_keyword(C.METRIC_RES, low, len(low)) or ""
        if _YOY.search(low):
            col.change, col.is_change = "yoy", True
        elif _MOM.search(low):
            col.change, col.is_change = "mom", True
        elif _QOQ.search(low):
            col.change, col.is_change = "qoq", True
        elif _CHANGE.search(low) and col.period is None:
            col.is_change = True
        if _YTD.search(low):
            col.scope = "ytd"
        elif _CUMULATIVE.search(low):
            col.scope = "cumulative"
        if _TARGET.search(low):
            col.kind = "target"
        elif _EXPECTED.search(low) or (col.period is not None and col.period.qualifier == "estimate"):
            col.kind = "expected"  # "Forecast", "2026E"
        col.skip = bool(_NOT_VOLUME.search(low)) and not col.metric
        return col

    def _row_change(self, label: Cell, dates: list[DateMatch]) -> str | None:
        """yoy / mom / qoq for a row of changes ("MoM", "Change, April vs. March"; "" when it does not
        say which); None for a row of figures."""
        low = self.low[label.start:label.end]
        for pat, change in ((_YOY, "yoy"), (_MOM, "mom"), (_QOQ, "qoq")):
            if pat.search(low):
                return change
        if not _CHANGE.search(low):
            return None
        return _change_between(dates[0].period or "", dates[1].period or "") if len(dates) >= 2 else ""

    @staticmethod
    def _base_column(cols: list[Column], j: int) -> int | None:
        """The figure column a change column refers to: the nearest non-change column to its left, or, when
        the columns just left of it are periods ("| October 2024 | October 2023 | Change |"), the latest."""
        run = []
        for k in range(min(j, len(cols)) - 1, 0, -1):
            if cols[k].is_change or (run and cols[k].period is None):
                break
            run.append(k)
            if cols[k].period is None:
                break
        dated = [k for k in run if cols[k].period is not None and cols[k].period.period]
        if len(dated) >= 2 and len({cols[k].period.precision for k in dated}) == 1:
            return max(dated, key=lambda k: cols[k].period.period or "")
        return run[0] if run else None

    def _table_metric(self, rows: list[Sentence], hcells: list[Cell]) -> tuple[str, str]:
        """Metric and kind of the whole table: from the header, else the caption under it, else the
        paragraph before it."""
        header = self.low[rows[0].start:rows[0].end]
        end = rows[-1].end
        nl = self.text.find("\n\n", end + 1)
        caption = self.low[end:min(nl if nl != -1 else len(self.text), end + 300)]
        before = self.low[max(0, rows[0].start - 400):rows[0].start]
        for part in (header, caption, before):
            m = C.nearest_keyword(C.METRIC_RES, part, len(part) if part is before else 0)
            if m:
                kind = "target" if _TARGET.search(header) else ""
                return m, kind
        return "", ""

    def _scope_period(self, col: Column, date: DateMatch | None, ctx_scope: str, ctx_period: str) -> tuple[str, str]:
        if date is None:
            if col.scope == "ytd" and ctx_period[:7].count("-") == 1:
                end = ctx_period[-7:]
                return "ytd", f"{end[:4]}-01/{end}"
            return (col.scope or ctx_scope or ""), ctx_period if not col.scope else ""
        prec, period = date.precision, date.period or ""
        if col.scope == "cumulative":
            return "cumulative", period
        if col.scope == "ytd" or prec in ("ytd", "range"):
            if prec in ("ytd", "range"):
                return "ytd", period
            return "ytd", f"{period[:4]}-01/{period[:7]}"
        scope = {"month": "month", "quarter": "quarter", "half": "half", "year": "year", "day": "month"}.get(prec,
                                                                                                         "month")
        return scope, period[:7] if prec == "day" else period
