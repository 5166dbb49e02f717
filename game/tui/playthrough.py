"""One run as the TUI keeps it: the engine's run (states, undo, redo) and the transcript (for history).

The transcript is everything the screen has shown, so the history screen can
replay it; each step keeps the part of the transcript it added, so undo takes
back exactly what the undone choice wrote.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from game.engine.engine import Engine, Step, View
from game.engine.run import Run
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


class Playthrough:
    """A run in progress (the engine's `Run`, which owns undo and redo) and what each step showed."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.engine = run.engine
        first = run.history[0]
        opening = (_chapter(self.engine.story.beats[first.beat]), *self._scene_entries(self.engine.view(first)))
        self._shown: list[tuple[Entry, ...]] = [opening]
        self._shown.extend(self._step_entries(before, after) for before, after in itertools.pairwise(run.history))
        self._undone: list[tuple[Entry, ...]] = []

    @classmethod
    def new(cls, engine: Engine, seed: int = 0) -> Playthrough:
        return cls(Run.new(engine, seed))

    @property
    def state(self) -> GameState:
        return self.run.state

    @property
    def view(self) -> View:
        return self.engine.view(self.state)

    @property
    def ended(self) -> bool:
        return self.state.ending is not None

    @property
    def can_undo(self) -> bool:
        return self.run.can_undo

    @property
    def can_redo(self) -> bool:
        return self.run.can_redo

    @property
    def choices_made(self) -> int:
        return len(self.run.history) - 1

    @property
    def transcript(self) -> list[Entry]:
        return [entry for entries in self._shown for entry in entries]

    def choose(self, choice: Choice | int, given: Sequence[str] = ()) -> Step:
        """Take a choice through the engine (ChoiceError if it is not on offer) and record what it shows."""
        before = self.state
        step = self.run.choose(choice, given)
        self._shown.append(self._step_entries(before, step.state))
        self._undone.clear()
        return step

    def undo(self) -> bool:
        """Go back one choice; False when there is nothing to undo."""
        if not self.run.undo():
            return False
        self._undone.append(self._shown.pop())
        return True

    def redo(self) -> bool:
        """Take an undone choice again; False when there is none."""
        if not self.run.redo():
            return False
        self._shown.append(self._undone.pop())
        return True

    def _step_entries(self, before: GameState, after: GameState) -> tuple[Entry, ...]:
        """What the screen shows for the choice that led from `before` to `after`."""
        story = self.engine.story
        entries: list[Entry] = [Entry("choice", after.log[-1].text)]
        if after.beat != before.beat:
            entries.append(_chapter(story.beats[after.beat]))
        if after.ending is not None:
            entries.append(_ending(story.endings[after.ending]))
        else:
            entries.extend(self._scene_entries(self.engine.view(after)))
        return tuple(entries)

    @staticmethod
    def _scene_entries(view: View) -> list[Entry]:
        return [_heading(view.scene), *(Entry("line", line.text, speaker=line.speaker) for line in view.lines)]


def _chapter(beat: Beat) -> Entry:
    return Entry("chapter", beat.title, detail=beat.card)


def _heading(scene: Scene) -> Entry:
    return Entry("scene", scene.title, detail=scene.place)


def _ending(ending: Ending) -> Entry:
    return Entry("ending", ending.title, detail=ending.text)
