"""evpace.check: claims of an article judged against the shipped dataset, arithmetic shown.

Expected values come from outside the code under test: the reference articles in ../shared/seeds
(and the figures they state), the articles in tests/check_cases with their expected.json (figures
taken from ``evpace facts -e xiaomi``), and the monthly series read through the public API.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from evpace import api
from evpace.check import (
    JSON_FIELDS,
    VERDICTS,
    Forecaster,
    LinearRunRate,
    check_document,
    check_paths,
    find_claims,
    latest_date_mentioned,
    render_html,
    render_json,
    render_table_rows,
    tolerance_for,
)
from evpace.check.cli import register
from evpace.check.tolerance import qualifier
from evpace.model import Document

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
CASES = Path(__file__).resolve().parent / "check_cases"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


@pytest.fixture(scope="module")
def db(module_database) -> str:
    summary = api.init(module_database)
    assert not summary.errors, [str(e) for e in summary.errors]
    return module_database


@pytest.fixture(scope="module")
def xiaomi_seed(db):
    [checked] = check_paths([str(SEEDS / "xiaomi-2026-target.txt")], db, now=True, published="2026-01-06")
    assert checked.error is None
    return checked.verdicts


@pytest.fixture(scope="module")
def club_seed(db):
    [checked] = check_paths([str(SEEDS / "million-club.txt")], db, now=True)
    assert checked.error is None
    return checked.verdicts


def one(verdicts, text, quote=None, kind=None):
    found = [v for v in verdicts if v.number_text == text and (quote is None or quote in v.quote)
             and (kind is None or v.kind == kind)]
    assert len(found) == 1, (text, quote, [(v.number_text, v.kind, v.quote[:50]) for v in verdicts])
    return found[0]


# -- tolerance rules ------------------------------------------------------------------------------
def test_qualifiers_read_the_word_nearest_the_figure():
    assert qualifier("the company delivered more than ") == ("more than", "lower")
    assert qualifier("AITO reached 1 million vehicles off the line, over roughly ") == ("roughly", "approx")
    assert qualifier("reached 150,000 deliveries within just ") == ("within", "upper")
    assert qualifier("taking just ") == ("just", "exact")
    assert qualifier("the carmaker handed over ") == (None, "exact")
    assert qualifier("Xiaomi delivered ", "-plus vehicles") == ("-plus", "lower")


@pytest.mark.parametrize("value,text,bound,word,unit,low,high", [
    (410_000, "410,000", "exact", None, "vehicles", 405_000, 415_000),  # trailing zeros: rounded to 10,000
    (411_840, "411,840", "exact", None, "vehicles", 411_835, 411_845),
    (50_000, "50,000", "exact", None, "vehicles", 47_500, 52_500),  # one significant digit: capped at 5%
    (58, "58", "approx", "about", "months", 58 - 1.16, 58 + 1.16),  # a hedge: 2%
    (34, "34%", "exact", None, "percent", 33.5, 34.5),
    (2.3, "2.3 times", "approx", "roughly", "times", 2.25, 2.35),
])
def test_tolerance_from_rounding_and_wording(value, text, bound, word, unit, low, high):
    t = tolerance_for(value, text, bound, word, unit)
    assert t.low == pytest.approx(low) and t.high == pytest.approx(high), t.rule
    assert t.rule


def test_a_lower_bound_allows_anything_above_it():
    t = tolerance_for(410_000, "410,000", "lower", "more than", "vehicles")
    assert t.contains(411_837) and not t.contains(409_999) and t.short == "≥ 410,000"


# -- the forecast hook ------------------------------------------------------------------------------
def test_linear_run_rate_projects_latest_cumulative_plus_three_month_average(db):
    fc = LinearRunRate(lambda d: api.factset(db, d))
    assert isinstance(fc, Forecaster)
    as_of = dt.date(2026, 1, 6)
    months = {p.period: p.value for p in api.series("xiaomi", db, as_of=as_of)}
    cum = [p for p in api.series("xiaomi", db, cumulative=True, as_of=as_of) if p.value is not None][-1]
    avg = (months["2025-10"] + months["2025-11"] + months["2025-12"]) / 3
    p, det = fc.crossing_probability("xiaomi", 1_000_000, dt.date(2026, 12, 31), as_of)
    assert det["latest_cumulative"] == cum.value and det["run_rate_3m"] == pytest.approx(avg)
    assert det["projected"] == pytest.approx(cum.value + 12 * avg)
    assert p == (1.0 if cum.value + 12 * avg >= 1_000_000 else 0.0)
    assert "× 12 months" in det["arithmetic"] and det["sources"]
    total, det = fc.year_total("xiaomi", 2025, as_of)
    assert total == sum(v for k, v in months.items() if k.startswith("2025-"))


# -- the reference articles -----------------------------------------------------------------------
@needs_seeds
def test_every_claim_of_the_xiaomi_article_gets_a_verdict_with_arithmetic(xiaomi_seed):
    assert {v.as_of for v in xiaomi_seed} == {"2026-01-06"}
    for v in xiaomi_seed:
        assert v.verdict in VERDICTS and v.arithmetic and v.arithmetic != "—", v
    figures = {v.number_text for v in xiaomi_seed}
    assert {"550,000", "34%", "410,000", "50,000", "600,000", "150,000", "six", "2.3 times"} <= figures


@needs_seeds
def test_target_increase_over_2025(xiaomi_seed):
    v = one(xiaomi_seed, "34%")
    assert v.kind == "target_arithmetic" and v.verdict == "consistent"
    own = next(r for r in v.readings if r.name == "the article's own figures")
    assert "550,000 / 410,000 (2025, as the article gives it) − 1 = 34.1% ≈ 34%" in own.arithmetic
    assert own.verdict == "consistent"
    chosen = next(r for r in v.readings if r.chosen)
    assert "411,837" in chosen.arithmetic and v.recomputed == pytest.approx(33.55, abs=0.01)
    assert v.tolerance.low == 33.5 and v.tolerance.high == 34.5
    assert "lower bound" in v.note


@needs_seeds
def test_lower_bound_and_run_rate(xiaomi_seed):
    v = one(xiaomi_seed, "410,000")
    assert v.verdict == "consistent" and v.recomputed == 411_837 and v.tolerance.bound == "lower"
    dec = one(xiaomi_seed, "50,000")
    assert dec.verdict == "consistent" and dec.recomputed == 50_212
    rr = one(xiaomi_seed, "600,000")
    assert rr.kind == "run_rate" and rr.verdict == "consistent" and "pattern:run_rate" in rr.claim_origin
    assert any(r.arithmetic.startswith("50,000 × 12 = 600,000") for r in rr.readings)
    assert rr.arithmetic.startswith("50,212 (Xiaomi Auto deliveries 2025-12) × 12 = 602,544")


@needs_seeds
def test_yu7_versus_su7_ratio_shows_the_readings_and_deliveries_used(xiaomi_seed):
    v = one(xiaomi_seed, "2.3 times")
    assert v.kind == "ratio" and v.entity_id == "xiaomi-yu7"
    names = [r.name for r in v.readings]
    assert any("first 6 months since each first delivery" in n for n in names)
    assert any("same calendar months" in n for n in names)
    chosen = [r for r in v.readings if r.chosen]
    assert len(chosen) == 1 and "first 6 months" in chosen[0].name
    # SU7's first six months (April-September 2024) are Xiaomi's: the SU7 was its only model then
    su7 = 7058 + 8630 + 14296 + 13120 + 13111 + 13559
    assert f"{su7:,}" in v.arithmetic and "150,000" in v.arithmetic
    assert v.recomputed == pytest.approx(150_000 / su7, abs=0.01)
    assert v.verdict == "inconsistent"  # 2.15, outside roughly 2.3 (±0.05)


@needs_seeds
def test_million_club_is_checked_as_of_the_latest_date_it_mentions(club_seed):
    assert {(v.as_of, v.as_of_basis) for v in club_seed} == {("2026-01-13", "latest date mentioned")}
    doc = Document(text=(SEEDS / "million-club.txt").read_text(encoding="utf-8"))
    assert latest_date_mentioned(doc) == dt.date(2026, 1, 13)


@needs_seeds
@pytest.mark.parametrize("text,entity,months", [("58", "li-auto", 58), ("43", "hima", 43), ("46", "aito", 46)])
def test_months_from_first_delivery_to_a_million(club_seed, text, entity, months):
    v = one(club_seed, text, kind="duration")
    assert v.entity_id == entity and v.verdict == "consistent" and v.recomputed == months
    assert "first delivery" in v.arithmetic and v.sources
    assert v.now_verdict == "consistent"


@needs_seeds
def test_leapmotor_pace_and_li_auto_rank(club_seed):
    v = one(club_seed, "343")
    assert v.verdict == "consistent" and v.recomputed == 343 and "estimated" in v.arithmetic
    firsts = [v for v in club_seed if v.kind == "rank" and v.number_text == "first"]
    assert len(firsts) == 2 and all(v.verdict == "consistent" and v.entity_id == "li-auto" for v in firsts)
    assert all(any(not r.chosen and r.verdict == "inconsistent" for r in v.readings) for v in firsts)  # all makers


@needs_seeds
def test_xiaomi_on_track_to_a_million_judged_then_and_now(db, club_seed):
    v = one(club_seed, "1 million", quote="on track")
    assert v.kind == "forward" and "pattern:forward_crossing" in v.claim_origin
    # judged with the forecast module's simulated paths (issue 4/6), P(crossed by the end of 2026) shown
    assert v.verdict == "consistent" and v.as_of == "2026-01-13"
    assert "paths reach 1,000,000 by 2026-12-31" in v.arithmetic
    assert any("target" in r.name and r.verdict == "consistent" for r in v.readings)  # 551,308 + 550,000
    # today: recomputed from the 2026 monthly data, independently of the checker
    cum = [p for p in api.series("xiaomi", db, cumulative=True) if p.value is not None]
    last = cum[-1]
    months = {p.period: p.value for p in api.series("xiaomi", db)}
    y, m = int(last.period[:4]), int(last.period[5:])
    avg = sum(months[f"{y}-{m - i:02d}"] for i in range(3)) / 3
    projected = last.value + avg * (12 - m)
    expected = "consistent" if last.value >= 1_000_000 or projected >= 1_000_000 else "inconsistent"
    assert v.now_verdict == expected and last.period in v.now_arithmetic and "2026" in last.period
    assert "not resolved yet" in v.now_note or last.value >= 1_000_000


@needs_seeds
def test_claims_the_extractor_does_not_emit_are_read_from_sentences(club_seed, xiaomi_seed):
    origins = {v.claim_origin for v in club_seed + xiaomi_seed}
    for pattern in ("run_rate", "forward_crossing", "rank", "count", "milestone_period", "first_delivery"):
        assert any(pattern in o for o in origins), pattern
    li = [v for v in xiaomi_seed if v.entity_id == "li-auto" and v.kind == "fact"]
    assert [v.verdict for v in li] == ["inconsistent"]  # "Li Auto ... reached that milestone in 2025": it was 2024


# -- the test articles ----------------------------------------------------------------------------
EXPECTED = json.loads((CASES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", [k for k in EXPECTED if not k.startswith("_")])
def test_check_cases(db, name):
    [checked] = check_paths([str(CASES / name)], db, now=True)
    verdicts = list(checked.verdicts)
    for exp in EXPECTED[name]:
        v = one(verdicts, exp["text"], exp.get("quote"), exp.get("kind"))
        assert v.verdict == exp["verdict"], (exp, v.arithmetic, v.note)
        if "now_verdict" in exp:
            assert v.now_verdict == exp["now_verdict"], (exp, v.now_arithmetic)
        assert v.arithmetic
        verdicts.remove(v)
    assert not verdicts, [(v.number_text, v.kind, v.verdict) for v in verdicts]  # every verdict is expected


def test_point_in_time_hides_later_facts(db):
    doc = Document(text="Xiaomi delivered 50,212 vehicles in December 2025.", published="2026-01-04")
    [v] = check_document(doc, db)
    assert v.verdict == "consistent" and v.as_of == "2026-01-04" and v.as_of_basis == "published"
    [early] = check_document(doc, db, as_of="2025-12-15", now=True)
    assert early.verdict == "unverifiable" and early.as_of_basis == "given"
    assert early.now_verdict == "consistent" and early.now_recomputed == 50_212


# -- output -----------------------------------------------------------------------------------------
def test_json_fields(db):
    doc = Document(text="Xiaomi delivered 50,212 vehicles in December 2025, up 94.5% year on year.",
                   published="2026-01-04", name="t")
    out = json.loads(render_json(check_document(doc, db, now=True), doc_name="t"))
    assert len(out) == 2
    for obj in out:
        assert set(JSON_FIELDS) <= set(obj) and obj["doc"] == "t"
        assert set(obj["tolerance"]) == {"low", "high", "bound", "rule", "short"}
        assert all(set(r) == {"name", "value", "arithmetic", "verdict", "chosen", "why", "sources"}
                   for r in obj["readings"])
        assert all({"entity_id", "period", "value", "source"} <= set(f) for f in obj["facts"])
    pc = next(o for o in out if o["kind"] == "percent_change")
    assert pc["verdict"] == "consistent" and pc["quote"][pc["start"] - pc["quote_start"]:][:5] == "94.5%"


def test_table_rows_and_html_are_escaped(db):
    doc = Document(text='<script>alert(1)</script> Xiaomi delivered 46,000 vehicles in October 2025 "&".',
                   published="2026-01-04")
    verdicts = check_document(doc, db)
    rows = render_table_rows(verdicts)
    assert rows and rows[0]["verdict"] == "inconsistent" and rows[0]["recomputed"] == "48,654"
    html = render_html(verdicts, title="<b>t</b>")
    assert '<table class="evpace-check">' in html and "<script" not in html and "&lt;script&gt;" in html
    assert '<mark class="evpace-claim">46,000</mark>' in html and "&lt;b&gt;t&lt;/b&gt;" in html
    assert 'class="evpace-badge evpace-inconsistent"' in html and "style=" not in html


def test_claims_have_kinds_and_spans():
    doc = Document(text="Xiaomi delivered 50,212 vehicles in December 2025. Sustaining that pace would put "
                        "annual output at about 600,000.", published="2026-01-04")
    claims = find_claims(doc)
    assert [(c.kind, doc.text[c.start:c.end]) for c in claims] == [("fact", "50,212"), ("run_rate", "600,000")]


def test_cli_command(db):
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context, db_: str = typer.Option(None, "--db")) -> None:
        ctx.obj = {"db": db_}

    register(app)
    path = CASES / "million-club-check.md"
    res = CliRunner().invoke(app, ["--db", db, "check", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert {o["doc"] for o in out} == {"million-club-check"} and all(o["verdict"] in VERDICTS for o in out)
    res = CliRunner().invoke(app, ["--db", db, "check", str(path), "--format", "html", "--as-of", "2026-01-20"])
    assert res.exit_code == 0 and '<table class="evpace-check">' in res.stdout
    res = CliRunner().invoke(app, ["--db", db, "check", str(path), "--format", "xml"])
    assert res.exit_code != 0
    res = CliRunner().invoke(app, ["--db", db, "check", "/nonexistent.txt"])
    assert res.exit_code == 1
