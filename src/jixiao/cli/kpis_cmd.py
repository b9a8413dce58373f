"""``jixiao kpis``: compute the service KPIs from the records store and print or save them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from jixiao.errors import JixiaoError

DEFAULT_DB = Path("jixiao-data/records.duckdb")


def _fmt_number(v: float | None) -> str:
    if v is None:
        return "—"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.4f}"


def _fmt_value(value: Any) -> str:
    if value.value is None:
        return "—（分母为0）" if value.unit == "%" else "—"
    if value.unit == "%":
        return f"{value.value:.2f}%"
    return f"{_fmt_number(value.value)} {value.unit}"


def _param(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise JixiaoError(f"参数应写成 名称=值：{text}")
    key, raw = text.split("=", 1)
    raw = raw.strip()
    value: Any = raw
    for cast in (int, float):
        try:
            value = cast(raw)
            break
        except ValueError:
            continue
    return key.strip(), value


def _period(year: int | None, start: str | None, end: str | None) -> tuple[str, str]:
    if year is None and not (start and end):
        raise JixiaoError("请用 --year 指定年度，或用 --start 与 --end 指定期间")
    return start or f"{year}-01-01", end or f"{year}-12-31"


def kpis(
    year: Annotated[int | None, typer.Option("--year", help="年度，如 2023")] = None,
    start: Annotated[str | None, typer.Option("--start", help="开始日期 YYYY-MM-DD（含）")] = None,
    end: Annotated[str | None, typer.Option("--end", help="结束日期 YYYY-MM-DD（含）")] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by", help="分组：department、hall、channel、item、month（可重复或用逗号分隔）"
        ),
    ] = None,
    kpi: Annotated[
        list[str] | None, typer.Option("--kpi", help="只计算这些指标（编号，可重复）")
    ] = None,
    backend: Annotated[
        str, typer.Option("--backend", help="计算后端：duckdb、spark、postgres")
    ] = "duckdb",
    db: Annotated[
        Path, typer.Option("--db", help="记录库（DuckDB 文件）或 Parquet 文件夹")
    ] = DEFAULT_DB,
    postgres_url: Annotated[
        str | None, typer.Option("--postgres-url", help="PostgreSQL 连接地址（--backend postgres）")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", help="覆盖指标参数，如 answer_threshold_seconds=30、min_denominator=50"
        ),
    ] = None,
    rank: Annotated[
        bool, typer.Option("--rank", help="按值排名（小样本不参与排名，排在最后）")
    ] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="把结果写入 JSON 文件")] = None,
    for_report: Annotated[
        bool,
        typer.Option(
            "--for-report",
            help="计算报告所需的全部分组（全中心、按部门、按月），供 jixiao report --kpis 使用",
        ),
    ] = False,
) -> None:
    """由服务记录计算政务服务与 12345 指标（分子、分母、比率、小样本标记）。"""
    from jixiao.kpis.compute import compute_kpis
    from jixiao.kpis.definitions import CUTS
    from jixiao.kpis.rank import rank_values
    from jixiao.kpis.result import KpiReport

    first, last = _period(year, start, end)
    params = dict(_param(p) for p in param or [])
    if for_report and by:
        raise JixiaoError("--for-report 已包含全中心、按部门和按月三种分组，不能再用 --by")
    cuts: list[list[str]] = [[], ["department"], ["month"]] if for_report else [by or []]
    console = Console()
    with console.status("正在计算指标…"):
        report = KpiReport.combine(
            [
                compute_kpis(
                    None if backend == "postgres" else db,
                    first,
                    last,
                    by=cut,
                    backend=backend,
                    kpis=kpi or None,
                    params=params,
                    postgres_url=postgres_url,
                )
                for cut in cuts
            ]
        )

    table = Table(title=f"服务指标 {report.start} 至 {report.end}（{report.backend}）")
    if rank:
        table.add_column("名次", justify="right")
    for name in ("指标", "分组", "分子", "分母", "值", "小样本标记"):
        table.add_column(name, justify="right" if name in ("分子", "分母", "值") else "left")
    by_kpi: dict[str, list] = {}
    for v in report.results:
        by_kpi.setdefault(v.kpi, []).append(v)
    for values in by_kpi.values():
        rows = (
            rank_values(values) if rank and values[0].unit == "%" else [(None, v) for v in values]
        )
        for r, v in rows:
            group = "，".join(f"{CUTS[c]}：{x}" for c, x in v.group.items()) or "全部"
            flag = f"小样本（n={v.sample_size}）" if v.small_sample else ""
            cells = [
                f"{v.label}\n[dim]{v.kpi}[/]",
                group,
                _fmt_number(v.numerator),
                _fmt_number(v.denominator),
                _fmt_value(v),
                flag,
            ]
            if rank:
                cells.insert(0, str(r) if r is not None else "—")
            table.add_row(*cells)
    console.print(table)
    for kpi_id, reason in report.not_applicable.items():
        console.print(f"[yellow]未计算[/] {kpi_id}：{reason}", highlight=False)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(report.to_json(), encoding="utf-8")
        console.print(f"已写入 {json_out}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("kpis")(kpis)
