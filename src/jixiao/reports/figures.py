"""The figure book: every number the report prints is looked up here, formatted once, and
recorded with its source, so that the data table lists exactly what the report says."""

from __future__ import annotations

import re
from collections.abc import Iterable

from jixiao.engine.result import Evaluation, LeafResult, TraceInput
from jixiao.facts.model import Source
from jixiao.kpis.result import KpiReport, KpiValue
from jixiao.reports.fmt import fixed2, is_missing, quantity, score_text
from jixiao.reports.model import Figure

# Labels and units of the shared fact names (contracts-names.md), used when the evaluation's
# fact carries none.
FACT_LABELS: dict[str, tuple[str, str]] = {
    "authorised_posts": ("编制数", "人"),
    "staff_in_post": ("在职人数", "人"),
    "income_total": ("收入合计", "万元"),
    "income_total_prev": ("上年收入合计", "万元"),
    "carryover_prev": ("年初结转和结余", "万元"),
    "expenditure_basic": ("基本支出", "万元"),
    "expenditure_basic_prev": ("上年基本支出", "万元"),
    "expenditure_project": ("项目支出", "万元"),
    "expenditure_project_prev": ("上年项目支出", "万元"),
    "expenditure_total": ("支出合计", "万元"),
    "carryover_end": ("年末结转和结余", "万元"),
    "carryover_end_prev": ("上年年末结转和结余", "万元"),
    "budget_total": ("全年预算数", "万元"),
    "budget_executed": ("预算执行数", "万元"),
    "budget_adjustment": ("预算调整数", "万元"),
    "payment_progress_actual": ("实际支付进度", "%"),
    "payment_progress_planned": ("计划支付进度", "%"),
    "priority_budget": ("重点支出预算", "万元"),
    "public_budget": ("公用经费预算", "万元"),
    "public_actual": ("公用经费实际支出", "万元"),
    "sangong_budget": ("三公经费预算", "万元"),
    "sangong_budget_prev": ("上年三公经费预算", "万元"),
    "sangong_actual": ("三公经费实际支出", "万元"),
    "procurement_budget": ("政府采购预算", "万元"),
    "procurement_actual": ("政府采购实际执行", "万元"),
    "fixed_assets_in_use": ("在用固定资产总额", "万元"),
    "fixed_assets_total": ("固定资产总额", "万元"),
    "tasks_planned": ("计划工作数", "项"),
    "tasks_completed": ("实际完成工作数", "项"),
    "tasks_on_time": ("及时完成工作数", "项"),
    "tasks_quality": ("质量达标工作数", "项"),
    "priority_tasks_assigned": ("重点工作交办数", "项"),
    "priority_tasks_completed": ("重点工作完成数", "项"),
}

_QUOTES = re.compile(r"[“”\"'‘’「」]")


def _norm(name: str) -> str:
    return _QUOTES.sub("", name).replace(" ", "")


def describe_source(source: Source) -> str:
    """The data table's 来源 column: file / sheet / cell, or the KPI."""
    if source.kind == "file":
        parts = [p for p in (source.file, source.sheet and f"工作表「{source.sheet}」") if p]
        if source.cell:
            parts.append(f"单元格 {source.cell}")
        row = getattr(source, "row", None)
        if row is not None and not source.cell:
            parts.append(f"第 {row} 行")
        return "填报文件 " + " ".join(parts) if parts else "填报文件"
    if source.kind == "kpi":
        return f"服务记录指标 {source.kpi or ''}".strip()
    if source.kind == "default":
        return "默认值"
    return "人工录入" + (f"（{source.note}）" if source.note else "")


def fen(score: str) -> str:
    """Append 分 to a score, not to the gap shown for a missing one."""
    return score if score.startswith("【") else f"{score}分"


def todo(what: str) -> str:
    """A visible gap for staff to fill; renderers highlight it."""
    return f"【待填写：{what}】"


def missing_data(label: str) -> str:
    return f"【待补充数据：{label}】"


