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
    for fid in ("hunan-dept-2021", "mof-project-2020", "guangdong-dept-2023"):
        assert fid in out
    assert "湖南省" in out and "2021–2023" in out and "财预〔2020〕10号" in out


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


# --- bad input: a Chinese message naming the place, exit status 2, no traceback -------------


def _fill(xlsx: Path, values: dict[str, object]) -> dict[str, str]:
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    ws = wb["基础数据"]
    cells = {}
    for r in range(2, ws.max_row + 1):
        name = ws.cell(r, 1).value
        if name in values:
            ws.cell(r, 6).value = values[name]
            cells[str(name)] = f"F{r}"
    wb.save(xlsx)
    return cells


def _flat(text: str) -> str:
    return "".join(text.split())


def test_missing_fact_in_yaml_lists_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.yaml"
    text = example_text("hunan-001").replace(
        "  staff_in_post: {value: 11, evidence: 样本001：实有在编在岗人员11名}\n", ""
    )
    facts.write_text(text, encoding="utf-8")
    code, _, err = run(["evaluate", str(facts)], capsys)
    assert code == 2
    flat = _flat(err)
    assert "在职人数（staff_in_post，单位人）：请在facts下填写staff_in_post" in flat
    assert "Traceback" not in err


def test_text_where_a_number_belongs_names_the_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = tmp_path / "facts.xlsx"
    run(["template", "hunan-dept-2021", "-o", str(xlsx)], capsys)
    cells = _fill(xlsx, {"staff_in_post": "十一人", "year": 2021})
    code, _, err = run(["evaluate", str(xlsx)], capsys)
    assert code == 2
    flat = _flat(err)
    assert f"工作表「基础数据」单元格{cells['staff_in_post']}" in flat
    assert "「在职人数」应为数字，填写的是文字“十一人”" in flat
    assert "facts.xlsx" in flat and "Traceback" not in err


def test_negative_count_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "facts.xlsx"
    run(["template", "hunan-dept-2021", "-o", str(xlsx)], capsys)
    cells = _fill(xlsx, {"authorised_posts": -10, "year": 2021})
    code, _, err = run(["evaluate", str(xlsx)], capsys)
    assert code == 2
    flat = _flat(err)
    assert f"单元格{cells['authorised_posts']}" in flat
    assert "编制数（authorised_posts）不能为负数，填写的是-10" in flat
    assert "Traceback" not in err


def test_framework_whose_weights_do_not_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    from jixiao.frameworks.loader import _shipped_files

    raw = yaml.safe_load(_shipped_files()["mof-project-2020"].read_text(encoding="utf-8"))
    raw["tree"][1]["weight"] = 45
    bad = tmp_path / "my-framework.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    code, _, err = run(["evaluate", "--example", "mof-project", "--framework", str(bad)], capsys)
    assert code == 2
    flat = _flat(err)
    assert "my-framework.yaml" in flat
    assert (
        "一级指标分值之和为95（预算执行率10+产出指标45+效益指标30+满意度指标10），应为100" in flat
    )
    assert "Traceback" not in err


def test_unknown_framework_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["template", "guangdong-2099", "-o", "x.xlsx"], capsys)
    assert code == 2 and "未知的指标体系「guangdong-2099」" in _flat(err)


def test_year_outside_the_framework(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["evaluate", "--example", "hunan-001", "--year", "2030"], capsys)
    assert code == 2
    assert "适用于2021–2023年度，不适用于2030年度" in _flat(err)


def test_unknown_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["evaluate", "--example", "nowhere"], capsys)
    assert code == 2 and "没有名为「nowhere」的示例单位" in _flat(err)


