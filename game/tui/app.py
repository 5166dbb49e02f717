"""The Archer TUI application: owns the run, the settings and the screens' comings and goings.

Kept small on purpose: each screen lives in `screens/`, each widget in
`widgets/`, and every rule of the game in the engine. Screens other than the
title are imported when first opened, so the first frame comes quickly.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from game.engine.engine import Engine
from game.story.model import Story
from game.tui.progress import load_endings_found, record_ending
from game.tui.settings import DEFAULT_THEME, load_settings, save_settings
from game.tui.themes import ARCHER_THEMES

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.theme import Theme

    from game.tui.playthrough import Playthrough


def _archer_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens rather than at start-up."""
    from game.tui.commands import ArcherCommands

    return ArcherCommands


class ArcherApp(App[int]):
    """The game as most players see it."""

    CSS_PATH = "archer.tcss"
    TITLE = "Archer"
    COMMANDS = App.COMMANDS | {_archer_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (Textual's own annotation)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
        Binding("o", "settings", "Settings", show=False),
    ]

    def __init__(self, story: Story, seed: int = 0) -> None:
        super().__init__()
        self.story = story
        self.engine = Engine(story)
        self.seed = seed
        self.playthrough: Playthrough | None = None
        self.title = story.title
        self.sub_title = story.subtitle
        self.settings, self._settings_problem = load_settings()
        self.endings_found = load_endings_found(story.id)
        self._persist_lock = threading.Lock()
        # Textual reads TEXTUAL_ANIMATIONS once, at import; read it again so a test can set it late.
        match os.environ.get("TEXTUAL_ANIMATIONS", "").lower():
            case "none":
                self.animation_level = "none"
            case "basic":
                self.animation_level = "basic"
            case "full":
                self.animation_level = "full"
        for theme in ARCHER_THEMES:
            self.register_theme(theme)
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else DEFAULT_THEME

    # -- start-up ---------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        from game.tui.screens.title import TitleScreen

        return TitleScreen()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._settings_problem:
            self.notify(self._settings_problem, title="Settings", severity="warning", timeout=10)
        elif self.settings.theme != self.theme:
            self.notify(f"The theme {self.settings.theme!r} is not available; using {self.theme}.", severity="warning")

    # -- settings and progress, written off the UI thread -----------------
    @property
    def typewriter_on(self) -> bool:
        """Typewriter text, unless the player or the environment turned animations off."""
        return self.settings.typewriter and self.animation_level != "none"

    def change_settings(self, **fields: object) -> None:
        self.settings = self.settings.changed(**fields)
        if "theme" in fields and self.theme != self.settings.theme:
            self.theme = self.settings.theme
        self._persist_settings()

    def toggle_typewriter(self) -> None:
        self.change_settings(typewriter=not self.settings.typewriter)
        self.notify(f"Typewriter {'on' if self.settings.typewriter else 'off'}.", timeout=2)

    def set_text_speed(self, speed: str) -> None:
        self.change_settings(text_speed=speed)
        self.notify(f"Text speed: {speed}.", timeout=2)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.settings.theme:
            self.settings = self.settings.changed(theme=theme.name)
            self._persist_settings()

    def _persist_settings(self) -> None:
        self.run_worker(self._write_settings, thread=True, group="persist", name="save settings")

    def _write_settings(self) -> None:
        with self._persist_lock:  # always writes the newest settings, whichever worker runs last
            try:
                save_settings(self.settings)
            except OSError as error:
                self.call_from_thread(self.notify, f"Settings could not be saved: {error}", severity="error")

    def _write_ending(self, ending_id: str) -> None:
        with self._persist_lock:
            try:
                record_ending(self.story.id, ending_id)
            except OSError as error:
                self.call_from_thread(self.notify, f"Progress could not be saved: {error}", severity="error")

    def reached_ending(self, ending_id: str) -> None:
        """Remember an ending for the title screen's "Endings found"."""
        if ending_id not in self.endings_found:
            self.endings_found.append(ending_id)
        self.run_worker(lambda: self._write_ending(ending_id), thread=True, group="persist", name="save progress")

    # -- runs ---------------------------------------------------------------
    def action_new_game(self) -> None:
        """Start again, asking first when that would throw a run away."""
        from game.tui.screens.confirm import ConfirmScreen

        if self.playthrough is None or self.playthrough.ended or not self.playthrough.choices_made:
            self.new_game()
            return

        def start_if(confirmed: bool | None) -> None:
            if confirmed:
                self.new_game()

        self.push_screen(ConfirmScreen("Start a new game?\nThe run in progress will be lost.", yes="Start"), start_if)

    def new_game(self) -> None:
        from game.tui.playthrough import Playthrough
        from game.tui.screens.play import PlayScreen

        self.playthrough = Playthrough.new(self.engine, self.seed)
        self.back_to_title()
        self.push_screen(PlayScreen(self.playthrough, opening=True))

    def continue_game(self) -> None:
        from game.tui.screens.play import PlayScreen

        if self.playthrough is not None:
            self.push_screen(PlayScreen(self.playthrough, opening=False))

    def back_to_title(self) -> None:
        """Close every screen above the title; the run stays, for Continue."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_back_to_title(self) -> None:
        self.back_to_title()

    @property
    def can_continue(self) -> bool:
        """A run to go back to: one left for the title screen (and, with the saves issue, a save)."""
        return self.playthrough is not None and not self.playthrough.ended

    # -- actions shared by the screens ---------------------------------------
    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        from game.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_history(self) -> None:
        from game.tui.screens.history import HistoryScreen

        if self.playthrough is not None:
            self.push_screen(HistoryScreen(self.playthrough.transcript, self.story))

    def action_casebook(self) -> None:
        from game.tui.screens.casebook import CasebookScreen

        if self.playthrough is not None:
            self.push_screen(CasebookScreen(self.story, self.playthrough.state))

    def action_suspects(self) -> None:
        from game.tui.screens.suspects import SuspectsScreen

        if self.playthrough is not None:
            self.push_screen(SuspectsScreen(self.story, self.playthrough.state))

    def action_endings(self) -> None:
        from game.tui.screens.endings import EndingsScreen

        self.push_screen(EndingsScreen(self.story, self.endings_found))

    def action_save_game(self) -> None:
        """Hook for the saves issue: the binding and the screen slot are here already."""
        from game.tui.screens.saves import SavesScreen

        self.push_screen(SavesScreen("save"))

    def action_load_game(self) -> None:
        from game.tui.screens.saves import SavesScreen

        self.push_screen(SavesScreen("load"))

    def action_request_quit(self) -> None:
        from game.tui.screens.confirm import ConfirmScreen

        def quit_if(confirmed: bool | None) -> None:
            if confirmed:
                self.exit(0)

        question = "Leave Archer?"
        if self.playthrough is not None and not self.playthrough.ended:
            question += "\nThis run is not saved: saving arrives in a later version."
        self.push_screen(ConfirmScreen(question, yes="Quit", no="Stay"), quit_if)


def run_tui(story: Story, seed: int = 0) -> int:
    """Play `story` full-screen; the exit status is 0 when the player quits."""
    result = ArcherApp(story, seed=seed).run()
    return result or 0
