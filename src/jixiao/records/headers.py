"""Which canonical table and column a centre's export means: file names, headers and codes.

These are the names seen in Chinese 政务服务 and 12345 exports; a YAML mapping file
(``records.mapping``) adds a centre's own. Everything is compared after :func:`normalise`.
"""

from __future__ import annotations

import re
import unicodedata

from jixiao.records.schema import PRIMARY_KEYS, TABLES

# Table by file name (the stem, trailing digits/dates and separators removed).
FILE_ALIASES: dict[str, tuple[str, ...]] = {
    "items": ("items", "item", "事项", "事项目录", "事项清单", "服务事项", "事项库"),
    "cases": ("cases", "case", "办件", "办件明细", "办件信息", "办件数据", "办件库"),
    "hotline_calls": (
        "hotline_calls",
        "calls",
        "来电",
        "12345来电",
        "话务",
        "话务明细",
        "来电记录",
    ),
    "hotline_tickets": ("hotline_tickets", "tickets", "工单", "12345工单", "工单明细"),
    "ratings": ("ratings", "rating", "好差评", "评价", "评价明细", "好差评明细"),
}

# Extra header names per table and column (the canonical name and the schema label always work).
_EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    "items": {
        "item_id": ("事项编号", "事项代码", "实施编码", "基本编码", "事项编码"),
        "name": ("事项名称",),
        "department": ("实施主体", "部门", "部门名称", "所属部门"),
        "hall": ("办理大厅", "进驻大厅", "所属大厅", "大厅名称"),
        "kind": ("事项类别", "事项种类", "权力类型"),
        "legal_limit_days": ("法定时限", "法定办结时限", "法定期限"),
        "promised_limit_days": ("承诺时限", "承诺办结时限", "承诺期限"),
        "must_enter": ("是否应进驻", "应进必进"),
        "entered": ("是否进驻", "进驻"),
        "online_applicable": ("是否可网办", "网上可办", "可在线申办"),
        "fully_online": ("是否全程网办", "全流程网办"),
        "instant": ("是否即办件", "即办"),
        "max_one_visit": ("是否最多跑一次",),
        "zero_visit": ("是否不见面审批", "零跑动", "是否零跑动"),
        "comprehensive_window": ("综合窗口", "一窗受理", "是否综合窗口受理"),
        "tolerant_acceptance": ("是否容缺受理",),
    },
    "cases": {
        "case_id": ("办件流水号", "申报流水号", "受理编号", "业务流水号", "办件号"),
        "item_id": ("事项编号", "事项代码", "实施编码"),
        "department": ("受理部门", "办理部门", "部门", "部门名称"),
        "hall": ("受理大厅", "办理大厅", "大厅名称"),
        "channel": ("渠道", "申请方式", "受理渠道", "申报渠道", "办理渠道"),
        "accepted_at": ("受理日期",),
        "completed_at": ("办结日期",),
        "result": ("办结结果", "审批结果"),
        "visits": ("跑动次数", "到现场次数", "现场次数"),
        "promised_deadline": ("承诺办结时间", "承诺期限日期"),
        "completed_online": ("是否网上办结",),
    },
    "hotline_calls": {
        "call_id": ("话务编号", "呼叫编号", "通话编号"),
        "received_at": ("呼入时间", "来电日期"),
        "channel": ("来源渠道", "来源", "诉求渠道"),
        "answered": ("接通", "是否接听"),
        "wait_seconds": ("等待时长", "排队时长", "等待秒数"),
        "valid": ("是否有效", "是否有效诉求"),
    },
    "hotline_tickets": {
        "ticket_id": ("工单号",),
        "call_id": ("话务编号",),
        "received_at": ("登记时间", "受理日期", "工单时间"),
        "category": ("工单类型", "诉求类别"),
        "handling": ("办理方式", "处置方式"),
        "department": ("承办单位", "责任单位"),
        "dispatched_at": ("转派时间", "交办时间"),
        "due_at": ("办理期限", "截止时间", "办结时限"),
        "closed_at": ("办结日期", "结案时间"),
        "followup": ("回访满意度", "满意度", "回访评价"),
    },
    "ratings": {
        "rating_id": ("评价编码", "评价流水号"),
        "window": ("窗口编号", "评价窗口"),
        "department": ("部门", "部门名称", "被评价部门"),
        "hall": ("大厅名称", "评价大厅"),
        "channel": ("渠道",),
        "rated_at": ("评价日期",),
        "level": ("评价结果", "满意度"),
        "defaulted": ("是否默认评价", "默认评价", "系统默认好评"),
        "rectified_at": ("整改日期", "整改完成时间"),
        "rectification_result": ("整改情况",),
    },
}

_TRUE = ("是", "y", "yes", "true", "t", "1", "√", "有", "已接通", "接通", "有效")
_FALSE = ("否", "n", "no", "false", "f", "0", "×", "无", "未接通", "呼损", "放弃", "无效")

