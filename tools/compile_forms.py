"""Compile the Designer forms the first window needs into Python (clinic_desk/ui/compiled/).

    .venv/bin/python tools/compile_forms.py

Every other form is read with QUiLoader when its screen first opens. The search page is on
screen at every start, and QUiLoader's first use costs ~10 ms more than running Python made
from the same form (it builds PySide's types for every widget class it knows), so that form
is compiled with Qt's `uic`. The .ui file stays the one to edit in Designer; run this tool
afterwards. tests/gui/test_forms.py fails when a compiled form no longer matches its .ui file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"
COMPILED = ROOT / "clinic_desk" / "ui" / "compiled"
# The forms shown at start (their FormSpec names the compiled class: `compiled=`). A list of
# its own, since a spec can only name a class once this tool has made it.
AT_START = ("search_page.ui",)
HEADER = '''"""Generated from forms/{name} by tools/compile_forms.py: do not edit.

Change the form in Designer and run the tool again; a test checks the two agree.
"""

'''


def uic() -> Path:
    """Qt's form compiler as shipped inside PySide6."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    for candidate in (folder / "Qt" / "libexec" / "uic", folder / "uic.exe", folder / "uic"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("PySide6 ships no uic here")


def _ruff(args: list[str], source: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--stdin-filename", "form.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr)
    return result.stdout


def compile_form(name: str) -> str:
    """The Python for forms/<name>: uic's output with only the Qt names it uses imported
    (each name imported makes PySide build that class), in the project's style."""
    generated = subprocess.run(
        [str(uic()), "-g", "python", str(FORMS / name)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    body = "\n".join(
        line for line in generated.splitlines() if not line.startswith(("# -*-", "##"))
    )
    classes = [
        line.split()[1].split("(")[0] for line in body.splitlines() if line.startswith("class ")
    ]
    if len(classes) != 1:
        raise ValueError(f"{name}: expected one form class, found {classes}")
    source = HEADER.format(name=name) + body.strip() + f"\n\n\nUI = {classes[0]}\n"
    source = _ruff(["check", "--fix", "--select", "F401,UP,I,PIE790", "--exit-zero"], source)
    return _ruff(["format"], source)


def compiled_path(name: str) -> Path:
    return COMPILED / f"{Path(name).stem}.py"


def main() -> int:
    COMPILED.mkdir(exist_ok=True)
    init = COMPILED / "__init__.py"
    if not init.exists():
        init.write_text('"""Python compiled from the Designer forms shown at start."""\n')
    for name in AT_START:
        compiled_path(name).write_text(compile_form(name), encoding="utf-8")
        print(f"{name} -> {compiled_path(name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
