"""find_dates: spans, periods, precision and resolution against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from evpace.extract.dates import DateMatch, find_dates

PUB = dt.date(2025, 12, 2)


def the(text: str, span: str, published: dt.date | None = PUB, context_year: int | None = None) -> DateMatch:
    """The one date whose text is ``span`` (and check every span indexes the text)."""
    found = find_dates(text, published, context_year)
    for d in found:
        assert text[d.start:d.end] == d.text
    hits = [d for d in found if d.text == span]
    assert len(hits) == 1, (span, found)
    return hits[0]


# (sentence, span, period, precision, relative, qualifier); published 2 December 2025
CASES = [
    # full dates
    ("The update shipped on Oct. 15, 2024, to owners.", "Oct. 15, 2024", "2024-10-15", "day", False, None),
    ("The update shipped on October 15, 2024.", "October 15, 2024", "2024-10-15", "day", False, None),
    ("The update shipped on 15 October 2024.", "15 October 2024", "2024-10-15", "day", False, None),
    ("The update shipped on 2024-10-15.", "2024-10-15", "2024-10-15", "day", False, None),
    ("更新于2024年10月15日推送。", "2024年10月15日", "2024-10-15", "day", False, None),
    # days and months without a year
    ("The car launched on Sept. 25 in Beijing.", "Sept. 25", "2025-09-25", "day", True, None),
    ("Orders opened on Jan. 13 online.", "Jan. 13", "2025-01-13", "day", True, None),
    ("Deliveries begin on Dec. 5, the maker said.", "Dec. 5", "2025-12-05", "day", True, None),
    ("Prices were cut on Dec. 20 nationwide.", "Dec. 20", "2024-12-20", "day", True, None),
    ("公司10月交付新车。", "10月", "2025-10", "month", True, None),
    ("Sales jumped in November.", "November", "2025-11", "month", True, None),
    ("Sales jumped in December.", "December", "2025-12", "month", True, None),
    ("Output recovered by mid-October.", "mid-October", "2025-10", "month", True, "mid"),
    # relative phrases
    ("Sales rose last month.", "last month", "2025-11", "month", True, None),
    ("Sales rose this month.", "this month", "2025-12", "month", True, None),
    ("Sales rose last year.", "last year", "2024", "year", True, None),
    ("Sales rose this year.", "this year", "2025", "year", True, None),
    ("Sales should rise next year.", "next year", "2026", "year", True, None),
    ("Sales fell last quarter.", "last quarter", "2025-Q3", "quarter", True, None),
    ("Sales rose in the final quarter.", "final quarter", "2025-Q4", "quarter", True, None),
    ("Sales rose in the last quarter of 2024.", "last quarter of 2024", "2024-Q4", "quarter", False, None),
    ("The plant opened today.", "today", "2025-12-02", "day", True, None),
    ("The plant opened yesterday.", "yesterday", "2025-12-01", "day", True, None),
    ("Output peaked in early next year.", "early next year", "2026", "year", True, "early"),
    ("It aims to break even by year-end.", "year-end", "2025", "year", True, "end"),
    # months, quarters and halves with a year
    ("Deliveries in December 2025 set a record.", "December 2025", "2025-12", "month", False, None),
    ("Deliveries in Dec 2025 set a record.", "Dec 2025", "2025-12", "month", False, None),
    ("Deliveries in Q3 2025 set a record.", "Q3 2025", "2025-Q3", "quarter", False, None),
    ("Deliveries in Q3'25 set a record.", "Q3'25", "2025-Q3", "quarter", False, None),
    ("Deliveries in 3Q25 set a record.", "3Q25", "2025-Q3", "quarter", False, None),
    ("Deliveries in 2025 Q3 set a record.", "2025 Q3", "2025-Q3", "quarter", False, None),
    ("Results for the third quarter of 2025 beat forecasts.", "third quarter of 2025", "2025-Q3", "quarter",
     False, None),
    ("Sales in the first half of 2024 doubled.", "first half of 2024", "2024-H1", "half", False, None),
    ("First-half 2024 sales doubled.", "First-half 2024", "2024-H1", "half", False, None),
    ("Sales in H1 2024 doubled.", "H1 2024", "2024-H1", "half", False, None),
    ("Sales in 1H24 doubled.", "1H24", "2024-H1", "half", False, None),
    ("Sales in the fourth quarter of last year fell.", "fourth quarter of last year", "2024-Q4", "quarter",
     True, None),
    ("Sales in the second half of this year rose.", "second half of this year", "2025-H2", "half", True,
     None),
    ("Sales in the fourth quarter rose.", "fourth quarter", "2025-Q4", "quarter", True, None),
    ("Q3 deliveries rose.", "Q3", "2025-Q3", "quarter", True, None),
    # years and qualifiers
    ("The brand will enter Europe in 2026.", "2026", "2026", "year", False, None),
    ("A second plant opens in 2027.", "2027", "2027", "year", False, None),
    ("The SUV arrives in early 2024.", "early 2024", "2024", "year", False, "early"),
    ("The SUV arrives in late 2025.", "late 2025", "2025", "year", False, "late"),
    ("The SUV arrives in mid-2025.", "mid-2025", "2025", "year", False, "mid"),
    ("The SUV arrives by the end of 2025.", "end of 2025", "2025", "year", False, "end"),
    # ranges and year-to-date
    ("Sales in January–November 2025 rose.", "January–November 2025", "2025-01/2025-11", "ytd", False, None),
    ("Sales in January-November 2025 rose.", "January-November 2025", "2025-01/2025-11", "ytd", False, None),
    ("Sales in Jan-Nov rose.", "Jan-Nov", "2025-01/2025-11", "ytd", True, None),
    ("Sales in the first 11 months of 2025 rose.", "first 11 months of 2025", "2025-01/2025-11", "ytd", False,
     None),
    ("Sales in the first three quarters rose.", "first three quarters", "2025-01/2025-09", "ytd", True, None),
    ("Sales in Q1-Q3 2025 rose.", "Q1-Q3 2025", "2025-01/2025-09", "ytd", False, None),
    ("Sales in March–May 2025 rose.", "March–May 2025", "2025-03/2025-05", "range", False, None),
    ("Sales in November 2024–February 2025 rose.", "November 2024–February 2025", "2024-11/2025-02", "range",
     False, None),
    ("Year-to-date sales rose.", "Year-to-date", "2025-01/2025-11", "ytd", True, None),
    ("Sales so far this year rose.", "so far this year", "2025-01/2025-11", "ytd", True, None),
    ("YTD sales rose.", "YTD", "2025-01/2025-11", "ytd", True, None),
    # Chinese periods
    ("2025年1-11月销量增长。", "2025年1-11月", "2025-01/2025-11", "ytd", False, None),
    ("今年前11个月销量增长。", "今年前11个月", "2025-01/2025-11", "ytd", True, None),
    ("1-10月销量增长。", "1-10月", "2025-01/2025-10", "ytd", True, None),
    ("上半年销量增长。", "上半年", "2025-H1", "half", True, None),
    ("2025年第三季度销量增长。", "2025年第三季度", "2025-Q3", "quarter", False, None),
    ("去年销量增长。", "去年", "2024", "year", True, None),
    ("今年底将投产。", "今年底", "2025", "year", True, "end"),
    ("2025年底将投产。", "2025年底", "2025", "year", False, "end"),
    # analysts' shorthand: fiscal/calendar years, estimates, first N months, month-year
    ("Volumes for FY2024 rose.", "FY2024", "2024", "year", False, None),
    ("The FY24 total rose.", "FY24", "2024", "year", False, None),
    ("Our CY 2026 view is unchanged.", "CY 2026", "2026", "year", False, None),
    ("We cut our 2026E number.", "2026E", "2026", "year", False, "estimate"),
    ("We cut our FY26E number.", "FY26E", "2026", "year", False, "estimate"),
    ("Deliveries in 1Q26E look soft.", "1Q26E", "2026-Q1", "quarter", False, "estimate"),
    ("After 11M24 deliveries of 400k.", "11M24", "2024-01/2024-11", "ytd", False, None),
    ("A record Sep-24 print.", "Sep-24", "2024-09", "month", False, None),
    ("As at 31/03/2025, it had delivered more.", "31/03/2025", "2025-03-31", "day", False, None),
    ("Sales in the first six months of 2025 rose.", "first six months of 2025", "2025-H1", "half", False, None),
    ("It sold 9,000 in the final three months of 2024.", "final three months of 2024", "2024-Q4", "quarter", False,
     None),
    ("Output in the last six months of 2025 doubled.", "last six months of 2025", "2025-H2", "half", False, None),
    ("Sales in the first three months of 2025 rose.", "first three months of 2025", "2025-Q1", "quarter", False,
     None),
    ("On 03/31/2025 it had delivered more.", "03/31/2025", "2025-03-31", "day", False, None),
]


@pytest.mark.parametrize(("text", "span", "period", "precision", "relative", "qualifier"), CASES)
def test_dates(text: str, span: str, period: str, precision: str, relative: bool,
               qualifier: str | None) -> None:
    d = the(text, span)
    assert (d.period, d.precision, d.relative, d.qualifier) == (period, precision, relative, qualifier)


@pytest.mark.parametrize(
    ("text", "span", "published", "period"),
    [
        ("Sales jumped in December.", "December", dt.date(2025, 10, 10), "2024-12"),
        ("Sales in the fourth quarter rose.", "fourth quarter", dt.date(2025, 8, 1), "2024-Q4"),
        ("Orders opened on Jan. 13 online.", "Jan. 13", dt.date(2026, 1, 8), "2026-01-13"),
        ("Year-to-date sales rose.", "Year-to-date", dt.date(2026, 1, 5), "2026-01/2026-01"),
        ("Sales in Jan-Nov rose.", "Jan-Nov", dt.date(2026, 1, 5), "2025-01/2025-11"),
        ("Sales rose last month.", "last month", dt.date(2026, 1, 5), "2025-12"),
    ],
)
def test_resolution_follows_publication(text: str, span: str, published: dt.date, period: str) -> None:
    assert the(text, span, published).period == period


def test_without_publication_date() -> None:
    text = "Deliveries on Sept. 25 and in December beat last month, and Q3 and 2025 were strong."
    got = {d.text: (d.period, d.relative) for d in find_dates(text)}
    assert got == {"Sept. 25": (None, True), "December": (None, True), "last month": (None, True),
                   "Q3": (None, True), "2025": ("2025", False)}
    got = {d.text: d.period for d in find_dates(text, context_year=2024)}
    assert got == {"Sept. 25": "2024-09-25", "December": "2024-12", "last month": None, "Q3": "2024-Q3",
                   "2025": "2025"}


def test_datetime_published_is_accepted() -> None:
    assert the("Sales rose last month.", "last month", dt.datetime(2025, 12, 2, 8, 30)).period == "2025-11"


NOT_DATES = [
    "Prices may rise, and buyers march on.",
    "The plant built 2026 units and 2,026 vehicles.",
    "The SU7 and the ES8 each cost $2025 more.",
    "Sales grew 2025% in the quarter, the firm said in 1985.",
    "The 1,000th car left the line.",
    "The 2026E-class sedan and the Model 3E trim.",
    "On 03/04/2025 (day and month could be either way round).",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert find_dates(text, PUB) == []


def test_paragraph_offsets_and_order() -> None:
    text = (
        "BYD said on Dec. 1, 2025 that it delivered 480,000 vehicles in November, up 12% from last year.\n"
        "(In the first 11 months of 2025 it sold 4.2 million; the target for 2026 is higher.)"
    )
    found = find_dates(text, PUB)
    assert found == find_dates(text, PUB)
    assert [(d.text, d.period) for d in found] == [
        ("Dec. 1, 2025", "2025-12-01"), ("November", "2025-11"), ("last year", "2024"),
        ("first 11 months of 2025", "2025-01/2025-11"), ("2026", "2026"),
    ]
    assert [d.start for d in found] == sorted(d.start for d in found)


def test_through_a_month_is_the_year_to_date():
    got = [(d.text, d.period, d.precision) for d in find_dates("240k delivered through July", dt.date(2024, 8, 5))]
    assert got == [("through July", "2024-01/2024-07", "ytd")]
    got = [(d.text, d.period, d.precision) for d in find_dates("from April through July", dt.date(2024, 8, 5))]
    assert got == [("April through July", "2024-04/2024-07", "range")]


def test_a_quarter_or_half_in_analysts_shorthand_without_a_year():
    got = [(d.text, d.period, d.precision) for d in find_dates("4Q guide 120-125k; 1H results", dt.date(2025, 12, 2))]
    assert got == [("4Q", "2025-Q4", "quarter"), ("1H", "2025-H1", "half")]
    assert find_dates("the 5Q plan", dt.date(2025, 12, 2)) == []
