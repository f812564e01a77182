#!/usr/bin/env python3
"""Writes heldout/gold/*.jsonl from the compact fact lists below (the source of the gold).

Row: (entity_id, metric, scope, period, value, text, **opts) where opts are unit, bound, kind,
change, ft (from_threshold), tt (to_threshold). Defaults: vehicles, exact, actual, "", None, None.
"""
import json
from pathlib import Path

D, S, P, ORD = "deliveries", "sales", "production", "orders"
M, Q, H, Y, YTD, C = "month", "quarter", "half", "year", "ytd", "cumulative"


def f(e, metric, scope, period, value, text, unit="vehicles", bound="exact", kind="actual",
      change="", ft=None, tt=None):
    return {"entity_id": e, "metric": metric, "scope": scope, "period": period, "value": value,
            "unit": unit, "bound": bound, "kind": kind, "change": change,
            "from_threshold": ft, "to_threshold": tt, "text": text}


def pct(e, metric, scope, period, value, text, change="yoy", **kw):
    return f(e, metric, scope, period, value, text, unit="percent", change=change, **kw)


def write_gold(gold, out):
    """Write one gold/<stem>.jsonl per entry of `gold` into `out` and print the counts.

    Also used by heldout2/build_gold.py, which imports f, pct, the constants and this function.
    """
    out = Path(out)
    out.mkdir(exist_ok=True)
    for stem, facts in gold.items():
        with (out / f"{stem}.jsonl").open("w", encoding="utf-8") as fh:
            for obj in facts:
                fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(sum(len(v) for v in gold.values()), "facts in", len(gold), "files")


