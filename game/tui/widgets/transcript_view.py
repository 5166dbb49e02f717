"""The whole transcript of a run, drawn line by line: the history screen's backlog.

A run can show a thousand lines; one widget per line takes seconds to lay out,
so this is one widget that lays out its rows once per width (the story lines
through line_layout, exactly as the play screen draws them) and hands Textual
only the rows in view. It sits in a scrolling container, which gives it every
usual scrolling key and the mouse wheel.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass

from textual.color import Color
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from game.lines import ShownLine, plain_line
from game.session.entries import Entry
from game.story.model import Story
from game.tui.colors import readable
from game.tui.widgets.follows_theme import FollowsTheme
from game.tui.widgets.line_layout import LineLayout, row_strip


@dataclass(frozen=True, slots=True)
class Inks:
    """The theme's colors for the marks between lines (chapters, scenes, choices, the end)."""

    text: Style
    muted: Style
    primary: Style
    secondary: Style
    accent: Style

    @classmethod
    def from_theme(cls, foreground: Color, background: Color, primary: Color, secondary: Color, accent: Color) -> Inks:
        return cls(
            text=Style(foreground=foreground),
            muted=Style(foreground=foreground.blend(background, 0.4)),
            primary=Style(foreground=readable(primary.hex, background), bold=True),
            secondary=Style(foreground=readable(secondary.hex, background), bold=True),
            accent=Style(foreground=readable(accent.hex, background), bold=True),
        )


def logical_line(entry: Entry, story: Story) -> str:
    """One entry as plain text, unwrapped (what a test or a screen reader wants)."""
    match entry.kind:
        case "line":
            return plain_line(story, entry.speaker, entry.text)
        case "choice":
            return f"You chose: {entry.text}"
        case "feedback":
            return f"Your deduction: {entry.text}"
        case "ending":
            return f"The end: {entry.text}"
        case "scene" if entry.detail:
            return f"{entry.text} · {entry.detail}"
    return entry.text


FIRST_FRAME_RUNS = 24  # runs (a scene's lines, a heading, a choice) laid out for the first frame
MORE_RUNS_A_FRAME = 96  # and in each frame after (a few milliseconds), until the whole run is laid out
_LAID_OUT: dict[Hashable, list[Content]] = {}  # a run's rows, kept between openings of the history
_KEEP_AT_MOST = 4096


def transcript_rows(entries: Sequence[Entry], layout: LineLayout, inks: Inks, width: int) -> list[Content]:
    """Rows for the whole transcript at this width: pure, so it is quick to test and to redo.
    Each run of story lines is laid out as the play screen lays out a scene; a blank row follows
    every entry."""
    return [row for run in _runs(entries) for row in run_rows(run, layout, inks, width)]


def run_rows(run: Sequence[Entry], layout: LineLayout, inks: Inks, width: int) -> list[Content]:
    """One run's rows and the blank row after it. A run laid out before (at this width, in these
    colors) is not wrapped again, so opening the history costs only what the run added since."""
    if len(_LAID_OUT) > _KEEP_AT_MOST:
        _LAID_OUT.clear()
    key = (id(layout.story), layout.story.digest, layout.background, inks, width, *run)
    if key not in _LAID_OUT:
        if run[0].kind == "line":
            rows = layout.rows(ShownLine.group([(e.speaker, e.text) for e in run]), width)
        else:
            rows = _marker(run[0], inks, width)
        _LAID_OUT[key] = [*rows, Content("")]
    return _LAID_OUT[key]


def _runs(entries: Sequence[Entry]) -> Iterator[list[Entry]]:
    """Consecutive story lines together (one scene's lines); every other entry on its own."""
    run: list[Entry] = []
    for entry in entries:
        if entry.kind == "line" and (not run or run[0].kind == "line"):
            run.append(entry)
            continue
        if run:
            yield run
        run = [entry]
    if run:
        yield run


