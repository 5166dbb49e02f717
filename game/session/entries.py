"""What a step shows, for the play screen, the history and plain mode alike.

A step is the choice taken, then a chapter card when the choice fired a beat
transition (even one back into the same beat), then the new scene or the ending.
Kept here, below every frontend, so no two of them can disagree about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from game.engine.engine import View
from game.engine.state import GameState
from game.story.model import Beat, Ending, Scene, Story

EntryKind = Literal["chapter", "scene", "line", "choice", "feedback", "ending"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing shown: a chapter card, a scene heading, a line, the choice taken, what a deduction
    submitted with it was told, or the ending."""

    kind: EntryKind
    text: str
    speaker: str = ""  # for lines: NARRATOR, VOICEOVER or a character id
    detail: str = ""  # a chapter's card line, a scene's place, an ending's text


def chapter(beat: Beat) -> Entry:
    return Entry("chapter", beat.title, detail=beat.card)


def heading(scene: Scene) -> Entry:
    return Entry("scene", scene.title, detail=scene.place)


def ending(end: Ending) -> Entry:
    return Entry("ending", end.title, detail=end.text)


def scene_entries(view: View) -> tuple[Entry, ...]:
    """The scene as it stands: its heading and the lines shown now."""
    return (heading(view.scene), *(Entry("line", line.text, speaker=line.speaker) for line in view.lines))


def opening_entries(view: View) -> tuple[Entry, ...]:
    """The start of a run: the first chapter card, then the first scene."""
    return (chapter(view.beat), *scene_entries(view))


def entered_beat(story: Story, before: GameState, after: GameState) -> Beat | None:
    """The beat a logged choice entered: any choice with a trigger enters one, the same beat included."""
    scene = story.scenes.get(before.scene)
    taken = after.log[-1].choice if after.log else None
    fired = scene is not None and any(c.key == taken and c.trigger is not None for c in scene.choices)
    return story.beats[after.beat] if fired or after.beat != before.beat else None


def step_entries(
    story: Story, after: GameState, beat: Beat | None, view: View, feedback: str = ""
) -> tuple[Entry, ...]:
    """What the choice that led to `after` shows: the choice (and a deduction's feedback), a chapter card,
    then the scene or the ending."""
    entries: list[Entry] = [Entry("choice", after.log[-1].text)] if after.log else []
    if feedback:
        entries.append(Entry("feedback", feedback))
    if beat is not None:
        entries.append(chapter(beat))
    if view.ending is not None:
        entries.append(ending(view.ending))
    else:
        entries.extend(scene_entries(view))
    return tuple(entries)
