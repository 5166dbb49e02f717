"""The soft-lock proof that scales (issue 16): live variables, a budget, traps once each, and the reduced
search finding exactly what the full search finds."""

from __future__ import annotations

import dataclasses
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import compact
from game.engine import explore as explore_module
from game.engine.engine import Engine
from game.engine.explore import Budget, explore
from game.engine.liveness import Liveness
from game.story.conditions import Condition, Effect, parse_condition
from game.story.loader import load_story
from game.story.model import (
    Beat,
    BeatTransition,
    Blank,
    Character,
    Choice,
    Clue,
    Deduction,
    Ending,
    Line,
    Outcome,
    Presentation,
    Scene,
    Story,
    Word,
)

from support import EXAMPLE_DIR, WriteStory, archer


def many_rooms(rooms: int, *, read_late: bool = False) -> dict[str, str]:
    """A hub with `rooms` once-only visits, each setting a flag that only the room's own return reads."""
    hub = ["hub:\n  beat: search\n  title: Hub\n  choices:\n"]
    scenes = []
    for i in range(rooms):
        hub.append(f"    - say: Room {i}\n      once: true\n      goto: room{i}\n")
        read = f"      if: seen{i}\n" if not read_late else ""
        scenes.append(
            f"room{i}:\n  beat: search\n  title: Room {i}\n  choices:\n"
            f"    - say: Look\n      do:\n        - set: seen{i}\n      goto: look{i}\n"
            f"look{i}:\n  beat: search\n  title: Look {i}\n  choices:\n"
            f"    - say: Back\n{read}      goto: hub\n    - say: Back anyway\n      do:\n        - clear: seen{i}\n"
            f"      goto: hub\n"
        )
    hub.append("    - say: Leave\n      goto: shore\n")
    shore = (EXAMPLE_DIR / "scenes" / "island.yaml").read_text()
    shore = shore.replace(
        "    - say: Take the next ferry home\n      ending: gone\n",
        "    - say: Take the next ferry home\n      ending: gone\n    - say: Into the house\n      once: true\n"
        "      goto: hub\n",
    )
    return {"scenes/hub.yaml": "".join(hub) + "".join(scenes), "scenes/island.yaml": shore}


def test_liveness_drops_a_flag_once_nothing_ahead_reads_it(make_story: WriteStory) -> None:
    story = load_story(make_story(many_rooms(3)))
    live = Liveness(story).at
    assert ("flag", "seen0") in live["look0"], "read by the way back"
    assert ("flag", "seen0") not in live["hub"], "set before every read: dead in the hub"
    assert ("flag", "seen0") not in live["room0"]
    assert ("once", "hub/room_0") in live["hub"] or any(k == "once" for k, _ in live["hub"])


def test_the_reduced_search_explores_fewer_states_than_the_full_one(make_story: WriteStory) -> None:
    engine = Engine(load_story(make_story(many_rooms(5))))
    full = explore(engine, budget=Budget(seconds=None), analysis="none")
    before = explore(engine, budget=Budget(seconds=None), analysis="read-ahead")  # the search before issue 16
    reduced = explore(engine, budget=Budget(seconds=None))
    assert full.complete and before.complete and reduced.complete
    assert reduced.states * 4 < before.states <= full.states, (reduced.states, before.states, full.states)
    assert reduced.endings == full.endings and reduced.scenes == full.scenes


def test_a_search_over_budget_stops_says_why_and_names_what_multiplies_the_states(make_story: WriteStory) -> None:
    engine = Engine(load_story(make_story(many_rooms(10, read_late=True))))
    by_states = explore(engine, budget=Budget(seconds=None, states=300))
    assert not by_states.complete and by_states.stopped_by == "states" and by_states.states == 300
    assert by_states.multipliers and by_states.multipliers[0][0].startswith("once-only choices in scene")
    by_memory = explore(engine, budget=Budget(seconds=None, megabytes=0))
    # it stops at the 1,024th state, once the state it is expanding has all its successors (11 at most here)
    assert by_memory.stopped_by == "memory" and by_memory.states <= 1024 + 11
    by_time = explore(engine, budget=Budget(seconds=0.0))
    assert by_time.stopped_by == "time"


