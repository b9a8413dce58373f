"""Read a filled template workbook into a ``FactSet``, recording the cell of every value."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.errors import JixiaoError, Location
from jixiao.facts import workbook as W
from jixiao.facts.model import Answer, DeclaredIndicator, Fact, FactSet, Source

ANSWERS = {
    "是": Answer.YES,
    "部分": Answer.PARTLY,
    "否": Answer.NO,
    "yes": Answer.YES,
    "partly": Answer.PARTLY,
    "no": Answer.NO,
}
KINDS = {v: k for k, v in W.KIND_TEXT.items()} | {
    "quantitative": "quantitative",
    "qualitative": "qualitative",
}
DIRECTIONS = {v: k for k, v in W.DIRECTION_TEXT.items()} | {
    "higher": "higher",
    "lower": "lower",
    "equal": "equal",
    "越高越好": "higher",
    "越低越好": "lower",
    "等于": "equal",
}


class _Errors:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[tuple[str, Location]] = []
        self._formulas: Any = None

    def uncalculated(self, ws: Worksheet, cell: Cell) -> bool:
        """True (and an error) when an empty-looking cell holds a formula with no saved result.

        A workbook written by a program is never calculated, so ``data_only`` reads such a cell
        as empty; the formulas are read (once, only then) to tell it from a blank cell.
        """
        if cell.value is not None:
            return False
        if self._formulas is None:
            self._formulas = load_workbook(self.file, data_only=False)
        raw = self._formulas[ws.title][cell.coordinate].value
        if not (isinstance(raw, str) and raw.startswith("=")):
            return False
        self.add(
            ws.title,
            cell.coordinate,
            f"单元格是公式（{raw}），文件中没有计算结果：请在 Excel/WPS 中打开并保存后再评价",
        )
        return True

    def add(self, sheet: str, cell: str, text: str) -> None:
        self.items.append((text, Location(file=self.file, sheet=sheet, cell=cell)))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        if len(self.items) == 1:
            raise JixiaoError(self.items[0][0], self.items[0][1])
        details = [f"{loc.describe()}：{text}" for text, loc in self.items]
        raise JixiaoError(f"填报表有 {len(details)} 处错误", Location(file=self.file), details)


def read_workbook(path: Path) -> FactSet:
    """Read the template's sheets (基础数据, 自报指标, 说明); raises ``JixiaoError``."""
    file = str(path)
    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile):
        raise JixiaoError(
            "无法打开 Excel 文件：不是有效的 Excel 工作簿（.xlsx），文件可能已损坏，"
            "或是改了扩展名的其他文件（如 .xls、.csv）；请用 Excel 或 WPS 另存为 .xlsx",
            Location(file=file),
        ) from None
    except OSError as exc:
        raise JixiaoError(
            f"无法打开 Excel 文件：读取失败（{exc.strerror or exc}）", Location(file=file)
        ) from None
    if W.FACTS_SHEET not in wb.sheetnames:
        raise JixiaoError(
            f"找不到工作表「{W.FACTS_SHEET}」：请使用 jixiao template 生成的填报表",
            Location(file=file),
        )
    errors = _Errors(file)
    framework = None
    if W.INFO_SHEET in wb.sheetnames:
        for row in wb[W.INFO_SHEET].iter_rows(min_row=1, max_col=2):
            if row[0].value == W.INFO_FRAMEWORK and row[1].value:
                framework = str(row[1].value).strip()
    unit, year, facts = _read_facts(wb[W.FACTS_SHEET], file, errors)
    declared: list[DeclaredIndicator] = []
    if W.DECLARED_SHEET in wb.sheetnames:
        declared = _read_declared(wb[W.DECLARED_SHEET], file, errors)
    errors.raise_if_any()
    return FactSet(
        unit=unit, year=year, framework=framework, facts=facts, declared=declared, origin=file
    )


def _headers(ws: Worksheet, required: list[str], file: str) -> dict[str, int]:
    cols = {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}
    missing = [h for h in required if h not in cols]
    if missing:
        raise JixiaoError(
            f"表头缺少列：{'、'.join(missing)}（请勿修改模板第 1 行）",
            Location(file=file, sheet=ws.title, row=1),
        )
    return {h: int(c) for h, c in cols.items()}


