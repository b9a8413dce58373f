"""Benchmark: the full KPI set by department and month with jixiao, hand-written DuckDB SQL,
Polars and pandas — wall time (median of N runs) and peak memory, with ratios to jixiao.

    .venv/bin/python benchmarks/kpis.py                  # 1 M and 10 M cases
    .venv/bin/python benchmarks/kpis.py --sizes 1000000 --runs 3
    .venv/bin/python benchmarks/kpis.py --full           # adds 100 M cases

Data: ``jixiao.records.synth`` (cases n, tickets n/2, ratings 0.8 n, calls 1.4 × tickets), as
Parquet, and the same tables loaded into a DuckDB store file. jixiao and the hand-written SQL
read the DuckDB store; Polars and pandas read the Parquet files (their own format; time
includes reading). Each engine runs in its own subprocess, so its peak RSS is its own.

Workload (the same for every engine, checked): every KPI cut by department × month where that
cut applies — cases (5 KPIs), dispatched tickets (2), ratings (4); hotline calls (4) and the
direct-answer rate by month (calls have no department); the item catalogue (9) by department.
Every alternative's numerators and denominators are compared with jixiao's; a mismatch fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

YEAR = 2023
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
AS_OF = dt.datetime(YEAR + 1, 1, 1)
T0 = dt.datetime(YEAR, 1, 1)
ENGINES = ("jixiao", "duckdb-sql", "polars", "pandas")
NULL = "（未填）"

# (label, kpi ids, cuts) — the three calls that make up the workload in jixiao
JOBS: list[tuple[list[str] | None, list[str]]] = [
    (
        [
            "case_count",
            "case_completion_rate",
            "on_time_completion_rate",
            "online_application_rate",
            "online_completion_rate",
            "hotline_ticket_completion_rate",
            "hotline_satisfaction_rate",
            "rating_satisfaction_rate",
            "rating_satisfaction_rate_given",
            "bad_rating_rectification_rate",
            "bad_rating_rectified_on_time_rate",
        ],
        ["department", "month"],
    ),
    (
        [
            "hotline_volume",
            "hotline_valid_rate",
            "hotline_answer_rate",
            "hotline_answer_rate_15s",
            "hotline_direct_answer_rate",
        ],
        ["month"],
    ),
    (
        [
            "item_entry_rate",
            "max_one_visit_coverage",
            "zero_visit_coverage",
            "instant_item_share",
            "time_limit_compression",
            "time_limit_compression_mean",
            "online_applicable_rate",
            "fully_online_item_rate",
            "comprehensive_window_items",
        ],
        ["department"],
    ),
]

Result = dict[str, tuple[float, float | None]]  # "kpi|group" → (numerator, denominator)


def key(kpi: str, *group: Any) -> str:
    parts = []
    for g in group:
        if g is None:
            parts.append(NULL)
        elif isinstance(g, int | float) and not isinstance(g, bool):
            v = int(g)
            parts.append(f"{v // 100:04d}-{v % 100:02d}")
        else:
            parts.append(str(g))
    return kpi + "|" + "|".join(parts)


# ---- jixiao ------------------------------------------------------------------------------


def run_jixiao(db: Path, data: Path) -> Result:
    from jixiao.kpis.compute import compute_kpis

    out: Result = {}
    for kpis, by in JOBS:
        r = compute_kpis(db, START, END, by=by, kpis=kpis)
        assert not r.not_applicable, r.not_applicable
        for v in r.results:
            g = [v.group[c] for c in by]
            if v.unit == "%":
                out[key(v.kpi, *g)] = (v.numerator, v.denominator)
            else:
                out[key(v.kpi, *g)] = (v.value, None)
    return out


# ---- hand-written DuckDB SQL ---------------------------------------------------------------

SQL_CASES = """
SELECT department, year(accepted_at) * 100 + month(accepted_at) AS m,
  count(*) AS n,
  count(*) FILTER (WHERE completed_at < $as_of) AS done,
  count(*) FILTER (WHERE completed_at < $as_of AND promised_deadline IS NOT NULL) AS done_dl,
  count(*) FILTER (WHERE completed_at < $as_of AND completed_at::DATE <= promised_deadline)
    AS on_time,
  count(*) FILTER (WHERE channel = 'online') AS online,
  count(*) FILTER (WHERE completed_online AND completed_at < $as_of) AS done_online
