"""The ending card: the run is over; what now (look back, undo, or return to the title)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from game.lines import wrap_without_orphans
from game.story.model import Ending
from game.tui.widgets.footer import ArcherFooter

if TYPE_CHECKING:
    from game.tui.app import ArcherApp


class EndingScreen(Screen[str]):
    """Dismissed with "undo" (take back the last choice) or "title"."""

    CSS_PATH = "ending.tcss"  # read when this screen first opens, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "dismiss('title')", "Title"),
        Binding("u", "undo", "Undo"),
        Binding("h", "app.history", "History"),
        Binding("c", "app.casebook", "Casebook"),
        Binding("s", "app.suspects", "Suspects"),
        Binding("f9", "app.quickload", "Quickload", show=False),
        Binding("ctrl+l", "app.load_game", "Load", show=False),
        Binding("q", "app.request_quit", "Quit", show=False),
    ]

    def __init__(self, ending: Ending) -> None:
        super().__init__()
        self.ending = ending

    def compose(self) -> ComposeResult:
        app = cast("ArcherApp", self.app)
        found, total = app.session.endings_count()
        with VerticalScroll(id="ending-scroll"), Vertical(id="ending-card"):
            yield Static("✦   THE END   ✦", id="ending-mark")
            yield Static(self.ending.title, id="ending-title")
            if self.ending.text:
                yield Static(self.ending.text, id="ending-text")
            yield Static(f"Endings found: {found} of {total}", id="ending-count")
            yield Static("enter  back to the title     u  undo the last choice", id="ending-hint")
        yield ArcherFooter()

    def on_resize(self) -> None:
        self.call_after_refresh(self.wrap_text)

    def on_mount(self) -> None:
        self.call_after_refresh(self.wrap_text)

    def wrap_text(self) -> None:
        """The ending's words wrapped here, so that no scrap of a name ends up alone on a line."""
        for text in self.query("#ending-text").results(Static):
            width = text.content_region.width
            if width > 0:
                text.update("\n".join(wrap_without_orphans(self.ending.text, width)))

    def action_undo(self) -> None:
        self.dismiss("undo")
