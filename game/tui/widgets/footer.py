"""The footer of keys, fitted to the terminal's width: only whole keys, as many as fit.

Keys are dropped from the end of the row (the least used come last in each screen's
bindings) until the rest fit beside the palette's ^p, which always stays; below 80
columns the keys are packed closer together. Help and ctrl+p still list every command.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer

from game.tui.textual_private import FooterKey, forget_removed_footer_keys

ROOMY_FROM = 80  # columns


def key_width(key: FooterKey, *, compact: bool) -> int:
    """Cells a key takes in the footer row, as Textual's stylesheet for the footer lays it out."""
    words = len(key.key_display) + (1 + len(key.description) if key.description else 0)
    spacing = 1 if compact else 2  # compact: a margin after it; roomy: padding round the key and after the words
    if key.has_class("-command-palette"):
        spacing = 1 if compact else 3  # its rule on the left, and padding on the right when roomy
    return words + spacing


class ArcherFooter(Footer):
    _composed_for = -1  # the width the keys were last fitted to

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        room = self._room()
        self._composed_for = room
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        keys: list[Widget] = [w for w in widgets if w not in palette]
        used = sum(key_width(w, compact=self.compact) for w in palette)
        fitting: list[Widget] = []
        for widget in keys:
            width = key_width(widget, compact=self.compact) if isinstance(widget, FooterKey) else room
            if used + width > room:
                break
            used += width
            fitting.append(widget)
        yield from fitting
        yield from palette

    async def recompose(self) -> None:
        await super().recompose()
        self._forget_removed_keys()

    def _forget_removed_keys(self) -> None:
        forget_removed_footer_keys(self)  # else every footer key ever drawn stays in memory

    def on_resize(self, event: Resize) -> None:
        compact = event.size.width < ROOMY_FROM
        if compact != self.compact:
            self.compact = compact
        if self._room() != self._composed_for:
            self.call_after_refresh(self.recompose)

    def _room(self) -> int:
        """The screen's width: the footer's own can shrink by a scrollbar when keys overflow, and
        fitting to that would recompose it for ever (seen at 5 columns: a recompose every frame)."""
        return self.screen.size.width or self.app.size.width
