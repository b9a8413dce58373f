"""Bundled example units (facts files) used by the demo, the tests and the documentation."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jixiao.errors import JixiaoError


def example_names() -> list[str]:
    root = resources.files(__name__)
    return sorted(
        e.name.rsplit(".", 1)[0] for e in root.iterdir() if e.name.endswith((".yaml", ".yml"))
    )


def example_path(name: str) -> Path:
    """The facts file of the bundled example ``name`` (e.g. ``hunan-001``)."""
    root = resources.files(__name__)
    for suffix in (".yaml", ".yml"):
        entry = root / f"{name}{suffix}"
        if entry.is_file():
            return Path(str(entry))
    known = "、".join(example_names())
    raise JixiaoError(f"没有名为「{name}」的示例单位。可用的示例：{known}")


def example_report_inputs(name: str) -> tuple[Path, Path | None]:
    """The ``unit.yaml`` and ``narrative.yaml`` of example ``name``, for ``jixiao report``."""
    root = resources.files(__name__) / "reports"
    unit = root / f"{name}.unit.yaml"
    if not unit.is_file():
        raise JixiaoError(f"示例单位「{name}」没有报告用的单位信息文件")
    narrative = root / f"{name}.narrative.yaml"
    return Path(str(unit)), Path(str(narrative)) if narrative.is_file() else None
