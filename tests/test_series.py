"""Roll-up of groups from brands, gaps, cumulative anchoring and its conflicts, on a small dataset."""

from __future__ import annotations

import textwrap

import pytest
from test_store import write_dataset

from evpace import api

ROWS = """\
acme-one,deliveries,month,2020-01,100,exact,actual,,,,,https://example.test/a,,t:1
acme-one,deliveries,month,2020-02,150,exact,actual,,,,,https://example.test/a,,t:2
acme-one,deliveries,month,2020-03,200,exact,actual,,,,,https://example.test/a,,t:3
acme-two,deliveries,month,2020-03,40,exact,actual,,,,,https://example.test/b,,t:4
acme,deliveries,month,2020-04,999,exact,actual,,,,,https://example.test/c,,t:5
acme-one,deliveries,month,2020-04,300,exact,actual,,,,,https://example.test/a,,t:6
acme-two,sales,month,2020-04,50,exact,actual,,,,,https://example.test/b,,t:7
acme-one,deliveries,month,2020-05,310,approx,actual,,rounded,,,https://example.test/a,,t:8
acme-one,deliveries,month,2020-07,320,exact,actual,,,,,https://example.test/a,,t:9
acme-one,deliveries,cumulative,2020-08-31,1500,exact,actual,,,,,https://example.test/d,,t:10
acme-one,deliveries,month,2020-09,100,exact,actual,,,,,https://example.test/a,,t:11
acme-one,deliveries,cumulative,2020-09-30,1650,exact,actual,,,,,https://example.test/e,,t:12
"""


@pytest.fixture
def db(database, tmp_path):
    summary = api.init(database, write_dataset(tmp_path / "d", textwrap.dedent(ROWS)))
    assert not summary.errors
    return database


def points(db, entity, cumulative=False):
    return {p.period: p for p in api.series(entity, db, cumulative=cumulative)}


def test_group_rolled_up_from_brands_never_double_counted(db):
    g = points(db, "acme")
    # Jan/Feb: only brand one had started (brand two's first delivery is March): exact sum
    assert (g["2020-01"].value, g["2020-01"].how, g["2020-01"].bound) == (100, "rolled-up", "exact")
    assert g["2020-03"].value == 240 and len(g["2020-03"].facts) == 2
    # April: the group's own figure wins; the brands are not added on top
    assert (g["2020-04"].value, g["2020-04"].how) == (999, "reported")
    # May: brand two had started but has no figure: the sum is only a lower bound
    assert (g["2020-05"].value, g["2020-05"].bound) == (310, "lower")
    assert "acme-two" in g["2020-05"].note
    # June: nobody reported: a gap, not a zero
    assert g["2020-06"].value is None and g["2020-06"].how == "gap"


def test_sales_stand_in_for_deliveries_and_say_so(db):
    two = points(db, "acme-two")
    assert two["2020-04"].value == 50 and two["2020-04"].metric == "sales" and "stands in" in two["2020-04"].note


def test_cumulative_chain_gap_and_reanchor(db):
    c = points(db, "acme-one", cumulative=True)
    assert [c[p].value for p in ("2020-01", "2020-02", "2020-03", "2020-04", "2020-05")] == [100, 250, 450, 750,
                                                                                           1060]
    assert c["2020-05"].bound == "approx"  # a rounded month makes the running total approximate
    assert c["2020-06"].value is None  # the June gap breaks the chain...
    # July can't be counted back from August's report either: August's own month is missing
    assert c["2020-07"].value is None
    assert c["2020-08"].value == 1500 and c["2020-08"].how == "reported"  # ...and the report restarts it
    assert c["2020-09"].value == 1600 and c["2020-09"].reported == 1650  # 1500 + 100 contradicts 1650
    conflicts = [x for x in api.conflicts(db) if x.kind == "cumulative-vs-monthly"]
    assert len(conflicts) == 1 and conflicts[0].period == "2020-09-30" and conflicts[0].expected == 1600


def test_as_of_series_stops_at_what_was_published(db):
    assert "2020-09" in points(db, "acme-one")
    early = {p.period: p for p in api.series("acme-one", db, as_of="2020-06-01")}
    assert max(early) == "2020-04"  # May's figure is assumed published 2020-06-03
