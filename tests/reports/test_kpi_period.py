"""A KPI report of another year is refused, never printed as the evaluated year's (QA F24)."""

from __future__ import annotations

import pytest
from builders import make_evaluation, make_kpis, make_unit

from jixiao.errors import JixiaoError
from jixiao.reports.build import build_report


def test_kpis_of_another_year_are_refused() -> None:
    kpis = make_kpis().model_copy(update={"start": "2022-01-01", "end": "2022-12-31"})
    with pytest.raises(JixiaoError) as err:
        build_report(make_evaluation(year=2023), make_unit(2023), None, kpis)
    assert "2022-01-01" in err.value.message and "2023" in err.value.message


def test_kpis_for_part_of_the_evaluated_year_are_accepted() -> None:
    kpis = make_kpis().model_copy(update={"start": "2023-01-01", "end": "2023-06-30"})
    report = build_report(make_evaluation(year=2023), make_unit(2023), None, kpis)
    assert report.title
