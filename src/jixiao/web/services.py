"""The one place where the web calls the rest of jixiao — the same functions the CLI calls.

Nothing here computes a score, a KPI or a report itself: it reads the filing's files, calls
``load_facts`` / ``evaluate`` / ``import_path`` / ``compute_kpis`` / ``render_report`` /
``audit_file``, and turns their results into plain data the views can show.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from jixiao.engine.result import Evaluation
from jixiao.errors import JixiaoError
from jixiao.facts.model import Answer, Fact, FactSet, Source
from jixiao.kpis.result import KpiReport


class NotIntegrated(JixiaoError):
    """A function of another area that this installation does not have."""


def _function(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise NotIntegrated(f"本安装缺少 {module}.{name}，此功能暂不可用") from exc


# ---------------------------------------------------------------- files of a filing


def filing_dir(filing_id: int) -> Path:
    path = Path(settings.JIXIAO_FILES_DIR) / f"filing-{filing_id}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def facts_path(filing_id: int) -> Path:
    return filing_dir(filing_id) / "facts.xlsx"


def store_path(filing_id: int) -> Path:
    return filing_dir(filing_id) / "records.duckdb"


# ---------------------------------------------------------------- frameworks


def framework_choices() -> list[tuple[str, str]]:
    list_frameworks = _function("jixiao.frameworks", "list_frameworks")
    return [(f.id, f"{f.name}（{f.id}）") for f in list_frameworks()]


def load_framework(framework_id: str) -> Any:
    return _function("jixiao.frameworks", "load_framework")(framework_id)


# ---------------------------------------------------------------- facts and evaluation


def read_facts(path: Path) -> FactSet:
    """The unit's facts workbook, validated by the facts loader (JixiaoError on bad input)."""
    return _function("jixiao.facts.load", "load_facts")(path)


def answer_facts(answers: dict[str, dict[str, str]]) -> dict[str, Fact]:
    """Checklist answers typed on the web, as facts ``<leaf>.<point>`` with their evidence."""
    out: dict[str, Fact] = {}
    for name, a in answers.items():
        if not a.get("answer"):
            continue
        out[name] = Fact(
            name=name,
            value=Answer(a["answer"]),
            evidence=a.get("evidence") or None,
            source=Source(kind="manual", note="网页填报"),
        )
    return out


def record_bindings(framework: Any) -> dict[str, str]:
    """Fact name → KPI id for the facts this framework takes from service records."""
    bindings = getattr(framework, "record_bindings", None) or getattr(framework, "bindings", None)
    if callable(bindings):
        bindings = bindings()
    return dict(bindings or {})


def evaluate_filing(
    framework_id: str,
    year: int,
    unit_name: str,
    facts_file: Path | None,
    records: Path | None,
    answers: dict[str, dict[str, str]],
) -> Evaluation:
    """Evaluate a filing: workbook facts, then facts from records, then web answers on top."""
    framework = load_framework(framework_id)
    facts = read_facts(facts_file) if facts_file and facts_file.exists() else FactSet()
    if records is not None and records.exists():
        bindings = record_bindings(framework)
        if bindings:
            facts_from_records = _function("jixiao.kpis.bind", "facts_from_records")
            from_records = facts_from_records(records, year, bindings)
            facts = facts.merged(FactSet(facts={f.name: f for f in from_records}))
    facts = facts.merged(FactSet(facts=answer_facts(answers)))
    if not facts.unit:
        facts = facts.model_copy(update={"unit": unit_name})
    evaluate = _function("jixiao.engine.evaluate", "evaluate")
    return evaluate(framework, facts, year=year)


# ---------------------------------------------------------------- service records


@dataclass
class ImportOutcome:
    tables: dict[str, int] = field(default_factory=dict)
    rows_ok: int = 0
    rows_rejected: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)


def _plain(value: Any) -> Any:
    """JSON-safe copy of a value from an import summary."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def import_records(path: Path, store: Path, limit_rejected: int = 2000) -> ImportOutcome:
    """Import a records file into the filing's store; rows set aside come back with reasons."""
    import_path = _function("jixiao.records.importer", "import_path")
    summary = import_path(path, store)
    return outcome_from_summary(summary, limit_rejected)


