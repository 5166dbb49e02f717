"""The frame shared by the screens opened over play (history, casebook, suspects, help, ...).

A modal panel over the dimmed scene, so the player never loses their place;
escape closes it, and the footer says which other panels are a key away.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget

from game.tui.widgets.footer import ArcherFooter


class PanelScreen(ModalScreen[None]):
    """Subclasses give a `PANEL_TITLE` and fill the panel in `compose_body`."""

    CSS_PATH = "panel.tcss"  # read when this screen first opens, not at start-up

    PANEL_TITLE: ClassVar[str] = ""
    BODY_SCROLLS: ClassVar[bool] = True  # False when the body is a scrolling widget of its own
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="panel") as panel:
            panel.border_title = self.panel_title()
            panel.border_subtitle = self.subtitle()
            if self.BODY_SCROLLS:
                with VerticalScroll(id="panel-body"):
                    yield from self.compose_body()
            else:
                yield from self.compose_body()
        yield ArcherFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def panel_title(self) -> str:
        return self.PANEL_TITLE

    def subtitle(self) -> str:
        return ""

    def on_mount(self) -> None:
        # Subclasses override the hooks below, not on_mount (Textual calls every class's handler).
        self.initial_focus().focus()
        self.call_after_refresh(self.ready)

    def initial_focus(self) -> Widget:
        return self.query_one("#panel-body")

    def ready(self) -> None:
        """Called once the panel has been laid out."""

    def action_close(self) -> None:
        self.dismiss()

    def switch_to(self, screen: ModalScreen[None]) -> None:
        """Replace this panel with another (casebook <-> suspects) without stacking them."""
        self.app.switch_screen(screen)
