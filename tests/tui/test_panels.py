"""The panels opened over play: history, casebook, suspects, settings, help, endings found, the palette."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList, RadioButton, RadioSet, Select, Switch

from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.commands import ArcherCommands
from game.tui.screens.casebook import CasebookScreen
from game.tui.screens.chapter import ChapterCard
from game.tui.screens.endings import EndingsScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.settings import SettingsScreen
from game.tui.screens.suspects import SuspectsScreen
from game.tui.screens.title import TitleCard, TitleScreen
from game.tui.widgets.marked_radio import MarkedRadioButton
from game.tui.widgets.transcript_view import TranscriptView

from screen_text import all_text


async def play(pilot: Pilot[int], *keys: str) -> None:
    """New game, past the card, then these keys."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def test_history_holds_every_line_shown_with_chapters_scenes_and_choices(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await play(pilot, "2", "2", "h")  # the jetty, then back to the shore
        assert isinstance(pilot.app.screen, HistoryScreen)
        shown = all_text(pilot.app.screen)
        for expected in [
            "Part One: The Search",
            "The shore · Gull Island",
            "Wet shingle, a dark tower, and a jetty where a woman mends nets.",
            "The Keeper (voiceover): I always left the lamp burning. Always.",
            "You chose: Walk down to the jetty",
            "Agnes the fisher: You're not from here.",
            "You: I'm looking for the keeper.",
            "You chose: Leave her to her nets",
        ]:
            assert expected in shown
        assert shown.count("I always left the lamp burning. Always.") == 2, "the shore was shown twice"
        rows = [row.strip() for row in pilot.app.screen.query_one(TranscriptView).rows]
        assert "█ Agnes the fisher  You're not from here." in rows, "drawn with the name written beside the bar"
        assert "╏ The Keeper  voiceover" in rows and "╏ I always left the lamp burning. Always." in rows
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)


async def test_the_casebook_starts_empty_then_lists_each_clue_with_where_it_was_found(
    lighthouse_app: ArcherApp,
) -> None:
    async with lighthouse_app.run_test() as pilot:
        await play(pilot, "c")
        assert isinstance(pilot.app.screen, CasebookScreen)
        assert "Your casebook is empty" in all_text(pilot.app.screen)
        assert "0 clues of 2" in all_text(pilot.app.screen)
        await pilot.press("c")  # the same key closes it
        await pilot.pause()
        await pilot.press("1", "1", "c")  # climb the lighthouse, read the ledger
        await pilot.pause()
        shown = all_text(pilot.app.screen)
        assert "The keeper's ledger" in shown
        assert 'The last entry reads "A. owes me for the boat. Tonight."' in shown
        assert "Found: The lamp room, Top of the lighthouse" in shown
        assert "Bears on: Agnes the fisher (motive)" in shown
        assert "1 clue of 2" in shown
        assert "Your casebook is empty" not in shown


