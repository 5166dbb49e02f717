"""The window is too small: say so plainly, rather than draw a menu or a scene cut to pieces.

Laid over whatever screen is open, and taken away as soon as the window is large enough again,
so nothing of the run is touched while it shows.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 60, 20


def too_small(size: Size) -> bool:
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def message(size: Size) -> str:
    return (
        f"The window is too small (needs {MIN_WIDTH}×{MIN_HEIGHT}).\n"
        f"It is {size.width}×{size.height} now.\n\n"
        "Make it larger to go on:\nnothing is lost."
    )


def guard_size(app: App[object]) -> None:
    """Show the notice when the window has become too small; take it away when it is large enough."""
    showing = isinstance(app.screen, TooSmallScreen)
    if too_small(app.size) and not showing:
        if isinstance(app.screen, CommandPalette):  # closed first: ctrl+p would open a second one over it
            app.pop_screen()
        app.push_screen(TooSmallScreen())
    elif showing and not too_small(app.size):
        app.pop_screen()


class TooSmallScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen #too-small { width: 100%; height: auto; text-align: center; color: $text; }
    """
    # The app's own keys (help, settings, reload) would open a panel no one can read at this size.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark,o,ctrl+r,ctrl+s,ctrl+l,f5,f9", "nothing", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(message(self.app.size), id="too-small")

    def action_nothing(self) -> None:
        """Keys wait until the window is large enough."""

    def on_resize(self) -> None:
        self.query_one("#too-small", Static).update(message(self.app.size))
        self.call_later(self._leave_if_large_enough)

    def on_screen_resume(self) -> None:
        self._leave_if_large_enough()

    def _leave_if_large_enough(self) -> None:
        if not too_small(self.app.size) and self.app.screen is self:
            self.dismiss()
