"""facts_from_records: framework facts bound to KPIs, with the KPI and query in their source."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.errors import JixiaoError
from jixiao.kpis.bind import facts_from_records
from jixiao.kpis.compute import compute_kpis


def test_rates_counts_numerators_and_denominators(published_db: Path) -> None:
    facts = facts_from_records(
        published_db,
        2023,
        {
            "completion": "case_completion_rate",
            "completed": "case_completion_rate.numerator",
            "accepted": "case_completion_rate.denominator",
            "cases": "case_count",
            "direct": "hotline_direct_answer_rate",
            "saved_days": "time_limit_compression.numerator",
        },
    )
    by = {f.name: f for f in facts}
    assert by["completion"].value == pytest.approx(176_544 * 100 / 177_321)
    assert by["completion"].unit == "%"
    assert (by["completed"].value, by["completed"].unit) == (176_544, "件")
    assert (by["accepted"].value, by["accepted"].label) == (177_321, "办结率（分母）")
    assert (by["cases"].value, by["cases"].unit) == (177_321, "件")
    assert round(by["direct"].value, 2) == 38.11
    assert (by["saved_days"].value, by["saved_days"].unit) == (20342 - 9153, "工作日")

    src = by["completion"].source
    assert src.kind == "kpi" and src.kpi == "case_completion_rate"
    assert (src.numerator, src.denominator) == (176_544, 177_321)
    assert "2023-01-01 至 2023-12-31" in (src.note or "")
    # the query that ran: one aggregate over cases for the bound case KPIs
    ids = [
        "case_completion_rate",
        "case_count",
        "hotline_direct_answer_rate",
        "time_limit_compression",
    ]
    report = compute_kpis(published_db, "2023-01-01", "2023-12-31", kpis=ids)
    assert src.query == report.queries["case_completion_rate"]
    assert "case_completion_rate__num" in src.query
    assert by["direct"].source.query and "hotline_tickets" in by["direct"].source.query


def test_values_equal_compute_kpis(published_db: Path) -> None:
    report = compute_kpis(published_db, "2023-01-01", "2023-12-31")
    ids = [v.kpi for v in report.results]
    facts = facts_from_records(published_db, 2023, {f"f_{k}": k for k in ids})
    assert [f.value for f in facts] == [v.value for v in report.results]


def test_small_sample_is_noted(published_db: Path) -> None:
    (f,) = facts_from_records(published_db, 2023, {"x": "bad_rating_rectification_rate"})
    assert "小样本（n=2）" in (f.source.note or "")


def test_unknown_kpi_is_a_chinese_error_naming_it(published_db: Path) -> None:
    with pytest.raises(JixiaoError, match="未知的指标「no_such_kpi」") as e:
        facts_from_records(published_db, 2023, {"output_x": "no_such_kpi"})
    assert "output_x" in str(e.value)
    with pytest.raises(JixiaoError, match=r"\.numerator"):
        facts_from_records(published_db, 2023, {"y": "case_completion_rate.share"})
    with pytest.raises(JixiaoError, match="计数指标"):
        facts_from_records(published_db, 2023, {"y": "case_count.numerator"})


def test_a_year_without_records_is_an_error(published_db: Path) -> None:
    with pytest.raises(JixiaoError, match="没有任何记录"):
        facts_from_records(published_db, 2019, {"x": "case_completion_rate"})
