"""The figure book and the drafted problems: year-on-year wording, gaps, and that every figure
in the data table equals the value it cites."""

from __future__ import annotations

import pytest
from builders import FACTS, make_evaluation, make_kpis, make_narrative, make_unit

from jixiao.reports.build import build_report
from jixiao.reports.figures import FigureBook
from jixiao.reports.problems import DRAFT, department_problems, draft_problems


def book(**changes: float) -> FigureBook:
    facts = {**FACTS, **changes}
    return FigureBook(make_evaluation(facts), make_kpis())


@pytest.mark.parametrize(
    ("cur", "prev", "text"),
    [
        (933.09, 689.01, "较上年增加244.08万元，增长35.42%"),
        (144.86, 166.07, "较上年减少21.21万元，下降12.77%"),
        (100.0, 100.0, "与上年持平"),
        (12.5, 0.0, "较上年增加12.50万元，上年为0，不计算增减幅度"),
    ],
)
def test_year_on_year(cur: float, prev: float, text: str) -> None:
    b = book(income_total=cur, income_total_prev=prev)
    assert b.yoy("income_total", "income_total_prev") == text


def test_year_on_year_without_last_year_says_so() -> None:
    facts = {k: v for k, v in FACTS.items() if k != "income_total_prev"}
    b = FigureBook(make_evaluation(facts))
    assert b.yoy("income_total", "income_total_prev") == (
        "上年数据未提供，【待补充数据：上年收入合计】，无法比较增减"
    )


def test_every_data_table_figure_equals_its_source() -> None:
    ev, kpis = make_evaluation(), make_kpis()
    report = build_report(ev, make_unit(), make_narrative(), kpis)
    facts = {f.fact: f.value for f in ev.facts}
    leaves = {leaf.code: leaf for leaf in ev.leaves()}
    kinds = set()
    for f in report.figures:
        kind, _, rest = f.key.partition(":")
        kinds.add(kind)
        if kind == "fact":
            assert f.value == facts[rest], f
        elif kind == "leaf":
            assert f.value == leaves[rest].value, f
        elif kind == "target":
            assert f.value == leaves[rest].target, f
        elif kind == "kpi":
            kpi_id, part, cut = rest.split(":")
            group = dict(p.split("=") for p in cut.split(",") if p)
            v = next(x for x in kpis.results if x.kpi == kpi_id and x.group == group)
            assert f.value == getattr(v, part), f
        elif kind == "calc" and f.key.endswith(".change_rate"):
            name = f.key[len("calc:") : -len(".change_rate")]
            cur, prev = facts[name], facts[f"{name}_prev"]
            assert f.value == pytest.approx(abs(cur - prev) / abs(prev) * 100), f
        elif kind == "calc" and f.key == "calc:spending_completion_rate":
            want = facts["expenditure_total"] / (facts["income_total"] + facts["carryover_prev"])
            assert f.value == pytest.approx(want * 100)
    assert {"fact", "leaf", "kpi", "calc", "score", "weight"} <= kinds


def test_drafted_problems_name_their_figures() -> None:
    problems = draft_problems(FigureBook(make_evaluation(), make_kpis()))
    assert all(p.endswith(DRAFT) for p in problems)
    text = "\n".join(problems)
    # an indicator below its target, with value, target, weight and score
    assert "完成及时率为91.67%，未达到年度指标值100.00%，该指标分值4分，自评3分" in text
    # a checklist point only partly met
    assert "“生态效益核查要点乙”部分符合" in text
    # 公安局 lags the centre by ≥ 1 point; 档案馆 is a small sample and never compared
    assert "公安局受理办件51200件，办结50000件，办结率97.66%" in text
    assert "档案馆" not in text and "税务局" not in text
    assert "全年差评10件，按期整改8件，未按期整改2件，差评按期整改率80.00%" in text


def test_department_lag_threshold() -> None:
    b = FigureBook(make_evaluation(), make_kpis())
    assert department_problems(b, lag_points=2.0) == []  # 公安局 is 1.90 points below
    assert len(department_problems(b, lag_points=0.5)) == 1


def test_narrative_problems_replace_the_drafts() -> None:
    n = make_narrative().model_copy(update={"problems": ["预算编制不够细化。"]})
    text = build_report(make_evaluation(), make_unit(), n, make_kpis()).text()
    assert "1.预算编制不够细化。" in text and DRAFT not in text


def test_incomplete_evaluation_is_shown_not_hidden() -> None:
    ev = make_evaluation()
    leaf = next(x for x in ev.leaves() if x.name == "重点支出安排率")
    leaf.score, leaf.status, leaf.value = None, "missing", None
    ev.total.complete = False
    ev.total.incomplete_leaves = [leaf.code]
    report = build_report(ev, make_unit(), make_narrative(), None)
    text = report.text()
    assert "尚未评分，总分为暂计数：【待补充数据：重点支出安排率】" in text
    row = next(r for r in report.score_table.rows if r.code == leaf.code)
    assert row.score is None and not report.score_table.complete
    assert "【待填写：政务服务数据" in text  # no KPI report given
