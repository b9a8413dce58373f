"""The two workbooks: 评分表.xlsx (the official score-table layout, parents merged, total and
grade) and 数据表.xlsx (every figure printed in the report with its source, formula and inputs).

The xlsx format has no autofit, so column widths are computed here, counting a CJK character as
two columns (unicodedata's East Asian width) — Excel measures widths in Latin characters."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.reports.model import Report, ScoreTable

FONT = "宋体"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E2EF")


def display_width(text: str) -> int:
    """Columns a text needs: 2 for wide / full-width characters, 1 otherwise."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def fit_columns(
    ws: Worksheet, max_width: dict[int, int] | None = None, default_max: int = 40
) -> None:
    """Width of each column = its longest line, capped (the cap's cells wrap)."""
    caps = max_width or {}
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            longest = max(display_width(line) for line in str(cell.value).split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for col, w in widths.items():
        cap = caps.get(col, default_max)
        ws.column_dimensions[get_column_letter(col)].width = min(w, cap) + 2


def _row_height(ws: Worksheet, row: int, caps: dict[int, int], font_pt: float = 10.5) -> None:
    """Row height for the wrapped lines (Excel does not grow rows written by openpyxl)."""
    lines = 1
    # Not ws[row]: that scans every cell of the sheet to find the last column, on every row.
    for col in caps:
        cell = ws.cell(row, col)
        if cell.value is None:
            continue
        width = int(ws.column_dimensions[get_column_letter(col)].width or 10) - 1
        n = 0
        for line in str(cell.value).split("\n"):
            n += max(1, -(-display_width(line) // max(width, 1)))
        lines = max(lines, n)
    ws.row_dimensions[row].height = max(18.0, lines * font_pt * 1.45)


def write_score_table(st: ScoreTable, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    cols = ["一级指标", "二级指标", "三级指标", "分值", "自评分", "指标解释", "指标说明"]
    ws.cell(1, 1, st.title).font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    head = 2
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(head, j, c)
        cell.font = Font(name=FONT, size=10.5, bold=True)
        cell.fill = HEADER_FILL
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for i, r in enumerate(st.rows, start=head + 1):
        if r.level1_span:
            ws.cell(i, 1, r.level1)
            if r.level1_span > 1:
                ws.merge_cells(
                    start_row=i, start_column=1, end_row=i + r.level1_span - 1, end_column=1
                )
        if r.depth >= 3 and r.level2_span:
            ws.cell(i, 2, r.level2)
            if r.level2_span > 1:
                ws.merge_cells(
                    start_row=i, start_column=2, end_row=i + r.level2_span - 1, end_column=2
                )
        first = {1: 1, 2: 2, 3: 3}[r.depth]
        ws.cell(i, first, r.level3)
        if first < 3:
            ws.merge_cells(start_row=i, start_column=first, end_row=i, end_column=3)
        ws.cell(i, 4, r.weight)
        ws.cell(i, 5, r.score if r.score is not None else "未评分")
        ws.cell(i, 6, r.explanation or None)
        ws.cell(i, 7, r.note or None)
    total = head + len(st.rows) + 1
    ws.cell(total, 1, "总分")
    ws.merge_cells(start_row=total, start_column=1, end_row=total, end_column=3)
    ws.cell(total, 4, st.total_weight)
    ws.cell(total, 5, st.total_score)
    grade = f"等级：{st.grade}" + ("" if st.complete else "（有指标未评分，总分为暂计数）")
    ws.cell(total, 6, grade)
    ws.merge_cells(start_row=total, start_column=6, end_row=total, end_column=7)
    for row in ws.iter_rows(min_row=head, max_row=total, max_col=len(cols)):
        for cell in row:
            cell.border = BORDER
            if cell.row > head:
                cell.font = Font(name=FONT, size=10.5, bold=cell.row == total)
            cell.alignment = left if cell.column >= 6 and cell.row > head else center
    for i in range(head + 1, total + 1):
        for c in (4, 5):
            ws.cell(i, c).number_format = "0.##"
    caps = {1: 14, 2: 14, 3: 18, 4: 6, 5: 8, 6: 46, 7: 56}
    fit_columns(ws, caps)
    # The title row would otherwise widen column A to the whole title.
    ws.column_dimensions["A"].width = min(caps[1], 14) + 2
    for i in range(head, total + 1):
        _row_height(ws, i, caps)
    ws.freeze_panes = ws.cell(head + 1, 1)
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_data_table(report: Report, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据表"
    cols = [
        "序号",
        "数据项",
        "报告中的表述",
        "数值",
        "单位",
        "来源",
        "计算公式",
        "计算输入",
        "查询",
    ]
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(1, j, c)
        cell.font = Font(name=FONT, size=10.5, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    wrap = Alignment(vertical="top", wrap_text=True)
    wb.add_named_style(
        NamedStyle(
            name="jixiao-body", font=Font(name=FONT, size=10.5), border=BORDER, alignment=wrap
        )
    )
    # A KPI's SQL is long and shared by all its cuts: written once in the 查询 sheet, referred
    # to by number from each row.
    queries: dict[str, tuple[str, str]] = {}
    for f in report.figures:
        if f.query and f.query not in queries:
            kpi = f.key.split(":")[1] if f.key.startswith("kpi:") else f.label
            queries[f.query] = (f"Q{len(queries) + 1}", kpi)
    for i, f in enumerate(report.figures, start=2):
        values = [
            i - 1,
            f.label,
            f.display,
            f.value,
            f.unit,
            f.source,
            f.formula or "",
            "\n".join(f.inputs),
            f"见「查询」工作表 {queries[f.query][0]}" if f.query else "",
        ]
        for j, v in enumerate(values, start=1):
            # One named style per cell instead of three style assignments: hundreds of rows.
            ws.cell(i, j, v if v != "" else None).style = "jixiao-body"
        ws.cell(i, 4).number_format = "0.00##"
    caps = {1: 5, 2: 28, 3: 24, 4: 14, 5: 8, 6: 36, 7: 44, 8: 44, 9: 24}
    fit_columns(ws, caps)
    for i in range(2, len(report.figures) + 2):
        _row_height(ws, i, caps)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(report.figures) + 1}"
    if queries:
        qs = wb.create_sheet("查询")
        qs.append(["编号", "指标", "查询（SQL）"])
        for head in qs[1]:
            head.font = Font(name=FONT, size=10.5, bold=True)
            head.fill = HEADER_FILL
        for text, (qid, kpi) in queries.items():
            qs.append([qid, kpi, text])
        for row in qs.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        fit_columns(qs, {1: 6, 2: 36, 3: 100})
        qs.freeze_panes = "A2"
    info = wb.create_sheet("说明")
    info.append(["报告", report.title])
    info.append(
        ["说明", "本表列出自评报告中出现的每一个数据及其来源；计算所得的数据列出公式和输入。"]
    )
    info.append(["数据项数", len(report.figures)])
    fit_columns(info, {1: 10, 2: 80})
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
