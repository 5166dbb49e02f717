"""The session: what each step shows (for every frontend), undo, saves, reload and the endings record."""

from __future__ import annotations

import pytest

from game.engine.engine import ChoiceError
from game.session import Session
from game.story.model import Story


def started(story: Story) -> Session:
    session = Session(story)
    session.new_game()
    return session


def test_a_new_run_begins_with_the_chapter_the_scene_and_its_lines(example: Story) -> None:
    run = started(example)
    kinds = [(e.kind, e.text) for e in run.transcript]
    assert kinds[:2] == [("chapter", "Part One: The Search"), ("scene", "The shore")]
    assert [e.speaker for e in run.transcript[2:]] == ["narrator", "voiceover"]
    assert not run.can_undo and not run.ended


def test_a_choice_adds_what_was_chosen_and_what_followed_and_undo_takes_exactly_that(example: Story) -> None:
    run = started(example)
    before = list(run.transcript)
    run.choose(2)
    added = run.transcript[len(before) :]
    assert [(e.kind, e.text) for e in added[:2]] == [("choice", "Walk down to the jetty"), ("scene", "The jetty")]
    assert run.state.scene == "jetty" and run.choices_made == 1
    assert run.undo()
    assert run.transcript == before and run.state.scene == "shore"
    assert not run.undo()


def test_an_ending_is_written_into_the_transcript(example: Story) -> None:
    run = started(example)
    step = run.choose(3)
    assert step.ending is not None and run.ended
    assert run.transcript[-1].kind == "ending" and run.transcript[-1].detail.startswith("You take the ferry back")


def test_a_choice_not_on_offer_changes_nothing(example: Story) -> None:
    run = started(example)
    with pytest.raises(ChoiceError):
        run.choose(7)
    assert run.choices_made == 0
