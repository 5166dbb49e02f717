"""Issue 13 items 7 and 8, and its small things: the title keeps its place and asks before a new
game; the ending screen loads; words, plurals and the footer as a player reads them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer, OptionList
from textual.widgets._footer import FooterKey

from game.engine.engine import ChoiceError, Engine
from game.engine.run import Run
from game.lines import wrap_without_orphans
from game.saves import SaveStore, SlotInfo
from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.endings import EndingsScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen, describe
from game.tui.screens.title import TitleScreen

from steps import start

ROOT = Path(__file__).resolve().parents[2]


def highlighted(app: ArcherApp) -> str | None:
    menu = app.screen.query_one("#menu", OptionList)
    option = menu.highlighted_option
    return option.id if option is not None else None


async def test_back_from_endings_found_the_highlight_stays_and_a_new_game_asks(
    lighthouse: Story, tmp_path: Path
) -> None:
    store = SaveStore(tmp_path / "saves")
    engine = Engine(lighthouse)
    run = Run.new(engine)
    run.choose(2)
    store.save("earlier", lighthouse, run.state, 60.0)  # a run to continue, from an earlier session
    app = ArcherApp(lighthouse, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert highlighted(app) == "continue"
        while highlighted(app) != "endings":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndingsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert highlighted(app) == "endings", "the highlight is back on the item that was open"
        while highlighted(app) != "new":
            await pilot.press("up")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "a new game over a run in progress asks first"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.playthrough is None


async def test_f9_and_ctrl_l_work_on_an_ending_screen(lighthouse: Story, tmp_path: Path) -> None:
    lighthouse_app = ArcherApp(lighthouse, store=SaveStore(tmp_path / "saves"))
    async with lighthouse_app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("2", "f5")  # the jetty, quicksaved
        await pilot.pause()
        await pilot.press("2", "3")  # back to the shore, and the ferry home: an ending
        await pilot.pause()
        assert isinstance(pilot.app.screen, EndingScreen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SavesScreen)
        await pilot.press("escape", "f9")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayScreen)
        assert lighthouse_app.playthrough is not None and lighthouse_app.playthrough.state.scene == "jetty"


# -- small things -----------------------------------------------------------------------------------
def test_one_choice_is_not_a_range(lighthouse: Story) -> None:
    engine = Engine(lighthouse)
    run = Run.new(engine)
    run.choose(1)  # the lamp room
    run.choose(1)  # read the ledger: now only "Go back down" is offered
    assert len(engine.choices(run.state)) == 1
    try:
        run.choose(2)
    except ChoiceError as error:
        assert str(error) == "choose 1: it is the only choice"
    else:
        raise AssertionError("choice 2 of 1 was taken")


def test_a_slot_counts_its_clues_in_words() -> None:
    def slot(clues: int) -> str:
        return str(
            describe(SlotInfo(name="a", path=Path("a.json"), status="ok", beat="b", scene_title="T", clues=clues))
        )

    assert " 1 clue ·" in slot(1) and " 13 clues ·" in slot(13) and "(s)" not in slot(13)


async def test_the_load_dialog_and_its_footer_name_the_same_key(lighthouse: Story, tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves")
    run = Run.new(Engine(lighthouse))
    store.save("one", lighthouse, run.state, 1.0)
    app = ArcherApp(lighthouse, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_load_game()
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        hint = str(app.screen.query_one("#slots-hint").render())
        keys = [(key.key_display, key.description) for key in app.screen.query(FooterKey)]
        assert "d: delete" in hint and ("d", "Delete") in keys


async def test_the_footer_shows_whole_keys_and_the_palette_at_every_width(lighthouse: Story) -> None:
    for width in (60, 80, 200):
        app = ArcherApp(lighthouse)
        async with app.run_test(size=(width, 24)) as pilot:
            await start(pilot)
            footer = app.screen.query_one(Footer)
            keys = list(footer.query(FooterKey))
            assert any(key.key_display == "^p" for key in keys), f"no palette key at {width}"
            for key in keys:
                assert key.region.right <= width, f"{key.key_display} {key.description} is cut at {width}"
                text = str(key.render()).strip()
                assert key.description in text and key.region.width >= len(text)
            palette = next(key for key in keys if key.key_display == "^p")
            assert all(key.region.right <= palette.region.x for key in keys if key is not palette), width


def test_an_ending_leaves_no_scrap_of_a_name_on_a_line(lighthouse: Story) -> None:
    from game.story.loader import load_story

    text = load_story(ROOT / "story").endings["truth_proven"].text
    for width in range(30, 73):
        lines = wrap_without_orphans(text, width)
        assert len(lines[-1]) > 3 and not any(line.startswith("C.") for line in lines), width
        assert max(map(len, lines)) <= width


async def test_a_chapter_card_never_ends_on_a_lone_word(lighthouse: Story) -> None:
    from textual.geometry import Region
    from textual.widgets import Static

    from game.story.loader import load_story
    from game.tui.screens.chapter import ChapterCard

    season = load_story(ROOT / "story")
    beat = season.beats[season.initial_beat]
    app = ArcherApp(season)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChapterCard(beat))
        await pilot.pause()
        card = app.screen.query_one("#card-text", Static)
        drawn = [strip.text.strip() for strip in card.render_lines(Region(0, 0, *card.size))]
        lines = [line for line in drawn if line]
        assert " ".join(lines) == beat.card and len(lines) > 1
        assert len(lines[-1]) >= 12, lines
