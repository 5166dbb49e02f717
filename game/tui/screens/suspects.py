"""The suspects board: for each suspect, what the clues found say of motive, means and opportunity."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Static

from game.engine.casebook import SuspectFile, suspects_board
from game.engine.state import GameState
from game.story.model import SUSPECT_ASPECTS, Story
from game.tui.colors import readable
from game.tui.screens.panel import PanelScreen
from game.tui.widgets.follows_theme import FollowsTheme

CARD_WIDTH = 48  # cells, with the gutter: "? Unknown:" and its list on one line


class SuspectCard(FollowsTheme, Vertical):
    """One suspect: the name (always written), who they are, and the case against them so far."""

    def __init__(self, file: SuspectFile) -> None:
        super().__init__(classes="suspect" + ("" if file.met else " -unmet"))
        self.file = file

    def compose(self) -> ComposeResult:
        file = self.file
        self.border_title = file.character.name
        self.border_subtitle = f"{file.known_count} of 3 known" if file.met else "not yet met"
        yield Static(file.character.description, classes="suspect-about")
        for aspect in SUSPECT_ASPECTS:
            if file.known(aspect):
                yield Static(
                    Content.assemble(
                        (f"{aspect.capitalize():<12}", "bold"), ("✓ ", "bold $success"), file.summary(aspect)
                    ),
                    classes="aspect -known",
                )
        unknown = [aspect for aspect in SUSPECT_ASPECTS if not file.known(aspect)]
        if unknown:
            yield Static(
                Content.assemble(("? Unknown:   ", "bold"), (", ".join(unknown), "$foreground-muted")),
                classes="aspect -unknown",
            )

    def apply_theme(self) -> None:
        color = readable(self.file.character.color, self.background_colors[1], minimum=3.0)
        self.styles.border = ("round", color)
        self.styles.border_title_color = readable(self.file.character.color, self.background_colors[1])


class SuspectsScreen(PanelScreen):
    PANEL_TITLE = "Suspects"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "casebook", "Casebook"),
        Binding("s", "close", "Close", show=False),
    ]

    def __init__(self, story: Story, state: GameState) -> None:
        super().__init__()
        self.story = story
        self.state = state
        self.board = suspects_board(story, state)

    def subtitle(self) -> str:
        return f"{sum(f.met for f in self.board)} of {len(self.board)} met"

    def compose_body(self) -> ComposeResult:
        if not self.board:
            yield Static("This story names no suspects.", classes="empty")
            return
        with Grid(id="board"):
            for file in self.board:
                yield SuspectCard(file)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_columns)

    def ready(self) -> None:
        self.fit_columns()

    def fit_columns(self) -> None:
        """As many columns of cards as fit the panel (a card reads well from about 40 cells)."""
        for board in self.query("#board"):
            board.styles.grid_size_columns = max(1, min(4, board.size.width // CARD_WIDTH))

    def action_casebook(self) -> None:
        from game.tui.screens.casebook import CasebookScreen

        self.switch_to(CasebookScreen(self.story, self.state))
