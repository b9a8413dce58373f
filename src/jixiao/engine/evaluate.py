"""Evaluate a unit's facts under a framework: every score with its reason and its inputs.

``evaluate`` never crashes on missing data or a zero denominator: such leaves are marked
``missing`` / ``not_computable`` and the evaluation is incomplete. Input that is wrong (text
where a number belongs, a negative count, a manual score above the weight, declared weights
that do not add up) is a ``JixiaoError`` naming the file and cell it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from jixiao import __version__
from jixiao.engine import rules as R
from jixiao.engine.fmt import num, score, with_unit
from jixiao.engine.formula import Formula, ZeroDivisionInFormula, parse, percent_core, render_node
from jixiao.engine.result import (
    ChecklistPoint,
    Evaluation,
    FrameworkInfo,
    LeafResult,
    NodeResult,
    Problem,
    RuleInfo,
    Total,
    TraceInput,
    grade_for,
)
from jixiao.errors import JixiaoError, Location
from jixiao.facts.model import Answer, DeclaredIndicator, Fact, FactSet, Source
from jixiao.frameworks.model import (
    ChecklistRule,
    DeclaredSlot,
    DeductionRule,
    FactSpec,
    Framework,
    Leaf,
    ManualRule,
    Node,
)

ANSWER_WORDS = {
    "是": Answer.YES,
    "yes": Answer.YES,
    "y": Answer.YES,
    "true": Answer.YES,
    "部分": Answer.PARTLY,
    "partly": Answer.PARTLY,
    "partial": Answer.PARTLY,
    "否": Answer.NO,
    "no": Answer.NO,
    "n": Answer.NO,
    "false": Answer.NO,
}

KPI_FACT_PREFIX = "kpi."


def parse_answer(value: object) -> Answer | None:
    if isinstance(value, Answer):
        return value
    if isinstance(value, bool):
        return Answer.YES if value else Answer.NO
    if isinstance(value, str):
        return ANSWER_WORDS.get(value.strip().lower())
    return None


def declared_fact_name(kpi: str) -> str:
    """The fact that carries a declared indicator's KPI-computed actual value."""
    return f"{KPI_FACT_PREFIX}{kpi}"


def record_bindings(framework: Framework, facts: FactSet | None = None) -> dict[str, str]:
    """Fact name → KPI id for everything service records can supply (``evaluate --records``)."""
    out = framework.fact_bindings()
    declared = list(facts.declared) if facts else []
    for slot in framework.slots():
        if not declared:
            declared.extend(
                DeclaredIndicator(
                    slot=slot.code, level2=s.level2, name=s.name, weight=s.weight, kpi=s.kpi
                )
                for s in slot.suggestions
            )
    for d in declared:
        if d.kpi:
            out[declared_fact_name(d.kpi)] = d.kpi
    return out


def _where(src: Source) -> Location | None:
    if src.kind == "file" and (src.file or src.sheet or src.cell):
        return Location(
            file=src.file, sheet=src.sheet, cell=src.cell, row=None if src.cell else src.row
        )
    return None


