"""Working days on China's official calendar (holidays and 调休 make-up working days).

The holiday data comes from the maintained ``chinesecalendar`` package; nothing here guesses a
year it does not know. Legal and promised time limits are counted in working days, and records
run to millions of rows, so the helpers work on whole columns: a working-day table
(date → ordinal) is built once for the needed range and deadlines are array lookups in it.

Counting convention (stated in docs/records.md): a limit of N working days from day ``d`` ends on
the N-th working day after ``d`` (the day of acceptance is not counted, so acceptance on a
holiday starts counting at the next working day); a limit of 0 (即办件) ends on ``d`` itself.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
import duckdb
import numpy as np
import pyarrow as pa
from chinese_calendar.constants import holidays as _HOLIDAYS
from chinese_calendar.constants import workdays as _WORKDAYS

from jixiao.errors import JixiaoError

DAY = np.timedelta64(1, "D")


def supported_years() -> tuple[int, int]:
    """First and last year for which the package has the official holiday schedule."""
    return min(_HOLIDAYS).year, max(_HOLIDAYS).year


def _check_years(first: int, last: int, what: str = "日期") -> None:
    lo, hi = supported_years()
    if first < lo or last > hi:
        bad = first if first < lo else last
        raise JixiaoError(
            f"{what}所在年份 {bad} 年超出法定节假日日历的覆盖范围（{lo}–{hi} 年），"
            f"无法确定工作日；请升级 chinesecalendar 包或更正日期",
        )


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is an official working day (调休 Saturdays/Sundays included)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    _check_years(day.year, day.year)
    return bool(chinese_calendar.is_workday(day))


@lru_cache(maxsize=32)
def _table_arrays(first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = np.arange(
        np.datetime64(f"{first_year}-01-01"), np.datetime64(f"{last_year + 1}-01-01"), DAY
    )
    # 1970-01-01 was a Thursday: numpy day numbers give the weekday without a Python loop.
    weekday = (days.astype("int64") + 3) % 7
    holiday_days = np.array(sorted(_HOLIDAYS), dtype="datetime64[D]")
    extra_workdays = np.array(sorted(_WORKDAYS), dtype="datetime64[D]")
    working = ((weekday < 5) & ~np.isin(days, holiday_days)) | np.isin(days, extra_workdays)
    ordinal = np.cumsum(working, dtype=np.int32)
    return days, working, ordinal


def working_day_arrays(
    first_year: int, last_year: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(days, working, ordinal) for whole years; ordinal = working days up to and incl. the day."""
    _check_years(first_year, last_year)
    return _table_arrays(first_year, last_year)


def working_day_table(first_year: int, last_year: int) -> pa.Table:
    """The table ``day`` (date32), ``working`` (bool), ``ordinal`` (int32) for whole years."""
    days, working, ordinal = working_day_arrays(first_year, last_year)
    return pa.table(
        {
            "day": pa.array(days, type=pa.date32()),
            "working": pa.array(working),
            "ordinal": pa.array(ordinal),
        }
    )


def register_working_days(
    con: duckdb.DuckDBPyConnection, first_year: int, last_year: int, name: str = "working_days"
) -> str:
    """Make the working-day table available to SQL on ``con`` (as a view over Arrow)."""
    con.register(name, working_day_table(first_year, last_year))
    return name


def add_working_days(days: np.ndarray, limits: np.ndarray) -> np.ndarray:
    """Deadline for each start day and limit (both arrays): see the module's counting convention.

    ``days`` is ``datetime64[D]``; ``limits`` non-negative integers. A start day or a deadline
    outside the calendar's years raises a :class:`JixiaoError`.
    """
    days = np.asarray(days, dtype="datetime64[D]")
    limits = np.asarray(limits, dtype=np.int64)
    if days.size == 0:
        return days.copy()
    if limits.size and limits.min() < 0:
        raise JixiaoError(f"期限（工作日）不能为负数：{int(limits.min())}")
    first = int(str(days.min())[:4])
    last = int(str(days.max())[:4])
    _check_years(first, last)
    # Room for the longest limit: a year holds at least 240 working days.
    span = int(limits.max()) // 240 + 1 if limits.size else 1
    lo, hi = supported_years()
    table_days, working, ordinal = _table_arrays(first, min(last + span, hi))
    index = (days - table_days[0]).astype(np.int64)
    target = ordinal[index].astype(np.int64) + limits
    work_days = table_days[working]
    if target.max() > work_days.size:
        raise JixiaoError(
            f"期限超出法定节假日日历的覆盖范围（{lo}–{hi} 年），无法确定工作日",
        )
    deadline = work_days[np.maximum(target, 1) - 1]
    return np.where(limits == 0, days, deadline)


def add_working_days_one(day: dt.date, limit: int) -> dt.date:
    """Scalar form of :func:`add_working_days`."""
    out = add_working_days(np.array([day], dtype="datetime64[D]"), np.array([limit]))
    return out[0].astype(dt.date)
