"""``jixiao demo`` runs the whole job end to end and its outputs agree with each other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.audit import audit_file
from jixiao.cli import main
from jixiao.engine.result import Evaluation
from jixiao.kpis.result import KpiReport


@pytest.mark.slow
def test_demo_writes_evaluations_reports_and_clean_audits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo"
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--out", str(out), "--cases", "3000", "--no-pdf"])
    assert exit_info.value.code in (0, None)
    printed = capsys.readouterr().out
    assert "演示完成" in printed

    hunan = Evaluation.from_json((out / "hunan-001" / "evaluation.json").read_text("utf-8"))
    assert hunan.total.score == pytest.approx(94)
    assert hunan.total.grade == "优"

    centre = Evaluation.from_json(
        (out / "guangdong-service-centre" / "evaluation.json").read_text("utf-8")
    )
    kpis = KpiReport.model_validate(json.loads((out / "kpis.json").read_text("utf-8")))
    whole = {v.kpi: v for v in kpis.results if not v.group}
    # Output indicators bound to KPIs carry the value computed from the records, with its trace.
    bound = [leaf for leaf in centre.leaves() if leaf.declared and leaf.kpi]
    assert bound, "the service-centre example binds declared indicators to KPIs"
    for leaf in bound:
        assert leaf.value == pytest.approx(whole[leaf.kpi].value, abs=0.005)
        assert any(i.source.kind == "kpi" and i.source.query for i in leaf.inputs)

    for name in ("hunan-001", "guangdong-service-centre"):
        report = out / name / "report"
        for f in ("自评报告.docx", "评分表.xlsx", "数据表.xlsx"):
            assert (report / f).stat().st_size > 0
        result = audit_file(report / "自评报告.docx")
        assert [f for f in result.findings if f.severity == "error"] == []
