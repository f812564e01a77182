"""How much a claimed number may differ from the recomputed one, read from the claim's own wording.

The rules (also in docs/check.md):

* **Rounding.** A number is read as rounded to its last written digit: ``58`` ±0.5, ``2.3`` ±0.05,
  ``34%`` ±0.5 point, ``47.5%`` ±0.05 point. For volumes of 1,000 and more, trailing zeros are read
  as rounding to that place: ``410,000`` is rounded to the nearest 10,000 (±5,000), ``411,840`` to the
  nearest 10 (±5). A figure with a single significant digit (``50,000``, ``600,000``, ``1 million``)
  would allow ±10-50 %; that slack is capped at :data:`MAX_ROUNDING` (5 %) of the value. Small
  counts (months, days, percents, ratios, anything under 1,000) keep every digit: ``20 months`` is
  not "rounded to ten".
* **Hedges.** "about", "around", "roughly", "approximately", "some", "nearly", "almost", "close
  to", "~" widen the tolerance to the rounding or :data:`HEDGE_SLACK` (2 %, the slack
  :mod:`evpace.reconcile` gives approximate figures), whichever is larger. "nearly" and "almost" are
  not read as "below": only the distance counts.
* **Bounds.** "more than", "over", "above", "exceeding", "topped", "surpassed", "at least", "beyond",
  "-plus" make a lower bound: any true value at or above the number is consistent. "under", "less
  than", "below", "fewer than", "up to", "within" make an upper bound.
* **Emphasis.** "just", "only", "alone" change nothing: "just 43 months" is an exact 43.

Durations in months get one more reading, applied by the judge: a month count may be rounded (±0.5)
or a count of completed months (the true span is N to N+1 months).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_ROUNDING = 0.05  # the widest relative slack rounding alone may give
HEDGE_SLACK = 0.02  # relative slack of a hedged figure ("about", "close to"), as reconcile.APPROX_TOLERANCE

LOWER_WORDS = ("more than", "over", "above", "exceeding", "exceeded", "topped", "topping", "surpassed",
               "surpassing", "at least", "beyond", "north of", "upwards of", "in excess of", "crossed", "passed")
UPPER_WORDS = ("under", "less than", "below", "fewer than", "up to", "no more than", "at most", "within")
APPROX_WORDS = ("about", "around", "roughly", "approximately", "some", "nearly", "almost", "close to",
                "just under", "just shy of", "just over", "circa", "an estimated", "~", "≈")
EMPHASIS_WORDS = ("just", "only", "a mere", "merely")
_ALL = sorted(LOWER_WORDS + UPPER_WORDS + APPROX_WORDS + EMPHASIS_WORDS, key=len, reverse=True)
_QUAL_RE = re.compile(r"(?:^|(?<=[\s(]))(" + "|".join(re.escape(w) for w in _ALL) + r")(?=\s|$)")
_TAIL_LOWER = re.compile(r"^(?:-plus\b|\+|\s+or more\b)")
_HANDED = re.compile(r"\b(?:hand(?:ed|s|ing)?|turn(?:ed|s)?|t[oa]ok|taken|roll(?:ed|s)?|carr(?:y|ied))\s+$")
_TAIL_UPPER = re.compile(r"^\s+or (?:less|fewer)\b")


@dataclass(frozen=True)
class Tolerance:
    """The range of true values a claim allows, and the rule that gave it, in words."""

    low: float
    high: float
    rule: str
    bound: str = "exact"  # exact | approx | lower | upper
    center: float | None = None  # the claimed value, when the range is not symmetric around it

    def contains(self, x: float) -> bool:
        return self.low - 1e-9 <= x <= self.high + 1e-9

    def overlaps(self, lo: float, hi: float) -> bool:
        """True when some value in [lo, hi] is within the tolerance."""
        return max(self.low, lo) <= min(self.high, hi) + 1e-9

    @property
    def short(self) -> str:
        """Compact form for tables: ``±0.5``, ``≥ 410,000``, ``[57, 59]``."""
        if self.bound == "lower":
            return f"≥ {fmt_num(self.low)}"
        if self.bound == "upper":
            return f"≤ {fmt_num(self.high)}"
        half = (self.high - self.low) / 2
        symmetric = self.center is None or abs(self.center - (self.low + self.high) / 2) < 1e-9
        if math.isfinite(half) and symmetric:
            return f"±{fmt_num(half)}"
        return f"[{fmt_num(self.low)}, {fmt_num(self.high)}]"

    def to_dict(self) -> dict:
        return {"low": _json_num(self.low), "high": _json_num(self.high), "bound": self.bound, "rule": self.rule,
                "short": self.short}


def _json_num(x: float) -> float | None:
    return x if math.isfinite(x) else None


def fmt_num(x: float | None, unit: str = "") -> str:
    """A number as a person writes it: 411,837 · 33.5 · 2.15; with ``%`` for percent units."""
    if x is None:
        return "—"
    if isinstance(x, float) and not math.isfinite(x):
        return "∞" if x > 0 else "−∞"
    ax = abs(x)
    if ax >= 1000 or float(x).is_integer():
        s = f"{x:,.0f}"
    elif ax >= 10:
        s = f"{x:,.1f}"
    else:
        s = f"{x:.2f}".rstrip("0").rstrip(".") if ax >= 1 else f"{x:.3f}".rstrip("0").rstrip(".")
    return s + ("%" if unit == "percent" else "")


def qualifier(before: str, after: str = "") -> tuple[str | None, str]:
    """The hedge or bound word just before a number (``before`` ends where the number starts) or just
    after it (``-plus``), and the bound it makes: ``("over", "lower")``, ``("roughly", "approx")``,
    ``("just", "exact")``, ``(None, "exact")``.

    The word nearest the number wins, except that an emphasis word ("within just six months") lets
    the word before it speak. "over" followed by another qualifier ("over roughly 46 months") is "over
    a span of", not a bound.
    """
    if _TAIL_LOWER.match(after):
        return after.strip().split()[0] if after.strip() else "+", "lower"
    if _TAIL_UPPER.match(after):
        return "or less", "upper"
    tail = before[-40:].lower()
    words = [(m.start(), m.group(1)) for m in _QUAL_RE.finditer(tail)
             if not (m.group(1) == "over" and _HANDED.search(tail[:m.start()]))]
    # only words that reach the number: nothing but other qualifiers and articles in between
    chosen: str | None = None
    emphasis: str | None = None
    pos = len(tail.rstrip())
    for start, w in reversed(words):
        gap = tail[start + len(w):pos].strip()
        if gap and not re.fullmatch(r"(?:the|a|an|its|their|some)?", gap):
            break
        if w in EMPHASIS_WORDS:
            emphasis = emphasis or w
        elif chosen is None:
            chosen = w
        pos = start
    if chosen is None:
        return emphasis, "exact"
    return chosen, _bound_of(chosen)


def _bound_of(word: str) -> str:
    if word in LOWER_WORDS:
        return "lower"
    if word in UPPER_WORDS:
        return "upper"
    if word in APPROX_WORDS:
        return "approx"
    return "exact"


def rounding_unit(number_text: str, value: float, unit: str) -> float:
    """The place a number was rounded to, from how it is written (see the module docstring)."""
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", number_text)
    if not digits:
        return 1.0  # "six", "five": a whole count
    d = digits.group(0).replace(",", "")
    written = float(d)
    scale = value / written if written else 1.0
    if "." in d:
        place = 10.0 ** -len(d.split(".")[1])
    else:
        place = 1.0
        if abs(value) >= 1000 and unit in ("vehicles", ""):
            stripped = d.rstrip("0")
            place = 10.0 ** (len(d) - len(stripped)) if stripped else 1.0
    return place * (scale if scale > 0 else 1.0)


def tolerance_for(value: float, number_text: str, bound: str, word: str | None, unit: str) -> Tolerance:
    """The tolerance of a claimed number (see the module docstring)."""
    text = number_text.strip() or fmt_num(value)
    shown = fmt_num(value, unit)
    if bound == "lower":
        return Tolerance(value, math.inf, f"'{word or 'more than'} {text}' is a lower bound: "
                         f"consistent when the true value is at least {shown}", "lower")
    if bound == "upper":
        return Tolerance(-math.inf if unit == "percent" else 0.0, value,
                         f"'{word or 'up to'} {text}' is an upper bound: consistent when the true value is at "
                         f"most {shown}", "upper")
    place = rounding_unit(text, value, unit)
    half = place / 2
    rule = f"{text} read as rounded to the nearest {fmt_num(place)}: ±{fmt_num(half)}"
    if unit == "percent":
        rule += " point"
    cap = MAX_ROUNDING * abs(value)
    if abs(value) >= 1000 and half > cap:
        half = cap
        rule = f"{text} has one significant digit; rounding slack capped at 5%: ±{fmt_num(half)}"
    if bound == "approx":
        slack = HEDGE_SLACK * abs(value)
        if slack > half:
            rule = f"'{word}' {text}: ±2% = ±{fmt_num(slack)} (wider than its rounding, ±{fmt_num(half)})"
            half = slack
        else:
            rule = f"'{word}' {text}: its rounding, ±{fmt_num(half)}, is wider than 2%"
        return Tolerance(value - half, value + half, rule, "approx")
    return Tolerance(value - half, value + half, rule, "exact")
