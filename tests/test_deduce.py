"""Deductions and evidence in the engine: what is offered, what a submission costs, what the player is told,
and that a deduction's state survives save, load, undo and replay unchanged."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import deduce
from game.engine.engine import ChoiceError, Engine
from game.engine.explore import explore
from game.engine.run import Run, replay
from game.engine.state import GameState
from game.story.loader import load_story
from game.story.model import Choice, Story

from support import TO_THE_ACCUSATION, WriteStory


def choice(engine: Engine, state: GameState, start: str) -> Choice:
    return next(c for c in engine.choices(state) if c.text.startswith(start))


def at_the_accusation(engine: Engine) -> GameState:
    state = engine.new_game()
    for text in TO_THE_ACCUSATION:
        state = engine.choose(state, choice(engine, state, text)).state
    return state


def test_feedback_says_how_many_at_most_never_which(example: Story) -> None:
    deduction = example.deductions["what_happened"]
    assert deduction.hint_when_wrong_at_most == 1
    said = [deduce.feedback(deduction, wrong) for wrong in range(4)]
    assert said == ["All of it is right.", "Only one is wrong.", "More than one is wrong.", "More than one is wrong."]
    two = dataclasses.replace(deduction, hint_when_wrong_at_most=2)
    assert [deduce.feedback(two, wrong) for wrong in (1, 2, 3)] == [
        "Two or fewer are wrong.",
        "Two or fewer are wrong.",
        "More than two are wrong.",
    ]


def test_blanks_offer_only_what_the_player_has_gathered(example_engine: Engine) -> None:
    story = example_engine.story
    blanks = story.deductions["what_happened"].blanks
    state = example_engine.new_game()
    assert [deduce.blank_options(story, state, b) for b in blanks] == [(), (), ()]
    state = example_engine.choose(state, choice(example_engine, state, "Walk down to the jetty")).state
    assert state.words == {"storm"}, "the jetty teaches 'the storm' on entering"
    assert deduce.blank_options(story, state, blanks[2]) == ("storm",), "a word is offered only once learned"
    state = at_the_accusation(example_engine)
    assert state.words == {"debt", "storm"}, "reading the ledger teaches 'a debt over the boat'"
    assert [deduce.blank_options(story, state, b) for b in blanks] == [
        ("you", "fisher"),
        ("ledger", "cut_rope"),
        ("debt", "storm"),
    ]


def test_a_wrong_submission_costs_what_the_author_says_and_a_right_one_solves(example_engine: Engine) -> None:
    state = at_the_accusation(example_engine)
    assert state.counters["resolve"] == 1
    step = example_engine.choose(state, choice(example_engine, state, "Lay out"), ("fisher", "ledger", "debt"))
    assert step.feedback == "Only one is wrong."
    assert step.state.counters["resolve"] == 0
    assert step.state.deductions["what_happened"].wrong == 1
    assert "fisher: That's a story. It isn't what happened." in [
        f"{line.speaker}: {line.text}" for line in example_engine.view(step.state).lines
    ]
    state = step.state
    step = example_engine.choose(state, choice(example_engine, state, "Lay out"), ("fisher", "cut_rope", "debt"))
    assert step.feedback == "All of it is right."
    assert "case_made" in step.state.flags and step.state.deductions["what_happened"].attempts == 2
    assert not any(c.deduce for c in example_engine.choices(step.state)), "a solved case is not offered again"


def test_presenting_evidence_routes_right_partly_and_wrong(example_engine: Engine) -> None:
    state = at_the_accusation(example_engine)
    state = example_engine.choose(state, choice(example_engine, state, "Lay out"), ("fisher", "cut_rope", "debt")).state
    ask = choice(example_engine, state, "Ask Agnes")
    partly = example_engine.choose(state, ask, ("ledger",))
    assert partly.ending is None and partly.state.scene == "confrontation"
    assert partly.state.counters["resolve"] == 0 and partly.state.presented == {f"confrontation/{ask.key}": "ledger"}
    right = example_engine.choose(partly.state, choice(example_engine, partly.state, "Ask Agnes"), ("cut_rope",))
    assert right.ending is not None and right.ending.id == "found"


def test_a_submission_must_be_whole_and_from_what_the_player_has(example_engine: Engine) -> None:
    state = at_the_accusation(example_engine)
    lay_out = choice(example_engine, state, "Lay out")
    with pytest.raises(ChoiceError, match="needs 3 blanks filled"):
        example_engine.choose(state, lay_out)
    with pytest.raises(ChoiceError, match="cannot fill the blank 'who'"):
        example_engine.choose(state, lay_out, ("keeper", "cut_rope", "debt"))
    with pytest.raises(ChoiceError, match="takes nothing"):
        example_engine.choose(state, choice(example_engine, state, "Back down"), ("debt",))


def test_the_proof_tries_each_kind_of_outcome(example_engine: Engine) -> None:
    story = example_engine.story
    state = at_the_accusation(example_engine)
    tries = list(deduce.representative_givens(story, state, choice(example_engine, state, "Lay out")))
    deduction = story.deductions["what_happened"]
    assert sorted(deduce.wrong_count(deduction, fills) for fills in tries) == [0, 1, 2]


def test_an_old_save_without_deductions_or_words_still_loads() -> None:
    old = {
        "version": 1, "scene": "shore", "beat": "search", "seed": 0, "flags": [], "counters": {}, "clues": {},
        "visits": {"shore": 1}, "once_taken": [], "log": [{"scene": "shore", "choice": "x", "text": "x"}],
        "ending": None,
    }  # fmt: skip
    state = GameState.from_json(old)
    assert state.deductions == {} and state.presented == {} and state.log[0].given == ()
    assert state.words == set() and state.to_json()["words"] == []
    assert "given" not in state.to_json()["log"][0], "an ordinary choice's log entry keeps its old shape"


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), steps=st.integers(1, 40))
def test_a_deduction_survives_save_load_undo_and_replay(example: Story, seed: int, steps: int) -> None:
    story = example
    example_engine = Engine(story)
    rng = random.Random(seed)
    run = Run.new(example_engine, seed)
    for _ in range(steps):
        if run.state.ending is not None:
            break
        offered = example_engine.choices(run.state)
        # prefer the deduction and the question when on offer, so most runs submit something
        special = [c for c in offered if c.deduce or c.present]
        picked = rng.choice(special if special and rng.random() < 0.7 else list(offered))
        before = run.state
        kinds = list(deduce.representative_givens(story, run.state, picked))  # one right, one wrong...
        fills = rng.choice(kinds) if rng.random() < 0.5 else deduce.random_given(story, run.state, picked, rng)
        run.choose(picked, fills)
        after = run.state
        assert run.undo() == 1 and run.state == before
        assert run.redo() and run.state == after
    state = run.state
    saved = json.loads(json.dumps(state.to_json()))
    assert saved["words"] == sorted(state.words)
    assert GameState.from_json(saved) == state
    replayed = replay(example_engine, GameState.from_json(saved))
    assert replayed.complete and replayed.states[-1] == state
    assert replayed.states[-1].deductions == state.deductions and replayed.states[-1].presented == state.presented
    assert replayed.states[-1].words == state.words
    for before, after in zip(replayed.states, replayed.states[1:], strict=False):
        assert before.words <= after.words, "a word once learned stays learned"


# A player who walks past the fisher never learns 'debt', so can only ever say 'the storm' and is stuck
# on the pier: the proof must tell the two arrivals at the pier apart by the words they know.
SKIPPED_LESSON = {
    "deductions.yaml": """
        words:
          debt: a debt over the boat
          storm: the storm
        why:
          title: Why the keeper went
          statement: "He went out over {why}."
          blanks:
            why: {from: [debt, storm], answer: debt}
        """,
    "scenes/island.yaml": """
        shore:
          beat: search
          title: The shore
          on_enter:
            - learn: storm
            - add: {resolve: 1}
          lines:
            - narrator: Wet shingle and a jetty.
          choices:
            - say: Listen to the fisher
              do:
                - learn: debt
              goto: pier
            - say: Walk on
              goto: pier
        pier:
          beat: search
          title: The pier
          lines:
            - fisher: Well?
          choices:
            - say: Say why he went
              if: not solved(why)
              deduce: why
              goto: pier
            - say: Leave on the ferry
              if: solved(why)
              ending: found
        """,
}


def test_the_proof_tells_apart_players_who_learned_different_words(make_story: WriteStory) -> None:
    story = load_story(make_story(SKIPPED_LESSON))
    result = explore(Engine(story))
    assert result.complete and result.endings == {"found"}
    assert [(trap.scenes, trap.path) for trap in result.traps] == [(("pier",), ["Walk on"])]


def test_a_word_matters_to_the_proof_only_while_a_deduction_listing_it_is_ahead_and_open(
    make_story: WriteStory,
) -> None:
    story = load_story(make_story(SKIPPED_LESSON))
    engine, cap = Engine(story), deduce.proof_cap(story)
    shore = engine.new_game()
    listened = engine.choose(shore, choice(engine, shore, "Listen")).state
    walked = engine.choose(shore, choice(engine, shore, "Walk on")).state
    assert deduce.proof_key(listened, cap) != deduce.proof_key(walked, cap)
    solved = engine.choose(listened, choice(engine, listened, "Say why"), ("debt",)).state
    twin = solved.copy()
    twin.words.discard("debt")
    assert deduce.proof_key(solved, cap) == deduce.proof_key(twin, cap), "solved and never offered again"
    second = listened.copy()
    second.words.add("storm")  # already known: one more wrong word changes nothing a player can submit
    assert deduce.proof_key(second, cap) == deduce.proof_key(listened, cap)


def test_a_careful_autoplay_run_submits_the_best_it_holds(example_engine: Engine) -> None:
    from game.engine.autoplay import _Guide

    story = example_engine.story
    state = at_the_accusation(example_engine)
    lay_out = choice(example_engine, state, "Lay out")
    guide = _Guide(story)
    careful = guide.given(story, state, lay_out, careful=True)
    assert deduce.wrong_count(story.deductions["what_happened"], careful) == 0
    again = guide.given(story, state, lay_out, careful=True)
    assert again == careful, "a careful run does not rotate through wrong answers to cover them"


def test_every_frontend_is_told_when_a_wrong_try_costs(example_engine: Engine) -> None:
    story = example_engine.story
    state = at_the_accusation(example_engine)
    lay_out = choice(example_engine, state, "Lay out")
    assert (
        deduce.cost_warning(story, lay_out) == "If any of it is wrong, that will cost you: your resolve falls by one."
    )
    free = dataclasses.replace(story.deductions["what_happened"], on_wrong=())
    free_story = dataclasses.replace(story, deductions={"what_happened": free})
    assert deduce.cost_warning(free_story, lay_out) == "", "a free try is not made to sound costly"
    solved = example_engine.choose(state, lay_out, ("fisher", "cut_rope", "debt")).state
    ask = choice(example_engine, solved, "Ask Agnes")
    assert deduce.cost_warning(story, ask) == "If it is not the right thing, that will cost you."


def test_a_word_a_choice_condition_reads_is_always_part_of_the_proofs_key(make_story: WriteStory) -> None:
    files = dict(SKIPPED_LESSON)
    files["scenes/island.yaml"] = files["scenes/island.yaml"].replace(
        "            - say: Leave on the ferry\n              if: solved(why)\n",
        "            - say: Leave on the ferry\n              if: solved(why) or knows(debt)\n",
    )
    story = load_story(make_story(files))
    engine, cap = Engine(story), deduce.proof_cap(story)
    assert cap.known == ("debt",)
    shore = engine.new_game()
    listened = engine.choose(shore, choice(engine, shore, "Listen")).state
    solved = engine.choose(listened, choice(engine, listened, "Say why"), ("debt",)).state
    twin = solved.copy()
    twin.words.discard("debt")
    assert deduce.proof_key(solved, cap) != deduce.proof_key(twin, cap), "knows(debt) can still tell them apart"


def test_the_last_submission_is_said_again_after_a_load(example_engine: Engine) -> None:
    story = example_engine.story
    state = at_the_accusation(example_engine)
    assert deduce.last_feedback(story, state) == "", "no submission yet"
    wrong = example_engine.choose(state, choice(example_engine, state, "Lay out"), ("you", "ledger", "storm")).state
    loaded = GameState.from_json(json.loads(json.dumps(wrong.to_json())))
    assert deduce.last_feedback(story, loaded) == "More than one is wrong."
    plain = next(c for c in example_engine.choices(loaded) if c.deduce is None and c.present is None)
    moved = example_engine.choose(loaded, plain).state
    assert deduce.last_feedback(story, moved) == "", "said only right after the submission"
