"""`archer check`: everything wrong with a story, for an author or a CI job."""

from __future__ import annotations

from pathlib import Path

from game.story.findings import Finding
from game.story.loader import read_story


def check_story(root: Path) -> list[Finding]:
    """Every finding for the story at `root`, errors first, each in file order."""
    _, findings = read_story(root)
    order = {"error": 0, "warning": 1, "note": 2}
    return sorted(findings, key=lambda f: (order.get(f.severity, 3), f.file, f.line))