class FigureBook:
    """Looks figures up in the evaluation and the KPI report and records each one printed."""

    def __init__(self, evaluation: Evaluation, kpis: KpiReport | None = None) -> None:
        self.evaluation = evaluation
        self.kpis = kpis
        self.facts: dict[str, TraceInput] = {f.fact: f for f in evaluation.facts}
        self.leaves: list[LeafResult] = evaluation.leaves()
        self._figures: dict[str, Figure] = {}

    # -- recording ---------------------------------------------------------------------------

    @property
    def figures(self) -> list[Figure]:
        return list(self._figures.values())

    def record(self, fig: Figure) -> str:
        self._figures.setdefault(fig.key, fig)
        return fig.display

    # -- facts -------------------------------------------------------------------------------

    def fact_value(self, name: str) -> float | None:
        f = self.facts.get(name)
        if f is None or isinstance(f.value, str) or is_missing(f.value):
            return None
        return float(f.value)

    def fact_label(self, name: str) -> str:
        f = self.facts.get(name)
        if f is not None and f.label:
            return f.label
        return FACT_LABELS.get(name, (name, ""))[0]

    def fact_unit(self, name: str) -> str:
        f = self.facts.get(name)
        if f is not None and f.unit:
            return f.unit
        return FACT_LABELS.get(name, ("", ""))[1]

    def fact(self, name: str) -> str:
        """The fact formatted with its unit, recorded; a visible gap when it is missing."""
        value = self.fact_value(name)
        label = self.fact_label(name)
        if value is None:
            return missing_data(label)
        unit = self.fact_unit(name)
        src = self.facts[name].source
        return self.record(
            Figure(
                key=f"fact:{name}",
                label=label,
                value=value,
                unit=unit,
                display=quantity(value, unit),
                source=describe_source(src),
                query=src.query,
            )
        )

    def has(self, *names: str) -> bool:
        return all(self.fact_value(n) is not None for n in names)

    # -- computed figures --------------------------------------------------------------------

    def calc(
        self,
        key: str,
        label: str,
        value: float,
        unit: str,
        formula: str,
        inputs: Iterable[str],
    ) -> str:
        return self.calc_raw(key, label, value, unit, formula, [self.fact_input(n) for n in inputs])

    def calc_raw(
        self, key: str, label: str, value: float, unit: str, formula: str, inputs: list[str]
    ) -> str:
        """A computed figure whose inputs are not facts (e.g. from a KPI's pair)."""
        return self.record(
            Figure(
                key=f"calc:{key}",
                label=label,
                value=value,
                unit=unit,
                display=quantity(value, unit),
                source="jixiao 按公式计算",
                formula=formula,
                inputs=inputs,
            )
        )

    def fact_input(self, name: str) -> str:
        v = self.fact_value(name)
        shown = quantity(v, self.fact_unit(name)) if v is not None else "缺失"
        return f"{self.fact_label(name)}（{name}）= {shown}"

    def ratio(self, key: str, label: str, num: str, den: str) -> str:
        """num / den × 100 %, computed from two facts; a gap if either is missing or den is 0."""
        a, b = self.fact_value(num), self.fact_value(den)
        if a is None or b is None:
            return missing_data(label)
        if b == 0:
            return f"【无法计算：{self.fact_label(den)}为0】"
        formula = f"{label} = {self.fact_label(num)} ÷ {self.fact_label(den)} × 100%"
        return self.calc(key, label, a / b * 100, "%", formula, [num, den])

    def yoy(self, name: str, prev: str, word: str = "增长") -> str:
        """较上年增加X万元，增长Y% — Y is X divided by last year's value (report-outline.md)."""
        cur, last = self.fact_value(name), self.fact_value(prev)
        label = self.fact_label(name)
        if cur is None:
            return missing_data(label)
        if last is None:
            return f"上年数据未提供，{missing_data(self.fact_label(prev))}，无法比较增减"
        unit = self.fact_unit(name)
        diff = cur - last
        if fixed2(diff) in ("0.00", "-0.00"):
            return "与上年持平"
        verb, rate_word = ("增加", word) if diff > 0 else ("减少", "下降")
        change = self.calc(
            f"{name}.change",
            f"{label}较上年增减额",
            abs(diff),
            unit,
            f"|{label} − {self.fact_label(prev)}|",
            [name, prev],
        )
        if last == 0:
            return f"较上年{verb}{change}，上年为0，不计算增减幅度"
        rate = self.calc(
            f"{name}.change_rate",
            f"{label}较上年增减幅度",
            abs(diff) / abs(last) * 100,
            "%",
            f"|{label} − {self.fact_label(prev)}| ÷ {self.fact_label(prev)} × 100%",
            [name, prev],
        )
        return f"较上年{verb}{change}，{rate_word}{rate}"

    # -- leaves ------------------------------------------------------------------------------

    def leaf(self, *names: str) -> LeafResult | None:
        """The leaf whose name matches one of ``names`` (quotes and spaces ignored)."""
        wanted = [_norm(n) for n in names]
        for w in wanted:
            for leaf in self.leaves:
                if _norm(leaf.name) == w:
                    return leaf
        for w in wanted:
            for leaf in self.leaves:
                if w in _norm(leaf.name):
                    return leaf
        return None

    def leaf_value(self, leaf: LeafResult) -> str:
        if leaf.value is None:
            return missing_data(leaf.name)
        inputs = []
        for i in leaf.inputs:
            if isinstance(i.value, (int, float)):
                inputs.append(
                    f"{i.label or i.fact}（{i.fact}）= {quantity(float(i.value), i.unit)}"
                )
        return self.record(
            Figure(
                key=f"leaf:{leaf.code}",
                label=leaf.name,
                value=float(leaf.value),
                unit=leaf.unit or "",
                display=quantity(float(leaf.value), leaf.unit),
                source=f"评价结果 指标 {leaf.code}",
                formula=leaf.formula,
                inputs=inputs,
            )
        )

    def leaf_target(self, leaf: LeafResult) -> str:
        if leaf.target is None:
            return missing_data(f"{leaf.name}目标值")
        return self.record(
            Figure(
                key=f"target:{leaf.code}",
                label=f"{leaf.name}年度指标值",
                value=float(leaf.target),
                unit=leaf.unit or "",
                display=quantity(float(leaf.target), leaf.unit),
                source=f"评价结果 指标 {leaf.code}（年度指标值）",
            )
        )

    def score(self, key: str, label: str, value: float | None, source: str) -> str:
        """A score as a bare number (94, 4.5): the text or the table header carries 分."""
        if value is None:
            return "【未评分】"
        return self.record(
            Figure(
                key=f"score:{key}",
                label=label,
                value=float(value),
                unit="分",
                display=score_text(value),
                source=source,
            )
        )

    def weight(self, key: str, label: str, value: float) -> str:
        return self.record(
            Figure(
                key=f"weight:{key}",
                label=f"{label}分值",
                value=float(value),
                unit="分",
                display=score_text(value),
                source="指标体系",
            )
        )

    # -- KPIs --------------------------------------------------------------------------------

    def kpi(self, kpi_id: str, group: dict[str, str] | None = None) -> KpiValue | None:
        if self.kpis is None:
            return None
        g = group or {}
        for v in self.kpis.results:
            if v.kpi == kpi_id and v.group == g:
                return v
        return None

    def kpi_figure(self, v: KpiValue, part: str = "value", unit: str | None = None) -> str:
        """Record the KPI's value (or its numerator / denominator) and return it formatted."""
        value = {"value": v.value, "numerator": v.numerator, "denominator": v.denominator}[part]
        if value is None:
            return missing_data(v.label)
        cut = "、".join(v.group.values())
        suffix = {"value": "", "numerator": "（分子）", "denominator": "（分母）"}[part]
        u = v.unit if part == "value" else (unit or "")
        key = f"kpi:{v.kpi}:{part}:" + ",".join(f"{k}={x}" for k, x in sorted(v.group.items()))
        assert self.kpis is not None
        formula = None
        if part == "value" and v.unit == "%" and v.denominator:
            formula = f"{v.label} = 分子 ÷ 分母 × 100%"
        return self.record(
            Figure(
                key=key,
                label=(f"{cut} " if cut else "") + v.label + suffix,
                value=float(value),
                unit=u,
                display=quantity(float(value), u),
                source=(
                    f"服务记录指标 {v.kpi}（{self.kpis.start} 至 {self.kpis.end}"
                    + (f"，{cut}" if cut else "")
                    + "）"
                ),
                formula=formula,
                inputs=(
                    [f"分子 = {count_or(v.numerator)}", f"分母 = {count_or(v.denominator)}"]
                    if part == "value" and v.numerator is not None
                    else []
                ),
                query=self.kpis.queries.get(v.kpi),
            )
        )


def count_or(value: float | None) -> str:
    if value is None:
        return "缺失"
    return quantity(value, "")


def ratio_consistent(v: KpiValue) -> bool:
    """True when the value is numerator / denominator × 100 — only then may the report print the
    pair beside the rate (a KPI defined as 1 − a/b is printed without them)."""
    if v.value is None or v.numerator is None or not v.denominator:
        return False
    return abs(v.numerator / v.denominator * 100 - v.value) < 0.005
