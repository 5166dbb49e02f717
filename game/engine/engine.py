"""How a run goes: what the player sees now, and what a choice does.

Pure and deterministic: no I/O, no UI. Frontends ask `view()` and call
`choose()`, which returns a new state, so undo is keeping the old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from game.engine import deduce
from game.engine.beats import BeatMachine
from game.engine.matching import match_choice, target_of
from game.engine.state import GameState, LoggedChoice, Submitted
from game.story.conditions import EFFECT_FIELDS, Effect, Test
from game.story.model import Beat, Choice, Deduction, Ending, Line, Scene, Story


class View(NamedTuple):  # a named tuple, not a frozen dataclass: as immutable, and a third of the cost to make
    """Everything a frontend shows at one moment of a run."""

    scene: Scene
    beat: Beat
    lines: tuple[Line, ...]
    choices: tuple[Choice, ...]
    ending: Ending | None


class Step(NamedTuple):
    """The result of a choice: the new state, and the events worth a card."""

    state: GameState
    entered_beat: Beat | None
    ending: Ending | None
    feedback: str | None = None  # what a deduction's submission was told (see deduce.feedback)


class ChoiceError(ValueError):
    """A choice that is not on offer now."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a step needs of one scene, worked out the first time the engine meets it, so a step tests only
    what a run can change."""

    scene: Scene
    lines: tuple[Line, ...] | None  # every line, when none has a condition
    line_runs: tuple[tuple[Test | None, tuple[Line, ...]], ...]  # lines in runs under one condition, and its test
    choices: tuple[Choice, ...] | None  # every choice, when nothing a run does can hide one
    tested_choices: tuple[tuple[Choice, Test | None, bool], ...]  # each choice, its test, and if always offered
    known: dict[int, tuple[LoggedChoice, Test | None]]  # by id(choice): its log entry (nothing submitted), its test

    @classmethod
    def of(cls, scene: Scene) -> _Plan:
        runs = tuple(
            (condition.compiled() if condition else None, tuple(run))
            for condition, run in groupby(scene.lines, key=attrgetter("condition"))
        )
        choices = tuple((choice, choice.condition.compiled() if choice.condition else None) for choice in scene.choices)
        return cls(
            scene,
            None if any(test for test, _ in runs) else scene.lines,
            runs,
            scene.choices if all(_always_offered(choice) for choice in scene.choices) else None,
            tuple((choice, test, _always_offered(choice)) for choice, test in choices),
            {
                id(choice): (LoggedChoice(scene.id, choice.key, choice.text, target_of(choice)), test)
                for choice, test in choices
            },
        )


def _always_offered(choice: Choice) -> bool:
    return (
        not choice.once
        and choice.condition is None
        and choice.trigger is None
        and choice.deduce is None
        and choice.present is None
    )


class Engine:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.beats = BeatMachine(story)
        self._plans: dict[str, _Plan] = {}

    def _plan(self, scene_id: str) -> _Plan:
        plan = self._plans.get(scene_id)
        if plan is None:
            plan = self._plans[scene_id] = _Plan.of(self.story.scenes[scene_id])
        return plan

    def new_game(self, seed: int = 0) -> GameState:
        state = GameState(scene=self.story.start, beat=self.story.initial_beat, seed=seed)
        self._enter(state, self.story.start, set(EFFECT_FIELDS.values()))
        return state

    def view(self, state: GameState) -> View:
        plan = self._plan(state.scene)
        ending = self.story.endings.get(state.ending) if state.ending else None
        lines = plan.lines
        if lines is None:
            shown: list[Line] = []
            for test, run in plan.line_runs:
                if test is None or test(state):
                    shown += run
            lines = tuple(shown)
        return View(
            scene=plan.scene,
            beat=self.story.beats[state.beat],
            lines=lines,
            choices=() if ending else self._choices(plan, state),
            ending=ending,
        )

    def choices(self, state: GameState) -> tuple[Choice, ...]:
        """The choices on offer now, in the author's order."""
        return self._choices(self._plan(state.scene), state)

    def _choices(self, plan: _Plan, state: GameState) -> tuple[Choice, ...]:
        if plan.choices is not None:
            return plan.choices
        return tuple(
            [
                choice
                for choice, test, always in plan.tested_choices
                if always or self._offered(state, plan.scene, choice, test)
            ]
        )

    def choose(self, state: GameState, choice: Choice | int, given: Sequence[str] = ()) -> Step:
        """Apply a choice (a Choice or its 1-based number among those on offer).

        A choice that submits a deduction takes its fills in `given` (one per blank,
        in order); one that presents evidence takes the item presented.
        """
        plan = self._plan(state.scene)
        if isinstance(choice, int):
            offered = self._choices(plan, state) if state.ending is None else ()
            if not 1 <= choice <= len(offered):
                raise ChoiceError(
                    "there is nothing to choose"
                    if not offered
                    else "choose 1: it is the only choice"
                    if len(offered) == 1
                    else f"choose a number from 1 to {len(offered)}"
                )
            choice = offered[choice - 1]
        known = plan.known.get(id(choice))  # the choice itself, not an equal one of another story
        if (
            state.ending is not None
            or known is None
            or (plan.choices is None and not self._offered(state, plan.scene, choice, known[1]))
        ):
            raise ChoiceError(f"'{choice.text}' is not on offer now")
        logged = known[0]
        given = tuple(given)
        if given or choice.deduce is not None or choice.present is not None:
            self._check_given(state, choice, given)
            logged = LoggedChoice(state.scene, choice.key, choice.text, logged.target, given)
        new = state.successor(logged)
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
        if choice.effects:
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

    def _offered(self, state: GameState, scene: Scene, choice: Choice, test: Test | None) -> bool:
        if choice.once and f"{scene.id}/{choice.key}" in state.once_taken:
            return False
        if test is not None and not test(state):
            return False
        if (choice.deduce is not None or choice.present is not None) and not deduce.can_submit(
            self.story, state, choice
        ):
            return False
        return choice.trigger is None or self.beats.can_fire(choice.trigger, state.beat, state)

    def _enter(self, state: GameState, scene_id: str, owned: set[str]) -> None:
        state.scene = scene_id
        state.visits = state.visits.set(scene_id, state.visits.get(scene_id, 0) + 1)
        on_enter = self._plan(scene_id).scene.on_enter
        if on_enter:
            _apply(state, on_enter, owned)


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
