from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.errors import JixiaoError
from jixiao.reports.inputs import load_narrative, load_unit

GOOD = """\
name: 廉江市人民政府行政服务中心
self_name: 我中心
status: 参公管理公益一类事业单位
rank: 正科级
founded: 2005-11
sections: [秘书股, 投资服务股]
section_word: 股室
notice:
  title: 关于开展2023年度财政专项资金支出自我绩效评价的通知
  number: 廉财绩〔2024〕4号
year: 2023
team:
  leader: {name: 张某, title: 中心主任}
submission_date: 2024-09-10
"""


def test_good_unit(tmp_path: Path) -> None:
    p = tmp_path / "unit.yaml"
    p.write_text(GOOD, encoding="utf-8")
    u = load_unit(p)
    assert u.year == 2023 and u.notice.number == "廉财绩〔2024〕4号"
    assert u.submission_date is not None and u.submission_date.day == 10


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("year: 2023", "year: 二〇二三"), "字段 year（评价年度）：应为整数"),
        (("submission_date: 2024-09-10", "submission_date: 2024-13-40"), "不是有效日期"),
        (("name: 廉江市人民政府行政服务中心\n", ""), "字段 name（单位全称）：缺少此项"),
        (("section_word: 股室", "section_wrod: 股室"), "字段 section_wrod：不认识的字段"),
        (("founded: 2005-11", "founded: 十一月"), "成立时间请写成"),
    ],
)
def test_bad_unit_is_a_chinese_error_naming_file_and_field(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    p = tmp_path / "unit.yaml"
    p.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(JixiaoError) as exc:
        load_unit(p)
    text = str(exc.value)
    assert str(p) in text and "单位信息文件有误" in text
    assert expected in text


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "unit.yaml"
    p.write_text("name: 甲\nsections: [a, b\nyear: 2023\n", encoding="utf-8")
    with pytest.raises(JixiaoError) as exc:
        load_unit(p)
    assert "不是有效的 YAML" in str(exc.value) and "第" in str(exc.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(JixiaoError, match="找不到单位信息文件"):
        load_unit(tmp_path / "nope.yaml")


def test_narrative_accepts_one_paragraph_for_a_list(tmp_path: Path) -> None:
    p = tmp_path / "narrative.yaml"
    p.write_text("problems: 预算编制不够细化。\nother: 无\n", encoding="utf-8")
    n = load_narrative(p)
    assert n.problems == ["预算编制不够细化。"] and n.other == "无"
    p.write_text("problem: 拼错了\n", encoding="utf-8")
    with pytest.raises(JixiaoError, match="报告文字文件有误"):
        load_narrative(p)
