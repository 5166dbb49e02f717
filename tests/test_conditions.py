"""The condition language: what it reads, and everything it refuses."""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.story.conditions import Effect, LanguageError, parse_condition, parse_effect


@dataclass
class Facts:
    scene: str = "here"
    flags: set[str] = field(default_factory=set)
    counters: dict[str, int] = field(default_factory=dict)
    clues: dict[str, str] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)
    deductions: dict[str, Any] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("met_bette", True),
        ("not met_bette", False),
        ("met_bette and has(phone)", True),
        ("met_bette and has(ribbon)", False),
        ("has(ribbon) or met_bette", True),
        ("trust.cruz >= 2", True),
        ("trust.cruz > 2", False),
        ("0 < trust.cruz < 3", True),
        ("trust.cruz == 2 and not (visited(roof) or unease)", False),
        ("visits(roof) == 2", True),
        ("visited(studio)", False),
        ("unease", False),
        ("trust.cruz != -1", True),
    ],
)
def test_conditions_read_flags_counters_clues_and_visits(source: str, expected: bool) -> None:
    facts = Facts(flags={"met_bette"}, counters={"trust.cruz": 2}, clues={"phone": "roof"}, visits={"roof": 2})
    assert parse_condition(source)(facts) is expected


def test_knows_reads_the_words_learned_and_learn_teaches_one() -> None:
    condition = parse_condition("knows(the_gala) and not knows(a_debt)")
    assert condition.words == {"the_gala", "a_debt"} and not condition.flags
    facts = Facts()
    assert not condition(facts)
    for effect in parse_effect({"learn": "the_gala"}):
        effect.apply(facts)
    assert facts.words == {"the_gala"} and condition(facts)
    Effect("learn", "a_debt").apply(facts)
    assert not condition(facts)


def test_a_plain_word_known_as_a_counter_is_read_as_a_number() -> None:
    condition = parse_condition("unease", counters={"unease"})
    assert condition(Facts(counters={"unease": 3}))
    assert not condition(Facts(counters={"unease": 0}))
    assert condition.counters == {"unease"} and not condition.flags


def test_a_condition_lists_the_ids_it_uses_for_the_checker() -> None:
    condition = parse_condition("a and has(c) and visits(s) > trust.cruz")
    assert condition.flags == {"a"}
    assert condition.clues == {"c"}
    assert condition.scenes == {"s"}
    assert condition.counters == {"trust.cruz"}


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ("__import__('os').system('touch /tmp/archer-pwned')", "not part of the language"),
        ("open('/etc/passwd')", "'open()' is not part of the language"),
        ("has.__class__", "attribute access"),
        ("trust.__dict__", "attribute access"),
        ("x.y()", "not part of the language"),
        ("[c for c in x]", "not part of the condition language"),
        ("lambda: 1", "a lambda"),
        ("a if b else c", "if-expression"),
        ("trust.cruz + 1 > 2", "arithmetic"),
        ("'text'", "the value 'text'"),
        ("x[0]", "indexing"),
        ("a is b", "'is' is not a comparison"),
        ("has(a, b)", "has() takes one clue id"),
        ("has(ribbon) > 1", "is true or false, not a number"),
        ("knows(a, b)", "knows() takes one word id"),
        ("knows(a_debt) > 0", "is true or false, not a number"),
        ("visits(roof)", "is a number"),
        ("a and", "not a valid condition"),
        ("import os", "not a valid condition"),
        ("   ", "empty"),
    ],
)
def test_anything_outside_the_language_is_refused_with_a_reason(source: str, complaint: str) -> None:
    with pytest.raises(LanguageError, match=None) as raised:
        parse_condition(source)
    assert complaint in str(raised.value)


def test_effects_change_flags_counters_and_clues() -> None:
    facts = Facts(scene="locker", flags={"old"}, counters={"trust.cruz": 1}, clues={"phone": "roof"})
    for item in [
        {"set": "met_june"},
        {"clear": "old"},
        {"add": {"trust.cruz": -2, "unease": 1}},
        {"gain": "ribbon"},
        {"lose": "phone"},
    ]:
        for effect in parse_effect(item):
            effect.apply(facts)
    assert facts.flags == {"met_june"}
    assert facts.counters == {"trust.cruz": -1, "unease": 1}
    assert facts.clues == {"ribbon": "locker"}


def test_a_clue_remembers_where_it_was_first_found() -> None:
    facts = Facts(scene="roof")
    Effect("gain", "phone").apply(facts)
    facts.scene = "hall"
    Effect("gain", "phone").apply(facts)
    assert facts.clues == {"phone": "roof"}


@pytest.mark.parametrize(
    ("item", "complaint"),
    [
        ({"explode": "x"}, "unknown effect 'explode'"),
        ({"add": {"trust.cruz": "lots"}}, "needs a whole number"),
        ({"add": "trust.cruz"}, "'add' takes a mapping"),
        ({"gain": "Bad Id"}, "takes one id"),
        ({"learn": "the.gala"}, "'learn' takes one id"),
        ({"set": "a", "gain": "b"}, "an effect is one of"),
        ("set met_bette", "an effect is one of"),
    ],
)
def test_bad_effects_are_refused(item: object, complaint: str) -> None:
    with pytest.raises(LanguageError) as raised:
        parse_effect(item)
    assert complaint in str(raised.value)


