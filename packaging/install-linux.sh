#!/usr/bin/env bash
# Install the built one-folder program for the current user on Linux:
# ~/.local/opt/clinic-desk, a clinic-desk command, the menu entry and the icons.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/dist/clinic-desk/clinic-desk ] || bash packaging/build.sh
prefix="${PREFIX:-$HOME/.local}"
rm -rf "$prefix/opt/clinic-desk"
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications"
cp -r build/dist/clinic-desk "$prefix/opt/clinic-desk"
ln -sf "$prefix/opt/clinic-desk/clinic-desk" "$prefix/bin/clinic-desk"
cp packaging/clinic-desk.desktop "$prefix/share/applications/"
for size in 16 32 48 64 128 256; do
    dir="$prefix/share/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    cp "packaging/icons/clinic-desk-$size.png" "$dir/clinic-desk.png"
done
echo "Installed in $prefix/opt/clinic-desk; start it from the menu or with: clinic-desk"
