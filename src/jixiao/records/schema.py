"""Canonical record tables: the contract between importers, the store and the KPI engine.

Timestamps are wall-clock times in Asia/Shanghai, stored without an offset (``timestamp``):
every source is converted to Asia/Shanghai on import, so that a month or a working day means
the same on DuckDB, Spark and PostgreSQL. Time limits are in working days (China's official
calendar with 调休, see ``jixiao.records.calendar``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    label: str  # the Chinese header used in templates, quarantine files and error messages
    nullable: bool = True


def _schema(columns: list[Column]) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in columns])


TS = pa.timestamp("us")

ITEMS: list[Column] = [
    Column("item_id", pa.string(), "事项编码", nullable=False),
    Column("name", pa.string(), "事项名称", nullable=False),
    Column("department", pa.string(), "实施部门", nullable=False),
    Column("hall", pa.string(), "大厅", nullable=False),
    Column("kind", pa.string(), "事项类型"),  # 行政许可 / 公共服务 / 行政确认 …
    Column("legal_limit_days", pa.int32(), "法定时限（工作日）"),
    Column("promised_limit_days", pa.int32(), "承诺时限（工作日）"),
    Column("must_enter", pa.bool_(), "应进驻"),
    Column("entered", pa.bool_(), "已进驻"),
    Column("online_applicable", pa.bool_(), "可网办"),
    Column("fully_online", pa.bool_(), "全程网办"),
    Column("instant", pa.bool_(), "即办件"),
    Column("max_one_visit", pa.bool_(), "最多跑一次"),
    Column("zero_visit", pa.bool_(), "不见面审批"),
    Column("comprehensive_window", pa.bool_(), "综合窗口受理"),
    Column("tolerant_acceptance", pa.bool_(), "容缺受理"),
]

CASES: list[Column] = [
    Column("case_id", pa.string(), "办件编号", nullable=False),
    Column("item_id", pa.string(), "事项编码", nullable=False),
    Column("department", pa.string(), "实施部门", nullable=False),
    Column("hall", pa.string(), "大厅", nullable=False),
    Column("channel", pa.string(), "申办渠道", nullable=False),  # window/online/terminal/mail
    Column("accepted_at", TS, "受理时间", nullable=False),
    Column("completed_at", TS, "办结时间"),  # null while open
    Column("result", pa.string(), "办理结果"),  # approved / refused / withdrawn / null
    Column("visits", pa.int32(), "到现场次数"),
    Column("promised_deadline", pa.date32(), "承诺办结日期"),
    Column("completed_online", pa.bool_(), "网上办结"),
]

HOTLINE_CALLS: list[Column] = [
    Column("call_id", pa.string(), "来电编号", nullable=False),
    Column("received_at", TS, "来电时间", nullable=False),
    Column("channel", pa.string(), "渠道", nullable=False),  # phone / web / transfer
    Column("answered", pa.bool_(), "是否接通", nullable=False),
    Column("wait_seconds", pa.int32(), "等待时长（秒）"),
    Column("valid", pa.bool_(), "有效诉求"),
]

HOTLINE_TICKETS: list[Column] = [
    Column("ticket_id", pa.string(), "工单编号", nullable=False),
    Column("call_id", pa.string(), "来电编号"),
    Column("received_at", TS, "受理时间", nullable=False),
    Column("category", pa.string(), "诉求类型"),  # 咨询 / 求助 / 投诉 / 举报 / 建议
    Column("handling", pa.string(), "处理方式", nullable=False),  # direct / dispatched
    Column("department", pa.string(), "承办部门"),
    Column("dispatched_at", TS, "派单时间"),
    Column("due_at", TS, "办理时限"),
    Column("closed_at", TS, "办结时间"),
    Column("followup", pa.string(), "回访结果"),  # 满意 / 基本满意 / 不满意 / 未回访
]

RATINGS: list[Column] = [
    Column("rating_id", pa.string(), "评价编号", nullable=False),
    Column("case_id", pa.string(), "办件编号"),
    Column("window", pa.string(), "窗口"),
    Column("department", pa.string(), "实施部门"),
    Column("hall", pa.string(), "大厅"),
    Column("channel", pa.string(), "评价渠道"),
    Column("rated_at", TS, "评价时间", nullable=False),
    Column("level", pa.int8(), "评价等级", nullable=False),  # 5 非常满意 … 1 非常不满意
    Column("defaulted", pa.bool_(), "系统默认评价"),  # e.g. Guangdong: unrated for 7 days
    Column("rectified_at", TS, "整改时间"),
    Column("rectification_result", pa.string(), "整改结果"),
]

TABLES: dict[str, list[Column]] = {
    "items": ITEMS,
    "cases": CASES,
    "hotline_calls": HOTLINE_CALLS,
    "hotline_tickets": HOTLINE_TICKETS,
    "ratings": RATINGS,
}

TABLE_LABELS: dict[str, str] = {
    "items": "事项目录",
    "cases": "办件",
    "hotline_calls": "12345来电",
    "hotline_tickets": "12345工单",
    "ratings": "好差评",
}

PRIMARY_KEYS: dict[str, str] = {
    "items": "item_id",
    "cases": "case_id",
    "hotline_calls": "call_id",
    "hotline_tickets": "ticket_id",
    "ratings": "rating_id",
}

# Columns that a later export of the same record legitimately fills in: a case completed after
# its first export, a ticket dispatched or closed later, a bad rating rectified later. A stored
# row whose id comes again with only these columns newly filled (empty in the store) is updated;
# any other difference is a conflict (see ``records.importer``). A due date comes with dispatch.
FILLED_LATER: dict[str, tuple[str, ...]] = {
    "cases": ("completed_at", "result", "completed_online", "visits"),
    "hotline_tickets": ("closed_at", "followup", "dispatched_at", "department", "due_at"),
    "ratings": ("rectified_at", "rectification_result"),
}

RATING_LEVELS: dict[int, str] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}


def arrow_schema(table: str) -> pa.Schema:
    return _schema(TABLES[table])
