"""Working-day deadlines on China's official calendar (holidays and 调休 make-up days).

A KPI such as 差评按期整改率 needs "N working days after the day of the rating". That date is
computed here, in Python, from the ``chinesecalendar`` package for every day of the period, and
joined to the records as a small table, so the same definition runs on every backend.
"""

from __future__ import annotations

import bisect
import datetime as dt

import chinese_calendar
import pyarrow as pa

from jixiao.errors import JixiaoError


def _is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        raise JixiaoError(
            f"法定节假日日历不包含 {day.year} 年（chinesecalendar 包只支持已公布安排的年份），"
            "无法计算工作日期限；请升级 chinesecalendar 或缩小统计期间"
        ) from exc


def deadline_table(start: dt.date, end: dt.date, days: int) -> pa.Table:
    """For each date from ``start`` to ``end``: the ``days``-th working day after it.

    The day itself never counts (a rating on Friday with 1 day is due the next working day).
    Deadlines beyond the calendar's last known year are left null rather than guessed.
    """
    if days < 0:
        raise JixiaoError(f"工作日期限不能为负数：{days}")
    # Working days from the start to well past the end; a gap in the calendar stops the list.
    workdays: list[dt.date] = []
    day = start + dt.timedelta(days=1)
    horizon = end + dt.timedelta(days=days * 3 + 40)
    while day <= horizon:
        try:
            if chinese_calendar.is_workday(day):
                workdays.append(day)
        except NotImplementedError:
            break
        day += dt.timedelta(days=1)
    _is_workday(start)
    _is_workday(end)
    dates: list[dt.date] = []
    deadlines: list[dt.date | None] = []
    day = start
    while day <= end:
        i = bisect.bisect_right(workdays, day) + days - 1
        dates.append(day)
        if days == 0:
            deadlines.append(day)
        else:
            deadlines.append(workdays[i] if i < len(workdays) else None)
        day += dt.timedelta(days=1)
    return pa.table(
        {"cal_date": pa.array(dates, pa.date32()), "deadline": pa.array(deadlines, pa.date32())}
    )
