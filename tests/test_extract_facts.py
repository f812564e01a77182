"""The extractor, one phrasing family at a time, on sentences written for these tests."""

from __future__ import annotations

import pytest

from evpace.extract import extract, to_record
from evpace.model import Document

FIELDS = ("entity_id", "metric", "scope", "period", "value", "unit", "bound", "kind")


def facts(text: str, published: str | None = "2025-12-02") -> list[tuple]:
    doc = Document(text=text, published=published)
    return [tuple(to_record(x, doc)[f] for f in FIELDS) for x in extract(doc)]


def change_of(text: str, published: str = "2025-12-02") -> list[tuple]:
    doc = Document(text=text, published=published)
    return [(r["value"], r["change"]) for r in (to_record(x, doc) for x in extract(doc)) if r["unit"] == "percent"]


@pytest.mark.parametrize("text, expected", [
    # metric by the verb
    ("XPeng delivered 36,728 vehicles in November.", ("xpeng", "deliveries", "month", "2025-11", 36728.0)),
    ("BYD sold 480,186 new energy vehicles in November.", ("byd", "sales", "month", "2025-11", 480186.0)),
    ("Leapmotor produced 70,327 cars in November.", ("leapmotor", "production", "month", "2025-11", 70327.0)),
    ("Li Auto handed over 33,181 vehicles to customers in November.",
     ("li-auto", "deliveries", "month", "2025-11", 33181.0)),
    # scope and period words
    ("NIO Inc. delivered 87,071 vehicles in the third quarter of 2025.",
     ("nio", "deliveries", "quarter", "2025-Q3", 87071.0)),
    ("XPeng delivered 197,189 vehicles in the first half of 2025.",
     ("xpeng", "deliveries", "half", "2025-H1", 197189.0)),
    ("Li Auto delivered 500,508 vehicles in 2024.", ("li-auto", "deliveries", "year", "2024", 500508.0)),
    ("Year-to-date deliveries at Leapmotor reached 536,132 vehicles.",
     ("leapmotor", "deliveries", "ytd", "2025-01/2025-11", 536132.0)),
    ("From January to October, Li Auto delivered 328,916 vehicles.",
     ("li-auto", "deliveries", "ytd", "2025-01/2025-10", 328916.0)),
    ("As of Oct. 31, NIO Inc. had delivered 913,182 vehicles in total since its first delivery.",
     ("nio", "deliveries", "cumulative", "2025-10-31", 913182.0)),
    # numbers in other forms
    ("小米汽车11月交付量超过4万辆。", ("xiaomi", "deliveries", "month", "2025-11", 40000.0)),
    ("AITO sold 38.63万辆 vehicles in 2024.", ("aito", "sales", "year", "2024", 386300.0)),
    ("Leapmotor sold 5,96,555 units in 2025.", ("leapmotor", "sales", "year", "2025", 596555.0)),
    ("BYD sold 46.02 lakh vehicles in 2025.", ("byd", "sales", "year", "2025", 4602000.0)),
])
def test_metric_scope_period_value(text, expected):
    got = [f[:5] for f in facts(text)]
    assert expected in got, got


@pytest.mark.parametrize("text, bound", [
    ("Xiaomi delivered more than 40,000 vehicles in October.", "lower"),
    ("Xiaomi delivered over 40,000 vehicles in October.", "lower"),
    ("Xiaomi delivered 40,000-plus vehicles in October.", "lower"),
    ("Xiaomi delivered about 40,000 vehicles in October.", "approx"),
    ("Xiaomi delivered nearly 40,000 vehicles in October.", "approx"),
    ("Xiaomi delivered fewer than 40,000 vehicles in October.", "upper"),
    ("Xiaomi delivered 40,000 vehicles in October.", "exact"),
])
def test_bounds(text, bound):
    got = facts(text)
    assert got and got[0][6] == bound, got


@pytest.mark.parametrize("text, kind, period", [
    ("Xiaomi aims to deliver 550,000 vehicles in 2026.", "target", "2026"),
    ("XPeng set a delivery target of 380,000 vehicles for 2025.", "target", "2025"),
    ("NIO Inc. expects to deliver 120,000 to 125,000 vehicles in the fourth quarter.", "expected", "2025-Q4"),
    ("Li Auto delivered 500,508 vehicles in 2024, well short of the 800,000 it had targeted.", "target", "2024"),
])
def test_targets_and_expectations(text, kind, period):
    got = [f for f in facts(text) if f[7] != "actual"]
    assert got and got[0][7] == kind and got[0][3] == period, got


def test_ranges_are_lower_and_upper_bounds():
    got = facts("XPeng plans to deliver between 550,000 and 600,000 vehicles in 2026.")
    assert ("xpeng", "deliveries", "year", "2026", 550000.0, "vehicles", "lower", "target") in got
    assert ("xpeng", "deliveries", "year", "2026", 600000.0, "vehicles", "upper", "target") in got


def test_milestones_and_durations():
    text = ("On Sept. 25, Leapmotor's 1 millionth vehicle rolled off the line in Jinhua. "
            "It took the company 343 days to go from 500,000 to 1 million.")
    got = facts(text)
    assert ("leapmotor", "production", "cumulative", "2025-09-25", 1000000.0, "vehicles", "exact", "actual") in got
    doc = Document(text=text, published="2025-10-01")
    dur = [to_record(x, doc) for x in extract(doc) if x.unit == "days"]
    assert dur and dur[0]["value"] == 343 and dur[0]["from_threshold"] == 500000 and dur[0]["to_threshold"] == 1e6
    assert not [f for f in got if f[4] == 500000.0]  # a threshold, not a figure of its own


def test_one_year_and_seven_months():
    doc = Document(text="Reaching 500,000 units took Xiaomi one year and seven months.", published="2025-12-01")
    got = [to_record(x, doc) for x in extract(doc) if x.unit == "months"]
    assert [g["value"] for g in got] == [19]  # one duration, not also "seven months"


def test_percent_changes_keep_their_figure_and_direction():
    got = change_of("NIO Inc. delivered 40,397 vehicles in October, up 92.6% year-on-year and down 3.1% from "
                    "September.")
    assert (92.6, "yoy") in got and (-3.1, "mom") in got


def test_pronouns_and_the_company():
    text = "Zeekr published its figures on Monday. The company delivered 31,516 vehicles in November."
    assert ("zeekr", "deliveries", "month", "2025-11", 31516.0) in [f[:5] for f in facts(text)]


def test_respectively_lists():
    got = [f[:5] for f in facts("Leapmotor and XPeng delivered 70,327 and 36,728 vehicles in November, "
                                "respectively.")]
    assert ("leapmotor", "deliveries", "month", "2025-11", 70327.0) in got
    assert ("xpeng", "deliveries", "month", "2025-11", 36728.0) in got


def test_models_resolve_to_their_own_id():
    got = [f[:2] for f in facts("Xiaomi delivered 33,729 YU7 SUVs in November.")]
    assert ("xiaomi-yu7", "deliveries") in got


@pytest.mark.parametrize("text", [
    "The Xiaomi SU7 is priced above CNY 215,900.",
    "NIO's vehicle sales were RMB 18.7 billion in the quarter.",
    "XPeng shares rose 4.3% in Hong Kong on Monday.",
    "China's NEV market sold 1.6 million vehicles in November, the association said.",
    "The AITO M9 carries a 97 kWh battery and a range of 630 km.",
    "Li Auto operates more than 3,000 supercharging stations.",
    "Several upstarts have passed the 1 million mark over the past two years.",
    "Xiaomi hasn't reached 1 million yet.",
])
def test_not_a_makers_volume(text):
    assert facts(text) == []


# -- comparison bases, pluperfect asides and "a year ago" -----------------------------------------------------

def records(text: str, published: str = "2025-12-02") -> list[dict]:
    doc = Document(text=text, published=published)
    return [to_record(x, doc) for x in extract(doc)]


def test_a_comparison_base_is_dated_a_year_back_and_is_not_what_later_figures_refer_to():
    text = ("Zeekr delivered 27,011 vehicles in November. That was 12.20 percent more than the 24,075 units of "
            "the same month last year and 7.40 percent more than the 25,149 units of October. "
            "In a single month, the brand has never delivered more than 27,011 before.")
    got = {(r["value"], r["unit"]): r for r in records(text)}
    assert (got[(24075.0, "vehicles")]["scope"], got[(24075.0, "vehicles")]["period"]) == ("month", "2024-11")
    assert got[(12.2, "percent")]["period"] == "2025-11" and got[(12.2, "percent")]["change"] == "yoy"
    assert got[(7.4, "percent")]["period"] == "2025-11" and got[(7.4, "percent")]["change"] == "mom"
    assert got[(25149.0, "vehicles")]["period"] == "2025-10"


def test_figures_told_in_passing_do_not_move_the_period_of_what_follows():
    text = ("Zeekr said it delivered 27,011 vehicles in November. It had delivered 25,149 in October, and "
            "it plans a new SUV for the first quarter.\n\nLi Auto's deliveries rose 5.1% from October to 33,181.")
    got = {r["value"]: r for r in records(text)}
    assert got[33181.0]["period"] == "2025-11"
    assert got[5.1]["period"] == "2025-11" and got[5.1]["change"] == "mom"


def test_an_expectation_does_not_set_the_period_of_later_figures():
    text = ("Zeekr delivered 27,011 vehicles in November. The company expects its new wagon to lift sales "
            "in the first quarter.\n\nXPeng delivered 36,728 vehicles, up 19% year on year.")
    assert ("xpeng", "deliveries", "month", "2025-11", 36728.0) in [f[:5] for f in facts(text)]


def test_a_figure_a_year_ago_takes_the_period_of_its_sentence_a_year_back():
    got = {r["value"]: r for r in records("Li Auto delivered 33,181 vehicles in November, compared to "
                                          "48,740 a year ago.")}
    assert got[48740.0]["period"] == "2024-11" and got[33181.0]["period"] == "2025-11"


@pytest.mark.parametrize("text", [
    "Zeekr (HKG: 1234) delivered 27,011 vehicles in November.",
    "XPeng delivered 36,728 vehicles in November, beating its previous record by just 56 units.",
    "XPeng delivered 36,728 vehicles in November, topping October by some 2,500 units.",
])
def test_tickers_and_margins_are_not_volumes(text):
    assert [f[4] for f in facts(text)] == [36728.0 if "XPeng" in text else 27011.0]


@pytest.mark.parametrize("text, bound", [
    ("Zeekr delivered just shy of 30,000 vehicles in November.", "upper"),
    ("Zeekr delivered just under 30,000 vehicles in November.", "upper"),
    ("Zeekr delivered south of 30,000 vehicles in November.", "upper"),
    ("Zeekr delivered north of 30,000 vehicles in November.", "lower"),
])
def test_informal_bounds(text, bound):
    assert [f[6] for f in facts(text)] == [bound]


