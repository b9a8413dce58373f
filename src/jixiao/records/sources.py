"""Find the files to import, say which table each is, and stage them in DuckDB.

CSV (UTF-8 with or without BOM, or GB18030/GBK), XLSX (every sheet that is a table) and Parquet.
Rows keep their number in the source file (CSV/XLSX: the header is row 1; Parquet: the first
record is row 1) so that a set-aside row can be found again.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from jixiao.errors import JixiaoError, Location
from jixiao.records.headers import header_aliases, normalise, table_from_file_name
from jixiao.records.headers import table_from_headers as _table_from_headers
from jixiao.records.mapping import Mapping
from jixiao.records.schema import PRIMARY_KEYS, TABLE_LABELS, TABLES

SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_BLOCK = 4 << 20
_XLSX_BATCH = 50_000


@dataclass
class Source:
    path: Path
    kind: str  # csv / xlsx / parquet
    table: str
    headers: list[str]
    columns: dict[str, str]  # canonical column → source header
    ignored: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # source header → DuckDB type
    encoding: str | None = None
    sheet: str | None = None
    utf8_path: Path | None = None  # a transcoded copy of a GB18030 CSV
    delimiter: str = ","

    @property
    def name(self) -> str:
        return f"{self.path.name}「{self.sheet}」" if self.sheet else self.path.name


def find_files(path: Path) -> list[Path]:
    if not path.exists():
        raise JixiaoError("要导入的文件或文件夹不存在", Location(file=str(path)))
    if path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            raise JixiaoError(
                "不支持的文件类型：请提供 CSV、XLSX 或 Parquet 文件", Location(file=str(path))
            )
        return [path]
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        # hidden files, Excel lock files, and our own quarantine files are not data
        and not p.name.startswith((".", "~$", "quarantine-"))
    )
    if not files:
        raise JixiaoError(
            "文件夹中没有可导入的 CSV、XLSX 或 Parquet 文件", Location(file=str(path))
        )
    return files


def detect_encoding(path: Path) -> str:
    """``utf-8`` (BOM or not) if the whole file decodes as UTF-8, else ``gb18030``."""
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        offset = 0
        try:
            with path.open("rb") as fh:
                while block := fh.read(_BLOCK):
                    decoder.decode(block)
                    offset += len(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise JixiaoError(
        "无法识别文件编码：既不是 UTF-8 也不是 GB18030/GBK，请另存为 UTF-8 编码的 CSV",
        Location(file=str(path)),
    )


def _transcode(path: Path, workdir: Path) -> Path:
    # DuckDB's CSV reader only knows UTF-8/16 and Latin-1 without a downloaded extension, so a
    # GB18030 file is re-encoded once, streamed, into a temporary UTF-8 copy.
    out = Path(tempfile.mkstemp(suffix=".csv", dir=workdir)[1])
    with (
        path.open("r", encoding="gb18030", newline="") as src,
        out.open("w", encoding="utf-8", newline="") as dst,
    ):
        while block := src.read(_BLOCK):
            dst.write(block)
    return out


def csv_header(path: Path) -> tuple[list[str], str]:
    """The header names and the delimiter, read from the file's first line.

    DuckDB's sniffer guesses from a sample and gives up on a file with one malformed line; an
    export's header line is reliable, so it is parsed here and DuckDB reads with fixed options.
    """
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    delimiter = max(counts, key=lambda d: counts[d])
    if not counts[delimiter]:
        delimiter = ","
    row = next(csv.reader([first], delimiter=delimiter), [])
    headers: list[str] = []
    for i, h in enumerate(row):
        name = h.strip() or f"列{i + 1}"
        while name in headers:
            name += "_重复"
        headers.append(name)
    return headers, delimiter


def csv_options(headers: list[str], delimiter: str) -> str:
    delim = "\\t" if delimiter == "\t" else delimiter
    columns = ", ".join("'" + h.replace("'", "''") + "': 'VARCHAR'" for h in headers)
    return (
        f"header = true, auto_detect = false, columns = {{{columns}}}, delim = '{delim}', "
        "quote = '\"', escape = '\"'"
    )


def _resolve_target(table: str, target: str) -> str | None:
    for column in TABLES[table]:
        if normalise(target) in (normalise(column.name), normalise(column.label)):
            return column.name
    return None


def map_columns(
    table: str, headers: list[str], mapping: Mapping, where: Location
) -> tuple[dict[str, str], list[str]]:
    """canonical column → header, and the headers that mean nothing for this table."""
    aliases = header_aliases(table)
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        key = normalise(header)
        target: str | None = None
        if key in mapping.columns:
            target = _resolve_target(table, mapping.columns[key])
            if target is None:
                raise JixiaoError(
                    f"对应关系文件把列「{header}」对应到「{mapping.columns[key]}」，"
                    f"但它不是{TABLE_LABELS[table]}表的列",
                    where,
                )
        elif key in aliases:
            target = aliases[key]
        if target is None or target in columns:
            ignored.append(header)
        else:
            columns[target] = header
    return columns, ignored


def _table_for(path: Path, sheet: str | None, headers: list[str], mapping: Mapping) -> str | None:
    mapped = [mapping.columns.get(normalise(h), h) for h in headers]
    return (
        mapping.table_for_file(path.name)
        or (table_from_file_name(sheet) if sheet else None)
        or table_from_file_name(path.stem)
        or _table_from_headers(mapped)
    )


def _make_source(
    path: Path, kind: str, headers: list[str], mapping: Mapping, sheet: str | None = None
) -> Source | None:
    where = Location(file=str(path), sheet=sheet)
    table = _table_for(path, sheet, headers, mapping)
    if table is None:
        return None
    columns, ignored = map_columns(table, headers, mapping, where)
    required = [
        c
        for c in TABLES[table]
        if not c.nullable
        and c.name not in columns
        # a case's department and hall can come from the item catalogue
        and not (table == "cases" and c.name in ("department", "hall"))
    ]
    if required:
        raise JixiaoError(
            f"文件被识别为「{TABLE_LABELS[table]}」，但缺少必需的列："
            f"{'、'.join(c.label for c in required)}；如列名不同，请用 --mapping 指定对应关系",
            where,
            details=[f"文件中的列：{'、'.join(headers)}"],
        )
    return Source(
        path=path,
        kind=kind,
        table=table,
        headers=headers,
        columns=columns,
        ignored=ignored,
        sheet=sheet,
    )


def _unknown(path: Path, headers: list[str], sheet: str | None = None) -> JixiaoError:
    names = "、".join(f"{label}（{t}）" for t, label in TABLE_LABELS.items())
    return JixiaoError(
        f"无法判断文件是哪一类数据：文件名和表头都不匹配 {names}；"
        "请按表名命名文件（如 cases.csv、办件.csv），或在对应关系文件中用 table / files 指定",
        Location(file=str(path), sheet=sheet),
        details=[f"文件中的列：{'、'.join(map(str, headers))}"],
    )


def describe(
    path: Path,
    con: duckdb.DuckDBPyConnection,
    mapping: Mapping,
    workdir: Path,
    skipped: list[tuple[str, str]] | None = None,
) -> list[Source]:
    """The sources in one file (an XLSX workbook may hold several tables, one per sheet).

    Sheets of a workbook that are not data are appended to ``skipped`` as (sheet, reason).
    """
    kind = SUFFIXES[path.suffix.lower()]
    where = Location(file=str(path))
    if kind == "csv":
        encoding = detect_encoding(path)
        utf8 = _transcode(path, workdir) if encoding == "gb18030" else None
        try:
            headers, delimiter = csv_header(utf8 or path)
        except (OSError, csv.Error) as exc:
            raise JixiaoError(f"无法读取 CSV 文件：{exc}", where) from exc
        if not headers:
            raise JixiaoError("CSV 文件为空或没有表头", where)
        source = _make_source(path, kind, headers, mapping)
        if source is None:
            raise _unknown(path, headers)
        source.encoding = "GB18030" if encoding == "gb18030" else "UTF-8"
        source.delimiter = delimiter
        source.utf8_path = utf8
        source.types = dict.fromkeys(headers, "VARCHAR")
        return [source]
    if kind == "parquet":
        try:
            rows = con.sql("DESCRIBE SELECT * FROM read_parquet(?)", params=[str(path)]).fetchall()
        except duckdb.Error as exc:
            raise JixiaoError(f"无法读取 Parquet 文件：{exc}", where) from exc
        headers = [r[0] for r in rows]
        source = _make_source(path, kind, headers, mapping)
        if source is None:
            raise _unknown(path, headers)
        source.types = {r[0]: r[1] for r in rows}
        return [source]
    return _describe_xlsx(path, mapping, skipped if skipped is not None else [])


# Sheet names of the notes and totals that exports put next to the data.
_NOTE_SHEETS = (
    "说明",
    "填表说明",
    "备注",
    "汇总",
    "统计",
    "合计",
    "目录",
    "封面",
    "notes",
    "summary",
)


def _not_data(path: Path, sheet: str, headers: list[str], mapping: Mapping) -> str | None:
    """Why a sheet of a several-sheet workbook is not data, or None when it looks like data.

    A mapping's ``table:`` / ``files:`` names the table of the whole file, not of each sheet, so
    a notes sheet must not be forced into it. A sheet is only passed over when nothing in it
    says it is data: its name is no table name, and none of its headers is a column of the
    table (or, for a sheet named like 说明 / 汇总, the primary key is absent). Anything else that
    fails is still an error.
    """
    if table_from_file_name(sheet):
        return None
    table = _table_for(path, sheet, headers, mapping)
    if table is None:
        return "表头与各类数据都不对应"
    label = TABLE_LABELS[table]
    columns, _ = map_columns(table, headers, mapping, Location(file=str(path), sheet=sheet))
    if not columns:
        return f"表头中没有「{label}」的列"
    name = normalise(sheet)
    if PRIMARY_KEYS[table] not in columns and any(n in name for n in _NOTE_SHEETS):
        key = next(c.label for c in TABLES[table] if c.name == PRIMARY_KEYS[table])
        return f"说明或汇总页（没有{key}列）"
    return None


def _describe_xlsx(path: Path, mapping: Mapping, skipped: list[tuple[str, str]]) -> list[Source]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise JixiaoError(f"无法打开 Excel 文件：{exc}", Location(file=str(path))) from exc
    sources: list[Source] = []
    try:
        for ws in wb.worksheets:
            first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
            headers = [str(h).strip() for h in first or () if h is not None and str(h).strip()]
            if not headers:
                skipped.append((ws.title, "第一行没有表头"))
                continue
            if len(wb.worksheets) > 1 and (why := _not_data(path, ws.title, headers, mapping)):
                skipped.append((ws.title, why))
                continue
            source = _make_source(path, "xlsx", headers, mapping, sheet=ws.title)
            if source is None:
                if len(wb.worksheets) == 1:
                    raise _unknown(path, headers, ws.title)
                skipped.append((ws.title, "表头与各类数据都不对应"))
                continue
            source.types = dict.fromkeys(headers, "VARCHAR")
            sources.append(source)
    finally:
        wb.close()
    if not sources:
        raise _unknown(path, [], None)
    return sources


def _lit(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def stage(source: Source, con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str | None]:
    """Make ``name`` a relation over the source with ``__row`` and the source's own headers.

    Returns the relation name and, for CSV, the name of the table of malformed lines.
    """
    where = Location(file=str(source.path), sheet=source.sheet)
    try:
        if source.kind == "parquet":
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT file_row_number + 1 AS __row, "
                f"* EXCLUDE (file_row_number) FROM read_parquet({_lit(source.path)}, "
                "file_row_number = true)"
            )
            return name, None
        if source.kind == "csv":
            rejects = f"{name}_rejects"
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {name}_raw AS SELECT * FROM read_csv(?, "
                f"{csv_options(source.headers, source.delimiter)}, store_rejects = true, "
                f"rejects_table = '{rejects}', rejects_scan = '{name}_scan')",
                [str(source.utf8_path or source.path)],
            )
            n_rej = con.execute(f"SELECT count(*) FROM {rejects}").fetchone()[0]
            # Row ids of a temporary table start at a large offset; they are consecutive in file
            # order (insertion order is preserved), so the first one is subtracted.
            base = con.execute(f"SELECT coalesce(min(rowid), 0) FROM {name}_raw").fetchone()[0]
            seq = f"(r.rowid - {int(base)} + 2)"
            if n_rej:
                # Accepted rows lose their line number when malformed lines are skipped: the
                # k-th accepted row sits after every rejected line whose (line − rank) < k + 1.
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {name}_adj AS SELECT line - row_number() "
                    f"OVER (ORDER BY line) AS adj FROM (SELECT DISTINCT line FROM {rejects})"
                )
                row = f"{seq} + (SELECT count(*) FROM {name}_adj a WHERE a.adj < {seq})"
            else:
                row = seq
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {row} AS __row, r.* "
                f"FROM {name}_raw r"
            )
            return name, rejects
        _stage_xlsx(source, con, name)
        return name, None
    except duckdb.Error as exc:
        raise JixiaoError(f"读取文件失败：{exc}", where) from exc


def unstage(source: Source, con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop what :func:`stage` made, so a many-file import holds one file at a time."""
    if source.kind == "xlsx":
        con.execute(f"DROP TABLE IF EXISTS {name}")
        return
    con.execute(f"DROP VIEW IF EXISTS {name}")
    for suffix in ("_raw", "_rejects", "_scan", "_adj"):
        con.execute(f"DROP TABLE IF EXISTS {name}{suffix}")


def _stage_xlsx(source: Source, con: duckdb.DuckDBPyConnection, name: str) -> None:
    # openpyxl yields Python objects cell by cell; an XLSX sheet holds at most ~1 M rows, so this
    # loop is bounded, and rows go to DuckDB in Arrow batches.
    import openpyxl

    headers = source.headers
    cols = ", ".join(f'"{h}" VARCHAR' for h in headers)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (__row BIGINT, {cols})")
    wb = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
    try:
        ws = wb[source.sheet]
        rows = ws.iter_rows(values_only=True)
        first = next(rows, ())
        positions = [i for i, h in enumerate(first) if h is not None and str(h).strip()]
        batch: list[list[str | None]] = [[] for _ in range(len(positions) + 1)]

        def flush() -> None:
            if not batch[0]:
                return
            arrays = [pa.array(batch[0], type=pa.int64())] + [
                pa.array(b, type=pa.string()) for b in batch[1:]
            ]
            tbl = pa.table(arrays, names=["__row", *headers])
            con.register(f"{name}_batch", tbl)
            con.execute(f"INSERT INTO {name} SELECT * FROM {name}_batch")
            con.unregister(f"{name}_batch")
            for b in batch:
                b.clear()

        for number, values in enumerate(rows, start=2):
            texts = [_cell_text(values[i]) if i < len(values) else None for i in positions]
            if all(t is None for t in texts):
                continue  # a blank line is not a record
            batch[0].append(number)
            for b, t in zip(batch[1:], texts, strict=True):
                b.append(t)
            if len(batch[0]) >= _XLSX_BATCH:
                flush()
        flush()
    finally:
        wb.close()
