#!/usr/bin/env bash
# The whole test suite: lint, then every test (the PostgreSQL, Spark and browser ones included).
set -euo pipefail
venv="${VENV:-.venv}"
"$venv/bin/ruff" check .
"$venv/bin/python" -m pytest "$@"
