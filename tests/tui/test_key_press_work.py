"""Issue 19, the key press: a choice costs one layout of the new scene, whether or not it scrolls."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from textual.content import Content

from game.lines import ShownLine
from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.play import PlayScreen
from game.tui.widgets.line_layout import LineLayout
from game.tui.widgets.scene_header import SceneHeader

from steps import start


@pytest.fixture
def wrap_widths(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The width of every scene laid out (wrapped) from here on."""
    widths: list[int] = []
    original = LineLayout.rows

    def counted(
        self: LineLayout, lines: Sequence[ShownLine], width: int, revealed: Sequence[int | None] = ()
    ) -> list[Content]:
        widths.append(width)
        return original(self, lines, width, revealed)

    monkeypatch.setattr(LineLayout, "rows", counted)
    return widths


async def test_a_choice_lays_out_the_new_scene_once(lighthouse: Story, wrap_widths: list[int]) -> None:
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        wrap_widths.clear()
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.query_one(SceneHeader).scene_title == "The jetty"
        assert len(wrap_widths) == 1, f"the new scene was wrapped {len(wrap_widths)} times"


async def test_a_scene_that_scrolls_is_wrapped_as_wide_as_one_that_does_not(
    lighthouse: Story, long_shore: Story, wrap_widths: list[int]
) -> None:
    """The scrollbar's column is always kept, so a scrollbar coming or going rewraps nothing."""
    for story, scrolls in ((lighthouse, False), (long_shore, True)):
        async with ArcherApp(story).run_test(size=(80, 24)) as pilot:
            await start(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, PlayScreen)
            assert (screen.story_view.max_scroll_y > 0) is scrolls
    assert len(set(wrap_widths)) == 1, f"wrapped at {sorted(set(wrap_widths))}"


def test_a_row_is_drawn_after_its_margin_and_padded_to_the_width() -> None:
    """row_strip builds each row in one piece (issue 19): the cells must still land where they did."""
    from textual.style import Style

    from game.tui.widgets.line_layout import row_strip

    rows = [Content("Ana  the rosin dust"), Content("x" * 12)]
    drawn = row_strip(rows, 0, 30, Style(), margin=3)
    assert drawn.cell_length == 33
    assert drawn.text == "   Ana  the rosin dust" + " " * 11
    assert row_strip(rows, 1, 8, Style(), margin=2).text == "  " + "x" * 8  # too wide: cut to the width
    assert row_strip(rows, 5, 10, Style(), margin=2).text == " " * 12  # past the end: blank
