"""The per-document time limit of the extractor: a pathological text is skipped with a clear error and
the rest of the batch goes on (issue 7: no hang). The texts are made up for the test."""

from __future__ import annotations

import pytest

import evpace.extract as ex
from evpace import api
from evpace.errors import ExtractionTimeoutError
from evpace.model import Document

DENSE = "Xiaomi " + "1,000 cars " * 3000  # 33 KB of figures and no sentence break (a maker named: it is read)


def test_a_document_past_the_limit_is_an_error_naming_it():
    with pytest.raises(ExtractionTimeoutError) as err:
        ex.extract(Document(text=DENSE, name="dense"), time_limit=0.05)
    assert "dense" in str(err.value) and "0.05 s" in str(err.value)


def test_no_limit_and_normal_articles_are_unaffected():
    text = "Xiaomi delivered more than 40,000 vehicles in October 2025."
    got = ex.extract(Document(text=text, name="ok", published="2025-11-02"), time_limit=0.05)
    assert [(x.entity_id, x.value) for x in got] == [("xiaomi", 40000.0)]


def test_ingest_skips_the_slow_document_and_stores_the_others(database, tmp_path, monkeypatch):
    monkeypatch.setattr(ex, "TIME_LIMIT_S", 0.05)
    (tmp_path / "a-dense.txt").write_text(DENSE)
    (tmp_path / "b-normal.md").write_text("---\npublished: 2025-11-02\n---\n\nXiaomi delivered more than "
                                          "40,000 vehicles in October 2025.\n")
    s = api.ingest([str(tmp_path)], database, workers=1)
    assert s.new_documents == 1 and s.new_facts == 1
    assert len(s.errors) == 1 and "a-dense" in s.errors[0] and "per-document limit" in s.errors[0]
