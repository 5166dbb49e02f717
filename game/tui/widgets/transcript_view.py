"""The whole transcript of a run, drawn line by line: the history screen's backlog.

A run can show a thousand lines; one widget per line takes seconds to lay
out, so this uses Textual's line API instead (a ScrollView that wraps the
text once per width and hands out one row at a time). It draws the same
marks as the play screen: a bar in the speaker's colour beside dialogue, a
dashed one beside the voiceover, and every speaker's name written out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from game.session.entries import Entry
from game.story.model import NARRATOR, VOICEOVER, Story
from game.tui.colours import readable
from game.tui.widgets.follows_theme import FollowsTheme
from game.tui.widgets.scene_text import speaker_colour


@dataclass(frozen=True, slots=True)
class Inks:
    """The theme's colours as Rich styles, worked out once per layout."""

    background: Color
    text: Style
    muted: Style
    primary: Style
    secondary: Style
    accent: Style

    @classmethod
    def from_theme(cls, foreground: Color, background: Color, primary: Color, secondary: Color, accent: Color) -> Inks:
        return cls(
            background=background,
            text=Style(color=foreground.rich_color),
            muted=Style(color=foreground.blend(background, 0.4).rich_color),
            primary=Style(color=readable(primary.hex, background).rich_color, bold=True),
            secondary=Style(color=readable(secondary.hex, background).rich_color, bold=True),
            accent=Style(color=readable(accent.hex, background).rich_color, bold=True),
        )