def outcome_from_summary(summary: Any, limit_rejected: int = 2000) -> ImportOutcome:
    out = ImportOutcome()
    if hasattr(summary, "model_dump"):
        data = summary.model_dump()
    elif hasattr(summary, "__dataclass_fields__"):
        import dataclasses

        data = dataclasses.asdict(summary)
    else:
        data = dict(summary)
    data = _plain(data)
    return _fill_outcome(out, data, limit_rejected)


def _fill_outcome(out: ImportOutcome, data: dict[str, Any], limit: int) -> ImportOutcome:
    tables = data.get("tables") or {}
    if isinstance(tables, dict):
        for name, t in tables.items():
            rows = t.get("rows_ok", t.get("imported", t)) if isinstance(t, dict) else t
            out.tables[name] = int(rows or 0)
    out.rows_ok = int(data.get("rows_ok", data.get("imported", sum(out.tables.values()))) or 0)
    rejected = data.get("rejected") or data.get("quarantined") or []
    if isinstance(rejected, list):
        out.rejected = rejected[:limit]
        out.rows_rejected = int(data.get("rows_rejected", len(rejected)) or 0)
    else:
        out.rows_rejected = int(rejected or 0)
    return out


def compute_kpis(store: Path, year: int, by: tuple[str, ...] = ()) -> KpiReport:
    compute = _function("jixiao.kpis.compute", "compute_kpis")
    return compute(store, dt.date(year, 1, 1), dt.date(year, 12, 31), by=by)


# ---------------------------------------------------------------- report and audit


def render_bundle(
    evaluation: Evaluation,
    unit_info: dict[str, Any],
    narrative: dict[str, Any],
    kpis: KpiReport | None,
    out_dir: Path,
) -> dict[str, Path]:
    """Render the report, score table and data table; kind → file."""
    inputs = importlib.import_module("jixiao.reports.inputs")
    unit = inputs.UnitInfo.model_validate(unit_info)
    story = inputs.Narrative.model_validate(narrative)
    render_report = _function("jixiao.reports.render", "render_report")
    files = render_report(evaluation, unit, narrative=story, kpis=kpis, out_dir=out_dir)
    kinds = {
        "report_docx": ("docx", "report_docx"),
        "report_pdf": ("pdf", "report_pdf"),
        "score_table": ("score_table", "scores", "score_xlsx"),
        "data_table": ("data_table", "data", "data_xlsx"),
    }
    out: dict[str, Path] = {}
    for kind, attrs in kinds.items():
        for attr in attrs:
            value = getattr(files, attr, None)
            if value is not None:
                out[kind] = Path(value)
                break
    return out


def audit_report(path: Path) -> dict[str, Any]:
    """The auditor's findings on a rendered report, as plain JSON data."""
    audit_file = _function("jixiao.audit", "audit_file")
    result = audit_file(path)
    if hasattr(result, "model_dump"):
        return _plain(result.model_dump(mode="json"))
    if hasattr(result, "to_json"):
        return json.loads(result.to_json())
    return _plain(result)


# ---------------------------------------------------------------- demo data


def example_path(name: str) -> Path:
    return Path(_function("jixiao.examples", "example_path")(name))


def example_facts_file(example: Path) -> Path | None:
    """The facts workbook of a bundled example (a file, or the facts file inside a folder)."""
    if example.is_file():
        return example
    for pattern in ("facts.xlsx", "*.xlsx", "facts.yaml", "*.yaml", "facts.json"):
        found = sorted(example.glob(pattern))
        if found:
            return found[0]
    return None


def synthesize_records(out_dir: Path, *, year: int, seed: int) -> list[Path]:
    """Synthetic service records for the demo (small), as files the importer reads."""
    synthesize = _function("jixiao.records.synth", "synthesize")
    synthesize(out_dir, cases=3000, tickets=1500, ratings=1500, seed=seed, year=year)
    return sorted(p for p in out_dir.rglob("*") if p.is_file())
