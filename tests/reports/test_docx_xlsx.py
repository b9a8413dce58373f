"""Open every file written from a code-built evaluation: docx, both workbooks."""

from __future__ import annotations

import pytest
from builders import FACTS, make_evaluation, make_kpis, make_narrative, make_unit
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook
from reading import PLACEHOLDER, allowed_numbers, docx_text, stray_numbers

from jixiao.reports.build import build_report
from jixiao.reports.render import ReportFiles, render_report
from jixiao.reports.xlsx_render import display_width


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    out = tmp_path_factory.mktemp("report")
    return render_report(
        make_evaluation(), make_unit(), make_narrative(), make_kpis(), out_dir=out, pdf=False
    )


def test_all_files_written(files: ReportFiles) -> None:
    assert files.docx.name == "自评报告.docx" and files.docx.stat().st_size > 10_000
    assert files.score_table.name == "评分表.xlsx" and files.data_table.name == "数据表.xlsx"


def test_docx_headings_numbered_and_figures_present(files: ReportFiles) -> None:
    doc = Document(str(files.docx))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1[:3] == ["一、单位基本情况", "二、自评工作情况", "三、绩效自评情况"]
    assert h1[-3:] == ["七、存在问题", "八、改进措施", "九、其他需要说明的情况"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert "（一）机构设置及人员情况" in h2 and "（五）部门整体收支情况" in h2
    text = docx_text(files.docx)
    assert "收入合计933.09万元，较上年增加244.08万元，增长35.42%" in text
    assert "项目支出144.86万元，较上年减少21.21万元，下降12.77%" in text
    assert "受理办件177321件，办结176544件，办结率99.56%" in text
    assert "自评得分94分（满分100分），等级为“优”" in text
    assert "核定编制10人" in text and "在职人员控制率为110.00%" in text
    assert "《关于开展2023年度部门整体支出绩效自评工作的通知》（赫财绩〔2024〕4号）" in text
    assert "2024年6月28日" in text
    # the sample-001 score table's layout, in the attachment
    assert doc.tables[-1].rows[0].cells[0].text == "一级指标"


def test_docx_page_setup_and_official_fonts(files: ReportFiles) -> None:
    doc = Document(str(files.docx))
    sec = doc.sections[0]
    # stored in twips, so compare in whole millimetres
    mm = [
        round(x.mm)
        for x in (
            sec.page_width,
            sec.page_height,
            sec.top_margin,
            sec.bottom_margin,
            sec.left_margin,
            sec.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]

    def east_asia(el: object) -> str | None:
        rfonts = el.find(qn("w:rPr")).find(qn("w:rFonts"))  # type: ignore[attr-defined]
        return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None

    styles = doc.styles
    assert east_asia(styles["Normal"].element) == "仿宋"
    assert east_asia(styles["Heading 1"].element) == "黑体"
    assert east_asia(styles["Heading 2"].element) == "楷体"
    assert east_asia(styles["Title"].element) == "方正小标宋简体"
    assert styles["Normal"].font.size == Pt(16) and styles["Title"].font.size == Pt(22)
    assert styles["Heading 1"].font.size == Pt(16)
    # theme fonts would override the East Asian font: none may remain on the styles used
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        rf = styles[name].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert rf.get(qn("w:eastAsiaTheme")) is None and rf.get(qn("w:asciiTheme")) is None
    # and every run with Chinese text carries its own eastAsia font
    body_runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert body_runs and all(east_asia(r._r) for r in body_runs)
    title_run = doc.paragraphs[0].runs[0]
    assert east_asia(title_run._r) == "方正小标宋简体"


def test_docx_page_number_field_in_footer(files: ReportFiles) -> None:
    doc = Document(str(files.docx))
    xml = doc.sections[0].footer._element.xml
    assert "PAGE" in xml and "fldChar" in xml


def test_todo_and_draft_markers_are_highlighted(files: ReportFiles) -> None:
    doc = Document(str(files.docx))
    marked = [r for p in doc.paragraphs for r in p.runs if r.text.startswith("【")]
    assert any(r.text.startswith("【待填写：") for r in marked)
    assert any(r.text == "【系统草拟，请核实】" for r in marked)
    assert all(r.font.highlight_color is not None for r in marked)


def test_no_placeholder_survives(files: ReportFiles) -> None:
    text = docx_text(files.docx)
    assert not PLACEHOLDER.search(text), PLACEHOLDER.search(text)
    for path in (files.score_table, files.data_table):
        wb = load_workbook(path)
        for ws in wb:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    assert v is None or not PLACEHOLDER.search(str(v)), v


def test_every_number_in_the_docx_comes_from_the_inputs(files: ReportFiles) -> None:
    ev, unit, kpis = make_evaluation(), make_unit(), make_kpis()
    text = docx_text(files.docx)
    stray = stray_numbers(text, allowed_numbers(ev, unit, kpis))
    assert stray == []


def test_the_number_walk_catches_a_wrong_figure() -> None:
    ev, unit, kpis = make_evaluation(), make_unit(), make_kpis()
    ok = allowed_numbers(ev, unit, kpis)
    assert stray_numbers("收入合计933.09万元，增长35.42%", ok) == []
    assert stray_numbers("收入合计933.10万元，增长35.43%", ok) == ["933.10", "35.43"]


def test_score_table_layout(files: ReportFiles) -> None:
    ws = load_workbook(files.score_table)["评分表"]
    assert [ws.cell(2, c).value for c in range(1, 8)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "自评分",
        "指标解释",
        "指标说明",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # 投入 spans its 5 leaves; 目标设定 its 2; 过程 its 15
    assert "A3:A7" in merged and "B3:B4" in merged and "A8:A22" in merged
    assert ws["A3"].value == "投入（20分）" and ws["B5"].value == "预算配置（15分）"
    assert ws["C5"].value == "在职人员控制率（5分）" and ws["D5"].value == 5 and ws["E5"].value == 4
    leaves = list(range(3, 3 + 28))
    assert sum(ws.cell(r, 4).value for r in leaves) == 100
    assert sum(ws.cell(r, 5).value for r in leaves) == 94
    total = 3 + 28
    assert ws.cell(total, 1).value == "总分" and ws.cell(total, 5).value == 94
    assert ws.cell(total, 6).value == "等级：优"
    assert f"A{total}:C{total}" in merged
    assert ws.freeze_panes == "A3"


def test_score_table_widths_count_chinese_as_double(files: ReportFiles) -> None:
    ws = load_workbook(files.score_table)["评分表"]
    # column C holds "社会公众或服务对象满意度（5分）" (17 wide chars + 1 digit): capped at 18+2
    assert ws.column_dimensions["C"].width == 20
    assert ws.column_dimensions["F"].width >= 30
    assert ws["F5"].alignment.wrap_text
    assert display_width("办结率99.56%") == 6 + 6


def test_data_table_lists_every_printed_figure_with_source(files: ReportFiles) -> None:
    report = build_report(make_evaluation(), make_unit(), make_narrative(), make_kpis())
    ws = load_workbook(files.data_table)["数据表"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["序号", "数据项", "报告中的表述", "数值", "单位", "来源"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.figures)
    by_label = {r[1]: r for r in rows}
    income = by_label["收入合计"]
    assert income[2] == "933.09万元" and income[3] == FACTS["income_total"]
    assert "facts.xlsx" in income[5] and "单元格 D4" in income[5]
    rate = by_label["收入合计较上年增减幅度"]
    assert rate[6] and "上年收入合计" in rate[6] and "933.09" in rate[7]
    kpi = next(r for r in rows if r[1] == "办结率" and "服务记录指标" in r[5])
    assert (
        kpi[2] == "99.56%" and "分子 = 176544" in kpi[7] and kpi[8].startswith("见「查询」工作表 Q")
    )
    queries = {
        r[0]: r[2]
        for r in load_workbook(files.data_table)["查询"].iter_rows(min_row=2, values_only=True)
    }
    assert queries[kpi[8].split()[-1]].startswith("SELECT")
    text = docx_text(files.docx)
    # every figure listed is printed in the report
    for r in rows:
        assert r[2] in text, r


def test_score_tables_equal_the_evaluation_leaf_by_leaf(files: ReportFiles) -> None:
    leaves = make_evaluation().leaves()
    ws = load_workbook(files.score_table)["评分表"]
    rows = list(ws.iter_rows(min_row=3, max_row=2 + len(leaves), values_only=True))
    for leaf, row in zip(leaves, rows, strict=True):
        assert row[2] == f"{leaf.name}（{leaf.weight:g}分）"
        assert (row[3], row[4]) == (leaf.max, leaf.score)
        assert row[5] == leaf.explanation
    table = Document(str(files.docx)).tables[-1]
    body = table.rows[1 : 1 + len(leaves)]
    for leaf, row in zip(leaves, body, strict=True):
        cells = [c.text for c in row.cells]
        assert cells[2] == f"{leaf.name}（{leaf.weight:g}分）"
        assert (float(cells[3]), float(cells[4])) == (leaf.max, leaf.score)
    total = [c.text for c in table.rows[-1].cells]
    assert total[0] == "总分" and total[3] == "100" and total[4] == "94" and total[5] == "等级：优"
    # merged parents (w:vMerge): 投入 is one cell over the first five rows, 过程 a new one
    first_col = [table.rows[r].cells[0]._tc for r in range(1, 7)]
    assert all(tc is first_col[0] for tc in first_col[:5]) and first_col[5] is not first_col[0]
    assert 'w:vMerge w:val="restart"' in first_col[0].xml
