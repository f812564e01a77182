"""Benchmark of distributed ingest: articles/s with the dask engine on 1 and on 2 workers, and memory.

1. Generates ``--n`` synthetic articles of ~5 KB (:mod:`evpace.synthetic`: invented text from templates,
   varied makers, months and figures) into ``--shards`` JSONL files, streamed (one article in memory
   at a time).
2. For each worker count (``--workers``, default 1 and 2): starts a ``distributed.LocalCluster`` of that
   many worker processes with one thread each, and ingests the shards with ``engine="dask"`` into a
   fresh SQLite file (and, with ``--pg URL``, a fresh PostgreSQL database on that server). The clock
   runs from the first partition submitted to the last document written (cluster start-up is timed
   apart).
3. Prints articles/s for each, the scaling ratio (2 workers / 1 worker), the peak RSS of the driver
   (sampled) and of each worker, the load average (the machine may be shared), and writes it all to
   ``benchmarks/results/ingest_scale.json``.

Usage::

    python benchmarks/bench_ingest_scale.py                 # 100,000 articles (long: ~60 articles/s/core)
    python benchmarks/bench_ingest_scale.py --n 5000        # a smaller run
    python benchmarks/bench_ingest_scale.py --n 5000 --pg postgresql://postgres@127.0.0.1:54329/postgres
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import evpace
from evpace import api
from evpace.distributed import local_cluster
from evpace.extract import EXTRACTOR_VERSION
from evpace.synthetic import write_jsonl_shards

RESULTS = Path(__file__).resolve().parent / "results" / "ingest_scale.json"
_T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - _T0:8.1f}s] {msg}", file=sys.stderr, flush=True)


def rss_kb() -> int:
    """Resident set size of this process now, in KB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class RssSampler:
    """The highest RSS of this process while it runs (sampled every 0.2 s)."""

    def __init__(self) -> None:
        self.peak = rss_kb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, rss_kb())

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_kb())


def fresh_pg_database(base: str) -> tuple[str, str]:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    name = f"evpace_bench_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    if "://" in base:  # evpace takes PostgreSQL as a postgresql:// URL (a key=value string would be a file name)
        parts = urlsplit(base)
        return urlunsplit(parts._replace(path="/" + name)), name
    params = conninfo_to_dict(base)
    host, port, user = params.get("host", "localhost"), params.get("port", "5432"), params.get("user", "")
    auth = f"{quote(user)}@" if user else ""
    return f"postgresql://{auth}{host}:{port}/{name}", name


