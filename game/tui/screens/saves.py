"""The slot for saving and loading (the saves issue fills it); for now it says what is coming."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.widgets import Static

from game.tui.screens.panel import PanelScreen


class SavesScreen(PanelScreen):
    """Opened by ctrl+s (save) and ctrl+l or the title's Load (load)."""

    def __init__(self, mode: Literal["save", "load"]) -> None:
        super().__init__()
        self.mode = mode

    @property
    def PANEL_TITLE(self) -> str:  # type: ignore[override]
        return "Save game" if self.mode == "save" else "Load game"

    def compose_body(self) -> ComposeResult:
        verb = "Saving" if self.mode == "save" else "Loading"
        yield Static(
            f"{verb} arrives in a later version. Your saved games will be listed here.\n\n"
            "Until then, a run lasts while the game is open: escape returns to the title, "
            "and Continue brings you back to where you were.",
            classes="empty",
        )
