"""Compile KPI definitions to Ibis expressions: one aggregate per table, period and cut.

All KPIs read from the same table are computed in one grouped aggregate (one scan), with
conditional counts and sums (``COUNT(*) FILTER (WHERE …)`` on DuckDB and PostgreSQL,
``SUM(CAST(… AS INT))`` on Spark). For each KPI the aggregate yields the columns
``<id>__num``, ``<id>__den``, ``<id>__value`` (the rate, NULL over a zero denominator) and
``<id>__n`` (the sample size used for the small-sample flag); a count KPI yields ``<id>__value``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from jixiao.kpis.definitions import CUTS, Catalogue, KpiDefinition, Measure
from jixiao.kpis.expr import to_ibis
from jixiao.kpis.workdays import deadline_table

ROWS = "__rows"  # rows of the table in the period (for the empty-period check)


@dataclass(frozen=True)
class Period:
    """Inclusive first and last day."""

    start: dt.date
    end: dt.date

    @property
    def period_start(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time())

    @property
    def as_of(self) -> dt.datetime:
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    def describe(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


@dataclass
class TableQuery:
    table: str
    kpis: list[KpiDefinition]
    expr: ir.Table
    by: list[str]


def not_applicable(cat: Catalogue, kpi: KpiDefinition, by: Sequence[str]) -> str | None:
    """A Chinese reason why ``kpi`` cannot be cut by ``by``, or None if it can."""
    allowed = cat.cuts_of(kpi)
    missing = [c for c in by if c not in allowed]
    if not missing:
        return None
    spec = cat.tables[kpi.table]
    why = ""
    if "month" in missing and spec.date is None:
        why = f"{spec.label}是现状快照，没有日期；"
    can = "、".join(CUTS[c] for c in allowed) or "不分组"
    return (
        f"不适用：{kpi.label}（{kpi.id}）不能按{'、'.join(CUTS[c] for c in missing)}分组；"
        f"{why}可用的分组：{can}"
    )


def _and(*conds: ir.BooleanValue | None) -> ir.BooleanValue | None:
    present = [c for c in conds if c is not None]
    if not present:
        return None
    out = present[0]
    for c in present[1:]:
        out = out & c
    return out


def _measure(
    t: ir.Table, m: Measure, cond: ir.BooleanValue | None, params: dict[str, Any]
) -> ir.NumericScalar:
    if m.count is not None:
        return t.count(where=cond) if cond is not None else t.count()
    return to_ibis(m.sum_ or "0", t, params).sum(where=cond)


def _zero(agg: ir.Table, column: str, name: str) -> ir.Value:
    """SUM over no rows is NULL (and Spark counts by SUM): a count or sum of nothing is 0."""
    return agg[column].coalesce(0).name(name)


def _rate(agg: ir.Table, num: str, den: str, name: str) -> ir.Value:
    """num × 100 / den in double precision on every engine (Spark would otherwise use DECIMAL
    literals); NULL over a zero denominator."""
    n = agg[num].coalesce(0).cast("float64")
    d = agg[den].coalesce(0).cast("float64").nullif(0.0)
    return (n * 100.0 / d).name(name)


def _with_deadlines(
    t: ir.Table,
    kpis: list[KpiDefinition],
    cat: Catalogue,
    period: Period,
    overrides: dict[str, Any] | None,
    calendar: Callable[[str, pa.Table], ir.Table],
) -> ir.Table:
    done: set[str] = set()
    for k in kpis:
        wd = k.workday_deadline
        if wd is None or wd.as_ in done:
            continue
        done.add(wd.as_)
        params = cat.params_for(k, overrides)
        days = int(params[wd.days]) if isinstance(wd.days, str) else int(wd.days)
        key = f"cal_date_{wd.as_}"
        cal = calendar(f"jixiao_workdays_{days}", deadline_table(period.start, period.end, days))
        cal = cal.rename({key: "cal_date", wd.as_: "deadline"})
        joined = t.left_join(cal, t[wd.from_].date() == cal[key])
        t = joined.select([*t.columns, wd.as_])
    return t


def build_query(
    cat: Catalogue,
    table: str,
    source: ir.Table,
    kpis: list[KpiDefinition],
    period: Period,
    by: Sequence[str],
    overrides: dict[str, Any] | None = None,
    calendar: Callable[[str, pa.Table], ir.Table] | None = None,
) -> TableQuery:
    """The one aggregate computing every KPI of ``kpis`` (all on ``table``) for the period."""
    spec = cat.tables[table]
    t = source
    if spec.date is not None:
        col = t[spec.date]
        t = t.filter(col >= ibis.timestamp(period.period_start), col < ibis.timestamp(period.as_of))
    if calendar is None:
        calendar = _unregistered
    t = _with_deadlines(t, kpis, cat, period, overrides, calendar)

    keys: list[ir.Value] = []
    for cut in by:
        column = t[spec.cuts[cut]]
        if cut == "month":
            keys.append((column.year() * 100 + column.month()).name(cut))
        elif column.type().is_string():
            keys.append(column.name(cut))
        else:
            keys.append(column.cast("string").name(cut))

    # Aggregate once (every measure a single conditional COUNT or SUM), then derive the rates
    # and zero-fill over the grouped rows: repeating the aggregates inside the rate expression
    # would make the engine evaluate each filter several times per record.
    metrics: list[ir.Scalar] = [t.count().name(ROWS)]
    # (function, source columns…, output name), applied to the aggregate below
    derived: list[tuple] = []
    for k in kpis:
        params = {
            **cat.params_for(k, overrides),
            "period_start": period.period_start,
            "as_of": period.as_of,
        }
        filt = to_ibis(k.filter, t, params) if k.filter else None
        if k.kind == "count":
            assert k.value is not None
            cond = _and(filt, _cond(k.value, t, params))
            metrics.append(_measure(t, k.value, cond, params).name(f"{k.id}__raw"))
            derived.append((_zero, f"{k.id}__raw", f"{k.id}__value"))
            continue
        assert k.numerator is not None and k.denominator is not None
        den_cond = _and(filt, _cond(k.denominator, t, params))
        num_cond = _and(den_cond, _cond(k.numerator, t, params))
        metrics.append(_measure(t, k.numerator, num_cond, params).name(f"{k.id}__rnum"))
        metrics.append(_measure(t, k.denominator, den_cond, params).name(f"{k.id}__rden"))
        n_col = f"{k.id}__rden"
        if k.denominator.count is None:  # a sum: the sample is the number of rows summed
            n_col = f"{k.id}__rn"
            metrics.append(_measure(t, Measure(count="all"), den_cond, params).name(n_col))
        derived += [
            (_zero, f"{k.id}__rnum", f"{k.id}__num"),
            (_zero, f"{k.id}__rden", f"{k.id}__den"),
            (_rate, f"{k.id}__rnum", f"{k.id}__rden", f"{k.id}__value"),
            (_zero, n_col, f"{k.id}__n"),
        ]
    agg = t.aggregate(metrics, by=keys) if keys else t.aggregate(metrics)
    columns = [agg[k.get_name()] for k in keys] + [agg[ROWS]]
    expr = agg.select(*columns, *[fn(agg, *names) for fn, *names in derived])
    return TableQuery(table=table, kpis=kpis, expr=expr, by=list(by))


def _cond(m: Measure, t: ir.Table, params: dict[str, Any]) -> ir.BooleanValue | None:
    text = m.condition()
    return to_ibis(text, t, params) if text else None


def _unregistered(name: str, data: pa.Table) -> ir.Table:
    """A calendar table for compiling only (tests, ``to_sql``): the engine must register it."""
    return ibis.table(ibis.Schema.from_pyarrow(data.schema), name=name)
