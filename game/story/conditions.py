"""The condition and effect language, parsed once when a story loads.

Conditions are read with `ast.parse` and then walked against an allow-list:
only names, counters (`trust.cruz`), integers, `has()`, `visited()`,
`visits()`, `solved()`, `wrong()`, `attempts()`, `knows()`, `not/and/or` and
comparisons get through. What survives becomes closures, the common shapes (a flag,
`not` a flag, flags joined by `and`, a count compared with a number) one closure each,
as a step tests many of them; story text never reaches `eval`.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Collection, Mapping, MutableMapping, MutableSet, Set
from dataclasses import dataclass, field
from typing import Protocol

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")  # \Z, not $: "x\n" is no id
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\Z")
# What one condition may cost: the longest in the shipped story is 129 characters, 6 levels deep.
MAX_CONDITION_LENGTH = 1_000
MAX_CONDITION_DEPTH = 50


class Submitted(Protocol):
    """The last submission of a deduction, as a condition sees it."""

    @property
    def wrong(self) -> int: ...
    @property
    def attempts(self) -> int: ...


UNSUBMITTED_WRONG = 99  # wrong(x) before any submission: more than any deduction has blanks


class Facts(Protocol):
    """What a condition may read: the parts of a run's state it can see."""

    @property
    def deductions(self) -> Mapping[str, Submitted]: ...

    @property
    def flags(self) -> Set[str]: ...
    @property
    def counters(self) -> Mapping[str, int]: ...
    @property
    def clues(self) -> Collection[str]: ...
    @property
    def visits(self) -> Mapping[str, int]: ...
    @property
    def words(self) -> Collection[str]: ...


class MutableFacts(Protocol):
    """What an effect may change; a clue remembers the scene it was found in."""

    @property
    def scene(self) -> str: ...
    @property
    def flags(self) -> MutableSet[str]: ...
    @property
    def counters(self) -> MutableMapping[str, int]: ...
    @property
    def clues(self) -> MutableMapping[str, str]: ...
    @property
    def words(self) -> MutableSet[str]: ...


class LanguageError(Exception):
    """Text that is not part of the condition or effect language."""


