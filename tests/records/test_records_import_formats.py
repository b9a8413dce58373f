"""XLSX workbooks and typed Parquet files import like CSV; time zones end up in Asia/Shanghai."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jixiao.errors import JixiaoError
from jixiao.records.importer import import_path
from jixiao.records.store import open_store


def test_xlsx_workbook_with_a_sheet_per_table(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表为办件导出"])
    items = wb.create_sheet("事项目录")
    items.append(["事项编码", "事项名称", "实施部门", "大厅", "承诺时限", "可网办"])
    items.append(["SX1", "营业执照设立登记", "市场监督管理局", "市民服务中心", 3.0, "是"])
    cases = wb.create_sheet("办件")
    cases.append(["办件编号", "事项编码", "申办渠道", "受理时间", "办结时间", "到现场次数"])
    cases.append(["B1", "SX1", "窗口", dt.datetime(2023, 4, 21, 9, 0), None, 1])
    cases.append([None, None, None, None, None, None])  # a blank line is not a record
    cases.append(["B2", "SX1", "窗口", "昨天上午", None, 1.0])
    cases.append([1003, "SX1", "网上", "2023-04-21 10:00", dt.datetime(2023, 4, 23, 9), 0.0])
    path = tmp_path / "导出.xlsx"
    wb.save(path)

    summary = import_path(path, tmp_path / "r.duckdb")
    by_sheet = {s.source: s for s in summary.sources}
    assert set(by_sheet) == {"导出.xlsx「事项目录」", "导出.xlsx「办件」"}
    sheet = by_sheet["导出.xlsx「办件」"]
    assert (sheet.read, sheet.loaded, sheet.set_aside) == (3, 2, 1)
    rows = list(
        csv.DictReader(summary.quarantine_files["cases"].read_text("utf-8-sig").splitlines())
    )
    assert [(r["行号"], r["原因"], r["受理时间"]) for r in rows] == [
        ("4", "受理时间无法识别为日期时间", "昨天上午")
    ]
    con = open_store(tmp_path / "r.duckdb")
    try:
        got = con.execute(
            "SELECT case_id, accepted_at, promised_deadline, visits FROM cases ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    # Friday 21 April 2023 + 3 working days: Sunday 23 April (调休), 24, 25 April.
    assert got == [
        ("1003", dt.datetime(2023, 4, 21, 10, 0), dt.date(2023, 4, 25), 0),
        ("B1", dt.datetime(2023, 4, 21, 9, 0), dt.date(2023, 4, 25), 1),
    ]


def test_parquet_with_time_zone_and_native_types(tmp_path: Path) -> None:
    utc = dt.UTC
    calls = pa.table(
        {
            "call_id": ["C1", "C2", "C3"],
            "received_at": pa.array(
                [
                    dt.datetime(2023, 6, 30, 17, 30, tzinfo=utc),  # 01:30 next day in Shanghai
                    dt.datetime(2023, 7, 1, 1, 0, tzinfo=utc),
                    dt.datetime(2023, 7, 1, 2, 0, tzinfo=utc),
                ],
                type=pa.timestamp("ns", tz="UTC"),
            ),
            "channel": ["phone", "电话", "web"],
            "answered": [True, False, True],
            "wait_seconds": pa.array([3, 20, -5], type=pa.int64()),
        }
    )
    path = tmp_path / "hotline_calls.parquet"
    pq.write_table(calls, path)
    summary = import_path(path, tmp_path / "r.duckdb")
    assert (summary.read, summary.loaded, summary.set_aside) == (3, 2, 1)
    assert summary.reasons == {"等待时长（秒）为负数": 1}
    con = open_store(tmp_path / "r.duckdb")
    try:
        got = con.execute(
            "SELECT call_id, received_at, channel, answered, wait_seconds FROM hotline_calls "
            "ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert got == [
        ("C1", dt.datetime(2023, 7, 1, 1, 30), "phone", True, 3),
        ("C2", dt.datetime(2023, 7, 1, 9, 0), "phone", False, 20),
    ]
    rows = list(
        csv.DictReader(
            summary.quarantine_files["hotline_calls"].read_text("utf-8-sig").splitlines()
        )
    )
    assert [r["行号"] for r in rows] == ["3"]  # Parquet: the first record is row 1


def test_ratings_and_tickets_checks(tmp_path: Path) -> None:
    folder = tmp_path / "e"
    folder.mkdir()
    (folder / "好差评.csv").write_text(
        "评价编号,办件编号,评价时间,评价等级,系统默认评价,整改时间\n"
        "P1,B1,2023-03-01 10:00,非常满意,否,\n"
        "P2,B1,2023-03-01 10:00,不满意,否,2023-03-02 10:00\n"
        "P3,B1,2023-03-01 10:00,7,否,\n"
        "P4,B1,2023-03-01 10:00,不满意,否,2023-02-27 10:00\n"
        "P5,B1,2023-03-01 10:00,满意,也许,\n",
        encoding="utf-8",
    )
    (folder / "工单.csv").write_text(
        "工单编号,受理时间,处理方式,办结时间,回访结果\n"
        "G1,2023-03-01 10:00,直接答复,2023-03-01 10:05,满意\n"
        "G2,2023-03-01 10:00,转派,,未回访\n"
        "G3,2023-03-01 10:00,转派,2023-02-01 10:00,满意\n"
        "G4,2023-03-01 10:00,转派,,很好\n"
        "G5,2023-03-01 10:00,转派,—,无\n",
        encoding="utf-8",
    )
    summary = import_path(folder, tmp_path / "r.duckdb")
    ratings = next(s for s in summary.sources if s.table == "ratings")
    tickets = next(s for s in summary.sources if s.table == "hotline_tickets")
    assert ratings.reasons == {
        "评价等级应为 1–5": 1,
        "整改时间早于评价时间": 1,
        "系统默认评价应为「是」或「否」": 1,
    }
    assert tickets.reasons == {"办结时间早于受理时间": 1, "回访结果取值无法识别": 1}
    con = open_store(tmp_path / "r.duckdb")
    try:
        levels = dict(con.execute("SELECT rating_id, level FROM ratings").fetchall())
        handling = dict(con.execute("SELECT ticket_id, handling FROM hotline_tickets").fetchall())
    finally:
        con.close()
    assert levels == {"P1": 5, "P2": 2}
    assert handling == {"G1": "direct", "G2": "dispatched", "G5": "dispatched"}
    con = open_store(tmp_path / "r.duckdb")
    try:
        open_ticket = con.execute(
            "SELECT closed_at, followup FROM hotline_tickets WHERE ticket_id = 'G5'"
        ).fetchone()
    finally:
        con.close()
    assert open_ticket == (None, None)  # "—" and "无" are empty values, not bad ones


def test_corrupt_parquet_is_an_error_and_nothing_is_stored(tmp_path: Path) -> None:
    import pytest

    from jixiao.errors import JixiaoError

    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "items.csv").write_text(
        "事项编码,事项名称,实施部门,大厅\nSX1,甲,乙,丙\n", encoding="utf-8"
    )
    (folder / "cases.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 4 + b"PAR1")
    with pytest.raises(JixiaoError, match="无法读取 Parquet 文件"):
        import_path(folder, tmp_path / "r.duckdb")
    # Files are recognised before the store is opened: it was never created.
    assert not (tmp_path / "r.duckdb").exists()


def _export_with_notes(tmp_path: Path, notes: dict[str, list[str]]) -> Path:
    """A workbook as a centre's system exports it: its own headers, then note/total sheets."""
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "受理明细"
    data.append(["申请编号", "事项编码", "收件时间", "渠道"])
    data.append(["B1", "SX1", dt.datetime(2023, 4, 21, 9, 0), "柜台"])
    data.append(["B2", "SX1", dt.datetime(2023, 4, 24, 9, 0), "掌上办"])
    for title, first_row in notes.items():
        wb.create_sheet(title).append(first_row)
    path = tmp_path / "export.xlsx"
    wb.save(path)
    (tmp_path / "事项.csv").write_text(
        "事项编码,事项名称,实施部门,大厅,承诺时限\nSX1,户籍证明,公安局,市民服务中心,3\n", "utf-8"
    )
    import_path(tmp_path / "事项.csv", tmp_path / "r.duckdb")
    return path


