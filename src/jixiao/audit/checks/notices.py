"""AUD-NOTICE / AUD-FIGURE: malformed notice numbers and malformed figures.

A notice number is 机关代字 + 〔年份〕 + 序号 + 号 (GB/T 9704: the year in 六角括号 〔〕). Brackets
that do not pair (〔2024]), a missing 号, or an implausible year are reported; the common square
brackets ([2019]) are accepted with an info note. A figure with two decimal points, a doubled
unit (万万元, %%) or a doubled decimal point cannot be read as a number at all.
"""

from __future__ import annotations

import re

from jixiao.audit.context import Doc
from jixiao.audit.result import Issue

_OPEN = "〔[【("
_CLOSE = "〕]】)"
# Find the bracketed year first, then look back for the issuing organ's abbreviation: a lazy
# CJK prefix in the pattern itself would be tried at every character of the text.
_NOTICE = re.compile(r"(?P<o>[〔\[【(])(?P<y>\d{2,5})(?P<c>[〕\]】)]?)(?P<n>\d{1,4})?(?P<hao>号)?")
_ORG = re.compile(r"[\u4e00-\u9fff]{1,4}$")
_ORG_END = set("字发函办评绩预财规通文令")
_BAD_FIGURES = [
    (
        re.compile(r"(?<![\d.])\d+\.\d+\.\d+(?=\s*(?:%|万|亿|元|件|宗|项|人|个))"),
        "数字含两个小数点",
    ),
    (re.compile(r"\d\.\.\d"), "数字含连续两个小数点"),
    (re.compile(r"\d(?:%%|万万|亿亿|元元)"), "单位重复"),
    (re.compile(r"\d%\d"), "百分号位置错误"),
]


def check(doc: Doc) -> list[Issue]:
    out: list[Issue] = []
    text = doc.text
    n = doc.evaluated_year
    for m in _NOTICE.finditer(text):
        if m.start() == 0 or text[m.start() - 1] not in _ORG_END:
            continue
        om = _ORG.search(text, max(0, m.start() - 4), m.start())
        if om is None:
            continue
        org = om.group(0)
        o, c, y = m.group("o"), m.group("c"), m.group("y")
        seq, hao = m.group("n"), m.group("hao")
        if o == "(" and not (seq and hao):
            continue  # an ordinary bracket after a word, not a notice number
        raw = org + m.group(0)
        a, b = om.start(), m.end()
        if len(y) != 4:
            out.append(
                Issue("AUD-NOTICE", "error", f"文号年份“{y}”不是四位年份：{raw}", a, b, stated=raw)
            )
            continue
        if not c or _OPEN.index(o) != _CLOSE.index(c):
            want = f"{org}〔{y}〕{seq or ''}号"
            out.append(
                Issue(
                    "AUD-NOTICE",
                    "error",
                    f"文号括号不配对：{raw}，应写作 {want}",
                    a,
                    b,
                    stated=raw,
                    expected=want,
                )
            )
            continue
        if not seq:
            out.append(Issue("AUD-NOTICE", "error", f"文号缺少序号：{raw}", a, b, stated=raw))
            continue
        if not hao:
            out.append(
                Issue(
                    "AUD-NOTICE",
                    "warning",
                    f"文号缺少“号”字：{raw}",
                    a,
                    b,
                    stated=raw,
                    expected=raw + "号",
                )
            )
            continue
        year = int(y)
        if n is not None and year > n + 1:
            out.append(
                Issue(
                    "AUD-NOTICE",
                    "warning",
                    f"文号年份 {year} 晚于评价年度 {n} 年的次年，疑为笔误：{raw}",
                    m.start("y"),
                    m.end("y"),
                    stated=str(year),
                    expected=f"≤{n + 1}",
                )
            )
        if o != "〔":
            out.append(
                Issue(
                    "AUD-NOTICE",
                    "info",
                    f"文号年份宜用六角括号〔〕（GB/T 9704）：{raw}",
                    a,
                    b,
                    stated=raw,
                    expected=f"{org}〔{y}〕{seq}号",
                )
            )
    for rx, what in _BAD_FIGURES:
        for m in rx.finditer(text):
            out.append(
                Issue(
                    "AUD-FIGURE",
                    "error",
                    f"数字格式错误（{what}）：{m.group(0)}",
                    m.start(),
                    m.end(),
                    stated=m.group(0),
                )
            )
    return out
