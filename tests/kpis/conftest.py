"""Fixtures of the KPI tests: small canonical stores built in code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from kpi_data import cuts_store, published_store

from jixiao.records.schema import TABLES


@pytest.fixture(scope="session")
def published_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return published_store(tmp_path_factory.mktemp("kpis") / "published.duckdb")


@pytest.fixture(scope="session")
def cuts_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cuts_store(tmp_path_factory.mktemp("kpis") / "cuts.duckdb")


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic data set (jixiao.records.synth) as Parquet files, one per table."""
    from jixiao.records.synth import synthesize

    out = tmp_path_factory.mktemp("synth")
    synthesize(out, cases=6_000, tickets=2_000, ratings=2_500, seed=11, year=2023)
    return out


@pytest.fixture(scope="session")
def synth_db(synth_dir: Path) -> Path:
    """The same data as a DuckDB store file (one table per canonical name)."""
    db = synth_dir / "records.duckdb"
    con = duckdb.connect(str(db))
    for table in TABLES:
        src = str(synth_dir / f"{table}.parquet")
        con.execute(f"CREATE TABLE \"{table}\" AS SELECT * FROM read_parquet('{src}')")
    con.close()
    return db


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One local Spark session (local[2], Asia/Shanghai) for the whole test run."""
    from jixiao.kpis.backends import spark_session

    session = spark_session(tmp_path_factory.mktemp("spark-local"))
    yield session
    session.stop()
