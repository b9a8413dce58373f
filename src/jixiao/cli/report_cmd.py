"""``jixiao report``: the self-evaluation report, score table and data table of one unit, or of
every unit in a folder (a finance bureau's batch)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jixiao.errors import JixiaoError, Location


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("report")(report_cmd)


def _one(
    evaluation: Path,
    unit: Path,
    narrative: Path | None,
    kpis: Path | None,
    out: Path,
    pdf: bool,
) -> list[Path]:
    from jixiao.reports.inputs import load_narrative, load_unit
    from jixiao.reports.loaders import load_evaluation, load_kpis
    from jixiao.reports.render import render_report

    ev, info = load_evaluation(evaluation), load_unit(unit)
    if info.year != ev.year:
        raise JixiaoError(
            f"字段 year：评价年度（{info.year}）与评价结果 {evaluation.name} "
            f"的年度（{ev.year}）不一致",
            Location(file=str(unit)),
        )
    files = render_report(
        ev,
        info,
        load_narrative(narrative) if narrative else None,
        load_kpis(kpis) if kpis else None,
        out_dir=out,
        pdf=pdf,
    )
    return files.all()


def _one_safe(args: tuple[Path, Path, Path | None, Path | None, Path, bool]) -> str | None:
    """Worker of a batch: the error as text (a JixiaoError does not survive pickling whole)."""
    try:
        _one(*args)
    except JixiaoError as exc:
        return str(exc)
    return None


def report_cmd(
    evaluation: Annotated[
        Path | None, typer.Argument(help="评价结果 JSON（jixiao evaluate --json 的输出）")
    ] = None,
    unit: Annotated[
        Path | None, typer.Option("--unit", "-u", help="单位信息 unit.yaml（见 docs/reports.md）")
    ] = None,
    narrative: Annotated[
        Path | None, typer.Option("--narrative", "-n", help="报告文字 narrative.yaml（可选）")
    ] = None,
    kpis: Annotated[
        Path | None, typer.Option("--kpis", "-k", help="服务指标 JSON（jixiao kpis --json，可选）")
    ] = None,
    batch: Annotated[
        Path | None, typer.Option("--batch", help="批量生成：包含多个单位评价结果的文件夹")
    ] = None,
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件夹")] = Path("report-out"),
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="是否生成 PDF")] = True,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="批量生成时同时运行的进程数")
    ] = 1,
) -> None:
    """生成自评报告（.docx、.pdf）、评分表和数据表（.xlsx）。"""
    console = Console(width=None if sys.stdout.isatty() else 160)
    if batch is not None:
        if evaluation is not None or unit is not None:
            raise JixiaoError("--batch 不能与单个评价结果或 --unit 同时使用")
        _batch(batch, out, pdf, console, jobs)
        return
    if evaluation is None:
        raise JixiaoError("请给出评价结果 JSON 文件，或用 --batch 指定文件夹")
    if unit is None:
        raise JixiaoError("缺少 --unit：请给出单位信息文件 unit.yaml（格式见 docs/reports.md）")
    written = _one(evaluation, unit, narrative, kpis, out, pdf)
    console.print(f"已生成 {len(written)} 个文件：")
    for p in written:
        console.print(f"  {p}", highlight=False)


def _batch(folder: Path, out: Path, pdf: bool, console: Console, jobs: int = 1) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from jixiao.reports.loaders import find_batch

    units = find_batch(folder)
    failed: list[str] = []
    with Progress(
        TextColumn("[bold]生成报告[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("", total=len(units))
        work = {
            u.name: (u.evaluation, u.unit, u.narrative, u.kpis, out / u.name, pdf) for u in units
        }
        # One unit's bad file must not stop the others; every failure is listed below.
        if jobs == 1:
            for name, args in work.items():
                progress.update(task, description=name)
                if (err := _one_safe(args)) is not None:
                    failed.append(f"{name}：{err}")
                progress.advance(task)
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(_one_safe, args): name for name, args in work.items()}
                for fut in as_completed(futures):
                    name = futures[fut]
                    progress.update(task, description=name)
                    if (err := fut.result()) is not None:
                        failed.append(f"{name}：{err}")
                    progress.advance(task)
            failed.sort()
    done = len(units) - len(failed)
    console.print(f"已为 {done} 个单位生成报告，输出在 {out}", highlight=False)
    if failed:
        raise JixiaoError(f"{len(failed)} 个单位未能生成报告", details=failed)
