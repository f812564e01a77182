"""Dates and periods in EV news text, with character offsets.

:func:`find_dates` returns each date-like expression with the period it names, in evpace's forms
(see :class:`evpace.model.Fact`): ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``YYYY-Qn``, ``YYYY-Hn`` and
``YYYY-MM/YYYY-MM`` for month ranges (``January–November 2025`` -> ``2025-01/2025-11``).

Resolution rules for expressions without a year (``relative=True``; they need ``published``):

* a month (``in December``, ``10月``), quarter (``Q3``) or half (``the first half``): the most
  recent one that has started on or before the publication month;
* a day (``Sept. 25``): the most recent such day not after ``published`` + 7 days;
* a month range (``Jan-Nov``, ``the first 11 months``): the end month as for a month;
* ``year-to-date`` / ``so far this year`` / ``YTD`` / ``今年以来``: January to the month *before*
  publication (the last complete month, as monthly reports describe), or ``YYYY-01/YYYY-01`` when
  published in January;
* ``last month``, ``this year``, ``next year``, ``last quarter``, ``today``, ``去年``... from ``published``.

Without ``published``, month/day/quarter/half/range expressions take ``context_year`` when given;
otherwise, and for all relative phrases, ``period`` is None. ``qualifier`` records ``early``,
``mid``, ``late``, ``start`` or ``end`` (``early 2024``, ``mid-October``, ``the end of 2025``,
``year-end``, ``2025年底``) without changing the period.

``precision`` is ``day``, ``month``, ``quarter``, ``half``, ``year``, ``ytd`` (a range from January
of one year: ``January-November 2025``, ``Q1-Q3 2025``, ``year-to-date``) or ``range`` (any other
month range). Pure functions over precompiled regexes; text is lowercased once per call.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateMatch", "find_dates"]


@dataclass(frozen=True)
class DateMatch:
    """One date expression: ``text == source[start:end]``; ``period`` None if it cannot be resolved."""

    start: int
    end: int
    text: str
    period: str | None
    precision: str
    relative: bool
    qualifier: str | None = None


def _new_date(start: int, end: int, text: str, period: str | None, precision: str, relative: bool,
              qualifier: str | None) -> DateMatch:
    """Build a DateMatch without the frozen ``__init__`` (twice as fast; an equal object)."""
    obj = object.__new__(DateMatch)
    obj.__dict__.update({"start": start, "end": end, "text": text, "period": period, "precision": precision,
                         "relative": relative, "qualifier": qualifier})
    return obj


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_NUM_WORDS = {w: i for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_ZH_NUM = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_ORDINALS = {"first": 1, "1st": 1, "front": 1, "second": 2, "2nd": 2, "latter": 2, "back": 2,
             "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": -2, "last": -1}
_QUALIFIERS = {"early": "early", "start": "start", "beginning": "start", "mid": "mid", "middle": "mid",
               "late": "late", "end": "end", "初": "early", "中": "mid", "底": "end", "末": "end"}
_DAY_GRACE = dt.timedelta(days=7)

_MON = (r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|jun(?:e|\.)?|jul(?:y|\.)?"
        r"|aug(?:ust|\.)?|sep(?:tember|t\.?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)(?![a-z])")
_Y4 = r"(?:19|20)\d\d(?!\d)"
_REL_YEAR = r"this|last|next|the[ ]current|the[ ]previous|the[ ]prior|the"


def _yearspec(p: str) -> str:
    """Optional year after a month/quarter/half: ``2025``, ``of 2025``, ``'25``, ``of last year``."""
    return (rf"(?:,?[ ](?:of[ ]|in[ ])?(?:(?P<{p}y>{_Y4})|(?P<{p}r>{_REL_YEAR})[ ]year(?![a-z]))"
            rf"|[ ]?[’'](?P<{p}yy>\d\d)(?!\d))?")


def _by_first(rests: dict[str, str]) -> str:
    """``(?:a(?:REST_A)|b(?:REST_B))``: words grouped by first character.

    The regex engine rejects a branch that starts with a literal at once when the next character
    differs, which keeps the scan over every space of a text cheap.
    """
    return "(?:" + "|".join(f"{c}(?:{r})" for c, r in rests.items()) + ")"


