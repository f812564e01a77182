"""The store on both databases: migrations, idempotent loads, transactions, as_of, bad rows."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from evpace import api
from evpace.errors import SchemaVersionError, StoreError
from evpace.model import Fact, Origin
from evpace.store import Store, migrations

ENTITIES = """\
id,name,kind,parent,aliases,rollup,note,source_url
acme,Acme Group,group,,Acme,complete,,https://example.test/acme
acme-one,Acme One,brand,acme,A1,none,,https://example.test/acme
acme-two,Acme Two,brand,acme,A2,none,,https://example.test/acme
"""
FACTS_HEADER = "entity_id,metric,scope,period,value,bound,kind,basis,flags,note,place,source_url,published,origin\n"
EVENTS = """\
entity_id,event,date,status,place,model,note,source_url,origin
acme-one,first_delivery,2020-01-10,confirmed,,,,https://example.test/e1,t:1
acme-two,first_delivery,2020-03,confirmed,,,,https://example.test/e2,t:2
"""


def write_dataset(folder: Path, fact_rows: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "entities.csv").write_text(ENTITIES)
    (folder / "facts.csv").write_text(FACTS_HEADER + textwrap.dedent(fact_rows))
    (folder / "events.csv").write_text(EVENTS)
    return folder


GOOD = """\
acme-one,deliveries,month,2020-01,100,exact,actual,,,,,https://example.test/a,,t:1
acme-one,deliveries,month,2020-02,150,exact,actual,,,,,https://example.test/a,,t:2
acme-two,deliveries,month,2020-03,40,exact,actual,,,,,https://example.test/b,2020-04-20,t:3
acme-one,deliveries,month,2020-03,200,exact,actual,,,,,https://example.test/b,2020-04-20,t:4
acme,deliveries,year,2020,5000,lower,target,,,,,https://example.test/c,2019-12,t:5
"""


def test_migrations_recorded_and_reopen_is_noop(database):
    with Store(database) as s:
        applied = s.applied_migrations()
        assert [m["version"] for m in applied] == [v for v, _, _ in migrations()]
        assert s.migrate() == []  # nothing pending the second time
    with Store(database) as s:
        assert s.schema_version() == migrations()[-1][0]


def test_load_twice_changes_nothing(database, tmp_path):
    data = write_dataset(tmp_path / "d", GOOD)
    first = api.init(database, data)
    assert first.facts_new == 5 and first.facts_existing == 0 and not first.errors
    before = api.facts(database)
    second = api.init(database, data)
    assert second.facts_new == 0 and second.facts_existing == 5 and second.entities_changed == 0
    after = api.facts(database)
    assert [(f.id, f.recorded_at) for f in before] == [(f.id, f.recorded_at) for f in after]
    assert second.counts == first.counts


def test_failed_batch_writes_nothing(database, tmp_path):
    api.init(database, write_dataset(tmp_path / "d", GOOD))
    with Store(database) as s:
        n = s.counts()["facts"]
        ok = Fact("acme-one", "deliveries", "month", "2020-04", 300, origin=Origin("https://example.test/z"))
        bad = Fact("no-such-entity", "deliveries", "month", "2020-04", 1, origin=Origin("https://example.test/z"))
        with pytest.raises(StoreError):
            s.add_facts([ok, bad])  # the foreign key fails on the second fact
        assert s.counts()["facts"] == n  # the first one was rolled back with it


def test_as_of_uses_publication_dates(database, tmp_path):
    api.init(database, write_dataset(tmp_path / "d", GOOD))
    # March figures were published 2020-04-20 by their source; January's is assumed 2020-02-03
    assert {f.period for f in api.facts(database, as_of="2020-04-19", scope="month")} == {"2020-01", "2020-02"}
    assert len(api.facts(database, as_of="2020-04-20", scope="month")) == 4
    jan = api.facts(database, entity="acme-one", period_to="2020-01-31")[0]
    # dates work as well as strings (the columns are text: PostgreSQL would not compare text with a date)
    assert api.facts(database, entity="acme-one", period_from=dt.date(2020, 1, 31), period_to=dt.date(2020, 1, 31)) \
        == [jan]
    assert len(api.facts(database, as_of=dt.date(2020, 4, 19), scope="month")) == 2
    assert jan.origin.published == "2020-02-03" and jan.origin.published_basis == "assumed"
    target = api.facts(database, kind="target")[0]
    assert target.origin.published == "2019-12-31" and target.bound == "lower"


def test_bad_rows_named_and_rest_loaded(database, tmp_path):
    rows = GOOD + textwrap.dedent("""\
        acme-one,deliveries,month,2020-13,100,exact,actual,,,,,https://example.test/a,,t:6
        acme-one,deliveries,month,2020-05,lots,exact,actual,,,,,https://example.test/a,,t:7
        acme-on,deliveries,month,2020-05,10,exact,actual,,,,,https://example.test/a,,t:8
        acme-one,deliveries,month,2020-06,10,exact,actual,,,,,,,t:9
        acme-one,deliverd,month,2020-06,10,exact,actual,,,,,https://example.test/a,,t:10
        """)
    summary = api.init(database, write_dataset(tmp_path / "d", rows))
    msgs = [str(e) for e in summary.errors]
    assert len(msgs) == 5
    assert "facts.csv:7: field 'period'" in msgs[0]
    assert "facts.csv:8: field 'value'" in msgs[1]
    assert "facts.csv:9: field 'entity_id'" in msgs[2] and "acme-one" in msgs[2]  # close match offered
    assert "facts.csv:10: field 'source_url'" in msgs[3]
    assert "facts.csv:11: field 'metric'" in msgs[4]
    assert summary.facts_new == 5  # the good rows went in


def test_user_csv_load_reports_file_line_field(database, tmp_path):
    api.init(database, write_dataset(tmp_path / "d", GOOD))
    extra = tmp_path / "mine.csv"
    extra.write_text(FACTS_HEADER + "acme-two,deliveries,month,2020-04,55,exact,actual,,,,,https://example.test/m,,\n"
                     "acme-two,deliveries,month,2020-05,-3,exact,actual,,,,,https://example.test/m,,\n")
    s = api.load(extra, database)
    assert s.facts_new == 1 and len(s.errors) == 1
    assert str(s.errors[0]).startswith(f"{extra}:3: field 'value'")


def test_newer_schema_is_refused(database):
    with Store(database) as s:
        s.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')")
    with pytest.raises(SchemaVersionError):
        Store(database)


def test_document_by_id_or_unique_prefix_alike_on_both_databases(database):
    from evpace.model import Document

    docs = [Document(name=n, text=f"Text number {n}.") for n in ("one", "two", "three")]
    with Store(database) as s:
        for d in docs:
            s.add_document(d, [], [], "test")
        one = docs[0].id
        assert s.document(one)["name"] == "one"
        assert s.document(one[:8])["name"] == "one"
        assert s.document(one[:8].upper())["name"] == "one"  # hex ids: case does not matter, on either database
        # LIKE wildcards in a prefix match nothing: neither '%' nor '_' may stand for any character
        for wild in ("%", "_", one[:7] + "_", "%" + one[1:10], ""):
            assert s.document(wild) is None, wild
        assert s.document("0" * 40) is None


def test_percent_and_question_marks_in_sql_text_alike_on_both_databases(database):
    """``?`` is the placeholder on both databases; ``%`` and a quoted ``?`` are plain text (psycopg reads
    ``%`` as the start of a placeholder unless the store doubles it)."""
    with Store(database) as s:
        row = s.query("SELECT 7 % 3 AS m, 'a%' AS pct, 'why?' AS q, ? AS p, "
                      "CASE WHEN 'a%b' LIKE ? THEN 1 ELSE 0 END AS hit", ("x", "a%"))[0]
        assert row == {"m": 1, "pct": "a%", "q": "why?", "p": "x", "hit": 1}
        s.execute("INSERT INTO sources (id, url) VALUES (?, 'https://example.test/?q=100%')", ("s1",))
        assert s.query("SELECT url FROM sources WHERE url LIKE '%100\\%' ESCAPE '\\'") == [
            {"url": "https://example.test/?q=100%"}]


@pytest.mark.sqlite_only
def test_sqlite_file_is_in_wal_mode_with_foreign_keys(database):
    with Store(database) as s:
        assert s.query("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
        assert s.query("PRAGMA foreign_keys")[0]["foreign_keys"] == 1


def test_unreachable_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "no" / "such" / "dir" / "x.db"))
    with pytest.raises(StoreError, match="postgresql://u:\\*\\*\\*@127.0.0.1:1/x"):
        Store("postgresql://u:secret@127.0.0.1:1/x")