class _Context:
    """Checked numeric values and answers, with the problems found while checking them."""

    def __init__(self, framework: Framework, facts: FactSet) -> None:
        self.framework = framework
        self.facts = facts
        self.numbers: dict[str, float] = {}
        self.bad: set[str] = set()
        self.errors: list[tuple[str, Location | None]] = []
        self._check()

    def _fail(self, fact: Fact, text: str) -> None:
        self.bad.add(fact.name)
        loc = _where(fact.source) or (Location(file=fact.source.file) if fact.source.file else None)
        self.errors.append((text, loc))

    def _check(self) -> None:
        for name, spec in self.framework.facts.items():
            fact = self.facts.get(name)
            if fact is None or fact.value is None or fact.value == "":
                continue
            self._check_fact(name, spec, fact)

    def _check_fact(self, name: str, spec: FactSpec, fact: Fact) -> None:
        label = f"{spec.label}（{name}）"
        v = fact.value
        if spec.numeric:
            if isinstance(v, bool | Answer):
                self._fail(fact, f"{label}应为数字，填写的是“{v}”")
                return
            if isinstance(v, str):
                try:
                    v = float(v.replace(",", "").strip())
                except ValueError:
                    self._fail(fact, f"{label}应为数字，填写的是文字“{fact.value}”")
                    return
            v = float(v)
            if spec.type == "count" and not v.is_integer():
                self._fail(fact, f"{label}应为整数（{spec.unit or '个数'}），填写的是 {num(v, 4)}")
                return
            if spec.type == "count" and v < 0:
                self._fail(fact, f"{label}不能为负数，填写的是 {num(v, 4)}")
                return
            if spec.type == "percent" and not 0 <= v <= 100:
                self._fail(fact, f"{label}应为 0–100 之间的百分数，填写的是 {num(v, 4)}")
                return
            if spec.min is not None and v < spec.min:
                self._fail(fact, f"{label}不能小于 {num(spec.min)}，填写的是 {num(v, 4)}")
                return
            if spec.max is not None and v > spec.max:
                self._fail(fact, f"{label}不能大于 {num(spec.max)}，填写的是 {num(v, 4)}")
                return
            self.numbers[name] = v
        elif spec.type == "answer" and parse_answer(v) is None:
            self._fail(fact, f"{label}应填 是/部分/否，填写的是“{v}”")

    def number(self, name: str) -> float | None:
        if name in self.numbers:
            return self.numbers[name]
        if name in self.bad:
            return None
        fact = self.facts.get(name)
        if fact is None or fact.value is None or fact.value == "":
            return None
        v = fact.value
        if isinstance(v, int | float) and not isinstance(v, bool):
            self.numbers[name] = float(v)
            return float(v)
        if isinstance(v, str):
            try:
                self.numbers[name] = float(v.replace(",", "").strip())
                return self.numbers[name]
            except ValueError:
                self._fail(fact, f"数据项 {name} 应为数字，填写的是文字“{v}”")
        return None

    def label(self, name: str) -> str:
        spec = self.framework.facts.get(name)
        return spec.label if spec else name

    def unit(self, name: str) -> str | None:
        spec = self.framework.facts.get(name)
        return spec.unit if spec else None

    def show(self, name: str) -> str:
        """A fact as it appears in a reason: label and value with unit (在职人数11人)."""
        spec = self.framework.facts.get(name)
        v = self.numbers.get(name)
        if v is None:
            return self.label(name)
        shown = with_unit(v, spec.unit if spec else None, spec.type if spec else None)
        return f"{self.label(name)}{shown}"

    def trace(self, name: str) -> TraceInput:
        fact = self.facts.get(name)
        spec = self.framework.facts.get(name)
        value: float | str | None
        if name in self.numbers:
            value = self.numbers[name]
        elif fact is not None and fact.value is not None:
            value = str(fact.value.value if isinstance(fact.value, Answer) else fact.value)
        else:
            value = None
        return TraceInput(
            fact=name,
            label=spec.label if spec else (fact.label if fact else None),
            value=value,
            unit=spec.unit if spec else (fact.unit if fact else None),
            source=fact.source if fact else Source(kind="default", note="未填报"),
        )


