"""A scene's lines on screen: narration, the voiceover, and characters speaking.

The speaker's name is always written; their color is only an addition, nudged
until it reads on the current theme, and drawn as a bar down the side of what
they say. The typewriter reveals one line at a time by moving `revealed`
forward; the part not yet revealed is drawn in the background color, so words
never jump between rows while they are typed.

The whole scene is one widget; its rows come from line_layout, as the history's do. A widget per line
was simpler, but each one cost Textual a layout and a render on every key
press: a ten-line scene took twice as long to appear as a two-line one (issue
7's key-to-scene latency).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.color import Color
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip

from game.lines import ShownLine
from game.story.model import Story
from game.tui.widgets.follows_theme import FollowsTheme
from game.tui.widgets.line_layout import LineLayout, row_strip

__all__ = ["SceneText", "ShownLine"]


class SceneText(FollowsTheme):
    """Every line of the current scene, told in full or one by one."""

    DEFAULT_CSS = """
    SceneText { height: auto; width: 1fr; }
    """

    def __init__(self, story: Story) -> None:
        super().__init__()
        self.story = story
        self.lines: list[ShownLine] = []
        self.told = 0  # lines shown so far, the last of them perhaps only in part
        self.revealed = 0  # characters shown of the last line told
        self._layout: LineLayout | None = None
        self._rendered: tuple[int, list[Content]] | None = None  # (width, rows): every change clears it

    def show(self, lines: Sequence[ShownLine], *, revealed: bool = True) -> None:
        """Show a new scene's lines: all of them, or (for the typewriter) the first, from its start."""
        self.lines = list(lines)
        if revealed:
            self.reveal_all()
        else:
            self.told, self.revealed = min(1, len(self.lines)), 0
            self._changed()

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
        self.told = len(self.lines)
        self.revealed = len(self.lines[-1].text) if self.lines else 0
        self._changed()

    def _changed(self) -> None:
        self._rendered = None
        self.refresh(layout=True)

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

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows(width))

    def render_line(self, y: int) -> Strip:
        """Row `y` of the scene: drawn from the rows laid out above, so Textual wraps nothing
        again and draws only the rows in view (the line API)."""
        width = self.content_size.width
        return row_strip(self.rows(width), y, width, self.visual_style)

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
