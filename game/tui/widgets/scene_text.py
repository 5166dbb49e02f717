"""A scene's lines on screen: narration, the voiceover, and characters speaking.

The speaker's name is always written; their colour is only an addition, nudged
until it reads on the current theme, and drawn as a bar down the side of what
they say. The typewriter reveals one line at a time by moving `revealed`
forward; the part not yet revealed is drawn in the background colour, so words
never jump between rows while they are typed.

The whole scene is one widget that lays out its own lines. A widget per line
was simpler, but each one cost Textual a layout and a render on every key
press: a ten-line scene took twice as long to appear as a two-line one (issue
7's key-to-scene latency).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from textual.color import Color
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style

from game.story.model import NARRATOR, VOICEOVER, Story
from game.tui.colours import MIN_CONTRAST, readable
from game.tui.widgets.follows_theme import FollowsTheme

LineKind = Literal["narration", "dialogue", "voiceover"]
BARS = {"dialogue": "█", "voiceover": "╏"}  # as Textual draws its thick and dashed left borders
INDENTS = {"narration": 2, "dialogue": 0, "voiceover": 4}  # cells before a line (and its bar)


def line_kind(speaker: str) -> LineKind:
    if speaker == NARRATOR:
        return "narration"
    if speaker == VOICEOVER:
        return "voiceover"
    return "dialogue"


def speaker_colour(story: Story, speaker: str) -> str | None:
    """The author's colour for a line's speaker (the voiceover's character for VOICEOVER)."""
    character_id = (story.voiceover or "") if speaker == VOICEOVER else speaker
    character = story.characters.get(character_id)
    return character.colour if character else None


@dataclass(frozen=True, slots=True)
class ShownLine:
    """One line as the scene text shows it: the line, and whether its speaker's name is written with it."""

    speaker: str
    text: str
    show_label: bool = True
    runs_on: bool = False  # a voiceover line followed by more of the same voice

    @staticmethod
    def group(lines: Sequence[tuple[str, str]]) -> list[ShownLine]:
        """Consecutive lines; a run of voiceover lines is labelled once, as one voice."""
        shown: list[ShownLine] = []
        for index, (speaker, text) in enumerate(lines):
            after_voiceover = index > 0 and speaker == VOICEOVER and lines[index - 1][0] == VOICEOVER
            before_voiceover = speaker == VOICEOVER and index + 1 < len(lines) and lines[index + 1][0] == VOICEOVER
            shown.append(ShownLine(speaker, text, show_label=not after_voiceover, runs_on=before_voiceover))
        return shown


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
        self._edges: dict[str, Color] = {}
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
        self._edges.clear()
        self._changed()

    def _background(self) -> Color:
        return self.background_colors[1]

    def _edge(self, colour: str | None, background: Color, minimum: float) -> Color | None:
        """The speaker's colour, nudged to read on the background (kept per theme: it is asked often)."""
        if colour is None:
            return None
        key = f"{colour}/{minimum}"
        if key not in self._edges:
            self._edges[key] = readable(colour, background, minimum=minimum)
        return self._edges[key]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows(width))

    def render_line(self, y: int) -> Strip:
        """Row `y` of the scene: drawn from the rows laid out above, so Textual wraps nothing
        again and draws only the rows in view (the line API)."""
        width = self.content_size.width
        base = self.visual_style
        rows = self.rows(width)
        if y >= len(rows):
            return Strip.blank(width, base.rich_style)
        return Strip(rows[y].render_segments(base)).adjust_cell_length(width, base.rich_style)

    def rows(self, width: int) -> list[Content]:
        """The scene laid out in `width` cells, one Content a row (worked out once per change)."""
        if self._rendered is not None and self._rendered[0] == width:
            return self._rendered[1]
        background = self._background()
        rows: list[Content] = []
        for index in range(self.told):
            line = self.lines[index]
            line_rows = self._line_rows(line, self._revealed_of(index), width, background)
            rows.extend(line_rows)
            if index < self.told - 1:  # a blank row between lines; the voiceover's bar runs on through it
                rows.append(line_rows[-1][: INDENTS["voiceover"] + 1] if line.runs_on else Content(""))
        self._rendered = (width, rows)
        return rows

    def written(self, index: int) -> str:
        """Line `index` as the player reads it (name and words, no bar), as far as it is told."""
        return self._line_content(self.lines[index], self._revealed_of(index), self._background()).plain

    def _revealed_of(self, index: int) -> int:
        """Characters shown of line `index`: all of it, unless it is the line being told."""
        return self.revealed if index == self.told - 1 else len(self.lines[index].text)

    def _line_content(self, line: ShownLine, revealed: int, background: Color) -> Content:
        kind = line_kind(line.speaker)
        label = self.story.speaker_name(line.speaker) if line.show_label else ""
        parts: list[str | Content | tuple[str, Style | str]] = []
        voice = Style(italic=kind == "voiceover")  # the voiceover is set in italics, name and all
        if label:
            name_colour = self._edge(speaker_colour(self.story, line.speaker), background, MIN_CONTRAST)
            parts.append((label, voice + Style(foreground=name_colour, bold=True)))
            parts.append(("  voiceover\n", voice + Style(dim=True)) if kind == "voiceover" else "  ")
        parts.append((line.text[:revealed], voice))
        if revealed < len(line.text):
            parts.append((line.text[revealed:], Style(foreground=background)))
        return Content.assemble(*parts)

    def _line_rows(self, line: ShownLine, revealed: int, width: int, background: Color) -> list[Content]:
        """The line wrapped to `width`, each row behind its indent and the speaker's bar."""
        kind = line_kind(line.speaker)
        edge = self._edge(speaker_colour(self.story, line.speaker), background, 3.0) if kind != "narration" else None
        gutter = Content(" " * INDENTS[kind])
        if edge is not None:
            gutter += Content.styled(BARS[kind], Style(foreground=edge)) + " "
        body_width = max(1, width - gutter.cell_length - 1)
        return [gutter + row for row in self._line_content(line, revealed, background).wrap(body_width)]
