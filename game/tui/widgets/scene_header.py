"""The scene's title and place, with the chapter it belongs to: where you are, always in view.

One widget that draws its own rows, rather than a row of labels: each widget
costs Textual a layout and a render on every key press (issue 7's latency). It
draws them by the line API, its styles resolved once a theme, so a key press
parses no style and builds no Visual for it (issue 19).
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style

from game.story.model import Beat, Scene
from game.tui.widgets.follows_theme import FollowsTheme
from game.tui.widgets.line_layout import row_strip

COLUMN = 100  # cells: on a wide terminal the heading stays over the text, centred


class SceneHeader(FollowsTheme):
    DEFAULT_CSS = """
    SceneHeader { height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.scene_title = ""
        self.beat_title = ""
        self.place = ""
        self._styles: tuple[Style, Style, Style] | None = None  # title, beat, place: on this theme
        self._drawn: tuple[tuple[object, ...], list[Content]] | None = None  # drawn a row at a time

    def show(self, scene: Scene, beat: Beat) -> None:
        rows = self.heading_rows
        self.scene_title, self.beat_title, self.place = scene.title, beat.title, scene.place
        if self.heading_rows != rows:
            self.refresh(layout=True)
        else:  # the heading's rows only: the rule under them stays as drawn
            self.refresh(Region(0, 0, self.content_size.width, rows))

    @property
    def heading_rows(self) -> int:
        """The title's row, and the place's under it."""
        return 2 if self.place else 1

    def apply_theme(self) -> None:
        parse = self.app.stylesheet.parse_style
        self._styles = (parse("bold $primary"), parse("italic $accent"), parse("italic $foreground-muted"))
        self._drawn = None
        self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.heading_rows  # known without drawing them

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        return row_strip(self.rows(width), y, width, self.visual_style)

    def rows(self, width: int) -> list[Content]:
        """The heading's rows at `width` cells (worked out once per scene and width)."""
        key = (width, self.scene_title, self.beat_title, self.place, self._styles)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._heading(width))
        return self._drawn[1]

    def _heading(self, width: int) -> list[Content]:
        if self._styles is None:
            self._styles = (Style(bold=True), Style(italic=True), Style(italic=True))  # before mount: no theme yet
        title_style, beat_style, place_style = self._styles
        column = min(width, COLUMN)
        margin = " " * ((width - column) // 2)
        beat = Content.styled(self.beat_title, beat_style)
        room = max(1, column - beat.cell_length - 2)
        title = Content.styled(self.scene_title, title_style).truncate(room, ellipsis=True)
        gap = " " * max(2, column - title.cell_length - beat.cell_length)
        rows = [Content(margin) + title + gap + beat]
        if self.place:
            rows.append(Content(margin) + Content.styled(self.place, place_style).truncate(column, ellipsis=True))
        return rows
