"""Rolling-origin backtest of every forecast model against the naive run-rate.

Builds a throwaway SQLite database from the shipped dataset, runs :func:`evpace.forecast.backtest` over
every group and brand with at least 18 months of monthly data (origins: the 10th of every month, facts cut
to those published by then), prints the table and the ratios to the run-rate baselines, and writes
``benchmarks/results/backtest.json``: a list with one object per model (``model, n_crossings,
crossing_mae_months, coverage_80, coverage_95, n_years, year_total_mape, target_brier`` and more; the
run-rate baselines as ``naive`` (last month) and ``naive3`` (trailing three months)). Each object also has
``raw`` (the metrics at interval width 1), ``holdout`` (origins from 2024 on only, which the width
calibration never saw), ``suggested_width`` (what the calibration on origins before 2024 picks from this
run) and ``run`` (date, paths, origins, series, seconds).

Usage::

    python benchmarks/bench_backtest.py                 # all models, 500 paths per forecast (~6 min on 2 cores)
    python benchmarks/bench_backtest.py --quick         # no arima, 200 paths (~1.5 min)
    python benchmarks/bench_backtest.py --models naive,ensemble --paths 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evpace import api  # noqa: E402
from evpace.forecast.backtest import MAX_LEAD, SPLIT, backtest  # noqa: E402
from evpace.forecast.cli import backtest_rows  # noqa: E402
from evpace.forecast.select import DEFAULT_MODEL, MODEL_NAMES  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "backtest.json"
COLUMNS = [("model", 9, "{}"), ("width", 5, "{:.2f}"), ("n_crossings", 5, "{}"), ("crossing_mae_months", 6, "{:.2f}"),
           ("crossing_median_ae_months", 6, "{:.2f}"), ("crossing_bias_months", 6, "{:+.2f}"),
           ("coverage_80", 5, "{:.2f}"), ("coverage_95", 5, "{:.2f}"), ("mae_vs_naive", 6, "{:.2f}"),
           ("mae_vs_naive3", 6, "{:.2f}"), ("n_years", 5, "{}"), ("year_total_mape", 6, "{:.3f}"),
           ("year_coverage_80", 5, "{:.2f}"), ("n_targets", 5, "{}"), ("target_brier", 6, "{:.3f}")]
HEAD = ["model", "width", "n", "MAE", "MedAE", "bias", "c80", "c95", "/naive", "/nv3", "years", "MAPE", "yc80",
        "tgts", "Brier"]


def _cell(v, fmt: str) -> str:
    return "—" if v is None else fmt.format(v)


def table(rows: list[dict], title: str) -> str:
    """Fixed-width text table of the summary rows."""
    widths = [max(w, len(h)) for (_, w, _), h in zip(COLUMNS, HEAD, strict=True)]
    lines = [title, "  ".join(h.rjust(w) for h, w in zip(HEAD, widths, strict=True))]
    for r in rows:
        lines.append("  ".join(_cell(r.get(k), f).rjust(w) for (k, _, f), w in zip(COLUMNS, widths, strict=True)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default=",".join(MODEL_NAMES), help="comma-separated model names")
    ap.add_argument("--paths", type=int, default=500, help="simulated paths per forecast")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    ap.add_argument("--quick", action="store_true", help="no arima, 200 paths")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    models = tuple(m for m in args.models.split(",") if m)
    if args.quick:
        models, args.paths = tuple(m for m in models if m != "arima"), 200
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        api.init(db)
        t0 = time.perf_counter()
        res = backtest(db, models=models, n_paths=args.paths, workers=args.workers,
                       progress=lambda i, n: print(f"\rorigins {i}/{n}", end="", file=sys.stderr))
        seconds = time.perf_counter() - t0
    print(file=sys.stderr)
    rows = backtest_rows(res)
    run = {"date": dt.date.today().isoformat(), "n_paths": res.n_paths, "origins": res.origins,
           "series": res.entities, "seconds": round(seconds, 1), "calibration_split": SPLIT,
           "max_lead_months": MAX_LEAD, "default_model": DEFAULT_MODEL}
    out = []
    for r in rows:
        out.append({**r, "chosen": r["model"] == DEFAULT_MODEL, "suggested_width": res.suggested.get(r["model"]),
                    "run": run})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(table(rows, f"All origins ({res.origins} monthly origins, {len(res.entities)} series, {res.n_paths} paths)"))
    hold = []
    for r in rows:
        h = dict(r["holdout"], model=r["model"], width=r["width"])
        hold.append(h)
    base = {h["model"]: h for h in hold}
    for h in hold:
        for b in ("naive", "naive3"):
            if b in base and base[b]["crossing_mae_months"] and h["crossing_mae_months"] is not None:
                h[f"mae_vs_{b}"] = h["crossing_mae_months"] / base[b]["crossing_mae_months"]
    print()
    print(table(hold, f"Hold-out: origins from {SPLIT} (not used to calibrate widths)"))
    print()
    print(table([dict(r["raw"], model=r["model"], width=1.0) for r in rows], "Raw: every model at width 1"))
    chosen = next((r for r in rows if r["model"] == DEFAULT_MODEL), None)
    if chosen:
        print(f"\nchosen model {DEFAULT_MODEL}: crossing MAE {chosen['crossing_mae_months']:.2f} months = "
              f"{chosen.get('mae_vs_naive', float('nan')):.2f} × naive (last month), "
              f"{chosen.get('mae_vs_naive3', float('nan')):.2f} × naive3 (trailing 3 months); 80% coverage "
              f"{chosen['coverage_80']:.2f}, 95% coverage {chosen['coverage_95']:.2f} (goal: MAE ≤ 0.5 × naive, "
              f"80% coverage 0.70-0.90)")
    print(f"suggested widths (calibrated on origins before {SPLIT}): {res.suggested}")
    print(f"{seconds:.0f} s; written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
