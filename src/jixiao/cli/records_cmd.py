"""Commands of the records area: ``jixiao synth`` and ``jixiao import``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from jixiao.records.importer import ImportSummary

console = Console()


@contextmanager
def _progress(single: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar; ``single``: one bar whose description follows the current step."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[str, int] = {}
    with bar:

        def update(label: str, done: int, total: int) -> None:
            key = "all" if single else label
            if key not in tasks:
                tasks[key] = bar.add_task(label, total=total)
            bar.update(tasks[key], completed=done, total=total, description=label)

        yield update


def synth(
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件夹")] = Path("demo-data"),
    cases: Annotated[int, typer.Option(help="办件数")] = 1_000_000,
    tickets: Annotated[int, typer.Option(help="12345 工单数")] = 500_000,
    ratings: Annotated[int, typer.Option(help="好差评数")] = 800_000,
    calls: Annotated[int | None, typer.Option(help="12345 来电数（默认为工单数的 1.4 倍）")] = None,
    seed: Annotated[int, typer.Option(help="随机种子：相同种子生成相同数据")] = 7,
    year: Annotated[int, typer.Option(help="数据年份")] = 2023,
    chunk_size: Annotated[int, typer.Option(help="每块行数（决定内存占用）")] = 1_000_000,
) -> None:
    """生成模拟的政务服务数据（事项、办件、12345、好差评），写成 Parquet 文件。"""
    from jixiao.records.schema import TABLE_LABELS
    from jixiao.records.synth import synthesize

    started = time.perf_counter()
    with _progress() as update:
        result = synthesize(
            out,
            cases=cases,
            tickets=tickets,
            ratings=ratings,
            seed=seed,
            year=year,
            calls=calls,
            chunk_size=chunk_size,
            progress=update,
        )
    table = Table(title=f"模拟数据已写入 {result.out_dir}")
    table.add_column("数据")
    table.add_column("文件")
    table.add_column("行数", justify="right")
    for name, path in result.files.items():
        table.add_row(TABLE_LABELS[name], path.name, f"{result.rows[name]:,}")
    console.print(table)
    seconds = time.perf_counter() - started
    total = sum(result.rows.values())
    console.print(f"用时 {seconds:.1f} 秒，每秒 {total / max(seconds, 1e-9):,.0f} 行")
    console.print(f"导入：jixiao import {result.out_dir}")


def import_(
    path: Annotated[Path, typer.Argument(help="要导入的文件或文件夹（CSV、XLSX、Parquet）")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="列名与取值对应关系文件（YAML）")
    ] = None,
    db: Annotated[Path, typer.Option("--db", help="数据库文件")] = Path(
        "jixiao-data/records.duckdb"
    ),
    quarantine: Annotated[
        Path | None, typer.Option("--quarantine", help="存放问题数据的文件夹（默认与数据库同目录）")
    ] = None,
) -> None:
    """导入办件、事项、12345、好差评数据；问题行另存，不会被静默丢弃。"""
    from jixiao.records.importer import import_path

    started = time.perf_counter()
    with _progress(single=True) as update:
        summary = import_path(path, db, mapping=mapping, progress=update, quarantine_dir=quarantine)
    seconds = time.perf_counter() - started
    console.print(summary_table(summary))
    for sheet, why in summary.skipped.items():
        console.print(f"{sheet}：不是数据表，已跳过（{why}）")
    for s in summary.sources:
        if s.ignored_columns:
            console.print(f"{s.source}：未使用的列 {'、'.join(s.ignored_columns)}")
    reasons = summary.reasons
    if reasons:
        rt = Table(title="另存原因")
        rt.add_column("原因")
        rt.add_column("行数", justify="right")
        for reason, n in reasons.most_common():
            rt.add_row(reason, f"{n:,}")
        console.print(rt)
    from jixiao.records.validate import UNKNOWN_ITEM

    if reasons.get(UNKNOWN_ITEM):
        console.print(
            "提示：办件的事项编码须在事项目录中；请先导入事项目录，或把事项目录与办件放在同一文件夹中导入。"
        )
    for qfile in summary.quarantine_files.values():
        console.print(f"[yellow]问题数据已另存[/]：{qfile}")
    console.print(
        f"共读取 {summary.read:,} 行：新导入 {summary.loaded:,}，已更新 {summary.updated:,}，"
        f"已存在 {summary.present:,}，"
        f"另存 {summary.set_aside:,}。数据库：{summary.store}"
    )
    console.print(f"用时 {seconds:.1f} 秒，每秒 {summary.read / max(seconds, 1e-9):,.0f} 行")


def summary_table(summary: ImportSummary) -> Table:
    from jixiao.records.schema import TABLE_LABELS

    table = Table(title="导入结果")
    for head, how in (
        ("文件", "fold"),
        ("数据", "left"),
        ("编码", "left"),
        ("读取", "right"),
        ("新导入", "right"),
        ("已更新", "right"),
        ("已存在", "right"),
        ("另存", "right"),
    ):
        if how == "fold":
            table.add_column(head, overflow="fold")
        else:
            table.add_column(head, justify=how)  # type: ignore[arg-type]
    for s in summary.sources:
        table.add_row(
            s.source,
            TABLE_LABELS[s.table],
            s.encoding or "—",
            f"{s.read:,}",
            f"{s.loaded:,}",
            f"{s.updated:,}",
            f"{s.present:,}",
            f"[yellow]{s.set_aside:,}[/]" if s.set_aside else "0",
        )
    table.add_row(
        "合计",
        "",
        "",
        f"{summary.read:,}",
        f"{summary.loaded:,}",
        f"{summary.updated:,}",
        f"{summary.present:,}",
        f"{summary.set_aside:,}",
        style="bold",
    )
    return table


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("synth")(synth)
    app.command("import")(import_)
