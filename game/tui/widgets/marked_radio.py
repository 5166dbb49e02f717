"""A radio button that shows whether it is chosen by its mark, not by color alone."""

from __future__ import annotations

from textual.widgets import RadioButton

CHOSEN = "●"
NOT_CHOSEN = " "


class MarkedRadioButton(RadioButton):
    """Textual's radio button draws the same dot either way and tells them apart by color."""

    def __init__(self, label: str, value: bool = False, *, name: str | None = None) -> None:
        super().__init__(label, value, name=name)
        self.BUTTON_INNER = CHOSEN if value else NOT_CHOSEN

    def watch_value(self) -> None:
        self.BUTTON_INNER = CHOSEN if self.value else NOT_CHOSEN
        super().watch_value()  # tells the RadioSet
        self.refresh()
