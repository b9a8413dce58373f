"""Ranking groups by a rate without ranking small samples (Open311's rule: no rate without its
denominator, no ranking of tiny samples)."""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.kpis.result import KpiValue


def rank_values(
    values: Iterable[KpiValue], descending: bool = True
) -> list[tuple[int | None, KpiValue]]:
    """Rank the groups of one KPI by value: ties share a rank (1, 2, 2, 4).

    Small samples and null rates are never ranked: they follow the ranked groups, with rank
    None, in their original order.
    """
    values = list(values)
    kpis = {v.kpi for v in values}
    if len(kpis) > 1:
        raise ValueError(f"rank one KPI at a time, got {sorted(kpis)}")
    rankable = [v for v in values if not v.small_sample and v.value is not None]
    rest = [v for v in values if v.small_sample or v.value is None]
    rankable.sort(key=lambda v: v.value or 0.0, reverse=descending)
    out: list[tuple[int | None, KpiValue]] = []
    previous: float | None = None
    rank = 0
    for i, v in enumerate(rankable, start=1):
        if v.value != previous:
            rank = i
            previous = v.value
        out.append((rank, v))
    out += [(None, v) for v in rest]
    return out
