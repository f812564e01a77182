"""Ingest: documents and their facts stored with provenance, idempotently, on both databases."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from evpace import api
from evpace.cli import app
from evpace.store import Store

ARTICLE = """---
title: A test report on November deliveries
url: https://example.test/news/nov
published: 2025-12-01
---
XPeng delivered 36,728 vehicles in November, up 19.4% year-on-year.
Leapmotor delivered 70,327 vehicles in November, and its year-to-date deliveries reached 536,132.
"""
DISAGREEING = """---
url: https://example.test/news/wrong
published: 2025-12-02
---
Xiaomi delivered 39,000 vehicles in November 2025.
"""


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "a.md").write_text(ARTICLE)
    (tmp_path / "b.md").write_text(DISAGREEING)
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "bad.jsonl").write_text('{"id": "ok", "text": "NIO Inc. delivered 36,275 vehicles in November 2025."}\n'
                                        "{not json\n")
    return tmp_path


def test_ingest_stores_provenance_and_is_idempotent(database, corpus):
    api.init(database)
    first = api.ingest([str(corpus)], database, workers=1)
    assert first.documents == 5 and first.new_documents == 3 and len(first.errors) == 2
    assert any("empty" in e for e in first.errors) and any("bad.jsonl:2" in e for e in first.errors)
    assert first.new_facts >= 4 and first.claims >= 1
    second = api.ingest([str(corpus)], database, workers=1)
    assert second.new_documents == 0 and second.duplicates == 3 and second.new_facts == 0
    with Store(database) as s:
        docs = s.query("SELECT id, url, published FROM documents ORDER BY url")
        assert len(docs) == 3
        facts = s.facts(entity_ids=["leapmotor"], scope="ytd")
        doc_facts = [f for f in facts if f.provenance.document_id]
        assert doc_facts, facts
        f = doc_facts[0]
        text = s.document(f.provenance.document_id)["text"]
        assert text[f.provenance.start:f.provenance.end] == "536,132"
        assert "536,132" in f.provenance.sentence and f.origin.url == "https://example.test/news/nov"
        assert f.origin.published == "2025-12-01" and f.period == "2025-01/2025-11"


def test_ingest_reports_disagreement_with_stored_facts(database, corpus):
    api.init(database)
    summary = api.ingest([str(corpus / "b.md")], database, workers=1)
    assert any(c.entity_id == "xiaomi" and c.period == "2025-11" for c in summary.conflicts)


def test_ingest_with_a_process_pool_matches_one_process(database_factory, corpus):
    one, two = database_factory(), database_factory()
    api.init(one)
    api.init(two)
    api.ingest([str(corpus)], one, workers=1)
    api.ingest([str(corpus)], two, workers=2)
    ids = lambda db: sorted(f.id for f in api.facts(db) if f.provenance.document_id)  # noqa: E731
    assert ids(one) == ids(two) and ids(one)


def test_extract_cli_jsonl_fields(corpus):
    r = CliRunner().invoke(app, ["extract", str(corpus / "a.md")])
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    need = {"doc", "entity", "entity_id", "metric", "scope", "period", "value", "unit", "bound", "kind", "quote",
            "start", "end"}
    assert rows and all(need <= set(x) for x in rows)
    assert {x["doc"] for x in rows} == {"a"}
    pct = [x for x in rows if x["unit"] == "percent"]
    assert pct and pct[0]["value"] == 19.4 and pct[0]["change"] == "yoy"


def test_ingest_cli_exit_code_and_summary(database, corpus):
    runner = CliRunner()
    assert runner.invoke(app, ["--db", database, "init"]).exit_code == 0
    r = runner.invoke(app, ["--db", database, "ingest", "--workers", "1", str(corpus)])
    assert r.exit_code == 1  # some inputs could not be read; the rest were stored
    assert "3 new" in r.output and "skipped" in r.output
