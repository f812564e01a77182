#!/usr/bin/env python3
"""Validate an evpace labelled extraction set: devset/ or heldout/ (stdlib only).

Checks, for every article in devset/articles/ and its gold file in devset/gold/:
  * front matter: title, url (https://example.test/<set>/<stem>), optional published (YYYY-MM-DD);
  * body length: 150-700 words (a CJK character counts as one word);
  * every gold line parses as a JSON object with exactly the schema fields;
  * entity_id exists in evpace/data/entities.csv; metric, scope, unit, bound, kind are valid enums;
  * period matches the format for its scope (or is empty);
  * change is yoy / mom / qoq / "vs YYYY" for percent facts and empty otherwise;
  * thresholds are integers or null for durations (months/days/years) and null otherwise;
  * text is a non-empty exact substring of the body, and the number written in it matches value;
  * an `actual` fact's period does not start after the publication date;
  * no 12-word run of a reference article (/work/shared/seeds, if present) appears in an article;
  * the optional gold for the reference articles themselves (seeds/seeds.json + seeds/NAME.jsonl)
    passes the same fact checks against the article text.
Prints counts.  Exit status 1 if any error was found.

Usage: python3 devset/validate.py [--root devset|heldout] [--seeds DIR] [-v]
"""
from __future__ import annotations

import argparse
import calendar
import collections
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent  # the set being checked; main(root=...) changes it
ARTICLES = HERE / "articles"
GOLD = HERE / "gold"
ENTITIES = HERE.parent / "evpace" / "data" / "entities.csv"


def _use_root(root: Path) -> None:
    global HERE, ARTICLES, GOLD
    HERE = root.resolve()
    ARTICLES, GOLD = HERE / "articles", HERE / "gold"
DEFAULT_SEEDS = Path("/work/shared/seeds")

FIELDS = ["entity_id", "metric", "scope", "period", "value", "unit", "bound", "kind",
          "change", "from_threshold", "to_threshold", "text"]
METRICS = {"deliveries", "sales", "production", "orders"}
SCOPES = {"month", "quarter", "half", "year", "ytd", "cumulative"}
UNITS = {"vehicles", "percent", "times", "months", "days", "years"}
DURATIONS = {"months", "days", "years"}
BOUNDS = {"exact", "approx", "lower", "upper"}
KINDS = {"actual", "target", "expected"}
CHANGE_RE = re.compile(r"^(yoy|mom|qoq|vs \d{4})$")
PERIOD_RE = {
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half": re.compile(r"^(\d{4})-H([12])$"),
    "year": re.compile(r"^(\d{4})$"),
    "ytd": re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$"),
    "cumulative": re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$"),
}
CJK = re.compile(r"[\u3400-\u9fff]")
DOC_TEXT: dict = {}


def evpace_text(path: Path):
    """Document.text as evpace's reader builds it (None when evpace cannot be imported)."""
    try:
        sys.path.insert(0, str(HERE.parent))
        from evpace.model import Document
        from evpace.sources import read_documents
    except Exception:  # noqa: BLE001
        return None
    docs = [d for d in read_documents([str(path)]) if isinstance(d, Document)]
    return docs[0].text if docs else None


# ---------------------------------------------------------------- articles
def split_front_matter(raw: str):
    m = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    if not m:
        return None, raw
    meta = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            v = v.strip()
            if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
                v = v[1:-1]
            meta[k.strip()] = v
    return meta, raw[m.end():]


def word_count(body: str) -> int:
    latin = re.findall(r"[^\s]+", CJK.sub(" ", body))
    latin = [w for w in latin if re.search(r"[A-Za-z0-9]", w)]
    return len(latin) + len(CJK.findall(body))


# ---------------------------------------------------------------- periods
def period_range(scope: str, period: str):
    """(first day, last day) covered by a period, or None when it does not parse."""
    m = PERIOD_RE[scope].match(period)
    if not m:
        return None
    g = m.groups()
    try:
        if scope == "month":
            y, mo = int(g[0]), int(g[1])
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
        if scope == "quarter":
            y, q = int(g[0]), int(g[1])
            return dt.date(y, 3 * q - 2, 1), dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        if scope == "half":
            y, h = int(g[0]), int(g[1])
            return dt.date(y, 6 * h - 5, 1), dt.date(y, 6 * h, 30 if h == 1 else 31)
        if scope == "year":
            y = int(g[0])
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if scope == "ytd":
            y1, m1, y2, m2 = map(int, g)
            if y1 != y2 or m1 != 1 or m2 < m1:
                return None
            return dt.date(y1, 1, 1), dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
        if scope == "cumulative":
            y, mo = int(g[0]), int(g[1])
            if g[2]:
                d = dt.date(y, mo, int(g[2]))
                return d, d
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    except ValueError:
        return None
    return None