Test = Callable[[Facts], bool]
Number = Callable[[Facts], int]


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition: its source, its test, and the ids it refers to.

    Pickled (for the compiled story cache) as its source and ids only; the test is
    rebuilt from the source the first time it runs.
    """

    source: str
    test: Test = field(compare=False, repr=False)
    flags: frozenset[str]
    counters: frozenset[str]
    clues: frozenset[str]
    scenes: frozenset[str]
    numbers: frozenset[int]
    deductions: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()

    def __call__(self, facts: Facts) -> bool:
        test = self.test
        return (self.compiled() if test is _uncompiled else test)(facts)

    def compiled(self) -> Test:
        """The test itself (compiled now if the condition was read back from the cache), for callers that keep it."""
        test = self.test
        if test is _uncompiled:
            test = _Parser(self.counters).test(ast.parse(self.source, mode="eval").body)
            object.__setattr__(self, "test", test)
        return test

    def __reduce__(self) -> tuple[Callable[..., Condition], tuple[object, ...]]:
        return revive_condition, (
            self.source,
            self.flags,
            self.counters,
            self.clues,
            self.scenes,
            self.numbers,
            self.deductions,
            self.words,
        )


def _uncompiled(facts: Facts) -> bool:
    raise AssertionError("a revived condition compiles itself before its first test")


def revive_condition(
    source: str,
    flags: frozenset[str],
    counters: frozenset[str],
    clues: frozenset[str],
    scenes: frozenset[str],
    numbers: frozenset[int],
    deductions: frozenset[str] = frozenset(),
    words: frozenset[str] = frozenset(),
) -> Condition:
    """A condition read back from the cache; it was checked when the story was first loaded."""
    return Condition(source, _uncompiled, flags, counters, clues, scenes, numbers, deductions, words)


_COMPARE: dict[type, Callable[[int, int], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_FUNCTIONS = {
    "has": "clue",
    "visited": "scene",
    "visits": "scene",
    "solved": "deduction",
    "wrong": "deduction",
    "attempts": "deduction",
    "knows": "word",
}
_NUMBERS = ("visits", "wrong", "attempts")  # the calls that give a number, not true or false
_DESCRIBE = {
    ast.Attribute: "attribute access",
    ast.Call: "a call",
    ast.Subscript: "indexing",
    ast.Lambda: "a lambda",
    ast.BinOp: "arithmetic",
    ast.IfExp: "an if-expression",
    ast.NamedExpr: "an assignment",
    ast.JoinedStr: "an f-string",
    ast.List: "a list",
    ast.Dict: "a dict",
    ast.Tuple: "a tuple",
}


class _Parser:
    """Turns one condition's syntax tree into closures, collecting the ids it uses."""

    def __init__(self, counters: Set[str]) -> None:
        self.known_counters = counters
        self.flags: set[str] = set()
        self.counters: set[str] = set()
        self.clues: set[str] = set()
        self.scenes: set[str] = set()
        self.numbers: set[int] = set()
        self.deductions: set[str] = set()
        self.words: set[str] = set()

    def test(self, node: ast.expr, depth: int = 0) -> Test:
        if depth > MAX_CONDITION_DEPTH:
            raise LanguageError(f"the condition nests more than {MAX_CONDITION_DEPTH} levels deep; simplify it")
        depth += 1
        if isinstance(node, ast.BoolOp):
            parts = [self.test(value, depth) for value in node.values]
            literals = [self._flag_literal(value) for value in node.values]
            flags = [literal for literal in literals if literal is not None]
            if isinstance(node.op, ast.And):
                return _flags_hold(flags) if len(flags) == len(literals) else _all(parts)
            if len(flags) == len(literals) and all(holds for _, holds in flags):
                either = frozenset(name for name, _ in flags)
                return lambda facts: not either.isdisjoint(facts.flags)
            return _any(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.test(node.operand, depth)
            literal = self._flag_literal(node)
            if literal is not None:
                return _flags_hold([literal])
            if isinstance(node.operand, ast.Call):
                kind, target = self._call(node.operand)
                if kind == "has":
                    return lambda facts: target not in facts.clues
                if kind == "visited":
                    return lambda facts: facts.visits.get(target, 0) == 0
            return lambda facts: not inner(facts)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            value = node.value
            return lambda facts: value
        if isinstance(node, ast.Call):
            kind, target = self._call(node)
            if kind == "has":
                return lambda facts: target in facts.clues
            if kind == "visited":
                return lambda facts: facts.visits.get(target, 0) > 0
            if kind == "solved":
                return lambda facts: _wrong(facts, target) == 0
            if kind == "knows":
                return lambda facts: target in facts.words
            raise LanguageError(f"{kind}({target}) is a number; compare it, e.g. {kind}({target}) > 1")
        name = self._name(node)
        if name is not None:
            if "." in name or name in self.known_counters:
                self.counters.add(name)
                return lambda facts: facts.counters.get(name, 0) != 0
            self.flags.add(name)
            return lambda facts: name in facts.flags
        raise self._refuse(node)

    def number(self, node: ast.expr) -> _Operand:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            value = node.value
            self.numbers.add(value)
            return _Operand(lambda facts: value, constant=value)
        if (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) is int
        ):
            negative = -node.operand.value
            self.numbers.add(negative)
            return _Operand(lambda facts: negative, constant=negative)
        if isinstance(node, ast.Call):
            kind, target = self._call(node)
            if kind not in _NUMBERS:
                raise LanguageError(
                    f"{kind}({target}) is true or false, not a number; use visits(), wrong() or attempts() to count"
                )
            if kind == "wrong":
                return _Operand(lambda facts: _wrong(facts, target))
            if kind == "attempts":
                return _Operand(lambda facts: _attempts(facts, target))
            return _Operand(lambda facts: facts.visits.get(target, 0), count=("visits", target))
        name = self._name(node)
        if name is not None:
            self.counters.add(name)
            return _Operand(lambda facts: facts.counters.get(name, 0), count=("counters", name))
        raise self._refuse(node)

    def _compare(self, node: ast.Compare) -> Test:
        operands = [self.number(node.left), *(self.number(right) for right in node.comparators)]
        tests = []
        for index, op in enumerate(node.ops):
            compare = _COMPARE.get(type(op))
            if compare is None:
                raise LanguageError(
                    f"'{_op_text(op)}' is not a comparison the language knows; use ==, !=, <, <=, > or >="
                )
            tests.append(_comparison(operands[index], compare, operands[index + 1]))
        return tests[0] if len(tests) == 1 else _all(tests)

    def _flag_literal(self, node: ast.expr) -> tuple[str, bool] | None:
        """(flag, True) for a flag, (flag, False) for `not` a flag; None for anything else."""
        holds = True
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            node, holds = node.operand, False
        name = self._name(node) if isinstance(node, ast.Name) else None
        return (name, holds) if name is not None and name not in self.known_counters else None

    def _call(self, node: ast.Call) -> tuple[str, str]:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            raise LanguageError(
                f"'{ast.unparse(node.func)}()' is not part of the language; the only calls are "
                "has(), visited(), visits(), solved(), wrong(), attempts() and knows()"
            )
        kind = node.func.id
        if node.keywords or len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
            raise LanguageError(f"{kind}() takes one {_FUNCTIONS[kind]} id, e.g. {kind}(some_{_FUNCTIONS[kind]})")
        name = node.args[0].id
        if not ID_PATTERN.match(name):
            raise LanguageError(f"'{name}' is not a valid id (lower-case letters, digits and _)")
        ids = {"has": self.clues, "visited": self.scenes, "visits": self.scenes, "knows": self.words}
        ids.get(kind, self.deductions).add(name)
        return kind, name

    def _name(self, node: ast.expr) -> str | None:
        """A flag or counter name: `word` or `word.word`, nothing dunder-ish."""
        if isinstance(node, ast.Name):
            text = node.id
        elif isinstance(node, ast.Attribute):
            text = ast.unparse(node)
        else:
            return None
        if not NAME_PATTERN.match(text):
            if isinstance(node, ast.Attribute):
                raise LanguageError(
                    f"'{text}' is attribute access, which the language does not have; "
                    "counter names are lower-case words joined by dots, like trust.cruz"
                )
            raise LanguageError(f"'{text}' is not a valid name (lower-case letters, digits and _)")
        return text

    @staticmethod
    def _refuse(node: ast.expr) -> LanguageError:
        what = _DESCRIBE.get(type(node), type(node).__name__)
        if isinstance(node, ast.Constant):
            what = f"the value {node.value!r}"
        return LanguageError(f"{what} ('{ast.unparse(node)}') is not part of the condition language")


