"""Numbers in EV news text, with character offsets.

:func:`find_numbers` returns every quantity-like figure in a text: ``380,000``, ``1.2 mln``, ``550k``,
``one million``, ``2.5 lakh``, ``2,19,432``, ``38.63万``, ``1.2亿元``, ``34%``, ``2.3x``, ``US$1.5bn``,
``the 1 millionth``... A :class:`NumberMatch` spans the figure with its currency, sign, multiplier,
``%`` and ``-plus``; a following noun (``vehicles``, ``辆``) or measure (``kWh``) is *not* in the span
but sets ``unit``. ``bound_hint`` comes from the words around it (``more than`` -> ``lower``).

Left out on purpose: years standing alone (``in 2026``; ``2026 units`` is a number), digits glued
to letters (``SU7``, ``Q3``, ``MONA M03``, ``1H24``), numbers with a leading zero (``Zeekr 001``),
labels (``Model 3``, ``Level 2``, ``No. 1``), Chinese date parts (``10月``). Day numbers of dates
(``Oct. 15``) *are* returned: drop them with :func:`drop_overlapping` and the spans of
:func:`evpace.extract.dates.find_dates`. In a range (``1-1.5 million``, ``20 to 30%``) the first
figure borrows the multiplier and percent sign of the second; a currency is shared.

Pure functions over precompiled regexes; the text is lowercased once per call. The common case (a
figure between ordinary words) is handled without running the slower tail/prefix logic.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Protocol

__all__ = ["NumberMatch", "drop_overlapping", "find_numbers", "overlaps"]


@dataclass(frozen=True)
class NumberMatch:
    """One figure: ``text == source[start:end]``.

    ``bound_hint`` is ``lower`` (over, more than, -plus, or more...), ``upper`` (under, up to...),
    ``approx`` (about, nearly, almost, just under...) or None. ``unit`` is ``ordinal`` (``500,000th``),
    ``times`` (``2.3x``), ``pp`` (percentage points), a currency code for money (``CNY``, ``USD``...;
    None for a bare ``¥``), ``vehicles`` (units, cars, EVs, 辆...), a measure (``kWh``, ``km``...) or None.
    """

    value: float
    start: int
    end: int
    text: str
    bound_hint: str | None = None
    is_percent: bool = False
    is_money: bool = False
    unit: str | None = None


def _new_number(value: float, start: int, end: int, text: str, bound_hint: str | None, is_percent: bool,
                is_money: bool, unit: str | None) -> NumberMatch:
    """Build a NumberMatch without the frozen ``__init__`` (twice as fast; an equal object)."""
    obj = object.__new__(NumberMatch)
    obj.__dict__.update({"value": value, "start": start, "end": end, "text": text, "bound_hint": bound_hint,
                         "is_percent": is_percent, "is_money": is_money, "unit": unit})
    return obj


class _Span(Protocol):
    start: int
    end: int


_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "lakh": 1e5, "lac": 1e5, "million": 1e6, "mln": 1e6,
    "mn": 1e6, "m": 1e6, "crore": 1e7, "cr": 1e7, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12,
}
_CURRENCIES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "us dollars": "USD",
    "u.s. dollars": "USD", "美元": "USD", "hk$": "HKD", "hkd": "HKD", "hong kong dollars": "HKD",
    "港元": "HKD", "港币": "HKD", "nt$": "TWD", "s$": "SGD", "a$": "AUD", "c$": "CAD", "€": "EUR",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR", "£": "GBP", "gbp": "GBP",
    "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR", "rupee": "INR", "rupees": "INR",
    "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "元": "CNY", "人民币": "CNY", "jpy": "JPY",
    "yen": "JPY", "日元": "JPY", "¥": None, "￥": None,
}
_BOUND_OF = {w: hint for hint, words in {
    "lower": ("over", "more than", "above", "exceed", "exceeding", "exceeded", "exceeds", "in excess of", "top",
              "tops", "topped", "topping", "surpass", "surpasses", "surpassed", "surpassing", "at least", "beyond",
              "north of", "upwards of", "cross", "crosses", "crossed", "crossing", "passed",
              "a minimum of", "超过", "超", "逾", "突破", ">", "≥"),
    "approx": ("nearly", "almost", "close to", "about", "around", "near", "in the region of",
               "roughly", "approximately", "approx.", "some", "circa", "c.", "ca.", "an estimated", "estimated", "近",
               "将近", "接近", "约", "大约", "~", "≈"),
    "upper": ("under", "less than", "below", "fewer than", "up to", "no more than", "not more than", "just under",
              "just below", "just shy of", "shy of", "south of", "a shade under", "slightly under", "slightly below",
              "at most", "a maximum of", "不到", "不足", "<", "≤"),
}.items() for w in words}
# "over" in these is not a bound: "handed over 50,000 cars" reports deliveries.
_NOT_BOUND = ("hand over", "hands over", "handed over", "handing over", "turned over", "took over",
              "taken over", "adds up to", "add up to", "added up to", "adding up to", "edged up to", "crept up to",
              "ticked up to", "went up to", "moved up to", "climbed up to")
_SMALL = {w: i for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split(), 1)
} | {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_CUR_SYMBOLS = frozenset("$€£¥￥₹")
_CUR_CODES = frozenset(("rmb", "cny", "usd", "eur", "hkd", "inr", "gbp", "jpy", "rs.", "rs"))
_BOUND_GLUED = tuple((w, h) for w, h in sorted(_BOUND_OF.items(), key=lambda wh: -len(wh[0]))
                     if not (w[0].isascii() and w[0].isalpha()))  # 超过100万, ~500
_BOUND_GLUED_LAST = frozenset(w[-1] for w, _ in _BOUND_GLUED)
# The word just before a figure may be: ("b", bound phrases ending in it, longest first), ("c",
# currency code), ("l",) a label (Model 3, Level 2) or ("t",) "the" (topped the 1 million mark).
_BEFORE: dict[str, tuple] = {"the": ("t",)}
for _w in sorted(_BOUND_OF, key=len, reverse=True):
    _BEFORE.setdefault(_w.rsplit(" ", 1)[-1], ("b", []))[1].append((_w, _BOUND_OF[_w]))
for _w in _CUR_CODES | _CUR_SYMBOLS | {"us$", "hk$", "nt$", "s$", "a$", "c$"}:
    _BEFORE[_w] = ("c", _CURRENCIES[_w])
for _w in "model series level phase gen class type stage tier version mark no. nos. number".split():
    _BEFORE[_w] = ("l",)
_PLAIN_END = frozenset(("", ";", "!", "?", "'", "’", "—", "–", "，", "。", "、", "；"))
_TAIL_CJK = frozenset("辆台元美港欧日人以多％")
_NOUNS = frozenset("units vehicles cars evs nevs deliveries".split())
# First words after a space that may continue a figure (see _TAIL_RE); anything else ends it.
_TAIL_WORDS = frozenset(
    "% ％ percentage pp ppt ppts per percent pct times fold us u.s. hong yuan rmb cny usd eur hkd inr dollar "
    "dollars euro euros rupee rupees yen new electric passenger plug-in hybrid pure pure-electric "
    "all-electric fully fully-electric battery battery-electric smart commercial nev ev bev phev unit units "
    "vehicle vehicles car cars auto autos evs nevs bevs phevs erev erevs truck trucks bus buses deliveries "
    "kwh kw gwh mwh wh km/h kph km mph mile miles hp ps kg mm tonnes gw mw or".split()
)
_MEASURES = {"kwh": "kWh", "kw": "kW", "gwh": "GWh", "mwh": "MWh", "wh": "Wh", "km/h": "km/h", "kph": "km/h",
             "km": "km", "mph": "mph", "mile": "miles", "miles": "miles", "hp": "hp", "ps": "PS", "kg": "kg",
             "mm": "mm", "tonnes": "t", "gw": "GW", "mw": "MW"}

# All regexes run on the prepared text (see _prepare). What may follow a figure: ``vend`` marks the
# end of its span; ``noun`` (vehicles) and ``mu`` (measures) are read but left out of the span.
_TAIL_RE = re.compile(
    r"""
