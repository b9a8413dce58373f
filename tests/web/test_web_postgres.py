"""The same web tests on a real PostgreSQL (the server of the ``postgres_url`` fixture).

They run in a child pytest with ``JIXIAO_TEST_DATABASE_URL`` set, since Django's database is
fixed when its settings load; pytest-django creates and drops the test database there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

HERE = Path(__file__).resolve().parent


def test_web_tests_pass_on_postgresql(postgres_url: str) -> None:
    # This process's conftest has already set Django up for SQLite; the child starts clean.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "JIXIAO_DATA_DIR")
    }
    env["JIXIAO_TEST_DATABASE_URL"] = env["DATABASE_URL"] = postgres_url
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(HERE),
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not browser and not postgres",
        ],
        cwd=HERE.parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = (result.stdout + result.stderr)[-4000:]
    assert result.returncode == 0, tail
    assert " passed" in result.stdout, tail
