"""A scene's lines on screen: narration, the voiceover, and characters speaking.

The speaker's name is always written; their color is only an addition, nudged
until it reads on the current theme, and drawn as a bar down the side of what
they say. The typewriter reveals one line at a time by moving `revealed`
forward; the part not yet revealed is drawn in the background color, so words
never jump between rows while they are typed.

The whole scene is one widget; its rows come from line_layout, as the history's do. A widget per line
was simpler, but each one cost Textual a layout and a render on every key
press: a ten-line scene took twice as long to appear as a two-line one (issue
7's key-to-scene latency). For the same reason it scrolls itself (a line-API
ScrollView) rather than sitting in a scrolling container: a container is one
more widget to lay out and to paint on every key press (issue 19). Its
scrollbar's column is always kept (a stable gutter), so a scene long enough to
scroll is wrapped to the same width as a short one, in one layout pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from game.lines import ShownLine
from game.story.model import Story
from game.tui.widgets.follows_theme import FollowsTheme
from game.tui.widgets.line_layout import LineLayout, row_segments, row_strip
from game.tui.widgets.scroll_bar import draw_scrollbar_by_rows

__all__ = ["SceneText", "ShownLine"]


READING_COLUMN = 96  # cells at most: long lines are hard to follow on a wide terminal


class SceneText(FollowsTheme, ScrollView):
    """Every line of the current scene, told in full or one by one; scrolled by the keyboard."""

    DEFAULT_CSS = """
    SceneText { height: 1fr; width: 100%; overflow-x: hidden; overflow-y: auto; scrollbar-gutter: stable; }
    """

    def __init__(self, story: Story, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.story = story
        self.lines: list[ShownLine] = []
        self.told = 0  # lines shown so far, the last of them perhaps only in part
        self.revealed = 0  # characters shown of the last line told
        self._layout: LineLayout | None = None
        self._rendered: tuple[int, list[Content]] | None = None  # (width, rows): every change clears it
        self.following_end = False  # kept on the last line while the box below takes its room (follow_end)
        self._version = 0  # counts the changes to what is shown: the drawn rows below belong to one
        self._drawn: tuple[tuple[object, ...], dict[int, Strip]] = ((), {})  # (what they show, rows by y)

    def on_mount(self) -> None:
        draw_scrollbar_by_rows(self)

    def show(self, lines: Sequence[ShownLine], *, revealed: bool = True) -> None:
        """Show a new scene's lines: all of them, or (for the typewriter) the first, from its start."""
        self.lines = list(lines)
        if revealed:
            self.told, self.revealed = self._in_full()
        else:
            self.told, self.revealed = min(1, len(self.lines)), 0
        self.following_end = False
        self._changed()

    def follow_end(self) -> None:
        """Show the last line, and keep it in view while this widget's size settles (the choices
        below it take their room a frame or more later on a slow machine), until the scene or the
        player's scrolling moves the view elsewhere."""
        self.following_end = True
        self.scroll_end(animate=False, immediate=True)

    @property
    def current(self) -> ShownLine | None:
        """The line being told (the last shown), if any."""
        return self.lines[self.told - 1] if self.told else None

    @property
    def complete(self) -> bool:
        """Every line told in full."""
        return self.told == len(self.lines) and (self.current is None or self.revealed >= len(self.current.text))

    def reveal(self, characters: int) -> bool:
        """Show `characters` more of the line being told; whether that line is now told in full."""
        line = self.current
        if line is None:
            return True
        self.revealed = min(len(line.text), self.revealed + characters)
        self._changed()
        return self.revealed >= len(line.text)

    def next_line(self) -> bool:
        """Begin telling the next line; False when there is none."""
        if self.told >= len(self.lines):
            return False
        self.told += 1
        self.revealed = 0
        self._changed()
        return True

    def reveal_all(self) -> None:
        in_full = self._in_full()
        if (self.told, self.revealed) != in_full:  # told in full already: nothing to lay out again
            self.told, self.revealed = in_full
            self._changed()

    def _in_full(self) -> tuple[int, int]:
        """(told, revealed) once every line is shown whole."""
        return len(self.lines), len(self.lines[-1].text) if self.lines else 0

    def _changed(self) -> None:
        self._rendered = None
        self._version += 1
        self._fit()
        self.refresh()

    def _fit(self) -> None:
        """Tell the scrolling how many rows the scene takes at the width the widget has."""
        width = self.scrollable_content_region.width
        if width:
            self.virtual_size = Size(width, len(self.rows(self.column(width))))

    def on_resize(self) -> None:
        self._fit()
        if self.following_end:
            self.scroll_end(animate=False, immediate=True)

    # -- drawing ----------------------------------------------------------------
    def apply_theme(self) -> None:
        self._layout = None
        self._changed()

    def _background(self) -> Color:
        return self.background_colors[1]

    @property
    def line_layout(self) -> LineLayout:
        """The shared line layout, on this widget's background (made again when the theme changes)."""
        if self._layout is None:
            self._layout = LineLayout(self.story, self._background())
        return self._layout

    @staticmethod
    def column(width: int) -> int:
        """The width the text is wrapped to, in a widget `width` cells wide."""
        return min(width, READING_COLUMN)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows in `crop`, padding and background included, drawn here as Textual's styles cache
        draws a line-API widget's rows, without its border, outline, tint and opacity code (this widget
        has none of those) and without building each row three times over: this widget's rows are most
        of a scene change (issue 19). A row drawn is kept until the scene, the scroll, the size or the
        colors change, as every frame asks for every row."""
        styles = self.styles
        if styles.border or styles.outline or styles.tint.a or styles.text_opacity != 1 or self.opacity != 1:
            return super().render_lines(crop)  # a look this shortcut does not draw: Textual's own way
        base_background, background = self.background_colors
        filters = tuple(self.app.get_line_filters())
        size = self.region.size  # the whole widget, padding and all (`size` is its content's)
        key = (
            self._version,
            self.scroll_offset.y,
            self.virtual_size,
            size,
            styles.padding,
            base_background,
            background,
            filters,
        )
        if self._drawn[0] != key:
            self._drawn = (key, {})
        drawn = self._drawn[1]
        missing = [y for y in crop.line_range if y not in drawn]
        if missing:
            blank = Style(background=base_background + background).rich_style  # the padding's
            for y, strip in zip(missing, self._padded_rows(missing, size, blank), strict=True):
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                drawn[y] = strip
        strips = [drawn[y] for y in crop.line_range]
        if crop.column_span != (0, size.width):
            strips = [strip.crop(*crop.column_span) for strip in strips]
        return strips

    def _padded_rows(self, wanted: list[int], size: Size, blank: RichStyle) -> Iterator[Strip]:
        """Rows `wanted` of the widget, `size` wide: the text's rows with the padding round them, or
        padding rows. The cells beyond the text's column (the scrollbar's, under the bar) are blank, as
        Textual leaves them."""
        top, right, bottom, left = self.styles.padding
        width, height = size
        text_width = self.virtual_size.width  # the width the rows were fitted to (see _fit)
        column = self.column(text_width)
        margin = (text_width - column) // 2
        rows, base, scrolled = self.rows(column), self.visual_style, self.scroll_offset.y - top
        rest = width - left - text_width  # the scrollbar's column and the right padding
        empty: Strip | None = None  # a row past the text's end, made once: they are all alike
        for y in wanted:
            if not top <= y < height - bottom:
                yield Strip.blank(width, blank)
                continue
            if y + scrolled >= len(rows) and empty is not None:
                yield empty
                continue
            segments = [Segment(" " * left, blank)] if left else []
            segments += row_segments(rows, y + scrolled, text_width - margin, base, margin)
            fill = rest
            if rest < right:  # laid out for a wider widget, a frame before its resize fits it again: cut
                segments, fill = Segment.adjust_line_length(segments, width - right, blank), right
            if fill:
                segments.append(Segment(" " * fill, blank))
            strip = Strip(segments, width)
            if y + scrolled >= len(rows):
                empty = strip
            yield strip

    def render_line(self, y: int) -> Strip:
        """Row `y` of the view (the line API; render_lines draws the widget's rows without it): drawn
        from the rows laid out above, so Textual wraps nothing again; the column centred."""
        width = self.virtual_size.width  # the width the rows were fitted to (see _fit)
        column = self.column(width)
        base = self.visual_style
        margin = (width - column) // 2
        return row_strip(self.rows(column), y + self.scroll_offset.y, width - margin, base, margin)

    def rows(self, width: int) -> list[Content]:
        """The scene laid out in `width` cells, one Content a row (worked out once per change)."""
        if self._rendered is not None and self._rendered[0] == width:
            return self._rendered[1]
        told = self.lines[: self.told]
        rows = self.line_layout.rows(told, width, [self._revealed_of(index) for index in range(self.told)])
        self._rendered = (width, rows)
        return rows

    def written(self, index: int) -> str:
        """Line `index` as the player reads it (name and words, no bar), as far as it is told."""
        return self.line_layout.content(self.lines[index], self._revealed_of(index)).plain

    def _revealed_of(self, index: int) -> int:
        """Characters shown of line `index`: all of it, unless it is the line being told."""
        return self.revealed if index == self.told - 1 else len(self.lines[index].text)
