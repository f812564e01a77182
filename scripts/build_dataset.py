#!/usr/bin/env python3
"""Build evpace's shipped dataset (evpace/data/) from the shared research CSVs.

    python scripts/build_dataset.py [--shared ../shared/data] [--out evpace/data] [--research FILE]

Reads monthly_deliveries.csv, milestones.csv and annual.csv from --shared, plus the optional
project file research/milestones_extra.csv (milestones.csv columns), and writes entities.csv,
facts.csv, events.csv and datapackage.json. Stdlib only, deterministic. Every rule is a function
below; every per-row exception is in OVERRIDES (keyed by file:line, with a reason). See
docs/dataset.md. Exit status 1 when a sanity check fails or an input row had to be skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from evpace.model import BOUNDS, ENTITY_KINDS, FLAGS, KINDS, METRICS, SCOPES, period_end  # noqa: E402

SHARED_FILES = ("monthly_deliveries.csv", "milestones.csv", "annual.csv")
EVENT_TYPES = ("first_delivery", "first_production", "launch")
EVENT_STATUSES = ("confirmed", "planned", "internal")
ROLLUPS = ("complete", "partial", "none")
FACT_COLUMNS = ("entity_id", "metric", "scope", "period", "value", "bound", "kind", "basis", "flags",
                "note", "place", "source_url", "published", "origin")
EVENT_COLUMNS = ("entity_id", "event", "date", "status", "place", "model", "note", "source_url", "origin")
ENTITY_COLUMNS = ("id", "name", "kind", "parent", "aliases", "rollup", "tags", "note", "source_url")
PUBLISHED_RULE = ("empty published = the loader assumes publication 3 days after the period's end for "
                  "actual figures; targets without a date are assumed published on 1 January of the "
                  "target year")

# ----------------------------------------------------------------------------------------------
# ENTITIES. src = the input row ("file:line") whose URL supports the entity or its parent
# relation; empty = the first input row naming the entity (brand column first, then model rows).
# Aliases starting with "$" are stock cashtags ("$XPEV 15,256" in markets briefs); they name, they count nothing.
ENTITY_TABLE = """\
id|name|kind|parent|rollup|src|aliases|note
nio|NIO Inc.|group||complete|milestones.csv:76|NIO;Nio;NIO Inc.;NIO Group;Nio Inc.;蔚来;$NIO|\
Group total = NIO + ONVO + Firefly.
hima|Harmony Intelligent Mobility|group||partial|milestones.csv:23|HIMA;Huawei HIMA;Harmony Intelligent \
Mobility Alliance;Huawei Harmony Intelligent Mobility;HIMA (Huawei Harmony Intelligent Mobility);鸿蒙智行|\
Huawei-led alliance; the data has brand figures for AITO only.
tesla|Tesla|group||none|milestones.csv:82|Tesla;Tesla Inc.;Tesla (global);$TSLA|\
Tesla worldwide; tesla-china is only the Shanghai-made part.
seres|Seres|group||none|monthly_deliveries.csv:366|Seres;SERES;Seres Group;赛力斯|\
Makes AITO cars, but AITO's parent here is hima; Seres figures cover all its brands.
nio-brand|NIO (brand)|brand|nio|none|monthly_deliveries.csv:247|NIO brand;NIO (brand)|
onvo|ONVO|brand|nio|none|monthly_deliveries.csv:365|ONVO;Onvo;乐道|
firefly|Firefly|brand|nio|none|monthly_deliveries.csv:58|Firefly;萤火虫|
aito|AITO|brand|hima|none|milestones.csv:23|AITO;Aito;AITO (Seres/Huawei);AITO (Seres);问界|Made by Seres.
luxeed|Luxeed|brand|hima|none|milestones.csv:23|Luxeed;智界|No figures in the data.
stelato|Stelato|brand|hima|none||Stelato;享界|BAIC-Huawei brand; no figures in the data.
maextro|Maextro|brand|hima|none||Maextro;尊界|JAC-Huawei brand; no figures in the data.
shangjie|Shangjie|brand|hima|none||Shangjie;SAIC-Huawei Shangjie;尚界|SAIC-Huawei brand; no figures in the data.
li-auto|Li Auto|brand||none||Li Auto;Li Auto Inc.;Lixiang;理想汽车;$LI|
xpeng|XPeng|brand||none||XPeng;Xpeng;XPENG;XPeng Inc.;Xiaopeng;小鹏汽车;小鹏;$XPEV|
leapmotor|Leapmotor|brand||none||Leapmotor;Leap Motor;零跑汽车;零跑|
byd|BYD|brand||none||BYD;BYD Auto;比亚迪;$BYDDY|Figures are NEV sales.
tesla-china|Tesla China|brand|tesla|none|milestones.csv:85|Tesla China;Tesla Shanghai;Giga Shanghai;特斯拉中国|\
CPCA wholesale of China-made cars incl. exports, unless basis=domestic.
zeekr|Zeekr|brand||none||Zeekr;ZEEKR;极氪;$ZK|Geely brand (no Geely entity).
xiaomi|Xiaomi Auto|brand||none||Xiaomi;Xiaomi Auto;Xiaomi EV;Xiaomi Automobile;小米汽车;小米|
aito-m5|AITO M5|model|aito|none||M5;AITO M5|
aito-m7|AITO M7|model|aito|none||M7;AITO M7|
aito-m8|AITO M8|model|aito|none||M8;AITO M8|
aito-m9|AITO M9|model|aito|none||M9;AITO M9|
nio-es8|NIO ES8|model|nio-brand|none||ES8;NIO ES8|
nio-es6|NIO ES6|model|nio-brand|none||ES6;NIO ES6|
nio-ec6|NIO EC6|model|nio-brand|none|milestones.csv:56|EC6;NIO EC6|Named in a model column only.
nio-et7|NIO ET7|model|nio-brand|none||ET7;NIO ET7|
onvo-l60|ONVO L60|model|onvo|none||L60;ONVO L60;Onvo L60|
li-auto-one|Li ONE|model|li-auto|none||Li ONE;Li One;Lixiang ONE|
li-auto-l6|Li L6|model|li-auto|none||L6;Li L6;Li Auto L6|
xpeng-g3|XPeng G3|model|xpeng|none||G3;XPeng G3|
xpeng-p7|XPeng P7|model|xpeng|none||P7;XPeng P7|
xpeng-mona-m03|XPeng MONA M03|model|xpeng|none||MONA M03;Mona M03;M03;XPeng MONA M03|
xpeng-x9|XPeng X9|model|xpeng|none|milestones.csv:103|X9;XPeng X9|Named in a model column only.
leapmotor-s01|Leapmotor S01|model|leapmotor|none||S01;Leapmotor S01|
zeekr-001|Zeekr 001|model|zeekr|none||001;Zeekr 001|
luxeed-s7|Luxeed S7|model|luxeed|none||S7;Luxeed S7|
maextro-s800|Maextro S800|model|maextro|none||S800;Maextro S800|
shangjie-h5|Shangjie H5|model|shangjie|none||H5;Shangjie H5|
xiaomi-su7|Xiaomi SU7|model|xiaomi|none||SU7;Xiaomi SU7|
xiaomi-yu7|Xiaomi YU7|model|xiaomi|none||YU7;Xiaomi YU7|
"""
ENTITIES: dict[str, dict[str, str]] = {
    r["id"]: r for r in csv.DictReader(ENTITY_TABLE.splitlines(), delimiter="|", quoting=csv.QUOTE_NONE)}
# Used only when no input row names the entity (e.g. without the research file): the shared row
# naming "AITO, Luxeed and other sub-brands" of HIMA.
FALLBACK_SRC = {"stelato": "milestones.csv:23", "maextro": "milestones.csv:23", "shangjie": "milestones.csv:23"}
# Tags: "upstart" = the makers the million-club reference article (milestones.csv:11, gasgoo) groups as
# China's leading EV upstarts, plus AITO, which it counts among them as a HIMA brand.
TAGS: dict[str, str] = {e: "upstart" for e in ("li-auto", "hima", "aito", "leapmotor", "xpeng", "nio", "xiaomi")}
# Raw `brand` strings whose parenthesis is a qualifier, not a model: (entity, basis, note).
RAW_NAMES: dict[str, tuple[str, str, str]] = {
    "Seres (NEV sales, all brands)": ("seres", "", "NEV sales, all brands"),
    "Seres (AITO maker)": ("seres", "", ""),
    "Tesla China (domestic only)": ("tesla-china", "domestic", ""),
}

# ----------------------------------------------------------------------------------------------
# OVERRIDES, keyed by "file:line" (header = line 1). Keys: reason (required), bound, add_flags,
# note. Nothing else in this script singles out a row.
OVERRIDES: dict[str, dict] = {
    "monthly_deliveries.csv:5": {
        "add_flags": ("suspect",), "note": "suspect: probably HIMA's total (README problem 2)",
        "reason": "README known problem 2: AITO 2024-06 46,141 is probably HIMA's total."},
    "monthly_deliveries.csv:7": {
        "add_flags": ("suspect",), "note": "suspect: HIMA's total (README problem 2)",
        "reason": "README known problem 2: AITO 2025-05 44,454 is HIMA's total (AITO alone 36,625)."},
    "annual.csv:13": {
        "bound": "approx", "add_flags": ("rounded",), "note": "rounded (README)",
        "reason": "README lists HIMA 2025 '589,000' among the rounded annual figures."},
    "milestones.csv:65": {
        "note": "README problem 5: monthly sums put this total at 2022-02-28; date kept as given",
        "reason": "README known problem 5; the brief asks for the milestone date as given."},
}

MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
_MON = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# Bound words count when they stand alone ("lower bound", "approximate") or qualify this row's
# own value ("about 11,500"); "about 100 days" or "~93% of" qualify something else.
LOWER_WORDS = r"\bover\b|more than|\bsurpass\w*|\btopped\b|\bbeyond\b|-plus\b|lower bound|\babove\b"
UPPER_WORDS = r"less than|fewer than|\bunder\b|up to|upper bound|at most"
APPROX_WORDS = r"approximate\w*|\babout\b|\bnearly\b|\bclaimed\b|~|\baround\b|\broughly\b"
NUMBER = r"\d[\d,]*(?:\.\d+)?(?:\s*(?:million\b|万|K\b))?"
CONFLICT_RE = re.compile(r"\bCONFLICTS?\b|conflicts? with \d|another source says")
DERIVED_RE = re.compile(r"DERIVED|\bsum of\b")
YTD_RE = re.compile(r"year-to-date|\bYTD\b|\bJan-[A-Z][a-z]{2}\b|\bH1\b")
MODEL_ONLY_EVENT_RE = re.compile(r"\(model\b|^model launch")
NOT_AN_EVENT_RE = re.compile(r"\bdebut\b|\bunveil", re.I)  # a show-floor debut is not a launch
NOT_CONFIRMED_RE = re.compile(r"internal|planned|scheduled|expected", re.I)
URL_DATE_RES = (  # (pattern, has day): dates in a URL path
    (re.compile(r"/(20\d\d)/(\d\d)/(\d\d)(?:/|$)"), True),  # /2026/01/05/
    (re.compile(r"/(20\d\d)/(\d\d)(\d\d)/"), True),  # people.cn /2023/0810/
    (re.compile(r"/(20\d\d)(\d\d)/(\d\d)/"), True),  # chinadaily /202509/03/
    (re.compile(r"/(20\d\d)-(\d\d)/(\d\d)/"), True),  # xinhua style /2024-04/02/
    (re.compile(r"-(20\d\d)-(\d\d)-(\d\d)/?$"), True),  # nasdaq slug ...-2021-04-01
    (re.compile(r"benzinga\.com/(?:[a-z]+/)*(\d\d)/(\d\d)/\d+/"), False),  # benzinga /23/06/<id>/
    (re.compile(r"/(20\d\d)/(\d\d)/"), False),  # month permalink /2020/10/
)


@dataclass
class Row:
    """One input row, normalised across the four input files."""

    file: str
    line: int
    prefix: str  # shared | research
    brand: str
    date: str  # month, milestone date or year
    value: str
    text: str  # metric text (monthly, milestones) or kind text (annual)
    source: str
    place: str = ""
    model: str = ""

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def origin(self) -> str:
        return f"{self.prefix}:{self.file}:{self.line}"


@dataclass
class Report:
    """What a build produced and everything it did not take over."""

    facts: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (origin, why): a violation
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (origin, rule): not an event type
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (dropped origin, kept origin)
    violations: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # model entities no input row names (not written)
    input_rows: Counter = field(default_factory=Counter)


def read_rows(shared: Path, research: Path | None) -> list[Row]:
    """Read the shared CSVs and the optional research file (absent or empty is fine)."""
    rows: list[Row] = []
    specs = [(shared / f, "shared") for f in SHARED_FILES]
    if research is not None and research.is_file() and research.stat().st_size > 0:
        if research.name in SHARED_FILES:  # rows are keyed by file:line
            raise SystemExit(f"research file must not be named like a shared file: {research}")
        specs.append((research, "research"))
    for path, prefix in specs:
        with path.open(encoding="utf-8", newline="") as fh:
            for line, raw in enumerate(csv.DictReader(fh), start=2):
                r = {k: (v or "").strip() for k, v in raw.items() if k}
                if path.name == "monthly_deliveries.csv":
                    rows.append(Row(path.name, line, prefix, r["brand"], r["month"], r["deliveries"],
                                    r["metric"], r["source_url_or_repo_path"]))
                elif path.name == "annual.csv":
                    rows.append(Row(path.name, line, prefix, r["brand"], r["year"], r["units"], r["kind"],
                                    r["source"]))
                else:  # milestones.csv layout (shared or research)
                    rows.append(Row(path.name, line, prefix, r["brand"], r["date"], r["cumulative_units"],
                                    r["metric"], r["source"], r.get("place", ""), r.get("model", "")))
    return rows


def alias_index() -> dict[str, str]:
    """Lower-cased name or alias -> entity id; an alias naming two entities is an error."""
    index: dict[str, str] = {}
    for eid, e in ENTITIES.items():
        for a in [e["name"], *e["aliases"].split(";")]:
            if index.setdefault(a.lower(), eid) != eid:
                raise ValueError(f"alias {a!r} names both {index[a.lower()]} and {eid}")
    return index


INDEX = alias_index()


def find_model(owner: str, model: str) -> str:
    """The model entity called ``model`` under brand ``owner`` (or a brand of group ``owner``), or ''."""
    eid = INDEX.get(model.strip().lower(), "")
    if not eid or ENTITIES[eid]["kind"] != "model":
        return ""
    brand = ENTITIES[eid]["parent"]
    return eid if owner in (brand, ENTITIES[brand]["parent"]) else ""


def resolve_entity(raw: str) -> tuple[str, str, str]:
    """Raw ``brand`` string -> (entity id, basis, note). Raises KeyError when unknown."""
    if raw in RAW_NAMES:
        return RAW_NAMES[raw]
    if raw.lower() in INDEX:
        return INDEX[raw.lower()], "", ""
    m = re.fullmatch(r"(.+?) \((.+) only\)", raw)  # "AITO (M9 only)": a single-model figure
    model = find_model(INDEX[m.group(1).lower()], m.group(2)) if m and m.group(1).lower() in INDEX else ""
    if model:
        return model, "", ""
    raise KeyError(f"unknown brand {raw!r}")


def split_text(text: str) -> tuple[str, str]:
    """'deliveries (CONFLICT: x)' -> ('deliveries', 'CONFLICT: x')."""
    head, _, rest = text.partition("(")
    return head.strip(), rest.rsplit(")", 1)[0].strip() if rest else ""


def url_date(url: str) -> str:
    """Publication date found in a URL path (YYYY-MM-DD or YYYY-MM), or ''."""
    for pattern, has_day in URL_DATE_RES:
        m = pattern.search(url)
        if m and 1 <= int(m.group(2)) <= 12 and (not has_day or 1 <= int(m.group(3)) <= 31):
            year = m.group(1) if len(m.group(1)) == 4 else "20" + m.group(1)
            return f"{year}-{m.group(2)}-{m.group(3)}" if has_day else f"{year}-{m.group(2)}"
    return ""


def stated_date(text: str) -> str:
    """First 'Mon YYYY' in a qualifier ('raised March 2025' -> 2025-03), or ''."""
    m = re.search(rf"\b{_MON}\s+(\d{{4}})\b", text)
    return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}" if m else ""


def published_date(row: Row, kind: str) -> str:
    """The URL's date; for targets/expected also the stated date, the earlier month winning."""
    found = url_date(row.source)
    stated = stated_date(row.text) if kind != "actual" else ""
    return stated if stated and (not found or stated < found[:7]) else found


