"""A quick proof of "no soft-lock" on a smaller, abstract state space (may and must moves).

The exact search (game.engine.explore) visits every state the compiled story
(game.engine.compact) can be in; the shipped story has millions. Much of what
tells those states apart (which clues are held, which words known, which once-only
choices spent, whom the player has met, which scenes they have visited) matters
only to a few guards. This pre-pass forgets such bits (the dropped set D; TRIES
lists the kinds, the story's own flags, counters, deductions, beat and scene are
always kept, and so is what picks a compiled state's view: see droppable): an
abstract state is a compiled state (one int: see game.engine.compact) with the
bits of D cleared, `state & ~D`, and stands for every compiled state that agrees
with it on the rest.

At an abstract state, what a choice reads of D is not known, so each choice is run
(by the compiled story's own moves, CompactStory.moves_offering that choice alone) on every way
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

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from game.engine.compact import CompactStory, Key, NotCompiled, State
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
    mask: int = 0  # which (an abstract state is a compiled one with them cleared: `state & ~mask`)
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


Bits = int  # a set of bits of a compiled state (absolute: compact's clue_bit, once_bit and flag_bit hold them)


def _each_bit(bits: Bits) -> list[Bits]:
    """The bits of `bits`, one by one."""
    found = []
    while bits:
        low = bits & -bits
        found.append(low)
        bits ^= low
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


def droppable(compact: CompactStory, kinds: Iterable[str]) -> Bits:
    """The bits of the given kinds, less those the compiled story reads besides moves (its views' facts).

    Only flag bits of derived facts (their names start with NUL, see CompactStory) can be dropped; the
    story's own flags get their bits as their conditions compile, possibly after this ran: a bit not
    in the result is kept, which is sound (keeping more only makes the abstraction finer)."""
    wanted = set(kinds)
    bits = 0
    for name, bit in compact.flag_bit.items():
        if name.startswith("\0"):
            kind = name[1:].split(" ", 1)[0]
            kind = {"words": "word"}.get(kind, kind)
        else:
            kind = "flag"
        if kind in wanted:
            bits |= bit
    if "clue" in wanted:
        bits |= sum(compact.clue_bit.values())
    if "once" in wanted:
        bits |= sum(compact.once_bit.values())
    # What a state's next view is worked out from is kept too. (A view already holds every fact that was true
    # when its state arrived, so this may only keep more than needed, which is sound; tests/test_modal.py
    # checks that every compiled state's image is among the abstract states.)
    return bits & ~compact.view_bits()


class _Reads:
    """What each choice's moves read of the dropped bits, and the ways of setting them that can differ.

    A choice's condition, its beat guards and its once-only mark are read bit by bit: every
    subset of their dropped bits is tried. What a deduction or question can be submitted with
    depends only on whether the player holds, has met or knows one of each group of items
    (game.engine.liveness.Group): a group whose test reads a dropped bit is tried both ways,
    by offering the choice with that test replaced by a constant.
    """

    def __init__(self, compact: CompactStory, dropped: Bits) -> None:
        self.compact = compact
        self.dropped = dropped
        self.story: Story = compact.story
        self.guards: dict[str, list[Condition]] = {}
        for transition in self.story.transitions:
            if transition.guard is not None:
                self.guards.setdefault(transition.trigger, []).append(transition.guard)

    def bits(self, sid: str, choice: Choice) -> tuple[Bits, list[Bits]]:
        """The dropped bits the choice's condition, guards and once-only mark read, and each group's test."""
        compact = self.compact
        whole = compact.once_bit.get(f"{sid}/{choice.key}", 0) if choice.once else 0
        conditions = [] if choice.condition is None else [choice.condition]
        if choice.trigger is not None:
            conditions += self.guards.get(choice.trigger, [])
        for condition in conditions:
            whole = whole | self.condition(condition)
        groups: list[Bits] = []
        for group in submission_groups(self.story, choice):
            read = compact.group_bits(group)
            if group.characters:
                read |= compact.met_bit.get(any_name(group.characters), 0)
                for character in group.characters:
                    for scene, condition in compact.speakers.conditional.get(character, ()):
                        read |= self._number_bit("visits", scene) | self.condition(condition)
            groups.append(read & self.dropped)
        return whole & self.dropped, groups

    def plan(self, sid: str, choice: Choice, compiled: Any) -> list[tuple[list[Any], Bits]]:
        """Every way the choice can be offered: each value its unknown groups can take together (the
        choice with those tests replaced by constants), with each setting of its other dropped bits."""
        whole, groups = self.bits(sid, choice)
        settings = _completions(whole)
        unknown = [i for i, group in enumerate(groups) if group]
        variants = []
        for values in range(1 << len(unknown)):
            tests = list(compiled.groups)
            for place, i in enumerate(unknown):
                tests[i] = _TRUE if values >> place & 1 else _FALSE
            variants.append([self.compact.with_group_tests(compiled, tests)] if unknown else [compiled])
        return [(variant, setting) for variant in variants for setting in settings]

    def condition(self, condition: Condition) -> Bits:
        """The bits the condition reads that can be dropped (a flag without a bit yet is never dropped)."""
        compact = self.compact
        bits = 0
        for name in condition.flags:
            bits |= compact.flag_bit.get(name, 0)
        for word in condition.words:
            bits |= compact.word_bit.get(word, 0)
        for name in condition.counters:
            bits |= self._number_bit("counter", name)
        for scene in condition.scenes:
            bits |= self._number_bit("visits", scene)
        for clue in condition.clues:
            bits |= compact.clue_bit.get(clue, 0)
        return bits

    def _number_bit(self, kind: str, name: str) -> int:
        number = self.compact.numbers.get((kind, name))
        return 0 if number is None else number.bit


def _TRUE(state: object) -> bool:
    return True


def _FALSE(state: object) -> bool:
    return False


def _completions(bits: Bits) -> list[Bits]:
    """Every way of setting `bits`: each subset of them, to OR into a state."""
    found = [0]
    for bit in _each_bit(bits):
        found += [completion | bit for completion in found]
    return found


def prove(
    compact: CompactStory,
    dropped: Bits,
    seconds: float | None = None,
    most: int = 200_000,
    seen: set[Key] | None = None,
) -> ModalProof:
    """Search the abstract states may-reachable from the start; prove each can must-reach an ending.
    `seen`, if given, gets their keys (tests check that every compiled state's image is among them)."""
    started = time.process_time()
    reads = _Reads(compact, dropped)
    dropped = reads.dropped = _fit(reads)
    keep = ~dropped
    key_of = compact.key

    def abstract(state: State | tuple[str]) -> State | tuple[str]:
        return state if isinstance(state, tuple) else state & keep  # an ending, (ending id,), stays as it is

    start = abstract(compact.start())
    index: dict[Key, int] = {key_of(start): 0}
    states: list[State | tuple[str]] = [start]
    # For each abstract state, one obligation per choice: a clause per completion, the successors
    # one of which must be proven (the state is proven once every clause of one obligation is).
    obligations: list[list[list[list[int]]]] = []
    plans: dict[int, Plan] = {}
    result = ModalProof(dropped=dropped.bit_count(), mask=dropped)
    number = 0
    while number < len(states):
        state = states[number]
        number += 1
        if type(state) is tuple:
            obligations.append([])
            continue
        assert isinstance(state, int)
        scene = compact.scene(state)
        if scene not in plans:
            plans[scene] = _plan(compact, reads, scene)
        mine: list[list[list[int]]] = []
        for ways in plans[scene]:
            clauses = []
            for only, setting in ways:
                clause = []
                for _, after in compact.moves_offering(state | setting, only):
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
    if seen is not None:
        seen.update(index)
    if not result.complete:
        return result
    result.scenes = {compact.scene_ids[compact.scene(state)] for state in states if type(state) is int}
    result.endings = {state[0] for state in states if type(state) is tuple}
    proven = _proven(states, obligations)
    bad = [n for n in range(len(states)) if not proven[n]]
    result.unproven = len(bad)
    result.proven = not bad
    result.unproven_scenes = sorted(
        {compact.scene_ids[compact.scene(state)] for state in map(states.__getitem__, bad) if type(state) is int}
    )
    result.seconds = time.process_time() - started
    return result


def _fit(reads: _Reads) -> Bits:
    """The dropped bits, less those of any choice that would be offered more than _MOST_WAYS ways."""
    dropped = reads.dropped
    for sid, scene in reads.compact.scenes.items():
        for choice in scene.choices:
            whole, groups = reads.bits(sid, choice)
            unknown = [group for group in groups if group]
            if 1 << (whole.bit_count() + len(unknown)) > _MOST_WAYS:
                for read in (whole, *unknown):
                    dropped &= ~read
                reads.dropped = dropped
    return dropped


Plan = list[list[tuple[list[Any], Bits]]]  # per choice: (the choice as offered, bits to set)


def _plan(compact: CompactStory, reads: _Reads, scene: int) -> Plan:
    """The scene's obligations: the ways each choice can be offered (see _Reads.plan), one obligation per
    choice; or, when the choices whose groups are all known read at most _MOST_JOINT dropped bits
    together, one obligation for all of them (for every setting of those bits, one of their moves
    leads somewhere proven: "with the key or without it, a way out", which no single choice gives)."""
    sid = compact.scene_ids[scene]
    plain: list[tuple[Any, Bits]] = []
    plans: Plan = []
    for choice, compiled in zip(compact.scenes[sid].choices, compact.compiled_choices(scene), strict=True):
        whole, groups = reads.bits(sid, choice)
        if any(groups):
            plans.append(reads.plan(sid, choice, compiled))
        else:
            plain.append((compiled, whole))
    together = 0
    for _, whole in plain:
        together |= whole
    if together.bit_count() <= _MOST_JOINT:
        offered = [compiled for compiled, _ in plain]
        return [[(offered, setting) for setting in _completions(together)], *plans] if plain else plans
    return [[([compiled], setting) for setting in _completions(whole)] for compiled, whole in plain] + plans


def _proven(states: list[State | tuple[str]], obligations: list[list[list[list[int]]]]) -> list[bool]:
    """The least fixpoint: an ending is proven; a state is, once every clause of one of its obligations
    has a proven successor."""
    proven = [type(s) is tuple for s in states]
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
