"""``render_report``: one evaluation → 自评报告.docx, 自评报告.pdf, 评分表.xlsx, 数据表.xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jixiao.engine.result import Evaluation
from jixiao.kpis.result import KpiReport
from jixiao.reports.build import build_report
from jixiao.reports.docx_render import render_docx
from jixiao.reports.inputs import Narrative, UnitInfo
from jixiao.reports.model import Report
from jixiao.reports.xlsx_render import write_data_table, write_score_table

REPORT_DOCX = "自评报告.docx"
REPORT_PDF = "自评报告.pdf"
SCORE_XLSX = "评分表.xlsx"
DATA_XLSX = "数据表.xlsx"


@dataclass(frozen=True)
class ReportFiles:
    docx: Path
    pdf: Path | None
    score_table: Path
    data_table: Path

    def all(self) -> list[Path]:
        return [p for p in (self.docx, self.pdf, self.score_table, self.data_table) if p]


def render_report(
    evaluation: Evaluation,
    unit: UnitInfo,
    narrative: Narrative | None = None,
    kpis: KpiReport | None = None,
    out_dir: str | Path = "report-out",
    pdf: bool = True,
) -> ReportFiles:
    """Write the four files of one unit's self-evaluation into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = build_report(evaluation, unit, narrative, kpis)
    return write_all(report, out, pdf=pdf)


def write_all(report: Report, out: Path, pdf: bool = True) -> ReportFiles:
    docx_path = render_docx(report, out / REPORT_DOCX)
    pdf_path = None
    if pdf:
        from jixiao.reports.pdf_render import render_pdf

        pdf_path = render_pdf(report, out / REPORT_PDF)
    return ReportFiles(
        docx=docx_path,
        pdf=pdf_path,
        score_table=write_score_table(report.score_table, out / SCORE_XLSX),
        data_table=write_data_table(report, out / DATA_XLSX),
    )
