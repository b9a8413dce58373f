"""Small export files built in code, as a centre's systems write them."""

from __future__ import annotations

from pathlib import Path

import pytest

ITEMS_CSV = """事项编码,事项名称,实施部门,大厅,法定时限,承诺时限,可网办,即办件
SX1,营业执照设立登记,市场监督管理局,市民服务中心,20个工作日,5,是,否
SX2,户籍证明,公安局,市民服务中心,5,0,是,是
"""

# Row numbers (header = row 1) are what the quarantine file must report.
CASES_ROWS = [
    "办件编号,事项编码,申办渠道,受理时间,办结时间,办理结果,到现场次数",
    "B1,SX1,窗口,2023-09-28 09:12:00,2023/10/7 9:12,通过,1",  # 2 good, deadline over 国庆
    "B2,SX1,网上,2023年5月6日 9时12分,2023-05-08T01:00:00Z,准予许可,0",  # 3 good, UTC → +8
    "B3,SX9,窗口,2023-05-06 09:12:00,,,1",  # 4 unknown item
    "B4,SX1,窗口,2023-13-06 09:12:00,,,1",  # 5 unparseable date
    "B5,SX1,窗口,2023-05-06 09:12:00,2023-05-05 09:00:00,通过,1",  # 6 completed before accepted
    "B6,SX1,飞鸽,2023-05-06 09:12:00,,,1",  # 7 bad channel
    "B7,SX2,窗口,2023-05-06 09:12:00,,,-1",  # 8 negative visits
    "B1,SX1,窗口,2023-09-28 09:12:00,2023/10/7 9:12,通过,1",  # 9 identical duplicate
    "B2,SX1,窗口,2023-05-06 09:12:00,,,1",  # 10 same id, different content
    ",SX1,窗口,2023-05-06 09:12:00,,,1",  # 11 missing id
    "B8,SX1,窗口,2023-05-06 09:12:00,,,1,多余",  # 12 one field too many
    "B9,SX2,窗口,2023-04-23 10:00:00,2023-04-23 10:30:00,通过,2",  # 13 good (调休 Sunday)
]
EXPECTED_SET_ASIDE = {
    4: "事项编码不在事项目录中",
    5: "受理时间无法识别为日期时间",
    6: "办结时间早于受理时间",
    7: "申办渠道取值无法识别",
    8: "到现场次数为负数",
    10: "编号重复但内容不同（与第 3 行不同：申办渠道、办结时间、办理结果、到现场次数）",
    11: "缺少办件编号",
    12: "该行的列数与表头不符",
}


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    """事项.csv in UTF-8 with BOM and 办件.csv in GB18030, as many Chinese systems write."""
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "事项.csv").write_bytes(ITEMS_CSV.encode("utf-8-sig"))
    (folder / "办件.csv").write_bytes(("\r\n".join(CASES_ROWS) + "\r\n").encode("gb18030"))
    return folder


@pytest.fixture
def expected_set_aside() -> dict[int, str]:
    """Row number → reason for the bad rows of 办件.csv in :func:`export_dir`."""
    return dict(EXPECTED_SET_ASIDE)
