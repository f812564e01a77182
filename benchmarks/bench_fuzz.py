"""Fuzzing the readers and the extractor at volume: the properties of tests/test_fuzz.py over 100,000+ inputs.

Phases (progress on stderr, summary on stdout, everything in ``benchmarks/results/fuzz.json``):

1. readers: ``--n`` seeded inputs from ``tests/fuzz_inputs.reader_case`` (valid, mutated, hostile, random
   bytes, random Unicode; up to ``--size`` bytes) through ``read_data`` (every ``--file-every``-th also
   through ``read_file``, named by extension), each Document then through ``extract``;
2. extractor: ``--extract-n`` texts from the grammar (``article_text``) and of random Unicode through
   ``extract``;
3. big: every hostile shape at ~5 MB (the reader's default size limit), each in a fresh process, with its
   time and peak RSS.

An input is a *crash* if an exception comes out instead of Documents and ``InvalidDocumentError`` values,
a *property violation* if what comes out breaks ``result_problems`` / ``extraction_problems``, a *hang* if
reading it (or extracting one of its documents) takes over ``--limit`` seconds; a hard timer
(``--kill-after``) stops a runaway case so the run goes on. A read over the limit is timed again and counted
as a hang only if it is slow twice (on a busy machine a stall is not the input's fault). Every crash,
violation and hang is listed with its seed: ``--replay SEED`` runs one again.

Usage::

    python benchmarks/bench_fuzz.py                      # 100,000 reader inputs + 20,000 texts + big shapes
    python benchmarks/bench_fuzz.py --n 5000 --extract-n 1000 --no-big   # a quick look
    python benchmarks/bench_fuzz.py --replay 4242
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzz_inputs import (  # noqa: E402
    EXTENSIONS,
    FORMATS,
    HOSTILE,
    article_text,
    extraction_problems,
    random_unicode,
    reader_case,
    result_problems,
)

import evpace  # noqa: E402
from evpace.extract import extract  # noqa: E402
from evpace.model import Document  # noqa: E402
from evpace.sources.dispatch import read_data, read_file  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "fuzz.json"
MAX_BYTES = 5_000_000
KEEP = 25  # crashes / hangs listed per kind


class Runaway(Exception):
    """Raised by the hard timer inside a case that runs far past the limit."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise Runaway()


def _timed(fn, kill_after: float) -> tuple[Any, float, BaseException | None]:
    """``fn()`` with a hard timer: (result, seconds, exception or None)."""
    signal.setitimer(signal.ITIMER_REAL, kill_after)
    start = time.perf_counter()
    try:
        return fn(), time.perf_counter() - start, None
    except Exception as e:  # noqa: BLE001 - a crash is what we count
        return None, time.perf_counter() - start, e
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


class Tally:
    """What one worker saw."""

    def __init__(self) -> None:
        self.inputs = Counter()  # by phase
        self.families = Counter()
        self.outcomes = Counter()  # documents / errors
        self.crashes: list[dict[str, Any]] = []
        self.hangs: dict[str, list[dict[str, Any]]] = {}
        self.n_crashes = Counter()  # exceptions
        self.n_broken = Counter()  # results breaking a property (result_problems, extraction_problems)
        self.n_hangs = Counter()
        self.max_ms = Counter()
        self.max_case: dict[str, Any] = {}
        self.stalls = Counter()  # over the limit once, under it when timed again
        self.ms: dict[str, Counter] = {}  # what -> {whole milliseconds: documents}, for percentiles
        self.total_s = Counter()
        self.figures = 0

    def time(self, what: str, seconds: float, case: dict[str, Any], limit: float,
             again: Callable[[], float] | None = None) -> None:
        """Record one timing. Over ``limit``, ``again()`` (if given) times the case once more and it is a hang
        only if that is over too: on a busy machine a stall is not the input's fault."""
        self.total_s[what] += seconds
        self.ms.setdefault(what, Counter())[int(seconds * 1000)] += 1
        if seconds > limit and again is not None:
            second = again()
            if second <= limit:
                self.stalls[what] += 1
                return
            seconds = min(seconds, second)
        if seconds * 1000 > self.max_ms[what]:
            self.max_ms[what] = round(seconds * 1000, 2)
            self.max_case[what] = case
        if seconds > limit:
            self.n_hangs[what] += 1
            kept = self.hangs.setdefault(what, [])
            if len(kept) < KEEP:
                kept.append(case | {"seconds": round(seconds, 2)})

    def crash(self, what: str, case: dict[str, Any], why: str, broken: bool = False) -> None:
        """An exception, or (``broken``) results that break a property."""
        (self.n_broken if broken else self.n_crashes)[what] += 1
        if len(self.crashes) < KEEP:
            self.crashes.append(case | {"what": what, "kind": "property" if broken else "exception",
                                        "why": why[:300]})

    def to_dict(self) -> dict[str, Any]:
        return {k: (dict(v) if isinstance(v, Counter) else v) for k, v in vars(self).items()}


