"""``jixiao frameworks`` / ``template`` / ``evaluate`` through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.engine.result import Evaluation


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    code = info.value.code if isinstance(info.value.code, int) else 0
    return code, out.out, out.err


def test_frameworks_lists_the_shipped_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["frameworks"], capsys)
    assert code == 0
    assert "hunan-dept-2021" in out


def test_evaluate_example_prints_tree_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_json = tmp_path / "evaluation.json"
    code, out, err = run(
        [
            "evaluate",
            "--example",
            "hunan-001",
            "--framework",
            "hunan-dept-2021",
            "--json",
            str(out_json),
        ],
        capsys,
    )
    assert code == 0, err
    assert "在职人员控制率" in out and "等级" in out and "94" in out
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["schema"] == "jixiao.evaluation/1"
    assert data["total"]["score"] == 94 and data["total"]["grade"] == "优"
    ev = Evaluation.from_json(out_json.read_text(encoding="utf-8"))
    leaf = next(lf for lf in ev.leaves() if lf.code == "1.2.1")
    assert leaf.score == 4 and leaf.value == pytest.approx(110)
    sources = {i.fact: i.source for i in leaf.inputs}
    assert sources["staff_in_post"].kind == "file"
    assert sources["staff_in_post"].file and sources["staff_in_post"].file.endswith(
        "hunan-001.yaml"
    )


def test_subprocess_user_error_exit_2_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "jixiao",
            "evaluate",
            "--example",
            "hunan-001",
            "--framework",
            "no-such-framework",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "未知的指标体系" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_template_then_evaluate_empty_lists_every_missing_fact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = tmp_path / "facts.xlsx"
    code, _, err = run(["template", "hunan-dept-2021", "-o", str(xlsx)], capsys)
    assert code == 0 and xlsx.exists(), err
    code, _, err = run(
        ["evaluate", str(xlsx), "--framework", "hunan-dept-2021", "--year", "2021"], capsys
    )
    assert code == 2
    err = "".join(err.split())  # Rich wraps long lines at spaces
    assert "评价不完整" in err and "Traceback" not in err
    # Every fact the framework needs is listed, with the cell to fill.
    assert "在职人数（staff_in_post" in err and "编制数（authorised_posts" in err
    assert "工作表「基础数据」单元格F" in err
    assert "绩效目标合理性核查要点" in err and "经济效益评分理由" in err
    code, _, err = run(
        [
            "evaluate",
            str(xlsx),
            "--framework",
            "hunan-dept-2021",
            "--year",
            "2021",
            "--allow-incomplete",
        ],
        capsys,
    )
    assert code == 0, err
