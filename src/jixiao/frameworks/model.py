"""The framework file format: pydantic models that validate a framework on load.

A framework is data (one YAML file per framework and version). Validation here checks what a
person editing the file can get wrong: weights that do not add up, formulas outside the
language, fact names that are not declared, rule parameters that make no sense. Messages are
Chinese and name the node; the loader turns them into ``JixiaoError``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from jixiao.engine.formula import Formula, FormulaError, parse

WEIGHT_TOLERANCE = 1e-6

FactType = Literal["number", "count", "money", "percent", "answer", "text"]
Direction = Literal["higher", "lower", "equal"]

TYPE_LABELS: dict[str, str] = {
    "number": "数值",
    "count": "数量（整数）",
    "money": "金额",
    "percent": "百分比",
    "answer": "是/部分/否",
    "text": "文字",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactSpec(_Strict):
    """One fact the framework reads: its Chinese label, unit and type."""

    label: str
    unit: str | None = None
    type: FactType = "number"
    min: float | None = None
    max: float | None = None
    example: float | str | None = None
    help: str | None = None
    kpi: str | None = Field(default=None, description="KPI id that can supply this fact")
    # A fact no indicator reads but the report uses (prior-year figures for the year-on-year
    # comparison): the template asks for it as 选填; left empty, the evaluation stays complete.
    optional: bool = False

    @property
    def numeric(self) -> bool:
        return self.type in ("number", "count", "money", "percent")


class RuleBase(_Strict):
    assumed: bool = False
    basis: str | None = None


class TargetMetRule(RuleBase):
    """Full marks when the target is met; otherwise zero or in proportion."""

    type: Literal["target_met"]
    otherwise: Literal["zero", "proportional"] = "zero"


class ProportionalRule(RuleBase):
    """Score = achievement ratio × weight, capped (achievement = value / target, or inverted)."""

    type: Literal["proportional"]
    cap: float = Field(default=1.0, gt=0)


class Band(_Strict):
    min: float | None = Field(default=None, description="inclusive lower bound")
    max: float | None = Field(default=None, description="exclusive upper bound")
    share: float = Field(ge=0, le=1)
    label: str | None = None


class BandsRule(RuleBase):
    """The first band whose range holds the value gives its share of the weight."""

    type: Literal["bands"]
    bands: list[Band] = Field(min_length=1)


class DeductionRule(RuleBase):
    """Points lost per unit beyond a limit: ``points`` per ``per`` units of (quantity − limit).

    ``quantity`` is a formula (default: the leaf's value). ``side`` says which way is bad.
    """

    type: Literal["deduction"]
    quantity: str | None = None
    limit: float = 0
    side: Literal["above", "below"] = "above"
    per: float = Field(default=1, gt=0)
    points: float = Field(gt=0)
    rounding: Literal["none", "ceil", "floor"] = "none"
    excess_label: str = Field(default="超出", description="e.g. 超编")
    excess_unit: str | None = None


class ChecklistItem(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    text: str
    share: float = Field(gt=0, le=1)


class ChecklistRule(RuleBase):
    """Each point a share of the weight; answered yes / partly / no with evidence."""

    type: Literal["checklist"]
    points: list[ChecklistItem] = Field(min_length=1)
    partly_share: float = Field(default=0.5, ge=0, le=1)
    evidence_required: bool = True


class ManualRule(RuleBase):
    """A score given by the unit within 0..weight, with a required justification."""

    type: Literal["manual"]


Rule = Annotated[
    TargetMetRule | ProportionalRule | BandsRule | DeductionRule | ChecklistRule | ManualRule,
    Field(discriminator="type"),
]


class DeclaredRules(_Strict):
    """How declared indicators are scored: the national project rules (财预〔2020〕10号).

    Quantitative: met → full; not met → actual/target × weight (``lower`` inverted).
    Qualitative: the unit's achievement share (0..1) × weight, reported in the national bands
    (≥ 80 % 达成, 60–80 % 部分达成, < 60 % 未达成).
    """

    assumed: bool = False
    basis: str | None = None


class Suggestion(_Strict):
    """A declared indicator the framework proposes (pre-filled in the template)."""

    level2: str
    name: str
    weight: float = Field(ge=0)
    unit: str | None = None
    kind: Literal["quantitative", "qualitative"] = "quantitative"
    direction: Direction = "higher"
    target: float | None = None
    kpi: str | None = None


class Leaf(_Strict):
    code: str
    name: str
    weight: float = Field(ge=0)
    weight_assumed: bool = False
    explanation: str | None = None
    note: str | None = None
    unit: str | None = None
    formula: str | None = None
    target: float | str | None = None
    direction: Direction = "higher"
    rule: Rule

    def parsed_formula(self) -> Formula | None:
        return parse(self.formula) if self.formula else None

    def parsed_target(self) -> Formula | None:
        return parse(self.target) if isinstance(self.target, str) else None


class DeclaredSlot(_Strict):
    """A node whose leaves the unit declares itself (``FactSet.declared`` with this slot)."""

    code: str
    name: str
    weight: float = Field(ge=0)
    weight_assumed: bool = False
    declared: Literal[True]
    explanation: str | None = None
    note: str | None = None
    rules: DeclaredRules = Field(default_factory=DeclaredRules)
    suggestions: list[Suggestion] = Field(default_factory=list)


def _node_kind(data: Any) -> str:
    if isinstance(data, dict):
        if "children" in data:
            return "node"
        if "declared" in data:
            return "slot"
        return "leaf"
    if isinstance(data, Node):
        return "node"
    if isinstance(data, DeclaredSlot):
        return "slot"
    return "leaf"


AnyNode = Annotated[
    Annotated["Node", Tag("node")]
    | Annotated[DeclaredSlot, Tag("slot")]
    | Annotated[Leaf, Tag("leaf")],
    Discriminator(_node_kind),
]


class Node(_Strict):
    code: str
    name: str
    weight: float = Field(ge=0)
    weight_assumed: bool = False
    explanation: str | None = None
    note: str | None = None
    children: list[AnyNode] = Field(min_length=1)


class Framework(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: Literal["dept", "project"]
    region: str
    years: list[int] = Field(min_length=1)
    notice: str | None = None
    version: str | None = None
    description: str | None = None
    assumptions: list[str] = Field(default_factory=list)
    total: float = 100
    facts: dict[str, FactSpec] = Field(default_factory=dict)
    tree: list[AnyNode] = Field(min_length=1)

    # -- navigation -------------------------------------------------------------------------

    def walk(self) -> list[tuple[int, Node | DeclaredSlot | Leaf]]:
        """Every node with its level (1 = 一级), depth first."""
        out: list[tuple[int, Node | DeclaredSlot | Leaf]] = []

        def rec(nodes: list[Node | DeclaredSlot | Leaf], level: int) -> None:
            for n in nodes:
                out.append((level, n))
                if isinstance(n, Node):
                    rec(n.children, level + 1)

        rec(self.tree, 1)
        return out

    def leaves(self) -> list[Leaf]:
        return [n for _, n in self.walk() if isinstance(n, Leaf)]

    def slots(self) -> list[DeclaredSlot]:
        return [n for _, n in self.walk() if isinstance(n, DeclaredSlot)]

    def node(self, code: str) -> Node | DeclaredSlot | Leaf | None:
        return next((n for _, n in self.walk() if n.code == code), None)

    def fact_bindings(self) -> dict[str, str]:
        """Facts the framework lets records supply: fact name → KPI id."""
        return {name: spec.kpi for name, spec in self.facts.items() if spec.kpi}

    # -- validation -------------------------------------------------------------------------

    @model_validator(mode="after")
    def _check(self) -> Framework:
        problems: list[str] = []
        root_sum = sum(n.weight for n in self.tree)
        if abs(root_sum - self.total) > WEIGHT_TOLERANCE:
            names = " + ".join(f"{n.name} {_w(n.weight)}" for n in self.tree)
            problems.append(f"一级指标分值之和为 {_w(root_sum)}（{names}），应为 {_w(self.total)}")
        seen: set[str] = set()
        for _, n in self.walk():
            if n.code in seen:
                problems.append(f"指标代码 {n.code} 重复")
            seen.add(n.code)
            if isinstance(n, Node):
                s = sum(c.weight for c in n.children)
                if abs(s - n.weight) > WEIGHT_TOLERANCE:
                    parts = " + ".join(f"{c.name} {_w(c.weight)}" for c in n.children)
                    problems.append(
                        f"指标 {n.code}「{n.name}」分值为 {_w(n.weight)}，"
                        f"但下级指标分值之和为 {_w(s)}（{parts}）"
                    )
            elif isinstance(n, Leaf):
                problems.extend(self._check_leaf(n))
            else:
                sug = sum(s.weight for s in n.suggestions)
                if n.suggestions and abs(sug - n.weight) > WEIGHT_TOLERANCE:
                    problems.append(
                        f"指标 {n.code}「{n.name}」分值为 {_w(n.weight)}，"
                        f"但建议的自报指标分值之和为 {_w(sug)}"
                    )
        for y in self.years:
            if not 2000 <= y <= 2100:
                problems.append(f"适用年度 {y} 不是有效年份")
        if problems:
            raise ValueError("；".join(problems))
        return self

    def _check_leaf(self, leaf: Leaf) -> list[str]:
        where = f"指标 {leaf.code}「{leaf.name}」"
        problems: list[str] = []
        formulas: list[tuple[str, str]] = []
        if leaf.formula:
            formulas.append(("公式", leaf.formula))
        if isinstance(leaf.target, str):
            formulas.append(("目标值", leaf.target))
        rule = leaf.rule
        if isinstance(rule, DeductionRule) and rule.quantity:
            formulas.append(("扣分依据", rule.quantity))
        for what, text in formulas:
            try:
                f = parse(text)
            except FormulaError as exc:
                problems.append(f"{where}的{what}有误：{exc}")
                continue
            unknown = [n for n in f.names if n not in self.facts]
            if unknown:
                problems.append(
                    f"{where}的{what}「{text}」使用了未在 facts 中声明的事实：{'、'.join(unknown)}"
                )
            wrong = [n for n in f.names if n in self.facts and not self.facts[n].numeric]
            if wrong:
                problems.append(f"{where}的{what}使用了非数值事实：{'、'.join(wrong)}")
        needs_formula = isinstance(rule, TargetMetRule | ProportionalRule | BandsRule)
        if needs_formula and not leaf.formula:
            problems.append(f"{where}的评分规则 {rule.type} 需要公式 formula")
        if isinstance(rule, DeductionRule) and not (leaf.formula or rule.quantity):
            problems.append(f"{where}的扣分规则需要 formula 或 quantity")
        if isinstance(rule, TargetMetRule) and leaf.target is None:
            problems.append(f"{where}的评分规则 target_met 需要目标值 target")
        if isinstance(rule, ChecklistRule):
            total = sum(p.share for p in rule.points)
            if abs(total - 1) > 1e-6:
                problems.append(f"{where}的核查要点占比之和为 {total:g}，应为 1")
            ids = [p.id for p in rule.points]
            if len(set(ids)) != len(ids):
                problems.append(f"{where}的核查要点编号重复")
        if isinstance(rule, BandsRule):
            for b in rule.bands:
                if b.min is not None and b.max is not None and b.min >= b.max:
                    problems.append(f"{where}的分档 [{b.min:g}, {b.max:g}) 下限不小于上限")
        if isinstance(rule, ChecklistRule | ManualRule) and leaf.formula:
            problems.append(f"{where}的评分规则 {rule.type} 不使用公式，请删除 formula")
        return problems

    # -- years --------------------------------------------------------------------------------

    def years_text(self) -> str:
        ys = sorted(self.years)
        if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 1:
            return f"{ys[0]}–{ys[-1]}"
        return "、".join(str(y) for y in ys)


def _w(x: float) -> str:
    return f"{x:g}"


Node.model_rebuild()
