"""Build small canonical record stores in code (per ``records.schema``) for the KPI tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from jixiao.records.schema import TABLES, arrow_schema


def arrow_table(name: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts; missing columns are null) as an Arrow table of the canonical schema."""
    cols = [c.name for c in TABLES[name]]
    data = {c: [r.get(c) for r in rows] for c in cols}
    return pa.Table.from_pydict(data, schema=arrow_schema(name))


def write_store(path: Path, tables: Mapping[str, pa.Table | Sequence[Mapping[str, Any]]]) -> Path:
    """A DuckDB file with one table per canonical name (all five, empty where not given)."""
    con = duckdb.connect(str(path))
    try:
        for name in TABLES:
            given = tables.get(name, [])
            data = given if isinstance(given, pa.Table) else arrow_table(name, given)
            con.register("_src", data)
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _src')
            con.unregister("_src")
    finally:
        con.close()
    return path


# ---- the "published figures" store ---------------------------------------------------------
# Built so that each KPI recomputes a figure printed in a real report (kpis.md): e.g. 办结率
# 176544 / 177321 = 99.56 %, valid tickets 26 972 of 37 400 calls = 72.12 %, answered directly
# 10 280 of the valid = 38.11 %. Every count below is chosen by hand; the tests assert them.

DAY = dt.timedelta(days=1)
Y0 = dt.datetime(2023, 1, 1, 9, 0)


def published_items() -> list[dict[str, Any]]:
    """1 202 items must enter, 1 124 entered (93.51 %); coverage figures of sample 000."""
    rows = []
    for i in range(1202):
        entered = i < 1124
        rows.append(
            dict(
                item_id=f"I{i:05d}",
                name=f"事项{i}",
                department="公安局" if i % 2 == 0 else "税务局",
                hall="市民中心",
                # Σ legal = 1124×18 + 110 = 20 342; Σ promised = 1124×8 + 161 = 9 153 (entered)
                legal_limit_days=(18 + (i < 110)) if entered else 30,
                promised_limit_days=(8 + (i < 161)) if entered else 1,
                must_enter=True,
                entered=entered,
                online_applicable=i < 963,  # 963 / 1202 = 80.12 %
                fully_online=i < 1093,  # 1093 / 1202 = 90.93 %
                # the not-entered items carry every flag, so counting them would show
                instant=(i < 326) or not entered,  # 326 / 1124
                max_one_visit=(i < 1052) or not entered,  # 1052 / 1124 = 93.59 %
                zero_visit=(i < 191) or not entered,  # 191 / 1124 = 16.99 %
                comprehensive_window=i < 490,
            )
        )
    return rows


def published_cases() -> pa.Table:
    """177 321 cases accepted in 2023, 176 544 completed by year end; plus 10 outside 2023."""
    n = 177_321
    ids, accepted, completed, deadline, channel, online, dept = [], [], [], [], [], [], []
    for i in range(n):
        acc = Y0 + (i % 360) * DAY  # keeps acceptance + 5 days inside 2023
        if i < 176_000:  # on time; every 1000th completed late on the deadline day itself
            done = (
                acc + 3 * DAY + dt.timedelta(hours=14, minutes=30) if i % 1000 == 0 else acc + DAY
            )
            due = (acc + 3 * DAY).date()
        elif i < 176_500:  # completed after the promised deadline
            done, due = acc + 5 * DAY, (acc + 3 * DAY).date()
        elif i < 176_544:  # completed, no promised deadline (left out of 按时办结率)
            done, due = acc + DAY, None
        elif i < 176_544 + 77:  # accepted on 31 December, completed in 2024: open at year end
            acc = dt.datetime(2023, 12, 31, 10)
            done, due = dt.datetime(2024, 1, 3, 10), dt.date(2024, 1, 5)
        else:  # still open
            done, due = None, (acc + 3 * DAY).date()
        ids.append(f"C{i:07d}")
        accepted.append(acc)
        completed.append(done)
        deadline.append(due)
        channel.append("online" if i < 158_295 else ("window" if i % 2 else "terminal"))
        online.append(i < 156_965)  # 156 965 / 177 321 = 88.52 %
        dept.append("公安局" if i % 2 == 0 else "税务局")
    outside = [dt.datetime(2022, 12, 31, 23, 59, 59), dt.datetime(2024, 1, 1, 0, 0, 0)]
    for j in range(10):
        acc = outside[j % 2]
        ids.append(f"X{j}")
        accepted.append(acc)
        completed.append(acc + DAY)
        deadline.append((acc + 3 * DAY).date())
        channel.append("online")
        online.append(True)
        dept.append("公安局")
    m = len(ids)
    return arrow_table(
        "cases",
        [
            dict(
                case_id=ids[k],
                item_id="I00000",
                department=dept[k],
                hall="市民中心",
                channel=channel[k],
                accepted_at=accepted[k],
                completed_at=completed[k],
                promised_deadline=deadline[k],
                completed_online=online[k],
                visits=0,
            )
            for k in range(m)
        ],
    )


