"""The Archer TUI application: the settings and the screens' comings and goings, over a session.

Kept small on purpose: the run, its clock, autosave, saves, the endings record
and live reload belong to the session (game/session), shared with plain mode;
each screen lives in `screens/`, each widget in `widgets/`. Screens other than
the title are imported when first opened, so the first frame comes quickly; and a
bare `archer` draws the title from the story's title page (game/story/title_page.py)
and loads the story itself right after the first frame, or at the first key if one
comes sooner (an `Opening`): the story, its model and the session are half of what
stood between a start and the first frame (issue 19).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from game.saves import QUICKSAVE, EndingsRecord, SaveStore, default_saves_dir
from game.story.title_page import TitlePage, page_of
from game.tui.settings import DEFAULT_THEME, Settings, load_settings, save_settings
from game.tui.textual_private import start_with_theme
from game.tui.themes import ARCHER_THEMES

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.theme import Theme

    from game.engine.engine import Engine
    from game.saves import Loaded
    from game.session import Outcome, Session
    from game.story.model import Story


class Opening(NamedTuple):
    """A start drawn from the story's title page: the story in `root` is loaded after the first frame."""

    root: Path
    page: TitlePage
    store: SaveStore


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
        Binding("ctrl+q", "quit_saving", "Quit", show=False, priority=True),
        Binding("ctrl+c", "quit_saving", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        story: Story | Opening,
        seed: int = 0,
        *,
        store: SaveStore | None = None,
        loaded: Loaded | None = None,
        session: Session | None = None,
        watch: bool = False,
        notice: str = "",
    ) -> None:
        super().__init__()
        self.seed = seed
        self._session: Session | None = None
        self._opening: Opening | None = None
        self.load_failure: Exception | None = None  # why the opening's story could not be loaded; `archer` says it
        self.settings, self._settings_problem = load_settings()
        if isinstance(story, Opening):
            self._opening = story
            self.title, self.sub_title = story.page.title, story.page.subtitle
        else:
            from game.session import Session

            self.title, self.sub_title = story.title, story.subtitle
            self._use_session(session or Session(story, store if store is not None else SaveStore(default_saves_dir())))
        # A run started before the app (--continue, --load) is shown at once.
        self._resumed = self._opening is None and self.session.has_run
        if loaded is not None:
            self.session.start(loaded.run, loaded.play_seconds)
            self._resumed, notice = True, loaded.notice
        self._notice = notice
        self.watching = watch
        self._persist_lock = threading.Lock()
        self._heap_after_full = 0  # allocated blocks after the last whole collection (see tidy_memory)
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

    def _use_session(self, session: Session) -> None:
        self._session = session
        session.autosave_every = self.settings.autosave_every
        session.set_writer(self._in_background, self._tell_from_worker)

    def _start_with_theme(self, name: str) -> None:
        start_with_theme(self, name)  # the theme's watcher short of its stylesheet reparse (issue 7)

    @property
    def settings(self) -> Settings:
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self._settings = settings
        if getattr(self, "_session", None) is not None:
            self.session.autosave_every = settings.autosave_every

    @property
    def session(self) -> Session:
        """The session; asking for it before the opening's story has loaded loads it now."""
        if self._session is None:
            self.open_story()
        assert self._session is not None, "the story could not be loaded; the app is closing"
        return self._session

    @property
    def story(self) -> Story:
        return self.session.story

    @property
    def engine(self) -> Engine:
        return self.session.engine

    @property
    def store(self) -> SaveStore:
        assert self.session.store is not None, "the TUI always has a save folder"
        return self.session.store

    @property
    def playthrough(self) -> Session | None:
        """The session while a run is open (the play screen's view of it), else None."""
        return self.session if self.session.has_run else None

    @property
    def endings_found(self) -> list[str]:
        return self.session.endings_found

    @property
    def title_page(self) -> TitlePage:
        """What the title screen shows of the story: from its title page until the story has loaded."""
        return self._opening.page if self._opening is not None else page_of(self.story)

    def endings_count(self) -> tuple[int, int]:
        """(endings found, endings in the story), as the session counts them; from the title page before it loads."""
        if self._opening is None:
            return self.session.endings_count()
        page = self._opening.page
        try:
            found = EndingsRecord(self._opening.store.folder).found(page)
        except Exception:  # the session, once loaded, reports what is wrong with the record
            found = {}
        return len(found), len(page.endings)

    # -- start-up ---------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        from game.tui.screens.title import TitleScreen

        return TitleScreen()

    def on_resize(self) -> None:
        from game.tui.screens.too_small import guard_size

        self.call_later(guard_size, self)

    def on_mount(self) -> None:
        self.on_resize()
        self.call_after_refresh(self._after_first_frame)
        gc.set_threshold(50_000, 20, 100)  # collections run while the player reads (see PlayScreen), not mid-key
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._save_on_hangup()
        if self._resumed:
            self._resumed = False
            self.show_run(self._notice)
        if self.watching:
            self.set_interval(1.0, self.reload_if_changed)
        if self._settings_problem:
            self.notify(self._settings_problem, title="Settings", severity="warning", timeout=10)
        elif self.settings.theme != self.theme:
            self.notify(f"The theme {self.settings.theme!r} is not available; using {self.theme}.", severity="warning")

    def tidy_memory(self, *, whole: bool = False) -> None:
        """Collect while the player reads, then freeze what survived (the scene on screen and the app
        around it): the next collection then visits only what one scene change made, a few ms, never
        the whole heap (25-30 ms), and no key press waits on one. What was frozen and has died since
        is freed by a whole collection once the heap has grown by a quarter (counted in allocated
        blocks, which costs microseconds; gc.get_freeze_count walks the frozen objects, 20 ms), or
        at once when `whole` (a run's screen has closed: all of it died frozen)."""
        if whole or sys.getallocatedblocks() > self._heap_after_full * 5 // 4:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._heap_after_full = sys.getallocatedblocks()
            return
        gc.collect()
        gc.freeze()

    def _after_first_frame(self) -> None:
        """The story, when the title was drawn from its title page. Then what exists (the story, Textual,
        the screens) lives as long as the app: freezing it keeps each later garbage collection short, so
        no key press waits on one. The collector was paused for start-up (see `archer`'s run_play); it
        runs again from here."""
        if os.environ.get("ARCHER_EXIT_AFTER_FIRST_FRAME"):  # benchmarks/tui_bench.py: the clock has stopped
            self.exit(0)
        else:
            self.open_story()
        gc.freeze()
        self._heap_after_full = sys.getallocatedblocks()
        gc.enable()

    async def on_event(self, event: events.Event) -> None:
        """A key or a click that comes before the opening's story has loaded waits for it; after a
        story that failed to load (the app is closing), none is acted on."""
        if isinstance(event, events.InputEvent) and self._session is None:
            self.open_story()
            if self._session is None:
                return
        await super().on_event(event)

    def open_story(self) -> None:
        """Load the story the title was drawn for (once). One that cannot be loaded closes the app, and
        `archer` reports why, as it does when the story is loaded before the app starts."""
        opening, self._opening = self._opening, None
        if opening is None:
            return
        from game.session import Session
        from game.story.loader import load_story
        from game.story.title_page import write_title_page

        try:
            story = load_story(opening.root)
        except Exception as error:
            self.load_failure = error
            self.exit(1)
            return
        self._use_session(Session(story, opening.store))
        page = page_of(story)
        if page != opening.page:  # the page was out of date after all: keep the true one, and show it
            write_title_page(opening.root, page)
            self.title, self.sub_title = story.title, story.subtitle
            from game.tui.screens.title import TitleScreen

            title = self.screen_stack[0] if self.screen_stack else None
            if isinstance(title, TitleScreen):
                title.call_later(title.show_loaded_story)

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

    # -- the session's writes, off the UI thread -------------------------------
    def _in_background(self, job: Callable[[], object]) -> None:
        """Autosaves and the endings record are written by a worker, so no key waits on a disk."""
        if self.is_running:
            self.run_worker(job, thread=True, group="persist", name="save")
        else:
            job()

    def _tell_from_worker(self, message: str) -> None:
        if threading.current_thread() is threading.main_thread():
            self.notify(message, severity="error", timeout=10)
        else:
            self.call_from_thread(self.notify, message, severity="error", timeout=10)

    # -- saves ------------------------------------------------------------------
    def _report(self, outcome: Outcome, title: str) -> bool:
        if outcome.ok:
            self.notify(outcome.message, title=title, timeout=3)
        else:
            self.notify(outcome.message, severity="error", timeout=8)
        return outcome.ok

    def save_to(self, name: str) -> bool:
        """Save the run in progress in slot `name`; tell the player how it went."""
        return self._report(self.session.save(name), "Saved")

    def load_from(self, name: str) -> bool:
        """Load slot `name` and go to where it was; a bad save is reported and nothing else changes."""
        outcome = self.session.load(name)
        if outcome.ok:
            self.show_run(outcome.notice)
        return self._report(outcome, "Loaded")

    def show_run(self, notice: str = "", *, opening: bool = False) -> None:
        """Show the session's run on a fresh play screen."""
        from game.tui.screens.play import PlayScreen

        self.back_to_title()
        self.push_screen(PlayScreen(self.session, opening=opening))
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
        """Pick up edited story files and go on from the same point; a broken edit (or any failure) says so."""
        from game.tui.screens.story_errors import StoryErrorsScreen

        if self._session is None:  # the opening's story has not loaded (or could not be)
            return False
        reload = self.session.reload(force)
        if reload.kind in ("rejected", "reloaded", "restored"):
            while isinstance(self.screen, StoryErrorsScreen):  # the errors shown are out of date
                self.pop_screen()
        if reload.kind == "rejected":
            self.push_screen(StoryErrorsScreen(list(reload.findings)))
        elif reload.kind == "failed":
            self.notify(reload.message, title="Story not reloaded", severity="error", timeout=15)
        elif reload.kind == "restored":
            self.notify(reload.message, timeout=3)
        elif reload.kind == "reloaded":
            self.title, self.sub_title = self.story.title, self.story.subtitle
            if self.session.has_run:
                self.show_run(reload.message.removeprefix("(Story reloaded.) "))
            else:
                self.notify(reload.message, timeout=3)
        return reload.kind != "unchanged"

    # -- runs ---------------------------------------------------------------
    def action_new_game(self) -> None:
        """Start again, asking first when that would throw a run away."""
        from game.tui.screens.confirm import ConfirmScreen

        if not self.session.in_progress:
            self.new_game()
            return

        def start_if(confirmed: bool | None) -> None:
            if confirmed:
                self.new_game()

        self.push_screen(ConfirmScreen("Start a new game?\nThe run in progress will be lost.", yes="Start"), start_if)

    def new_game(self) -> None:
        self.session.new_game(self.seed)
        self.show_run(opening=True)

    def continue_game(self) -> None:
        """Back to the run left open or, when there is none, the newest save."""
        from game.tui.screens.play import PlayScreen

        if self.session.has_run and not self.session.ended:
            self.push_screen(PlayScreen(self.session, opening=False))
            return
        newest = self.session.newest_slot()
        if newest is not None:
            self.load_from(newest)

    def back_to_title(self) -> None:
        """Close every screen above the title; the run stays, for Continue."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_back_to_title(self) -> None:
        self.back_to_title()

    @property
    def can_continue(self) -> bool:
        """A run to go back to: one left for the title screen, or a save."""
        if self._opening is not None:  # the story has not loaded: its title page tells the saves apart
            try:
                return self._opening.store.any_usable(self._opening.page)
            except Exception:
                return False
        if self.session.has_run and not self.session.ended:
            return True
        return self.session.newest_slot() is not None

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

        self.push_screen(EndingsScreen(self.story, self.session.endings_found))

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

        def quit_if(confirmed: bool | None) -> None:
            if confirmed:
                self.action_quit_saving()

        question = "Leave Archer?"
        if self.session.in_progress:
            question += "\nYour run is saved as you leave: Continue brings you back."
        self.push_screen(ConfirmScreen(question, yes="Quit", no="Stay"), quit_if)

    def action_quit_saving(self) -> None:
        """Every way out (q, ctrl+q, ctrl+c, a closed terminal) saves a run in progress first."""
        saved = self.session.save_on_exit()
        if not saved.ok:
            self.notify(f"Could not save before quitting: {saved.message}", severity="error", timeout=10)
            return
        self.exit(0)

    def _save_on_hangup(self) -> None:
        """A closed terminal (SIGHUP) or a kill (SIGTERM) quits as ctrl+q does: the run saved first."""
        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            number = getattr(signal, name, None)
            if number is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # Windows, threads
                    loop.add_signal_handler(number, self._leave_saved)

    def _leave_saved(self) -> None:
        if self._session is not None:
            self._session.save_on_exit()
        self.exit(0)


def run_tui(session: Session, seed: int = 0, *, watch: bool = False, notice: str = "") -> int:
    """Play the session's story full-screen (from its run, if one was loaded); the exit status is 0 when the player quits."""
    try:
        result = ArcherApp(session.story, seed=seed, session=session, watch=watch, notice=notice).run()
    finally:
        session.save_on_exit()  # the session outlives the app: even a crash of the app keeps the run
    return result or 0


def run_opening(opening: Opening, seed: int = 0, *, watch: bool = False) -> int:
    """Play full-screen from the title page: the story is loaded once the title is drawn. A story that
    fails to load raises its error once the app has closed (StoryError: `archer` lists its findings)."""
    app = ArcherApp(opening, seed=seed, watch=watch)
    try:
        result = app.run()
    finally:
        if app._session is not None:
            app._session.save_on_exit()
    if app.load_failure is not None:
        raise app.load_failure
    return result or 0
