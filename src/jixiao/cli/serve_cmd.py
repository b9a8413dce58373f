"""``jixiao serve``: the web app on the embedded database, with a demo on first start."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jixiao.errors import JixiaoError

console = Console()


def check_port(host: str, port: int) -> None:
    """Refuse a port already in use before anything is announced: Django's runserver would
    say so only after the passwords and the address, in English, with exit status 1."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # The same option Django's server sets, so a port left in TIME_WAIT is not refused.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise JixiaoError(f"端口 {port} 已被占用，请用 --port 换一个端口") from exc
            raise JixiaoError(f"无法在 {host}:{port} 上监听：{exc.strerror}") from exc


def setup_django(data_dir: Path | None = None) -> None:
    if data_dir is not None:
        os.environ["JIXIAO_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def prepare(demo: bool = True) -> None:
    """Migrate, create the role groups, and on first start load the demo and print its passwords."""
    from django.conf import settings
    from django.core.management import call_command

    from jixiao.web import demo as demo_data
    from jixiao.web.roles import ensure_groups
    from jixiao.web.vendor import install_assets

    for missing in install_assets():
        console.print(
            f"[yellow]提示[/]：缺少 {missing.name}，图表不会显示（请运行 scripts/setup.sh）"
        )
    call_command("migrate", interactive=False, verbosity=0)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    ensure_groups()
    if not demo:
        return
    created = demo_data.load_people()
    if created is not None:
        with console.status("正在载入示例数据（示例单位的填报工作簿与合成服务记录）……"):
            problems = demo_data.load_data()
        for p in problems:
            console.print(f"[yellow]提示[/]：{p}")
    path = demo_data.passwords_file()
    if path.exists():
        table = Table(title="示例账号（密码保存在 " + str(path) + "）")
        for col in ("用户名", "角色", "密码"):
            table.add_column(col)
        for line in path.read_text(encoding="utf-8").splitlines():
            table.add_row(*line.split("\t"))
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""

    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="端口")] = 8000,
        data_dir: Annotated[
            Path | None,
            typer.Option("--data-dir", help="数据目录（默认 ./jixiao-data 或 JIXIAO_DATA_DIR）"),
        ] = None,
        demo: Annotated[
            bool, typer.Option("--demo/--no-demo", help="首次启动时载入示例数据")
        ] = True,
    ) -> None:
        """启动网页版：填报、提交、审核与公开（默认 SQLite；设置 DATABASE_URL 用 PostgreSQL）。"""
        check_port(host, port)
        setup_django(data_dir)
        prepare(demo=demo)
        from django.conf import settings
        from django.core.management import call_command

        if host not in settings.ALLOWED_HOSTS and host not in ("0.0.0.0", "::"):
            settings.ALLOWED_HOSTS.append(host)
        console.print(f"网页地址：[bold]http://{host}:{port}/[/]（按 Ctrl+C 停止）")
        # Django's own server is enough for one office machine; docs/web.md gives the
        # production set-up (gunicorn behind a reverse proxy).
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