def published_calls() -> list[dict[str, Any]]:
    """37 400 calls and messages, 26 972 valid (72.12 %); 30 000 phone calls, 28 752 answered
    (95.84 %), 25 000 of them within 15 s (83.33 %)."""
    rows = []
    for i in range(37_400):
        if i < 30_000:
            ch = "phone"
        elif i < 34_000:
            ch = "web"
        else:
            ch = "transfer"
        answered = i < 28_752 if ch == "phone" else True
        wait = (10 if i < 25_000 else (15 if i < 25_010 else 40)) if ch == "phone" else None
        if ch == "phone" and i >= 25_000 and i < 25_010:
            wait = 16  # just over the threshold
        if ch == "phone" and i < 5:
            wait = 15  # exactly on the threshold counts
        rows.append(
            dict(
                call_id=f"T{i:06d}",
                received_at=Y0 + (i % 365) * DAY,
                channel=ch,
                answered=answered,
                wait_seconds=wait,
                valid=i < 26_972,
            )
        )
    return rows


def published_tickets() -> list[dict[str, Any]]:
    """26 972 tickets: 10 280 answered directly (38.11 %); of 16 692 dispatched, 16 223 closed in
    2023 (97.19 %) and 100 in 2024; follow-ups 20 000 满意 + 2 000 基本满意 of 23 805 answered
    (92.42 %)."""
    rows = []
    for i in range(26_972):
        direct = i < 10_280
        k = i - 10_280  # index among dispatched
        rec = Y0 + (i % 300) * DAY
        closed = None
        if direct:
            closed = rec
        elif k < 16_223:
            closed = rec + 2 * DAY
        elif k < 16_323:
            closed = dt.datetime(2024, 1, 2, 9)
        if i < 20_000:
            fu = "满意"
        elif i < 22_000:
            fu = "基本满意"
        elif i < 23_805:
            fu = "不满意"
        else:
            fu = "未回访" if i % 2 else None
        rows.append(
            dict(
                ticket_id=f"W{i:06d}",
                call_id=f"T{i:06d}",
                received_at=rec,
                category="咨询" if direct else "投诉",
                handling="direct" if direct else "dispatched",
                department=None if direct else ("住建局" if i % 2 else "交通局"),
                dispatched_at=None if direct else rec,
                due_at=None if direct else rec + 13 * DAY,
                closed_at=closed,
                followup=fu,
            )
        )
    return rows


def published_ratings() -> list[dict[str, Any]]:
    """40 ratings: 30 defaulted 基本满意; 10 given (6×5, 2×4, 1×2, 1×1). 满意率 38/40 = 95 %,
    given only 8/10 = 80 %. Both bad ratings rated Thu 2023-09-28 (before the National Day
    holiday and its 调休 Saturdays); 15 working days later is 2023-10-25: one rectified that
    day (on time), one on 2023-10-26 (late)."""
    rows = []
    levels = [5] * 6 + [4] * 2 + [2, 1]
    for i in range(40):
        given = i >= 30
        level = levels[i - 30] if given else 3
        rated = dt.datetime(2023, 9, 28, 10) if level <= 2 else Y0 + i * DAY
        rect = None
        if level == 2:
            rect = dt.datetime(2023, 10, 25, 17)
        elif level == 1:
            rect = dt.datetime(2023, 10, 26, 9)
        rows.append(
            dict(
                rating_id=f"R{i:03d}",
                department="公安局" if i % 2 == 0 else "税务局",
                hall="市民中心",
                channel="pc" if i % 3 else "app",
                rated_at=rated,
                level=level,
                defaulted=not given,
                rectified_at=rect,
            )
        )
    return rows