_MON_FIRST = _by_first({
    "j": r"an(?:uary|\.)?|un(?:e|\.)?|ul(?:y|\.)?", "f": r"eb(?:ruary|\.)?", "m": r"ar(?:ch|\.)?|ay",
    "a": r"pr(?:il|\.)?|ug(?:ust|\.)?", "s": r"ep(?:tember|t\.?|\.)?", "o": r"ct(?:ober|\.)?",
    "n": r"ov(?:ember|\.)?", "d": r"ec(?:ember|\.)?",
}) + "(?![a-z])"
_ORD_FIRST = _by_first({"f": "irst|inal|ourth|ront", "s": "econd", "t": "hird", "l": "ast|atter", "b": "ack",
                        "1": "st", "2": "nd", "3": "rd", "4": "th"})
_YTD_FIRST = _by_first({
    "y": "td|ear[ -]to[ -]date", "t": "his[ ]year[ ]so[ ]far",
    "s": rf"o[ ]far[ ](?:this[ ]year|in[ ](?P<gy>{_Y4})|in[ ]the[ ]year)"
         r"|ince[ ](?:the[ ](?:start|beginning)[ ]of[ ](?:the|this)[ ]year"
         # since January (1), also before ", 12.8% more": not since Jan. 1, 2025
         r"|jan(?:uary|\.)?(?:[ ]1(?:st)?)?(?![a-z\d]|\.?[ ]?\d|\.?,[ ]?(?:19|20)\d\d(?!\d|[.,]\d|%)))",
    "f": "rom[ ]the[ ](?:start|beginning)[ ]of[ ](?:the|this)[ ]year",
})
_REL_FIRST = _by_first({"t": "his", "l": "ast", "n": "ext", "p": "revious|rior", "c": "urrent|oming"})
_YQ_FIRST = _by_first({"y": "ear[ -]end", "e": "nd[ ]of[ ](?:the|this)[ ]year",
                       "s": "tart[ ]of[ ](?:the|this)[ ]year", "b": "eginning[ ]of[ ](?:the|this)[ ]year"})
