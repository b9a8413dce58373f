"""The facts model shared by every layer.

A fact is a named value with its provenance. Values are numbers, checklist answers or text
(justifications). Provenance is what makes every score explainable: a fact read from a
workbook says file, sheet and cell; a fact computed from service records says the KPI and the
query that produced it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Answer(StrEnum):
    """A checklist point's answer (是 / 部分 / 否)."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"

    @property
    def label(self) -> str:
        return {"yes": "是", "partly": "部分", "no": "否"}[self.value]


class Source(BaseModel):
    """Where a fact's value came from."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["file", "kpi", "manual", "default"] = "manual"
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    # Line of a YAML/JSON facts file (added after the first version; optional).
    row: int | None = None
    # For kind == "kpi": the KPI id, the period and cut it was computed for, and the query text.
    kpi: str | None = None
    query: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str | None = None

    def describe(self) -> str:
        """Short Chinese description used in reasons and the data table."""
        if self.kind == "file":
            where = " ".join(
                p
                for p in (
                    self.file,
                    f"工作表「{self.sheet}」" if self.sheet else None,
                    self.cell,
                    f"第 {self.row} 行" if self.row and not self.cell else None,
                )
                if p
            )
            return f"来自 {where}" if where else "来自填报文件"
        if self.kind == "kpi":
            return f"由服务记录计算（指标 {self.kpi}）"
        if self.kind == "default":
            return "默认值"
        return "人工录入"


class Fact(BaseModel):
    """A named value: a number, a checklist answer, or text."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: float | Answer | str | None
    label: str | None = None
    unit: str | None = None
    evidence: str | None = Field(default=None, description="佐证材料或说明（核查项必填）")
    source: Source = Field(default_factory=Source)
    # Workbook cell (same sheet as ``source``) where the evidence belongs, so that a missing
    # evidence can be pointed at (added after the first version; optional).
    evidence_cell: str | None = None


class DeclaredIndicator(BaseModel):
    """An indicator the unit declares itself (project frameworks; refined benefit indicators).

    ``slot`` is the code of the framework node the indicator belongs under (e.g. ``"2"`` for
    产出 in ``mof-project-2020``). For a quantitative indicator, ``target`` and ``actual`` are
    numbers; for a qualitative one, ``achievement`` says how far it was reached.
    """

    model_config = ConfigDict(frozen=True)

    slot: str
    level2: str
    name: str
    weight: float
    unit: str | None = None
    kind: Literal["quantitative", "qualitative"] = "quantitative"
    direction: Literal["higher", "lower", "equal"] = "higher"
    target: float | None = None
    actual: float | None = None
    # Qualitative indicators: the unit's self-assessed share of the weight (0..1) and its reason.
    achievement: float | None = None
    justification: str | None = None
    # A service centre binds an indicator's actual value to a KPI computed from its records
    # (``evaluate --records``); the KPI id is one of ``jixiao.kpis`` definitions.
    kpi: str | None = None
    # ``source`` is where the actual value is (for a workbook, the 实际完成值 cell);
    # ``target_source`` where the target is, when that is another cell (added later; optional).
    source: Source = Field(default_factory=Source)
    target_source: Source | None = None
    # Workbook cells of the row's other values in ``source``'s sheet (``achievement``,
    # ``justification`` …), so that an error or a missing value names its own cell.
    cells: dict[str, str] = Field(default_factory=dict)


class FactSet(BaseModel):
    """Everything a unit supplies for one evaluation."""

    unit: str | None = None
    year: int | None = None
    framework: str | None = None
    facts: dict[str, Fact] = Field(default_factory=dict)
    declared: list[DeclaredIndicator] = Field(default_factory=list)
    origin: str | None = Field(default=None, description="the file this set was read from")

    def get(self, name: str) -> Fact | None:
        return self.facts.get(name)

    def merged(self, other: FactSet) -> FactSet:
        """A new set where ``other``'s facts override this one's (records over the workbook)."""
        return self.model_copy(
            update={
                "facts": {**self.facts, **other.facts},
                "declared": [*self.declared, *other.declared],
            }
        )
