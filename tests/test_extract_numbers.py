"""find_numbers: values, spans, bound hints and flags on hand-written sentences."""

from __future__ import annotations

import random

import pytest

from evpace.extract.dates import find_dates
from evpace.extract.numbers import NumberMatch, drop_overlapping, find_numbers, overlaps


def the(text: str, span: str) -> NumberMatch:
    """The one number whose text is ``span`` (and check every span indexes the text)."""
    found = find_numbers(text)
    for n in found:
        assert text[n.start:n.end] == n.text
    hits = [n for n in found if n.text == span]
    assert len(hits) == 1, (span, found)
    return hits[0]


# (sentence, span, value, bound_hint, is_percent, is_money, unit)
CASES = [
    # multipliers and separators
    ("Output reached 1 million units last year.", "1 million", 1e6, None, False, False, "vehicles"),
    ("It has assembled 1,000,000 battery packs.", "1,000,000", 1e6, None, False, False, None),
    ("Its fleet now tops one million worldwide.", "one million", 1e6, "lower", False, False, None),
    ("Sales crossed a million during the spring.", "a million", 1e6, "lower", False, False, None),
    ("The new line can make 550k packs a year.", "550k", 550_000, None, False, False, None),
    ("Registrations hit 550K in the region.", "550K", 550_000, None, False, False, None),
    ("Shipments were 2.8638 million vehicles.", "2.8638 million", 2_863_800, None, False, False, "vehicles"),
    ("The group shipped 1.05m scooters.", "1.05m", 1_050_000, None, False, False, None),
    ("Group deliveries came to 1.2 mln.", "1.2 mln", 1_200_000, None, False, False, None),
    ("It now counts 410,000-plus owners.", "410,000-plus", 410_000, "lower", False, False, None),
    ("It sold over 410,000 vehicles.", "410,000", 410_000, "lower", False, False, "vehicles"),
    ("Exports were 1.5 billion in value.", "1.5 billion", 1.5e9, None, False, False, None),
    ("Two-wheeler makers sold 150 thousand units.", "150 thousand", 150_000, None, False, False, "vehicles"),
    # Indian forms
    ("Scooter sales were 1 lakh in May.", "1 lakh", 1e5, None, False, False, None),
    ("The maker sold 2.5 lakh cars.", "2.5 lakh", 250_000, None, False, False, "vehicles"),
    ("Revenue crossed 1 crore for the dealer.", "1 crore", 1e7, "lower", False, False, None),
    ("Retail volume was 2,19,432 units.", "2,19,432", 219_432, None, False, False, "vehicles"),
    ("The state registered 12,34,567 vehicles.", "12,34,567", 1_234_567, None, False, False, "vehicles"),
    ("It plans to invest Rs 1.5 lakh crore.", "Rs 1.5 lakh crore", 1.5e12, None, False, True, "INR"),
    # Chinese forms
    ("公司今年交付38.63万辆。", "38.63万", 386_300, None, False, False, "vehicles"),
    ("累计销量38.63万。", "38.63万", 386_300, None, False, False, None),
    ("营收1.2亿元。", "1.2亿元", 1.2e8, None, False, True, "CNY"),
    ("估值1.2亿。", "1.2亿", 1.2e8, None, False, False, None),
    ("本月交付5000辆。", "5000", 5000, None, False, False, "vehicles"),
    ("销量超过100万辆。", "100万", 1e6, "lower", False, False, "vehicles"),
    ("第100万辆新车下线。", "100万", 1e6, None, False, False, "ordinal"),
    # number words
    ("Some twenty thousand buyers waited.", "twenty thousand", 20_000, "approx", False, False, None),
    ("It built seventy-five prototypes.", "seventy-five", 75, None, False, False, None),
    ("They had one hundred and fifty thousand orders.", "one hundred and fifty thousand", 150_000, None,
     False, False, None),
    ("Nearly half a million people visited.", "half a million", 500_000, "approx", False, False, None),
    ("The team tested twelve cars.", "twelve", 12, None, False, False, "vehicles"),
    ("It has two hundred twenty-one stores.", "two hundred twenty-one", 221, None, False, False, None),
    ("It sold three million four hundred thousand.", "three million four hundred thousand", 3_400_000, None,
     False, False, None),
    # ordinals
    ("Its 1 millionth car left the plant.", "1 millionth", 1e6, None, False, False, "ordinal"),
    ("The brand built its 500,000th EV.", "500,000th", 500_000, None, False, False, "ordinal"),
    ("Workers cheered the 270,000th unit.", "270,000th", 270_000, None, False, False, "ordinal"),
    ("The 10,000th SUV was painted gold.", "10,000th", 10_000, None, False, False, "ordinal"),
    ("They celebrated the millionth vehicle.", "millionth", 1e6, None, False, False, "ordinal"),
    # percentages and multiples
    ("Sales rose 34% on the month.", "34%", 34, None, True, False, None),
    ("Sales rose 34 percent on the month.", "34 percent", 34, None, True, False, None),
    ("Sales rose 34 per cent on the month.", "34 per cent", 34, None, True, False, None),
    ("Sales rose 34 % on the month.", "34 %", 34, None, True, False, None),
    ("Sales fell −7.1 % in 2025.", "−7.1 %", -7.1, None, True, False, None),
    ("Margins changed by -5.2% in the quarter.", "-5.2%", -5.2, None, True, False, None),
    ("Its share gained 2.5 percentage points.", "2.5 percentage points", 2.5, None, True, False, "pp"),
    ("Volume grew 2.3 times from a year ago.", "2.3 times", 2.3, None, False, False, "times"),
    ("Volume grew 2.3x from a year ago.", "2.3x", 2.3, None, False, False, "times"),
    ("Volume grew 2.3-fold from a year ago.", "2.3-fold", 2.3, None, False, False, "times"),
    # money
    ("The sedan starts at CNY 200,000.", "CNY 200,000", 200_000, None, False, True, "CNY"),
    ("The sedan starts at RMB 200,000.", "RMB 200,000", 200_000, None, False, True, "CNY"),
    ("The firm raised RMB10bn from banks.", "RMB10bn", 1e10, None, False, True, "CNY"),
    ("It is priced at 229,900 yuan.", "229,900 yuan", 229_900, None, False, True, "CNY"),
    ("It lost 3 billion yuan.", "3 billion yuan", 3e9, None, False, True, "CNY"),
    ("The hatchback costs ¥99,800.", "¥99,800", 99_800, None, False, True, None),
    ("The pickup costs $35,000.", "$35,000", 35_000, None, False, True, "USD"),
    ("It raised US$1.5 billion in the offering.", "US$1.5 billion", 1.5e9, None, False, True, "USD"),
    ("The grant was USD 12 million.", "USD 12 million", 12e6, None, False, True, "USD"),
    ("The compact costs €40,000 in Germany.", "€40,000", 40_000, None, False, True, "EUR"),
    ("The deal was worth HK$5 billion.", "HK$5 billion", 5e9, None, False, True, "HKD"),
    ("Capital spending exceeded $2bn.", "$2bn", 2e9, "lower", False, True, "USD"),
    # measures
    ("The pack stores 75 kWh of energy.", "75", 75, None, False, False, "kWh"),
    ("The range is up to 500 km per charge.", "500", 500, "upper", False, False, "km"),
    # years that are counts
    ("The plant built 2,026 vehicles that week.", "2,026", 2026, None, False, False, "vehicles"),
    ("The plant built 2026 units that week.", "2026", 2026, None, False, False, "vehicles"),
    ("The plant built 2040 cars that week.", "2040", 2040, None, False, False, "vehicles"),
]


