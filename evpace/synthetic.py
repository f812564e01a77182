"""Synthetic EV news for tests and benchmarks: invented articles, written from templates by a seeded RNG.

Nothing here is real reporting: makers, months and figures are drawn at random (the makers are ones the
shipped registry knows, so the extractor finds facts in every article). Article ``i`` of a given
``seed`` is always the same text, so two runs (or two engines) see the same corpus; every article
carries its own number, so no two share a content hash. :func:`write_jsonl_shards` streams a corpus to
disk shard by shard and never holds more than one article in memory.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAKERS = ("NIO", "XPeng", "Li Auto", "Leapmotor", "Xiaomi", "BYD", "Zeekr", "AITO", "ONVO")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DESKS = ("Hangzhou desk", "market wire", "industry notes", "data digest", "weekly briefing", "trade bulletin")

# Sentences with figures. Slots: maker, month, year, n (monthly units), pct, cum (cumulative units),
# target (annual units), prev (previous month's units), other (a second maker), m (its monthly units).
FIGURES = (
    "{maker} handed over {n:,} vehicles in {month} {year}, {pct}% more than a year before.",
    "In {month} {year}, {maker} delivered {n:,} cars to customers, against {prev:,} the month before.",
    "{maker} said its deliveries reached {n:,} units in {month} {year}.",
    "By the end of {month} {year}, {maker} had delivered {cum:,} vehicles in total since it started.",
    "{maker} is aiming to deliver {target:,} vehicles in {year}, the company told investors.",
    "Rival {other} delivered {m:,} vehicles in {month} {year}, while {maker} reported {n:,}.",
    "{maker}'s cumulative deliveries passed {cum:,} units at the end of {month} {year}.",
    "The group put its {month} {year} deliveries at {n:,} vehicles, a record for {maker}.",
)
# Sentences without figures, to pad articles to size like real commentary does.
COMMENTARY = (
    "Analysts pointed to price cuts and new trims as the main reasons for the shift.",
    "The company did not break the total down by model, and it gave no guidance for the quarter.",
    "Dealers in smaller cities reported longer queues at test-drive events over the weekend.",
    "Battery supply was described as stable, although shipping schedules remained tight.",
    "Competition in the mid-size segment has intensified since several rivals launched cheaper versions.",
    "Investors will watch the next earnings call for comments on margins and export plans.",
    "The maker also opened new service centres and expanded its charging network during the period.",
    "Industry associations expect demand to stay firm as local incentives continue into next year.",
    "Some buyers delayed purchases while waiting for the refreshed model to arrive in showrooms.",
    "Executives repeated that software updates would keep older cars competitive for longer.",
)
TITLES = ("{maker} posts {month} figures", "{maker} deliveries in {month} {year}", "{maker}: monthly update",
          "How {maker} did in {month}", "{maker} and rivals report {month} numbers")


def _slots(rng: random.Random) -> dict[str, Any]:
    maker, other = rng.sample(MAKERS, 2)
    n = rng.randrange(3_000, 90_000)
    return {"maker": maker, "other": other, "month": rng.choice(MONTHS), "year": rng.randrange(2022, 2027),
            "n": n, "prev": max(1_000, n + rng.randrange(-9_000, 9_000)), "pct": rng.randrange(2, 180),
            "cum": rng.randrange(100_000, 2_500_000), "target": rng.randrange(10, 300) * 10_000,
            "m": rng.randrange(3_000, 90_000)}


def _letters(k: int) -> str:
    """``k`` written with letters only (a number in the text could be read as a figure)."""
    out = ""
    while True:
        k, r = divmod(k, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if not k:
            return out


def article(i: int, *, seed: int = 0, size: int = 600) -> dict[str, Any]:
    """Article number ``i`` as a JSONL record (``id, url, title, published, text``), about ``size`` bytes."""
    rng = random.Random(f"evpace-synthetic:{seed}:{i}")
    head = _slots(rng)
    published = f"{head['year']}-{MONTHS.index(head['month']) + 1:02d}-{rng.randrange(1, 28):02d}"
    paragraphs: list[str] = []
    length = 0
    while length < size:
        s = head if not paragraphs else {**_slots(rng), "maker": head["maker"], "year": head["year"]}
        sentences = rng.sample(COMMENTARY, rng.randrange(1, 4))
        if not paragraphs or rng.random() < 0.55:
            sentences.append(rng.choice(FIGURES).format(**s))
        rng.shuffle(sentences)
        paragraphs.append(" ".join(sentences))
        length += len(paragraphs[-1]) + 2
    paragraphs.append(f"Filed by the {rng.choice(DESKS)}, reference {_letters(seed)}-{_letters(i)}.")
    return {"id": f"synthetic-{seed}-{i}", "url": f"https://news.example.test/{seed}/{i}",
            "title": rng.choice(TITLES).format(**head), "published": published, "text": "\n\n".join(paragraphs)}


def articles(start: int, stop: int, *, seed: int = 0, size: int = 600) -> Iterator[dict[str, Any]]:
    """Articles ``start`` to ``stop - 1``, lazily."""
    for i in range(start, stop):
        yield article(i, seed=seed, size=size)


def write_jsonl(path: str | Path, numbers: Iterator[int] | range, *, seed: int = 0, size: int = 600) -> Path:
    """Write the articles with these numbers to one JSONL file (one line each, streamed)."""
    path = Path(path)
    with open(path, "w", encoding="utf-8") as f:
        for i in numbers:
            f.write(json.dumps(article(i, seed=seed, size=size), ensure_ascii=False) + "\n")
    return path


def write_jsonl_shards(folder: str | Path, n: int, *, shards: int = 8, seed: int = 0,
                       size: int = 5_000) -> list[Path]:
    """``n`` articles in ``shards`` JSONL files under ``folder`` (created), article by article."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    per = -(-n // shards)
    return [write_jsonl(folder / f"shard-{k:03d}.jsonl", range(k * per, min(n, (k + 1) * per)), seed=seed, size=size)
            for k in range(shards) if k * per < n]
