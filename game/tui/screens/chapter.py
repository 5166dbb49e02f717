"""The chapter card: a beat of the season begins, and the game pauses to say so."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Click, Key
from textual.screen import ModalScreen
from textual.widgets import Static

from game.story.model import Beat


class ChapterCard(ModalScreen[None]):
    """Full-screen and quiet; any key or a click turns the page."""

    CSS_PATH = "chapter.tcss"  # read when this screen first opens, not at start-up

    def __init__(self, beat: Beat) -> None:
        super().__init__()
        self.beat = beat

    def compose(self) -> ComposeResult:
        with Vertical(id="card"):
            yield Static("✦", classes="ornament")
            yield Static(self.beat.title, id="card-title")
            if self.beat.card:
                yield Static(self.beat.card, id="card-text")
            yield Static("press any key", id="card-hint")

    def on_key(self, event: Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_click(self, event: Click) -> None:
        event.stop()
        self.dismiss()
