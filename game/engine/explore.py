"""Exhaustive exploration: prove that no playthrough can get stuck.

Breadth-first over every reachable state (scene, beat, the flags, counters,
clues and visits that some choice or beat guard reads, and the once-only
choices taken; conditions on lines only change what is said, so they are left out),
then backwards from the endings: any state that cannot reach an ending is a
soft-lock, reported with the shortest path of choices that leads to it.
Each counter and visit count is clamped just past the numbers the conditions
compare it with, which keeps loops finite (exact as long as counters are compared
with numbers, not with each other).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field

from game.engine import deduce
from game.engine.engine import Engine
from game.engine.state import GameState
from game.story.deductions import choice_targets
from game.story.findings import Finding
from game.story.model import Story


@dataclass
class Exploration:
    states: int = 0
    complete: bool = True
    limit: int = 0
    scenes: set[str] = field(default_factory=set)
    endings: set[str] = field(default_factory=set)
    traps: list[tuple[list[str], GameState]] = field(default_factory=list)  # (path of choices, state)
    ending_paths: dict[str, list[str]] = field(default_factory=dict)  # the shortest way to each ending


def later_beats(story: Story, beat: str) -> set[str]:
    """`beat` and every beat the machine can move to from it."""
    reach = {beat}
    queue = deque([beat])
    while queue:
        here = queue.popleft()
        for transition in story.transitions:
            if transition.source == here and transition.dest not in reach:
                reach.add(transition.dest)
                queue.append(transition.dest)
    return reach


@dataclass(frozen=True)
class _Live:
    """What can still matter from one scene on."""

    flags: frozenset[str]
    clues: frozenset[str]
    counters: tuple[str, ...]
    scenes: tuple[str, ...]
    once_scenes: frozenset[str]


class _Abstraction:
    """What of a state can change what happens next: the key two states share when equivalent.

    Only what a choice or beat guard still ahead of the player reads is kept: from a
    scene, the scenes some path can still reach (within the beats still to come,
    since a scene is only played in its own beat) and the guards of those beats.
    """

    def __init__(self, story: Story) -> None:
        # Each counter (and visit count) is clamped just past the numbers it is compared with.
        compared: dict[str, set[int]] = {}
        for condition in story.conditions(lines=False):  # a line's condition only changes what is said
            for name in (*condition.counters, *condition.scenes):
                compared.setdefault(name, {0, 1}).update(condition.numbers)
        self.bounds = {name: (min(numbers) - 1, max(numbers) + 1) for name, numbers in compared.items()}
        self.deduction_cap = deduce.proof_cap(story)
        ahead = _scenes_ahead(story)
        self.live: dict[str, _Live] = {}
        for scene_id, scenes in ahead.items():
            beats = later_beats(story, story.scenes[scene_id].beat)
            conditions = [
                *(t.guard for t in story.transitions if t.guard is not None and t.source in beats),
                *(c.condition for s in scenes for c in story.scenes[s].choices if c.condition is not None),
            ]
            self.live[scene_id] = _Live(
                flags=frozenset().union(*(c.flags for c in conditions)),
                clues=frozenset().union(*(c.clues for c in conditions)),
                counters=tuple(sorted(frozenset().union(*(c.counters for c in conditions)))),
                scenes=tuple(sorted(frozenset().union(*(c.scenes for c in conditions)))),
                once_scenes=frozenset(scenes),
            )

    def key(self, state: GameState) -> Hashable:
        if state.ending is not None:
            return (state.ending,)
        live, bounds = self.live[state.scene], self.bounds
        return (
            state.scene,
            state.beat,
            frozenset(live.flags.intersection(state.flags)),
            frozenset(live.clues.intersection(state.clues)),
            tuple(_clamp(state.counters.get(name, 0), bounds[name]) for name in live.counters),
            tuple(_clamp(state.visits.get(name, 0), bounds[name]) for name in live.scenes),
            frozenset(t for t in state.once_taken if t.partition("/")[0] in live.once_scenes),
            deduce.proof_key(state, self.deduction_cap),
        )


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return bounds[0] if value < bounds[0] else bounds[1] if value > bounds[1] else value


def _scenes_ahead(story: Story) -> dict[str, frozenset[str]]:
    """For each scene, the scenes reachable from it (itself included), ignoring conditions.

    Computed on the graph's strongly connected components, so each is visited once.
    """
    graph = {
        sid: [goto for c in s.choices for goto in choice_targets(c) if goto in story.scenes]
        for sid, s in story.scenes.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component_of: dict[str, int] = {}
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component_of[member] = len(components)
                    members.append(member)
                    if member == node:
                        break
                components.append(members)
    # Tarjan emits components in reverse topological order: successors come first.
    reach: list[frozenset[str]] = []
    for number, members in enumerate(components):
        found = set(members)
        for member in members:
            for child in graph[member]:
                other = component_of[child]
                if other != number:
                    found |= reach[other]
        reach.append(frozenset(found))
    return {sid: reach[component_of[sid]] for sid in graph}


def explore(engine: Engine, limit: int = 200_000, traps: int = 3) -> Exploration:
    """Explore up to `limit` states; report at most `traps` soft-locks, each by its shortest path."""
    abstraction = _Abstraction(engine.story)
    start = engine.new_game()
    start_key = abstraction.key(start)
    parents: dict[Hashable, tuple[Hashable, str] | None] = {start_key: None}
    states: dict[Hashable, GameState] = {start_key: start}
    edges: dict[Hashable, list[Hashable]] = {}
    result = Exploration(limit=limit)
    queue = deque([start_key])
    while queue:
        key = queue.popleft()
        state = states[key]
        result.scenes.add(state.scene)
        if state.ending is not None:
            result.endings.add(state.ending)
            result.ending_paths.setdefault(state.ending, _path(parents, key))
            edges[key] = []
            continue
        successors = edges[key] = []
        for choice, given in deduce.moves(engine.story, state, engine.choices(state)):
            after = engine.choose(state, choice, given).state
            after.log.clear()  # paths come from `parents`; the log would only cost memory
            after_key = abstraction.key(after)
            successors.append(after_key)
            if after_key in parents:
                continue
            if len(parents) >= limit:
                result.complete = False
                continue
            parents[after_key] = (key, deduce.move_text(engine.story, choice, given))
            states[after_key] = after
            queue.append(after_key)
    result.states = len(parents)
    if not result.complete:
        return result
    can_end = _can_reach_an_ending(edges, states)
    for key in parents:  # insertion order is breadth-first: shortest paths first
        if key not in can_end:
            result.traps.append((_path(parents, key), states[key]))
            if len(result.traps) >= traps:
                break
    return result


def _can_reach_an_ending(edges: dict[Hashable, list[Hashable]], states: dict[Hashable, GameState]) -> set[Hashable]:
    incoming: dict[Hashable, list[Hashable]] = {}
    for source, targets in edges.items():
        for target in targets:
            incoming.setdefault(target, []).append(source)
    good = {key for key, state in states.items() if state.ending is not None}
    queue = deque(good)
    while queue:
        for source in incoming.get(queue.popleft(), ()):
            if source not in good:
                good.add(source)
                queue.append(source)
    return good


def _path(parents: dict[Hashable, tuple[Hashable, str] | None], key: Hashable) -> list[str]:
    path: list[str] = []
    step = parents[key]
    while step is not None:
        key, text = step
        path.append(text)
        step = parents[key]
    return path[::-1]


def exploration_findings(story: Story, result: Exploration) -> list[Finding]:
    """The exploration as findings an author can act on, each at a file and line."""
    found: list[Finding] = []
    for path, state in result.traps:
        scene = story.scenes[state.scene]
        route = " → ".join(f"'{text}'" for text in path) or "(the start itself)"
        found.append(
            Finding(
                scene.where.file,
                scene.where.line,
                f"soft-lock: a player can get stuck in scene '{scene.id}', with no way left to any ending; "
                f"shortest path from the start: {route}",
            )
        )
    if not result.complete:
        return found
    for scene in story.scenes.values():
        if scene.id not in result.scenes:
            found.append(
                Finding(
                    scene.where.file,
                    scene.where.line,
                    f"scene '{scene.id}' is never reached in any playthrough",
                    "warning",
                )
            )
    for ending in story.endings.values():
        if ending.id not in result.endings:
            found.append(
                Finding(
                    ending.where.file,
                    ending.where.line,
                    f"ending '{ending.id}' is never reached in any playthrough",
                    "warning",
                )
            )
    return found