def evaluate(framework: Framework, facts: FactSet, year: int | None = None) -> Evaluation:
    """Score ``facts`` under ``framework`` for ``year`` (default: the facts' year)."""
    year = year or facts.year
    if year is None:
        raise JixiaoError("未指定评价年度：请在填报数据中填写年度，或使用 --year 指定")
    if year not in framework.years:
        raise JixiaoError(
            f"指标体系 {framework.id}（{framework.name}）适用于 {framework.years_text()} 年度，"
            f"不适用于 {year} 年度",
            Location(file=facts.origin),
        )
    ctx = _Context(framework, facts)
    _check_slots(framework, facts, ctx)
    problems: list[Problem] = []
    if facts.framework and facts.framework != framework.id:
        problems.append(
            Problem(
                severity="warning",
                code="framework_mismatch",
                message=f"填报数据注明的指标体系为 {facts.framework}，本次按 {framework.id} 评价",
            )
        )
    builder = _Builder(framework, facts, ctx, problems)
    tree = [builder.node(n, 1) for n in framework.tree]
    if ctx.errors:
        if len(ctx.errors) == 1:
            raise JixiaoError(ctx.errors[0][0], ctx.errors[0][1])
        details = [f"{loc.describe()}：{m}" if loc else m for m, loc in ctx.errors]
        raise JixiaoError(f"填报数据有 {len(details)} 处错误", Location(file=facts.origin), details)

    leaves = _leaves(tree)
    incomplete = [lf.code for lf in leaves if lf.status != "scored"]
    total_score = round(sum(n.score or 0.0 for n in tree), 2)
    assumed = [lf.code for lf in leaves if lf.rule.assumed]
    if assumed:
        problems.append(
            Problem(
                severity="info",
                code="assumed_rule",
                message=(
                    f"{len(assumed)} 个指标的评分规则为指标体系假定（通知未给出规则）："
                    + "、".join(assumed)
                    + "。请以财政局的评分细则为准核对。"
                ),
            )
        )
    nodes = _all_nodes(framework)
    weight_assumed = [c for c, n in nodes if n.weight_assumed]
    if weight_assumed:
        listed = (
            "本指标体系的全部分值"
            if len(weight_assumed) == len(nodes)
            else "以下指标的分值（" + "、".join(weight_assumed) + "）"
        )
        problems.append(
            Problem(
                severity="warning",
                code="weights_to_confirm",
                message=f"{listed}为假定值，待单位/财政局按当年评分细则确认",
            )
        )
    used = set(framework.facts)
    for lf in leaves:
        used.update(i.fact for i in lf.inputs)
    unknown = [
        n
        for n in facts.facts
        if n not in used and not n.startswith(KPI_FACT_PREFIX) and not _is_leaf_fact(framework, n)
    ]
    if unknown:
        problems.append(
            Problem(
                severity="warning",
                code="unused_facts",
                message="以下数据项不属于本指标体系，未参与评分（请检查拼写）："
                + "、".join(unknown),
            )
        )
    return Evaluation(
        jixiao_version=__version__,
        generated_at=datetime.now(ZoneInfo("Asia/Shanghai")).isoformat(timespec="seconds"),
        framework=FrameworkInfo(
            id=framework.id,
            name=framework.name,
            kind=framework.kind,
            region=framework.region,
            years=list(framework.years),
            notice=framework.notice,
            version=framework.version,
        ),
        unit=facts.unit,
        year=year,
        total=Total(
            score=total_score,
            max=framework.total,
            grade=grade_for(total_score * 100 / framework.total if framework.total else 0),
            complete=not incomplete,
            incomplete_leaves=incomplete,
        ),
        tree=tree,
        facts=[ctx.trace(n) for n in facts.facts],
        problems=problems,
    )


def _check_slots(framework: Framework, facts: FactSet, ctx: _Context) -> None:
    """A declared indicator under a code that is no slot would silently lose its weight."""
    codes = [s.code for s in framework.slots()]
    for d in facts.declared:
        if d.slot in codes:
            continue
        allowed = f"（可用：{'、'.join(codes)}）" if codes else "（本指标体系没有可自报的指标）"
        src = d.source
        row = src.row
        if src.cell:
            digits = "".join(ch for ch in src.cell if ch.isdigit())
            row = int(digits) if digits else None
        loc = Location(file=src.file, sheet=src.sheet, row=row) if src.file else None
        ctx.errors.append(
            (
                f"自报指标「{d.name}」的所属指标代码 {d.slot} 不是本指标体系可自报的指标{allowed}",
                loc,
            )
        )


