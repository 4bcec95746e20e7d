#!/usr/bin/env bash
# Install what the checks need into .venv and run every check and test.
# CI runs exactly this (through .ci/run). Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh xvfb xauth poppler-utils
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# Benchmarks run at a smaller size here so the suite stays quick; the figures in the issue
# notes come from CLINIC_BENCH_PATIENTS=100000.
export CLINIC_BENCH_PATIENTS="${CLINIC_BENCH_PATIENTS:-20000}"
step() { echo; echo "== $*"; }
step "ruff check";         .venv/bin/ruff check .
step "ruff format --check"; .venv/bin/ruff format --check .
step "mypy";               .venv/bin/mypy
step "lint-imports";       .venv/bin/lint-imports
step "pytest";             .venv/bin/python -m pytest "$@"
