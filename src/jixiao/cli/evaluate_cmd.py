"""``jixiao frameworks`` / ``jixiao template`` / ``jixiao evaluate``: frameworks, fill-in
workbooks and the scored evaluation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jixiao.engine.fmt import score as fmt_score
from jixiao.engine.result import Evaluation, LeafResult, NodeResult, Problem
from jixiao.errors import JixiaoError, Location
from jixiao.facts.model import Fact, FactSet, Source
from jixiao.frameworks.model import Framework, Leaf


def _console() -> Console:
    # Piped output (files, CI logs, tests) gets a wide table instead of Rich's 80 columns, so
    # that indicator names and reasons are never cut off.
    return Console(width=None if sys.stdout.isatty() else 200)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("frameworks")(frameworks_cmd)
    app.command("template")(template_cmd)
    app.command("evaluate")(evaluate_cmd)


def frameworks_cmd() -> None:
    """列出内置的指标体系（代码、名称、地区、适用年度、依据通知）。"""
    from jixiao.frameworks import list_frameworks

    table = Table(title="内置指标体系", show_lines=False)
    for col in ("代码", "名称", "类型", "地区", "适用年度", "依据"):
        table.add_column(col)
    for fw in list_frameworks():
        kind = "部门整体支出" if fw.kind == "dept" else "项目支出"
        table.add_row(fw.id, fw.name, kind, fw.region, fw.years_text(), fw.notice or "")
    _console().print(table)


def template_cmd(
    framework: Annotated[str, typer.Argument(help="指标体系代码或 YAML 文件路径")],
    out: Annotated[Path, typer.Option("-o", "--out", help="输出的填报模板 .xlsx")] = Path(
        "facts.xlsx"
    ),
) -> None:
    """生成填报模板（.xlsx）：指标体系需要的每一项数据一行，含中文名称、单位、示例。"""
    from jixiao.facts.template import write_template
    from jixiao.frameworks import load_framework

    fw = load_framework(framework)
    if out.suffix.lower() != ".xlsx":
        raise JixiaoError("填报模板应保存为 .xlsx 文件", None)
    write_template(fw, out)
    _console().print(f"已生成填报模板：{out}（指标体系 {fw.id}：{fw.name}）")


def evaluate_cmd(
    facts_path: Annotated[
        Path | None, typer.Argument(help="填报数据：.xlsx（填报模板）、.yaml 或 .json")
    ] = None,
    framework: Annotated[
        str | None, typer.Option("--framework", "-f", help="指标体系代码或 YAML 文件路径")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="评价年度（默认取填报数据中的年度）")
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="把完整评价结果写为 JSON")] = None,
    allow_incomplete: Annotated[
        bool, typer.Option("--allow-incomplete", help="缺少数据时仍输出（未评分的指标记 0 分）")
    ] = False,
    records: Annotated[
        Path | None,
        typer.Option("--records", help="服务记录库（DuckDB），用于计算绑定 KPI 的数据项"),
    ] = None,
    backend: Annotated[
        str, typer.Option("--backend", help="计算 KPI 的引擎：duckdb 或 spark")
    ] = "duckdb",
    example: Annotated[
        str | None, typer.Option("--example", help="使用内置示例单位（如 hunan-001）代替填报文件")
    ] = None,
) -> None:
    """按指标体系评分：打印指标树（分值、值、目标、自评分、理由）、总分和等级。"""
    evaluation, fw, facts = run_evaluation(
        facts_path, framework, year, records=records, backend=backend, example=example
    )
    print_evaluation(evaluation)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(evaluation.to_json(), encoding="utf-8")
        _console().print(f"评价结果已写入 {json_out}")
    if not evaluation.total.complete and not allow_incomplete:
        raise JixiaoError(
            "评价不完整：以下数据缺失或无法计算，请补充后重新评价（或加 --allow-incomplete）",
            None,
            missing_report(evaluation, fw, facts),
        )


def run_evaluation(
    facts_path: Path | None,
    framework: str | None,
    year: int | None,
    *,
    records: Path | None = None,
    backend: str = "duckdb",
    example: str | None = None,
) -> tuple[Evaluation, Framework, FactSet]:
    """Load facts and framework, merge record-computed facts, evaluate (shared with the demo)."""
    from jixiao.engine.evaluate import evaluate, record_bindings
    from jixiao.examples import example_path
    from jixiao.facts.load import load_facts
    from jixiao.frameworks import load_framework

    if example and facts_path:
        raise JixiaoError("--example 与填报文件只能二选一")
    if example:
        facts_path = example_path(example)
    if facts_path is None:
        raise JixiaoError("请给出填报数据文件（.xlsx/.yaml/.json），或用 --example 指定示例单位")
    facts = load_facts(facts_path)
    fw_id = framework or facts.framework
    if not fw_id:
        raise JixiaoError("请用 --framework 指定指标体系（可用 jixiao frameworks 查看）")
    fw = load_framework(fw_id)
    the_year = year or facts.year
    if records is not None:
        if backend not in ("duckdb", "spark"):
            raise JixiaoError(f"--backend 只能是 duckdb 或 spark，给出的是「{backend}」")
        if the_year is None:
            raise JixiaoError("使用 --records 时需要评价年度：请用 --year 指定")
        if not records.exists():
            raise JixiaoError("找不到服务记录库", None, [str(records)])
        bindings = record_bindings(fw, facts)
        if bindings:
            # Imported only here: the KPI layer is optional for evaluating a workbook.
            from jixiao.kpis.bind import facts_from_records

            found = facts_from_records(records, the_year, bindings, backend=backend)
            overrides = _overrides(fw, facts, found)
            facts = facts.merged(FactSet(facts={f.name: _as_kpi(f) for f in found}))
            evaluation = evaluate(fw, facts, the_year)
            evaluation.problems.extend(_override_problems(evaluation, overrides))
            return evaluation, fw, facts
    return evaluate(fw, facts, the_year), fw, facts


def _overrides(
    fw: Framework, facts: FactSet, found: list[Fact]
) -> list[tuple[str | None, str, str, float, float, Source]]:
    """Typed values that record-computed facts replace: (kpi, what, unit, typed, computed, where).

    Only values that differ are listed; the merge itself loses the typed value, so this is
    collected before it.
    """
    out: list[tuple[str | None, str, str, float, float, Source]] = []
    for f in found:
        if not isinstance(f.value, int | float):
            continue
        computed = float(f.value)
        if f.name.startswith("kpi."):
            kpi = f.name.removeprefix("kpi.")
            for d in facts.declared:
                if d.kpi == kpi and d.actual is not None and abs(d.actual - computed) > 1e-9:
                    out.append((kpi, f"「{d.name}」", d.unit or "", d.actual, computed, d.source))
            continue
        typed = facts.get(f.name)
        if typed is None or not isinstance(typed.value, int | float):
            continue
        if abs(float(typed.value) - computed) > 1e-9:
            spec = fw.facts.get(f.name)
            label = f"{spec.label if spec else f.name}（{f.name}）"
            unit = (spec.unit if spec else None) or ""
            out.append((None, label, unit, float(typed.value), computed, typed.source))
    return out


def _override_problems(
    evaluation: Evaluation, overrides: list[tuple[str | None, str, str, float, float, Source]]
) -> list[Problem]:
    from jixiao.engine.fmt import with_unit

    problems = []
    for kpi, what, unit, typed, computed, src in overrides:
        leaf = next((lf for lf in evaluation.leaves() if kpi and lf.kpi == kpi), None)
        loc = Location(file=src.file, sheet=src.sheet, cell=src.cell, row=src.row).describe()
        where = f"（{loc}）" if loc else ""
        problems.append(
            Problem(
                severity="warning",
                code="records_override",
                message=(
                    f"{'指标' if kpi else '数据项'}{what}填报的值 {with_unit(typed, unit or None)}"
                    f"{where}未采用，改用服务记录计算的 {with_unit(computed, unit or None)}"
                ),
                node=leaf.code if leaf else None,
            )
        )
    return problems


def _as_kpi(f: Fact) -> Fact:
    if f.source.kind == "kpi":
        return f
    return f.model_copy(update={"source": Source(kind="kpi", note=f.source.note)})


def missing_report(evaluation: Evaluation, fw: Framework, facts: FactSet) -> list[str]:
    """One line per missing fact or uncomputable leaf, saying where to fill it."""
    lines: list[str] = []
    seen: set[str] = set()
    xlsx = (facts.origin or "").lower().endswith((".xlsx", ".xlsm"))
    for leaf in evaluation.leaves():
        if leaf.status == "not_computable":
            lines.append(f"指标 {leaf.code}「{leaf.name}」：{leaf.reason}")
            continue
        if leaf.status != "missing":
            continue
        answered = {
            f"{leaf.code}.{p.id}": p.answer for p in leaf.checklist if p.answer in ("yes", "partly")
        }
        for name in leaf.missing:
            if name in seen:
                continue
            seen.add(name)
            if name in answered:
                # Answered 是/部分 but no evidence: the answer cell is filled, the evidence is not.
                lines.append(
                    f"指标 {leaf.code}「{leaf.name}」缺少佐证："
                    + _evidence_to_fill(name, answered[name], fw, facts)
                )
                continue
            declared = _declared_to_fill(leaf, name) if leaf.declared else None
            lines.append(
                f"指标 {leaf.code}「{leaf.name}」缺少 "
                + (declared or _where_to_fill(name, fw, facts, xlsx))
            )
    return lines


def _declared_to_fill(leaf: LeafResult, name: str) -> str | None:
    """Where a declared indicator's target or actual value goes: its own cell or YAML item."""
    parts = {
        "target": "年度指标值",
        "actual": "实际完成值",
        "achievement": "达成程度（0–1）",
        "justification": "评分理由",
    }
    key = "actual" if name.startswith("kpi.") else name.rsplit(":", 1)[-1]
    if key not in parts or not (name.startswith(("kpi.", "declared:"))):
        return None
    part = parts[key]
    # The achievement's trace is the leaf's own fact (declared:<code>), kept for compatibility.
    fact = name.removesuffix(":achievement")
    trace = next((i for i in leaf.inputs if i.fact == fact), None)
    if trace is None:
        return None
    src = trace.source
    if src.cell:
        where = Location(file=src.file, sheet=src.sheet, cell=src.cell).describe()
    elif src.file:
        where = f"{src.file} {src.note or 'declared'} 的 {key}"
    else:
        return None
    records = (
        f"，或加 --records 由服务记录计算（KPI {leaf.kpi}）" if name.startswith("kpi.") else ""
    )
    return f"{part}：请填写 {where}{records}"


