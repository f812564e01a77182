"""Attacks on the web service, counted: every try of ``tests/security_attacks.py`` (script injection, SQL
injection, upload names, the write token, oversized bodies) against ``create_app`` on a fresh SQLite database
initialised with ``evpace.api.init``. Writes ``benchmarks/results/security.json`` (tries and successes per
category, and every success with its target and payload); exits 1 if any attack succeeded.

Usage::

    python benchmarks/bench_security.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from security_attacks import (  # noqa: E402
    MARK,
    SQLI,
    UPLOAD_NAMES,
    XSS,
    size_attempts,
    sqli_attempts,
    token_attempts,
    upload_attempts,
    xss_attempts,
)

import evpace  # noqa: E402
from evpace import api  # noqa: E402
from evpace.web import create_app  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "security.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    token = "bench-" + secrets.token_hex(16)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="evpace-security-") as tmp:
        db = str(Path(tmp) / "evpace.db")
        api.init(db)
        sandbox = Path(tmp) / "uploads"
        sandbox.mkdir()
        seconds: dict[str, float] = {}
        attempts = []
        with TestClient(create_app(db, token), raise_server_exceptions=False) as client:
            runs = (
                ("xss", lambda: xss_attempts(client, token)),
                ("sqli", lambda: sqli_attempts(client, db)),
                ("upload", lambda: upload_attempts(client, token, db, sandbox, ROOT)),
                ("token", lambda: token_attempts(client, token, db, lambda configured: TestClient(
                    create_app(db, configured), raise_server_exceptions=False))),
                ("size", lambda: size_attempts(client)),
            )
            for name, run in runs:
                start = time.perf_counter()
                got = run()
                seconds[name] = round(time.perf_counter() - start, 1)
                attempts += got
                print(f"{name:7s} {len(got):5d} tries, {sum(a.success for a in got)} successes, {seconds[name]} s",
                      file=sys.stderr)
    tries, successes = Counter(a.category for a in attempts), Counter(a.category for a in attempts if a.success)
    result = {
        "benchmark": "security", "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "evpace": evpace.__version__, "python": platform.python_version(), "platform": platform.platform(),
        "cpus": os.cpu_count(), "database": "SQLite (evpace.api.init), FastAPI TestClient",
        "tries": len(attempts), "successes": sum(successes.values()),
        "by_category": {c: {"tries": tries[c], "successes": successes[c], "seconds": seconds.get(c)} for c in tries},
        "payloads": {"xss": len(XSS), "sqli": len(SQLI), "upload_names": len(UPLOAD_NAMES), "marker": MARK},
        "succeeded": [vars(a) for a in attempts if a.success],
        "wall_s": round(time.time() - started, 1),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: result[k] for k in ("tries", "successes", "by_category")}, indent=2))
    return 1 if result["successes"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
