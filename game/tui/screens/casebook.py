"""The casebook: every clue found in this run, what it is, and where it turned up."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from game.engine.casebook import CasebookEntry, casebook
from game.engine.deduce import worked_out
from game.engine.state import GameState
from game.story.model import Story
from game.tui.screens.panel import PanelScreen


class ClueCard(Vertical):
    """One clue: its name, where it was found, its description, and whom it bears on."""

    def __init__(self, entry: CasebookEntry, story: Story) -> None:
        super().__init__(classes="clue")
        self.entry = entry
        self.story = story

    def compose(self) -> ComposeResult:
        clue = self.entry.clue
        yield Static(clue.name, classes="clue-name")
        yield Static(Content.assemble(("Found: ", "bold"), self.entry.found), classes="clue-found")
        yield Static(clue.description, classes="clue-text")
        bears = [
            f"{self.story.characters[who].name} ({aspect})" if who in self.story.characters else f"{who} ({aspect})"
            for who, aspect in clue.bears_on.items()
        ]
        if bears:
            yield Static(Content.assemble(("Bears on: ", "bold"), ", ".join(bears)), classes="clue-bears")


class CasebookScreen(PanelScreen):
    PANEL_TITLE = "Casebook"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "suspects", "Suspects"),
        Binding("c", "close", "Close", show=False),
    ]

    def __init__(self, story: Story, state: GameState) -> None:
        super().__init__()
        self.story = story
        self.entries = casebook(story, state)
        self.state = state

    def subtitle(self) -> str:
        count = len(self.entries)
        return f"{count} clue{'s' if count != 1 else ''} of {len(self.story.clues)}"

    def compose_body(self) -> ComposeResult:
        if not self.entries:
            yield Static(
                "Your casebook is empty. What you find will be written here: "
                "look closely, and take what others leave behind.",
                classes="empty",
            )
        for entry in self.entries:
            yield ClueCard(entry, self.story)
        for title, said, result in worked_out(self.story, self.state):  # the deductions put so far
            with Vertical(classes="clue"):
                yield Static(title, classes="clue-name")
                yield Static(said, classes="clue-text")
                yield Static(result, classes="clue-found")

    def action_suspects(self) -> None:
        from game.tui.screens.suspects import SuspectsScreen

        self.switch_to(SuspectsScreen(self.story, self.state))
