"""Exhaustive exploration: prove that no playthrough can get stuck.

Breadth-first over every reachable state, then backwards from the endings: any
state that cannot reach an ending is a soft-lock, reported once per trap with the
shortest path of choices into it and the choice after which no ending is left.

Two states are the same to the proof when nothing still ahead can tell them apart.
A live-variable analysis over the scene graph (game.engine.liveness)
finds, for each scene, the flags, clues, counters, visit counts and once-taken
marks that some choice or beat guard reachable from there reads before an effect
overwrites them (and, for a deduction or question ahead, whether the player holds,
has met or has learned one of each group of what it offers; a word read by knows()
until it is learned); everything else is dropped from the
explored state. Conditions on lines only change what is said, so they are left out.
The search runs on the story compiled to ints and bitmasks (game.engine.compact),
where numbers are kept as the classes of values the conditions tell apart; the
engine's own states remain the reference the tests compare it with. A counter that
goes both ways is clamped just past the numbers it is compared with, which keeps
loops finite (exact while its values stay in that range).

The search runs within a budget of time and memory (counted in states times an
estimate of the bytes each costs); when the budget runs out it says how far it got
and which variables multiply the states most.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import sys
import time
from array import array
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from game.engine import deduce
from game.engine.compact import CompactStory, NotCompiled
from game.engine.engine import Engine
from game.engine.liveness import Liveness
from game.engine.state import GameState
from game.story.findings import Finding
from game.story.model import Story

Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class Budget:
    """How much the proof may spend: seconds (None: no limit), megabytes, and states (None: no limit)."""

    seconds: float | None = 2.0
    megabytes: int = 500
    states: int | None = None

    def __str__(self) -> str:
        time_part = "no time limit" if self.seconds is None else f"{self.seconds:g} s"
        return f"{time_part}, {self.megabytes:,} MB"


DEFAULT_BUDGET = Budget()
# The shipped story (2026-12-02, words learned in scenes): 3,573,475 states; with a state one int and the
# search's bookkeeping in arrays, 0.85 GB peak resident memory (2.8 GB before), 47 s of CPU under a load of 9
# (71 s before, under 4), about 230 bytes a state: the 8,000 MB hold some 30 million states.
DEEP_BUDGET = Budget(seconds=None, megabytes=8_000)


@dataclass(frozen=True)
class Trap:
    """Somewhere a player can be stuck: a scene with no choice left, or scenes that only lead to each other."""

    scenes: tuple[str, ...]  # where the player is stuck (one scene for a dead end, several for a closed loop)
    dead_end: bool
    path: list[str]  # the shortest path of choice texts from the start into the trap
    no_return: tuple[str, str] | None  # (scene, choice text): the choice after which no ending is left


@dataclass
class Exploration:
    states: int = 0
    complete: bool = True
    limit: int = 0
    stopped_by: str = ""  # "time", "memory" or "states" when cut short
    seconds: float = 0.0
    megabytes: float = 0.0  # the estimate of what the explored states cost
    scenes: set[str] = field(default_factory=set)
    endings: set[str] = field(default_factory=set)
    traps: list[Trap] = field(default_factory=list)
    ending_paths: dict[str, list[str]] = field(default_factory=dict)  # the shortest way to each ending
    multipliers: list[tuple[str, float]] = field(default_factory=list)  # when cut short: what multiplies the states


def available_moves(engine: Engine, state: GameState) -> Iterator[tuple[str, GameState]]:
    """What a player can do at `state`: each move's label and the state it leads to.

    The one place the proof asks what is on offer; a new kind of move (a deduction
    submitted, say) is added here and the whole search takes it into account.
    """
    for choice, given in deduce.moves(engine.story, state, engine.choices(state)):
        after = engine.choose(state, choice, given).state
        after.log.clear()  # paths come from the search's parents; the log would only cost memory
        yield deduce.move_text(engine.story, choice, given), after


class _Abstraction:
    """What of a state can change what happens next: the key two states share when equivalent."""

    def __init__(self, story: Story, analysis: str = "live") -> None:
        if analysis not in ("live", "live-engine", "read-ahead", "none"):
            raise ValueError(f"unknown analysis '{analysis}'")
        self.liveness = Liveness(story, kills=analysis != "read-ahead")
        self.whole = analysis == "none"  # the whole state: the search with no analysis at all
        self.live = self.liveness.keys
        self.story = story

    # What only the engine's keys read, worked out when first asked (the compiled story has its own).

    @functools.cached_property
    def bounds(self) -> dict[str, tuple[int, int]]:
        """Each counter (and visit count) is clamped just past the numbers it is compared with."""
        speakers = self.liveness.speakers
        conditions = list(self.story.conditions(lines=False))  # a line's condition only changes what is said...
        conditions += [c for lines in speakers.conditional.values() for _, c in lines]  # ...or who was met
        compared: dict[str, set[int]] = {}
        for condition in conditions:
            for name in (*condition.counters, *condition.scenes):
                compared.setdefault(name, {0, 1}).update(condition.numbers)
        for lines in speakers.conditional.values():
            for scene, _ in lines:
                compared.setdefault(scene, {0, 1})  # has the player been where the line is said
        return {name: (min(numbers) - 1, max(numbers) + 1) for name, numbers in compared.items()}

    @functools.cached_property
    def group_met_in(self) -> dict[str, list[str]]:
        """For each group of characters, the scenes where one of them says a line with no condition."""
        met_in: dict[str, list[str]] = {}
        for scene, characters in self.liveness.speakers.unconditional.items():
            for character in characters:
                met_in.setdefault(character, []).append(scene)
        return {
            group: [scene for c in group.split("|") for scene in met_in.get(c, ())]
            for live in self.live.values()
            for group in live.met
        }

    @functools.cached_property
    def deduction_cap(self) -> deduce.ProofCap:
        return deduce.proof_cap(self.story)

    def key(self, state: GameState) -> Key:
        if state.ending is not None:
            return (state.ending,)
        bounds = self.bounds
        if self.whole:
            return (
                state.scene,
                state.beat,
                frozenset(state.flags),
                frozenset(state.clues),
                tuple(sorted((n, _clamp(v, bounds[n])) for n, v in state.counters.items() if n in bounds)),
                tuple(sorted((n, _clamp(v, bounds.get(n, (-1, 2)))) for n, v in state.visits.items())),
                frozenset(state.once_taken),
                deduce.proof_key(state, self.deduction_cap),
            )
        live = self.live[state.scene]
        visits = state.visits
        return (
            state.scene,
            state.beat,
            live.flags.intersection(state.flags),
            live.clues.intersection(state.clues),
            tuple(_clamp(state.counters.get(name, 0), bounds[name]) for name in live.counters),
            tuple(_clamp(visits.get(name, 0), bounds[name]) for name in live.visits),
            live.once.intersection(state.once_taken),
            deduce.proof_key(state, self.deduction_cap),
            frozenset(g for g in live.met if any(visits.get(scene, 0) for scene in self.group_met_in[g])),
            frozenset(group for group in live.any if any(c in state.clues for c in group.split("|"))),
        )


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return bounds[0] if value < bounds[0] else bounds[1] if value > bounds[1] else value


def _deep_size(value: object, seen: set[int]) -> int:
    """Bytes of a key's containers (strings are the story's own, shared by every state)."""
    if id(value) in seen or isinstance(value, str):
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, (tuple, frozenset, set, list)):
        size += sum(_deep_size(item, seen) for item in value)
    elif isinstance(value, dict):
        size += sum(_deep_size(item, seen) for item in value.values())
    return size


# What a state costs besides its key: its entry in the index, its first parent, move, scene and edges in
# the search's arrays (set so that the estimate matched the growth of the process on the shipped story:
# 195 bytes a state from 100,000 to 1,000,000 states, the key an int of about 48 of them).
_BOOKKEEPING_BYTES = 150


class _Space:
    """The states the search walks, and the moves between them: the compiled story, or the engine."""

    def __init__(self, engine: Engine, analysis: str) -> None:
        story = engine.story
        if type(story.scenes) is not dict:  # a cached story builds its scenes as asked: the set-up asks often
            story = dataclasses.replace(story, scenes=dict(story.scenes))
        self.abstraction = _Abstraction(story, analysis)
        self.engine = engine
        self.compact: CompactStory | None = None
        if analysis == "live":
            try:
                self.compact = CompactStory(story, self.abstraction.liveness)
            except NotCompiled:
                self.compact = None
        # What the search asks of every state, bound once (it asks millions of times).
        self.key: Callable[[Any], Hashable]
        self.moves: Callable[[Any], Iterable[tuple[str, Any]]]
        self.successors: Callable[[Any], list[Any]]  # where each of the moves leads, in their order
        self.scene: Callable[[Any], int]  # the number of a state's scene in `scene_names` (an ending's: "")
        self.ended: int  # an ending's scene number (the search asks which ending only of those)
        if self.compact is not None:
            compact = self.compact
            self.scene_names = [*compact.scene_ids, ""]
            mask, ended = compact.scene_mask, len(compact.scene_ids)
            self.ended = ended
            self.key, self.moves, self.successors = compact.key, compact.moves, compact.successors
            self.scene = lambda state: ended if type(state) is tuple else state & mask
        else:
            self.key, self.moves = self.abstraction.key, partial(available_moves, engine)
            self.successors = lambda state: [after for _, after in available_moves(engine, state)]
            self.scene_names, self.ended = [""], 0
            numbers: dict[str, int] = {}

            def numbered(state: GameState) -> int:
                if state.ending is not None:
                    return 0
                found = numbers.get(state.scene)
                if found is None:
                    found = numbers[state.scene] = len(self.scene_names)
                    self.scene_names.append(state.scene)
                return found

            self.scene = numbered

    def start(self) -> object:
        if self.compact is not None:
            return self.compact.start()
        state = self.engine.new_game()
        state.log.clear()
        return state

    def ending(self, state: object) -> str | None:
        if self.compact is not None:
            return state[0] if type(state) is tuple else None  # an ending is (its id,)
        return state.ending  # type: ignore[attr-defined,no-any-return]

    def readable(self, keys: list[Hashable]) -> list[Key]:
        """Keys as _Abstraction lays them out (names, not bits), to say what multiplies the states."""
        if self.compact is None:
            return keys  # type: ignore[return-value]
        return [self.compact.readable(key, self.abstraction.live) for key in keys]  # type: ignore[arg-type]


def explore(
    engine: Engine,
    limit: int | None = None,
    budget: Budget | None = None,
    *,
    analysis: str = "live",
) -> Exploration:
    """Explore the story's states within `budget` (or up to `limit` states); find every trap.

    `analysis` is "live" (the live-variable analysis, on the compiled story: see
    game.engine.compact), "live-engine" (the same on the engine's own states),
    "read-ahead" (a variable is kept while a condition still ahead reads it,
    overwritten or not: the search before issue 16) or "none" (the whole state, in
    every state); the last three are kept to measure the first and to test it by.
    """
    # The search makes millions of small tuples and no cycles: the collector's passes over them
    # only cost time (and grow with the heap, which made a 16,000-scene set-up superlinear).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _explore(engine, limit, budget, analysis)
    finally:
        if collecting:
            gc.enable()


def _explore(
    engine: Engine,
    limit: int | None,
    budget: Budget | None,
    analysis: str,
) -> Exploration:
    budget = budget or (
        Budget(seconds=None, megabytes=DEEP_BUDGET.megabytes, states=limit) if limit else DEFAULT_BUDGET
    )
    started = time.monotonic()
    space = _Space(engine, analysis)
    start = space.start()
    index: dict[Hashable, int] = {space.key(start): 0}
    # Per state, by its number: the state it was first reached from and which of that state's moves
    # (paths are replayed from the start: see _Paths), its scene (a number in `scenes`), and its successors
    # (targets[offsets[n]:offsets[n + 1]]), in arrays of machine ints: a few bytes a state.
    parent, move = array("q", [-1]), array("I", [0])
    scene_of = array("I", [space.scene(start)])
    ending_of: dict[int, str] = {}
    offsets, targets = array("Q"), array("I")
    result = Exploration(limit=budget.states or 0)
    frontier: deque[object] = deque([start])
    key_bytes = float(_deep_size(next(iter(index)), set()))
    state_bytes = float(_deep_size(frontier[0], set()))
    max_bytes = budget.megabytes * 1_000_000

    def estimate() -> float:
        return len(index) * (key_bytes + _BOOKKEEPING_BYTES) + len(frontier) * state_bytes

    successors, key_of, ending_in, scene_in, ended = space.successors, space.key, space.ending, space.scene, space.ended
    endings: dict[int, str] = {}  # the endings found, by their states' numbers (ending_of: those expanded)
    add_target, add_parent, add_move, add_scene = targets.append, parent.append, move.append, scene_of.append
    most = budget.states if budget.states is not None else sys.maxsize
    number = -1  # the state expanded (states are numbered as found, and expanded in that order)
    while frontier:
        state = frontier.popleft()
        number += 1
        offsets.append(len(targets))
        ending = endings.get(number)
        if ending is not None:
            result.endings.add(ending)
            ending_of[number] = ending
            continue
        for ordinal, after in enumerate(successors(state)):
            after_key = key_of(after)
            known = index.get(after_key)
            if known is None:
                known = len(parent)  # (the index's length: one parent a state)
                if known >= most:
                    result.stopped_by = "states"
                    continue
                index[after_key] = known
                add_parent(number)
                add_move(ordinal)
                scene = scene_in(after)
                if scene == ended:
                    endings[known] = ending_in(after) or ""  # (its id: the state is an ending)
                add_scene(scene)
                frontier.append(after)  # (for the compiled story an int, mostly its key itself)
                if known % 1024 == 0:  # sample what states cost, and look at the clock
                    key_bytes += (_deep_size(after_key, set()) - key_bytes) / 8
                    state_bytes += (_deep_size(frontier[-1], set()) - state_bytes) / 8
                    if estimate() > max_bytes:
                        result.stopped_by = "memory"
                    elif budget.seconds is not None and time.monotonic() - started > budget.seconds:
                        result.stopped_by = "time"
            add_target(known)
        if result.stopped_by in ("memory", "time"):
            break
    offsets.append(len(targets))
    result.states = len(index)
    result.megabytes = estimate() / 1_000_000
    result.complete = not result.stopped_by
    named = _Named(space.scene_names, scene_of)
    expanded = scene_of[: len(offsets) - 1]
    for number in ending_of:  # an ending's state is no scene reached
        expanded[number] = len(space.scene_names)
    reached = set(expanded)
    reached.discard(len(space.scene_names))
    result.scenes = set(map(space.scene_names.__getitem__, reached))
    paths = _Paths(space, parent, move)
    for number, ending in ending_of.items():  # numbered breadth-first: the first is the shortest way
        if ending not in result.ending_paths:
            result.ending_paths[ending] = paths.to(number)
    if result.complete:
        result.traps = _traps(engine.story, _Edges(offsets, targets), paths, named, set(ending_of))
    else:
        if not space.abstraction.whole:  # the whole state's keys name everything: no multipliers to find
            result.multipliers = _multipliers(space.abstraction, space.readable(_crowded(index, named)))
    result.seconds = time.monotonic() - started
    return result


class _Edges:
    """The successors of each expanded state, read from the search's two arrays."""

    def __init__(self, offsets: array[int], targets: array[int]) -> None:
        self.offsets, self.targets = offsets, targets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, number: int) -> array[int]:
        return self.targets[self.offsets[number] : self.offsets[number + 1]]


