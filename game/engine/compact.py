"""The story compiled for the soft-lock proof: a state as one int, a choice as closures over it.

The proof visits millions of states; the engine (game.engine.engine), which is the
reference for what a choice does, copies a GameState of sets and dicts for each.
Here a state is one int whose bits, from the lowest, hold the scene, the beat, the
view (see below), each read deduction's wrong count and attempts, each number kept
as a count, the clues held, the once-taken marks and, on top (the only part that
grows as choices are compiled), the flags: one int is the state, its key in the
search's index and what the frontier keeps, and a projection is an `and` and an `or`.
Words learned are flag bits: one
for a word read alone (knows(), or the only word of a kind of answer), one for "knows
one of these" for each group of words that make one kind of answer to a blank or a
question (what deduce.proof_key keys), set by `learn`. Conditions and effects are
read from the story model (their source and fields) and turned into closures over
that int. tests/test_proof.py checks, on generated stories, that every step agrees
with the engine's.

Numbers are kept as the classes of values the conditions can tell apart: a counter
that only goes up is kept exactly below the highest point where a comparison changes
its answer, and as that point above it (a visit count read only by `visited()`
has two values, 0 and 1, and is a flag bit); one that only goes down likewise at the
bottom. A counter that goes both ways keeps its value, and the proof's key clamps it
just past the numbers it is compared with (as the proof always has; exact while it
stays in that range); the value is kept in 32 bits, and saturates at ±2^31, far past
any clamp (a counter compared with another number is not clamped: it would have to
pass two billion).

A choice is closed for good once a number that only goes up has passed the bound
of one of its condition's `and`s (`nights < 6` once nights is 6), or a deduction that
no choice submits again once solved is solved (`not solved(d)`): each state
carries which such facts hold (and which "met" facts, see Speakers, are settled),
as the number of its view, and is kept with a liveness worked out without the closed
choices, so what only they read is dropped. The facts only ever grow along a path,
which is what makes this exact (a state's view never reopens what a view before it closed).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import chain, compress
from operator import attrgetter, not_
from typing import Any

from game.engine import deduce
from game.engine.liveness import Group, Liveness, LiveSet, Speakers, any_name, submission_groups
from game.engine.state import GameState
from game.story.conditions import UNSUBMITTED_WRONG, Condition, Effect
from game.story.model import Choice, Story

State = int  # see the module's docstring; an ending is (ending id,)
Key = int | tuple[str]
Test = Callable[[int], bool]
Number = Callable[[int], int]
Step = Callable[[int], int]  # an effect, or entering a scene: the state after

_KNOWN_EFFECTS = {"set", "clear", "add", "gain", "lose", "learn"}
_KNOWN_STATE = {
    "scene", "beat", "seed", "flags", "counters", "clues", "visits", "once_taken", "log", "ending", "deductions",
    "presented", "words",
}  # fmt: skip


_CONDITION = attrgetter("condition")
_LINES = attrgetter("lines")
_CHOICES = attrgetter("choices")
_MOST_SETTLED = 4
_MOST_ATOMS = 8
_MOST_VIEWS = 64
_WIDE = 32  # the bits of a number kept as it is (a counter that goes both ways), biased by half their range


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

    index: int  # its place among the numbers kept as counts (-1 when kept as a bit among the flags)
    points: set[int]  # where some comparison changes its answer
    constants: set[int] = field(default_factory=set)  # the numbers it is compared with
    ups: bool = False  # some effect adds to it
    downs: bool = False  # some effect takes from it
    compared_freely: bool = False  # compared with another number: no classes, its value as it is

    bit: int = 0  # a number with two classes, 0 and 1 or more (a visit read by visited()), kept as a flag bit
    shift: int = 0  # a count: where its bits start in the state,
    mask: int = 0  # how many there are (as a mask of that many ones),
    bias: int = 0  # and what is added to its value to store it (so that it is never negative)

    def two_classes(self) -> bool:
        return not (self.compared_freely or self.downs) and max(self.points, default=0) <= 1

    def stored(self) -> Callable[[int], int]:
        """Map a value to its class (for counters that move one way only)."""
        if self._kept_as_is():
            return _same
        top, bottom = max(self.points), min(self.points) - 1
        if not self.downs:
            return lambda value: top if value > top else value
        return lambda value: bottom if value < bottom else value

    def _kept_as_is(self) -> bool:
        return self.compared_freely or (self.ups and self.downs) or not self.points

    def values(self) -> tuple[int, int]:
        """The least and the most it can hold, from 0 at the start (a value kept as it is: _WIDE bits)."""
        if self._kept_as_is():
            return -(1 << (_WIDE - 1)), (1 << (_WIDE - 1)) - 1
        edge = max(self.points) if not self.downs else min(self.points) - 1
        return min(0, edge), max(0, edge)

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
        self._scene_list = list(self.scenes.values())  # by number: a big story's ids are slow to look up
        self._parsed: dict[str, ast.expr] = {}  # many conditions share their text: each parsed and compiled once
        self._tests: dict[tuple[str, frozenset[str]], Test] = {}
        self._tests_by_id: dict[int, tuple[Condition, Test]] = {}
        self._compiled_effects: dict[tuple[Effect, ...], Step] = {}
        self._effects_by_id: dict[int, tuple[tuple[Effect, ...], Step]] = {}
        self.scene_index = liveness.number  # (the same numbers: liveness.scenes' order)
        self.beat_ids = list(story.beats)
        self.beat_index = {b: i for i, b in enumerate(self.beat_ids)}
        self.speakers: Speakers = liveness.speakers
        self.losable = liveness.losable
        self.numbers: dict[tuple[str, str], _Number] = {}  # ("counter" | "visits", name)
        # The story's conditions, each walk of them once (a big story has 10,000s): all, and those it evaluates.
        # (story.conditions() and story.conditions(lines=False), in their order, in C passes: each scene's
        # lines, then its choices; a Condition is true)
        guards = [t.guard for t in story.transitions if t.guard is not None]
        said_then_asked = chain.from_iterable(
            map(chain, map(_LINES, self._scene_list), map(_CHOICES, self._scene_list))
        )
        self._every_condition = [*guards, *filter(None, map(_CONDITION, said_then_asked))]
        asked = chain.from_iterable(map(_CHOICES, self._scene_list))
        self._evaluated = [*guards, *filter(None, map(_CONDITION, asked))]
        self.deduction_slot: dict[str, int] = {}
        self._read_deductions()
        for lines in self.speakers.conditional.values():
            if any(not condition.deductions <= self.deduction_slot.keys() for _, condition in lines):
                raise NotCompiled("a line that decides whom the player has met reads a deduction no choice reads")
        self._effect_clues: set[str] = set()
        self._collect_numbers()
        self._visits_counted = any(kind == "visits" for kind, _ in self.numbers)
        self.counts: list[_Number] = []  # the numbers kept as counts (the rest are flag bits)
        for number in self.numbers.values():
            if not number.two_classes():
                number.index = len(self.counts)
                self.counts.append(number)
        submitting = [*compress(self._scene_list, map(not_, liveness.all_plain))]  # (the rest's choices are plain)
        once = [f"{scene.id}/{c.key}" for scene in submitting for c in scene.choices if c.once]
        clues = set(self._effect_clues) | set(story.clues)
        for read in dict.fromkeys(map(attrgetter("clues"), self._every_condition)):  # (each set once)
            clues |= read
        for live in liveness.distinct:
            clues |= live.clues
        self._lay_out(sorted(clues), once)
        for (kind, name), number in self.numbers.items():
            if number.two_classes():
                number.index, number.bit = -1, self._flag(f"\0{kind} {name}")
        self.stored = [n.stored() for n in self.counts]
        self.clamps = [n.clamp() for n in self.counts]
        self.clamped = [
            (n.shift, n.mask, n.bias, *clamp) for n, clamp in zip(self.counts, self.clamps, strict=True) if clamp
        ]
        self._find_closing_atoms()
        self.key = self._keying()
        self.met_bit: dict[str, int] = {}  # "has met one of these characters", by their ids joined by "|"
        self.any_bit: dict[str, int] = {}
        # Words learned, as flag bits: a word read by itself (knows(), or alone in a group), and "knows
        # one of these words" for a group of several (what deduce.proof_key keys), set on learning one.
        self.word_bit = {
            w: self._flag(f"\0word {w}")
            for words in dict.fromkeys(map(attrgetter("words"), self._every_condition))
            for w in sorted(words)
        }
        self.any_word_bit: dict[str, int] = {}
        for scene in submitting:  # every derived fact, before any effect is compiled
            for choice in scene.choices:
                if choice.deduce is None and choice.present is None:
                    continue  # (most choices: no groups)
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
        self.scene_met = (
            [
                self._mask(
                    self.met_bit, (g for g in self.met_bit if self.speakers.unconditional[sid] & set(g.split("|")))
                )
                for sid in self.scene_ids
            ]
            if self.met_bit
            else [0] * len(self.scene_ids)
        )
        self._transitions: dict[str, dict[str, list[tuple[Test | None, int]]]] = {}
        for transition in story.transitions:
            guard = None if transition.guard is None else self.condition(transition.guard)
            per_beat = self._transitions.setdefault(transition.trigger, {})
            per_beat.setdefault(transition.source, []).append((guard, self.beat_index[transition.dest]))
        # A scene's choices and entry are compiled when the search first gets there (a search cut short by
        # its budget compiles only what it reached).
        self.choices: list[list[_CompiledChoice] | None] = [None] * len(self.scene_ids)
        self.enter: list[Step | None] = [None] * len(self.scene_ids)
        for live in liveness.distinct:
            for name in live.flags:
                self._flag(name)
        # Once the player has met one of a group, the lines with conditions of that group no longer matter:
        # a projection for each set of such facts known (as many as there are, up to 2^_MOST_SETTLED).
        groups = sorted(g for g in self.met_bit if any(c in self.speakers.conditional for c in g.split("|")))
        groups = groups if len(groups) <= _MOST_SETTLED else []
        self.settled_groups = groups
        self.settled_mask = self._mask(self.met_bit, groups)
        # One set of projections for each pair (met facts settled, closing facts true) the search meets,
        # made when first met (at most _MOST_VIEWS of them; past that, states keep what the first kept).
        self._views: dict[tuple[int, int], tuple[int, list[Callable[[int], State]]]] = {}
        self._view_masks: list[tuple[int, int]] = []
        self._project = self._view(0, 0, 0)[1]
        self._projected = self._projecting()
        # When a state's projection is its scene's alone (no settled or closing facts to look at), each
        # move applies its target scene's as two masks (see moves): a big story's search spares two calls a move;
        # and a scene whose choices are all plain has its moves made once, as rows (see _plain_rows).
        self._scene_masks: list[tuple[int, int]] | None = None
        self._rows: list[list[_Row] | None] = [None] * len(self.scene_ids)
        self._arrivals: list[_Row | None] = [None] * len(self.scene_ids)
        if not self.settled_mask and not self._atoms:
            by_live = {id(live): self._projection_masks(live, 0) for live in liveness.distinct}
            self._scene_masks = [*map(by_live.__getitem__, map(id, liveness.live_sets))]

    # -- the layout --------------------------------------------------------------------------------

    def _lay_out(self, clues: list[str], once: list[str]) -> None:
        """Where each part of the state lives in its int (see the module's docstring)."""
        shift = 0

        def place(values: int) -> tuple[int, int]:
            nonlocal shift
            width = max(1, (values - 1).bit_length())
            placed = shift, (1 << width) - 1
            shift += width
            return placed

        self.scene_shift, self.scene_mask = place(len(self.scene_ids))  # the lowest bits: `state & scene_mask`
        self.beat_shift, self.beat_mask = place(len(self.beat_ids))
        self.view_shift, self.view_mask = place(_MOST_VIEWS)
        self.deduction_fields = [
            (place(self.deduction_most + 1), place(self.deduction_most + 1)) for _ in self.deduction_slot
        ]
        for number in self.counts:
            low, high = number.values()
            number.bias = -low
            number.shift, number.mask = place(high - low + 1)
        self.clue_bit = {name: 1 << (shift + i) for i, name in enumerate(clues)}
        shift += len(clues)
        self.once_bit = {name: 1 << (shift + i) for i, name in enumerate(once)}
        shift += len(once)
        self._flag_shift = shift
        self.flag_bit: dict[str, int] = {}
        # The bits of the parts a projection keeps whatever is live (where the player is, the deductions).
        self._always_kept = self.scene_mask << self.scene_shift | self.beat_mask << self.beat_shift
        for (wrong, wrong_mask), (attempts, attempts_mask) in self.deduction_fields:
            self._always_kept |= wrong_mask << wrong | attempts_mask << attempts

    def _flag(self, name: str) -> int:
        if name not in self.flag_bit:
            self.flag_bit[name] = 1 << (self._flag_shift + len(self.flag_bit))
        return self.flag_bit[name]

    def _clue(self, name: str) -> int:
        return self.clue_bit.get(name, 0)  # every clue an effect gains has its bit: has() of another never holds

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
        story = self.story
        if story.deductions or story.words or any(c.deductions or c.words for c in self._evaluated):
            cap = deduce.proof_cap(story)
        else:  # nothing to cap: spare a big story proof_cap's walks of its graph
            cap = deduce.ProofCap(1, frozenset(), frozenset(), (), {}, frozenset())
        self.deduction_most = cap.most
        self.deduction_counted = cap.counted
        self.closed_once_solved = cap.closed
        for name in sorted(cap.read):
            self.deduction_slot[name] = len(self.deduction_slot)

    def _collect_numbers(self) -> None:
        """Every number a condition the proof evaluates reads, with the points where it changes an answer."""
        story = self.story
        conditions: list[Condition] = list(self._evaluated)
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
        self._note_adds(self.liveness.effects)  # (every effect of the scenes, the deductions submitted included)
        for deduction in story.deductions.values():  # (and those of the rest)
            self._note_adds((*deduction.on_solved, *deduction.on_wrong))
        for (kind, _), number in self.numbers.items():
            if kind == "visits":
                number.ups = True

    def _note_adds(self, effects: Iterable[Effect]) -> None:
        for effect in effects:
            if effect.kind not in _KNOWN_EFFECTS:
                raise NotCompiled(f"the effect '{effect.kind}' is new to the proof's compiler")
            if effect.kind in ("gain", "lose"):
                self._effect_clues.add(effect.name)
            if effect.kind == "add" and ("counter", effect.name) in self.numbers:
                number = self.numbers[("counter", effect.name)]
                number.ups |= effect.amount > 0
                number.downs |= effect.amount < 0

    @staticmethod
    def _numeric_ref(node: ast.expr, condition: Condition) -> tuple[str, str] | None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "visits":
            return "visits", _argument(node)
        if isinstance(node, (ast.Name, ast.Attribute)):
            return "counter", _name(node)
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
            if len(parts) == 2:  # the usual shape, as one call
                first, second = parts
                if isinstance(node.op, ast.And):
                    return lambda s: first(s) and second(s)
                return lambda s: first(s) or second(s)
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
                constant = _constant(node.comparators[0])
                if (
                    constant is not None and type(node.ops[0]) in _COMPARE
                ):  # the usual shape: a number against a constant
                    return _against(type(node.ops[0]), left, constant)
                return lambda s: compare(left(s), right(s))
            return lambda s: all(compare(left(s), right(s)) for left, compare, right in steps)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            value = node.value
            return lambda s: value
        if isinstance(node, ast.Call):
            kind, target = _call(node)
            if kind == "has":
                bit = self._clue(target)
                return lambda s: bool(s & bit)
            if kind == "visited":
                visits = self._read(self.numbers[("visits", target)])
                return lambda s: visits(s) > 0
            if kind == "solved":
                (shift, mask), _ = self.deduction_fields[self.deduction_slot[target]]
                wrong = mask << shift
                return lambda s: not s & wrong
            if kind == "knows":
                known = self.word_bit[target]
                return lambda s: bool(s & known)
            raise NotCompiled(f"{kind}() as a test")
        name = _name(node)
        if name in condition.counters:
            counter = self._read(self.numbers[("counter", name)])
            return lambda s: counter(s) != 0
        bit = self._flag(name)
        return lambda s: bool(s & bit)

    def _value(self, node: ast.expr, condition: Condition) -> Number:
        constant = _constant(node)
        if constant is not None:
            return lambda s: constant
        if isinstance(node, ast.Call):
            kind, target = _call(node)
            if kind == "visits":
                return self._read(self.numbers[("visits", target)])
            shift, mask = self.deduction_fields[self.deduction_slot[target]][0 if kind == "wrong" else 1]
            return lambda s: s >> shift & mask
        return self._read(self.numbers[("counter", _name(node))])

    @staticmethod
    def _read(number: _Number) -> Number:
        if number.bit:
            bit = number.bit
            return lambda s: 1 if s & bit else 0
        shift, mask, bias = number.shift, number.mask, number.bias
        if not bias:
            return lambda s: s >> shift & mask
        return lambda s: (s >> shift & mask) - bias

    def _bump(self, number: _Number, amount: int) -> Step:
        """Add to a number (a counter's `add`, a visit on entering a scene)."""
        if number.bit:
            bit = number.bit
            if amount <= 0:
                return _nothing
            return lambda s: s | bit
        shift, mask, bias, stored = number.shift, number.mask, number.bias, self.stored[number.index]
        low, high = number.values()
        cleared = ~(mask << shift)

        def add(s: int) -> int:
            value = stored((s >> shift & mask) - bias + amount)
            value = low if value < low else high if value > high else value  # (only a wide count can pass them)
            return s & cleared | (value + bias) << shift

        def add_as_is(s: int) -> int:  # (a count kept as it is: spared the call of `stored`)
            value = (s >> shift & mask) - bias + amount
            value = low if value < low else high if value > high else value
            return s & cleared | (value + bias) << shift

        return add_as_is if stored is _same else add

    # -- effects -----------------------------------------------------------------------------------

    def _effects(self, effects: tuple[Effect, ...]) -> Step:
        """The effects as one function from a state to the state after them."""
        if not effects:
            return _nothing
        # By identity first: the story keeps its tuples, and hashing one hashes each effect in Python
        # (a 10,000-scene story has some 13,000 of them, most equal to others).
        mine = self._effects_by_id.get(id(effects))
        if mine is not None and mine[0] is effects:
            return mine[1]
        step = self._compiled_effects.get(effects)
        if step is None:
            step = self._compiled_effects[effects] = self._compile_effects(effects)
        self._effects_by_id[id(effects)] = (effects, step)
        return step

    def _compile_effects(self, effects: tuple[Effect, ...]) -> Step:
        steps = [self._effect(effect) for effect in effects]
        steps = [step for step in steps if step is not _nothing]
        if not steps:
            return _nothing
        if len(steps) == 1:
            return steps[0]

        def run(s: int) -> int:
            for step in steps:
                s = step(s)
            return s

        return run

    def _effect(self, effect: Effect) -> Step:
        kind, name = effect.kind, effect.name
        if kind in ("set", "clear"):
            bit = self._flag(name)
            if kind == "set":
                return lambda s: s | bit
            keep = ~bit
            return lambda s: s & keep
        if kind in ("gain", "lose"):
            bit = self._clue(name)
            if kind == "lose":
                keep = ~bit
                return lambda s: s & keep
            for group, any_bit in self.any_bit.items():
                if name in group.split("|"):
                    bit |= any_bit
            return lambda s: s | bit
        if kind == "learn":
            known = self.word_bit.get(name, 0)
            for group, any_bit in self.any_word_bit.items():
                if name in group.split("|"):
                    known |= any_bit
            if not known:
                return _nothing  # nothing the proof evaluates reads it
            return lambda s: s | known
        if kind == "add":
            if ("counter", name) not in self.numbers:
                return _nothing  # nothing the proof evaluates reads it
            return self._bump(self.numbers[("counter", name)], effect.amount)
        raise NotCompiled(f"the effect '{kind}' is new to the proof's compiler")

    # -- choices -----------------------------------------------------------------------------------

    def group_bits(self, group: Group) -> int:
        """The bits of which one is enough for the player to hold or know one of the group (whom they have
        met is read apart: see _met)."""
        mask = 0
        if group.words:
            mask |= (
                self.word_bit[min(group.words)] if len(group.words) == 1 else self.any_word_bit[any_name(group.words)]
            )
        if group.clues and (len(group.clues) == 1 or group.clues & self.losable):
            mask |= self._mask(self.clue_bit, group.clues)
        elif group.clues:
            mask |= self.any_bit[any_name(group.clues)]
        return mask

    def _group_test(self, group: Group) -> Test:
        """Whether the player holds (or has met, or knows) at least one of the group now."""
        mask = self.group_bits(group)
        if not group.characters:
            return lambda s: bool(s & mask)
        met = self._met(group.characters)
        return lambda s: bool(s & mask) or met(s)

    def _met(self, characters: frozenset[str]) -> Test:
        bit = self.met_bit[any_name(characters)]
        lines = [
            (self._read(self.numbers[("visits", scene)]), self.condition(condition))
            for character in sorted(characters)
            for scene, condition in self.speakers.conditional.get(character, ())
        ]
        if not lines:
            return lambda s: bool(s & bit)
        return lambda s: bool(s & bit) or any(visits(s) > 0 and test(s) for visits, test in lines)

    def _choice(self, scene_id: str, choice: Choice, goto: int) -> _CompiledChoice:
        """`choice` of scene `scene_id`, which leads to the scene numbered `goto` (-1: to none)."""
        assert (goto >= 0) == (choice.goto is not None)  # (every goto names a scene: the reader checked)
        plain = choice.trigger is None and choice.deduce is None and choice.present is None
        if plain and not choice.once and not self._closed_by:
            # The usual choice (40,000 at 10k scenes): its condition, effects and where it leads, nothing else.
            condition = None if choice.condition is None else self.condition(choice.condition)
            effects = self._effects(choice.effects)
            leads = goto if goto >= 0 else None
            return _CompiledChoice(choice, 0, 0, condition, None, [], effects, leads, choice.ending, [], None)
        story = self.story
        once = 0
        if choice.once:
            once = self.once_bit[f"{scene_id}/{choice.key}"]
        condition = None if choice.condition is None else self.condition(choice.condition)
        effects = self._effects(choice.effects)
        submits = choice.deduce is not None or choice.present is not None
        groups = [self._group_test(g) for g in submission_groups(story, choice)] if submits else []
        trigger = None if choice.trigger is None else self._transitions.get(choice.trigger, {})
        outcomes: list[tuple[str, Step, int | None, str | None]] = []
        if choice.present is not None:
            for kind in ("right", "partly", "wrong"):
                outcome = getattr(choice.present, kind)
                target = outcome.goto if outcome.goto is not None or outcome.ending is not None else choice.goto
                ending = outcome.ending if outcome.goto is not None or outcome.ending is not None else choice.ending
                leads_to = None if target is None else self.scene_index[target]
                outcomes.append((kind, self._effects(outcome.effects), leads_to, ending))
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
        for i, closed in enumerate(self._closed_by):  # (none in most stories)
            if any(c is choice for c in closed):
                closers |= 1 << i
        # (by position, in the fields' order: keywords cost a 10,000-scene proof some 10 ms more)
        return _CompiledChoice(
            choice,
            closers,
            once,
            condition,
            trigger,
            groups,
            effects,
            goto if goto >= 0 else None,
            choice.ending,
            outcomes,
            deduction,
        )

    def _entry_parts(self, index: int) -> tuple[int, Step, Step]:
        """Entering the scene: `s & elsewhere | here` (`here`: the scene's number and whom it lets the player
        meet; `elsewhere`: all but the scene's bits), then its visit counted, then its on_enter effects."""
        scene = self._scene_list[index]
        visits = self.numbers.get(("visits", scene.id)) if self._visits_counted else None
        count = _nothing if visits is None else self._bump(visits, 1)
        return index << self.scene_shift | self.scene_met[index], count, self._effects(scene.on_enter)

    def _entry(self, index: int) -> Step:
        return self._entering_by(*self._entry_parts(index))

    def _entering_by(self, here: int, count: Step, on_enter: Step) -> Step:
        elsewhere = ~(self.scene_mask << self.scene_shift)
        if count is _nothing and on_enter is _nothing:
            return lambda s: s & elsewhere | here
        if on_enter is _nothing:
            return lambda s: count(s & elsewhere | here)
        if count is _nothing:
            return lambda s: on_enter(s & elsewhere | here)

        def enter(s: int) -> int:
            return on_enter(count(s & elsewhere | here))

        return enter

    # -- what is live ------------------------------------------------------------------------------

    def _projection(self, live: LiveSet, view: int) -> Callable[[int], State]:
        """The state as the proof keeps it at a scene: what nothing ahead reads set to its start."""
        kept, fixed = self._projection_masks(live, view)
        return lambda s: s & kept | fixed

    def _projection_masks(self, live: LiveSet, view: int) -> tuple[int, int]:
        """The projection as (the bits it keeps, the bits it sets): `s & kept | fixed`."""
        kept = self._always_kept
        kept |= self._mask(self.flag_bit, (n for n in live.flags if n in self.flag_bit))
        kept |= self._mask(self.met_bit, live.met)
        kept |= self._mask(self.any_bit, (n for n in live.any if n in self.any_bit))
        kept |= self._mask(self.word_bit, live.words)
        kept |= self._mask(self.any_word_bit, live.any_words)
        kept |= self._mask(self.clue_bit, (n for n in live.clues if n in self.clue_bit))
        kept |= self._mask(self.once_bit, (n for n in live.once if n in self.once_bit))
        numbers = [self.numbers[("counter", n)] for n in live.counters if ("counter", n) in self.numbers]
        numbers += [self.numbers[("visits", n)] for n in live.visits if ("visits", n) in self.numbers]
        for number in numbers:
            kept |= number.bit or number.mask << number.shift
        # A count nothing ahead reads is set to its start; the view is this projection's.
        dead = {id(n) for n in numbers}
        fixed = view << self.view_shift
        for number in self.counts:
            if id(number) not in dead:
                fixed |= (self.stored[number.index](0) + number.bias) << number.shift
        return kept, fixed

    def _keying(self) -> Callable[[State | tuple[str]], Key]:
        """The state as the search's index knows it: counters that go both ways clamped (one function, what
        it needs bound once: it runs for every move the search makes)."""
        clamps = []  # (where, the stored value's bounds, the bits with the value cleared, set to each bound)
        for shift, mask, bias, low, high in self.clamped:
            low, high = low + bias, high + 1 + bias
            clamps.append((shift, mask, low, high, ~(mask << shift), low << shift, high << shift))
        if not clamps:
            return _same_key
        if len(clamps) == 1:  # (the usual case, as one function with no loop)
            ((shift, mask, low, high, cleared, at_low, at_high),) = clamps

            def key_one(state: State | tuple[str]) -> Key:
                if type(state) is not int:
                    return state
                value = state >> shift & mask
                if value < low:
                    return state & cleared | at_low
                if value > high:
                    return state & cleared | at_high
                return state

            return key_one

        def key(state: State | tuple[str]) -> Key:
            if type(state) is not int:
                return state
            for shift, mask, low, high, cleared, at_low, at_high in clamps:
                value = state >> shift & mask
                if value < low:
                    state = state & cleared | at_low
                elif value > high:
                    state = state & cleared | at_high
            return state

        return key

    def scene(self, state: State) -> int:
        return state >> self.scene_shift & self.scene_mask

    def readable(self, key: Key, live: Mapping[str, LiveSet]) -> tuple[Any, ...]:
        """A key with names for its bits, laid out as the engine's search lays its keys out."""
        if type(key) is tuple:
            return key
        assert isinstance(key, int)
        scene = self.scene_ids[self.scene(key)]
        here = live[scene]

        def names(bits: dict[str, int]) -> frozenset[str]:
            return frozenset(name for name, bit in bits.items() if key & bit)

        def values(kind: str, wanted: tuple[str, ...]) -> tuple[int, ...]:
            found = []
            for name in wanted:
                number = self.numbers.get((kind, name))
                found.append(0 if number is None else self._read(number)(key))
            return tuple(found)

        deductions = tuple((key >> w & wm, key >> a & am) for (w, wm), (a, am) in self.deduction_fields)
        return (
            scene,
            self.beat_ids[key >> self.beat_shift & self.beat_mask],
            frozenset(n for n in names(self.flag_bit) if not n.startswith("\0")),
            names(self.clue_bit),
            values("counter", here.counters),
            values("visits", here.visits),
            names(self.once_bit),
            deductions,
            names(self.met_bit),
            names(self.any_bit),
            names(self.word_bit) | names(self.any_word_bit),  # the words known
        )

    # -- the search's two questions ----------------------------------------------------------------

    def start(self) -> State:
        s = self.beat_index[self.story.initial_beat] << self.beat_shift
        unsubmitted = min(UNSUBMITTED_WRONG, self.deduction_most)
        for (wrong, _), _ in self.deduction_fields:
            s |= unsubmitted << wrong
        for number in self.counts:
            s |= (self.stored[number.index](0) + number.bias) << number.shift
        return self._projected(self._entering(self.scene_index[self.story.start])(s))

    def moves(self, state: State) -> Iterable[tuple[str, State | tuple[str]]]:
        """Each move on offer at `state` (as deduce.moves offers them) and the state it leads to."""
        scene = state & self.scene_mask  # (the scene's bits are the lowest)
        rows = self._rows[scene]
        if rows is None:
            rows = self._rows[scene] = self._plain_rows(scene)
        if rows is _NOT_PLAIN:
            return self._moves(state, self.choices[scene] or self.compiled_choices(scene))
        choices = self._scene_list[scene].choices
        texts = [c.text for c, (test, *_) in zip(choices, rows, strict=True) if test is None or test(state)]
        return zip(texts, self.successors(state), strict=True)

    def successors(self, state: State) -> list[State | tuple[str]]:
        """Where each move of `moves(state)` leads, in its order (what the search asks of every state)."""
        scene = state & self.scene_mask
        rows = self._rows[scene]
        if rows is None:
            rows = self._rows[scene] = self._plain_rows(scene)
        if rows is _NOT_PLAIN:
            return [after for _, after in self._moves(state, self.choices[scene] or self.compiled_choices(scene))]
        return [
            ending or (state if step is None else step(state)) & kept | fixed
            for test, step, kept, fixed, ending in rows
            if test is None or test(state)
        ]

    def _moves(self, state: State, here: list[_CompiledChoice]) -> Iterator[tuple[str, State | tuple[str]]]:
        """The moves of `here`, choices compiled for the scene of `state`."""
        closing = self._view_masks[state >> self.view_shift & self.view_mask][1]
        projected, entries, scene_masks = self._projected, self.enter, self._scene_masks
        for compiled in here:
            if state & compiled.once:
                continue
            if compiled.closers & closing:
                continue  # its view dropped what it reads: it is closed for good
            if compiled.condition is not None and not compiled.condition(state):
                continue
            s = state
            if compiled.trigger is not None:
                beat = self._fire(compiled.trigger, state)
                if beat is None:
                    continue
                s = s & ~(self.beat_mask << self.beat_shift) | beat << self.beat_shift
            if compiled.groups:
                yield from self._submissions(compiled, state, s)
                continue
            if compiled.ending is not None:
                yield compiled.choice.text, (compiled.ending,)
                continue
            goto = compiled.goto
            assert goto is not None
            enter = entries[goto] or self._entering(goto)
            s |= compiled.once
            if compiled.effects is not _nothing:  # (most choices have none: spared a call)
                s = compiled.effects(s)
            if scene_masks is None:
                yield compiled.choice.text, projected(enter(s))
            else:
                kept, fixed = scene_masks[goto]
                yield compiled.choice.text, enter(s) & kept | fixed

    def _plain_rows(self, scene: int) -> list[_Row]:
        """The scene's moves made once, as rows (test, step, kept, fixed, ending), one a choice: on offer when
        `test` is None or holds of the state, a move leads to `ending` or else to `step(s) & kept | fixed` (step
        None: `s` itself). _NOT_PLAIN when some choice is not plain (a once mark, trigger or submission) or the
        projection of a state reads more than its scene: `moves` then runs the compiled choices."""
        if self._scene_masks is None or not self.liveness.all_plain[scene]:
            return _NOT_PLAIN
        rows: list[_Row] = []
        arrivals, tests = self._arrivals, self._tests_by_id
        for choice, goto in zip(self._scene_list[scene].choices, self.liveness.gotos[scene], strict=True):
            condition, effects = choice.condition, choice.effects
            if goto >= 0 and condition is None and not effects:
                rows.append(
                    arrivals[goto] or self._arrival(goto)
                )  # (the usual choice: its move is entering its target)
                continue
            test = None
            if condition is not None:  # (by identity first: the reader shares a text's condition)
                known = tests.get(id(condition))
                test = known[1] if known is not None and known[0] is condition else self._test_by_id(condition)
            if choice.ending is not None:
                rows.append((test, None, 0, 0, (choice.ending,)))
                continue
            _, enter, kept, fixed, _ = arrivals[goto] or self._arrival(goto)
            effect = self._effects(effects) if effects else _nothing
            step = enter if effect is _nothing else effect if enter is None else _then(effect, enter)
            rows.append((test, step, kept, fixed, None))
        return rows

    def _test_by_id(self, condition: Condition) -> Test:
        test = self._tests_by_id[id(condition)] = condition, self.condition(condition)
        return test[1]

    def _arrival(self, index: int) -> _Row:
        """Entering the scene, then its projection, as a row with no test: `step(s) & kept | fixed` (step None:
        `s` itself). Entering sets the scene's bits and whom it lets the player meet, which its visit count and
        on_enter effects neither read nor write: those run first, and the rest is folded into the masks."""
        kept, fixed = self._scene_masks[index]  # type: ignore[index]
        here, count, on_enter = self._entry_parts(index)
        step = on_enter if count is _nothing else count if on_enter is _nothing else _then(count, on_enter)
        elsewhere = ~(self.scene_mask << self.scene_shift)
        arrival: _Row = None, None if step is _nothing else step, kept & elsewhere, here & kept | fixed, None
        self._arrivals[index] = arrival
        return arrival

    def _fire(self, trigger: dict[str, list[tuple[Test | None, int]]], state: State) -> int | None:
        for guard, dest in trigger.get(self.beat_ids[state >> self.beat_shift & self.beat_mask], ()):
            if guard is None or guard(state):
                return dest
        return None

    def _arrive(self, s: State, goto: int | None, ending: str | None) -> State | tuple[str]:
        if ending is not None:
            return (ending,)
        assert goto is not None
        return self._projected((self.enter[goto] or self._entering(goto))(s))

    def _entering(self, index: int) -> Step:
        enter = self.enter[index]
        if enter is None:
            enter = self.enter[index] = self._entry(index)
        return enter

    def _view(self, settled: int, closing: int, before: int) -> tuple[int, list[Callable[[int], State]]]:
        """The projections (and their number, part of every key) for these settled and closing facts;
        past _MOST_VIEWS, those of the state before (`before`), whose facts all still hold."""
        if (settled, closing) in self._views:
            return self._views[(settled, closing)]
        if len(self._views) >= _MOST_VIEWS:
            return self._views[self._view_masks[before]]
        chosen = frozenset(g for g in self.settled_groups if self.met_bit[g] & settled)
        closed = frozenset(id(c) for i, choices in enumerate(self._closed_by) if closing >> i & 1 for c in choices)
        liveness = self.liveness if not chosen and not closed else Liveness(self.story, settled=chosen, closed=closed)
        number = len(self._views)
        made = {id(live): self._projection(live, number) for live in liveness.distinct}  # (one a LiveSet)
        projections = [*map(made.__getitem__, map(id, liveness.live_sets))]
        self._views[(settled, closing)] = (number, projections)
        self._view_masks.append((settled, closing))
        return self._views[(settled, closing)]

    def _projecting(self) -> Callable[[State], State]:
        """The projection of a state just arrived at a scene (one function, its names bound once: it
        runs for every move the search makes)."""
        scene_mask, view_shift, view_mask = self.scene_mask, self.view_shift, self.view_mask
        settled_mask, atoms, view_masks, views, view = (
            self.settled_mask,
            self._atoms,
            self._view_masks,
            self._views,
            self._view,
        )
        if not settled_mask and not atoms:
            project = self._project
            return lambda s: project[s & scene_mask](s)

        def projected(s: State) -> State:
            # Both kinds of fact, once true, stay true: the state carries them on (a variable its view
            # dropped may read as its start value later, which must never reopen what it closed).
            before = s >> view_shift & view_mask
            settled, closing = view_masks[before]
            settled |= s & settled_mask
            for bit, read, threshold in atoms:
                if read(s) >= threshold:
                    closing |= bit
            found = views.get((settled, closing))
            if found is None:
                found = view(settled, closing, before)
            return found[1][s & scene_mask](s)

        return projected

    def _find_closing_atoms(self) -> None:
        """Facts that, once true, stay true and close choices for good: a number that only goes up past
        the bound of a choice's `n < k`, `n <= k` or `n == k` (one of the `and`s of its condition), or a
        deduction no choice submits again once solved under its `not solved(d)` (what deduce.proof_key drops
        the words of). Not a flag no effect clears, under `not f`: the fact would outlive the flag, which
        is dropped once nothing reads it, and keep apart states that are otherwise one (the shipped story
        had more states with it)."""
        atoms: dict[tuple[str, str, int], list[Choice]] = {}
        for choice, atom in self._choice_atoms():
            atoms.setdefault(atom, []).append(choice)
        chosen = sorted(atoms)[:_MOST_ATOMS]
        self._atoms = [(1 << i, self._fact(kind, name), threshold) for i, (kind, name, threshold) in enumerate(chosen)]
        self._closed_by = [atoms[atom] for atom in chosen]

    def _choice_atoms(self) -> Iterator[tuple[Choice, tuple[str, str, int]]]:
        """Each closing fact (see _closing_atom) one of the `and`s of a choice's condition states, with the choice."""
        if not self.closed_once_solved & self.deduction_slot.keys() and not any(
            n.ups and not n.downs and not n.compared_freely for n in self.numbers.values()
        ):
            return  # nothing that, once true, stays true (see _closing_atom): spared a walk of every choice
        atoms_of: dict[str, list[tuple[str, str, int]]] = {}  # a condition's atoms depend on its text alone
        for scene in self._scene_list:
            for choice in scene.choices:
                if choice.condition is None:
                    continue
                source = choice.condition.source
                atoms = atoms_of.get(source)
                if atoms is None:
                    tree = self._parse(source)
                    conjuncts = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
                    found = (self._closing_atom(part, choice.condition) for part in conjuncts)
                    atoms = atoms_of[source] = [atom for atom in found if atom is not None]
                for atom in atoms:
                    yield choice, atom

    def _fact(self, kind: str, name: str) -> Number:
        """How a closing fact is read: a number, or 1 once a deduction is solved."""
        if kind == "solved":
            (shift, mask), _ = self.deduction_fields[self.deduction_slot[name]]
            wrong = mask << shift
            return lambda s: 0 if s & wrong else 1
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

    def _submissions(self, compiled: _CompiledChoice, state: State, s: State) -> Iterator[tuple[str, Key]]:
        """A deduce or present choice's moves, from `state` (`s`: with the beat its trigger moved to)."""
        held = [test(state) for test in compiled.groups]
        text = compiled.choice.text
        s |= compiled.once
        if compiled.deduction is not None:
            blanks, most, slot, counted, on_solved, on_wrong = compiled.deduction
            rights, wrongs = held[0::2][:blanks], held[1::2][:blanks]
            if not all(r or w for r, w in zip(rights, wrongs, strict=True)):
                return  # a blank with nothing to pick: not offered
            must = sum(not r for r in rights)
            cap = self.deduction_most
            for wrong in deduce.telling_wrong_counts(must, sum(wrongs), most):
                after = s
                if slot is not None:
                    (w, w_mask), (a, a_mask) = self.deduction_fields[slot]
                    attempts = min((s >> a & a_mask) + 1, cap) if counted else 0
                    after = after & ~(w_mask << w | a_mask << a) | min(wrong, cap) << w | attempts << a
                after = compiled.effects((on_solved if wrong == 0 else on_wrong)(after))
                label = "all right" if wrong == 0 else f"{wrong} wrong"
                yield f"{text} [{label}]", self._arrive(after, compiled.goto, compiled.ending)
            return
        if not any(held):
            return  # nothing to present: not offered
        s = compiled.effects(s)
        for (kind, effects, goto, ending), has in zip(compiled.outcomes, held, strict=True):
            if has:
                yield f"{text} [{kind}]", self._arrive(effects(s), goto, ending)

    # -- for the quick proof on an abstraction (game.engine.modal) ---------------------------------

    def compiled_choices(self, scene: int) -> list[_CompiledChoice]:
        """The scene's choices as `moves` runs them, in the story's order (compiled on first use)."""
        here = self.choices[scene]
        if here is None:
            sid = self.scene_ids[scene]
            choices, gotos = self._scene_list[scene].choices, self.liveness.gotos[scene]
            here = self.choices[scene] = [self._choice(sid, c, g) for c, g in zip(choices, gotos, strict=True)]
        return here

    def moves_offering(self, state: State, offered: list[_CompiledChoice]) -> list[tuple[str, State | tuple[str]]]:
        """`moves(state)` as if its scene offered only `offered` (some of compiled_choices, or copies of them
        with_group_tests): the quick proof runs each choice on its own, as the engine would run it."""
        return list(self._moves(state, offered))

    @staticmethod
    def with_group_tests(compiled: _CompiledChoice, tests: list[Test]) -> _CompiledChoice:
        """The choice with the tests of its submission groups (see _group_test, in submission_groups' order)
        replaced: what it offers if the player holds, has met or knows one of each group as `tests` say."""
        return replace(compiled, groups=tests)

    def view_bits(self) -> int:
        """The bits a state's next view is worked out from besides its view and deductions (see _projecting):
        the settled "met" facts and the numbers of every closing fact (more than the _MOST_ATOMS chosen). A
        projection that keeps them (and the view) leaves every move's view as it was."""
        bits = self.settled_mask
        for _, (kind, name, _) in self._choice_atoms():
            if kind != "solved":
                number = self.numbers[(kind, name)]
                bits |= number.bit or number.mask << number.shift
        return bits


def _call(node: ast.Call) -> tuple[str, str]:
    """A call of the condition language: its function's name and its one argument (both checked on load)."""
    assert isinstance(node.func, ast.Name)
    return node.func.id, _argument(node)


def _name(node: ast.expr) -> str:
    """A flag's or counter's name as the condition spells it (`trust.cruz` is an attribute to ast)."""
    return node.id if isinstance(node, ast.Name) else ast.unparse(node)


def _argument(node: ast.Call) -> str:
    argument = node.args[0]
    assert isinstance(argument, ast.Name)
    return argument.id


def _nothing(s: int) -> int:
    return s


def _then(first: Step, second: Step) -> Step:
    return lambda s: second(first(s))


def _same_key(state: State | tuple[str]) -> Key:
    return state


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


def _against(op: type, value: Number, constant: int) -> Test:
    """`value op constant` as one closure."""
    if op is ast.Eq:
        return lambda s: value(s) == constant
    if op is ast.NotEq:
        return lambda s: value(s) != constant
    if op is ast.Lt:
        return lambda s: value(s) < constant
    if op is ast.LtE:
        return lambda s: value(s) <= constant
    if op is ast.Gt:
        return lambda s: value(s) > constant
    assert op is ast.GtE, "the condition language's comparisons are _COMPARE's"
    return lambda s: value(s) >= constant


_COMPARE: dict[type, Callable[[int, int], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__,
class _CompiledChoice:  # 4x the cost, and the proof compiles every choice it meets (40,000 at 10k scenes)
    choice: Choice
    closers: int  # the closing facts (by their bits) after which it is never offered again
    once: int
    condition: Test | None
    trigger: dict[str, list[tuple[Test | None, int]]] | None
    groups: list[Test]
    effects: Step
    goto: int | None
    ending: str | None
    outcomes: list[tuple[str, Step, int | None, str | None]]
    deduction: tuple[int, int, int | None, bool, Step, Step] | None


# A plain choice's move, made once (see CompactStory._plain_rows): test, step, kept, fixed, ending.
_Row = tuple[Test | None, Step | None, int, int, tuple[str] | None]
_NOT_PLAIN: list[_Row] = []  # (by identity: a scene with no choice at all has rows, none)