# English forms led by a word, after a space or a hyphen (mid-October): runs on " " + lowercased
# text. Each alternative ends with an empty group K_* (``m.lastgroup`` says which matched).
_WORD_BODY = rf"""(?:
    {_MON_FIRST}(?:
        (?:[ ](?P<ay1>{_Y4}))?[ ]?(?:-to-|-through-|-|–|—|to|through|thru|until)[ ]?(?P<am2>{_MON})
            {_yearspec("a")}(?P<K_mrange>)
      | [ ](?P<bd>[0-3]?\d)(?:st|nd|rd|th)?(?![\d%]|[,.]\d)(?:,?[ ](?P<by>{_Y4}))?(?P<K_mday>)
      | {_yearspec("c")}(?P<K_month>)
    )
  | q(?P<q1>[1-4])(?:[ ]?(?:-|–|to)[ ]?q(?P<q2>[1-4]))?(?![a-z0-9]){_yearspec("q")}(?P<K_q>)
  | h(?P<h1>[12])(?![a-z0-9]){_yearspec("h")}(?P<K_h>)
  | {_ORD_FIRST}[ -](?:(?P<oq>quarter)|half)(?![a-z])
        (?![ ]of[ ](?:the|this|that|last|next|each|a)[ ](?:month|week|decade|century|day)(?![a-z]))  # of the month
        {_yearspec("o")}(?P<K_ord>)
  | first[ ](?P<fn>\d{{1,2}}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[ ]
        (?:(?P<fm>months)|quarters)(?![a-z]){_yearspec("f")}(?P<K_firstn>)
  | (?:final|last)[ ](?P<ln>three|six|3|6)[ ]months[ ](?:of|in)[ ](?P<ly>{_Y4})(?P<K_lastn>)
  | (?:through|thru)[ ](?P<tm>{_MON})(?![a-z]){_yearspec("t")}(?P<K_thru>)
  | {_YTD_FIRST}(?![a-z])(?P<K_ytd>)
  | {_REL_FIRST}[ ](?P<ru>year|month|quarter)(?![a-z])(?P<K_rel>)
  | {_by_first({"t": "oday", "y": "esterday"})}(?![a-z])(?P<K_day>)
  | {_YQ_FIRST}(?![a-z])(?P<K_yq>)
)"""
_WORD_RE = re.compile("[ ]" + _WORD_BODY, re.X)
_HYPHEN_WORD_RE = re.compile("-" + _WORD_BODY, re.X)
_HYPHEN_PREFIXES = ("mid-", "early-", "late-", "end-")
# Forms led by a digit; runs on lowercased text. The first digit is consumed before the lookbehind.
_DIGIT_RE = re.compile(
    rf"""\d(?<![a-z0-9_.,/:]\d)(?:
    \d{{3}}(?:
        (?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)(?![\d])(?P<K_iso>)
      | [ ]?(?P<yqh>[qh])(?P<yqn>[1-4])(?![a-z0-9])(?P<K_yq>)
      | (?![\d]|[.,]\d|[a-z])(?P<K_year>)
    )
  | \d?(?:st|nd|rd|th)?[ ](?:of[ ])?(?P<dm>{_MON})(?:,?[ ](?P<dy>{_Y4}))?(?P<K_dmon>)
  | [ ]?(?P<nqh>[qh])[ ]?(?P<nqy>\d\d(?:\d\d)?)(?!\d)(?P<K_nq>)
  | (?P<nqh0>[qh])(?![a-z0-9])(?P<K_nq0>)
)""",
    re.X,
)
# Chinese forms (run only when the text has 年, 月 or 季): an optional year (2025年, 今年, 去年...)
# then a period; a year alone needs the year part (the conditional fails the match otherwise).
# The leading lookahead rejects most positions at once.
_ZH_RE = re.compile(
    r"""(?=[0-9今去明本这上下前第一二三四年])
    (?:(?<!\d)(?P<y4>(?:19|20)\d\d)[ ]?年[ ]?|(?P<ry>今年|去年|明年|本年))?(?:
        前(?P<n>\d{1,2}|[一二三四五六七八九十]+)个?月(?P<K_firstn>)
      | 前三季度(?P<K_3q>)
      | (?P<h>[上下])半年(?P<K_half>)
      | 第?(?P<q>[一二三四1-4])季度(?P<K_quarter>)
      | (?<![\d.])(?P<a>\d{1,2})[ ]?[-–—~至到][ ]?(?P<b>\d{1,2})[ ]?月(?P<K_range>)
      | (?<![\d.])(?P<m>\d{1,2})[ ]?月(?:[ ]?(?P<d>\d{1,2})[ ]?[日号])?(?P<K_month>)
      | (?(y4)|(?(ry)|(?!)))(?:以来(?P<K_ytd>)|(?P<qual>[初底末中])?(?P<K_year>))
    )
  | (?:本月|这个月)(?P<K_thism>) | (?:上月|上个月)(?P<K_lastm>) | (?:下月|下个月)(?P<K_nextm>)
  | (?:年初至今|年内迄今)(?P<K_zytd>)""",
    re.X,
)
_QUAL_ENDINGS = ("early ", "late ", "mid ", "middle ", "mid-", "early-", "late-", "end-", "end ", "of ")
_QUAL_RE = re.compile(
    r"(?<![a-z])(?P<q>early|late|mid|end|start|beginning|middle)(?:[ ]of(?:[ ]the)?[ ]|[ -])$")
_NOT_YEAR_AFTER = re.compile(
    r"[ ]?(?:%|per[ ]?cent|units?|vehicles?|cars?|autos?|evs?|nevs?|bevs?|phevs?|trucks?|辆|台|yuan|元|rmb"
    r"|dollars?|euros?|kwh|km|miles|mph|hp|k(?![a-z])|m(?![a-z])|bn|mn|mln|million|billion|thousand)(?![a-z])"
)
# Analysts' shorthand: FY2025, FY25, CY2025, 2026E, FY2026E, 9M25 (Jan-Sep), Oct-25, Q3 FY26 is not read
# (fiscal years that are not calendar years need the company's calendar). A trailing "E" marks an estimate.
_SHORT_RE = re.compile(
    r"(?<![a-z0-9$€£¥￥₹])(?:"
    r"(?:fy|cy)[ ]?(?P<fy>20\d\d|\d\d)(?P<fye>e)?"
    r"|(?P<ey>20[1-3]\d)e"
    r"|(?P<nm>[1-9]|1[01])m(?P<nmy>20\d\d|\d\d)(?P<nme>e)?"
    r"|(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[-'’](?P<my>\d\d)"
    r"|(?<![\d/.])(?P<sa>\d{1,2})/(?P<sb>\d{1,2})/(?P<sy>20\d\d)(?![\d/])"
    r")(?![a-z0-9]|-[a-z])")
