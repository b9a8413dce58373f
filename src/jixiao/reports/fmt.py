"""Number, date and numbering conventions of Chinese self-evaluation reports (report-outline.md).

Every figure the report prints goes through these functions, so that the report, the data table
and the tests agree on one spelling of each number.
"""

from __future__ import annotations

import datetime as dt
import math

_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """Chinese numeral for section numbers: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (n < 100)."""
    if n <= 0 or n >= 100:
        raise ValueError(f"section number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The generated number of a heading: 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{cn_numeral(n)}、"
    if level == 2:
        return f"（{cn_numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fixed2(value: float) -> str:
    """Two decimals, half away from zero (Python's round() is banker's rounding on ties)."""
    from decimal import ROUND_HALF_UP, Decimal

    q = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:.2f}"


def count_text(value: float) -> str:
    """A count: an integer without separators (177321), or two decimals if not whole."""
    if float(value).is_integer():
        return str(int(value))
    return fixed2(value)


def money(value: float) -> str:
    """万元 with two decimals: 933.09万元."""
    return f"{fixed2(value)}万元"


def percent(value: float) -> str:
    """A rate already in percent, two decimals: 99.56%."""
    return f"{fixed2(value)}%"


def quantity(value: float, unit: str | None) -> str:
    """A value with its unit, in the report's conventions."""
    if unit == "万元":
        return money(value)
    if unit == "%":
        return percent(value)
    if unit == "工作日":
        return f"{count_text(value)}个工作日"
    if unit == "元":
        return f"{fixed2(value)}元"
    return f"{count_text(value)}{unit or ''}"


def parse_date(text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text
    return dt.date.fromisoformat(text)


def date_cn(value: str | dt.date) -> str:
    """2024-09-10 → 2024年9月10日; 2002-11 → 2002年11月; 2002 → 2002年."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    parts = str(value).split("-")
    if len(parts) == 1:
        return f"{int(parts[0])}年"
    if len(parts) == 2:
        return f"{int(parts[0])}年{int(parts[1])}月"
    d = parse_date(str(value))
    return f"{d.year}年{d.month}月{d.day}日"


def notice_cn(title: str, number: str | None) -> str:
    """《关于……的通知》（X财绩〔2024〕4号）."""
    t = title.strip().strip("《》")
    return f"《{t}》（{number}）" if number else f"《{t}》"


def score_text(value: float) -> str:
    """Scores are printed as in the samples: 94, 4.5, 3.25 (no trailing zeros)."""
    s = fixed2(value)
    return s.rstrip("0").rstrip(".") if "." in s else s
