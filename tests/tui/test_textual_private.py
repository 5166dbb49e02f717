"""The private Textual API Archer leans on (game/tui/textual_private.py) is still there."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Footer

from game.tui.textual_private import TESTED_MAJOR, version_problem


def test_the_installed_textual_is_the_version_the_private_uses_were_read_from() -> None:
    assert version_problem() == "", f"re-read game/tui/textual_private.py for this Textual (was {TESTED_MAJOR}.x)"


async def test_the_private_names_exist() -> None:
    assert callable(getattr(App, "_refresh_truecolor_filter", None))
    app: App[None] = App()
    async with app.run_test():
        footer = Footer()
        await app.screen.mount(footer)
        footer.watch(footer, "compact", lambda: None)
        assert isinstance(getattr(footer, "__watchers", None), dict)
