"""Template filters: Chinese labels for values stored in English in the evaluation JSON."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

ANSWERS = {"yes": "是", "partly": "部分", "no": "否"}
SOURCE_KINDS = {"file": "来自", "kpi": "服务记录计算", "manual": "人工录入", "default": "默认值"}


@register.filter
def answer_label(value: Any) -> str:
    return ANSWERS.get(str(value), str(value)) if value not in (None, "") else "未回答"


@register.filter
def source_kind(value: Any) -> str:
    return SOURCE_KINDS.get(str(value), str(value))