def parse_number(text: str) -> int:
    """'11,500' -> 11500; '4.27 million' -> 4270000; '38.63万' -> 386300; '710.9K' -> 710900."""
    m = re.fullmatch(r"([\d,]+(?:\.\d+)?)\s*(million|万|K)?", text.strip())
    if not m:
        raise ValueError(f"not a number: {text!r}")
    scale = {"million": 1_000_000, "万": 10_000, "K": 1_000}.get(m.group(2) or "", 1)
    return round(float(m.group(1).replace(",", "")) * scale)


def qualifies(words: str, text: str, value: int) -> bool:
    """True if one of ``words`` stands alone in ``text`` or is followed by this row's value."""
    return any(m.group(1) is None or parse_number(m.group(1)) == value
               for m in re.finditer(rf"(?:{words})\W{{0,3}}({NUMBER})?", text, re.I))


def classify_bound(text: str, kind: str, value: int) -> tuple[str, list[str]]:
    """Bound, and the 'rounded' flag: said so, or an actual value given in millions / 万 / K."""
    in_units = any(parse_number(m.group(0)) == value
                   for m in re.finditer(r"\d+(?:\.\d+)?\s*(?:million\b|万|K\b)", text))
    rounded = bool(re.search(r"rounded", text, re.I)) or (kind == "actual" and in_units)
    if qualifies(LOWER_WORDS, text, value):
        bound = "lower"
    elif qualifies(UPPER_WORDS, text, value):
        bound = "upper"
    else:
        bound = "approx" if rounded or qualifies(APPROX_WORDS, text, value) else "exact"
    return bound, ["rounded"] if rounded else []