def published_store(path: Path) -> Path:
    return write_store(
        path,
        {
            "items": published_items(),
            "cases": published_cases(),
            "hotline_calls": published_calls(),
            "hotline_tickets": published_tickets(),
            "ratings": published_ratings(),
        },
    )


# ---- the "cuts" store: a dozen cases whose every cut is worked out by hand -----------------


def _case(i: int, dept: str, hall: str, ch: str, item: str, month: int, done: bool) -> dict:
    acc = dt.datetime(2023, month, 10, 9)
    return dict(
        case_id=f"K{i:02d}",
        item_id=item,
        department=dept,
        hall=hall,
        channel=ch,
        accepted_at=acc,
        completed_at=acc + DAY if done else None,
        promised_deadline=(acc + 5 * DAY).date(),
        completed_online=done and ch == "online",
    )


def cuts_cases() -> list[dict[str, Any]]:
    """公安局/中心/window/i1/Jan 4 (3 done); 公安局/中心/online/i3/Feb 2 (2 done);
    税务局/分厅/window/i2/Jan 5 (1 done); 税务局/分厅/mail/i2/Feb 1 (0 done)."""
    spec = (
        [("公安局", "中心", "window", "i1", 1, k < 3) for k in range(4)]
        + [("公安局", "中心", "online", "i3", 2, True) for _ in range(2)]
        + [("税务局", "分厅", "window", "i2", 1, k < 1) for k in range(5)]
        + [("税务局", "分厅", "mail", "i2", 2, False)]
    )
    return [_case(i, *s) for i, s in enumerate(spec)]


def cuts_items() -> list[dict[str, Any]]:
    """公安局/中心: 3 must enter, 2 entered (1 max-one-visit); 税务局/分厅: 2 of 2 entered."""
    base = dict(name="事项", legal_limit_days=10, promised_limit_days=5)
    return [
        dict(
            base,
            item_id="i1",
            department="公安局",
            hall="中心",
            must_enter=True,
            entered=True,
            max_one_visit=True,
        ),
        dict(base, item_id="i3", department="公安局", hall="中心", must_enter=True, entered=True),
        dict(base, item_id="i4", department="公安局", hall="中心", must_enter=True, entered=False),
        dict(
            base,
            item_id="i2",
            department="税务局",
            hall="分厅",
            must_enter=True,
            entered=True,
            legal_limit_days=20,
            promised_limit_days=20,
        ),
        dict(
            base,
            item_id="i5",
            department="税务局",
            hall="分厅",
            must_enter=True,
            entered=True,
            legal_limit_days=0,
            promised_limit_days=0,
        ),
    ]


def cuts_ratings() -> list[dict[str, Any]]:
    """公安局: 3 ratings, one bad (not rectified); 税务局: 2 good ratings, no bad one."""
    return [
        dict(
            rating_id="r1",
            department="公安局",
            hall="中心",
            channel="app",
            level=5,
            rated_at=dt.datetime(2023, 1, 5, 9),
            defaulted=False,
        ),
        dict(
            rating_id="r2",
            department="公安局",
            hall="中心",
            channel="app",
            level=1,
            rated_at=dt.datetime(2023, 1, 6, 9),
            defaulted=False,
        ),
        dict(
            rating_id="r3",
            department="公安局",
            hall="中心",
            channel="pc",
            level=3,
            rated_at=dt.datetime(2023, 2, 6, 9),
            defaulted=True,
        ),
        dict(
            rating_id="r4",
            department="税务局",
            hall="分厅",
            channel="pc",
            level=4,
            rated_at=dt.datetime(2023, 2, 7, 9),
            defaulted=False,
        ),
        dict(
            rating_id="r5",
            department="税务局",
            hall="分厅",
            channel="pc",
            level=5,
            rated_at=dt.datetime(2023, 2, 8, 9),
            defaulted=False,
        ),
    ]


def cuts_store(path: Path) -> Path:
    return write_store(
        path, {"items": cuts_items(), "cases": cuts_cases(), "ratings": cuts_ratings()}
    )
