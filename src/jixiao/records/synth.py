"""Synthetic service records: realistic, deterministic, streamed to Parquet in chunks.

Everything is generated column-wise with a seeded numpy ``Generator`` (one child seed per table
and chunk, so the same seed and chunk size give byte-identical files) and written chunk by chunk
with ``pyarrow.parquet.ParquetWriter``: memory is bounded by the chunk size, so 100 million
cases fit on a small machine. The files are named after the canonical tables so that
``jixiao import`` recognises them.

What the data shows (the KPI engine and the demo rely on it): an item catalogue across ~25
departments and a main hall plus branch halls, legal vs promised limits, online / instant /
one-visit / zero-visit flags; cases accepted only on official working days in office hours, with
seasonality (quiet around Spring Festival and National Day, busy in December), an online share,
visits, completions mostly within the promised deadline and some late, cases still open at year
end, refused and withdrawn cases; hotline calls (answered or not, wait seconds) and tickets
(direct answer vs dispatch, due dates, closure, follow-up satisfaction including 未回访); ratings of
rated cases with five levels, a share of system defaults and bad ratings with rectification (some
late, some never). Tickets are registered from the valid calls of the same chunk.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from chinese_calendar.constants import holidays as _HOLIDAYS

from jixiao.errors import JixiaoError
from jixiao.records.calendar import supported_years, working_day_arrays
from jixiao.records.schema import arrow_schema

Progress = Callable[[str, int, int], None]

US_PER_S = 1_000_000
US_PER_DAY = 86_400 * US_PER_S
DEFAULT_CHUNK = 1_000_000

DEPARTMENTS: list[tuple[str, str]] = [
    # (department, short name used in item names)
    ("市场监督管理局", "市场主体"),
    ("公安局", "户籍"),
    ("人力资源和社会保障局", "社会保险"),
    ("医疗保障局", "医疗保险"),
    ("住房和城乡建设局", "建筑工程"),
    ("自然资源局", "用地"),
    ("不动产登记中心", "不动产"),
    ("住房公积金管理中心", "公积金"),
    ("税务局", "税务"),
    ("交通运输局", "道路运输"),
    ("卫生健康委员会", "医疗机构"),
    ("教育局", "办学"),
    ("民政局", "婚姻"),
    ("生态环境局", "排污"),
    ("农业农村局", "农业"),
    ("文化广电旅游体育局", "文化经营"),
    ("商务局", "对外贸易"),
    ("发展和改革局", "投资项目"),
    ("司法局", "公证"),
    ("应急管理局", "安全生产"),
    ("水务局", "取水"),
    ("城市管理和综合执法局", "城市管理"),
    ("退役军人事务局", "优抚"),
    ("残疾人联合会", "残疾人"),
    ("出入境管理支队", "出入境"),
]
MAIN_HALL = "市民服务中心"
# Branch halls and the departments whose items are handled there.
BRANCH_HALLS: dict[str, tuple[str, ...]] = {
    "不动产登记分厅": ("不动产登记中心", "自然资源局"),
    "社保医保分厅": ("人力资源和社会保障局", "医疗保障局"),
    "公积金分厅": ("住房公积金管理中心",),
    "出入境分厅": ("出入境管理支队",),
}
ACTIONS = [
    "设立登记",
    "变更登记",
    "注销登记",
    "许可证核发",
    "许可证延续",
    "证明开具",
    "备案",
    "资格认定",
    "补证换证",
    "信息查询",
    "待遇申领",
    "年度核验",
]
KINDS = ["行政许可", "公共服务", "行政确认", "行政给付", "其他行政权力"]
KIND_P = [0.40, 0.35, 0.10, 0.05, 0.10]
LEGAL_LIMITS = np.array([5, 10, 15, 20, 30, 60])
LEGAL_P = [0.15, 0.25, 0.20, 0.25, 0.10, 0.05]

CHANNELS = ["window", "online", "terminal", "mail"]
TICKET_CATEGORIES = ["咨询", "求助", "投诉", "举报", "建议"]
CATEGORY_P = np.array([0.45, 0.20, 0.20, 0.05, 0.10])
DIRECT_P = np.array([0.75, 0.30, 0.10, 0.05, 0.40])
TICKET_LIMIT_DAYS = np.array([3, 5, 13, 15, 10])
FOLLOWUPS = ["满意", "基本满意", "不满意", "未回访"]
FOLLOWUP_P = [0.78, 0.12, 0.04, 0.06]
CALL_CHANNELS = ["phone", "web", "transfer"]
WINDOWS = [f"窗口{i:02d}" for i in range(1, 41)]


@dataclass(frozen=True)
class SynthSummary:
    out_dir: Path
    rows: dict[str, int]
    files: dict[str, Path]


# ---------------------------------------------------------------------------------------------
# column helpers (vectorised; string ids are built as fixed-width byte matrices, since a Python
# f-string per row would dominate the run time at 100 million rows)


def _ids(prefix: str, seq: np.ndarray, digits: int = 10) -> pa.Array:
    head = prefix.encode()
    width = len(head) + digits
    n = seq.size
    buf = np.empty((n, width), dtype=np.uint8)
    buf[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    rest = seq.astype(np.int64)
    for i in range(digits):
        buf[:, width - 1 - i] = 48 + rest % 10
        rest = rest // 10
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf.tobytes()))


def _take(
    values: list[str] | pa.Array | pa.ChunkedArray,
    index: np.ndarray,
    mask: np.ndarray | None = None,
) -> pa.Array:
    """``values[index]`` as a plain string array (NULL where ``mask``).

    Decoding a dictionary array is about three times faster than ``pyarrow.compute.take``.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    elif not isinstance(values, pa.Array):
        values = pa.array(values, type=pa.string())
    indices = pa.array(index.astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, values).dictionary_decode()