def annual_metric(text: str, entity: str) -> tuple[str, str]:
    """annual.csv has no metric column: the first metric word of the kind text, else a default."""
    found = [(m.start(), metric) for metric, pat in (
        ("deliveries", r"deliver"), ("sales", r"\bsales\b|\bsold\b|shipments|wholesale|retail"),
        ("production", r"production|produced")) for m in [re.search(pat, text)] if m]
    if found:
        return min(found)[1], ""
    default = "sales" if entity in ("byd", "tesla-china", "seres") else "deliveries"
    return default, f"metric not stated: {default} assumed"


def ytd_period(text: str, date: str) -> str:
    """'YYYY-01/YYYY-MM' for a year-to-date row; the end month from the date, checked against the text."""
    year, month = date[:4], date[5:7]
    named = re.search(rf"(?:Jan-|through\s+){_MON}", text)
    text_month = f"{MONTHS[named.group(1)]:02d}" if named else ("06" if re.search(r"\bH1\b", text) else "")
    if month and text_month and month != text_month:
        raise ValueError(f"year-to-date month {text_month} contradicts date {date}")
    if not (month or text_month):
        raise ValueError("year-to-date row without an end month")
    return f"{year}-01/{year}-{month or text_month}"


def make_fact(row: Row, entity: str, basis: str, raw_note: str) -> dict:
    """One facts.csv record from a numeric input row (suspect rules and overrides come later)."""
    head, qual = split_text(row.text)
    notes = [x for x in (raw_note, qual) if x]
    if row.file == "annual.csv":
        kinds = [k for k in ("actual", "target", "expected") if head.startswith(k)]
        if not kinds:
            raise ValueError(f"unknown kind {row.text!r}")
        kind = kinds[0]
        metric, metric_note = annual_metric(row.text, entity)
        notes += [metric_note] if metric_note else []
    else:
        kind = "expected" if "expected" in row.text else "actual"
        metric = head.split()[0].lower()
    if YTD_RE.search(row.text):
        scope, period = "ytd", ytd_period(row.text, row.date)
    else:
        scope = {"monthly_deliveries.csv": "month", "annual.csv": "year"}.get(row.file, "cumulative")
        period = row.date
    value = row.value.replace(",", "")
    bound, flags = classify_bound(row.text, kind, int(value) if value.isdigit() else -1)
    flags += ["derived"] if DERIVED_RE.search(row.text) else []
    flags += ["conflicts"] if CONFLICT_RE.search(row.text) else []
    flags += ["secondary"] if row.source.startswith("github:") else []
    flags += ["range-low"] if "low end" in row.text else []
    flags += ["range-high"] if "high end" in row.text else []
    notes += [f"model: {row.model}"] if row.model else []
    return {"entity_id": entity, "metric": metric, "scope": scope, "period": period, "value": value,
            "bound": bound, "kind": kind, "basis": basis, "flags": flags, "note": notes,
            "place": row.place, "source_url": row.source, "published": published_date(row, kind),
            "origin": row.origin, "_ref": row.ref}