@dataclass(frozen=True, slots=True)
class _Operand:
    """One side of a comparison: how to work it out, and what it is when it is a constant or a plain count."""

    read: Number
    constant: int | None = None
    count: tuple[str, str] | None = None  # ("counters" or "visits", the name counted)


_SWAPPED: dict[Callable[[int, int], bool], Callable[[int, int], bool]] = {
    operator.lt: operator.gt,
    operator.le: operator.ge,
    operator.gt: operator.lt,
    operator.ge: operator.le,
}


def _comparison(left: _Operand, compare: Callable[[int, int], bool], right: _Operand) -> Test:
    """One comparison as one closure; `count op constant` (either way round) reads the count directly."""
    if left.constant is not None and right.count is not None:
        left, compare, right = right, _SWAPPED.get(compare, compare), left
    if left.count is not None and right.constant is not None:
        (part, name), value = left.count, right.constant
        if part == "counters":
            return lambda facts: compare(facts.counters.get(name, 0), value)
        return lambda facts: compare(facts.visits.get(name, 0), value)
    read_left, read_right = left.read, right.read
    return lambda facts: compare(read_left(facts), read_right(facts))


def _flags_hold(literals: list[tuple[str, bool]]) -> Test:
    """Flags that must be set and flags that must not, tested as two set operations in one closure."""
    need = frozenset(name for name, holds in literals if holds)
    avoid = frozenset(name for name, holds in literals if not holds)
    if len(need) == 1 and not avoid:
        (flag,) = need
        return lambda facts: flag in facts.flags
    if len(avoid) == 1 and not need:
        (flag,) = avoid
        return lambda facts: flag not in facts.flags
    if not avoid:
        return lambda facts: need <= facts.flags
    return lambda facts: need <= facts.flags and avoid.isdisjoint(facts.flags)


