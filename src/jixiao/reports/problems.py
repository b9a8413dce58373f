"""存在问题 drafted from the data when the narrative leaves it empty: every indicator below its
target or short of full marks, every department whose KPI lags the centre's (small samples
skipped), every bad rating not rectified in time. Each names its figures and carries
【系统草拟，请核实】 so that staff confirm or rewrite it before filing."""

from __future__ import annotations

from jixiao.reports.figures import FigureBook, fen
from jixiao.reports.fmt import fixed2, quantity, score_text
from jixiao.reports.kpitext import kpi_sentence
from jixiao.reports.model import Figure

DRAFT = "【系统草拟，请核实】"
_ANSWER = {"partly": "部分符合", "no": "不符合"}


def _below_target(value: float, target: float, direction: str | None) -> bool:
    if direction == "lower":
        return value > target
    if direction == "equal":
        return fixed2(value) != fixed2(target)
    return value < target


def justification(book: FigureBook, code: str) -> str | None:
    """The unit's own reason for a manual score (fact ``<leaf code>.justification``)."""
    f = book.facts.get(f"{code}.justification")
    return f.value if f is not None and isinstance(f.value, str) and f.value.strip() else None


def indicator_problems(book: FigureBook) -> list[str]:
    out: list[str] = []
    for leaf in book.leaves:
        if leaf.status != "scored" or leaf.score is None:
            continue
        lost = leaf.max - leaf.score > 1e-9
        missed = (
            leaf.value is not None
            and leaf.target is not None
            and _below_target(leaf.value, leaf.target, leaf.direction)
        )
        if not (lost or missed):
            continue
        score = book.score(
            leaf.code, f"{leaf.name}自评分", leaf.score, f"评价结果 指标 {leaf.code}"
        )
        full = book.weight(leaf.code, leaf.name, leaf.max)
        parts = [leaf.name]
        if leaf.value is not None and leaf.unit:
            parts.append(f"为{book.leaf_value(leaf)}")
            if missed:
                word = "高于" if leaf.direction == "lower" else "未达到"
                parts.append(f"，{word}年度指标值{book.leaf_target(leaf)}")
        elif leaf.declared and leaf.value is not None and leaf.target is None:
            # A qualitative declared indicator: its value is the achievement in percent, and
            # without it the drafted problem would name no figure at all.
            shown = book.record(
                Figure(
                    key=f"leaf:{leaf.code}",
                    label=f"{leaf.name}达成程度",
                    value=float(leaf.value),
                    unit="%",
                    display=quantity(float(leaf.value), "%"),
                    source=f"评价结果 指标 {leaf.code}",
                )
            )
            parts.append(f"为定性指标，达成程度{shown}")
        weak = [p for p in leaf.checklist if p.answer in _ANSWER]
        if weak:
            parts.append(
                "，"
                + "；".join(f"“{p.text.rstrip('。；;')}”{_ANSWER[p.answer or 'no']}" for p in weak)
            )
        parts.append(f"，该指标分值{full}分，自评{fen(score)}")
        why = justification(book, leaf.code) or next(
            (
                str(i.value)
                for i in leaf.inputs
                if i.fact == f"declared:{leaf.code}:justification" and i.value
            ),
            None,
        )
        parts.append(f"，自评说明：{why.rstrip('。')}。" if why else "。")
        parts.append(DRAFT)
        out.append("".join(parts))
    return out


# A department is drafted as lagging when its rate is at least this many percentage points below
# the centre's: a gap of a few hundredths is noise, not a problem to explain to a bureau.
LAG_POINTS = 1.0
# Groups that are not a department (records with no department filled in).
_NOT_A_DEPARTMENT = {"（未填）", "未填", ""}


def department_problems(book: FigureBook, lag_points: float = LAG_POINTS) -> list[str]:
    """Departments whose rate lags the centre's by ``lag_points`` or more, one problem per KPI;
    small samples are never compared."""
    if book.kpis is None:
        return []
    centre = {v.kpi: v for v in book.kpis.results if not v.group and v.unit == "%"}
    out: list[str] = []
    for kpi_id, c in centre.items():
        if c.value is None:
            continue
        lagging = [
            v
            for v in book.kpis.results
            if v.kpi == kpi_id
            and set(v.group) == {"department"}
            and not v.small_sample
            and v.value is not None
            and v.group["department"] not in _NOT_A_DEPARTMENT
            and float(fixed2(c.value)) - float(fixed2(v.value)) >= lag_points
        ]
        if not lagging:
            continue
        lagging.sort(key=lambda v: v.value or 0.0)
        centre_value = book.kpi_figure(c)
        items = "；".join(f"{v.group['department']}{kpi_sentence(book, v)}" for v in lagging)
        gap = score_text(lag_points)
        out.append(
            f"部分部门{c.label}低于中心整体水平（{centre_value}）{gap}个百分点及以上：{items}。{DRAFT}"
        )
    return out


def rectification_problems(book: FigureBook) -> list[str]:
    """Bad ratings not rectified at all, and not within the deadline (whole centre)."""
    return [*_not_rectified(book), *_late(book)]


def _not_rectified(book: FigureBook) -> list[str]:
    v = book.kpi("bad_rating_rectification_rate")
    if v is None or v.numerator is None or not v.denominator:
        return []
    open_ = v.denominator - v.numerator
    if open_ <= 0:
        return []
    den = book.kpi_figure(v, "denominator", "件")
    num = book.kpi_figure(v, "numerator", "件")
    open_text = book.calc_raw(
        "bad_ratings_open",
        "未整改差评数",
        open_,
        "件",
        "差评数 − 已整改数",
        [f"差评数 = {quantity(v.denominator, '件')}", f"已整改数 = {quantity(v.numerator, '件')}"],
    )
    rate = book.kpi_figure(v)
    return [
        f"差评整改不到位：全年差评{den}，已整改{num}，尚有{open_text}未整改，"
        f"{v.label}{rate}。{DRAFT}"
    ]


def _late(book: FigureBook) -> list[str]:
    v = book.kpi("bad_rating_rectified_on_time_rate")
    if v is None or v.numerator is None or not v.denominator:
        return []
    late = v.denominator - v.numerator
    if late <= 0:
        return []
    den = book.kpi_figure(v, "denominator", "件")
    num = book.kpi_figure(v, "numerator", "件")
    late_text = book.calc_raw(
        "bad_ratings_late",
        "未按期整改差评数",
        late,
        "件",
        "差评数 − 按期整改数",
        [
            f"差评数 = {quantity(v.denominator, '件')}",
            f"按期整改数 = {quantity(v.numerator, '件')}",
        ],
    )
    rate = book.kpi_figure(v)
    return [
        f"差评整改不够及时：全年差评{den}，按期整改{num}，未按期整改{late_text}，"
        f"{v.label}{rate}。{DRAFT}"
    ]


def draft_problems(book: FigureBook) -> list[str]:
    return [*indicator_problems(book), *department_problems(book), *rectification_problems(book)]
