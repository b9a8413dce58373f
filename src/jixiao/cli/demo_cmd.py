"""``jixiao demo``: the whole job on the embedded defaults, end to end (what ``make demo`` runs).

It uses only the public functions the other commands use: evaluate a bundled example unit;
synthesise a year of service records, import them into the DuckDB store and compute the KPIs;
evaluate a service centre with its output indicators filled from those records; write both
units' reports; and audit the reports it wrote.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.rule import Rule
from rich.table import Table

SERVICE_YEAR = 2023
_VERDICTS = {
    "clean": "通过（未发现问题）",
    "warning": "有警告",
    "error": "有错误",
    "unreadable": "无法读取",
}


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("demo")(demo)


def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="演示输出文件夹（会被清空重建）")] = Path(
        "demo-out"
    ),
    cases: Annotated[int, typer.Option("--cases", help="合成办件数量")] = 200_000,
    seed: Annotated[int, typer.Option("--seed", help="随机种子（相同种子生成相同数据）")] = 7,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="是否生成 PDF")] = True,
) -> None:
    """演示：评价示例单位 → 合成并导入服务记录 → 计算服务指标 → 评价 → 生成报告 → 审核报告。"""
    from jixiao.audit import audit_file
    from jixiao.cli.evaluate_cmd import print_evaluation, run_evaluation
    from jixiao.cli.records_cmd import summary_table
    from jixiao.examples import example_report_inputs
    from jixiao.kpis.compute import compute_kpis
    from jixiao.kpis.result import KpiReport
    from jixiao.records.importer import import_path
    from jixiao.records.synth import synthesize
    from jixiao.reports.inputs import load_narrative, load_unit
    from jixiao.reports.render import render_report

    console = Console()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written: list[tuple[str, Path]] = []

    console.print(Rule("一、评价内置示例单位 hunan-001（仿样本 001，湖南省部门整体支出指标体系）"))
    hunan, _, _ = run_evaluation(None, None, None, example="hunan-001")
    print_evaluation(hunan)
    hunan_json = out / "hunan-001" / "evaluation.json"
    hunan_json.parent.mkdir(parents=True)
    hunan_json.write_text(hunan.to_json(), encoding="utf-8")
    written.append(("评价结果", hunan_json))

    console.print(Rule(f"二、合成 {SERVICE_YEAR} 年服务记录（办件 {cases:,} 件，种子 {seed}）"))
    data_dir = out / "data"
    synth = synthesize(
        data_dir,
        cases=cases,
        tickets=cases // 2,
        ratings=cases * 4 // 5,
        seed=seed,
        year=SERVICE_YEAR,
    )
    made = Table("表", "行数", "文件", title="合成的服务记录")
    for table, rows in synth.rows.items():
        made.add_row(table, f"{rows:,}", str(synth.files[table]))
    console.print(made)

    console.print(Rule("三、导入服务记录到 DuckDB 记录库"))
    store = out / "records.duckdb"
    summary = import_path(data_dir, store, quarantine_dir=out / "quarantine")
    console.print(summary_table(summary))

    console.print(Rule(f"四、计算 {SERVICE_YEAR} 年服务指标（全中心、按部门、按月）"))
    start, end = f"{SERVICE_YEAR}-01-01", f"{SERVICE_YEAR}-12-31"
    kpis = KpiReport.combine(
        [compute_kpis(store, start, end, by=by) for by in ((), ("department",), ("month",))]
    )
    centre = Table("指标", "分子", "分母", "值", title="全中心服务指标")
    for v in kpis.results:
        if not v.group:
            value = "—" if v.value is None else f"{v.value:.2f}{v.unit if v.unit == '%' else ''}"
            centre.add_row(v.label, _num(v.numerator), _num(v.denominator), value)
    console.print(centre)
    kpis_json = out / "kpis.json"
    kpis_json.write_text(kpis.to_json(), encoding="utf-8")
    written.append(("服务指标", kpis_json))

    console.print(Rule("五、评价政务服务中心示例（广东省整体支出指标体系，产出指标取自服务记录）"))
    centre_eval, _, _ = run_evaluation(
        None, None, SERVICE_YEAR, records=store, example="guangdong-service-centre"
    )
    print_evaluation(centre_eval)
    centre_json = out / "guangdong-service-centre" / "evaluation.json"
    centre_json.parent.mkdir(parents=True)
    centre_json.write_text(centre_eval.to_json(), encoding="utf-8")
    written.append(("评价结果", centre_json))

    console.print(Rule("六、生成自评报告、评分表和数据表"))
    reports = []
    for name, evaluation, unit_kpis in (
        ("hunan-001", hunan, None),
        ("guangdong-service-centre", centre_eval, kpis),
    ):
        unit_path, narrative_path = example_report_inputs(name)
        files = render_report(
            evaluation,
            load_unit(unit_path),
            load_narrative(narrative_path) if narrative_path else None,
            unit_kpis,
            out_dir=out / name / "report",
            pdf=pdf,
        )
        reports.append(files)
        written.extend(("报告文件", p) for p in files.all())

    console.print(Rule("七、审核生成的报告"))
    audit = Table("报告", "结论", "错误", "警告", title="审核结果")
    for files in reports:
        for path in (files.docx, files.pdf):
            if path is None:
                continue
            result = audit_file(path)
            errors = sum(1 for f in result.findings if f.severity == "error")
            warnings = sum(1 for f in result.findings if f.severity == "warning")
            audit.add_row(
                str(path), _VERDICTS.get(result.verdict, result.verdict), str(errors), str(warnings)
            )
    console.print(audit)

    console.print(Rule("演示完成：生成的文件"))
    files_table = Table("内容", "文件")
    for what, path in written:
        files_table.add_row(what, str(path))
    console.print(files_table)


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"
