"""The shipped deduction reads whole at the smallest size the game supports (60x20): no blank is hidden."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.app import App
from textual.widgets import Button, Static

from game.engine.engine import Engine
from game.engine.state import GameState
from game.story.loader import load_story
from game.story.model import Choice, Story
from game.tui.screens.deduction import DeductionScreen

STORY_DIR = Path(__file__).resolve().parents[2] / "story"


def the_roof_choice(story: Story) -> Choice:
    return next(c for s in story.scenes.values() for c in s.choices if c.deduce == "the_roof")


def everything_gathered(story: Story) -> GameState:
    """A state that has met everyone and learned every word, so each blank offers all it lists."""
    state = Engine(story).new_game(0)
    for scene in story.scenes:
        state = dataclasses.replace(state, visits=state.visits.set(scene, 1))
    state.words = set(story.words)
    return state


class Holder(App[None]):
    def __init__(self, screen: DeductionScreen) -> None:
        super().__init__()
        self.deduction = screen

    def on_mount(self) -> None:
        self.push_screen(self.deduction)


async def test_the_whole_statement_is_readable_at_60_by_20() -> None:
    story = load_story(STORY_DIR)
    state = everything_gathered(story)
    screen = DeductionScreen(story, state, the_roof_choice(story))
    # the longest thing each blank can say: the longest statement a player can make
    screen.fills = [max(offered, key=lambda item: len(story.label(item))) for offered in screen.offered]
    async with Holder(screen).run_test(size=(60, 20)) as pilot:
        screen.refresh_all()
        await pilot.pause()
        statement = screen.query_one("#statement", Static)
        assert str(statement.render()).endswith(".")  # the whole sentence, last blank filled
        width = statement.content_region.width
        needed = statement.get_content_height(statement.content_region.size, pilot.app.size, width)
        frame = screen.query_one("#deduction").content_region
        shown = statement.content_region.intersection(frame)
        assert shown.height >= needed, f"the statement needs {needed} lines and shows {shown.height}"
        submit = screen.query_one("#submit", Button).region
        assert frame.contains_region(submit), "and the buttons stay on screen"
        lists = screen.query_one("#options").region
        assert lists.height >= 3, "with room left to pick from"
