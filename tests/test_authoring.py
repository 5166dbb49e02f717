"""The authoring kit as an author meets it: warnings, the soft-lock proof, autoplay, graphs, schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.engine.autoplay import autoplay
from game.engine.engine import Engine
from game.engine.explore import explore
from game.story.check import check_story
from game.story.graph import to_dot, to_mermaid
from game.story.loader import load_story
from game.story.schema import render_schemas

from conftest import EXAMPLE_DIR, STORY_DIR, WriteStory, archer


def warnings(root: Path) -> list[str]:
    _, findings = check_story(root)
    return [str(f).replace(f"{root.as_posix()}/", "") for f in findings if f.severity == "warning"]


ORPHAN = """
orphan:
  beat: search
  title: Nobody comes here
  lines:
    - you: Hello?
  choices:
    - say: Leave
      goto: shore
"""


def test_a_scene_no_path_reaches_is_a_warning(make_story: WriteStory) -> None:
    assert warnings(make_story({"scenes/orphan.yaml": ORPHAN})) == [
        "scenes/orphan.yaml:1: warning: scene 'orphan' cannot be reached from the start scene 'shore'",
    ]


def test_clues_never_given_or_never_used_and_silent_characters_are_warnings(make_story: WriteStory) -> None:
    clues = (EXAMPLE_DIR / "clues.yaml").read_text() + "lantern:\n  name: A lantern\n  description: Cold.\n"
    clues += "net:\n  name: A torn net\n  description: Old.\n"
    characters = (EXAMPLE_DIR / "characters.yaml").read_text() + 'ghost:\n  name: Ghost\n  colour: "#999999"\n'
    island = (EXAMPLE_DIR / "scenes" / "island.yaml").read_text()
    island = island.replace("        - gain: cut_rope\n", "        - gain: cut_rope\n        - gain: net\n")
    found = warnings(make_story({"clues.yaml": clues, "characters.yaml": characters, "scenes/island.yaml": island}))
    assert "characters.yaml:14: warning: character 'ghost' never speaks" in found
    assert "clues.yaml:11: warning: clue 'lantern' is never given: no 'gain: lantern' anywhere" in found
    assert "clues.yaml:14: warning: clue 'net' is never used: no condition asks has(net)" in found
    assert not any("'cut_rope' is never used" in line for line in found), "a deduction's answer is a use"


def test_an_ending_no_choice_reaches_and_a_scene_with_no_way_out_are_warnings(make_story: WriteStory) -> None:
    story_yaml = (EXAMPLE_DIR / "story.yaml").read_text() + "  lost:\n    title: Lost\n    text: Nobody gets here.\n"
    dead_end = "dead_end:\n  beat: search\n  title: A wall\n  choices: []\n"
    island = (
        (EXAMPLE_DIR / "scenes" / "island.yaml")
        .read_text()
        .replace(
            "    - say: Go back down\n      goto: shore\n",
            "    - say: Go back down\n      goto: shore\n    - say: Squeeze behind the lamp\n      goto: dead_end\n",
        )
    )
    found = warnings(make_story({"story.yaml": story_yaml, "scenes/island.yaml": island, "scenes/dead.yaml": dead_end}))
    assert "story.yaml:28: warning: ending 'lost' is never reached: no reachable choice leads to it" in found
    assert (
        "scenes/dead.yaml:1: warning: scene 'dead_end' has no choices and is not an ending: a player there is stuck"
        in found
    )


def test_strict_turns_warnings_into_errors_and_json_is_one_object_a_finding(make_story: WriteStory) -> None:
    root = make_story({"scenes/orphan.yaml": ORPHAN})
    assert archer("check", str(root)).returncode == 0
    strict = archer("check", str(root), "--strict", "--format", "json")
    assert strict.returncode == 1
    [finding] = [f for f in json.loads(strict.stdout) if "cannot be reached" in f["message"]]
    assert finding == {
        "file": f"{root.as_posix()}/scenes/orphan.yaml",
        "line": 1,
        "message": "scene 'orphan' cannot be reached from the start scene 'shore'",
        "severity": "error",
    }


TRAP = {
    "scenes/cellar.yaml": """
    cellar:
      beat: search
      title: The cellar
      lines:
        - narrator: The door swings shut behind you.
      choices:
        - say: Climb out with the ledger's key
          if: has(ledger)
          goto: shore
    """,
}


def planted_trap(make_story: WriteStory) -> Path:
    island = (
        (EXAMPLE_DIR / "scenes" / "island.yaml")
        .read_text()
        .replace(
            "    - say: Take the next ferry home\n      ending: gone\n",
            "    - say: Take the next ferry home\n      ending: gone\n    - say: Go down to the cellar\n      goto: cellar\n",
        )
    )
    return make_story({**TRAP, "scenes/island.yaml": island})


def test_the_soft_lock_proof_finds_a_planted_trap_and_its_shortest_path(make_story: WriteStory) -> None:
    root = planted_trap(make_story)
    result = explore(Engine(load_story(root)))
    assert result.complete
    [(path, state)] = result.traps[:1]
    assert state.scene == "cellar"
    assert path == ["Go down to the cellar"]
    report = archer("check", str(root), "--deep")
    assert report.returncode == 1
    assert (
        f"{root.as_posix()}/scenes/cellar.yaml:1: soft-lock: a player can get stuck in scene 'cellar', with no way left "
        "to any ending; shortest path from the start: 'Go down to the cellar'"
    ) in report.stdout


def test_a_trap_in_a_loop_with_no_exit_is_found_too(make_story: WriteStory) -> None:
    loop = {
        "scenes/maze.yaml": """
        maze:
          beat: search
          title: The maze
          choices:
            - say: Left
              goto: maze_b
        maze_b:
          beat: search
          title: Still the maze
          choices:
            - say: Right
              goto: maze
        """
    }
    island = (
        (EXAMPLE_DIR / "scenes" / "island.yaml")
        .read_text()
        .replace(
            "    - say: Go back down\n      goto: shore\n",
            "    - say: Go back down\n      goto: shore\n    - say: Take the back stair\n      goto: maze\n",
        )
    )
    result = explore(Engine(load_story(make_story({**loop, "scenes/island.yaml": island}))))
    assert result.traps[0][0] == ["Climb to the lighthouse", "Take the back stair"]


def test_the_exploration_says_when_it_is_cut_short(example_engine: Engine) -> None:
    result = explore(example_engine, limit=5)
    assert not result.complete and result.states == 5 and result.traps == []


def test_the_shipped_story_and_the_example_have_no_soft_lock() -> None:
    for root in (STORY_DIR, EXAMPLE_DIR):
        result = explore(Engine(load_story(root)), limit=2_000_000)
        assert result.complete and result.traps == [], root
        assert result.endings == set(load_story(root).endings), "every ending is reachable"
        assert result.scenes == set(load_story(root).scenes), "every scene is reachable"


def test_autoplay_reports_endings_coverage_and_a_planted_unreachable_scene(make_story: WriteStory) -> None:
    engine = Engine(load_story(make_story({"scenes/orphan.yaml": ORPHAN})))
    report = autoplay(engine, runs=300)
    assert sum(report.endings.values()) == 300 and set(report.endings) == {"gone", "found"}
    assert report.unvisited(engine) == ["orphan"]
    assert report.ok
    printed = archer("autoplay", str(make_story({"scenes/orphan.yaml": ORPHAN})), "--runs", "300")
    assert "Scenes visited: 4 of 5\n  never visited: orphan" in printed.stdout


def test_autoplay_reports_a_stuck_run_with_its_seed(make_story: WriteStory) -> None:
    engine = Engine(load_story(planted_trap(make_story)))
    report = autoplay(engine, runs=200)
    assert report.stuck and all(scene == "cellar" for _, scene in report.stuck)
    seed = report.stuck[0][0]
    again = autoplay(engine, runs=1, first_seed=seed)
    assert again.stuck == [(seed, "cellar")], "the seed replays the same run"


def test_graphs_show_beats_scenes_conditional_edges_and_endings(example) -> None:  # type: ignore[no-untyped-def]
    mermaid = to_mermaid(example)
    assert 'subgraph beat_search["Part One: The Search"]' in mermaid
    assert 'scene_confrontation -.->|"Show her the cut rope [if has(cut_rope)]"| ending_found' in mermaid
    assert 'scene_jetty -->|"Tell Agnes what the ledger … ⟶ accuse"| scene_confrontation' in mermaid
    dot = to_dot(example)
    assert '"confrontation" -> "ending_found" [label="Show her the cut rope [if has(cut_rope)]", style=dashed];' in dot
    beats = archer("graph", str(EXAMPLE_DIR), "--format", "beats").stdout
    assert "search --> accusation: accuse [has(ledger) and resolve >= 1]" in beats


def test_the_schemas_are_current_and_every_scene_file_points_at_one() -> None:
    for name, text in render_schemas().items():
        assert (STORY_DIR / "schema" / name).read_text(encoding="utf-8") == text, (
            f"run: python -m game.story.schema story/schema ({name})"
        )
    for path in sorted((STORY_DIR / "scenes").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/scene.schema.json", path


@pytest.mark.parametrize("root", [STORY_DIR, EXAMPLE_DIR], ids=["story", "example"])
def test_the_schemas_accept_the_stories_and_refuse_a_mistake(root: Path) -> None:
    schemas = {name: json.loads(text) for name, text in render_schemas().items()}
    for path in sorted(root.rglob("*.yaml")):
        kind = {
            "story.yaml": "story",
            "characters.yaml": "characters",
            "clues.yaml": "clues",
            "deductions.yaml": "deductions",
        }.get(path.name, "scene")
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schemas[f"{kind}.schema.json"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"lantern": {"beat": "search", "titel": "x", "choices": []}}, schemas["scene.schema.json"])


def test_a_script_file_plays_and_prints_the_transcript(tmp_path: Path) -> None:
    script = tmp_path / "run.keys"
    script.write_text("1\n1\ncasebook\n")
    result = archer("--plain", "--story", str(EXAMPLE_DIR), "--script", str(script))
    assert result.returncode == 0
    assert "> 1\n\n-- The lamp room · Top of the lighthouse --" in result.stdout
    assert "> casebook\nCasebook:\n- The keeper's ledger (found: The lamp room)." in result.stdout


def test_the_example_story_passes_the_deep_check_and_plays_to_an_ending() -> None:
    check = archer("check", str(EXAMPLE_DIR), "--deep", "--strict")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "explored all" in check.stderr
    play = archer("--plain", "--story", str(EXAMPLE_DIR), stdin="1\n1\n1\n2\n1\n1\n1\n")
    assert "== The end: The keeper comes home ==" in play.stdout
