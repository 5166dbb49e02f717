"""How a story line is told, the same for every frontend: who is speaking, how a run of voiceover
lines is labelled once as one voice, and the line as plain text.

Below the frontends on purpose: plain mode, the play screen and the history all introduce a
speaker the same way, so the rule is written once (issue 11's "one line renderer").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from game.story.model import NARRATOR, VOICEOVER, Story

LineKind = Literal["narration", "dialogue", "voiceover"]


def line_kind(speaker: str) -> LineKind:
    if speaker == NARRATOR:
        return "narration"
    if speaker == VOICEOVER:
        return "voiceover"
    return "dialogue"


def speaker_color(story: Story, speaker: str) -> str | None:
    """The author's color for a line's speaker (the voiceover's character for VOICEOVER)."""
    character_id = (story.voiceover or "") if speaker == VOICEOVER else speaker
    character = story.characters.get(character_id)
    return character.color if character else None


@dataclass(frozen=True, slots=True)
class ShownLine:
    """One line as it is shown: the line, and whether its speaker's name is written with it."""

    speaker: str
    text: str
    show_label: bool = True
    runs_on: bool = False  # a voiceover line followed by more of the same voice

    @property
    def kind(self) -> LineKind:
        return line_kind(self.speaker)

    @staticmethod
    def group(lines: Sequence[tuple[str, str]]) -> list[ShownLine]:
        """Consecutive lines; a run of voiceover lines is labelled once, as one voice."""
        shown: list[ShownLine] = []
        for index, (speaker, text) in enumerate(lines):
            after_voiceover = index > 0 and speaker == VOICEOVER and lines[index - 1][0] == VOICEOVER
            before_voiceover = speaker == VOICEOVER and index + 1 < len(lines) and lines[index + 1][0] == VOICEOVER
            shown.append(ShownLine(speaker, text, show_label=not after_voiceover, runs_on=before_voiceover))
        return shown


def _as_is(text: str) -> str:
    return text


def plain_line(
    story: Story,
    speaker: str,
    text: str,
    *,
    name_style: Callable[[str], str] = _as_is,
    voice_style: Callable[[str], str] = _as_is,
) -> str:
    """A line as plain text: 'Name: words', 'Name (voiceover): words', or the narration as it is.
    A frontend that colors may pass how to paint the name and the voiceover's words."""
    kind = line_kind(speaker)
    if kind == "narration":
        return text
    name = name_style(story.speaker_name(speaker))
    if kind == "voiceover":
        return f"{name} (voiceover): {voice_style(text)}"
    return f"{name}: {text}"


def _stranded(line: str) -> bool:
    """A line that begins with a lone letter ending a sentence ('C.', cut from 'Studio C.')."""
    first = line.split(" ", 1)[0]
    return len(first.rstrip(".,;:!?")) <= 1 and first[-1:] in ".,;:!?"


def wrap_without_orphans(text: str, width: int, *, give: int = 10, shortest_last: int = 4) -> list[str]:
    """`text` wrapped to at most `width` columns, narrowed by up to `give` columns when that keeps a
    paragraph from ending on a scrap shorter than `shortest_last` characters, or a line from
    starting with the tail of a name ('Studio / C.'). Paragraphs keep the text's line breaks."""
    import textwrap

    paragraphs = text.split("\n")
    best: list[str] | None = None
    for narrower in range(0, max(0, min(give, width - 20)) + 1):
        lines: list[str] = []
        ugly = False
        for paragraph in paragraphs:
            wrapped = textwrap.wrap(paragraph, width - narrower) or [""]
            ugly = ugly or (len(wrapped) > 1 and (len(wrapped[-1]) < shortest_last or any(map(_stranded, wrapped[1:]))))
            lines.extend(wrapped)
        if best is None:
            best = lines
        if not ugly:
            return lines
    return best or []
