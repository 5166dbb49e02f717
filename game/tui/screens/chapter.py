"""The chapter card: a beat of the season begins, and the game pauses to say so."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Click, Key
from textual.screen import ModalScreen
from textual.widgets import Static

from game.lines import wrap_without_orphans
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

    def on_mount(self) -> None:
        self.call_after_refresh(self.wrap_card)

    def on_resize(self) -> None:
        self.call_after_refresh(self.wrap_card)

    def wrap_card(self) -> None:
        """The card's line wrapped here, so that its last line is never a lone word ('place.')."""
        for text in self.query("#card-text").results(Static):
            width = text.content_region.width
            if width > 0:
                text.update("\n".join(wrap_without_orphans(self.beat.card, width, shortest_last=12)))

    def on_key(self, event: Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_click(self, event: Click) -> None:
        event.stop()
        self.dismiss()
