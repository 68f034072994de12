#!/usr/bin/env bash
# Installs everything ipnav needs on a fresh Debian machine with Python 3.11:
# a virtual environment in .venv with ipnav and its dependencies (and, with
# --test, the test tools). Safe to run again: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

# --test: the test tools too (and Spark, whose tests CI runs); --spark: the Spark engine (PySpark, Java 17).
with_test=0
with_spark=0
for arg in "$@"; do
  case "$arg" in
    --test) with_test=1; with_spark=1 ;;
    --spark) with_spark=1 ;;
    *) echo "usage: scripts/setup.sh [--test] [--spark]" >&2; exit 2 ;;
  esac
done

# Debian packages: a Chinese font for report charts and PDFs, Node.js/npm for chart rendering,
# poppler (pdftoppm) for the report tests, Debian's chromium for the browser tests.
need_apt=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need_apt+=(fonts-wqy-microhei)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ $with_test = 1 ]; then
  command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)  # the browser of the page tests (driven by Playwright)
fi
if [ $with_spark = 1 ]; then
  command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)  # Spark runs on Java 17
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Front-end and chart-rendering libraries from the npm registry (package-lock.json pins them).
npm_stamp=node_modules/.ipnav-lock
lock_hash="$(sha1sum package-lock.json | cut -c1-12)"
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$npm_stamp"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv

stamp=.venv/.ipnav-installed
hash="$(sha1sum pyproject.toml | cut -c1-12)"
extras=""
[ $with_test = 1 ] && extras="test"
[ $with_spark = 1 ] && extras="${extras:+$extras,}spark"
# installed: "<hash> <extras>"; reinstall when pyproject.toml changed or an extra is missing
read -r have_hash have_extras 2>/dev/null < "$stamp" || { have_hash=""; have_extras=""; }
missing=0
for extra in ${extras//,/ }; do
  case ",${have_extras:-}," in *",$extra,"*) ;; *) missing=1 ;; esac
done
if [ "$have_hash" != "$hash" ] || [ $missing = 1 ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  if [ "$have_hash" = "$hash" ] && [ -n "${have_extras:-}" ]; then  # keep what is installed
    for extra in ${have_extras//,/ }; do
      case ",$extras," in *",$extra,"*) ;; *) extras="${extras:+$extras,}$extra" ;; esac
    done
  fi
  if [ -n "$extras" ]; then
    .venv/bin/python -m pip install -q -e ".[$extras]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  echo "$hash $extras" > "$stamp"
fi
