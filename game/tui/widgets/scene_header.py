"""The scene's title and place, with the chapter it belongs to: where you are, always in view.

One widget that draws its own rows, rather than a row of labels: each widget
costs Textual a layout and a render on every key press (issue 7's latency).
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from game.story.model import Beat, Scene

COLUMN = 100  # cells: on a wide terminal the heading stays over the text, centred


class SceneHeader(Widget):
    DEFAULT_CSS = """
    SceneHeader { height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.scene_title = ""
        self.beat_title = ""
        self.place = ""
        self._drawn: tuple[tuple[object, ...], Content] | None = None  # asked for twice a frame: size, then draw

    def show(self, scene: Scene, beat: Beat) -> None:
        self.scene_title, self.beat_title, self.place = scene.title, beat.title, scene.place
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The title's row, and the place's under it: known without drawing them."""
        return 2 if self.place else 1

    def render(self) -> Content:
        # From the size the layout gave the widget, not `content_region` (nor `size`, which is made
        # from it): asking the screen for a region in the middle of a layout pass may make Textual lay
        # out the whole screen a second time.
        width = max(0, self.outer_size.width - self.styles.gutter.width)
        key = (width, self.scene_title, self.beat_title, self.place)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._heading(width))
        return self._drawn[1]

    def _heading(self, width: int) -> Content:
        column = min(width, COLUMN)
        margin = " " * ((width - column) // 2)
        beat = Content.styled(self.beat_title, "italic $accent")
        room = max(1, column - beat.cell_length - 2)
        title = Content.styled(self.scene_title, "bold $primary").truncate(room, ellipsis=True)
        gap = " " * max(2, column - title.cell_length - beat.cell_length)
        rows = [Content(margin) + title + gap + beat]
        if self.place:
            rows.append(
                Content(margin) + Content.styled(self.place, "italic $foreground-muted").truncate(column, ellipsis=True)
            )
        return Content("\n").join(rows)
