"""The choices on offer, numbered: picked by number key, arrows and Enter, or the mouse.

Its frame carries two cues, so nothing is out of sight without the player knowing: above, when
the scene's text runs on below the view; below, when some choices are out of the box.

It draws its rows itself (the line API), each choice wrapped once a scene and width. It was a
Textual OptionList, which wrapped every option three times a key press (to measure the box, to
count its lines, to draw them) and cost a fifth of a scene change (issue 19). It keeps the
OptionList's keys, its highlight and hover styles (the same component classes, so play.tcss
styles both alike), and its look.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.widgets import OptionList

from game.story.model import Choice
from game.tui.widgets.follows_theme import FollowsTheme
from game.tui.widgets.line_layout import wrap
from game.tui.widgets.scroll_bar import draw_scrollbar_by_rows

MORE_TEXT = "▼ more below — PgDn"
OPTION = "option-list--option"
HIGHLIGHTED = "option-list--option-highlighted"
HOVER = "option-list--option-hover"


class ChoiceList(FollowsTheme, ScrollView, can_focus=True):
    """The numbered choices; `highlighted` is the choice's number minus one."""

    BINDINGS: ClassVar[list[BindingType]] = OptionList.BINDINGS  # the same keys, and the same lines in help
    COMPONENT_CLASSES: ClassVar[set[str]] = {OPTION, HIGHLIGHTED, HOVER}
    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        color: $foreground;
        overflow-x: hidden;
        &:focus { background-tint: $foreground 5%; }
    }
    """  # what Textual's OptionList brings that play.tcss does not set itself

    highlighted: reactive[int | None] = reactive(None)
    _hovering: reactive[int | None] = reactive(None)  # the choice under the mouse

    class Chosen(Message):
        """A choice was picked by Enter or a click: `index` is its number minus one."""

        def __init__(self, choice_list: ChoiceList, index: int) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.index = index

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._texts: list[str] = []
        self.prompts: list[Content] = []  # "1  Climb to the lighthouse", the number in the accent color
        self._number_style: Style | None = None  # on this theme
        self._text_cue = False  # the cues on the frame as last set
        self._hidden_cue = ""
        self._laid_out: dict[int, list[tuple[int, int, Content]]] = {}  # width: (choice, offset, row) a row

    def on_mount(self) -> None:
        draw_scrollbar_by_rows(self)

    @property
    def option_count(self) -> int:
        return len(self.prompts)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self._texts = [choice.text for choice in choices]
        self._number_prompts()
        self.scroll_y = 0
        # The first choice, at the top: nothing to scroll to, so not by the watcher that would.
        self.set_reactive(ChoiceList.highlighted, 0 if choices else None)
        self.call_after_refresh(self.show_hidden_choices)

    def _number_prompts(self) -> None:
        if self._number_style is None:
            self._number_style = self.app.stylesheet.parse_style("bold $accent")
        number_style = self._number_style
        self.prompts = [
            Content.assemble((f"{number}", number_style), "  ", text) for number, text in enumerate(self._texts, 1)
        ]
        self._laid_out.clear()
        self._fit()
        self.refresh(layout=True)

    def apply_theme(self) -> None:
        self._number_style = None
        self._number_prompts()

    # -- layout -------------------------------------------------------------------
    def rows(self, width: int) -> list[tuple[int, int, Content]]:
        """Every row of the list at `width` cells: its choice, where in the choice's text it starts, its text."""
        rows = self._laid_out.get(width)
        if rows is None:
            rows = []
            for index, prompt in enumerate(self.prompts):
                start = 0
                for row in wrap(prompt, max(1, width)):
                    start = prompt.plain.index(row.plain, start)
                    rows.append((index, start, row))
                    start += len(row.plain)
            self._laid_out[width] = rows
        return rows

    def _first_row(self, index: int) -> tuple[int, int]:
        """The first row of choice `index`, and how many rows it takes, at the width drawn."""
        rows = self.rows(self.scrollable_content_region.width)
        first = next((y for y, (choice, _, _) in enumerate(rows) if choice == index), 0)
        count = sum(1 for choice, _, _ in rows if choice == index)
        return first, count

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((prompt.cell_length for prompt in self.prompts), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows(width))

    def _fit(self) -> None:
        width = self.scrollable_content_region.width
        if width:
            self.virtual_size = Size(width, len(self.rows(width)))

    def on_resize(self) -> None:
        self._fit()
        self.show_hidden_choices()

    # -- drawing --------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        rows = self.rows(width)
        line = y + self.scroll_offset.y
        if not 0 <= line < len(rows):
            return Strip.blank(width, self.get_visual_style(OPTION).rich_style)
        index, x, row = rows[line]
        state = HIGHLIGHTED if index == self.highlighted else HOVER if index == self._hovering else None
        style = self.get_visual_style(OPTION, state) if state else self.get_visual_style(OPTION)
        # Each piece knows its choice (for a click) and, as Textual draws a line of text, its place (for
        # selecting with the mouse): the meta Textual's rich_style_with_offset and Strip.apply_meta give,
        # made at once rather than pickled, unpickled and pickled again a piece (issue 19).
        segments = []
        for text, text_style in row.render(style, end=""):
            meta = RichStyle.from_meta({"option": index, "offset": (x, 0)})
            segments.append(Segment(text, (style + text_style).rich_style + meta))
            x += len(text)
        if (room := width - row.cell_length) > 0:
            segments.append(Segment(" " * room, style.rich_style + RichStyle.from_meta({"option": index})))
        return Strip(segments, max(width, row.cell_length))

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is not None:
            self.scroll_to_highlight()

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self.prompts:
            return None
        return clamp(highlighted, 0, len(self.prompts) - 1)

    def scroll_to_highlight(self) -> None:
        if self.highlighted is None or not self.is_mounted:
            return
        first, count = self._first_row(self.highlighted)
        region = Region(0, first, self.scrollable_content_region.width, count)
        self.scroll_to_region(region, force=True, animate=False, immediate=True)

    def on_show(self) -> None:
        self.scroll_to_highlight()

    # -- the cues -------------------------------------------------------------------
    def show_text_cue(self, more_text: bool) -> None:
        """Say (on the top edge) that the scene's text runs on below its view."""
        if more_text != self._text_cue:  # a title set costs a repaint, even when it reads the same
            self._text_cue = more_text
            self.border_title = MORE_TEXT if more_text else None

    def show_hidden_choices(self) -> None:
        """Say (on the bottom edge) that some choices are out of sight, and which way."""
        top, bottom = self.scroll_y > 0, self.scroll_y < self.max_scroll_y
        cue = "▲▼ more choices" if top and bottom else "▲ more choices" if top else "▼ more choices" if bottom else ""
        if cue != self._hidden_cue:
            self._hidden_cue = cue
            self.border_subtitle = f"{cue} — ↑↓" if cue else None

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.show_hidden_choices()

    # -- keys and the mouse, as in Textual's OptionList ------------------------------
    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def _step(self, direction: int) -> None:
        """The next choice up or down, round from the last to the first and back."""
        count = len(self.prompts)
        if not count:
            return
        if self.highlighted is None:
            self.highlighted = 0 if direction > 0 else count - 1
        else:
            self.highlighted = (self.highlighted + direction) % count

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self.prompts) - 1

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_page_down(self) -> None:
        self._move_page(1)

    def _move_page(self, direction: int) -> None:
        """Move the highlight about a box's height; nothing in a list squeezed to nothing (issue 12.8)."""
        height = self.scrollable_content_region.height
        rows = self.rows(self.scrollable_content_region.width)
        if not self.prompts or height <= 0 or not rows:
            return
        if self.highlighted is None:
            self.highlighted = 0 if direction < 0 else len(self.prompts) - 1
            return
        first, _ = self._first_row(self.highlighted)
        self.highlighted = rows[clamp(first + direction * height, 0, len(rows) - 1)][0]

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Chosen(self, self.highlighted))

    async def _on_click(self, event: events.Click) -> None:
        clicked = event.style.meta.get("option")
        if isinstance(clicked, int):
            self.highlighted = clicked
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        hovering = event.style.meta.get("option")
        self._hovering = hovering if isinstance(hovering, int) else None

    def _on_leave(self, event: events.Leave) -> None:
        self._hovering = None
