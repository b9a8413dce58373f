"""The evaluation result: the stable JSON contract read by the report and web layers.

Documented in ``docs/evaluation-json.md``. Change it only by adding optional fields; a breaking
change bumps ``SCHEMA``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from jixiao.facts.model import Source

SCHEMA = "jixiao.evaluation/1"

Grade = Literal["优", "良", "中", "差"]
Status = Literal["scored", "not_computable", "missing"]


def grade_for(score: float) -> Grade:
    """Grade bands on a 100-point total: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60 (89.5 is 良)."""
    if score >= 90:
        return "优"
    if score >= 80:
        return "良"
    if score >= 60:
        return "中"
    return "差"


class TraceInput(BaseModel):
    """One input of a leaf's computation, with its provenance."""

    fact: str
    label: str | None = None
    value: float | str | None
    unit: str | None = None
    source: Source = Field(default_factory=Source)


class ChecklistPoint(BaseModel):
    id: str
    text: str
    share: float = Field(description="share of the leaf's weight, 0..1")
    answer: Literal["yes", "partly", "no"] | None = None
    evidence: str | None = None
    score: float | None = None


class RuleInfo(BaseModel):
    """The scoring rule applied, as declared in the framework, with its provenance."""

    type: str
    description: str = Field(description="the rule in one Chinese sentence")
    assumed: bool = Field(
        default=False,
        description="true when the notice gives no rule and the framework assumes one",
    )
    basis: str | None = Field(default=None, description="where the rule comes from")
    params: dict[str, object] = Field(default_factory=dict)


class LeafResult(BaseModel):
    kind: Literal["leaf"] = "leaf"
    code: str
    name: str
    level: int
    weight: float
    max: float
    score: float | None
    status: Status
    value: float | None = None
    value_display: str | None = Field(default=None, description="value formatted with its unit")
    unit: str | None = None
    target: float | None = None
    direction: Literal["higher", "lower", "equal"] | None = None
    formula: str | None = None
    rule: RuleInfo
    reason: str = Field(description="one Chinese sentence with the numbers")
    explanation: str | None = Field(default=None, description="指标解释")
    note: str | None = Field(default=None, description="指标说明")
    inputs: list[TraceInput] = Field(default_factory=list)
    checklist: list[ChecklistPoint] = Field(default_factory=list)
    declared: bool = Field(default=False, description="declared by the unit, not the framework")
    # Added after schema 1 was first published (optional, additive):
    missing: list[str] = Field(
        default_factory=list, description="names of the facts this leaf still needs"
    )
    kpi: str | None = Field(default=None, description="KPI id a declared indicator is bound to")


class NodeResult(BaseModel):
    kind: Literal["node"] = "node"
    code: str
    name: str
    level: int
    weight: float
    score: float | None
    complete: bool = Field(description="false when a leaf below is missing or not computable")
    children: list[NodeResult | LeafResult] = Field(default_factory=list)


class FrameworkInfo(BaseModel):
    id: str
    name: str
    kind: Literal["dept", "project"]
    region: str
    years: list[int]
    notice: str | None = None
    version: str | None = None


class Total(BaseModel):
    score: float
    max: float = 100.0
    grade: Grade
    complete: bool
    incomplete_leaves: list[str] = Field(default_factory=list)


class Problem(BaseModel):
    """Something the evaluation itself wants a person to know (not computable, assumed rule …)."""

    severity: Literal["error", "warning", "info"]
    code: str
    message: str
    node: str | None = None


class Evaluation(BaseModel):
    schema_: str = Field(default=SCHEMA, alias="schema")
    jixiao_version: str
    generated_at: str = Field(description="ISO 8601 with the Asia/Shanghai offset")
    framework: FrameworkInfo
    unit: str | None = None
    year: int
    total: Total
    tree: list[NodeResult | LeafResult]
    facts: list[TraceInput] = Field(description="every fact supplied, with its source")
    problems: list[Problem] = Field(default_factory=list)

    model_config = {"populate_by_name": True}

    def leaves(self) -> list[LeafResult]:
        out: list[LeafResult] = []

        def walk(nodes: list[NodeResult | LeafResult]) -> None:
            for n in nodes:
                if isinstance(n, LeafResult):
                    out.append(n)
                else:
                    walk(n.children)

        walk(self.tree)
        return out

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Evaluation:
        return cls.model_validate_json(text)


NodeResult.model_rebuild()