def _evidence_to_fill(name: str, answer: str | None, fw: Framework, facts: FactSet) -> str:
    word = {"yes": "是", "partly": "部分"}.get(answer or "", "是")
    label = _fact_label(name, fw).split("（是/部分/否")[0]
    fact = facts.get(name)
    if fact is not None and fact.evidence_cell:
        src = fact.source
        where = Location(file=src.file, sheet=src.sheet, cell=fact.evidence_cell).describe()
        return f"{label}（{name}）答“{word}”须附佐证：请在 {where} 写明佐证材料或说明"
    key = fact.source.note if fact is not None and fact.source.note else f"facts.{name}"
    file = f"{facts.origin} " if facts.origin else ""
    return f"{label}（{name}）答“{word}”须附佐证：请在 {file}{key} 的 evidence 中写明佐证材料"


def _where_to_fill(name: str, fw: Framework, facts: FactSet, xlsx: bool) -> str:
    label = _fact_label(name, fw)
    spec = fw.facts.get(name)
    unit = f"，单位 {spec.unit}" if spec and spec.unit else ""
    records = f"，或加 --records 由服务记录计算（KPI {spec.kpi}）" if spec and spec.kpi else ""
    if name.startswith("declared:"):
        code = name.removeprefix("declared:")
        return f"自报指标（{code}）：在填报表「自报指标」工作表或 declared 中填写"
    fact = facts.get(name)
    if fact is not None and fact.source.cell:
        src = fact.source
        where = Location(file=src.file, sheet=src.sheet, cell=src.cell).describe()
        return f"{label}（{name}{unit}）：请填写 {where}{records}"
    if xlsx:
        return f"{label}（{name}{unit}）：请在填报表「基础数据」工作表中该行的“填报值”列填写"
    return f"{label}（{name}{unit}）：请在 facts 下填写 {name}"


