"""Extraction quality on the labelled sets: the reference articles fact by fact, and dev-set scores.

The dev set (devset/) was used to develop the rules; heldout/ was written separately and is only
scored, never tuned on. The floors below guard against regressions; the measured figures are in
benchmarks/results/extract.json and the README.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evpace.evaluate import STRICT, key, load_devset, score
from evpace.extract import extract, to_record

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def dev():
    return load_devset(ROOT / "devset")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_reference_articles_fact_by_fact(dev):
    seeds = [it for it in dev if it.doc.name in ("million-club", "xiaomi-2026-target")]
    assert len(seeds) == 2
    fields = ("entity_id", "metric", "scope", "period", "value", "unit", "bound")
    for it in seeds:
        got = {key(to_record(x, it.doc), fields) for x in extract(it.doc)}
        wanted = {key(g, fields) for g in it.gold if g["kind"] != "target" or g["scope"] != "cumulative"}
        missing = wanted - got
        assert not missing, (it.doc.name, missing)
    named = [("li-auto", "production", "cumulative", "2024-10-15", 1e6, "vehicles", "exact"),
             ("xiaomi", "deliveries", "year", "2026", 550000.0, "vehicles", "exact"),
             ("xiaomi", "deliveries", "year", "2025", 410000.0, "vehicles", "lower"),
             ("xiaomi", "deliveries", "month", "2025-12", 50000.0, "vehicles", "lower")]
    allgot = {key(to_record(x, it.doc), fields) for it in seeds for x in extract(it.doc)}
    for fact in named:
        assert key(dict(zip(fields, fact, strict=True)), fields) in allgot, fact


def test_dev_set_scores_do_not_regress(dev):
    total, by_unit = score(dev, STRICT)
    assert total.f1 >= 0.85, (total.precision, total.recall, total.f1)
    assert by_unit["vehicles"].f1 >= 0.85


def test_every_extracted_span_is_the_figure(dev):
    for it in dev:
        for x in extract(it.doc):
            assert it.doc.text[x.start:x.end] == x.number_text
            assert x.quote in it.doc.text and it.doc.text.find(x.quote) <= x.start