def test_check_runs_the_proof_by_default_and_says_how_far_it_got(make_story: WriteStory) -> None:
    root = make_story(many_rooms(14, read_late=True))
    quick = archer("check", str(root))
    assert quick.returncode == 0, quick.stderr
    assert "cut short by its budget (2 s, 500 MB)" in quick.stderr  # the exact search, after the abstraction or not
    assert "once-only choices in scene" in quick.stderr and "×" in quick.stderr
    sound = archer("check", str(EXAMPLE_DIR))
    assert "proof complete: explored all" in sound.stderr, "a small story gets the whole proof without --deep"


def test_a_trap_reached_with_different_facts_is_reported_once(make_story: WriteStory) -> None:
    cellar = """
cellar:
  beat: search
  title: The cellar
  choices:
    - say: Climb out with the ledger's key
      if: has(ledger)
      goto: shore
"""
    island = (
        (EXAMPLE_DIR / "scenes" / "island.yaml")
        .read_text()
        .replace(
            "    - say: Go back down\n      goto: shore\n",
            "    - say: Go back down\n      goto: shore\n    - say: Down the trapdoor\n      goto: cellar\n",
        )
    )
    root = make_story({"scenes/cellar.yaml": cellar, "scenes/island.yaml": island})
    result = explore(Engine(load_story(root)))
    assert [t.scenes for t in result.traps] == [("cellar",)]
    report = archer("check", str(root))
    assert report.stdout.count("soft-lock:") == 1, report.stdout
    assert "the point of no return is choosing 'Down the trapdoor' in scene 'tower'" in report.stdout


def test_an_unreachable_scene_is_reported_once(make_story: WriteStory) -> None:
    orphan = "orphan:\n  beat: search\n  title: Nobody\n  choices:\n    - say: Leave\n      goto: shore\n"
    report = archer("check", str(make_story({"scenes/orphan.yaml": orphan})))
    assert [line for line in report.stdout.splitlines() if "'orphan'" in line] == [
        line for line in report.stdout.splitlines() if "cannot be reached from the start scene" in line
    ]
    assert report.stdout.count("'orphan'") == 1, report.stdout


# -- the reduced search finds what the full one finds, on generated stories -----------------------------

CONDITIONS: tuple[str, ...] = (
    "f0",
    "not f0",
    "f0 and not f1",
    "c >= 2",
    "c < 1",
    "c == 1",
    "visited(s1)",
    "visits(s2) > 1",
)
CONDITIONS += ("has(k)", "not has(k)")
EFFECTS: tuple[Effect, ...] = (Effect("set", "f0"), Effect("set", "f1"), Effect("clear", "f0"), Effect("add", "c", 1))
EFFECTS += (Effect("add", "c", 1), Effect("add", "c", -1), Effect("gain", "k"), Effect("lose", "k"))


@st.composite
def small_stories(draw: st.DrawFn) -> Story:
    count = draw(st.integers(2, 6))
    ids = [f"s{i}" for i in range(count)]
    scenes = {}
    for sid in ids:
        choices = []
        for number in range(draw(st.integers(0, 3))):
            condition = draw(st.none() | st.sampled_from(CONDITIONS))
            end = draw(st.sampled_from(["", "", "", "win", "lose"]))
            choices.append(
                Choice(
                    key=f"c{number}",
                    text=f"{sid} choice {number}",
                    goto=None if end else draw(st.sampled_from(ids)),
                    ending=end or None,
                    condition=None if condition is None else parse_condition(condition, {"c"}),
                    once=draw(st.booleans()),
                    effects=tuple(draw(st.lists(st.sampled_from(EFFECTS), max_size=2))),
                    trigger=None,
                    at="gen.yaml:1",
                )
            )
        on_enter = tuple(draw(st.lists(st.sampled_from(EFFECTS), max_size=1)))
        scenes[sid] = Scene(sid, "only", sid, "", (), on_enter, tuple(choices), "gen.yaml:1")
    return story_of(scenes)


