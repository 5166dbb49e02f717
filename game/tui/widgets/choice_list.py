"""The choices on offer, numbered: picked by number key, arrows and Enter, or the mouse."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from game.story.model import Choice


class ChoiceList(OptionList):
    """An OptionList whose option index is the choice's number minus one."""

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self.clear_options()
        self.add_options(
            Option(Content.assemble((f"{number}", "bold $accent"), "  ", choice.text), id=f"choice-{number}")
            for number, choice in enumerate(choices, 1)
        )
        if choices:
            self.highlighted = 0