def apply_suspect_rules(facts: list[dict]) -> None:
    """README problems 2 and 6 as rules: the scraper's HIMA 2024 rows; scraper values repeated
    across different entities."""
    by_value: dict[str, list[dict]] = defaultdict(list)
    for f in facts:
        if "secondary" not in f["flags"] or f["scope"] != "month":
            continue
        by_value[f["value"]].append(f)
        if f["entity_id"] == "hima" and f["period"].startswith("2024-"):
            f["flags"].append("suspect")
            f["note"].append("scraper HIMA 2024 values disagree with reported HIMA totals (README problem 2)")
    for value, group in by_value.items():
        if len({f["entity_id"] for f in group}) > 1:
            for f in group:
                others = ", ".join(f"{g['entity_id']} {g['period']}" for g in group if g is not f)
                f["flags"].append("suspect")
                f["note"].append(f"scraper value {int(value):,} also given for {others} (README problem 6)")


def apply_overrides(records: list[dict], report: Report) -> None:
    """Apply OVERRIDES; an override matching no built row is a violation."""
    by_ref: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_ref[r["_ref"]].append(r)
    for ref, o in OVERRIDES.items():
        if ref not in by_ref or not o.get("reason"):
            report.violations.append(f"override {ref} matches no row or has no reason")
        for rec in by_ref.get(ref, []):
            rec.update({"bound": o["bound"]} if "bound" in o else {})
            rec["flags"] = rec.get("flags", []) + [f for f in o.get("add_flags", ()) if f not in rec.get("flags", [])]
            rec["note"] += [o["note"]] if o.get("note") else []