@pytest.mark.parametrize(("text", "span", "value", "bound", "pct", "money", "unit"), CASES)
def test_figures(text: str, span: str, value: float, bound: str | None, pct: bool, money: bool,
                 unit: str | None) -> None:
    n = the(text, span)
    assert n.value == pytest.approx(value)
    assert (n.bound_hint, n.is_percent, n.is_money, n.unit) == (bound, pct, money, unit)


BOUNDS = [
    ("more than 5,000", "lower"), ("above 5,000", "lower"), ("exceeding 5,000", "lower"),
    ("in excess of 5,000", "lower"), ("topped 5,000", "lower"), ("surpassed 5,000", "lower"),
    ("at least 5,000", "lower"), ("beyond 5,000", "lower"), ("north of 5,000", "lower"),
    ("over 5,000", "lower"), ("topped the 5,000", "lower"), ("well over 5,000", "lower"),
    ("nearly 5,000", "approx"), ("almost 5,000", "approx"), ("close to 5,000", "approx"),
    ("just under 5,000", "upper"), ("about 5,000", "approx"), ("around 5,000", "approx"),
    ("roughly 5,000", "approx"), ("approximately 5,000", "approx"), ("some 5,000", "approx"),
    ("~5,000", "approx"), ("under 5,000", "upper"), ("less than 5,000", "upper"),
    ("below 5,000", "upper"), ("fewer than 5,000", "upper"), ("up to 5,000", "upper"),
    ("no more than 5,000", "upper"), ("5,000+", "lower"), ("5,000 or more", "lower"),
    ("5,000 or so", "approx"), ("handed over 5,000", None), ("exactly 5,000", None), ("5,000", None),
]


