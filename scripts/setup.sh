#!/usr/bin/env bash
# The Python environment: a virtual environment with jixiao installed editable, with its extras.
set -euo pipefail
venv="${1:-.venv}"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e ".[dev]"
# Front-end assets (ECharts) come from the npm registry and are served locally, never from a CDN.
if [ -f src/jixiao/web/frontend/package.json ]; then
  (cd src/jixiao/web/frontend && npm ci --no-audit --no-fund --loglevel=error)
  "$venv/bin/python" -m jixiao.web.vendor  # copy echarts.min.js into the app's static dir
fi
