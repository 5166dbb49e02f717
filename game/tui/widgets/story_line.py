"""One line of a scene on screen: narration, the voiceover, or a character speaking.

The speaker's name is always written; their colour is only an addition, nudged
until it reads on the current theme. The typewriter reveals the text by moving
`revealed` forward; the part not yet revealed is drawn in the background
colour, so words never jump between rows while they are typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from textual.color import Color
from textual.content import Content
from textual.reactive import reactive
from textual.style import Style

from game.story.model import NARRATOR, VOICEOVER, Story
from game.tui.colours import readable
from game.tui.widgets.follows_theme import FollowsTheme

LineKind = Literal["narration", "dialogue", "voiceover"]


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


class StoryLine(FollowsTheme):
    """A line of the scene, with its speaker's name (for dialogue and the voiceover)."""

    DEFAULT_CSS = """
    StoryLine { height: auto; width: 1fr; }
    """

    revealed: reactive[int] = reactive(0)

    def __init__(
        self, speaker: str, text: str, story: Story, *, show_label: bool = True, revealed: bool = True
    ) -> None:
        kind = line_kind(speaker)
        super().__init__(classes=f"-{kind}" + ("" if show_label else " -continued"))
        self.speaker = speaker
        self.line_text = text
        self.kind = kind
        self.label = story.speaker_name(speaker)
        self.colour = speaker_colour(story, speaker)
        self.show_label = show_label and bool(self.label)
        self.set_reactive(StoryLine.revealed, len(text) if revealed else 0)

    @classmethod
    def group(cls, lines: Sequence[tuple[str, str]], story: Story, *, revealed: bool = True) -> list[StoryLine]:
        """Widgets for consecutive lines; a run of voiceover lines is labelled once, as one voice."""
        widgets: list[StoryLine] = []
        previous = ""
        for speaker, text in lines:
            continued = speaker == VOICEOVER and previous == VOICEOVER
            if continued:
                widgets[-1].add_class("-runs-on")
            widgets.append(cls(speaker, text, story, show_label=not continued, revealed=revealed))
            previous = speaker
        return widgets

    @property
    def length(self) -> int:
        return len(self.line_text)

    @property
    def complete(self) -> bool:
        return self.revealed >= self.length

    def reveal_all(self) -> None:
        self.revealed = self.length

    def apply_theme(self) -> None:
        if self.colour is not None and self.kind != "narration":
            edge = readable(self.colour, self._background(), minimum=3.0)
            self.styles.border_left = ("dashed" if self.kind == "voiceover" else "thick", edge)

    def _background(self) -> Color:
        return self.background_colors[1]

    def render(self) -> Content:
        background = self._background()
        parts: list[str | Content | tuple[str, Style | str]] = []
        if self.show_label:
            name_colour = readable(self.colour, background) if self.colour else None
            parts.append((self.label, Style(foreground=name_colour, bold=True)))
            if self.kind == "voiceover":
                parts.append(("  voiceover\n", Style(dim=True)))
            else:
                parts.append("  ")
        text = self.line_text
        parts.append(text[: self.revealed])
        if self.revealed < len(text):
            parts.append((text[self.revealed :], Style(foreground=background)))
        return Content.assemble(*parts)
