#!/usr/bin/env bash
# Install the project into .venv (editable) with the extras asked for, e.g. `.` or `.[dev]`.
# Skipped when this pyproject.toml was already installed here with those extras (or with
# `.[dev]`, which includes everything `.` has), so a second start asks no package index.
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${1:-.}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $(pwd)"
stamp_of() { echo ".venv/.installed$(echo "$1" | tr -cd 'a-z')"; }
for done in "$spec" ".[dev]"; do
    if [ -f "$(stamp_of "$done")" ] && [ "$(cat "$(stamp_of "$done")")" = "$want" ]; then
        exit 0
    fi
done
# setuptools tells every editable install that local folders may shadow the package;
# nothing here can act on that notice, so it is not shown.
PYTHONWARNINGS="ignore:Editable installation" \
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
echo "$want" > "$(stamp_of "$spec")"
