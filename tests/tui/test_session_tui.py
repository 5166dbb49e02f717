"""The TUI over the session: every way out saves the run, bad files never stop it, reload failures keep the run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import OptionList

from game.saves import SaveStore
from game.session import Session
from game.story import loader
from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from game.tui.screens.title import TitleScreen

from steps import choose, start


def saves() -> SaveStore:
    return SaveStore(Path(os.environ["ARCHER_SAVES"]))


def continued(story: Story) -> Session:
    """What `archer --continue` would bring back."""
    session = Session(story, saves())
    assert session.continue_newest().ok
    return session


@pytest.mark.parametrize("keys", [["q", "y"], ["ctrl+q"], ["ctrl+c"]])
async def test_every_way_out_saves_the_run_and_continue_brings_it_back(lighthouse: Story, keys: list[str]) -> None:
    app = ArcherApp(lighthouse)
    async with app.run_test() as pilot:
        await start(pilot)
        await choose(pilot, "Climb to the lighthouse")
        await choose(pilot, "Read the ledger")
        await pilot.app.workers.wait_for_complete()
        assert saves().slots(lighthouse) == [], "no autosave is due yet: only leaving saves it"
        left = app.session.state
        await pilot.press(keys[0])
        await pilot.pause()
        if keys[0] == "q":
            assert isinstance(pilot.app.screen, ConfirmScreen)
            await pilot.press(*keys[1:])
            await pilot.pause()
    assert app.return_code == 0
    assert continued(lighthouse).state == left


async def test_the_load_screen_shows_markup_in_a_title_as_written(lighthouse: Story) -> None:
    session = Session(lighthouse, saves())
    session.new_game()
    session.choose(1)
    assert session.save("odd").ok
    path = saves().path("odd")
    path.write_text(path.read_text().replace('"scene_title": "The lamp room"', '"scene_title": "[/] [bold]x"'))
    (saves().folder / "deep.json").write_text("[" * 100_000)
    app = ArcherApp(lighthouse)
    async with app.run_test() as pilot:
        assert isinstance(pilot.app.screen, TitleScreen)
        app.action_load_game()
        await pilot.pause()
        assert isinstance(pilot.app.screen, SavesScreen)
        listing = pilot.app.screen.query_one("#slots", OptionList)
        assert "[/] [bold]x" in str(listing.get_option("odd").prompt)
        assert "nested too deeply" in str(listing.get_option("deep").prompt)
        await pilot.press("escape")
        await pilot.pause()
        app.continue_game()
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen) and app.session.state.scene == "tower"


async def test_a_reload_that_fails_keeps_the_run_and_says_where_the_details_are(
    lighthouse: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ArcherApp(lighthouse)

    def broken(*_: object) -> Story:
        raise RuntimeError("an edit nobody foresaw")

    async with app.run_test() as pilot:
        await start(pilot)
        await choose(pilot, "Climb to the lighthouse")
        monkeypatch.setattr(loader, "load_story", broken)
        before = app.session.state
        await pilot.press("ctrl+r")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("archer-errors.log" in m and "still playing the version from before" in m for m in messages)
        assert app.session.state is before and isinstance(pilot.app.screen, PlayScreen)
        await choose(pilot, "Read the ledger")
        assert app.session.choices_made == 2
