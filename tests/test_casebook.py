"""The casebook and the suspects board: what a player has learnt, derived from the run alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from game.engine.casebook import UNKNOWN, casebook, has_met, suspects_board
from game.engine.engine import Engine
from game.engine.state import GameState
from game.story.loader import load_story
from game.story.model import Story

EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "docs" / "examples" / "lighthouse"


def pick(engine: Engine, state: GameState, text: str) -> GameState:
    number = [choice.text for choice in engine.choices(state)].index(text) + 1
    return engine.choose(state, number).state


def test_a_new_player_has_an_empty_casebook_and_knows_nothing_of_any_suspect(example_engine: Engine) -> None:
    story, state = example_engine.story, example_engine.new_game()
    assert casebook(story, state) == ()
    (agnes,) = suspects_board(story, state)
    assert agnes.character.name == "Agnes the fisher"
    assert not agnes.met
    assert [agnes.summary(aspect) for aspect in ("motive", "means", "opportunity", "alibi")] == [UNKNOWN] * 4
    assert agnes.known_count == 0


def test_a_clue_found_is_written_with_its_description_and_the_scene_it_was_found_in(example_engine: Engine) -> None:
    state = pick(example_engine, example_engine.new_game(), "Climb to the lighthouse")
    state = pick(example_engine, state, "Read the ledger")
    (entry,) = casebook(example_engine.story, state)
    assert entry.clue.name == "The keeper's ledger"
    assert entry.clue.description.startswith("The last entry reads")
    assert (entry.scene_id, entry.found) == ("tower", "The lamp room, Top of the lighthouse")


def test_the_board_fills_motive_and_means_from_the_clues_in_the_order_found(example_engine: Engine) -> None:
    engine = example_engine
    state = engine.new_game()
    for text in ["Walk down to the jetty", "Look at the empty mooring", "Leave her to her nets"]:
        state = pick(engine, state, text)
    (agnes,) = suspects_board(engine.story, state)
    assert agnes.met, "Agnes speaks on the jetty"
    assert (agnes.summary("motive"), agnes.summary("means")) == (UNKNOWN, "A cut mooring rope")
    for text in ["Climb to the lighthouse", "Read the ledger"]:
        state = pick(engine, state, text)
    (agnes,) = suspects_board(engine.story, state)
    assert agnes.summary("motive") == "The keeper's ledger"
    assert agnes.known("means") and not agnes.known("opportunity")
    assert agnes.known_count == 2
    assert [entry.clue.id for entry in casebook(engine.story, state)] == ["cut_rope", "ledger"]


def test_a_clue_lost_again_leaves_the_casebook_and_the_board(example_engine: Engine) -> None:
    state = pick(example_engine, example_engine.new_game(), "Climb to the lighthouse")
    state = pick(example_engine, state, "Read the ledger")
    del state.clues["ledger"]
    assert casebook(example_engine.story, state) == ()
    assert not suspects_board(example_engine.story, state)[0].known("motive")


def test_a_save_naming_a_clue_or_scene_the_story_no_longer_has_still_shows(example: Story) -> None:
    state = GameState(scene="shore", beat="search", clues={"ghost_clue": "shore", "ledger": "old_scene"})
    (entry,) = casebook(example, state)
    assert (entry.clue.id, entry.found) == ("ledger", "old_scene")
    state.visits = state.visits.set("vanished_scene", 1)
    assert not has_met(example, state, "fisher")


def test_every_clue_of_the_season_lands_on_the_suspects_and_aspects_it_names(story: Story) -> None:
    state = Engine(story).new_game()
    for clue_id in story.clues:
        state.clues[clue_id] = story.start
    board = {file.character.id: file for file in suspects_board(story, state)}
    assert list(board) == [c.id for c in story.suspects]
    for clue in story.clues.values():
        for suspect, aspect in clue.bears_on.items():
            if suspect in board:
                assert clue in board[suspect].leads[aspect], f"{clue.id} -> {suspect} {aspect}"
                assert clue.name in board[suspect].summary(aspect)
    assert len(casebook(story, state)) == len(story.clues)


def test_several_clues_on_one_aspect_are_all_listed(make_story: Callable[..., Path]) -> None:
    clues = (EXAMPLE_DIR / "clues.yaml").read_text(encoding="utf-8")
    extra = "boat_bill:\n  name: An unpaid bill\n  description: For a boat.\n  bears_on:\n    fisher: motive\n"
    story = load_story(make_story({"clues.yaml": clues + extra}))
    state = GameState(scene="shore", beat="search", clues={"boat_bill": "jetty", "ledger": "tower"})
    (agnes,) = suspects_board(story, state)
    assert agnes.leads["motive"] == (story.clues["boat_bill"], story.clues["ledger"])
    assert agnes.summary("motive") == "An unpaid bill; The keeper's ledger"


def test_a_conditional_line_only_counts_as_meeting_when_its_condition_holds(example: Story) -> None:
    engine = Engine(example)
    state = pick(engine, engine.new_game(), "Walk down to the jetty")
    assert has_met(example, state, "fisher")
    assert has_met(example, state, "you")
    assert not has_met(example, state, "keeper"), "the keeper only speaks as the voiceover, not by name"
