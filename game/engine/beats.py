"""The season's spine as a `transitions` state machine, built from story.yaml.

The machine is shared by all runs of a story: before each question it is put
into the run's beat, so the run's state stays plain data (never pickled). It is
built when a trigger is first asked about, not with the engine, so that
importing `transitions` stays off the path to the game's first frame.

Why this shape, and not callbacks on entering a beat (issue 11 asked): what
`transitions` earns here is the guards (each `if:` condition checked by the
machine, with `may_<trigger>` asking without moving) and its GraphMachine,
which draws `archer graph --format beats`. Entering a beat is already an event
of the engine's own: `Step.entered_beat`, from which the session makes the
chapter card and the autosave for every frontend alike. An `on_enter` callback
would have to reach the session from inside the pure engine (a layer upward),
and a machine shared by all runs would fire it for replays and `may_` checks
too; so the engine reports the event and the session acts on it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from game.story.conditions import Condition, Facts
from game.story.model import Story

if TYPE_CHECKING:
    from transitions import Machine


class _BeatModel:
    """The object the machine drives; it has no attributes a trigger could shadow."""

    state: str


class BeatMachine:
    def __init__(self, story: Story) -> None:
        self._story = story
        self._model = _BeatModel()

    @cached_property
    def _machine(self) -> Machine:
        """The machine, made the first time a trigger is asked about."""
        from transitions import Machine

        story = self._story
        machine = Machine(
            model=self._model,
            states=list(story.beats),
            initial=story.initial_beat or None,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )
        for transition in story.transitions:
            if hasattr(self._model, transition.trigger):
                raise ValueError(f"{transition.where}: trigger '{transition.trigger}' clashes with the beat machine")
            machine.add_transition(
                transition.trigger,
                transition.source,
                transition.dest,
                conditions=[transition.guard] if transition.guard is not None else None,
            )
        return machine

    def can_fire(self, trigger: str, beat: str, facts: Facts) -> bool:
        """Whether `trigger` leads anywhere from `beat`, its guard holding for `facts`."""
        self._machine.set_state(beat)
        return bool(getattr(self._model, f"may_{trigger}")(facts))

    def fire(self, trigger: str, beat: str, facts: Facts) -> str:
        """The beat the story moves to; raise ValueError when the trigger cannot fire."""
        from transitions import MachineError

        self._machine.set_state(beat)
        try:
            moved = getattr(self._model, trigger)(facts)
        except MachineError as error:
            raise ValueError(f"'{trigger}' cannot fire from beat '{beat}'") from error
        if not moved:
            raise ValueError(f"the guard of '{trigger}' does not hold")
        return self._model.state


def beats_mermaid(story: Story) -> str:
    """The beats machine as a Mermaid state diagram, drawn by transitions' own GraphMachine."""
    from transitions.extensions import GraphMachine

    class LabelledGraph(GraphMachine):
        """Labels each guard with its condition's source text."""

        @staticmethod
        def format_references(func: Callable[..., bool | None]) -> str:
            return func.source if isinstance(func, Condition) else GraphMachine.format_references(func)

    class Model:
        pass

    model = Model()
    machine = LabelledGraph(
        model=model,
        states=list(story.beats),
        initial=story.initial_beat,
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title=story.title,
    )
    for transition in story.transitions:
        guard: list[str | Callable[..., bool | None]] | None = (
            [transition.guard] if transition.guard is not None else None
        )
        machine.add_transition(transition.trigger, transition.source, transition.dest, conditions=guard)
    return str(model.get_graph().draw(None))  # type: ignore[attr-defined]
