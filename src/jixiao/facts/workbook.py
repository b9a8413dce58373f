"""The layout of the fill-in workbook, shared by the template writer and the reader.

Kept in one place so that what ``write_template`` writes is exactly what ``read_workbook``
expects: sheet names, header texts, the reserved rows and the answer words.
"""

from __future__ import annotations

import unicodedata

FACTS_SHEET = "基础数据"
DECLARED_SHEET = "自报指标"
INFO_SHEET = "说明"

# 基础数据: one row per fact.
COL_NAME = "代码"
COL_LABEL = "项目"
COL_UNIT = "单位"
COL_TYPE = "类型"
COL_EXAMPLE = "示例"
COL_VALUE = "填报值"
COL_EVIDENCE = "佐证材料或说明"
COL_USED_BY = "用于指标"
FACT_HEADERS = [
    COL_NAME,
    COL_LABEL,
    COL_UNIT,
    COL_TYPE,
    COL_EXAMPLE,
    COL_VALUE,
    COL_EVIDENCE,
    COL_USED_BY,
]

ROW_UNIT = "unit"
ROW_YEAR = "year"

# 自报指标: one row per declared indicator.
D_SLOT = "所属指标代码"
D_SLOT_NAME = "所属指标"
D_LEVEL2 = "二级指标"
D_NAME = "指标名称"
D_WEIGHT = "分值"
D_UNIT = "单位"
D_KIND = "性质"
D_DIRECTION = "方向"
D_TARGET = "年度指标值"
D_ACTUAL = "实际完成值"
D_ACHIEVEMENT = "达成程度（定性，0–1）"
D_JUSTIFICATION = "评分理由（定性必填）"
D_KPI = "数据来源KPI"
D_EVIDENCE = "佐证材料"
DECLARED_HEADERS = [
    D_SLOT,
    D_SLOT_NAME,
    D_LEVEL2,
    D_NAME,
    D_WEIGHT,
    D_UNIT,
    D_KIND,
    D_DIRECTION,
    D_TARGET,
    D_ACTUAL,
    D_ACHIEVEMENT,
    D_JUSTIFICATION,
    D_KPI,
    D_EVIDENCE,
]

INFO_FRAMEWORK = "指标体系代码"

TYPE_TEXT = {
    "number": "数值",
    "count": "数量（整数）",
    "money": "金额",
    "percent": "百分比（填 0–100）",
    "answer": "是/部分/否",
    "text": "文字",
}
NUMERIC_TYPE_TEXTS = {TYPE_TEXT[t] for t in ("number", "count", "money", "percent")}
ANSWER_LIST = "是,部分,否"
KIND_TEXT = {"quantitative": "定量", "qualitative": "定性"}
DIRECTION_TEXT = {"higher": "越高越好", "lower": "越低越好", "equal": "等于目标"}


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