class _Named:
    """The scene of each state, by its number."""

    def __init__(self, scenes: list[str], scene_of: array[int]) -> None:
        self.scenes, self.scene_of = scenes, scene_of

    def __getitem__(self, number: int) -> str:
        return self.scenes[self.scene_of[number]]

    def __len__(self) -> int:
        return len(self.scene_of)


class _Paths:
    """The shortest path of choice texts to a state: its first parents' moves, replayed from the start
    (the search keeps which move, not its text, and a state's moves are the same each time asked)."""

    def __init__(self, space: _Space, parent: array[int], move: array[int]) -> None:
        self.space, self.parent, self.move = space, parent, move

    def steps(self, number: int) -> list[int]:
        """The states on the way to `number`, the start's successor first, `number` last."""
        found: list[int] = []
        while number > 0:
            found.append(number)
            number = self.parent[number]
        return found[::-1]

    def to(self, number: int) -> list[str]:
        state = self.space.start()
        texts: list[str] = []
        for step in self.steps(number):
            for ordinal, (text, after) in enumerate(self.space.moves(state)):
                if ordinal == self.move[step]:
                    texts.append(text)
                    state = after
                    break
        return texts


def _traps(story: Story, edges: _Edges, paths: _Paths, scene_of: _Named, ends: set[int]) -> list[Trap]:
    """Each place a player can be stuck, once: the closed groups of states from which no ending is left."""
    good = _reaching(edges, ends)
    if all(good):
        return []
    bad = [n for n in range(len(edges)) if not good[n]]
    # Every move from a bad state leads to a bad state, so the bad states' bottom components are the traps.
    components = strongly_connected(bad, lambda n: edges[n])
    component_of = {n: i for i, members in enumerate(components) for n in members}
    found: dict[tuple[str, ...], Trap] = {}
    firsts: dict[tuple[str, ...], int] = {}
    for i, members in enumerate(components):
        if any(component_of[t] != i for n in members for t in edges[n]):
            continue  # the player can still move on from here: not where they end up
        first = min(members)  # numbered breadth-first: the shortest way in
        scenes = tuple(sorted({scene_of[n] for n in members}))
        if scenes in firsts and firsts[scenes] < first:
            continue  # the same trap reached with other facts: reported once, by its shortest way in
        firsts[scenes] = first
        path = paths.to(first)
        found[scenes] = Trap(
            scenes=scenes,
            dead_end=not edges[first],
            path=path,
            no_return=_point_of_no_return(paths, scene_of, good, first, path),
        )
    return sorted(found.values(), key=lambda trap: (len(trap.path), trap.scenes))


