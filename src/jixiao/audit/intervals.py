"""Interval arithmetic for printed figures, in the manner of XBRL Calculations 1.1.

A printed figure stands for every value that would print the same way: ``933.09`` is any value
in [933.085, 933.095]; ``64万余`` is any value in [640000, 650000). A relation between printed
figures is inconsistent only when the intervals cannot meet, so rounding is never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

# Relative slack for float noise; the intervals themselves carry the rounding tolerance.
_EPS = 1e-9


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    @staticmethod
    def exact(x: float) -> Interval:
        return Interval(x, x)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, k: float) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def div(self, other: Interval) -> Interval | None:
        """Quotient of two intervals; None when the divisor may be zero or negative."""
        if other.lo <= 0:
            return None
        cands = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(cands), max(cands))

    def meets(self, other: Interval) -> bool:
        tol = _EPS * max(1.0, abs(self.lo), abs(self.hi), abs(other.lo), abs(other.hi))
        return self.lo <= other.hi + tol and other.lo <= self.hi + tol

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    def distance(self, other: Interval) -> float:
        """Gap between two intervals (0 when they meet)."""
        if self.meets(other):
            return 0.0
        return other.lo - self.hi if self.hi < other.lo else self.lo - other.hi


def sum_intervals(items: list[Interval]) -> Interval:
    total = Interval(0.0, 0.0)
    for it in items:
        total = total + it
    return total


def fmt_number(x: float, decimals: int) -> str:
    """Format like a report prints: fixed decimals, no thousands separator."""
    if decimals <= 0:
        return f"{round(x):d}"
    return f"{x:.{decimals}f}"
