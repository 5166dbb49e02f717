"""Endings found: which of the story's endings earlier runs have reached (the rest stay hidden)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from game.story.model import Story
from game.tui.screens.panel import PanelScreen


class EndingsScreen(PanelScreen):
    PANEL_TITLE = "Endings found"

    def __init__(self, story: Story, found: list[str]) -> None:
        super().__init__()
        self.story = story
        self.found = set(found)

    def subtitle(self) -> str:
        return f"{len(self.found & set(self.story.endings))} of {len(self.story.endings)}"

    def compose_body(self) -> ComposeResult:
        for ending_id, ending in self.story.endings.items():
            if ending_id in self.found:
                yield Static(Content.assemble(("✦ ", "$accent"), (ending.title, "bold")), classes="ending-name")
                yield Static(ending.text, classes="ending-text")
            else:
                yield Static(
                    Content.styled("·  ?  ?  ?   not found yet", "$foreground-muted"), classes="ending-name -hidden"
                )
