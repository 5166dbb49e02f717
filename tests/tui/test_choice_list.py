"""The choice list draws its own rows (issue 19): its keys, highlight, hover and wrapping must be
those of the Textual OptionList it replaced."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.strip import Strip

from game.story.model import Choice, Story
from game.tui.app import ArcherApp
from game.tui.widgets.choice_list import HIGHLIGHTED, HOVER, OPTION, ChoiceList

from steps import start


class OneList(App[None]):
    """A ChoiceList alone, as the play screen styles it, recording what it sends."""

    CSS = """
    ChoiceList { border: round $primary; padding: 0 1; }
    ChoiceList > .option-list--option-highlighted { background: red; }
    ChoiceList > .option-list--option-hover { background: blue; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[int] = []

    def compose(self) -> ComposeResult:
        yield ChoiceList()

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        self.chosen.append(event.index)


def some_choices(story: Story, count: int) -> Sequence[Choice]:
    choices = story.scenes["shore"].choices
    return [choices[index % len(choices)] for index in range(count)]


def row_style(choices: ChoiceList, y: int) -> str:
    """The background a row of the list is drawn with."""
    strip: Strip = choices.render_line(y)
    style = next(segment.style for segment in strip if segment.text.strip())
    assert style is not None and style.bgcolor is not None
    return style.bgcolor.name


async def test_the_arrows_go_round_the_list_home_and_end_jump_and_enter_chooses(lighthouse: Story) -> None:
    app = OneList()
    async with app.run_test(size=(60, 20)) as pilot:
        choices = app.query_one(ChoiceList)
        choices.set_choices(some_choices(lighthouse, 4))
        choices.focus()
        await pilot.pause()
        assert choices.highlighted == 0
        await pilot.press("up")
        assert choices.highlighted == 3, "up from the first goes round to the last"
        await pilot.press("down")
        assert choices.highlighted == 0, "down from the last goes round to the first"
        await pilot.press("end")
        assert choices.highlighted == 3
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert app.chosen == [1]


async def test_the_highlight_and_the_mouse_over_a_choice_take_their_styles(lighthouse: Story) -> None:
    app = OneList()
    async with app.run_test(size=(60, 20)) as pilot:
        choices = app.query_one(ChoiceList)
        choices.set_choices(some_choices(lighthouse, 3))
        await pilot.pause()
        plain = row_style(choices, 2)
        assert row_style(choices, 0) != plain, "the highlighted choice stands out"
        assert row_style(choices, 0) == choices.get_visual_style(OPTION, HIGHLIGHTED).rich_style.bgcolor.name  # type: ignore[union-attr]
        await pilot.hover(ChoiceList, offset=(3, 2))  # inside the border, on the second choice
        await pilot.pause()
        assert row_style(choices, 1) == choices.get_visual_style(OPTION, HOVER).rich_style.bgcolor.name  # type: ignore[union-attr]
        assert row_style(choices, 1) not in (plain, row_style(choices, 0))
        await pilot.click(ChoiceList, offset=(3, 3))  # the third choice
        await pilot.pause()
        assert choices.highlighted == 2 and app.chosen == [2]


async def test_page_down_moves_the_highlight_a_box_down(long_shore: Story) -> None:
    app = ArcherApp(long_shore)
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert choices.option_count == 8 and choices.max_scroll_y > 0
        choices.action_page_down()
        await pilot.pause()
        assert choices.highlighted == min(7, choices.scrollable_content_region.height)
        choices.action_page_up()
        await pilot.pause()
        assert choices.highlighted == 0


async def test_a_long_choice_wraps_under_itself_and_every_row_belongs_to_it(lighthouse: Story) -> None:
    app = OneList()
    async with app.run_test(size=(30, 20)) as pilot:
        choices = app.query_one(ChoiceList)
        choices.set_choices(some_choices(lighthouse, 2))
        await pilot.pause()
        width = choices.scrollable_content_region.width
        rows = choices.rows(width)
        assert [row.plain for _, _, row in rows] == [
            row.plain for prompt in choices.prompts for row in Content(prompt.plain).wrap(width)
        ]
        assert choices.region.height == len(rows) + 2, "the box is as tall as the rows and its border"


@pytest.fixture
def wrapped(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every choice the list wraps, from here on."""
    seen: list[str] = []
    from game.tui.widgets.line_layout import wrap as original

    def counted(content: Content, width: int) -> list[Content]:
        seen.append(content.plain)
        return original(content, width)

    monkeypatch.setattr("game.tui.widgets.choice_list.wrap", counted)
    return seen


async def test_a_choice_is_wrapped_once_a_scene(lighthouse: Story, wrapped: list[str]) -> None:
    """OptionList wrapped every option three times a key press (to size the box, to count its lines,
    to draw them): the choices are laid out once for the scene and its width."""
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        wrapped.clear()
        await pilot.press("2")
        await pilot.pause()
        assert app.playthrough is not None
        offered = [f"{number}  {choice.text}" for number, choice in enumerate(app.playthrough.view.choices, 1)]
        assert sorted(wrapped) == sorted(offered), f"wrapped {wrapped}"


async def test_the_choice_numbers_follow_the_theme(lighthouse: Story) -> None:
    """The numbers' accent color is worked out once a theme, not at each draw: a change of theme
    must still recolor them."""
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        choices = app.screen.query_one(ChoiceList)
        before = choices.prompts[0].spans[0].style
        app.theme = "archer-day"
        await pilot.pause()
        after = choices.prompts[0].spans[0].style
        assert after != before
        assert after == app.stylesheet.parse_style("bold $accent")
