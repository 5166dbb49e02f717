"""The private Textual API Archer leans on (game/tui/textual_private.py) is still there."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Footer


async def test_the_private_names_exist() -> None:
    assert callable(getattr(App, "_refresh_truecolor_filter", None))
    app: App[None] = App()
    async with app.run_test():
        footer = Footer()
        await app.screen.mount(footer)
        footer.watch(footer, "compact", lambda: None)
        assert isinstance(getattr(footer, "__watchers", None), dict)
