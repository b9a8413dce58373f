"""Bind framework facts to KPIs: ``evaluate --records`` fills facts from the service records.

A binding maps a fact name to a KPI id (the rate in percent, or the count of a count KPI), or to
``<kpi id>.numerator`` / ``<kpi id>.denominator`` (the counts behind a rate). Each fact's source
says which KPI, which query and which period produced it, so the evaluation trace can show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.facts.model import Fact, Source
from jixiao.kpis.compute import compute_kpis
from jixiao.kpis.definitions import Catalogue, KpiDefinition, load_catalogue

PARTS = ("value", "numerator", "denominator")
PART_LABELS = {"value": "", "numerator": "（分子）", "denominator": "（分母）"}


def parse_binding(fact: str, target: str, cat: Catalogue) -> tuple[KpiDefinition, str]:
    """``"case_completion_rate.numerator"`` → (definition, "numerator")."""
    kpi_id, _, part = str(target).strip().partition(".")
    part = part or "value"
    if part not in PARTS:
        raise JixiaoError(
            f"数据项「{fact}」绑定的「{target}」无效：指标编号后只能接 .numerator（分子）"
            "或 .denominator（分母）"
        )
    if kpi_id not in cat.ids:
        raise JixiaoError(
            f"数据项「{fact}」绑定了未知的指标「{kpi_id}」；可用的指标：{'、'.join(cat.ids)}"
        )
    kpi = cat.get(kpi_id)
    if kpi.kind == "count" and part != "value":
        raise JixiaoError(
            f"数据项「{fact}」绑定的「{target}」无效：{kpi.label}（{kpi_id}）是计数指标，"
            "没有分子和分母"
        )
    return kpi, part


def facts_from_records(
    store_path: str | Path | None,
    year: int,
    bindings: Mapping[str, str],
    backend: str = "duckdb",
    *,
    postgres_url: str | None = None,
    spark: Any = None,
    params: Mapping[str, Any] | None = None,
) -> list[Fact]:
    """Compute the bound KPIs over calendar year ``year`` for the whole centre, as facts."""
    cat = load_catalogue()
    parsed = {fact: parse_binding(fact, target, cat) for fact, target in bindings.items()}
    if not parsed:
        return []
    ids = list(dict.fromkeys(k.id for k, _ in parsed.values()))
    start, end = f"{int(year)}-01-01", f"{int(year)}-12-31"
    report = compute_kpis(
        store_path,
        start,
        end,
        by=(),
        backend=backend,
        kpis=ids,
        params=params,
        postgres_url=postgres_url,
        spark=spark,
    )
    values = {v.kpi: v for v in report.results}
    facts: list[Fact] = []
    for name, (kpi, part) in parsed.items():
        v = values.get(kpi.id)
        if v is None:
            reason = report.not_applicable.get(kpi.id, "没有结果")
            raise JixiaoError(f"数据项「{name}」无法由服务记录计算：{reason}")
        if part == "value":
            value, unit = v.value, kpi.unit
        elif part == "numerator":
            assert kpi.numerator is not None
            value, unit = v.numerator, cat.measure_unit(kpi, kpi.numerator)
        else:
            assert kpi.denominator is not None
            value, unit = v.denominator, cat.measure_unit(kpi, kpi.denominator)
        note = f"{year} 年（{start} 至 {end}），{backend} 计算；{kpi.note}"
        if kpi.kind == "rate":
            if v.value is None:
                note += "；分母为 0，比率无值"
            elif v.small_sample:
                note += f"；小样本（n={v.sample_size}），不宜比较排名"
        facts.append(
            Fact(
                name=name,
                value=value,
                label=kpi.label + PART_LABELS[part],
                unit=unit or None,
                source=Source(
                    kind="kpi",
                    kpi=kpi.id,
                    query=report.queries.get(kpi.id),
                    numerator=v.numerator,
                    denominator=v.denominator,
                    note=note,
                ),
            )
        )
    return facts
