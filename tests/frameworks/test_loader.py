"""Shipped frameworks load and add up; broken framework files fail with the node and the sums."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jixiao.errors import JixiaoError
from jixiao.frameworks import Leaf, list_frameworks, load_framework, shipped_ids
from jixiao.frameworks.loader import _shipped_files

# Fact names fixed for whole-department frameworks (shared contract).
CONTRACT_FACTS = {
    "authorised_posts",
    "staff_in_post",
    "income_total",
    "income_total_prev",
    "carryover_prev",
    "expenditure_basic",
    "expenditure_basic_prev",
    "expenditure_project",
    "expenditure_project_prev",
    "expenditure_total",
    "carryover_end",
    "carryover_end_prev",
    "budget_total",
    "budget_executed",
    "budget_adjustment",
    "payment_progress_actual",
    "payment_progress_planned",
    "priority_budget",
    "public_budget",
    "public_actual",
    "sangong_budget",
    "sangong_budget_prev",
    "sangong_actual",
    "procurement_budget",
    "procurement_actual",
    "fixed_assets_in_use",
    "fixed_assets_total",
    "tasks_planned",
    "tasks_completed",
    "tasks_on_time",
    "tasks_quality",
    "priority_tasks_assigned",
    "priority_tasks_completed",
}


def test_three_frameworks_are_shipped() -> None:
    assert {"hunan-dept-2021", "mof-project-2020", "guangdong-dept-2023"} <= set(shipped_ids())


@pytest.mark.parametrize("fid", shipped_ids())
def test_shipped_framework_adds_up(fid: str) -> None:
    fw = load_framework(fid)
    assert sum(n.weight for n in fw.tree) == pytest.approx(100)
    assert fw.region and fw.years and fw.notice
    for _, node in fw.walk():
        children = getattr(node, "children", None)
        if children:
            assert sum(c.weight for c in children) == pytest.approx(node.weight), node.code


def test_hunan_has_every_leaf_of_sample_001_with_its_weight() -> None:
    fw = load_framework("hunan-dept-2021")
    leaves = {lf.name: lf.weight for lf in fw.leaves()}
    expected = {
        "绩效目标合理性": 2,
        "绩效指标明确性": 3,
        "在职人员控制率": 5,
        "“三公经费”变动率": 5,
        "重点支出安排率": 5,
        "预算执行率": 4,
        "预算调整率": 2,
        "支付进度率": 2,
        "结转结余率": 2,
        "结转结余变动率": 2,
        "公用经费控制率": 2,
        "“三公经费”控制率": 2,
        "政府采购执行率": 4,
        "资金使用合规性": 1,
        "预决算信息公开性": 1,
        "基础信息完善性": 1,
        "资产管理安全性": 2,
        "固定资产利用率": 1,
        "实际完成率": 8,
        "完成及时率": 4,
        "质量达标率": 8,
        "重点工作办结率": 10,
        "经济效益": 5,
        "社会效益": 5,
        "生态效益": 5,
        "社会公众或服务对象满意度": 5,
    }
    for name, weight in expected.items():
        assert leaves.get(name) == weight, name
    assert len(fw.leaves()) == 28  # 管理制度健全性 appears twice (预算管理, 资产管理)
    first = {n.name: n.weight for n in fw.tree}
    assert first == {"投入": 20, "过程": 30, "产出": 30, "效果": 20}


def test_dept_frameworks_use_contract_fact_names() -> None:
    for fid in ("hunan-dept-2021", "guangdong-dept-2023"):
        fw = load_framework(fid)
        for name in ("authorised_posts", "staff_in_post", "income_total", "expenditure_total"):
            assert name in fw.facts, (fid, name)
        for name, spec in fw.facts.items():
            if name in CONTRACT_FACTS:
                assert spec.label, name


def test_kpi_bindings_name_real_kpis() -> None:
    from jixiao.kpis.definitions import load_catalogue

    ids = set(load_catalogue().ids)
    for fw in list_frameworks():
        for kpi in fw.fact_bindings().values():
            assert kpi in ids, (fw.id, kpi)
        for slot in fw.slots():
            for s in slot.suggestions:
                assert s.kpi is None or s.kpi in ids, (fw.id, s.kpi)


def test_guangdong_marks_its_weights_as_assumed() -> None:
    fw = load_framework("guangdong-dept-2023")
    assert all(n.weight_assumed for _, n in fw.walk())
    assert any("假定" in a for a in fw.assumptions)


def test_hunan_assumed_rules_say_so() -> None:
    fw = load_framework("hunan-dept-2021")
    staffing = next(lf for lf in fw.leaves() if lf.name == "在职人员控制率")
    assert staffing.rule.assumed and "样本 001" in (staffing.rule.basis or "")


# --- broken framework files ------------------------------------------------------------------


def _hunan_raw() -> dict:
    return yaml.safe_load(_shipped_files()["hunan-dept-2021"].read_text(encoding="utf-8"))


def _write(tmp_path: Path, raw: dict) -> Path:
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


def test_weights_that_do_not_add_up_name_the_node_and_sums(tmp_path: Path) -> None:
    raw = _hunan_raw()
    raw["tree"][0]["children"][1]["children"][0]["weight"] = 6  # 在职人员控制率 5 → 6
    with pytest.raises(JixiaoError) as info:
        load_framework(_write(tmp_path, raw))
    text = str(info.value)
    assert "bad.yaml" in text
    assert "指标 1.2「预算配置」分值为 15，但下级指标分值之和为 16" in text
    assert "在职人员控制率 6" in text
    assert "一级指标分值之和为 100" not in text


def test_root_not_100(tmp_path: Path) -> None:
    raw = _hunan_raw()
    raw["tree"][3]["weight"] = 25
    raw["tree"][3]["children"][0]["weight"] = 25
    raw["tree"][3]["children"][0]["children"][0]["weight"] = 10
    with pytest.raises(JixiaoError) as info:
        load_framework(_write(tmp_path, raw))
    assert "一级指标分值之和为 105" in str(info.value) and "应为 100" in str(info.value)


def test_unknown_fact_in_formula(tmp_path: Path) -> None:
    raw = _hunan_raw()
    leaf = raw["tree"][0]["children"][1]["children"][0]
    leaf["formula"] = "staff_in_post / posts_typo * 100"
    with pytest.raises(JixiaoError) as info:
        load_framework(_write(tmp_path, raw))
    assert "指标 1.2.1「在职人员控制率」" in str(info.value)
    assert "posts_typo" in str(info.value)


def test_formula_outside_the_language(tmp_path: Path) -> None:
    raw = _hunan_raw()
    leaf = raw["tree"][0]["children"][1]["children"][0]
    leaf["formula"] = "__import__('os').system('echo hacked')"
    with pytest.raises(JixiaoError) as info:
        load_framework(_write(tmp_path, raw))
    assert "1.2.1" in str(info.value) and "无法解析" in str(info.value)


def test_bad_rule_type_and_params(tmp_path: Path) -> None:
    raw = _hunan_raw()
    raw["tree"][0]["children"][1]["children"][0]["rule"] = {"type": "magic"}
    with pytest.raises(JixiaoError) as info:
        load_framework(_write(tmp_path, raw))
    assert "1.2.1" in str(info.value) and "评分规则类型无效" in str(info.value)
    raw = _hunan_raw()
    raw["tree"][0]["children"][0]["children"][0]["rule"]["points"][0]["share"] = 0.9
    with pytest.raises(JixiaoError) as info:
        load_framework(_write(tmp_path, raw))
    assert "绩效目标合理性" in str(info.value) and "占比之和" in str(info.value)
    raw = _hunan_raw()
    raw["tree"][0]["children"][1]["children"][0]["rule"]["points"] = -1
    with pytest.raises(JixiaoError) as info:
        load_framework(_write(tmp_path, raw))
    assert "1.2.1" in str(info.value) and "points" in str(info.value)


def test_unknown_framework_id() -> None:
    with pytest.raises(JixiaoError) as info:
        load_framework("hunan-dept-1999")
    assert "未知的指标体系「hunan-dept-1999」" in str(info.value)
    assert "hunan-dept-2021" in str(info.value)


def test_leaf_types() -> None:
    fw = load_framework("hunan-dept-2021")
    rules = {lf.rule.type for lf in fw.leaves() if isinstance(lf, Leaf)}
    assert rules == {"checklist", "deduction", "proportional", "manual"}


def test_broken_yaml_is_explained_in_chinese_with_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken-framework.yaml"
    bad.write_text("id: x\ntree: [\n", encoding="utf-8")
    with pytest.raises(JixiaoError) as info:
        load_framework(str(bad))
    text = str(info.value)
    assert text.startswith(f"{bad}：指标体系文件不是有效的 YAML：第 3 行第 1 列附近格式有误")
    assert text.index("解析器提示") > text.index("格式有误")