def _ts(us: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    # Exports carry whole seconds; so does the synthetic data.
    return pa.array(us - us % US_PER_S, type=pa.timestamp("us"), mask=mask)


def _choice(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(p) - 1)


def _office_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight within office hours (9:00–12:00, 13:30–17:30)."""
    morning = rng.random(n) < 0.55
    s = rng.random(n)
    return np.where(morning, 9 * 3600 + s * 3 * 3600, 13.5 * 3600 + s * 4 * 3600).astype(np.int64)


def _day_profile_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight for a 24-hour hotline: busy by day, quiet at night."""
    hourly = np.array(
        [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 3, 6, 9, 10, 9, 6, 6, 8, 9, 8, 7, 5, 4, 3.5, 3, 2.5, 1.6]
    )
    hour = _choice(rng, hourly, n)
    return (hour * 3600 + rng.integers(0, 3600, n)).astype(np.int64)


def _day_us(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype(np.int64) * US_PER_DAY


# ---------------------------------------------------------------------------------------------


class _Calendar:
    """Working days of ``year`` and the next one (deadlines spill over the year end)."""

    def __init__(self, year: int) -> None:
        lo, hi = supported_years()
        if not lo <= year < hi:
            raise JixiaoError(
                f"模拟数据年份 {year} 年超出可用范围：法定节假日日历覆盖 {lo}–{hi} 年，"
                f"且办理期限会延续到次年，因此年份须在 {lo}–{hi - 1} 年之间"
            )
        self.year = year
        days, working, ordinal = working_day_arrays(year, year + 1)
        self.days = days
        self.work_days = days[working]
        self.ordinal = ordinal
        self.year_end_us = int(_day_us(np.array([np.datetime64(f"{year + 1}-01-01")]))[0])
        in_year = days < np.datetime64(f"{year + 1}-01-01")
        self.year_work_days = days[working & in_year]
        self.season = self._season(self.year_work_days)

    def _season(self, work_days: np.ndarray) -> np.ndarray:
        month = work_days.astype("datetime64[M]").astype(np.int64) % 12
        month_w = np.array([0.9, 0.85, 1.05, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 0.95, 1.0, 1.15])
        w = month_w[month]
        for name, factor in (("Spring Festival", 0.55), ("National Day", 0.7)):
            hol = np.array(
                [d for d, v in _HOLIDAYS.items() if v == name and d.year == self.year],
                dtype="datetime64[D]",
            )
            if hol.size:
                near = (work_days >= hol.min() - 7) & (work_days <= hol.max() + 7)
                w = np.where(near, w * factor, w)
        return w / w.sum()

    def shift(self, days: np.ndarray, k: np.ndarray) -> np.ndarray:
        """The k-th working day after each (working) day; k = 0 is the day itself."""
        idx = (days - self.days[0]).astype(np.int64)
        pos = self.ordinal[idx].astype(np.int64) - 1 + k
        return self.work_days[np.minimum(pos, self.work_days.size - 1)]


def _catalogue(rng: np.random.Generator) -> tuple[pa.Table, dict[str, np.ndarray]]:
    rows: dict[str, list] = {c: [] for c in arrow_schema("items").names}
    weights: list[float] = []
    dept_of_item: list[int] = []
    seq = 0
    for d, (dept, short) in enumerate(DEPARTMENTS):
        branch = next((h for h, ds in BRANCH_HALLS.items() if dept in ds), None)
        n_items = int(rng.integers(6, 20))
        dept_weight = float(rng.lognormal(0, 0.6)) * (2.5 if branch else 1.0)
        for j in range(n_items):
            seq += 1
            kind = KINDS[int(_choice(rng, np.array(KIND_P), 1)[0])]
            legal = int(LEGAL_LIMITS[_choice(rng, np.array(LEGAL_P), 1)[0]])
            instant = bool(rng.random() < 0.28)
            promised = 0 if instant else max(1, round(legal * rng.uniform(0.15, 0.65)))
            must_enter = bool(rng.random() < 0.95)
            entered = bool(rng.random() < (0.97 if must_enter else 0.5))
            online = bool(rng.random() < 0.82)
            fully = online and bool(rng.random() < 0.7)
            zero = fully and bool(rng.random() < 0.35)
            rows["item_id"].append(f"SX{d + 1:02d}{j + 1:04d}")
            rows["name"].append(f"{short}{ACTIONS[(j + d) % len(ACTIONS)]}（{j + 1}）")
            rows["department"].append(dept)
            rows["hall"].append(branch if branch and rng.random() < 0.8 else MAIN_HALL)
            rows["kind"].append(kind)
            rows["legal_limit_days"].append(legal)
            rows["promised_limit_days"].append(promised)
            rows["must_enter"].append(must_enter)
            rows["entered"].append(entered)
            rows["online_applicable"].append(online)
            rows["fully_online"].append(fully)
            rows["instant"].append(instant)
            rows["max_one_visit"].append(zero or bool(rng.random() < 0.9))
            rows["zero_visit"].append(zero)
            rows["comprehensive_window"].append(bool(rng.random() < 0.45))
            rows["tolerant_acceptance"].append(bool(rng.random() < 0.3))
            weights.append(dept_weight * float(rng.lognormal(0, 1.0)))
            dept_of_item.append(d)
    table = pa.Table.from_pydict(rows, schema=arrow_schema("items"))
    info = {
        "weight": np.array(weights) / np.sum(weights),
        "promised": np.array(rows["promised_limit_days"], dtype=np.int64),
        "online": np.array(rows["online_applicable"]),
        "fully": np.array(rows["fully_online"]),
        "zero": np.array(rows["zero_visit"]),
        "dept": np.array(dept_of_item),
        "hall": np.array(rows["hall"], dtype=object),
    }
    return table, info


def _case_chunk(
    rng: np.random.Generator, cal: _Calendar, items: pa.Table, info: dict, start: int, n: int
) -> tuple[pa.Table, dict[str, np.ndarray]]:
    item = _choice(rng, info["weight"], n)
    day_idx = _choice(rng, cal.season, n)
    day = cal.year_work_days[day_idx]
    accepted = _day_us(day) + _office_seconds(rng, n) * US_PER_S
    promised = info["promised"][item]

    online_p = np.where(info["fully"][item], 0.85, np.where(info["online"][item], 0.55, 0.0))
    is_online = rng.random(n) < online_p
    offline_kind = _choice(rng, np.array([0.88, 0.0, 0.08, 0.04]), n)
    channel = np.where(is_online, 1, offline_kind)

    u = rng.random(n)
    visits = np.where(
        channel == 1,
        np.where(info["zero"][item] | (u < 0.97), 0, 1),
        np.where(channel == 3, 0, 1 + (u > 0.80) + (u > 0.95) + (u > 0.99)),
    ).astype(np.int32)

    r = rng.random(n)
    result = np.where(r < 0.015, 2, np.where(r < 0.04, 1, 0))  # 2 withdrawn, 1 refused
    late = (rng.random(n) < 0.05) & (result == 0)
    within = np.floor(rng.random(n) ** 1.6 * (promised + 1)).astype(np.int64)
    over = promised + 1 + rng.geometric(0.4, n) - 1
    k = np.where(late, over, within)
    k = np.where((promised == 0) & ~late, 0, k)
    done_day = cal.shift(day, k)
    same_day = k == 0
    minutes = np.minimum(rng.exponential(40, n) + 1, 600).astype(np.int64)
    completed = np.where(
        same_day,
        np.minimum(accepted + minutes * 60 * US_PER_S, _day_us(day) + US_PER_DAY - US_PER_S),
        _day_us(done_day) + _office_seconds(rng, n) * US_PER_S,
    )
    open_ = completed >= cal.year_end_us
    deadline = np.where(promised == 0, day, cal.shift(day, promised))
    completed_online = (channel == 1) & (info["fully"][item] | (rng.random(n) < 0.5))

    results = ["approved", "refused", "withdrawn"]
    table = pa.table(
        {
            "case_id": _ids(f"BJ{cal.year}", np.arange(start, start + n)),
            "item_id": _take(items["item_id"], item),
            "department": _take(items["department"], item),
            "hall": _take(items["hall"], item),
            "channel": _take(CHANNELS, channel),
            "accepted_at": _ts(accepted),
            "completed_at": _ts(completed, mask=open_),
            "result": _take(results, result, mask=open_),
            "visits": pa.array(visits),
            "promised_deadline": pa.array(
                deadline.astype("datetime64[D]").astype(np.int32), type=pa.date32()
            ),
            "completed_online": pa.array(completed_online, mask=open_),
        },
        schema=arrow_schema("cases"),
    )
    return table, {
        "accepted": accepted,
        "completed": np.where(open_, -1, completed),
        "channel": channel,
        "item": item,
    }


def _rating_chunk(
    rng: np.random.Generator,
    year: int,
    cases: pa.Table,
    case_info: dict[str, np.ndarray],
    cal: _Calendar,
    start: int,
    n: int,
) -> pa.Table:
    m = cases.num_rows
    pick = rng.choice(m, n, replace=n > m)
    pick.sort()
    pick_arr = pa.array(pick.astype(np.int32))
    completed = case_info["completed"][pick]
    base = np.where(completed >= 0, completed, case_info["accepted"][pick])
    defaulted = rng.random(n) < 0.55
    given_level = 5 - _choice(rng, np.array([0.80, 0.14, 0.04, 0.012, 0.008]), n)
    level = np.where(defaulted, 3, given_level).astype(np.int8)
    delay = np.where(
        defaulted, 7 * US_PER_DAY, (rng.exponential(0.6, n) * US_PER_DAY).astype(np.int64)
    )
    rated = base + np.maximum(delay, 60 * US_PER_S)
    bad = level <= 2
    v = rng.random(n)
    rect_days = np.where(v < 0.80, rng.uniform(0.2, 5, n), rng.uniform(6, 20, n))
    rectified = rated + (rect_days * US_PER_DAY).astype(np.int64)
    not_rectified = ~bad | (v > 0.92)
    channel = case_info["channel"][pick]
    window = _take(WINDOWS, rng.integers(0, len(WINDOWS), n), mask=channel != 0)
    return pa.table(
        {
            "rating_id": _ids(f"PJ{year}", np.arange(start, start + n)),
            "case_id": pc.take(cases["case_id"], pick_arr),
            "window": window,
            "department": pc.take(cases["department"], pick_arr),
            "hall": pc.take(cases["hall"], pick_arr),
            "channel": _take(CHANNELS, channel),
            "rated_at": _ts(rated),
            "level": pa.array(level),
            "defaulted": pa.array(defaulted),
            "rectified_at": _ts(rectified, mask=not_rectified),
            "rectification_result": _take(["已整改"], np.zeros(n, dtype=np.int32), not_rectified),
        },
        schema=arrow_schema("ratings"),
    )


def _hotline_times(rng: np.random.Generator, cal: _Calendar, n: int) -> np.ndarray:
    days = np.arange(np.datetime64(f"{cal.year}-01-01"), np.datetime64(f"{cal.year + 1}-01-01"))
    day = days[rng.integers(0, days.size, n)]
    return _day_us(day) + _day_profile_seconds(rng, n) * US_PER_S


def _call_chunk(rng: np.random.Generator, cal: _Calendar, start: int, n: int) -> pa.Table:
    received = np.sort(_hotline_times(rng, cal, n))
    channel = _choice(rng, np.array([0.90, 0.06, 0.04]), n)
    phone = channel == 0
    answered = ~phone | (rng.random(n) < 0.955)
    wait = np.where(
        answered,
        rng.gamma(1.5, 6.0, n),
        rng.uniform(10, 120, n),
    ).astype(np.int32)
    return pa.table(
        {
            "call_id": _ids(f"RX{cal.year}", np.arange(start, start + n)),
            "received_at": _ts(received),
            "channel": _take(CALL_CHANNELS, channel),
            "answered": pa.array(answered),
            "wait_seconds": pa.array(wait, mask=~phone),
            # An unanswered call carries no request; about 72 % of all calls are valid.
            "valid": pa.array(answered & (rng.random(n) < 0.755)),
        },
        schema=arrow_schema("hotline_calls"),
    )


def _ticket_chunk(
    rng: np.random.Generator,
    cal: _Calendar,
    start: int,
    n: int,
    calls: pa.Table | None = None,
) -> pa.Table:
    """Tickets; with ``calls`` (a chunk of calls), tickets are registered from its valid calls.

    Every valid call becomes a ticket a few minutes later, as far as this chunk's share of
    tickets allows; the remaining tickets come from other sources and have no call.
    """
    received = _hotline_times(rng, cal, n)
    call_id = pa.nulls(n, pa.string())
    if calls is not None and calls.num_rows:
        valid = np.flatnonzero(calls["valid"].to_numpy(zero_copy_only=False))
        k = min(n, valid.size)
        pick = np.sort(rng.choice(valid, k, replace=False))
        call_times = calls["received_at"].to_numpy().astype(np.int64)[pick]
        received[:k] = call_times + (rng.uniform(0.5, 5, k) * 60 * US_PER_S).astype(np.int64)
        ids = pc.take(calls["call_id"].combine_chunks(), pa.array(pick.astype(np.int32)))
        call_id = pa.concat_arrays([ids, pa.nulls(n - k, pa.string())])
    order = np.argsort(received, kind="stable")
    received = received[order]
    call_id = pc.take(call_id, pa.array(order.astype(np.int32)))
    category = _choice(rng, CATEGORY_P, n)
    direct = rng.random(n) < DIRECT_P[category]
    dept = rng.integers(0, len(DEPARTMENTS), n)
    dispatched = received + (rng.uniform(10, 240, n) * 60 * US_PER_S).astype(np.int64)
    dispatch_day = dispatched.astype("datetime64[us]").astype("datetime64[D]")
    # Limits run from the first working day after dispatch.
    due_day = cal.shift(
        cal.shift(_next_working(cal, dispatch_day), np.zeros(n, np.int64)),
        TICKET_LIMIT_DAYS[category].astype(np.int64),
    )
    due = _day_us(due_day) + 18 * 3600 * US_PER_S
    w = rng.random(n)
    on_time_close = dispatched + (rng.random(n) * (due - dispatched)).astype(np.int64)
    late_close = due + (rng.exponential(3, n) * US_PER_DAY).astype(np.int64)
    closed = np.where(w < 0.92, on_time_close, late_close)
    closed = np.where(
        direct, received + (rng.uniform(2, 20, n) * 60 * US_PER_S).astype(np.int64), closed
    )
    open_ = ~direct & ((w > 0.985) | (closed >= cal.year_end_us))
    followup = _choice(rng, np.array(FOLLOWUP_P), n)
    return pa.table(
        {
            "ticket_id": _ids(f"GD{cal.year}", np.arange(start, start + n)),
            "call_id": call_id,
            "received_at": _ts(received),
            "category": _take(TICKET_CATEGORIES, category),
            "handling": _take(["direct", "dispatched"], (~direct).astype(np.int32)),
            "department": _take([d for d, _ in DEPARTMENTS], dept, mask=direct),
            "dispatched_at": _ts(dispatched, mask=direct),
            "due_at": _ts(due, mask=direct),
            "closed_at": _ts(closed, mask=open_),
            "followup": _take(FOLLOWUPS, followup, mask=open_),
        },
        schema=arrow_schema("hotline_tickets"),
    )


def _next_working(cal: _Calendar, days: np.ndarray) -> np.ndarray:
    """The first working day strictly after each day."""
    idx = (days - cal.days[0]).astype(np.int64)
    return cal.work_days[np.minimum(cal.ordinal[idx], cal.work_days.size - 1)]


# Columns with few distinct values: dictionary-encoded in Parquet (ids and times are not).
_DICTIONARY_COLUMNS = [
    "item_id",
    "department",
    "hall",
    "channel",
    "result",
    "kind",
    "category",
    "handling",
    "followup",
    "window",
    "rectification_result",
]


class _Writer:
    """A Parquet writer on its own thread, so that generating the next chunk (numpy) overlaps
    compressing and writing this one (Arrow releases the GIL); at most two chunks wait."""

    def __init__(self, path: Path, table: str, chunk_size: int) -> None:
        schema = arrow_schema(table)
        self._writer = pq.ParquetWriter(
            path,
            schema,
            use_dictionary=[c for c in _DICTIONARY_COLUMNS if c in schema.names],
        )
        self._chunk_size = chunk_size
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (table := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._writer.write_table(table, row_group_size=self._chunk_size)
                except BaseException as exc:  # re-raised in the generating thread
                    self._error = exc

    def put(self, table: pa.Table) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(table)

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        self._writer.close()
        if self._error is not None and exc[0] is None:
            raise self._error


def _chunks(total: int, size: int) -> list[tuple[int, int]]:
    return [(s, min(size, total - s)) for s in range(0, total, size)]


def synthesize(
    out_dir: str | Path,
    cases: int = 100_000,
    tickets: int = 50_000,
    ratings: int = 80_000,
    seed: int = 7,
    year: int = 2023,
    calls: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> SynthSummary:
    """Write items, cases, hotline calls and tickets, and ratings as Parquet into ``out_dir``.

    ``calls`` defaults to 1.4 × ``tickets`` (about 72 % of calls are valid requests). Ratings
    rate generated cases, so ``ratings`` needs ``cases`` > 0.
    """
    for name, value in (("办件", cases), ("工单", tickets), ("评价", ratings)):
        if value < 0:
            raise JixiaoError(f"{name}数量不能为负数：{value}")
    if ratings and not cases:
        raise JixiaoError("好差评记录评价的是办件：生成评价时办件数量须大于 0")
    if chunk_size < 1:
        raise JixiaoError("分块大小须大于 0")
    n_calls = round(tickets * 1.4) if calls is None else calls
    cal = _Calendar(year)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    root = np.random.SeedSequence(seed)
    s_items, s_cases, s_ratings, s_calls, s_tickets = root.spawn(5)

    files = {
        t: out / f"{t}.parquet"
        for t in ("items", "cases", "hotline_calls", "hotline_tickets", "ratings")
    }
    items, info = _catalogue(np.random.default_rng(s_items))
    pq.write_table(items, files["items"])
    rows = {
        "items": items.num_rows,
        "cases": 0,
        "hotline_calls": 0,
        "hotline_tickets": 0,
        "ratings": 0,
    }

    def report(label: str, done: int, total: int) -> None:
        if progress:
            progress(label, done, total)

    case_chunks = _chunks(cases, chunk_size)
    with (
        _Writer(files["cases"], "cases", chunk_size) as cw,
        _Writer(files["ratings"], "ratings", chunk_size) as rw,
    ):
        case_seeds = s_cases.spawn(max(1, len(case_chunks)))
        rating_seeds = s_ratings.spawn(max(1, len(case_chunks)))
        for i, (start, n) in enumerate(case_chunks):
            table, case_info = _case_chunk(
                np.random.default_rng(case_seeds[i]), cal, items, info, start, n
            )
            cw.put(table)
            # Ratings are spread over the case chunks in proportion, so each rates a real case.
            r_start = ratings * start // cases
            r_n = ratings * (start + n) // cases - r_start
            if r_n:
                rt = _rating_chunk(
                    np.random.default_rng(rating_seeds[i]),
                    year,
                    table,
                    case_info,
                    cal,
                    r_start,
                    r_n,
                )
                rw.put(rt)
                rows["ratings"] += r_n
            rows["cases"] += n
            report("办件与好差评", start + n, cases)

    # Calls and tickets are generated together, chunk by chunk, so that tickets can be registered
    # from the valid calls of the same chunk (memory stays bounded by the chunk size).
    call_chunks = _chunks(n_calls, chunk_size) if n_calls else _chunks(tickets, chunk_size)
    call_seeds = s_calls.spawn(max(1, len(call_chunks)))
    ticket_seeds = s_tickets.spawn(max(1, len(call_chunks)))
    base = n_calls or tickets
    with (
        _Writer(files["hotline_calls"], "hotline_calls", chunk_size) as callw,
        _Writer(files["hotline_tickets"], "hotline_tickets", chunk_size) as ticketw,
    ):
        for i, (start, n) in enumerate(call_chunks):
            calls_table = None
            if n_calls:
                calls_table = _call_chunk(np.random.default_rng(call_seeds[i]), cal, start, n)
                callw.put(calls_table)
                rows["hotline_calls"] += n
            t_start = tickets * start // base
            t_n = tickets * (start + n) // base - t_start
            if t_n:
                ticketw.put(
                    _ticket_chunk(
                        np.random.default_rng(ticket_seeds[i]), cal, t_start, t_n, calls_table
                    )
                )
                rows["hotline_tickets"] += t_n
            report("12345来电与工单", start + n, base)
    return SynthSummary(out_dir=out, rows=rows, files=files)