def _marker(entry: Entry, inks: Inks, width: int) -> list[Content]:
    wrap = max(1, width - 1)
    if entry.kind == "chapter":
        rows = Content.styled(entry.text, inks.accent).wrap(wrap)
        return [Content(" " * max(0, (width - row.cell_length) // 2)) + row for row in rows]
    if entry.kind == "scene":
        heading = Content.styled(entry.text, inks.primary)
        if entry.detail:
            heading += Content.assemble(("  ·  ", inks.muted), (entry.detail, inks.muted + Style(italic=True)))
        return heading.wrap(wrap)
    if entry.kind == "choice":
        chose = Content.assemble(("You chose  ", inks.muted), (entry.text, inks.secondary))
        return [Content("  ") + row for row in chose.wrap(max(1, wrap - 2))]
    if entry.kind == "feedback":
        told = Content.assemble(("Your deduction  ", inks.muted), (entry.text, inks.accent))
        return [Content("  ") + row for row in told.wrap(max(1, wrap - 2))]
    ending = Content.assemble(("The end: ", inks.text + Style(bold=True)), (entry.text, inks.primary))
    return ending.wrap(wrap)


class TranscriptView(FollowsTheme):
    """Every line shown so far; laid out again whenever the width or the theme changes.

    However long the run, the first frame lays out only the newest entries (the history opens
    at the end); the earlier ones are laid out a few at a time in the frames after, above the
    view, which is kept where it is."""

    DEFAULT_CSS = """
    TranscriptView { height: auto; width: 1fr; }
    """

    def __init__(self, entries: Sequence[Entry], story: Story, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries = list(entries)
        self.story = story
        self._runs = list(_runs(self.entries))
        self._width = 0
        self._first = 0  # the first run laid out: those before it are still to come
        self._rows: list[Content] | None = None
        self._inks: tuple[LineLayout, Inks] | None = None

    @property
    def logical_lines(self) -> list[str]:
        """The transcript as plain text, one entry a line and unwrapped."""
        return [logical_line(entry, self.story) for entry in self.entries]

    @property
    def rows(self) -> list[str]:
        """The rows laid out so far at the current width, as plain text."""
        return [row.plain for row in self.laid_out(self.content_size.width)]

    @property
    def complete(self) -> bool:
        """Every entry laid out (soon after the first frame)."""
        return self._rows is not None and self._first == 0

    def apply_theme(self) -> None:
        self._inks = None
        self._rows = None
        self.refresh(layout=True)

    def _theme_inks(self) -> tuple[LineLayout, Inks]:
        if self._inks is None:
            variables = self.app.theme_variables
            colors = [Color.parse(variables[name]) for name in ("foreground", "primary", "secondary", "accent")]
            background = self.background_colors[1]
            foreground, primary, secondary, accent = colors
            self._inks = (
                LineLayout(self.story, background),
                Inks.from_theme(foreground, background, primary, secondary, accent),
            )
        return self._inks

    def laid_out(self, width: int) -> list[Content]:
        if self._rows is None or self._width != width:
            self._width, self._first, self._rows = width, len(self._runs), []
            self._lay_out_before(FIRST_FRAME_RUNS)
            if self._first:
                self.call_after_refresh(self._lay_out_earlier)
        return self._rows

    def _lay_out_before(self, count: int) -> int:
        """Lay out up to `count` more runs above those laid out; the number of rows added."""
        assert self._rows is not None
        layout, inks = self._theme_inks()
        start = max(0, self._first - count)
        added = [row for run in self._runs[start : self._first] for row in run_rows(run, layout, inks, self._width)]
        self._rows[:0] = added
        self._first = start
        return len(added)

    def _lay_out_earlier(self) -> None:
        """The next few earlier runs; once they are laid out, the view moves down by as many rows
        (what was in view has only moved down), and then the next few."""
        scroller = self.parent
        if self._rows is None or not self._first or not isinstance(scroller, Widget):
            return
        added = self._lay_out_before(MORE_RUNS_A_FRAME)
        self.refresh(layout=True)
        self.call_after_refresh(self._follow, scroller, added, len(self._rows))

    def _follow(self, scroller: Widget, added: int, rows: int, tries: int = 0) -> None:
        if scroller.virtual_size.height < rows and tries < 10:  # the new rows are not laid out yet
            self.call_after_refresh(self._follow, scroller, added, rows, tries + 1)
            return
        scroller.scroll_to(y=scroller.scroll_y + added, animate=False, immediate=True)
        self.call_after_refresh(self._lay_out_earlier)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.laid_out(width))

    def render_line(self, y: int) -> Strip:
        """Only the rows in view are drawn (the line API): a long run costs no more than a short one."""
        width = self.content_size.width
        return row_strip(self.laid_out(width), y, width, self.visual_style)
