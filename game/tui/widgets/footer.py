"""The footer of keys, fitted to the terminal's width so the keys that matter stay in view.

Below 100 columns the palette hint gives way (help and ctrl+p still list every
command); below 80 the keys are packed closer together.
"""

from __future__ import annotations

from textual.events import Resize
from textual.widgets import Footer

from game.tui.textual_private import forget_removed_footer_keys

PALETTE_HINT_FROM = 100  # columns
ROOMY_FROM = 80


class ArcherFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        self._forget_removed_keys()

    def _forget_removed_keys(self) -> None:
        forget_removed_footer_keys(self)  # else every footer key ever drawn stays in memory

    def on_resize(self, event: Resize) -> None:
        self.compact = event.size.width < ROOMY_FROM
        self.show_command_palette = event.size.width >= PALETTE_HINT_FROM