def event_type(text: str) -> str:
    """first_delivery | first_production | launch from the text before the parenthesis, or ''."""
    head = split_text(text)[0]
    return ("launch" if "launch" in head else "first_delivery" if "deliver" in head
            else "first_production" if "produc" in head else "")


def first_models(rows: list[Row], resolved: dict[str, str]) -> dict[tuple[str, str], str]:
    """(brand, event) -> model entity named by the brand's earliest confirmed brand-level row."""
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for row in rows:
        if row.value or row.ref not in resolved or not row.model or NOT_CONFIRMED_RE.search(row.text):
            continue
        if MODEL_ONLY_EVENT_RE.search(row.text) or not event_type(row.text):
            continue
        key = (resolved[row.ref], event_type(row.text))
        if key not in first or row.date < first[key][0]:
            first[key] = (row.date, find_model(resolved[row.ref], row.model))
    return {k: v[1] for k, v in first.items() if v[1]}


def make_events(row: Row, entity: str, first_model: dict[tuple[str, str], str]) -> list[dict]:
    """events.csv records for a non-numeric milestone row: the brand's and/or the model's."""
    event, qual = event_type(row.text), split_text(row.text)[1]
    if not event:
        raise KeyError(f"unrecognised event {row.text!r}")
    status = ("internal" if re.search(r"internal", row.text, re.I) else
              "planned" if re.search(r"planned|scheduled|expected", row.text, re.I) else "confirmed")
    model = find_model(entity, row.model) if row.model else ""
    base = {"event": event, "date": row.date, "status": status, "place": row.place, "model": row.model,
            "source_url": row.source, "origin": row.origin, "_ref": row.ref}
    if MODEL_ONLY_EVENT_RE.search(row.text) or (model and first_model.get((entity, event), model) != model):
        if not model:
            raise KeyError(f"model-only event, but {row.model!r} is no model entity under {entity}")
        return [{**base, "entity_id": model, "note": [qual] if qual else []}]
    out = [{**base, "entity_id": entity, "note": [qual] if qual else []}]
    if model:
        what = event.replace("first_", "first ")
        out.append({**base, "entity_id": model, "note": [x for x in (qual, f"same event as {entity}'s {what}") if x]})
    return out