_DIGITS = re.compile(r"\d+")
_SPLIT = re.compile(r"[ -]")
_BLANKS = str.maketrans({c: " " for c in "\t\n\r\f\v\u00a0\u3000()[]{}\"\u201c\u201d\u00ab\u00bb*#_"})


# A candidate: (start, end, period, precision, relative, qualifier)
_Cand = tuple[int, int, str | None, str, bool, str | None]


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    k = y * 12 + m - 1 + delta
    return k // 12, k % 12 + 1


def _year_for(month: int, pub: dt.date | None, ctx: int | None) -> int | None:
    """Year of the most recent ``month`` started on or before publication (or ``ctx``)."""
    if pub is not None:
        return pub.year if month <= pub.month else pub.year - 1
    return ctx


def _ytd(pub: dt.date | None, year: int | None = None) -> str | None:
    if pub is None:
        return None
    if year is not None and year != pub.year:
        return f"{year}-01/{year}-12" if year < pub.year else None
    y, m = _shift_month(pub.year, pub.month, -1) if pub.month > 1 else (pub.year, 1)
    return f"{y}-01/{_ym(y, m)}"


def _range(y: int | None, m1: int, m2: int, y1: int | None = None) -> tuple[str | None, str]:
    if y is None:
        return None, "ytd" if m1 == 1 else "range"
    y1 = y1 if y1 is not None else (y if m1 <= m2 else y - 1)
    return f"{_ym(y1, m1)}/{_ym(y, m2)}", "ytd" if m1 == 1 and y1 == y else "range"


def _spec_year(m: re.Match[str], p: str, pub: dt.date | None) -> tuple[int | None, bool, bool]:
    """(year, relative, given) from a _yearspec group set."""
    if m.group(p + "y"):
        return int(m.group(p + "y")), False, True
    if m.group(p + "yy"):
        return 2000 + int(m.group(p + "yy")), False, True
    rel = m.group(p + "r")
    if rel:
        if pub is None:
            return None, True, True
        delta = -1 if rel in ("last", "the previous", "the prior") else 1 if rel == "next" else 0
        return pub.year + delta, True, True
    return None, True, False


def _day(y: int, mo: int, d: int) -> str | None:
    if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]:
        return f"{_ym(y, mo)}-{d:02d}"
    return None


def _zh_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return _ZH_NUM[s]
    return (_ZH_NUM.get(s[0], 1) if s[0] != "十" else 1) * 10 + (_ZH_NUM[s[-1]] if s[-1] != "十" else 0)