_OWN_HEADERS = """
columns:
  申请编号: case_id
  收件时间: 受理时间
values:
  渠道: {柜台: 窗口, 掌上办: online}
"""


def test_mapping_table_does_not_force_a_notes_sheet(tmp_path: Path) -> None:
    # QA F8: `table: cases` (or a `files:` pattern) made the 说明 sheet a cases table too, so the
    # whole import failed on its missing columns.
    notes = {"说明": ["本表为导出"], "汇总": ["部门", "办件量"]}
    path = _export_with_notes(tmp_path, notes)
    for i, head in enumerate(("table: cases", 'files: {"*export*": 办件}')):
        mapping = tmp_path / f"m{i}.yaml"
        mapping.write_text(head + _OWN_HEADERS, "utf-8")
        summary = import_path(path, tmp_path / "r.duckdb", mapping=mapping)
        assert [s.source for s in summary.sources] == ["export.xlsx「受理明细」"]
        assert (summary.read, summary.loaded + summary.present, summary.set_aside) == (2, 2, 0)
        # skipped, and said so
        assert summary.skipped == {
            "export.xlsx「说明」": "表头中没有「办件」的列",
            "export.xlsx「汇总」": "说明或汇总页（没有办件编号列）",
        }


def test_a_sheet_that_looks_like_data_still_fails(tmp_path: Path) -> None:
    # A second sheet with the mapped headers but without 收件时间 is data with a missing column.
    path = _export_with_notes(tmp_path, {"受理明细2": ["申请编号", "事项编码", "渠道"]})
    mapping = tmp_path / "m.yaml"
    mapping.write_text("table: cases" + _OWN_HEADERS, "utf-8")
    with pytest.raises(JixiaoError) as err:
        import_path(path, tmp_path / "r.duckdb", mapping=mapping)
    assert "受理明细2" in str(err.value) and "受理时间" in str(err.value)