def _is_leaf_fact(framework: Framework, name: str) -> bool:
    code, _, _ = name.rpartition(".")
    return bool(code) and isinstance(framework.node(code), Leaf)


def _all_nodes(framework: Framework) -> list[tuple[str, Node | DeclaredSlot | Leaf]]:
    return [(n.code, n) for _, n in framework.walk()]


def _leaves(nodes: list[NodeResult | LeafResult]) -> list[LeafResult]:
    out: list[LeafResult] = []
    for n in nodes:
        if isinstance(n, LeafResult):
            out.append(n)
        else:
            out.extend(_leaves(n.children))
    return out


class _Builder:
    def __init__(
        self, framework: Framework, facts: FactSet, ctx: _Context, problems: list[Problem]
    ) -> None:
        self.fw = framework
        self.facts = facts
        self.ctx = ctx
        self.problems = problems

    # -- tree ---------------------------------------------------------------------------------

    def node(self, n: Node | DeclaredSlot | Leaf, level: int) -> NodeResult | LeafResult:
        if isinstance(n, Leaf):
            return self.leaf(n, level)
        if isinstance(n, DeclaredSlot):
            return self.slot(n, level)
        children = [self.node(c, level + 1) for c in n.children]
        return _sum_node(n.code, n.name, level, n.weight, children)

    def leaf(self, leaf: Leaf, level: int) -> LeafResult:
        rule = leaf.rule
        info = RuleInfo(
            type=rule.type,
            description=R.describe_rule(rule, leaf.weight, leaf.unit, leaf.direction),
            assumed=rule.assumed,
            basis=rule.basis,
            params=rule.model_dump(exclude={"type", "assumed", "basis"}, exclude_none=True),
        )
        base = {
            "code": leaf.code,
            "name": leaf.name,
            "level": level,
            "weight": leaf.weight,
            "max": leaf.weight,
            "unit": leaf.unit,
            "direction": leaf.direction,
            "formula": leaf.formula,
            "rule": info,
            "explanation": leaf.explanation,
            "note": leaf.note,
        }
        if isinstance(rule, ChecklistRule):
            result = self.checklist(leaf, rule, base)
        elif isinstance(rule, ManualRule):
            result = self.manual(leaf, base)
        else:
            result = self.computed(leaf, base)
        if rule.assumed and result.status == "scored":
            result = result.model_copy(update={"reason": result.reason + "（评分规则为假定）"})
        if result.status == "not_computable":
            self.problems.append(
                Problem(
                    severity="error", code="not_computable", message=result.reason, node=leaf.code
                )
            )
        elif result.status == "missing":
            self.problems.append(
                Problem(
                    severity="error", code="missing_facts", message=result.reason, node=leaf.code
                )
            )
        return result

    # -- computed leaves ----------------------------------------------------------------------

    def computed(self, leaf: Leaf, base: dict) -> LeafResult:
        rule = leaf.rule
        formula = leaf.parsed_formula()
        target_formula = leaf.parsed_target()
        quantity = (
            parse(rule.quantity) if isinstance(rule, DeductionRule) and rule.quantity else None
        )
        names: list[str] = []
        for f in (formula, target_formula, quantity):
            if f:
                names.extend(n for n in f.names if n not in names)
        inputs = [self.ctx.trace(n) for n in names]
        missing = [n for n in names if self.ctx.number(n) is None]
        inputs = [self.ctx.trace(n) for n in names]
        if missing:
            return LeafResult(
                **base,
                score=None,
                status="missing",
                reason="缺少数据：" + "、".join(f"{self.ctx.label(n)}（{n}）" for n in missing),
                inputs=inputs,
                missing=missing,
            )
        try:
            value = formula.evaluate(self.ctx.numbers) if formula else None
            if value is not None:
                value = round(value, 9)  # 11/10*100 → 110, not 110.00000000000001
            if target_formula is not None:
                target = target_formula.evaluate(self.ctx.numbers)
            elif isinstance(leaf.target, int | float):
                target = float(leaf.target)
            elif rule.type in ("proportional", "target_met") and leaf.unit == "%":
                target = 100.0  # a rate's natural target when the file states none
            else:
                target = None
            qty = quantity.evaluate(self.ctx.numbers) if quantity else value
        except ZeroDivisionInFormula as exc:
            denom = "、".join(f"{self.ctx.label(n)}（{n}）" for n in exc.names) or exc.denominator
            return LeafResult(
                **base,
                score=None,
                status="not_computable",
                reason=f"无法计算：分母 {denom}为 0（公式 {leaf.formula}）",
                inputs=inputs,
            )
        shown = self._shower(leaf)
        calc = self._calc_text(leaf, formula, value) if formula else ""
        if isinstance(rule, DeductionRule):
            assert qty is not None
            scored = R.deduction(rule, leaf.weight, qty)
        elif rule.type == "bands":
            scored = R.bands(rule, leaf.weight, value, shown)
        elif target is None:
            return LeafResult(
                **base,
                score=None,
                status="not_computable",
                value=value,
                reason="无法计分：指标未设目标值",
                inputs=inputs,
            )
        elif rule.type == "target_met":
            scored = R.target_met(rule, leaf.weight, value, target, leaf.direction, shown)
        else:
            scored = R.proportional(rule, leaf.weight, value, target, leaf.direction, shown)
        reason = "，".join(p for p in (calc, scored.clause) if p)
        return LeafResult(
            **base,
            score=round(scored.score, 2),
            status="scored",
            value=value,
            value_display=with_unit(value, leaf.unit) if value is not None else None,
            target=target,
            reason=reason,
            inputs=inputs,
        )

    def _shower(self, leaf: Leaf) -> Callable[[float], str]:
        return lambda x: with_unit(x, leaf.unit)

    def _calc_text(self, leaf: Leaf, formula: Formula, value: float | None) -> str:
        if value is None:
            return ""
        tree = formula.tree
        if getattr(tree, "data", None) == "name":
            return self.ctx.show(formula.names[0])
        core = percent_core(formula) if leaf.unit == "%" else None
        body = (
            render_node(core, self.ctx.show) if core is not None else formula.render(self.ctx.show)
        )
        return f"{body}={with_unit(value, leaf.unit)}"

    # -- checklist and manual -----------------------------------------------------------------

    def checklist(self, leaf: Leaf, rule: ChecklistRule, base: dict) -> LeafResult:
        points: list[ChecklistPoint] = []
        missing: list[str] = []
        inputs: list[TraceInput] = []
        no_evidence: list[str] = []
        total = 0.0
        answered: dict[str, int] = {"yes": 0, "partly": 0, "no": 0}
        for p in rule.points:
            name = f"{leaf.code}.{p.id}"
            fact = self.facts.get(name)
            answer = parse_answer(fact.value) if fact else None
            if fact is not None and fact.value not in (None, "") and answer is None:
                self.ctx._fail(
                    fact, f"{leaf.name} 要点 {p.id} 应填 是/部分/否，填写的是“{fact.value}”"
                )
            if fact is not None:
                inputs.append(
                    TraceInput(
                        fact=name,
                        label=f"{leaf.name}：{p.text}",
                        value=answer.value if answer else None,
                        source=fact.source,
                    )
                )
            pt_score: float | None = None
            if answer is None:
                missing.append(name)
            elif (
                answer != Answer.NO
                and rule.evidence_required
                and not (fact and fact.evidence and fact.evidence.strip())
            ):
                missing.append(name)
                no_evidence.append(p.id)
            else:
                share = {Answer.YES: 1.0, Answer.PARTLY: rule.partly_share, Answer.NO: 0.0}[answer]
                pt_score = leaf.weight * p.share * share
                total += pt_score
                answered[answer.value] += 1
            points.append(
                ChecklistPoint(
                    id=p.id,
                    text=p.text,
                    share=p.share,
                    answer=answer.value if answer else None,
                    evidence=fact.evidence if fact else None,
                    score=round(pt_score, 4) if pt_score is not None else None,
                )
            )
        if missing:
            parts = []
            unanswered = [
                m.rsplit(".", 1)[1] for m in missing if m.rsplit(".", 1)[1] not in no_evidence
            ]
            if unanswered:
                parts.append("未回答要点 " + "、".join(unanswered))
            if no_evidence:
                parts.append("要点 " + "、".join(no_evidence) + " 答“是/部分”但未填写佐证材料")
            return LeafResult(
                **base,
                score=None,
                status="missing",
                reason="缺少核查结果：" + "；".join(parts),
                inputs=inputs,
                checklist=points,
                missing=missing,
            )
        s = round(total, 2)
        n = len(rule.points)
        summary = f"评价要点{n}项：是{answered['yes']}项"
        if answered["partly"]:
            summary += f"、部分{answered['partly']}项"
        summary += f"、否{answered['no']}项"
        deducted = leaf.weight - s
        tail = (
            f"，得满分{score(s)}分"
            if deducted < 1e-9
            else f"，扣{score(deducted)}分，得{score(s)}分"
        )
        return LeafResult(
            **base,
            score=s,
            status="scored",
            value=None,
            reason=summary + tail,
            inputs=inputs,
            checklist=points,
        )

    def manual(self, leaf: Leaf, base: dict) -> LeafResult:
        sname, jname = f"{leaf.code}.score", f"{leaf.code}.justification"
        sfact, jfact = self.facts.get(sname), self.facts.get(jname)
        justification = None
        if jfact is not None and isinstance(jfact.value, str) and jfact.value.strip():
            justification = jfact.value.strip()
        elif sfact is not None and sfact.evidence and sfact.evidence.strip():
            justification = sfact.evidence.strip()
        inputs = []
        value = self.ctx.number(sname) if sfact is not None else None
        if sfact is not None:
            inputs.append(
                TraceInput(
                    fact=sname,
                    label=f"{leaf.name}自评分",
                    value=value,
                    unit="分",
                    source=sfact.source,
                )
            )
        if jfact is not None:
            inputs.append(
                TraceInput(
                    fact=jname,
                    label=f"{leaf.name}评分理由",
                    value=justification,
                    source=jfact.source,
                )
            )
        missing = []
        if value is None:
            missing.append(sname)
        if justification is None:
            missing.append(jname)
        if missing:
            what = []
            if sname in missing:
                what.append("自评分")
            if jname in missing:
                what.append("评分理由")
            return LeafResult(
                **base,
                score=None,
                status="missing",
                reason=f"缺少{'和'.join(what)}（{'、'.join(missing)}）",
                inputs=inputs,
                missing=missing,
            )
        assert value is not None and sfact is not None
        if value < 0 or value > leaf.weight + 1e-9:
            self.ctx._fail(
                sfact,
                f"{leaf.name}的自评分应在 0–{score(leaf.weight)} 分之间，填写的是 {num(value)}",
            )
            value = min(max(value, 0.0), leaf.weight)
        return LeafResult(
            **base,
            score=round(value, 2),
            status="scored",
            reason=f"单位自评{score(value)}分（满分{score(leaf.weight)}分）：{justification}",
            inputs=inputs,
        )

    # -- declared indicators ------------------------------------------------------------------

    def slot(self, slot: DeclaredSlot, level: int) -> NodeResult | LeafResult:
        declared = [d for d in self.facts.declared if d.slot == slot.code]
        info = RuleInfo(
            type="declared",
            description="单位自报指标：定量指标达到年度指标值得满分，未达到按实际完成值/年度指标值计分"
            "（越低越好的指标取倒数）；定性指标按达成年度指标（80%–100%）、部分达成（60%–80%）、"
            "未达成（0–60%）三档由单位自评",
            assumed=slot.rules.assumed,
            basis=slot.rules.basis,
        )
        if not declared:
            self.problems.append(
                Problem(
                    severity="error",
                    code="missing_declared",
                    message=f"指标 {slot.code}「{slot.name}」没有填报自报指标",
                    node=slot.code,
                )
            )
            return LeafResult(
                code=slot.code,
                name=slot.name,
                level=level,
                weight=slot.weight,
                max=slot.weight,
                score=None,
                status="missing",
                rule=info,
                reason=(
                    f"未填报本指标下的自报指标（代码 {slot.code}，"
                    f"分值合计应为 {score(slot.weight)}）"
                ),
                explanation=slot.explanation,
                note=slot.note,
                declared=True,
                missing=[f"declared:{slot.code}"],
            )
        total = sum(d.weight for d in declared)
        if abs(total - slot.weight) > 1e-6:
            parts = " + ".join(f"{d.name} {num(d.weight)}" for d in declared)
            raise JixiaoError(
                f"指标 {slot.code}「{slot.name}」分值为 {num(slot.weight)}，"
                f"但填报的自报指标分值之和为 {num(total)}（{parts}）",
                _where(declared[0].source) or Location(file=self.facts.origin, node=slot.code),
            )
        if level == 1:
            groups: dict[str, list[DeclaredIndicator]] = {}
            for d in declared:
                groups.setdefault(d.level2, []).append(d)
            children: list[NodeResult | LeafResult] = []
            for gi, (gname, items) in enumerate(groups.items(), start=1):
                gcode = f"{slot.code}.{gi}"
                leaves = [
                    self.declared_leaf(d, f"{gcode}.{i}", level + 2, info)
                    for i, d in enumerate(items, start=1)
                ]
                children.append(
                    _sum_node(gcode, gname, level + 1, sum(d.weight for d in items), leaves)
                )
        else:
            children = [
                self.declared_leaf(d, f"{slot.code}.{i}", level + 1, info)
                for i, d in enumerate(declared, start=1)
            ]
        return _sum_node(slot.code, slot.name, level, slot.weight, children)

    def declared_leaf(
        self, d: DeclaredIndicator, code: str, level: int, info: RuleInfo
    ) -> LeafResult:
        base = {
            "code": code,
            "name": d.name,
            "level": level,
            "weight": d.weight,
            "max": d.weight,
            "unit": d.unit,
            "direction": d.direction,
            "rule": info.model_copy(update={"params": {"kind": d.kind}}),
            "declared": True,
            "kpi": d.kpi,
            "explanation": d.level2,
        }

        def at(key: str) -> Source:
            cell = d.cells.get(key)
            return d.source.model_copy(update={"cell": cell}) if cell else d.source

        if d.kind == "qualitative":
            inputs = [
                TraceInput(
                    fact=f"declared:{code}",
                    label=f"{d.name}达成程度",
                    value=d.achievement,
                    source=at("achievement"),
                ),
                TraceInput(
                    fact=f"declared:{code}:justification",
                    label=f"{d.name}评分理由",
                    value=d.justification,
                    source=at("justification"),
                ),
            ]
            missing = []
            if d.achievement is None:
                missing.append(f"declared:{code}:achievement")
            if not (d.justification and d.justification.strip()):
                missing.append(f"declared:{code}:justification")
            if missing:
                return LeafResult(
                    **base,
                    score=None,
                    status="missing",
                    reason="定性指标缺少达成程度或评分理由",
                    inputs=inputs,
                    missing=missing,
                )
            assert d.achievement is not None
            if not 0 <= d.achievement <= 1:
                raise JixiaoError(
                    f"自报指标「{d.name}」的达成程度应在 0–1 之间（如 0.85），"
                    f"填写的是 {num(d.achievement)}",
                    _where(at("achievement")),
                )
            a = d.achievement
            band = (
                "达成年度指标"
                if a >= 0.8
                else ("部分达成年度指标" if a >= 0.6 else "未达成年度指标")
            )
            s = round(d.weight * a, 2)
            return LeafResult(
                **base,
                score=s,
                status="scored",
                value=a * 100,
                value_display=f"{a * 100:.0f}%",
                reason=(
                    f"定性指标，{band}，达成程度{a * 100:.0f}%，得{score(s)}分：{d.justification}"
                ),
                inputs=inputs,
            )
        actual, src = d.actual, d.source
        if d.kpi:
            kfact = self.facts.get(declared_fact_name(d.kpi))
            if kfact is not None and isinstance(kfact.value, int | float):
                actual, src = float(kfact.value), kfact.source
        inputs = [
            TraceInput(
                fact=f"declared:{code}:target",
                label=f"{d.name}年度指标值",
                value=d.target,
                unit=d.unit,
                source=d.target_source or d.source,
            ),
            TraceInput(
                fact=declared_fact_name(d.kpi) if d.kpi else f"declared:{code}:actual",
                label=f"{d.name}实际完成值",
                value=actual,
                unit=d.unit,
                source=src,
            ),
        ]
        missing = []
        if d.target is None:
            missing.append(f"declared:{code}:target")
        if actual is None:
            missing.append(declared_fact_name(d.kpi) if d.kpi else f"declared:{code}:actual")
        if missing:
            what = "年度指标值" if d.target is None else "实际完成值"
            if d.target is None and actual is None:
                what = "年度指标值和实际完成值"
            hint = f"（可用 --records 由服务记录计算 {d.kpi}）" if d.kpi and actual is None else ""
            return LeafResult(
                **base,
                score=None,
                status="missing",
                target=d.target,
                reason=f"缺少{what}{hint}",
                inputs=inputs,
                missing=missing,
            )
        assert d.target is not None and actual is not None
        t, a = float(d.target), float(actual)
        sign = {"higher": "≥", "lower": "≤", "equal": "="}[d.direction]
        head = f"年度指标值{sign}{with_unit(t, d.unit)}，实际完成值{with_unit(a, d.unit)}"
        if R.met(a, t, d.direction):
            s = d.weight
            clause = f"已达成，得满分{score(s)}分"
        elif abs(t) < 1e-12:
            # A ratio to a target of 0 means nothing; say so instead of printing "x/0 = 0.00%".
            s = 0.0
            clause = "未达成（年度指标值为0，无法按比例计分），得0分"
        else:
            ratio = min(R.achievement(a, t, d.direction), 1.0)
            s = d.weight * ratio
            how = {
                "lower": "年度指标值/实际完成值",
                "higher": "实际完成值/年度指标值",
                "equal": "两者中较小值/较大值",
            }[d.direction]
            clause = f"未达成，按{how}={ratio * 100:.2f}%计分，得{score(s)}分"
        src_note = "（实际值由服务记录计算）" if src.kind == "kpi" else ""
        if info.assumed:
            clause += "（评分规则为假定）"
        return LeafResult(
            **base,
            score=round(s, 2),
            status="scored",
            value=a,
            value_display=with_unit(a, d.unit),
            target=t,
            reason=f"{head}{src_note}，{clause}",
            inputs=inputs,
        )


def _sum_node(
    code: str, name: str, level: int, weight: float, children: list[NodeResult | LeafResult]
) -> NodeResult:
    complete = all(
        (c.status == "scored") if isinstance(c, LeafResult) else c.complete for c in children
    )
    scores = [c.score for c in children if c.score is not None]
    return NodeResult(
        code=code,
        name=name,
        level=level,
        weight=weight,
        score=round(sum(scores), 2) if scores else None,
        complete=complete,
        children=children,
    )
