"""`jixiao synth` and `jixiao import`: summaries, quarantine path, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.cli import main


def _run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_synth_then_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo-data"
    code = _run(
        [
            "synth",
            "--cases",
            "2000",
            "--tickets",
            "300",
            "--ratings",
            "500",
            "--seed",
            "7",
            "--year",
            "2023",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert {p.name for p in out.iterdir()} == {
        "items.parquet",
        "cases.parquet",
        "hotline_calls.parquet",
        "hotline_tickets.parquet",
        "ratings.parquet",
    }
    db = tmp_path / "jixiao-data" / "records.duckdb"
    assert _run(["import", str(out), "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "导入结果" in text and "新导入" in text
    assert db.exists()


def test_import_with_set_aside_rows_exits_0_and_names_quarantine(
    export_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qdir = tmp_path / "quarantine"
    code = _run(
        ["import", str(export_dir), "--db", str(tmp_path / "r.duckdb"), "--quarantine", str(qdir)]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "另存原因" in text and "编号重复但内容不同" in text
    assert "问题数据已另存" in text
    assert list(qdir.glob("quarantine-*-cases.csv"))


def test_bad_input_exits_2_with_chinese_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(["import", str(tmp_path / "missing"), "--db", str(tmp_path / "r.duckdb")])
    assert code == 2
    err = capsys.readouterr().err
    assert "要导入的文件或文件夹不存在" in err.replace("\n", "")
    assert "Traceback" not in err
    bad_map = tmp_path / "m.yaml"
    bad_map.write_text("columns: [1, 2\n", encoding="utf-8")
    (tmp_path / "cases.csv").write_text("办件编号\n1\n", encoding="utf-8")
    code = _run(
        [
            "import",
            str(tmp_path / "cases.csv"),
            "--mapping",
            str(bad_map),
            "--db",
            str(tmp_path / "r.duckdb"),
        ]
    )
    assert code == 2
    assert "对应关系文件不是有效的 YAML" in capsys.readouterr().err.replace("\n", "")
    assert _run(["synth", "--year", "1999", "-o", str(tmp_path / "x")]) == 2


def test_import_reports_updated_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = "办件编号,事项编码,受理时间,办结时间,申办渠道\n"
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "事项.csv").write_text(
        "事项编码,事项名称,实施部门,大厅,承诺时限\nSX1,户籍证明,公安局,市民服务中心,0\n", "utf-8"
    )
    (folder / "办件_05.csv").write_text(head + "D2,SX1,2023-05-06 09:12:00,,网上\n", "utf-8")
    db = tmp_path / "r.duckdb"
    assert _run(["import", str(folder), "--db", str(db)]) == 0
    capsys.readouterr()
    june = tmp_path / "办件_06.csv"
    june.write_text(head + "D2,SX1,2023-05-06 09:12:00,2023-05-06 10:00:00,网上\n", "utf-8")
    assert _run(["import", str(june), "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "已更新" in text  # the table's column
    assert "新导入 0，已更新 1，已存在 0，另存 0" in text.replace("\n", "")