class TranscriptView(FollowsTheme, ScrollView, can_focus=True):
    """Every line shown so far; rewrapped whenever the width or the theme changes."""

    DEFAULT_CSS = """
    TranscriptView { height: 1fr; overflow-x: hidden; }
    """

    def __init__(self, entries: Sequence[Entry], story: Story, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries = list(entries)
        self.story = story
        self._strips: list[Strip] = []
        self._width = 0

    @property
    def logical_lines(self) -> list[str]:
        """The transcript as plain text, one entry a line and unwrapped (what a test or a screen reader wants)."""
        lines = []
        for entry in self.entries:
            name = self.story.speaker_name(entry.speaker) if entry.kind == "line" else ""
            if entry.kind == "line" and entry.speaker == VOICEOVER:
                lines.append(f"{name} (voiceover): {entry.text}")
            elif name:
                lines.append(f"{name}: {entry.text}")
            elif entry.kind == "choice":
                lines.append(f"You chose: {entry.text}")
            elif entry.kind == "ending":
                lines.append(f"The end: {entry.text}")
            else:
                lines.append(entry.text + (f" · {entry.detail}" if entry.kind == "scene" and entry.detail else ""))
        return lines

    @property
    def rows(self) -> list[str]:
        """The rows as drawn at the current width, as plain text."""
        return [strip.text for strip in self._strips]

    def apply_theme(self) -> None:
        self._relayout()

    def on_resize(self) -> None:
        if self._text_width() != self._width:
            self._relayout()

    def _text_width(self) -> int:
        """The width to wrap to: room is always kept for the scrollbar, so it never makes the text rewrap."""
        return self.size.width - self.styles.scrollbar_size_vertical - 1

    def _relayout(self) -> None:
        self._width = self._text_width()
        if self._width <= 0:
            return
        variables = self.app.theme_variables
        inks = Inks.from_theme(
            *(Color.parse(variables[name]) for name in ("foreground", "background", "primary", "secondary", "accent"))
        )
        self._strips = render_transcript(self.entries, self.story, max(self._width, 20), inks, self.app.console)
        self.virtual_size = Size(self._width, len(self._strips))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.size.width
        base = self.rich_style
        if index >= len(self._strips):
            return Strip.blank(width, base)
        return self._strips[index].apply_style(base).crop_extend(scroll_x, scroll_x + width, base)


def render_transcript(entries: Sequence[Entry], story: Story, width: int, inks: Inks, console: Console) -> list[Strip]:
    """Rows for the whole transcript at this width: pure, so it is quick to test and to redo."""
    painter = _Painter(story, width, inks, console)
    strips: list[Strip] = []
    previous = ""
    for entry in entries:
        if entry.kind == "line":
            continued = entry.speaker == VOICEOVER and previous == VOICEOVER
            if continued and strips:
                strips[-1] = painter.row(Text(), painter.voiceover_bar(), indent=4)  # the gap keeps the bar
            strips.extend(painter.line(entry, show_label=not continued))
            previous = entry.speaker
        else:
            strips.extend(painter.marker(entry))
            previous = ""
        strips.append(Strip([]))
    return strips


class _Painter:
    """Turns entries into rows: the wrapping, the bars and the colours, kept out of the widget."""

    def __init__(self, story: Story, width: int, inks: Inks, console: Console) -> None:
        self.story = story
        self.width = width
        self.inks = inks
        self.console = console
        self._colours: dict[tuple[str, float], Style] = {}

    def wrap(self, text: Text, width: int) -> list[Text]:
        return list(text.wrap(self.console, max(width, 8)))

    def row(self, text: Text, bar: tuple[str, Style] | None = None, indent: int = 0) -> Strip:
        prefix = [Segment(" " * indent)] if indent else []
        if bar is not None:
            prefix += [Segment(bar[0], bar[1]), Segment(" ")]
        body = list(text.render(self.console, end=""))
        if isinstance(text.style, Style) and text.style:  # render() leaves a Text's own style to the caller
            body = list(Segment.apply_style(body, text.style))
        return Strip(prefix + body)

    def colour(self, speaker: str, minimum: float = 4.0) -> Style:
        key = (speaker, minimum)
        if key not in self._colours:
            colour = speaker_colour(self.story, speaker) or "#888888"
            self._colours[key] = Style(color=readable(colour, self.inks.background, minimum=minimum).rich_color)
        return self._colours[key]

    def voiceover_bar(self) -> tuple[str, Style]:
        return ("╎", self.colour(VOICEOVER, minimum=3.0))

    def line(self, entry: Entry, *, show_label: bool) -> list[Strip]:
        inks = self.inks
        if entry.speaker == NARRATOR:
            return [self.row(row, indent=2) for row in self.wrap(Text(entry.text, style=inks.text), self.width - 2)]
        name = self.story.speaker_name(entry.speaker)
        name_style = self.colour(entry.speaker) + Style(bold=True)
        if entry.speaker == VOICEOVER:
            bar = self.voiceover_bar()
            body = Text(entry.text, style=inks.text + Style(italic=True))
            strips = [self.row(row, bar, indent=4) for row in self.wrap(body, self.width - 6)]
            if show_label:
                label = Text.assemble((name, name_style + Style(italic=True)), ("  voiceover", inks.muted))
                strips.insert(0, self.row(label, bar, indent=4))
            return strips
        bar = ("▌", self.colour(entry.speaker, minimum=3.0))
        body = Text.assemble((name, name_style), ("  ", inks.text), (entry.text, inks.text))
        return [self.row(row, bar) for row in self.wrap(body, self.width - 2)]

    def marker(self, entry: Entry) -> list[Strip]:
        inks = self.inks
        if entry.kind == "chapter":
            title = Text(entry.text, style=inks.accent)
            return [self.row(row).text_align(self.width, "center") for row in self.wrap(title, self.width)]
        if entry.kind == "scene":
            heading = Text(entry.text, style=inks.primary)
            if entry.detail:
                heading.append("  ·  ", inks.muted)
                heading.append(entry.detail, inks.muted + Style(italic=True))
            return [self.row(row) for row in self.wrap(heading, self.width)]
        if entry.kind == "choice":
            chose = Text.assemble(("You chose  ", inks.muted), (entry.text, inks.secondary))
            return [self.row(row, indent=2) for row in self.wrap(chose, self.width - 2)]
        ending = Text.assemble(("The end: ", inks.text + Style(bold=True)), (entry.text, inks.primary))
        return [self.row(row) for row in self.wrap(ending, self.width)]