# ---------------------------------------------------------------- numbers in `text`
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a decade": 10, "double": 2,
         "doubled": 2, "triple": 3, "tripled": 3, "a year and a half": 1.5,
         "half a million": 500000, "half-million": 500000}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
UNITS_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9}
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "lakh": 1e5, "crore": 1e7,
          "万": 1e4, "亿": 1e8}


def number_in(text: str):
    """The number a gold `text` spells, or None when it cannot be read."""
    t = text.lower()
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|lakh|crore|万|亿)?", t)
    if m:
        v = float(m.group(1).replace(",", ""))
        if m.group(2):
            v *= SCALES[m.group(2)]
        else:
            k = re.match(r"(\d[\d,]*(?:\.\d+)?)(k|mn|m)(?![a-z])", t[m.start():])  # 46k, 1.1m, 2.1mn
            if k:
                v *= 1e3 if k.group(2) == "k" else 1e6
        return v
    m = re.search(r"(?<![a-z])(" + "|".join(TENS) + r")(?:[\s-]+(" + "|".join(UNITS_WORDS)
                  + r"))?[\s-]+(thousand|million|billion|lakh|crore)", t)
    if m:  # "twenty thousand", "forty-six thousand"
        return float((TENS[m.group(1)] + UNITS_WORDS.get(m.group(2) or "", 0)) * SCALES[m.group(3)])
    m = re.search(r"(?<![a-z])(" + "|".join(k for k in WORDS if " " not in k and "-" not in k)
                  + r")[\s-]+(thousand|million|billion|lakh|crore)", t)
    if m:
        return float(WORDS[m.group(1)] * SCALES[m.group(2)])
    for w, v in sorted(WORDS.items(), key=lambda kv: -len(kv[0])):
        if re.search(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", t):
            return float(v)
    for ch, v in CN_DIGITS.items():
        if ch in text:
            return float(v)
    return None


def number_in_european(text: str):
    """The number a `text` spells in continental style (dot thousands, decimal comma), or None.

    Tried only when the English reading of `number_in` does not match the gold value, so
    no English figure is read differently: "596.555" -> 596555, "103,1 %" -> 103.1,
    "4,6 million" -> 4600000.
    """
    m = re.search(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\d.,]*\d)"
                  r"\s*(thousand|million|billion|lakh|crore|万|亿)?", text.lower())
    if not m or ("." not in m.group(1) and m.group(2) is None):
        return None
    v = float(m.group(1).replace(".", "") + ("." + m.group(2) if m.group(2) else ""))
    return v * SCALES[m.group(3)] if m.group(3) else v


