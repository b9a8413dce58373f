"""Compute the KPI set for a period and cut on a backend: the one entry point of the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.kpis.backends import BACKENDS, Backend, canonical_table, open_backend, parse_day
from jixiao.kpis.compile import ROWS, Period, TableQuery, build_query, not_applicable
from jixiao.kpis.definitions import CUTS, Catalogue, KpiDefinition, load_catalogue
from jixiao.kpis.result import KpiReport, KpiValue

NULL_GROUP = "（未填）"


def parse_by(by: str | Iterable[str] | None) -> list[str]:
    """``"department,month"`` or ``["department", "month"]`` → validated cut names."""
    if by is None:
        return []
    items = [by] if isinstance(by, str) else list(by)
    out: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            if part not in CUTS:
                choices = "、".join(f"{k}（{v}）" for k, v in CUTS.items())
                raise JixiaoError(f"未知的分组「{part}」；可选：{choices}")
            if part not in out:
                out.append(part)
    return out


def _group_value(cut: str, value: Any) -> str:
    if value is None:
        return NULL_GROUP
    if cut == "month":
        v = int(value)
        return f"{v // 100:04d}-{v % 100:02d}"
    return str(value)


def _sort_key(group: dict[str, str], by: Sequence[str]) -> tuple:
    return tuple((group[c] == NULL_GROUP, group[c]) for c in by)


def compute_kpis(
    store_path: str | Path | None,
    start: str | dt.date,
    end: str | dt.date,
    by: str | Sequence[str] = (),
    backend: str = "duckdb",
    kpis: Sequence[str] | None = None,
    *,
    params: Mapping[str, Any] | None = None,
    postgres_url: str | None = None,
    spark: Any = None,
    catalogue: Catalogue | None = None,
    allow_empty: bool = False,
) -> KpiReport:
    """Compute KPIs over records from ``start`` to ``end`` (inclusive), cut by ``by``.

    ``store_path`` is the DuckDB store (or a Parquet folder); for ``backend="postgres"`` give
    ``postgres_url``. ``params`` overrides definition parameters (e.g.
    ``{"answer_threshold_seconds": 30, "min_denominator": 50}``). A KPI that cannot be cut as
    asked is not computed and listed in ``not_applicable`` with the reason. A period in which
    no dated table has a single record is an error unless ``allow_empty``.
    """
    if backend not in BACKENDS:
        raise JixiaoError(f"未知的计算后端「{backend}」；可选：{'、'.join(BACKENDS)}")
    cat = catalogue or load_catalogue()
    cuts = parse_by(by)
    period = Period(parse_day(start, "开始日期"), parse_day(end, "结束日期"))
    if period.start > period.end:
        raise JixiaoError(f"开始日期 {period.start} 晚于结束日期 {period.end}")
    selected = [cat.get(k) for k in kpis] if kpis is not None else list(cat.kpis)
    overrides = cat.check_params(params)

    skipped: dict[str, str] = {}
    by_table: dict[str, list[KpiDefinition]] = {}
    for k in selected:
        reason = not_applicable(cat, k, cuts)
        if reason:
            skipped[k.id] = reason
        else:
            by_table.setdefault(k.table, []).append(k)

    results: dict[str, list[KpiValue]] = {}
    queries: dict[str, str] = {}
    rows_in_period: dict[str, int] = {}
    with open_backend(
        store_path, backend, postgres_url=postgres_url, spark=spark, tables=list(by_table)
    ) as be:
        for table, ks in by_table.items():
            if not be.has(table):
                for k in ks:
                    skipped[k.id] = (
                        f"无数据：记录库中没有「{cat.tables[table].label}」表（{table}），"
                        "未计算本指标"
                    )
                continue
            be.check_columns(table)
            q = build_query(
                cat, table, canonical_table(table), ks, period, cuts, overrides, be.calendar
            )
            sql, rows = _run(be, q)
            for k in ks:
                queries[k.id] = sql
            rows_in_period[table] = sum(int(r[ROWS] or 0) for r in rows)
            for k, vals in _values(cat, q, rows, overrides).items():
                results[k] = vals

    dated = [t for t in rows_in_period if cat.tables[t].date is not None]
    if dated and not allow_empty and all(rows_in_period[t] == 0 for t in dated):
        labels = "、".join(cat.tables[t].label for t in dated)
        raise JixiaoError(f"统计期间 {period.describe()} 内没有任何记录（已查：{labels}）")

    ordered = [v for k in selected for v in results.get(k.id, [])]
    return KpiReport(
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        by=cuts,
        backend=backend,
        results=ordered,
        queries=queries,
        not_applicable=skipped,
    )


def _run(be: Backend, q: TableQuery) -> tuple[str, list[dict[str, Any]]]:
    sql = be.sql(q.expr)
    return sql, be.execute(sql)


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def _values(
    cat: Catalogue, q: TableQuery, rows: list[dict[str, Any]], overrides: dict[str, Any]
) -> dict[str, list[KpiValue]]:
    groups = [({c: _group_value(c, r[c]) for c in q.by}, r) for r in rows]
    groups.sort(key=lambda g: _sort_key(g[0], q.by))
    out: dict[str, list[KpiValue]] = {}
    for k in q.kpis:
        threshold = float(cat.params_for(k, overrides)["min_denominator"])
        vals: list[KpiValue] = []
        for group, r in groups:
            if k.kind == "count":
                vals.append(
                    KpiValue(
                        kpi=k.id,
                        label=k.label,
                        unit=k.unit,
                        group=group,
                        numerator=_num(r[f"{k.id}__value"]),
                        value=_num(r[f"{k.id}__value"]),
                        note=k.note,
                    )
                )
                continue
            n = _num(r[f"{k.id}__n"]) or 0.0
            vals.append(
                KpiValue(
                    kpi=k.id,
                    label=k.label,
                    unit=k.unit,
                    group=group,
                    numerator=_num(r[f"{k.id}__num"]),
                    denominator=_num(r[f"{k.id}__den"]),
                    numerator_label=k.numerator.label if k.numerator else None,
                    denominator_label=k.denominator.label if k.denominator else None,
                    value=_num(r[f"{k.id}__value"]),
                    small_sample=n < threshold,
                    sample_size=int(n),
                    note=k.note,
                )
            )
        out[k.id] = vals
    return out