FROM cases WHERE accepted_at >= $t0 AND accepted_at < $as_of
GROUP BY ALL
"""
SQL_TICKETS = """
SELECT department, year(received_at) * 100 + month(received_at) AS m,
  count(*) FILTER (WHERE handling = 'dispatched') AS disp,
  count(*) FILTER (WHERE handling = 'dispatched' AND closed_at < $as_of) AS closed,
  count(*) FILTER (WHERE followup IN ('满意', '基本满意', '不满意')) AS fu,
  count(*) FILTER (WHERE followup IN ('满意', '基本满意')) AS sat
FROM hotline_tickets WHERE received_at >= $t0 AND received_at < $as_of
GROUP BY ALL
"""
SQL_TICKETS_MONTH = """
SELECT year(received_at) * 100 + month(received_at) AS m, count(*) AS n,
  count(*) FILTER (WHERE handling = 'direct') AS direct
FROM hotline_tickets WHERE received_at >= $t0 AND received_at < $as_of
GROUP BY ALL
"""
SQL_RATINGS = """
SELECT r.department, year(r.rated_at) * 100 + month(r.rated_at) AS m,
  count(*) AS n,
  count(*) FILTER (WHERE r.level >= 3) AS sat,
  count(*) FILTER (WHERE NOT coalesce(r.defaulted, false)) AS given,
  count(*) FILTER (WHERE NOT coalesce(r.defaulted, false) AND r.level >= 3) AS given_sat,
  count(*) FILTER (WHERE r.level <= 2) AS bad,
  count(*) FILTER (WHERE r.level <= 2 AND r.rectified_at < $as_of) AS rect,
  count(*) FILTER (WHERE r.level <= 2 AND r.rectified_at < $as_of
                    AND r.rectified_at::DATE <= c.deadline) AS rect_on_time
FROM ratings r LEFT JOIN cal c ON r.rated_at::DATE = c.cal_date
WHERE r.rated_at >= $t0 AND r.rated_at < $as_of
GROUP BY ALL
"""
SQL_CALLS = """
SELECT year(received_at) * 100 + month(received_at) AS m, count(*) AS n,
  count(*) FILTER (WHERE valid) AS valid,
  count(*) FILTER (WHERE channel = 'phone') AS phone,
  count(*) FILTER (WHERE channel = 'phone' AND answered) AS answered,
  count(*) FILTER (WHERE channel = 'phone' AND answered AND wait_seconds <= 15) AS fast
FROM hotline_calls WHERE received_at >= $t0 AND received_at < $as_of
GROUP BY ALL
"""
SQL_ITEMS = """
SELECT department,
  count(*) FILTER (WHERE must_enter) AS must, count(*) FILTER (WHERE must_enter AND entered) AS ent,
  count(*) FILTER (WHERE entered) AS n_ent,
  count(*) FILTER (WHERE entered AND max_one_visit) AS one,
  count(*) FILTER (WHERE entered AND zero_visit) AS zero,
  count(*) FILTER (WHERE entered AND instant) AS inst,
  coalesce(sum(legal_limit_days - promised_limit_days) FILTER (WHERE entered
    AND legal_limit_days > 0 AND promised_limit_days IS NOT NULL), 0) AS saved,
  coalesce(sum(legal_limit_days) FILTER (WHERE entered AND legal_limit_days > 0
    AND promised_limit_days IS NOT NULL), 0) AS legal,
  coalesce(sum(1.0 - promised_limit_days / legal_limit_days) FILTER (WHERE entered
    AND legal_limit_days > 0 AND promised_limit_days IS NOT NULL), 0) AS ratio_sum,
  count(*) FILTER (WHERE entered AND legal_limit_days > 0
    AND promised_limit_days IS NOT NULL) AS n_limits,
  count(*) AS n, count(*) FILTER (WHERE online_applicable) AS onl,
  count(*) FILTER (WHERE fully_online) AS full, count(*) FILTER (WHERE comprehensive_window) AS cw
