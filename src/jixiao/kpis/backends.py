"""Where the records are read from: DuckDB (the store file), Spark or PostgreSQL, through Ibis.

- ``duckdb``: the store written by ``jixiao import`` (one DuckDB file), or a folder of Parquet
  files (``<folder>/<table>.parquet`` or ``<folder>/<table>/*.parquet``), read in place.
- ``spark``: a local or existing SparkSession reading Parquet. Point it at a Parquet folder of
  the same layout (e.g. on HDFS/S3 as your Spark can read it), or at a DuckDB store, whose tables
  are then exported to Parquet in a temporary folder first.
- ``postgres``: a database holding the canonical tables (see :func:`load_into_postgres`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from jixiao.errors import JixiaoError, Location
from jixiao.records.schema import TABLES, TIMEZONE, arrow_schema

BACKENDS = ("duckdb", "spark", "postgres")
SPARK_DIALECT = "pyspark"


def parquet_source(folder: Path, table: str) -> str | None:
    """The Parquet path (file or glob) of ``table`` inside ``folder``, or None."""
    single = folder / f"{table}.parquet"
    if single.is_file():
        return str(single)
    parts = folder / table
    if parts.is_dir() and any(parts.rglob("*.parquet")):
        return str(parts / "**" / "*.parquet") if _nested(parts) else str(parts / "*.parquet")
    return None


def _nested(folder: Path) -> bool:
    return not any(folder.glob("*.parquet"))


def canonical_table(name: str) -> ir.Table:
    """An unbound Ibis table with the canonical schema of ``name`` (records.schema)."""
    return ibis.table(ibis.Schema.from_pyarrow(arrow_schema(name)), name=name)


class Backend:
    """A connection to one engine and the canonical tables it holds.

    KPI expressions are built with Ibis over unbound tables of the canonical schema, compiled to
    the engine's SQL dialect by Ibis (``ibis.to_sql``), and that SQL is run by the engine's own
    client (duckdb, pyspark, psycopg). Running the compiled SQL ourselves keeps the query in the
    trace exactly the one that ran, and sidesteps Ibis 12's DuckDB backend, which still calls
    ``fetch_arrow_table`` — removed in duckdb 2.0 (installed here).
    """

    name: str = ""
    dialect: str = ""

    def __init__(self) -> None:
        self.present: set[str] = set()

    def has(self, table: str) -> bool:
        return table in self.present

    def columns(self, table: str) -> list[str]:
        raise NotImplementedError

    def sql(self, expr: ir.Table) -> str:
        return str(ibis.to_sql(expr, dialect=self.dialect))

    def execute(self, sql: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def register(self, name: str, data: pa.Table) -> None:
        """Make a small Arrow table (the working-day calendar) visible to queries as ``name``."""
        raise NotImplementedError

    def calendar(self, name: str, data: pa.Table) -> ir.Table:
        self.register(name, data)
        return ibis.table(ibis.Schema.from_pyarrow(data.schema), name=name)

    def check_columns(self, table: str) -> None:
        """A clear error when a table lacks columns of the canonical schema."""
        have = {c.lower() for c in self.columns(table)}
        missing = [c for c in TABLES[table] if c.name.lower() not in have]
        if missing:
            raise JixiaoError(
                f"表「{table}」缺少规定的列："
                + "、".join(f"{c.name}（{c.label}）" for c in missing)
                + "；请用 jixiao import 导入，或按 records.schema 命名列",
                Location(file=self.where),
            )

    where: str = ""

    def close(self) -> None:
        pass

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBBackend(Backend):
    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, path: Path, wanted: list[str]) -> None:
        import duckdb

        super().__init__()
        self.where = str(path)
        try:
            if path.is_dir():
                self.con = duckdb.connect()
                for name in wanted:
                    src = parquet_source(path, name)
                    if src is not None:
                        quoted = src.replace("'", "''")
                        self.con.execute(
                            f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{quoted}')"
                        )
            else:
                self.con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise JixiaoError(
                f"无法打开记录库（不是 DuckDB 文件？）：{exc}", Location(file=str(path))
            ) from exc
        # One catalogue query for every table's columns (views over Parquet included).
        found = self.con.execute(
            # duckdb_columns() rather than information_schema: ~30× faster to answer
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index"
        ).fetchall()
        self._columns: dict[str, list[str]] = {}
        for table, column in found:
            self._columns.setdefault(table, []).append(column)
        self.present = set(self._columns) & set(wanted)

    def columns(self, table: str) -> list[str]:
        return self._columns.get(table, [])

    def execute(self, sql: str) -> list[dict[str, Any]]:
        cur = self.con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def register(self, name: str, data: pa.Table) -> None:
        self.con.register(name, data)

    def close(self) -> None:
        self.con.close()


def _open_duckdb(path: Path, wanted: list[str]) -> Backend:
    return DuckDBBackend(path, wanted)


def spark_session(local_dir: str | Path | None = None) -> Any:
    """The active SparkSession, or a local one (``local[2]``) set up for jixiao's records.

    Its session time zone is Asia/Shanghai: record timestamps are wall-clock times there, and
    the period bounds are compared in the same zone on every engine.
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    local = str(local_dir or Path(tempfile.gettempdir()) / "jixiao-spark")
    os.makedirs(local, exist_ok=True)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("jixiao-kpis")
        .config("spark.sql.session.timeZone", TIMEZONE)
        .config("spark.local.dir", local)
        .config("spark.sql.warehouse.dir", str(Path(local) / "warehouse"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def export_parquet(store: Path, out_dir: Path, tables: Iterable[str] = tuple(TABLES)) -> Path:
    """Write the store's tables to ``out_dir/<table>.parquet`` (for Spark or any other engine)."""
    import duckdb

    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(store), read_only=True)
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for name in tables:
            if name in present:
                target = str(out_dir / f"{name}.parquet").replace("'", "''")
                con.execute(f"COPY \"{name}\" TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
    return out_dir


class SparkBackend(Backend):
    name = "spark"
    dialect = SPARK_DIALECT

    def __init__(self, path: Path, wanted: list[str], spark: Any) -> None:
        import ibis.backends.pyspark

        # The pyspark SQL compiler reads backend options that exist only once registered.
        if getattr(ibis.options, "pyspark", None) is None:
            ibis.backends.pyspark.Backend.register_options()
        super().__init__()
        self.where = str(path)
        self.session = spark or spark_session()
        if self.session.conf.get("spark.sql.session.timeZone") != TIMEZONE:
            raise JixiaoError(
                f"Spark 会话时区须为 {TIMEZONE}（spark.sql.session.timeZone），"
                "否则期间边界与其他后端不一致"
            )
        self._cleanup: Path | None = None
        folder = path
        if not path.is_dir():
            self._cleanup = Path(tempfile.mkdtemp(prefix="jixiao-spark-parquet-"))
            folder = export_parquet(path, self._cleanup, wanted)
        self.frames: dict[str, Any] = {}
        for name in wanted:
            src = parquet_source(folder, name)
            if src is not None:
                # Spark reads a folder of parts (partitioned or not) itself; no glob needed.
                parts = folder / name
                df = self.session.read.parquet(str(parts) if parts.is_dir() else src)
                df.createOrReplaceTempView(name)
                self.frames[name] = df
        self.present = set(self.frames)

    def columns(self, table: str) -> list[str]:
        return list(self.frames[table].columns)

    def execute(self, sql: str) -> list[dict[str, Any]]:
        return [r.asDict() for r in self.session.sql(sql).collect()]

    def register(self, name: str, data: pa.Table) -> None:
        schema = ", ".join(f"{f.name} date" for f in data.schema)
        rows = [tuple(r.values()) for r in data.to_pylist()]
        self.session.createDataFrame(rows, schema=schema).createOrReplaceTempView(name)

    def close(self) -> None:
        # The SparkSession is shared and owned by the caller; only our temp views go.
        for name in self.frames:
            self.session.catalog.dropTempView(name)
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)


def _open_spark(path: Path, wanted: list[str], spark: Any) -> Backend:
    return SparkBackend(path, wanted, spark)


class PostgresBackend(Backend):
    name = "postgres"
    dialect = "postgres"

    def __init__(self, url: str, wanted: list[str]) -> None:
        import psycopg

        super().__init__()
        self.where = _safe(url)
        try:
            self.con = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise JixiaoError(f"无法连接 PostgreSQL：{exc}", Location(file=self.where)) from exc
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = ANY(current_schemas(false))"
        ).fetchall()
        self.present = {r[0] for r in rows} & set(wanted)

    def columns(self, table: str) -> list[str]:
        rows = self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,)
        ).fetchall()
        return [r[0] for r in rows]

    def execute(self, sql: str) -> list[dict[str, Any]]:
        cur = self.con.execute(sql)  # type: ignore[arg-type]  (compiled by Ibis, not user text)
        names = [d.name for d in cur.description or []]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def register(self, name: str, data: pa.Table) -> None:
        cols = ", ".join(f'"{f.name}" DATE' for f in data.schema)
        self.con.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{name}" ({cols})')  # type: ignore[arg-type]
        self.con.execute(f'TRUNCATE "{name}"')  # type: ignore[arg-type]
        with self.con.cursor() as cur:
            marks = ", ".join(["%s"] * data.num_columns)
            cur.executemany(
                f'INSERT INTO "{name}" VALUES ({marks})',  # type: ignore[arg-type]
                [tuple(r.values()) for r in data.to_pylist()],
            )

    def close(self) -> None:
        self.con.close()


