"""What a check finds: one line an author can click on in an editor."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from game.story.sanitize import escape_controls


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    line: int
    message: str
    severity: str = "error"  # or "warning"
    code: str = ""  # e.g. "A201 unknown-reference": set by the check command's table when not given here
    column: int = 0  # 1-based where known, 0 when only the line is

    def __str__(self) -> str:
        column = f"{self.column}:" if self.column else ""
        label = "" if self.severity == "error" else f"{self.severity}: "
        code = f" [{self.code}]" if self.code else ""
        text = f"{self.file}:{self.line}:{column} {label}{self.message}{code}"
        return escape_controls(text).replace("\n", "\\n")  # one line, safe to print in any terminal


class StoryError(Exception):
    """A story that cannot be played, with every error found in it."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        super().__init__("\n".join(str(f) for f in errors) or "the story could not be read")


def suggest(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest known id, or ''."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
