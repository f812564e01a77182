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
_END = re.compile(r"[.!?](?=[\"'”’)\]]?\s+[\"'“‘(\[]?[A-Z0-9\u4e00-\u9fff])|[。！？；]|\n+")
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


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
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


class MentionFinder:
    """Finds registry names in text. Short model codes (M9, L6, G3...) count only after their brand
    or group was named earlier in the same document."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        names: dict[str, str] = {}
        for e in registry:
            for name in (e.name, *e.aliases):
                name = name.strip()
                if len(name) < 2 or "(" in name:
                    continue
                names.setdefault(name.casefold(), e.id)
        alts = sorted(names, key=len, reverse=True)
        parts = []
        for a in alts:
            esc = re.escape(a).replace(r"\ ", r"[\s\-]+")
            if re.search(r"[\u4e00-\u9fff]", a):
                parts.append(esc)
            else:
                # ASCII names end at any non-alphanumeric, CJK included ("小米YU7交付")
                parts.append(r"(?<![A-Za-z0-9\-])" + esc + (r"(?![A-Za-z0-9])" if a[-1].isalnum() else ""))
        self._names = names
        self._re = re.compile("|".join(parts), re.IGNORECASE)

    def find(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        seen_roots: set[str] = set()
        for m in self._re.finditer(text):
            key = re.sub(r"[\s\-]+", " ", m.group(0)).casefold()
            eid = self._names.get(key) or self._names.get(m.group(0).casefold())
            if eid is None:
                continue
            e = self.registry.get(eid)
            if e.kind == "model" and key in _AMBIGUOUS or (e.kind == "model" and len(key) <= 3):
                roots = {a.id for a in self.registry.ancestors(eid)}
                if not roots & seen_roots:
                    continue
            if key in _AMBIGUOUS and e.kind != "model" and m.group(0).islower():
                continue
            out.append(Mention(m.start(), m.end(), m.group(0), eid, e.kind, e.parent))
            seen_roots.add(eid)
            seen_roots.update(a.id for a in self.registry.ancestors(eid))
        return out


@lru_cache(maxsize=8)
def finder_for(registry: Registry) -> MentionFinder:
    """A compiled finder per registry (registries are immutable once built)."""
    return MentionFinder(registry)
