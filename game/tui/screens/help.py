"""Help: how to play, and every key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from game.tui.screens.panel import PanelScreen

HOW_TO_PLAY = (
    "Read each scene, then choose what to do next. What you find goes into your casebook; "
    "what it tells you about each suspect (their motive, means and opportunity) goes onto "
    "the suspects board. Nobody will tell you who did it. Keep looking."
)

KEYS: tuple[tuple[str, str], ...] = (
    ("1-9", "take that choice"),
    ("up down enter", "pick a choice (the mouse works too)"),
    ("space enter", "show the rest of the text at once"),
    ("h", "history: every line so far"),
    ("c", "casebook: the clues you have found"),
    ("s", "suspects: what you know of each"),
    ("u r", "undo the last choice, redo it"),
    ("o", "settings: text speed, theme, typewriter"),
    ("? F1", "this help"),
    ("ctrl+p", "every command, by name"),
    ("ctrl+s ctrl+l", "save, load (a list of slots)"),
    ("F5 F9", "quicksave, quickload"),
    ("ctrl+r", "reload the story after editing it"),
    ("escape", "close a panel; on a scene, back to the title"),
    ("q", "quit (it asks first)"),
)

PLAIN = "Prefer plain text, or play with a screen reader? Run: archer --plain"


class HelpScreen(PanelScreen):
    PANEL_TITLE = "Help"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f1,question_mark", "close", "Close", show=False)]

    def compose_body(self) -> ComposeResult:
        yield Static("How to play", classes="help-heading")
        yield Static(HOW_TO_PLAY, classes="help-text")
        yield Static("Keys", classes="help-heading")
        for keys, does in KEYS:
            yield Static(Content.assemble((f"{keys:>14}", "bold $accent"), "  ", does), classes="help-key")
        yield Static(PLAIN, classes="help-text -last")