def story_of(scenes: dict[str, Scene]) -> Story:
    """A one-beat story of these scenes, starting at s0, with the endings 'win' and 'lose'."""
    return Story(
        id="gen",
        title="Generated",
        subtitle="",
        start="s0",
        voiceover=None,
        content_note="",
        initial_beat="only",
        beats={"only": Beat("only", "Only", "", "gen.yaml:1")},
        transitions=(),
        endings={e: Ending(e, e.title(), "", "gen.yaml:1") for e in ("win", "lose")},
        characters={},
        clues={},
        scenes=scenes,
        root=Path("gen"),
    )


def same_findings(story: Story) -> None:
    engine = Engine(story)
    full = explore(engine, budget=Budget(seconds=None), analysis="none")
    reduced = explore(engine, budget=Budget(seconds=None))
    assert full.complete and reduced.complete
    assert reduced.states <= full.states
    assert reduced.endings == full.endings, "the same endings are reachable"
    shortest = {ending: len(path) for ending, path in full.ending_paths.items()}
    assert {ending: len(path) for ending, path in reduced.ending_paths.items()} == shortest, "as soon"
    assert reduced.scenes == full.scenes, "the same scenes are reachable"
    assert {(t.scenes, t.dead_end) for t in reduced.traps} == {(t.scenes, t.dead_end) for t in full.traps}
    # Merged states can enter a loop a step sooner, never later.
    longest = {t.scenes: len(t.path) for t in full.traps}
    assert all(len(t.path) <= longest[t.scenes] for t in reduced.traps)


# -- the same, with deductions, evidence questions, characters met and beats --------------------------

PEOPLE = ("ann", "bob", "cat")
CLUES = ("k", "m", "n")
WORDS = ("word", "v", "w")  # offered only once learned


