"""Dashboard figures: monthly series, projection, targets, and no comparison of tiny samples."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from jixiao.kpis.result import KpiReport, KpiValue
from jixiao.web.dashboards import linear_trend, monthly_series
from jixiao.web.models import Filing


def _report(values: list[KpiValue]) -> KpiReport:
    return KpiReport(
        start="2024-01-01", end="2024-12-31", by=["month"], backend="duckdb", results=values
    )


def _rate(month: int, num: float, den: float, small: bool = False) -> KpiValue:
    return KpiValue(
        kpi="case_completion_rate",
        label="办结率",
        unit="%",
        group={"month": f"2024-{month:02d}"},
        numerator=num,
        denominator=den,
        value=100 * num / den,
        small_sample=small,
    )


def test_rate_projection_is_year_to_date_ratio() -> None:
    # Jan–Jun only: the projection is Σnum/Σden, not the mean of the monthly rates
    values = [
        _rate(1, 90, 100),
        _rate(2, 10, 10),
        _rate(3, 95, 100),
        _rate(4, 96, 100),
        _rate(5, 97, 100),
        _rate(6, 98, 100),
    ]
    (s,) = monthly_series(_report(values))
    assert s.months_with_data == 6
    assert s.ytd == s.projected == pytest.approx(round(100 * 486 / 510, 2))
    assert s.monthly[6:] == [None] * 6
    assert s.trend[11] is not None  # the trend line reaches December


def test_count_projection_scales_to_twelve_months() -> None:
    values = [
        KpiValue(
            kpi="case_count",
            label="受理办件量",
            unit="件",
            group={"month": f"2024-{m:02d}"},
            value=100.0,
        )
        for m in (1, 2, 3)
    ]
    (s,) = monthly_series(_report(values))
    assert s.ytd == 300 and s.projected == 1200


def test_linear_trend() -> None:
    trend = linear_trend([1.0, 2.0, 3.0] + [None] * 9)
    assert trend[0] == pytest.approx(1.0) and trend[11] == pytest.approx(12.0)
    assert linear_trend([5.0] + [None] * 11) == [None] * 12


def test_target_from_evaluation_flags_risk() -> None:
    from web_helpers import small_evaluation

    from jixiao.engine.result import TraceInput
    from jixiao.facts.model import Source

    ev = small_evaluation()
    leaf = ev.leaves()[0]
    leaf.target = 99.0
    leaf.inputs = [
        TraceInput(
            fact="case_completion_rate",
            value=96.0,
            source=Source(kind="kpi", kpi="case_completion_rate"),
        )
    ]
    (s,) = monthly_series(_report([_rate(1, 96, 100), _rate(2, 96, 100)]), ev)
    assert s.target == 99.0 and s.leaf == "1.1" and s.at_risk
    (s,) = monthly_series(_report([_rate(1, 100, 100), _rate(2, 99, 100)]), ev)
    assert not s.at_risk


def test_overview_does_not_compare_tiny_samples(
    task_world: dict[str, Any], client_for: Callable[[str | None], Client]
) -> None:
    def whole_year(num: float, den: float, small: bool) -> str:
        return _report(
            [
                KpiValue(
                    kpi="case_completion_rate",
                    label="办结率",
                    unit="%",
                    numerator=num,
                    denominator=den,
                    value=100 * num / den,
                    small_sample=small,
                )
            ]
        ).to_json()

    f1, f2 = task_world["f1"], task_world["f2"]
    Filing.objects.filter(pk=f1.pk).update(kpis_json=whole_year(990, 1000, False))
    Filing.objects.filter(pk=f2.pk).update(kpis_json=whole_year(3, 3, True))
    resp = client_for("reviewer").get(f"/bureau/tasks/{task_world['task'].pk}/")
    page = resp.content.decode()
    assert "甲市12345热线中心 样本过小，此指标不作单位间对比" in page
    assert 'id="chart-kpi-case_completion_rate"' not in page
    assert resp.context["chart_data"]["kpis"] == []
    # with both samples large enough the KPI is charted
    Filing.objects.filter(pk=f2.pk).update(kpis_json=whole_year(480, 500, False))
    page = client_for("reviewer").get(f"/bureau/tasks/{task_world['task'].pk}/").content.decode()
    assert 'id="chart-kpi-case_completion_rate"' in page
