"""``jixiao audit``: check report files for figures that do not add up."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"
    html = "html"


def audit(
    files: Annotated[
        list[Path],
        typer.Argument(help="要审核的报告或评分表文件（.txt、.docx、.pdf、.xlsx），可多个。"),
    ],
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="输出格式：text（终端表格）、json、html。"),
    ] = OutputFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入此文件，而不是屏幕。")
    ] = None,
) -> None:
    """审核绩效自评报告：找出比率、合计、同比、年份、编号、评分表等对不上的数字。

    退出码：0 未发现错误；1 发现错误；2 有文件无法读取。
    """
    from jixiao.audit import audit_file
    from jixiao.audit.render import print_text, to_html, to_json

    results = [audit_file(p) for p in files]
    if fmt is OutputFormat.json:
        out = to_json(results)
    elif fmt is OutputFormat.html:
        out = to_html(results)
    else:
        out = None
    if output is not None:
        if out is None:
            with output.open("w", encoding="utf-8") as fh:
                print_text(results, Console(file=fh, width=160, color_system=None))
        else:
            output.write_text(out + "\n", encoding="utf-8")
        typer.echo(f"审核结果已写入 {output}", err=True)
    elif out is None:
        print_text(results, Console())
    else:
        typer.echo(out)
    if any(r.verdict == "unreadable" for r in results):
        raise typer.Exit(2)
    if any(r.verdict == "error" for r in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("audit")(audit)
