"""Synthetic data written to Parquet imports into the store completely, and only once."""

from __future__ import annotations

from pathlib import Path

from jixiao.records.importer import import_path
from jixiao.records.schema import TABLES, arrow_schema
from jixiao.records.store import open_store, table_counts
from jixiao.records.synth import synthesize


def test_synth_output_imports_completely_and_idempotently(tmp_path: Path) -> None:
    data = synthesize(tmp_path / "demo", cases=3000, tickets=800, ratings=1200, seed=3)
    store = tmp_path / "records.duckdb"
    first = import_path(tmp_path / "demo", store)
    assert first.set_aside == 0, first.reasons
    assert first.loaded == first.read == sum(data.rows.values())
    second = import_path(tmp_path / "demo", store)
    assert second.loaded == 0
    assert second.present == second.read == first.read
    con = open_store(store)
    try:
        assert table_counts(con) == data.rows
        for table in TABLES:
            columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            assert columns == arrow_schema(table).names
    finally:
        con.close()


def test_deadlines_computed_at_import_match_the_generator(tmp_path: Path) -> None:
    """Drop 承诺办结日期 from generated cases: the import recomputes the same dates."""
    import pyarrow.parquet as pq

    synthesize(tmp_path / "demo", cases=5000, tickets=0, ratings=0, calls=0, seed=5)
    folder = tmp_path / "export"
    folder.mkdir()
    (tmp_path / "demo" / "items.parquet").rename(folder / "items.parquet")
    cases = pq.read_table(tmp_path / "demo" / "cases.parquet")
    pq.write_table(cases.drop_columns(["promised_deadline"]), folder / "cases.parquet")
    store = tmp_path / "r.duckdb"
    summary = import_path(folder, store)
    assert summary.set_aside == 0
    con = open_store(store)
    try:
        con.register("generated", cases)
        (mismatch,) = con.execute(
            "SELECT count(*) FROM cases c JOIN generated g USING (case_id) "
            "WHERE c.promised_deadline IS DISTINCT FROM g.promised_deadline"
        ).fetchone()
        (n,) = con.execute("SELECT count(*) FROM cases").fetchone()
    finally:
        con.close()
    assert n == 5000
    assert mismatch == 0


def test_link_parquet_gives_the_same_tables_without_import(tmp_path: Path) -> None:
    from jixiao.records.store import link_parquet

    synthesize(tmp_path / "demo", cases=1000, tickets=100, ratings=200, seed=2)
    linked = link_parquet(tmp_path / "demo", tmp_path / "bench.duckdb")
    assert linked == sorted(TABLES)
    imported = tmp_path / "imported.duckdb"
    import_path(tmp_path / "demo", imported)
    a = open_store(tmp_path / "bench.duckdb", read_only=True)
    b = open_store(imported, read_only=True)
    try:
        for table in TABLES:
            q = f"SELECT * FROM {table} ORDER BY 1"
            assert a.execute(q).fetchall() == b.execute(q).fetchall()
    finally:
        a.close()
        b.close()