def example_text(name: str) -> str:
    from jixiao.examples import example_path

    return example_path(name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def records_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jixiao.records.importer import import_path
    from jixiao.records.synth import synthesize

    tmp = tmp_path_factory.mktemp("records")
    synthesize(tmp / "raw", cases=1500, tickets=800, ratings=1000, year=2023, seed=5)
    store = tmp / "store.duckdb"
    import_path(tmp / "raw", store)
    return store


@pytest.mark.slow
def test_records_fill_kpi_bound_indicators(
    records_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ev.json"
    code, _, err = run(
        [
            "evaluate",
            "--example",
            "guangdong-service-centre",
            "--records",
            str(records_store),
            "--json",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    ev = Evaluation.from_json(out.read_text(encoding="utf-8"))
    leaf = next(lf for lf in ev.leaves() if lf.kpi == "case_completion_rate")
    actual = next(i for i in leaf.inputs if i.fact == "kpi.case_completion_rate")
    assert actual.source.kind == "kpi" and actual.source.kpi == "case_completion_rate"
    assert actual.source.query and actual.source.denominator
    assert leaf.value == pytest.approx(
        actual.source.numerator / actual.source.denominator * 100, abs=0.01
    )
    assert "由服务记录计算" in leaf.reason
    sat = next(lf for lf in ev.leaves() if lf.code == "4.3.1")
    assert sat.inputs[0].source.kind == "kpi"


@pytest.mark.slow
@pytest.mark.spark
def test_records_on_spark_score_the_same_as_duckdb(
    records_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    totals = {}
    for backend in ("duckdb", "spark"):
        out = tmp_path / f"{backend}.json"
        code, _, err = run(
            [
                "evaluate",
                "--example",
                "guangdong-service-centre",
                "--records",
                str(records_store),
                "--backend",
                backend,
                "--json",
                str(out),
            ],
            capsys,
        )
        assert code == 0, err
        ev = Evaluation.from_json(out.read_text(encoding="utf-8"))
        totals[backend] = (ev.total.score, [(lf.code, lf.value) for lf in ev.leaves()])
    assert totals["spark"][0] == pytest.approx(totals["duckdb"][0])
    for (code, a), (_, b) in zip(totals["duckdb"][1], totals["spark"][1], strict=True):
        assert a == pytest.approx(b, abs=1e-6), code


def test_records_backend_must_be_known(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    store.write_bytes(b"")
    code, _, err = run(
        [
            "evaluate",
            "--example",
            "guangdong-service-centre",
            "--records",
            str(store),
            "--backend",
            "oracle",
        ],
        capsys,
    )
    assert code == 2 and "--backend只能是duckdb或spark" in _flat(err)


def test_answer_without_evidence_points_at_the_evidence_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = tmp_path / "facts.xlsx"
    run(["template", "hunan-dept-2021", "-o", str(xlsx)], capsys)
    cells = _fill(xlsx, {"1.1.1.a": "是", "1.1.1.b": "部分", "year": 2021})
    code, _, err = run(["evaluate", str(xlsx)], capsys)
    assert code == 2
    flat = _flat(err)
    evid_a = cells["1.1.1.a"].replace("F", "G")
    evid_b = cells["1.1.1.b"].replace("F", "G")
    assert f"（1.1.1.a）答“是”须附佐证：请在{xlsx}工作表「基础数据」单元格{evid_a}写明" in flat
    assert f"（1.1.1.b）答“部分”须附佐证：请在{xlsx}工作表「基础数据」单元格{evid_b}写明" in flat
    assert f"单元格{cells['1.1.1.a']}" not in flat


def test_every_bad_cell_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jixiao.errors import JixiaoError
    from jixiao.facts.load import load_facts

    xlsx = tmp_path / "facts.xlsx"
    run(["template", "hunan-dept-2021", "-o", str(xlsx)], capsys)
    cells = _fill(
        xlsx, {"staff_in_post": "十一", "tasks_planned": -3, "tasks_completed": 2.5, "year": 2021}
    )
    with pytest.raises(JixiaoError) as info:
        load_facts(xlsx)
    details = info.value.details
    assert len(details) == 3, details
    for name in ("staff_in_post", "tasks_planned", "tasks_completed"):
        assert any(f"工作表「基础数据」 单元格 {cells[name]}：" in d for d in details), name
    assert any("计划工作数（tasks_planned）不能为负数，填写的是 -3" in d for d in details)
    assert any("实际完成工作数（tasks_completed）应为整数，填写的是 2.5" in d for d in details)
    code, _, err = run(["evaluate", str(xlsx)], capsys)
    assert code == 2 and "填报表有3处错误" in _flat(err)


def test_percent_outside_0_100_names_the_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = tmp_path / "facts.xlsx"
    run(["template", "hunan-dept-2021", "-o", str(xlsx)], capsys)
    cells = _fill(xlsx, {"payment_progress_actual": 250, "year": 2021})
    code, _, err = run(["evaluate", str(xlsx)], capsys)
    assert code == 2
    flat = _flat(err)
    assert f"工作表「基础数据」单元格{cells['payment_progress_actual']}" in flat
    assert "实际支付进度（payment_progress_actual）应为0–100之间的百分数，填写的是250" in flat


def test_kpi_bound_actual_missing_names_its_cell_and_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    xlsx = tmp_path / "gd.xlsx"
    run(["template", "guangdong-dept-2023", "-o", str(xlsx)], capsys)
    _fill(xlsx, {"year": 2023})
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["自报指标"]
    head = {c.value: c.column for c in ws[1]}
    name, kpi = ws.cell(2, head["指标名称"]).value, ws.cell(2, head["数据来源KPI"]).value
    assert kpi and ws.cell(2, head["年度指标值"]).value is not None
    code, _, err = run(["evaluate", str(xlsx)], capsys)
    assert code == 2
    flat = _flat(err)
    assert (
        f"指标4.1.1「{name}」缺少实际完成值：请填写{xlsx}工作表「自报指标」单元格J2，"
        f"或加--records由服务记录计算（KPI{kpi}）"
    ) in flat
    assert f"kpi.{kpi}（kpi.{kpi}）" not in flat
    assert "服务对象满意率（service_satisfaction_rate，单位%）：请填写" in flat
    assert "或加--records由服务记录计算（KPIrating_satisfaction_rate）" in flat


@pytest.mark.slow
def test_records_replacing_a_typed_value_is_a_warning(
    records_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ev.json"
    code, stdout, err = run(
        [
            "evaluate",
            "--example",
            "guangdong-service-centre",
            "--records",
            str(records_store),
            "--json",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    ev = Evaluation.from_json(out.read_text(encoding="utf-8"))
    warnings = [p for p in ev.problems if p.code == "records_override"]
    leaf = next(lf for lf in ev.leaves() if lf.kpi == "case_completion_rate")
    computed = next(i.value for i in leaf.inputs if i.fact == "kpi.case_completion_rate")
    assert isinstance(computed, float) and abs(computed - 99.56) > 0.005  # the example types 99.56
    mine = [p for p in warnings if p.node == leaf.code]
    assert len(mine) == 1 and mine[0].severity == "warning"
    assert "「办件办结率」填报的值 99.56%" in mine[0].message
    assert f"改用服务记录计算的 {computed:.2f}%" in mine[0].message
    assert any(
        "服务对象满意率（service_satisfaction_rate）填报的值 99.50%" in p.message for p in warnings
    )
    assert "办件办结率」填报的值99.56%" in _flat(stdout)


def test_qualitative_declared_errors_name_their_own_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    xlsx = tmp_path / "p.xlsx"
    run(["template", "mof-project-2020", "-o", str(xlsx)], capsys)
    _fill(xlsx, {"year": 2023, "budget_total": 100, "budget_executed": 100})
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["自报指标"]
    head = {c.value: c.column for c in ws[1]}
    rows = [
        {"所属指标代码": "2", "二级指标": "数量指标", "指标名称": "甲", "分值": 50, "性质": "定量",
         "年度指标值": 1, "实际完成值": 1},
        {"所属指标代码": "3", "二级指标": "社会效益指标", "指标名称": "乙", "分值": 30,
         "性质": "定性", "达成程度（定性，0–1）": 1.5, "评分理由（定性必填）": "理由"},
        {"所属指标代码": "4", "二级指标": "满意度指标", "指标名称": "丙", "分值": 10,
         "性质": "定量", "年度指标值": 1, "实际完成值": 1},
    ]  # fmt: skip
    for r, values in enumerate(rows, start=2):
        for h, v in values.items():
            ws.cell(r, head[h]).value = v
    achievement = ws.cell(3, head["达成程度（定性，0–1）"])
    justification = ws.cell(3, head["评分理由（定性必填）"])
    wb.save(xlsx)
    code, _, err = run(["evaluate", str(xlsx)], capsys)
    assert code == 2
    flat = _flat(err)
    assert f"单元格{achievement.coordinate}：自报指标「乙」的达成程度应在0–1之间" in flat
    assert flat.count(str(xlsx)) == 1  # the place is said once
    achievement.value, justification.value = 0.9, None
    wb.save(xlsx)
    code, _, err = run(["evaluate", str(xlsx)], capsys)
    assert code == 2
    assert (
        f"「乙」缺少评分理由：请填写{xlsx}工作表「自报指标」单元格{justification.coordinate}"
        in _flat(err)
    )
