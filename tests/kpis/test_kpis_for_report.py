"""``jixiao kpis --for-report`` writes the centre, department and month cuts in one file, which is
what ``jixiao report --kpis`` reads (QA F22: a plain ``--by department`` file has no centre)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jixiao.kpis.compute import compute_kpis
from jixiao.kpis.result import KpiReport


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, timeout=180
    )


def test_for_report_holds_centre_department_and_month_cuts(cuts_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.json"
    res = _cli("kpis", "--year", "2023", "--db", str(cuts_db), "--for-report", "--json", str(out))
    assert res.returncode == 0, res.stderr
    report = KpiReport.model_validate(json.loads(out.read_text("utf-8")))
    shapes = {tuple(sorted(v.group)) for v in report.results}
    assert shapes == {(), ("department",), ("month",)}
    # Each cut equals what compute_kpis gives for that cut alone.
    for by in ((), ("department",), ("month",)):
        alone = compute_kpis(cuts_db, "2023-01-01", "2023-12-31", by=by)
        mine = [v for v in report.results if tuple(sorted(v.group)) == by]
        key = lambda v: (v.kpi, sorted(v.group.items()))  # noqa: E731
        assert sorted((key(v), v.numerator, v.denominator) for v in mine) == sorted(
            (key(v), v.numerator, v.denominator) for v in alone.results
        )


def test_for_report_refuses_an_extra_cut(cuts_db: Path) -> None:
    res = _cli("kpis", "--year", "2023", "--db", str(cuts_db), "--for-report", "--by", "hall")
    assert res.returncode == 2
    assert "--for-report" in res.stderr and "Traceback" not in res.stderr
