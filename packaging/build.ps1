# Build the one-folder Windows program and check that it starts (PowerShell, in the repo root).
#   py -3.11 -m venv .venv; .venv\Scripts\pip install -e .; powershell -File packaging\build.ps1
# Then make the installer with Inno Setup: iscc packaging\clinic-desk.iss
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
.venv\Scripts\python -m pip install --quiet "pyinstaller>=6.10"
.venv\Scripts\pyinstaller --noconfirm --log-level WARN --distpath build\dist --workpath build\work packaging\clinic-desk.spec
$env:QT_QPA_PLATFORM = "offscreen"
$version = & build\dist\clinic-desk\clinic-desk.exe --version
Write-Output "built: build\dist\clinic-desk ($version)"
