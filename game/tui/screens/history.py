"""History (the backlog): every line shown so far in this run, in order, to scroll back through."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from game.session.entries import Entry
from game.story.model import Story
from game.tui.screens.panel import PanelScreen
from game.tui.widgets.transcript_view import TranscriptView


class HistoryScreen(PanelScreen):
    PANEL_TITLE = "History"
    BODY_SCROLLS = False  # the transcript view scrolls itself
    BINDINGS: ClassVar[list[BindingType]] = [Binding("h", "close", "Close", show=False)]

    def __init__(self, transcript: list[Entry], story: Story) -> None:
        super().__init__()
        self.transcript = transcript
        self.story = story

    def subtitle(self) -> str:
        return f"{sum(e.kind == 'line' for e in self.transcript)} lines"

    def compose_body(self) -> ComposeResult:
        yield TranscriptView(self.transcript, self.story, id="panel-body")

    def ready(self) -> None:
        self.query_one(TranscriptView).scroll_end(animate=False)