def _fact_label(name: str, fw: Framework) -> str:
    """Chinese label of a fact, including checklist points and manual scores."""
    if name in fw.facts:
        return fw.facts[name].label
    code, _, tail = name.rpartition(".")
    leaf = fw.node(code)
    if isinstance(leaf, Leaf):
        if tail == "score":
            return f"{leaf.name}自评分"
        if tail == "justification":
            return f"{leaf.name}评分理由"
        points = getattr(leaf.rule, "points", [])
        text = next((p.text for p in points if p.id == tail), tail)
        return f"{leaf.name}核查要点“{text}”（是/部分/否，答是或部分须附佐证）"
    return name


def print_evaluation(evaluation: Evaluation) -> None:
    """The indicator tree as a Rich table, then the total and the grade."""
    fw = evaluation.framework
    title = f"{evaluation.unit or '（未注明单位）'} {evaluation.year} 年度绩效自评（{fw.name}）"
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("一级指标", no_wrap=True)
    table.add_column("二级指标", no_wrap=True)
    table.add_column("三级指标")
    table.add_column("分值", justify="right")
    table.add_column("值", justify="right")
    table.add_column("目标", justify="right")
    table.add_column("自评分", justify="right")
    table.add_column("理由", overflow="fold", max_width=60)

    def row(names: list[str], node: NodeResult | LeafResult) -> None:
        sc = "—" if node.score is None else fmt_score(node.score)
        if isinstance(node, LeafResult):
            value = node.value_display or ""
            target = "" if node.target is None else _target(node)
            status = {"missing": "[red]缺数据[/]", "not_computable": "[red]无法计算[/]"}
            sc = status.get(node.status, sc)
            table.add_row(*names, fmt_score(node.weight), value, target, sc, node.reason)
        else:
            table.add_row(
                *names,
                fmt_score(node.weight),
                "",
                "",
                f"[bold]{sc}[/]",
                "",
                style="bold" if node.level == 1 else None,
            )

    def walk(nodes: list[NodeResult | LeafResult]) -> None:
        for n in nodes:
            cols = ["", "", ""]
            cols[min(n.level, 3) - 1] = n.name if n.level <= 3 else f"· {n.name}"
            row(cols, n)
            if isinstance(n, NodeResult):
                walk(n.children)

    walk(evaluation.tree)
    t = evaluation.total
    table.add_row(
        "总分",
        "",
        "",
        fmt_score(t.max),
        "",
        "",
        f"[bold]{fmt_score(t.score)}[/]",
        "",
        end_section=True,
    )
    _console().print(table)
    state = "" if t.complete else f"（不完整：{len(t.incomplete_leaves)} 个指标未评分）"
    _console().print(f"总分 [bold]{fmt_score(t.score)}[/] 分，等级 [bold]{t.grade}[/]{state}")
    for p in evaluation.problems:
        if p.code in ("missing_facts", "not_computable", "missing_declared"):
            continue
        mark = {"error": "[red]错误[/]", "warning": "[yellow]注意[/]", "info": "说明"}[p.severity]
        _console().print(f"{mark}：{p.message}", highlight=False)


def _target(leaf: LeafResult) -> str:
    from jixiao.engine.fmt import with_unit

    assert leaf.target is not None
    sign = {"higher": "≥", "lower": "≤", "equal": "="}.get(leaf.direction or "higher", "")
    return f"{sign}{with_unit(leaf.target, leaf.unit)}"
