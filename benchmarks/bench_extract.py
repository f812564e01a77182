"""Benchmark of extraction: quality on the dev set, speed on one core, scaling with cores, flat memory.

Phases (progress goes to stderr; the summary to stdout; everything to ``benchmarks/results/extract.json``):

1. quality: strict and relaxed precision/recall/F1 on ``devset/`` (overall and per unit);
2. throughput: ``extract()`` in this process over a generated corpus of ~5 KB articles (the goal is
   1,000 articles/s per core);
3. scaling: the same corpus through ``extracted_stream(..., workers=k)`` for k = 1 and k = cpu count;
4. memory: JSONL corpora of 1,000 and ``--big`` articles written to a temp dir, each streamed through
   ``read_documents -> extracted_stream(workers=1)`` in a fresh subprocess (peak RSS), then the same
   files through ``ingest(..., workers=2)`` into a temp SQLite file initialised with ``api.init`` (peak
   RSS of the parent and of the largest worker, articles/s).

The corpus is made of dev-set article bodies: paragraphs rotated, articles chained until ~5 KB, and
numbers with thousands separators or decimals moved by a few percent (seeded RNG), so every document
has its own text (hence its own content hash) but reads like the dev set.

Usage::

    python benchmarks/bench_extract.py            # N=2,000; memory with 1,000 and 100,000 articles
    python benchmarks/bench_extract.py --quick    # N=400; 1,000 and 20,000; memory runs capped, < 2 minutes
    python benchmarks/bench_extract.py --n 5000 --big 50000 --mem-budget 120 --profile 200

``--mem-budget S`` stops each memory/ingest run after S seconds (the result says ``truncated`` and how
many articles were read), for when the extractor is too slow to read a whole big corpus in the time
at hand; the default reads every article.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import hashlib
import io
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import evpace
from evpace import api
from evpace.entities import Registry
from evpace.evaluate import RELAXED, STRICT, Labelled, Score, load_devset, score
from evpace.extract import EXTRACTOR_VERSION, default_registry, extract
from evpace.extract.text import finder_for
from evpace.ingest import extracted_stream
from evpace.model import Document

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "devset"
RESULTS = Path(__file__).resolve().parent / "results" / "extract.json"
GOAL_ARTICLES_PER_S = 1000  # per core, on ~5 KB articles
TARGET_BYTES = 5120  # ~5 KB (UTF-8) per generated article
SMALL_N = 1000
QUICK_DEADLINE_S = 95.0  # --quick shares what is left of this among the memory runs
_T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - _T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


def max_rss_kb(who: int = resource.RUSAGE_SELF) -> int:
    """Peak resident set size in KB (``ru_maxrss`` is KB on Linux, bytes on macOS)."""
    rss = resource.getrusage(who).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss


def current_rss_kb() -> int | None:
    """Resident set size now, in KB (Linux ``/proc``; None elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# --------------------------------------------------------------------------------------------- quality


def _score_dict(s: Score) -> dict[str, Any]:
    return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
            "tp": s.tp, "fp": s.fp, "fn": s.fn}


def quality(items: list[Labelled]) -> dict[str, Any]:
    """Strict and relaxed precision/recall/F1 on the dev set, overall and per unit."""
    out: dict[str, Any] = {"documents": len(items), "gold_facts": sum(len(it.gold) for it in items)}
    for name, fields in (("strict", STRICT), ("relaxed", RELAXED)):
        total, by_unit = score(items, fields)
        out[name] = _score_dict(total)
        out[name]["by_unit"] = {u: _score_dict(s) for u, s in sorted(by_unit.items())}
    return out


# ---------------------------------------------------------------------------------------------- corpus

_NUM = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+\.\d+)(?!\d)")

#: A paragraph cut at its numbers (``re.split`` pieces: text, number, text, ...) and its size in UTF-8 bytes.
Paragraph = tuple[tuple[str, ...], int]
Base = tuple[list[Paragraph], str | None]


