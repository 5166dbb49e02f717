"""A run in progress: the states so far, so that undo and redo are just moves in a list.

States are values (the engine never mutates one), so keeping them all costs
little and restores everything: flags, clues, beat, once-only choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from game.engine.engine import ChoiceError, Engine, Step
from game.engine.state import GameState
from game.story.model import Choice, Story


@dataclass(frozen=True, slots=True)
class Replay:
    """What replaying a choice log gave: the states, and how far it got."""

    states: list[GameState]
    replayed: int  # choices of the log that still exist and were taken
    total: int

    @property
    def complete(self) -> bool:
        return self.replayed == self.total


def replay(engine: Engine, state: GameState) -> Replay:
    """Replay `state`'s choice log from a new game with its seed, stopping at the first choice that no longer exists."""
    current = engine.new_game(state.seed)
    states = [current]
    for entry in state.log:
        if current.scene != entry.scene or current.ending is not None:
            break
        choice = engine.find_choice(current, entry)
        if choice is None:
            break
        try:
            current = engine.choose(current, choice, entry.given).state
        except ChoiceError:  # the story changed what a deduction or question accepts
            break
        states.append(current)
    return Replay(states, len(states) - 1, len(state.log))


def fits(story: Story, state: GameState) -> bool:
    """Whether a state names only things the story has (a same-digest save always should)."""
    return (
        state.scene in story.scenes
        and state.beat in story.beats
        and (state.ending is None or state.ending in story.endings)
    )


def carry_over(engine: Engine, state: GameState, since: str) -> tuple[Run, str]:
    """Continue a run made with another version of the story, by replaying its log as far as it fits.

    The player is never put in a scene that does not exist, nor in a state the
    story could not reach; the notice says exactly where the run was restored to.
    """
    rebuilt = replay(engine, state)
    run = Run(engine, rebuilt.states)
    where = engine.story.scenes[run.state.scene].title
    if rebuilt.complete:
        return (
            run,
            f"The story has changed {since}; your {rebuilt.total} choices were replayed and you are back in {where}.",
        )
    lost = state.log[rebuilt.replayed]
    return run, (
        f"The story has changed {since}: the choice '{lost.text}' no longer exists. "
        f"Your run was restored to {where}, after {rebuilt.replayed} of {rebuilt.total} choices."
    )


@dataclass
class Run:
    """The states of one run, oldest first, and the states undone (for redo)."""

    engine: Engine
    history: list[GameState]
    undone: list[GameState] = field(default_factory=list)

    @classmethod
    def new(cls, engine: Engine, seed: int = 0) -> Run:
        return cls(engine, [engine.new_game(seed)])

    @classmethod
    def resume(cls, engine: Engine, state: GameState) -> Run:
        """Continue from a saved state, rebuilding the steps before it so undo reaches the run's start."""
        rebuilt = replay(engine, state)
        if rebuilt.complete and rebuilt.states[-1] == state:
            return cls(engine, rebuilt.states)
        return cls(engine, [state])

    @property
    def state(self) -> GameState:
        return self.history[-1]

    def choose(self, choice: Choice | int, given: Sequence[str] = ()) -> Step:
        step = self.engine.choose(self.state, choice, given)
        self.history.append(step.state)
        self.undone.clear()
        return step

    @property
    def can_undo(self) -> bool:
        return len(self.history) > 1

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)

    def undo(self, steps: int = 1) -> int:
        """Step back up to `steps` choices; return how many were undone."""
        count = 0
        while count < steps and self.can_undo:
            self.undone.append(self.history.pop())
            count += 1
        return count

    def redo(self) -> bool:
        if not self.undone:
            return False
        self.history.append(self.undone.pop())
        return True
