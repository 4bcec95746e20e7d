#!/usr/bin/env bash
# Build the one-folder program with PyInstaller and check that it starts.
# Usage: bash packaging/build.sh   (after tools/check.sh or tools/demo.sh made .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install --quiet --disable-pip-version-check "pyinstaller>=6.10"
out="${BUILD_DIR:-build}"
.venv/bin/pyinstaller --noconfirm --log-level WARN \
    --distpath "$out/dist" --workpath "$out/work" packaging/clinic-desk.spec
version=$(QT_QPA_PLATFORM=offscreen "$out/dist/clinic-desk/clinic-desk" --version)
echo "built: $out/dist/clinic-desk ($version)"
