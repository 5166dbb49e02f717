"""Issue 19: widgets that draw their rows themselves, past Textual's styles cache, must draw the cells
Textual's own path draws (the same characters, in the same colors and attributes, cell by cell)."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.play import PlayScreen

from steps import start


def cells(strips: list[Strip]) -> list[list[tuple[str, object]]]:
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
