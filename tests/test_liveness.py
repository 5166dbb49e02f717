"""The live-variable analysis (game.engine.liveness) against the textbook fixpoint on sets, worked out naively."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from test_proof import rich_stories, small_stories, story_of

from game.engine.liveness import (
    Liveness,
    Speakers,
    Var,
    _condition_reads,
    _through,
    group_reads,
    losable_clues,
    submission_groups,
)
from game.story.conditions import Condition, Effect, parse_condition
from game.story.deductions import choice_targets, scene_effects
from game.story.model import (
    Beat,
    BeatTransition,
    Character,
    Choice,
    Clue,
    Line,
    Outcome,
    Presentation,
    Scene,
    Story,
)


def textbook(story: Story, *, kills: bool = True) -> dict[str, frozenset[Var]]:
    """What is live at each scene: each choice reads what it reads, plus what is live where it leads that its
    effects do not overwrite; entering a scene overwrites what its on_enter effects and its speakers do.
    Every scene worked again, round after round, until nothing changes."""
    analysis = Liveness(story, kills=kills)  # for what each choice reads: only the fixpoint is redone here
    guards: dict[str, set[Var]] = {}
    for transition in story.transitions:
        if transition.guard is not None:
            guards.setdefault(transition.trigger, set()).update(_condition_reads(transition.guard))
    every = set(analysis._bit)

    def entering(sid: str, live: set[Var]) -> set[Var]:
        live = _through(story.scenes[sid].on_enter, live, kills)
        met = analysis.speakers.unconditional[sid]
        return {v for v in live if not (kills and v[0] == "met" and met & set(v[1].split("|")))}

    live_out: dict[str, set[Var]] = {sid: set() for sid in story.scenes}
    changed = True
    while changed:
        changed = False
        for sid, scene in story.scenes.items():
            new: set[Var] = set()
            for choice in scene.choices:
                reads = set(_condition_reads(choice.condition)) if choice.condition is not None else set()
                reads |= guards.get(choice.trigger, set()) if choice.trigger is not None else set()
                for group in submission_groups(story, choice):
                    reads |= group_reads(group, analysis.speakers, analysis.losable)
                once = ("once", f"{sid}/{choice.key}")
                if choice.once:
                    reads.add(once)
                after: set[Var] = set()
                for target in choice_targets(choice):
                    if target in story.scenes:
                        after |= entering(target, live_out[target])
                after = _through(choice.effects, after, kills)
                if choice.once and kills:
                    after.discard(once)
                new |= reads | after
            new &= every
            if new != live_out[sid]:
                live_out[sid], changed = new, True
    return {sid: frozenset(live) for sid, live in live_out.items()}


def check(story: Story) -> None:
    for kills in (True, False):
        assert Liveness(story, kills=kills).at == textbook(story, kills=kills)
    every_lose = {e.name for s in story.scenes.values() for e in scene_effects(story, s) if e.kind == "lose"}
    assert losable_clues(story, story.scenes) == every_lose


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_stories())
def test_the_analysis_is_the_textbook_fixpoint(story: Story) -> None:
    check(story)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_stories())
def test_the_analysis_is_the_textbook_fixpoint_with_submissions_triggers_and_speakers(story: Story) -> None:
    check(story)


def shared_condition_story() -> Story:
    """s0 offers four choices under one Condition object (as a cached story shares them): plain, with a
    beat trigger whose guard reads f0, once-only, and a question whose right answer takes clue k away."""
    shared = parse_condition("c > 1", {"c"})
    lose_k = Outcome(frozenset({"k"}), (Effect("lose", "k"),), None, None, "gen.yaml:1")
    keep = Outcome(frozenset(), (), None, None, "gen.yaml:1")
    question = Presentation("Which?", "clues", (), lose_k, keep, keep, "gen.yaml:1")

    def choice(key: str, **fields: Any) -> Choice:
        made = Choice(key, key, "s1", None, shared, False, (), None, "gen.yaml:1")
        return dataclasses.replace(made, **fields)

    s0 = Scene(
        "s0",
        "one",
        "s0",
        "",
        (),
        (Effect("add", "c", 1),),
        (choice("a"), choice("b", trigger="advance"), choice("c", once=True), choice("e", present=question)),
        "gen.yaml:1",
    )
    s1 = Scene("s1", "one", "s1", "", (), (), (Choice("d", "d", "s0", None, None, False, (), None, "g:1"),), "g:1")
    story = story_of({"s0": s0, "s1": s1})
    guard = parse_condition("f0", set())
    return dataclasses.replace(
        story,
        beats={b: Beat(b, b, "", "gen.yaml:1") for b in ("one", "two")},
        initial_beat="one",
        transitions=(BeatTransition("advance", "one", "two", guard, "gen.yaml:1"),),
        clues={"k": Clue("k", "K", "", {}, "gen.yaml:1")},
    )


def test_choices_sharing_a_condition_each_read_their_own_trigger_and_once_mark() -> None:
    story = shared_condition_story()
    live = Liveness(story).at["s0"]
    assert {("counter", "c"), ("flag", "f0"), ("once", "s0/c")} <= live
    check(story)


def test_a_clue_only_a_question_takes_away_is_losable() -> None:
    story = shared_condition_story()
    assert losable_clues(story, story.scenes) == {"k"}


def test_whom_a_scene_lets_the_player_meet_with_and_without_conditions() -> None:
    """Speakers: met on entering a scene where they say a line with no condition; a line with a condition
    counts apart, unless they also speak there without one (narration and strangers never count)."""
    said_if = parse_condition("f0", set())

    def line(speaker: str, condition: Condition | None = None) -> Line:
        return Line(speaker, "Hello.", condition, "g:1")

    scenes = {
        "s0": Scene("s0", "only", "", "", (line("ann"), line("bob", said_if), line("narrator")), (), (), "g:1"),
        "s1": Scene("s1", "only", "", "", (line("ann", said_if), line("ann"), line("eve", said_if)), (), (), "g:1"),
        "s2": Scene("s2", "only", "", "", (line("cat", said_if),), (), (), "g:1"),
    }
    story = dataclasses.replace(
        story_of(scenes), characters={p: Character(p, p, "#888888", "", False, "g:1") for p in ("ann", "bob", "cat")}
    )
    speakers = Speakers(story, story.scenes)
    assert speakers.unconditional == {"s0": {"ann"}, "s1": {"ann"}, "s2": set()}
    assert speakers.conditional == {"bob": [("s0", said_if)], "cat": [("s2", said_if)]}
