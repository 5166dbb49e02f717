"""One run as the TUI keeps it: the states so far (for undo) and the transcript (for history).

The engine returns a new state on every choice; keeping the old ones is undo.
The transcript is everything the screen has shown, so the history screen can
replay it; each state carries the part of the transcript it added, so undo
takes back exactly what the undone choice wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from game.engine.engine import Engine, Step, View
from game.engine.state import GameState
from game.story.model import Beat, Choice, Ending, Scene

EntryKind = Literal["chapter", "scene", "line", "choice", "ending"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing shown: a chapter card, a scene heading, a line, the choice taken, or the ending."""

    kind: EntryKind
    text: str
    speaker: str = ""  # for lines: NARRATOR, VOICEOVER or a character id
    detail: str = ""  # a chapter's card line, a scene's place, an ending's text


@dataclass(frozen=True, slots=True)
class Moment:
    state: GameState
    entries: tuple[Entry, ...]


class Playthrough:
    """A run in progress: the current state, the ones before it, and what was shown."""

    def __init__(self, engine: Engine, first: GameState) -> None:
        self.engine = engine
        opening = (_chapter(engine.story.beats[first.beat]), *self._scene_entries(engine.view(first)))
        self._moments: list[Moment] = [Moment(first, opening)]

    @classmethod
    def new(cls, engine: Engine, seed: int = 0) -> Playthrough:
        return cls(engine, engine.new_game(seed))

    @property
    def state(self) -> GameState:
        return self._moments[-1].state

    @property
    def view(self) -> View:
        return self.engine.view(self.state)

    @property
    def ended(self) -> bool:
        return self.state.ending is not None

    @property
    def can_undo(self) -> bool:
        return len(self._moments) > 1

    @property
    def choices_made(self) -> int:
        return len(self._moments) - 1

    @property
    def transcript(self) -> list[Entry]:
        return [entry for moment in self._moments for entry in moment.entries]

    def choose(self, choice: Choice | int) -> Step:
        """Take a choice through the engine (ChoiceError if it is not on offer) and record what it shows."""
        step = self.engine.choose(self.state, choice)
        taken = step.state.log[-1].text
        entries: list[Entry] = [Entry("choice", taken)]
        if step.entered_beat is not None:
            entries.append(_chapter(step.entered_beat))
        if step.ending is not None:
            entries.append(_ending(step.ending))
        else:
            entries.extend(self._scene_entries(self.engine.view(step.state)))
        self._moments.append(Moment(step.state, tuple(entries)))
        return step

    def undo(self) -> bool:
        """Go back one choice; False when there is nothing to undo."""
        if not self.can_undo:
            return False
        self._moments.pop()
        return True

    @staticmethod
    def _scene_entries(view: View) -> list[Entry]:
        return [_heading(view.scene), *(Entry("line", line.text, speaker=line.speaker) for line in view.lines)]


def _chapter(beat: Beat) -> Entry:
    return Entry("chapter", beat.title, detail=beat.card)


def _heading(scene: Scene) -> Entry:
    return Entry("scene", scene.title, detail=scene.place)


def _ending(ending: Ending) -> Entry:
    return Entry("ending", ending.title, detail=ending.text)
