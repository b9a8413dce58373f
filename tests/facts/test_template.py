"""Template round trip: write the workbook, fill it like a user would, load it, evaluate."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from jixiao.engine.evaluate import evaluate
from jixiao.errors import JixiaoError
from jixiao.examples import example_path
from jixiao.facts import workbook as W
from jixiao.facts.load import load_facts
from jixiao.facts.template import write_template
from jixiao.frameworks import load_framework


def _fill_from_example(path: Path, example: str) -> dict[str, str]:
    """Fill the template's value cells from a bundled example; return fact name -> cell."""
    facts = load_facts(example_path(example))
    wb = openpyxl.load_workbook(path)
    ws = wb[W.FACTS_SHEET]
    head = {c.value: c.column for c in ws[1]}
    cells: dict[str, str] = {}
    for r in range(2, ws.max_row + 1):
        name = ws.cell(r, head[W.COL_NAME]).value
        target = ws.cell(r, head[W.COL_VALUE])
        if name == W.ROW_UNIT:
            target.value = facts.unit
        elif name == W.ROW_YEAR:
            target.value = facts.year
        elif name in facts.facts:
            f = facts.facts[name]
            v = f.value
            target.value = {"yes": "是", "partly": "部分", "no": "否"}.get(str(v), v)
            ws.cell(r, head[W.COL_EVIDENCE]).value = f.evidence
            cells[name] = target.coordinate
    wb.save(path)
    return cells