def test_a_change_on_a_named_period_is_measured_from_it():
    assert change_of("Zeekr delivered 80,000 vehicles in the fourth quarter, up 12.5% on the third quarter.",
                     published="2026-01-05") == \
        [(12.5, "qoq")]


def test_an_estimated_period_makes_an_expected_figure():
    got = records("We model Zeekr deliveries of 240k in FY2026E, after 9M25 deliveries of 150,000.",
                  published="2025-11-03")
    by = {r["value"]: r for r in got}
    assert (by[240000.0]["kind"], by[240000.0]["scope"], by[240000.0]["period"]) == ("expected", "year", "2026")
    assert (by[150000.0]["kind"], by[150000.0]["scope"], by[150000.0]["period"]) == ("actual", "ytd",
                                                                                      "2025-01/2025-09")


# -- tables that name the maker only in the text, and rows of changes ---------------------------------------

def test_a_table_with_months_as_columns_is_about_the_maker_the_text_is_about():
    text = ("Zeekr delivered 27,011 vehicles in November, the company said.\n\n"
            "| | Sep | Oct | Nov |\n|---|---|---|---|\n| Deliveries | 22,000 | 25,149 | 27,011 |\n"
            "| MoM | +5.0% | +14.3% | +7.4% |\n")
    got = [(r["entity_id"], r["period"], r["value"], r["unit"], r["change"]) for r in records(text)]
    assert ("zeekr", "2025-09", 22000.0, "vehicles", "") in got
    assert ("zeekr", "2025-10", 14.3, "percent", "mom") in got
    assert ("zeekr", "2025-11", 7.4, "percent", "mom") in got


def test_a_change_row_compares_the_periods_its_label_names():
    text = ("| Period | Zeekr | Lynk & Co |\n|---|---|---|\n| November 2025 | 27,011 | 30,020 |\n"
            "| October 2025 | 25,149 | 28,011 |\n| Change, November vs. October | +7.4% | +7.2% |\n")
    got = [(r["entity_id"], r["period"], r["value"], r["change"]) for r in records(text) if r["unit"] == "percent"]
    assert ("zeekr", "2025-11", 7.4, "mom") in got


def test_a_forecast_table_takes_its_year_from_a_sibling_header_and_reads_ranges():
    text = ("2026 outlook\n\n| | FY2026E (ours) | Company target |\n|---|---|---|\n"
            "| Zeekr | 300k | 320k–350k |\n")
    got = {(r["value"], r["bound"]): (r["kind"], r["scope"], r["period"]) for r in records(text)}
    assert got[(300000.0, "exact")] == ("expected", "year", "2026")
    assert got[(320000.0, "lower")] == ("target", "year", "2026")
    assert got[(350000.0, "upper")] == ("target", "year", "2026")


# -- results-release shorthand, implied and recalled volumes, headings, who a sentence is about -------------

def test_slash_change_cues():
    assert change_of("Zeekr delivered 27,011 vehicles in November, down 3.5% y/y and up 7.4% m/m.") == \
        [(-3.5, "yoy"), (7.4, "mom")]
    assert change_of("Zeekr delivered 80,000 vehicles in the third quarter, up 9.1% q/q.") == [(9.1, "qoq")]


@pytest.mark.parametrize("text", [
    "Zeekr delivered 27,011 vehicles in November, so its guidance implies December deliveries of about 30,000.",
    "Zeekr delivered 27,011 vehicles in November. A recall, which covers about 3,300 cars built in 2024, cost "
    "it RMB 200 million.",
])
def test_implied_and_recalled_volumes_are_not_facts(text):
    assert [f[4] for f in facts(text)] == [27011.0]


def test_a_heading_with_a_period_dates_the_list_under_it():
    text = "Zeekr, results release\n\n**Q3 2025 at a glance**\n\n- Vehicle deliveries: 60,120, down 12.0% y/y\n"
    assert ("zeekr", "deliveries", "quarter", "2025-Q3", 60120.0) in [f[:5] for f in facts(text)]


def test_rivals_named_after_from_do_not_become_the_subject():
    text = ("Zeekr delivered 27,011 vehicles in November. Sales slowed as its wagon met cheaper rivals from "
            "Leapmotor, XPeng and others. For the fourth quarter, the company expects to deliver between 80,000 "
            "and 90,000 vehicles.")
    got = [f for f in facts(text) if f[4] in (80000.0, 90000.0)]
    assert {f[:4] for f in got} == {("zeekr", "deliveries", "quarter", "2025-Q4")} and len(got) == 2


def test_a_falling_range_of_percents_has_its_ends_the_right_way_round():
    got = records("For December, Zeekr expects to deliver between 28,000 and 30,000 vehicles, a decrease of 10.5% "
                  "to 16.5% year on year.")
    by = {r["value"]: r["bound"] for r in got if r["unit"] == "percent"}
    assert by == {-10.5: "upper", -16.5: "lower"}


def test_a_lead_reporting_a_rebound_in_a_month_dates_the_figures_after_it():
    text = ("Chinese carmakers reported a sharp rebound in March on Tuesday.\n\n"
            "Zeekr delivered 15,422 vehicles in the month.")
    assert ("zeekr", "deliveries", "month", "2025-03", 15422.0) in [f[:5] for f in facts(text, "2025-04-01")]


# -- Chinese reports: ytd before its figure, targets, gaps and run rates, quarter-on-quarter ----------------

def test_chinese_ytd_target_gap_and_run_rate():
    text = ("极氪10月交付新车27,011辆。1—10月，极氪累计交付221,000辆，距离全年30万辆的交付目标仅差约7.9万辆，"
            "11月和12月月均交付约4万辆即可达成。")
    got = [f[:6] for f in facts(text, "2025-11-01")]
    assert ("zeekr", "deliveries", "ytd", "2025-01/2025-10", 221000.0, "vehicles") in got
    assert ("zeekr", "deliveries", "year", "2025", 300000.0, "vehicles") in got
    assert {f[4] for f in got} == {27011.0, 221000.0, 300000.0}  # not the gap, not the required monthly average


def test_chinese_sequential_change_of_a_quarter_is_qoq():
    assert change_of("第三季度，极氪共交付5.2万辆，同比增长10.1%，环比增长8.3%。", "2025-10-02") == \
        [(10.1, "yoy"), (8.3, "qoq")]


# -- milestones: production verbs and durations between milestones -----------------------------------------

def test_rolled_out_of_its_plant_is_production():
    assert facts("Zeekr rolled its 1 millionth vehicle out of its Ningbo plant on Sept. 25.")[0][:2] == \
        ("zeekr", "production")


def test_a_duration_later_between_milestones_in_one_sentence():
    got = records("Zeekr built its 500,000th car on March 2, 2025, and its 600,000th followed on Sept. 6, 2025, "
                  "just over six months later.")
    dur = [r for r in got if r["unit"] == "months"]
    assert [(r["value"], r["bound"], r["period"]) for r in dur] == [(6.0, "lower", "2025-09-06")]


# -- wire copy: datelines, forecasts named after the figure, run rates, asides -----------------------------

def test_a_plain_heading_line_dates_the_list_under_it():
    text = "Zeekr results release\n\nQ3 2025 in brief\n\n- Deliveries: 60,120, down 12.0% y/y\n"
    assert ("zeekr", "deliveries", "quarter", "2025-Q3", 60120.0) in [f[:5] for f in facts(text)]


def test_wire_story_dateline_forecast_run_rate_and_aside():
    text = ("HANGZHOU, Dec 1 (Example Wire) - Zeekr's deliveries rose 7.4% in November from October, the company "
            "said on Monday. It delivered 27,011 vehicles, ahead of the roughly 26,000 that analysts had forecast "
            "for the month. The carmaker, whose first model, the Zeekr 001, went on sale in 2021, aims to deliver "
            "300,000 vehicles in 2026. Hitting that would require it to average about 25,000 a month.")
    got = {(r["value"], r["unit"]): r for r in records(text)}
    assert (got[(7.4, "percent")]["period"], got[(7.4, "percent")]["change"]) == ("2025-11", "mom")
    assert (got[(26000.0, "vehicles")]["kind"], got[(26000.0, "vehicles")]["period"]) == ("expected", "2025-11")
    assert (got[(300000.0, "vehicles")]["entity_id"], got[(300000.0, "vehicles")]["period"]) == ("zeekr", "2026")
    assert (25000.0, "vehicles") not in got


def test_brokers_forecast_range_with_growth_on_a_base_year():
    text = ("Zeekr aims to deliver 300,000 vehicles in 2026. Analysts expect it to fall short, with several brokers "
            "pencilling in between 240,000 and 260,000, a rise of 7% to 16% on 2025.")
    got = {r["value"]: (r["kind"], r["period"], r["bound"], r["change"]) for r in records(text, "2026-01-10")}
    assert got[240000.0] == ("expected", "2026", "lower", "") and got[260000.0] == ("expected", "2026", "upper", "")
    assert got[7.0] == ("expected", "2026", "lower", "vs 2025") and got[16.0][1:3] == ("2026", "upper")


def test_breakdowns_former_latter_averages_and_duties():
    text = ("NIO Inc. delivered 15,039 vehicles in March, of which 10,219 came from the NIO brand. "
            "Li Auto and XPeng delivered 36,674 and 33,205 vehicles, respectively. The former's figure was up "
            "26.5% year on year, whereas the latter's more than tripled. The L6 accounts for roughly 9,000 units "
            "in a typical month. The EU imposed duties of 18.8% on the cars, and XPeng's first-quarter 94,008 "
            "fell well short of its fourth-quarter total.")
    got = {(r["value"], r["unit"]): (r["entity_id"], r["period"]) for r in records(text, "2025-04-01")}
    assert got[(10219.0, "vehicles")] == ("nio-brand", "2025-03")
    assert got[(26.5, "percent")][0] == "li-auto" and got[(3.0, "times")][0] == "xpeng"
    assert (9000.0, "vehicles") not in got and (18.8, "percent") not in got
    assert got[(94008.0, "vehicles")] == ("xpeng", "2025-Q1")


def test_year_end_totals_halves_in_a_list_and_goals_trimmed_during_the_year():
    text = ("Zeekr ended the year with 224,133 deliveries. That is about 80% of the 280,000 vehicles to which the "
            "company trimmed its goal during the year. It delivered 110,000 vehicles in the first half and "
            "114,133 in the second.")
    got = {r["value"]: (r["scope"], r["period"], r["kind"]) for r in records(text, "2026-01-02")}
    assert got[224133.0] == ("year", "2025", "actual")
    assert got[280000.0] == ("year", "2025", "target")
    assert got[110000.0][:2] == ("half", "2025-H1") and got[114133.0][:2] == ("half", "2025-H2")


