"""The one place where the web calls the rest of jixiao — the same functions the CLI calls.

Nothing here computes a score, a KPI or a report itself: it reads the filing's files, calls
``load_facts`` / ``evaluate`` / ``import_path`` / ``compute_kpis`` / ``render_report`` /
``audit_file``, and turns their results into plain data the views can show.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
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


def facts_path(filing_id: int, name: str) -> Path:
    """Where a filing's facts file is kept: ``facts`` with the uploaded file's own suffix,
    since the loader chooses its reader (xlsx / yaml / json) by the suffix."""
    return filing_dir(filing_id) / ("facts" + Path(name).suffix.lower())


def store_path(filing_id: int) -> Path:
    return filing_dir(filing_id) / "records.duckdb"


# ---------------------------------------------------------------- frameworks


def framework_choices() -> list[tuple[str, str]]:
    list_frameworks = _function("jixiao.frameworks", "list_frameworks")
    return [(f.id, f"{f.name}（{f.id}，适用 {f.years_text()} 年度）") for f in list_frameworks()]


def load_framework(framework_id: str) -> Any:
    return _function("jixiao.frameworks", "load_framework")(framework_id)


def write_template(framework_id: str, path: Path) -> Path:
    """The framework's facts workbook template (the same one ``jixiao template`` writes)."""
    write = _function("jixiao.facts.template", "write_template")
    return Path(write(load_framework(framework_id), path))


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


def _renamed(facts: FactSet, stored: str, shown: str) -> FactSet:
    """The same facts with the server's copy of the file named as the user named it, so that
    every trace points at the user's own file."""

    def fix(src: Source) -> Source:
        return src.model_copy(update={"file": shown}) if src.file == stored else src

    return facts.model_copy(
        update={
            "facts": {
                k: f.model_copy(update={"source": fix(f.source)}) for k, f in facts.facts.items()
            },
            "declared": [
                d.model_copy(
                    update={
                        "source": fix(d.source),
                        "target_source": fix(d.target_source) if d.target_source else None,
                    }
                )
                for d in facts.declared
            ],
            "origin": shown,
        }
    )


def evaluate_filing(
    framework_id: str,
    year: int,
    unit_name: str,
    facts_file: Path | None,
    records: Path | None,
    answers: dict[str, dict[str, str]],
    display_name: str | None = None,
) -> Evaluation:
    """Evaluate a filing as ``jixiao evaluate --records`` does: workbook facts, then the facts
    the framework binds to KPIs computed from the records, then the web's checklist answers."""
    framework = load_framework(framework_id)
    facts = FactSet()
    if facts_file is not None and facts_file.exists():
        facts = _renamed(read_facts(facts_file), str(facts_file), display_name or facts_file.name)
    if records is not None and records.exists():
        record_bindings = _function("jixiao.engine.evaluate", "record_bindings")
        bindings = record_bindings(framework, facts)
        if bindings:
            facts_from_records = _function("jixiao.kpis.bind", "facts_from_records")
            found = facts_from_records(records, year, bindings)
            facts = facts.merged(FactSet(facts={f.name: f for f in found}))
    facts = facts.merged(FactSet(facts=answer_facts(answers)))
    evaluate = _function("jixiao.engine.evaluate", "evaluate")
    return evaluate(framework, facts, year)


# ---------------------------------------------------------------- service records


@dataclass
class ImportOutcome:
    tables: dict[str, int] = field(default_factory=dict)
    rows_ok: int = 0
    rows_rejected: int = 0
    rows_present: int = 0
    rows_updated: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[Path] = field(default_factory=list)


def import_records(
    path: Path, store: Path, quarantine_dir: Path, limit_rejected: int = 2000
) -> ImportOutcome:
    """Import a records file into the filing's store; rows set aside come back with reasons.

    The importer writes each set-aside row to a quarantine CSV (file, row number, reason, the
    original values); those files are kept for download and their first rows listed here.
    """
    import_path = _function("jixiao.records.importer", "import_path")
    summary = import_path(path, store, quarantine_dir=quarantine_dir)
    out = ImportOutcome(
        rows_ok=summary.loaded,
        rows_rejected=summary.set_aside,
        rows_present=summary.present,
        rows_updated=summary.updated,
    )
    for src in summary.sources:
        out.tables[src.table] = out.tables.get(src.table, 0) + src.loaded
    for table, qfile in sorted(summary.quarantine_files.items()):
        out.quarantine.append(Path(qfile))
        with Path(qfile).open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if len(out.rejected) >= limit_rejected:
                    break
                source = row.pop("来源文件", "")
                number = row.pop("行号", "")
                reason = row.pop("原因", "")
                out.rejected.append(
                    {"table": table, "file": source, "row": number, "reason": reason, "values": row}
                )
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
    out = {
        "report_docx": files.docx,
        "score_table": files.score_table,
        "data_table": files.data_table,
    }
    if files.pdf is not None:
        out["report_pdf"] = files.pdf
    return {k: Path(v) for k, v in out.items()}


def audit_report(path: Path) -> dict[str, Any]:
    """The auditor's verdict and findings on a rendered report, as plain JSON data."""
    audit_file = _function("jixiao.audit", "audit_file")
    return audit_file(path).to_dict()


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


def synthesize_records(out_dir: Path, *, year: int, seed: int) -> Path:
    """Synthetic service records for the demo (small), as files the importer reads."""
    synthesize = _function("jixiao.records.synth", "synthesize")
    synthesize(out_dir, cases=3000, tickets=1500, ratings=1500, seed=seed, year=year)
    return out_dir
