"""A vertical scrollbar drawn straight into rows, as Textual's own looks.

Textual draws its scrollbar as a Rich renderable, through a Rich console, on every scroll and every
scene change: a tenth of a key press's Python calls went to the scene text's bar (issue 19). The
same bar (Textual's `render_bar`: its glyphs, colors and mouse actions) made into one Strip a row
costs a fraction of that.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.css.styles import RulesMap
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget


class StripScrollBarRender(ScrollBarRender, Visual):
    """Textual's vertical scrollbar, given to Textual as a Visual (rows) instead of a Rich renderable."""

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        colors = self.style if isinstance(self.style, RichStyle) else RichStyle.parse(str(self.style))
        bar = self.render_bar(
            size=height or 0,
            window_size=self.window_size,
            virtual_size=self.virtual_size,
            position=self.position,
            vertical=True,
            thickness=width,
            back_color=colors.bgcolor or Color.parse("#555555"),  # Textual's fallbacks
            bar_color=colors.color or Color.parse("bright_magenta"),
        )
        base = style.rich_style  # under the bar, as Textual's widget.post_render puts it
        return [Strip([Segment(cell.text, base + cell.style)], width) for cell in bar.segments]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.thickness

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 0  # as tall as the widget it scrolls: Textual sizes a scrollbar itself


def draw_scrollbar_by_rows(widget: Widget) -> None:
    """Have `widget`'s vertical scrollbar drawn by StripScrollBarRender (the instance's renderer, as
    Textual's ScrollBar documents)."""
    widget.vertical_scrollbar.renderer = StripScrollBarRender  # type: ignore[misc]  # per instance, as documented