# ---------------------------------------------------------------- checks
def check_fact(obj, where, body, published, entities, errors, warnings):
    if not isinstance(obj, dict):
        errors.append(f"{where}: not a JSON object")
        return
    keys = list(obj)
    if set(keys) != set(FIELDS):
        errors.append(f"{where}: fields {sorted(set(keys) ^ set(FIELDS))} missing or unexpected")
        return
    e = lambda msg: errors.append(f"{where}: {msg}")  # noqa: E731
    if obj["entity_id"] not in entities:
        e(f"unknown entity_id {obj['entity_id']!r}")
    if obj["metric"] not in METRICS:
        e(f"bad metric {obj['metric']!r}")
    if obj["scope"] not in SCOPES:
        e(f"bad scope {obj['scope']!r}")
    if obj["unit"] not in UNITS:
        e(f"bad unit {obj['unit']!r}")
    if obj["bound"] not in BOUNDS:
        e(f"bad bound {obj['bound']!r}")
    if obj["kind"] not in KINDS:
        e(f"bad kind {obj['kind']!r}")
    v = obj["value"]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        e(f"value {v!r} is not a number")
        v = None
    elif obj["unit"] != "percent" and v <= 0:
        e(f"value {v} must be positive for unit {obj['unit']}")
    # period
    per, scope = obj["period"], obj["scope"]
    if not isinstance(per, str):
        e("period must be a string")
    elif per and scope in PERIOD_RE:
        rng = period_range(scope, per)
        if rng is None:
            e(f"period {per!r} does not fit scope {scope}")
        elif published and obj["kind"] == "actual" and rng[0] > published:
            e(f"actual fact for {per} starts after publication date {published}")
    # change
    ch = obj["change"]
    if obj["unit"] == "percent":
        if not isinstance(ch, str) or not CHANGE_RE.match(ch):
            e(f"percent fact needs change yoy/mom/qoq/'vs YYYY', got {ch!r}")
    elif ch != "":
        e(f"change must be empty for unit {obj['unit']}, got {ch!r}")
    # thresholds
    for k in ("from_threshold", "to_threshold"):
        t = obj[k]
        if obj["unit"] in DURATIONS:
            if t is not None and (isinstance(t, bool) or not isinstance(t, int) or t < 0):
                e(f"{k} must be a non-negative integer or null")
        elif t is not None:
            e(f"{k} must be null for unit {obj['unit']}")
    ft, tt = obj["from_threshold"], obj["to_threshold"]
    if isinstance(ft, int) and isinstance(tt, int) and ft >= tt:
        e(f"from_threshold {ft} must be below to_threshold {tt}")
    # text
    text = obj["text"]
    if not isinstance(text, str) or not text:
        e("text must be a non-empty string")
        return
    if text not in body:
        e(f"text {text!r} does not occur in the article body")
    if DOC_TEXT.get("current") is not None and text not in DOC_TEXT["current"]:
        e(f"text {text!r} does not occur in evpace's Document.text for this article")
    if v is not None:
        n = number_in(text)
        if n is not None and abs(abs(v) - n) > 1e-6 * max(1.0, n):
            eu = number_in_european(text)  # "596.555", "103,1 %", "4,6 million"
            if eu is not None and abs(abs(v) - eu) <= 1e-6 * max(1.0, eu):
                n = eu
        if n is None:
            warnings.append(f"{where}: cannot read a number in text {text!r}")
        elif abs(abs(v) - n) > 1e-6 * max(1.0, n):
            e(f"value {v} does not match the number written in text {text!r} ({n:g})")