GOLD = {
    "01-xpeng-october-2025-deliveries": [
        f("xpeng", D, M, "2025-10", 42013, "42,013"),
        pct("xpeng", D, M, "2025-10", 75.7, "75.7%"),
        pct("xpeng", D, M, "2025-10", 1.0, "1.0%", change="mom"),
        f("xpeng", D, M, "2025-09", 41581, "41,581"),
        f("xpeng", D, YTD, "2025-01/2025-10", 355209, "355,209"),
        pct("xpeng", D, YTD, "2025-01/2025-10", 190, "190%"),
        f("xpeng", D, Y, "2024", 190068, "190,068"),
        f("xpeng", D, Y, "2025", 380000, "380,000", kind="target"),
    ],
    "02-leapmotor-june-2025-brief": [
        f("leapmotor", D, M, "2025-06", 48006, "48,006"),
        pct("leapmotor", D, M, "2025-06", 138.7, "138.7%"),
        pct("leapmotor", D, M, "2025-06", 6.5, "6.5%", change="mom"),
        f("leapmotor", D, H, "2025-H1", 221664, "221,664"),
        f("leapmotor", D, H, "2025-H1", 2, "more than double", unit="times", bound="lower"),
        f("leapmotor", D, Y, "2025", 500000, "500,000", bound="lower", kind="target"),
        f("leapmotor", D, Y, "2025", 600000, "600,000", bound="upper", kind="target"),
    ],
    "03-week-in-evs-july-2025": [
        f("leapmotor", D, M, "2025-07", 50129, "50,129"),
        pct("leapmotor", D, M, "2025-07", 126.9, "126.9%"),
        f("leapmotor", D, M, "2025-07", 50000, "topping 50,000", bound="lower"),
        f("xpeng", D, M, "2025-07", 36717, "36,717"),
        pct("xpeng", D, M, "2025-07", 229.4, "229.4%"),
        f("li-auto", D, M, "2025-07", 30731, "30,731"),
        pct("li-auto", D, M, "2025-07", -39.7, "39.7%"),
        pct("li-auto", D, M, "2025-07", -15.3, "15.3%", change="mom"),
        f("xiaomi", D, M, "2025-07", 30000, "more than 30,000", bound="lower"),
        f("nio", D, M, "2025-07", 21017, "21,017"),
        pct("nio", D, M, "2025-07", 2.5, "2.5%"),
        f("zeekr", D, M, "2025-07", 16977, "16,977"),
        pct("zeekr", D, M, "2025-07", 8.4, "8.4%"),
        f("byd", S, M, "2025-07", 344296, "344,296"),
        f("tesla-china", S, M, "2025-07", 67886, "67,886"),
        pct("byd", S, M, "2025-07", 0.6, "0.6%"),
    ],
    "04-nio-one-millionth-vehicle": [
        f("nio", P, C, "2026-01-06", 1000000, "1 millionth"),
        f("nio", P, C, "2026-01-06", 90, "roughly 90 months", unit="months", bound="approx", ft=0, tt=1000000),
        f("nio", P, C, "2022-12", 300000, "300,000th"),
        f("nio", P, C, "2026-01-06", 3, "just over three years", unit="years", bound="lower", ft=300000, tt=1000000),
        f("nio", D, C, "2025-12-31", 997592, "997,592"),
        f("nio", D, C, "2026-01", 1000000, "one-millionth", kind="expected"),
        f("nio", D, M, "2025-12", 48135, "48,135"),
        pct("nio", D, M, "2025-12", 54.6, "54.6%"),
        f("nio-brand", D, M, "2025-12", 31897, "31,897"),
        f("onvo", D, M, "2025-12", 9154, "9,154"),
        f("firefly", D, M, "2025-12", 7084, "7,084"),
        f("nio", D, Y, "2025", 326028, "326,028"),
        pct("nio", D, Y, "2025", 46.9, "46.9%"),
    ],
    "05-byd-2024-annual-results": [
        f("byd", S, Y, "2024", 4270000, "more than 4.27 million", bound="lower"),
        pct("byd", S, Y, "2024", 41, "41%"),
        f("byd", S, Y, "2023", 3020000, "3.02 million"),
        f("byd", S, Y, "2024", 3600000, "3.6 million", kind="target"),
        f("byd", S, Q, "2024-Q4", 1524270, "1,524,270"),
        f("byd", S, M, "2024-12", 514809, "514,809"),
        f("byd", P, C, "2024-11-18", 10000000, "10 millionth"),
        f("byd", S, Y, "2025", 5000000, "5 million", bound="lower", kind="expected"),
        f("byd", S, Y, "2025", 6000000, "6 million", bound="upper", kind="expected"),
    ],
    "06-xiaomi-raises-2025-target": [
        f("xiaomi", D, Y, "2025", 400000, "400,000", kind="target"),
        f("xiaomi", D, Y, "2025", 300000, "300,000", kind="target"),
        f("xiaomi", D, Y, "2025", 350000, "350,000", kind="target"),
        f("xiaomi", D, M, "2025-10", 48654, "48,654"),
        pct("xiaomi", D, M, "2025-10", 135, "about 135%", bound="approx"),
        f("xiaomi-yu7", D, M, "2025-10", 33662, "33,662"),
        f("xiaomi-su7", D, M, "2025-10", 14992, "14,992"),
        f("xiaomi", D, YTD, "2025-01/2025-10", 315376, "315,376"),
        f("xiaomi", P, C, "2025-11", 500000, "500,000th"),
        f("xiaomi", P, C, "2025-11", 2, "less than two years", unit="years", bound="upper", ft=0, tt=500000),
    ],
    "07-analyst-note-2026-outlook": [
        f("xpeng", D, Y, "2025", 429445, "429,445"),
        pct("xpeng", D, Y, "2025", 126, "126%"),
        f("xpeng", D, Y, "2026", 550000, "550,000", bound="lower", kind="target"),
        f("xpeng", D, Y, "2026", 600000, "600,000", bound="upper", kind="target"),
        f("xpeng", D, Y, "2026", 560000, "560,000", kind="expected"),
        pct("xpeng", D, Y, "2026", 30, "about 30%", change="vs 2025", bound="approx", kind="expected"),
        f("leapmotor", D, Y, "2025", 596555, "596,555"),
        f("leapmotor", D, Y, "2026", 1000000, "1 million", kind="target"),
        f("leapmotor", D, Y, "2026", 850000, "about 850,000", bound="approx", kind="expected"),
        f("xiaomi", D, Y, "2025", 410000, "over 410,000", bound="lower"),
        f("xiaomi", D, Y, "2026", 550000, "more than 550,000", bound="lower", kind="target"),
        f("xiaomi", D, Y, "2026", 520000, "520,000", kind="expected"),
        f("nio", D, Y, "2025", 326028, "326,028"),
        f("nio", D, Q, "2026-Q1", 80000, "about 80,000", bound="approx", kind="expected"),
        f("seres", S, Y, "2026", 500000, "500,000", kind="target"),
    ],
    "08-june-2026-deliveries-table": [
        f("leapmotor", D, M, "2026-06", 93376, "93,376"),
        pct("leapmotor", D, M, "2026-06", 94.5, "+94.5%"),
        f("leapmotor", D, YTD, "2026-01/2026-06", 356487, "356,487"),
        f("hima", D, M, "2026-06", 50624, "50,624"),
        pct("hima", D, M, "2026-06", -3.7, "-3.7%"),
        f("hima", D, YTD, "2026-01/2026-06", 242216, "242,216"),
        f("nio", D, M, "2026-06", 40597, "40,597"),
        pct("nio", D, M, "2026-06", 62.9, "+62.9%"),
        f("nio", D, YTD, "2026-01/2026-06", 191123, "191,123"),
        f("xpeng", D, M, "2026-06", 40126, "40,126"),
        pct("xpeng", D, M, "2026-06", 15.9, "+15.9%"),
        f("xpeng", D, YTD, "2026-01/2026-06", 165977, "165,977"),
        f("zeekr", D, M, "2026-06", 35169, "35,169"),
        pct("zeekr", D, M, "2026-06", 110.6, "+110.6%"),
        f("zeekr", D, YTD, "2026-01/2026-06", 178370, "178,370"),
        f("xiaomi", D, M, "2026-06", 34738, "34,738"),
        pct("xiaomi", D, M, "2026-06", 36.4, "+36.4%"),
        f("xiaomi", D, YTD, "2026-01/2026-06", 185055, "185,055"),
        f("li-auto", D, M, "2026-06", 30895, "30,895"),
        pct("li-auto", D, M, "2026-06", -14.8, "-14.8%"),
        f("li-auto", D, YTD, "2026-01/2026-06", 193472, "193,472"),
        pct("leapmotor", D, M, "2026-06", 14.5, "14.5%", change="mom"),
        pct("xpeng", D, M, "2026-06", 24.8, "24.8%", change="mom"),
        f("byd", S, M, "2026-06", 403472, "403,472"),
        pct("byd", S, M, "2026-06", 5.5, "5.5%"),
        f("tesla-china", S, M, "2026-06", 89091, "89,091"),
    ],
    "09-nio-october-2025-zh": [
        f("nio", D, M, "2025-10", 40397, "40,397"),
        pct("nio", D, M, "2025-10", 92.6, "92.6%"),
        pct("nio", D, M, "2025-10", 16.3, "16.3%", change="mom"),
        f("nio", D, M, "2025-09", 34749, "34,749"),
        f("nio", D, YTD, "2025-01/2025-10", 241618, "241,618"),
        pct("nio", D, YTD, "2025-01/2025-10", 41.9, "41.9%"),
        f("nio", D, C, "2025-10-31", 913182, "913,182"),
    ],
    "10-china-ev-2025-indian-view": [
        f("tesla-china", S, Y, "2025", 851732, "8,51,732"),
        pct("tesla-china", S, Y, "2025", -7.1, "7.1%"),
        f("tesla-china", S, Y, "2024", 916660, "9,16,660"),
        f("tesla-china", S, M, "2025-12", 97171, "97,171"),
        f("li-auto", D, Y, "2025", 406343, "4,06,343"),
        pct("li-auto", D, Y, "2025", -18.8, "18.8%"),
        f("li-auto", D, M, "2025-12", 44246, "44,246"),
        f("nio", D, Y, "2025", 326000, "about 3.26 lakh", bound="approx"),
        f("xiaomi", D, Y, "2025", 410000, "over 4.1 lakh", bound="lower"),
        f("byd", S, Y, "2025", 4600000, "over 46 lakh", bound="lower"),
    ],
    "11-opinion-startup-shakeout": [
        f("nio", D, M, "2025-10", 40000, "around 40k", bound="approx"),
        f("li-auto", S, Y, "2024", 500000, "roughly half a million", bound="approx"),
        pct("li-auto", D, Y, "2025", -19, "about 19%", bound="approx"),
        f("xpeng", D, Y, "2025", 2, "more than doubled", unit="times", bound="lower"),
        f("leapmotor", D, Y, "2025", 600000, "nearly 600k", bound="approx"),
        f("xiaomi", D, Y, "2025", 410000, "more than 410k", bound="lower"),
        f("zeekr", D, Y, "2025", 224000, "some 224k", bound="approx"),
        f("byd", S, YTD, "2026-01/2026-04", 1020000, "1.02m"),
    ],
    "12-model-level-hits": [
        f("xiaomi", D, M, "2025-11", 46249, "46,249"),
        f("xiaomi-yu7", D, M, "2025-11", 33729, "33,729"),
        f("xiaomi-su7", D, M, "2025-11", 12520, "12,520"),
        f("xiaomi-su7", D, M, "2024-04", 7058, "7,058"),
        f("aito", D, M, "2025-05", 36625, "36,625"),
        f("aito-m9", D, M, "2025-05", 15481, "15,481"),
        f("aito-m8", D, M, "2025-05", 12116, "12,116"),
        f("aito-m9", S, C, "2025-08", 230000, "230,000"),
        f("xpeng-mona-m03", D, C, "2025-11-07", 200000, "passed 200,000", bound="lower"),
        f("xpeng-mona-m03", D, C, "2025-11-07", 14, "roughly 14 months", unit="months", bound="approx",
          ft=0, tt=200000),
        f("onvo-l60", D, M, "2024-09", 832, "832"),
    ],
    "13-leapmotor-raises-2025-target": [
        f("leapmotor", D, Y, "2025", 580000, "580,000", bound="lower", kind="target"),
        f("leapmotor", D, Y, "2025", 650000, "650,000", bound="upper", kind="target"),
        f("leapmotor", D, Y, "2025", 500000, "500,000", bound="lower", kind="target"),
        f("leapmotor", D, Y, "2025", 600000, "600,000", bound="upper", kind="target"),
        f("leapmotor", D, M, "2025-08", 57066, "57,066"),
        pct("leapmotor", D, M, "2025-08", 88.3, "88.3%"),
        pct("leapmotor", D, M, "2025-08", 13.8, "13.8%", change="mom"),
        f("leapmotor", D, YTD, "2025-01/2025-08", 328859, "328,859"),
        pct("leapmotor", D, YTD, "2025-01/2025-08", 136, "136%"),
        f("leapmotor", D, Y, "2024", 293724, "293,724"),
    ],
    "14-giga-shanghai-4-millionth": [
        f("tesla-china", P, C, "2025-12-08", 4000000, "4 millionth"),
        f("tesla-china", P, C, "2025-12-08", 6, "just under six years", unit="years", bound="upper", ft=0, tt=4000000),
        f("tesla-china", P, C, "2022-08-13", 1000000, "1 millionth"),
        f("tesla-china", P, C, "2023-09-06", 2000000, "2 millionth"),
        f("tesla-china", P, C, "2024-10-11", 3000000, "3 millionth"),
        f("tesla-china", P, C, "2025-12-08", 423, "423 days", unit="days", ft=3000000, tt=4000000),
        f("tesla", P, C, "2020-03-09", 1000000, "one millionth"),
        f("tesla", P, C, "2020-03-09", 12, "some 12 years", unit="years", bound="approx", ft=0, tt=1000000),
        f("tesla-china", S, YTD, "2025-01/2025-10", 667861, "667,861"),
        f("tesla-china", S, M, "2025-11", 86700, "86,700"),
        f("tesla-china", S, Y, "2024", 916660, "916,660"),
    ],
    "15-april-2026-market-shares": [
        f("byd", S, M, "2026-04", 321123, "321,123"),
        pct("byd", S, M, "2026-04", -15.5, "15.5%"),
        f("leapmotor", D, M, "2026-04", 71387, "71,387"),
        pct("leapmotor", D, M, "2026-04", 73.9, "73.9%"),
        f("leapmotor", D, YTD, "2026-01/2026-04", 181542, "181,542"),
        f("xiaomi", D, M, "2026-04", 36702, "36,702"),
        f("li-auto", D, M, "2026-04", 34085, "34,085"),
        f("xpeng", D, M, "2026-04", 31011, "31,011"),
        pct("xpeng", D, M, "2026-04", -11.5, "11.5%"),
        pct("nio", D, M, "2026-04", 22.8, "22.8%"),
        f("nio", D, M, "2026-04", 29356, "29,356"),
        f("zeekr", D, M, "2026-04", 31787, "31,787"),
        f("zeekr", D, M, "2026-04", 2, "more than double", unit="times", bound="lower"),
        pct("zeekr", D, M, "2026-04", 131.6, "131.6%"),
        f("tesla-china", S, M, "2026-04", 79478, "79,478"),
        pct("tesla-china", S, M, "2026-04", 36, "36%"),
    ],
}

if __name__ == "__main__":
    write_gold(GOLD, Path(__file__).resolve().parent / "gold")
