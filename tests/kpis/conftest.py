"""Fixtures of the KPI tests: small canonical stores built in code."""

from __future__ import annotations

from pathlib import Path

import pytest
from kpi_data import cuts_store, published_store


@pytest.fixture(scope="session")
def published_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return published_store(tmp_path_factory.mktemp("kpis") / "published.duckdb")


@pytest.fixture(scope="session")
def cuts_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cuts_store(tmp_path_factory.mktemp("kpis") / "cuts.duckdb")
