"""The guides' links and pictures lead somewhere: every relative link in docs/ names a file
that exists, and every picture a guide shows is one tools/screenshots.py saves."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def test_every_relative_link_and_picture_exists() -> None:
    broken = [
        f"{page.relative_to(DOCS)}: {target}"
        for page in _pages()
        for target in LINK.findall(page.read_text(encoding="utf-8"))
        if not target.startswith(("http://", "https://", "mailto:"))
        and not (page.parent / target).resolve().exists()
    ]
    assert broken == []


def test_the_user_guide_lists_every_task_page() -> None:
    index = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    pages = {p.name for p in (DOCS / "guide").glob("*.md")}
    listed = set(re.findall(r"\(guide/([^)]+\.md)\)", index))
    assert pages
    assert listed == pages


def test_every_picture_in_the_guide_is_taken_by_the_screenshot_script() -> None:
    tools = DOCS.parent / "tools"
    script = "\n".join(p.read_text(encoding="utf-8") for p in tools.glob("screenshots*.py"))
    shown = {
        Path(t).stem
        for page in _pages()
        for t in LINK.findall(page.read_text(encoding="utf-8"))
        if t.endswith(".png")
    }
    assert shown
    missing = sorted(name for name in shown if f'"{name}"' not in script)
    assert missing == []
