"""What a broken edit looks like while playing with live reload: the checker's findings, not a crash."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from game.story.findings import Finding
from game.tui.screens.panel import PanelScreen


class StoryErrorsScreen(PanelScreen):
    PANEL_TITLE = "The edited story has errors"

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = [f for f in findings if f.severity == "error"]

    def subtitle(self) -> str:
        return "you are still playing the version from before"

    def compose_body(self) -> ComposeResult:
        yield Static("Fix these and save the file; the game picks the story up again by itself.", classes="help-text")
        for finding in self.findings:
            where = f"{finding.file}:{finding.line}"
            yield Static(Content.assemble((where, "bold $accent"), "  ", finding.message), classes="finding")