def build_entities(rows: list[Row], first_ref: dict[str, str], report: Report) -> list[dict]:
    """entities.csv records; source_url from the src row, else the first row naming the entity."""
    urls = {r.ref: r.source for r in rows}
    out = []
    for eid, e in ENTITIES.items():
        ref = e["src"] or first_ref.get(eid, "") or FALLBACK_SRC.get(eid, "")
        if not urls.get(ref) and e["kind"] == "model":
            report.unused.append(eid)  # a model only the (absent) research file names
            continue
        if not urls.get(ref):
            report.violations.append(f"entity {eid}: no source row ({ref or 'never named'})")
        out.append({**{k: e[k] for k in ENTITY_COLUMNS if k in e}, "tags": TAGS.get(eid, ""),
                    "source_url": urls.get(ref, "")})
    return out


def build(shared: Path, out: Path, research: Path | None) -> Report:
    """Read the inputs, classify every row, write the four output files; return the report."""
    report, rows = Report(), read_rows(shared, research)
    resolved: dict[str, str] = {}  # row ref -> entity named in its brand column
    seen: dict[tuple, str] = {}
    for row in rows:
        report.input_rows[f"{row.prefix}:{row.file}"] += 1
        try:
            entity, basis, raw_note = resolve_entity(row.brand)
            resolved[row.ref] = entity
            if not row.value:
                continue
            fact = make_fact(row, entity, basis, raw_note)
            key = tuple(fact[k] for k in ("entity_id", "metric", "scope", "period", "value", "bound", "kind",
                                          "basis", "source_url"))
            if key in seen:
                report.duplicates.append((row.origin, seen[key]))
                continue
            seen[key] = row.origin
            report.facts.append(fact)
        except (KeyError, ValueError) as exc:
            report.skipped.append((row.origin, str(exc).strip('"')))
    fm = first_models(rows, resolved)
    for row in rows:
        if row.value or row.ref not in resolved:
            continue
        if NOT_AN_EVENT_RE.search(split_text(row.text)[0]):
            report.excluded.append((row.origin, "debut/unveiling: not first_delivery, first_production or launch"))
            continue
        try:
            report.events += make_events(row, resolved[row.ref], fm)
        except KeyError as exc:
            report.skipped.append((row.origin, str(exc).strip('"')))
    apply_suspect_rules(report.facts)
    apply_overrides(report.facts + report.events, report)
    first_ref: dict[str, str] = {}  # web sources before the scraper; brand column before model column
    urls = {r.ref: r.source for r in rows}
    for pairs in (resolved.items(), [(r["_ref"], r["entity_id"]) for r in report.facts + report.events]):
        for web_only in (True, False):
            for ref, entity in pairs:
                if not web_only or urls[ref].startswith("http"):
                    first_ref.setdefault(entity, ref)
    for rec in report.facts + report.events:
        rec["flags"] = ";".join(f for f in FLAGS if f in rec.get("flags", ()))
        rec["note"] = "; ".join(dict.fromkeys(rec["note"]))
    report.entities = build_entities(rows, first_ref, report)
    validate(report)
    write_outputs(out, report)
    return report


def write_csv(path: Path, columns: tuple[str, ...], records: list[dict]) -> None:
    """Write records with a fixed column order and '\\n' line endings."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([r[c] for c in columns] for r in records)


def source_title(url: str) -> str:
    """A source's title: its domain, or owner/repo for a github: path."""
    if url.startswith("github:"):
        return "github.com/" + "/".join(url[7:].split("/")[:2])
    host = urlparse(url).netloc.lower()
    return host.removeprefix("www.")


