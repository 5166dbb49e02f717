"""A vertical scrollbar drawn straight into rows, as Textual's own looks.

Textual draws its scrollbar as a Rich renderable, through a Rich console, on every scroll and every
scene change: a tenth of a key press's Python calls went to the scene text's bar (issue 19). The
same bar (Textual's `render_bar`: its glyphs, colors and mouse actions) made into one Strip a row
costs a fraction of that. Its rows then went one by one through Textual's styles cache (its border,
padding, tint and opacity code, for one column with none of those): the bar hands them to Textual
whole, and keeps them until it changes.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget


class StripScrollBarRender(ScrollBarRender, Visual):
    """Textual's vertical scrollbar, given to Textual as a Visual (rows) instead of a Rich renderable."""

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.rows(width, height or 0, style.rich_style)

    def rows(self, width: int, height: int, base: RichStyle) -> list[Strip]:
        """The bar's `height` rows, `width` cells each, on `base` (the scrolled widget's style)."""
        colors = self.style if isinstance(self.style, RichStyle) else RichStyle.parse(str(self.style))
        bar = self.render_bar(
            size=height,
            window_size=self.window_size,
            virtual_size=self.virtual_size,
            position=self.position,
            vertical=True,
            thickness=width,
            back_color=colors.bgcolor or Color.parse("#555555"),  # Textual's fallbacks
            bar_color=colors.color or Color.parse("bright_magenta"),
        )
        # under the bar, as Textual's widget.post_render puts it
        return [Strip([Segment(cell.text, base + cell.style)], width) for cell in bar.segments]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.thickness

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 0  # as tall as the widget it scrolls: Textual sizes a scrollbar itself


class RowScrollBar(ScrollBar):
    """Textual's ScrollBar, whose rows (StripScrollBarRender's) reach Textual whole, kept until the bar
    moves, resizes or changes color; Textual's own way for any look the bar does not draw itself."""

    _drawn: tuple[tuple[object, ...], list[Strip]] = ((), [])  # (what they show, the rows)

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        styles = self.styles
        plain = not (styles.border or styles.outline or styles.padding or styles.tint.a or styles.text_opacity != 1)
        if not isinstance(bar, StripScrollBarRender) or not plain or self.opacity != 1:
            return super().render_lines(crop)
        width, height = self.region.size
        base_background, background = self.background_colors
        base = self.visual_style.rich_style
        filters = tuple(self.app.get_line_filters())
        key = (bar.virtual_size, bar.window_size, bar.position, bar.style, width, height, base, background, filters)
        if self._drawn[0] != key:
            blank = Style(background=base_background + background).rich_style
            rows = bar.rows(width, height, base)[:height]
            rows += [Strip.blank(width, base)] * (height - len(rows))
            rows = [row.adjust_cell_length(width, blank) for row in rows]
            for line_filter in filters:
                rows = [row.apply_filter(line_filter, background) for row in rows]
            self._drawn = (key, rows)
        strips = self._drawn[1][crop.y : crop.bottom]
        if crop.column_span != (0, width):
            strips = [strip.crop(*crop.column_span) for strip in strips]
        return strips


def draw_scrollbar_by_rows(widget: Widget) -> None:
    """Have `widget`'s vertical scrollbar drawn by StripScrollBarRender (the instance's renderer, as
    Textual's ScrollBar documents), its rows handed over whole (RowScrollBar: Textual makes the bar
    itself, so it is given the subclass's behavior in place)."""
    scrollbar = widget.vertical_scrollbar
    scrollbar.renderer = StripScrollBarRender  # type: ignore[misc]  # per instance, as documented
    scrollbar.__class__ = RowScrollBar