@st.composite
def rich_stories(draw: st.DrawFn) -> Story:
    """Small stories whose choices also submit a deduction, present evidence or fire a beat trigger, and
    whose lines (some with a condition) decide whom the player has met; words are learned, read by
    knows() and offered by blanks and questions once learned."""
    count = draw(st.integers(2, 5))
    ids = [f"s{i}" for i in range(count)]
    conditions = (*CONDITIONS, "has(m)", "solved(d)", "not solved(d)", "wrong(d) > 1", "attempts(d) >= 2")
    conditions += ("knows(word)", "not knows(v)", "knows(w) and not has(k)")
    effects = (*EFFECTS, Effect("gain", "m"), Effect("gain", "n"), *(Effect("learn", w) for w in WORDS))

    def target() -> tuple[str | None, str | None]:
        end = draw(st.sampled_from(["", "", "", "win", "lose"]))
        return (None, end) if end else (draw(st.sampled_from(ids)), None)

    scenes = {}
    for sid in ids:
        lines: list[Line] = []
        for _ in range(draw(st.integers(0, 2))):
            said_if = draw(st.none() | st.sampled_from(("f0", "c >= 1", "not has(k)", "knows(v)")))
            line_if = None if said_if is None else parse_condition(said_if, {"c"})
            lines.append(Line(draw(st.sampled_from(PEOPLE)), "Hello.", line_if, "gen.yaml:1"))
        choices = []
        for number in range(draw(st.integers(0, 3))):
            condition = draw(st.none() | st.sampled_from(conditions))
            goto, ending = target()
            kind = draw(st.sampled_from(["plain", "plain", "deduce", "present", "trigger"]))
            present = None
            if kind == "present":
                outcomes = []
                for _ in range(3):
                    out_goto, out_ending = target() if draw(st.booleans()) else (None, None)
                    outcomes.append(
                        Outcome(
                            frozenset(draw(st.sets(st.sampled_from(CLUES + PEOPLE + WORDS), max_size=2))),
                            tuple(draw(st.lists(st.sampled_from(effects), max_size=1))),
                            out_goto,
                            out_ending,
                            "gen.yaml:1",
                        )
                    )
                source = draw(st.sampled_from(["clues", "characters", "list"]))
                right, partly, wrong = outcomes
                listed = ("k", "ann", "word", "v")
                present = Presentation("Which?", source, listed, right, partly, wrong, "gen.yaml:1")
            choices.append(
                Choice(
                    key=f"c{number}",
                    text=f"{sid} choice {number}",
                    goto=goto,
                    ending=ending,
                    condition=None if condition is None else parse_condition(condition, {"c"}),
                    once=draw(st.booleans()),
                    effects=tuple(draw(st.lists(st.sampled_from(effects), max_size=2))),
                    trigger=draw(st.sampled_from(["advance", "retreat"])) if kind == "trigger" else None,
                    at="gen.yaml:1",
                    deduce="d" if kind == "deduce" else None,
                    present=present,
                )
            )
        on_enter = tuple(draw(st.lists(st.sampled_from(effects), max_size=1)))
        scenes[sid] = Scene(
            sid, draw(st.sampled_from(["one", "two"])), sid, "", tuple(lines), on_enter, tuple(choices), "gen.yaml:1"
        )
    blanks: tuple[Blank, ...] = (
        Blank("who", "suspects", (), frozenset({draw(st.sampled_from(PEOPLE))}), "gen.yaml:1"),
        Blank(
            "what",
            draw(st.sampled_from(["clues", "list"])),
            ("k", "m", "bob", "word"),
            frozenset(draw(st.sampled_from([{"m"}, {"word"}, {"m", "word"}]))),
            "gen.yaml:1",
        ),
        Blank("how", "list", WORDS, frozenset(draw(st.sets(st.sampled_from(WORDS), min_size=1, max_size=2))), "g:1"),
    )
    blanks = blanks[: draw(st.integers(2, 3))]
    deduction = Deduction(
        "d",
        "D",
        "{who} {what}",
        blanks,
        draw(st.integers(0, 1)),
        (Effect("set", "f1"),),
        (Effect("add", "c", 1),),
        "gen.yaml:1",
    )
    guard = draw(st.none() | st.sampled_from(("f0", "has(k)", "solved(d)")))
    transitions = (
        BeatTransition("advance", "one", "two", None if guard is None else parse_condition(guard, {"c"}), "gen.yaml:1"),
        BeatTransition("retreat", "two", "one", None, "gen.yaml:1"),
    )
    story = story_of(scenes)
    return dataclasses.replace(
        story,
        beats={b: Beat(b, b, "", "gen.yaml:1") for b in ("one", "two")},
        initial_beat="one",
        transitions=transitions,
        characters={p: Character(p, p.title(), "#888888", "", p != "cat", "gen.yaml:1") for p in PEOPLE},
        clues={c: Clue(c, c.upper(), "", {}, "gen.yaml:1") for c in CLUES},
        deductions={"d": deduction},
        words={w: Word(w, f"the {w}", "gen.yaml:1") for w in WORDS},
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_stories())
def test_the_reduced_search_finds_exactly_what_the_full_search_finds(story: Story) -> None:
    same_findings(story)


@pytest.mark.long
@pytest.mark.skipif(os.environ.get("ARCHER_LONG") != "1", reason="a long property run: ARCHER_LONG=1 (make test-long)")
@settings(max_examples=3_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_stories())
def test_the_reduced_search_finds_exactly_what_the_full_search_finds_long(story: Story) -> None:
    same_findings(story)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_stories())
def test_the_compiled_search_finds_exactly_what_the_engine_finds_with_submissions_and_beats(story: Story) -> None:
    same_findings(story)


