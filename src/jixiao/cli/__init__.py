"""The single ``jixiao`` command. Each area registers its own sub-commands from its own module."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from jixiao.errors import JixiaoError

app = typer.Typer(
    name="jixiao",
    help="绩效自评：导入数据、计算指标、评分、生成报告、审核报告、在线填报。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


@app.callback()
def root() -> None:
    """绩效自评：导入数据、计算指标、评分、生成报告、审核报告、在线填报。"""


@app.command("version")
def version() -> None:
    """显示 jixiao 的版本。"""
    from jixiao import __version__

    typer.echo(__version__)


def _register() -> None:
    # Imported here so that each area's module owns its commands and their options.
    from jixiao.cli import (
        audit_cmd,
        demo_cmd,
        evaluate_cmd,
        kpis_cmd,
        records_cmd,
        report_cmd,
        serve_cmd,
    )

    for module in (
        evaluate_cmd,
        records_cmd,
        kpis_cmd,
        report_cmd,
        audit_cmd,
        serve_cmd,
        demo_cmd,
    ):
        module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning user errors into a Chinese message and exit status 2.

    Typer's standalone mode already turns usage errors into exit status 2; errors raised by our
    own code as :class:`JixiaoError` propagate out of it and are printed here without a traceback.
    """
    _register()
    try:
        app(args=argv)
    except JixiaoError as exc:
        err_console.print(f"[bold red]错误[/]：{exc}", highlight=False)
        sys.exit(2)
