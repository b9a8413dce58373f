"""Each cut on the hand-made cuts store (kpi_data.cuts_*), and cuts that do not apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.errors import JixiaoError
from jixiao.kpis.compute import compute_kpis, parse_by


def table(db: Path, kpi: str, by: str | list[str], **kw) -> dict[tuple[str, ...], tuple]:
    r = compute_kpis(db, "2023-01-01", "2023-12-31", by=by, kpis=[kpi], **kw)
    assert r.not_applicable == {}
    return {
        tuple(v.group[c] for c in r.by): (v.numerator, v.denominator, v.value, v.small_sample)
        for v in r.results
    }


def test_cases_by_department(cuts_db: Path) -> None:
    assert table(cuts_db, "case_completion_rate", "department") == {
        ("公安局",): (5, 6, pytest.approx(500 / 6), True),
        ("税务局",): (1, 6, pytest.approx(100 / 6), True),
    }


def test_cases_by_hall_channel_item_month(cuts_db: Path) -> None:
    assert table(cuts_db, "case_completion_rate", "hall") == {
        ("中心",): (5, 6, pytest.approx(500 / 6), True),
        ("分厅",): (1, 6, pytest.approx(100 / 6), True),
    }
    assert table(cuts_db, "case_completion_rate", "channel") == {
        ("mail",): (0, 1, 0.0, True),
        ("online",): (2, 2, 100.0, True),
        ("window",): (4, 9, pytest.approx(400 / 9), True),
    }
    assert table(cuts_db, "case_completion_rate", "item") == {
        ("i1",): (3, 4, 75.0, True),
        ("i2",): (1, 6, pytest.approx(100 / 6), True),
        ("i3",): (2, 2, 100.0, True),
    }
    assert table(cuts_db, "case_completion_rate", "month") == {
        ("2023-01",): (4, 9, pytest.approx(400 / 9), True),
        ("2023-02",): (2, 3, pytest.approx(200 / 3), True),
    }


def test_department_and_month_with_threshold(cuts_db: Path) -> None:
    got = table(
        cuts_db, "case_completion_rate", ["department", "month"], params={"min_denominator": 2}
    )
    assert got == {
        ("公安局", "2023-01"): (3, 4, 75.0, False),
        ("公安局", "2023-02"): (2, 2, 100.0, False),
        ("税务局", "2023-01"): (1, 5, 20.0, False),
        ("税务局", "2023-02"): (0, 1, 0.0, True),  # 1 < 2: flagged
    }


def test_comma_separated_equals_repeated(cuts_db: Path) -> None:
    a = compute_kpis(cuts_db, "2023-01-01", "2023-12-31", by="department,month")
    b = compute_kpis(cuts_db, "2023-01-01", "2023-12-31", by=["department", "month"])
    assert a.results == b.results and a.by == ["department", "month"]


def test_items_by_department_and_hall(cuts_db: Path) -> None:
    assert table(cuts_db, "item_entry_rate", "department") == {
        ("公安局",): (2, 3, pytest.approx(200 / 3), True),
        ("税务局",): (2, 2, 100.0, True),
    }
    assert table(cuts_db, "max_one_visit_coverage", "hall") == {
        ("中心",): (1, 2, 50.0, True),
        ("分厅",): (0, 2, 0.0, True),
    }
    assert table(cuts_db, "time_limit_compression", "department") == {
        ("公安局",): (10, 20, 50.0, True),
        ("税务局",): (0, 20, 0.0, True),
    }


def test_ratings_by_department_with_zero_denominator_group(cuts_db: Path) -> None:
    assert table(cuts_db, "bad_rating_rectification_rate", "department") == {
        ("公安局",): (0, 1, 0.0, True),
        ("税务局",): (0, 0, None, True),  # no bad rating there: a null rate, not an error
    }
    assert table(cuts_db, "rating_satisfaction_rate_given", "channel") == {
        ("app",): (1, 2, 50.0, True),
        ("pc",): (2, 2, 100.0, True),  # r3 was a system default and is left out
    }


def test_cuts_that_do_not_apply_are_said_so(cuts_db: Path) -> None:
    r = compute_kpis(cuts_db, "2023-01-01", "2023-12-31", by="month")
    computed = {v.kpi for v in r.results}
    # the item catalogue has no dates: no month cut, and the reason says so
    assert "item_entry_rate" not in computed
    assert "没有日期" in r.not_applicable["item_entry_rate"]
    assert "case_completion_rate" in computed
    r = compute_kpis(cuts_db, "2023-01-01", "2023-12-31", by="channel")
    assert "online_application_rate" in r.not_applicable
    assert "hotline_answer_rate" not in {v.kpi for v in r.results}
    r = compute_kpis(cuts_db, "2023-01-01", "2023-12-31", by="item")
    assert set(r.not_applicable) >= {
        "item_entry_rate",
        "rating_satisfaction_rate",
        "hotline_volume",
    }
    assert "部门" in r.not_applicable["item_entry_rate"]  # says which cuts it does take


def test_unknown_cut() -> None:
    with pytest.raises(JixiaoError, match="未知的分组「weekday」"):
        parse_by("department,weekday")
    assert parse_by(["department,month", "month"]) == ["department", "month"]