def test_template_layout(tmp_path: Path) -> None:
    fw = load_framework("hunan-dept-2021")
    out = write_template(fw, tmp_path / "facts.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb[W.FACTS_SHEET]
    assert [c.value for c in ws[1]] == W.FACT_HEADERS
    assert ws.freeze_panes == "A2"
    names = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    for fact in fw.facts:
        assert fact in names
    assert "1.1.1.a" in names and "4.1.1.score" in names and "4.1.1.justification" in names
    # Checklist rows carry a 是/部分/否 list validation on the value column.
    ranges = " ".join(str(dv.sqref) for dv in ws.data_validations.dataValidation)
    row = names.index("1.1.1.a") + 2
    assert f"F{row}" in ranges
    assert any(dv.formula1 == '"是,部分,否"' for dv in ws.data_validations.dataValidation)
    # Column widths count CJK characters double: the label column is wider than its text length.
    assert ws.column_dimensions["B"].width >= 20
    assert wb[W.INFO_SHEET]["B1"].value == "hunan-dept-2021"


def test_round_trip_reproduces_the_example_with_cell_traces(tmp_path: Path) -> None:
    fw = load_framework("hunan-dept-2021")
    path = write_template(fw, tmp_path / "facts.xlsx")
    cells = _fill_from_example(path, "hunan-001")
    facts = load_facts(path)
    assert facts.framework == "hunan-dept-2021" and facts.year == 2021
    ev = evaluate(fw, facts)
    assert ev.total.score == pytest.approx(94) and ev.total.grade == "优"
    leaf = next(lf for lf in ev.leaves() if lf.code == "1.2.1")
    src = {i.fact: i.source for i in leaf.inputs}["staff_in_post"]
    assert src.kind == "file" and src.sheet == W.FACTS_SHEET
    assert src.cell == cells["staff_in_post"]
    assert src.file == str(path)


def test_empty_template_reports_cells_to_fill(tmp_path: Path) -> None:
    fw = load_framework("hunan-dept-2021")
    path = write_template(fw, tmp_path / "facts.xlsx")
    facts = load_facts(path)
    ev = evaluate(fw, facts, 2021)
    assert not ev.total.complete
    leaf = next(lf for lf in ev.leaves() if lf.code == "1.2.1")
    assert leaf.status == "missing" and set(leaf.missing) == {"staff_in_post", "authorised_posts"}
    assert facts.facts["authorised_posts"].source.cell is not None


def test_declared_sheet_round_trip_with_percent_cells(tmp_path: Path) -> None:
    fw = load_framework("guangdong-dept-2023")
    path = write_template(fw, tmp_path / "gd.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[W.DECLARED_SHEET]
    head = {c.value: c.column for c in ws[1]}
    assert ws.freeze_panes == "A2"
    kpis = [ws.cell(r, head[W.D_KPI]).value for r in range(2, 7)]
    assert "case_completion_rate" in kpis
    ws.cell(2, head[W.D_ACTUAL]).value = 99.5
    ws.cell(3, head[W.D_ACTUAL]).value = 0.995  # typed as 99.5 % in a percent-formatted cell
    ws.cell(3, head[W.D_ACTUAL]).number_format = "0.00%"
    ws.cell(4, head[W.D_ACTUAL]).value = "很高"
    wb.save(path)
    with pytest.raises(JixiaoError) as info:
        load_facts(path)
    assert "工作表「自报指标」" in str(info.value) and "J4" in str(info.value)
    assert "实际完成值应为数字，填写的是文字“很高”" in str(info.value)
    ws.cell(4, head[W.D_ACTUAL]).value = None
    wb.save(path)
    facts = load_facts(path)
    by_name = {d.name: d for d in facts.declared}
    assert by_name["政务服务事项进驻率"].actual == pytest.approx(99.5)
    assert by_name["办件办结率"].actual == pytest.approx(99.5)
    assert by_name["办件办结率"].source.cell == "J3"
    assert by_name["办件办结率"].kpi == "case_completion_rate"
    assert sum(d.weight for d in facts.declared) == pytest.approx(15)


def test_display_width_counts_cjk_double() -> None:
    assert W.display_width("在职人数") == 8
    assert W.display_width("staff") == 5
    assert W.display_width("编制数（人）") == 12


def test_mof_template_has_declared_sheet_with_lists(tmp_path: Path) -> None:
    path = write_template(load_framework("mof-project-2020"), tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[W.DECLARED_SHEET]
    assert [c.value for c in ws[1]] == W.DECLARED_HEADERS
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"2,3,4"' in lists and '"定量,定性"' in lists


def test_declared_target_trace_names_the_target_cell(tmp_path: Path) -> None:
    fw = load_framework("guangdong-dept-2023")
    path = write_template(fw, tmp_path / "gd.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[W.DECLARED_SHEET]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(2, head[W.D_TARGET]).value = 100
    ws.cell(2, head[W.D_ACTUAL]).value = 98
    wb.save(path)
    facts = load_facts(path)
    ev = evaluate(fw, facts, 2023)
    leaf = next(lf for lf in ev.leaves() if lf.name == ws.cell(2, head[W.D_NAME]).value)
    src = {i.fact.rsplit(":", 1)[-1]: i.source for i in leaf.inputs}
    target_cell = openpyxl.utils.get_column_letter(head[W.D_TARGET]) + "2"
    actual_cell = openpyxl.utils.get_column_letter(head[W.D_ACTUAL]) + "2"
    assert src["target"].sheet == W.DECLARED_SHEET and src["target"].cell == target_cell == "I2"
    actual = next(i for i in leaf.inputs if not i.fact.endswith(":target"))
    assert actual.value == 98 and actual.source.cell == actual_cell == "J2"


@pytest.mark.parametrize("framework", ["hunan-dept-2021", "guangdong-dept-2023"])
def test_prior_year_facts_are_optional_rows(tmp_path: Path, framework: str) -> None:
    fw = load_framework(framework)
    path = write_template(fw, tmp_path / "facts.xlsx")
    ws = openpyxl.load_workbook(path)[W.FACTS_SHEET]
    head = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    # Every prior-year figure the report looks up is asked for, marked 选填.
    for name in ("income_total_prev", "expenditure_basic_prev", "expenditure_project_prev"):
        assert name in rows, name
        label = ws.cell(rows[name], head[W.COL_LABEL]).value
        assert "（选填）" in label and "与上年比较" in label
        assert "选填" in ws.cell(rows[name], head[W.COL_USED_BY]).value
    report_reads = ("carryover_end_prev", "sangong_budget_prev")
    assert all(n in rows for n in report_reads)


def test_prior_year_facts_left_empty_keep_the_evaluation_complete(tmp_path: Path) -> None:
    fw = load_framework("hunan-dept-2021")
    path = write_template(fw, tmp_path / "facts.xlsx")
    _fill_from_example(path, "hunan-001")
    facts = load_facts(path)
    assert facts.facts["income_total_prev"].value is None
    assert facts.facts["income_total_prev"].label == "上年收入合计"
    ev = evaluate(fw, facts)
    assert ev.total.complete and ev.total.score == pytest.approx(94)
    assert not [p for p in ev.problems if p.code == "unused_facts"]
    # Filled, the figure reaches the evaluation's facts (which the report reads).
    wb = openpyxl.load_workbook(path)
    ws = wb[W.FACTS_SHEET]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "income_total_prev")
    ws.cell(row, W.FACT_HEADERS.index(W.COL_VALUE) + 1).value = 900.5
    wb.save(path)
    ev = evaluate(fw, load_facts(path))
    assert {f.fact: f.value for f in ev.facts}["income_total_prev"] == pytest.approx(900.5)


def test_declared_row_under_an_unknown_slot_names_its_row(tmp_path: Path) -> None:
    fw = load_framework("guangdong-dept-2023")
    path = write_template(fw, tmp_path / "gd.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[W.DECLARED_SHEET]
    head = {c.value: c.column for c in ws[1]}
    row = ws.max_row + 1
    ws.cell(row, head[W.D_SLOT]).value = "5"
    ws.cell(row, head[W.D_NAME]).value = "幽灵指标"
    ws.cell(row, head[W.D_WEIGHT]).value = 5
    wb.save(path)
    with pytest.raises(JixiaoError) as info:
        evaluate(fw, load_facts(path), 2023)
    text = str(info.value)
    assert f"工作表「自报指标」 第 {row} 行" in text
    assert "自报指标「幽灵指标」的所属指标代码 5 不是本指标体系可自报的指标（可用：4.1）" in text


def test_formula_without_saved_result_is_an_error_not_empty(tmp_path: Path) -> None:
    fw = load_framework("hunan-dept-2021")
    path = write_template(fw, tmp_path / "facts.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[W.FACTS_SHEET]
    col = W.FACT_HEADERS.index(W.COL_VALUE) + 1
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["expenditure_basic"], col).value = 900
    ws.cell(rows["expenditure_project"], col).value = 100
    cell = ws.cell(rows["expenditure_total"], col)
    basic = ws.cell(rows["expenditure_basic"], col).coordinate
    project = ws.cell(rows["expenditure_project"], col).coordinate
    cell.value = f"={basic}+{project}"  # openpyxl saves no cached result, like any program
    wb.save(path)
    with pytest.raises(JixiaoError) as info:
        load_facts(path)
    text = str(info.value)
    assert f"单元格 {cell.coordinate}" in text
    assert "是公式" in text and "没有计算结果" in text and "打开并保存" in text
