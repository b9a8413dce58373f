"""Scoring rules for computed indicators: value (and target) in, score and a Chinese phrase out.

Each function returns the score (0..weight) and the clause of the reason that explains it
(“超编1人，扣1分”). The caller adds the computation clause in front.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jixiao.engine.fmt import num, score
from jixiao.frameworks.model import (
    BandsRule,
    DeductionRule,
    Direction,
    ProportionalRule,
    TargetMetRule,
)


@dataclass
class Scored:
    score: float
    clause: str
    params: dict[str, object]


def achievement(value: float, target: float, direction: Direction) -> float:
    """How far the target is reached (1 = reached); ``lower`` inverts the ratio."""
    if direction == "higher":
        if target <= 0:
            return 1.0 if value >= target else 0.0
        return max(value, 0.0) / target
    if direction == "lower":
        if value <= target:
            return 1.0
        if value <= 0:
            return 1.0
        return max(target, 0.0) / value
    if value == target:
        return 1.0
    hi = max(abs(value), abs(target))
    return min(abs(value), abs(target)) / hi if hi else 1.0


def met(value: float, target: float, direction: Direction) -> bool:
    if direction == "higher":
        return value >= target - 1e-9
    if direction == "lower":
        return value <= target + 1e-9
    return abs(value - target) <= 1e-9


_DIR_WORD = {"higher": "≥", "lower": "≤", "equal": "="}


def target_met(
    rule: TargetMetRule, weight: float, value: float, target: float, direction: Direction, shown
) -> Scored:
    t = shown(target)
    if met(value, target, direction):
        return Scored(weight, f"达到目标（{_DIR_WORD[direction]}{t}），得满分{score(weight)}分", {})
    if rule.otherwise == "proportional":
        ratio = min(achievement(value, target, direction), 1.0)
        s = weight * ratio
        return Scored(
            s,
            f"未达到目标（{_DIR_WORD[direction]}{t}），"
            f"按达成率{ratio * 100:.2f}%计分，得{score(s)}分",
            {"achievement": ratio},
        )
    return Scored(0.0, f"未达到目标（{_DIR_WORD[direction]}{t}），得0分", {})


def proportional(
    rule: ProportionalRule, weight: float, value: float, target: float, direction: Direction, shown
) -> Scored:
    ratio = achievement(value, target, direction)
    used = min(ratio, rule.cap)
    s = min(weight * used, weight)
    capped = "（封顶）" if ratio > 1 + 1e-9 else ""
    return Scored(
        s,
        f"目标{shown(target)}，达成率{ratio * 100:.2f}%{capped}，得{score(s)}分",
        {"achievement": ratio},
    )


def bands(rule: BandsRule, weight: float, value: float, shown) -> Scored:
    for band in rule.bands:
        if (band.min is None or value >= band.min) and (band.max is None or value < band.max):
            s = weight * band.share
            rng = band_text(band.min, band.max, shown)
            label = f"（{band.label}）" if band.label else ""
            return Scored(
                s,
                f"落在{rng}档{label}，得分值的{band.share * 100:g}%，即{score(s)}分",
                {"band": band.model_dump()},
            )
    return Scored(0.0, "不在任何分档内，得0分", {})


def band_text(lo: float | None, hi: float | None, shown) -> str:
    if lo is not None and hi is not None:
        return f"[{shown(lo)}，{shown(hi)})"
    if lo is not None:
        return f"≥{shown(lo)}"
    if hi is not None:
        return f"<{shown(hi)}"
    return "全部"


def deduction(rule: DeductionRule, weight: float, quantity: float) -> Scored:
    excess = quantity - rule.limit if rule.side == "above" else rule.limit - quantity
    unit = rule.excess_unit or ""
    if excess <= 1e-9:
        return Scored(
            weight, f"未{rule.excess_label}，不扣分，得满分{score(weight)}分", {"excess": 0}
        )
    units = excess / rule.per
    if rule.rounding == "ceil":
        units = math.ceil(units - 1e-9)
    elif rule.rounding == "floor":
        units = math.floor(units + 1e-9)
    lost = min(units * rule.points, weight)
    s = max(weight - lost, 0.0)
    floor_note = "（扣完为止）" if units * rule.points >= weight else ""
    label = rule.excess_label
    # "超编" reads as 超编1人; a label ending in a number ("高于0") needs the amount set apart.
    amount = (
        f"{label}（超出{num(excess)}{unit}）"
        if label[-1:].isdigit() or label.endswith("%")
        else f"{label}{num(excess)}{unit}"
    )
    return Scored(
        s,
        f"{amount}，扣{score(lost)}分{floor_note}，得{score(s)}分",
        {"excess": excess, "deducted": lost},
    )


def describe_rule(rule, weight: float, unit: str | None, direction: Direction) -> str:
    """The rule in one Chinese sentence (``RuleInfo.description``)."""
    if isinstance(rule, TargetMetRule):
        tail = "，未达到按达成比例计分" if rule.otherwise == "proportional" else "，未达到得0分"
        return f"达到目标值得满分{score(weight)}分{tail}"
    if isinstance(rule, ProportionalRule):
        inv = "目标值/实际值" if direction == "lower" else "实际值/目标值"
        return f"按达成比例计分：{inv}×分值，最高{score(weight)}分"
    if isinstance(rule, BandsRule):
        parts = [
            f"{band_text(b.min, b.max, lambda x: num(x) + (unit or ''))}得{b.share * 100:g}%"
            for b in rule.bands
        ]
        return "分档计分：" + "；".join(parts)
    if isinstance(rule, DeductionRule):
        side = "高于" if rule.side == "above" else "低于"
        label = rule.excess_label if rule.excess_label != "超出" else f"{side}{num(rule.limit)}"
        return f"{label}每{num(rule.per)}{rule.excess_unit or ''}扣{num(rule.points)}分，扣完为止"
    t = getattr(rule, "type", "")
    if t == "checklist":
        return (
            "按评价要点逐项核查：是得该要点全部分值，部分得一部分，否不得分；答是或部分须附佐证材料"
        )
    if t == "manual":
        return f"由单位据实自评（0–{score(weight)}分），须写明评分理由"
    return str(t)