def test_british_change_after_its_cue_and_ships_and_overseas_sales():
    text = ("Zeekr reported a 12.5 per cent year-on-year fall in November sales on Sunday. Its overseas sales, "
            "however, passed 40,000, and it now charters a ship, the largest of which can carry 7,000 vehicles.")
    got = [(r["value"], r["unit"], r["period"]) for r in records(text)]
    assert got == [(-12.5, "percent", "2025-11")]


# -- markets briefs, league tables, corrections ---------------------------------------------------------------

def test_cashtags_stock_codes_signed_differences_and_consensus():
    text = ("All figures are deliveries. $ZK Feb deliveries: 23,867 (+70.0% y/y), essentially flat on Jan "
            "(+15 units). Street was at ~22k. Xiaomi (1810.HK): 20,414.")
    got = {r["value"]: (r["entity_id"], r["period"], r["kind"]) for r in records(text, "2026-03-01")}
    assert got[23867.0] == ("zeekr", "2026-02", "actual")
    assert got[22000.0] == ("zeekr", "2026-02", "expected")
    assert 15.0 not in got and 1810.0 not in got and got[20414.0][0] == "xiaomi"


def test_a_league_table_with_prior_year_labels():
    text = ("Below are the makers we track, ranked by their 2024 volume. Each company reports on its own basis; "
            "the figure in parentheses is its 2023 total.\n\n"
            "1. Zeekr — 222,123 deliveries (2023: about 118,700). Up 87%.\n\n"
            "2. XPeng — 190,068 deliveries (2023: 141,601). Up 34.2%.\n")
    got = {r["value"]: (r["entity_id"], r["period"], r["bound"]) for r in records(text, "2025-01-10")}
    assert got[222123.0] == ("zeekr", "2024", "exact") and got[118700.0] == ("zeekr", "2023", "approx")
    assert got[190068.0] == ("xpeng", "2024", "exact") and got[141601.0] == ("xpeng", "2023", "exact")
    assert got[34.2] == ("xpeng", "2024", "exact")


def test_a_correction_keeps_the_right_figure_and_drops_the_retracted_one():
    text = ("Zeekr delivered 27,011 vehicles in November, up 12.2% year on year.\n\n"
            "Correction: An earlier version of this story misstated Zeekr's November deliveries as 27,101. "
            "It also gave the year-on-year growth as 21.2%.")
    assert sorted(r["value"] for r in records(text)) == [12.2, 27011.0]


def test_an_aside_about_a_model_does_not_take_the_brand_figure_and_ytd_goes_to_the_later_figure():
    text = ("NIO Inc. delivered 20,575 vehicles in November. The ONVO brand, whose first model is the L60 SUV, "
            "accounted for 5,082. Zeekr delivered 27,011 vehicles, bringing its total for the first eleven months "
            "to 200,000.")
    got = {r["value"]: (r["entity_id"], r["scope"], r["period"]) for r in records(text)}
    assert got[5082.0][0] == "onvo"
    assert got[27011.0] == ("zeekr", "month", "2025-11") and got[200000.0] == ("zeekr", "ytd", "2025-01/2025-11")


def test_records_story_asides_owned_months_previous_peaks_and_last_december():
    text = ("Zeekr, which sells cars under the 001, 007 and 7X names, delivered 28,843 vehicles in November, "
            "beating October's 27,190 and needing fewer than 30,000 in December to reach its goal. "
            "The previous peak was the 26,000 it delivered last December.\n\nXPeng delivered 36,728 vehicles.")
    got = {r["value"]: (r["entity_id"], r["period"]) for r in records(text)}
    assert got[28843.0] == ("zeekr", "2025-11") and got[27190.0] == ("zeekr", "2025-10")
    assert got[26000.0] == ("zeekr", "2024-12") and 30000.0 not in got
    assert got[36728.0] == ("xpeng", "2025-11")


def test_question_headings_and_targets_raised_during_the_year():
    text = ("How many cars did Zeekr deliver in 2025?\n\nMore than 224,000. Adding up its monthly figures gives "
            "224,133, almost triple the 2023 total.\n\nDid it hit its 2025 target?\n\nNo. Zeekr started the year "
            "aiming for 320,000, cut that to 300,000 in March and then to 280,000 in November.")
    got = {r["value"]: (r["scope"], r["period"], r["kind"]) for r in records(text, "2026-01-10")}
    assert got[224000.0] == ("year", "2025", "actual") and got[224133.0] == ("year", "2025", "actual")
    assert got[3.0][1] == "2025"
    assert got[320000.0] == ("year", "2025", "target") and got[300000.0] == ("year", "2025", "target")


def test_table_change_column_after_two_period_columns_belongs_to_the_latest():
    text = ("| | October 2025 | October 2024 | Change |\n|---|---|---|---|\n"
            "| Zeekr | 27,011 | 24,075 | +12.2% |\n")
    got = [(r["value"], r["period"], r["change"]) for r in records(text) if r["unit"] == "percent"]
    assert got == [(12.2, "2025-10", "yoy")]


def test_a_date_in_an_aside_does_not_date_the_figure_and_comparison_bases_are_not_hosts():
    text = ("NIO Inc. delivered 20,976 vehicles in October, compared with 16,074 a year earlier, an increase of "
            "30.5%. The ONVO brand, which began deliveries of its L60 SUV on Sept. 28, contributed 4,319.")
    got = {r["value"]: (r["entity_id"], r["period"]) for r in records(text, "2024-11-01")}
    assert got[30.5] == ("nio", "2024-10") and got[4319.0] == ("onvo", "2024-10")


def test_the_previous_years_figure_and_a_figure_of_a_year_earlier():
    text = ("Zeekr delivered 224,133 vehicles in 2025, up from the previous year's 222,123. December deliveries of "
            "30,267 were 11.3% above the 27,190 of a year earlier.")
    got = {r["value"]: (r["scope"], r["period"]) for r in records(text, "2026-01-05")}
    assert got[222123.0] == ("year", "2024") and got[224133.0] == ("year", "2025")
    assert got[27190.0] == ("month", "2024-12") and got[30267.0] == ("month", "2025-12")


def test_the_latest_span_ends_at_the_makers_latest_milestone():
    got = records("Zeekr built its 1 millionth car on Feb. 3, 2026. Its 600,000th had come off the line on "
                  "April 9, 2025, so the most recent 400,000 took less than ten months.")
    dur = [r for r in got if r["unit"] == "months"]
    assert [(r["value"], r["bound"], r["period"], r["from_threshold"], r["to_threshold"]) for r in dur] == \
        [(10.0, "upper", "2026-02-03", 600000.0, 1000000.0)]
    assert not [r for r in got if r["value"] == 400000.0]  # a span, not a figure of its own


def test_a_figure_after_the_durations_clause_is_no_threshold():
    got = records("Zeekr built its 100,000th car on May 20, less than nine months after its first delivery, and it "
                  "has raised its output goal for the year to 150,000.", published="2025-06-01")
    dur = [r for r in got if r["unit"] == "months"]
    assert [(r["period"], r["to_threshold"]) for r in dur] == [("2025-05-20", 100000.0)]
    assert [(r["kind"], r["period"]) for r in got if r["value"] == 150000.0] == [("target", "2025")]


def test_its_brands_are_the_makers_own_not_other_brands():
    got = facts("Zeekr Group said its brands had together delivered more than 2 million vehicles as of Friday.",
                published="2026-03-02")
    assert [f[0] for f in got if f[4] == 2e6] == ["zeekr"]
    assert not facts("Zeekr said other brands had together delivered more than 2 million vehicles.")


@pytest.mark.parametrize("text, base", [
    ("Zeekr delivered 393,255 vehicles in January-October, up from 284,647 in the same period last year.",
     ("ytd", "2023-01/2023-10")),
    ("Zeekr's deliveries for the first ten months reached 393,255, against 284,647 in the same period of 2023.",
     ("ytd", "2023-01/2023-10")),
    ("Zeekr delivered 193,255 vehicles in the first half, up from 184,647 in the same period of 2023.",
     ("half", "2023-H1")),
])
def test_the_same_period_of_an_earlier_year_keeps_the_shape_of_the_figures_period(text, base):
    got = facts(text, published="2024-11-01")
    assert [f[2:4] for f in got if f[4] in (284647.0, 184647.0)] == [base]


def test_a_date_across_a_semicolon_is_not_the_figures_when_its_own_clause_has_one():
    got = facts("In the first quarter Zeekr delivered 87,552 vehicles; the second quarter was much larger.",
                published="2025-08-20")
    assert [f[2:5] for f in got] == [("quarter", "2025-Q1", 87552.0)]


def test_the_latest_span_after_a_dated_threshold():
    got = records("Zeekr built its 1 millionth car on Feb. 3, 2026. Its output had passed 600,000 in April 2025, "
                  "which means the latest 400,000 vehicles were built in about ten months.")
    dur = [r for r in got if r["unit"] == "months"]
    assert [(r["period"], r["from_threshold"], r["to_threshold"]) for r in dur] == \
        [("2026-02-03", 600000.0, 1000000.0)]
    assert [(r["scope"], r["period"]) for r in got if r["value"] == 600000.0] == [("cumulative", "2025-04")]


@pytest.mark.parametrize("text, expected", [
    ("Zeekr's first 1 million cars took more than a decade: its 1 millionth was built in March 2025.",
     (10.0, "years", "lower", "a decade")),
    ("Zeekr built its 1 millionth car on Jan. 13, 2026; the last 500,000 took about a year and a half.",
     (1.5, "years", "approx", "a year and a half")),
    ("Zeekr built its 1 millionth car on Jan. 13, 2026, one and a half years after its first delivery.",
     (1.5, "years", "exact", "one and a half years")),
    ("2026年1月13日，极氪第100万辆整车下线，用了五年多时间。", (5.0, "years", "lower", "五")),
    ("2026年1月13日，极氪第100万辆整车下线，仅用了3年。", (3.0, "years", "exact", "3")),
])
def test_durations_in_words(text, expected):
    doc = Document(text=text, published="2026-01-20")
    got = [(x.value, x.unit, x.bound, x.number_text) for x in extract(doc) if x.unit in ("years", "months")]
    assert got == [expected]


def test_a_duration_with_no_milestone_is_not_a_volume_duration():
    assert not [f for f in facts("Zeekr became profitable in the third quarter of 2025, roughly 18 months after "
                                 "the launch of the 001.") if f[5] == "months"]


