"""The choices on offer, numbered: picked by number key, arrows and Enter, or the mouse.

Its frame carries two cues, so nothing is out of sight without the player knowing: above, when
the scene's text runs on below the view; below, when some choices are out of the box.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from game.story.model import Choice

MORE_TEXT = "▼ more below — PgDn"


class ChoiceList(OptionList):
    """An OptionList whose option index is the choice's number minus one."""

    def set_choices(self, choices: Sequence[Choice]) -> None:
        if not choices:  # set_options leaves the list as it was when given nothing
            self.clear_options()
        else:  # one pass over the options, where clear then add costs two (on every key press)
            self.set_options(
                Option(Content.assemble((f"{number}", "bold $accent"), "  ", choice.text), id=f"choice-{number}")
                for number, choice in enumerate(choices, 1)
            )
            self.highlighted = 0
        self.call_after_refresh(self.show_hidden_choices)

    def show_text_cue(self, more_text: bool) -> None:
        """Say (on the top edge) that the scene's text runs on below its view."""
        self.border_title = MORE_TEXT if more_text else None

    def show_hidden_choices(self) -> None:
        """Say (on the bottom edge) that some choices are out of sight, and which way."""
        top, bottom = self.scroll_y > 0, self.scroll_y < self.max_scroll_y
        cue = "▲▼ more choices" if top and bottom else "▲ more choices" if top else "▼ more choices" if bottom else ""
        self.border_subtitle = f"{cue} — ↑↓" if cue else None

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.show_hidden_choices()

    def on_resize(self) -> None:
        self.show_hidden_choices()

    def action_page_up(self) -> None:
        if self.scrollable_content_region.height > 0:  # a list squeezed to nothing has no page (issue 12.8)
            super().action_page_up()  # type: ignore[no-untyped-call]  # Textual leaves it unannotated

    def action_page_down(self) -> None:
        if self.scrollable_content_region.height > 0:
            super().action_page_down()  # type: ignore[no-untyped-call]
