"""The deduction screen: a deduce choice opens it; blanks and evidence are filled by keyboard and by mouse."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Static

from game.story.loader import load_story
from game.tui.app import ArcherApp
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.deduction import DeductionScreen

from screen_text import all_text, option_texts
from steps import choose, start
from support import EXAMPLE_DIR, TO_THE_ACCUSATION


async def to_the_accusation(pilot: Pilot[int]) -> None:
    await start(pilot)
    for text in TO_THE_ACCUSATION:
        await choose(pilot, text)
    await pilot.press("enter")  # past the chapter card
    await pilot.pause()


def statement(app: App[Any]) -> str:
    return str(app.screen.query_one("#statement", Static).render())


async def test_a_deduction_is_filled_and_submitted_by_keyboard(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test(size=(80, 24)) as pilot:
        await to_the_accusation(pilot)
        await choose(pilot, "Lay out what happened to the keeper")
        assert isinstance(pilot.app.screen, DeductionScreen)
        assert statement(pilot.app) == "_____ cut the keeper's boat loose, and _____ shows it, over _____."
        assert option_texts(pilot.app.screen, "#options") == ["You", "Agnes the fisher"]
        # blank 1 (focused): enter opens its options; down, enter picks Agnes and moves to blank 2
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert statement(pilot.app).startswith("Agnes the fisher cut")
        assert pilot.app.screen.query_one("#submit", Button).disabled, "not every blank is filled yet"
        await pilot.press("enter", "down", "enter")  # blank 2: the cut rope
        await pilot.press("enter", "enter")  # blank 3: the debt
        await pilot.pause()
        assert statement(pilot.app) == (
            "Agnes the fisher cut the keeper's boat loose, and a cut mooring rope shows it, over a debt over the boat."
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        asked = pilot.app.screen
        assert isinstance(asked, ConfirmScreen), "a submission can cost something: it is asked for first"
        question = str(asked.query_one("#question", Static).render())
        assert (
            "a cut mooring rope shows it" in question
            and "If any of it is wrong, that will cost you: your resolve falls by one." in question
        )
        await pilot.press("n")  # not yet: back to the blanks, nothing submitted
        await pilot.pause()
        assert isinstance(pilot.app.screen, DeductionScreen)
        assert (
            lighthouse_app.playthrough is not None
            and "what_happened" not in lighthouse_app.playthrough.state.deductions
        )
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, DeductionScreen)
        await pilot.press("space")  # the rest of the scene at once
        await pilot.pause()
        told = all_text(pilot.app.screen)
        assert told.index("Your deduction: All of it is right.") < told.index("Say it, then."), "said in the scene"
        assert not list(pilot.app._notifications), "no toast over the choices"  # Textual keeps them there
        state = lighthouse_app.playthrough.state if lighthouse_app.playthrough else None
        assert state is not None and state.deductions["what_happened"].wrong == 0
        assert "case_made" in state.flags
        assert state.log[-1].given == ("fisher", "cut_rope", "debt")


async def test_a_deduction_and_evidence_by_mouse(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test(size=(80, 24)) as pilot:
        await to_the_accusation(pilot)
        await choose(pilot, "Lay out what happened to the keeper")
        screen = pilot.app.screen
        for blank, item in ((0, 0), (1, 0), (2, 1)):  # You, the ledger, the storm: all wrong
            assert await pilot.click("#blanks", offset=(3, blank))
            await pilot.pause()
            assert await pilot.click("#options", offset=(3, item))
            await pilot.pause()
        assert (
            statement(pilot.app) == "You cut the keeper's boat loose, and the keeper's ledger shows it, over the storm."
        )
        assert await pilot.click("#submit")
        await pilot.pause()
        assert await pilot.click("#yes")
        await pilot.pause()
        assert screen is not pilot.app.screen
        state = lighthouse_app.playthrough.state if lighthouse_app.playthrough else None
        assert state is not None and state.deductions["what_happened"].wrong == 3
        assert state.counters["resolve"] == 0, "a wrong try costs the nerve the ledger gave"
        await choose(pilot, "Lay out what happened to the keeper")
        for blank, item in ((0, 1), (1, 1), (2, 0)):
            await pilot.click("#blanks", offset=(3, blank))
            await pilot.click("#options", offset=(3, item))
            await pilot.pause()
        await pilot.click("#submit")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        await choose(pilot, "Ask Agnes to prove she never touched the boat")
        assert isinstance(pilot.app.screen, DeductionScreen)
        assert option_texts(pilot.app.screen, "#options") == ["The keeper's ledger", "A cut mooring rope"]
        assert await pilot.click("#options", offset=(3, 1))
        await pilot.pause()
        assert await pilot.click("#submit")
        await pilot.pause()
        assert await pilot.click("#yes")
        await pilot.pause()
        view = lighthouse_app.playthrough.view if lighthouse_app.playthrough else None
        assert view is not None and view.ending is not None and view.ending.id == "found"


async def test_escape_cancels_and_nothing_is_submitted(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test(size=(80, 24)) as pilot:
        await to_the_accusation(pilot)
        taken = lighthouse_app.playthrough.choices_made if lighthouse_app.playthrough else -1
        await choose(pilot, "Lay out what happened to the keeper")
        await pilot.press("enter", "enter", "escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, DeductionScreen)
        assert lighthouse_app.playthrough is not None and lighthouse_app.playthrough.choices_made == taken


async def test_the_casebook_shows_the_deduction_as_last_put(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test(size=(80, 24)) as pilot:
        await to_the_accusation(pilot)
        await choose(pilot, "Lay out what happened to the keeper")
        await pilot.press("enter", "enter", "enter", "enter", "enter", "down", "enter", "enter", "y")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        shown = all_text(pilot.app.screen)
        assert "What happened to the keeper" in shown
        assert "You cut the keeper's boat loose, and the keeper's ledger shows it, over the storm." in shown
        assert "More than one is wrong. (1 try)" in shown


async def test_number_keys_pick_blanks_and_items(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test(size=(80, 24)) as pilot:
        await to_the_accusation(pilot)
        await choose(pilot, "Lay out what happened to the keeper")
        await pilot.press("1", "2", "2", "2", "3", "1")  # who: Agnes; proof: the rope; why: the debt
        await pilot.pause()
        assert statement(pilot.app) == (
            "Agnes the fisher cut the keeper's boat loose, and a cut mooring rope shows it, over a debt over the boat."
        )
        await pilot.press("0")  # no tenth item here: a bell, nothing changes
        await pilot.pause()
        assert isinstance(pilot.app.screen, DeductionScreen)


async def test_zero_takes_the_tenth_choice_of_a_long_list(tmp_path: Path) -> None:
    root = tmp_path / "lighthouse"
    shutil.copytree(EXAMPLE_DIR, root)
    scenes = root / "scenes" / "island.yaml"
    extra = "".join(f"    - say: Wait for wave {n}\n      goto: shore\n" for n in range(1, 7))
    extra += "    - say: Swim out to the buoy\n      goto: tower\n"  # the tenth
    text = scenes.read_text(encoding="utf-8").replace(
        "      ending: gone\n\ntower:", f"      ending: gone\n{extra}\ntower:"
    )
    scenes.write_text(text, encoding="utf-8")
    app = ArcherApp(load_story(root))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert app.playthrough is not None and len(app.playthrough.view.choices) == 10
        await pilot.press("space", "0")
        await pilot.pause()
        assert app.playthrough.state.scene == "tower", "0 took the tenth choice"


async def test_the_deduction_feedback_is_still_in_the_scene_after_a_load(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test(size=(80, 24)) as pilot:
        await to_the_accusation(pilot)
        await choose(pilot, "Lay out what happened to the keeper")
        await pilot.press("1", "1", "2", "1", "3", "2", "ctrl+s", "y")  # You, the ledger, the storm: all wrong
        await pilot.pause()
        await pilot.press("space", "f5")
        await pilot.pause()
        assert "Your deduction: More than one is wrong." in all_text(pilot.app.screen)
        await pilot.press("f9")
        await pilot.pause()
        assert "Your deduction: More than one is wrong." in all_text(pilot.app.screen), "said again after the load"
