"""Sentences and entity mentions, with character offsets into the document text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..entities import Registry

# A sentence ends at . ! ? (or their CJK forms) followed by space and a capital, digit, quote or CJK,
# or at a line break. Abbreviations and decimals are not ends.
_ABBREV = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Inc", "Co",
           "Ltd", "Corp", "No", "vs", "Mr", "Ms", "Dr", "St", "approx", "est", "U.S", "U.K", "e.g", "i.e", "Jr")
_END = re.compile(r"[.!?](?=[\"'”’)\]]?\s+[\"'“‘(\[]?[A-Z0-9\u4e00-\u9fff])|[。！？；]|\n+|"
                  r"[\U0001F300-\U0001FAFF\u2600-\u27BF](?=\s+[\"'“‘(\[$]?[A-Za-z0-9\u4e00-\u9fff])")  # "📈 7X orders"
_ABBREV_RE = re.compile(r"(?:\b(?:" + "|".join(re.escape(a) for a in _ABBREV) + r")|\b[A-Z])\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split into sentences (and lines); offsets index the original text."""
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end() if m.group(0) != "\n" and not m.group(0).startswith("\n") else m.start()
        if m.group(0) == "." and _ABBREV_RE.search(text[max(start, m.start() - 6):m.end()]):
            continue
        _add(out, text, start, end)
        start = m.end()
    _add(out, text, start, len(text))
    return out


MAX_SENTENCE = 600  # characters; rules look at a sentence per figure, so a longer one is cut (linear time)
# where a long sentence may be cut: a blank between two words (never inside "1.2 million" or "Oct. 15, 2024")
_CUT = re.compile(r"(?<=[A-Za-z\u4e00-\u9fff;:)\]])\s+(?=[A-Za-z\u4e00-\u9fff(\[])")
_CUT_ELSE = re.compile(r"(?<=[^\d\s,.])\s+")  # else a blank not right after a digit: before a figure, not in it


_NUMBER_WORDS = frozenset(
    "a an and half quarter dozen one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million billion lakh lakhs crore crores double doubled triple tripled quadruple quadrupled twice "
    "times more than about roughly nearly almost around some over".split())
_LAST_WORD = re.compile(r"[A-Za-z]+$")
_FIGURE_END = re.compile(r"(?:\d|\d[kKmM]|\d(?:mn|bn)|[\d\uff10-\uff19][万亿]|[\uff10-\uff19])$")
_FIRST_WORD = re.compile(r"[A-Za-z]+")


