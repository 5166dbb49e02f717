"""Saving and loading in the TUI: slots, quicksave, continue after a restart, undo and redo, live reload."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import OptionList

from game.saves import SaveStore
from game.story.loader import load_story
from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.casebook import CasebookScreen
from game.tui.screens.chapter import ChapterCard
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from game.tui.screens.story_errors import StoryErrorsScreen
from game.tui.screens.title import TitleScreen

from screen_text import all_text, option_texts
from steps import choose, start


def scene_title(app: ArcherApp) -> str:
    assert app.playthrough is not None
    return app.playthrough.view.scene.title


async def test_a_save_survives_quitting_and_continue_finds_the_same_scene_and_casebook(lighthouse: Story) -> None:
    first = ArcherApp(lighthouse)
    async with first.run_test() as pilot:
        await start(pilot)
        await choose(pilot, "Climb to the lighthouse")
        await choose(pilot, "Read the ledger")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SavesScreen)
        await pilot.press(*"evening", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
    assert [slot.name for slot in first.store.slots(lighthouse)] == ["evening"]

    second = ArcherApp(lighthouse)
    async with second.run_test() as pilot:
        assert isinstance(pilot.app.screen, TitleScreen)
        assert option_texts(pilot.app.screen, "#menu")[:2] == ["New game", "Continue"]
        await pilot.press("enter")  # Continue is highlighted when there is one
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
        assert scene_title(second) == "The lamp room"
        assert "The empty space where the ledger lay" in all_text(pilot.app.screen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CasebookScreen)
        assert "The keeper's ledger" in all_text(pilot.app.screen)
        await pilot.press("escape", "u")
        await pilot.pause()
        assert scene_title(second) == "The lamp room" and "ledger" not in second.playthrough.state.clues  # type: ignore[union-attr]


async def test_quicksave_and_quickload(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await choose(pilot, "Walk down to the jetty")
        await pilot.press("f5")
        await pilot.pause()
        await choose(pilot, "Leave her to her nets")
        await choose(pilot, "Climb to the lighthouse")
        assert scene_title(lighthouse_app) == "The lamp room"
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
        assert scene_title(lighthouse_app) == "The jetty"
        assert "Agnes the fisher" in all_text(pilot.app.screen)


async def test_overwriting_and_deleting_a_slot_ask_first(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        lighthouse_app.save_to("mine")
        await choose(pilot, "Climb to the lighthouse")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"mine", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert "Overwrite the save 'mine'?" in all_text(pilot.app.screen)
        await pilot.press("y")
        await pilot.pause()
        [slot] = lighthouse_app.store.slots(lighthouse_app.story)
        assert slot.scene_title == "The lamp room"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SavesScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert lighthouse_app.store.slots(lighthouse_app.story) != []
        await pilot.press("d", "y")
        await pilot.pause()
        assert lighthouse_app.store.slots(lighthouse_app.story) == []
        assert "No saves yet." in all_text(pilot.app.screen)


async def test_a_damaged_slot_is_listed_with_its_problem_and_the_others_still_load(lighthouse: Story) -> None:
    store = SaveStore(Path(ArcherApp(lighthouse).store.folder))
    app = ArcherApp(lighthouse, store=store)
    async with app.run_test() as pilot:
        await start(pilot)
        await choose(pilot, "Walk down to the jetty")
        app.save_to("good")
        app.save_to("broken")
        store.path("broken").write_text('{"format": "archer-save", "vers')
        await pilot.press("escape")  # back to the title
        await pilot.pause()
        app.action_load_game()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SavesScreen)
        listing = screen.query_one("#slots", OptionList)
        broken = listing.get_option("broken")
        assert broken.disabled and "DAMAGED: broken.json is damaged (not a complete save file)" in str(broken.prompt)
        assert not listing.get_option("good").disabled
        listing.highlighted = listing.get_option_index("good")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
        assert scene_title(app) == "The jetty"


async def test_undo_and_redo_keys(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await choose(pilot, "Climb to the lighthouse")
        await choose(pilot, "Read the ledger")
        await pilot.press("u", "u")
        await pilot.pause()
        assert scene_title(lighthouse_app) == "The shore"
        await pilot.press("r")
        await pilot.pause()
        assert scene_title(lighthouse_app) == "The lamp room"
        assert lighthouse_app.playthrough is not None and "ledger" not in lighthouse_app.playthrough.state.clues
        await pilot.press("r")
        await pilot.pause()
        assert "ledger" in lighthouse_app.playthrough.state.clues


async def test_autosave_follows_the_setting(lighthouse_app: ArcherApp) -> None:
    lighthouse_app.settings = lighthouse_app.settings.changed(autosave_every=3)
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await choose(pilot, "Climb to the lighthouse")
        await choose(pilot, "Go back down")
        await pilot.app.workers.wait_for_complete()
        assert lighthouse_app.store.slots(lighthouse_app.story) == []
        await choose(pilot, "Walk down to the jetty")
        await pilot.app.workers.wait_for_complete()
        [slot] = lighthouse_app.store.slots(lighthouse_app.story)
        assert (slot.name, slot.scene_title) == ("autosave-1", "The jetty")


async def test_a_loaded_save_given_at_start_opens_straight_into_the_scene(lighthouse: Story) -> None:
    app = ArcherApp(lighthouse)
    engine = app.engine
    state = engine.choose(engine.new_game(), 2).state
    app.store.save("given", lighthouse, state)
    started = ArcherApp(lighthouse, loaded=app.store.load("given", engine))
    async with started.run_test() as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
        assert scene_title(started) == "The jetty"


async def test_live_reload_picks_up_an_edit_and_a_broken_one_shows_its_errors(
    lighthouse: Story, tmp_path: Path
) -> None:
    root = tmp_path / "story"
    shutil.copytree(lighthouse.root, root)
    island = root / "scenes" / "island.yaml"
    app = ArcherApp(load_story(root))
    async with app.run_test() as pilot:
        await start(pilot)
        await choose(pilot, "Climb to the lighthouse")
        island.write_text(island.read_text().replace("Cold glass.", "Cold glass, and salt on it."))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
        assert scene_title(app) == "The lamp room"
        assert "Cold glass, and salt on it." in all_text(pilot.app.screen)
        island.write_text(island.read_text().replace("goto: jetty", "goto: jety", 1))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, StoryErrorsScreen)
        assert "unknown scene 'jety'; did you mean 'jetty'?" in all_text(pilot.app.screen)
        await pilot.press("escape")
        await pilot.pause()
        assert scene_title(app) == "The lamp room", "the old story plays on"


async def test_the_error_panel_goes_away_when_the_file_is_put_back_as_it_was(lighthouse: Story, tmp_path: Path) -> None:
    root = tmp_path / "story"
    shutil.copytree(lighthouse.root, root)
    island = root / "scenes" / "island.yaml"
    played = island.read_text()
    app = ArcherApp(load_story(root))
    async with app.run_test() as pilot:
        await start(pilot)
        island.write_text(played.replace("goto: jetty", "goto: jety", 1))
        assert app.reload_if_changed()
        await pilot.pause()
        island.write_text(played.replace("goto: jetty", "goto: jettyy", 1))
        assert app.reload_if_changed()
        await pilot.pause()
        assert isinstance(pilot.app.screen, StoryErrorsScreen)
        assert "'jettyy'" in all_text(pilot.app.screen), "the panel shows the newest edit's errors"
        assert sum(isinstance(s, StoryErrorsScreen) for s in app.screen_stack) == 1, "one panel, not one per edit"
        island.write_text(played)
        assert app.reload_if_changed(), "going back to the played version is news"
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen), "the errors are gone, and so is their panel"
        assert not app.reload_if_changed(), "and then nothing more to say"


async def test_the_example_story_plays_to_an_ending_in_the_tui(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        for text in [
            "Climb to the lighthouse",
            "Read the ledger",
            "Go back down",
            "Walk down to the jetty",
            "Look at the empty mooring",
        ]:
            await choose(pilot, text)
        await choose(pilot, "Tell Agnes what the ledger says")
        assert isinstance(pilot.app.screen, ChapterCard)
        await pilot.press("enter")
        await pilot.pause()
        await choose(pilot, "Show her the cut rope")
        assert isinstance(pilot.app.screen, EndingScreen)
        assert "The keeper comes home" in all_text(pilot.app.screen)