@pytest.mark.parametrize(("phrase", "bound"), BOUNDS)
def test_bound_hints(phrase: str, bound: str | None) -> None:
    text = f"The brand said {phrase} cars reached buyers in the period."
    found = find_numbers(text)
    assert len(found) == 1, found
    assert found[0].value == 5000
    assert found[0].bound_hint == bound
    assert found[0].text in ("5,000", "5,000+")


@pytest.mark.parametrize(
    ("text", "first", "value", "pct", "money"),
    [
        ("It expects 1-1.5 million sales.", "1", 1e6, False, False),
        ("It expects 1 to 1.5 million sales.", "1", 1e6, False, False),
        ("Margins of 20-30% are normal.", "20", 20, True, False),
        ("Margins between 20 and 30 percent are normal.", "20", 20, True, False),
        ("Funding of $1-1.5bn is needed.", "$1", 1e9, False, True),
    ],
)
def test_ranges_share_multiplier(text: str, first: str, value: float, pct: bool, money: bool) -> None:
    found = find_numbers(text)
    assert len(found) == 2
    low = found[0]
    assert (low.text, low.value, low.is_percent, low.is_money) == (first, value, pct, money)
    assert found[1].is_money == money


NOT_NUMBERS = [
    "In 2026 the brand plans a new SUV.",
    "Deliveries in Q3 and H1 rose, as did 1H24 and 3Q25 orders.",
    "The SU7, M9, ES8, L60, X9, MONA M03 and G3 sold well.",
    "The Model 3 and the Zeekr 001 topped the charts.",
    "Level 2 driver assistance is standard, as is Gen 2 software.",
    "2024年10月15日发布。",
    "Buyers like three-row SUVs despite one-off costs.",
    "It is one of the best sellers.",
    "Buyers said one two times.",
    "The event started at 10:30 on the dot.",
    "Growth resumed by 1999 and slowed after 2008.",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_numbers(text: str) -> None:
    assert find_numbers(text) == []


def test_day_of_date_dropped_with_overlaps() -> None:
    text = "On Oct. 15, 2024, the company sold 5,000 cars."
    numbers = find_numbers(text)
    assert [n.text for n in numbers] == ["15", "5,000"]
    dates = find_dates(text)
    assert [d.text for d in dates] == ["Oct. 15, 2024"]
    assert [n.text for n in drop_overlapping(numbers, dates)] == ["5,000"]
    assert overlaps(numbers[0], dates[0]) and not overlaps(numbers[1], dates[0])
    assert overlaps((0, 5), (4, 9)) and not overlaps((0, 5), (5, 9))


def test_pure_and_offsets_on_a_paragraph() -> None:
    text = (
        "The carmaker delivered 412,300 vehicles in November, up 18.4% from a year earlier. "
        "Its premium brand sold nearly 25,000 cars, and exports topped 130,000.\n"
        "(Revenue rose to RMB 28.5 billion; the net loss narrowed to US$180 million.)"
    )
    first = find_numbers(text)
    assert first == find_numbers(text)
    assert [(n.text, n.value) for n in first] == [
        ("412,300", 412_300), ("18.4%", 18.4), ("25,000", 25_000), ("130,000", 130_000),
        ("RMB 28.5 billion", 28.5e9), ("US$180 million", 180e6),
    ]
    for n in first:
        assert text[n.start:n.end] == n.text


@pytest.mark.parametrize("style", ["western", "indian"])
def test_random_grouped_integers(style: str) -> None:
    rng = random.Random(20251202)
    for _ in range(400):
        n = rng.randrange(0, 10 ** rng.randint(1, 11))
        text = f"The group delivered {_group(n, style)} vehicles in total."
        found = find_numbers(text)
        assert [m.value for m in found] == [n], text


def _group(n: int, style: str) -> str:
    if style == "western" or n < 1000:
        return f"{n:,}"
    head, tail = str(n)[:-3], str(n)[-3:]
    pairs = []
    while len(head) > 2:
        head, pairs = head[:-2], [head[-2:], *pairs]
    return ",".join([head, *pairs, tail])
