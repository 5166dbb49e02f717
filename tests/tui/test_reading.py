"""Issue 13, reading: every line reachable by keyboard, a cue for what is out of sight, and a clear
word when the window is too small. Each test here failed before the fix it names."""

from __future__ import annotations

import time

import pytest
from textual import events
from textual.containers import VerticalScroll
from textual.pilot import Pilot

from game.session.entries import Entry
from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.casebook import CasebookScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.suspects import SuspectsScreen
from game.tui.screens.title import TitleScreen
from game.tui.screens.too_small import TooSmallScreen
from game.tui.widgets.choice_list import MORE_TEXT, ChoiceList
from game.tui.widgets.footer import ArcherFooter
from game.tui.widgets.scene_text import SceneText
from game.tui.widgets.transcript_view import FIRST_FRAME_RUNS, TranscriptView

from steps import start


def story_view(app: ArcherApp) -> SceneText:
    assert isinstance(app.screen, PlayScreen)
    return app.screen.story_view


def backlog(app: ArcherApp) -> VerticalScroll:
    assert isinstance(app.screen, HistoryScreen)
    return app.screen.query_one("#panel-body", VerticalScroll)


def drawn(app: ArcherApp) -> str:
    """What the terminal shows, as its screenshot holds it."""
    return app.export_screenshot().replace("&#160;", " ")


async def wheel(app: ArcherApp, down: bool) -> None:
    x, y = app.size.width // 2, app.size.height // 2
    kind = events.MouseScrollDown if down else events.MouseScrollUp
    app.post_message(kind(None, x, y, 0, 1, 0, False, False, False, screen_x=x, screen_y=y))


# -- 1. history ------------------------------------------------------------------------------------
async def test_history_opens_at_the_newest_entry_and_scrolls_by_every_usual_key(long_shore: Story) -> None:
    app = ArcherApp(long_shore)
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        for _ in range(3):
            await pilot.press("4")  # wait for a wave: the long shore again
            await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        body = backlog(app)
        end = body.max_scroll_y
        assert end > 100, "four long scenes do not fit"
        assert body.scroll_y == end, "history opens at the newest entry"
        rows = app.screen.query_one(TranscriptView).rows
        assert "Line 30 of 30" in rows[-3], "and the last row drawn is the last line shown"
        moves = [("k", -1), ("up", -1), ("pageup", None), ("j", 1), ("down", 1), ("home", 0), ("pagedown", None)]
        moves += [("G", end), ("g", 0), ("end", end)]
        for key, expected in moves:
            before = body.scroll_y
            await pilot.press(key)
            await pilot.pause()
            if expected is None:
                assert body.scroll_y != before, key
            elif expected in (-1, 1):
                assert body.scroll_y == before + expected, key
            else:
                assert body.scroll_y == expected, key
        await wheel(app, down=False)
        await pilot.pause()
        assert body.scroll_y < end, "the mouse wheel scrolls it too"


async def laid_out_in_full(pilot: Pilot[int], view: TranscriptView) -> None:
    """Frames until the view has laid out every entry (a deadline, not a speed: a loaded machine is slow)."""
    deadline = time.monotonic() + 60
    while not view.complete and time.monotonic() < deadline:
        await pilot.pause(0.02)


async def test_history_draws_a_long_run_in_one_frame(lighthouse: Story) -> None:
    entries = []
    for n in range(400):  # four hundred scenes: a heading, three lines, the choice taken
        entries.append(Entry("scene", f"Scene {n}", detail="The shore"))
        lines = (f"Entry {3 * n + k}: the tide again, and the lamp still dark." for k in range(3))
        entries.extend(Entry("line", line, speaker="narrator") for line in lines)
        entries.append(Entry("choice", "Wait"))
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(60, 20)) as pilot:
        app.push_screen(HistoryScreen(entries, lighthouse))
        deadline = time.monotonic() + 10  # the screen comes up in a frame or two; a loaded machine is slow
        while "Entry 1199:" not in drawn(app) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert "Entry 1199:" in drawn(app), "the history opens at the newest line (its first frame: below)"
        view = app.screen.query_one(TranscriptView)
        await laid_out_in_full(pilot, view)
        assert view.complete, "the earlier entries were laid out in the frames after"
        body = backlog(app)
        assert body.scroll_y == body.max_scroll_y, "and the view stayed at the newest entry"
        width = 30  # a width not laid out yet
        first_frame = view.laid_out(width)  # as a new width is first drawn: only the newest runs
        assert not view.complete and 0 < len(first_frame) < 10 * FIRST_FRAME_RUNS
        assert any(row.plain.strip().startswith("Entry 1199:") for row in first_frame)
        await laid_out_in_full(pilot, view)
        assert view.complete