def _reaching(edges: _Edges, ends: set[int]) -> bytearray:
    """Which states can still reach an ending (1) or not (0): backwards from the endings, over the edges
    turned round (counted, then laid out in two arrays as the search lays out its own)."""
    offsets, targets, states = edges.offsets, edges.targets, len(edges)
    into = array("Q", bytes(8 * (states + 1)))  # into[t + 1]: how many edges reach t, then where t's sources end
    for target in targets:
        into[target + 1] += 1
    for number in range(states):
        into[number + 1] += into[number]
    sources = array("I", bytes(4 * len(targets)))
    filled = array("Q", into)
    for source in range(states):
        for target in targets[offsets[source] : offsets[source + 1]]:
            sources[filled[target]] = source
            filled[target] += 1
    good = bytearray(states)
    queue = deque(ends)
    for end in ends:
        good[end] = 1
    while queue:
        target = queue.popleft()
        for source in sources[into[target] : into[target + 1]]:
            if not good[source]:
                good[source] = 1
                queue.append(source)
    return good


def _point_of_no_return(
    paths: _Paths, scene_of: _Named, good: bytearray, number: int, path: list[str]
) -> tuple[str, str] | None:
    """The last choice on the way to `number` that was taken from a state that could still end."""
    steps = paths.steps(number)
    for step, text in zip(reversed(steps), reversed(path), strict=True):
        parent = paths.parent[step]
        if good[parent]:
            return scene_of[parent], text
    return None