def _word_date(m: re.Match[str], low: str, text: str, pub: dt.date | None, ctx: int | None) -> _Cand | None:
    kind = m.lastgroup
    s, e = m.start(), m.end() - 1  # positions in the text (the prepared string has a leading space)
    first = low[s:s + 3]
    if kind in ("K_mrange", "K_mday", "K_month") and not text[s].isupper():
        return None  # "may", "march": month names are capitalised in news copy
    if kind == "K_mrange":
        y, rel, given = _spec_year(m, "a", pub)
        m2 = _MONTHS[m.group("am2")[:3]]
        y = y if given else _year_for(m2, pub, ctx)
        period, prec = _range(y, _MONTHS[first], m2, int(m.group("ay1")) if m.group("ay1") else None)
        return s, e, period, prec, rel, None
    if kind == "K_mday":
        mo, d = _MONTHS[first], int(m.group("bd"))
        if m.group("by"):
            period = _day(int(m.group("by")), mo, d)
            return (s, e, period, "day", False, None) if period else None
        if not 1 <= d <= 31:  # "March 45 cars": the month alone
            y = _year_for(mo, pub, ctx)
            return s, s + len(m.group().split()[0]), _ym(y, mo) if y else None, "month", True, None
        return _day_without_year(s, e, pub.year if pub else ctx, mo, d, pub)
    if kind == "K_month":
        mo = _MONTHS[first]
        y, rel, given = _spec_year(m, "c", pub)
        if not given and pub is not None and low.endswith("last ", 0, s):  # "last December" on Dec. 2: a year ago
            return s - 5, e, _ym(pub.year if mo < pub.month else pub.year - 1, mo), "month", True, None
        y = y if given else _year_for(mo, pub, ctx)
        return s, e, _ym(y, mo) if y else None, "month", rel, None
    if kind in ("K_q", "K_h", "K_ord"):
        if kind == "K_ord":
            n = _ORDINALS[_SPLIT.split(low[s:s + 7], maxsplit=1)[0]]
            unit, p = ("Q", 3) if m.group("oq") else ("H", 6)
            n2 = None
        else:
            unit, p = ("Q", 3) if kind == "K_q" else ("H", 6)
            n = int(m.group("q1") or m.group("h1"))
            n2 = int(m.group("q2")) if m.group("q2") else None
        y, rel, given = _spec_year(m, kind[2].lower() if kind != "K_ord" else "o", pub)
        if n == -1 and not given and unit == "Q":  # "last quarter": the one before publication
            if pub is None:
                return s, e, None, "quarter", True, None
            qy, qm = _shift_month(pub.year, (pub.month - 1) // 3 * 3 + 1, -3)
            return s, e, f"{qy}-Q{(qm - 1) // 3 + 1}", "quarter", True, None
        n = (4 if unit == "Q" else 2) if n < 0 else n  # final quarter, last quarter of 2025
        if not given:
            y = _year_for(((n2 or n) - 1) * p + 1, pub, ctx)
        if n2 is not None:
            period, prec = _range(y, (n - 1) * 3 + 1, n2 * 3)
            return s, e, period, prec, rel, None
        prec = "quarter" if unit == "Q" else "half"
        return s, e, f"{y}-{unit}{n}" if y else None, prec, rel, None
    if kind == "K_firstn":
        fn = m.group("fn")
        n = int(fn) if fn.isdigit() else _NUM_WORDS[fn]
        last = n if m.group("fm") else n * 3
        if not 1 <= last <= 12:
            return None
        y, rel, given = _spec_year(m, "f", pub)
        y = y if given else _year_for(last, pub, ctx)
        if last in (3, 6):  # "the first six months" is the first half; "the first three months" Q1
            period = (f"{y}-H1" if last == 6 else f"{y}-Q1") if y else None
            return s, e, period, "half" if last == 6 else "quarter", rel, None
        period, _ = _range(y, 1, last)
        return s, e, period, "ytd", rel, None
    if kind == "K_lastn":  # "the final three months of 2024" is Q4, "the last six months of 2025" H2
        y, six = int(m.group("ly")), m.group("ln") in ("six", "6")
        return s, e, f"{y}-H2" if six else f"{y}-Q4", "half" if six else "quarter", False, None
    if kind == "K_ytd":
        return s, e, _ytd(pub, int(m.group("gy")) if m.group("gy") else None), "ytd", True, None
    if kind == "K_thru":  # "240k delivered through July": the year to the end of July
        if not text[m.start("tm") - 1].isupper():
            return None
        mo = _MONTHS[m.group("tm")[:3]]
        y, rel, given = _spec_year(m, "t", pub)
        period, prec = _range(y if given else _year_for(mo, pub, ctx), 1, mo)
        return s, e, period, prec, rel, None
    if kind == "K_rel":
        word, unit = low[s:s + 8].split(" ", 1)[0], m.group("ru")
        delta = -1 if word in ("last", "previous", "prior") else 1 if word in ("next", "coming") else 0
        if pub is None:
            return s, e, None, unit, True, None
        if unit == "year":
            return s, e, str(pub.year + delta), "year", True, None
        if unit == "month":
            return s, e, _ym(*_shift_month(pub.year, pub.month, delta)), "month", True, None
        qy, qm = _shift_month(pub.year, (pub.month - 1) // 3 * 3 + 1, 3 * delta)
        return s, e, f"{qy}-Q{(qm - 1) // 3 + 1}", "quarter", True, None
    if kind == "K_day":
        if pub is None:
            return s, e, None, "day", True, None
        return s, e, (pub - dt.timedelta(days=1 if first == "yes" else 0)).isoformat(), "day", True, None
    # K_yq: year-end, the start of the year...
    qual = "end" if "end" in low[s:e] else "start"
    return s, e, str(pub.year) if pub else None, "year", True, qual


def _digit_date(m: re.Match[str], low: str, text: str, pub: dt.date | None, ctx: int | None) -> _Cand | None:
    kind, s, e = m.lastgroup, m.start(), m.end()
    if kind == "K_nq":  # 3Q25, 1H24
        n, unit, yy = int(low[s]), m.group("nqh").upper(), m.group("nqy")
        if not 1 <= n <= (4 if unit == "Q" else 2):
            return None
        y = int(yy) if len(yy) == 4 else 2000 + int(yy)
        est = low[e:e + 1] == "e" and not low[e + 1:e + 2].isalnum()  # 1Q26E: an estimate
        return s, e + est, f"{y}-{unit}{n}", "quarter" if unit == "Q" else "half", False, "estimate" if est else None
    if kind == "K_nq0":  # "4Q guide 120-125k": the fourth quarter of the year talked about
        n, unit = int(low[s]), m.group("nqh0").upper()
        if not 1 <= n <= (4 if unit == "Q" else 2):
            return None
        y = _year_for((n - 1) * (3 if unit == "Q" else 6) + 1, pub, ctx)
        return s, e, f"{y}-{unit}{n}" if y else None, "quarter" if unit == "Q" else "half", True, None
    if kind == "K_dmon":  # 15 October (2024)
        if not text[m.start("dm")].isupper():
            return None
        d, mo = int(_DIGITS.match(low, s).group()), _MONTHS[m.group("dm")[:3]]  # type: ignore[union-attr]
        if m.group("dy"):
            period = _day(int(m.group("dy")), mo, d)
            return (s, e, period, "day", False, None) if period else None
        return _day_without_year(s, e, pub.year if pub else ctx, mo, d, pub)
    y = int(low[s:s + 4])
    if not 1900 <= y <= 2099:
        return None
    if kind == "K_iso":
        period = _day(y, int(m.group("im")), int(m.group("id")))
        return (s, e, period, "day", False, None) if period else None
    if kind == "K_yq":  # 2025 Q3, 2025H1
        n, unit = int(m.group("yqn")), m.group("yqh").upper()
        if unit == "H" and n > 2:
            return None
        return s, e, f"{y}-{unit}{n}", "quarter" if unit == "Q" else "half", False, None
    # K_year: a year standing alone, unless it counts something (2026 units) or is a price ($2025)
    if not 1990 <= y <= 2039 or _NOT_YEAR_AFTER.match(low, e) or (s and low[s - 1] in "$€£¥￥₹"):
        return None
    return s, e, str(y), "year", False, None


def _day_without_year(s: int, e: int, y: int | None, mo: int, d: int, pub: dt.date | None) -> _Cand | None:
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    if y is None:
        return s, e, None, "day", True, None
    if pub is not None:
        y = pub.year
        period = _day(y, mo, d)
        if period is None or dt.date.fromisoformat(period) > pub + _DAY_GRACE:
            return s, e, _day(y - 1, mo, d), "day", True, None
        return s, e, period, "day", True, None
    return s, e, _day(y, mo, d), "day", True, None


def _zh_date(m: re.Match[str], pub: dt.date | None, ctx: int | None) -> _Cand | None:
    kind, s, e = m.lastgroup, m.start(), m.end()
    if kind in ("K_thism", "K_lastm", "K_nextm"):
        delta = {"K_thism": 0, "K_lastm": -1, "K_nextm": 1}[kind]
        return s, e, _ym(*_shift_month(pub.year, pub.month, delta)) if pub else None, "month", True, None
    y4, ry = m.group("y4", "ry")
    given, rel = bool(y4 or ry), not y4
    y: int | None = int(y4) if y4 else None
    if ry:
        y = pub.year + {"去": -1, "明": 1}.get(ry[0], 0) if pub else None
    if kind == "K_zytd" or kind == "K_ytd":
        return (s, e, _ytd(pub), "ytd", True, None) if kind == "K_zytd" or ry in ("今年", "本年") else None
    if kind == "K_year":
        return s, e, str(y) if y else None, "year", rel, _QUALIFIERS.get(m.group("qual") or "")
    if kind in ("K_firstn", "K_3q"):
        last = _zh_int(m.group("n")) if m.group("n") else 9
        if not 1 <= last <= 12:
            return None
        return s, e, _range(y if given else _year_for(last, pub, ctx), 1, last)[0], "ytd", rel, None
    if kind == "K_half":
        n = 1 if m.group("h") == "上" else 2
        y = y if given else _year_for(n * 6 - 5, pub, ctx)
        return s, e, f"{y}-H{n}" if y else None, "half", rel, None
    if kind == "K_quarter":
        n = _zh_int(m.group("q"))
        y = y if given else _year_for(n * 3 - 2, pub, ctx)
        return s, e, f"{y}-Q{n}" if y else None, "quarter", rel, None
    if kind == "K_range":
        a, b = int(m.group("a")), int(m.group("b"))
        if not (1 <= a <= 12 and 1 <= b <= 12):
            return None
        period, prec = _range(y if given else _year_for(b, pub, ctx), a, b)
        return s, e, period, prec, rel, None
    mo = int(m.group("m"))  # K_month: 10月, 2025年10月15日
    if not 1 <= mo <= 12:
        return None
    if m.group("d"):
        if given:
            period = _day(y, mo, int(m.group("d"))) if y else None
            return (s, e, period, "day", rel, None) if period or not y else None
        return _day_without_year(s, e, pub.year if pub else ctx, mo, int(m.group("d")), pub)
    y = y if given else _year_for(mo, pub, ctx)
    return s, e, _ym(y, mo) if y else None, "month", rel, None


def _short_date(m: re.Match[str]) -> _Cand | None:
    """FY2025 / CY25 / 2026E -> a year; 9M25 -> January-September 2025; Oct-25 -> October 2025."""
    def year(t: str) -> int:
        return int(t) if len(t) == 4 else 2000 + int(t)
    est = "estimate" if m.group("fye") or m.group("ey") or m.group("nme") else None
    if m.group("fy") or m.group("ey"):
        return m.start(), m.end(), str(year(m.group("fy") or m.group("ey"))), "year", False, est
    if m.group("nm"):
        period, precision = _range(year(m.group("nmy")), 1, int(m.group("nm")))
        return m.start(), m.end(), period, precision, False, est
    if m.group("sy"):  # 31/03/2025 or 03/31/2025; 03/04/2025 says neither which is the day
        a, b, y = int(m.group("sa")), int(m.group("sb")), int(m.group("sy"))
        day = _day(y, b, a) if a > 12 >= b else _day(y, a, b) if b > 12 >= a else None
        return (m.start(), m.end(), day, "day", False, None) if day else None
    return m.start(), m.end(), _ym(year(m.group("my")), _MONTHS[m.group("mon")[:3]]), "month", False, None


def find_dates(
    text: str, published: dt.date | None = None, context_year: int | None = None
) -> list[DateMatch]:
    """All date expressions in ``text``, in order, non-overlapping (the longest wins at a position).

    ``published`` resolves year-less and relative expressions (see the module docstring);
    ``context_year`` stands in for the year of year-less months/days/quarters when ``published``
    is unknown.
    """
    pub = published.date() if isinstance(published, dt.datetime) else published
    low = text.lower() if "İ" not in text else text.replace("İ", "I").lower()
    cands: list[_Cand] = []
    prepared = " " + low.translate(_BLANKS)
    for m in _WORD_RE.finditer(prepared):
        if (c := _word_date(m, low, text, pub, context_year)) is not None:
            cands.append(c)
    for prefix in _HYPHEN_PREFIXES:  # mid-October, early-2026 is digit-led
        i = prepared.find(prefix)
        while i != -1:
            m = _HYPHEN_WORD_RE.match(prepared, i + len(prefix) - 1)
            if m is not None and (c := _word_date(m, low, text, pub, context_year)) is not None:
                cands.append(c)
            i = prepared.find(prefix, i + 1)
    for m in _DIGIT_RE.finditer(low):
        if (c := _digit_date(m, low, text, pub, context_year)) is not None:
            cands.append(c)
    for m in _SHORT_RE.finditer(low):
        if (c := _short_date(m)) is not None:
            cands.append(c)
    if not text.isascii() and ("年" in text or "月" in text or "季" in text):
        for m in _ZH_RE.finditer(text):
            if (c := _zh_date(m, pub, context_year)) is not None:
                cands.append(c)
    cands.sort(key=lambda c: (c[0], -c[1]))
    out: list[DateMatch] = []
    last_end = 0
    for s, e, period, precision, relative, qualifier in cands:
        if s < last_end:
            continue
        if qualifier is None and low.endswith(_QUAL_ENDINGS, 0, s):
            q = _QUAL_RE.search(low, max(last_end, s - 16), s)
            if q is not None:
                s, qualifier = q.start(), _QUALIFIERS[q.group("q")]
        if precision == "year" and period and low.startswith(" so far", e) and qualifier is None:
            ytd = _ytd(pub, int(period))  # "its sales for CY25 so far": the year to date
            if ytd:
                period, precision, e = ytd, "ytd", e + len(" so far")
        out.append(_new_date(s, e, text[s:e], period, precision, relative, qualifier))
        last_end = e
    return out