@dataclass(frozen=True)
class Tried:
    wrong: int
    attempts: int


def reference(node: ast.expr, facts: Facts, counters: set[str]) -> Any:
    """The language's meaning, read straight off the syntax tree: what the compiled closures must agree with."""
    if isinstance(node, ast.BoolOp):
        values = [reference(value, facts, counters) for value in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp):
        inner = reference(node.operand, facts, counters)
        return not inner if isinstance(node.op, ast.Not) else -inner
    if isinstance(node, ast.Compare):
        values = [reference(node.left, facts, counters), *(reference(c, facts, counters) for c in node.comparators)]
        ops = {ast.Eq: int.__eq__, ast.NotEq: int.__ne__, ast.Lt: int.__lt__, ast.LtE: int.__le__, ast.Gt: int.__gt__}
        return all(ops.get(type(op), int.__ge__)(values[i], values[i + 1]) for i, op in enumerate(node.ops))
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Call):
        kind, target = node.func.id, node.args[0].id  # type: ignore[attr-defined]
        tried = facts.deductions.get(target)
        wrong = tried.wrong if tried else 99
        return {
            "has": target in facts.clues,
            "visited": facts.visits.get(target, 0) > 0,
            "visits": facts.visits.get(target, 0),
            "solved": wrong == 0,
            "wrong": wrong,
            "attempts": tried.attempts if tried else 0,
        }[kind]
    name = ast.unparse(node)
    if "." in name or name in counters:
        return facts.counters.get(name, 0)
    return name in facts.flags


NUMBERS = st.one_of(
    st.integers(min_value=-2, max_value=3).map(str),
    st.sampled_from(["n", "t.x", "visits(r)", "wrong(d)", "attempts(d)"]),
)
ATOMS = st.sampled_from(["a", "b", "c", "n", "t.x", "has(p)", "has(q)", "visited(r)", "solved(d)"])
COMPARISONS = st.builds(
    lambda first, pairs: first + "".join(f" {op} {number}" for op, number in pairs),
    NUMBERS,
    st.lists(st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), NUMBERS), min_size=1, max_size=3),
)
CONDITIONS = st.recursive(
    st.one_of(ATOMS, COMPARISONS),
    lambda inner: st.one_of(
        inner.map(lambda text: f"not {text}"),
        st.builds(
            lambda op, parts: "(" + f" {op} ".join(parts) + ")",
            st.sampled_from(["and", "or"]),
            st.lists(inner, min_size=2, max_size=4),
        ),
    ),
    max_leaves=8,
)
FACTS = st.builds(
    lambda flags, n, tx, clues, visits, tried: Facts(
        flags=flags,
        counters={"n": n, "t.x": tx},
        clues=dict.fromkeys(clues, "somewhere"),
        visits={"r": visits},
        deductions={"d": tried} if tried else {},
    ),
    st.sets(st.sampled_from(["a", "b", "c"])),
    st.integers(min_value=-2, max_value=3),
    st.integers(min_value=-2, max_value=3),
    st.sets(st.sampled_from(["p", "q"])),
    st.integers(min_value=0, max_value=2),
    st.one_of(
        st.none(), st.builds(Tried, st.integers(min_value=0, max_value=3), st.integers(min_value=1, max_value=3))
    ),
)


@given(source=CONDITIONS, facts=FACTS)
def test_a_compiled_condition_means_what_its_text_says(source: str, facts: Facts) -> None:
    """Common shapes are compiled into single closures; each must still mean exactly what the text says."""
    condition = parse_condition(source, counters={"n"})
    expected = reference(ast.parse(source, mode="eval").body, facts, {"n"})
    assert condition(facts) is bool(expected), source


SHAPES = [
    *("a", "not a", "a and b", "a and not b", "not a and not b", "not a and b and not c", "a or b", "a or not b"),
    *("has(p)", "not has(p)", "visited(r)", "not visited(r)", "solved(d)", "not solved(d)", "a and has(p)"),
    *("n > 1", "1 < n", "t.x >= 2", "2 >= t.x", "-1 != n", "visits(r) == 1", "1 == visits(r)", "wrong(d) <= 1"),
    *("0 < n < 3", "n < 2 and t.x == 0", "n and not a", "not (a or n)", "a or has(p) or n", "(a and b) or c"),
]
EVERY_FACTS = [
    Facts(
        flags={flag for flag, on in zip("abc", bits, strict=True) if on},
        counters={"n": n, "t.x": n - 1},
        clues={"p": "here"} if bits[0] else {},
        visits={"r": bits[1] + bits[2]},
        deductions={"d": Tried(bits[1], 1)} if bits[2] else {},
    )
    for bits in itertools.product((0, 1), repeat=3)
    for n in (-1, 0, 1, 2, 3)
]


@pytest.mark.parametrize("source", SHAPES)
def test_each_common_shape_compiled_into_one_closure_means_what_it_says(source: str) -> None:
    condition = parse_condition(source, counters={"n"})
    tree = ast.parse(source, mode="eval").body
    for facts in EVERY_FACTS:
        assert condition(facts) is bool(reference(tree, facts, {"n"})), facts
