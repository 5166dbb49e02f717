"""A monkey at the keyboard (issue 13): thousands of seeded random keys, clicks and wheel turns, at
every size from too small to huge, with resizes mid-run. Nothing may raise, the screen is never
blank, and whatever run is left can still be saved and resumed.

`make test` runs a small seeded slice; `pytest -m long` (make test-long) runs the long one.
"""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

import pytest
from textual import events

from game.saves import SaveStore
from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.help import all_bindings

SIZES = ((40, 12), (60, 20), (80, 24), (250, 80))
SPECIAL = [
    *(
        [
            "escape",
            "tab",
            "shift+tab",
            "enter",
            "space",
            "backspace",
            "delete",
            "up",
            "down",
            "left",
            "right",
            "pageup",
            "pagedown",
            "home",
            "end",
        ]
    ),
    *(f"f{n}" for n in range(1, 13)),
    *(f"ctrl+{c}" for c in "abcdefghijklmnoprstuvwxy"),  # not ctrl+z: it would stop a real terminal's process
]
UNSEEN = re.compile(r"(&#160;|\s)+")


def every_key() -> list[str]:
    bound = [key.strip() for binding in all_bindings() for key in binding.key.split(",")]
    return sorted({*bound, *string.ascii_letters, *string.digits, *SPECIAL, "question_mark", "ctrl+q", "ctrl+c"})


def drawn_characters(app: ArcherApp) -> int:
    """How many visible characters the screen shows now (as its screenshot holds them)."""
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", app.export_screenshot())
    return sum(len(UNSEEN.sub("", text)) for text in texts)


async def monkey(story: Story, saves: Path, seed: int, actions: int) -> None:
    rng = random.Random(seed)
    keys = every_key()
    app = ArcherApp(story, seed=seed, store=SaveStore(saves))
    quits: list[object] = []
    async with app.run_test(size=rng.choice(SIZES)) as pilot:
        leave = app.exit
        app.exit = lambda *args, **kwargs: quits.append(args)  # type: ignore[method-assign]  # quitting is one more key
        for action in range(actions):
            roll = rng.random()
            if roll < 0.03:
                await pilot.resize_terminal(*rng.choice(SIZES))
            elif roll < 0.08:
                width, height = app.size
                await pilot.click(offset=(rng.randrange(width), rng.randrange(height)))
            elif roll < 0.12:
                width, height = app.size
                x, y = rng.randrange(width), rng.randrange(height)
                wheel = rng.choice((events.MouseScrollDown, events.MouseScrollUp))
                app.post_message(wheel(None, x, y, 0, 1, 0, False, False, False, screen_x=x, screen_y=y))
                await pilot.pause()
            else:
                await pilot.press(rng.choice(keys))  # waits until the app is idle again, as a resize and a click do
            if action % 97 == 0 or roll < 0.03:
                assert drawn_characters(app) > 10, f"a blank screen after action {action} (seed {seed})"
        await pilot.pause()
        if app.playthrough is not None:
            state = app.playthrough.state
            assert app.save_to("after-the-monkey"), f"the run could not be saved (seed {seed})"
            assert app.store.load("after-the-monkey", app.engine).run.state.log == state.log
            assert app.load_from("after-the-monkey")
            await pilot.pause()
            assert app.playthrough.state.log == state.log, "the run resumes where it was saved"
        app.exit = leave  # type: ignore[method-assign]


@pytest.mark.parametrize("seed", [1, 2])
async def test_a_monkey_breaks_nothing(lighthouse: Story, tmp_path: Path, seed: int) -> None:
    await monkey(lighthouse, tmp_path / "saves", seed, actions=100)


@pytest.mark.long
@pytest.mark.parametrize("seed", range(100, 110))
async def test_a_long_monkey_breaks_nothing(lighthouse: Story, tmp_path: Path, seed: int) -> None:
    await monkey(lighthouse, tmp_path / "saves", seed, actions=3000)