@pytest.mark.long
@pytest.mark.skipif(os.environ.get("ARCHER_LONG") != "1", reason="a long property run: ARCHER_LONG=1 (make test-long)")
@settings(max_examples=3_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_stories())
def test_the_compiled_search_finds_exactly_what_the_engine_finds_with_submissions_and_beats_long(story: Story) -> None:
    same_findings(story)


def test_a_counter_an_effect_adds_to_stays_live_before_the_effect() -> None:
    """`add` reads the counter it changes: the proof must not merge c=0 and c=1 before an add and a test."""

    def choice(key: str, goto: str | None = None, ending: str | None = None, test: str | None = None) -> Choice:
        effects = (Effect("add", "c", 1),) if key == "add" else ()
        condition = None if test is None else parse_condition(test, {"c"})
        return Choice(key, key, goto, ending, condition, False, effects, None, "gen.yaml:1")

    scenes = {
        "s0": Scene("s0", "only", "", "", (), (), (choice("skip", "s1"), choice("add", "s1")), "gen.yaml:1"),
        "s1": Scene("s1", "only", "", "", (), (), (choice("add", "s2"),), "gen.yaml:1"),
        "s2": Scene("s2", "only", "", "", (), (), (choice("w", ending="win", test="c >= 2"),), "gen.yaml:2"),
    }
    story = story_of(scenes)
    same_findings(story)
    assert explore(Engine(story)).endings == {"win"}


def test_a_visit_count_read_only_by_visited_is_kept_as_never_or_at_least_once() -> None:
    """The compiled search keeps numbers as the classes their comparisons tell apart (issue 16)."""

    def choice(key: str, goto: str | None = None, ending: str | None = None, test: str | None = None) -> Choice:
        condition = None if test is None else parse_condition(test)
        return Choice(key, key, goto, ending, condition, False, (), None, "gen.yaml:1")

    scenes = {
        "s0": Scene("s0", "only", "", "", (), (), (choice("again", "s0"), choice("on", "s1")), "gen.yaml:1"),
        "s1": Scene(
            "s1",
            "only",
            "",
            "",
            (),
            (),
            (choice("back", "s0"), choice("w", ending="win", test="visited(s1) and c < 6")),
            "gen.yaml:1",
        ),
    }
    story = story_of(scenes)
    engine = Engine(story)
    by_engine = explore(engine, budget=Budget(seconds=None), analysis="live-engine")
    compiled = explore(engine, budget=Budget(seconds=None))
    assert compiled.endings == by_engine.endings == {"win"}
    # visits(s0) and visits(s1) take two values (0, at least 1), not the engine search's clamp at 7
    assert compiled.states < by_engine.states, (compiled.states, by_engine.states)


def test_a_story_the_compiler_does_not_know_is_proven_on_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """An effect new to the compiler (another branch may add one) falls back to the engine, never to a wrong proof."""
    new = Choice("new", "new", None, "win", None, False, (Effect("learn", "x"),), None, "gen.yaml:1")
    story = story_of({"s0": Scene("s0", "only", "", "", (), (), (new,), "gen.yaml:1")})
    assert explore_module._Space(Engine(story), "live").compact is not None, "the compiler knows 'learn'"
    monkeypatch.setattr(compact, "_KNOWN_EFFECTS", compact._KNOWN_EFFECTS - {"learn"})  # as if it were new
    assert explore_module._Space(Engine(story), "live").compact is None, "proven on the engine"
    result = explore(Engine(story))
    assert result.complete and result.endings == {"win"}


