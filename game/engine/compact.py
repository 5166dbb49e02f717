"""The story compiled for the soft-lock proof: a state as a small tuple of ints, a choice as closures.

The proof visits millions of states; the engine (game.engine.engine), which is the
reference for what a choice does, copies a GameState of sets and dicts for each.
Here a state is `(scene, beat, flags, clues, once, numbers, deductions)`: flags,
clues and once-taken marks are bitmasks, counters and visit counts one tuple of
ints, each deduction's wrong count and attempts a pair. Words learned are flag bits: one
for a word read alone (knows(), or the only word of a kind of answer), one for "knows
one of these" for each group of words that make one kind of answer to a blank or a
question (what deduce.proof_key keys), set by `learn`. Conditions and effects are
read from the story model (their source and fields) and turned into closures over
that tuple. tests/test_proof.py checks, on generated stories, that every step agrees
with the engine's.

Numbers are kept as the classes of values the conditions can tell apart: a counter
that only goes up is kept exactly below the highest point where a comparison changes
its answer, and as that point above it (a visit count read only by `visited()`
has two values, 0 and 1); one that only goes down likewise at the bottom. A counter
that goes both ways keeps its value, and the proof's key clamps it just past the
numbers it is compared with (as the proof always has; exact while it stays in that
range).

A choice is closed for good once a number that only goes up has passed the bound
of one of its condition's `and`s (`nights < 6` once nights is 6), or a deduction that
no choice submits again once solved is solved (`not solved(d)`): each state
carries which such facts hold (and which "met" facts, see Speakers, are settled),
and is kept with a liveness worked out without the closed choices, so what only
they read is dropped. The facts only ever grow along a path, which is what makes
this exact (a state's view never reopens what a view before it closed).
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from game.engine import deduce
from game.engine.liveness import Group, Liveness, LiveSet, Speakers, any_name, submission_groups
from game.engine.state import GameState
from game.story.conditions import UNSUBMITTED_WRONG, Condition, Effect
from game.story.model import Choice, Story

# (scene, beat, flags, clues, once, numbers, deductions); an ending is (ending id,).
State = tuple[Any, ...]
Key = int | tuple[str]  # a state as the search's index keeps it (see CompactStory.key); an ending is (ending id,)
Test = Callable[[Sequence[Any]], bool]  # over a state, or one being built (a list)
Number = Callable[[Sequence[Any]], int]

SCENE, BEAT, FLAGS, CLUES, ONCE, NUMBERS, DEDUCTIONS, VIEW = range(8)
_KNOWN_EFFECTS = {"set", "clear", "add", "gain", "lose", "learn"}
_KNOWN_STATE = {
    "scene", "beat", "seed", "flags", "counters", "clues", "visits", "once_taken", "log", "ending", "deductions",
    "presented", "words",
}  # fmt: skip


_MOST_SETTLED = 4
_MOST_ATOMS = 8
_MOST_VIEWS = 64


class NotCompiled(Exception):
    """The story uses something this compiler does not know: the proof runs on the engine instead."""


def _breakpoints(op: ast.cmpop, number: int, flipped: bool) -> set[int]:
    """Where `value op number` (or `number op value`) changes its answer, as the value grows."""
    if flipped:
        op = {ast.Lt: ast.Gt(), ast.Gt: ast.Lt(), ast.LtE: ast.GtE(), ast.GtE: ast.LtE()}.get(type(op), op)
    if isinstance(op, (ast.Lt, ast.GtE)):
        return {number}
    if isinstance(op, (ast.LtE, ast.Gt)):
        return {number + 1}
    return {number, number + 1}  # == and !=


@dataclass
class _Number:
    """One counter or visit count as the proof keeps it."""

    index: int  # its place in the numbers' tuple (-1 when kept as a bit among the flags)
    points: set[int]  # where some comparison changes its answer
    constants: set[int] = field(default_factory=set)  # the numbers it is compared with
    ups: bool = False  # some effect adds to it
    downs: bool = False  # some effect takes from it
    compared_freely: bool = False  # compared with another number: no classes, its value as it is

    bit: int = 0  # a number with two classes, 0 and 1 or more (a visit read by visited()), kept as a flag bit

    def two_classes(self) -> bool:
        return not (self.compared_freely or self.downs) and max(self.points, default=0) <= 1

    def stored(self) -> Callable[[int], int]:
        """Map a value to its class (for counters that move one way only)."""
        if self.compared_freely or (self.ups and self.downs) or not self.points:
            return _same
        top, bottom = max(self.points), min(self.points) - 1
        if not self.downs:
            return lambda value: top if value > top else value
        return lambda value: bottom if value < bottom else value

    def clamp(self) -> tuple[int, int] | None:
        """The key's clamp of a counter that goes both ways (None: the stored value is the key's)."""
        if not (self.ups and self.downs) or self.compared_freely:
            return None
        constants = self.constants | {0, 1}
        return min(constants) - 1, max(constants)


def _same(value: int) -> int:
    return value


class CompactStory:
    """The story as the proof's search runs it."""

    def __init__(self, story: Story, liveness: Liveness) -> None:
        self.story = story
        if set(GameState.__dataclass_fields__) != _KNOWN_STATE:
            raise NotCompiled("the game state has fields this compiler does not know")
        self.liveness = liveness
        self.scenes = liveness.scenes
        self.scene_ids = list(self.scenes)
        self._parsed: dict[str, ast.expr] = {}  # many conditions share their text: each parsed and compiled once
        self._tests: dict[tuple[str, frozenset[str]], Test] = {}
        self._compiled_effects: dict[tuple[Effect, ...], Callable[[list[Any]], None]] = {}
        self.scene_index = {sid: i for i, sid in enumerate(self.scene_ids)}
        self.beat_ids = list(story.beats)
        self.beat_index = {b: i for i, b in enumerate(self.beat_ids)}
        self.speakers: Speakers = liveness.speakers
        self.losable = liveness.losable
        self.flag_bit: dict[str, int] = {}
        self.clue_bit = {c: 1 << i for i, c in enumerate(sorted(story.clues))}
        self.once_bit: dict[str, int] = {}
        self.numbers: dict[tuple[str, str], _Number] = {}  # ("counter" | "visits", name)
        self.deduction_slot: dict[str, int] = {}
        self._read_deductions()
        for lines in self.speakers.conditional.values():
            if any(not condition.deductions <= self.deduction_slot.keys() for _, condition in lines):
                raise NotCompiled("a line that decides whom the player has met reads a deduction no choice reads")
        self._collect_numbers()
        in_tuple: list[_Number] = []
        for (kind, name), number in self.numbers.items():
            if number.two_classes():
                number.index, number.bit = -1, self._flag(f"\0{kind} {name}")
            else:
                number.index = len(in_tuple)
                in_tuple.append(number)
        self.stored = [n.stored() for n in in_tuple]
        self._find_closing_atoms()
        self.clamps = [n.clamp() for n in in_tuple]
        self.clamped = [(i, c) for i, c in enumerate(self.clamps) if c is not None]
        self.met_bit: dict[str, int] = {}  # "has met one of these characters", by their ids joined by "|"
        self.any_bit: dict[str, int] = {}
        # Words learned, as flag bits: a word read by itself (knows(), or alone in a group), and "knows
        # one of these words" for a group of several (what deduce.proof_key keys), set on learning one.
        self.word_bit = {w: self._flag(f"\0word {w}") for c in story.conditions() for w in sorted(c.words)}
        self.any_word_bit: dict[str, int] = {}
        for scene in self.scenes.values():  # every derived fact, before any effect is compiled
            for choice in scene.choices:
                for group in submission_groups(story, choice):
                    if len(group.words) == 1:
                        (word,) = group.words
                        self.word_bit.setdefault(word, self._flag(f"\0word {word}"))
                    elif group.words:
                        name = any_name(group.words)
                        self.any_word_bit.setdefault(name, self._flag(f"\0words {name}"))
                    if len(group.clues) > 1 and not group.clues & self.losable:
                        self.any_bit.setdefault(any_name(group.clues), self._flag(f"\0any {any_name(group.clues)}"))
                    if group.characters:
                        name = any_name(group.characters)
                        self.met_bit.setdefault(name, self._flag(f"\0met {name}"))
        self.scene_met = [
            self._mask(self.met_bit, (g for g in self.met_bit if self.speakers.unconditional[sid] & set(g.split("|"))))
            for sid in self.scene_ids
        ]
        self._transitions: dict[str, dict[str, list[tuple[Test | None, int]]]] = {}
        for transition in story.transitions:
            guard = None if transition.guard is None else self.condition(transition.guard)
            per_beat = self._transitions.setdefault(transition.trigger, {})
            per_beat.setdefault(transition.source, []).append((guard, self.beat_index[transition.dest]))
        # A scene's choices and entry are compiled when the search first gets there (a search cut short by
        # its budget compiles only what it reached); every bit a projection keeps is laid out now.
        self.choices: list[list[_CompiledChoice] | None] = [None] * len(self.scene_ids)
        self.enter: list[Callable[[list[Any]], None] | None] = [None] * len(self.scene_ids)
        for sid, scene in self.scenes.items():
            for choice in scene.choices:
                if choice.once:
                    self.once_bit.setdefault(f"{sid}/{choice.key}", 1 << len(self.once_bit))
        for live in {id(live): live for live in liveness.keys.values()}.values():
            for name in live.flags:
                self._flag(name)
            for name in live.clues:
                self._clue(name)
        # Once the player has met one of a group, the lines with conditions of that group no longer matter:
        # a projection for each set of such facts known (as many as there are, up to 2^_MOST_SETTLED).
        groups = sorted(g for g in self.met_bit if any(c in self.speakers.conditional for c in g.split("|")))
        groups = groups if len(groups) <= _MOST_SETTLED else []
        self.settled_groups = groups
        self.settled_mask = self._mask(self.met_bit, groups)
        # One set of projections for each pair (met facts settled, closing facts true) the search meets,
        # made when first met (at most _MOST_VIEWS of them; past that, states keep what the first kept).
        self._views: dict[tuple[int, int], tuple[int, list[Callable[[list[Any]], State]]]] = {}
        self._view_masks: list[tuple[int, int]] = []
        self._lay_out_keys()
        self._project = self._view(0, 0, 0)[1]

    # -- the layout --------------------------------------------------------------------------------

    def _flag(self, name: str) -> int:
        if name not in self.flag_bit:
            self.flag_bit[name] = 1 << len(self.flag_bit)
        return self.flag_bit[name]

    def _clue(self, name: str) -> int:
        if name not in self.clue_bit:
            self.clue_bit[name] = 1 << len(self.clue_bit)
        return self.clue_bit[name]

    @staticmethod
    def _mask(bits: dict[str, int], names: Iterable[str]) -> int:
        mask = 0
        for name in names:
            mask |= bits[name]
        return mask

    def _number(self, kind: str, name: str) -> _Number:
        if (kind, name) not in self.numbers:
            self.numbers[(kind, name)] = _Number(len(self.numbers), set())
        return self.numbers[(kind, name)]

    def _read_deductions(self) -> None:
        cap = deduce.proof_cap(self.story)
        self.deduction_most = cap.most
        self.deduction_counted = cap.counted
        self.closed_once_solved = cap.closed
        for name in sorted(cap.read):
            self.deduction_slot[name] = len(self.deduction_slot)

    def _collect_numbers(self) -> None:
        """Every number a condition the proof evaluates reads, with the points where it changes an answer."""
        story = self.story
        conditions: list[Condition] = list(story.conditions(lines=False))
        for lines in self.speakers.conditional.values():
            conditions += [condition for _, condition in lines]
        for condition in {(c.source, c.counters, c.scenes): c for c in conditions}.values():
            tree = self._parse(condition.source)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Compare):
                    continue
                operands = [node.left, *node.comparators]
                for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
                    for mine, other, flipped in ((left, right, False), (right, left, True)):
                        ref = self._numeric_ref(mine, condition)
                        if ref is None:
                            continue
                        number = self._number(*ref)
                        constant = _constant(other)
                        if constant is None:
                            number.compared_freely = True
                        else:
                            number.points |= _breakpoints(op, constant, flipped)
                            number.constants.add(constant)
            for name in condition.counters:
                self._number("counter", name).points |= {0, 1}  # a bare counter is true when not 0
            for scene in condition.scenes:
                self._number("visits", scene).points.add(1)  # visited()
        for lines in self.speakers.conditional.values():
            for scene, _ in lines:
                self._number("visits", scene).points.add(1)  # has the player been where the line is said
        for here in self.scenes.values():
            for effects in (here.on_enter, *(c.effects for c in here.choices)):
                self._note_adds(effects)
            for choice in here.choices:
                if choice.present is not None:
                    for outcome in (choice.present.right, choice.present.partly, choice.present.wrong):
                        self._note_adds(outcome.effects)
        for deduction in story.deductions.values():
            self._note_adds((*deduction.on_solved, *deduction.on_wrong))
        for (kind, _), number in self.numbers.items():
            if kind == "visits":
                number.ups = True

    def _note_adds(self, effects: tuple[Effect, ...]) -> None:
        for effect in effects:
            if effect.kind not in _KNOWN_EFFECTS:
                raise NotCompiled(f"the effect '{effect.kind}' is new to the proof's compiler")
            if effect.kind == "add" and ("counter", effect.name) in self.numbers:
                number = self.numbers[("counter", effect.name)]
                number.ups |= effect.amount > 0
                number.downs |= effect.amount < 0

    @staticmethod
    def _numeric_ref(node: ast.expr, condition: Condition) -> tuple[str, str] | None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "visits":
            return "visits", _argument(node)
        if isinstance(node, (ast.Name, ast.Attribute)):
            return "counter", ast.unparse(node)
        return None

    # -- conditions --------------------------------------------------------------------------------

    def _parse(self, source: str) -> ast.expr:
        if source not in self._parsed:
            self._parsed[source] = ast.parse(source, mode="eval").body
        return self._parsed[source]

    def condition(self, condition: Condition) -> Test:
        known = (condition.source, condition.counters)
        if known not in self._tests:
            self._tests[known] = self._test(self._parse(condition.source), condition)
        return self._tests[known]

    def _test(self, node: ast.expr, condition: Condition) -> Test:
        if isinstance(node, ast.BoolOp):
            parts = [self._test(value, condition) for value in node.values]
            if isinstance(node.op, ast.And):
                return lambda s: all(part(s) for part in parts)
            return lambda s: any(part(s) for part in parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self._test(node.operand, condition)
            return lambda s: not inner(s)
        if isinstance(node, ast.Compare):
            operands = [self._value(o, condition) for o in (node.left, *node.comparators)]
            steps = [(operands[i], _COMPARE[type(op)], operands[i + 1]) for i, op in enumerate(node.ops)]
            if len(steps) == 1:
                ((left, compare, right),) = steps
                return lambda s: compare(left(s), right(s))
            return lambda s: all(compare(left(s), right(s)) for left, compare, right in steps)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            value = node.value
            return lambda s: value
        if isinstance(node, ast.Call):
            kind, target = _call(node)
            if kind == "has":
                bit = self._clue(target)
                return lambda s: bool(s[CLUES] & bit)
            if kind == "visited":
                visits = self._read(self.numbers[("visits", target)])
                return lambda s: visits(s) > 0
            if kind == "solved":
                slot = self.deduction_slot[target]
                return lambda s: s[DEDUCTIONS][slot][0] == 0
            if kind == "knows":
                known = self.word_bit[target]
                return lambda s: bool(s[FLAGS] & known)
            raise NotCompiled(f"{kind}() as a test")
        name = ast.unparse(node)
        if name in condition.counters:
            counter = self._read(self.numbers[("counter", name)])
            return lambda s: counter(s) != 0
        bit = self._flag(name)
        return lambda s: bool(s[FLAGS] & bit)

    def _value(self, node: ast.expr, condition: Condition) -> Number:
        constant = _constant(node)
        if constant is not None:
            return lambda s: constant
        if isinstance(node, ast.Call):
            kind, target = _call(node)
            if kind == "visits":
                return self._read(self.numbers[("visits", target)])
            slot = self.deduction_slot[target]
            part = 0 if kind == "wrong" else 1
            return lambda s: s[DEDUCTIONS][slot][part]
        return self._read(self.numbers[("counter", ast.unparse(node))])

    @staticmethod
    def _read(number: _Number) -> Number:
        if number.bit:
            bit = number.bit
            return lambda s: 1 if s[FLAGS] & bit else 0
        index = number.index
        return lambda s: s[NUMBERS][index]

    def _bump(self, number: _Number, amount: int) -> Callable[[list[Any]], None]:
        """Add to a number (a counter's `add`, a visit on entering a scene)."""
        if number.bit:
            bit = number.bit
            if amount <= 0:
                return _nothing
            return lambda s: s.__setitem__(FLAGS, s[FLAGS] | bit)
        index, stored = number.index, self.stored[number.index]

        def add(s: list[Any]) -> None:
            numbers = list(s[NUMBERS])
            numbers[index] = stored(numbers[index] + amount)
            s[NUMBERS] = tuple(numbers)

        return add

    # -- effects -----------------------------------------------------------------------------------

    def _effects(self, effects: tuple[Effect, ...]) -> Callable[[list[Any]], None]:
        """The effects as one function over a state being built (a list, changed in place)."""
        if effects not in self._compiled_effects:
            self._compiled_effects[effects] = self._compile_effects(effects)
        return self._compiled_effects[effects]

    def _compile_effects(self, effects: tuple[Effect, ...]) -> Callable[[list[Any]], None]:
        steps: list[Callable[[list[Any]], None]] = []
        for effect in effects:
            steps.append(self._effect(effect))
        if not steps:
            return _nothing
        if len(steps) == 1:
            return steps[0]

        def run(s: list[Any]) -> None:
            for step in steps:
                step(s)

        return run

    def _effect(self, effect: Effect) -> Callable[[list[Any]], None]:
        kind, name = effect.kind, effect.name
        if kind in ("set", "clear"):
            bit = self._flag(name)
            if kind == "set":
                return lambda s: s.__setitem__(FLAGS, s[FLAGS] | bit)
            keep = ~bit
            return lambda s: s.__setitem__(FLAGS, s[FLAGS] & keep)
        if kind in ("gain", "lose"):
            bit = self._clue(name)
            if kind == "lose":
                keep = ~bit
                return lambda s: s.__setitem__(CLUES, s[CLUES] & keep)
            anys = 0
            for group, any_bit in self.any_bit.items():
                if name in group.split("|"):
                    anys |= any_bit

            def gain(s: list[Any]) -> None:
                s[CLUES] = s[CLUES] | bit
                s[FLAGS] = s[FLAGS] | anys

            return gain
        if kind == "learn":
            known = self.word_bit.get(name, 0)
            for group, any_bit in self.any_word_bit.items():
                if name in group.split("|"):
                    known |= any_bit
            if not known:
                return _nothing  # nothing the proof evaluates reads it
            return lambda s: s.__setitem__(FLAGS, s[FLAGS] | known)
        if kind == "add":
            if ("counter", name) not in self.numbers:
                return _nothing  # nothing the proof evaluates reads it
            return self._bump(self.numbers[("counter", name)], effect.amount)
        raise NotCompiled(f"the effect '{kind}' is new to the proof's compiler")

    # -- choices -----------------------------------------------------------------------------------

    def _group_test(self, group: Group) -> Test:
        """Whether the player holds (or has met, or knows) at least one of the group now."""
        tests: list[Test] = []
        if group.words:
            word = (
                self.word_bit[min(group.words)] if len(group.words) == 1 else self.any_word_bit[any_name(group.words)]
            )
            tests.append(lambda s: bool(s[FLAGS] & word))
        if group.clues and (len(group.clues) == 1 or group.clues & self.losable):
            mask = self._mask(self.clue_bit, group.clues)
            tests.append(lambda s: bool(s[CLUES] & mask))
        elif group.clues:
            bit = self.any_bit[any_name(group.clues)]
            tests.append(lambda s: bool(s[FLAGS] & bit))
        if group.characters:
            tests.append(self._met(group.characters))
        if not tests:
            return lambda s: False
        return lambda s: any(test(s) for test in tests)

    def _met(self, characters: frozenset[str]) -> Test:
        bit = self.met_bit[any_name(characters)]
        lines = [
            (self._read(self.numbers[("visits", scene)]), self.condition(condition))
            for character in sorted(characters)
            for scene, condition in self.speakers.conditional.get(character, ())
        ]
        if not lines:
            return lambda s: bool(s[FLAGS] & bit)
        return lambda s: bool(s[FLAGS] & bit) or any(visits(s) > 0 and test(s) for visits, test in lines)

    def _choice(self, scene_id: str, choice: Choice) -> _CompiledChoice:
        story = self.story
        once = 0
        if choice.once:
            once = self.once_bit.setdefault(f"{scene_id}/{choice.key}", 1 << len(self.once_bit))
        condition = None if choice.condition is None else self.condition(choice.condition)
        effects = self._effects(choice.effects)
        groups = [self._group_test(g) for g in submission_groups(story, choice)]
        trigger = None if choice.trigger is None else self._transitions.get(choice.trigger, {})
        outcomes: list[tuple[str, Callable[[list[Any]], None], int | None, str | None]] = []
        if choice.present is not None:
            for kind in ("right", "partly", "wrong"):
                outcome = getattr(choice.present, kind)
                target = outcome.goto if outcome.goto is not None or outcome.ending is not None else choice.goto
                ending = outcome.ending if outcome.goto is not None or outcome.ending is not None else choice.ending
                goto = None if target is None else self.scene_index[target]
                outcomes.append((kind, self._effects(outcome.effects), goto, ending))
        deduction = None
        if choice.deduce is not None:
            d = story.deductions[choice.deduce]
            deduction = (
                len(d.blanks),
                d.hint_when_wrong_at_most,
                self.deduction_slot.get(d.id),
                d.id in self.deduction_counted,
                self._effects(d.on_solved),
                self._effects(d.on_wrong),
            )
        closers = 0
        for i, closed in enumerate(self._closed_by):
            if any(c is choice for c in closed):
                closers |= 1 << i
        return _CompiledChoice(
            choice=choice,
            closers=closers,
            once=once,
            condition=condition,
            trigger=trigger,
            groups=groups,
            effects=effects,
            goto=None if choice.goto is None else self.scene_index[choice.goto],
            ending=choice.ending,
            outcomes=outcomes,
            deduction=deduction,
        )

    def _entry(self, scene_id: str) -> Callable[[list[Any]], None]:
        index = self.scene_index[scene_id]
        visits = self.numbers.get(("visits", scene_id))
        count = _nothing if visits is None else self._bump(visits, 1)
        met = self.scene_met[index]
        on_enter = self._effects(self.scenes[scene_id].on_enter)

        def enter(s: list[Any]) -> None:
            s[SCENE] = index
            s[FLAGS] = s[FLAGS] | met
            count(s)
            on_enter(s)

        return enter

    # -- what is live ------------------------------------------------------------------------------

    def _projection(self, live: LiveSet, view: int) -> Callable[[list[Any]], State]:
        """The state as the proof keeps it at a scene: what nothing ahead reads set to its start."""
        flags = self._mask(self.flag_bit, (n for n in live.flags if n in self.flag_bit))
        flags |= self._mask(self.met_bit, live.met)
        flags |= self._mask(self.any_bit, (n for n in live.any if n in self.any_bit))
        flags |= self._mask(self.word_bit, live.words)
        flags |= self._mask(self.any_word_bit, live.any_words)
        kept = [self.numbers[("counter", n)] for n in live.counters if ("counter", n) in self.numbers]
        kept += [self.numbers[("visits", n)] for n in live.visits if ("visits", n) in self.numbers]
        for number in kept:
            flags |= number.bit
        assert flags >> self._flags_laid_out == 0, "every flag a view keeps has its place in the key"
        clues = self._mask(self.clue_bit, (n for n in live.clues if n in self.clue_bit))
        once = self._mask(self.once_bit, (n for n in live.once if n in self.once_bit))
        kept_indices = {n.index for n in kept if not n.bit}
        start = self._start_numbers()
        dead = [(i, start[i]) for i in range(len(start)) if i not in kept_indices]

        def project(s: list[Any]) -> State:
            numbers = s[NUMBERS]
            if dead:
                changed = list(numbers)
                for i, value in dead:
                    changed[i] = value
                numbers = tuple(changed)
            return (
                s[SCENE],
                s[BEAT],
                s[FLAGS] & flags,
                s[CLUES] & clues,
                s[ONCE] & once,
                numbers,
                s[DEDUCTIONS],
                view,
            )

        return project

    def _start_numbers(self) -> tuple[int, ...]:
        return tuple(stored(0) for stored in self.stored)

    def _lay_out_keys(self) -> None:
        """A key is one int: scene, beat, view, clues, once-taken marks and flags side by side, and on top
        the number of its (numbers, deductions) pair, which few states differ in (each pair kept once)."""
        widths = [len(self.scene_ids), len(self.beat_ids), _MOST_VIEWS, 1 << len(self.clue_bit)]
        widths += [1 << len(self.once_bit), 1 << len(self.flag_bit)]
        self._shifts: list[int] = []
        shift = 0
        for width in widths:
            self._shifts.append(shift)
            shift += max(1, (width - 1).bit_length())
        self._rest_shift = shift
        self._flags_laid_out = len(self.flag_bit)
        self._rests: dict[tuple[Any, Any], int] = {}
        self._rest_list: list[tuple[Any, Any]] = []

    def key(self, state: State) -> Key:
        """The state as the search's index knows it, one int: counters that go both ways clamped."""
        if len(state) == 1:
            return state
        numbers = state[NUMBERS]
        if self.clamped:
            clamped = list(numbers)
            for i, (low, high) in self.clamped:
                value = clamped[i]
                clamped[i] = low if value < low else high + 1 if value > high + 1 else value
            numbers = tuple(clamped)
        rest = (numbers, state[DEDUCTIONS])
        number = self._rests.get(rest)
        if number is None:
            number = self._rests[rest] = len(self._rest_list)
            self._rest_list.append(rest)
        _, beat, view, clues, once, flags = self._shifts
        packed: int = (
            state[SCENE]
            | state[BEAT] << beat
            | state[VIEW] << view
            | state[CLUES] << clues
            | state[ONCE] << once
            | state[FLAGS] << flags
            | number << self._rest_shift
        )
        return packed

    def unpacked(self, key: Key) -> State:
        """A key's parts, laid out as a state: (scene, beat, flags, clues, once, numbers, deductions, view)."""
        if isinstance(key, tuple):
            return key
        fields = []
        shifts = [*self._shifts, self._rest_shift]
        for shift, following in itertools.pairwise(shifts):
            fields.append(key >> shift & ((1 << (following - shift)) - 1))
        scene, beat, view, clues, once, flags = fields
        numbers, deductions = self._rest_list[key >> self._rest_shift]
        return (scene, beat, flags, clues, once, numbers, deductions, view)

    def readable(self, packed: Key, live: Mapping[str, LiveSet]) -> State:
        """A key with names for its bits, laid out as the engine's search lays its keys out."""
        key = self.unpacked(packed)
        if len(key) == 1:
            return key
        scene = self.scene_ids[key[SCENE]]
        here = live[scene]

        def names(bits: dict[str, int], value: int) -> frozenset[str]:
            return frozenset(name for name, bit in bits.items() if value & bit)

        numbers: tuple[int, ...] = key[NUMBERS]

        def values(kind: str, wanted: tuple[str, ...]) -> tuple[int, ...]:
            found = []
            for name in wanted:
                number = self.numbers.get((kind, name))
                if number is None:
                    found.append(0)
                else:
                    found.append(int(bool(key[FLAGS] & number.bit)) if number.bit else numbers[number.index])
            return tuple(found)

        return (
            scene,
            self.beat_ids[key[BEAT]],
            frozenset(n for n in names(self.flag_bit, key[FLAGS]) if not n.startswith("\0")),
            names(self.clue_bit, key[CLUES]),
            values("counter", here.counters),
            values("visits", here.visits),
            names(self.once_bit, key[ONCE]),
            key[DEDUCTIONS],
            names(self.met_bit, key[FLAGS]),
            names(self.any_bit, key[FLAGS]),
            names(self.word_bit, key[FLAGS]) | names(self.any_word_bit, key[FLAGS]),  # the words known
        )

    # -- the search's two questions ----------------------------------------------------------------

    def start(self) -> State:
        deductions = tuple((min(UNSUBMITTED_WRONG, self.deduction_most), 0) for _ in self.deduction_slot)
        s: list[Any] = [0, self.beat_index[self.story.initial_beat], 0, 0, 0, self._start_numbers(), deductions]
        self._entering(self.scene_index[self.story.start])(s)
        return self._projected(s)

    def moves(self, state: State) -> Iterator[tuple[str, State]]:
        """Each move on offer at `state` (as deduce.moves offers them) and the state it leads to."""
        here = self.choices[state[SCENE]]
        if here is None:
            sid = self.scene_ids[state[SCENE]]
            here = self.choices[state[SCENE]] = [self._choice(sid, c) for c in self.scenes[sid].choices]
        closing = self._view_masks[state[VIEW]][1]
        for compiled in here:
            if compiled.once and state[ONCE] & compiled.once:
                continue
            if compiled.closers & closing:
                continue  # its view dropped what it reads: it is closed for good
            if compiled.condition is not None and not compiled.condition(state):
                continue
            beat = state[BEAT]
            if compiled.trigger is not None:
                fired = self._fire(compiled.trigger, beat, state)
                if fired is None:
                    continue
                beat = fired
            if compiled.groups:
                yield from self._submissions(compiled, state, beat)
                continue
            s = list(state)
            s[BEAT] = beat
            s[ONCE] = s[ONCE] | compiled.once
            compiled.effects(s)
            yield compiled.choice.text, self._arrive(s, compiled.goto, compiled.ending)

    def _fire(self, trigger: dict[str, list[tuple[Test | None, int]]], beat: int, state: State) -> int | None:
        for guard, dest in trigger.get(self.beat_ids[beat], ()):
            if guard is None or guard(state):
                return dest
        return None

    def _arrive(self, s: list[Any], goto: int | None, ending: str | None) -> State:
        if ending is not None:
            return (ending,)
        assert goto is not None
        self._entering(goto)(s)
        return self._projected(s)

    def _entering(self, index: int) -> Callable[[list[Any]], None]:
        enter = self.enter[index]
        if enter is None:
            enter = self.enter[index] = self._entry(self.scene_ids[index])
        return enter

    def _view(self, settled: int, closing: int, before: int) -> tuple[int, list[Callable[[list[Any]], State]]]:
        """The projections (and their number, part of every key) for these settled and closing facts;
        past _MOST_VIEWS, those of the state before (`before`), whose facts all still hold."""
        if (settled, closing) in self._views:
            return self._views[(settled, closing)]
        if len(self._views) >= _MOST_VIEWS:
            return self._views[self._view_masks[before]]
        chosen = frozenset(g for g in self.settled_groups if self.met_bit[g] & settled)
        closed = frozenset(id(c) for i, choices in enumerate(self._closed_by) if closing >> i & 1 for c in choices)
        liveness = self.liveness if not chosen and not closed else Liveness(self.story, settled=chosen, closed=closed)
        made: dict[int, Callable[[list[Any]], State]] = {}  # scenes that share a LiveSet share a projection
        projections = []
        number = len(self._views)
        for sid in self.scene_ids:
            live = liveness.keys[sid]
            if id(live) not in made:
                made[id(live)] = self._projection(live, number)
            projections.append(made[id(live)])
        self._views[(settled, closing)] = (number, projections)
        self._view_masks.append((settled, closing))
        return self._views[(settled, closing)]

    def _projected(self, s: list[Any]) -> State:
        if not self.settled_mask and not self._atoms:
            found: State = self._project[s[SCENE]](s)
            return found
        # Both kinds of fact, once true, stay true: the state carries them on (a variable its view
        # dropped may read as its start value later, which must never reopen what it closed).
        before = s[VIEW] if len(s) > VIEW else 0
        settled, closing = self._view_masks[before]
        settled |= s[FLAGS] & self.settled_mask
        for i, (read, threshold) in enumerate(self._atoms):
            if read(s) >= threshold:
                closing |= 1 << i
        found = self._view(settled, closing, before)[1][s[SCENE]](s)
        return found

    def _find_closing_atoms(self) -> None:
        """Facts that, once true, stay true and close choices for good: a number that only goes up past
        the bound of a choice's `n < k`, `n <= k` or `n == k` (one of the `and`s of its condition), or a
        deduction no choice submits again once solved under its `not solved(d)` (what deduce.proof_key drops
        the words of). Not a flag no effect clears, under `not f`: the fact would outlive the flag, which
        is dropped once nothing reads it, and keep apart states that are otherwise one (the shipped story
        had more states with it)."""
        atoms: dict[tuple[str, str, int], list[Choice]] = {}
        for scene in self.scenes.values():
            for choice in scene.choices:
                if choice.condition is None:
                    continue
                tree = self._parse(choice.condition.source)
                conjuncts = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
                for part in conjuncts:
                    atom = self._closing_atom(part, choice.condition)
                    if atom is not None:
                        atoms.setdefault(atom, []).append(choice)
        chosen = sorted(atoms)[:_MOST_ATOMS]
        self._atoms = [(self._fact(kind, name), threshold) for kind, name, threshold in chosen]
        self._closed_by = [atoms[atom] for atom in chosen]

    def _fact(self, kind: str, name: str) -> Number:
        """How a closing fact is read: a number, or 1 once a deduction is solved."""
        if kind == "solved":
            slot = self.deduction_slot[name]
            return lambda s: 1 if s[DEDUCTIONS][slot][0] == 0 else 0
        return self._read(self.numbers[(kind, name)])

    def _closing_atom(self, node: ast.expr, condition: Condition) -> tuple[str, str, int] | None:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = node.operand
            if isinstance(inner, ast.Call) and _call(inner)[0] == "solved":
                deduction = _call(inner)[1]
                if deduction in self.closed_once_solved and deduction in self.deduction_slot:
                    return "solved", deduction, 1
            return None
        if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
            return None
        ref = self._numeric_ref(node.left, condition)
        bound = _constant(node.comparators[0])
        if ref is None or bound is None or ref not in self.numbers:
            return None
        number = self.numbers[ref]
        if number.downs or number.compared_freely or not number.ups:
            return None
        op = node.ops[0]
        threshold = bound if isinstance(op, ast.Lt) else bound + 1 if isinstance(op, (ast.LtE, ast.Eq)) else None
        if threshold is None or threshold <= 0:
            return None
        return ref[0], ref[1], threshold

    def _submissions(self, compiled: _CompiledChoice, state: State, beat: int) -> Iterator[tuple[str, State]]:
        held = [test(state) for test in compiled.groups]
        text = compiled.choice.text
        if compiled.deduction is not None:
            blanks, most, slot, counted, on_solved, on_wrong = compiled.deduction
            rights, wrongs = held[0::2][:blanks], held[1::2][:blanks]
            if not all(r or w for r, w in zip(rights, wrongs, strict=True)):
                return  # a blank with nothing to pick: not offered
            must = sum(not r for r in rights)
            for wrong in deduce.telling_wrong_counts(must, sum(wrongs), most):
                s = list(state)
                s[BEAT] = beat
                s[ONCE] = s[ONCE] | compiled.once
                if slot is not None:
                    deductions = list(s[DEDUCTIONS])
                    attempts = deductions[slot][1] + 1 if counted else 0
                    cap = self.deduction_most
                    deductions[slot] = (min(wrong, cap), min(attempts, cap))
                    s[DEDUCTIONS] = tuple(deductions)
                (on_solved if wrong == 0 else on_wrong)(s)
                compiled.effects(s)
                label = "all right" if wrong == 0 else f"{wrong} wrong"
                yield f"{text} [{label}]", self._arrive(s, compiled.goto, compiled.ending)
            return
        if not any(held):
            return  # nothing to present: not offered
        for (kind, effects, goto, ending), has in zip(compiled.outcomes, held, strict=True):
            if not has:
                continue
            s = list(state)
            s[BEAT] = beat
            s[ONCE] = s[ONCE] | compiled.once
            compiled.effects(s)
            effects(s)
            yield f"{text} [{kind}]", self._arrive(s, goto, ending)


def _call(node: ast.Call) -> tuple[str, str]:
    """A call of the condition language: its function's name and its one argument (both checked on load)."""
    assert isinstance(node.func, ast.Name)
    return node.func.id, _argument(node)


def _argument(node: ast.Call) -> str:
    argument = node.args[0]
    assert isinstance(argument, ast.Name)
    return argument.id


def _nothing(s: list[Any]) -> None:
    return None


def _constant(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    return None


_COMPARE: dict[type, Callable[[int, int], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


@dataclass(frozen=True)
class _CompiledChoice:
    choice: Choice
    closers: int  # the closing facts (by their bits) after which it is never offered again
    once: int
    condition: Test | None
    trigger: dict[str, list[tuple[Test | None, int]]] | None
    groups: list[Test]
    effects: Callable[[list[Any]], None]
    goto: int | None
    ending: str | None
    outcomes: list[tuple[str, Callable[[list[Any]], None], int | None, str | None]]
    deduction: tuple[int, int, int | None, bool, Callable[[list[Any]], None], Callable[[list[Any]], None]] | None
