"""Working-day deadlines of a period as a small table, for joining to the records.

A KPI such as 差评按期整改率 needs "N working days after the day of the rating". Which days
are working days (China's official calendar with holidays and 调休) and how a limit is counted
are defined once, in :mod:`jixiao.records.calendar`; this module only lays that out as
date → deadline for every day of the period, a table small enough to join on every backend.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from jixiao.errors import JixiaoError
from jixiao.records.calendar import supported_years, working_day_arrays

DAY = np.timedelta64(1, "D")


def deadline_table(start: dt.date, end: dt.date, days: int) -> pa.Table:
    """For each date from ``start`` to ``end``: the ``days``-th working day after it.

    The counting convention of :func:`jixiao.records.calendar.add_working_days` (the day itself
    never counts; 0 days ends on the day). A period in a year the calendar does not know is an
    error. A deadline beyond the calendar's last known year is left null rather than guessed,
    and rather than failing the whole period as ``add_working_days`` would: a rating in late
    December of that year simply cannot be judged on time yet.
    """
    if days < 0:
        raise JixiaoError(f"工作日期限不能为负数：{days}")
    # Room for the longest limit (a year holds at least 240 working days), within the calendar.
    last_year = min(end.year + days // 240 + 1, supported_years()[1])
    table_days, working, ordinal = working_day_arrays(start.year, max(end.year, last_year))
    period = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + DAY, DAY)
    target = ordinal[(period - table_days[0]).astype(np.int64)].astype(np.int64) + days
    work_days = table_days[working]
    known = target <= work_days.size
    deadline = work_days[np.clip(target, 1, work_days.size) - 1]
    if days == 0:
        deadline = period
    return pa.table(
        {
            "cal_date": pa.array(period, pa.date32()),
            "deadline": pa.array(deadline, pa.date32(), mask=~known),
        }
    )
