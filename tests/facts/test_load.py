"""Loading facts from YAML and JSON: values, answers, sources, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.errors import JixiaoError
from jixiao.facts.load import load_facts
from jixiao.facts.model import Answer


def test_yaml_values_answers_and_sources(tmp_path: Path) -> None:
    p = tmp_path / "facts.yaml"
    p.write_text(
        "unit: 示例单位\nyear: 2021\nframework: hunan-dept-2021\nfacts:\n"
        "  staff_in_post: 11\n  authorised_posts: {value: 10, evidence: 编办批复}\n"
        "  1.1.1.a: yes\n  1.1.1.b: {value: 部分, evidence: 说明}\n  1.1.1.c: 否\n"
        "  4.1.1.justification: 理由文字\n",
        encoding="utf-8",
    )
    fs = load_facts(p)
    assert fs.unit == "示例单位" and fs.year == 2021 and fs.framework == "hunan-dept-2021"
    assert fs.facts["staff_in_post"].value == 11.0
    assert fs.facts["authorised_posts"].evidence == "编办批复"
    assert fs.facts["1.1.1.a"].value is Answer.YES
    assert fs.facts["1.1.1.b"].value is Answer.PARTLY
    assert fs.facts["1.1.1.c"].value is Answer.NO
    assert fs.facts["4.1.1.justification"].value == "理由文字"
    src = fs.facts["staff_in_post"].source
    assert src.kind == "file" and src.file == str(p)


def test_json_with_declared(tmp_path: Path) -> None:
    p = tmp_path / "facts.json"
    p.write_text(
        json.dumps(
            {
                "year": 2023,
                "facts": {"budget_total": 100},
                "declared": [{"slot": 2, "level2": "数量指标", "name": "甲", "weight": 50}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    fs = load_facts(p)
    assert fs.declared[0].slot == "2" and fs.declared[0].weight == 50


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("f.yaml", "facts: [1, 2", "不是有效的 YAML"),
        ("f.json", '{"facts": ', "不是有效的 JSON"),
        ("f.yaml", "- 1\n- 2\n", "顶层应为映射"),
        ("f.yaml", "fact: {}\n", "不认识的字段：fact"),
        ("f.yaml", "year: 二〇二一\n", "year 应为年份数字"),
        ("f.yaml", "facts:\n  x: {valeu: 1}\n", "数据项 x 有不认识的字段：valeu"),
        ("f.yaml", "declared:\n  - {slot: '2', name: 甲}\n", "declared 第 1 项（甲）有误"),
        ("f.csv", "a,b\n", "不支持的填报数据格式"),
    ],
)
def test_errors_name_the_file(tmp_path: Path, name: str, content: str, message: str) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(JixiaoError) as info:
        load_facts(p)
    assert message in str(info.value)
    assert name in str(info.value)


def test_missing_file() -> None:
    with pytest.raises(JixiaoError) as info:
        load_facts("/nonexistent/facts.yaml")
    assert "找不到填报数据文件" in str(info.value)


def test_not_an_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "facts.xlsx"
    p.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(JixiaoError) as info:
        load_facts(p)
    assert "无法打开 Excel 文件" in str(info.value)
    assert "不是有效的 Excel 工作簿（.xlsx）" in str(info.value)
    assert "zip" not in str(info.value)


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("f.yaml", "a: [\n", "第 2 行第 1 列附近格式有误"),
        ("f.yaml", "facts:\n  x: 1\n y: 2\n", "第 3 行第 2 列附近格式有误"),
        ("f.json", '{\n  "facts": \n', "第 3 行第 1 列附近格式有误"),
    ],
)
def test_parse_errors_in_chinese_with_line_and_column(
    tmp_path: Path, name: str, content: str, where: str
) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(JixiaoError) as info:
        load_facts(p)
    text = str(info.value)
    assert text.startswith(f"{p}：不是有效的")
    assert where in text
    # The parser's English only after the Chinese explanation, as a hint.
    assert text.index("解析器提示") > text.index(where)


def test_yaml_errors_name_the_line(tmp_path: Path) -> None:
    from jixiao.engine.evaluate import evaluate
    from jixiao.frameworks import load_framework

    p = tmp_path / "facts.yaml"
    p.write_text(
        "year: 2021\nfacts:\n  authorised_posts: 10\n  staff_in_post: -3\n", encoding="utf-8"
    )
    fs = load_facts(p)
    assert fs.facts["staff_in_post"].source.row == 4
    with pytest.raises(JixiaoError) as info:
        evaluate(load_framework("hunan-dept-2021"), fs)
    assert str(info.value).startswith(f"{p} 第 4 行：在职人数（staff_in_post）不能为负数")