def percentiles(hist: dict[int, int], qs: tuple[float, ...] = (0.5, 0.99, 0.999)) -> dict[str, int]:
    """Milliseconds (whole, rounded down) at each quantile of a {ms: count} histogram."""
    total, out, seen = sum(hist.values()), {}, 0
    marks = iter(qs)
    q = next(marks, None)
    for ms in sorted(hist):
        seen += hist[ms]
        while q is not None and seen >= q * total:
            out[f"p{q * 100:g}"] = ms
            q = next(marks, None)
    return out


def _extract_checked(doc: Document, t: Tally, case: dict[str, Any], limit: float, kill_after: float) -> None:
    xs, seconds, exc = _timed(lambda: extract(doc), kill_after)
    t.time("extract", seconds, case | {"chars": len(doc.text)}, limit)
    if isinstance(exc, Runaway):
        return  # counted as a hang
    if exc is not None:
        t.crash("extract", case, f"{type(exc).__name__}: {exc}")
        return
    t.figures += len(xs)
    problems = extraction_problems(doc, xs)
    if problems:
        t.crash("extract", case, "; ".join(problems[:3]), broken=True)


def reader_chunk(seeds: range, size: int, limit: float, kill_after: float, file_every: int) -> dict[str, Any]:
    signal.signal(signal.SIGALRM, _alarm)
    t = Tally()
    with tempfile.TemporaryDirectory(prefix="evpace-fuzz-") as tmp:
        for seed in seeds:
            fmt, family, data = reader_case(random.Random(seed), size)
            case = {"seed": seed, "format": fmt, "family": family, "bytes": len(data)}
            t.inputs["readers"] += 1
            t.families[family.split(":")[0]] += 1
            def read(d: bytes = data, k: str = FORMATS[fmt]) -> list:
                return list(read_data(d, k, path="fuzz", name="fuzz", published=None))

            results, seconds, exc = _timed(read, kill_after)
            t.time("read", seconds, case, limit, again=lambda r=read: _timed(r, kill_after)[1])
            if isinstance(exc, Runaway):
                continue
            if exc is not None:
                t.crash("read", case, f"{type(exc).__name__}: {exc}")
                continue
            problems = result_problems(results, data)
            if problems:
                t.crash("read", case, "; ".join(problems[:3]), broken=True)
            docs = [r for r in results if isinstance(r, Document)]
            t.outcomes["documents"] += len(docs)
            t.outcomes["errors"] += len(results) - len(docs)
            if file_every and seed % file_every == 0:
                path = Path(tmp) / f"case{EXTENSIONS[fmt]}"
                path.write_bytes(data)
                t.inputs["read_file"] += 1
                def read_path(p: str = str(path)) -> list:
                    return list(read_file(p, None, MAX_BYTES))

                got, seconds, exc = _timed(read_path, kill_after)
                t.time("read_file", seconds, case, limit, again=lambda r=read_path: _timed(r, kill_after)[1])
                if exc is not None and not isinstance(exc, Runaway):
                    t.crash("read_file", case, f"{type(exc).__name__}: {exc}")
                elif exc is None and result_problems(got, data):
                    t.crash("read_file", case, "; ".join(result_problems(got, data)[:3]), broken=True)
            for doc in docs:
                t.inputs["extract (reader output)"] += 1
                _extract_checked(doc, t, case, limit, kill_after)
    return t.to_dict() | {"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


#: Seeds of the extractor phase start here (so ``--replay`` tells them from reader seeds).
TEXT_SEEDS = 10_000_000


def text_case(seed: int) -> tuple[str, Document]:
    """The extractor phase's input for ``seed``: (family, document) of grammar text or random Unicode."""
    rng = random.Random(seed)
    unicode_only = seed % 5 == 0
    text = random_unicode(rng, rng.randint(1, 2000)) if unicode_only else article_text(rng, noise=0.2)
    doc = Document(text=text, name="fuzz", published=rng.choice((None, "2026-01-06", "2025-07-31")))
    return ("random unicode" if unicode_only else "grammar"), doc


def extract_chunk(seeds: range, limit: float, kill_after: float) -> dict[str, Any]:
    signal.signal(signal.SIGALRM, _alarm)
    t = Tally()
    for seed in seeds:
        family, doc = text_case(seed)
        t.inputs["extract (texts)"] += 1
        t.families[family] += 1
        _extract_checked(doc, t, {"seed": seed, "family": family, "chars": len(doc.text)}, limit, kill_after)
    return t.to_dict() | {"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def one_big(name: str) -> dict[str, Any]:
    """One hostile shape at ~5 MB through the reader of its first target format (run in a fresh process)."""
    _, fmts, make = next(h for h in HOSTILE if h[0] == name)
    data = make(random.Random(1), MAX_BYTES - 100_000)[:MAX_BYTES]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    results = list(read_data(data, FORMATS[fmts[0]], path="big", name="big", published=None))
    seconds = time.perf_counter() - start
    docs = [r for r in results if isinstance(r, Document)]
    first_error = next((str(r) for r in results if not isinstance(r, Document)), "")
    return {"shape": name, "format": fmts[0], "bytes": len(data), "seconds": round(seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "rss_before_mb": round(before, 1), "documents": len(docs), "errors": len(results) - len(docs),
            "first_error": first_error[:160], "problems": result_problems(results, data)[:3]}


def big_phase(timeout: float) -> list[dict[str, Any]]:
    rows = []
    for name, _, _ in HOSTILE:
        try:
            out = subprocess.run([sys.executable, __file__, "--one-big", name], capture_output=True, text=True,
                                 timeout=timeout, check=False)
            row = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else {
                "shape": name, "crash": out.stderr.strip().splitlines()[-1:] or [f"exit {out.returncode}"]}
        except subprocess.TimeoutExpired:
            row = {"shape": name, "hang": f"over {timeout:.0f} s"}
        rows.append(row)
        print(f"  big {name:28s} {row.get('seconds', '-')!s:>6} s  {row.get('peak_rss_mb', '-')!s:>7} MB  "
              f"{row.get('first_error', '')[:60] or row.get('crash') or row.get('hang') or ''}", file=sys.stderr)
    return rows


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"inputs": Counter(), "families": Counter(), "outcomes": Counter(), "n_crashes": Counter(),
                           "n_broken": Counter(),
                           "n_hangs": Counter(), "stalls": Counter(), "total_s": Counter(), "max_ms": {},
                           "max_case": {}, "crashes": [], "hangs": {}, "figures": 0, "maxrss_mb": 0.0}
    hists: dict[str, Counter] = {}
    for p in parts:
        for what, hist in p["ms"].items():
            hists.setdefault(what, Counter()).update({int(k): v for k, v in hist.items()})
        for key in ("inputs", "families", "outcomes", "n_crashes", "n_broken", "n_hangs", "stalls", "total_s"):
            out[key].update(p[key])
        for what, ms in p["max_ms"].items():
            if ms > out["max_ms"].get(what, -1):
                out["max_ms"][what], out["max_case"][what] = ms, p["max_case"][what]
        out["crashes"] = (out["crashes"] + p["crashes"])[:KEEP]
        for what, kept in p["hangs"].items():
            out["hangs"][what] = sorted(out["hangs"].get(what, []) + kept, key=lambda h: -h["seconds"])[:KEEP]
        out["figures"] += p["figures"]
        out["maxrss_mb"] = max(out["maxrss_mb"], p["maxrss_mb"])
    out["total_s"] = {k: round(v, 1) for k, v in out["total_s"].items()}
    out["ms_percentiles"] = {what: percentiles(h) for what, h in hists.items()}
    return {k: (dict(v) if isinstance(v, Counter) else v) for k, v in out.items()}


def run_pool(fn, jobs: list[tuple], workers: int, label: str) -> list[dict[str, Any]]:
    parts = []
    with ProcessPoolExecutor(workers) as pool:
        for i, part in enumerate(pool.map(fn, *zip(*jobs, strict=True)), 1):
            parts.append(part)
            if i % max(1, len(jobs) // 10) == 0 or i == len(jobs):
                done = sum(sum(p["inputs"].values()) for p in parts)
                print(f"  {label}: {i}/{len(jobs)} chunks, {done:,} inputs", file=sys.stderr)
    return parts


def replay(seed: int, size: int) -> int:
    if seed >= TEXT_SEEDS:
        family, doc = text_case(seed)
        print(f"seed {seed}: {family}, {len(doc.text):,} characters: {doc.text[:200]!r}")
        results: list[Any] = [doc]
    else:
        fmt, family, data = reader_case(random.Random(seed), size)
        print(f"seed {seed}: {fmt}, {family}, {len(data):,} bytes: {data[:200]!r}")
        start = time.perf_counter()
        results = list(read_data(data, FORMATS[fmt], path="fuzz", name="fuzz", published=None))
        print(f"read in {time.perf_counter() - start:.3f} s: {[type(r).__name__ for r in results]}",
              result_problems(results, data))
    for r in results:
        if isinstance(r, Document):
            start = time.perf_counter()
            xs = extract(r)
            print(f"extract {len(r.text):,} chars in {time.perf_counter() - start:.3f} s: {len(xs)} figures",
                  extraction_problems(r, xs))
        else:
            print(" ", r)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="reader inputs (default 100,000)")
    ap.add_argument("--extract-n", type=int, default=20_000, help="texts for the extractor (default 20,000)")
    ap.add_argument("--size", type=int, default=16_384, help="largest generated input, bytes (default 16 KB)")
    ap.add_argument("--limit", type=float, default=1.0, help="seconds an input may take before it is a hang")
    ap.add_argument("--kill-after", type=float, default=2.0, help="seconds after which a case is stopped")
    ap.add_argument("--file-every", type=int, default=20, help="every Nth input also through read_file")
    ap.add_argument("--seed", type=int, default=0, help="first seed")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--chunk", type=int, default=500)
    ap.add_argument("--no-big", action="store_true", help="skip the 5 MB hostile shapes")
    ap.add_argument("--big-timeout", type=float, default=120.0)
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--replay", type=int, help="run one reader seed and show what happens")
    ap.add_argument("--one-big", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one_big:
        print(json.dumps(one_big(args.one_big)))
        return 0
    if args.replay is not None:
        return replay(args.replay, args.size)

    started = time.time()
    print(f"readers: {args.n:,} inputs on {args.workers} workers", file=sys.stderr)
    seeds = range(args.seed, args.seed + args.n)
    jobs = [(seeds[i:i + args.chunk], args.size, args.limit, args.kill_after, args.file_every)
            for i in range(0, len(seeds), args.chunk)]
    readers = merge(run_pool(reader_chunk, jobs, args.workers, "readers"))
    print(f"extractor: {args.extract_n:,} texts", file=sys.stderr)
    eseeds = range(TEXT_SEEDS + args.seed, TEXT_SEEDS + args.seed + args.extract_n)
    ejobs = [(eseeds[i:i + args.chunk], args.limit, args.kill_after) for i in range(0, len(eseeds), args.chunk)]
    texts = merge(run_pool(extract_chunk, ejobs, args.workers, "extractor"))
    big = [] if args.no_big else big_phase(args.big_timeout)

    total_inputs = sum(readers["inputs"].values()) + sum(texts["inputs"].values())
    result = {
        "benchmark": "fuzz", "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "evpace": evpace.__version__, "python": platform.python_version(), "platform": platform.platform(),
        "cpus": os.cpu_count(), "workers": args.workers,
        "settings": {"n": args.n, "extract_n": args.extract_n, "size": args.size, "limit_s": args.limit,
                     "kill_after_s": args.kill_after, "file_every": args.file_every, "seed": args.seed},
        "summary": {
            "inputs": total_inputs,
            "reader_inputs": readers["inputs"].get("readers", 0) + readers["inputs"].get("read_file", 0),
            "extractor_inputs": readers["inputs"].get("extract (reader output)", 0)
            + texts["inputs"].get("extract (texts)", 0),
            "crashes": sum(readers["n_crashes"].values()) + sum(texts["n_crashes"].values()),
            "property_violations": {what: readers["n_broken"].get(what, 0) + texts["n_broken"].get(what, 0)
                                    for what in ("read", "read_file", "extract")},
            "hangs": {"read": readers["n_hangs"].get("read", 0) + readers["n_hangs"].get("read_file", 0),
                      "extract": readers["n_hangs"].get("extract", 0) + texts["n_hangs"].get("extract", 0)},
            "read_stalls_not_repeated": sum(readers["stalls"].values()),
            "ms_percentiles": {"read": readers["ms_percentiles"].get("read"),
                               "extract (reader output)": readers["ms_percentiles"].get("extract"),
                               "extract (texts)": texts["ms_percentiles"].get("extract")},
            "max_ms_per_document": {
                "read": max(readers["max_ms"].get("read", 0), readers["max_ms"].get("read_file", 0)),
                "extract": max(readers["max_ms"].get("extract", 0), texts["max_ms"].get("extract", 0))},
            "peak_rss_mb_worker": round(max(readers["maxrss_mb"], texts["maxrss_mb"]), 1),
            "big_max_seconds": max((r.get("seconds", 0) for r in big), default=None),
            "big_peak_rss_mb": max((r.get("peak_rss_mb", 0) for r in big), default=None),
            "wall_s": round(time.time() - started, 1),
        },
        "readers": readers, "extractor": texts, "big": big,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["summary"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
