"""How a run goes: what the player sees now, and what a choice does.

Pure and deterministic: no I/O, no UI. Frontends ask `view()` and call
`choose()`, which returns a new state, so undo is keeping the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.beats import BeatMachine
from game.engine.state import GameState, LoggedChoice
from game.story.model import Beat, Choice, Ending, Line, Scene, Story


@dataclass(frozen=True, slots=True)
class View:
    """Everything a frontend shows at one moment of a run."""

    scene: Scene
    beat: Beat
    lines: tuple[Line, ...]
    choices: tuple[Choice, ...]
    ending: Ending | None


@dataclass(frozen=True, slots=True)
class Step:
    """The result of a choice: the new state, and the events worth a card."""

    state: GameState
    entered_beat: Beat | None
    ending: Ending | None


class ChoiceError(ValueError):
    """A choice that is not on offer now."""


class Engine:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.beats = BeatMachine(story)

    def new_game(self, seed: int = 0) -> GameState:
        state = GameState(scene=self.story.start, beat=self.story.initial_beat, seed=seed)
        self._enter(state, self.story.start)
        return state

    def view(self, state: GameState) -> View:
        scene = self.story.scenes[state.scene]
        ending = self.story.endings.get(state.ending) if state.ending else None
        return View(
            scene=scene,
            beat=self.story.beats[state.beat],
            lines=tuple(line for line in scene.lines if line.condition is None or line.condition(state)),
            choices=() if ending else self.choices(state),
            ending=ending,
        )

    def choices(self, state: GameState) -> tuple[Choice, ...]:
        """The choices on offer now, in the author's order."""
        scene = self.story.scenes[state.scene]
        return tuple(choice for choice in scene.choices if self._offered(state, scene, choice))

    def choose(self, state: GameState, choice: Choice | int) -> Step:
        """Apply a choice (a Choice or its 1-based number among those on offer)."""
        if isinstance(choice, int):
            offered = self.choices(state) if state.ending is None else ()
            if not 1 <= choice <= len(offered):
                raise ChoiceError(
                    "there is nothing to choose"
                    if not offered
                    else "choose 1: it is the only choice"
                    if len(offered) == 1
                    else f"choose a number from 1 to {len(offered)}"
                )
            choice = offered[choice - 1]
        else:
            scene = self.story.scenes[state.scene]
            known = any(choice is own for own in scene.choices)
            if state.ending is not None or not known or not self._offered(state, scene, choice):
                raise ChoiceError(f"'{choice.text}' is not on offer now")
        new = state.copy()
        new.log.append(LoggedChoice(state.scene, choice.key, choice.text))
        if choice.once:
            new.once_taken.add(f"{state.scene}/{choice.key}")
        entered: Beat | None = None
        if choice.trigger is not None:
            new.beat = self.beats.fire(choice.trigger, state.beat, state)
            entered = self.story.beats[new.beat]
        for effect in choice.effects:
            effect.apply(new)
        if choice.ending is not None:
            new.ending = choice.ending
            return Step(new, entered, self.story.endings[choice.ending])
        assert choice.goto is not None
        self._enter(new, choice.goto)
        return Step(new, entered, None)

    def find_choice(self, state: GameState, key: str) -> Choice | None:
        """The choice with this key, if it is on offer now (for replaying a log)."""
        return next((c for c in self.choices(state) if c.key == key), None)

    def _offered(self, state: GameState, scene: Scene, choice: Choice) -> bool:
        if choice.once and f"{scene.id}/{choice.key}" in state.once_taken:
            return False
        if choice.condition is not None and not choice.condition(state):
            return False
        return choice.trigger is None or self.beats.can_fire(choice.trigger, state.beat, state)

    def _enter(self, state: GameState, scene_id: str) -> None:
        state.scene = scene_id
        state.visits[scene_id] = state.visits.get(scene_id, 0) + 1
        for effect in self.story.scenes[scene_id].on_enter:
            effect.apply(state)
