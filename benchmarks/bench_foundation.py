"""Benchmark of the foundation: building the database and answering the main questions.

Prints wall times and ratios, and writes ``benchmarks/results/foundation.json``.
Usage: ``python benchmarks/bench_foundation.py [--pg postgresql://...] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import evpace
from evpace import api

RESULTS = Path(__file__).parent / "results" / "foundation.json"


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(url: str, repeat: int) -> dict[str, float]:
    out = {"init_fresh_s": timed(lambda: api.init(url), 1)}
    out["init_again_s"] = timed(lambda: api.init(url), repeat)
    out["milestones_1m_s"] = timed(lambda: api.milestones(1_000_000, url), repeat)
    out["targets_xiaomi_2026_s"] = timed(lambda: api.targets("xiaomi", url, 2026), repeat)
    out["series_nio_cumulative_s"] = timed(lambda: api.series("nio", url, cumulative=True), repeat)
    out["conflicts_all_s"] = timed(lambda: api.conflicts(url), repeat)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pg", help="PostgreSQL URL of an empty database to compare with")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        results = {"sqlite": run(str(Path(tmp) / "bench.db"), args.repeat)}
    if args.pg:
        results["postgres"] = run(args.pg, args.repeat)
    for db, r in results.items():
        print(f"{db}:")
        for k, v in r.items():
            print(f"  {k:28s} {v * 1000:9.1f} ms")
        print(f"  ratio re-init / first init     {r['init_again_s'] / r['init_fresh_s']:.2f}")
    if "postgres" in results:
        for k in results["sqlite"]:
            print(f"postgres / sqlite {k:28s} {results['postgres'][k] / results['sqlite'][k]:.2f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"evpace": evpace.__version__, "python": sys.version.split()[0],
                                   "machine": platform.machine(), "repeat": args.repeat,
                                   "results": results}, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
