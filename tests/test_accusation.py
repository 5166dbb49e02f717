"""The accusation to Cruz in the shipped story: autoplay's random submissions reach the endings it can,
and the route flags later chapters read are set on each way out."""

from __future__ import annotations

import random

from game.engine import deduce
from game.engine.autoplay import autoplay
from game.engine.engine import Engine
from game.engine.state import GameState
from game.story.model import Story


def test_autoplay_with_random_submissions_reaches_the_endings(story: Story) -> None:
    report = autoplay(Engine(story), runs=200, mode="random")
    assert report.ok and {"case_cold", "wrong_accused", "expelled"} <= set(report.endings), report.endings


def test_the_accusation_is_a_deduction_with_fair_evidence(story: Story) -> None:
    the_roof = story.deductions["the_roof"]
    assert {b.name: set(b.answers) for b in the_roof.blanks} == {
        "who": {"delia"},
        "how": {"taped_latch"},
        "when": {"camera_dark"},
        "why": {"the_gala"},
    }
    questions = {
        scene: next(c.present for c in story.scenes[scene].choices if c.present is not None)
        for scene in ("delia_q1", "delia_q2", "delia_q3", "delia_q4")
    }
    assert questions["delia_q1"].right.accepts == {"visitor_log"}
    assert questions["delia_q1"].partly.accepts == {"dubois_call"}, "a phone bill proves a call, not presence"
    assert questions["delia_q2"].right.accepts == {"pearl_back"}, "the earring back puts someone on the roof"
    names = [c.text for c in story.scenes["choose_suspect"].choices]
    assert names[0] != "Delia Whitlaw" and "Delia Whitlaw" in names


def at_the_proof(story: Story, clues: tuple[str, ...], doubt: int = 0) -> tuple[Engine, GameState]:
    """Cruz's first question, the case built, holding these clues."""
    engine = Engine(story)
    state = engine.new_game(0).copy()
    state.scene, state.beat = "delia_q1", "suspects"
    state.flags.add("case_built")
    state.counters["doubt.cruz"] = doubt
    state.clues = {clue: "hub" for clue in clues}
    return engine, state


def present(engine: Engine, state: GameState, item: str) -> GameState:
    choice = next(c for c in engine.choices(state) if c.present is not None)
    return engine.choose(state, choice, (item,)).state


def said(engine: Engine, state: GameState) -> str:
    return "\n".join(line.text for line in engine.view(state).lines)


def test_the_third_question_does_not_name_evidence_not_shown(story: Story) -> None:
    engine, state = at_the_proof(story, ("visitor_log", "roof_tape", "pearl_back"))
    state = present(engine, present(engine, state, "visitor_log"), "roof_tape")
    assert state.scene == "delia_q3"
    assert "earring" not in said(engine, state).lower(), "the tape was shown, not the earring back"
    question = next(c.present for c in engine.choices(state) if c.present is not None)
    assert question is not None and "earring" not in question.question.lower()


def test_out_of_patience_she_does_not_ask_again(story: Story) -> None:
    engine, state = at_the_proof(story, ("visitor_log", "roof_tape"), doubt=2)
    state = present(engine, state, "roof_tape")  # wrong at the first question: her patience is out
    assert state.scene == "delia_q1" and state.counters["doubt.cruz"] == 3
    assert [c.text for c in engine.choices(state)][-1] == "She has stopped listening"
    lines = said(engine, state)
    assert "Try again" not in lines and "?" not in lines.splitlines()[-1], lines


def test_a_built_case_is_not_said_to_be_nights_old(story: Story) -> None:
    line = next(
        line.text
        for line in story.scenes["cruz_case"].lines
        if line.condition and line.condition.source == "case_built"
    )
    assert "every night" not in line


def test_the_why_reads_right_whoever_is_named(story: Story) -> None:
    for word in story.deductions["the_roof"].blanks[-1].options:
        assert not story.label(word).endswith(" her"), story.label(word)


def test_no_blank_hands_over_its_answer(story: Story) -> None:
    """On random walks through the season, a blank that offers its right answer offers a wrong one too."""
    engine = Engine(story)
    rng = random.Random(14)
    handed: set[tuple[str, str]] = set()
    offered_at = 0
    for run in range(150):
        state = engine.new_game(run)
        for _ in range(400):
            choices = engine.choices(state)
            if state.ending is not None or not choices:
                break
            for choice in choices:
                if choice.deduce is None:
                    continue
                offered_at += 1
                for blank in story.deductions[choice.deduce].blanks:
                    offered = deduce.blank_options(story, state, blank)
                    if set(offered) <= blank.answers and offered:
                        handed.add((state.scene, blank.name))
            choice = rng.choice(choices)
            state = engine.choose(state, choice, deduce.random_given(story, state, choice, rng)).state
    assert offered_at > 40, "the walks reach the deduction"
    assert not handed, f"blanks offered with only their right answer: {sorted(handed)}"


def test_the_casebook_does_not_make_the_case_against_delia(story: Story) -> None:
    """A clue's label ('Bears on: Delia Whitlaw (motive)') and the suspects board would answer Cruz's
    questions ("why?", "what puts her in the building?") before the player does: the clues that answer
    them name no aspect of the culprit."""
    answers = {
        item
        for scene in ("delia_q1", "delia_q2", "delia_q3", "delia_q4")
        for choice in story.scenes[scene].choices
        if choice.present is not None
        for item in choice.present.right.accepts | choice.present.partly.accepts
    }
    labeled = sorted(clue for clue in answers if "delia" in story.clues[clue].bears_on)
    assert not labeled, labeled


def test_cruz_says_what_a_wrong_try_costs(story: Story) -> None:
    lay_out = next(c for c in story.scenes["cruz_case"].choices if c.deduce == "the_roof")
    assert deduce.cost_warning(story, lay_out).endswith(": Detective Isabel Cruz's doubt grows by one.")
