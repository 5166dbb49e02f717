"""Which parts of a run's state can still matter, scene by scene: live-variable analysis.

A flag, clue, counter, visit count or once-taken mark is live at a scene when some
choice or beat guard reachable from there reads it before an effect overwrites it,
the classic backward data-flow problem compilers solve for registers. The soft-lock
proof keeps only the live parts of each state, which is what keeps it small.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from game.story.conditions import Condition, Effect
from game.story.deductions import callers_of, choice_targets, conditional_effects
from game.story.model import Choice, Story

# A variable of the state, as the analysis names it: (kind, name) with kind one of
# "flag", "clue", "counter", "visits" (name: a scene) and "once" (name: "scene/choice key").
Var = tuple[str, str]


def _reads(condition: Condition | None) -> set[Var]:
    if condition is None:
        return set()
    return {
        *(("flag", n) for n in condition.flags),
        *(("clue", n) for n in condition.clues),
        *(("counter", n) for n in condition.counters),
        *(("visits", n) for n in condition.scenes),
    }


def _through(effects: Iterable[Effect], live: set[Var], kills: bool = True) -> set[Var]:
    """What is live before `effects` run, given what is live after them."""
    live = set(live)
    if not kills:
        return live
    for effect in reversed(tuple(effects)):
        if effect.kind in ("set", "clear"):
            live.discard(("flag", effect.name))  # overwritten whatever it was
        elif effect.kind in ("gain", "lose"):
            live.discard(("clue", effect.name))
        # `add` reads the counter it changes: live after means live before
    return live


@dataclass(frozen=True)
class LiveSet:
    """What can still matter at one scene, in the order the state key lists it."""

    flags: frozenset[str]
    clues: frozenset[str]
    counters: tuple[str, ...]
    visits: tuple[str, ...]
    once: frozenset[str]


class Liveness:
    """For each scene, the variables some choice or beat guard still ahead reads before they are overwritten."""

    def __init__(self, story: Story, *, kills: bool = True) -> None:
        self.story = story
        self.kills = kills
        guards: dict[str, set[Var]] = {}
        for transition in story.transitions:
            guards.setdefault(transition.trigger, set()).update(_reads(transition.guard))
        # What each choice reads itself (its condition, its once mark, its trigger's guards).
        self._reads_of: dict[int, set[Var]] = {}
        for scene in story.scenes.values():
            for choice in scene.choices:
                reads = _reads(choice.condition) | guards.get(choice.trigger or "", set())
                if choice.once:
                    reads.add(("once", f"{scene.id}/{choice.key}"))
                self._reads_of[id(choice)] = reads
        self.at = self._solve()
        self.keys = {scene: self.layout(live) for scene, live in self.at.items()}

    def _entry(self, scene_id: str, live_out: dict[str, set[Var]]) -> set[Var]:
        """Live just before entering a scene (its on_enter effects run, its visit is counted)."""
        return _through(self.story.scenes[scene_id].on_enter, live_out[scene_id], self.kills)

    def _after_choice(self, scene_id: str, choice: Choice, live_out: dict[str, set[Var]]) -> set[Var]:
        live: set[Var] = set()
        for target in choice_targets(choice):
            if target in self.story.scenes:
                live |= self._entry(target, live_out)
        # An evidence question's outcome and a deduction's result apply their effects only on one
        # branch: they may read what is live, but never make it dead.
        live = _through(conditional_effects(self.story, choice), live, kills=False)
        live = _through(choice.effects, live, self.kills)
        if choice.once and self.kills:
            live.discard(("once", f"{scene_id}/{choice.key}"))  # taking it sets the mark
        return live | self._reads_of[id(choice)]

    def _solve(self) -> dict[str, frozenset[Var]]:
        """The classic backward data-flow fixpoint, scenes worked from a queue until nothing changes."""
        story = self.story
        callers = callers_of(story)
        live_out: dict[str, set[Var]] = {sid: set() for sid in story.scenes}
        pending = deque(reversed(list(story.scenes)))
        queued = set(pending)
        while pending:
            sid = pending.popleft()
            queued.discard(sid)
            new: set[Var] = set()
            for choice in story.scenes[sid].choices:
                new |= self._after_choice(sid, choice, live_out)
            if new != live_out[sid]:
                live_out[sid] = new
                for caller in callers[sid]:
                    if caller not in queued:
                        queued.add(caller)
                        pending.append(caller)
        return {sid: frozenset(live) for sid, live in live_out.items()}

    @staticmethod
    def layout(live: frozenset[Var]) -> LiveSet:
        def names(kind: str) -> list[str]:
            return sorted(name for k, name in live if k == kind)

        return LiveSet(
            flags=frozenset(names("flag")),
            clues=frozenset(names("clue")),
            counters=tuple(names("counter")),
            visits=tuple(names("visits")),
            once=frozenset(names("once")),
        )
