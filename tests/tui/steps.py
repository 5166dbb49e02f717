"""The steps a player takes in pilot tests: start a game, pick a choice by its words."""

from __future__ import annotations

from textual.pilot import Pilot

from game.tui.app import ArcherApp
from game.tui.screens.chapter import ChapterCard
from game.tui.screens.play import PlayScreen


async def start(pilot: Pilot[int]) -> None:
    """From the title: New game, then past the chapter card."""
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ChapterCard)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PlayScreen)


async def choose(pilot: Pilot[int], text: str) -> None:
    """Take the choice with these words by its number, as a player would."""
    app = pilot.app
    assert isinstance(app, ArcherApp) and app.playthrough is not None
    number = [c.text for c in app.playthrough.view.choices].index(text) + 1
    await pilot.press(str(number))
    await pilot.pause()