def base_articles(items: list[Labelled]) -> list[Base]:
    """(paragraphs, published) of each dev-set article: the material generated articles are made of.

    Only numbers with thousands separators or decimals are cut out (and later perturbed): years, days
    and model names keep their digits, so dates and entities read the same."""
    out = []
    for it in items:
        paras = [p.strip() for p in it.doc.text.split("\n\n") if p.strip()]
        if paras:
            out.append(([(tuple(_NUM.split(p)), len(p.encode("utf-8"))) for p in paras], it.doc.published))
    if not out:
        raise SystemExit(f"no dev-set articles under {DEVSET}")
    return out


def _perturb(s: str, rng: random.Random) -> str:
    """``s`` moved by up to ±3%, keeping its format (thousands separators, number of decimals)."""
    factor = 1 + rng.uniform(-0.03, 0.03)
    if "," in s:
        return f"{max(1000, round(int(s.replace(',', '')) * factor)):,}"
    decimals = len(s) - s.index(".") - 1
    return f"{float(s) * factor:.{decimals}f}"


def make_document(i: int, bases: list[Base], seed: int = 0, salt: int = 0, target: int = TARGET_BYTES) -> Document:
    """Generated article number ``i``: dev-set articles chained from the ``i``-th, each with its
    paragraphs rotated, numbers perturbed, ``target`` bytes give or take a paragraph end."""
    rng = random.Random(f"{seed}:{i}:{salt}")
    chosen: list[tuple[str, ...]] = []
    size = 0
    j = i % len(bases)
    published = bases[j][1]
    for _ in range(4 * len(bases)):
        if size >= target - 200:
            break
        paras = bases[j % len(bases)][0]
        r = rng.randrange(len(paras))
        for pieces, length in paras[r:] + paras[:r]:
            if size + length + 2 > target + 300:
                continue
            chosen.append(pieces)
            size += length + 2
            if size >= target - 200:
                break
        j += 1 + rng.randrange(3)
    text = "\n\n".join("".join(_perturb(x, rng) if k % 2 else x for k, x in enumerate(pieces)) for pieces in chosen)
    return Document(text=text, name=f"bench-{i:06d}", url=f"https://example.test/bench/{i}",
                    title=f"Generated benchmark article {i}", published=published)


def generate(n: int, bases: list[Base], seed: int = 0) -> Iterator[Document]:
    """``n`` generated articles, lazily, every one with a text of its own (a repeat is regenerated)."""
    seen: set[bytes] = set()
    for i in range(n):
        salt = 0
        while True:
            doc = make_document(i, bases, seed, salt)
            digest = hashlib.sha1(doc.text.encode("utf-8")).digest()
            if digest not in seen:
                seen.add(digest)
                break
            salt += 1
        yield doc


def write_jsonl(path: Path, n: int, bases: list[Base], seed: int = 0) -> int:
    """Write ``n`` generated articles as JSON Lines (streamed); the number of bytes written."""
    with open(path, "w", encoding="utf-8") as f:
        for doc in generate(n, bases, seed):
            f.write(json.dumps({"id": doc.name, "url": doc.url, "title": doc.title, "published": doc.published,
                                "text": doc.text}, ensure_ascii=False) + "\n")
    return path.stat().st_size


# ---------------------------------------------------------------------------------------------- speed


def _kb(docs: list[Document]) -> float:
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1024


def throughput(docs: list[Document], registry: Registry) -> dict[str, Any]:
    """``extract()`` over ``docs`` in this process, after a warm-up."""
    for d in docs[:20]:
        extract(d, registry)
    gc.collect()
    facts = 0
    t0, c0 = time.perf_counter(), time.process_time()
    last = t0
    for k, d in enumerate(docs, 1):
        facts += len(extract(d, registry))
        now = time.perf_counter()
        if now - last > 15:
            log(f"  throughput: {k}/{len(docs)} articles, {k / (now - t0):.1f}/s")
            last = now
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0  # CPU seconds: the per-core rate even when other jobs share the machine
    rate = len(docs) / secs
    return {"one_core_articles_per_s": round(rate, 2), "one_core_cpu_articles_per_s": round(len(docs) / cpu, 2),
            "load_average": round(os.getloadavg()[0], 2), "kb_per_s": round(_kb(docs) / secs, 1),
            "goal_ratio": round(rate / GOAL_ARTICLES_PER_S, 4), "goal_articles_per_s": GOAL_ARTICLES_PER_S,
            "n": len(docs), "mean_article_kb": round(_kb(docs) / len(docs), 2), "seconds": round(secs, 2),
            "figures": facts}