def write_outputs(out: Path, report: Report) -> None:
    """entities.csv, facts.csv, events.csv and datapackage.json."""
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "entities.csv", ENTITY_COLUMNS, report.entities)
    write_csv(out / "facts.csv", FACT_COLUMNS, report.facts)
    write_csv(out / "events.csv", EVENT_COLUMNS, report.events)
    urls = sorted({r["source_url"] for r in report.facts + report.events + report.entities})
    package = datapackage([{"title": source_title(u), "path": u} for u in urls])
    text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    (out / "datapackage.json").write_text(text, encoding="utf-8")


def _fields(*specs: tuple) -> list[dict]:
    """(name, type, description[, constraints]) tuples -> Table Schema fields."""
    out = []
    for name, typ, desc, *cons in specs:
        f = {"name": name, "type": typ, "description": desc}
        f.update({"constraints": cons[0]} if cons else {})
        f.update({"unit": "vehicles"} if name == "value" else {})
        out.append(f)
    return out


def datapackage(sources: list[dict]) -> dict:
    """Frictionless-style descriptor of the three CSVs (conventions: docs/dataset.md)."""
    req = {"required": True}
    src = ("source_url", "string", "Source URL, or github:owner/repo/path@commit for the scraper "
           "dataset (flag secondary).", req)
    origin = ("origin", "string", "Input row: shared:<file>:<line> or research:<file>:<line>, header = line 1.", req)
    def resource(name: str, desc: str, *specs: tuple) -> dict:
        return {"name": name, "path": f"{name}.csv", "format": "csv", "encoding": "utf-8",
                "description": desc, "schema": {"fields": _fields(*specs)}}
    return {
        "name": "evpace-dataset",
        "title": "Chinese EV makers: deliveries, milestones and targets",
        "description": (
            "One row per reported figure, each with its source; conflicting reports are all kept. Built by "
            "scripts/build_dataset.py from the shared research CSVs (conventions: docs/dataset.md). "
            "Scope: month (period YYYY-MM), year (YYYY), ytd (YYYY-01/YYYY-MM), cumulative since "
            "inception (period = the date as given, YYYY-MM-DD or YYYY-MM). Bound: exact; approx (about, "
            "nearly, claimed, ~, approximate, or rounded by the source); lower (over, more than, surpassed, "
            "topped, beyond, above, lower bound); upper. Flags: derived (computed from other reported "
            "figures), rounded, conflicts (the row notes a disagreement), secondary (scraper dataset), "
            "suspect (audit problem, see note), range-low / range-high (ends of a target range). Basis "
            "'domestic' = China retail only. Published: " + PUBLISHED_RULE + "."),
        "sources": sources,
        "resources": [
            resource("entities", "Groups, brands and models.",
                     ("id", "string", "Slug.", {"required": True, "unique": True}),
                     ("name", "string", "Display name.", req),
                     ("kind", "string", "Entity kind.", {"enum": list(ENTITY_KINDS)}),
                     ("parent", "string", "Group of a brand, brand of a model (entities.id)."),
                     ("aliases", "string", "Semicolon-separated names used in news."),
                     ("rollup", "string", "complete: group = sum of its brands; partial: not every brand "
                      "has figures; none: not summable / not a group.", {"enum": list(ROLLUPS)}),
                     ("tags", "string", "Semicolon-separated tags; 'upstart' = grouped with China's EV "
                      "upstarts by the trade press (the million-club reference article)."),
                     ("note", "string", "Remarks."),
                     ("source_url", "string", "A source for the entity or its parent relation.", req)),
            resource("facts", "Reported figures.",
                     ("entity_id", "string", "entities.id", req),
                     ("metric", "string", "The source's wording, not harmonised.", {"enum": list(METRICS)}),
                     ("scope", "string", "Period kind.", {"enum": list(SCOPES)}),
                     ("period", "string", "YYYY-MM | YYYY | YYYY-MM/YYYY-MM | YYYY-MM-DD (see scope).", req),
                     ("value", "integer", "Number of vehicles.", {"required": True, "minimum": 1}),
                     ("bound", "string", "How the value bounds the true figure.", {"enum": list(BOUNDS)}),
                     ("kind", "string", "actual, target or expected.", {"enum": list(KINDS)}),
                     ("basis", "string", "domestic = China retail only; empty = the entity's usual basis."),
                     ("flags", "string", "Semicolon-separated subset of: " + ", ".join(FLAGS) + "."),
                     ("note", "string", "Qualifier from the research notes; reasons for flags."),
                     ("place", "string", "Location named by a milestone."), src,
                     ("published", "string", "YYYY-MM-DD or YYYY-MM when known: a date in the URL path, or "
                      "for targets the date the qualifier states (the earlier wins). " + PUBLISHED_RULE + "."),
                     origin),
            resource("events", "Dated non-numeric milestones.",
                     ("entity_id", "string", "entities.id", req),
                     ("event", "string", "Event type.", {"enum": list(EVENT_TYPES)}),
                     ("date", "string", "YYYY-MM-DD or YYYY-MM.", req),
                     ("status", "string", "planned = scheduled/expected; internal = staff-only.",
                      {"enum": list(EVENT_STATUSES)}),
                     ("place", "string", "Location."), ("model", "string", "Model named by the source."),
                     ("note", "string", "Qualifier."), src, origin),
        ],
    }


