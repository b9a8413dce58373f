"""The PostgreSQL fixture starts a real server that accepts queries."""

from __future__ import annotations

import psycopg
import pytest


@pytest.mark.postgres
def test_postgres_fixture_serves_queries(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("select 40 + 2, current_setting('server_encoding')").fetchone()
    assert row == (42, "UTF8")