def test_choices_closed_for_good_read_nothing_more() -> None:
    """Once `n < 2` can no longer hold (n only goes up), the once-only choices it guards are closed: which
    of them were taken no longer matters, and the states that differ only there are one."""

    def errand(key: str) -> Choice:
        return Choice(
            key, key, "hub", None, parse_condition("n < 2", {"n"}), True, (Effect("add", "n", 1),), None, "g:1"
        )

    leave = Choice("leave", "leave", None, "win", None, False, (), None, "g:1")
    scenes = {"hub": Scene("hub", "only", "", "", (), (), (errand("a"), errand("b"), errand("c"), leave), "g:1")}
    story = dataclasses.replace(story_of(scenes), start="hub")
    engine = Engine(story)
    by_engine = explore(engine, budget=Budget(seconds=None), analysis="live-engine")
    compiled = explore(engine, budget=Budget(seconds=None))
    same_findings(story)
    # the engine's search keeps {a, b}, {a, c} and {b, c} apart after two errands; the compiled one merges them
    assert compiled.states == by_engine.states - 2, (compiled.states, by_engine.states)


def test_a_blank_offers_a_word_once_learned_and_the_proof_keys_only_which_kinds_of_word_are_known() -> None:
    """The compiled search runs `learn:` and a blank drawing on words as the engine does: nothing to pick
    before a word is learned (a dead end here), and two wrong words are one to the proof, as they are to
    deduce.proof_key (learning either makes the same submissions possible)."""
    blank = Blank("how", "list", ("v", "w", "word"), frozenset({"word"}), "g:1")
    deduction = Deduction("d", "D", "{how}", (blank,), 0, (), (), "g:1")

    def choice(
        key: str,
        goto: str | None = None,
        ending: str | None = None,
        condition: Condition | None = None,
        effects: tuple[Effect, ...] = (),
        deduce: str | None = None,
    ) -> Choice:
        return Choice(key, key, goto, ending, condition, False, effects, None, "g:1", deduce=deduce)

    def story(*learned: str) -> Story:
        teach = [choice(f"learn {w}", "s1", effects=(Effect("learn", w),)) for w in learned]
        scenes = {
            "s0": Scene("s0", "only", "", "", (), (), (*teach, choice("skip", "s1")), "g:1"),
            "s1": Scene("s1", "only", "", "", (), (), (choice("accuse", "s2", deduce="d"),), "g:1"),
            "s2": Scene(
                "s2",
                "only",
                "",
                "",
                (),
                (),
                (
                    choice("win", ending="win", condition=parse_condition("solved(d)")),
                    choice("lose", ending="lose", condition=parse_condition("not solved(d)")),
                ),
                "g:1",
            ),
        }
        words = {w: Word(w, w, "g:1") for w in blank.options}
        return dataclasses.replace(story_of(scenes), deductions={"d": deduction}, words=words)

    wrong_only = explore(Engine(story("v")))
    assert wrong_only.endings == {"lose"}
    assert [(t.scenes, t.dead_end) for t in wrong_only.traps] == [(("s1",), True)], "nothing learned: no blank"
    assert explore(Engine(story("v", "w"))).states == wrong_only.states, "a second wrong word adds no state"
    assert explore(Engine(story("v", "word"))).endings == {"win", "lose"}
    for learned in (("v",), ("v", "w"), ("v", "word"), ("w", "word", "v")):
        same_findings(story(*learned))


def test_a_search_over_budget_names_the_words_that_multiply_the_states() -> None:
    """Words learned in any order, each read at the end by knows(): the cut-short search says so."""
    learn = [
        Choice(f"w{i}", f"Learn w{i}", "hub", None, None, False, (Effect("learn", f"w{i}"),), None, "g:1")
        for i in range(10)
    ]
    leave = [
        Choice(f"leave{i}", f"Leave {i}", None, "win", parse_condition(f"knows(w{i})"), False, (), None, "g:1")
        for i in range(10)
    ]
    scenes = {"hub": Scene("hub", "only", "", "", (), (), (*learn, *leave), "g:1")}
    story = dataclasses.replace(
        story_of(scenes), start="hub", words={f"w{i}": Word(f"w{i}", "", "g:1") for i in range(10)}
    )
    result = explore(Engine(story), budget=Budget(seconds=None, states=300))
    assert result.stopped_by == "states"
    assert any(label.startswith("word 'w") for label, _ in result.multipliers), result.multipliers


