"""CSV import: encodings, Chinese headers, every kind of bad row set aside with its reason."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from jixiao.errors import JixiaoError
from jixiao.records import importer
from jixiao.records.importer import SourceSummary, import_path
from jixiao.records.sources import Source
from jixiao.records.store import open_store, table_counts


def _quarantine_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def test_import_sets_aside_each_bad_row_with_reason_and_row_number(
    export_dir: Path, tmp_path: Path, expected_set_aside: dict[int, str]
) -> None:
    store = tmp_path / "db" / "records.duckdb"
    summary = import_path(export_dir, store)

    by_file = {s.source: s for s in summary.sources}
    cases, items = by_file["办件.csv"], by_file["事项.csv"]
    assert cases.encoding == "GB18030"
    assert items.encoding == "UTF-8"
    assert (items.read, items.loaded, items.set_aside) == (2, 2, 0)
    assert cases.read == 12
    assert cases.loaded == 3  # B1, B2, B9
    assert cases.present == 1  # the identical repeat of B1
    assert cases.set_aside == len(expected_set_aside)
    for s in summary.sources:
        assert s.read == s.loaded + s.updated + s.present + s.set_aside
    assert summary.read == (summary.loaded + summary.updated + summary.present + summary.set_aside)

    rows = _quarantine_rows(summary.quarantine_files["cases"])
    assert summary.quarantine_files["cases"].parent == store.parent
    got = {int(r["行号"]): r["原因"] for r in rows}
    assert got == expected_set_aside
    assert {r["来源文件"] for r in rows} == {"办件.csv"}
    by_row = {int(r["行号"]): r for r in rows}
    assert by_row[5]["受理时间"] == "2023-13-06 09:12:00"  # the original value, kept
    assert by_row[7]["申办渠道"] == "飞鸽"
    assert "多余" in by_row[12]["原始行"]


def test_import_converts_values_and_computes_deadlines(export_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "records.duckdb"
    import_path(export_dir, store)
    con = open_store(store)
    try:
        rows = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT case_id, channel, accepted_at, completed_at, result, promised_deadline, "
                "department, hall FROM cases"
            ).fetchall()
        }
        item = con.execute(
            "SELECT legal_limit_days, online_applicable, instant FROM items WHERE item_id='SX1'"
        ).fetchone()
    finally:
        con.close()
    assert set(rows) == {"B1", "B2", "B9"}
    channel, accepted, completed, result, deadline, department, hall = rows["B1"]
    assert (channel, result) == ("window", "approved")
    assert completed == dt.datetime(2023, 10, 7, 9, 12)
    # 5 working days from 28 Sep 2023: 7, 8 (调休), 9, 10, 11 October.
    assert deadline == dt.date(2023, 10, 11)
    assert (department, hall) == ("市场监督管理局", "市民服务中心")  # from the catalogue
    channel, accepted, completed, result, deadline, *_ = rows["B2"]
    assert channel == "online"
    assert accepted == dt.datetime(2023, 5, 6, 9, 12)
    assert completed == dt.datetime(2023, 5, 8, 9, 0)  # 01:00Z is 09:00 in Shanghai
    assert rows["B9"][4] == dt.date(2023, 4, 23)  # instant item: deadline is the day itself
    assert item == (20, True, False)


def test_reimport_adds_nothing(export_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "records.duckdb"
    first = import_path(export_dir, store)
    con = open_store(store)
    before = table_counts(con)
    con.close()
    second = import_path(export_dir, store)
    con = open_store(store)
    after = table_counts(con)
    con.close()
    assert after == before
    assert (second.loaded, second.updated) == (0, 0)
    assert second.present == first.loaded + first.present
    assert second.read == second.present + second.set_aside


def test_changed_row_on_reimport_is_quarantined(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "来电.csv").write_text(
        "来电编号,来电时间,渠道,是否接通,等待时长（秒）\nC1,2023-03-01 08:00:00,电话,是,4\n",
        encoding="utf-8",
    )
    store = tmp_path / "r.duckdb"
    import_path(folder, store)
    (folder / "来电.csv").write_text(
        "来电编号,来电时间,渠道,是否接通,等待时长（秒）\nC1,2023-03-01 08:00:00,电话,否,40\n",
        encoding="utf-8",
    )
    again = import_path(folder, store)
    assert (again.loaded, again.updated, again.present, again.set_aside) == (0, 0, 0, 1)
    assert again.reasons == {"编号重复但内容不同": 1}


def test_failed_import_leaves_store_unchanged(
    export_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "records.duckdb"
    earlier = tmp_path / "来电.csv"
    earlier.write_text(
        "来电编号,来电时间,渠道,是否接通\nC1,2023-03-01 08:00:00,电话,是\n", encoding="utf-8"
    )
    import_path(earlier, store)

    def snapshot() -> dict[str, list[tuple]]:
        con = open_store(store)
        try:
            return {
                t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in [*table_counts(con), "import_log"]
            }
        finally:
            con.close()

    before = snapshot()
    calls: list[str] = []
    real = importer._import_source

    def fail_after_cases(
        con: duckdb.DuckDBPyConnection, source: Source, *args: object, **kwargs: object
    ) -> SourceSummary:
        calls.append(source.table)
        summary = real(con, source, *args, **kwargs)
        if source.table == "cases":
            raise OSError("disk full (simulated)")
        return summary

    monkeypatch.setattr(importer, "_import_source", fail_after_cases)
    with pytest.raises(OSError):
        import_path(export_dir, store)
    assert calls == ["items", "cases"]  # items and cases had been inserted when it failed
    assert snapshot() == before
    assert sum(len(rows) for rows in before.values()) == 2  # one call, one log row
    assert not list(tmp_path.glob("quarantine-*.csv"))


def test_mapping_file_renames_headers_and_recodes_values(tmp_path: Path) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    (folder / "受理明细.csv").write_text(
        "申请编号,服务事项编码,渠道,收件时间,结束时间,到场次数\n"
        "X1,SX2,柜台,2023-03-01 10:00,2023-03-01 10:20,1\n"
        "X2,SX2,掌上办,2023-03-01 10:00,,0\n"
        "X3,SX2,信鸽,2023-03-01 10:00,,0\n",
        encoding="utf-8",
    )
    (folder / "items.csv").write_text(
        "事项编码,事项名称,实施部门,大厅,承诺时限\nSX2,户籍证明,公安局,市民服务中心,0\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "files:\n  '*受理明细*': cases\n"
        "columns:\n  申请编号: case_id\n  服务事项编码: 事项编码\n  收件时间: 受理时间\n"
        "  结束时间: completed_at\n  到场次数: visits\n"
        "values:\n  渠道: {柜台: 窗口, 掌上办: online}\n",
        encoding="utf-8",
    )
    summary = import_path(folder, tmp_path / "r.duckdb", mapping=mapping)
    cases = next(s for s in summary.sources if s.table == "cases")
    assert (cases.read, cases.loaded, cases.set_aside) == (3, 2, 1)
    assert cases.reasons == {"申办渠道取值无法识别": 1}
    con = open_store(tmp_path / "r.duckdb")
    try:
        got = dict(con.execute("SELECT case_id, channel FROM cases").fetchall())
    finally:
        con.close()
    assert got == {"X1": "window", "X2": "online"}


def test_unrecognised_file_is_an_error_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "说明.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(JixiaoError) as err:
        import_path(folder, tmp_path / "r.duckdb")
    assert "说明.csv" in str(err.value)
    assert "无法判断文件是哪一类数据" in str(err.value)


def test_missing_required_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("办件编号,事项编码\nB1,SX1\n", encoding="utf-8")
    with pytest.raises(JixiaoError, match="缺少必需的列：申办渠道、受理时间"):
        import_path(path, tmp_path / "r.duckdb")


def test_quarantine_dir_option(
    export_dir: Path, tmp_path: Path, expected_set_aside: dict[int, str]
) -> None:
    qdir = tmp_path / "q"
    summary = import_path(export_dir, tmp_path / "r.duckdb", quarantine_dir=qdir)
    assert summary.quarantine_files["cases"].parent == qdir
    assert len(_quarantine_rows(summary.quarantine_files["cases"])) == len(expected_set_aside)


def test_folder_import_skips_its_own_quarantine_files(export_dir: Path) -> None:
    store = export_dir / "records.duckdb"
    first = import_path(export_dir, store)  # quarantine files land in export_dir
    assert list(export_dir.glob("quarantine-*.csv"))
    again = import_path(export_dir, store)
    assert [s.source for s in again.sources] == [s.source for s in first.sources]
    assert again.loaded == 0
