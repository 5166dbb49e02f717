"""What the player has learnt: the casebook and the suspects board, derived from a run.

Pure functions of (Story, GameState), so every frontend shows the same facts
and no widget ever decides what a clue means. A clue tells against a suspect
through its `bears_on` (motive, means, opportunity or alibi); anything learnt
in conversation that should reach the board is a clue too (an effect `gain:`s it).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.state import GameState
from game.story.model import SUSPECT_ASPECTS, Character, Clue, Story

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CasebookEntry:
    """A clue in the casebook, with where it was found, in the order it was found."""

    clue: Clue
    scene_id: str
    scene_title: str  # the scene's title, or its id when the story no longer has it
    place: str  # the scene's place ('' when none)

    @property
    def found(self) -> str:
        """Where it was found, as one phrase: 'The report, Madame DuBois's office'."""
        return f"{self.scene_title}, {self.place}" if self.place else self.scene_title


@dataclass(frozen=True, slots=True)
class SuspectFile:
    """One suspect on the board: the clues found so far for each aspect of the case."""

    character: Character
    met: bool
    leads: dict[str, tuple[Clue, ...]]  # aspect (SUSPECT_ASPECTS) -> clues, in the order found

    def known(self, aspect: str) -> bool:
        return bool(self.leads.get(aspect))

    def summary(self, aspect: str) -> str:
        """The names of the clues bearing on this aspect, or UNKNOWN."""
        clues = self.leads.get(aspect, ())
        return "; ".join(clue.name for clue in clues) if clues else UNKNOWN

    @property
    def known_count(self) -> int:
        """How many of motive, means and opportunity are known (an alibi is not a charge)."""
        return sum(self.known(aspect) for aspect in ("motive", "means", "opportunity"))


def casebook(story: Story, state: GameState) -> tuple[CasebookEntry, ...]:
    """The clues found in this run, in the order found, skipping ids the story no longer has."""
    entries = []
    for clue_id, scene_id in state.clues.items():
        clue = story.clues.get(clue_id)
        if clue is None:
            continue
        scene = story.scenes.get(scene_id)
        entries.append(
            CasebookEntry(
                clue=clue,
                scene_id=scene_id,
                scene_title=scene.title if scene else scene_id,
                place=scene.place if scene else "",
            )
        )
    return tuple(entries)


def suspects_board(story: Story, state: GameState) -> tuple[SuspectFile, ...]:
    """Every suspect, in the story's order, with what the clues found say about each."""
    found = [entry.clue for entry in casebook(story, state)]
    board = []
    for suspect in story.suspects:
        leads: dict[str, tuple[Clue, ...]] = {
            aspect: tuple(clue for clue in found if clue.bears_on.get(suspect.id) == aspect)
            for aspect in SUSPECT_ASPECTS
        }
        board.append(SuspectFile(character=suspect, met=has_met(story, state, suspect.id), leads=leads))
    return tuple(board)


def has_met(story: Story, state: GameState, character_id: str) -> bool:
    """Whether the character has spoken in a scene the player has entered.

    A conditional line counts when its condition holds now; that is close enough
    for a board, and keeps the state free of a second copy of the transcript.
    """
    for scene_id in state.visits:
        scene = story.scenes.get(scene_id)
        if scene is None:
            continue
        for line in scene.lines:
            if line.speaker == character_id and (line.condition is None or line.condition(state)):
                return True
    return False
