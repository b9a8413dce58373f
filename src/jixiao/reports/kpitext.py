"""How the report states a service KPI: the rate with its numerator and denominator
(受理办件177321件，办结176544件，办结率99.56%), worded per KPI in ``templates/kpi_phrases.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from jixiao.kpis.result import KpiValue
from jixiao.reports.figures import FigureBook, ratio_consistent
from jixiao.reports.fmt import date_cn


@cache
def phrases() -> dict[str, Any]:
    text = (
        resources.files("jixiao.reports")
        .joinpath("templates/kpi_phrases.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def phrase_for(kpi_id: str) -> dict[str, str]:
    for g in phrases()["groups"]:
        if kpi_id in g["kpis"]:
            return g["kpis"][kpi_id] or {}
    return {}


def kpi_sentence(book: FigureBook, v: KpiValue) -> str:
    """One clause: the pair first, then the rate; a count with its measure word."""
    if v.value is None:
        return f"{v.label}无法计算（分母为0）"
    value = book.kpi_figure(v)
    spec = phrase_for(v.kpi)
    if v.unit == "%" and spec.get("den") and ratio_consistent(v):
        measure = spec.get("measure", "")
        den = book.kpi_figure(v, "denominator", measure)
        num = book.kpi_figure(v, "numerator", measure)
        return f"{spec['den']}{den}，{spec['num']}{num}，{v.label}{value}"
    return f"{v.label}{value}"


def centre_groups(book: FigureBook) -> list[str]:
    """Paragraph texts of 政务服务情况: one per KPI group present in the KPI report."""
    if book.kpis is None:
        return []
    period = f"{date_cn(book.kpis.start)}至{date_cn(book.kpis.end)}"
    centre = {v.kpi: v for v in book.kpis.results if not v.group}
    out: list[str] = []
    seen: set[str] = set()
    for g in phrases()["groups"]:
        # A count repeated as another rate's denominator (受理办件量 beside 办结率) is said once.
        pairs = {
            centre[k].denominator for k in g["kpis"] if k in centre and ratio_consistent(centre[k])
        }
        clauses = [
            kpi_sentence(book, centre[k])
            for k in g["kpis"]
            if k in centre and not (centre[k].unit != "%" and centre[k].value in pairs)
        ]
        seen.update(g["kpis"])
        if clauses:
            # One sentence per KPI: a rate is read with the pair in its own sentence.
            out.append(f"{g['title']}。{period}，" + "。".join(clauses) + "。")
    rest = [v for k, v in centre.items() if k not in seen]
    if rest:
        out.append("其他服务指标。" + "。".join(kpi_sentence(book, v) for v in rest) + "。")
    return out
