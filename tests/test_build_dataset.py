"""Tests for scripts/build_dataset.py.

The expectations below are read from the shared research CSVs (or written from the brief), never
from the script's own tables, so a wrong rule makes them fail.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DATA = REPO / "evpace" / "data"
RESEARCH = REPO / "research" / "milestones_extra.csv"
OUTPUTS = ("entities.csv", "facts.csv", "events.csv", "datapackage.json")
VALUE_COLUMN = {"monthly_deliveries.csv": "deliveries", "milestones.csv": "cumulative_units",
                "annual.csv": "units"}
SOURCE_COLUMN = {"monthly_deliveries.csv": "source_url_or_repo_path", "milestones.csv": "source",
                 "annual.csv": "source"}

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared research data absent ({SHARED})")


def _load_script():
    spec = importlib.util.spec_from_file_location("build_dataset", REPO / "scripts" / "build_dataset.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_dataset"] = module
    spec.loader.exec_module(module)
    return module


bd = _load_script()


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def shared_rows(name: str) -> list[tuple[str, dict]]:
    """(origin, row) for every data row of a shared file; header = line 1."""
    return [(f"shared:{name}:{i}", r) for i, r in enumerate(read(SHARED / name), start=2)]


def shared_origin(name: str, **match: str) -> str:
    hits = [o for o, r in shared_rows(name) if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, f"expected one {name} row matching {match}, found {hits}"
    return hits[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("data")
    report = bd.build(SHARED, out, RESEARCH)
    facts = {f["origin"]: f for f in read(out / "facts.csv")}
    return report, out, facts, read(out / "events.csv"), read(out / "entities.csv")


def test_rebuild_matches_committed_files(built):
    _, out, *_ = built
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), f"{name}: rerun scripts/build_dataset.py"


def test_build_is_deterministic(built, tmp_path):
    _, out, *_ = built
    bd.build(SHARED, tmp_path, RESEARCH)
    assert all((out / n).read_bytes() == (tmp_path / n).read_bytes() for n in OUTPUTS)


def test_no_violations_and_nothing_skipped(built):
    report, *_ = built
    assert report.violations == []
    assert report.skipped == []


def test_no_figure_lost(built):
    report, _, facts, *_ = built
    numeric = {o for name in VALUE_COLUMN for o, r in shared_rows(name) if r[VALUE_COLUMN[name]].strip()}
    from_shared = {o for o in facts if o.startswith("shared:")}
    dropped = {d for d, _ in report.duplicates if d.startswith("shared:")}
    assert len(from_shared) == len(numeric) - len(dropped)
    assert from_shared | dropped == numeric


def test_every_value_and_source_is_the_input_rows(built):
    _, _, facts, *_ = built
    source_rows = {o: (name, r) for name in VALUE_COLUMN for o, r in shared_rows(name)}
    for origin, fact in facts.items():
        if origin in source_rows:
            name, row = source_rows[origin]
            assert int(fact["value"]) == int(row[VALUE_COLUMN[name]].replace(",", "")), origin
            assert fact["source_url"] == row[SOURCE_COLUMN[name]], origin


def test_year_to_date_rows(built):
    _, _, facts, *_ = built
    li = facts[shared_origin("milestones.csv", brand="Li Auto", date="2025-10-31", cumulative_units="328916")]
    assert (li["scope"], li["period"]) == ("ytd", "2025-01/2025-10")
    leap = facts[shared_origin("annual.csv", brand="Leapmotor", year="2025", units="500000",
                               kind=next(r["kind"] for _, r in shared_rows("annual.csv")
                                         if r["units"] == "500000" and r["kind"].startswith("actual")))]
    assert (leap["scope"], leap["period"], leap["kind"], leap["bound"]) == ("ytd", "2025-01/2025-11", "actual", "lower")
    for origin, row in shared_rows("milestones.csv"):
        if "year-to-date" in row["metric"] and row["cumulative_units"]:
            assert facts[origin]["scope"] == "ytd", origin
        elif row["cumulative_units"]:
            assert facts[origin]["scope"] == "cumulative", origin


def test_bounds(built):
    _, _, facts, *_ = built
    assert facts[shared_origin("annual.csv", brand="Xiaomi Auto", year="2025", units="410000")]["bound"] == "lower"
    for origin, row in shared_rows("monthly_deliveries.csv"):
        if "rounded in source" in row["metric"]:
            assert facts[origin]["bound"] == "approx" and "rounded" in facts[origin]["flags"], origin
        if "approximate" in row["metric"]:
            assert facts[origin]["bound"] == "approx", origin
    for origin, row in shared_rows("annual.csv"):
        if "lower bound" in row["kind"]:
            assert facts[origin]["bound"] == "lower", origin


def test_entity_mapping(built):
    _, _, facts, _, entities = built
    kinds = {e["id"]: e["kind"] for e in entities}
    expected = {"AITO (M9 only)": "aito-m9", "NIO (brand)": "nio-brand", "NIO Inc.": "nio", "Tesla (global)": "tesla",
                "Xiaomi Auto (YU7 only)": "xiaomi-yu7", "Seres (NEV sales, all brands)": "seres"}
    seen = set()
    for name in VALUE_COLUMN:
        for origin, row in shared_rows(name):
            if origin not in facts:
                continue
            if row["brand"] in expected:
                assert facts[origin]["entity_id"] == expected[row["brand"]], origin
                seen.add(row["brand"])
            if row["brand"].endswith(" only)") and "domestic" not in row["brand"]:
                assert kinds[facts[origin]["entity_id"]] == "model", origin
            if row["brand"] == "Tesla China (domestic only)":
                assert (facts[origin]["entity_id"], facts[origin]["basis"]) == ("tesla-china", "domestic")
            elif row["brand"] == "Tesla China":
                assert (facts[origin]["entity_id"], facts[origin]["basis"]) == ("tesla-china", "")
    assert seen == set(expected)


def test_flags(built):
    _, _, facts, *_ = built
    for origin, row in shared_rows("monthly_deliveries.csv"):
        flags = facts[origin]["flags"].split(";")
        assert ("secondary" in flags) == row["source_url_or_repo_path"].startswith("github:HomeAI-Lab/"), origin
        assert ("derived" in flags) == ("DERIVED" in row["metric"] or "sum of" in row["metric"]), origin
        if "CONFLICT" in row["metric"]:
            assert "conflicts" in flags, origin
        if row["source_url_or_repo_path"].startswith("github:") and row["deliveries"] in ("32759", "33951", "30895"):
            assert "suspect" in flags, origin
        if row["brand"].startswith("HIMA") and row["month"].startswith("2024") and "github:" in row[
                "source_url_or_repo_path"]:
            assert "suspect" in flags, origin
    aito = facts[shared_origin("monthly_deliveries.csv", brand="AITO", month="2025-05", deliveries="44454")]
    assert "suspect" in aito["flags"]
    el_balad = facts[shared_origin("monthly_deliveries.csv", brand="XPeng", month="2024-11", deliveries="30895",
                                   source_url_or_repo_path="https://cdn2.el-balad.com/?p=343326")]
    assert "suspect" not in el_balad["flags"]
    for origin, row in shared_rows("annual.csv"):
        for words, flag in (("low end", "range-low"), ("high end", "range-high")):
            assert (flag in facts[origin]["flags"]) == (words in row["kind"]), origin
        assert facts[origin]["kind"] == ("target" if row["kind"].startswith("target") else "actual"), origin


def test_published_dates(built):
    _, _, facts, *_ = built
    assert bd.url_date("https://teslanorth.com/2026/01/05/tesla-china-x") == "2026-01-05"
    assert bd.url_date("http://en.people.cn/n3/2023/0810/c90000-20056427.html") == "2023-08-10"
    assert bd.url_date("https://www.chinadaily.com.cn/a/202509/03/WS68b7.html") == "2025-09-03"
    assert bd.url_date("https://pandaily.com/li-auto-aims-at-monthly-delivery-of-40000-evs/") == ""
    raised = facts[shared_origin("annual.csv", brand="Xiaomi Auto", year="2025", units="350000")]
    assert raised["published"] == "2025-03"
    scraper = [f for f in facts.values() if f["source_url"].startswith("github:")]
    assert scraper and all(f["published"] == "" for f in scraper)


def test_events(built):
    _, _, _, events, _ = built
    def at(origin: str) -> set[tuple[str, str, str]]:
        return {(e["entity_id"], e["event"], e["status"]) for e in events if e["origin"] == origin}
    su7 = shared_origin("milestones.csv", brand="Xiaomi Auto", date="2024-04-03")
    assert at(su7) == {("xiaomi", "first_delivery", "confirmed"), ("xiaomi-su7", "first_delivery", "confirmed")}
    yu7 = shared_origin("milestones.csv", brand="Xiaomi Auto", date="2025-07-06")
    assert at(yu7) == {("xiaomi-yu7", "first_delivery", "confirmed")}
    staff = shared_origin("milestones.csv", brand="NIO Inc.", date="2018-05-31")
    assert ("nio", "first_delivery", "internal") in at(staff)
    planned = [o for o, r in shared_rows("milestones.csv") if "planned" in r["metric"] or "scheduled" in r["metric"]]
    assert planned and all(s == "planned" for o in planned for _, _, s in at(o))
    non_numeric = {o for o, r in shared_rows("milestones.csv") if not r["cumulative_units"]}
    assert non_numeric == {e["origin"] for e in events if e["origin"].startswith("shared:")}


def test_entities(built):
    _, _, facts, events, entities = built
    by_id = {e["id"]: e for e in entities}
    required = ("nio hima tesla seres nio-brand onvo firefly aito luxeed stelato maextro shangjie li-auto xpeng "
                "leapmotor byd tesla-china zeekr xiaomi xiaomi-su7 xiaomi-yu7 aito-m9 nio-es8").split()
    assert set(required) <= set(by_id)
    # plain "NIO" in news means the company (group totals), as the sources use it
    assert "NIO" in by_id["nio"]["aliases"].split(";") and "NIO" not in by_id["nio-brand"]["aliases"].split(";")
    assert {e["id"] for e in entities if e["parent"] == "nio"} == {"nio-brand", "onvo", "firefly"}
    assert by_id["aito"]["parent"] == "hima" and by_id["tesla-china"]["parent"] == "tesla"
    assert (by_id["nio"]["rollup"], by_id["hima"]["rollup"], by_id["tesla"]["rollup"]) == (
        "complete", "partial", "none")
    assert all(e["source_url"] for e in entities)
    used = {f["entity_id"] for f in facts.values()} | {e["entity_id"] for e in events}
    assert used <= set(by_id)


def test_research_file_absent_or_empty(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    for research in (tmp_path / "missing.csv", empty):
        report = bd.build(SHARED, tmp_path / research.stem, research)
        assert report.violations == [] and report.skipped == []
        assert not any(f["origin"].startswith("research:") for f in report.facts)


def test_research_rows_are_read_and_unknown_brands_fail(tmp_path):
    header = "brand,date,cumulative_units,metric,place,model,source\n"
    extra = tmp_path / "extra.csv"
    extra.write_text(header + "AITO (M9 only),2025-12-31,300000,deliveries (model cumulative),,M9,https://e.x/a\n"
                     "Nonesuch Motors,2025-01,,first deliveries,,,https://e.x/b\n", encoding="utf-8")
    report = bd.build(SHARED, tmp_path / "out", extra)
    fact = next(f for f in report.facts if f["origin"] == f"research:{extra.name}:2")
    assert (fact["entity_id"], fact["scope"], fact["value"]) == ("aito-m9", "cumulative", "300000")
    assert [o for o, _ in report.skipped] == [f"research:{extra.name}:3"]
    assert report.violations
