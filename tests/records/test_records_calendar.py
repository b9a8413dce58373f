"""Working days follow China's official calendar, 调休 included; unknown years are errors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jixiao.errors import JixiaoError
from jixiao.records.calendar import (
    add_working_days,
    add_working_days_one,
    is_working_day,
    supported_years,
    working_day_table,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2023, 4, 23), True),  # Sunday, make-up working day for Labour Day
        (dt.date(2023, 5, 6), True),  # Saturday, make-up working day
        (dt.date(2023, 10, 2), False),
        (dt.date(2023, 10, 6), False),
        (dt.date(2023, 10, 7), True),  # Saturday, make-up working day for National Day
        (dt.date(2023, 10, 8), True),  # Sunday, make-up working day
        (dt.date(2023, 10, 14), False),  # an ordinary Saturday
        (dt.date(2023, 1, 23), False),  # Spring Festival
        (dt.date(2023, 1, 30), True),
    ],
)
def test_official_working_days(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working
    table = working_day_table(2023, 2023).to_pydict()
    assert table["working"][table["day"].index(day)] is working


def test_deadline_counts_working_days_only() -> None:
    # Thursday 28 September 2023 + 1 working day: 29 Sep to 6 Oct are holidays, 7 Oct is 调休.
    assert add_working_days_one(dt.date(2023, 9, 28), 1) == dt.date(2023, 10, 7)
    assert add_working_days_one(dt.date(2023, 9, 28), 5) == dt.date(2023, 10, 11)
    # Friday 21 April + 1 lands on Sunday 23 April, a make-up working day.
    assert add_working_days_one(dt.date(2023, 4, 21), 1) == dt.date(2023, 4, 23)
    # Accepted on a holiday: counting starts at the next working day.
    assert add_working_days_one(dt.date(2023, 10, 3), 1) == dt.date(2023, 10, 7)
    # An instant item's deadline is the day itself.
    assert add_working_days_one(dt.date(2023, 10, 3), 0) == dt.date(2023, 10, 3)


def test_vectorised_deadlines_match_scalar() -> None:
    days = np.arange(np.datetime64("2023-01-01"), np.datetime64("2023-12-01"))
    limits = np.arange(days.size) % 17
    out = add_working_days(days, limits)
    for i in range(0, days.size, 29):
        assert out[i] == np.datetime64(
            add_working_days_one(days[i].astype(dt.date), int(limits[i]))
        )


def test_out_of_range_year_is_a_clear_error() -> None:
    lo, hi = supported_years()
    with pytest.raises(JixiaoError) as err:
        is_working_day(dt.date(hi + 1, 3, 1))
    assert f"{hi + 1} 年超出法定节假日日历的覆盖范围" in str(err.value)
    with pytest.raises(JixiaoError):
        working_day_table(lo - 1, lo)
    with pytest.raises(JixiaoError, match="超出"):
        add_working_days_one(dt.date(hi, 12, 30), 10)


def test_working_day_table_joins_in_duckdb() -> None:
    import duckdb

    from jixiao.records.calendar import register_working_days

    con = duckdb.connect()
    register_working_days(con, 2023, 2023)
    working, total = con.execute(
        "SELECT count(*) FILTER (WHERE working), count(*) FROM working_days"
    ).fetchone()
    assert total == 365
    # 2023: 365 days − 105 weekend days + 7 调休 working weekend days − 18 weekday holidays,
    # the published figure of 249 working days.
    assert working == 249
    (last,) = con.execute("SELECT max(ordinal) FROM working_days").fetchone()
    assert last == working


def test_negative_limit_is_an_error() -> None:
    with pytest.raises(JixiaoError, match="不能为负数"):
        add_working_days(np.array(["2023-03-01"], dtype="datetime64[D]"), np.array([-1]))
