"""The condition language: what it reads, and everything it refuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

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
