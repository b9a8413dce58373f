"""Small evaluations, units and KPI reports built in code, following engine/result.py and
kpis/result.py exactly (the Hunan whole-department framework of frameworks.md, sample 001's
scores: 19 + 30 + 27 + 18 = 94)."""

from __future__ import annotations

import datetime as dt

from jixiao.engine.result import (
    ChecklistPoint,
    Evaluation,
    FrameworkInfo,
    LeafResult,
    NodeResult,
    RuleInfo,
    Total,
    TraceInput,
    grade_for,
)
from jixiao.facts.model import Source
from jixiao.kpis.result import KpiReport, KpiValue
from jixiao.reports.figures import FACT_LABELS
from jixiao.reports.inputs import Narrative, Notice, Stage, Team, UnitInfo

FACTS: dict[str, float] = {
    "authorised_posts": 10,
    "staff_in_post": 11,
    "income_total": 933.09,
    "income_total_prev": 689.01,
    "carryover_prev": 144.86,
    "expenditure_basic": 788.23,
    "expenditure_basic_prev": 544.15,
    "expenditure_project": 144.86,
    "expenditure_project_prev": 166.07,
    "expenditure_total": 933.09,
    "carryover_end": 144.86,
    "carryover_end_prev": 127.13,
    "budget_total": 1077.95,
    "budget_executed": 1040.12,
    "budget_adjustment": 21.5,
    "payment_progress_actual": 96.5,
    "payment_progress_planned": 100,
    "priority_budget": 600.0,
    "public_budget": 66.81,
    "public_actual": 57.95,
    "sangong_budget": 6.82,
    "sangong_budget_prev": 7.2,
    "sangong_actual": 4.43,
    "procurement_budget": 120.0,
    "procurement_actual": 118.4,
    "fixed_assets_in_use": 410.5,
    "fixed_assets_total": 451.1,
    "tasks_planned": 24,
    "tasks_completed": 23,
    "tasks_on_time": 22,
    "tasks_quality": 23,
    "priority_tasks_assigned": 8,
    "priority_tasks_completed": 8,
}


def _src(name: str) -> Source:
    return Source(
        kind="file", file="facts.xlsx", sheet="事实", cell=f"D{list(FACTS).index(name) + 2}"
    )


def fact(name: str, facts: dict[str, float]) -> TraceInput:
    label, unit = FACT_LABELS[name]
    return TraceInput(fact=name, label=label, value=facts[name], unit=unit, source=_src(name))


def ratio_leaf(
    code: str,
    name: str,
    weight: float,
    score: float,
    num: str,
    den: str,
    facts: dict[str, float],
    target: float | None = None,
) -> LeafResult:
    value = facts[num] / facts[den] * 100
    return LeafResult(
        code=code,
        name=name,
        level=3,
        weight=weight,
        max=weight,
        score=score,
        status="scored",
        value=value,
        unit="%",
        target=target,
        direction="higher",
        formula=f"{FACT_LABELS[num][0]} ÷ {FACT_LABELS[den][0]} × 100%",
        rule=RuleInfo(type="proportional", description="按完成比例计分"),
        reason=f"{name}{value:.2f}%，得{score}分",
        explanation=f"{name}的指标解释。",
        note=f"{name}=（{FACT_LABELS[num][0]}/{FACT_LABELS[den][0]}）×100%。",
        inputs=[fact(num, facts), fact(den, facts)],
    )


def check_leaf(code: str, name: str, weight: float, score: float, answers: list[str]) -> LeafResult:
    points = [
        ChecklistPoint(
            id=f"p{i}",
            text=f"{name}核查要点{'甲乙丙丁戊'[i]}",
            share=1 / len(answers),
            answer=a,
            evidence="见佐证材料",
        )  # type: ignore[arg-type]
        for i, a in enumerate(answers)
    ]
    return LeafResult(
        code=code,
        name=name,
        level=3,
        weight=weight,
        max=weight,
        score=score,
        status="scored",
        rule=RuleInfo(type="checklist", description="按核查要点计分"),
        reason=f"{name}得{score}分",
        explanation=f"{name}的指标解释。",
        note="评价要点：\n①要点一；\n②要点二。",
        checklist=points,
    )


def manual_leaf(code: str, name: str, weight: float, score: float) -> LeafResult:
    return LeafResult(
        code=code,
        name=name,
        level=3,
        weight=weight,
        max=weight,
        score=score,
        status="scored",
        rule=RuleInfo(type="manual", description="由单位自评"),
        reason=f"自评{score}分",
        explanation=f"{name}的指标解释。",
    )


