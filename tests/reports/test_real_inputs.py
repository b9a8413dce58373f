"""The report from the real engine (bundled examples), the real KPI engine (synthetic records)
and the real auditor: no error finding, no placeholder, every number from the inputs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import make_narrative
from reading import PLACEHOLDER, allowed_numbers, docx_text, stray_numbers

from jixiao.audit import audit_file, audit_text
from jixiao.engine.evaluate import evaluate
from jixiao.engine.result import Evaluation
from jixiao.examples import example_path
from jixiao.facts.load import load_facts
from jixiao.frameworks import load_framework
from jixiao.kpis.result import KpiReport
from jixiao.reports.build import build_report
from jixiao.reports.inputs import Notice, UnitInfo
from jixiao.reports.render import render_report


def real_evaluation(name: str) -> Evaluation:
    facts = load_facts(example_path(name))
    return evaluate(load_framework(facts.framework or ""), facts)


def unit_for(ev: Evaluation, project: str | None = None) -> UnitInfo:
    y = ev.year
    return UnitInfo(
        name=ev.unit or "示例政务服务中心",
        self_name="我中心",
        status="公益一类事业单位",
        founded="2002-11",
        sections=["办公室", "政务服务管理股", "电子政务股"],
        section_word="股室",
        project=project,
        notice=Notice(
            title=f"关于开展{y}年度部门整体支出绩效自评工作的通知", number=f"赫财绩〔{y + 1}〕4号"
        ),
        year=y,
        team={"leader": {"name": "张某", "title": "中心主任"}},
        submission_date=dt.date(y + 1, 6, 28),
        signature_date=dt.date(y + 1, 6, 28),
    )


def errors(result: object) -> list[object]:
    return [f for f in result.findings if f.severity == "error"]  # type: ignore[attr-defined]


@pytest.mark.slow
def test_hunan_001_end_to_end(tmp_path: Path) -> None:
    ev = real_evaluation("hunan-001")
    assert ev.total.score == 94
    unit = unit_for(ev)
    files = render_report(ev, unit, make_narrative(), None, out_dir=tmp_path)
    text = docx_text(files.docx)
    assert "自评得分94分（满分100分），等级为“优”" in text
    assert "在职人员控制率为110.00%" in text
    assert "支出合计1077.96万元，其中：基本支出933.10万元" in text
    assert not PLACEHOLDER.search(text)
    assert stray_numbers(text, allowed_numbers(ev, unit, None)) == []
    report = build_report(ev, unit, make_narrative(), None)
    assert errors(audit_text(report.text(), name="自评报告")) == []
    for path in (files.docx, files.pdf):
        assert path is not None
        result = audit_file(path)
        assert errors(result) == [], (path, result.findings)


@pytest.mark.parametrize(
    ("name", "project"), [("mof-project", "政务服务平台运维"), ("guangdong-service-centre", None)]
)
def test_other_bundled_examples_pass_the_auditor(name: str, project: str | None) -> None:
    ev = real_evaluation(name)
    unit = unit_for(ev, project)
    report = build_report(ev, unit, None, None)
    text = report.text()
    assert not PLACEHOLDER.search(text)
    assert stray_numbers(text, allowed_numbers(ev, unit, None)) == []
    assert errors(audit_text(text, name=name)) == []
    if ev.framework.kind == "project":
        assert "一、项目基本情况及自评结论" in text and "绩效指标完成情况" in text
        assert f"{project}项目支出绩效自评报告" in report.title


@pytest.fixture(scope="module")
def real_kpis(tmp_path_factory: pytest.TempPathFactory) -> KpiReport:
    from jixiao.kpis.compute import compute_kpis
    from jixiao.records.importer import import_path
    from jixiao.records.synth import synthesize

    root = tmp_path_factory.mktemp("records")
    synthesize(root / "raw", cases=2000, tickets=1000, ratings=1500, seed=11, year=2021)
    import_path(root / "raw", root / "store.duckdb")
    parts = [
        compute_kpis(root / "store.duckdb", "2021-01-01", "2021-12-31", by=by)
        for by in ((), ("department",), ("month",))
    ]
    return KpiReport(
        start=parts[0].start,
        end=parts[0].end,
        by=["department", "month"],
        backend=parts[0].backend,
        results=[v for p in parts for v in p.results],
        queries=parts[0].queries,
    )


@pytest.mark.slow
def test_service_figures_from_the_real_kpi_engine(real_kpis: KpiReport) -> None:
    ev = real_evaluation("hunan-001")
    unit = unit_for(ev)
    report = build_report(ev, unit, make_narrative(), real_kpis)
    text = report.text()
    centre = {v.kpi: v for v in real_kpis.results if not v.group}
    c = centre["case_completion_rate"]
    expected = (
        f"受理办件{int(c.denominator or 0)}件，办结{int(c.numerator or 0)}件，办结率{c.value:.2f}%"
    )
    assert expected in text
    assert "（二）政务服务情况" in text
    assert any(
        b.caption.endswith("主要服务指标月度走势")
        for b in report.blocks
        if hasattr(b, "caption") and hasattr(b, "png")
    )
    assert stray_numbers(text, allowed_numbers(ev, unit, real_kpis)) == []
    assert errors(audit_text(text, name="自评报告")) == []
    # every KPI figure in the data table carries its query
    kpi_figs = [f for f in report.figures if f.key.startswith("kpi:")]
    assert kpi_figs and all(f.query for f in kpi_figs if f.key.split(":")[1] in real_kpis.queries)