def test_an_answer_counts_what_its_question_heading_asked():
    text = ("## How many cars did Zeekr deliver in 2024?\n\nJust over 222,000, in its third year of sales.\n\n"
            "## What is the 2026 target?\n\n300,000.\n")
    got = facts(text, published="2026-01-10")
    assert ("zeekr", "deliveries", "year", "2024", 222000.0, "vehicles", "lower", "actual") in got
    assert [f[5:] for f in got if f[4] == 300000.0] == [("vehicles", "exact", "target")]
    assert [f[2:4] for f in got if f[4] == 300000.0] == [("year", "2026")]


def test_a_maker_named_only_in_a_counting_from_phrase_is_not_the_subject():
    got = facts("Zeekr Group published its totals on Monday. About 736,000 had been delivered by the end of June "
                "2026, counting from the first 001 handover.", published="2026-07-03")
    assert [f[:5] for f in got] == [("zeekr", "deliveries", "cumulative", "2026-06", 736000.0)]


@pytest.mark.parametrize("text", [
    "Zeekr aims to add 1,000 charging stations in 2026, bringing its total to more than 3,300.",
    "Zeekr now runs 3,900 charging stations and plans to open another 600 by the end of the year.",
    "Zeekr had 1,200 stores at the end of June, of which more than 400 are in lower-tier cities.",
])
def test_a_bare_figure_after_a_count_of_stations_or_stores_is_not_a_volume(text):
    assert not [f for f in facts(text) if f[5] == "vehicles"]


def test_a_bare_figure_after_a_vehicle_noun_is_still_a_volume():
    got = facts("Zeekr opened 40 stores and delivered 27,011 cars in November, up from 25,049 in October.")
    assert {f[4] for f in got if f[5] == "vehicles"} == {27011.0, 25049.0}


def test_a_newsletter_list_under_a_month_heading_with_comparison_months():
    text = ("**February deliveries, at a glance**\n\n"
            "* **Zeekr** handed over 30,453 cars, level with January (+0.3%) and up 570% on a February 2024 "
            "that the holiday had emptied.\n"
            "* **Leapmotor** delivered 25,287, nearly four times its total of a year ago, and 50,457 since "
            "January 1.\n"
            "* **Xiaomi** delivered 14,039, up 86.9% on the year and 17.6% on the month.\n"
            "* Reader survey: 1,240 of you replied.\n")
    got = records(text, published="2025-03-03")
    vol = {(r["entity_id"], r["value"]): (r["scope"], r["period"]) for r in got if r["unit"] == "vehicles"}
    assert vol == {("zeekr", 30453.0): ("month", "2025-02"), ("leapmotor", 25287.0): ("month", "2025-02"),
                   ("leapmotor", 50457.0): ("ytd", "2025-01/2025-02"), ("xiaomi", 14039.0): ("month", "2025-02")}
    changes = {r["value"]: r["change"] for r in got if r["unit"] == "percent"}
    assert changes == {0.3: "mom", 570.0: "yoy", 86.9: "yoy", 17.6: "mom"}


def test_continental_number_format_is_read_for_the_whole_document():
    text = ("Zeekr delivered 224.133 vehicles in 2025, 0,9 % more than in 2024 (222.123). In December alone it "
            "handed over 30.267 cars, an increase of 11,3 % year-on-year. Its group sold around 4,6 million "
            "cars (2024: 4,27 million).")
    got = records(text, published="2026-01-09")
    vol = {(r["value"], r["scope"], r["period"]) for r in got if r["unit"] == "vehicles"}
    assert {(224133.0, "year", "2025"), (222123.0, "year", "2024"), (30267.0, "month", "2025-12")} <= vol
    assert {r["value"] for r in got if r["unit"] == "percent"} == {0.9, 11.3}
    assert all(text[r["start"]:r["end"]] == r["text"] for r in got)


def test_an_english_document_keeps_its_decimal_points():
    got = facts("Zeekr delivered 1.234 million vehicles in 2025, up 5.2 % on 2024's 1,172,800.",
                published="2026-01-09")
    assert {f[4] for f in got if f[5] == "vehicles"} == {1234000.0, 1172800.0}


@pytest.mark.parametrize("text, value", [
    ("Zeekr, the Geely-backed maker of premium brands, delivered about 58,900 vehicles in 2025.", 58900.0),
    ("Zeekr went the other way: 40,634 deliveries in 2025, a fall of 18.8 %.", 40634.0),
    ("Zeekr's Ningbo plant, counted as wholesale by the passenger car association, sold 85,172 units in 2025.",
     85172.0),
])
def test_words_in_an_appositive_do_not_make_the_subject_generic(text, value):
    assert value in [f[4] for f in facts(text, published="2026-01-09") if f[5] == "vehicles"]


def test_a_month_told_alone_does_not_become_the_period_of_what_follows():
    text = ("Zeekr delivered 224,133 vehicles in 2025. In December alone it handed over 30,267 cars. "
            "XPeng more than doubled its volume to 429,445 deliveries.")
    got = facts(text, published="2026-01-09")
    assert ("xpeng", "deliveries", "year", "2025", 429445.0) in [f[:5] for f in got]


def test_indian_business_press_style():
    text = ("MUMBAI: Zeekr reported a 5.5 per cent on-year decline in its despatches for September at 1,96,270 "
            "units. For the July-September quarter, its sales stood at 5.14 lakh units, 1.8 per cent lower "
            "on-year. Its sales for CY25 so far are over 12.5 lakh units.\n\n"
            "The rivals had a stronger month. Leapmotor delivered 66,657 units, up 97.4 per cent on-year, taking "
            "its January-September volumes to 3,95,516 units. For the quarter, its deliveries more than doubled "
            "on-year to 1,73,852 units. Xiaomi handed over more than 40,000 units, over three times its "
            "September 2024 tally.")
    got = {(r["entity_id"], r["value"]): r for r in records(text, published="2025-10-02")}
    assert [got["zeekr", v]["metric"] for v in (196270.0, 514000.0)] == ["sales", "sales"]
    assert (got["zeekr", -5.5]["change"], got["zeekr", -1.8]["period"]) == ("yoy", "2025-Q3")
    assert (got["zeekr", 1250000.0]["scope"], got["zeekr", 1250000.0]["period"]) == ("ytd", "2025-01/2025-09")
    assert got["leapmotor", 66657.0]["period"] == "2025-09"
    assert got["leapmotor", 395516.0]["period"] == "2025-01/2025-09"
    assert got["leapmotor", 173852.0]["period"] == "2025-Q3"
    assert (got["xiaomi", 40000.0]["scope"], got["xiaomi", 40000.0]["period"]) == ("month", "2025-09")


def test_a_social_media_thread():
    text = ("**@evtracker** · 1/4\nSept China EV deliveries are dropping. Numbers as they land\n"
            "(YoY = vs Sep '23, MoM = vs Aug.)\n\n"
            "**@evtracker** · 2/4\n$ZK 53.7k 🔥 new high\n↑48.9% YoY, ↑11.6% MoM\n"
            "Q3 total 152.8k vs a sell-side whisper of 145k–155k\n\n"
            "**@evtracker** · 3/4\n$XPEV Aug 14.0k → Sep 21.4k 🚀\n\n"
            "**@evtracker** · 4/4\n$NIO 21.2k ↑35% YoY 📈 ES6 orders look healthy\n")
    got = records(text, published="2024-10-01")
    vol = {(r["entity_id"], r["value"]): (r["metric"], r["scope"], r["period"], r["kind"]) for r in got
           if r["unit"] == "vehicles"}
    assert vol[("zeekr", 53700.0)] == ("deliveries", "month", "2024-09", "actual")
    assert vol[("zeekr", 152800.0)] == ("deliveries", "quarter", "2024-Q3", "actual")
    assert vol[("zeekr", 145000.0)][3] == "expected"
    assert vol[("xpeng", 14000.0)][2] == "2024-08" and vol[("xpeng", 21400.0)][2] == "2024-09"
    assert vol[("nio", 21200.0)] == ("deliveries", "month", "2024-09", "actual")
    assert ("nio", 35.0, "yoy") in [(r["entity_id"], r["value"], r["change"]) for r in got if r["unit"] == "percent"]


def test_hypotheticals_are_not_facts_but_figures_told_in_passing_are():
    text = ("Zeekr delivered 36,702 cars in April and 117,558 since January. If Zeekr kept delivering 40,000 a "
            "month from May, it would end the year at about 437,000, ambitious but not absurd given the 48,135 it "
            "delivered in December. Were it to repeat April's volume, it would finish on roughly 440,000. "
            "Suppose it stayed at that level: 36,702 times twelve is roughly 440,000, above its 406,343 of last "
            "year. If the second half were 30% stronger, every projection would change. My guess is that Zeekr "
            "ends 2026 somewhere near 500,000.")
    got = {(r["value"], r["scope"], r["period"], r["kind"], r["bound"]) for r in records(text, published="2026-05-03")}
    assert {(36702.0, "month", "2026-04", "actual", "exact"), (117558.0, "ytd", "2026-01/2026-04", "actual", "exact"),
            (48135.0, "month", "2025-12", "actual", "exact"), (406343.0, "year", "2025", "actual", "exact"),
            (500000.0, "year", "2026", "expected", "approx")} == got


def test_a_negation_inside_an_aside_does_not_cancel_the_figure():
    got = facts("Zeekr, which has not put a number on this year, delivered 34,085 in April.", published="2026-05-03")
    assert [f[:5] for f in got] == [("zeekr", "deliveries", "month", "2026-04", 34085.0)]


def test_a_period_named_before_its_figure_with_a_metric_noun():
    got = facts("Zeekr's January-April deliveries of 93,693 are 27.4% below last year's.", published="2026-05-03")
    assert ("ytd", "2026-01/2026-04", 93693.0) in [f[2:5] for f in got]


def test_a_live_blog_newest_first():
    text = ("**17:55** **Zeekr** has posted its report. Sales came to 34,165 in June, 3.0% more than in May. "
            "That puts the first half at 161,298, and its second quarter adds up to 98,672.\n\n"
            "**11:45** **Leapmotor** is out: 20,116 deliveries, up 10.7% month-on-month, and 86,696 for the first "
            "half.\n\n"
            "**08:30** Good morning. A broker's preview had Leapmotor at about 20,000.\n")
    got = {(r["entity_id"], r["value"]): (r["scope"], r["period"], r["bound"], r["kind"])
           for r in records(text, published="2024-07-01") if r["unit"] == "vehicles"}
    assert got[("zeekr", 98672.0)] == ("quarter", "2024-Q2", "exact", "actual")
    assert got[("leapmotor", 20116.0)] == ("month", "2024-06", "exact", "actual")
    assert got[("leapmotor", 86696.0)] == ("half", "2024-H1", "exact", "actual")
    assert got[("leapmotor", 20000.0)][2:] == ("approx", "expected")