# Built-in recodes: canonical column → {normalised source value: canonical value}.
VALUE_CODES: dict[str, dict[str, dict[str, str]]] = {
    "cases": {
        "channel": {
            **dict.fromkeys(("window", "窗口", "线下", "现场", "窗口受理", "大厅窗口"), "window"),
            **dict.fromkeys(
                (
                    "online",
                    "网上",
                    "网办",
                    "在线",
                    "网上办理",
                    "网上申报",
                    "互联网",
                    "移动端",
                    "app",
                    "小程序",
                    "网上办事大厅",
                ),
                "online",
            ),
            **dict.fromkeys(("terminal", "自助终端", "自助", "一体机", "自助机"), "terminal"),
            **dict.fromkeys(("mail", "邮寄", "快递", "邮政"), "mail"),
        },
        "result": {
            **dict.fromkeys(
                (
                    "approved",
                    "通过",
                    "准予",
                    "准予许可",
                    "同意",
                    "办结",
                    "已办结",
                    "批准",
                    "准予办理",
                    "正常办结",
                ),
                "approved",
            ),
            **dict.fromkeys(
                (
                    "refused",
                    "不予受理",
                    "不予许可",
                    "不通过",
                    "不予批准",
                    "驳回",
                    "退件",
                    "不予办理",
                ),
                "refused",
            ),
            **dict.fromkeys(
                ("withdrawn", "撤回", "撤件", "撤销申请", "申请人撤回", "撤销"), "withdrawn"
            ),
        },
    },
    "hotline_calls": {
        "channel": {
            **dict.fromkeys(("phone", "电话", "热线电话", "来电", "热线"), "phone"),
            **dict.fromkeys(
                ("web", "网络", "网上留言", "网页", "微信", "短信", "app", "网站"), "web"
            ),
            **dict.fromkeys(("transfer", "转入", "上级转办", "转办", "转来"), "transfer"),
        },
    },
    "hotline_tickets": {
        "handling": {
            **dict.fromkeys(
                ("direct", "直接答复", "直办", "即时答复", "直接办结", "当场答复"), "direct"
            ),
            **dict.fromkeys(("dispatched", "转派", "派单", "转办", "交办", "派发"), "dispatched"),
        },
        "followup": {
            **dict.fromkeys(("满意", "非常满意"), "满意"),
            **dict.fromkeys(("基本满意", "一般", "比较满意"), "基本满意"),
            **dict.fromkeys(("不满意", "非常不满意"), "不满意"),
            **dict.fromkeys(("未回访", "无法回访", "不需回访", "拒绝回访"), "未回访"),
        },
    },
    "ratings": {
        "level": {
            **{str(k): str(k) for k in range(1, 6)},
            "非常满意": "5",
            "满意": "4",
            "基本满意": "3",
            "不满意": "2",
            "非常不满意": "1",
        },
        "channel": {
            **dict.fromkeys(("window", "窗口", "评价器", "现场", "大厅"), "window"),
            **dict.fromkeys(("online", "网上", "网办", "在线", "app", "小程序", "网页"), "online"),
            **dict.fromkeys(("terminal", "自助终端", "一体机"), "terminal"),
            **dict.fromkeys(("sms", "短信"), "sms"),
            **dict.fromkeys(("phone", "电话", "12345"), "phone"),
        },
    },
}

# Columns whose (recoded) values must be one of these.
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "cases": {
        "channel": ("window", "online", "terminal", "mail"),
        "result": ("approved", "refused", "withdrawn"),
    },
    "hotline_calls": {"channel": ("phone", "web", "transfer")},
    "hotline_tickets": {
        "handling": ("direct", "dispatched"),
        "followup": ("满意", "基本满意", "不满意", "未回访"),
    },
}

BOOL_VALUES: dict[str, bool] = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


def normalise(text: str) -> str:
    """Compare names and codes without width, case, spaces or bracket style mattering."""
    text = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "")
    return re.sub(r"\s+", "", text).lower()


def header_aliases(table: str) -> dict[str, str]:
    """Normalised header → canonical column, for one table."""
    out: dict[str, str] = {}
    for column in TABLES[table]:
        for name in (column.name, column.label, *_EXTRA.get(table, {}).get(column.name, ())):
            out.setdefault(normalise(name), column.name)
    return out


def table_from_file_name(stem: str) -> str | None:
    """The canonical table a file name means (``办件_2023``, ``cases-01`` …), if any."""
    base = normalise(re.sub(r"[\s_\-.（）()]*[0-9年月日\-_.]*$", "", stem)) or normalise(stem)
    for table, names in FILE_ALIASES.items():
        if base in {normalise(n) for n in names}:
            return table
    return None


def table_from_headers(headers: list[str]) -> str | None:
    """The table whose primary key is among the headers and which explains most of them."""
    norm = [normalise(h) for h in headers]
    best: tuple[int, str] | None = None
    for table in TABLES:
        aliases = header_aliases(table)
        mapped = {aliases[h] for h in norm if h in aliases}
        if PRIMARY_KEYS[table] not in mapped:
            continue
        if best is None or len(mapped) > best[0]:
            best = (len(mapped), table)
    return best[1] if best else None
