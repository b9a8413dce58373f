"""Timestamps in the formats Chinese systems export, read as Asia/Shanghai wall-clock time."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from jixiao.records.validate import install_macros


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    install_macros(c)
    return c


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-05-06 09:12:00", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023-05-06 09:12", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023/5/6 9:12", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023/05/06 09:12:30", dt.datetime(2023, 5, 6, 9, 12, 30)),
        ("2023年5月6日 9时12分", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023年5月6日 9时12分30秒", dt.datetime(2023, 5, 6, 9, 12, 30)),
        ("2023年5月6日", dt.datetime(2023, 5, 6)),
        ("2023-05-06", dt.datetime(2023, 5, 6)),
        ("20230506091200", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023-05-06T09:12:00", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023-05-06 09:12:00.250", dt.datetime(2023, 5, 6, 9, 12, 0, 250000)),
        # With an offset: converted to Asia/Shanghai (UTC+8, no daylight saving).
        ("2023-05-06T01:12:00Z", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023-05-06T09:12:00+08:00", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023-05-06 03:12:00+0200", dt.datetime(2023, 5, 6, 9, 12)),
        ("2023-12-31T20:00:00Z", dt.datetime(2024, 1, 1, 4, 0)),
        # Not dates: NULL, which the importer reports as 无法识别为日期时间.
        ("2023-13-06 09:12:00", None),
        ("2023-02-30", None),
        ("昨天上午", None),
        ("45052.38", None),
    ],
)
def test_export_formats(con: duckdb.DuckDBPyConnection, text: str, expected: dt.datetime) -> None:
    assert con.execute("SELECT jx_ts(?)", [text]).fetchone()[0] == expected