def _all(parts: list[Test]) -> Test:
    """Every part holds, tested left to right, stopping at the first that does not."""
    if len(parts) == 2:
        first, second = parts
        return lambda facts: first(facts) and second(facts)

    def test(facts: Facts) -> bool:
        return all(part(facts) for part in parts)

    return test


def _any(parts: list[Test]) -> Test:
    """Some part holds, tested left to right, stopping at the first that does."""
    if len(parts) == 2:
        first, second = parts
        return lambda facts: first(facts) or second(facts)

    def test(facts: Facts) -> bool:
        return any(part(facts) for part in parts)

    return test


def _op_text(op: ast.cmpop) -> str:
    return {ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}.get(type(op), type(op).__name__)


def parse_condition(source: str, counters: Set[str] = frozenset()) -> Condition:
    """Parse a condition; `counters` names the plain words that are counters, not flags."""
    text = source.strip()
    if not text:
        raise LanguageError("the condition is empty")
    if len(text) > MAX_CONDITION_LENGTH:
        raise LanguageError(
            f"the condition is too long ({len(text):,} characters; at most {MAX_CONDITION_LENGTH:,}): "
            "split it, or give a long-lived test a flag of its own"
        )
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        where, hint = _where_and_hint(text, error)
        raise LanguageError(f"not a valid condition ({error.msg}{where}): {text}{hint}") from None
    except (RecursionError, MemoryError):
        raise LanguageError(f"the condition nests more than {MAX_CONDITION_DEPTH} levels deep; simplify it") from None
    parser = _Parser(counters)
    try:
        test = parser.test(tree.body)
    except RecursionError:  # `- - - ... 1` nests in numbers, which need no depth count of their own
        raise LanguageError(f"the condition nests more than {MAX_CONDITION_DEPTH} levels deep; simplify it") from None
    return Condition(
        source=text,
        test=test,
        flags=frozenset(parser.flags),
        counters=frozenset(parser.counters),
        clues=frozenset(parser.clues),
        scenes=frozenset(parser.scenes),
        numbers=frozenset(parser.numbers),
        deductions=frozenset(parser.deductions),
        words=frozenset(parser.words),
    )


_SLIPS = (
    (re.compile(r"&&"), "write 'and', not '&&'"),
    (re.compile(r"\|\|"), "write 'or', not '||'"),
    (re.compile(r"=>|=<"), "write '>=' or '<='"),
    (re.compile(r"(?<![=!<>])=(?!=)"), "compare with '==' (a single '=' sets nothing here)"),
    (re.compile(r"(?<![\w.])!(?!=)"), "write 'not', not '!'"),
    (re.compile(r"\b(adn|nad|an|annd|andd)\b"), "did you mean 'and'?"),
    (re.compile(r"\b(ro|oor|orr)\b"), "did you mean 'or'?"),
    (re.compile(r"\b(nto|ont|nott)\b"), "did you mean 'not'?"),
)