def drop_pg_database(base: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def run(shards: list[str], n: int, workers: int, db: str, partition_size: int) -> dict[str, Any]:
    """Ingest the shards with the dask engine on a new local cluster of ``workers`` processes."""
    from distributed import Client

    t = time.perf_counter()
    with local_cluster(workers) as cluster, Client(cluster) as client:
        startup = time.perf_counter() - t
        load_before = os.getloadavg()
        done = [0]
        with RssSampler() as rss:
            t = time.perf_counter()
            summary = api.ingest(shards, db, engine="dask", scheduler=cluster.scheduler_address,
                                 partition_size=partition_size, progress=lambda k: _progress(done, k, n))
            seconds = time.perf_counter() - t
        worker_peaks = client.run(peak_rss_kb)
    out = {
        "workers": workers, "threads_per_worker": 1, "articles": summary.documents,
        "new_documents": summary.new_documents, "new_facts": summary.new_facts, "claims": summary.claims,
        "errors": len(summary.errors), "seconds": round(seconds, 1),
        "articles_per_s": round(summary.documents / seconds, 1), "cluster_startup_s": round(startup, 1),
        "driver_peak_rss_mb": round(rss.peak / 1024, 1),
        "worker_peak_rss_mb": sorted(round(v / 1024, 1) for v in worker_peaks.values()),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    log(f"{workers} worker(s): {out['articles_per_s']} articles/s ({summary.documents:,} in {seconds:,.0f} s), "
        f"driver peak RSS {out['driver_peak_rss_mb']} MB, workers {out['worker_peak_rss_mb']} MB")
    return out


def _progress(done: list[int], k: int, n: int) -> None:
    if k - done[0] >= max(1000, n // 20) or k == n:
        done[0] = k
        log(f"  {k:,}/{n:,} articles")


def write_results(args: argparse.Namespace, generation: dict[str, Any], runs: list[dict[str, Any]],
                  complete: bool) -> None:
    """The results file, rewritten after every run (so a long benchmark stopped early keeps its runs)."""
    scaling = {}
    for backend in sorted({r["backend"] for r in runs}):
        by_k = {r["workers"]: r["articles_per_s"] for r in runs if r["backend"] == backend}
        if 1 in by_k and 2 in by_k:
            scaling[backend] = round(by_k[2] / by_k[1], 2)
    result = {
        "benchmark": "bench_ingest_scale", "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "complete": complete, "evpace": evpace.__version__, "extractor": EXTRACTOR_VERSION,
        "python": platform.python_version(), "cpus": os.cpu_count(), "n": args.n, "article_bytes": args.size,
        "shards": args.shards, "partition_size": args.partition_size,
        "engine": "dask (distributed.LocalCluster, processes)", "generation": generation, "runs": runs,
        "scaling_2_over_1": scaling,
        "note": "articles/s counts every article read, extracted on the workers and written by the driver "
                "(whole documents, batched transactions); cluster start-up is excluded and reported apart. The "
                "machine may be shared: see the load averages.",
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="articles to generate and ingest [100000]")
    ap.add_argument("--size", type=int, default=5_000, help="bytes of text per article [5000]")
    ap.add_argument("--shards", type=int, default=8, help="JSONL files [8]")
    ap.add_argument("--workers", default="1,2", help="worker counts to compare [1,2]")
    ap.add_argument("--partition-size", type=int, default=256, help="articles per dask task [256]")
    ap.add_argument("--pg", help="also ingest into a fresh database on this PostgreSQL server (URL)")
    ap.add_argument("--tmp", help="folder for the corpus and databases [a new temporary folder]")
    ap.add_argument("--out", default=str(RESULTS), help=f"results file [{RESULTS}]")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    tmp = Path(args.tmp or tempfile.mkdtemp(prefix="evpace-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        log(f"generating {args.n:,} articles of ~{args.size:,} bytes into {args.shards} shards under {tmp}")
        t = time.perf_counter()
        shards = [str(p) for p in write_jsonl_shards(tmp / "corpus", args.n, shards=args.shards, seed=args.seed,
                                                     size=args.size)]
        corpus_bytes = sum(os.path.getsize(p) for p in shards)
        generation = {"seconds": round(time.perf_counter() - t, 1), "bytes": corpus_bytes,
                      "mean_article_bytes": round(corpus_bytes / max(1, args.n)), "peak_rss_mb":
                      round(peak_rss_kb() / 1024, 1)}
        log(f"corpus: {corpus_bytes / 1e6:,.0f} MB in {generation['seconds']} s")

        runs: list[dict[str, Any]] = []
        counts = [int(x) for x in args.workers.split(",")]
        for k in counts:
            targets = [("sqlite", str(tmp / f"w{k}.db"), None)]
            if args.pg:
                url, name = fresh_pg_database(args.pg)
                targets.append(("postgresql", url, name))
            for backend, db, pg_name in targets:
                log(f"ingest with the dask engine, {k} worker(s), into {backend}")
                try:
                    runs.append({"backend": backend, **run(shards, args.n, k, db, args.partition_size)})
                finally:
                    if pg_name:
                        drop_pg_database(args.pg, pg_name)
            write_results(args, generation, runs, complete=k == counts[-1])
        for r in runs:
            print(f"{r['backend']:10} {r['workers']} worker(s): {r['articles_per_s']:8.1f} articles/s  "
                  f"driver peak RSS {r['driver_peak_rss_mb']} MB, workers {r['worker_peak_rss_mb']} MB")
        for backend, ratio in json.loads(Path(args.out).read_text())["scaling_2_over_1"].items():
            print(f"{backend:10} scaling 2 workers / 1 worker: x{ratio}")
        print(f"written to {args.out}")
    finally:
        if not args.tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
