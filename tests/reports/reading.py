"""Reading written files back, and the independent list of numbers a report may print."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document

from jixiao.engine.result import Evaluation, LeafResult, NodeResult
from jixiao.kpis.result import KpiReport
from jixiao.reports.inputs import UnitInfo

NUMBER = re.compile(r"\d+(?:\.\d+)?")
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bnan\b|\bNaN\b|undefined")


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append("\t".join(c.text for c in row.cells))
    return "\n".join(parts)


def r2(x: float) -> str:
    q = Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{abs(q) if q == 0 else q:.2f}"


def plain(x: float) -> set[str]:
    """The spellings a value may take: 2 decimals, and integer / trimmed when it is whole."""
    out = {r2(x)}
    if float(x).is_integer():
        out.add(str(int(x)))
    t = r2(x).rstrip("0").rstrip(".")
    out.add(t)
    return out


def allowed_numbers(
    ev: Evaluation, unit: UnitInfo, kpis: KpiReport | None, extra: set[str] | None = None
) -> set[str]:
    """Every number the report may print, recomputed here from the inputs (not from the
    report model), so a wrong figure in the report cannot pass."""
    ok: set[str] = set()
    facts = {f.fact: float(f.value) for f in ev.facts if isinstance(f.value, (int, float))}
    # numbers the unit wrote itself (a manual score's justification) may be quoted
    for f in ev.facts:
        if isinstance(f.value, str):
            ok |= set(NUMBER.findall(f.value))
    for v in facts.values():
        ok |= plain(v)
    # year-on-year changes and their rates; ratios of every pair of facts (rates in the text)
    for name, v in facts.items():
        prev = facts.get(f"{name}_prev")
        if prev is not None:
            ok |= plain(abs(v - prev))
            if prev:
                ok |= plain(abs(v - prev) / abs(prev) * 100)
                ok |= plain((v - prev) / prev * 100)
    for a in facts.values():
        for b in facts.values():
            if b:
                ok |= plain(a / b * 100)
    if {"expenditure_total", "income_total", "carryover_prev"} <= facts.keys():
        ok |= plain(
            facts["expenditure_total"] / (facts["income_total"] + facts["carryover_prev"]) * 100
        )

    def walk(nodes: list[NodeResult | LeafResult]) -> None:
        for n in nodes:
            ok.update(plain(n.weight))
            if n.score is not None:
                ok.update(plain(n.score))
            if isinstance(n, LeafResult):
                ok.update(plain(n.max))
                for x in (n.value, n.target):
                    if x is not None:
                        ok.update(plain(x))
            else:
                walk(n.children)

    walk(ev.tree)
    ok |= plain(ev.total.score) | plain(ev.total.max)
    if kpis is not None:
        for v in kpis.results:
            for x in (v.value, v.numerator, v.denominator):
                if x is not None:
                    ok |= plain(x)
            if v.numerator is not None and v.denominator is not None:
                ok |= plain(v.denominator - v.numerator)
        for d in (kpis.start, kpis.end):
            day = dt.date.fromisoformat(d)
            ok |= {str(day.year), str(day.month), str(day.day)}
    ok.add(str(ev.year))
    ok |= set(NUMBER.findall(ev.framework.name))
    dates: list[dt.date] = [
        d
        for d in (unit.submission_date, unit.signature_date, *vars(unit.disclosure).values())
        if d is not None
    ]
    for s in unit.timeline:
        dates += [d for d in (s.start, s.end) if d]
    for d in dates:
        ok |= {str(d.year), str(d.month), str(d.day)}
    if unit.founded:
        ok |= {str(int(x)) for x in unit.founded.split("-")}
    ok |= set(NUMBER.findall(unit.notice.title + (unit.notice.number or "") + unit.name))
    ok.add(str(len(unit.sections)))
    ok |= {str(i) for i in range(1, 40)}  # generated numbering 1. （1） 图1 表1
    ok.add("20")  # the 20-day disclosure rule
    ok.add("12345")  # the hotline's name
    return ok | (extra or set())


def stray_numbers(text: str, allowed: set[str]) -> list[str]:
    return [m for m in NUMBER.findall(text) if m not in allowed]
