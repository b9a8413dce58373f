"""The ``jixiao kpis`` command: table, JSON, ranking and clear errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import _register, app
from jixiao.kpis.result import KpiReport

_register()
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "220"})


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point (jixiao.cli.main), where JixiaoError becomes exit status 2."""
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, timeout=120
    )


def test_table_and_json(published_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.json"
    res = run("kpis", "--year", "2023", "--db", str(published_db), "--json", str(out))
    assert res.exit_code == 0, res.output
    for text in (
        "指标",
        "分子",
        "分母",
        "小样本标记",
        "办结率",
        "176,544",
        "177,321",
        "99.56%",
        "72.12%",
        "38.11%",
    ):
        assert text in res.output
    report = KpiReport.model_validate_json(out.read_text(encoding="utf-8"))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "jixiao.kpis/1"
    v = next(v for v in report.results if v.kpi == "hotline_direct_answer_rate")
    assert (v.numerator, v.denominator) == (10_280, 26_972)
    assert "hotline_tickets" in report.queries["hotline_direct_answer_rate"]


def test_cut_and_rank(cuts_db: Path) -> None:
    res = run(
        "kpis",
        "--start",
        "2023-01-01",
        "--end",
        "2023-12-31",
        "--db",
        str(cuts_db),
        "--by",
        "department",
        "--by",
        "month",
        "--kpi",
        "case_completion_rate",
        "--param",
        "min_denominator=2",
        "--rank",
    )
    assert res.exit_code == 0, res.output
    assert "部门：公安局，月份：2023-01" in res.output
    assert "小样本（n=1）" in res.output  # 税务局 February
    assert "名次" in res.output


def test_cut_that_does_not_apply_is_said(cuts_db: Path) -> None:
    res = run(
        "kpis", "--year", "2023", "--db", str(cuts_db), "--by", "month", "--kpi", "item_entry_rate"
    )
    assert res.exit_code == 0
    assert "未计算" in res.output and "不能按月份分组" in res.output


def test_errors_exit_2_in_chinese(cuts_db: Path, tmp_path: Path) -> None:
    r = cli("kpis", "--year", "2023", "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2 and "记录库不存在" in r.stderr and "Traceback" not in r.stderr
    r = cli("kpis", "--year", "2019", "--db", str(cuts_db))
    assert r.returncode == 2 and "没有任何记录" in r.stderr
    r = cli("kpis", "--year", "2023", "--db", str(cuts_db), "--by", "weekday")
    assert r.returncode == 2 and "未知的分组" in r.stderr
    r = cli("kpis", "--year", "2023", "--db", str(cuts_db), "--kpi", "nope")
    assert r.returncode == 2 and "未知的指标「nope」" in r.stderr


def test_bad_parameters_exit_2_naming_the_parameter(cuts_db: Path) -> None:
    """QA F9: a bad --param value was a traceback; an unknown or negative one was accepted."""
    base = ("kpis", "--year", "2023", "--db", str(cuts_db), "--kpi", "case_count")
    for param, expected in (
        ("min_denominator=abc", "参数 min_denominator（小样本阈值）的值「abc」无效：应为整数"),
        ("answer_threshold_seconds=abc", "参数 answer_threshold_seconds"),
        ("min_denominator=-5", "不小于 0"),
        ("nosuch=3", "未知的参数「nosuch」；可用的参数：min_denominator"),
    ):
        r = cli(*base, "--param", param)
        err = r.stderr.replace("\n", "")  # Rich wraps the message to the terminal width
        assert r.returncode == 2, (param, err)
        assert expected in err and "Traceback" not in err, (param, err)
    r = cli(*base, "--param", "min_denominator=2", "--param", "answer_threshold_seconds=30")
    assert r.returncode == 0, r.stderr


@pytest.mark.postgres
def test_postgres_backend_from_the_command(published_db: Path, postgres_url: str) -> None:
    from jixiao.kpis.backends import load_into_postgres

    load_into_postgres(published_db, postgres_url, tables=["cases"])
    res = run(
        "kpis",
        "--year",
        "2023",
        "--backend",
        "postgres",
        "--postgres-url",
        postgres_url,
        "--kpi",
        "case_completion_rate",
    )
    assert res.exit_code == 0, res.output
    assert "（postgres）" in res.output
    assert "176,544" in res.output and "177,321" in res.output and "99.56%" in res.output