def _in_figure(text: str, start: int, end: int) -> bool:
    """Is the blank ``text[start:end]`` inside a figure written in words ("half a million")?"""
    before = _LAST_WORD.search(text, max(0, start - 12), start)
    after = _FIRST_WORD.match(text, end)
    word = after.group(0).lower() if after else ""
    if word in ("per", "percent", "pct") and (_FIGURE_END.search(text, max(0, start - 12), start) or (
            before and before.group(0).lower() in _NUMBER_WORDS)):
        return True  # "10万 per cent", "2.5m percent"
    if word == "cent" and before and before.group(0).lower() == "per":
        return True
    return bool(before and before.group(0).lower() in _NUMBER_WORDS and word in _NUMBER_WORDS)


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:  # no sentence break for a long stretch (a flattened table, a bad feed)
        lo, hi = start + MAX_SENTENCE // 2, start + MAX_SENTENCE
        cuts = [m for m in _CUT.finditer(text, lo, hi)]
        cut = next((m.end() for m in reversed(cuts) if not _in_figure(text, m.start(), m.end())), 0) or \
            (cuts[-1].end() if cuts else 0) or \
            max((m.start() for m in _CUT_ELSE.finditer(text, lo, hi)), default=hi)
        _add(out, text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    entity_id: str
    kind: str  # group | brand | model
    parent: str | None


_AMBIGUOUS = {"it", "one", "leap", "nova", "001", "h5", "s7", "l6", "m5", "m7", "m8", "m9", "g3", "p7", "x9"}


_TOKEN = re.compile(r"[A-Za-z0-9]+")
_JOINER = re.compile(r"[ \t-]{1,2}|\.[ \t]|\.$")  # what may stand between the words of one name
_CJK = re.compile(r"[\u4e00-\u9fff]")


_CASHTAG = re.compile(r"(?<![\w$])\$[A-Za-z]{1,6}\b")
_NEXT_WORD = re.compile(r"(?:[ \t-]{1,2}|\.[ \t]|\.)([a-z0-9]+)")  # a name's next word, joined as _JOINER allows


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(t.casefold() for t in _TOKEN.findall(name))


class MentionFinder:
    """Finds registry names in text by looking word n-grams up in a table (fast: one pass over the words;
    CJK names by a small regex). Short model codes (M9, L6, G3...) count only after their brand or group
    was named earlier in the same document."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._names: dict[tuple[str, ...], str] = {}
        self._cashtags: dict[str, str] = {}
        cjk: dict[str, str] = {}
        for e in registry:
            for name in (e.name, *e.aliases):
                name = name.strip()
                if len(name) < 2 or "(" in name:
                    continue
                if _CJK.search(name):
                    cjk.setdefault(name, e.id)
                    continue
                if name.startswith("$"):  # a cashtag: "$XPEV 15,256"
                    self._cashtags.setdefault(name.upper(), e.id)
                    continue
                key = _tokens(name)
                if key:
                    self._names.setdefault(key, e.id)
        self._first = {k[0] for k in self._names}
        # the first word of a name, on lower-cased text, not inside a longer word (one scan in C)
        self._first_re = re.compile(r"(?<![a-z0-9])(?:" + "|".join(
            re.escape(w) for w in sorted(self._first, key=len, reverse=True)) + r")(?![a-z0-9])")
        self._longest = max((len(k) for k in self._names), default=1)
        alts = sorted(cjk, key=len, reverse=True)
        self._cjk = {a: cjk[a] for a in alts}
        self._cjk_re = re.compile("|".join(re.escape(a) for a in alts)) if alts else None

    def _candidates(self, text: str, low: str | None = None) -> list[tuple[int, int, str]]:
        low = text.lower() if low is None else low
        if len(low) != len(text) or "\u212a" in text:  # lower() moved offsets (İ) or made ASCII (Kelvin K)
            return self._candidates_by_token(text)
        out = []
        taken = 0
        for m in self._first_re.finditer(low):
            if m.start() < taken:
                continue  # a word inside the name just found
            words, spans, pos = [m.group(0)], [m.span()], m.end()
            while len(words) < self._longest and (nxt := _NEXT_WORD.match(low, pos)) is not None:
                words.append(nxt.group(1))
                spans.append(nxt.span(1))
                pos = nxt.end()
            for k in range(len(words), 0, -1):
                eid = self._names.get(tuple(words[:k]))
                if eid is not None:
                    out.append((spans[0][0], spans[k - 1][1], eid))
                    taken = spans[k - 1][1]
                    break
        if self._cjk_re is not None:
            out += [(m.start(), m.end(), self._cjk[m.group(0)]) for m in self._cjk_re.finditer(text)]
            out.sort()
        return self._with_cashtags(text, out)

    def _with_cashtags(self, text: str, out: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        if not self._cashtags or "$" not in text:
            return out
        tags = [(m.start(), m.end(), self._cashtags[m.group(0).upper()]) for m in _CASHTAG.finditer(text)
                if m.group(0).upper() in self._cashtags]
        if not tags:
            return out
        return sorted([c for c in out if not any(a <= c[0] < b for a, b, _ in tags)] + tags)

    def _candidates_by_token(self, text: str) -> list[tuple[int, int, str]]:
        toks = list(_TOKEN.finditer(text))
        low = [t.group(0).casefold() for t in toks]
        out = []
        i = 0
        while i < len(toks):
            if low[i] not in self._first:
                i += 1
                continue
            hit = 0
            for k in range(min(self._longest, len(toks) - i), 0, -1):
                if (*low[i:i + k],) in self._names and all(
                        _JOINER.fullmatch(text[toks[j].end():toks[j + 1].start()]) for j in range(i, i + k - 1)):
                    hit = k
                    break
            if hit:
                out.append((toks[i].start(), toks[i + hit - 1].end(), self._names[(*low[i:i + hit],)]))
                i += hit
            else:
                i += 1
        if self._cjk_re is not None:
            out += [(m.start(), m.end(), self._cjk[m.group(0)]) for m in self._cjk_re.finditer(text)]
            out.sort()
        return self._with_cashtags(text, out)

    def find(self, text: str, low: str | None = None) -> list[Mention]:
        """Registry names in ``text`` (``low``: the same text lower-cased, if the caller has it)."""
        out: list[Mention] = []
        seen_roots: set[str] = set()
        for start, end, eid in self._candidates(text, low):
            surface = text[start:end]
            key = surface.casefold()
            e = self.registry.get(eid)
            if e.kind == "model" and (key in _AMBIGUOUS or len(key) <= 3):
                roots = {a.id for a in self.registry.ancestors(eid)}
                if not roots & seen_roots:
                    continue
            if key in _AMBIGUOUS and e.kind != "model" and surface.islower():
                continue
            out.append(Mention(start, end, surface, eid, e.kind, e.parent))
            seen_roots.add(eid)
            seen_roots.update(a.id for a in self.registry.ancestors(eid))
        return out


@lru_cache(maxsize=8)
def finder_for(registry: Registry) -> MentionFinder:
    """A compiled finder per registry (registries are immutable once built)."""
    return MentionFinder(registry)
