"""Reliability benchmark: SIGKILL ``evpace ingest`` many times at random moments, then let it finish.

The same loop as ``tests/test_faults.py`` (``tests/ingest_support.kill_loop``), with more kills (20 by
default) and a larger corpus, on SQLite and (with ``--pg URL`` or ``$EVPACE_TEST_PG_URL``) PostgreSQL:

1. a reference database: the corpus ingested once, cleanly, in this process;
2. ``--kills`` times: start ``evpace ingest --workers 2`` (a process pool, so the kill takes a whole
   process group), wait until it has stored something, wait a random 0-0.5 s (seeded), SIGKILL it, and
   check that every stored document has all its facts and claims (as in the reference);
3. run ``evpace ingest`` to completion and compare with the reference: documents and facts lost,
   facts or documents extra, rows stored twice.

Writes ``benchmarks/results/reliability.json``, with the articles/s for 1 and 2 workers and the scaling
ratio copied from ``benchmarks/results/ingest_scale.json`` when that exists.

Usage::

    python benchmarks/bench_reliability.py                    # 20 kills, 6,000 articles
    python benchmarks/bench_reliability.py --kills 5 --n 600  # quicker
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest_scale import drop_pg_database, fresh_pg_database  # noqa: E402
from ingest_support import db_state, kill_loop, write_corpus  # noqa: E402

from evpace import api  # noqa: E402
from evpace.store import Store  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def measure(db: str, paths: list[str], reference, kills: int, seed: int) -> dict[str, Any]:
    report = kill_loop(db, paths, reference, kills, seed, extra=("--workers", "2"))
    final = db_state(db)
    out = {
        "kills_survived": report.kills,
        "runs_that_finished_before_their_kill": report.finished_before_kill,
        "documents_stored_when_killed": report.stored_at_kills,
        "half_written_documents_seen_after_kills": report.incomplete_after_kill,
        "final_run_exit_code": report.final_rc,
        "documents": len(final.documents),
        "documents_lost": len(set(reference.documents) - set(final.documents)),
        "facts": len(final.facts),
        "facts_lost": len(reference.facts - final.facts),
        "facts_extra": len(final.facts - reference.facts),
        "claims_lost": len(reference.claims - final.claims),
        "documents_with_other_fact_counts": len(final.incomplete(reference)),
        "rows_stored_twice": sum(final.rows.values()) - len(final.documents) - len(final.facts) - len(final.claims),
        "seconds": report.seconds,
    }
    log(f"  {out['kills_survived']} kills survived; facts lost {out['facts_lost']}, extra {out['facts_extra']}; "
        f"half-written after kills {out['half_written_documents_seen_after_kills']}; exit {report.final_rc}")
    return out


def scaling_figures() -> dict[str, Any] | None:
    path = RESULTS / "ingest_scale.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    rates = {f"{r['backend']}_{r['workers']}_worker_articles_per_s": r["articles_per_s"] for r in data["runs"]}
    return {"source": "benchmarks/results/ingest_scale.json", "n": data["n"], **rates,
            "scaling_2_over_1": data["scaling_2_over_1"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--n", type=int, default=6000, help="articles in the corpus [6000]")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--pg", default=os.environ.get("EVPACE_TEST_PG_URL"),
                    help="PostgreSQL server URL [$EVPACE_TEST_PG_URL]; a fresh database is made and dropped")
    ap.add_argument("--out", default=str(RESULTS / "reliability.json"))
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="evpace-reliability-") as tmp:
        quarter = -(-args.n // 4)
        paths = write_corpus(Path(tmp) / "in", {f"r{k}": range(k * quarter, min(args.n, (k + 1) * quarter))
                                                for k in range(4)}, seed=args.seed % 1000)
        log(f"reference: {args.n:,} articles ingested once")
        api.ingest(paths, str(Path(tmp) / "reference.db"), workers=2)
        reference = db_state(str(Path(tmp) / "reference.db"))
        results: dict[str, Any] = {}
        log(f"sqlite: {args.kills} kills")
        results["sqlite"] = measure(str(Path(tmp) / "killed.db"), paths, reference, args.kills, args.seed)
        if args.pg:
            url, name = fresh_pg_database(args.pg)
            with Store(url) as s:  # a URL evpace reads as PostgreSQL, not as a SQLite file name
                assert s.postgres and s.query("SELECT current_database() AS d")[0]["d"] == name, url
            try:
                log(f"postgresql: {args.kills} kills")
                results["postgresql"] = measure(url, paths, reference, args.kills, args.seed + 1)
            finally:
                try:
                    drop_pg_database(args.pg, name)
                except Exception as exc:  # noqa: BLE001 - the server may be gone; the figures stand
                    log(f"could not drop the database {name}: {exc}")

    out = {
        "benchmark": "bench_reliability", "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "articles": args.n, "reference_documents": len(reference.documents), "reference_facts": len(reference.facts),
        "kills_requested": args.kills, "seed": args.seed, "kill_delay_s": "0-0.5 after the first new document",
        "command": "evpace ingest --workers 2 (process group SIGKILLed)", "results": results,
        "other_faults": "full disk (RLIMIT_FSIZE; SQLite max_page_count), PostgreSQL backend terminated, SQLite "
                        "file moved away: tests/test_faults.py (clear typed error, exit 2, data intact, re-run "
                        "completes)",
        "throughput": scaling_figures(),
    }
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    for backend, r in results.items():
        print(f"{backend:10} kills survived {r['kills_survived']:3}  facts lost {r['facts_lost']}  "
              f"extra {r['facts_extra']}  half-written {r['half_written_documents_seen_after_kills']}  "
              f"twice {r['rows_stored_twice']}")
    print(f"written to {args.out}")
    return 0 if all(r["facts_lost"] == r["facts_extra"] == r["half_written_documents_seen_after_kills"] == 0
                    and r["final_run_exit_code"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
