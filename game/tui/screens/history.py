"""History (the backlog): every line shown so far in this run, in order, to scroll back through.

It opens at the newest entry, since that is what a player looks back from.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from game.session.entries import Entry
from game.story.model import Story
from game.tui.screens.panel import PanelScreen
from game.tui.widgets.transcript_view import TranscriptView


class Backlog(VerticalScroll):
    """The scrolling body: Textual's keys (arrows, PgUp/PgDn, Home/End) and the wheel, plus vi's."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("g", "scroll_home", "First", show=False),
        Binding("G", "scroll_end", "Newest", show=False),
    ]


class HistoryScreen(PanelScreen):
    PANEL_TITLE = "History"
    BODY_SCROLLS = False  # the backlog is its own scrolling body
    BINDINGS: ClassVar[list[BindingType]] = [Binding("h", "close", "Close", show=False)]

    def __init__(self, transcript: list[Entry], story: Story) -> None:
        super().__init__()
        self.transcript = transcript
        self.story = story

    def subtitle(self) -> str:
        return f"{sum(e.kind == 'line' for e in self.transcript)} lines"

    def compose_body(self) -> ComposeResult:
        with Backlog(id="panel-body") as backlog:
            backlog.anchor()  # laid out at the newest entry from the first frame
            yield TranscriptView(self.transcript, self.story)