(?:
    (?P<ord>(?<=\d)(?:st|nd|rd|th)|(?<=[dn])th)
  | (?P<pp>[ ]?(?:percentage[ ]points?|ppts?|pp)(?![a-z]))
  | (?P<pct>[ ]?(?:%|％|per[ ]?cent(?![a-z])|pct(?![a-z])))
  | (?P<times>[ ]?times(?![a-z])|x(?![a-z0-9])|×|[ -]?fold(?![a-z]))
)?
(?P<plus>\+(?!\d)|-plus(?![a-z]))?
(?P<cur2>[ ]?(?:(?:us|u\.s\.|hong[ ]kong)[ ]dollars|yuan|rmb|cny|usd|eur|hkd|inr|dollars?|euros?|rupees?|yen)
    (?![a-z])|[ ]?(?:美元|港元|港币|欧元|日元|人民币|元))?
(?P<vend>)
(?:
    (?P<noun>[ ]?(?:(?:new|electric|passenger|plug-in|hybrid|pure[ -]electric|all-electric|fully[ -]electric
        |battery[ -]electric|smart|commercial|nev|ev|bev|phev)[ ]){0,2}
        (?:units?|vehicles?|cars?|autos?|evs?|nevs?|bevs?|phevs?|erevs?|trucks?|bus(?:es)?|deliveries)
        (?![a-z])|辆|台)
  | (?P<mu>[ ]?(?:kwh|kw|gwh|mwh|wh|km/h|kph|km|mph|miles?|hp|ps|kg|mm|tonnes|gw|mw)(?![a-z]))
)?
(?![a-z0-9_]|[.,:/]\d)
""",
    re.X,
)
_TAIL_GROUPS = ("ord", "pp", "pct", "times", "plus", "cur2", "noun", "mu")
# The first digit is consumed before the lookbehind so that the regex gets a fast first-char scan.
# Indian grouping (2,19,432) is tried before Western grouping; the atomic group stops backtracking.
_NUM_RE = re.compile(
    r"""
