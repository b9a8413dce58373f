"""AUD-COUNT: an enumerated list against the count printed after it.

"设办公室、综合协调科、……、网上办事大厅管理科等6个科室" names six; "内设秘书股、投资服务股、督办股、
12345服务热线管理股4个股室" must name exactly four. With 等 the list may be partial, so only a count
smaller than the names listed is wrong.
"""

from __future__ import annotations

import re

from jixiao.audit.context import Doc
from jixiao.audit.result import Issue

_ENUM_UNITS = {"个", "项", "家", "名", "种", "类", "所", "条", "股", "科", "处"}
_CLAUSE = re.compile(r"[，,。；;：:！!？?\n]")
_BRACKETS = re.compile(r"\([^()]*\)|“[^“”]*”|《[^《》]*》")
_TAIL_WITH_DENG = re.compile(r"等(?:[\u4e00-\u9fff]{0,6})$")
# What a counted list names: units, sections, items. A count of something else ("A、B两个部门
# 的30名工作人员") is not the list's count.
_CATEGORY = re.compile(
    r"(股室|科室|部门|单位|机构|事项|项目|窗口|分厅|中心|乡镇|街道|大厅|企业|平台|系统|证照|栏目|"
    r"股|科|室|处|类|种|家)"
)


def check(doc: Doc) -> list[Issue]:
    out: list[Issue] = []
    text = doc.text
    for f in doc.figures:
        if f.kind != "count" or f.unit not in _ENUM_UNITS or f.decimals or f.rounded:
            continue
        lo = f.start
        while lo > 0 and not _CLAUSE.match(text[lo - 1]):
            lo -= 1
        seg = text[lo : f.start]
        if "、" not in seg:
            continue
        plain = _BRACKETS.sub("", seg)
        # A quoted list ("照、章、税、金、保") is one token for _BRACKETS; count inside it too.
        quoted = re.fullmatch(r"[^“”]*“([^“”]*)”[\u4e00-\u9fff]{0,2}", seg)
        items = (quoted.group(1) if quoted else plain).split("、")
        if len(items) < 2 or any(not it.strip() for it in items):
            continue
        if any(
            re.search(r"\d", it) and not re.fullmatch(r"\d+[\u4e00-\u9fff]+", it) for it in items
        ):
            continue
        last = items[-1]
        has_deng = bool(_TAIL_WITH_DENG.search(last)) and not quoted
        after = text[f.end : f.end + 8]
        between = last[last.rfind("等") :] if has_deng else ""
        if last.endswith("的") or "的" in between:
            continue  # "A、B等部门的2名联络员": the count belongs to what follows 的
        if not (_CATEGORY.match(after) or _CATEGORY.search(between) or f.unit in ("家", "种")):
            continue
        n = len(items)
        if has_deng:
            if f.num >= n:
                continue
            msg = f"列举了 {n} 项（“等”表示未列全），但合计只写 {f.raw}"
        else:
            # Without 等 the count must follow the last name directly, or the list is not its.
            if len(last) > 14 or "是" in seg[:4]:
                continue
            if f.num == n:
                continue
            msg = f"列举了 {n} 项，文中写作 {f.raw}"
        out.append(Issue("AUD-COUNT", "error", msg, f.start, f.end, stated=f.raw, expected=str(n)))
    return out
