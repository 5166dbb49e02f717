"""The story compiled for the proof (game.engine.compact): what it learns from the whole story before the search."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_proof import rich_stories, same_findings, small_stories, story_of

from game.engine.compact import _NOT_PLAIN, CompactStory
from game.engine.engine import Engine
from game.engine.explore import Budget, explore
from game.engine.liveness import Liveness
from game.story.conditions import Effect, parse_condition
from game.story.loader import load_story
from game.story.model import Choice, Outcome, Presentation, Scene, Story

from support import EXAMPLE_DIR, STORY_DIR


def errand(key: str, test: str) -> Choice:
    return Choice(key, key, "hub", None, parse_condition(test, {"n"}), True, (Effect("add", "n", 1),), None, "g:1")


def errands_story() -> Story:
    """A hub whose once-only errands each add 1 to n (which only goes up) under conditions of their own."""
    leave = Choice("leave", "leave", None, "win", None, False, (), None, "g:1")
    choices = (errand("a", "n < 2"), errand("b", "n < 3"), errand("c", "n < 2"), errand("d", "n >= 1"), leave)
    return dataclasses.replace(story_of({"hub": Scene("hub", "only", "", "", (), (), choices, "g:1")}), start="hub")


def test_each_choice_is_closed_by_the_bound_of_its_own_condition() -> None:
    story = errands_story()
    compiled = CompactStory(story, Liveness(story))
    thresholds = [threshold for _, _, threshold in compiled._atoms]
    closers = {t: sorted(c.key for c in choices) for t, choices in zip(thresholds, compiled._closed_by, strict=True)}
    assert closers == {2: ["a", "c"], 3: ["b"]}, "n >= 1 never closes: it only opens"
    same_findings(story)


def test_an_effect_only_an_answer_applies_still_counts_as_changing_its_counter() -> None:
    """n goes down only when a question is answered right: n is then no counter that only goes up, and its
    `n < 2` closes nothing (the errands stay open), as the engine has it."""
    take = Outcome(frozenset(), (Effect("add", "n", -2),), None, None, "g:1")
    stay = Outcome(frozenset(), (), None, None, "g:1")
    question = Presentation("Which?", "list", ("x",), take, stay, stay, "g:1")
    story = errands_story()
    hub = story.scenes["hub"]
    ask = Choice("ask", "ask", "hub", None, None, False, (), None, "g:1", present=question)
    story = dataclasses.replace(story, scenes={"hub": dataclasses.replace(hub, choices=(*hub.choices, ask))})
    compiled = CompactStory(story, Liveness(story))
    assert compiled.numbers[("counter", "n")].downs
    assert compiled._closed_by == []
    engine = Engine(story)
    assert explore(engine, budget=Budget(seconds=None)).endings == {"win"}


def test_the_conditions_it_compiles_are_the_story_s_in_its_order() -> None:
    """It gathers them in C passes; the order decides where each word's bit lies, as it always has."""
    for root in (STORY_DIR, EXAMPLE_DIR):
        story = load_story(root, use_cache=False)
        compiled = CompactStory(story, Liveness(story))
        assert [id(c) for c in compiled._every_condition] == [id(c) for c in story.conditions()]
        assert [id(c) for c in compiled._evaluated] == [id(c) for c in story.conditions(lines=False)]


def test_a_flag_nothing_ahead_reads_is_dropped_as_the_search_moves() -> None:
    """Setting `a` (which no condition reads) or not makes no second state of what follows: each move
    keeps only what is live where it arrives (the projection of its target scene)."""
    set_a = Choice("set", "set", "s1", None, None, False, (Effect("set", "a"),), None, "g:1")
    skip = Choice("skip", "skip", "s1", None, None, False, (), None, "g:1")
    on = Choice("on", "on", "s2", None, None, False, (), None, "g:1")
    end = Choice("end", "end", None, "win", None, False, (), None, "g:1")
    story = story_of(
        {
            "s0": Scene("s0", "only", "", "", (), (), (set_a, skip), "g:1"),
            "s1": Scene("s1", "only", "", "", (), (), (on,), "g:1"),
            "s2": Scene("s2", "only", "", "", (), (), (end,), "g:1"),
        }
    )
    engine = Engine(story)
    assert explore(engine, budget=Budget(seconds=None), analysis="none").states == 6  # s1 and s2 twice each
    assert explore(engine, budget=Budget(seconds=None)).states == 4  # s0, s1, s2 and the ending


def without_once_marks(story: Story) -> Story:
    scenes = {
        sid: dataclasses.replace(s, choices=tuple(dataclasses.replace(c, once=False) for c in s.choices))
        for sid, s in story.scenes.items()
    }
    return dataclasses.replace(story, scenes=scenes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_stories(), small_stories().map(without_once_marks), rich_stories()))
def test_a_plain_scene_s_moves_made_once_lead_where_its_compiled_choices_lead(story: Story) -> None:
    """The moves of a scene whose choices are all plain, made once as rows (CompactStory._plain_rows, entering
    the target folded into its projection's masks where it can be), are those of its compiled choices (the
    search's reference, which tests/test_proof.py holds to the engine), text for text, in their order."""
    compact = CompactStory(story, Liveness(story))
    start = compact.start()
    seen, todo = {compact.key(start)}, [start]  # (a count that goes both ways is clamped in the key, as searched)
    while todo:
        state = todo.pop()
        scene = compact.scene(state)
        reference = list(compact._moves(state, compact.compiled_choices(scene)))
        assert list(compact.moves(state)) == reference
        assert compact.successors(state) == [after for _, after in reference]
        plain = all(
            not (c.once or c.trigger or c.deduce or c.present) for c in story.scenes[compact.scene_ids[scene]].choices
        )
        views = bool(compact.settled_mask or compact._atoms)
        assert (compact._rows[scene] is not _NOT_PLAIN) == (plain and not views), "rows wherever they can be"
        for _, after in reference:
            if type(after) is int and compact.key(after) not in seen:
                seen.add(compact.key(after))
                todo.append(after)
