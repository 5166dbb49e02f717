"""Help: how to play, and every key.

The key table is read from the bindings themselves (the play screen's, the panels', the app's),
so a key changed in one place cannot leave the help saying another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from game.tui.screens.panel import PanelScreen

HOW_TO_PLAY = (
    "Read each scene, then choose what to do next. What you find goes into your casebook; "
    "what it tells you about each suspect (their motive, means and opportunity) goes onto "
    "the suspects board. Nobody will tell you who did it. Keep looking."
)

# What each action does, in the order the help lists them; the keys come from the bindings.
DOES: tuple[tuple[str, str], ...] = (
    ("choose", "take that choice"),
    ("cursor_up cursor_down select", "pick a choice (the mouse works too)"),
    ("skip", "show the rest of the text at once"),
    ("scroll_story", "scroll the scene's text (a ▼ on the choice box: there is more)"),
    ("history", "history: every line so far"),
    ("casebook", "casebook: the clues you have found"),
    ("suspects", "suspects: what you know of each"),
    ("undo redo", "undo the last choice, redo it"),
    ("settings", "settings: text speed, theme, typewriter"),
    ("help", "this help"),
    ("command_palette", "every command, by name"),
    ("save_game load_game", "save, load (a list of slots)"),
    ("quicksave quickload", "quicksave, quickload"),
    ("reload_story", "reload the story after editing it"),
    ("close", "close a panel"),
    ("back_to_title", "on a scene: back to the title (the run waits)"),
    ("request_quit", "quit (it asks first)"),
)
NAMES = {"question_mark": "?", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End"}

PLAIN = "Prefer plain text, or play with a screen reader? Run: archer --plain"


def action_name(action: str) -> str:
    """'app.history' and 'scroll_story('end')' are 'history' and 'scroll_story'."""
    return action.removeprefix("app.").removeprefix("screen.").split("(", 1)[0]


def key_name(key: str) -> str:
    return NAMES.get(key, key.upper() if key[:1] == "f" and key[1:].isdigit() else key)


def bound_keys(action: str, bindings: Iterable[Binding]) -> list[str]:
    """The keys bound to `action`, in binding order; a run of digits is written '1-9' (then '0', the tenth)."""
    keys = [
        key.strip() for binding in bindings if action_name(binding.action) == action for key in binding.key.split(",")
    ]
    digits = [key for key in keys if key.isdigit() and key != "0"]  # 0 is the tenth: written after the run
    if len(digits) > 2:
        keys = [f"{digits[0]}-{digits[-1]}", *(key for key in keys if key not in digits)]
    return list(dict.fromkeys(key_name(key) for key in keys))


def all_bindings() -> list[Binding]:
    """Every binding a player meets while playing: the play screen's, its choice list's, the panels' and the app's."""
    from game.tui.app import ArcherApp
    from game.tui.screens.play import PlayScreen
    from game.tui.widgets.choice_list import ChoiceList

    bindings = [*PlayScreen.BINDINGS, *ChoiceList.BINDINGS, *PanelScreen.BINDINGS, *ArcherApp.BINDINGS]
    bindings.append(Binding(App.COMMAND_PALETTE_BINDING, "command_palette"))
    return [binding for binding in bindings if isinstance(binding, Binding)]


def key_table() -> list[tuple[str, str]]:
    """(keys, what they do), one row per entry of DOES; an entry whose actions are bound to nothing is left out."""
    bindings = all_bindings()
    rows = []
    for actions, does in DOES:
        keys = [key for action in actions.split() for key in bound_keys(action, bindings)]
        if keys:
            rows.append((" ".join(dict.fromkeys(keys)), does))
    return rows


class HelpScreen(PanelScreen):
    PANEL_TITLE = "Help"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f1,question_mark", "close", "Close", show=False)]

    def compose_body(self) -> ComposeResult:
        yield Static("How to play", classes="help-heading")
        yield Static(HOW_TO_PLAY, classes="help-text")
        yield Static("Keys", classes="help-heading")
        rows = key_table()
        width = max(len(keys) for keys, _ in rows)
        for keys, does in rows:
            yield Static(Content.assemble((f"{keys:>{width}}", "bold $accent"), "  ", does), classes="help-key")
        yield Static(PLAIN, classes="help-text -last")
