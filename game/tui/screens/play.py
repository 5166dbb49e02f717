"""The play screen: where you are, what is said, and what you may do next.

It shows the engine's view of the current state and hands the chosen number
back to the engine; the typewriter only decides how fast the words appear.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from game.engine import deduce
from game.engine.engine import ChoiceError, Step
from game.session import Session
from game.story.model import NARRATOR, Beat
from game.tui.screens.deduction import ask_first
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.footer import ArcherFooter
from game.tui.widgets.scene_header import SceneHeader
from game.tui.widgets.scene_text import SceneText, ShownLine

if TYPE_CHECKING:
    from game.tui.app import ArcherApp

TICKS_PER_SECOND = 30
PAUSE_BETWEEN_LINES = 6  # ticks: a breath between one line and the next
IDLE_COLLECT_AFTER = 0.3  # seconds after a scene is fully shown


class PlayScreen(Screen[None]):
    """One scene at a time; the choices appear when its lines have been told."""

    CSS_PATH = "play.tcss"  # read when this screen first opens, not at start-up

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "skip", "Skip", show=False),
        Binding("1", "choose(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)),
        Binding("0", "choose(10)", show=False),  # the tenth of a long list (Cruz's names); arrows reach the rest
        Binding("h", "app.history", "History"),
        Binding("c", "app.casebook", "Casebook"),
        Binding("s", "app.suspects", "Suspects"),
        Binding("u", "undo", "Undo"),
        Binding("r", "redo", "Redo", show=False),
        Binding("f5", "app.quicksave", "Quicksave", show=False),
        Binding("f9", "app.quickload", "Quickload", show=False),
        Binding("o", "app.settings", "Settings", show=False),
        Binding("ctrl+s", "app.save_game", "Save"),
        Binding("ctrl+l", "app.load_game", "Load", show=False),
        # The story scrolls by these whatever has focus (the choice list would take them otherwise).
        Binding("pageup", "scroll_story('page_up')", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_story('page_down')", "Scroll down", show=False, priority=True),
        Binding("home", "scroll_story('home')", "Scroll to the top", show=False, priority=True),
        Binding("end", "scroll_story('end')", "Scroll to the end", show=False, priority=True),
        Binding("escape", "app.back_to_title", "Title", show=False),
        Binding("q", "app.request_quit", "Quit", show=False),
    ]

    revealing: reactive[bool] = reactive(False, bindings=True)
    # Its parts, kept from compose: a DOM query walks every widget on the screen, footer keys and all,
    # and the "more below" cue asked two of them on every scene change (issue 19).
    _header: SceneHeader
    _text: SceneText
    _choices: ChoiceList

    def __init__(self, playthrough: Session, *, opening: bool = False) -> None:
        super().__init__()
        self.playthrough = playthrough
        self.opening = opening
        self._pause = 0
        self._timer: Timer | None = None
        self._tidy: Timer | None = None  # the idle collection after the scene on screen, if still to come
        self._offers = (False, False)  # (undo, redo) as the footer last showed them

    @property
    def archer(self) -> ArcherApp:
        return cast("ArcherApp", self.app)

    @property
    def scene_text(self) -> SceneText:
        return self._text

    @property
    def story_view(self) -> SceneText:
        """The scene's text, which scrolls itself."""
        return self._text

    def compose(self) -> ComposeResult:
        self._header = SceneHeader()
        self._text = SceneText(self.archer.story, id="story")
        self._choices = ChoiceList(id="choices")
        yield self._header
        yield self._text
        yield Static("space or enter: show the rest", id="skip-hint")
        yield self._choices
        yield ArcherFooter()

    def on_mount(self) -> None:
        story = self.story_view
        self.watch(story, "scroll_y", self.show_cues, init=False)
        self.watch(story, "virtual_size", self.show_cues, init=False)
        if self.opening:
            self.opening = False
            self.show_card(self.playthrough.view.beat, lambda: self.show_scene(typewriter=self.archer.typewriter_on))
        else:
            self.show_scene(typewriter=False)

    # -- showing ------------------------------------------------------------
    def show_card(self, beat: Beat, then: Callable[[], None]) -> None:
        from game.tui.screens.chapter import ChapterCard

        self.app.push_screen(ChapterCard(beat), lambda _: then())

    def show_scene(self, *, typewriter: bool, feedback: str | None = None) -> None:
        """Show the current scene: its heading, a deduction's feedback (in the text, where no toast
        covers the choices), its lines (typed or at once), then its choices."""
        self._stop_timer()
        self._cancel_tidy()  # the last scene's collection: not now, while this one is drawn
        view = self.playthrough.view
        self._header.show(view.scene, view.beat)
        if feedback is None:  # loaded, undone or redone: said again, as when the choice was taken
            feedback = deduce.last_feedback(self.playthrough.engine.story, self.playthrough.state)
        told = [(NARRATOR, f"Your deduction: {feedback}")] if feedback else []
        lines = ShownLine.group([*told, *((line.speaker, line.text) for line in view.lines)])
        with self.app.batch_update():
            self.scene_text.show(lines, revealed=not typewriter)
            self.story_view.scroll_home(animate=False)
            self._choices.set_choices(view.choices)
        self._pause = 0
        offers = (self.playthrough.can_undo, self.playthrough.can_redo)
        if offers != self._offers:  # only then: a footer rebuild costs a redraw (and Textual keeps old keys)
            self._offers = offers
            self.refresh_bindings()
        if typewriter and lines:
            self.revealing = True
            self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)
        else:
            self._finish()

    def _tick(self) -> None:
        if self._pause:
            self._pause -= 1
            return
        text = self.scene_text
        step = max(1, round(self.archer.settings.characters_per_second / TICKS_PER_SECOND))
        if not text.reveal(step):
            return
        if not text.next_line():
            self._finish(to_the_end=True)
            return
        self._pause = PAUSE_BETWEEN_LINES
        self.call_after_refresh(self.story_view.scroll_end, animate=False)

    def _finish(self, *, to_the_end: bool = False) -> None:
        """Everything told: every line in full, and the choices ready for a key. After the typewriter
        (`to_the_end`) the view follows the text to its last line once the choices have taken their room."""
        self._stop_timer()
        self.scene_text.reveal_all()
        self.revealing = False
        self._tidy_when_idle()
        choices = self._choices
        if choices.option_count:
            choices.focus()
        else:
            self.story_view.focus()
        if to_the_end:
            self.call_after_refresh(self.story_view.follow_end)
        self.call_after_refresh(self.show_cues)

    def _tidy_when_idle(self) -> None:
        """Collect garbage while the player reads this scene. A scene left sooner cancels it: a key
        pressed then would wait on it, and the next scene schedules its own."""
        self._cancel_tidy()
        self._tidy = self.set_timer(IDLE_COLLECT_AFTER, self.archer.tidy_memory)

    def _cancel_tidy(self) -> None:
        if self._tidy is not None:
            self._tidy.stop()
            self._tidy = None

    def show_cues(self) -> None:
        """The "more below" cue on the choice box, whenever the scene's text runs on out of view. It
        comes a frame after what moved the text: by then the player may have left the screen."""
        story, choices = self._text, self._choices
        if choices.is_attached:
            choices.show_text_cue(story.scroll_y < story.max_scroll_y)

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_cues)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_screen_suspend(self) -> None:
        """A panel opened over the scene (history, casebook...): the text is told in full, not paused."""
        if self.revealing:
            self._finish()

    def on_unmount(self) -> None:
        """A closed run's screen and its widgets were frozen alive: free them now, not when the heap
        has grown by a quarter (the peak of memory in a session of several runs)."""
        self._cancel_tidy()
        self.app.call_later(self.archer.tidy_memory, whole=True)

    def watch_revealing(self, revealing: bool) -> None:
        self.set_class(revealing, "-revealing")

    # -- acting ---------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "skip":
            return self.revealing
        if action == "undo":
            return self.playthrough.can_undo
        if action == "redo":
            return self.playthrough.can_redo
        return True

    def action_skip(self) -> None:
        if self.revealing:
            self._finish()

    def on_click(self, event: Click) -> None:
        """A click anywhere while the text is being typed shows the rest of it."""
        if self.revealing:
            event.stop()
            self._finish()

    def action_choose(self, number: int) -> None:
        if self.revealing:
            self._finish()
            return
        self.take(number)

    @on(ChoiceList.Chosen, "#choices")
    def choice_selected(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        self.take(event.index + 1)

    def take(self, number: int, given: tuple[str, ...] | None = None) -> None:
        """Pass the choice to the engine, then show what it leads to."""
        if self.playthrough.ended or (given is None and ask_first(self, number)):  # a deduction asks first
            return
        try:
            step = self.playthrough.choose(number, given or ())
        except ChoiceError as error:
            self.app.bell()
            self.notify(str(error).capitalize() + ".", severity="warning", timeout=3)
            return
        if step.entered_beat is not None:
            self.show_card(step.entered_beat, lambda: self._arrive(step))
        else:
            self._arrive(step)

    def _arrive(self, step: Step) -> None:
        if step.ending is None:
            self.show_scene(typewriter=self.archer.typewriter_on, feedback=step.feedback)
            return
        self.show_scene(typewriter=False, feedback=step.feedback)
        self.show_ending()

    def show_ending(self) -> None:
        from game.tui.screens.ending import EndingScreen

        ending = self.playthrough.view.ending
        if ending is not None:
            self.app.push_screen(EndingScreen(ending), self._after_ending)

    def _after_ending(self, result: str | None) -> None:
        if result == "undo":
            self.action_undo()
        else:
            self.archer.back_to_title()

    def action_undo(self) -> None:
        if not self.playthrough.can_undo:
            self.notify("There is nothing to undo yet.", timeout=3)
            return
        taken = self.playthrough.state.log[-1].text
        self.playthrough.undo()
        self.show_scene(typewriter=False)
        self.notify(f"Taken back: {taken}", title="Undo", timeout=3)

    def action_redo(self) -> None:
        if not self.playthrough.redo():
            self.notify("There is nothing to redo.", timeout=3)
            return
        self.show_scene(typewriter=False)
        self.notify(f"Taken again: {self.playthrough.state.log[-1].text}", title="Redo", timeout=3)

    def action_scroll_story(self, where: str) -> None:
        story = self.story_view
        story.following_end = False
        match where:
            case "page_up":
                story.scroll_page_up(animate=False)
            case "page_down":
                story.scroll_page_down(animate=False)
            case "home":
                story.scroll_home(animate=False)
            case "end":
                story.scroll_end(animate=False)