def unnamed(docs: list[Document], registry: Registry) -> list[Document]:
    """The same articles with every maker name (aliases, cashtags) replaced by "Acme": the items of a broad
    feed that concern no tracked maker. ``extract()`` returns nothing for them once it has looked for names."""
    finder = finder_for(registry)
    out = []
    for d in docs:
        text = d.text
        for m in sorted(finder.find(text, text.lower()), key=lambda m: m.start, reverse=True):
            text = text[:m.start] + "Acme" + text[m.end:]
        out.append(Document(text=text, name=d.name, published=d.published))
    return out


def stream_rate(docs: list[Document], registry: Registry, workers: int) -> tuple[float, int, float]:
    """(articles/s, figures, seconds) of ``extracted_stream`` with ``workers`` (pool start-up included)."""
    n = figures = 0
    t0 = time.perf_counter()
    for _doc, figs in extracted_stream(iter(docs), registry, workers=workers):
        n += 1
        figures += len(figs)
    secs = time.perf_counter() - t0
    return n / secs, figures, secs


def scaling(docs: list[Document], registry: Registry) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    r1, f1, s1 = stream_rate(docs, registry, 1)
    log(f"  workers=1: {r1:.1f} articles/s")
    rn, fn, sn = stream_rate(docs, registry, cores)
    log(f"  workers={cores}: {rn:.1f} articles/s")
    return {"workers_1": round(r1, 2), "workers_n": round(rn, 2), "n": cores, "ratio": round(rn / r1, 3),
            "articles": len(docs), "seconds_1": round(s1, 2), "seconds_n": round(sn, 2),
            "same_figures": f1 == fn}


def profile(docs: list[Document], registry: Registry, top: int = 10) -> list[dict[str, Any]]:
    """The ``top`` functions by cumulative time of ``extract()`` over ``docs`` (cProfile)."""
    for d in docs[:5]:
        extract(d, registry)
    prof = cProfile.Profile()
    prof.enable()
    for d in docs:
        extract(d, registry)
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        if "disable" in func and file == "~":
            continue
        where = f"{os.path.relpath(file, ROOT) if file.startswith(str(ROOT)) else file}:{line}({func})"
        rows.append({"function": where, "ncalls": ncalls, "tottime_s": round(tottime, 3),
                     "cumtime_s": round(cumtime, 3)})
    rows.sort(key=lambda r: -r["cumtime_s"])
    return rows[:top]


# --------------------------------------------------------------------------------------------- memory


class _OverBudget(Exception):
    pass


