#!/usr/bin/env bash
# Main job: install, build the demo workspace from the bundled sample, and serve
# the platform on http://127.0.0.1:8000 (API docs at /docs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export IPNAV_WORKSPACE="${IPNAV_WORKSPACE:-demo-workspace}"
exec .venv/bin/ipnav demo --host "${IPNAV_HOST:-127.0.0.1}" --port "${IPNAV_PORT:-8000}"