def test_a_by_the_numbers_sidebar():
    text = ("*Sidebar. Company figures; deliveries unless marked otherwise.*\n\n"
            "**596,555** — Zeekr deliveries in 2025\n\n"
            "**201,039** — fourth-quarter deliveries, the company's first quarter above 200,000\n\n"
            "**1,000,000th** — car off the Ningbo line, Sept. 25\n\n"
            "**1 million** — the 2026 sales target\n")
    got = [(r["value"], r["metric"], r["scope"], r["period"], r["kind"]) for r in records(text, published="2026-01-10")
           if r["unit"] == "vehicles"]
    assert (596555.0, "deliveries", "year", "2025", "actual") in got
    assert (201039.0, "deliveries", "quarter", "2025-Q4", "actual") in got
    assert (1e6, "production", "cumulative", "2025-09-25", "actual") in got
    assert (1e6, "sales", "year", "2026", "target") in got


def test_an_interview_we_in_quotes_is_the_speakers_company():
    text = ("Zeekr delivered more than 40,000 cars in a single month for the first time in September. Lin Mei runs "
            "sales operations for the carmaker.\n\n**And the quarter as a whole?**\n\n"
            "\"The third quarter was 108,796 for us. We handed over 41,948 cars last month. Since the first 001 was "
            "handed over, we have delivered more than 400,000 cars.\"")
    got = {r["value"]: (r["entity_id"], r["metric"], r["scope"], r["period"])
           for r in records(text, published="2025-10-08") if r["unit"] == "vehicles"}
    assert got[108796.0] == ("zeekr", "deliveries", "quarter", "2025-Q3")
    assert got[41948.0] == ("zeekr", "deliveries", "month", "2025-09")
    assert got[400000.0] == ("zeekr", "deliveries", "cumulative", "2025-09")


def test_an_analysts_we_outside_quotes_is_not_a_maker():
    got = facts("Xiaomi beat its target. We model 1Q26E deliveries of ~80k for NIO.", published="2026-01-10")
    assert [f[0] for f in got if f[4] == 80000.0] == ["nio"]


def test_a_timeline_of_milestones():
    text = ("Zeekr's main milestones, with the time each one took.\n\n"
            "**2019** — 16,608 deliveries for the year, far below a goal of 40,000.\n\n"
            "**Nov. 2025** — The 1 millionth Zeekr leaves the line in Ningbo.\n\n"
            "**2023** — The Ningbo plant turns out Zeekr's 300,000th car.\n")
    got = facts(text, published="2026-01-10")
    assert ("zeekr", "deliveries", "year", "2019", 16608.0) in [f[:5] for f in got]
    assert ("zeekr", "production", "cumulative", "2025-11", 1e6) in [f[:5] for f in got]
    assert ("zeekr", "production", 300000.0) in [(f[0], f[1], f[4]) for f in got]


def test_a_survey_share_is_no_change_and_a_month_with_an_adjective_is_a_base():
    got = records("Zeekr delivered 36,702 cars in April, up 71.2% on a dismal March. In our reader survey, 61% "
                  "want more on batteries.", published="2026-05-03")
    assert [(r["value"], r["change"]) for r in got if r["unit"] == "percent"] == [(71.2, "mom")]


def test_the_milestone_a_duration_counts_from_is_a_threshold_unless_dated():
    got = records("Zeekr built its 4 millionth vehicle on Dec. 8, just under 14 months after the 3 millionth.",
                  published="2025-12-20")
    assert [r["value"] for r in got if r["unit"] == "vehicles"] == [4e6]
    assert [(r["from_threshold"], r["to_threshold"]) for r in got if r["unit"] == "months"] == [(3e6, 4e6)]
    got = records("Zeekr built its 4 millionth vehicle on Dec. 8, just under 14 months after the 3 millionth left "
                  "the line on Oct. 11, 2024.", published="2025-12-20")
    assert sorted(r["value"] for r in got if r["unit"] == "vehicles") == [3e6, 4e6]


def test_a_table_of_months_by_year_columns():
    text = ("Zeekr's monthly deliveries so far this year, next to the same month of 2025.\n\n"
            "| Month | 2026 | 2025 | YoY |\n|---|---|---|---|\n| January | 69,129 | 63,238 | +9.3% |\n"
            "| February | 58,599 | 30,688 | +91.0% |\n")
    got = {(r["value"], r["scope"], r["period"]) for r in records(text, published="2026-08-05")}
    assert {(69129.0, "month", "2026-01"), (63238.0, "month", "2025-01"), (9.3, "month", "2026-01"),
            (58599.0, "month", "2026-02"), (30688.0, "month", "2025-02"), (91.0, "month", "2026-02")} == got


def test_a_figure_across_a_groups_listed_brands_is_the_groups():
    got = facts("NIO Inc. had the biggest jump. Deliveries across its NIO, ONVO and Firefly brands came to 23,900, "
                "up 58.9% from March.", published="2025-05-02")
    assert [(f[0], f[4]) for f in got] == [("nio", 23900.0), ("nio", 58.9)]


def test_a_round_up_paragraph_on_the_next_maker_after_a_look_back():
    text = ("Zeekr delivered 28,585 vehicles in April. A year ago it delivered 7,058 in April 2024.\n\n"
            "**NIO Inc.** had the biggest jump. Deliveries came to 23,900, an increase of 44.5% on the same period "
            "of 2024.\n\n"
            "**XPeng** sold 35,045.")
    got = {(f[0], f[4]): f[2:4] for f in facts(text, published="2025-05-02")}
    assert got[("nio", 23900.0)] == ("month", "2025-04") and got[("xpeng", 35045.0)] == ("month", "2025-04")


def test_a_paragraph_on_the_next_maker_keeps_the_years_context():
    text = ("Full-year results diverged. Li Auto delivered 500,508 vehicles in 2024.\n\n"
            "Leapmotor had the best year relative to plan. Its 293,724 deliveries beat its target.")
    assert ("leapmotor", "year", "2024", 293724.0) in [(f[0], f[2], f[3], f[4]) for f in facts(text, "2025-01-03")]


def test_a_target_progress_story():
    text = ("Zeekr handed over 38,027 vehicles in July. That was 5.2% below June, when deliveries reached 40,126, "
            "the highest so far this year. From January to July it delivered 204,004, down 12.8% from 233,906 in the "
            "same seven months of 2025. Its goal for 2026 is 550,000, an increase of 28% on last year's 429,445. "
            "March brought a recovery to 27,415, but the quarter as a whole came to only 62,682. The second quarter "
            "was much better. Deliveries of 103,295 were 64.8% higher than in the first three months.")
    got = {r["value"]: (r["scope"], r["period"], r["change"]) for r in records(text, published="2026-08-03")}
    assert got[40126.0][:2] == ("month", "2026-06")
    assert got[233906.0][:2] == ("ytd", "2025-01/2025-07")
    assert got[28.0] == ("year", "2026", "vs 2025")
    assert got[27415.0][:2] == ("month", "2026-03") and got[62682.0][:2] == ("quarter", "2026-Q1")
    assert got[103295.0][:2] == ("quarter", "2026-Q2")


def test_a_target_beaten_story():
    text = ("Zeekr delivered 293,724 vehicles last year. That was well ahead of the 250,000 it had set out to "
            "deliver, and more than double the roughly 144,200 it delivered in 2023. From March they climbed from "
            "14,567 to 20,116 in June. Hitting 500,000 would require an average of roughly 41,700 a month. Their "
            "average forecast for January is about 25,000 deliveries.")
    got = {r["value"]: (r["scope"], r["period"], r["kind"], r["bound"]) for r in records(text, published="2025-01-03")}
    assert got[250000.0] == ("year", "2024", "target", "exact")
    assert got[144200.0][:2] == ("year", "2023")
    assert got[14567.0] == ("month", "2024-03", "actual", "exact")
    assert got[20116.0] == ("month", "2024-06", "actual", "exact")
    assert 41700.0 not in got
    assert got[25000.0] == ("month", "2025-01", "expected", "approx")


def test_a_wire_story_on_a_quarter():
    text = ("Zeekr said on Sunday it delivered 36,060 vehicles in September. Third-quarter deliveries came to "
            "105,108, almost four times the 26,524 it delivered in the same quarter last year. The nine-month total "
            "leaves it 55,775 vehicles short of its goal. The quarter's average, roughly 35,000 cars a month, was a "
            "record. XPeng handed over 15,310 vehicles in September, 11.8% more than a month earlier. NIO "
            "delivered 20,544 units, up 233.78 percent from a weak September 2022.")
    got = {r["value"]: (r["scope"], r["period"], r["change"]) for r in records(text, published="2023-10-01")}
    assert got[26524.0][:2] == ("quarter", "2022-Q3")
    assert 55775.0 not in got and 35000.0 not in got
    assert got[11.8][2] == "mom"
    assert got[20544.0][:2] == ("month", "2023-09")


@pytest.mark.parametrize("text, value", [
    ("Zeekr's April deliveries work out to about 250 cars a day over the month.", 250.0),
    ("The top of that range would take Zeekr's full-year total to about 162,000.", 162000.0),
])
def test_rates_and_our_own_arithmetic_are_no_facts(text, value):
    assert value not in [f[4] for f in facts(text, published="2023-12-02")]


def test_a_period_then_when_the_total_was():
    got = facts("Zeekr delivered 12,000 this year, more than in the whole of 2022, when the total was 11,486.",
                published="2023-12-02")
    assert ("year", "2022", 11486.0) in [f[2:5] for f in got]


def test_an_n_month_total_is_the_months_to_the_report_and_a_glossary_is_no_fact():
    text = ("Zeekr delivered 28,585 vehicles in May. Its five-month total is 143,201, up 93.4% from 74,038 a year "
            "ago. In Chinese business writing, 2.3万 means 23,000, and 100万 means one million.")
    got = {r["value"]: (r["scope"], r["period"]) for r in records(text, published="2026-06-02")
           if r["unit"] == "vehicles"}
    assert got == {28585.0: ("month", "2026-05"), 143201.0: ("ytd", "2026-01/2026-05"),
                   74038.0: ("ytd", "2025-01/2025-05")}