def child_main(args: argparse.Namespace) -> int:
    """Run in a fresh subprocess: one streaming or ingest pass over ``args.path``; JSON on stdout."""
    from evpace.errors import EvpaceError
    from evpace.ingest import ingest
    from evpace.sources import read_documents

    registry = default_registry()
    rss_start = max_rss_kb()
    budget = args.budget
    out: dict[str, Any] = {"mode": args.child, "budget_s": budget, "truncated": False}
    n = figures = errors = 0
    t0 = last = time.perf_counter()
    t_end = t_read = None

    def tick() -> None:
        nonlocal last, t_end
        now = time.perf_counter()
        if now - last > 15:
            log(f"  (child) {args.child} {Path(args.path).name}: {n} articles, {n / (now - t0):.1f}/s")
            last = now
        if budget and now - t0 > budget:
            t_end = now
            raise _OverBudget

    if args.child == "stream":
        try:
            for doc, figs in extracted_stream(read_documents([args.path]), registry, workers=args.workers):
                n += 1
                errors += isinstance(doc, EvpaceError)
                figures += len(figs)  # counted, not kept
                tick()
        except _OverBudget:
            out["truncated"] = True
        out["figures"] = figures
        out["errors"] = errors
    else:

        def progress(k: int) -> None:
            nonlocal n, t_read
            n = k
            t_read = time.perf_counter()
            tick()

        try:
            summary = ingest([args.path], db=args.db, workers=args.workers, progress=progress)
            out.update(facts=summary.new_facts, claims=summary.claims, new_documents=summary.new_documents,
                       errors=len(summary.errors))
            # after the last document ingest() checks the new facts for conflicts with the stored ones
            out["seconds_after_last_document"] = round(time.perf_counter() - (t_read or t0), 2)
        except _OverBudget:
            out["truncated"] = True
        gc.collect()  # the abandoned pool (if any) shuts down and its workers are reaped
        out["rss_kb_children"] = max_rss_kb(resource.RUSAGE_CHILDREN)
    secs = (t_end or time.perf_counter()) - t0
    out.update(articles=n, seconds=round(secs, 2), articles_per_s=round(n / secs, 2) if secs else 0.0,
               rss_kb_start=rss_start, rss_kb=max_rss_kb(), rss_kb_end=current_rss_kb(), workers=args.workers)
    print(json.dumps(out))
    return 0