def _text(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _number(cell: Cell) -> float | str | None:
    """A number from a cell: numbers as they are, text with separators parsed, else the text."""
    v = cell.value
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        x = float(v)
        # A cell formatted as a percentage stores 98.5 % as 0.985; facts hold percent points.
        if "%" in (cell.number_format or ""):
            x *= 100
        return x
    s = str(v).strip().replace(",", "").replace("，", "")
    try:
        # Text such as "98.5%" means percent points, the unit facts are kept in.
        return float(s.rstrip("%％"))
    except ValueError:
        return str(v).strip()


def _out_of_range(type_text: str | None, value: float | None) -> str | None:
    """What is wrong with a number for its template type, or None."""
    if value is None:
        return None
    if type_text == W.TYPE_TEXT["count"]:
        if not value.is_integer():
            return f"应为整数，填写的是 {value:g}"
        if value < 0:
            return f"不能为负数，填写的是 {value:g}"
    if type_text == W.TYPE_TEXT["percent"] and not 0 <= value <= 100:
        return f"应为 0–100 之间的百分数，填写的是 {value:g}"
    return None


def _read_facts(
    ws: Worksheet, file: str, errors: _Errors
) -> tuple[str | None, int | None, dict[str, Fact]]:
    cols = _headers(ws, [W.COL_NAME, W.COL_VALUE], file)
    c_name, c_value = cols[W.COL_NAME], cols[W.COL_VALUE]
    c_type, c_label = cols.get(W.COL_TYPE), cols.get(W.COL_LABEL)
    c_unit, c_evidence = cols.get(W.COL_UNIT), cols.get(W.COL_EVIDENCE)
    unit: str | None = None
    year: int | None = None
    facts: dict[str, Fact] = {}
    for r in range(2, ws.max_row + 1):
        name = _text(ws.cell(r, c_name).value)
        if not name:
            continue
        cell = ws.cell(r, c_value)
        label = _text(ws.cell(r, c_label).value) if c_label else None
        short = (label or name).split("：")[0]
        type_text = _text(ws.cell(r, c_type).value) if c_type else None
        if name == W.ROW_UNIT:
            unit = _text(cell.value)
            continue
        if name == W.ROW_YEAR:
            y = _number(cell)
            if isinstance(y, float) and y.is_integer():
                year = int(y)
            elif y is not None:
                errors.add(
                    ws.title, cell.coordinate, f"评价年度应为年份数字，填写的是“{cell.value}”"
                )
            continue
        if errors.uncalculated(ws, cell):
            continue
        value: float | Answer | str | None
        if type_text in W.NUMERIC_TYPE_TEXTS:
            value = _number(cell)
            if isinstance(value, str):
                errors.add(ws.title, cell.coordinate, f"「{short}」应为数字，填写的是文字“{value}”")
                continue
            # Checked here as well as in the engine so that one load reports every bad cell.
            bad = _out_of_range(type_text, value)
            if bad:
                errors.add(ws.title, cell.coordinate, f"{short}（{name}）{bad}")
                continue
        elif type_text == W.TYPE_TEXT["answer"]:
            raw = _text(cell.value)
            if isinstance(cell.value, bool):
                value = Answer.YES if cell.value else Answer.NO
            elif raw is None:
                value = None
            elif raw.lower() in ANSWERS:
                value = ANSWERS[raw.lower()]
            else:
                errors.add(
                    ws.title, cell.coordinate, f"「{short}」应填 是/部分/否，填写的是“{raw}”"
                )
                continue
        elif type_text == W.TYPE_TEXT["text"]:
            value = _text(cell.value)
        else:
            value = _number(cell)
        facts[name] = Fact(
            name=name,
            value=value,
            label=short,
            unit=_text(ws.cell(r, c_unit).value) if c_unit else None,
            evidence=_text(ws.cell(r, c_evidence).value) if c_evidence else None,
            source=Source(kind="file", file=file, sheet=ws.title, cell=cell.coordinate),
            evidence_cell=ws.cell(r, c_evidence).coordinate if c_evidence else None,
        )
    return unit, year, facts


def _read_declared(ws: Worksheet, file: str, errors: _Errors) -> list[DeclaredIndicator]:
    cols = _headers(ws, [W.D_SLOT, W.D_NAME, W.D_WEIGHT], file)
    out: list[DeclaredIndicator] = []

    def cell(r: int, header: str) -> Cell | None:
        c = cols.get(header)
        return ws.cell(r, c) if c else None

    def val(r: int, header: str) -> Any:
        c = cell(r, header)
        return c.value if c is not None else None

    for r in range(2, ws.max_row + 1):
        name = _text(val(r, W.D_NAME))
        if not name:
            continue
        slot_raw = val(r, W.D_SLOT)
        slot = (
            str(int(slot_raw))
            if isinstance(slot_raw, float) and slot_raw.is_integer()
            else _text(slot_raw)
        )
        n_before = len(errors.items)
        if not slot:
            errors.add(
                ws.title, f"{_col(cols, W.D_SLOT)}{r}", f"自报指标「{name}」未填所属指标代码"
            )
        nums: dict[str, float | None] = {}
        for header in (W.D_WEIGHT, W.D_TARGET, W.D_ACTUAL, W.D_ACHIEVEMENT):
            c = cell(r, header)
            if c is None or errors.uncalculated(ws, c):
                nums[header] = None
                continue
            v = _number(c)
            if isinstance(v, str):
                errors.add(
                    ws.title,
                    c.coordinate,
                    f"自报指标「{name}」的{header}应为数字，填写的是文字“{v}”",
                )
                v = None
            nums[header] = v
        if nums[W.D_WEIGHT] is None:
            errors.add(ws.title, f"{_col(cols, W.D_WEIGHT)}{r}", f"自报指标「{name}」未填分值")
        kind_text = _text(val(r, W.D_KIND)) or "定量"
        dir_text = _text(val(r, W.D_DIRECTION)) or "越高越好"
        if kind_text not in KINDS:
            errors.add(
                ws.title,
                f"{_col(cols, W.D_KIND)}{r}",
                f"性质应为 定量 或 定性，填写的是“{kind_text}”",
            )
        if dir_text not in DIRECTIONS:
            errors.add(
                ws.title,
                f"{_col(cols, W.D_DIRECTION)}{r}",
                f"方向应为 越高越好/越低越好/等于目标，填写的是“{dir_text}”",
            )
        if len(errors.items) > n_before:
            continue
        actual_cell = cell(r, W.D_ACTUAL)
        target_cell = cell(r, W.D_TARGET)
        out.append(
            DeclaredIndicator(
                slot=str(slot),
                level2=_text(val(r, W.D_LEVEL2)) or "自报指标",
                name=name,
                weight=float(nums[W.D_WEIGHT] or 0),
                unit=_text(val(r, W.D_UNIT)),
                kind=KINDS[kind_text],  # type: ignore[arg-type]
                direction=DIRECTIONS[dir_text],  # type: ignore[arg-type]
                target=nums[W.D_TARGET],
                actual=nums[W.D_ACTUAL],
                achievement=nums[W.D_ACHIEVEMENT],
                justification=_text(val(r, W.D_JUSTIFICATION)),
                kpi=_text(val(r, W.D_KPI)),
                source=Source(
                    kind="file",
                    file=file,
                    sheet=ws.title,
                    cell=actual_cell.coordinate if actual_cell is not None else f"A{r}",
                    note=_text(val(r, W.D_EVIDENCE)),
                ),
                target_source=Source(
                    kind="file", file=file, sheet=ws.title, cell=target_cell.coordinate
                )
                if target_cell is not None
                else None,
                cells={
                    key: c.coordinate
                    for key, header in (
                        ("target", W.D_TARGET),
                        ("actual", W.D_ACTUAL),
                        ("achievement", W.D_ACHIEVEMENT),
                        ("justification", W.D_JUSTIFICATION),
                    )
                    if (c := cell(r, header)) is not None
                },
            )
        )
    return out


def _col(cols: dict[str, int], header: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(cols.get(header, 1))
