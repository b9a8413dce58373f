"""``jixiao report``: one unit, a batch folder in both layouts, and Chinese errors with exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from builders import make_evaluation, make_kpis, make_unit

from jixiao.cli import main

UNIT = make_unit()


def write_unit(path: Path, **changes: object) -> Path:
    data = UNIT.model_dump(mode="json", exclude_none=True)
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_single_unit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ev = tmp_path / "evaluation.json"
    ev.write_text(make_evaluation().to_json(), encoding="utf-8")
    kpis = tmp_path / "kpis.json"
    kpis.write_text(make_kpis().to_json(), encoding="utf-8")
    narrative = tmp_path / "narrative.yaml"
    narrative.write_text("problems: [窗口人员流动较大。]\nother: 无\n", encoding="utf-8")
    unit = write_unit(tmp_path / "unit.yaml")
    out = tmp_path / "out"
    code = run(
        [
            "report",
            str(ev),
            "--unit",
            str(unit),
            "--narrative",
            str(narrative),
            "--kpis",
            str(kpis),
            "-o",
            str(out),
            "--no-pdf",
        ]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["数据表.xlsx", "自评报告.docx", "评分表.xlsx"]
    assert "已生成 3 个文件" in capsys.readouterr().out
    from reading import docx_text

    text = docx_text(out / "自评报告.docx")
    # the narrative's problems replace the drafted ones
    assert "窗口人员流动较大。" in text and "【系统草拟，请核实】" not in text
    assert "受理办件177321件，办结176544件，办结率99.56%" in text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_both_layouts_and_a_bad_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    root = tmp_path / "evaluations"
    (root / "甲中心").mkdir(parents=True)
    (root / "甲中心" / "evaluation.json").write_text(make_evaluation().to_json(), "utf-8")
    write_unit(root / "甲中心" / "unit.yaml")
    (root / "乙中心.json").write_text(make_evaluation().to_json(), "utf-8")
    write_unit(root / "乙中心.unit.yaml", name="乙县政务服务中心")
    (root / "丙中心.json").write_text(make_evaluation().to_json(), "utf-8")
    write_unit(root / "丙中心.unit.yaml", year=2022)  # does not match the evaluation
    out = tmp_path / "out"
    code = run(["report", "--batch", str(root), "-o", str(out), "--no-pdf", "--jobs", jobs])
    assert code == 2
    captured = capsys.readouterr()
    assert "已为 2 个单位生成报告" in captured.out
    err = captured.err.replace("\n", "")
    assert "1 个单位未能生成报告" in err and "丙中心" in err
    assert (
        "丙中心.unit.yaml：字段 year：评价年度（2022）与评价结果 丙中心.json 的年度（2023）不一致"
        in err
    )
    assert (out / "甲中心" / "评分表.xlsx").is_file()
    assert (out / "乙中心" / "自评报告.docx").is_file()
    assert not (out / "丙中心" / "自评报告.docx").exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: [], "请给出评价结果 JSON 文件"),
        (lambda d: [str(d / "ev.json")], "缺少 --unit"),
        (lambda d: [str(d / "nope.json"), "--unit", str(d / "unit.yaml")], "找不到评价结果文件"),
        (lambda d: [str(d / "bad.json"), "--unit", str(d / "unit.yaml")], "不是有效的评价结果"),
        (lambda d: [str(d / "ev.json"), "--unit", str(d / "ev.json")], "单位信息文件"),
        (lambda d: ["--batch", str(d / "empty")], "文件夹中没有评价结果"),
    ],
)
def test_errors_are_chinese_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: object, message: str
) -> None:
    (tmp_path / "ev.json").write_text(make_evaluation().to_json(), "utf-8")
    (tmp_path / "bad.json").write_text('{"total": 1}', "utf-8")
    (tmp_path / "empty").mkdir()
    write_unit(tmp_path / "unit.yaml")
    args = setup(tmp_path)  # type: ignore[operator]
    code = run(["report", *args, "-o", str(tmp_path / "out"), "--no-pdf"])
    assert code == 2
    err = capsys.readouterr().err.replace("\n", "")  # Rich wraps long lines
    assert message in err and "Traceback" not in err
