"""The deduction screen: the statement as it stands, its blanks, and what the player can fill them with.

Opened by a choice that submits a deduction or presents evidence. The player picks
a blank, picks one of the things they have gathered (keyboard or mouse), and
submits; the screen returns the fills and the engine judges them. An evidence
question is the same screen with one blank: the item presented.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.engine import deduce
from game.engine.state import GameState
from game.story.model import Choice, Story
from game.tui.screens.confirm import ConfirmScreen
from game.tui.widgets.footer import ArcherFooter

if TYPE_CHECKING:
    from game.tui.screens.play import PlayScreen

EMPTY = "_____"


class DeductionScreen(ModalScreen[tuple[str, ...] | None]):
    """Returns the fills, one per blank in order (or the one item presented); None when canceled."""

    CSS_PATH = "deduction.tcss"  # read when this screen first opens, not at start-up
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Submit"),
        Binding("left", "focus_blanks", "Blanks", show=False),
        Binding("right", "focus_options", "Options", show=False),
        Binding("1", "pick(1)", "Pick", key_display="1-9, 0"),
        *(Binding(str(n % 10), f"pick({n})", show=False) for n in range(2, 11)),
    ]

    def __init__(self, story: Story, state: GameState, choice: Choice) -> None:
        super().__init__()
        self.story = story
        self.render_statement: Callable[[list[str | None]], str]
        if choice.deduce is not None:
            deduction = story.deductions[choice.deduce]
            self.heading = deduction.title
            self.names = [blank.name for blank in deduction.blanks]
            self.offered = [deduce.blank_options(story, state, blank) for blank in deduction.blanks]
            self.render_statement = lambda fills: deduce.statement(story, deduction, fills, EMPTY)
        else:
            assert choice.present is not None
            question = choice.present
            self.heading = "Present evidence"
            self.names = ["evidence"]
            self.offered = [deduce.question_options(story, state, question)]
            self.render_statement = lambda fills: f"{question.question}\n\nYou present: {self._label(fills[0])}"
        self.presenting = choice.present is not None
        self.cost = deduce.cost_warning(story, choice)
        self.fills: list[str | None] = [None] * len(self.names)
        last = state.deductions.get(choice.deduce) if choice.deduce is not None else None
        if last is not None:  # start from the last submission, as far as it is still on offer
            self.fills = [
                fill if fill in offered else None for fill, offered in zip(last.fills, self.offered, strict=False)
            ]
        self.current = 0

    def _label(self, item: str | None) -> str:
        return self.story.label(item) if item else EMPTY

    def compose(self) -> ComposeResult:
        with Vertical(id="deduction") as frame:
            frame.border_title = self.heading
            yield Static(id="statement")
            with Horizontal(id="lists"):
                with Vertical(id="blanks-column"):
                    yield Label("Blanks", classes="list-title")
                    yield OptionList(id="blanks")
                with Vertical(id="options-column"):
                    yield Label("What you have", classes="list-title")
                    yield OptionList(id="options")
            with Horizontal(id="buttons"):
                yield Button("Submit (ctrl+s)", variant="primary", id="submit", disabled=True)
                yield Button("Cancel (esc)", id="cancel")
        yield ArcherFooter()

    def on_mount(self) -> None:
        self.set_class(self.presenting, "-present")  # one item to pick: no list of blanks
        self.refresh_all()
        self.query_one("#options" if self.presenting else "#blanks", OptionList).focus()

    def refresh_all(self) -> None:
        self.query_one("#statement", Static).update(self.render_statement(self.fills))
        blanks = self.query_one("#blanks", OptionList)
        blanks.clear_options()
        blanks.add_options(
            Option(f"{n}. {name.replace('_', ' ')}: {self._label(fill)}", id=name)
            for n, (name, fill) in enumerate(zip(self.names, self.fills, strict=True), start=1)
        )
        blanks.highlighted = self.current
        options = self.query_one("#options", OptionList)
        options.clear_options()
        options.add_options(Option(self.story.label(item), id=item) for item in self.offered[self.current])
        chosen = self.fills[self.current]
        options.highlighted = self.offered[self.current].index(chosen) if chosen else 0
        self.query_one("#submit", Button).disabled = None in self.fills

    @on(OptionList.OptionSelected, "#blanks")
    def blank_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.current = event.option_index
        self.refresh_all()
        self.query_one("#options", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#blanks")
    def blank_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.current:
            self.current = event.option_index
            self.refresh_all()

    @on(OptionList.OptionSelected, "#options")
    def option_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.fills[self.current] = self.offered[self.current][event.option_index]
        empty = [i for i, fill in enumerate(self.fills) if fill is None]
        if empty:
            self.current = empty[0]
        self.refresh_all()
        if empty:
            self.query_one("#blanks", OptionList).focus()
        else:
            self.query_one("#submit", Button).focus()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        """Ask before submitting: the statement as it will be said, and whether a wrong try costs."""
        if None in self.fills:
            self.app.bell()
            self.notify("Fill every blank first.", severity="warning", timeout=3)
            return
        fills = tuple(fill for fill in self.fills if fill is not None)
        said = self.render_statement(list(fills)) if not self.presenting else f"You present: {self._label(fills[0])}."
        cost = f"\n\n{self.cost}" if self.cost else ""

        def answered(sure: bool | None) -> None:
            if sure:
                self.dismiss(fills)

        self.app.push_screen(ConfirmScreen(f"{said}{cost}\n\nSubmit it?", yes="Submit", no="Not yet"), answered)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_pick(self, number: int) -> None:
        """A number key picks that line of the focused list (0: the tenth), as Enter would."""
        focused = self.focused
        if isinstance(focused, OptionList) and 1 <= number <= focused.option_count:
            focused.highlighted = number - 1
            focused.action_select()
        else:
            self.app.bell()

    def action_focus_blanks(self) -> None:
        self.query_one("#blanks", OptionList).focus()

    def action_focus_options(self) -> None:
        self.query_one("#options", OptionList).focus()


def ask_first(screen: PlayScreen, number: int) -> bool:
    """Open this screen when choice `number` needs a submission; True when it did (the screen takes it after)."""
    choices = screen.playthrough.view.choices
    if not 1 <= number <= len(choices):
        return False
    choice = choices[number - 1]
    if choice.deduce is None and choice.present is None:
        return False

    def submitted(given: tuple[str, ...] | None) -> None:
        if given is not None:
            screen.take(number, given)

    screen.app.push_screen(
        DeductionScreen(screen.playthrough.engine.story, screen.playthrough.state, choice), submitted
    )
    return True
