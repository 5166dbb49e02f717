"""Issue 19: widgets that draw their rows themselves, past Textual's styles cache, must draw the cells
Textual's own path draws (the same characters, in the same colors and attributes, cell by cell)."""

from __future__ import annotations

from typing import Any

import pytest
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.play import PlayScreen
from game.tui.widgets.choice_list import HIGHLIGHTED, OPTION, ChoiceList
from game.tui.widgets.scene_header import SceneHeader

from steps import start


def cells(strips: list[Strip]) -> list[list[tuple[str, RichStyle | None]]]:
    """Each row as (character, style) a cell, however the row is cut into segments."""
    return [
        [(character, style) for text, style, _ in Segment.filter_control(strip) for character in text]
        for strip in strips
    ]


@pytest.mark.parametrize(("size", "scroll"), [((80, 24), False), ((130, 30), False), ((60, 20), True)])
async def test_the_scene_text_draws_what_textual_draws(long_shore: Story, size: tuple[int, int], scroll: bool) -> None:
    """Narration, names, bars and the voiceover; the padding, the column centred on a wide terminal,
    the scrollbar's column; scrolled part way."""
    app = ArcherApp(long_shore)
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.scene_text
        if scroll:
            await pilot.press("pagedown")
            await pilot.pause()
            assert text.scroll_y > 0
        whole = Region(0, 0, *text.outer_size)
        drawn = text.render_lines(whole)
        assert len(drawn) == text.outer_size.height
        assert cells(drawn) == cells(Widget.render_lines(text, whole))
        part = Region(3, 1, 20, 4)  # a piece of it, as the compositor asks when something covers the rest
        assert cells(text.render_lines(part)) == cells(Widget.render_lines(text, part))


async def test_rows_laid_out_for_a_wider_view_are_cut_as_textual_cuts_them(long_shore: Story) -> None:
    """A frame drawn before the text is fitted to a narrower view (a resize): cut to the view."""
    from textual.geometry import Size

    app = ArcherApp(long_shore)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen.scene_text
        text.virtual_size = Size(text.virtual_size.width + 7, text.virtual_size.height)
        text.refresh()
        whole = Region(0, 0, *text.outer_size)
        drawn = text.render_lines(whole)
        assert all(strip.cell_length == whole.width for strip in drawn)
        assert cells(drawn) == cells(Widget.render_lines(text, whole))


@pytest.mark.parametrize("pages", [0, 1, 9])
async def test_the_scene_text_s_scrollbar_draws_what_textual_draws(long_shore: Story, pages: int) -> None:
    """The bar at the top, part way and at the end; then hovered, in its hover colors."""
    app = ArcherApp(long_shore)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        for _ in range(pages):
            await pilot.press("pagedown")
        await pilot.pause()
        bar = screen.scene_text.vertical_scrollbar
        assert bar.display and bar.window_size < bar.window_virtual_size, "the scene should scroll"
        whole = Region(0, 0, *bar.outer_size)
        before = cells(bar.render_lines(whole))
        assert before == cells(Widget.render_lines(bar, whole))
        bar.mouse_over = True
        assert cells(bar.render_lines(whole)) == cells(Widget.render_lines(bar, whole)) != before


def textual_choice_row(choices: ChoiceList, y: int) -> Strip:
    """Row `y` of the choices as Textual itself marks a line of text: each piece's offset by
    Style.rich_style_with_offset, the choice over the whole row by Strip.apply_meta."""
    width = choices.scrollable_content_region.width
    index, x, row = choices.rows(width)[y + choices.scroll_offset.y]
    state = HIGHLIGHTED if index == choices.highlighted else None
    style = choices.get_visual_style(OPTION, state) if state else choices.get_visual_style(OPTION)
    segments = []
    for text, text_style in row.render(style, end=""):
        segments.append(Segment(text, (style + text_style).rich_style_with_offset(x, 0)))
        x += len(text)
    strip = Strip(segments, row.cell_length)
    return strip.extend_cell_length(width, style.rich_style).apply_meta({"option": index})


def cells_and_meta(strip: Strip) -> list[tuple[str, object, object]]:
    return [(character, style, style.meta if style else None) for character, style in cells([strip])[0]]


async def test_a_choice_s_row_carries_what_textual_s_own_line_would(long_shore: Story) -> None:
    """The same cells, and in each the choice it belongs to and its place in the choice's text (for
    clicks and for selecting with the mouse); highlighted and not."""
    app = ArcherApp(long_shore)
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        choices = screen.query_one(ChoiceList)
        width = choices.scrollable_content_region.width
        rows = choices.rows(width)
        for y in range(min(len(rows), choices.scrollable_content_region.height)):
            drawn = choices.render_line(y)
            assert drawn.cell_length == width
            assert cells_and_meta(drawn) == cells_and_meta(textual_choice_row(choices, y))
        assert choices.highlighted == 0 and len(rows) > 1


async def test_a_new_heading_draws_its_rows_again_but_not_its_rule(
    lighthouse: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scene change repaints the heading's title and place, and leaves the rule under them as drawn."""
    from textual._styles_cache import StylesCache

    drawn_rows: list[int] = []
    original = StylesCache.render_line

    def counted(self: StylesCache, styles: Any, y: int, *args: Any) -> Strip:
        if isinstance(styles.node, SceneHeader):
            drawn_rows.append(y)
        return original(self, styles, y, *args)

    app = ArcherApp(lighthouse)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        header = app.screen.query_one(SceneHeader)
        assert header.place, "the opening scene has a place: a row for it"
        monkeypatch.setattr(StylesCache, "render_line", counted)
        await pilot.press("2")
        await pilot.pause()
        assert header.scene_title == "The jetty" and header.place
        rows = [strip.text for strip in header.render_lines(Region(0, 0, *header.outer_size))]
        assert "The jetty" in rows[0] and header.place in rows[1]
        assert sorted(set(drawn_rows)) == [0, 1], "the title and the place, not the rule"