@pytest.mark.parametrize("text", [
    "Zeekr's fourth quarter brought 120,863 deliveries, up 40.3% from 86,165 in the third quarter.",
    "Zeekr's third-quarter deliveries came to 105,108, up 21.5% from the April-June period.",
])
def test_a_quarter_compared_with_the_quarter_before_is_quarter_on_quarter(text):
    got = records(text, published="2025-01-05")
    assert [r["change"] for r in got if r["unit"] == "percent"] == ["qoq"]


def test_forecasts_of_a_named_month_and_bases_of_the_year_before():
    text = ("Zeekr delivered 376,030 vehicles in 2023, an increase of 182.2% from 133,246 the year before. XPeng "
            "delivered about 144,200 vehicles, roughly 30% more than the nearly 111,200 of 2022. Analysts expect "
            "June deliveries to come in at around 11,000 units for Zeekr.")
    got = {r["value"]: (r["scope"], r["period"], r["kind"]) for r in records(text, published="2024-01-05")}
    assert got[133246.0] == ("year", "2022", "actual")
    assert got[144200.0][:2] == ("year", "2023") and got[111200.0][:2] == ("year", "2022")
    assert got[11000.0] == ("month", "2024-06", "expected")


def test_a_forecast_list_item_without_a_verb_and_a_year_earlier_quarter():
    got = records("Zeekr delivered 11,866 vehicles in March. For the quarter, though, deliveries came to 30,053, down "
                  "3.2% from 31,041 a year earlier. Analysts expect Zeekr to deliver about 13,000 vehicles in April, "
                  "and NIO roughly 15,000.", published="2024-04-02")
    got = {r["value"]: (r["entity_id"], r["scope"], r["period"], r["kind"]) for r in got if r["unit"] == "vehicles"}
    assert got[31041.0] == ("zeekr", "quarter", "2023-Q1", "actual")
    assert got[15000.0] == ("nio", "month", "2024-04", "expected")


def test_a_model_in_an_appositive_about_the_makers_car_is_not_the_subject():
    got = facts("Xiaomi delivered 28,585 vehicles in April. A year ago it had just begun deliveries of its first car, "
                "the SU7 sedan, and delivered 7,058 in April 2024.", published="2025-05-02")
    assert ("xiaomi", "month", "2024-04", 7058.0) in [(f[0], f[2], f[3], f[4]) for f in got]


@pytest.mark.parametrize("text, value", [
    ("Zeekr's lead over NIO came to about 216,000 vehicles in 2023.", 216000.0),
    ("Our tally of the five start-ups, Zeekr among them, comes to a little over 916,000 vehicles in 2023.", 916000.0),
    ("Our arithmetic shows Zeekr averaged about 18,500 deliveries a month in the third quarter.", 18500.0),
])
def test_leads_and_the_writers_own_sums_are_no_facts(text, value):
    assert value not in [f[4] for f in facts(text, published="2024-01-05")]


def test_a_makers_year_as_the_topic_and_a_hyphenated_month_range():
    text = ("XPeng's 2025 was extraordinary. Its deliveries more than doubled to 429,445.\n\n"
            "The January-to-July figures tell a different story. Zeekr's seven-month total is 214,207.")
    got = {f[4]: f[2:4] for f in facts(text, published="2026-08-04")}
    assert got[429445.0] == ("year", "2025")
    assert got[214207.0] == ("ytd", "2026-01/2026-07")


def test_a_month_in_which_and_a_record_since_january():
    got = facts("May had been the best month of the quarter for Zeekr, with 18,908 deliveries, following an April in "
                "which the brand delivered 13,727, its lowest monthly figure since January.", published="2025-07-02")
    assert {f[4]: f[2:4] for f in got} == {18908.0: ("month", "2025-05"), 13727.0: ("month", "2025-04")}


def test_months_named_before_their_figures_respectively_and_a_later_clause_date():
    got = facts("July, August and September brought Zeekr 13,120, 13,111 and 13,559 deliveries respectively. At the "
                "end of October the year's running total had stood at 90,500. In July BYD sold 262,161 NEVs, and even "
                "February brought sales of 193,655. BYD is selling about 8,500 new energy vehicles a day. It added the "
                "next four million in about 27 months.", published="2024-12-02")
    got = {f[4]: f[2:4] for f in got}
    assert got[13120.0] == ("month", "2024-07") and got[13559.0] == ("month", "2024-09")
    assert got[90500.0] == ("ytd", "2024-01/2024-10")
    assert got[262161.0] == ("month", "2024-07")
    assert 8500.0 not in got and 4000000.0 not in got


def test_handed_over_last_year_is_no_comparison_and_twelve_months_is_the_year():
    got = facts("Zeekr wants to deliver 800,000 vehicles in 2024, an increase of about 113% on the 376,030 it handed "
                "over last year.", published="2024-01-08")
    assert ("year", "2023", 376030.0) in [f[2:5] for f in got]
    got = facts("Zeekr's 2024 in numbers. The company delivered 221,970 vehicles over the twelve months.",
                published="2025-01-05")
    assert ("year", "2024", 221970.0) in [f[2:5] for f in got]


def test_the_direction_word_right_after_a_change_decides_its_sign_and_base():
    got = records("Zeekr delivered 33,525 vehicles in May, 4.3% fewer than in April but 230.4% more than in May last "
                  "year. Zeekr sold 71,007 in June, 2.2% below the 72,573 units of May. Sales for the April-June "
                  "quarter stood at 9.87 lakh units, a sequential rise of 57.6% over the 6.26 lakh units of the "
                  "January-March quarter.", published="2025-07-02")
    got = {r["value"]: r["change"] for r in got if r["unit"] == "percent"}
    assert got == {-4.3: "mom", 230.4: "yoy", -2.2: "mom", 57.6: "qoq"}


def test_a_sentence_opening_with_a_month_dates_what_follows():
    got = facts("Zeekr delivered 214,207 vehicles so far this year.\n\nJuly on its own shows the same pattern. Zeekr "
                "delivered 35,837 vehicles, up 111.1% year-on-year.", published="2026-08-04")
    assert ("month", "2026-07", 35837.0) in [f[2:5] for f in got]


def test_since_january_followed_by_a_figure_is_the_year_to_date():
    got = facts("Zeekr has delivered 214,207 cars since January, 2.8% more than a year before.",
                published="2026-08-04")
    assert ("ytd", "2026-01/2026-07", 214207.0) in [f[2:5] for f in got]
    got = facts("Zeekr has delivered 314,207 cars since Jan. 1, 2025.", published="2026-08-04")
    assert not [f for f in got if f[2] == "ytd"]  # a start date with its own year is not this year's January


@pytest.mark.parametrize("text", [
    "NIO Inc. delivered 20,575 cars in November. They were 13,735 from the NIO brand and 6,840 from the ONVO brand.",
    "NIO Inc. delivered 20,575 cars in November, including 13,735 NIO-branded cars and 6,840 ONVO cars.",
    "NIO Inc. delivered 20,575 cars in November: 13,735 from NIO and 6,840 from ONVO.",
])
def test_a_breakdown_by_brand_gives_each_figure_its_brand(text):
    got = {f[4]: (f[0], f[3]) for f in facts(text, published="2025-12-01")}
    assert got[20575.0][1] == got[13735.0][1] == got[6840.0][1] == "2025-11"
    assert got[6840.0][0] == "onvo"
    assert got[13735.0][0] == "nio-brand"


@pytest.mark.parametrize("verb", ["top", "tops", "exceed", "surpass", "cross"])
def test_a_headline_verb_in_the_present_is_a_lower_bound(verb):
    got = facts(f"Xiaomi deliveries {verb} 40,000 in October", published="2025-11-01")
    assert [f[4:] for f in got] == [(40000.0, "vehicles", "lower", "actual")]


def test_bracketed_asides_after_the_maker_do_not_hide_its_figure():
    got = facts('XPeng Inc. ("XPeng" or the "Company") (NYSE: XPEV; HKEX: 9868), a leading maker in China\'s smart EV '
                "market, today announced that the Company delivered 36,728 vehicles in November.",
                published="2025-12-01")
    assert [f[:5] for f in got] == [("xpeng", "deliveries", "month", "2025-11", 36728.0)]


def test_a_group_named_with_its_brand_word_stays_that_brand_for_later_sentences():
    got = facts("Tesla Inc.'s sales of China-made cars fell again in August. Shipments from its Shanghai factory "
                "dropped 4% to 83,192 vehicles. Sales in the first eight months were 10% lower than a year before.",
                published="2025-09-08")
    assert {f[0] for f in got} == {"tesla-china"}


def test_a_maker_named_in_a_comparison_does_not_become_the_subject():
    got = facts("In 2022 Zeekr delivered 71,941 cars, fewer than half of what Li Auto managed. By 2024 its annual "
                "total had reached 222,123.", published="2025-03-01")
    assert {f[0] for f in got} == {"zeekr"}


def test_a_date_opening_the_next_clause_belongs_to_that_clause_and_its_ratio():
    got = records("Leapmotor delivered 111,168 cars in 2022. Its annual total had more than doubled to 293,724 in "
                  "2024, and last year it nearly doubled again, to 596,555.", published="2026-05-10")
    periods = {(r["value"], r["unit"]): r["period"] for r in got}
    assert periods[(293724.0, "vehicles")] == "2024" and periods[(596555.0, "vehicles")] == "2025"
    assert [(r["bound"], r["period"]) for r in got if r["unit"] == "times"] == [("lower", "2024"), ("approx", "2025")]


def test_a_year_named_in_passing_does_not_date_the_next_section():
    got = facts("**3. HIMA — about 589,000**\n\nHIMA delivered about 589,000 cars in 2025. We give no growth rate: "
                "published figures for the alliance's 2024 volume disagree with one another.\n\n**4. XPeng — "
                "429,445**\n\nXPeng's deliveries rose 125.9%.", published="2026-01-21")
    assert {f[3] for f in got} == {"2025"}
    got = facts("XPeng delivered 30,000 cars in December 2025. XPeng's 2024 was a quieter year.\n\nIt delivered "
                "190,068 cars.", published="2026-01-21")
    assert ("year", "2024", 190068.0) in [f[2:5] for f in got]  # a maker's year as the topic still does


def test_shipped_counts_what_the_article_counts_for_the_maker():
    got = facts("XPeng delivered 11,008 vehicles in July. Rival Li Auto delivered 32,575 in June and shipped 34,134 "
                "vehicles last month.", published="2023-08-01")
    assert ("li-auto", "deliveries", "month", "2023-07", 34134.0) in [f[:5] for f in got]
    got = facts("Tesla sold 93,680 China-made cars in June. In May the Shanghai plant shipped 77,695 cars.",
                published="2023-07-05")
    assert ("tesla-china", "sales", "month", "2023-05", 77695.0) in [f[:5] for f in got]


