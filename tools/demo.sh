#!/usr/bin/env bash
# Install Clinic Desk into .venv and start it on the demo clinic (built on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/clinic-desk --demo "$@"
