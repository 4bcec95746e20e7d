"""The PyInstaller build (packaging/build.sh) makes a program that starts and works."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clinic_desk import __version__
from clinic_desk.ui.forms import form_names

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("bash") is None:
        pytest.skip("bash is needed for packaging/build.sh")
    out = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")],
        env={**os.environ, "BUILD_DIR": str(out), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Clinic Desk {__version__}" in result.stdout
    return out / "dist" / "clinic-desk"


def test_the_built_program_carries_every_form(built: Path) -> None:
    shipped = {p.name for p in (built / "_internal" / "clinic_desk" / "forms").glob("*.ui")}
    assert shipped == set(form_names())


def test_the_built_program_builds_a_demo_clinic(built: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(built / "clinic-desk"), "demo-data", "--data-dir", str(tmp_path), "--patients", "50"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "50 patienter" in result.stdout
    assert (tmp_path / "clinic.sqlite").stat().st_size > 0


def test_the_built_program_has_the_window_icon_beside_its_module(built: Path) -> None:
    """The window finds its icon beside clinic_desk.resources (resource_path), not through
    importlib.resources: PyInstaller must put it there."""
    assert (built / "_internal" / "clinic_desk" / "resources" / "clinic-desk.svg").is_file()


def test_resource_path_finds_the_shipped_files() -> None:
    from clinic_desk.resources import resource_path

    assert resource_path("clinic-desk.svg").read_text().lstrip().startswith("<")
    assert resource_path("sample-price-list.csv").is_file()


def test_the_built_program_carries_pdfium_for_printing(built: Path) -> None:
    """Printing draws the archived PDFs with PDFium (pypdfium2): its library ships."""
    found = [p.name for p in built.rglob("*pdfium*") if p.is_file()]
    assert any(name.startswith(("libpdfium", "pdfium")) for name in found), found


def test_every_python_package_is_in_the_wheel() -> None:
    """pyproject lists the packages by hand; one left out installs without its modules."""
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "clinic_desk").rglob("__init__.py")
    }
    assert found <= listed, sorted(found - listed)