# -- 2. scene text -----------------------------------------------------------------------------------
async def test_the_scene_scrolls_by_page_keys_while_the_choices_keep_the_arrows(long_shore: Story) -> None:
    app = ArcherApp(long_shore)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        story = story_view(app)
        choices = app.screen.query_one(ChoiceList)
        assert story.max_scroll_y > 0 and story.scroll_y == 0
        assert choices.border_title == MORE_TEXT, "a cue says there is more text below"
        await pilot.press("pagedown")
        await pilot.pause()
        assert story.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert story.scroll_y == story.max_scroll_y
        assert not choices.border_title, "no cue once the last line is in view"
        await pilot.press("pageup")
        await pilot.pause()
        assert 0 < story.scroll_y < story.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert story.scroll_y == 0
        await pilot.press("down")
        await pilot.pause()
        assert choices.highlighted == 1, "the arrows still move in the choices"
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        rows = screen.scene_text.rows(screen.scene_text.content_size.width)
        assert "Line 30 of 30" in "".join(row.plain for row in rows), "the long shore's last line (conftest)"


@pytest.fixture
def fast_typewriter(monkeypatch: pytest.MonkeyPatch) -> None:
    """The typewriter types at once and does not pause between lines."""
    monkeypatch.setattr("game.tui.screens.play.PAUSE_BETWEEN_LINES", 0)
    monkeypatch.setitem(__import__("game.tui.settings").tui.settings.TEXT_SPEEDS, "normal", 100_000)


async def typed_out(app: ArcherApp, pilot: Pilot[int]) -> SceneText:
    """Start a new game with the typewriter on and wait until it has told the first scene."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    for _ in range(200):
        await pilot.pause(0.05)
        if isinstance(app.screen, PlayScreen) and not app.screen.revealing:
            break
    return story_view(app)


@pytest.mark.usefixtures("fast_typewriter")
async def test_after_the_typewriter_the_view_ends_on_the_last_line(long_shore: Story) -> None:
    app = ArcherApp(long_shore)
    app.animation_level = "basic"  # the typewriter types (the tests turn animations off otherwise)
    async with app.run_test(size=(80, 24)) as pilot:
        story = await typed_out(app, pilot)
        deadline = time.monotonic() + 10  # the scroll comes a frame after the reveal; a loaded machine is slow
        while story.scroll_y != story.max_scroll_y and time.monotonic() < deadline:
            await pilot.pause(0.02)
        assert app.screen.query_one(ChoiceList).display
        assert story.max_scroll_y > 0 and story.scroll_y == story.max_scroll_y, "the last line is in view"


@pytest.mark.usefixtures("fast_typewriter")
async def test_after_the_typewriter_the_last_line_stays_in_view_while_the_view_shrinks(long_shore: Story) -> None:
    """The choices take their room a frame or more after the reveal on a slow machine: the view
    shrinking after the scroll to the end must not leave the last lines below it."""
    app = ArcherApp(long_shore)
    app.animation_level = "basic"
    async with app.run_test(size=(80, 30)) as pilot:
        story = await typed_out(app, pilot)
        await pilot.pause()
        assert story.max_scroll_y > 0 and story.scroll_y == story.max_scroll_y
        await pilot.resize_terminal(80, 24)  # the view loses rows after it was scrolled to its end
        await pilot.pause()
        await pilot.pause()
        assert story.scroll_y == story.max_scroll_y, "the last line is still in view"
        await pilot.press("home")  # the player's own scrolling wins over following the end
        await pilot.resize_terminal(80, 22)
        await pilot.pause()
        assert story.scroll_y == 0


# -- 3. the eight-choice hub ------------------------------------------------------------------------
async def test_at_60_by_20_every_choice_can_be_reached_and_a_cue_says_some_are_hidden(long_shore: Story) -> None:
    app = ArcherApp(long_shore)
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert choices.option_count == 8
        assert choices.border_subtitle and "▼ more choices" in str(choices.border_subtitle)
        for _ in range(7):
            await pilot.press("down")
        await pilot.pause()
        assert choices.highlighted == 7
        assert choices.scroll_y == choices.max_scroll_y, "the eighth choice scrolled into the box"
        assert "▲ more choices" in str(choices.border_subtitle)


# -- 4. too small ---------------------------------------------------------------------------------
async def test_a_window_too_small_says_so_and_every_screen_comes_back_when_it_grows(lighthouse: Story) -> None:
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "The window is too small (needs 60×20)" in drawn(app)
        await pilot.press("n", "f1")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen), "keys wait while the window is too small"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.screen.query_one("#menu").region.height > 0
        await start(pilot)
        await pilot.resize_terminal(59, 30)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


@pytest.mark.parametrize(("width", "height"), [(8, 20), (5, 20), (20, 5)])
async def test_a_tiny_window_breaks_nothing(lighthouse: Story, width: int, height: int) -> None:
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.resize_terminal(width, height)
        await pilot.pause()
        app.screen_stack[-2].query_one(ChoiceList).action_page_down()  # the list squeezed to nothing (issue 12.8)
        await pilot.press("pagedown", "down", "pageup")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_a_squeezed_window_settles_instead_of_laying_out_forever(
    lighthouse: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 5 columns a scrollbar on the play screen took columns, changed the layout and came back,
    a layout every frame: each key took 2 s and a core was busy while the game sat there."""
    resizes: list[events.Resize] = []
    on_resize = ArcherFooter.on_resize

    def counted(footer: ArcherFooter, event: events.Resize) -> None:
        resizes.append(event)
        on_resize(footer, event)

    monkeypatch.setattr(ArcherFooter, "on_resize", counted)
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.resize_terminal(5, 20)
        for _ in range(3):
            await pilot.pause()
        resizes.clear()
        await pilot.press("down")
        for _ in range(3):
            await pilot.pause()
        assert len(resizes) <= 1, f"the footer was resized {len(resizes)} times after one key"