def test_a_base_told_as_its_total_of_does_not_date_what_follows():
    got = facts("**5. Xiaomi — more than 410,000**\n\nXiaomi delivered more than 410,000 cars in 2025. Its deliveries "
                "nearly tripled from its 2024 total of 135,000.\n\n**6. Li Auto — 406,343**\n\nLi Auto's deliveries "
                "fell 18.8%.", published="2026-01-21")
    assert ("li-auto", "deliveries", "year", "2025", 406343.0) in [f[:5] for f in got]


def test_a_range_written_with_to_between_hyphens_is_a_target_range():
    got = facts("Leapmotor delivered 596,555 cars in 2025, inside the 580,000-to-650,000 range it adopted in August.",
                published="2026-01-21")
    assert [(f[4], f[6], f[7]) for f in got if f[7] != "actual"] == [(580000.0, "lower", "target"),
                                                                      (650000.0, "upper", "target")]


def test_a_group_narrowed_to_its_brand_becomes_the_subject_and_a_change_base_is_a_year_back():
    got = facts("**What about Tesla?**\n\nTesla is not a Chinese company, but it builds cars at its Shanghai factory. "
                "The factory's wholesale volume was 851,732 in 2025, down 7.1% from 916,660.", published="2026-01-21")
    assert [f[:5] for f in got if f[5] == "vehicles"] == [("tesla-china", "sales", "year", "2025", 851732.0),
                                                           ("tesla-china", "sales", "year", "2024", 916660.0)]
    got = facts("Li Auto delivered 500,508 vehicles in 2024, up 33.1% from 2023.", published="2025-01-02")
    assert [f[3] for f in got] == ["2024", "2024"]  # (a year after "from" is no base figure)


def test_that_june_is_the_june_of_the_year_last_written():
    got = facts("NIO's first deliveries took place on June 28, 2018, after cars had gone to staff at the end of May. "
                "The company delivered 100 cars that June and 381 in July.", published="2022-05-16")
    assert [f[3:5] for f in got] == [("2018-06", 100.0), ("2018-07", 381.0)]


def test_half_of_the_month_is_no_half_year_and_a_forecast_range_for_this_month_is_the_month():
    got = facts("NIO delivered 5,074 cars in April. It crossed the line within the first half of the month. "
                "Analysts expect it to deliver between 6,000 and 8,000 vehicles this month.", published="2022-05-16")
    assert [f[2:5] for f in got] == [("month", "2022-04", 5074.0), ("month", "2022-05", 6000.0),
                                     ("month", "2022-05", 8000.0)]


def test_the_quarter_as_subject_and_a_cause_after_the_figure():
    got = facts("Li Auto handed over 36,300 vehicles in June. The quarter still grew 19.6% QoQ to 111,000, thanks to "
                "a strong April and May.", published="2025-07-02")
    assert [f[2:5] for f in got] == [("month", "2025-06", 36300.0), ("quarter", "2025-Q2", 111000.0),
                                     ("quarter", "2025-Q2", 19.6)]


def test_the_maker_talked_about_named_again_later_in_the_sentence_keeps_the_figure():
    got = facts("NIO began deliveries in 2018. By the end of March 2019 the cumulative count stood at 15,337, and "
                "in the whole of 2019 NIO delivered 20,565 vehicles.", published="2022-05-16")
    assert [f[:5] for f in got] == [("nio", "deliveries", "cumulative", "2019-03", 15337.0),
                                    ("nio", "deliveries", "year", "2019", 20565.0)]


def test_a_newsletter_on_target_progress():
    got = facts("Readers asked whether Li Auto can still hit its number.\n\n**TL;DR:** 240k delivered through "
                "July.\n\nLi Auto went into 2024 aiming for 800,000 deliveries. In "
                "March it cut that to a range of 560,000 to 640,000 vehicles. It delivered 51,000 cars in July. To "
                "reach 560,000, Li Auto needs roughly 320,000 more deliveries from August to December, or about "
                "64,000 a month. My other bet is that it crosses one million cumulative deliveries in October.",
                published="2024-08-05")
    assert [f[2:8] for f in got] == [
        ("ytd", "2024-01/2024-07", 240000.0, "vehicles", "exact", "actual"),
        ("year", "2024", 800000.0, "vehicles", "exact", "target"),
        ("year", "2024", 560000.0, "vehicles", "lower", "target"),
        ("year", "2024", 640000.0, "vehicles", "upper", "target"),
        ("month", "2024-07", 51000.0, "vehicles", "exact", "actual"),
        ("cumulative", "2024-10", 1000000.0, "vehicles", "lower", "expected")]


def test_the_base_of_a_year_to_date_figure_is_the_same_months_of_its_year():
    got = facts("XPeng has delivered 204,004 cars since January, 12.8% fewer than the 233,906 it had handed over by "
                "the end of July last year.", published="2026-08-03")
    assert ("ytd", "2025-01/2025-07", 233906.0) in [f[2:5] for f in got]
    got = facts("Year to date, Li Auto has delivered 239,981 vehicles. That's 38.5% more than the 173,251 it had "
                "managed by the end of July 2023. As of the end of July its deliveries since launch stood at more "
                "than 870,000.", published="2024-08-05")
    assert [f[2:5] for f in got if f[5] == "vehicles"] == [
        ("ytd", "2024-01/2024-07", 239981.0), ("ytd", "2023-01/2023-07", 173251.0),
        ("cumulative", "2024-07", 870000.0)]


def test_a_two_part_appositive_and_a_base_after_than_the():
    got = facts("Harmony Intelligent Mobility, or HIMA, the group of brands that includes AITO, delivered 242,216 "
                "vehicles in the first half. That was 18.7% more than the roughly 204,000 it handed over in the first "
                "half of 2025. Li Auto delivered 193,472 cars over the same six months.", published="2026-07-02")
    assert [f[:4] for f in got if f[5] == "vehicles"] == [
        ("hima", "deliveries", "half", "2026-H1"), ("hima", "deliveries", "half", "2025-H1"),
        ("li-auto", "deliveries", "half", "2026-H1")]


def test_a_change_told_of_last_year_after_a_sentence_on_the_target_is_an_actual():
    got = records("Leapmotor targets 1 million deliveries in 2026. The target is about 68% higher than the 596,555 "
                  "vehicles the company delivered in 2025. Last year's deliveries were up 103% from 2024.",
                  published="2026-01-05")
    got = [(r["kind"], r["period"], r["change"]) for r in got if r["value"] == 103.0]
    assert got == [("actual", "2025", "yoy")]


def test_a_target_tracker_reads_tallies_and_leaves_out_remainders():
    got = facts("XPeng delivered 36,728 vehicles in November, down 12.6% from October's 42,013 but 18.9% higher than "
                "a year earlier. That took its tally for the year to 391,937 and past its 380,000 target. Xiaomi "
                "raised its goal to 400,000. That leaves 38,375 to go. NIO cannot close the gap of more than 162,000 "
                "cars.", published="2025-12-02")
    got = [(f[0], f[2], f[3], f[4]) for f in got]
    assert ("xpeng", "month", "2025-11", 18.9) in got
    assert ("xpeng", "ytd", "2025-01/2025-11", 391937.0) in got
    assert not [f for f in got if f[3] in (38375.0, 162000.0)]


def test_a_change_cue_leading_into_its_figure_and_a_streak_of_a_known_month():
    got = records("In June 2026, ZEEKR achieved deliveries of 35,169 units, a year-on-year growth of 110.6% and a "
                  "month-on-month growth of 2.3%. The monthly deliveries have exceeded 30,000 units for three "
                  "consecutive months.\n\n- Q2 deliveries: 101,333 units, YoY +105.4%, QoQ +31.5%",
                  published="2026-07-01")
    assert {r["value"]: r["change"] for r in got if r["unit"] == "percent"} == {
        110.6: "yoy", 2.3: "mom", 105.4: "yoy", 31.5: "qoq"}
    assert 30000.0 not in [r["value"] for r in got]
    got = facts("Xiaomi said deliveries exceeded 40,000 in October for the second month in a row.",
                published="2025-11-01")
    assert [f[3:7] for f in got] == [("2025-10", 40000.0, "vehicles", "lower")]  # no exact figure: a fact


def test_a_results_story_reads_quarter_ranges_model_breakdowns_and_own_years():
    got = records("Xiaomi delivered 108,796 cars in the third quarter. Deliveries in the July-to-September period rose "
                  "173.4% from a year earlier. Through the first nine months the company delivered 266,722 cars, "
                  "almost double the 139,471 it handed over in the whole of 2024. The YU7 accounted for 33,662 of "
                  "October's deliveries and the SU7 for the remaining 14,992. That put deliveries for January to "
                  "October at 315,376. By our arithmetic, reaching the goal requires about 84,600 more deliveries, or "
                  "roughly 42,300 a month.", published="2025-11-18")
    got = {r["value"]: (r["entity_id"], r["scope"], r["period"]) for r in got}
    assert got[173.4] == ("xiaomi", "quarter", "2025-Q3")
    assert got[139471.0] == ("xiaomi", "year", "2024")
    assert got[315376.0] == ("xiaomi", "ytd", "2025-01/2025-10")
    assert 42300.0 not in got and 84600.0 not in got


def test_a_climb_from_month_to_month_gives_each_figure_its_month():
    got = facts("Xiaomi's monthly deliveries climbed through the quarter, from 30,452 in July and 36,396 in August to "
                "41,948 in September.", published="2025-11-18")
    assert [f[3:5] for f in got] == [("2025-07", 30452.0), ("2025-08", 36396.0), ("2025-09", 41948.0)]


def test_a_base_handed_over_in_the_same_period_of_a_year():
    got = facts("Xiaomi delivered 25,459 cars in June. First-half deliveries came to 157,926, more than five times "
                "the 29,984 handed over in the same period of 2024.", published="2025-07-01")
    assert ("half", "2024-H1", 29984.0) in [f[2:5] for f in got]


def test_a_year_earlier_lead_and_a_list_of_months_after_a_figure():
    got = facts("Xiaomi delivered 25,459 cars in June. Over the full first half Xiaomi delivered 157,926 cars. A year "
                "earlier its first-half total had been 29,984, all of it delivered in April, May and June. Since that "
                "first handover the company has delivered close to 300,000 vehicles in total. Its total for the year "
                "so far is about 72,000 vehicles behind where it stood a year ago.", published="2025-07-01")
    assert [f[2:5] for f in got] == [("month", "2025-06", 25459.0), ("half", "2025-H1", 157926.0),
                                     ("half", "2024-H1", 29984.0), ("cumulative", "2025-06", 300000.0)]


