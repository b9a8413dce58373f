"""Number formatting for reasons and displays (Chinese report conventions)."""

from __future__ import annotations


def num(v: float, decimals: int = 2) -> str:
    """A number with at most ``decimals`` decimals and no trailing zeros: 4, 2.85, 0.3."""
    text = f"{v:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_unit(v: float, unit: str | None, kind: str | None = None) -> str:
    """A value as a report prints it: 110.00%, 933.09万元, 11人."""
    if unit == "%" or kind == "percent":
        return f"{v:.2f}%"
    if kind == "money" or (unit and "元" in unit):
        return f"{v:.2f}{unit or ''}"
    if kind == "count" and float(v).is_integer():
        return f"{int(v)}{unit or ''}"
    return f"{num(v)}{unit or ''}"


def score(v: float) -> str:
    return num(v, 2)