def run_child(mode: str, path: Path, *, workers: int, budget: float | None, db: Path | None = None) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--path", str(path),
           "--workers", str(workers)]
    if db is not None:
        cmd += ["--db", str(db)]
    if budget:
        cmd += ["--mem-budget", str(budget)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child {mode} {path} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def memory(bases: list[Base], small: int, big: int, seed: int, budget: float | None, ingest_workers: int,
           tmp_root: str | None, deadline: float | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Peak RSS of the streaming pipeline and of ``ingest`` on a small and a big JSONL corpus.

    Each run stops after ``budget`` seconds if given; with a ``deadline`` (seconds since the start of
    the benchmark) the time left is shared among the runs still to do (at least 5 s each)."""
    runs_left = 4

    def cap() -> float | None:
        nonlocal runs_left
        caps = [budget] if budget else []
        if deadline is not None:
            caps.append(max(5.0, (deadline - (time.perf_counter() - _T0)) / runs_left))
        runs_left -= 1
        return round(min(caps), 1) if caps else None

    tmp = Path(tempfile.mkdtemp(prefix="evpace-bench-", dir=tmp_root))
    try:
        paths = {}
        for n in (small, big):
            paths[n] = tmp / f"corpus-{n}.jsonl"
            t0 = time.perf_counter()
            size = write_jsonl(paths[n], n, bases, seed)
            log(f"  wrote {paths[n].name}: {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f}s")
        stream = {}
        for n in (small, big):
            log(f"  stream {n} articles (fresh process, workers=1)")
            stream[n] = run_child("stream", paths[n], workers=1, budget=cap())
            log(f"    peak RSS {stream[n]['rss_kb'] / 1024:.1f} MB, {stream[n]['articles_per_s']:.1f} articles/s"
                + (" (truncated)" if stream[n]["truncated"] else ""))
        ing = {}
        for n in (small, big):
            db = tmp / f"ingest-{n}.db"
            api.init(db)  # entities and the shipped dataset: ingest needs the entities its facts refer to
            log(f"  ingest {n} articles (fresh process, workers={ingest_workers})")
            ing[n] = run_child("ingest", paths[n], workers=ingest_workers, budget=cap(), db=db)
            ing[n]["db_mb"] = round(sum(p.stat().st_size for p in tmp.glob(f"ingest-{n}.db*")) / 1e6, 1)
            for p in tmp.glob(f"ingest-{n}.db*"):
                p.unlink()
            log(f"    peak RSS {ing[n]['rss_kb'] / 1024:.1f} MB (+ worker {ing[n]['rss_kb_children'] / 1024:.1f} MB), "
                f"{ing[n]['articles_per_s']:.1f} articles/s" + (" (truncated)" if ing[n]["truncated"] else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    mem = {"rss_kb_1000": stream[small]["rss_kb"], "rss_kb_big": stream[big]["rss_kb"], "big_n": big,
           "small_n": small, "ratio": _ratio(stream[big]["rss_kb"], stream[small]["rss_kb"]),
           "truncated": stream[small]["truncated"] or stream[big]["truncated"],
           "small": stream[small], "big": stream[big]}
    ingest = {"workers": ingest_workers, "rss_kb_1000": ing[small]["rss_kb"], "rss_kb_big": ing[big]["rss_kb"],
              "children_rss_kb_1000": ing[small]["rss_kb_children"], "children_rss_kb_big": ing[big]["rss_kb_children"],
              "ratio": _ratio(ing[big]["rss_kb"], ing[small]["rss_kb"]),
              "children_ratio": _ratio(ing[big]["rss_kb_children"], ing[small]["rss_kb_children"]),
              "articles_per_s_1000": ing[small]["articles_per_s"], "articles_per_s_big": ing[big]["articles_per_s"],
              "big_n": big, "small_n": small, "truncated": ing[small]["truncated"] or ing[big]["truncated"],
              "small": ing[small], "big": ing[big]}
    return mem, ingest


# ----------------------------------------------------------------------------------------------- main


def machine() -> dict[str, Any]:
    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"python": sys.version.split()[0], "platform": platform.platform(), "machine": platform.machine(),
            "processor": platform.processor(), "cpu_count": os.cpu_count(), "evpace": evpace.__version__,
            "extractor": EXTRACTOR_VERSION, "git_commit": git("rev-parse", "--short", "HEAD"),
            "extract_dirty": bool(git("status", "--porcelain", "evpace/extract")),
            "when": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="N=400, memory with 1,000 and 20,000 articles, memory runs capped to end within ~2 minutes")
    ap.add_argument("--n", type=int, help="articles for throughput and scaling (default 2,000; quick 400)")
    ap.add_argument("--big", type=int, help="articles of the big memory corpus (default 100,000; quick 20,000)")
    ap.add_argument("--small", type=int, default=SMALL_N, help="articles of the small memory corpus (1,000)")
    ap.add_argument("--mem-budget", type=float, help="stop each memory/ingest run after this many seconds")
    ap.add_argument("--ingest-workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="also cProfile extract() on N articles")
    ap.add_argument("--skip-memory", action="store_true", help="no memory or ingest phase")
    ap.add_argument("--tmp", help="folder for the temporary corpora (default: the system temp dir)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    # internal: one memory run in a fresh process
    ap.add_argument("--child", choices=("stream", "ingest"), help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.budget = args.mem_budget
    if args.n is None:
        args.n = 400 if args.quick else 2000
    if args.big is None:
        args.big = 20_000 if args.quick else 100_000
    args.deadline = QUICK_DEADLINE_S if args.quick else None
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    registry = default_registry()
    result: dict[str, Any] = {"machine": machine()}
    result["machine"]["args"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                                 if k not in ("child", "path", "db", "workers", "budget", "deadline")}

    log("quality on the dev set")
    items = load_devset(DEVSET)
    q = result["quality"] = quality(items)
    bases = base_articles(items)

    log(f"generating {args.n} articles")
    docs = list(generate(args.n, bases, args.seed))
    log(f"throughput of extract() on one core ({args.n} articles of {_kb(docs) / len(docs):.1f} KB)")
    t = result["throughput"] = throughput(docs, registry)
    log(f"  {t['one_core_articles_per_s']:.1f} articles/s")
    log("throughput of extract() on the same articles with every maker name replaced")
    nm = result["throughput_no_maker"] = throughput(unnamed(docs, registry), registry)
    log(f"  {nm['one_core_articles_per_s']:.1f} articles/s")
    if args.profile:
        log(f"profiling extract() on {args.profile} articles")
        result["profile"] = profile(list(generate(args.profile, bases, args.seed + 1)), registry)

    log(f"scaling: extracted_stream with 1 and {os.cpu_count()} workers")
    s = result["scaling"] = scaling(docs, registry)
    del docs

    if not args.skip_memory:
        rate = t["one_core_articles_per_s"]
        runs = 2 * (args.small + args.big)
        eta = runs / rate
        capped = args.budget or args.deadline
        log(f"memory: {args.small} and {args.big} articles; at {rate:.0f} articles/s reading them all takes "
            f"~{eta / 60:.0f} min" + (" (runs capped)" if capped else "")
            + ("" if capped or eta < 900 else " (use --mem-budget S or a smaller --big to cap it)"))
        result["memory"], result["ingest"] = memory(bases, args.small, args.big, args.seed, args.budget,
                                                    args.ingest_workers, args.tmp, args.deadline)

    print(f"quality ({q['documents']} documents, {q['gold_facts']} gold facts):")
    for name in ("strict", "relaxed"):
        sc = q[name]
        print(f"  {name:8s} P {sc['precision']:.3f}  R {sc['recall']:.3f}  F1 {sc['f1']:.3f}")
        for u, su in sc["by_unit"].items():
            print(f"    {u:9s} P {su['precision']:.3f}  R {su['recall']:.3f}  F1 {su['f1']:.3f}  "
                  f"(tp {su['tp']}, fp {su['fp']}, fn {su['fn']})")
    print(f"throughput (one core, {t['n']} articles of {t['mean_article_kb']:.1f} KB): "
          f"{t['one_core_articles_per_s']:.1f} articles/s wall, {t['one_core_cpu_articles_per_s']:.1f} per CPU "
          f"second (load average {t['load_average']}), {t['kb_per_s']:.0f} KB/s; "
          f"goal {GOAL_ARTICLES_PER_S}/s, ratio {t['goal_ratio']:.3f}")
    print(f"  the same articles naming no tracked maker: {nm['one_core_articles_per_s']:.1f} articles/s wall, "
          f"{nm['one_core_cpu_articles_per_s']:.1f} per CPU second ({nm['figures']} figures)")
    print(f"scaling: workers=1 {s['workers_1']:.1f}/s, workers={s['n']} {s['workers_n']:.1f}/s, "
          f"ratio {s['ratio']:.2f}")
    if "memory" in result:
        m, g = result["memory"], result["ingest"]
        note = " (runs capped at {:.0f} and {:.0f} s: {} and {} articles read)".format(
            m["small"]["budget_s"], m["big"]["budget_s"], m["small"]["articles"], m["big"]["articles"]
        ) if m["truncated"] else ""
        print(f"memory (stream, workers=1): peak RSS {m['rss_kb_1000'] / 1024:.1f} MB for {m['small_n']}, "
              f"{m['rss_kb_big'] / 1024:.1f} MB for {m['big_n']}, ratio {m['ratio']}{note}")
        print(f"ingest (workers={g['workers']}): peak RSS {g['rss_kb_1000'] / 1024:.1f} MB "
              f"(+ worker {g['children_rss_kb_1000'] / 1024:.1f} MB) for {g['small_n']}, "
              f"{g['rss_kb_big'] / 1024:.1f} MB (+ worker {g['children_rss_kb_big'] / 1024:.1f} MB) for {g['big_n']}, "
              f"ratio {g['ratio']}; {g['articles_per_s_1000']:.1f} and {g['articles_per_s_big']:.1f} articles/s")
        after = [f"{g[k]['seconds_after_last_document']:.1f} s ({g[k]['articles']} articles)"
                 for k in ("small", "big") if "seconds_after_last_document" in g[k]]
        if after:
            print(f"  ingest's conflict check after the last document took {' and '.join(after)}")
    if "profile" in result:
        print("profile (top by cumulative time):")
        for r in result["profile"]:
            print(f"  {r['cumtime_s']:8.3f}s cum {r['tottime_s']:8.3f}s own {r['ncalls']:>9} calls  {r['function']}")
    order = ("quality", "throughput", "throughput_no_maker", "scaling", "memory", "ingest", "profile", "machine")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({k: result[k] for k in order if k in result}, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
