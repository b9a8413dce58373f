"""Benchmark: synthetic data generation and import, with peak memory.

    .venv/bin/python benchmarks/records.py --cases 1000000 [--synth-cases 10000000] [--repeat 3]

Each step runs in its own process (so its peak RSS is its own), ``--repeat`` times; the median
wall time is printed with rows/s. The import is compared with a bare DuckDB
``INSERT … SELECT * FROM read_parquet`` into the same keyed tables (no checks, no quarantine), so
the cost of checking is visible as a ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable

SYNTH = """
import sys
from jixiao.records.synth import synthesize
synthesize(sys.argv[1], cases=int(sys.argv[2]), tickets=int(sys.argv[3]),
           ratings=int(sys.argv[4]), seed=7, year=2023)
"""

IMPORT = """
import sys
from jixiao.records.importer import import_path
s = import_path(sys.argv[1], sys.argv[2])
assert s.read == s.loaded + s.present + s.set_aside
"""

BARE = """
import sys
from pathlib import Path
from jixiao.records.store import open_store
con = open_store(sys.argv[2])
con.begin()
for table in ("items", "cases", "hotline_calls", "hotline_tickets", "ratings"):
    p = Path(sys.argv[1]) / f"{table}.parquet"
    con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet('{p}')")
con.commit()
"""


def run(code: str, *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process (it reports its own ru_maxrss)."""
    probe = (
        "\nimport resource\nprint('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [PY, "-c", code + probe, *args], check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    peak = next(
        int(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("PEAK_KIB")
    )
    return wall, peak / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000, help="cases for the import benchmark")
    ap.add_argument("--synth-cases", type=int, default=0, help="also time synth at this size")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    rows: list[tuple[str, int, float, float]] = []
    try:
        data = work / "data"
        tickets, ratings = args.cases // 2, args.cases * 4 // 5
        total = args.cases + round(tickets * 1.4) + tickets + ratings
        times, peak = [], 0.0
        for _ in range(args.repeat):
            shutil.rmtree(data, ignore_errors=True)
            wall, rss = run(SYNTH, str(data), str(args.cases), str(tickets), str(ratings))
            times.append(wall)
            peak = max(peak, rss)
        rows.append(
            (
                f"synth {args.cases:,} cases (+calls, tickets, ratings)",
                total,
                statistics.median(times),
                peak,
            )
        )
        for name, code in (("jixiao import (checked)", IMPORT), ("bare DuckDB insert", BARE)):
            times, peak = [], 0.0
            for _ in range(args.repeat):
                db = work / "r.duckdb"
                for f in work.glob("r.duckdb*"):
                    f.unlink()
                wall, rss = run(code, str(data), str(db))
                times.append(wall)
                peak = max(peak, rss)
            rows.append((name, total, statistics.median(times), peak))
        if args.synth_cases:
            big = work / "big"
            wall, rss = run(SYNTH, str(big), str(args.synth_cases), "0", "0")
            rows.append((f"synth {args.synth_cases:,} cases only", args.synth_cases, wall, rss))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ncpus={os.cpu_count()} load={os.getloadavg()[0]:.1f}")
    print(f"{'step':48} {'rows':>12} {'median s':>9} {'rows/s':>11} {'peak MiB':>9}")
    for name, n, wall, rss in rows:
        print(f"{name:48} {n:>12,} {wall:>9.1f} {n / wall:>11,.0f} {rss:>9.0f}")
    checked = next(r for r in rows if r[0].startswith("jixiao import"))
    bare = next(r for r in rows if r[0].startswith("bare"))
    print(f"\nimport with checks / bare insert: {checked[2] / bare[2]:.2f}×")


if __name__ == "__main__":
    main()