FROM items GROUP BY ALL
"""


def calendar_rows() -> Any:
    from jixiao.kpis.workdays import deadline_table

    return deadline_table(START, END, 15)


def collect(rows: dict[str, list[dict[str, Any]]]) -> Result:
    """Numerators and denominators from the per-table aggregates (same for every engine)."""
    out: Result = {}
    for r in rows["cases"]:
        g = (r["department"], r["m"])
        out[key("case_count", *g)] = (r["n"], None)
        out[key("case_completion_rate", *g)] = (r["done"], r["n"])
        out[key("on_time_completion_rate", *g)] = (r["on_time"], r["done_dl"])
        out[key("online_application_rate", *g)] = (r["online"], r["n"])
        out[key("online_completion_rate", *g)] = (r["done_online"], r["n"])
    for r in rows["tickets"]:
        g = (r["department"], r["m"])
        out[key("hotline_ticket_completion_rate", *g)] = (r["closed"], r["disp"])
        out[key("hotline_satisfaction_rate", *g)] = (r["sat"], r["fu"])
    for r in rows["tickets_month"]:
        out[key("hotline_direct_answer_rate", r["m"])] = (r["direct"], r["n"])
    for r in rows["ratings"]:
        g = (r["department"], r["m"])
        out[key("rating_satisfaction_rate", *g)] = (r["sat"], r["n"])
        out[key("rating_satisfaction_rate_given", *g)] = (r["given_sat"], r["given"])
        out[key("bad_rating_rectification_rate", *g)] = (r["rect"], r["bad"])
        out[key("bad_rating_rectified_on_time_rate", *g)] = (r["rect_on_time"], r["bad"])
    for r in rows["calls"]:
        m = r["m"]
        out[key("hotline_volume", m)] = (r["n"], None)
        out[key("hotline_valid_rate", m)] = (r["valid"], r["n"])
        out[key("hotline_answer_rate", m)] = (r["answered"], r["phone"])
        out[key("hotline_answer_rate_15s", m)] = (r["fast"], r["phone"])
    for r in rows["items"]:
        d = r["department"]
        out[key("item_entry_rate", d)] = (r["ent"], r["must"])
        out[key("max_one_visit_coverage", d)] = (r["one"], r["n_ent"])
        out[key("zero_visit_coverage", d)] = (r["zero"], r["n_ent"])
        out[key("instant_item_share", d)] = (r["inst"], r["n_ent"])
        out[key("time_limit_compression", d)] = (r["saved"], r["legal"])
        out[key("time_limit_compression_mean", d)] = (r["ratio_sum"], r["n_limits"])
        out[key("online_applicable_rate", d)] = (r["onl"], r["n"])
        out[key("fully_online_item_rate", d)] = (r["full"], r["n"])
        out[key("comprehensive_window_items", d)] = (r["cw"], None)
    return out


def run_duckdb_sql(db: Path, data: Path) -> Result:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    con.register("cal", calendar_rows())
    params = {"t0": T0, "as_of": AS_OF}

    def q(sql: str) -> list[dict[str, Any]]:
        cur = con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    rows = {
        "cases": q(SQL_CASES),
        "tickets": q(SQL_TICKETS),
        "tickets_month": q(SQL_TICKETS_MONTH),
        "ratings": q(SQL_RATINGS),
        "calls": q(SQL_CALLS),
        "items": q(SQL_ITEMS),
    }
    con.close()
    return collect(rows)


# ---- Polars ------------------------------------------------------------------------------


def run_polars(db: Path, data: Path) -> Result:
    import polars as pl

    def month(c: str) -> pl.Expr:
        return (pl.col(c).dt.year() * 100 + pl.col(c).dt.month()).alias("m")

    def period(c: str) -> pl.Expr:
        return (pl.col(c) >= T0) & (pl.col(c) < AS_OF)

    def cnt(cond: pl.Expr) -> pl.Expr:
        return cond.fill_null(False).sum()

    done = pl.col("completed_at") < AS_OF
    cases = (
        pl.scan_parquet(data / "cases.parquet")
        .filter(period("accepted_at"))
        .group_by("department", month("accepted_at"))
        .agg(
            pl.len().alias("n"),
            cnt(done).alias("done"),
            cnt(done & pl.col("promised_deadline").is_not_null()).alias("done_dl"),
            cnt(done & (pl.col("completed_at").dt.date() <= pl.col("promised_deadline"))).alias(
                "on_time"
            ),
            cnt(pl.col("channel") == "online").alias("online"),
            cnt(pl.col("completed_online") & done).alias("done_online"),
        )
    )
    t = pl.scan_parquet(data / "hotline_tickets.parquet").filter(period("received_at"))
    disp = pl.col("handling") == "dispatched"
    tickets = t.group_by("department", month("received_at")).agg(
        cnt(disp).alias("disp"),
        cnt(disp & (pl.col("closed_at") < AS_OF)).alias("closed"),
        cnt(pl.col("followup").is_in(["满意", "基本满意", "不满意"])).alias("fu"),
        cnt(pl.col("followup").is_in(["满意", "基本满意"])).alias("sat"),
    )
    tickets_month = t.group_by(month("received_at")).agg(
        pl.len().alias("n"), cnt(pl.col("handling") == "direct").alias("direct")
    )
    cal = pl.from_arrow(calendar_rows()).lazy()
    given = ~pl.col("defaulted").fill_null(False)
    bad = pl.col("level") <= 2
    ratings = (
        pl.scan_parquet(data / "ratings.parquet")
        .filter(period("rated_at"))
        .with_columns(pl.col("rated_at").dt.date().alias("rated_day"))
        .join(cal, left_on="rated_day", right_on="cal_date", how="left")
        .group_by("department", month("rated_at"))
        .agg(
            pl.len().alias("n"),
            cnt(pl.col("level") >= 3).alias("sat"),
            cnt(given).alias("given"),
            cnt(given & (pl.col("level") >= 3)).alias("given_sat"),
            cnt(bad).alias("bad"),
            cnt(bad & (pl.col("rectified_at") < AS_OF)).alias("rect"),
            cnt(
                bad
                & (pl.col("rectified_at") < AS_OF)
                & (pl.col("rectified_at").dt.date() <= pl.col("deadline"))
            ).alias("rect_on_time"),
        )
    )
    phone = pl.col("channel") == "phone"
    calls = (
        pl.scan_parquet(data / "hotline_calls.parquet")
        .filter(period("received_at"))
        .group_by(month("received_at"))
        .agg(
            pl.len().alias("n"),
            cnt(pl.col("valid")).alias("valid"),
            cnt(phone).alias("phone"),
            cnt(phone & pl.col("answered")).alias("answered"),
            cnt(phone & pl.col("answered") & (pl.col("wait_seconds") <= 15)).alias("fast"),
        )
    )
    ent = pl.col("entered").fill_null(False)
    lim = ent & (pl.col("legal_limit_days") > 0) & pl.col("promised_limit_days").is_not_null()
    items = (
        pl.scan_parquet(data / "items.parquet")
        .group_by("department")
        .agg(
            cnt(pl.col("must_enter")).alias("must"),
            cnt(pl.col("must_enter") & ent).alias("ent"),
            cnt(ent).alias("n_ent"),
            cnt(ent & pl.col("max_one_visit")).alias("one"),
            cnt(ent & pl.col("zero_visit")).alias("zero"),
            cnt(ent & pl.col("instant")).alias("inst"),
            (pl.col("legal_limit_days") - pl.col("promised_limit_days"))
            .filter(lim)
            .sum()
            .alias("saved"),
            pl.col("legal_limit_days").filter(lim).sum().alias("legal"),
            (1.0 - pl.col("promised_limit_days") / pl.col("legal_limit_days"))
            .filter(lim)
            .sum()
            .alias("ratio_sum"),
            cnt(lim).alias("n_limits"),
            pl.len().alias("n"),
            cnt(pl.col("online_applicable")).alias("onl"),
            cnt(pl.col("fully_online")).alias("full"),
            cnt(pl.col("comprehensive_window")).alias("cw"),
        )
    )
    frames = pl.collect_all([cases, tickets, tickets_month, ratings, calls, items])
    names = ["cases", "tickets", "tickets_month", "ratings", "calls", "items"]
    return collect({n: f.to_dicts() for n, f in zip(names, frames, strict=True)})


# ---- pandas ------------------------------------------------------------------------------


def run_pandas(db: Path, data: Path) -> Result:
    import pandas as pd

    def read(name: str, cols: list[str]) -> pd.DataFrame:
        return pd.read_parquet(data / f"{name}.parquet", columns=cols)

    def months(s: pd.Series) -> pd.Series:
        return s.dt.year * 100 + s.dt.month

    def agg(df: pd.DataFrame, by: list[str], cols: dict[str, pd.Series]) -> list[dict]:
        frame = pd.DataFrame({**{b: df[b] for b in by}, **cols})
        g = frame.groupby(by, dropna=False, sort=False).sum()
        return g.reset_index().to_dict("records")

    def b(s: pd.Series) -> pd.Series:
        return s.fillna(False).astype(bool).astype("int64")

    as_of, t0 = pd.Timestamp(AS_OF), pd.Timestamp(T0)
    c = read(
        "cases",
        [
            "department",
            "channel",
            "accepted_at",
            "completed_at",
            "promised_deadline",
            "completed_online",
        ],
    )
    c = c[(c.accepted_at >= t0) & (c.accepted_at < as_of)]
    c = c.assign(m=months(c.accepted_at))
    done = c.completed_at < as_of
    deadline = pd.to_datetime(c.promised_deadline)
    cases = agg(
        c,
        ["department", "m"],
        {
            "n": pd.Series(1, index=c.index),
            "done": b(done),
            "done_dl": b(done & deadline.notna()),
            "on_time": b(done & (c.completed_at.dt.normalize() <= deadline)),
            "online": b(c.channel == "online"),
            "done_online": b(c.completed_online.fillna(False).astype(bool) & done),
        },
    )
    del c, done, deadline
    t = read("hotline_tickets", ["department", "received_at", "handling", "closed_at", "followup"])
    t = t[(t.received_at >= t0) & (t.received_at < as_of)]
    t = t.assign(m=months(t.received_at))
    disp = t.handling == "dispatched"
    tickets = agg(
        t,
        ["department", "m"],
        {
            "disp": b(disp),
            "closed": b(disp & (t.closed_at < as_of)),
            "fu": b(t.followup.isin(["满意", "基本满意", "不满意"])),
            "sat": b(t.followup.isin(["满意", "基本满意"])),
        },
    )
    tickets_month = agg(
        t, ["m"], {"n": pd.Series(1, index=t.index), "direct": b(t.handling == "direct")}
    )
    del t, disp
    r = read("ratings", ["department", "rated_at", "level", "defaulted", "rectified_at"])
    r = r[(r.rated_at >= t0) & (r.rated_at < as_of)]
    cal = calendar_rows().to_pandas()
    cal_map = pd.Series(
        pd.to_datetime(cal["deadline"]).values, index=pd.to_datetime(cal["cal_date"])
    )
    deadline = r.rated_at.dt.normalize().map(cal_map)
    r = r.assign(m=months(r.rated_at))
    given = ~r.defaulted.fillna(False).astype(bool)
    bad = r.level <= 2
    ratings = agg(
        r,
        ["department", "m"],
        {
            "n": pd.Series(1, index=r.index),
            "sat": b(r.level >= 3),
            "given": b(given),
            "given_sat": b(given & (r.level >= 3)),
            "bad": b(bad),
            "rect": b(bad & (r.rectified_at < as_of)),
            "rect_on_time": b(
                bad & (r.rectified_at < as_of) & (r.rectified_at.dt.normalize() <= deadline)
            ),
        },
    )
    del r, deadline, given, bad
    k = read("hotline_calls", ["received_at", "channel", "answered", "valid", "wait_seconds"])
    k = k[(k.received_at >= t0) & (k.received_at < as_of)]
    k = k.assign(m=months(k.received_at))
    phone = k.channel == "phone"
    answered = phone & k.answered.fillna(False).astype(bool)
    calls = agg(
        k,
        ["m"],
        {
            "n": pd.Series(1, index=k.index),
            "valid": b(k.valid),
            "phone": b(phone),
            "answered": b(answered),
            "fast": b(answered & (k.wait_seconds <= 15)),
        },
    )
    del k
    i = pd.read_parquet(data / "items.parquet")
    ent = i.entered.fillna(False).astype(bool)
    lim = ent & (i.legal_limit_days > 0) & i.promised_limit_days.notna()
    legal = i.legal_limit_days.where(lim, 0).fillna(0).astype("int64")
    promised = i.promised_limit_days.where(lim, 0).fillna(0).astype("int64")
    ratio = (1.0 - i.promised_limit_days / i.legal_limit_days).where(lim, 0.0)
    items = agg(
        i,
        ["department"],
        {
            "must": b(i.must_enter),
            "ent": b(i.must_enter.fillna(False).astype(bool) & ent),
            "n_ent": b(ent),
            "one": b(ent & i.max_one_visit.fillna(False).astype(bool)),
            "zero": b(ent & i.zero_visit.fillna(False).astype(bool)),
            "inst": b(ent & i.instant.fillna(False).astype(bool)),
            "saved": legal - promised,
            "legal": legal,
            "ratio_sum": ratio.astype("float64"),
            "n_limits": b(lim),
            "n": pd.Series(1, index=i.index),
            "onl": b(i.online_applicable),
            "full": b(i.fully_online),
            "cw": b(i.comprehensive_window),
        },
    )

    def clean(rows: list[dict]) -> list[dict]:
        for row in rows:
            if "department" in row and not isinstance(row["department"], str):
                row["department"] = None  # pandas' NA for a missing group key
        return rows

    return collect(
        {
            "cases": clean(cases),
            "tickets": clean(tickets),
            "tickets_month": tickets_month,
            "ratings": clean(ratings),
            "calls": calls,
            "items": clean(items),
        }
    )


RUNNERS = {
    "jixiao": run_jixiao,
    "duckdb-sql": run_duckdb_sql,
    "polars": run_polars,
    "pandas": run_pandas,
}


# ---- harness -------------------------------------------------------------------------------


IMPORTS = {
    "jixiao": ["jixiao.kpis.compute"],
    "duckdb-sql": ["duckdb", "jixiao.kpis.workdays"],
    "polars": ["polars", "jixiao.kpis.workdays"],
    "pandas": ["pandas", "jixiao.kpis.workdays"],
}


def peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM).

    Not ``getrusage``: its ru_maxrss survives fork + exec, so a worker would report the
    (larger) parent's peak instead of its own.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process, all threads (steadier than wall time on a busy machine)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def worker(engine: str, db: Path, data: Path, runs: int, out: Path) -> None:
    """Run one engine ``runs`` times in this process; write times, peak RSS and the result.

    The engine's modules are imported and one run is made before timing: start-up is not
    what is measured.
    """
    import importlib

    for module in IMPORTS[engine]:
        importlib.import_module(module)
    # One untimed run first: lazy initialisation inside the libraries (Ibis/sqlglot dialects,
    # DuckDB's first query, Polars' thread pool) is start-up, not the work being compared.
    RUNNERS[engine](db, data)
    times, cpu = [], []
    result: Result = {}
    for _ in range(runs):
        t, c = time.perf_counter(), _cpu()
        result = RUNNERS[engine](db, data)
        times.append(time.perf_counter() - t)
        cpu.append(_cpu() - c)
    payload = {
        "times": times,
        "cpu": cpu,
        "peak_mib": peak_rss_mib(),
        "result": {
            k: [float(v[0]), None if v[1] is None else float(v[1])] for k, v in result.items()
        },
    }
    out.write_text(json.dumps(payload), encoding="utf-8")


def prepare(size: int, root: Path) -> tuple[Path, Path]:
    """Synthesise ``size`` cases (once) and load them into a DuckDB store file."""
    import duckdb

    from jixiao.records.schema import TABLES
    from jixiao.records.synth import synthesize

    data = root / f"cases-{size}"
    db = data / "records.duckdb"
    if db.exists():
        return db, data
    t = time.perf_counter()
    synthesize(data, cases=size, tickets=size // 2, ratings=size * 4 // 5, seed=7, year=YEAR)
    con = duckdb.connect(str(data / "records.tmp.duckdb"))
    for table in TABLES:
        src = str(data / f"{table}.parquet")
        con.execute(f"CREATE TABLE \"{table}\" AS SELECT * FROM read_parquet('{src}')")
    con.close()
    (data / "records.tmp.duckdb").rename(db)
    print(f"  data for {size:,} cases prepared in {time.perf_counter() - t:.0f} s", flush=True)
    return db, data


def compare(ref: dict[str, list], other: dict[str, list], engine: str) -> None:
    if ref.keys() != other.keys():
        extra = sorted(set(ref) ^ set(other))[:5]
        raise SystemExit(f"{engine}: groups differ from jixiao's, e.g. {extra}")
    for k, (num, den) in ref.items():
        num2, den2 = other[k]
        ok_num = abs(num - num2) <= 1e-6 * max(1.0, abs(num))
        if not ok_num or den != den2:
            raise SystemExit(f"{engine}: {k} = {num2}/{den2}, jixiao {num}/{den}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000000,10000000", help="cases, comma-separated")
    ap.add_argument("--full", action="store_true", help="also 100 M cases")
    ap.add_argument("--runs", type=int, default=3, help="runs per engine (median reported)")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/jixiao-bench"))
    ap.add_argument(
        "--pandas-max",
        type=int,
        default=10_000_000,
        help="skip pandas above this many cases (memory)",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, args.db, args.data, args.runs, args.out)
        return

    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.full:
        sizes.append(100_000_000)
    engines = [e for e in args.engines.split(",") if e]
    args.data_dir.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[int, str, float | None, float | None, float | None, str]] = []
    for size in sizes:
        print(f"== {size:,} cases", flush=True)
        db, data = prepare(size, args.data_dir)
        # Round-robin (run 1 of every engine, then run 2 …), each run in a fresh subprocess:
        # on a shared machine, load that comes and goes then hits every engine alike.
        times: dict[str, list[float]] = {e: [] for e in engines}
        cpus: dict[str, list[float]] = {e: [] for e in engines}
        peaks: dict[str, float] = {e: 0.0 for e in engines}
        failed: dict[str, str] = {}
        ref: dict[str, list] | None = None
        for run in range(args.runs):
            for engine in engines:
                if engine in failed:
                    continue
                if engine == "pandas" and size > args.pandas_max:
                    failed[engine] = f"skipped (> --pandas-max {args.pandas_max:,})"
                    continue
                out = args.data_dir / f"result-{engine}-{size}.json"
                cmd = [
                    sys.executable,
                    __file__,
                    "--worker",
                    engine,
                    "--db",
                    str(db),
                    "--data",
                    str(data),
                    "--runs",
                    "1",
                    "--out",
                    str(out),
                ]
                proc = subprocess.run(cmd, capture_output=True, text=True)
                if proc.returncode != 0:
                    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]
                    failed[engine] = f"failed: {tail[0][:80]}"
                    print(f"  {engine}: failed ({proc.returncode}) {tail[0][:200]}", flush=True)
                    continue
                res = json.loads(out.read_text(encoding="utf-8"))
                if ref is None:
                    ref = res["result"]
                elif run == 0:
                    compare(ref, res["result"], engine)
                times[engine] += res["times"]
                cpus[engine] += res["cpu"]
                peaks[engine] = max(peaks[engine], res["peak_mib"])
                print(
                    f"  run {run + 1} {engine}: {res['times'][0]:.2f} s wall, "
                    f"{res['cpu'][0]:.2f} s CPU, peak {res['peak_mib']:.0f} MiB",
                    flush=True,
                )
        for engine in engines:
            if engine in failed:
                rows.append((size, engine, None, None, None, failed[engine]))
            else:
                med, cmed = statistics.median(times[engine]), statistics.median(cpus[engine])
                rows.append((size, engine, med, cmed, peaks[engine], ""))
    print()
    print(
        "| cases | engine | median wall (s) | median CPU (s) | peak RSS (MiB) "
        "| wall / jixiao | CPU / jixiao | memory / jixiao |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        base = next((r for r in rows if r[0] == size and r[1] == "jixiao" and r[2]), None)
        for s, engine, med, cmed, peak, note in rows:
            if s != size:
                continue
            if med is None or cmed is None or peak is None:
                print(f"| {s:,} | {engine} | {note} | | | | | |")
                continue
            tr = f"{med / base[2]:.2f}×" if base else "—"
            cr = f"{cmed / base[3]:.2f}×" if base else "—"
            mr = f"{peak / base[4]:.2f}×" if base else "—"
            print(
                f"| {s:,} | {engine} | {med:.2f} | {cmed:.2f} | {peak:.0f} | {tr} | {cr} | {mr} |"
            )


if __name__ == "__main__":
    main()
