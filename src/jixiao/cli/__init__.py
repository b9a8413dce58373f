"""The single ``jixiao`` command. Each area registers its own sub-commands from its own module."""

from __future__ import annotations

import errno
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
    So is a file the operating system refuses to read or write (a folder that cannot be created,
    no permission, a full disk): every command writes files, and each would otherwise end in a
    traceback for what is the user's path, not a bug.
    """
    _register()
    try:
        app(args=argv)
    except JixiaoError as exc:
        err_console.print(f"[bold red]错误[/]：{exc}", highlight=False)
        sys.exit(2)
    except OSError as exc:
        err_console.print(f"[bold red]错误[/]：{describe_os_error(exc)}", highlight=False)
        sys.exit(2)


_OS_REASONS = {
    errno.ENOENT: "路径不存在，或其上级文件夹无法创建",
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
}


def describe_os_error(exc: OSError) -> str:
    """A Chinese sentence for an operating-system file error, naming the path."""
    path = exc.filename or "（未知路径）"
    reason = _OS_REASONS.get(exc.errno or -1, exc.strerror or "系统错误")
    return f"无法读写 {path}：{reason}"
