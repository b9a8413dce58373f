"""Test data built in code: a tiny evaluation, a filled facts workbook, synthetic records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PASSWORD = "test-password-1"
FRAMEWORK = "guangdong-dept-2023"
EXAMPLE = "guangdong-service-centre"


def filled_workbook(path: Path, year: int = 2023, **override: Any) -> Path:
    """The framework's own template, filled with the bundled example unit's numbers."""
    import openpyxl

    from jixiao.examples import example_path
    from jixiao.facts.load import load_facts
    from jixiao.facts.template import write_template
    from jixiao.frameworks import load_framework

    example = load_facts(example_path(EXAMPLE))
    write_template(load_framework(FRAMEWORK), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["基础数据"]
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        if code == "unit":
            row[5].value = "甲市政务服务中心"
        elif code == "year":
            row[5].value = year
        elif code in override:
            row[5].value = override[code]
        elif code in example.facts:
            fact = example.facts[code]
            row[5].value = fact.value if isinstance(fact.value, int | float) else str(fact.value)
            row[6].value = fact.evidence
    wb.save(path)
    return path


def synthetic_records(out_dir: Path, year: int = 2023, seed: int = 3) -> list[Path]:
    """Small synthetic service records (the records area's generator), one file per table."""
    from jixiao.records.synth import synthesize

    summary = synthesize(out_dir, cases=600, tickets=200, ratings=200, seed=seed, year=year)
    return sorted(summary.files.values())


def small_evaluation(score: float = 85.0) -> Any:
    """A tiny evaluation made in code, for pages that only display one."""
    from jixiao.engine.result import (
        ChecklistPoint,
        Evaluation,
        FrameworkInfo,
        LeafResult,
        NodeResult,
        RuleInfo,
        Total,
        grade_for,
    )

    leaf = LeafResult(
        code="1.1",
        name="目标设定",
        level=2,
        weight=100,
        max=100,
        score=score,
        status="scored",
        value=score,
        value_display=f"{score}%",
        unit="%",
        target=100,
        direction="higher",
        rule=RuleInfo(type="ratio", description="按完成比例得分"),
        reason=f"完成率 {score}%，得 {score} 分",
        checklist=[ChecklistPoint(id="a", text="是否设定绩效目标", share=1.0)],
    )
    node = NodeResult(
        code="1", name="决策", level=1, weight=100, score=score, complete=True, children=[leaf]
    )
    return Evaluation(
        jixiao_version="test",
        generated_at="2024-03-01T10:00:00+08:00",
        framework=FrameworkInfo(
            id="test-dept", name="测试指标体系", kind="dept", region="测试", years=[2023]
        ),
        year=2023,
        total=Total(score=score, grade=grade_for(score), complete=True),
        tree=[node],
        facts=[],
    )