\d(?:(?<![a-z0-9_.,/:]\d)|(?<=(?:rmb|cny|usd|eur|hkd|inr|gbp|jpy)\d)|(?<=rs\d)|(?<=rs\.\d))
(?P<num>(?>\d?(?:,\d\d)+,\d{3}(?!\d)|\d{0,2}(?:,\d{3})+(?!\d)|\d*)(?:\.\d+)?)
(?P<duo>[多余])?
(?P<scale>
    [ -]?(?:hundred|thousand|million|billion|trillion|lakh|lac|crore)(?:s|th)?(?![a-z])
        (?:[ ](?:thousand|million|billion|lakh|crore)s?(?![a-z]))?
  | [ ]?(?:mln|mn|bn|tn|cr)(?![a-z])
  | [kmb](?![a-z])
  | [ ]?(?:万亿|亿|万|千)
)?
""",
    re.X,
)


def _alt_by_first(words: Iterable[str]) -> str:
    """``(?:o(?:ne)|t(?:wo|hree|...)|...)``: alternatives grouped by first letter (fast rejection)."""
    groups: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "(?:" + "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in groups.items()) + ")"


_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion|lakhs?|crores?)"
_WORD = _alt_by_first([*_SMALL, "hundred", "thousand", "million", "billion", "trillion", "lakhs", "lakh",
                       "crores", "crore", "hundredth", "thousandth", "millionth", "billionth"]) + "(?![a-z])"
_WORD_RE = re.compile(  # the leading literal space makes the scan fast
    rf" (?:{_WORD}|an?(?=[ ]{_SCALE_WORD})|half[ ]an?(?=[ ]{_SCALE_WORD}))"
    rf"(?:(?:[ -]|(?<=hundred)[ ]and[ ]){_WORD})*"
)
_AFTER_STARTS = (" or ", " and ", "以上", "多")
_AFTER_RE = re.compile(
    r"(?:[ ](?P<lo>or[ ]more|or[ ]above|or[ ]higher|and[ ]above|and[ ]over|and[ ]more)|以上|多"
    r"|[ ](?P<ap>or[ ]so|or[ ]thereabouts))(?![a-z])"
)
_SCALE_TOKEN = re.compile(r"[a-z]+|万亿|[万亿千]")
_RANGE_GAP = re.compile(r"[ ]*(-|–|—|~|to|and)[ ]*")
_BLANKS = str.maketrans({c: " " for c in "\t\n\r\f\v\u00a0\u3000()[]{}\"\u201c\u201d\u00ab\u00bb"})
_DATE_PARTS = frozenset("年月日号")
_NO_TAIL = (None,) * 8
# (ord, pp, pct, times, plus, cur2, noun, mu, end of the figure's span, end of what was read)
_Tail = tuple[str | None, str | None, str | None, str | None, str | None, str | None, str | None, str | None,
              int, int]
# (start including a currency, bound hint, is money, currency code, preceded by a label)
_Before = tuple[int, str | None, bool, str | None, bool]


def _prepare(text: str) -> str:
    """``" " + text.lower()`` with brackets, quotes and whitespace as spaces (offsets plus one)."""
    low = text.lower() if "İ" not in text else text.replace("İ", "I").lower()
    return " " + low.translate(_BLANKS)


def _scale(scale: str) -> float:
    mult = 1.0
    for tok in _SCALE_TOKEN.findall(scale):
        mult *= _SCALES.get(tok) or _SCALES.get(tok[:-1]) or _SCALES[tok[:-2]]  # millions, millionth
    return mult


def _glued_currency(p: str, start: int, c: str) -> tuple[int, str | None] | None:
    """A currency marker glued to the figure: ``$5``, ``US$1.5bn``, ``RMB10bn``, ``€35,000``."""
    if c in _CUR_SYMBOLS:
        if c == "$":
            for n in (3, 2):
                pre = p[start - n:start]
                if pre in _CURRENCIES and not p[start - n - 1].isalpha():
                    return start - n, _CURRENCIES[pre]
        return start - 1, _CURRENCIES[c]
    if "a" <= c <= "z" or c == ".":
        for n in (3, 2):
            code = p[start - n:start]
            if code in _CUR_CODES and not p[start - n - 1].isalpha():
                return start - n, _CURRENCIES[code]
    return None


def _before(p: str, start: int) -> _Before:
    """Read what precedes the figure at ``p[start]``: a currency, then bound words or a label."""
    money, code = False, None
    for _ in range(2):
        c = p[start - 1]
        if c != " ":
            if not money and (cur := _glued_currency(p, start, c)) is not None:
                start, code, money = cur[0], cur[1], True
                continue
            if c in _BOUND_GLUED_LAST:
                for phrase, hint in _BOUND_GLUED:
                    if p.endswith(phrase, 0, start):
                        return start, hint, money, code, False
            return start, None, money, code, False
        j = p.rfind(" ", max(0, start - 18), start - 1)
        info = _BEFORE.get(p[j + 1:start - 1])
        if info is None:
            break
        if info[0] == "c":
            if money:
                break
            start, code, money = j + 1, info[1], True
            continue
        if info[0] == "l":
            return start, None, money, code, not money
        end = start - 1
        if info[0] == "t":
            k = p.rfind(" ", max(0, j - 18), j)
            info, end = _BEFORE.get(p[k + 1:j]), j
            if info is None or info[0] != "b":
                break
        ws = p[max(0, end - 30):end]
        if ws.endswith(_NOT_BOUND):
            break
        for phrase, hint in info[1]:
            if ws.endswith(phrase) and (len(ws) == len(phrase) or not ws[-len(phrase) - 1].isalpha()):
                return start, hint, money, code, False
        break
    return start, None, money, code, False


def _ends_plainly(p: str, e: int) -> bool:
    """Fast check: nothing that :data:`_TAIL_RE` reads follows ``p[e]`` (the usual case)."""
    c = p[e:e + 1]
    if c == " ":
        k = p.find(" ", e + 1, e + 24)
        word = p[e + 1:k] if k != -1 else p[e + 1:e + 24]
        return word[:1].isascii() and word.rstrip(".,;:!?'’") not in _TAIL_WORDS
    if c >= "\u3000":  # CJK: only 辆, 元, 美元, 以上... continue a figure
        return c not in _TAIL_CJK
    return c in _PLAIN_END or (c in ".,:/" and not p[e + 1:e + 2].isdigit())


def _tail(p: str, e: int) -> _Tail | None:
    """What follows a figure ending at ``e`` (None if the figure is glued to letters or digits)."""
    c = p[e:e + 1]
    if c == "%":  # fast paths for the commonest tails: "34%", "5,000 vehicles"
        if _ends_plainly(p, e + 1):
            return None, None, "%", None, None, None, None, None, e + 1, e + 1
    elif c == " ":
        k = p.find(" ", e + 1, e + 24)
        word = (p[e + 1:k] if k != -1 else p[e + 1:e + 24]).rstrip(".,;:!?'’")
        if word in _NOUNS and _ends_plainly(p, e + 1 + len(word)):
            return None, None, None, None, None, None, word, None, e, e + 1 + len(word)
    t = _TAIL_RE.match(p, e)
    if t is None:
        return None
    return (*t.group(*_TAIL_GROUPS), t.start("vend"), t.end())  # type: ignore[return-value]


def _eval_words(run: str) -> tuple[float, bool, bool] | None:
    """Value of a run of number words, whether it has a multiplier, whether it is an ordinal."""
    total = cur = 0.0
    has_num = has_scale = ordinal = half = False
    for tok in run.replace("-", " ").split():
        if tok == "half":
            half = True
        elif tok in ("a", "an"):
            cur, has_num = 1.0, True
        elif tok in _SMALL:
            v, last = _SMALL[tok], cur % 100
            if cur and not (last == 0 and v < 100 or last >= 20 and last % 10 == 0 and v < 10):
                return None  # "one two", "twelve three": not one number
            cur, has_num = cur + v, True
        elif tok != "and":
            if tok.endswith("th"):
                ordinal, tok = True, tok[:-2]
            mult = _SCALES.get(tok) or _SCALES[tok[:-1]]
            has_scale = True
            if mult == 100:
                cur = (cur or 1.0) * 100
            else:
                total, cur = total + (cur or 1.0) * mult, 0.0
    if not has_num and not ordinal:
        return None
    return (total + cur) * (0.5 if half else 1.0), has_scale, ordinal


@dataclass(slots=True)
class _Cand:
    """A figure before range propagation (mutable; becomes a NumberMatch)."""

    start: int
    end: int
    value: float
    bound: str | None
    pct: bool
    money: bool
    unit: str | None
    scale: float = 1.0  # the multiplier applied
    bare: bool = True  # no multiplier, percent, suffix or unit other than a currency
    grouped: bool = False  # written with separators (5,000) or followed by a currency word


def _finish(p: str, value: float, scale: float, tail: _Tail, ordinal: bool, lower: bool,
            before: _Before) -> _Cand:
    """Combine a figure with what follows it (tail) and what precedes it (see :func:`_before`)."""
    ord_, pp, pct, times, plus, cur2, noun, mu, vend, tail_end = tail
    start, bound, money, code, _ = before
    if cur2:
        money = True
        code = code or _CURRENCIES.get(" ".join(cur2.split()))
    unit: str | None = None
    if ordinal or ord_ or p[start - 1] == "第":
        unit = "ordinal"
    elif times:
        unit = "times"
    elif pp:
        unit = "pp"
    elif money:
        unit = code
    elif noun:
        unit = "vehicles"
    elif mu:
        unit = _MEASURES[mu.strip()]
    if bound is None:
        if lower or plus:
            bound = "lower"
        elif p.startswith(_AFTER_STARTS, tail_end) and (after := _AFTER_RE.match(p, tail_end)) is not None:
            bound = "approx" if after.group("ap") else "lower"
    is_pct = bool(pct or pp)
    bare = scale == 1.0 and not is_pct and unit in (None, code) and not plus
    return _Cand(start, vend, round(value * scale, 6), bound, is_pct, money, unit, scale, bare, bool(cur2))


def _digit_candidates(p: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _NUM_RE.finditer(p):
        s, e = m.span()
        plain_end = _ends_plainly(p, e)
        if plain_end:
            tail = None
        elif (tail := _tail(p, e)) is None:
            continue  # glued to letters: 1H24, 5kV
        num = p[s:m.end("num")]
        if num[0] == "0" and len(num) > 1 and num[1].isdigit():
            continue  # Zeekr 001, Seal 06: a code, not a quantity
        value = float(num.replace(",", "")) if len(num) > 3 else float(num)
        duo, scale_txt = m.group("duo", "scale") if m.end("num") != e else (None, None)
        start = s
        if p[s - 1] in "-−+" and p[s - 2] in " :（":
            start = s - 1
            value = -value if p[start] != "+" else value
        if p[start - 1] != " " or p[p.rfind(" ", max(0, start - 18), start - 1) + 1:start - 1] in _BEFORE:
            before = _before(p, start)
        else:
            before = (start, None, False, None, False)
        if not (before[2] or scale_txt or duo or (tail and any(tail[:6]))):
            noun = tail[6] if tail else None
            if p[e:e + 1] in _DATE_PARTS and not noun:
                continue  # 10月, 2024年: date parts
            if len(num) == 4 and 1990 <= value <= 2039 and not (tail and tail[7]) and (
                    not noun or "deliver" in noun):
                continue  # a year
            if before[4]:
                continue  # Model 3, Level 2, No. 1
            if plain_end and before[1] is None and not p.startswith(_AFTER_STARTS, e):
                out.append(_Cand(start, e, value, None, False, False, None, grouped="," in num))
                continue
        cand = _finish(p, value, _scale(scale_txt) if scale_txt else 1.0, tail or _NO_TAIL + (e, e),
                       bool(scale_txt) and scale_txt.endswith("th"), bool(duo), before)
        cand.grouped = cand.grouped or "," in num
        out.append(cand)
    return out


def _word_candidates(p: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _WORD_RE.finditer(p):
        evaluated = _eval_words(m.group()[1:])
        e = m.end()
        if evaluated is None or (tail := _NO_TAIL + (e, e) if _ends_plainly(p, e) else _tail(p, e)) is None:
            continue
        value, has_scale, ordinal = evaluated
        nxt = p[tail[9]:tail[9] + 4]
        if not has_scale and (nxt[:1] == "-" and nxt[1:2].isalpha() or value == 1 and nxt == " of "):
            continue  # three-row, one-off, one of
        out.append(_finish(p, value, 1.0, tail, ordinal, False, _before(p, m.start() + 1)))
    return out


def find_numbers(text: str) -> list[NumberMatch]:
    """All figures in ``text``, in order of position (see the module docstring)."""
    p = _prepare(text)
    cands = _digit_candidates(p)
    words = _word_candidates(p)
    if words:
        cands = sorted(cands + words, key=attrgetter("start"))
    kept: list[_Cand] = []
    for c in cands:
        if not kept or c.start >= kept[-1].end:
            kept.append(c)
    for a, b in zip(kept, kept[1:], strict=False):  # ranges: 1-1.5 million, 20 to 30%, $1-1.5bn
        if b.start - a.end > 6 or (gap := _RANGE_GAP.fullmatch(p, a.end, b.start)) is None:
            continue
        if gap.group(1) == "and" and not p.endswith("between ", 0, a.start):
            continue
        if a.bare and not a.grouped and abs(a.value) < 1000 and (b.scale != 1 or b.pct or b.unit == "times"):
            a.value = round(a.value * b.scale, 6)
            a.pct, a.bare = b.pct, False
            a.unit = b.unit if b.unit in ("times", "pp") else a.unit
        if a.money != b.money:
            for x, y in ((a, b), (b, a)):
                if y.money and x.unit is None and not x.pct:
                    x.money, x.unit = True, y.unit
    return [_new_number(c.value, c.start - 1, c.end - 1, text[c.start - 1:c.end - 1], c.bound, c.pct, c.money,
                        c.unit) for c in kept]


_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十", 0)} | {"两": 2}
_DURATION_WORD = re.compile(
    r"(?<![a-z])(an?)(?= (?:decade|year and a half|year-and-a-half)(?![a-z]))"
    r"|(?:用了|仅用|只用|历时|花了|用时|耗时|不到|超过|近)(?:了)?([一二两三四五六七八九十]|\d{1,2})(?=年|个多?月)")


def duration_words(text: str) -> list[NumberMatch]:
    """The figures of durations that :func:`find_numbers` does not read: the "a" of "more than a decade" and "a
    year and a half", and Chinese counts of years or months ("用了五年多", "用了5年", where 年 would be a date)."""
    if not ("decade" in text or "a half" in text or "年" in text or "月" in text):
        return []
    p = _prepare(text)
    out = []
    for m in _DURATION_WORD.finditer(p):
        g = 1 if m.group(1) else 2
        s, e = m.start(g), m.end(g)
        word = m.group(g)
        value = 1.0 if g == 1 else float(word) if word.isdigit() else float(_ZH_DIGITS[word])
        bound = _before(p, s)[1] if g == 1 else (
            "lower" if p.startswith(("年多", "个多月"), e) or m.group(0).startswith("超过") else
            "upper" if m.group(0).startswith("不到") else "approx" if m.group(0).startswith("近") else None)
        out.append(_new_number(value, s - 1, e - 1, text[s - 1:e - 1], bound, False, False, None))
    return out


def overlaps(a: _Span | tuple[int, int], b: _Span | tuple[int, int]) -> bool:
    """True if two spans (objects with ``start``/``end`` or ``(start, end)`` tuples) share a character."""
    a0, a1 = a if isinstance(a, tuple) else (a.start, a.end)
    b0, b1 = b if isinstance(b, tuple) else (b.start, b.end)
    return a0 < b1 and b0 < a1


def drop_overlapping(numbers: Iterable[NumberMatch],
                     spans: Iterable[_Span | tuple[int, int]]) -> list[NumberMatch]:
    """The numbers that overlap none of ``spans`` (e.g. the day in ``Oct. 15, 2024``)."""
    iv = sorted((s if isinstance(s, tuple) else (s.start, s.end)) for s in spans)
    starts = [a for a, _ in iv]
    reach, best = [], 0  # reach[i]: the furthest end among the first i+1 spans (sorted by start)
    for _, e in iv:
        best = max(best, e)
        reach.append(best)
    out = []
    for n in numbers:
        i = bisect_right(starts, n.end - 1) - 1  # spans starting before the number ends
        if i >= 0 and reach[i] > n.start:
            continue
        out.append(n)
    return out
