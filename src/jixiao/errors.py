"""User-facing errors.

Every error a user can cause (bad input, unknown framework, a year outside a framework's range)
is raised as a :class:`JixiaoError` carrying a Chinese message and, where known, the place it
points at. The CLI prints it and exits with status 2; the web shows it on the form. A traceback
is never shown to an end user.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and inside it a sheet and cell, a row, or a framework node."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    node: str | None = None

    def describe(self) -> str:
        """Chinese description, e.g. ``facts.xlsx 工作表「事实」单元格 D7``."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列「{self.column}」")
        if self.node:
            parts.append(f"指标 {self.node}")
        return " ".join(parts)


@dataclass
class JixiaoError(Exception):
    """An error caused by user input, with a Chinese message for the end user."""

    message: str
    location: Location | None = None
    details: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        where = self.location.describe() if self.location else ""
        head = f"{where}：{self.message}" if where else self.message
        if self.details:
            return head + "\n" + "\n".join(f"  - {d}" for d in self.details)
        return head
