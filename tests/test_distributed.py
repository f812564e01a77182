"""Distributed ingest (``--engine dask``): on a real local cluster (2 worker processes) it must store
exactly what the local engine stores, re-running must add nothing, and the partitions it cuts must
read back exactly what ``read_documents`` reads."""

from __future__ import annotations

import json

import pytest
from ingest_support import assert_same, db_state, parse_summary, write_corpus

from evpace import api
from evpace import distributed as dist
from evpace.errors import ClusterError, EvpaceError
from evpace.extract import default_registry
from evpace.sources import read_documents
from evpace.synthetic import article


@pytest.fixture(scope="module")
def cluster():
    with dist.local_cluster(2) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """JSONL files that overlap (and one document twice in a file), Markdown files, a bad line, an
    empty file and a missing path: every case the readers report."""
    root = tmp_path_factory.mktemp("dask-corpus")
    paths = write_corpus(root / "jsonl", {"a": range(0, 45), "b": range(30, 70)})
    with open(paths[1], "a", encoding="utf-8") as f:
        f.write("\n{not json\n" + json.dumps(article(3, seed=7)) + "\n")  # blank, bad, and a repeat
    md = root / "md"
    md.mkdir()
    for i in range(70, 80):
        a = article(i, seed=7)
        (md / f"n{i}.md").write_text(f"---\ntitle: {a['title']}\npublished: {a['published']}\n---\n{a['text']}\n")
    (md / "empty.txt").write_text("  \n")
    return [*paths, str(md), str(root / "missing.jsonl")]


def _same_summary(a, b) -> None:
    assert (a.documents, a.new_documents, a.duplicates, a.new_facts, a.claims, a.conflict_count) == \
           (b.documents, b.new_documents, b.duplicates, b.new_facts, b.claims, b.conflict_count)
    assert a.errors == b.errors


def test_dask_ingest_stores_what_local_ingest_stores(cluster, corpus, db_url, tmp_path):
    reference_db = str(tmp_path / "local-engine.db")
    local = api.ingest(corpus, reference_db, workers=1)
    dask = api.ingest(corpus, db_url, engine="dask", scheduler=cluster, partition_size=8)
    _same_summary(dask, local)
    assert local.new_documents == 80 and len(local.errors) == 3
    reference, state = db_state(reference_db), db_state(db_url)
    assert_same(state, reference)
    again = api.ingest(corpus, db_url, engine="dask", scheduler=cluster, partition_size=8)
    assert (again.new_documents, again.new_facts, again.duplicates) == (0, 0, local.documents - 3)
    assert_same(db_state(db_url), reference)


def test_partitions_read_back_what_read_documents_reads(tmp_path):
    # no newline at the end, a blank and a bad line: partition boundaries fall everywhere
    lines = [json.dumps(article(i, seed=3, size=200)) for i in range(11)]
    lines[4] = ""
    lines[7] = "{bad"
    (tmp_path / "c.jsonl").write_text("\n".join(lines))
    (tmp_path / "d.md").write_text("Leapmotor delivered 70,327 vehicles in November 2025.")
    inputs = [str(tmp_path / "c.jsonl"), str(tmp_path / "d.md"), str(tmp_path / "nope.txt")]
    want = [_key(x) for x in read_documents(inputs)]
    for size in (1, 2, 3, 5, 100):
        got = [_key(x) for part in dist.partitions(inputs, None, size)
               for x in ([part] if isinstance(part, EvpaceError) else part.read(None))]
        assert got == want, size
    parts = [p for p in dist.partitions(inputs, None, 3) if not isinstance(p, EvpaceError)]
    assert [p.kind for p in parts] == ["lines"] * 4 + ["files"]
    assert parts[-2].labels() == [f"{inputs[0]}:10", f"{inputs[0]}:11"]


def _key(x):
    return ("error", str(x)) if isinstance(x, EvpaceError) else (x.id, x.name, x.path, x.published)


def test_a_partition_skips_documents_stored_at_its_paths(tmp_path):
    paths = write_corpus(tmp_path, {"s": range(0, 4)})
    [part] = dist.partitions(paths, None, 10)
    docs = list(part.read(None))
    registry = default_registry()
    stored = {docs[1].path: {docs[1].id}, docs[2].path: {"another-id"}}
    out = dist.run_partition(part, list(registry), "k", None, stored)
    assert [figures is None for _, figures in out] == [False, True, False, False]
    assert out[1][0] == docs[1].id and out[2][0].id == docs[2].id and out[0][1]


def test_cli_dask_engine_with_a_scheduler(cluster, corpus, tmp_path):
    from typer.testing import CliRunner

    from evpace.cli import app

    args = ["--db", str(tmp_path / "cli.db"), "ingest", "--engine", "dask", "--scheduler", cluster,
            "--partition-size", "16", corpus[1]]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 1, r.output  # the bad JSON line is reported, the rest is stored
    assert parse_summary(r.output)["new"] == 41 and "b.jsonl:42: bad JSON" in r.output


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch, tmp_path, corpus):
    monkeypatch.setattr(dist, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(ClusterError, match="dask scheduler tcp://127.0.0.1:9: "):
        api.ingest(corpus[:1], str(tmp_path / "x.db"), engine="dask", scheduler="tcp://127.0.0.1:9")


def test_a_scheduler_without_workers_is_a_clear_error(monkeypatch, tmp_path, corpus):
    monkeypatch.setattr(dist, "CONNECT_TIMEOUT_S", 1)
    with dist.local_cluster(0) as empty:
        with pytest.raises(ClusterError, match="no worker joined within 1 s"):
            api.ingest(corpus[:1], str(tmp_path / "x.db"), engine="dask", scheduler=empty.scheduler_address)


def test_cli_engine_options_are_checked(tmp_path, corpus):
    from typer.testing import CliRunner

    from evpace.cli import app

    db = str(tmp_path / "o.db")
    r = CliRunner().invoke(app, ["--db", db, "ingest", "--scheduler", "tcp://127.0.0.1:9", corpus[0]])
    assert r.exit_code == 2 and "--scheduler needs --engine dask" in r.output
    r = CliRunner().invoke(app, ["--db", db, "ingest", "--engine", "spark", corpus[0]])
    assert r.exit_code == 2 and "engine: 'spark' is not one of local, dask" in r.output
