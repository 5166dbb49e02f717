"""The one place a story line is laid out on screen, for the play screen and the history alike:
its indent, the bar in the speaker's color, the name, the words wrapped to the width, and the
voiceover's bar running on through the gap between its lines.

The grouping rules (which lines carry a name) come from game/lines.py, below every frontend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.segment import Segment
from textual.color import Color
from textual.content import Content
from textual.strip import Strip
from textual.style import Style

from game.lines import LineKind, ShownLine, speaker_color
from game.story.model import Story
from game.tui.colors import MIN_CONTRAST, readable

BARS: dict[LineKind, str] = {"dialogue": "█", "voiceover": "╏"}  # as Textual draws its thick and dashed borders
INDENTS: dict[LineKind, int] = {"narration": 2, "dialogue": 0, "voiceover": 4}  # cells before a line (and its bar)
BAR_CONTRAST = 3.0  # a bar is a mark, not text: it needs less contrast than a name

# Text whose every character takes one cell: printable ASCII, Latin letters with their accents, and
# the punctuation a story uses (curly quotes, dashes, the ellipsis). Nearly every line a story tells.
ONE_CELL_TEXT = re.compile(r"[\x20-\x7e\u00a0-\u02ff\u2010-\u2027]*")
WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it, as Rich's wrapping reads words


class LineLayout:
    """Lays out lines on one background; the speakers' colors are nudged to read on it, once each."""

    def __init__(self, story: Story, background: Color) -> None:
        self.story = story
        self.background = background
        self._colors: dict[tuple[str, float], Color | None] = {}

    def color(self, speaker: str, minimum: float) -> Color | None:
        """The speaker's color made readable on the background (None for a speaker without one)."""
        key = (speaker, minimum)
        if key not in self._colors:
            color = speaker_color(self.story, speaker)
            self._colors[key] = readable(color, self.background, minimum=minimum) if color else None
        return self._colors[key]

    def content(self, line: ShownLine, revealed: int | None = None) -> Content:
        """The name (when shown) and the words, the unrevealed part drawn in the background color."""
        shown = len(line.text) if revealed is None else revealed
        kind = line.kind
        voice = Style(italic=kind == "voiceover")  # the voiceover is set in italics, name and all
        parts: list[str | Content | tuple[str, Style | str]] = []
        if line.show_label and kind != "narration":
            name_color = self.color(line.speaker, MIN_CONTRAST)
            parts.append((self.story.speaker_name(line.speaker), voice + Style(foreground=name_color, bold=True)))
            parts.append(("  voiceover\n", voice + Style(dim=True)) if kind == "voiceover" else "  ")
        parts.append((line.text[:shown], voice))
        if shown < len(line.text):
            parts.append((line.text[shown:], Style(foreground=self.background)))
        return Content.assemble(*parts)

    def gutter(self, line: ShownLine) -> Content:
        """What stands before each row of a line: its indent and, for a voice, the bar."""
        kind = line.kind
        gutter = Content(" " * INDENTS[kind])
        edge = self.color(line.speaker, BAR_CONTRAST) if kind != "narration" else None
        if edge is not None:
            gutter += Content.styled(BARS[kind], Style(foreground=edge)) + " "
        return gutter

    def line_rows(self, line: ShownLine, width: int, revealed: int | None = None) -> list[Content]:
        """The line wrapped to `width`, each row behind its gutter (one cell is kept free on the right)."""
        gutter = self.gutter(line)
        body_width = max(1, width - gutter.cell_length - 1)
        return [gutter + row for row in wrap(self.content(line, revealed), body_width)]

    def gap_after(self, line: ShownLine, rows: Sequence[Content]) -> Content:
        """The blank row after a line; the voiceover's bar runs on through it to the next of its lines."""
        return rows[-1][: INDENTS["voiceover"] + 1] if line.runs_on and rows else Content("")

    def rows(self, lines: Sequence[ShownLine], width: int, revealed: Sequence[int | None] = ()) -> list[Content]:
        """Lines laid out one after another, a gap between each; `revealed[i]` cuts line i short."""
        rows: list[Content] = []
        for index, line in enumerate(lines):
            line_rows = self.line_rows(line, width, revealed[index] if index < len(revealed) else None)
            rows.extend(line_rows)
            if index < len(lines) - 1:
                rows.append(self.gap_after(line, line_rows))
        return rows


def wrap(content: Content, width: int) -> list[Content]:
    """The rows of `content.wrap(width)`, the same rows, found faster for text whose every character
    takes one cell. Textual wraps by Rich's `divide_line`, which measures every word's cells; a key
    press paid that on every line of the new scene, a fifth of the press for a long one (issue 19).
    Other text (wide characters, tabs, a word longer than the row) is left to Textual."""
    rows: list[Content] = []
    for line in content.split(allow_blank=True):
        breaks = one_cell_breaks(line.plain, width) if ONE_CELL_TEXT.fullmatch(line.plain) else None
        if breaks is None:
            rows.extend(line.wrap(width))
            continue
        pieces = line.divide(breaks)
        last = len(pieces) - 1
        for index, piece in enumerate(pieces):  # each row as Textual's _wrap_and_format leaves it
            rows.append((piece if index == last else piece.rstrip()).truncate(width))
    return rows


def one_cell_breaks(text: str, width: int) -> list[int] | None:
    """Where Rich's `divide_line` breaks `text` into rows of `width` cells, for text of one-cell
    characters (a character's length is its width); None when a word is longer than a row."""
    breaks: list[int] = []
    offset = 0
    for match in WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            return None  # Rich folds such a word across rows: Textual's own wrap does it
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def row_strip(rows: Sequence[Content], y: int, width: int, base: Style, margin: int = 0) -> Strip:
    """Row `y` of rows already laid out, drawn at `width` after `margin` blank cells (a blank row
    past the end): the line API's render_line for a widget that wraps its own lines, so Textual
    wraps nothing again. One Strip a row, its length known: each Strip made costs Textual a
    handful of caches, and a scene change draws every row in view."""
    return Strip(row_segments(rows, y, width, base, margin), margin + width)


def row_segments(rows: Sequence[Content], y: int, width: int, base: Style, margin: int = 0) -> list[Segment]:
    """The segments of row_strip's row: `margin` + `width` cells, for a widget that builds its row
    further (padding round it) before making it a Strip."""
    blank = base.rich_style
    if y >= len(rows):
        return [Segment(" " * (margin + width), blank)]
    row = rows[y]
    room = width - row.cell_length
    segments = [Segment(" " * margin, blank)] if margin else []
    if room < 0:  # wider than laid out for (not the case for rows wrapped to `width`)
        return segments + Segment.adjust_line_length(list(row.render_segments(base)), width, blank)
    segments += row.render_segments(base)
    if room:
        segments.append(Segment(" " * room, blank))
    return segments
