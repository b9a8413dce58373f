"""Write the fill-in workbook for a framework: every fact it needs, one row each."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.facts import workbook as W
from jixiao.frameworks.model import ChecklistRule, Framework, Leaf, ManualRule

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
BOLD = Font(bold=True)
MAX_WIDTH = 60


def write_template(framework: Framework, path: str | Path) -> Path:
    """Write ``path`` (.xlsx): sheets 基础数据, 自报指标 (if the framework has slots), 说明."""
    out = Path(path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = W.FACTS_SHEET
    _facts_sheet(ws, framework)
    if framework.slots():
        _declared_sheet(wb.create_sheet(W.DECLARED_SHEET), framework)
    _info_sheet(wb.create_sheet(W.INFO_SHEET), framework)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _used_by(framework: Framework) -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for leaf in framework.leaves():
        texts = [leaf.formula or "", leaf.target if isinstance(leaf.target, str) else ""]
        quantity = getattr(leaf.rule, "quantity", None)
        texts.append(quantity or "")
        for name in framework.facts:
            if any(_mentions(t, name) for t in texts):
                used.setdefault(name, []).append(leaf.name)
    return used


def _mentions(text: str, name: str) -> bool:
    from jixiao.engine.formula import parse

    return bool(text) and name in parse(text).names


def _facts_sheet(ws: Worksheet, framework: Framework) -> None:
    ws.append(W.FACT_HEADERS)
    ws.append([W.ROW_UNIT, "单位名称", "", W.TYPE_TEXT["text"], "某某政务服务中心", None, None, ""])
    ws.append(
        [W.ROW_YEAR, "评价年度", "年", W.TYPE_TEXT["count"], framework.years[-1], None, None, ""]
    )
    used = _used_by(framework)
    answer_rows: list[int] = []
    for name, spec in framework.facts.items():
        # The marker goes after the "：" so that the reader's short label stays the plain label.
        note = "（选填）" + (spec.help or "") if spec.optional else spec.help
        used_by = "、".join(used.get(name, [])) or (
            "选填：自评报告中与上年比较，不参与评分" if spec.optional else ""
        )
        ws.append(
            [
                name,
                spec.label + (f"：{note}" if note else ""),
                spec.unit or "",
                W.TYPE_TEXT[spec.type],
                spec.example,
                None,
                None,
                used_by,
            ]
        )
        if spec.type == "answer":
            answer_rows.append(ws.max_row)
    for leaf in framework.leaves():
        if isinstance(leaf.rule, ChecklistRule):
            for i, p in enumerate(leaf.rule.points, start=1):
                ws.append(
                    [
                        f"{leaf.code}.{p.id}",
                        f"{leaf.name}：{_circled(i)}{p.text}",
                        "",
                        W.TYPE_TEXT["answer"],
                        "是",
                        None,
                        None,
                        f"{leaf.code} {leaf.name}（{leaf.weight:g}分）",
                    ]
                )
                answer_rows.append(ws.max_row)
        elif isinstance(leaf.rule, ManualRule):
            _manual_rows(ws, leaf)
    value_col = W.FACT_HEADERS.index(W.COL_VALUE) + 1
    letter = get_column_letter(value_col)
    if answer_rows:
        dv = DataValidation(type="list", formula1=f'"{W.ANSWER_LIST}"', allow_blank=True)
        dv.error = "请选择 是、部分 或 否"
        dv.errorTitle = "核查结果"
        ws.add_data_validation(dv)
        for r in answer_rows:
            dv.add(f"{letter}{r}")
    for r in range(2, ws.max_row + 1):
        ws.cell(r, value_col).fill = INPUT_FILL
        ws.cell(r, value_col + 1).fill = INPUT_FILL
    _style(ws, len(W.FACT_HEADERS))


def _manual_rows(ws: Worksheet, leaf: Leaf) -> None:
    ws.append(
        [
            f"{leaf.code}.score",
            f"{leaf.name} 自评分（0–{leaf.weight:g}分）",
            "分",
            W.TYPE_TEXT["number"],
            leaf.weight,
            None,
            None,
            f"{leaf.code} {leaf.name}",
        ]
    )
    ws.append(
        [
            f"{leaf.code}.justification",
            f"{leaf.name} 评分理由（必填）",
            "",
            W.TYPE_TEXT["text"],
            "写明依据的事实和数字",
            None,
            None,
            f"{leaf.code} {leaf.name}",
        ]
    )


def _declared_sheet(ws: Worksheet, framework: Framework) -> None:
    ws.append(W.DECLARED_HEADERS)
    for slot in framework.slots():
        for s in slot.suggestions:
            ws.append(
                [
                    slot.code,
                    slot.name,
                    s.level2,
                    s.name,
                    s.weight,
                    s.unit or "",
                    W.KIND_TEXT[s.kind],
                    W.DIRECTION_TEXT[s.direction],
                    s.target,
                    None,
                    None,
                    None,
                    s.kpi or "",
                    None,
                ]
            )
    # Room for the unit's own indicators below the suggestions.
    first_free = ws.max_row + 1
    last = max(first_free + 30, 40)
    col = {h: i + 1 for i, h in enumerate(W.DECLARED_HEADERS)}

    def add_list(header: str, values: list[str]) -> None:
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        ws.add_data_validation(dv)
        letter = get_column_letter(col[header])
        dv.add(f"{letter}2:{letter}{last}")

    add_list(W.D_SLOT, [s.code for s in framework.slots()])
    add_list(W.D_KIND, list(W.KIND_TEXT.values()))
    add_list(W.D_DIRECTION, list(W.DIRECTION_TEXT.values()))
    for r in range(2, last + 1):
        for h in (W.D_TARGET, W.D_ACTUAL, W.D_ACHIEVEMENT, W.D_JUSTIFICATION, W.D_EVIDENCE):
            ws.cell(r, col[h]).fill = INPUT_FILL
    _style(ws, len(W.DECLARED_HEADERS))


def _info_sheet(ws: Worksheet, framework: Framework) -> None:
    rows: list[list[object]] = [
        [W.INFO_FRAMEWORK, framework.id],
        ["指标体系名称", framework.name],
        ["地区", framework.region],
        ["适用年度", framework.years_text()],
        ["依据", framework.notice or ""],
        [],
        [
            "填写方法",
            "在「基础数据」工作表黄色的“填报值”列逐行填写；"
            "金额单位为万元，比率填百分数（如 98.5）。",
        ],
        [
            "",
            "核查要点在“填报值”列选择 是 / 部分 / 否；"
            "答“是”或“部分”须在“佐证材料或说明”列写明依据。",
        ],
        ["", "自评分行填写 0 至该指标分值之间的分数，并在下一行写评分理由。"],
    ]
    if any(spec.optional for spec in framework.facts.values()):
        rows.append(
            [
                "",
                "标“（选填）”的行（上年数据）不参与评分，留空不影响评价；"
                "填写后自评报告会与上年比较增减。",
            ]
        )
    if framework.slots():
        slots = "；".join(f"{s.code} {s.name}（{s.weight:g}分）" for s in framework.slots())
        rows.append(
            [
                "",
                f"「自报指标」工作表填写单位自报的指标：{slots}。同一所属指标下的分值之和须等于其分值。",
            ]
        )
        rows.append(
            [
                "",
                "定量指标填年度指标值和实际完成值；定性指标填达成程度（0–1）和评分理由；"
                "填了“数据来源KPI”的指标可用 jixiao evaluate --records 由服务记录计算实际完成值。",
            ]
        )
    rows.append(["", "填好后运行：jixiao evaluate 本文件.xlsx --framework " + framework.id])
    for a in framework.assumptions:
        rows.append(["假定", a])
    for row in rows:
        ws.append(row)
    for r in range(1, ws.max_row + 1):
        ws.cell(r, 1).font = BOLD
        ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100


def _style(ws: Worksheet, ncols: int) -> None:
    for c in range(1, ncols + 1):
        cell = ws.cell(1, c)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    for c in range(1, ncols + 1):
        widest = max(
            (
                W.display_width(str(ws.cell(r, c).value))
                for r in range(1, ws.max_row + 1)
                if ws.cell(r, c).value is not None
            ),
            default=8,
        )
        ws.column_dimensions[get_column_letter(c)].width = min(max(widest + 2, 10), MAX_WIDTH)
    for r in range(2, ws.max_row + 1):
        for c in range(1, ncols + 1):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")


def _circled(i: int) -> str:
    return chr(0x2460 + i - 1) if 1 <= i <= 20 else f"({i})"