def _open_postgres(url: str, wanted: list[str]) -> Backend:
    return PostgresBackend(url, wanted)


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url


def _store_missing(path: Path) -> JixiaoError:
    return JixiaoError(
        "记录库不存在：请先用 jixiao import 导入服务记录，或用 --db 指定记录库文件（DuckDB）"
        "或 Parquet 文件夹",
        Location(file=str(path)),
    )


def open_backend(
    store: str | Path | None,
    backend: str = "duckdb",
    *,
    postgres_url: str | None = None,
    spark: Any = None,
    tables: Iterable[str] = tuple(TABLES),
) -> Backend:
    """Connect to ``backend`` and find the canonical tables it holds."""
    wanted = list(tables)
    if backend == "duckdb":
        return _open_duckdb(_path(store), wanted)
    if backend == "spark":
        return _open_spark(_path(store), wanted, spark)
    if backend == "postgres":
        url = postgres_url or (str(store) if store and str(store).startswith("postgres") else None)
        if not url:
            raise JixiaoError("使用 PostgreSQL 时须给出连接地址（--postgres-url postgresql://…）")
        return _open_postgres(url, wanted)
    raise JixiaoError(f"未知的计算后端「{backend}」；可选：{'、'.join(BACKENDS)}")


def _path(store: str | Path | None) -> Path:
    if store is None:
        raise JixiaoError("请指定记录库文件（--db）")
    path = Path(store)
    if not path.exists():
        raise _store_missing(path)
    return path