# -- 5. panels ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (100, 32), (200, 60)])
async def test_panels_cover_the_choice_box(lighthouse: Story, size: tuple[int, int]) -> None:
    app = ArcherApp(lighthouse)
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        box = app.screen.query_one(ChoiceList).region
        for key, kind in (("c", CasebookScreen), ("s", SuspectsScreen), ("h", HistoryScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, kind)
            panel = app.screen.query_one("#panel").region
            assert panel.y <= box.y and panel.bottom >= box.bottom, (
                f"{kind.__name__} leaves the choice box half in view"
            )
            await pilot.press("escape")
            await pilot.pause()


async def test_the_suspects_board_uses_the_width_of_a_wide_window(long_shore: Story) -> None:
    app = ArcherApp(long_shore)
    async with app.run_test(size=(200, 50)) as pilot:
        await start(pilot)
        await pilot.press("s")
        await pilot.pause()
        cards = list(app.screen.query(".suspect"))
        assert cards, "the example story names a suspect"
        board = app.screen.query_one("#board")
        assert board.styles.grid_size_columns >= 3


async def test_a_choice_list_squeezed_to_nothing_pages_without_a_key_error(lighthouse: Story) -> None:
    from textual.app import App, ComposeResult

    class Squeezed(App[None]):
        CSS = "ChoiceList { height: 0; }"

        def compose(self) -> ComposeResult:
            yield ChoiceList()

    app = Squeezed()
    async with app.run_test(size=(20, 5)) as pilot:
        choices = app.query_one(ChoiceList)
        choices.set_choices(lighthouse.scenes["shore"].choices)
        await pilot.pause()
        choices.action_page_down()  # issue 12.8: KeyError: 0
        choices.action_page_up()
        await pilot.pause()
        assert choices.highlighted == 0


async def test_the_palette_open_when_the_window_shrinks_breaks_nothing(lighthouse: Story) -> None:
    """Found by the long monkey: ctrl+p over the too-small notice over an open palette raised DuplicateIds."""
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen | TitleScreen)
