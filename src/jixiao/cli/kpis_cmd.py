"""Sub-commands of this area (see the module name); registered by ``jixiao.cli``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