_PG_TYPES = {
    "string": "TEXT",
    "int8": "SMALLINT",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "bool": "BOOLEAN",
    "date32[day]": "DATE",
    "double": "DOUBLE PRECISION",
}


def _pg_type(dtype: pa.DataType) -> str:
    if pa.types.is_timestamp(dtype):
        return "TIMESTAMP WITHOUT TIME ZONE"
    return _PG_TYPES[str(dtype)]


def load_into_postgres(
    store: str | Path, url: str, tables: Iterable[str] = tuple(TABLES), replace: bool = True
) -> dict[str, int]:
    """Copy the store's canonical tables into PostgreSQL (``COPY``); returns rows per table.

    Meant for trying the PostgreSQL backend and for tests; a centre that already keeps its
    records in PostgreSQL just names its tables and columns as in ``records.schema``.
    """
    import duckdb
    import psycopg

    path = _path(store)
    src = duckdb.connect(str(path), read_only=True)
    counts: dict[str, int] = {}
    try:
        present = {r[0] for r in src.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        with psycopg.connect(url, autocommit=False) as pg, pg.cursor() as cur:
            for name in tables:
                if name not in present:
                    continue
                cols = TABLES[name]
                ddl = ", ".join(f'"{c.name}" {_pg_type(c.type)}' for c in cols)
                if replace:
                    cur.execute(f'DROP TABLE IF EXISTS "{name}"')
                cur.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({ddl})')
                names = ", ".join(f'"{c.name}"' for c in cols)
                reader = src.sql(f'SELECT {names} FROM "{name}"').to_arrow_reader(100_000)
                n = 0
                with cur.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy:
                    for batch in reader:
                        for row in batch.to_pylist():
                            copy.write_row([row[c.name] for c in cols])
                            n += 1
                counts[name] = n
            pg.commit()
    finally:
        src.close()
    return counts


def parse_day(value: str | dt.date, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise JixiaoError(f"{what}不是有效日期（应为 YYYY-MM-DD）：{value}") from exc
