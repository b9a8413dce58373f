"""Reports written by jixiao itself (department and project, .docx and .pdf) audit with no error.

A false error on our own report is the worst kind of false alarm (QA F16: a score table wrapped
by the PDF layout was cut short and its partial sum taken as the total).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jixiao.audit import audit_file

reports = pytest.importorskip("jixiao.reports.render")


def _render(example: str, project: str | None, out: Path) -> list[Path]:
    from jixiao.engine.evaluate import evaluate
    from jixiao.examples import example_path
    from jixiao.facts.load import load_facts
    from jixiao.frameworks import load_framework
    from jixiao.reports.inputs import Notice, UnitInfo

    facts = load_facts(example_path(example))
    ev = evaluate(load_framework(facts.framework or ""), facts)
    y = ev.year
    kind = "项目支出" if project else "部门整体支出"
    unit = UnitInfo(
        name="某县人民政府政务服务中心",
        status="参公管理公益一类事业单位",
        project=project,
        notice=Notice(
            title=f"关于开展{y}年度{kind}绩效自评工作的通知", number=f"某财绩〔{y + 1}〕5号"
        ),
        year=y,
        submission_date=dt.date(y + 1, 3, 28),
    )
    files = reports.render_report(ev, unit, None, None, out_dir=out)
    assert files.docx is not None and files.pdf is not None
    return [files.docx, files.pdf]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("example", "project"), [("mof-project", "政务服务平台运维"), ("hunan-001", None)]
)
def test_generated_report_audits_without_error(
    example: str, project: str | None, tmp_path: Path
) -> None:
    for path in _render(example, project, tmp_path):
        result = audit_file(path)
        assert result.verdict != "unreadable", result.findings
        errors = [(f.code, f.line, f.message) for f in result.findings if f.severity == "error"]
        assert errors == [], (path.name, errors)


@pytest.mark.slow
def test_generated_report_with_prior_year_figures_audits_without_error(tmp_path: Path) -> None:
    """With last year's figures the report writes “较上年增加33.10万元，增长3.68%” after each
    part of the spending; those changes are not parts of the total (QA F26)."""
    from jixiao.engine.evaluate import evaluate
    from jixiao.examples import example_path, example_report_inputs
    from jixiao.facts.load import load_facts
    from jixiao.facts.model import Fact
    from jixiao.frameworks import load_framework
    from jixiao.reports.inputs import load_unit

    facts = load_facts(example_path("hunan-001"))
    for name, value in [
        ("expenditure_basic_prev", 900.0),
        ("expenditure_project_prev", 160.0),
        ("income_total_prev", 880.5),
    ]:
        facts.facts[name] = Fact(name=name, value=value, unit="万元")
    ev = evaluate(load_framework(facts.framework or ""), facts)
    unit_file, _ = example_report_inputs("hunan-001")
    files = reports.render_report(ev, load_unit(unit_file), None, None, out_dir=tmp_path)
    assert files.docx is not None and files.pdf is not None
    import docx

    body = "\n".join(p.text for p in docx.Document(str(files.docx)).paragraphs)
    assert "较上年增加33.10万元" in body  # the phrasing under test is really written
    for path in [files.docx, files.pdf]:
        result = audit_file(path)
        assert result.verdict != "unreadable", result.findings
        errors = [(f.code, f.line, f.message) for f in result.findings if f.severity == "error"]
        assert errors == [], (path.name, errors)