def node(code: str, name: str, level: int, children: list) -> NodeResult:
    return NodeResult(
        code=code,
        name=name,
        level=level,
        weight=sum(c.weight for c in children),
        score=sum(c.score for c in children if c.score is not None),
        complete=True,
        children=children,
    )


def make_evaluation(facts: dict[str, float] | None = None, year: int = 2023) -> Evaluation:
    f = dict(FACTS if facts is None else facts)
    tree = [
        node(
            "1",
            "投入",
            1,
            [
                node(
                    "1.1",
                    "目标设定",
                    2,
                    [
                        check_leaf("1.1.1", "绩效目标合理性", 2, 2, ["yes", "yes", "yes"]),
                        check_leaf("1.1.2", "绩效指标明确性", 3, 3, ["yes", "yes", "yes", "yes"]),
                    ],
                ),
                node(
                    "1.2",
                    "预算配置",
                    2,
                    [
                        ratio_leaf(
                            "1.2.1", "在职人员控制率", 5, 4, "staff_in_post", "authorised_posts", f
                        ),
                        manual_leaf("1.2.2", "“三公经费”变动率", 5, 5),
                        ratio_leaf(
                            "1.2.3", "重点支出安排率", 5, 5, "priority_budget", "budget_total", f
                        ),
                    ],
                ),
            ],
        ),
        node(
            "2",
            "过程",
            1,
            [
                node(
                    "2.1",
                    "预算执行",
                    2,
                    [
                        ratio_leaf(
                            "2.1.1",
                            "预算执行率",
                            4,
                            4,
                            "budget_executed",
                            "budget_total",
                            f,
                            target=100,
                        ),
                        ratio_leaf(
                            "2.1.2", "预算调整率", 2, 2, "budget_adjustment", "budget_total", f
                        ),
                        ratio_leaf(
                            "2.1.3",
                            "支付进度率",
                            2,
                            2,
                            "payment_progress_actual",
                            "payment_progress_planned",
                            f,
                        ),
                        ratio_leaf("2.1.4", "结转结余率", 2, 2, "carryover_end", "budget_total", f),
                        manual_leaf("2.1.5", "结转结余变动率", 2, 2),
                        ratio_leaf(
                            "2.1.6", "公用经费控制率", 2, 2, "public_actual", "public_budget", f
                        ),
                        ratio_leaf(
                            "2.1.7", "“三公经费”控制率", 2, 2, "sangong_actual", "sangong_budget", f
                        ),
                        ratio_leaf(
                            "2.1.8",
                            "政府采购执行率",
                            4,
                            4,
                            "procurement_actual",
                            "procurement_budget",
                            f,
                        ),
                    ],
                ),
                node(
                    "2.2",
                    "预算管理",
                    2,
                    [
                        check_leaf("2.2.1", "管理制度健全性", 2, 2, ["yes", "yes", "yes"]),
                        check_leaf("2.2.2", "资金使用合规性", 1, 1, ["yes"] * 5),
                        check_leaf("2.2.3", "预决算信息公开性", 1, 1, ["yes", "yes"]),
                        check_leaf("2.2.4", "基础信息完善性", 1, 1, ["yes", "yes", "yes"]),
                    ],
                ),
                node(
                    "2.3",
                    "资产管理",
                    2,
                    [
                        check_leaf("2.3.1", "管理制度健全性", 2, 2, ["yes", "yes", "yes"]),
                        check_leaf("2.3.2", "资产管理安全性", 2, 2, ["yes"] * 5),
                        ratio_leaf(
                            "2.3.3",
                            "固定资产利用率",
                            1,
                            1,
                            "fixed_assets_in_use",
                            "fixed_assets_total",
                            f,
                        ),
                    ],
                ),
            ],
        ),
        node(
            "3",
            "产出",
            1,
            [
                node(
                    "3.1",
                    "职责履行",
                    2,
                    [
                        ratio_leaf(
                            "3.1.1",
                            "实际完成率",
                            8,
                            7,
                            "tasks_completed",
                            "tasks_planned",
                            f,
                            target=100,
                        ),
                        ratio_leaf(
                            "3.1.2",
                            "完成及时率",
                            4,
                            3,
                            "tasks_on_time",
                            "tasks_planned",
                            f,
                            target=100,
                        ),
                        ratio_leaf(
                            "3.1.3", "质量达标率", 8, 7, "tasks_quality", "tasks_planned", f
                        ),
                        ratio_leaf(
                            "3.1.4",
                            "重点工作办结率",
                            10,
                            10,
                            "priority_tasks_completed",
                            "priority_tasks_assigned",
                            f,
                        ),
                    ],
                ),
            ],
        ),
        node(
            "4",
            "效果",
            1,
            [
                node(
                    "4.1",
                    "履职效益",
                    2,
                    [
                        manual_leaf("4.1.1", "经济效益", 5, 5),
                        manual_leaf("4.1.2", "社会效益", 5, 5),
                        check_leaf("4.1.3", "生态效益", 5, 4, ["yes", "partly"]),
                        manual_leaf("4.1.4", "社会公众或服务对象满意度", 5, 4),
                    ],
                ),
            ],
        ),
    ]
    total = sum(n.score for n in tree)
    return Evaluation(
        jixiao_version="0.1.0",
        generated_at="2024-06-20T10:00:00+08:00",
        framework=FrameworkInfo(
            id="hunan-dept-2023",
            name="湖南省部门整体支出绩效评价指标体系",
            kind="dept",
            region="湖南",
            years=[2023],
        ),
        unit="益阳市赫山区政务服务中心",
        year=year,
        total=Total(score=total, max=100, grade=grade_for(total), complete=True),
        tree=tree,
        facts=[fact(n, f) for n in f],
    )


