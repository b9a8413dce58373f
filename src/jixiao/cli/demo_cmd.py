"""``jixiao demo``: the end-to-end demonstration run by ``make demo``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