def test_a_deduction_solved_for_good_closes_the_choices_that_ask_for_it_unsolved() -> None:
    """Once `d` is solved and every choice submitting it asks `not solved(d)`, the once-only errands under
    `not solved(d)` are closed for good: which of them were taken no longer matters (nor, so, d's words)."""
    unsolved = parse_condition("not solved(d)")

    def errand(key: str) -> Choice:
        return Choice(key, key, "hub", None, unsolved, True, (), None, "g:1")

    accuse = Choice("accuse", "accuse", "hub", None, unsolved, False, (), None, "g:1", deduce="d")
    leave = Choice("leave", "leave", None, "win", None, False, (), None, "g:1")
    hub = Scene(
        "hub",
        "only",
        "",
        "",
        (),
        (Effect("learn", "v"),),
        (errand("a"), errand("b"), errand("c"), accuse, leave),
        "g:1",
    )
    deduction = Deduction("d", "D", "{how}", (Blank("how", "list", ("v",), frozenset({"v"}), "g:1"),), 0, (), (), "g:1")
    story = dataclasses.replace(
        story_of({"hub": hub}), start="hub", deductions={"d": deduction}, words={"v": Word("v", "v", "g:1")}
    )
    engine = Engine(story)
    by_engine = explore(engine, budget=Budget(seconds=None), analysis="live-engine")
    compiled = explore(engine, budget=Budget(seconds=None))
    same_findings(story)
    # once d is solved, the engine's search keeps the eight sets of errands taken; the compiled one, one state
    assert compiled.states == by_engine.states - 7, (compiled.states, by_engine.states)


def test_a_counter_that_goes_both_ways_keeps_its_sign_apart_from_the_bits_beside_it() -> None:
    """The compiled state is one int: a count below zero is stored biased in its own bits, never spilling
    into the flags and clues above it, and the key clamps it past the numbers it is compared with."""

    def choice(key: str, goto: str | None = None, ending: str | None = None, **how: Any) -> Choice:
        test = how.get("test")
        condition = None if test is None else parse_condition(test, {"c"})
        return Choice(key, key, goto, ending, condition, False, how.get("effects", ()), None, "gen.yaml:1")

    scenes = {
        "s0": Scene(
            "s0",
            "only",
            "",
            "",
            (),
            (),
            (
                choice("down", "s0", effects=(Effect("add", "c", -1),)),
                choice("up", "s0", effects=(Effect("add", "c", 1),)),
                choice("mark", "s1", effects=(Effect("set", "f"),)),
            ),
            "gen.yaml:1",
        ),
        "s1": Scene(
            "s1",
            "only",
            "",
            "",
            (),
            (),
            (
                choice("win", ending="win", test="f and c <= -3"),
                choice("lose", ending="lose", test="not f or c >= 2"),
                choice("back", "s0", effects=(Effect("clear", "f"),), test="c > -5"),
            ),
            "gen.yaml:1",
        ),
    }
    story = story_of(scenes)
    same_findings(story)
    result = explore(Engine(story), budget=Budget(seconds=None))
    assert result.endings == {"win", "lose"} and not result.traps
    assert result.ending_paths == {"win": ["down", "down", "down", "mark", "win"], "lose": ["up", "up", "mark", "lose"]}


def test_the_compiled_search_keeps_a_state_in_a_few_hundred_bytes(make_story: WriteStory) -> None:
    """A state is one int, its key; the search keeps its first parent, move, scene and edges in arrays
    of machine ints (tuples and lists of tuples took 618 bytes a state here; now 189, the story's compilation included)."""
    engine = Engine(load_story(make_story(many_rooms(8))))
    tracemalloc.start()
    try:
        result = explore(engine, budget=Budget(seconds=None))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.complete and result.states > 5_000, result.states
    assert peak / result.states < 300, f"{peak / result.states:.0f} bytes a state"
