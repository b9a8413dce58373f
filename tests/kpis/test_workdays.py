"""The period's deadline table follows the records calendar (one working-day rule in jixiao)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jixiao.errors import JixiaoError
from jixiao.kpis.workdays import deadline_table
from jixiao.records.calendar import add_working_days, supported_years


@pytest.mark.parametrize("days", [0, 1, 5, 15, 60])
def test_same_deadlines_as_the_records_calendar(days: int) -> None:
    t = deadline_table(dt.date(2023, 1, 1), dt.date(2023, 12, 31), days)
    dates = t["cal_date"].to_numpy().astype("datetime64[D]")
    expected = add_working_days(dates, np.full(dates.size, days))
    assert t.num_rows == 365
    assert (t["deadline"].to_numpy().astype("datetime64[D]") == expected).all()


def test_hand_computed_deadlines() -> None:
    t = deadline_table(dt.date(2023, 9, 28), dt.date(2023, 10, 1), 5).to_pylist()
    # National Day 29 Sep – 6 Oct, 调休 working Saturdays 7 and 8 Oct
    assert t[0] == {"cal_date": dt.date(2023, 9, 28), "deadline": dt.date(2023, 10, 11)}
    # (7, 8, 9, 10, 11 Oct); a rating during the holiday counts from the same working days
    assert t[3] == {"cal_date": dt.date(2023, 10, 1), "deadline": dt.date(2023, 10, 11)}
    t = deadline_table(dt.date(2023, 9, 28), dt.date(2023, 9, 28), 15).to_pylist()
    assert t == [{"cal_date": dt.date(2023, 9, 28), "deadline": dt.date(2023, 10, 25)}]


def test_deadline_past_the_calendar_is_null_not_guessed() -> None:
    last = supported_years()[1]
    t = deadline_table(dt.date(last, 12, 1), dt.date(last, 12, 31), 15)
    deadlines = t["deadline"].to_pylist()
    assert deadlines[0] is not None and deadlines[0].year == last
    assert deadlines[-1] is None


def test_unknown_years_and_negative_limits_are_errors() -> None:
    last = supported_years()[1]
    with pytest.raises(JixiaoError, match=f"{last + 1} 年超出法定节假日日历"):
        deadline_table(dt.date(last, 12, 1), dt.date(last + 1, 1, 31), 15)
    with pytest.raises(JixiaoError, match="不能为负数"):
        deadline_table(dt.date(2023, 1, 1), dt.date(2023, 1, 31), -1)
