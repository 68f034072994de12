#!/usr/bin/env bash
# Runs the whole test suite (installs what it needs first; a second run is fast).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check ipnav tests bench scripts
.venv/bin/mypy  # --check-untyped-defs over ipnav/ (pyproject.toml [tool.mypy])
# one module stays on one worker: its fixtures (workspaces, the demo, the browser) are built once
exec .venv/bin/python -m pytest -q -n "${IPNAV_TEST_WORKERS:-2}" --dist loadscope "$@"
