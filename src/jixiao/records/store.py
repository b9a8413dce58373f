"""The records store: one DuckDB file holding the canonical tables of ``records.schema``.

DuckDB is the embedded default of the warehouse (ARCHITECTURE.md); the KPI engine reads the same
file through Ibis. Tables carry their primary key so that an id can never be stored twice.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from jixiao.errors import JixiaoError, Location
from jixiao.records.schema import PRIMARY_KEYS, TABLES, Column

DEFAULT_STORE = Path("jixiao-data/records.duckdb")

# Not a canonical table: one row per imported file, so a user can see where the rows came from.
IMPORT_LOG = "import_log"


def duckdb_type(dtype: pa.DataType) -> str:
    """The DuckDB column type for a schema column's Arrow type."""
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return "VARCHAR"
    if pa.types.is_int8(dtype):
        return "TINYINT"
    if pa.types.is_int16(dtype):
        return "SMALLINT"
    if pa.types.is_int32(dtype):
        return "INTEGER"
    if pa.types.is_int64(dtype):
        return "BIGINT"
    if pa.types.is_boolean(dtype):
        return "BOOLEAN"
    if pa.types.is_timestamp(dtype):
        return "TIMESTAMP"
    if pa.types.is_date32(dtype):
        return "DATE"
    if pa.types.is_floating(dtype):
        return "DOUBLE"
    raise TypeError(f"no DuckDB type for {dtype}")


def create_table_sql(table: str, name: str | None = None, primary_key: bool = True) -> str:
    """``CREATE TABLE`` for a canonical table (optionally under another name, without the key)."""
    columns: list[Column] = TABLES[table]
    parts = []
    for c in columns:
        null = "" if c.nullable else " NOT NULL"
        parts.append(f'"{c.name}" {duckdb_type(c.type)}{null}')
    if primary_key:
        parts.append(f'PRIMARY KEY ("{PRIMARY_KEYS[table]}")')
    return f'CREATE TABLE IF NOT EXISTS "{name or table}" ({", ".join(parts)})'


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        con.execute(create_table_sql(table))
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {IMPORT_LOG} (
            imported_at TIMESTAMP, source VARCHAR, "table" VARCHAR, encoding VARCHAR,
            rows_read BIGINT, rows_loaded BIGINT, rows_present BIGINT, rows_set_aside BIGINT,
            quarantine_file VARCHAR)"""
    )
    # Added with updates of later-filled columns; older stores get the column on first open.
    con.execute(f"ALTER TABLE {IMPORT_LOG} ADD COLUMN IF NOT EXISTS rows_updated BIGINT")


def open_store(
    path: str | Path = DEFAULT_STORE, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open (and create if absent) the store at ``path``; the canonical tables always exist."""
    path = Path(path)
    if read_only and not path.exists():
        raise JixiaoError(
            "数据库文件不存在，请先用 jixiao import 导入数据", Location(file=str(path))
        )
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise JixiaoError(f"无法打开数据库文件：{exc}", Location(file=str(path))) from exc
    if not read_only:
        ensure_tables(con)
    return con


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Number of rows of each canonical table."""
    return {t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in TABLES}


def link_parquet(folder: str | Path, path: str | Path) -> list[str]:
    """A store whose canonical tables are views over trusted Parquet files (no import, no checks).

    For benchmarks over ``jixiao synth`` output at 10–100 million rows, where importing (checks,
    primary-key index) would dominate: ``folder`` must hold ``<table>.parquet`` files with exactly
    the schema's columns and types. Returns the tables linked. The store at ``path`` must be new.
    """
    folder = Path(folder).resolve()
    path = Path(path)
    if path.exists():
        raise JixiaoError(
            "数据库文件已存在：链接 Parquet 只能建立新的数据库", Location(file=str(path))
        )
    found = {t: folder / f"{t}.parquet" for t in TABLES if (folder / f"{t}.parquet").exists()}
    if not found:
        raise JixiaoError("文件夹中没有按表名命名的 Parquet 文件", Location(file=str(folder)))
    import pyarrow.parquet as pq

    from jixiao.records.schema import arrow_schema

    for table, file in found.items():
        schema = pq.read_schema(file)
        expected = arrow_schema(table)
        if schema.names != expected.names or any(
            schema.field(n).type != expected.field(n).type for n in expected.names
        ):
            raise JixiaoError(
                "Parquet 文件的列或类型与标准表不一致，请用 jixiao import 导入",
                Location(file=str(file)),
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        for table, file in found.items():
            literal = "'" + str(file).replace("'", "''") + "'"
            con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM read_parquet({literal})')
        for table in TABLES:
            if table not in found:
                con.execute(create_table_sql(table))
    finally:
        con.close()
    return sorted(found)
