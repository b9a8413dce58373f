"""Benchmark: reports per minute for a batch of units (docx + pdf + both xlsx), with the time of
each stage and the rate without the PDF for comparison.

    .venv/bin/python benchmarks/reports.py               # 200 units
    .venv/bin/python benchmarks/reports.py --units 20
    .venv/bin/python benchmarks/reports.py --jobs 2      # also the batch over 2 processes

Inputs: the bundled example ``hunan-001`` evaluated by the real engine, its money facts scaled
by a different seeded factor per unit (so every unit's figures differ), and one KPI report
computed by the real KPI engine from small synthetic records (centre, by department, by month:
the report then has its service section, drafted department problems and the monthly chart).
Evaluation and KPI time is not counted: the benchmark times ``build_report`` (model, templates,
charts) and the four renderers, one unit after another in one process.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jixiao.engine.evaluate import evaluate
from jixiao.engine.result import Evaluation
from jixiao.examples import example_path
from jixiao.facts.load import load_facts
from jixiao.frameworks import load_framework
from jixiao.kpis.result import KpiReport
from jixiao.reports.build import build_report
from jixiao.reports.docx_render import render_docx
from jixiao.reports.inputs import Notice, UnitInfo
from jixiao.reports.pdf_render import render_pdf
from jixiao.reports.xlsx_render import write_data_table, write_score_table

MONEY = (
    "income_total",
    "carryover_prev",
    "expenditure_basic",
    "expenditure_project",
    "expenditure_total",
    "budget_total",
    "budget_executed",
    "public_budget",
    "public_actual",
    "fixed_assets_in_use",
    "fixed_assets_total",
)


def evaluations(n: int) -> list[Evaluation]:
    base = load_facts(example_path("hunan-001"))
    fw = load_framework(base.framework or "")
    rng = random.Random(2024)
    out = []
    for i in range(n):
        k = rng.uniform(0.6, 1.8)
        facts = dict(base.facts)
        for name in MONEY:
            if name in facts and isinstance(facts[name].value, float):
                facts[name] = facts[name].model_copy(
                    update={"value": round(facts[name].value * k, 2)}
                )
        fs = base.model_copy(update={"facts": facts, "unit": f"第{i + 1}政务服务中心"})
        out.append(evaluate(fw, fs))
    return out


def kpi_report(tmp: Path, year: int) -> KpiReport:
    from jixiao.kpis.compute import compute_kpis
    from jixiao.records.importer import import_path
    from jixiao.records.synth import synthesize

    synthesize(tmp / "raw", cases=5000, tickets=2500, ratings=4000, seed=5, year=year)
    import_path(tmp / "raw", tmp / "store.duckdb")
    parts = [
        compute_kpis(tmp / "store.duckdb", f"{year}-01-01", f"{year}-12-31", by=by)
        for by in ((), ("department",), ("month",))
    ]
    return KpiReport(
        start=parts[0].start,
        end=parts[0].end,
        by=["department", "month"],
        backend=parts[0].backend,
        results=[v for p in parts for v in p.results],
        queries=parts[0].queries,
    )


def unit(ev: Evaluation) -> UnitInfo:
    return UnitInfo(
        name=ev.unit or "政务服务中心",
        self_name="我中心",
        status="公益一类事业单位",
        sections=["办公室", "政务服务管理股"],
        year=ev.year,
        notice=Notice(
            title=f"关于开展{ev.year}年度部门整体支出绩效自评工作的通知",
            number=f"某财绩〔{ev.year + 1}〕4号",
        ),
    )


def _render_one(args: tuple[Evaluation, KpiReport, Path]) -> None:
    ev, kpis, out = args
    report = build_report(ev, unit(ev), None, kpis)
    render_docx(report, out / "自评报告.docx")
    render_pdf(report, out / "自评报告.pdf")
    write_score_table(report.score_table, out / "评分表.xlsx")
    write_data_table(report, out / "数据表.xlsx")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=1, help="also run the batch over N processes")
    args = ap.parse_args()
    print(f"准备 {args.units} 个单位的评价结果和一份服务指标 …", flush=True)
    evs = evaluations(args.units)
    stages: dict[str, list[float]] = {"build": [], "docx": [], "pdf": [], "xlsx": []}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        kpis = kpi_report(tmp, evs[0].year)
        t_all = time.perf_counter()
        for i, ev in enumerate(evs):
            out = tmp / f"u{i:04d}"
            t0 = time.perf_counter()
            report = build_report(ev, unit(ev), None, kpis)
            t1 = time.perf_counter()
            render_docx(report, out / "自评报告.docx")
            t2 = time.perf_counter()
            render_pdf(report, out / "自评报告.pdf")
            t3 = time.perf_counter()
            write_score_table(report.score_table, out / "评分表.xlsx")
            write_data_table(report, out / "数据表.xlsx")
            t4 = time.perf_counter()
            for key, dt_ in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                stages[key].append(dt_)
            if (i + 1) % 20 == 0:
                print(f"  {i + 1}/{len(evs)}", flush=True)
        wall = time.perf_counter() - t_all
    per_unit = [sum(x) for x in zip(*stages.values(), strict=True)]
    no_pdf = [
        b + d + x for b, d, x in zip(stages["build"], stages["docx"], stages["xlsx"], strict=True)
    ]
    med = statistics.median(per_unit)
    med_no_pdf = statistics.median(no_pdf)
    print(f"\n单位数 {len(evs)}，总耗时 {wall:.1f} 秒，单进程")
    print(f"整批速度：{len(evs) / wall * 60:.1f} 份/分钟（docx + pdf + 评分表 + 数据表）")
    print(f"每份耗时中位数 {med:.3f} 秒 → {60 / med:.1f} 份/分钟")
    print(
        f"不生成 PDF：每份中位数 {med_no_pdf:.3f} 秒 → {60 / med_no_pdf:.1f} 份/分钟"
        f"（为完整输出的 {med / med_no_pdf:.2f} 倍速度）"
    )
    for key, xs in stages.items():
        m = statistics.median(xs)
        print(f"  {key:<5} 中位数 {m:.3f} 秒（{m / med:.0%}）")
    if args.jobs > 1:
        # After the single-process figures are printed, so a long run still reports them.
        from concurrent.futures import ProcessPoolExecutor

        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            t0 = time.perf_counter()
            with ProcessPoolExecutor(max_workers=args.jobs) as pool:
                work = [(ev, kpis, tmp / f"p{i:04d}") for i, ev in enumerate(evs)]
                list(pool.map(_render_one, work, chunksize=4))
            pool_wall = time.perf_counter() - t0
        rate = len(evs) / pool_wall * 60
        print(
            f"{args.jobs} 个进程：总耗时 {pool_wall:.1f} 秒，{rate:.1f} 份/分钟"
            f"（单进程的 {wall / pool_wall:.2f} 倍）"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
