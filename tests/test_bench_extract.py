"""Smoke test of benchmarks/bench_extract.py: its corpus generator, quality function and output keys.

Nothing here is timed: the benchmark's figures are for people to read, not for tests to assert.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_extract.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_extract", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_extract", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def items(bench):
    items = bench.load_devset(bench.DEVSET)
    assert len(items) >= 30
    return items


def test_generated_articles_are_distinct_and_about_5_kb(bench, items):
    bases = bench.base_articles(items)
    docs = list(bench.generate(60, bases, seed=1))
    assert len(docs) == 60
    assert len({d.text for d in docs}) == 60
    assert len({d.id for d in docs}) == 60
    assert len({d.name for d in docs}) == 60
    for d in docs:
        assert 4500 <= len(d.text.encode("utf-8")) <= 6000, (d.name, len(d.text))
        assert "\n\n" in d.text
    # seeded: the same seed gives the same corpus, another seed another one
    again = list(bench.generate(5, bases, seed=1))
    assert [d.text for d in again] == [d.text for d in docs[:5]]
    other = list(bench.generate(5, bases, seed=2))
    assert all(a.text != b.text for a, b in zip(other, again, strict=True))


def test_generated_articles_keep_the_dev_set_vocabulary(bench, items):
    # numbers move, words do not: a generated paragraph is a dev-set paragraph with other figures
    bases = bench.base_articles(items)
    doc = bench.make_document(3, bases, seed=0)
    pieces = {"".join(p[::2]) for paras, _ in bases for p, _ in paras}
    for para in doc.text.split("\n\n"):
        assert "".join(bench._NUM.split(para)[::2]) in pieces


def test_quality_has_strict_and_relaxed_scores(bench, items):
    q = bench.quality(items[:4])
    assert q["documents"] == 4
    assert q["gold_facts"] == sum(len(it.gold) for it in items[:4])
    for name in ("strict", "relaxed"):
        assert {"precision", "recall", "f1", "tp", "fp", "fn", "by_unit"} <= set(q[name])
        assert 0.0 <= q[name]["f1"] <= 1.0
        assert 0 < q[name]["tp"] + q[name]["fn"] <= q["gold_facts"]


@pytest.mark.sqlite_only  # the benchmark measures ingest into SQLite files of its own (their size included)
def test_benchmark_writes_every_section(bench, items, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "load_devset", lambda root: items[:4])
    out = tmp_path / "extract.json"
    argv = ["--n", "6", "--small", "4", "--big", "8", "--out", str(out), "--tmp", str(tmp_path)]
    assert bench.main(argv) == 0
    result = json.loads(out.read_text())
    assert {"quality", "throughput", "scaling", "memory", "ingest", "machine"} <= set(result)
    assert {"one_core_articles_per_s", "kb_per_s", "goal_ratio"} <= set(result["throughput"])
    assert {"workers_1", "workers_n", "n", "ratio"} <= set(result["scaling"])
    assert {"rss_kb_1000", "rss_kb_big", "big_n", "ratio"} <= set(result["memory"])
    assert {"rss_kb_1000", "rss_kb_big", "children_rss_kb_big", "articles_per_s_big"} <= set(result["ingest"])
    assert result["memory"]["big_n"] == 8
    assert result["memory"]["big"]["articles"] == 8 and result["memory"]["small"]["articles"] == 4
    assert result["ingest"]["big"]["new_documents"] == 8
    assert result["scaling"]["same_figures"] is True
    assert not list(tmp_path.glob("evpace-bench-*"))  # temporary corpora are deleted
