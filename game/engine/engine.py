"""How a run goes: what the player sees now, and what a choice does.

Pure and deterministic: no I/O, no UI. Frontends ask `view()` and call
`choose()`, which returns a new state, so undo is keeping the old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from game.engine import deduce
from game.engine.beats import BeatMachine
from game.engine.matching import match_choice, target_of
from game.engine.state import GameState, LoggedChoice, Submitted
from game.story.conditions import EFFECT_FIELDS, Effect
from game.story.model import Beat, Choice, Deduction, Ending, Line, Scene, Story


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
    feedback: str | None = None  # what a deduction's submission was told (see deduce.feedback)


class ChoiceError(ValueError):
    """A choice that is not on offer now."""


class Engine:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.beats = BeatMachine(story)

    def new_game(self, seed: int = 0) -> GameState:
        state = GameState(scene=self.story.start, beat=self.story.initial_beat, seed=seed)
        self._enter(state, self.story.start, set(EFFECT_FIELDS.values()))
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

    def choose(self, state: GameState, choice: Choice | int, given: Sequence[str] = ()) -> Step:
        """Apply a choice (a Choice or its 1-based number among those on offer).

        A choice that submits a deduction takes its fills in `given` (one per blank,
        in order); one that presents evidence takes the item presented.
        """
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
        given = tuple(given)
        self._check_given(state, choice, given)
        new = state.successor(LoggedChoice(state.scene, choice.key, choice.text, target_of(choice), given))
        owned: set[str] = set()  # the containers `new` has its own copy of (see GameState.successor)
        if choice.once:
            new.once_taken = new.once_taken | {f"{state.scene}/{choice.key}"}
        entered: Beat | None = None
        if choice.trigger is not None:
            new.beat = self.beats.fire(choice.trigger, state.beat, state)
            entered = self.story.beats[new.beat]
        goto, ending, said = choice.goto, choice.ending, None
        if choice.deduce is not None:
            said = self._submit(new, self.story.deductions[choice.deduce], given, owned)
        _apply(new, choice.effects, owned)
        if choice.present is not None:
            new.presented = {**new.presented, f"{state.scene}/{choice.key}": given[0]}
            _, result = deduce.outcome(choice.present, given[0])
            _apply(new, result.effects, owned)
            if result.goto is not None or result.ending is not None:
                goto, ending = result.goto, result.ending
        if ending is not None:
            new.ending = ending
            return Step(new, entered, self.story.endings[ending], said)
        assert goto is not None
        self._enter(new, goto, owned)
        return Step(new, entered, None, said)

    def _check_given(self, state: GameState, choice: Choice, given: tuple[str, ...]) -> None:
        """A submission must fill every blank (or present one item) from what the player has gathered."""
        story = self.story
        if choice.deduce is not None:
            blanks = story.deductions[choice.deduce].blanks
            if len(given) != len(blanks):
                raise ChoiceError(f"'{choice.text}' needs {len(blanks)} blanks filled, not {len(given)}")
            for blank, item in zip(blanks, given, strict=True):
                if item not in deduce.blank_options(story, state, blank):
                    raise ChoiceError(f"'{story.label(item)}' cannot fill the blank '{blank.name}' now")
        elif choice.present is not None:
            if len(given) != 1 or given[0] not in deduce.question_options(story, state, choice.present):
                raise ChoiceError(f"'{choice.text}' needs one item you hold to present")
        elif given:
            raise ChoiceError(f"'{choice.text}' takes nothing to submit")

    def _submit(self, state: GameState, deduction: Deduction, fills: tuple[str, ...], owned: set[str]) -> str:
        """Record a submission and apply what the author says it costs or earns."""
        wrong = deduce.wrong_count(deduction, fills)
        before = state.deductions.get(deduction.id)
        submitted = Submitted(fills, wrong, (before.attempts if before else 0) + 1)
        state.deductions = {**state.deductions, deduction.id: submitted}
        _apply(state, deduction.on_solved if wrong == 0 else deduction.on_wrong, owned)
        return deduce.feedback(deduction, wrong)

    def find_choice(self, state: GameState, logged: LoggedChoice | str) -> Choice | None:
        """The offered choice a logged one was (by key, else target and words: see matching), for replaying a log."""
        if isinstance(logged, str):
            logged = LoggedChoice(state.scene, logged, logged)
        return match_choice(self.choices(state), logged)

    def _offered(self, state: GameState, scene: Scene, choice: Choice) -> bool:
        if choice.once and f"{scene.id}/{choice.key}" in state.once_taken:
            return False
        if choice.condition is not None and not choice.condition(state):
            return False
        if not deduce.can_submit(self.story, state, choice):
            return False
        return choice.trigger is None or self.beats.can_fire(choice.trigger, state.beat, state)

    def _enter(self, state: GameState, scene_id: str, owned: set[str]) -> None:
        state.scene = scene_id
        state.visits = state.visits.set(scene_id, state.visits.get(scene_id, 0) + 1)
        _apply(state, self.story.scenes[scene_id].on_enter, owned)


def _apply(state: GameState, effects: Iterable[Effect], owned: set[str]) -> None:
    """Apply effects to a state being made, giving it its own copy of a container before the first change.

    What no effect touches stays shared with the state before, which undo keeps as it was.
    """
    for effect in effects:
        name = EFFECT_FIELDS[effect.kind]
        if name not in owned:
            owned.add(name)
            state.own(name)
        effect.apply(state)
