"""Saves that survive wording edits: a run replays to the same place after choices are reworded or reordered."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.deduce import representative_givens
from game.engine.engine import Engine
from game.engine.matching import confusable_choices, match_choice
from game.engine.run import Run, carry_over
from game.engine.state import GameState, LoggedChoice
from game.story.loader import load_story
from game.story.model import Choice, Story

from support import EXAMPLE_DIR, WriteStory, archer

LIGHTHOUSE = load_story(EXAMPLE_DIR, use_cache=False)


def polish(text: str, how: int) -> str:
    """The small edits authors make: punctuation, capitals, a word more or less."""
    words = text.split()
    return [
        text.rstrip(".!") + ".",
        text.replace("'", "’").replace(",", ""),
        text.lower().capitalize(),
        " ".join([*words, "now"]),
        " ".join(words[:-1]) + (" " + words[-1] + "s" if words else ""),
        text,
    ][how % 6]


def edited(story: Story, edits: st.DataObject) -> Story:
    """The story with every choice's text polished and each scene's choices shuffled."""
    scenes = {}
    for scene in story.scenes.values():
        choices: list[Choice] = []
        for choice in scene.choices:
            text = polish(choice.text, edits.draw(st.integers(0, 5)))
            key = text if choice.key == choice.text else choice.key
            choices.append(dataclasses.replace(choice, text=text, key=key))
        order = edits.draw(st.permutations(choices))
        scenes[scene.id] = dataclasses.replace(scene, choices=tuple(order))
    return dataclasses.replace(story, scenes=scenes, digest="edited")


def play(engine: Engine, picks: list[int]) -> GameState:
    state = engine.new_game()
    for pick in picks:
        offered = engine.choices(state)
        if state.ending is not None or not offered:
            break
        choice = offered[pick % len(offered)]
        given = next(iter(representative_givens(engine.story, state, choice)), ())  # a deduction: all right
        state = engine.choose(state, choice, given).state
    return state


def without_targets(state: GameState) -> GameState:
    """The same run as a save written before choices logged their targets."""
    data = state.to_json()
    data["log"] = [{k: v for k, v in entry.items() if k != "target"} for entry in data["log"]]
    return GameState.from_json(data)


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.integers(0, 5), min_size=1, max_size=12), edits=st.data(), old_save=st.booleans())
def test_an_old_save_replays_to_the_same_place_after_choices_are_polished_and_reordered(
    picks: list[int], edits: st.DataObject, old_save: bool
) -> None:
    saved = play(Engine(LIGHTHOUSE), picks)
    if old_save:
        saved = without_targets(saved)
        assert all(e.target == "" for e in saved.log)
    engine = Engine(edited(LIGHTHOUSE, edits))
    run, notice = carry_over(engine, GameState.from_json(saved.to_json()), "since your save")
    assert "your" in notice and "choices were replayed" in notice, notice
    restored = run.state
    assert (restored.scene, restored.ending, restored.beat) == (saved.scene, saved.ending, saved.beat)
    assert (restored.clues.keys(), restored.flags, restored.counters) == (
        saved.clues.keys(),
        saved.flags,
        saved.counters,
    )


def test_the_log_keeps_each_choice_target_and_saves_without_it_still_load() -> None:
    engine = Engine(LIGHTHOUSE)
    state = play(engine, [1, 1])
    assert [e.target for e in state.log] == ["jetty", "shore"]
    assert GameState.from_json(state.to_json()) == state
    old = without_targets(state)
    assert all(e.target == "" for e in old.log)
    resumed = Run.resume(engine, old)
    assert len(resumed.history) == 3  # the whole run rebuilt, so undo reaches its start


def choice(text: str, goto: str, key: str | None = None) -> Choice:
    return Choice(key or text, text, goto, None, None, False, (), None, "scenes/x.yaml:1")


def test_matching_prefers_the_key_then_the_one_target_then_close_words() -> None:
    offered = [
        choice("Ask about the boat", "jetty"),
        choice("Ask about the lamp", "tower"),
        choice("Ask about the lamp, again", "tower"),
    ]
    assert match_choice(offered, LoggedChoice("s", "Ask about the lamp", "Ask about the lamp", "tower")) is offered[1]
    assert match_choice(offered, LoggedChoice("s", "Ask about boats", "Ask about boats", "jetty")) is offered[0]
    # two choices lead to the tower: the closer words decide
    assert (
        match_choice(offered, LoggedChoice("s", "Ask about the lamp again!", "Ask about the lamp again!", "tower"))
        is offered[2]
    )
    # an old save without a target: the words alone, when close enough
    assert match_choice(offered, LoggedChoice("s", "ask about the Boat.", "ask about the Boat.")) is offered[0]
    assert match_choice(offered, LoggedChoice("s", "Run for the ferry", "Run for the ferry")) is None


def test_check_warns_when_two_choices_could_be_confused(make_story: WriteStory) -> None:
    scenes = (EXAMPLE_DIR / "scenes" / "island.yaml").read_text(encoding="utf-8")
    twin = (
        "    - say: Go back down\n      goto: shore\n    - say: Go back down!\n      if: has(ledger)\n      goto: shore"
    )
    root: Path = make_story({"scenes/island.yaml": scenes.replace("    - say: Go back down\n      goto: shore", twin)})
    found = [str(f) for f in confusable_choices(load_story(root, use_cache=False))]
    assert len(found) == 1, found
    assert "'Go back down' (line" in found[0] and "nearly the same words" in found[0]
    assert confusable_choices(LIGHTHOUSE) == []
    assert "warning: the choices 'Go back down'" in archer("check", str(root)).stdout
