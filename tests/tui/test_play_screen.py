"""Playing a scene: choosing by number, arrows, Enter and mouse; the typewriter; undo; leaving and coming back."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen

from game.story.model import VOICEOVER, Story
from game.tui.app import ArcherApp
from game.tui.screens.chapter import ChapterCard
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.scene_header import SceneHeader
from game.tui.widgets.scene_text import ShownLine

from screen_text import all_text, option_texts, story_lines
from steps import start


def offered(screen: Screen[Any], action: str) -> bool:
    """Whether the footer offers this action now."""
    return any(b.binding.action == action and b.enabled for b in screen.active_bindings.values())


def scene_title(app: App[Any]) -> str:
    return app.screen.query_one(SceneHeader).scene_title


async def test_the_mouse_and_the_arrow_keys_pick_choices_too(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert scene_title(pilot.app) == "The shore"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert scene_title(pilot.app) == "The jetty", "down then enter takes the second choice"
        await pilot.press("2")  # leave her to her nets
        await pilot.pause()
        assert scene_title(pilot.app) == "The shore"
        assert option_texts(pilot.app.screen, "#choices")[0] == "1  Climb to the lighthouse"
        assert await pilot.click(ChoiceList, offset=(4, 1)), "the first option sits just inside the border"
        await pilot.pause()
        assert scene_title(pilot.app) == "The lamp room"


async def test_a_number_with_no_choice_changes_nothing(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await pilot.press("9")
        await pilot.pause()
        assert scene_title(pilot.app) == "The shore"
        assert lighthouse_app.playthrough is not None and lighthouse_app.playthrough.choices_made == 0


async def test_a_trigger_shows_the_next_chapter_card_before_its_scene(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        for key in "1112":  # the lighthouse, read the ledger, go back down, the jetty
            await pilot.press(key)
            await pilot.pause()
        assert "2  Tell Agnes what the ledger says" in option_texts(pilot.app.screen, "#choices")
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ChapterCard)
        shown = all_text(pilot.app.screen)
        assert "Part Two: The Accusation" in shown
        assert "Someone on this island knows where the keeper went." in shown
        await pilot.press("x")  # any key turns the page
        await pilot.pause()
        assert scene_title(pilot.app) == "The accusation"
        assert pilot.app.screen.query_one(SceneHeader).beat_title == "Part Two: The Accusation"


async def test_undo_takes_back_the_last_choice_and_its_lines(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert scene_title(pilot.app) == "The shore", "nothing to undo at the start"
        assert not offered(pilot.app.screen, "undo"), "the footer does not offer what cannot be done"
        await pilot.press("1", "1")
        await pilot.pause()
        assert offered(pilot.app.screen, "undo")
        run = lighthouse_app.playthrough
        assert run is not None and "ledger" in run.state.clues
        history_length = len(run.transcript)
        await pilot.press("u")
        await pilot.pause()
        assert scene_title(pilot.app) == "The lamp room"
        assert "ledger" not in run.state.clues
        assert len(run.transcript) < history_length
        assert option_texts(pilot.app.screen, "#choices") == ["1  Read the ledger", "2  Go back down"]


async def test_an_ending_shows_its_card_and_is_remembered_and_undo_returns_from_it(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await pilot.press("3")  # take the next ferry home
        await pilot.pause()
        assert isinstance(pilot.app.screen, EndingScreen)
        shown = all_text(pilot.app.screen)
        assert "The lamp stays dark" in shown and "tide tables" in shown
        assert "Endings found: 1 of 2" in shown
        await lighthouse_app.workers.wait_for_complete()
        assert ArcherApp(lighthouse_app.story).endings_found == ["gone"], "kept for the next session"
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen) and scene_title(pilot.app) == "The shore"
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TitleScreen)
        assert "Endings found  1/2" in all_text(pilot.app.screen)
        assert "Continue" not in all_text(pilot.app.screen), "an ended run cannot be continued"


async def test_escape_leaves_for_the_title_and_continue_comes_back(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TitleScreen)
        assert "Continue" in option_texts(pilot.app.screen, "#menu")
        await pilot.press("enter")  # Continue is highlighted when there is a run to go back to
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
        assert scene_title(pilot.app) == "The jetty"
        assert story_lines(pilot.app.screen)[0].endswith("You're not from here.")


async def test_escape_right_after_a_choice_leaves_for_the_title_without_a_crash(lighthouse_app: ArcherApp) -> None:
    """Leaving while the typewriter tells the new scene tells it in full, and its cue is worked out a
    frame later: by then the play screen is gone."""
    lighthouse_app.animation_level = "basic"  # the typewriter types (the tests turn animations off otherwise)
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await pilot.press("space", "2", "escape")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(pilot.app.screen, TitleScreen)
        assert pilot.app.return_code is None, "the app is still running"


async def test_new_game_over_a_run_in_progress_asks_first(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await pilot.press("2", "escape", "n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TitleScreen)
        await pilot.press("n", "y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ChapterCard)
        assert lighthouse_app.playthrough is not None and lighthouse_app.playthrough.choices_made == 0


async def test_quitting_asks_first_and_saves_the_run_in_progress(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert "Your run is saved as you leave" in all_text(pilot.app.screen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert lighthouse_app.return_code == 0
    newest = lighthouse_app.store.newest(lighthouse_app.story)
    assert newest is not None and newest.scene_title == "The lamp room"


async def test_the_typewriter_reveals_line_by_line_and_a_key_shows_the_rest(lighthouse: Story) -> None:
    app = ArcherApp(lighthouse)
    app.animation_level = "full"  # as in a real terminal; the test itself never waits on the clock
    assert app.typewriter_on
    async with app.run_test() as pilot:
        await start(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.scene_text
        assert screen.revealing
        assert text.told == 1 and len(text.lines) > 1, "later lines wait their turn"
        assert story_lines(screen) == [text.written(0)] and text.revealed < len(text.lines[0].text)
        assert not screen.query_one("#choices").display, "choices wait until the text is told"
        assert offered(screen, "skip"), "the footer offers to skip while the text is typed"
        await pilot.press("1")  # a number while typing only shows the rest; it never picks blind
        await pilot.pause()
        assert scene_title(pilot.app) == "The shore"
        assert not screen.revealing
        assert text.complete and len(story_lines(screen)) == len(text.lines)  # type: ignore[unreachable]  # the await changed what mypy narrowed
        assert screen.query_one("#choices").display
        assert not offered(screen, "skip")
        assert scene_title(pilot.app) == "The shore"


async def test_a_click_on_the_text_while_it_is_typed_shows_the_rest(lighthouse: Story) -> None:
    app = ArcherApp(lighthouse)
    app.animation_level = "full"
    async with app.run_test() as pilot:
        await start(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlayScreen) and screen.revealing
        await pilot.click("#story")
        await pilot.pause()
        assert not screen.revealing
        assert screen.scene_text.complete  # type: ignore[unreachable]  # the await changed what mypy narrowed


async def test_the_typewriter_can_be_turned_off_in_settings(lighthouse: Story) -> None:
    app = ArcherApp(lighthouse)
    app.animation_level = "full"
    app.settings = app.settings.changed(typewriter=False)
    assert not app.typewriter_on
    async with app.run_test() as pilot:
        await start(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlayScreen) and not screen.revealing
        assert screen.scene_text.complete


def test_animations_off_in_the_environment_turn_the_typewriter_off(lighthouse: Story) -> None:
    app = ArcherApp(lighthouse)
    assert app.animation_level == "none"
    assert app.settings.typewriter and not app.typewriter_on


async def test_the_play_screen_stays_usable_at_60_by_20(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        screen = pilot.app.screen
        choices = screen.query_one(ChoiceList).region
        story = screen.query_one("#story").region
        assert choices.height >= 5, "all three choices and the border are visible"
        assert choices.bottom <= 19, "the choices sit above the footer"
        assert story.height >= 4, "some of the scene is still readable"
        await pilot.press("2")
        await pilot.pause()
        assert scene_title(pilot.app) == "The jetty"


async def test_a_long_line_wraps_under_its_speakers_bar_and_a_voiceover_run_keeps_one_bar(lighthouse: Story) -> None:
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.scene_text
        words = "the lamp turns over the black water " * 6
        lines = ShownLine.group([("fisher", words), (VOICEOVER, "First."), (VOICEOVER, "Second.")])
        text.show(lines)
        rows = [row.plain for row in text.rows(40)]
        fisher = [row for row in rows if row.startswith("█ ")]
        assert len(fisher) > 3 and fisher[0].startswith("█ Agnes the fisher  the lamp"), "the name, then the words"
        assert all(len(row) <= 40 for row in rows), "every row fits the width"
        assert " ".join(row[2:].strip() for row in fisher).endswith(words.strip()), "no word is lost to the wrap"
        voice = rows[len(fisher) + 1 :]
        assert voice == ["    ╏ The Keeper  voiceover", "    ╏ First.", "    ╏", "    ╏ Second."], voice