def test_a_ranking_entry_reads_ratios_bases_and_goals_of_the_year():
    got = records("**4. XPeng — 429,445**\n\nXPeng delivered 429,445 cars in 2025. XPeng more than doubled its "
                  "deliveries, a rise of 125.9%, and comfortably beat its 380,000 goal.\n\n**6. Li Auto — 406,343**\n\n"
                  "Li Auto delivered 406,343 cars in 2025. Deliveries fell 18.8% from 500,508. HIMA delivered 589,000 "
                  "cars, well below the one million it was reported to be aiming for. Together the makers delivered "
                  "about 2.98 million vehicles, by our count.", published="2026-01-21")
    got = {(r["value"], r["unit"]): (r["period"], r["kind"]) for r in got}
    assert got[(2.0, "times")] == ("2025", "actual")
    assert got[(500508.0, "vehicles")] == ("2024", "actual")
    assert got[(1000000.0, "vehicles")] == ("2025", "target")
    assert (2980000.0, "vehicles") not in got


def test_an_analysis_leaves_out_gaps_group_sums_and_shares_and_dates_bases():
    got = records("In 2022 the four were separated by barely 22,000 cars. XPeng's deliveries grew just 17.3% in 2023, "
                  "to 141,601 from 120,757. Li Auto delivered 376,030 cars in 2023. Growth slowed to 33.1% last "
                  "year, but that still took the company to 500,508 handovers. By the end of 2024 Leapmotor "
                  "had delivered close to 600,000 vehicles since it started, roughly level with XPeng. The four "
                  "together delivered about 1.21 million cars last year. Li Auto accounted for about 41% of that, up "
                  "from 27% two years earlier.", published="2025-01-16")
    got = {(r["value"], r["unit"]): (r["entity_id"], r["period"]) for r in got}
    assert got[(120757.0, "vehicles")] == ("xpeng", "2022")
    assert got[(33.1, "percent")] == ("li-auto", "2024")
    assert got[(600000.0, "vehicles")][0] == "leapmotor"
    assert not {(22000.0, "vehicles"), (1210000.0, "vehicles"), (27.0, "percent")} & set(got)


def test_a_base_told_with_when_and_a_possessive_record_keep_their_months():
    got = facts("NIO delivered 20,462 cars in July. Deliveries were 91.1% higher than in June, when NIO handed over "
                "10,707 vehicles. It was the first month in which the carmaker delivered more than 20,000 vehicles. "
                "The figure was 43.5% lower than December's record 48,135.", published="2023-08-01")
    got = {f[4]: f[3] for f in got if f[5] == "vehicles"}
    assert got == {20462.0: "2023-07", 10707.0: "2023-06", 20000.0: "2023-07", 48135.0: "2022-12"}


def test_a_year_earlier_when_and_the_same_six_months_and_a_january_march_quarter():
    got = facts("XPeng delivered 11,008 cars in July. The July tally was still 4.5% lower than a year earlier, when "
                "XPeng handed over 11,524 cars.", published="2023-08-01")
    assert ("month", "2022-07", 11524.0) in [f[2:5] for f in got]
    got = facts("BYD sold 16.13 lakh NEVs in the first half of 2024, while Tesla's Shanghai factory recorded wholesale "
                "volumes of 4.27 lakh units over the same six months. BYD's April-June sales rose 57.6% over the 6.26 "
                "lakh units of the January-March quarter.", published="2024-07-05")
    got = {f[4]: f[2:4] for f in got if f[5] == "vehicles"}
    assert got[427000.0] == ("half", "2024-H1") and got[626000.0] == ("quarter", "2024-Q1")


def test_a_base_from_a_months_figure_does_not_set_the_month_talked_about():
    got = facts("NIO Inc. delivered 20,976 vehicles in October 2024. The total slipped slightly from September's "
                "21,181. The core NIO brand delivered 16,657 vehicles.", published="2024-11-01")
    assert [f[3:5] for f in got] == [("2024-10", 20976.0), ("2024-09", 21181.0), ("2024-10", 16657.0)]


def test_an_earlier_goal_after_from_is_for_the_same_year_and_my_model_is_a_forecast():
    got = facts("Leapmotor is raising its full-year sales target to between 580,000 and 650,000 vehicles, from the "
                "500,000 to 600,000 that it set out last November. My model had Leapmotor delivering about 600,000 "
                "this year.", published="2025-08-20")
    assert [(f[3], f[4], f[7]) for f in got] == [("2025", 580000.0, "target"), ("2025", 650000.0, "target"),
                                                 ("2025", 500000.0, "target"), ("2025", 600000.0, "target"),
                                                 ("2025", 600000.0, "expected")]


def test_an_untracked_model_and_two_months_combined():
    got = facts("Li Auto delivered 33,181 vehicles in November. With 64,948 units delivered in October and November "
                "combined, it needs more in December. In October, Li Auto's i8 SUV accounted for 6,000 units while "
                "the L6 contributed about 12,000.", published="2025-12-01")
    assert [f[:5] for f in got] == [("li-auto", "deliveries", "month", "2025-11", 33181.0),
                                    ("li-auto", "deliveries", "ytd", "2025-10/2025-11", 64948.0),
                                    ("li-auto-l6", "deliveries", "month", "2025-10", 12000.0)]


def test_compared_to_a_month_before_the_change_and_a_base_across_while():
    got = records("Tesla's Giga Shanghai delivered 61,497 vehicles in October. Compared to September, when the factory "
                  "shipped 90,812 units, October's figure was down 32.3%. XPeng's October deliveries of 42,013 units "
                  "marked a 76% increase compared to the same period last year, while NIO delivered 40,397 vehicles, "
                  "up 92.6% YoY.", published="2025-11-05")
    got = {r["value"]: (r["period"], r.get("change")) for r in got}
    assert got[-32.3] == ("2025-10", "mom")
    assert got[40397.0][0] == "2025-10" and got[92.6] == ("2025-10", "yoy")


def test_an_annual_target_cut_in_a_month_is_for_the_year():
    got = facts("BYD sold 480,186 vehicles in November. The company cut its annual target from 5.5 million in "
                "September. Analysts expect December sales of around 420,000.", published="2025-12-01")
    assert [f[2:5] + f[7:] for f in got] == [("month", "2025-11", 480186.0, "actual"),
                                             ("year", "2025", 5500000.0, "target"),
                                             ("month", "2025-12", 420000.0, "expected")]


def test_a_change_after_a_brand_breakdown_is_the_totals():
    got = records("NIO Inc. said vehicle deliveries were 87,071 in the third quarter of 2025, consisting of 36,928 "
                  "vehicles from the NIO brand, 37,656 from the ONVO brand and 12,487 from the firefly brand, "
                  "representing an increase of 40.8% from the third quarter of 2024.", published="2025-11-25")
    assert [(r["entity_id"], r["period"], r["change"]) for r in got if r["unit"] == "percent"] == [
        ("nio", "2025-Q3", "yoy")]


def test_a_link_to_another_article_is_not_read():
    got = facts("XPeng delivered 42,013 vehicles in October, a new monthly record.\n\nRelated: Leapmotor tops 70,000 "
                "for the first time\n\nRead more: NIO's deliveries rise 92.6% to 40,397\n\nThe company has now "
                "delivered more than 30,000 units for eight months in a row.", published="2025-11-01")
    assert [f[:5] for f in got] == [("xpeng", "deliveries", "month", "2025-10", 42013.0)]


def test_a_year_goal_set_in_a_month_analysts_who_see_and_evs_before_a_date():
    got = facts("Xiaomi had raised its 2025 delivery target to 350,000 in March from 300,000. Analysts at one bank now "
                "see the carmaker shipping about 400,000 vehicles this year. The company handed over 135,000 EVs last "
                "year.", published="2025-11-01")
    assert [(f[2], f[3], f[4], f[7]) for f in got] == [("year", "2025", 350000.0, "target"),
                                                       ("year", "2025", 300000.0, "target"),
                                                       ("year", "2025", 400000.0, "expected"),
                                                       ("year", "2024", 135000.0, "actual")]


def test_comparison_words_are_whole_words():
    got = records("BYD's sales rose 41% to 4.27 million vehicles in 2024. XPeng's deliveries rose 10% to 30,000 in a "
                  "month of handover events in March.", published="2025-04-02")
    assert {r["value"]: r["change"] for r in got if r["unit"] == "percent"} == {41.0: "yoy", 10.0: "yoy"}


def test_a_duration_is_dated_by_the_dated_telling_of_its_milestone():
    got = records("Leapmotor crosses 1 million cumulative deliveries\n\nLeapmotor said on Tuesday that its 1,000,000th "
                  "vehicle had been delivered. It took the EV maker just 12 months to go from 500,000 to 1 million "
                  "deliveries.", published="2025-11-11")
    assert [(r["period"], r["from_threshold"], r["to_threshold"]) for r in got if r["unit"] == "months"] == [
        ("2025-11-11", 500000, 1000000)]


def test_a_broker_preview_is_for_the_month_and_may_was_the_first_month():
    got = facts("XPeng delivered 11,024 vehicles in May. May was the first month of 2024 in which XPeng's deliveries "
                "exceeded 10,000 units.", published="2024-06-03")
    assert ("month", "2024-05", 10000.0) in [f[2:5] for f in got]
    got = facts("It is delivery day for June. A broker's preview had NIO at about 20,000 and Li Auto at around 45,000.",
                published="2024-07-01")
    assert [f[2:5] + f[7:] for f in got] == [("month", "2024-06", 20000.0, "expected"),
                                             ("month", "2024-06", 45000.0, "expected")]


def test_a_model_named_as_an_event_is_not_the_subject():
    got = facts("Xiaomi delivered 82,057 cars in the second quarter. The arrival of the YU7 sport utility vehicle, "
                "which reached its first customers on July 6, changed the pace: volume jumped 32.6% to 108,796 in "
                "the third quarter.", published="2026-01-05")
    assert {f[0] for f in got} == {"xiaomi"}


def test_a_best_month_so_far_is_a_rank_not_a_year_to_date_total():
    got = facts("XPeng delivered 20,000 cars in September. In October, XPeng had its best month of 2024 so far, "
                "handing 23,917 cars to customers.", published="2024-11-03")
    assert [f[2:5] for f in got] == [("month", "2024-09", 20000.0), ("month", "2024-10", 23917.0)]


def test_the_growth_a_target_implies_is_the_targets():
    got = records("Leapmotor wants to deliver 1 million vehicles in 2026. It handed over 596,555 last year, so the "
                  "target implies growth of 67.6%.", published="2026-01-20")
    assert [(r["kind"], r["period"], r["change"]) for r in got if r["unit"] == "percent"] == [
        ("target", "2026", "vs 2025")]