async def test_the_suspects_board_fills_in_as_clues_are_found(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await play(pilot, "s")
        assert isinstance(pilot.app.screen, SuspectsScreen)
        shown = all_text(pilot.app.screen)
        assert "Agnes the fisher" in shown and "Mends nets on the jetty" in shown
        assert "not yet met" in shown
        assert "? Unknown:   motive, means, opportunity, alibi" in shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("2", "1", "1", "1", "1", "s")  # jetty, the mooring, leave, lighthouse, ledger
        await pilot.pause()
        shown = all_text(pilot.app.screen)
        assert "Motive      ✓ The keeper's ledger" in shown
        assert "Means       ✓ A cut mooring rope" in shown
        assert "? Unknown:   opportunity, alibi" in shown
        assert "2 of 3 known" in shown and "1 of 1 met" in shown
        await pilot.press("c")  # over to the casebook, without stacking panels
        await pilot.pause()
        assert isinstance(pilot.app.screen, CasebookScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)


async def test_help_lists_the_keys_and_how_to_play(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen), "help opens from the title too"
        await pilot.press("escape")
        await play(pilot, "question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        shown = all_text(pilot.app.screen)
        assert "How to play" in shown
        play_screen = pilot.app.screen_stack[-2]
        bound = {  # what the keys really do on the play screen
            key: binding.action
            for binding in [*play_screen.BINDINGS, *pilot.app.BINDINGS]
            if isinstance(binding, Binding)
            for key in binding.key.split(",")
        } | {pilot.app.COMMAND_PALETTE_BINDING: "command_palette"}
        for key, action, does in [
            ("1", "choose(1)", "take that choice"),
            ("h", "app.history", "history"),
            ("c", "app.casebook", "casebook"),
            ("s", "app.suspects", "suspects"),
            ("u", "undo", "undo"),
            ("ctrl+p", "command_palette", "every command"),
            ("q", "app.request_quit", "quit"),
        ]:
            assert bound.get(key) == action, (key, bound.get(key))
            assert any(line.strip().startswith(key) and does in line for line in shown.splitlines()), key
        assert "archer --plain" in shown


async def test_settings_change_at_once_and_are_kept_for_the_next_session(lighthouse: Story, config_dir: Path) -> None:
    app = ArcherApp(lighthouse)
    async with app.run_test() as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SettingsScreen)
        shown = all_text(screen)
        assert "Typewriter" in shown and "Text speed" in shown and "Theme" in shown
        assert "On: text is typed out" in shown
        await pilot.press("space")  # the typewriter switch has focus
        await pilot.pause()
        assert not screen.query_one(Switch).value and not app.settings.typewriter
        assert "Off: text appears at once" in all_text(screen)
        screen.query_one(RadioSet).query_one("RadioButton:last-of-type", RadioButton).value = True
        screen.query_one(Select).value = "archer-day"
        await pilot.pause()
        assert app.theme == "archer-day"
        assert app.settings.text_speed == "fast"
        marks = {b.name: "●" in str(b.render()) for b in screen.query_one("#text-speed").query(MarkedRadioButton)}
        assert marks == {"slow": False, "normal": False, "fast": True}, "the chosen speed is marked, not only colored"
        await app.workers.wait_for_complete()
    saved = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved == {
        "version": 1,
        "theme": "archer-day",
        "text_speed": "fast",
        "typewriter": False,
        "autosave_every": 5,
    }
    assert not [p for p in config_dir.iterdir() if p.name != "settings.json"], "no temporary file is left behind"
    again = ArcherApp(lighthouse)
    assert (again.theme, again.settings.text_speed, again.settings.typewriter) == ("archer-day", "fast", False)


def noting(app: ArcherApp) -> ArcherApp:
    """The app, keeping every message it notifies (through Textual's public `notify`) for `notices`."""
    shown: list[str] = []
    real = app.notify

    def notify(message: str, **options: Any) -> None:
        shown.append(message)
        real(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    app.shown_notices = shown  # type: ignore[attr-defined]
    return app


def notices(app: ArcherApp) -> list[str]:
    shown: list[str] = app.shown_notices  # type: ignore[attr-defined]
    return shown


async def test_a_broken_settings_file_falls_back_to_defaults_and_says_so_once(
    lighthouse: Story, config_dir: Path
) -> None:
    config_dir.mkdir()
    (config_dir / "settings.json").write_text("{ this is not json", encoding="utf-8")
    app = noting(ArcherApp(lighthouse))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, TitleScreen)
        assert app.theme == "archer-night" and app.settings.typewriter
        messages = notices(app)
        assert len(messages) == 1 and "could not be read" in messages[0]


async def test_an_unknown_theme_in_the_settings_falls_back_to_the_default(lighthouse: Story, config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "settings.json").write_text('{"theme": "no-such-theme", "text_speed": 3}', encoding="utf-8")
    app = noting(ArcherApp(lighthouse))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "archer-night"
        assert app.settings.text_speed == "normal"
        assert len(notices(app)) == 1


async def test_the_built_in_themes_are_offered_beside_archers_own(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await pilot.press("o")
        await pilot.pause()
        menu = pilot.app.screen.query_one(Select).query_one(OptionList)  # the labels are the themes' names
        options = [str(option.prompt) for option in menu.options]
        assert options[:2] == ["archer-day", "archer-night"]
        assert "textual-dark" in options and "textual-light" in options


async def test_endings_found_lists_the_reached_ones_and_hides_the_rest(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await play(pilot, "3", "enter", "e")  # take the ferry home: an ending; back to the title; endings
        assert isinstance(pilot.app.screen, EndingsScreen)
        shown = all_text(pilot.app.screen)
        assert "The lamp stays dark" in shown and "1 of 2" in shown
        assert "not found yet" in shown
        assert "The keeper comes home" not in shown, "an ending not reached stays a secret"


async def test_the_command_palette_finds_the_games_commands(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await play(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"casebook")
        palette = pilot.app.screen
        assert isinstance(palette, CommandPalette)
        for _ in range(100):  # the palette searches in the background: wait for its first hit
            if palette.query_one(OptionList).option_count:
                break
            await pilot.pause()
        assert "Casebook" in str(palette.query_one(OptionList).get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CasebookScreen)


async def test_a_new_game_shows_the_first_chapter_card(lighthouse_app: ArcherApp) -> None:
    async with lighthouse_app.run_test() as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ChapterCard)
        assert "Part One: The Search" in all_text(pilot.app.screen)
        assert "The lamp has been dark for two nights." in all_text(pilot.app.screen)


async def test_the_palette_offers_only_what_makes_sense_where_you_are(lighthouse_app: ArcherApp) -> None:
    def names(app: ArcherApp) -> list[str]:
        return [name for name, _, _ in ArcherCommands(app.screen).commands()]

    async with lighthouse_app.run_test() as pilot:
        on_title = names(lighthouse_app)
        assert "New game" in on_title and "Settings" in on_title and "Endings found" in on_title
        assert not {"Undo", "Casebook", "Continue", "Back to the title"} & set(on_title)
        await play(pilot, "2")
        in_play = names(lighthouse_app)
        assert {"Undo", "History", "Casebook", "Suspects", "Back to the title", "Save game"} <= set(in_play)
        assert "Typewriter off" in in_play and "Text speed: fast" in in_play and "Text speed: normal" not in in_play
        await pilot.press("escape")
        await pilot.pause()
        assert "Continue" in names(lighthouse_app)


async def test_the_title_card_sheds_its_ornaments_on_a_short_terminal_and_keeps_the_words(lighthouse: Story) -> None:
    for rows, ornamented in ((30, True), (20, False)):
        app = ArcherApp(lighthouse)
        async with app.run_test(size=(80, rows)) as pilot:
            await pilot.pause()
            card = pilot.app.screen.query_one(TitleCard)
            drawn = str(card.render())
            assert ("✦" in drawn) is ornamented, rows
            assert lighthouse.subtitle in drawn and "LIGHTHOUSE" in drawn
            assert card.region.height == len(drawn.splitlines()), "the card takes the rows it draws"
