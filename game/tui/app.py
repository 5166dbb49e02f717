"""The Archer TUI application: owns the run, the settings and the screens' comings and goings.

Kept small on purpose: each screen lives in `screens/`, each widget in
`widgets/`, and every rule of the game in the engine. Screens other than the
title are imported when first opened, so the first frame comes quickly.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from game.saves import QUICKSAVE, Autosave, EndingsRecord, Loaded, SaveError, SaveStore, default_saves_dir
from game.story.findings import StoryError
from game.story.loader import load_story, story_digest
from game.story.model import Story
from game.tui.settings import DEFAULT_THEME, load_settings, save_settings
from game.tui.themes import ARCHER_THEMES

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.theme import Theme

    from game.engine.engine import Engine, Step
    from game.engine.run import Run
    from game.engine.state import GameState
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
        Binding("ctrl+r", "reload_story", "Reload story", show=False),
    ]

    def __init__(
        self,
        story: Story,
        seed: int = 0,
        *,
        store: SaveStore | None = None,
        loaded: Loaded | None = None,
        watch: bool = False,
    ) -> None:
        super().__init__()
        self.story = story
        self.seed = seed
        self.playthrough: Playthrough | None = None
        self.title = story.title
        self.sub_title = story.subtitle
        self.settings, self._settings_problem = load_settings()
        self.store = store if store is not None else SaveStore(default_saves_dir())
        self.autosave = Autosave(self.store, self.settings.autosave_every)
        self.endings = EndingsRecord(self.store.folder)
        self.endings_found = list(self.endings.found(story))
        self._loaded_at_start = loaded
        self.watching = watch
        self._rejected_digest = ""
        self._played_before = 0.0
        self._clock = time.monotonic()
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
        self._start_with_theme(self.settings.theme if self.settings.theme in self.available_themes else DEFAULT_THEME)

    def _start_with_theme(self, name: str) -> None:
        """Choose the theme before the stylesheet is first read, rather than set `theme` and have
        Textual parse the whole stylesheet a second time just after start-up (issue 7's cold start).
        This is what the theme's watcher does, short of that reparse, which nothing needs yet."""
        self.set_reactive(App.theme, name)
        theme = self.current_theme
        self.stylesheet.set_variables(self.get_css_variables())
        self.set_class(True, f"-theme-{name}", update=False)
        self.set_class(theme.dark, "-dark-mode", update=False)
        self.set_class(not theme.dark, "-light-mode", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)

    @cached_property
    def engine(self) -> Engine:
        """The story's rules, made when first asked for: the title screen does without them."""
        from game.engine.engine import Engine

        return Engine(self.story)

    # -- start-up ---------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        from game.tui.screens.title import TitleScreen

        return TitleScreen()

    def on_resize(self) -> None:
        from game.tui.screens.too_small import guard_size

        self.call_later(guard_size, self)

    def on_mount(self) -> None:
        self.on_resize()
        if os.environ.get("ARCHER_EXIT_AFTER_FIRST_FRAME"):  # for benchmarks/tui_bench.py: time to first frame
            self.call_after_refresh(self.exit, 0)
        self.call_after_refresh(self._after_first_frame)
        gc.set_threshold(50_000, 20, 100)  # collections run while the player reads (see PlayScreen), not mid-key
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._loaded_at_start is not None:
            loaded, self._loaded_at_start = self._loaded_at_start, None
            self.start_run(loaded.run, loaded.play_seconds, loaded.notice)
        if self.watching:
            self.set_interval(1.0, self.reload_if_changed)
        if self._settings_problem:
            self.notify(self._settings_problem, title="Settings", severity="warning", timeout=10)
        elif self.settings.theme != self.theme:
            self.notify(f"The theme {self.settings.theme!r} is not available; using {self.theme}.", severity="warning")

    @staticmethod
    def _after_first_frame() -> None:
        """What exists after the first frame (the story, Textual, the screens) lives as long as the app:
        freezing it keeps each later garbage collection short, so no key press waits on one. The
        collector was paused for start-up (see `archer`'s run_play); it runs again from here."""
        gc.freeze()
        gc.enable()

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
                self.endings.add(self.story, ending_id)
            except OSError as error:
                self.call_from_thread(self.notify, f"Progress could not be saved: {error}", severity="error")

    def reached_ending(self, ending_id: str) -> None:
        """Remember an ending for the title screen's "Endings found"."""
        if ending_id not in self.endings_found:
            self.endings_found.append(ending_id)
        self.run_worker(lambda: self._write_ending(ending_id), thread=True, group="persist", name="save progress")

    # -- saves ------------------------------------------------------------------
    def play_seconds(self) -> float:
        return self._played_before + time.monotonic() - self._clock

    def after_choice(self, step: Step) -> None:
        """Autosave (on a new chapter, and every few choices) without holding up the screen: the
        question is asked here, and only a save that is due costs a worker thread."""
        self.autosave.every = self.settings.autosave_every
        if self.autosave.due(step):
            seconds = self.play_seconds()
            self.run_worker(lambda: self._autosave(step.state, seconds), thread=True, group="persist", name="autosave")

    def _autosave(self, state: GameState, seconds: float) -> None:
        with self._persist_lock:
            try:
                self.store.autosave(self.story, state, seconds)
            except (SaveError, OSError) as error:
                self.call_from_thread(self.notify, f"Autosave failed: {error}", severity="error")

    def save_to(self, name: str) -> bool:
        """Save the run in progress in slot `name`; tell the player how it went."""
        if self.playthrough is None:
            self.notify("There is no game to save yet.", severity="warning")
            return False
        try:
            with self._persist_lock:
                self.store.save(name, self.story, self.playthrough.state, self.play_seconds())
        except SaveError as error:
            self.notify(f"Not saved: {error}.", severity="error", timeout=8)
            return False
        self.notify(f"Saved as '{name}'.", title="Saved", timeout=3)
        return True

    def load_from(self, name: str) -> bool:
        """Load slot `name` and go to where it was; a bad save is reported and nothing else changes."""
        try:
            loaded = self.store.load(name, self.engine)
        except SaveError as error:
            self.notify(f"Not loaded: {error}.", severity="error", timeout=8)
            return False
        self.start_run(loaded.run, loaded.play_seconds, loaded.notice)
        self.notify(f"Loaded '{name}'.", title="Loaded", timeout=3)
        return True

    def start_run(self, run: Run, seconds: float, notice: str = "") -> None:
        from game.tui.playthrough import Playthrough
        from game.tui.screens.play import PlayScreen

        self.playthrough = Playthrough(run)
        self._played_before, self._clock = seconds, time.monotonic()
        self.back_to_title()
        self.push_screen(PlayScreen(self.playthrough, opening=False))
        if notice:
            self.notify(notice, title="The story has changed", severity="warning", timeout=12)

    def action_quicksave(self) -> None:
        self.save_to(QUICKSAVE)

    def action_quickload(self) -> None:
        self.load_from(QUICKSAVE)

    # -- live reload ------------------------------------------------------------
    def action_reload_story(self) -> None:
        if not self.reload_if_changed(force=True):
            self.notify("The story files have not changed.", timeout=3)

    def reload_if_changed(self, force: bool = False) -> bool:
        """Pick up edited story files and go on from the same point; a broken edit shows its errors instead."""
        digest = story_digest(self.story.root)
        if digest in (self.story.digest, self._rejected_digest) and not force:
            return False
        try:
            story = load_story(self.story.root)
        except StoryError as error:
            from game.tui.screens.story_errors import StoryErrorsScreen

            self._rejected_digest = digest
            self.push_screen(StoryErrorsScreen(error.findings))
            return False
        if story.digest == self.story.digest:
            return False
        from game.engine.engine import Engine

        self.story, self.engine = story, Engine(story)
        self.autosave = Autosave(self.store, self.settings.autosave_every)
        if self.playthrough is None:
            self.notify("Story reloaded.", timeout=3)
            return True
        from game.engine.run import carry_over

        run, notice = carry_over(self.engine, self.playthrough.state, "while you played")
        self.start_run(run, self.play_seconds(), notice)
        return True

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
        self._played_before, self._clock = 0.0, time.monotonic()
        self.back_to_title()
        self.push_screen(PlayScreen(self.playthrough, opening=True))

    def continue_game(self) -> None:
        """Back to the run left open or, when there is none, the newest save."""
        from game.tui.screens.play import PlayScreen

        if self.playthrough is not None and not self.playthrough.ended:
            self.push_screen(PlayScreen(self.playthrough, opening=False))
            return
        newest = self.store.newest(self.story)
        if newest is not None:
            self.load_from(newest.name)

    def back_to_title(self) -> None:
        """Close every screen above the title; the run stays, for Continue."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_back_to_title(self) -> None:
        self.back_to_title()

    @property
    def can_continue(self) -> bool:
        """A run to go back to: one left for the title screen, or a save."""
        if self.playthrough is not None and not self.playthrough.ended:
            return True
        return self.store.newest(self.story) is not None

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
        from game.tui.screens.saves import SavesScreen

        if self.playthrough is None:
            self.notify("Start or continue a game first; then you can save it.", severity="warning")
            return
        self.push_screen(SavesScreen("save"))

    def action_load_game(self) -> None:
        from game.tui.screens.saves import SavesScreen

        self.push_screen(SavesScreen("load"))

    def action_request_quit(self) -> None:
        from game.tui.screens.confirm import ConfirmScreen

        in_progress = self.playthrough is not None and not self.playthrough.ended and self.playthrough.choices_made

        def quit_if(confirmed: bool | None) -> None:
            if not confirmed:
                return
            if in_progress and self.playthrough is not None:
                try:
                    with self._persist_lock:
                        self.store.autosave(self.story, self.playthrough.state, self.play_seconds())
                except (SaveError, OSError) as error:
                    self.notify(f"Could not save before quitting: {error}", severity="error", timeout=10)
                    return
            self.exit(0)

        question = "Leave Archer?"
        if in_progress:
            question += "\nYour run is saved as you leave: Continue brings you back."
        self.push_screen(ConfirmScreen(question, yes="Quit", no="Stay"), quit_if)


def run_tui(
    story: Story, seed: int = 0, *, store: SaveStore | None = None, loaded: Loaded | None = None, watch: bool = False
) -> int:
    """Play `story` full-screen (from a loaded save, if given); the exit status is 0 when the player quits."""
    result = ArcherApp(story, seed=seed, store=store, loaded=loaded, watch=watch).run()
    return result or 0