def _where_and_hint(text: str, error: SyntaxError) -> tuple[str, str]:
    """(' at column 3, near 'adn'', '; did you mean 'and'?'): where the parser stopped, and the likely slip."""
    where = ""
    if error.offset and error.offset > 0 and error.msg == "invalid syntax":  # Python's other messages say what
        end = error.end_offset if error.end_offset and error.end_offset > error.offset else error.offset + 1
        near = text[error.offset - 1 : end - 1].strip()
        where = f" at column {error.offset}" + (f", near '{near}'" if near else "")
    hint = next((f"; {hint}" for pattern, hint in _SLIPS if pattern.search(text)), "")
    return where, hint


def _wrong(facts: Facts, deduction: str) -> int:
    """Blanks wrong at the last submission (UNSUBMITTED_WRONG before the first)."""
    submitted = facts.deductions.get(deduction)
    return UNSUBMITTED_WRONG if submitted is None else submitted.wrong


def _attempts(facts: Facts, deduction: str) -> int:
    submitted = facts.deductions.get(deduction)
    return 0 if submitted is None else submitted.attempts


@dataclass(frozen=True, slots=True)
class Effect:
    """One change to a run: set/clear a flag, add to a counter, gain/lose a clue, learn a word."""

    kind: str
    name: str
    amount: int = 0

    def __reduce__(self) -> tuple[type[Effect], tuple[str, str, int]]:
        return Effect, (self.kind, self.name, self.amount)

    def apply(self, facts: MutableFacts) -> None:
        if self.kind == "set":
            facts.flags.add(self.name)
        elif self.kind == "clear":
            facts.flags.discard(self.name)
        elif self.kind == "add":
            facts.counters[self.name] = facts.counters.get(self.name, 0) + self.amount
        elif self.kind == "gain":
            facts.clues.setdefault(self.name, facts.scene)
        elif self.kind == "lose":
            facts.clues.pop(self.name, None)
        elif self.kind == "learn":
            facts.words.add(self.name)


EFFECT_KINDS = ("set", "clear", "add", "gain", "lose", "learn")
# The part of a state each kind of effect changes: the engine copies that part before
# applying one, as states share what a choice did not change (see GameState.successor).
EFFECT_FIELDS = {
    "set": "flags",
    "clear": "flags",
    "add": "counters",
    "gain": "clues",
    "lose": "clues",
    "learn": "words",
}


def parse_effect(item: object) -> list[Effect]:
    """Parse one item of an effect list, e.g. `{set: met_bette}` or `{add: {trust.cruz: 1}}`."""
    if not isinstance(item, Mapping) or len(item) != 1:
        raise LanguageError(
            "an effect is one of 'set: flag', 'clear: flag', 'add: {counter: n}', 'gain: clue', 'lose: clue', "
            "'learn: word'"
        )
    ((kind, value),) = item.items()
    if kind not in EFFECT_KINDS:
        raise LanguageError(f"unknown effect '{kind}'; effects are {', '.join(EFFECT_KINDS)}")
    if kind == "add":
        if not isinstance(value, Mapping) or not value:
            raise LanguageError("'add' takes a mapping of counters to numbers, e.g. add: {trust.cruz: 1}")
        effects = []
        for name, amount in value.items():
            if not isinstance(name, str) or not NAME_PATTERN.match(name):
                raise LanguageError(f"{str(name)!r} is not a valid counter name (lower-case words joined by dots)")
            if type(amount) is not int:
                raise LanguageError(f"'add' needs a whole number for '{name}', not {amount!r}")
            effects.append(Effect("add", name, amount))
        return effects
    pattern = ID_PATTERN if kind in ("gain", "lose", "learn") else NAME_PATTERN
    if not isinstance(value, str) or not pattern.match(value):
        raise LanguageError(f"'{kind}' takes one id (lower-case letters, digits and _), not {value!r}")
    return [Effect(kind, value)]
