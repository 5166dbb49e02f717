"""The soft-lock proof that scales (issue 16): live variables, a budget, traps once each, and the reduced
search finding exactly what the full search finds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.engine import Engine
from game.engine.explore import Budget, explore
from game.engine.liveness import Liveness
from game.story.conditions import Effect, parse_condition
from game.story.loader import load_story
from game.story.model import Beat, Choice, Ending, Scene, Story

from conftest import EXAMPLE_DIR, WriteStory, archer


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
    engine = Engine(load_story(make_story(many_rooms(6))))
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
    assert "proof cut short by its budget (2 s, 500 MB)" in quick.stderr
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