def make_unit(year: int = 2023) -> UnitInfo:
    return UnitInfo(
        name="益阳市赫山区政务服务中心",
        self_name="我中心",
        status="公益一类事业单位",
        rank="正科级",
        founded="2002-11",
        sections=["办公室", "政务服务管理股", "电子政务股"],
        section_word="股室",
        notice=Notice(
            title="关于开展2023年度部门整体支出绩效自评工作的通知", number="赫财绩〔2024〕4号"
        ),
        year=year,
        team=Team(
            leader={"name": "张某", "title": "中心主任"},
            deputies=[{"name": "李某", "title": "中心副主任"}],
            members=[{"name": "王某", "title": "办公室主任"}, {"name": "赵某"}],
        ),
        timeline=[
            Stage(start=dt.date(2024, 5, 16), end=dt.date(2024, 5, 31), text="各股室自查"),
            Stage(start=dt.date(2024, 6, 3), end=dt.date(2024, 6, 14), text="中心集中检查"),
        ],
        submission_date=dt.date(2024, 6, 28),
        signature_date=dt.date(2024, 6, 28),
        disclosure={"budget_approved": "2023-01-26", "budget_published": "2023-02-09"},
    )


def make_narrative() -> Narrative:
    return Narrative(
        mandate=[
            "负责组织、指导、督促有关职能部门进驻政务服务大厅统一办公。",
            "负责12345市民服务热线管理。",
        ],
        priorities=["深化“放管服”改革。"],
        measures=["完善绩效评价工作制度。"],
    )


def kv(
    kpi: str,
    label: str,
    num: float | None,
    den: float | None,
    group: dict | None = None,
    unit: str = "%",
    small: bool = False,
    value: float | None = None,
) -> KpiValue:
    if value is None and unit == "%" and num is not None and den:
        value = num / den * 100
    return KpiValue(
        kpi=kpi,
        label=label,
        unit=unit,
        group=group or {},
        numerator=num,
        denominator=den,
        value=value,
        small_sample=small,
    )


def make_kpis() -> KpiReport:
    res = [
        kv("case_count", "受理办件量", None, None, unit="件", value=177321),
        kv("case_completion_rate", "办结率", 176544, 177321),
        kv("on_time_completion_rate", "按时办结率", 176000, 176544),
        kv("online_application_rate", "上网办理率", 150000, 177321),
        kv("hotline_answer_rate", "12345接通率", 13200, 13772),
        kv("rating_satisfaction_rate", "好差评满意率", 9990, 10000),
        kv("bad_rating_rectified_on_time_rate", "差评按期整改率", 8, 10),
        kv("case_completion_rate", "办结率", 50000, 51200, {"department": "公安局"}),
        kv("case_completion_rate", "办结率", 30000, 30010, {"department": "税务局"}),
        kv("case_completion_rate", "办结率", 5, 10, {"department": "档案馆"}, small=True),
    ]
    for m, (a, b) in enumerate([(14000, 14100), (14500, 14600), (15000, 15050)], start=1):
        res.append(kv("case_completion_rate", "办结率", a, b, {"month": f"2023-{m:02d}"}))
    return KpiReport(
        start="2023-01-01",
        end="2023-12-31",
        by=["department", "month"],
        backend="duckdb",
        results=res,
        queries={"case_completion_rate": "SELECT count(*) FILTER (...) ..."},
    )
