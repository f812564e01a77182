"""Score the extractor against a labelled set: precision, recall and F1 over distinct facts per document.

A labelled set is a folder with ``articles/NAME.md`` (front matter: title, url, published) and
``gold/NAME.jsonl`` (one fact per line, see docs/extraction.md), plus optional ``seeds/`` whose
``seeds.json`` points at articles kept elsewhere (the reference articles in ../shared/seeds).
A fact matches when entity, metric, scope, period, value, unit, bound, kind and change are all equal;
``relaxed`` keys keep only entity, value, unit and period.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import extract, to_record
from .model import Document
from .sources import read_documents

STRICT = ("entity_id", "metric", "scope", "period", "value", "unit", "bound", "kind", "change")
RELAXED = ("entity_id", "value", "unit", "period")


def key(rec: dict[str, Any], fields: tuple[str, ...] = STRICT) -> tuple:
    return tuple(round(float(rec[f]), 4) if f == "value" else (rec.get(f) or "") for f in fields)


@dataclass
class Labelled:
    doc: Document
    gold: list[dict[str, Any]]


def load_devset(root: Path) -> list[Labelled]:
    """Articles with their gold facts (the seeds only when their article files exist)."""
    out = []
    for gold in sorted((root / "gold").glob("*.jsonl")):
        art = root / "articles" / (gold.stem + ".md")
        docs = [d for d in read_documents([str(art)]) if isinstance(d, Document)]
        if docs:
            out.append(Labelled(docs[0], _read_jsonl(gold)))
    seeds = root / "seeds" / "seeds.json"
    if seeds.exists():
        for name, spec in json.loads(seeds.read_text()).items():
            path = (root.parent / spec["path"]).resolve()
            if not path.exists():
                continue
            docs = [d for d in read_documents([str(path)], published=spec.get("published"))
                    if isinstance(d, Document)]
            if docs:
                out.append(Labelled(docs[0], _read_jsonl(root / "seeds" / f"{name}.jsonl")))
    return out


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[str, tuple]] = field(default_factory=list)
    extras: list[tuple[str, tuple]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(items: list[Labelled], fields: tuple[str, ...] = STRICT) -> tuple[Score, dict[str, Score]]:
    """Overall and per-unit scores; each document's facts are compared as sets of keys."""
    total, by_unit = Score(), {}
    for it in items:
        pred = {key(to_record(x, it.doc), fields) for x in extract(it.doc)}
        gold = {key(g, fields) for g in it.gold}
        units = {k[fields.index("unit")] for k in pred | gold} if "unit" in fields else {"all"}
        for u in units:
            p, g = _of_unit(pred, fields, u), _of_unit(gold, fields, u)
            s = by_unit.setdefault(u, Score())
            s.tp += len(p & g)
            s.fp += len(p - g)
            s.fn += len(g - p)
        total.tp += len(pred & gold)
        total.fp += len(pred - gold)
        total.fn += len(gold - pred)
        total.misses += [(it.doc.name, k) for k in sorted(gold - pred, key=str)]
        total.extras += [(it.doc.name, k) for k in sorted(pred - gold, key=str)]
    return total, by_unit


def _of_unit(keys: set, fields: tuple[str, ...], unit: str) -> set:
    return {k for k in keys if "unit" not in fields or k[fields.index("unit")] == unit}


def error_fields(items: list[Labelled]) -> Counter:
    """For near misses (same entity, value and unit), which fields differ: where the extractor errs."""
    c: Counter = Counter()
    for it in items:
        pred = [to_record(x, it.doc) for x in extract(it.doc)]
        for g in it.gold:
            same = [p for p in pred if key(p, ("entity_id", "value", "unit")) == key(g, ("entity_id", "value", "unit"))]
            if same and not any(key(p) == key(g) for p in same):
                p = same[0]
                c.update(f for f in STRICT if key(p, (f,)) != key(g, (f,)))
    return c
