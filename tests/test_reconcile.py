"""Conflict detection among facts about the same figure (evpace.reconcile)."""

from __future__ import annotations

import random

from evpace.extract import default_registry
from evpace.model import Fact, Origin
from evpace.reconcile import FactSet, agrees


def _facts(rng: random.Random, n: int) -> list[Fact]:
    return [Fact(entity_id="xiaomi", metric="deliveries", scope="month", period="2025-10",
                 value=rng.choice([1000, 1010, 1020, 1021, 980, 1500, 900]) * rng.choice([1, 1, 1.001]),
                 bound=rng.choice(["exact", "approx", "lower", "upper"]),
                 flags=("rounded",) if rng.random() < 0.3 else (), origin=Origin(url=f"https://t.example/{i}"))
            for i in range(n)]


def test_same_figure_conflicts_lists_exactly_the_facts_of_a_disagreeing_pair():
    """The linear-time check gives the pairwise definition's answer (it replaced an all-pairs loop that
    made ingest slow down as one figure was reported by thousands of stored articles)."""
    rng = random.Random(7)
    registry = default_registry()
    for _ in range(400):
        facts = _facts(rng, rng.randint(2, 12))
        pairwise = {f.id for i, a in enumerate(facts) for b in facts[i + 1:] if not agrees(a, b) for f in (a, b)}
        found = {f.id for c in FactSet(registry, facts).same_figure_conflicts() for f in c.facts}
        assert found == pairwise


def test_one_agreeing_set_has_no_conflict_and_one_outlier_names_everyone_it_contradicts():
    registry = default_registry()
    same = [Fact(entity_id="xiaomi", metric="deliveries", scope="month", period="2025-10", value=v, bound=b,
                 origin=Origin(url=f"https://t.example/{i}"))
            for i, (v, b) in enumerate([(40000, "exact"), (39000, "lower"), (41000, "upper"), (40500, "approx")])]
    assert FactSet(registry, same).same_figure_conflicts() == []
    outlier = Fact(entity_id="xiaomi", metric="deliveries", scope="month", period="2025-10", value=48000,
                   origin=Origin(url="https://t.example/x"))
    (conflict,) = FactSet(registry, [*same, outlier]).same_figure_conflicts()
    assert {f.value for f in conflict.facts} == {48000, 40000, 41000, 40500}  # not the lower bound 39,000


def test_a_figure_written_to_a_scale_is_rounded_and_does_not_conflict_with_the_exact_one():
    from evpace.extract import extract, to_fact
    from evpace.model import Document

    doc = Document(text="XPeng delivered 34.6k cars in June. Zeekr built its 1 millionth car on June 3.",
                   published="2025-07-02", url="https://t.example/blog")
    facts = [f for f in (to_fact(x, doc) for x in extract(doc)) if f is not None]
    by_value = {f.value: f for f in facts}
    assert by_value[34600.0].flags == ("rounded",) and by_value[1000000.0].flags == ()
    exact = Fact(entity_id="xpeng", metric="deliveries", scope="month", period="2025-06", value=34611,
                 origin=Origin(url="https://t.example/release"))
    assert FactSet(default_registry(), [by_value[34600.0], exact]).same_figure_conflicts() == []
