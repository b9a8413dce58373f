"""Read the printed figures of a report: amounts, counts, percentages, with their precision.

Hand-written on purpose: no library parses Chinese report figures. Number parsers (babel,
cn2an, quantulum) either read Arabic numbers without the measure word and the rounding
qualifiers (余 / 多 / 约 / 近) that decide a figure's interval, or read Chinese numerals, which
these reports use only for list labels. The grammar of a figure here is small and regular:
``[约|近] 数字 [余|多] [万|亿|千] [余|多] 单位``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.audit.intervals import Interval

MONEY_UNITS = {"元"}
PERCENT_UNITS = {"%"}
# Measure words of counts, longest first so that 人次 wins over 人 and 个工作日 over 个.
COUNT_UNITS = [
    "个工作日",
    "工作日",
    "平方米",
    "人次",
    "小时",
    "分钟",
    "件",
    "宗",
    "项",
    "个",
    "人",
    "名",
    "次",
    "家",
    "台",
    "户",
    "份",
    "条",
    "场",
    "张",
    "辆",
    "套",
    "所",
    "座",
    "批",
    "种",
    "篇",
    "期",
    "间",
    "处",
    "位",
    "笔",
    "亩",
    "天",
    "日",
    "秒",
    "分",
]
_UNIT_ALT = "|".join(["元", "%", "‰", *COUNT_UNITS])
_MAG = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}

# The lookahead on the first character of a qualifier, magnitude or unit lets the scan skip
# bare numbers (years, list labels, codes) without building a match for each.
_NEXT = "".join(sorted({u[0] for u in ["元", "%", "‰", *COUNT_UNITS]} | set("余多万亿千")))
# The character before a figure is tested in Python, not by a look-behind: a pattern that opens
# with a look-behind cannot use the regex engine's fast scan for its first character.
_NOT_BEFORE = set("0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/-")
FIGURE_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)(?!\.?\d)(?=[" + re.escape(_NEXT) + "])"
    r"(?P<q1>余|多)?(?P<mag>万|亿|千)?(?P<q2>余|多)?(?P<unit>" + _UNIT_ALT + ")?"
)
# Words right before a figure that change what it means.
_PREFIX_QUAL = re.compile(
    r"(约|大约|近|将近|接近|逾|超过|超|不足|不到|不少于|不低于|至少|最高|最低)$"
)
_SUFFIX_BOUND = re.compile(r"^(以上|以下|以内|左右|上下|之内)")
_CLAUSE_PUNCT = '，,。；;：:！!？?、()（）《》“”"\n\t'
_FUNCTION_CHARS = set("的已可实进中共等为是在和与及达以均全都被将并分占其较比了从至到由")


@dataclass
class Figure:
    start: int
    end: int
    raw: str
    num: float
    decimals: int
    kind: str  # "money" | "percent" | "count" | "score"
    unit: str  # canonical unit: 元, %, or the measure word
    value: float  # scaled: money in 元, counts as counted, percent in %
    interval: Interval
    step: float  # one unit of the last printed digit, scaled
    qualifier: str = ""
    bound: bool = False  # 以上 / 以下 / 不低于 …: a limit, not a value
    noun: str = ""
    left: str = ""  # text between the previous figure or clause mark and this figure

    @property
    def rounded(self) -> bool:
        return self.qualifier in {"余", "多", "约", "近", "左右"}

    def compatible(self, other: Figure) -> bool:
        """Whether two figures count the same kind of thing (and can be added or divided)."""
        if self.kind != other.kind:
            return False
        if self.kind in ("money", "percent", "score"):
            return True
        if self.noun and other.noun:
            return self.noun == other.noun
        return self.unit == other.unit


def _last_digit_unit(num_text: str) -> float:
    """Value of one unit in the last significant printed digit: 150 → 10, 42.9 → 0.1."""
    if "." in num_text:
        return 10.0 ** -len(num_text.split(".")[1])
    stripped = num_text.rstrip("0")
    zeros = len(num_text) - len(stripped) if stripped else 0
    return 10.0**zeros


def _noun_after(text: str, pos: int) -> str:
    run = []
    for ch in text[pos : pos + 2]:
        if "\u4e00" <= ch <= "\u9fff":
            run.append(ch)
        else:
            break
    if not run or run[0] in _FUNCTION_CHARS:
        return ""
    return "".join(run) if len(run) == 2 else ""


def _left_context(text: str, start: int, floor: int) -> str:
    i = start
    lim = max(floor, start - 16)
    while i > lim and text[i - 1] not in _CLAUSE_PUNCT:
        i -= 1
    return text[i:start]


def extract_figures(text: str) -> list[Figure]:
    figures: list[Figure] = []
    prev_end = 0
    for m in FIGURE_RE.finditer(text):
        unit = m.group("unit") or ""
        mag_s = m.group("mag") or ""
        if not unit and not mag_s:
            continue
        num_s = m.group("num")
        start, end = m.start(), m.end()
        before = text[start - 1] if start > 0 else ""
        if before and before in _NOT_BEFORE:
            continue
        # A day of a date (9月10日), an ordinal (第3批) or a year (2018年) is not a figure.
        if unit == "日" and before == "月":
            continue
        if before == "第":
            continue
        if unit == "分" and (text[end : end + 1] in ("钟", "之") or before in "满"):
            continue
        if unit == "‰":
            unit = "%"
            scale_pct = 0.1
        else:
            scale_pct = 1.0
        q = m.group("q1") or m.group("q2") or ""
        left = _left_context(text, start, prev_end)
        pm = _PREFIX_QUAL.search(left)
        bound = False
        qualifier = q
        if pm:
            word = pm.group(1)
            if word in ("约", "大约"):
                qualifier = "约"
            elif word in ("近", "将近", "接近"):
                qualifier = "近"
            else:
                bound = True
                qualifier = word
        sm = _SUFFIX_BOUND.match(text[end : end + 2])
        if sm:
            if sm.group(1) in ("左右", "上下"):
                qualifier = "约"
            else:
                bound = True
                qualifier = sm.group(1)
        num = float(num_s)
        decimals = len(num_s.split(".")[1]) if "." in num_s else 0
        mag = _MAG.get(mag_s, 1.0)
        if unit == "元":
            kind = "money"
        elif unit == "%":
            kind = "percent"
        elif unit == "分":
            kind = "score"
        elif unit:
            kind = "count"
        else:
            kind = "money"  # "166.5万" with no unit: amounts in the narrative of a budget
        value = num * mag * scale_pct
        digit = _last_digit_unit(num_s)
        step = digit * mag * scale_pct
        if qualifier in ("余", "多"):
            iv = Interval(value, value + step)
        elif qualifier == "约":
            iv = Interval(value - step, value + step)
        elif qualifier == "近":
            iv = Interval(value - step, value)
        elif kind == "count" and decimals == 0 and mag == 1.0:
            iv = Interval.exact(value)  # counted things print exactly
        else:
            half = (10.0**-decimals) / 2 * mag * scale_pct
            iv = Interval(value - half, value + half)
        if qualifier not in ("余", "多", "约", "近"):
            # One unit of the last printed digit ("490" → 1, "933.09" → 0.01): the size of a
            # slip that is reported as a warning rather than an error.
            step = (10.0**-decimals) * mag * scale_pct
        figures.append(
            Figure(
                start=start,
                end=end,
                raw=m.group(0),
                num=num,
                decimals=decimals,
                kind=kind,
                unit=unit or mag_s,
                value=value,
                interval=iv,
                step=step,
                qualifier=qualifier,
                bound=bound,
                noun=_noun_after(text, end) if kind == "count" else "",
                left=left,
            )
        )
        prev_end = end
    return figures


_SENT_END = re.compile(r"[。！!？?\n]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.end() - pos > 1:
            spans.append((pos, m.end()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans
