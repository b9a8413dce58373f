"""Import a centre's export files into the records store, setting bad rows aside.

One import is one transaction: either every file's good rows are stored, or (on any error)
nothing is. Rows are checked in SQL over whole files (``records.validate``); each bad row goes
to a quarantine CSV with its file, row number, reason and original values, and the summary
accounts for every row read: read = loaded + updated + already present + set aside.

A row whose id is already stored and which only fills columns that are empty in the store and
fill in over time (``schema.FILLED_LATER``: a case completed after an earlier export, a ticket
closed, a bad rating rectified) updates the stored row; any other difference is set aside.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from jixiao.errors import JixiaoError, Location
from jixiao.records.calendar import supported_years, working_day_table
from jixiao.records.mapping import Mapping, load_mapping
from jixiao.records.schema import FILLED_LATER, PRIMARY_KEYS, TABLE_LABELS, TABLES, Column
from jixiao.records.sources import Source, describe, find_files, stage, unstage
from jixiao.records.store import IMPORT_LOG, open_store
from jixiao.records.validate import DUPLICATE, checked_sql, install_macros

Progress = Callable[[str, int, int], None]

MALFORMED_LINE = "该行的列数与表头不符"
_STEPS = 3  # per source: read and check, classify, load


@dataclass
class SourceSummary:
    source: str  # file name, with the sheet for a workbook
    path: Path
    table: str
    encoding: str | None
    read: int = 0
    loaded: int = 0
    updated: int = 0  # stored rows whose empty later-filled columns this file filled in
    present: int = 0
    set_aside: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportSummary:
    store: Path
    sources: list[SourceSummary]
    quarantine_files: dict[str, Path]
    # sheets of workbooks that are not data (说明, 汇总 …): "file「sheet」" → why
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def read(self) -> int:
        return sum(s.read for s in self.sources)

    @property
    def loaded(self) -> int:
        return sum(s.loaded for s in self.sources)

    @property
    def updated(self) -> int:
        return sum(s.updated for s in self.sources)

    @property
    def present(self) -> int:
        return sum(s.present for s in self.sources)

    @property
    def set_aside(self) -> int:
        return sum(s.set_aside for s in self.sources)

    @property
    def reasons(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for s in self.sources:
            total.update(s.reasons)
        return total


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_TABLE_ORDER = list(TABLES)  # items first: cases are checked against the catalogue


def import_path(
    path: str | Path,
    store_path: str | Path,
    mapping: str | Path | Mapping | None = None,
    progress: Progress | None = None,
    quarantine_dir: str | Path | None = None,
) -> ImportSummary:
    """Import a file or a folder of files into the store at ``store_path``.

    ``mapping`` is a YAML mapping file (or an already loaded :class:`Mapping`). Bad rows go to
    ``quarantine-<time>-<table>.csv`` in ``quarantine_dir`` (default: next to the store).
    """
    path = Path(path)
    store_path = Path(store_path)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    qdir = Path(quarantine_dir) if quarantine_dir else store_path.parent
    files_in = find_files(path)
    workdir = Path(tempfile.mkdtemp(prefix="jixiao-import-"))
    written: list[Path] = []
    try:
        # Every file is recognised before the store is touched: a file that is not a known
        # table stops the import with nothing changed.
        skipped: dict[str, str] = {}
        with duckdb.connect() as scratch:
            sources = []
            for f in files_in:
                passed_over: list[tuple[str, str]] = []
                sources += describe(f, scratch, mapping, workdir, passed_over)
                skipped |= {f"{f.name}「{sheet}」": why for sheet, why in passed_over}
        sources.sort(key=lambda s: _TABLE_ORDER.index(s.table))
        con = open_store(store_path)
        try:
            summaries, files = _run_import(con, sources, mapping, qdir, progress, written)
        finally:
            con.close()
    except duckdb.Error as exc:
        raise JixiaoError(f"导入失败，数据库未作任何改动：{exc}", Location(file=str(path))) from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return ImportSummary(
        store=store_path, sources=summaries, quarantine_files=files, skipped=skipped
    )


def _run_import(
    con: duckdb.DuckDBPyConnection,
    sources: list[Source],
    mapping: Mapping,
    qdir: Path,
    progress: Progress | None,
    written: list[Path],
) -> tuple[list[SourceSummary], dict[str, Path]]:
    """All sources in one transaction; on any error the store is rolled back."""
    install_macros(con)
    lo, hi = supported_years()
    con.register("jx_calendar", working_day_table(lo, hi))
    con.execute(
        "CREATE OR REPLACE TEMP VIEW jx_workdays AS "
        "SELECT ordinal, day FROM jx_calendar WHERE working"
    )
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    summaries: list[SourceSummary] = []
    quarantined: set[str] = set()
    total = len(sources) * _STEPS * 100
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    con.begin()
    try:
        for i, source in enumerate(sources):
            summaries.append(
                _import_source(
                    con, source, mapping, i, quarantined, progress, i * _STEPS * 100, total
                )
            )
        files: dict[str, Path] = {}
        if quarantined:
            qdir.mkdir(parents=True, exist_ok=True)
        for table in sorted(quarantined, key=_TABLE_ORDER.index):
            target = qdir / f"quarantine-{stamp}-{table}.csv"
            _write_quarantine(con, f"jx_q_{table}", target)
            written.append(target)
            files[table] = target
        now = dt.datetime.now()
        for s in summaries:
            con.execute(
                f'INSERT INTO {IMPORT_LOG} (imported_at, source, "table", encoding, '
                "rows_read, rows_loaded, rows_present, rows_set_aside, quarantine_file, "
                "rows_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    now,
                    str(s.path) + (f"#{s.source}" if "「" in s.source else ""),
                    s.table,
                    s.encoding,
                    s.read,
                    s.loaded,
                    s.present,
                    s.set_aside,
                    str(files[s.table]) if s.set_aside and s.table in files else None,
                    s.updated,
                ],
            )
        con.commit()
    except BaseException:
        con.rollback()
        for f in written:
            f.unlink(missing_ok=True)
        raise
    return summaries, files


def _import_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    mapping: Mapping,
    index: int,
    quarantined: set[str],
    progress: Progress | None,
    step: int,
    total: int,
) -> SourceSummary:
    table = source.table
    pk = PRIMARY_KEYS[table]
    names = [c.name for c in TABLES[table]]
    cols = ", ".join(_ident(n) for n in names)
    summary = SourceSummary(
        source=source.name,
        path=source.path,
        table=table,
        encoding=source.encoding,
        ignored_columns=source.ignored,
    )

    def tick(done: int, what: str) -> Callable[[float], None]:
        label = f"{source.name}：{what}"

        def update(percent: float) -> None:
            if progress:
                progress(label, step + done * 100 + int(percent), total)

        update(0)
        return update

    at = tick(0, "读取与校验")
    staged, rejects = stage(source, con, f"jx_src{index}")
    _run(
        con,
        f"CREATE OR REPLACE TEMP TABLE jx_checked AS "
        f"{checked_sql(source, staged, mapping, ('jx_calendar', 'jx_workdays'))}",
        at if progress else None,
    )
    at = tick(1, "查重")
    _run(con, _outcome_sql(table), at if progress else None)
    at = tick(2, "写入")
    (n_outcome,) = con.execute("SELECT count(*) FROM jx_outcome").fetchone()
    keep = (
        " WHERE NOT EXISTS (SELECT 1 FROM jx_outcome o WHERE o.__row = c.__row)"
        if n_outcome
        else ""  # the usual case for a clean export: no anti-join needed
    )
    inserted = _run(
        con,
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM jx_checked c{keep}",
        at if progress else None,
    )[0]
    read = con.execute("SELECT count(*) FROM jx_checked").fetchone()[0]
    counts = dict(con.execute("SELECT st, count(*) FROM jx_outcome GROUP BY st").fetchall())
    updated = 0
    if counts.get("update"):
        # The row passed every check of a new row (jx_checked) and equals the stored one except
        # in columns empty in the store, so COALESCE only ever fills; one set-based UPDATE.
        sets = ", ".join(
            f"{_ident(n)} = COALESCE(s.{_ident(n)}, u.{_ident(n)})" for n in FILLED_LATER[table]
        )
        updated = con.execute(
            f"UPDATE {table} AS s SET {sets} FROM (SELECT c.* FROM jx_checked c "
            "JOIN jx_outcome o ON o.__row = c.__row WHERE o.st = 'update') u "
            f"WHERE s.{pk} = u.{pk}"
        ).fetchone()[0]
    summary.read = int(read)
    summary.loaded = int(inserted)
    summary.updated = int(updated)
    summary.present = int(counts.get("present", 0))
    summary.set_aside = int(counts.get("bad", 0) + counts.get("conflict", 0))
    # A conflict's reason names the differing columns; the summary counts it under one reason.
    for reason, n in con.execute(
        f"SELECT CASE WHEN starts_with(reason, {_q(DUPLICATE)}) THEN {_q(DUPLICATE)} "
        "ELSE split_part(reason, '；', 1) END, count(*) FROM jx_outcome "
        "WHERE st IN ('bad', 'conflict') GROUP BY 1"
    ).fetchall():
        summary.reasons[reason] += int(n)

    if summary.set_aside or rejects:
        qtable = f"jx_q_{table}"
        labels = {c.name: c.label for c in TABLES[table]}
        qcols = ", ".join(f"{_ident(c.label)} VARCHAR" for c in TABLES[table])
        con.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {qtable} (来源文件 VARCHAR, 行号 BIGINT, "
            f"原因 VARCHAR, {qcols}, 原始行 VARCHAR)"
        )
        mapped = [(name, header) for name, header in source.columns.items()]
        targets = ", ".join(_ident(labels[n]) for n, _ in mapped)
        values = ", ".join(f"CAST(s.{_ident(h)} AS VARCHAR)" for _, h in mapped)
        con.execute(
            f"INSERT INTO {qtable} (来源文件, 行号, 原因, {targets}) "
            f"SELECT ?, o.__row, o.reason, {values} FROM jx_outcome o "
            f"JOIN {staged} s ON s.__row = o.__row WHERE o.st IN ('bad', 'conflict')",
            [source.name],
        )
        if summary.set_aside:
            quarantined.add(table)
        if rejects:
            bad_lines = con.execute(
                f"INSERT INTO {qtable} (来源文件, 行号, 原因, 原始行) "
                f"SELECT ?, line, {_q(MALFORMED_LINE)}, any_value(csv_line) FROM {rejects} "
                "GROUP BY line",
                [source.name],
            ).fetchone()[0]
            if bad_lines:
                quarantined.add(table)
                summary.read += int(bad_lines)
                summary.set_aside += int(bad_lines)
                summary.reasons[MALFORMED_LINE] += int(bad_lines)
    unstage(source, con, staged)
    tick(3, "完成")
    if summary.read != summary.loaded + summary.updated + summary.present + summary.set_aside:
        # Every row read must be accounted for; a mismatch is a bug, never a user's error.
        raise RuntimeError(f"row accounting mismatch for {source.name}: {summary}")
    return summary


def _outcome_sql(table: str) -> str:
    """``jx_outcome``: every row of ``jx_checked`` that is not simply new, with what it is.

    ``st`` is ``bad`` (failed a check), ``present`` (stored, or earlier in the file, with the
    same content), ``update`` (stored; fills only empty later-filled columns), or ``conflict``
    (same id, different content; the reason names the differing columns).
    """
    pk = PRIMARY_KEYS[table]
    columns = TABLES[table]
    fill = FILLED_LATER.get(table, ())
    cols = ", ".join(_ident(c.name) for c in columns)

    def differs(a: str, b: str, c: Column) -> str:
        return f"{a}.{_ident(c.name)} IS DISTINCT FROM {b}.{_ident(c.name)}"

    # Against the store (s): a later-filled column may go from empty to a value, nothing else.
    changed = {
        c.name: (
            f"(s.{_ident(c.name)} IS NOT NULL AND {differs('c', 's', c)})"
            if c.name in fill
            else f"({differs('c', 's', c)})"
        )
        for c in columns
    }
    conflict = " OR ".join(changed.values())
    fills = " OR ".join(f"(s.{_ident(n)} IS NULL AND c.{_ident(n)} IS NOT NULL)" for n in fill)
    store_detail = ", ".join(
        f"CASE WHEN {changed[c.name]} THEN {_q(c.label + '：库中 ')} || {_shown('s', c)} "
        f"|| ' / 文件中 ' || {_shown('c', c)} END"
        for c in columns
    )
    file_detail = ", ".join(
        f"CASE WHEN {differs('a', 'b', c)} THEN {_q(c.label)} END" for c in columns
    )
    return f"""CREATE OR REPLACE TEMP TABLE jx_outcome AS
        WITH ok AS (SELECT * FROM jx_checked WHERE __reasons = ''),
        dup_keys AS (SELECT {pk} FROM ok GROUP BY {pk} HAVING count(*) > 1),
        dups AS (SELECT __row, {pk}, hash({cols}) AS h FROM ok
                 WHERE {pk} IN (SELECT {pk} FROM dup_keys)),
        firsts AS (SELECT {pk}, min(__row) AS fr, arg_min(h, __row) AS fh FROM dups GROUP BY {pk}),
        dup_out AS (SELECT d.__row, f.fr,
                           CASE WHEN d.h = f.fh THEN 'present' ELSE 'conflict' END AS st
                    FROM dups d JOIN firsts f USING ({pk}) WHERE d.__row <> f.fr),
        store_out AS (
            SELECT c.__row,
                   CASE WHEN {conflict} THEN 'conflict'
                        WHEN {fills or "false"} THEN 'update' ELSE 'present' END AS st,
                   CASE WHEN {conflict} THEN {_q(DUPLICATE + "（")}
                        || concat_ws('，', {store_detail}) || '）' END AS reason
            FROM ok c JOIN {table} s ON s.{pk} = c.{pk}
            WHERE c.__row NOT IN (SELECT __row FROM dup_out))
        SELECT __row, 'bad' AS st, __reasons AS reason FROM jx_checked WHERE __reasons <> ''
        UNION ALL SELECT __row, st, NULL FROM dup_out WHERE st = 'present'
        UNION ALL SELECT o.__row, o.st, {_q(DUPLICATE + "（与第 ")} || o.fr || ' 行不同：'
                         || concat_ws('、', {file_detail}) || '）'
                  FROM dup_out o JOIN ok a ON a.__row = o.__row JOIN ok b ON b.__row = o.fr
                  WHERE o.st = 'conflict'
        UNION ALL SELECT __row, st, reason FROM store_out"""


def _shown(alias: str, c: Column) -> str:
    """A stored value as text for a conflict's reason (yes/no in Chinese, 空 when empty)."""
    ref = f"{alias}.{_ident(c.name)}"
    if pa.types.is_boolean(c.type):
        return f"(CASE WHEN {ref} THEN '是' WHEN NOT {ref} THEN '否' ELSE '空' END)"
    return f"coalesce(CAST({ref} AS VARCHAR), '空')"


def _run(
    con: duckdb.DuckDBPyConnection, sql: str, on_progress: Callable[[float], None] | None
) -> tuple:
    """Execute one statement; while it runs, report DuckDB's own progress (0–100)."""
    if on_progress is None:
        return con.execute(sql).fetchone() or ()
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.2):
            percent = con.query_progress()
            if percent >= 0:
                on_progress(percent)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        return con.execute(sql).fetchone() or ()
    finally:
        done.set()
        watcher.join()
        on_progress(100)


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _write_quarantine(con: duckdb.DuckDBPyConnection, qtable: str, target: Path) -> None:
    # Excel only reads a UTF-8 CSV correctly when it starts with a BOM, which DuckDB's COPY does
    # not write: copy to a temporary file and prepend it.
    tmp = target.with_suffix(".tmp")
    con.execute(
        f"COPY (SELECT * FROM {qtable} ORDER BY 来源文件, 行号) TO '{tmp}' (HEADER, DELIMITER ',')"
    )
    with target.open("wb") as out, tmp.open("rb") as src:
        out.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(src, out)
    tmp.unlink()


def table_label(table: str) -> str:
    return TABLE_LABELS[table]
