"""Milestones, pace, targets, series and conflicts on the shipped dataset.

Expected values come from outside the code under test: the reference articles in ../shared/seeds
(dates, month counts) and the raw research rows in ../shared/data, read here directly.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evpace import api
from evpace.errors import UnknownEntityError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data not present")


@pytest.fixture(scope="module")
def db(module_database) -> str:
    """The shipped dataset, loaded once per module (into SQLite or PostgreSQL: ``make test`` runs both)."""
    summary = api.init(module_database)
    assert not summary.errors, [str(e) for e in summary.errors]
    return module_database


def shared_rows(name: str) -> list[dict[str, str]]:
    with open(SHARED / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def by_id(rows):
    return {r.entity_id: r for r in rows}


def test_million_club_matches_reference_article(db):
    rows = by_id(api.milestones(1_000_000, db))
    # (entity, date, metric, months from first delivery as the article states them; None = not stated)
    expected = {
        "li-auto": ("2024-10-15", "production", 58),
        "leapmotor": ("2025-09-25", "production", None),
        "hima": ("2025-10-28", "deliveries", 43),
        "xpeng": ("2025-11", "production", None),
        "nio": ("2026-01-06", "production", None),
        "aito": ("2026-01-13", "production", 46),
    }
    for eid, (date, metric, months) in expected.items():
        r = rows[eid]
        assert r.status == "crossed" and r.date == date and r.metric == metric, (eid, r)
        assert not r.estimated and r.sources, eid
        if months is not None:
            assert r.months_from_first_delivery == months, (eid, r.months_from_first_delivery)
    # order of crossing among these six is the article's
    order = sorted(expected, key=lambda e: rows[e].order)
    assert order == ["li-auto", "leapmotor", "hima", "xpeng", "nio", "aito"]
    assert rows["li-auto"].place and rows["aito"].place


@needs_shared
def test_xiaomi_not_yet_with_latest_cumulative(db):
    x = by_id(api.milestones(1_000_000, db))["xiaomi"]
    assert x.status == "not yet" and x.date is None
    # recompute from the raw research rows: Xiaomi's monthly deliveries since its first month
    months: dict[str, int] = {}
    for r in shared_rows("monthly_deliveries.csv"):
        if r["brand"] == "Xiaomi Auto" and r["metric"].startswith("deliveries"):
            months.setdefault(r["month"], int(r["deliveries"]))
    last = max(months)
    assert x.latest_cumulative_period == last
    assert x.latest_cumulative == sum(months.values()) < 1_000_000
    assert x.latest_cumulative_metric == "deliveries"


def test_upstart_filter_and_speed_ranking(db):
    rows = api.milestones(1_000_000, db, tag="upstart")
    ids = [r.entity_id for r in rows]
    assert "byd" not in ids and "tesla" not in ids
    crossed = [r for r in rows if r.status == "crossed"]
    assert crossed[0].entity_id == "li-auto" and crossed[0].order == 1  # "the first upstart to 1 million"
    fast = api.milestones(1_000_000, db, tag="upstart", sort="speed")
    ranked = [r for r in fast if r.speed_rank]
    assert [r.speed_rank for r in ranked] == list(range(1, len(ranked) + 1))
    months = [r.months_from_first_delivery for r in ranked]
    assert months == sorted(months)


def test_as_of_hides_later_milestones(db):
    rows = by_id(api.milestones(1_000_000, db, as_of="2025-01-01", tag="upstart"))
    assert rows["li-auto"].status == "crossed"
    for eid in ("leapmotor", "hima", "xpeng", "nio", "aito"):
        assert eid not in rows or rows[eid].status != "crossed", eid
    # every source used was published by then
    for r in rows.values():
        for f in r.facts:
            assert f.origin.published <= "2025-01-01"


@needs_shared
def test_nio_cumulative_reproduces_reported_figures(db):
    pts = {p.period: p for p in api.series("nio", db, cumulative=True)}
    reported = [r for r in shared_rows("milestones.csv") if r["brand"] == "NIO Inc."
                and r["metric"].startswith("deliveries (cumulative") and len(r["date"]) == 10]
    conflicts = {(c.period, c.kind) for c in api.conflicts(db, "nio")}
    checked = 0
    for r in reported:
        y, m, d = map(int, r["date"].split("-"))
        import calendar

        if d != calendar.monthrange(y, m)[1]:
            continue  # a mid-month milestone, not a month-end total
        p = pts[r["date"][:7]]
        assert p.reported == float(r["cumulative_units"])
        if (r["date"], "cumulative-vs-monthly") in conflicts:
            assert p.value != p.reported  # the contradicted figure is shown but not trusted
        else:
            assert p.value == float(r["cumulative_units"]), r["date"]
            checked += 1
    assert checked >= 15
    assert ("2022-01-31", "cumulative-vs-monthly") in conflicts  # README problem 5


def test_xiaomi_targets_2025_and_2026(db):
    t25 = api.targets("xiaomi", db, 2025)
    assert [t.target for t in t25] == [300_000, 350_000, 400_000]  # initial, raised, raised again
    for t in t25:
        assert t.actual_how == "monthly sum" and t.actual_through == "2025-12"
        assert t.actual > 410_000  # the sources' lower bound holds
        assert t.progress == pytest.approx(t.actual / t.target)
        assert t.monthly_pace_needed == 0
    t26 = api.targets("xiaomi", db, 2026)
    assert [t.target for t in t26] == [550_000]
    t = t26[0]
    months_left = 12 - int(t.actual_through[5:])
    assert t.months_left == months_left > 0
    assert t.monthly_pace_needed == pytest.approx((550_000 - t.actual) / months_left)
    monthly = [p.value for p in api.series("xiaomi", db) if p.period.startswith("2026-")]
    assert t.actual == sum(monthly)


def test_targets_as_of_only_know_announced_revisions(db):
    early = api.targets("xiaomi", db, 2025, as_of="2025-06-30")
    assert 400_000 not in [t.target for t in early]  # raised only in November


def test_conflicts_listed_with_both_sources(db):
    cs = api.conflicts(db)
    keys = {(c.entity_id, c.period, c.kind) for c in cs}
    assert ("byd", "2025-05", "same-figure") in keys  # README problem 4
    assert ("hima", "2024-05", "same-figure") in keys
    for c in cs:
        if c.kind == "same-figure":
            assert len({f.origin.url for f in c.facts}) >= 2 and len({f.value for f in c.facts}) >= 2


def test_lower_bounds_are_not_conflicts(db):
    # Xiaomi 2025: "over 410,000" (lower bound) and "nearly 411,840" agree with each other
    assert not [c for c in api.conflicts(db, "xiaomi") if c.period == "2025"]
    lows = [f for f in api.facts(db, entity="xiaomi", scope="year") if f.bound == "lower"]
    assert {f.value for f in lows} >= {410_000, 135_000}


def test_pace_between_thresholds(db):
    p = api.pace("hima", 0, 1_000_000, db)
    assert p.months == 43 and p.from_date == "2022-03-05" and p.to_date == "2025-10-28" and p.days == 1333
    with pytest.raises(Exception, match="above"):
        api.pace("hima", 10, 5, db)


def test_unknown_entity_lists_close_matches(db):
    with pytest.raises(UnknownEntityError) as exc:
        api.targets("xiaomy", db, 2025)
    assert "xiaomi" in str(exc.value)
    assert api.resolve("Harmony Intelligent Mobility", db).id == "hima"
    assert api.resolve("NIO", db).id == "nio" and api.resolve("NIO", db).kind == "group"


def test_stats_year_totals_and_run_rate(db):
    years, rr = api.stats("li-auto", db)
    y = {s.year: s for s in years}
    assert y[2024].complete and y[2024].total in y[2024].reported  # 2024 months add up to the report
    assert y[2024].growth == pytest.approx(y[2024].total / y[2023].total - 1)
    assert rr.annualised_last_month == rr.last_month * 12


def test_leapmotor_500k_to_1m_matches_article(db):
    # the million-club article: "only 343 days to climb from 500,000 to 1 million"; the 500,000 date
    # is estimated backwards from a reported cumulative figure and monthly deliveries
    p = api.pace("leapmotor", 500_000, 1_000_000, db)
    assert p.estimated and p.end.date == "2025-09-25"
    assert abs(p.days - 343) <= 15, p.days
    assert p.start.rests_on and p.start.facts