def valid_period(scope: str, period: str) -> bool:
    """Does ``period`` have the form its scope requires and name real dates?"""
    pattern = {"month": r"\d{4}-\d\d", "year": r"\d{4}", "ytd": r"(\d{4})-01/\1-\d\d",
               "cumulative": r"\d{4}-\d\d(-\d\d)?"}.get(scope, "$^")
    try:
        return bool(re.fullmatch(pattern, period)) and period_end(period).year > 2000
    except ValueError:
        return False


def validate(report: Report) -> None:
    """Sanity checks on everything built; problems are appended to report.violations."""
    v, ids = report.violations, {e["id"]: e for e in report.entities}
    for e in report.entities:
        parent_kind = {"brand": "group", "model": "brand"}.get(e["kind"], "-")
        if e["kind"] not in ENTITY_KINDS or e["rollup"] not in ROLLUPS or not e["source_url"]:
            v.append(f"entity {e['id']}: bad kind, rollup or source")
        if e["parent"] and ids.get(e["parent"], {}).get("kind") != parent_kind:
            v.append(f"entity {e['id']}: bad parent {e['parent']!r}")
    for f in report.facts:
        bad = [c for c, allowed in (("metric", METRICS), ("scope", SCOPES), ("bound", BOUNDS), ("kind", KINDS))
               if f[c] not in allowed]
        bad += ["entity_id"] if f["entity_id"] not in ids else []
        bad += ["flags"] if any(x not in FLAGS for x in filter(None, f["flags"].split(";"))) else []
        bad += ["period"] if not valid_period(f["scope"], f["period"]) else []
        bad += ["value"] if not f["value"].isdigit() or int(f["value"]) <= 0 else []
        bad += ["source_url"] if not f["source_url"] else []
        bad += ["published"] if f["published"] and not valid_period("cumulative", f["published"]) else []
        v += [f"fact {f['origin']}: bad {', '.join(bad)}"] if bad else []
    for ev in report.events:
        bad = ["entity_id"] if ev["entity_id"] not in ids else []
        bad += ["event"] if ev["event"] not in EVENT_TYPES else []
        bad += ["status"] if ev["status"] not in EVENT_STATUSES else []
        bad += ["date"] if not valid_period("cumulative", ev["date"]) else []
        bad += ["source_url"] if not ev["source_url"] else []
        v += [f"event {ev['origin']}: bad {', '.join(bad)}"] if bad else []
    v += [f"skipped {origin}: {why}" for origin, why in report.skipped]


def print_summary(report: Report) -> None:
    """Counts per file and per entity, then duplicates, exclusions, skipped rows, violations."""
    print("input rows:", ", ".join(f"{k}={n}" for k, n in sorted(report.input_rows.items())))
    print(f"written: entities.csv={len(report.entities)} facts.csv={len(report.facts)} "
          f"events.csv={len(report.events)}")
    per_file = Counter(f["origin"].rsplit(":", 1)[0] for f in report.facts)
    print("facts per input file:", ", ".join(f"{k}={n}" for k, n in sorted(per_file.items())))
    facts, events = Counter(f["entity_id"] for f in report.facts), Counter(e["entity_id"] for e in report.events)
    for e in report.entities:
        print(f"  {e['id']:<16} {e['kind']:<6} facts={facts[e['id']]:<4} events={events[e['id']]}")
    for title, items in (("exact duplicates dropped", report.duplicates),
                         ("excluded by rule (no figure, not an event type)", report.excluded),
                         ("skipped rows", report.skipped)):
        print(f"{title}: {len(items)}")
        print("".join(f"  {a}: {b}\n" for a, b in items), end="")
    print(f"model entities named by no input row (not written): {', '.join(report.unused) or 'none'}")
    print(f"overrides applied: {len(OVERRIDES)}; violations: {len(report.violations)}")
    print("".join(f"  VIOLATION {msg}\n" for msg in report.violations), end="")


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; exit status 1 on any violation."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "evpace" / "data")
    ap.add_argument("--research", type=Path, default=ROOT / "research" / "milestones_extra.csv")
    args = ap.parse_args(argv)
    report = build(args.shared, args.out, args.research)
    print_summary(report)
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
