"""KPI results: the JSON contract (``jixiao kpis --json``) read by reports, evaluation and web.

Every rate travels with its numerator and denominator; a rate over a denominator below the
small-sample threshold is flagged ``small_sample`` and must never be ranked.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

SCHEMA = "jixiao.kpis/1"


class KpiValue(BaseModel):
    kpi: str = Field(description="KPI id, e.g. case_completion_rate")
    label: str = Field(description="Chinese label, e.g. 办结率")
    unit: str = Field(description="'%' for rates, a measure word (件, 项 …) for counts")
    group: dict[str, str] = Field(
        default_factory=dict,
        description="the cut: e.g. {'department': '公安局', 'month': '2023-05'}; {} = whole centre",
    )
    numerator: float | None = None
    denominator: float | None = None
    numerator_label: str | None = Field(
        default=None,
        description="what the numerator counts, e.g. 已进驻的应进驻事项; one label always names "
        "the same records across KPIs, so a report can print it next to the number",
    )
    denominator_label: str | None = Field(
        default=None, description="what the denominator counts, e.g. 应进驻事项"
    )
    value: float | None = Field(
        description="rate in percent (0–100) or a count; null when the denominator is 0"
    )
    small_sample: bool = False
    sample_size: int | None = Field(
        default=None,
        description="rows behind the rate (the denominator, or the rows summed over) — the "
        "basis of small_sample",
    )
    note: str | None = Field(default=None, description="e.g. which variant of a definition")


class KpiReport(BaseModel):
    schema_: str = Field(default=SCHEMA, alias="schema")
    start: str = Field(description="first day, ISO date, inclusive")
    end: str = Field(description="last day, ISO date, inclusive")
    by: list[str] = Field(default_factory=list)
    backend: str
    results: list[KpiValue]
    queries: dict[str, str] = Field(
        default_factory=dict, description="KPI id → the SQL the backend ran, for the trace"
    )
    not_applicable: dict[str, str] = Field(
        default_factory=dict,
        description="KPI id → why it was not computed (a cut that does not apply, no such table)",
    )

    model_config = {"populate_by_name": True}

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)

    @classmethod
    def combine(cls, reports: list[KpiReport]) -> KpiReport:
        """One report holding several cuts of the same period (e.g. centre, department, month).

        The report writer reads a centre's values (group ``{}``), department cuts and month
        cuts from one file; each value keeps its own ``group``, so cuts never mix.
        """
        if not reports:
            raise ValueError("no KPI reports to combine")
        first = reports[0]
        if any(
            (r.start, r.end, r.backend) != (first.start, first.end, first.backend) for r in reports
        ):
            raise ValueError("KPI reports of different periods or backends cannot be combined")
        return cls(
            start=first.start,
            end=first.end,
            by=list(dict.fromkeys(c for r in reports for c in r.by)),
            backend=first.backend,
            results=[v for r in reports for v in r.results],
            queries={k: q for r in reports for k, q in r.queries.items()},
            not_applicable={k: v for r in reports for k, v in r.not_applicable.items()},
        )
