"""End to end: synthesise records, import them, ``jixiao evaluate --records``; the bound facts
carry the KPI values of compute_kpis and a trace with source kind "kpi" and the query."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import _register, app
from jixiao.kpis.compute import compute_kpis

_register()


@pytest.fixture(scope="module")
def imported_store(synth_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jixiao.records.importer import import_path

    store = tmp_path_factory.mktemp("e2e") / "records.duckdb"
    import_path(synth_dir, store)
    return store


def kpi_inputs(evaluation: dict) -> list[tuple[str, dict]]:
    """(leaf code, input) for every leaf input whose source is a KPI."""
    out = []

    def walk(node: dict) -> None:
        for child in node.get("children") or []:
            walk(child)
        for inp in node.get("inputs") or []:
            if (inp.get("source") or {}).get("kind") == "kpi":
                out.append((node["code"], inp))

    for root in evaluation["tree"]:
        walk(root)
    return out


@pytest.mark.slow
def test_evaluate_with_records_uses_kpi_values(imported_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "evaluation.json"
    res = CliRunner().invoke(
        app,
        [
            "evaluate",
            "--example",
            "guangdong-service-centre",
            "--records",
            str(imported_store),
            "--year",
            "2023",
            "--json",
            str(out),
            "--allow-incomplete",
        ],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    evaluation = json.loads(out.read_text(encoding="utf-8"))
    report = compute_kpis(imported_store, "2023-01-01", "2023-12-31")
    expected = {v.kpi: v for v in report.results}

    found = kpi_inputs(evaluation)
    kpis = {inp["source"]["kpi"] for _, inp in found}
    # the example binds these KPIs (framework facts and declared indicators)
    assert {
        "case_completion_rate",
        "on_time_completion_rate",
        "hotline_answer_rate",
        "rating_satisfaction_rate",
    } <= kpis
    for code, inp in found:
        src = inp["source"]
        v = expected[src["kpi"]]
        assert inp["value"] == pytest.approx(v.value, rel=1e-12), code
        assert (src["numerator"], src["denominator"]) == (v.numerator, v.denominator), code
        assert src["query"].lstrip().startswith("SELECT"), code
        assert f'"{src["kpi"]}__num"' in src["query"], code
        assert "2023-01-01 至 2023-12-31" in src["note"], code