def strongly_connected(nodes: Iterable[int], successors: Callable[[int], Iterable[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components (iterative), successors' components first."""
    wanted = set(nodes)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    for root in wanted:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors(root)))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in wanted:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors(child))))
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
                    members.append(member)
                    if member == node:
                        break
                components.append(members)
    return components


_SAMPLE = 4_000


def _crowded(index: dict[Hashable, int], scene_of: _Named) -> list[Hashable]:
    """The keys of the scenes with the most states (up to _SAMPLE of them): where dropping a variable
    merges states, so where what multiplies the states shows (a thin sample of every scene would not)."""
    counts = Counter(scene_of[n] for n in range(len(scene_of)))
    chosen: set[str] = set()
    total = 0
    for scene, count in counts.most_common():
        if total >= _SAMPLE:
            break
        chosen.add(scene)
        total += count
    return [key for key, number in index.items() if scene_of[number] in chosen][: _SAMPLE * 4]


def _multipliers(abstraction: _Abstraction, keys: list[Key]) -> list[tuple[str, float]]:
    """Which variables multiply the states most: how many times fewer states there are without each."""
    sample = [key for key in keys[:: max(1, len(keys) // _SAMPLE)] if len(key) > 1]
    if not sample:
        return []
    groups: dict[str, Callable[[Key], Key]] = {}
    once_scenes: dict[str, set[str]] = {}
    for key in sample:
        for mark in key[6]:  # type: ignore[attr-defined]
            once_scenes.setdefault(str(mark).partition("/")[0], set()).add(str(mark))
    for kind, slot in (("flag", 2), ("clue", 3)):
        for name in sorted({n for key in sample for n in key[slot]}):  # type: ignore[attr-defined]
            groups[f"{kind} '{name}'"] = _dropping_member(slot, frozenset({name}))
    for name in sorted({n for key in sample if len(key) > 10 for n in key[10]}):  # type: ignore[attr-defined]
        label = f"word '{name}'" if "|" not in name else f"knowing one of the words {name.replace('|', ', ')}"
        groups[label] = _dropping_member(10, frozenset({name}))  # the compiled search's words known
    for scene, marks in sorted(once_scenes.items()):
        groups[f"once-only choices in scene '{scene}'"] = _dropping_member(6, frozenset(marks))
    live = abstraction.live
    for kind, slot, attribute in (("counter", 4, "counters"), ("visits of scene", 5, "visits")):
        names = {n for key in sample for n in getattr(live[str(key[0])], attribute)}
        for name in sorted(names):
            groups[f"{kind} '{name}'"] = _dropping_value(slot, attribute, name, abstraction)
    distinct = len(set(sample))
    factors = [(label, distinct / len({drop(key) for key in sample})) for label, drop in groups.items()]
    ranked = sorted((f for f in factors if f[1] >= 1.1), key=lambda f: -f[1])
    top_once = [label for label, _ in ranked if label.startswith("once-only")][:4]
    if len(top_once) > 1:  # together, the once-only choices an author would change first
        chosen = frozenset(mark for label in top_once for mark in once_scenes[label.split("'")[1]])
        together = distinct / len({_dropping_member(6, chosen)(key) for key in sample})
        scenes = ", ".join(label.split("'")[1] for label in top_once)
        ranked.insert(0, (f"once-only choices in scenes {scenes}", together))
    return ranked[:5]


def _dropping_member(slot: int, names: frozenset[str]) -> Callable[[Key], Key]:
    def drop(key: Key) -> Key:
        return (*key[:slot], key[slot] - names, *key[slot + 1 :])  # type: ignore[operator]

    return drop


def _dropping_value(slot: int, attribute: str, name: str, abstraction: _Abstraction) -> Callable[[Key], Key]:
    def drop(key: Key) -> Key:
        names: tuple[str, ...] = getattr(abstraction.live[str(key[0])], attribute)
        if name not in names:
            return key
        values = list(key[slot])  # type: ignore[call-overload]
        values[names.index(name)] = 0
        return (*key[:slot], tuple(values), *key[slot + 1 :])

    return drop


def describe_cut_short(result: Exploration) -> str:
    """How far a cut-short search got and what to change, in a sentence or two."""
    why = {"time": "its time", "memory": "its memory", "states": "its state limit"}.get(result.stopped_by, "its budget")
    text = f"the proof stopped at {result.states:,} states (~{result.megabytes:,.0f} MB) when it ran out of {why}"
    if result.multipliers:
        text += "; what multiplies the states most: " + ", ".join(
            f"{label}: ×{f:.1f}" if f < 10 else f"{label}: ×{f:,.0f}" for label, f in result.multipliers
        )
    return text


def exploration_findings(story: Story, result: Exploration, already_unreachable: Iterable[str] = ()) -> list[Finding]:
    """The exploration as findings an author can act on, each at a file and line.

    `already_unreachable` names the scenes and endings already reported as unreachable
    from the story's graph alone, so that none is reported twice.
    """
    found: list[Finding] = []
    for trap in result.traps:
        scene = story.scenes[trap.scenes[0]]
        route = " → ".join(f"'{text}'" for text in trap.path) or "(the start itself)"
        if trap.dead_end:
            where = f"a player can get stuck in scene '{scene.id}' with no choice on offer"
        else:
            where = "a player can go round scenes " + ", ".join(f"'{s}'" for s in trap.scenes) + " with no way out"
        message = f"soft-lock: {where}; shortest path from the start: {route}"
        if trap.no_return is not None:
            message += f"; the point of no return is choosing '{trap.no_return[1]}' in scene '{trap.no_return[0]}'"
        found.append(Finding(scene.where.file, scene.where.line, message))
    if not result.complete:
        return found
    return found + never_reached_findings(story, result.scenes, result.endings, already_unreachable)


def never_reached_findings(
    story: Story, scenes: set[str], endings: set[str], already_unreachable: Iterable[str] = ()
) -> list[Finding]:
    """A warning for each scene and ending outside `scenes` and `endings`, every one a playthrough can reach."""
    found: list[Finding] = []
    skip = set(already_unreachable)
    for scene in story.scenes.values():
        if scene.id not in scenes and scene.id not in skip:
            found.append(
                Finding(
                    scene.where.file,
                    scene.where.line,
                    f"scene '{scene.id}' is never reached in any playthrough (the conditions on the way never all hold)",
                    "warning",
                )
            )
    for ending in story.endings.values():
        if ending.id not in endings and ending.id not in skip:
            found.append(
                Finding(
                    ending.where.file,
                    ending.where.line,
                    f"ending '{ending.id}' is never reached in any playthrough (the conditions on the way never all hold)",
                    "warning",
                )
            )
    return found
