"""The engine: conditions, effects, once-only and sticky choices, beat guards, and JSON state."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.deduce import random_given
from game.engine.engine import ChoiceError, Engine
from game.engine.run import Run
from game.engine.state import GameState
from game.story.conditions import EFFECT_FIELDS, EFFECT_KINDS
from game.story.loader import load_story
from game.story.model import Story


def texts(engine: Engine, state: GameState) -> list[str]:
    return [choice.text for choice in engine.choices(state)]


def pick(engine: Engine, state: GameState, text: str) -> GameState:
    """Take the choice with this text, as a player would."""
    number = texts(engine, state).index(text) + 1
    return engine.choose(state, number).state


def test_a_new_game_starts_at_the_start_scene_and_first_beat(example_engine: Engine) -> None:
    state = example_engine.new_game(seed=7)
    view = example_engine.view(state)
    assert (view.scene.id, view.beat.name, state.seed) == ("shore", "search", 7)
    assert dict(state.visits) == {"shore": 1}
    assert view.ending is None


def test_on_enter_effects_and_conditional_lines_follow_the_state(example_engine: Engine) -> None:
    state = pick(example_engine, example_engine.new_game(), "Walk down to the jetty")
    lines = [line.text for line in example_engine.view(state).lines]
    assert "Then you've been up the tower. Find anything?" not in lines
    state = pick(example_engine, state, "Leave her to her nets")
    state = pick(example_engine, state, "Climb to the lighthouse")
    assert "saw_tower" in state.flags
    state = pick(example_engine, state, "Go back down")
    state = pick(example_engine, state, "Walk down to the jetty")
    assert "Then you've been up the tower. Find anything?" in [line.text for line in example_engine.view(state).lines]


def test_a_once_only_choice_disappears_after_it_is_taken_and_sticky_ones_stay(example_engine: Engine) -> None:
    state = pick(example_engine, example_engine.new_game(), "Climb to the lighthouse")
    assert texts(example_engine, state) == ["Read the ledger", "Go back down"]
    state = pick(example_engine, state, "Read the ledger")
    assert state.clues == {"ledger": "tower"}
    assert state.counters == {"resolve": 1}
    assert texts(example_engine, state) == ["Go back down"]
    state = pick(example_engine, state, "Go back down")
    state = pick(example_engine, state, "Climb to the lighthouse")
    assert texts(example_engine, state) == ["Go back down"], "the once-only choice stays taken on a later visit"
    assert state.visits["tower"] == 3


def test_a_choice_whose_beat_guard_fails_is_not_offered(example_engine: Engine) -> None:
    state = pick(example_engine, example_engine.new_game(), "Walk down to the jetty")
    assert "Tell Agnes what the ledger says" not in texts(example_engine, state)
    state = pick(example_engine, state, "Leave her to her nets")
    state = pick(example_engine, state, "Climb to the lighthouse")
    state = pick(example_engine, state, "Read the ledger")
    state = pick(example_engine, state, "Go back down")
    state = pick(example_engine, state, "Walk down to the jetty")
    assert "Tell Agnes what the ledger says" in texts(example_engine, state)


def test_firing_a_trigger_enters_the_next_beat_and_says_so(example_engine: Engine) -> None:
    state = example_engine.new_game()
    for text in ["Climb to the lighthouse", "Read the ledger", "Go back down", "Walk down to the jetty"]:
        state = pick(example_engine, state, text)
    number = texts(example_engine, state).index("Tell Agnes what the ledger says") + 1
    step = example_engine.choose(state, number)
    assert step.entered_beat is not None and step.entered_beat.name == "accusation"
    assert step.state.beat == "accusation"
    assert step.entered_beat.title == "Part Two: The Accusation"
    assert state.beat == "search", "choose() leaves the old state untouched"


def test_an_ending_is_reached_and_then_nothing_is_on_offer(example_engine: Engine) -> None:
    state = example_engine.new_game()
    step = example_engine.choose(state, texts(example_engine, state).index("Take the next ferry home") + 1)
    assert step.ending is not None and step.ending.id == "gone"
    view = example_engine.view(step.state)
    assert view.ending is not None and view.ending.title == "The lamp stays dark"
    assert view.choices == ()
    with pytest.raises(ChoiceError):
        example_engine.choose(step.state, 1)


def test_a_choice_not_on_offer_is_refused(example_engine: Engine) -> None:
    state = example_engine.new_game()
    with pytest.raises(ChoiceError, match="from 1 to 3"):
        example_engine.choose(state, 4)
    hidden = example_engine.story.scenes["jetty"].choices[1]
    with pytest.raises(ChoiceError, match="not on offer"):
        example_engine.choose(state, hidden)


def test_the_log_records_every_choice_taken(example_engine: Engine) -> None:
    state = pick(example_engine, example_engine.new_game(), "Climb to the lighthouse")
    state = pick(example_engine, state, "Read the ledger")
    assert [(entry.scene, entry.choice) for entry in state.log] == [
        ("shore", "Climb to the lighthouse"),
        ("tower", "Read the ledger"),
    ]


def random_walk(engine: Engine, seed: int, steps: int) -> list[GameState]:
    """States along a seeded random playthrough."""
    import random

    rng = random.Random(seed)
    state = engine.new_game(seed)
    states = [state]
    for _ in range(steps):
        choices = engine.choices(state)
        if state.ending or not choices:
            break
        picked = choices[rng.randrange(len(choices))]
        state = engine.choose(state, picked, random_given(engine.story, state, picked, rng)).state
        states.append(state)
    return states


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), steps=st.integers(min_value=0, max_value=40))
def test_game_state_round_trips_through_json_at_any_point(example: Story, seed: int, steps: int) -> None:
    engine = Engine(example)
    for state in random_walk(engine, seed, steps):
        text = json.dumps(state.to_json())
        again = GameState.from_json(json.loads(text))
        assert again == state
        assert engine.view(again) == engine.view(state)


def test_the_engine_is_deterministic(example: Story) -> None:
    first = [s.to_json() for s in random_walk(Engine(example), 42, 30)]
    second = [s.to_json() for s in random_walk(Engine(example), 42, 30)]
    assert first == second


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.pop("scene"), "has no 'scene'"),
        (lambda d: d.update(flags="met"), "wrong value"),
        (lambda d: d.update(version=99), "unknown game state version"),
        (lambda d: d.update(seed=True), "wrong value"),
    ],
)
def test_a_broken_state_is_refused_with_a_reason(example_engine: Engine, change, reason: str) -> None:  # type: ignore[no-untyped-def]
    data = example_engine.new_game().to_json()
    change(data)
    with pytest.raises(ValueError, match=reason):
        GameState.from_json(data)


def memory_per_choice(engine: Engine, choices: int) -> float:
    """Bytes kept per choice by a run of `choices` steps, all kept for undo (the lamp room, round and round)."""
    run = Run.new(engine)
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(choices):  # up to the lamp room and down again, round and round
            run.choose(len(engine.choices(run.state)) if run.state.scene == "tower" else 1)
        used = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    assert len(run.history) == choices + 1
    return used / choices


def test_undo_memory_per_choice_does_not_grow_with_the_run(example_engine: Engine) -> None:
    """Every state is kept for undo; its choice log must be shared, not copied (that was n² memory)."""
    short, long = memory_per_choice(example_engine, 200), memory_per_choice(example_engine, 2_000)
    assert long < short * 1.5, (short, long)


def test_a_shared_log_still_compares_and_round_trips_like_a_list(example_engine: Engine) -> None:
    run = Run.new(example_engine)
    for _ in range(5):
        run.choose(len(example_engine.choices(run.state)) if run.state.scene == "tower" else 1)
    state = run.state
    assert len(state.log) == 5 and state.log[-1] == list(state.log)[4] and state.log[0].scene == "shore"
    assert run.history[2].log == list(state.log)[:2], "an earlier state keeps its own, shorter log"
    assert GameState.from_json(json.loads(json.dumps(state.to_json()))) == state
    changed = state.copy()
    changed.log.append(state.log[0])
    assert changed != state and len(state.log) == 5


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), steps=st.integers(min_value=1, max_value=40))
def test_no_choice_changes_a_state_made_before_it(example: Story, seed: int, steps: int) -> None:
    """States share what a choice left alone; whatever a choice changes, the states before it stay as they were."""
    engine = Engine(example)
    rng = random.Random(seed)
    states, snapshots = [engine.new_game(seed)], [engine.new_game(seed).to_json()]
    for _ in range(steps):
        state = states[rng.randrange(len(states))]  # branch from anywhere, as undo then a new choice does
        choices = engine.choices(state)
        if state.ending or not choices:
            continue
        picked = choices[rng.randrange(len(choices))]
        after = engine.choose(state, picked, random_given(engine.story, state, picked, rng)).state
        states.append(after)
        snapshots.append(after.to_json())
    assert [state.to_json() for state in states] == snapshots


def ring_story(root: Path, scenes: int) -> Story:
    """Scenes in a ring, each raising a counter and leading to the next: a run visits ever more scenes."""
    (root / "scenes").mkdir(parents=True)
    (root / "story.yaml").write_text(
        "id: ring\ntitle: Ring\nstart: s0\nbeats:\n  initial: only\n  states: [only]\n"
        "endings:\n  done:\n    title: Done\n    text: The end.\n",
        encoding="utf-8",
    )
    (root / "characters.yaml").write_text('ana:\n  name: Ana\n  color: "#88aacc"\n', encoding="utf-8")
    (root / "clues.yaml").write_text("{}\n", encoding="utf-8")
    (root / "scenes" / "ring.yaml").write_text(
        "".join(
            f"s{i}:\n  beat: only\n  title: Scene {i}\n  on_enter:\n    - add: {{laps: 1}}\n"
            f"  lines:\n    - ana: Round we go.\n  choices:\n    - say: On\n      goto: s{(i + 1) % scenes}\n"
            f"    - say: Stop\n      if: laps > {10 * scenes}\n      ending: done\n"
            for i in range(scenes)
        ),
        encoding="utf-8",
    )
    return load_story(root)


def bytes_of_one_step(engine: Engine, state: GameState) -> int:
    """The memory one choice allocates, at its peak: what it copies shows here."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        engine.choose(state, 1)
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_a_step_costs_the_same_at_choice_2000_as_at_choice_5(tmp_path: Path) -> None:
    """A step shares the run's log and visit counts with the state before, so what it copies does not grow."""
    engine = Engine(ring_story(tmp_path / "ring", 2_000))
    state = engine.new_game()
    early = 0
    for taken in range(2_000):
        if taken == 5:
            early = bytes_of_one_step(engine, state)
        state = engine.choose(state, 1).state
    assert len(state.visits) == 2_000
    late = bytes_of_one_step(engine, state)
    assert late < early * 1.5 + 200, (early, late)


def test_every_kind_of_effect_names_the_part_of_a_state_it_changes() -> None:
    """The engine copies that part before an effect changes it (states share the rest): a kind without one
    would change the states before it."""
    fields = GameState.__dataclass_fields__
    assert set(EFFECT_FIELDS) == set(EFFECT_KINDS)
    assert all(name in fields and fields[name].default_factory in (set, dict) for name in EFFECT_FIELDS.values())


def test_a_view_shows_exactly_the_lines_whose_conditions_hold(story: Story) -> None:
    """The engine tests a scene's lines in runs under one condition; what it shows is still line by line."""
    engine = Engine(story)
    seen = 0
    for seed in range(12):
        for state in random_walk(engine, seed, 60):
            scene = story.scenes[state.scene]
            expected = tuple(line for line in scene.lines if line.condition is None or line.condition(state))
            assert engine.view(state).lines == expected, scene.id
            seen += len(scene.lines) - len(expected)
    assert seen > 100, "the walks met lines whose conditions do not hold"
