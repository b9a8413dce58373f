"""Later exports of the same records: columns filled in over time update the stored row (QA F25).

A case exported while open and again once completed, a 12345 ticket closed after its first
export, a bad rating rectified later: the later row fills columns that are empty in the store and
is counted as 已更新. Any change to a stored value is still set aside.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from jixiao.records import importer
from jixiao.records.importer import ImportSummary, SourceSummary, import_path
from jixiao.records.sources import Source
from jixiao.records.store import open_store
from jixiao.records.validate import DUPLICATE

ITEMS = (
    "事项编码,事项名称,实施部门,大厅,承诺时限\nSX1,营业执照设立登记,市场监督管理局,市民服务中心,5\n"
)
CASES_HEAD = "办件编号,事项编码,受理时间,办结时间,申办渠道,办理结果\n"
# First monthly export: D1 completed, D2 still open.
CASES_MAY = CASES_HEAD + (
    "D1,SX1,2023-05-06 09:12:00,2023-05-08 10:00:00,窗口,办结\nD2,SX1,2023-05-06 09:12:00,,网上,\n"
)
# Next export: D1 the same (written differently), D2 completed.
CASES_JUNE = CASES_HEAD + (
    "D1,SX1,2023/5/6 9:12,2023/5/8 10:00,窗口,通过\n"
    "D2,SX1,2023-05-06 09:12:00,2023-05-09 10:00:00,网上,办结\n"
)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(store: Path, sql: str) -> list[tuple]:
    con = open_store(store)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _snapshot(store: Path) -> dict[str, list[tuple]]:
    tables = ("items", "cases", "hotline_tickets", "ratings", "import_log")
    return {t: _rows(store, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}


def _assert_identity(summary: ImportSummary) -> None:
    for s in summary.sources:
        assert s.read == s.loaded + s.updated + s.present + s.set_aside, s
    assert summary.read == summary.loaded + summary.updated + summary.present + summary.set_aside


def _quarantine(summary: ImportSummary, table: str) -> dict[int, str]:
    text = summary.quarantine_files[table].read_text(encoding="utf-8-sig")
    return {int(r["行号"]): r["原因"] for r in csv.DictReader(text.splitlines())}


@pytest.fixture
def store_with_may(tmp_path: Path) -> Path:
    """A store holding the catalogue and the May export (D2 open)."""
    store = tmp_path / "db" / "records.duckdb"
    folder = tmp_path / "may"
    _write(folder, "事项.csv", ITEMS)
    _write(folder, "办件_05.csv", CASES_MAY)
    first = import_path(folder, store)
    assert (first.loaded, first.updated, first.set_aside) == (3, 0, 0)
    return store


def test_case_completed_after_its_first_export_is_updated(
    store_with_may: Path, tmp_path: Path
) -> None:
    open_cases = "SELECT count(*) FROM cases WHERE completed_at IS NULL"
    assert _rows(store_with_may, open_cases) == [(1,)]

    june = _write(tmp_path / "june", "办件_06.csv", CASES_JUNE)
    summary = import_path(june, store_with_may)
    _assert_identity(summary)
    (cases,) = summary.sources
    assert (cases.read, cases.loaded, cases.updated, cases.present, cases.set_aside) == (
        2,
        0,
        1,
        1,
        0,
    )
    assert summary.updated == 1
    assert not summary.quarantine_files
    # What 办结率 counts: D2 is now completed, with its result.
    assert _rows(store_with_may, open_cases) == [(0,)]
    assert _rows(store_with_may, "SELECT completed_at, result FROM cases WHERE case_id = 'D2'") == [
        (dt.datetime(2023, 5, 9, 10, 0), "approved")
    ]
    log = _rows(store_with_may, "SELECT rows_updated FROM import_log ORDER BY imported_at")
    assert log[-1] == (1,)

    # The later export once more: nothing new, nothing to update.
    before = _snapshot(store_with_may)
    again = import_path(june, store_with_may)
    _assert_identity(again)
    assert (again.loaded, again.updated, again.present, again.set_aside) == (0, 0, 2, 0)
    after = _snapshot(store_with_may)
    assert {t: v for t, v in after.items() if t != "import_log"} == {
        t: v for t, v in before.items() if t != "import_log"
    }


def test_both_exports_in_one_folder_load_then_update(tmp_path: Path) -> None:
    folder = tmp_path / "year"
    _write(folder, "事项.csv", ITEMS)
    _write(folder, "办件_05.csv", CASES_MAY)
    _write(folder, "办件_06.csv", CASES_JUNE)
    store = tmp_path / "r.duckdb"
    summary = import_path(folder, store)
    _assert_identity(summary)
    by_file = {s.source: s for s in summary.sources}
    assert (by_file["办件_05.csv"].loaded, by_file["办件_05.csv"].updated) == (2, 0)
    assert (by_file["办件_06.csv"].updated, by_file["办件_06.csv"].present) == (1, 1)
    assert _rows(store, "SELECT count(*) FROM cases WHERE completed_at IS NULL") == [(0,)]


def test_changing_a_stored_value_is_still_set_aside(store_with_may: Path, tmp_path: Path) -> None:
    before = _snapshot(store_with_may)
    changed = _write(
        tmp_path / "changed",
        "办件_06.csv",
        CASES_HEAD
        # D2: a different acceptance time, even though it also completes the case
        + "D2,SX1,2023-05-07 09:12:00,2023-05-09 10:00:00,网上,办结\n"
        # D1: a different completion time than the stored one
        + "D1,SX1,2023-05-06 09:12:00,2023-05-10 10:00:00,窗口,办结\n",
    )
    summary = import_path(changed, store_with_may)
    _assert_identity(summary)
    assert (summary.loaded, summary.updated, summary.present, summary.set_aside) == (0, 0, 0, 2)
    assert summary.reasons == {DUPLICATE: 2}
    assert _quarantine(summary, "cases") == {
        2: f"{DUPLICATE}（受理时间：库中 2023-05-06 09:12:00 / 文件中 2023-05-07 09:12:00）",
        3: f"{DUPLICATE}（办结时间：库中 2023-05-08 10:00:00 / 文件中 2023-05-10 10:00:00）",
    }
    after = _snapshot(store_with_may)
    assert after["cases"] == before["cases"]


def test_emptying_a_filled_value_is_a_conflict(store_with_may: Path, tmp_path: Path) -> None:
    # An older export after a newer one would reopen D1: not an update.
    reopened = _write(
        tmp_path / "old", "办件.csv", CASES_HEAD + "D1,SX1,2023-05-06 09:12:00,,窗口,办结\n"
    )
    summary = import_path(reopened, store_with_may)
    assert (summary.updated, summary.set_aside) == (0, 1)
    assert _quarantine(summary, "cases") == {
        2: f"{DUPLICATE}（办结时间：库中 2023-05-08 10:00:00 / 文件中 空）"
    }


def test_an_update_is_checked_like_a_new_row(store_with_may: Path, tmp_path: Path) -> None:
    early = _write(
        tmp_path / "bad",
        "办件.csv",
        CASES_HEAD + "D2,SX1,2023-05-06 09:12:00,2023-05-05 10:00:00,网上,办结\n",
    )
    summary = import_path(early, store_with_may)
    assert (summary.updated, summary.set_aside) == (0, 1)
    assert summary.reasons == {"办结时间早于受理时间": 1}
    assert _rows(store_with_may, "SELECT completed_at FROM cases WHERE case_id = 'D2'") == [(None,)]


def test_failed_import_undoes_its_updates(
    store_with_may: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(store_with_may)
    folder = tmp_path / "june"
    _write(folder, "办件_06.csv", CASES_JUNE)
    _write(folder, "评价.csv", "评价编号,评价时间,评价等级\nR1,2023-05-10 10:00:00,5\n")
    real = importer._import_source

    def fail_after_cases(
        con: duckdb.DuckDBPyConnection, source: Source, *args: object, **kwargs: object
    ) -> SourceSummary:
        summary = real(con, source, *args, **kwargs)
        if source.table == "ratings":
            assert _rows_in(con, "SELECT completed_at FROM cases WHERE case_id = 'D2'") != [(None,)]
            raise OSError("disk full (simulated)")
        return summary

    monkeypatch.setattr(importer, "_import_source", fail_after_cases)
    with pytest.raises(OSError):
        import_path(folder, store_with_may)
    assert _snapshot(store_with_may) == before


def _rows_in(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


TICKETS_HEAD = "工单编号,受理时间,处理方式,承办部门,派单时间,办理时限,办结时间,回访结果\n"


def test_ticket_dispatched_and_closed_later_is_updated(tmp_path: Path) -> None:
    store = tmp_path / "r.duckdb"
    first = _write(
        tmp_path / "a",
        "工单.csv",
        TICKETS_HEAD
        + "T1,2023-06-01 10:00:00,派单,住建局,2023-06-01 11:00:00,2023-06-08 17:30:00,,\n"
        + "T2,2023-06-01 10:00:00,派单,,,,,\n"
        + "T3,2023-06-01 10:00:00,直接答复,,,,2023-06-01 10:10:00,满意\n",
    )
    assert import_path(first, store).loaded == 3
    later = _write(
        tmp_path / "b",
        "工单.csv",
        TICKETS_HEAD
        # T1 closed and followed up; T2 dispatched since; T3 the same
        + "T1,2023-06-01 10:00:00,派单,住建局,2023-06-01 11:00:00,2023-06-08 17:30:00,"
        "2023-06-05 16:00:00,满意\n"
        + "T2,2023-06-01 10:00:00,派单,城管局,2023-06-02 09:00:00,2023-06-09 17:30:00,,\n"
        + "T3,2023-06-01 10:00:00,直接答复,,,,2023-06-01 10:10:00,满意\n",
    )
    summary = import_path(later, store)
    _assert_identity(summary)
    assert (summary.loaded, summary.updated, summary.present, summary.set_aside) == (0, 2, 1, 0)
    got = {
        r[0]: r[1:]
        for r in _rows(
            store, "SELECT ticket_id, department, closed_at, followup FROM hotline_tickets"
        )
    }
    assert got["T1"] == ("住建局", dt.datetime(2023, 6, 5, 16, 0), "满意")
    assert got["T2"] == ("城管局", None, None)

    # A closed ticket exported with another department, and one closed before it was received.
    conflict = _write(
        tmp_path / "c",
        "工单.csv",
        TICKETS_HEAD + "T1,2023-06-01 10:00:00,派单,交通局,2023-06-01 11:00:00,2023-06-08 17:30:00,"
        "2023-06-05 16:00:00,满意\n"
        + "T2,2023-06-01 10:00:00,派单,城管局,2023-06-02 09:00:00,2023-06-09 17:30:00,"
        "2023-05-30 09:00:00,满意\n",
    )
    summary = import_path(conflict, store)
    _assert_identity(summary)
    assert (summary.updated, summary.set_aside) == (0, 2)
    assert _quarantine(summary, "hotline_tickets") == {
        2: f"{DUPLICATE}（承办部门：库中 住建局 / 文件中 交通局）",
        3: "办结时间早于受理时间",
    }
    assert _rows(store, "SELECT closed_at FROM hotline_tickets WHERE ticket_id = 'T2'") == [(None,)]
    assert import_path(later, store).updated == 0  # the later export again: nothing to do


RATINGS_HEAD = "评价编号,办件编号,评价时间,评价等级,整改时间,整改结果\n"


def test_bad_rating_rectified_later_is_updated(tmp_path: Path) -> None:
    store = tmp_path / "r.duckdb"
    first = _write(
        tmp_path / "a",
        "好差评.csv",
        RATINGS_HEAD
        + "R1,D1,2023-05-10 10:00:00,非常不满意,,\n"
        + "R2,D2,2023-05-10 10:00:00,非常满意,,\n",
    )
    assert import_path(first, store).loaded == 2
    later = _write(
        tmp_path / "b",
        "好差评.csv",
        RATINGS_HEAD
        + "R1,D1,2023-05-10 10:00:00,非常不满意,2023-05-12 15:00:00,已整改\n"
        + "R2,D2,2023-05-10 10:00:00,非常满意,,\n",
    )
    summary = import_path(later, store)
    _assert_identity(summary)
    assert (summary.loaded, summary.updated, summary.present, summary.set_aside) == (0, 1, 1, 0)
    assert _rows(
        store, "SELECT rectified_at, rectification_result FROM ratings WHERE level = 1"
    ) == [(dt.datetime(2023, 5, 12, 15, 0), "已整改")]
    again = import_path(later, store)
    assert (again.loaded, again.updated, again.present) == (0, 0, 2)

    # The level changed, and a rectification before the rating: both set aside.
    conflict = _write(
        tmp_path / "c",
        "好差评.csv",
        RATINGS_HEAD
        + "R1,D1,2023-05-10 10:00:00,不满意,2023-05-12 15:00:00,已整改\n"
        + "R2,D2,2023-05-10 10:00:00,非常满意,2023-05-09 10:00:00,已整改\n",
    )
    summary = import_path(conflict, store)
    _assert_identity(summary)
    assert (summary.updated, summary.set_aside) == (0, 2)
    assert _quarantine(summary, "ratings") == {
        2: f"{DUPLICATE}（评价等级：库中 1 / 文件中 2）",
        3: "整改时间早于评价时间",
    }
