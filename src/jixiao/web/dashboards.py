"""Dashboard data: each service KPI by month against its target, with a projected year-end value.

Projection, stated on the page:
- rates: the year-to-date ratio (Σ numerator / Σ denominator of the months so far) is the
  projected year-end value — the annual rate is exactly that ratio once December is in; the
  linear trend of the monthly values (least squares, extended to December) is drawn as a dashed
  line to show where the monthly figures are heading;
- counts: the year-to-date total scaled to twelve months (total ÷ months so far × 12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.engine.result import Evaluation
from jixiao.kpis.result import KpiReport

MONTHS = [f"{m}月" for m in range(1, 13)]


@dataclass
class KpiSeries:
    kpi: str
    label: str
    unit: str
    monthly: list[float | None] = field(default_factory=lambda: [None] * 12)
    numerators: list[float | None] = field(default_factory=lambda: [None] * 12)
    denominators: list[float | None] = field(default_factory=lambda: [None] * 12)
    small: list[bool] = field(default_factory=lambda: [False] * 12)
    trend: list[float | None] = field(default_factory=lambda: [None] * 12)
    target: float | None = None
    direction: str | None = None
    leaf: str | None = None
    ytd: float | None = None
    projected: float | None = None
    months_with_data: int = 0
    at_risk: bool = False

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__ | {"months": MONTHS}


def _month_index(group: dict[str, str]) -> int | None:
    month = group.get("month")
    if not month:
        return None
    try:
        m = int(str(month).split("-")[1])
    except (IndexError, ValueError):
        return None
    return m - 1 if 1 <= m <= 12 else None


def linear_trend(values: list[float | None]) -> list[float | None]:
    """Least-squares line through the months with data, over the whole year."""
    pts = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(pts) < 2:
        return [None] * 12
    n = len(pts)
    mx = sum(i for i, _ in pts) / n
    my = sum(v for _, v in pts) / n
    sxx = sum((i - mx) ** 2 for i, _ in pts)
    slope = sum((i - mx) * (v - my) for i, v in pts) / sxx if sxx else 0.0
    first = pts[0][0]
    return [round(my + slope * (i - mx), 2) if i >= first else None for i in range(12)]


def targets_from_evaluation(
    evaluation: Evaluation | None,
) -> dict[str, tuple[float, str | None, str]]:
    """KPI id → (target, direction, leaf code) for leaves whose value comes from a KPI."""
    out: dict[str, tuple[float, str | None, str]] = {}
    if evaluation is None:
        return out
    for leaf in evaluation.leaves():
        if leaf.target is None:
            continue
        for inp in leaf.inputs:
            if inp.source.kind == "kpi" and inp.source.kpi:
                out.setdefault(inp.source.kpi, (leaf.target, leaf.direction, leaf.code))
    return out


def monthly_series(report: KpiReport, evaluation: Evaluation | None = None) -> list[KpiSeries]:
    targets = targets_from_evaluation(evaluation)
    by_kpi: dict[str, KpiSeries] = {}
    for v in report.results:
        idx = _month_index(v.group)
        if idx is None or set(v.group) - {"month"}:
            continue
        s = by_kpi.get(v.kpi) or by_kpi.setdefault(v.kpi, KpiSeries(v.kpi, v.label, v.unit))
        s.monthly[idx] = None if v.value is None else round(v.value, 2)
        s.numerators[idx] = v.numerator
        s.denominators[idx] = v.denominator
        s.small[idx] = v.small_sample
    for s in by_kpi.values():
        _project(s)
        if s.kpi in targets:
            s.target, s.direction, s.leaf = targets[s.kpi]
            if s.projected is not None:
                s.at_risk = (
                    s.projected > s.target if s.direction == "lower" else s.projected < s.target
                )
    # KPIs the framework scores against a target first, then the other rates, then counts.
    return sorted(by_kpi.values(), key=lambda s: (s.target is None, s.unit != "%", s.kpi))


def _project(s: KpiSeries) -> None:
    months = [i for i, v in enumerate(s.monthly) if v is not None]
    s.months_with_data = len(months)
    if not months:
        return
    s.trend = linear_trend(s.monthly)
    if s.unit == "%":
        num = sum(s.numerators[i] or 0 for i in months)
        den = sum(s.denominators[i] or 0 for i in months)
        s.ytd = round(100 * num / den, 2) if den else None
        s.projected = s.ytd
    else:
        total = sum(s.monthly[i] or 0 for i in months)
        s.ytd = round(total, 2)
        s.projected = round(total / (max(months) + 1) * 12, 2)
