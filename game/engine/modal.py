"""A quick proof of "no soft-lock" on a smaller, abstract state space (may and must moves).

The exact search (game.engine.explore) visits every state the compiled story
(game.engine.compact) can be in; the shipped story has millions. Much of what
tells those states apart (which clues are held, which words known, which once-only
choices spent, whom the player has met, which scenes they have visited) matters
only to a few guards. This pre-pass forgets such bits (the dropped set D; TRIES
lists the kinds, the story's own flags, counters, deductions, beat and scene are
always kept, and so is what picks a compiled state's view: see droppable): an
abstract state is a compiled state with the bits of D cleared, and stands for
every compiled state that agrees with it on the rest.

At an abstract state, what a choice reads of D is not known, so each choice is run
(by the compiled story's own `moves`, with that choice alone on offer) on every way
it can be offered: every setting of the bits of D its condition, beat guards and
once-only mark read, and for a deduction or question, each value of the tests "holds,
has met or knows one of this group" that read D, the tests replaced by constants.

- Every move so found is a *may*-move: the abstract states reached include the image
  of every state a player can reach (a concrete state is offered the choice one of
  those ways, and moves as it does). So a scene or ending no abstract state reaches
  is never reached.
- An abstract state is *proven* when some choice leads to a proven state in every
  way it can be offered, or, for the choices whose groups read nothing of D, when
  for every setting of the bits they read together one of them does (the *must*
  reading of three-valued abstraction); endings are proven. Whichever concrete state
  it stands for, a move it really has leads somewhere proven, so by induction every
  such state can still reach an ending.

If every may-reachable abstract state is proven, no playthrough can get stuck.
Anything less proves nothing either way: `archer check` then keeps the exact
search's answer (soft-locks and their paths only ever come from that search).
This is sound for the compiled story, which tests/test_proof.py checks against the
engine; tests/test_modal.py checks the whole against the engine's whole-state search.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from game.engine.compact import CLUES, FLAGS, ONCE, SCENE, CompactStory, NotCompiled, State
from game.engine.liveness import Liveness, any_name, submission_groups
from game.story.conditions import Condition
from game.story.model import Choice, Story

# The abstractions tried, coarsest first, by the kinds of bits they drop (a flag bit's name says its kind,
# see CompactStory); the story's own flags are kept (a plot's gates are made of them: dropping them too left
# nearly every state of the shipped story unproven).
TRIES: tuple[tuple[str, ...], ...] = (("clue", "word", "once", "met", "any", "visits"), ("clue", "once", "visits"))
_MOST_WAYS = 1 << 10  # a choice offered more ways than this keeps the bits it reads instead
_MOST_JOINT = 6  # the most dropped bits the choices of a scene are tried on together
_BYTES_PER_STATE = 3_000  # the shipped story, under tracemalloc: 1,450 to 3,200 bytes a state, obligations included


@dataclass
class ModalProof:
    """What the pre-pass found: `proven` when every reachable state can still reach an ending."""

    proven: bool = False
    states: int = 0  # abstract states may-reached (of the last abstraction tried)
    unproven: int = 0  # of which not proven
    complete: bool = True  # False when the budget ran out first
    seconds: float = 0.0  # all the tries together, in CPU time (what a busy machine does not change)
    dropped: int = 0  # how many bits were dropped
    unproven_scenes: list[str] = field(default_factory=list)
    scenes: set[str] = field(default_factory=set)  # every scene a playthrough can reach is among these
    endings: set[str] = field(default_factory=set)  # and every ending
    why: str = ""  # when nothing was tried: why not


def prove_no_soft_lock(story: Story, seconds: float | None = None, megabytes: int = 500) -> ModalProof:
    """Try the abstractions of TRIES in turn, within `seconds` (of this process's CPU time, so that the
    verdict does not depend on how busy the machine is) and `megabytes` together, until one proves that
    no playthrough can get stuck (see the module's docstring); the last try's result otherwise."""
    if not worth_trying(story):
        return ModalProof(why="nothing to drop")
    started = time.process_time()
    try:
        compact = CompactStory(story, Liveness(story))
    except NotCompiled as error:
        return ModalProof(why=str(error))
    result = ModalProof(complete=False, why="no time left")
    for kinds in TRIES:
        left = None if seconds is None else seconds - (time.process_time() - started)
        if left is not None and left <= 0:
            break
        result = prove(compact, droppable(compact, kinds), left, most=megabytes * 1_000_000 // _BYTES_PER_STATE)
        if result.proven or not result.complete:
            break
    result.seconds = time.process_time() - started
    return result


@dataclass(frozen=True)
class _Mask:
    flags: int = 0
    clues: int = 0
    once: int = 0

    def __or__(self, other: _Mask) -> _Mask:
        return _Mask(self.flags | other.flags, self.clues | other.clues, self.once | other.once)

    def __and__(self, other: _Mask) -> _Mask:
        return _Mask(self.flags & other.flags, self.clues & other.clues, self.once & other.once)

    def bits(self) -> list[tuple[int, int]]:
        """Each bit as (slot, bit)."""
        found = []
        for slot, value in ((FLAGS, self.flags), (CLUES, self.clues), (ONCE, self.once)):
            while value:
                low = value & -value
                found.append((slot, low))
                value ^= low
        return found


def worth_trying(story: Story) -> bool:
    """Whether the story has bits of the kinds of TRIES at all (clues, words, once-only choices, deductions
    and questions, visits read): if not, the abstraction would be the exact search, only slower."""
    if story.clues or story.words or story.deductions:
        return True
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.once or choice.present is not None:
                return True
    return any(condition.scenes for condition in story.conditions(lines=False))


def droppable(compact: CompactStory, kinds: Iterable[str]) -> _Mask:
    """The bits of the given kinds, less those the compiled story reads besides moves (its views' facts)."""
    wanted = set(kinds)
    flags = 0
    for name, bit in compact.flag_bit.items():
        if name.startswith("\0"):
            kind = name[1:].split(" ", 1)[0]
            kind = {"words": "word"}.get(kind, kind)
        else:
            kind = "flag"
        if kind in wanted:
            flags |= bit
    flags &= ~_closing_bits(compact) & ~compact.settled_mask  # what picks a state's view is always kept
    clues = sum(compact.clue_bit.values()) if "clue" in wanted else 0
    once = sum(compact.once_bit.values()) if "once" in wanted else 0
    return _Mask(flags, clues, once)


def _closing_bits(compact: CompactStory) -> int:
    """The bits of numbers kept as a bit that a closing fact reads (see CompactStory._find_closing_atoms)."""
    bits = 0
    for scene in compact.scenes.values():
        for choice in scene.choices:
            if choice.condition is None:
                continue
            tree = compact._parse(choice.condition.source)
            conjuncts = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
            for part in conjuncts:
                atom = compact._closing_atom(part, choice.condition)
                if atom is not None and atom[0] != "solved":
                    bits |= compact.numbers[(atom[0], atom[1])].bit
    return bits


class _Reads:
    """What each choice's moves read of the dropped bits, and the ways of setting them that can differ.

    A choice's condition, its beat guards and its once-only mark are read bit by bit: every
    subset of their dropped bits is tried. What a deduction or question can be submitted with
    depends only on whether the player holds, has met or knows one of each group of items
    (game.engine.liveness.Group): a group whose test reads a dropped bit is tried both ways,
    by offering the choice with that test replaced by a constant.
    """

    def __init__(self, compact: CompactStory, dropped: _Mask) -> None:
        self.compact = compact
        self.dropped = dropped
        self.story: Story = compact.story
        self.guards: dict[str, list[Condition]] = {}
        for transition in self.story.transitions:
            if transition.guard is not None:
                self.guards.setdefault(transition.trigger, []).append(transition.guard)

    def bits(self, sid: str, choice: Choice) -> tuple[_Mask, list[_Mask]]:
        """The dropped bits the choice's condition, guards and once-only mark read, and each group's test."""
        compact = self.compact
        whole = _Mask(once=compact.once_bit.get(f"{sid}/{choice.key}", 0) if choice.once else 0)
        conditions = [] if choice.condition is None else [choice.condition]
        if choice.trigger is not None:
            conditions += self.guards.get(choice.trigger, [])
        for condition in conditions:
            whole = whole | self.condition(condition)
        groups: list[_Mask] = []
        for group in submission_groups(self.story, choice):
            read = _Mask()
            if group.words:
                name = min(group.words) if len(group.words) == 1 else any_name(group.words)
                read = read | _Mask(compact.word_bit.get(name, 0) | compact.any_word_bit.get(name, 0))
            if group.clues and (len(group.clues) == 1 or group.clues & compact.losable):
                read = read | _Mask(clues=sum(compact.clue_bit.get(clue, 0) for clue in group.clues))
            elif group.clues:
                read = read | _Mask(compact.any_bit.get(any_name(group.clues), 0))
            if group.characters:
                read = read | _Mask(compact.met_bit.get(any_name(group.characters), 0))
                for character in group.characters:
                    for scene, condition in compact.speakers.conditional.get(character, ()):
                        read = read | _Mask(self._number_bit("visits", scene)) | self.condition(condition)
            groups.append(read & self.dropped)
        return whole & self.dropped, groups

    def plan(self, sid: str, choice: Choice, compiled: Any) -> list[tuple[list[Any], tuple[int, int, int]]]:
        """Every way the choice can be offered: each value its unknown groups can take together (the
        choice with those tests replaced by constants), with each setting of its other dropped bits."""
        whole, groups = self.bits(sid, choice)
        settings = _completions(whole.bits())
        unknown = [i for i, group in enumerate(groups) if group.bits()]
        variants = []
        for values in range(1 << len(unknown)):
            tests = list(compiled.groups)
            for place, i in enumerate(unknown):
                tests[i] = _TRUE if values >> place & 1 else _FALSE
            variants.append([replace(compiled, groups=tests)] if unknown else [compiled])
        return [(variant, setting) for variant in variants for setting in settings]

    def condition(self, condition: Condition) -> _Mask:
        compact = self.compact
        flags = 0
        for name in condition.flags:
            flags |= compact.flag_bit.get(name, 0)
        for word in condition.words:
            flags |= compact.word_bit.get(word, 0)
        for name in condition.counters:
            flags |= self._number_bit("counter", name)
        for scene in condition.scenes:
            flags |= self._number_bit("visits", scene)
        clues = 0
        for clue in condition.clues:
            clues |= compact.clue_bit.get(clue, 0)
        return _Mask(flags, clues)

    def _number_bit(self, kind: str, name: str) -> int:
        number = self.compact.numbers.get((kind, name))
        return 0 if number is None else number.bit


def _TRUE(state: object) -> bool:
    return True


def _FALSE(state: object) -> bool:
    return False


def _completions(bits: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Every way of setting `bits`: (flags, clues, once) to OR into a state."""
    found = [(0, 0, 0)]
    for slot, bit in bits:
        at = slot - FLAGS
        more = []
        for completion in found:
            changed = list(completion)
            changed[at] |= bit
            more.append((changed[0], changed[1], changed[2]))
        found += more
    return found


def prove(compact: CompactStory, dropped: _Mask, seconds: float | None = None, most: int = 200_000) -> ModalProof:
    """Search the abstract states may-reachable from the start; prove each can must-reach an ending."""
    started = time.process_time()
    reads = _Reads(compact, dropped)
    dropped = reads.dropped = _fit(reads)
    keep_flags, keep_clues, keep_once = ~dropped.flags, ~dropped.clues, ~dropped.once
    key_of = compact.key

    def abstract(state: State) -> State:
        if len(state) == 1:
            return state
        return (
            *state[:FLAGS],
            state[FLAGS] & keep_flags,
            state[CLUES] & keep_clues,
            state[ONCE] & keep_once,
            *state[ONCE + 1 :],
        )

    start = abstract(compact.start())
    index: dict[State, int] = {key_of(start): 0}
    states: list[State] = [start]
    # For each abstract state, one obligation per choice: a clause per completion, the successors
    # one of which must be proven (the state is proven once every clause of one obligation is).
    obligations: list[list[list[list[int]]]] = []
    plans: dict[int, Plan] = {}
    result = ModalProof(dropped=len(dropped.bits()))
    number = 0
    while number < len(states):
        state = states[number]
        number += 1
        if len(state) == 1:
            obligations.append([])
            continue
        scene = state[SCENE]
        if scene not in plans:
            plans[scene] = _plan(compact, reads, scene)
        mine: list[list[list[int]]] = []
        for ways in plans[scene]:
            clauses = []
            for only, (flags, clues, once) in ways:
                concrete = state
                if flags or clues or once:
                    s = list(state)
                    s[FLAGS] |= flags
                    s[CLUES] |= clues
                    s[ONCE] |= once
                    concrete = tuple(s)
                clause = []
                for after in _moves(compact, concrete, only):
                    image = abstract(after)
                    key = key_of(image)
                    known = index.get(key)
                    if known is None:
                        known = index[key] = len(states)
                        states.append(image)
                    clause.append(known)
                clauses.append(clause)
            mine.append(clauses)
        obligations.append(mine)
        if len(states) > most or (seconds is not None and time.process_time() - started > seconds):
            result.complete = False
            break
    result.states = len(states)
    result.seconds = time.process_time() - started
    if not result.complete:
        return result
    result.scenes = {compact.scene_ids[state[SCENE]] for state in states if len(state) > 1}
    result.endings = {state[0] for state in states if len(state) == 1}
    proven = _proven(states, obligations)
    bad = [n for n in range(len(states)) if not proven[n]]
    result.unproven = len(bad)
    result.proven = not bad
    result.unproven_scenes = sorted({compact.scene_ids[states[n][SCENE]] for n in bad})
    result.seconds = time.process_time() - started
    return result


def _fit(reads: _Reads) -> _Mask:
    """The dropped bits, less those of any choice that would be offered more than _MOST_WAYS ways."""
    dropped = reads.dropped
    for sid, scene in reads.compact.scenes.items():
        for choice in scene.choices:
            whole, groups = reads.bits(sid, choice)
            unknown = [group for group in groups if group.flags or group.clues or group.once]
            if 1 << (len(whole.bits()) + len(unknown)) > _MOST_WAYS:
                for read in (whole, *unknown):
                    dropped = _Mask(dropped.flags & ~read.flags, dropped.clues & ~read.clues, dropped.once & ~read.once)
                reads.dropped = dropped
    return dropped


Plan = list[list[tuple[list[Any], tuple[int, int, int]]]]  # per choice: (the choice as offered, bits to set)


def _plan(compact: CompactStory, reads: _Reads, scene: int) -> Plan:
    """The scene's obligations: the ways each choice can be offered (see _Reads.plan), one obligation per
    choice; or, when the choices whose groups are all known read at most _MOST_JOINT dropped bits
    together, one obligation for all of them (for every setting of those bits, one of their moves
    leads somewhere proven: "with the key or without it, a way out", which no single choice gives)."""
    sid = compact.scene_ids[scene]
    plain: list[tuple[Any, _Mask]] = []
    plans: Plan = []
    for choice in compact.scenes[sid].choices:
        compiled = compact._choice(sid, choice)
        whole, groups = reads.bits(sid, choice)
        if any(group.bits() for group in groups):
            plans.append(reads.plan(sid, choice, compiled))
        else:
            plain.append((compiled, whole))
    together = _Mask()
    for _, whole in plain:
        together = together | whole
    if len(together.bits()) <= _MOST_JOINT:
        offered = [compiled for compiled, _ in plain]
        return [[(offered, setting) for setting in _completions(together.bits())], *plans] if plain else plans
    return [[([compiled], setting) for setting in _completions(whole.bits())] for compiled, whole in plain] + plans


def _moves(compact: CompactStory, state: State, only: list[Any]) -> list[State]:
    """The compiled story's own moves from `state`, with only the choice `only` on offer."""
    scene = state[SCENE]
    offered = compact.choices[scene]
    compact.choices[scene] = only
    try:
        return [after for _, after in compact.moves(state)]
    finally:
        compact.choices[scene] = offered


def _proven(states: list[State], obligations: list[list[list[list[int]]]]) -> list[bool]:
    """The least fixpoint: an ending is proven; a state is, once every clause of one of its obligations
    has a proven successor."""
    proven = [len(s) == 1 for s in states]
    open_clauses = [[len(clauses) for clauses in mine] for mine in obligations]
    waiting: list[list[tuple[int, int, int]]] = [[] for _ in states]  # successor -> clauses it would satisfy
    for number, mine in enumerate(obligations):
        for o, clauses in enumerate(mine):
            for c, clause in enumerate(clauses):
                for target in set(clause):
                    waiting[target].append((number, o, c))
    done: set[tuple[int, int, int]] = set()
    queue = [n for n in range(len(states)) if proven[n]]
    while queue:
        target = queue.pop()
        for number, o, c in waiting[target]:
            if proven[number] or (number, o, c) in done:
                continue
            done.add((number, o, c))
            open_clauses[number][o] -= 1
            if open_clauses[number][o] == 0:
                proven[number] = True
                queue.append(number)
    return proven
