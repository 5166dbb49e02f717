"""Issue 19, the key press: a choice costs one layout of the new scene, whether or not it scrolls."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
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


ONE_CELL_CHARACTERS = "abcXYZ019 ,.;:'\"-“”‘’—…é\u00a0\n"


@settings(max_examples=400)  # pure and quick: a wider search than the suite's default
@example(text="the rosin dust", bold=(4, 9), width=9)  # a word that ends exactly at the row's end
@example(text="ab cd", bold=(0, 1), width=3)  # a row with room for its word's space: the space is cut
@example(text="rosin   \n  dust  settles ", bold=(0, 20), width=8)  # spaces past the end, a second line
@given(
    text=st.text(alphabet=ONE_CELL_CHARACTERS, max_size=160),
    bold=st.tuples(st.integers(0, 160), st.integers(0, 160)),
    width=st.integers(1, 50),
)
def test_the_quick_wrap_gives_textual_s_own_rows(text: str, bold: tuple[int, int], width: int) -> None:
    """line_layout.wrap finds the rows itself for one-cell text (issue 19): the rows, their words and
    their styles must be exactly those Textual's Content.wrap gives."""
    from textual.style import Style

    from game.tui.widgets.line_layout import wrap

    start, end = sorted(bold)
    content = Content(text).stylize(Style(bold=True), start, end)
    assert [(row.plain, row.spans) for row in wrap(content, width)] == [
        (row.plain, row.spans) for row in content.wrap(width)
    ]


def test_the_quick_wrap_leaves_wide_text_and_long_words_to_textual() -> None:
    from game.tui.widgets.line_layout import one_cell_breaks, wrap

    assert one_cell_breaks("the rosin dust settles", 10) == [10, 15]  # "the rosin", "dust", "settles"
    assert one_cell_breaks("a " + "x" * 12, 10) is None, "a word longer than a row is folded by Textual"
    wide = Content("舞台の上で 彼女は待つ")
    assert [row.plain for row in wrap(wide, 6)] == [row.plain for row in wide.wrap(6)]


@pytest.mark.parametrize(
    ("virtual", "window", "position"), [(40, 15, 0), (40, 15, 12.5), (40, 15, 25), (100, 7, 61), (15, 15, 0)]
)
def test_the_scrollbar_drawn_as_rows_is_textual_s_own(virtual: int, window: int, position: float) -> None:
    """StripScrollBarRender draws the same cells, colors and mouse actions as Textual's Rich bar (issue 19)."""
    from rich.console import Console
    from rich.segment import Segment
    from rich.style import Style as RichStyle
    from textual.style import Style

    from game.tui.widgets.scroll_bar import StripScrollBarRender

    height = 15
    colors = RichStyle.parse("#ff8800 on #202040")
    bar = StripScrollBarRender(virtual_size=virtual, window_size=window, position=position, style=colors)
    console = Console(width=1, height=height, color_system="truecolor")
    textual_rows = console.render_lines(bar, console.options.update(width=1, height=height), pad=False)
    rows = bar.render_strips(1, height, Style(), None)  # type: ignore[arg-type]  # options: not read
    assert len(rows) == len(textual_rows) == height
    for row, textual_row in zip(rows, textual_rows, strict=True):
        assert [(s.text, s.style) for s in row] == [(s.text, s.style) for s in Segment.simplify(textual_row)]