def shingles(text: str, n: int = 12):
    words = re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def main(argv=None, root: Path | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=root, help="the set's folder [default: this file's folder]")
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                    help="directory of real reference articles for the 12-word overlap check")
    ap.add_argument("-v", "--verbose", action="store_true", help="also print warnings")
    args = ap.parse_args(argv)
    if args.root is not None:
        _use_root(args.root)

    errors: list[str] = []
    warnings: list[str] = []
    with ENTITIES.open(encoding="utf-8", newline="") as f:
        entities = {row["id"] for row in csv.DictReader(f)}

    seed_shingles = {}
    if args.seeds.is_dir():
        for p in sorted(args.seeds.iterdir()):
            if p.is_file():
                seed_shingles[p.name] = shingles(p.read_text(encoding="utf-8", errors="replace"))
    else:
        warnings.append(f"seed directory {args.seeds} not found: 12-word overlap check skipped")

    arts = sorted(ARTICLES.glob("*.md"))
    golds = {p.stem for p in GOLD.glob("*.jsonl")}
    for stem in sorted(golds - {p.stem for p in arts}):
        errors.append(f"gold/{stem}.jsonl has no article")

    c = {k: collections.Counter() for k in ("unit", "scope", "kind", "metric", "bound", "entity_id")}
    n_facts, n_dated, n_zh = 0, 0, 0
    per_article = []
    for art in arts:
        stem = art.stem
        if not re.match(r"^\d{2,3}-[a-z0-9-]+$", stem):
            errors.append(f"{art.name}: file name should be NN-slug.md (NN: two or three digits)")
        meta, body = split_front_matter(art.read_text(encoding="utf-8"))
        if meta is None:
            errors.append(f"{art.name}: no front matter")
            continue
        if not meta.get("title"):
            errors.append(f"{art.name}: no title")
        if meta.get("url") != f"https://example.test/{HERE.name}/{stem}":
            errors.append(f"{art.name}: url should be https://example.test/{HERE.name}/{stem}")
        published = None
        if "published" in meta:
            try:
                published = dt.date.fromisoformat(meta["published"])
                n_dated += 1
            except ValueError:
                errors.append(f"{art.name}: bad published date {meta['published']!r}")
        wc = word_count(body)
        if not 150 <= wc <= 700:
            errors.append(f"{art.name}: {wc} words, expected 150-700")
        if len(CJK.findall(body)) > len(body) / 4:
            n_zh += 1
        for name, sh in seed_shingles.items():
            common = shingles(body) & sh
            if common:
                errors.append(f"{art.name}: shares {len(common)} 12-word run(s) with seed {name}, "
                              f"e.g. {' '.join(next(iter(common)))!r}")
        gp = GOLD / f"{stem}.jsonl"
        if not gp.exists():
            errors.append(f"{art.name}: no gold file {gp.name}")
            continue
        DOC_TEXT["current"] = evpace_text(art)
        if DOC_TEXT["current"] is None:
            warnings.append(f"{art.name}: evpace reader unavailable, Document.text not checked")
        nf = 0
        texts = collections.Counter()
        for i, line in enumerate(gp.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"gold/{gp.name}:{i}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as ex:
                errors.append(f"{where}: invalid JSON ({ex})")
                continue
            check_fact(obj, where, body, published, entities, errors, warnings)
            if isinstance(obj, dict) and set(obj) == set(FIELDS):
                nf += 1
                for k in c:
                    c[k][obj[k]] += 1
                texts[obj["text"]] += 1
        for t, k in texts.items():
            occ = body.count(t)
            if occ > 1 or k > 1:
                warnings.append(f"{gp.name}: text {t!r} used by {k} fact(s), occurs {occ} time(s) in body")
        n_facts += nf
        per_article.append((stem, wc, nf, published))

    # Optional gold for the real reference articles: seeds/seeds.json maps a name to
    # {"path": relative to the repository root, "published": "YYYY-MM-DD"}; gold in seeds/NAME.jsonl.
    n_seed_facts, n_seed_docs = 0, 0
    DOC_TEXT["current"] = None  # seed texts are checked against their raw files below
    seeds_json = HERE / "seeds" / "seeds.json"
    if seeds_json.exists():
        try:
            spec = json.loads(seeds_json.read_text(encoding="utf-8"))
        except json.JSONDecodeError as ex:
            errors.append(f"seeds/seeds.json: invalid JSON ({ex})")
            spec = {}
        for name, s in spec.items():
            gp = HERE / "seeds" / f"{name}.jsonl"
            src = (HERE.parent / s.get("path", "")).resolve()
            if not gp.exists():
                errors.append(f"seeds/seeds.json names {name!r} but seeds/{name}.jsonl is missing")
                continue
            if not src.is_file():
                warnings.append(f"seed article {src} not found: seeds/{name}.jsonl not checked")
                continue
            _meta, body = split_front_matter(src.read_text(encoding="utf-8"))
            published = None
            if s.get("published"):
                try:
                    published = dt.date.fromisoformat(s["published"])
                except ValueError:
                    errors.append(f"seeds/seeds.json: bad published date for {name!r}")
            n_seed_docs += 1
            for i, line in enumerate(gp.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                where = f"seeds/{gp.name}:{i}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as ex:
                    errors.append(f"{where}: invalid JSON ({ex})")
                    continue
                check_fact(obj, where, body, published, entities, errors, warnings)
                n_seed_facts += 1

    print(f"articles: {len(arts)} ({n_dated} dated, {len(arts) - n_dated} undated, {n_zh} in Chinese)")
    print(f"gold facts: {n_facts}")
    if n_seed_docs:
        print(f"seed gold (real reference articles, counted separately): {n_seed_docs} articles, "
              f"{n_seed_facts} facts")
    for k in ("unit", "scope", "kind", "metric", "bound"):
        print(f"  by {k}: " + ", ".join(f"{a} {b}" for a, b in c[k].most_common()))
    print("  by entity: " + ", ".join(f"{a} {b}" for a, b in c["entity_id"].most_common()))
    if args.verbose:
        for stem, wc, nf, pub in per_article:
            print(f"  {stem:<40} {wc:>4} words {nf:>3} facts  {pub or 'undated'}")
        for w in warnings:
            print("warning:", w)
    elif warnings:
        print(f"{len(warnings)} warning(s); run with -v to list them")
    for err in errors:
        print("ERROR:", err)
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
