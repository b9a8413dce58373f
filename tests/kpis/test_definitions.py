"""The KPI definitions: every contracted KPI is there, valid, and expressions stay data."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from jixiao.errors import JixiaoError
from jixiao.kpis.definitions import load_catalogue
from jixiao.kpis.expr import ExpressionError, parse, to_ibis
from jixiao.kpis.rank import rank_values
from jixiao.kpis.result import KpiValue

# contracts-names.md: KPI id → Chinese label
CONTRACT = {
    "item_entry_rate": "事项进驻率",
    "max_one_visit_coverage": "最多跑一次事项占比",
    "zero_visit_coverage": "不见面审批事项占比",
    "instant_item_share": "即办件占比",
    "time_limit_compression": "时限压缩率",
    "time_limit_compression_mean": None,
    "online_applicable_rate": "可网办事项占比",
    "fully_online_item_rate": "网上全流程办理率",
    "online_application_rate": "上网办理率",
    "online_completion_rate": "网上办结率",
    "case_completion_rate": "办结率",
    "on_time_completion_rate": "按时办结率",
    "case_count": "受理办件量",
    "comprehensive_window_items": "综合窗口事项数",
    "hotline_volume": "12345话务量",
    "hotline_answer_rate": "12345接通率",
    "hotline_answer_rate_15s": "15秒接通率",
    "hotline_direct_answer_rate": "直接答复率",
    "hotline_ticket_completion_rate": "工单办结率",
    "hotline_satisfaction_rate": "12345满意率",
    "rating_satisfaction_rate": "好差评满意率",
    "rating_satisfaction_rate_given": "好差评满意率（剔除系统默认评价）",
    "bad_rating_rectification_rate": "差评整改率",
    "bad_rating_rectified_on_time_rate": "差评按期整改率",
}


def test_every_contract_kpi_is_defined_with_its_label() -> None:
    cat = load_catalogue()
    for kpi, label in CONTRACT.items():
        d = cat.get(kpi)
        if label:
            assert d.label == label
        assert d.note, kpi
        assert d.unit == ("%" if d.kind == "rate" else d.unit)
    assert cat.get("case_count").unit == "件"
    assert cat.params["min_denominator"] == 30
    assert cat.params["answer_threshold_seconds"] == 15


def test_unknown_kpi_message_is_chinese_and_names_it() -> None:
    with pytest.raises(JixiaoError, match="未知的指标「nope」"):
        load_catalogue().get("nope")


def test_a_bad_definition_file_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "defs.yaml"
    bad.write_text(
        """version: 1
params: {min_denominator: 30}
tables: {cases: {label: 办件, date: accepted_at, cuts: {month: accepted_at}}}
kpis:
  - {id: x, label: 甲, table: cases, kind: rate, numerator: {count: "no_such_column"},
     denominator: {count: all}}
""",
        encoding="utf-8",
    )
    with pytest.raises(JixiaoError, match="no_such_column"):
        load_catalogue(bad)


def test_every_shipped_parameter_is_declared() -> None:
    cat = load_catalogue()
    assert set(cat.param_specs) == set(cat.params)
    assert all(spec.label for spec in cat.param_specs.values())


def test_one_label_names_one_set_of_records() -> None:
    """QA F14: a report printed 已进驻事项 275 and 进驻事项 280, 有效诉求 10142 and 10000, because
    two different counts were worded alike. Every rate's numerator and denominator now has a
    label, and a label is only shared by measures that count the same rows."""
    cat = load_catalogue()
    sets: dict[str, set[tuple]] = {}
    for k in cat.kpis:
        if k.kind != "rate":
            continue
        assert k.numerator and k.denominator
        assert k.numerator.label and k.denominator.label, k.id
        den = (k.table, k.filter, k.denominator.condition(), k.denominator.sum_)
        num = (*den, k.numerator.condition(), k.numerator.sum_)
        sets.setdefault(k.denominator.label, set()).add(den)
        sets.setdefault(k.numerator.label, set()).add(num)
    shared = {label: s for label, s in sets.items() if len(s) > 1}
    assert not shared, shared
    # the pairs QA found, now told apart
    entry, coverage = cat.get("item_entry_rate"), cat.get("max_one_visit_coverage")
    assert entry.numerator and coverage.denominator
    assert entry.numerator.label == "已进驻的应进驻事项"
    assert coverage.denominator.label == "已进驻事项（含应进驻清单外的事项）"
    valid, direct = cat.get("hotline_valid_rate"), cat.get("hotline_direct_answer_rate")
    assert valid.numerator and direct.denominator
    assert (valid.numerator.label, direct.denominator.label) == ("有效诉求来电和留言", "登记工单")


def test_a_default_must_satisfy_its_declaration(tmp_path: Path) -> None:
    bad = tmp_path / "defs.yaml"
    bad.write_text(
        """version: 1
params: {min_denominator: -1}
param_specs: {min_denominator: {type: int, min: 0, label: 小样本阈值}}
tables: {cases: {label: 办件, date: accepted_at, cuts: {month: accepted_at}}}
kpis: []
""",
        encoding="utf-8",
    )
    with pytest.raises(JixiaoError, match="min_denominator（小样本阈值）的值「-1」无效"):
        load_catalogue(bad)


@pytest.mark.parametrize(
    "text",
    ["__import__('os')", "x.real", "(lambda: 1)()", "a < b < c", "open('f')", "[i for i in a]"],
)
def test_expressions_cannot_run_code(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse(text)


def test_expression_compiles_to_ibis() -> None:
    t = ibis.table({"a": "int32", "s": "string", "ts": "timestamp"}, name="t")
    e = to_ibis("a >= lim and s in ['x', 'y'] and ts is not None", t, {"lim": 3})
    sql = ibis.to_sql(t.filter(e), dialect="duckdb")
    assert '"a" >= 3' in sql and "IN ('x', 'y')" in sql and "IS NOT NULL" in sql
    with pytest.raises(ExpressionError, match="未知的列或参数「zz」"):
        to_ibis("zz > 1", t, {})


def _v(group: str, value: float | None, small: bool) -> KpiValue:
    return KpiValue(
        kpi="k", label="甲", unit="%", group={"department": group}, value=value, small_sample=small
    )


def test_small_samples_are_never_ranked() -> None:
    ranked = rank_values(
        [
            _v("甲", 99.0, True),
            _v("乙", 80.0, False),
            _v("丙", 90.0, False),
            _v("丁", None, True),
            _v("戊", 90.0, False),
        ]
    )
    assert [(r, v.group["department"]) for r, v in ranked] == [
        (1, "丙"),
        (1, "戊"),
        (3, "乙"),
        (None, "甲"),
        (None, "丁"),
    ]
