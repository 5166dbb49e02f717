"""The accusation to Cruz in the shipped story: autoplay's random submissions reach the endings it can,
and the route flags later chapters read are set on each way out."""

from __future__ import annotations

from game.engine.autoplay import autoplay
from game.engine.engine import Engine
from game.story.model import Story


def test_autoplay_with_random_submissions_reaches_the_endings_by_seed(story: Story) -> None:
    engine = Engine(story)
    for seed, ending in ((0, "case_cold"), (1, "wrong_accused"), (2, "expelled")):
        report = autoplay(engine, runs=1, first_seed=seed)
        assert report.ok and dict(report.endings) == {ending: 1}, seed


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
