"""The authoring kit as an author meets it: warnings, the soft-lock proof, autoplay, graphs, schemas."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.engine.autoplay import autoplay
from game.engine.engine import Engine
from game.engine.explore import Budget, explore
from game.story.check import check_story
from game.story.graph import to_dot, to_mermaid
from game.story.loader import load_story
from game.story.model import Story
from game.story.schema import render_schemas

from support import EXAMPLE_DIR, STORY_DIR, WriteStory, archer


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
    characters = (EXAMPLE_DIR / "characters.yaml").read_text() + 'ghost:\n  name: Ghost\n  color: "#999999"\n'
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
        "code": "A301 unreachable-scene",
        "column": 0,
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
    [trap] = result.traps
    assert trap.scenes == ("cellar",) and trap.dead_end
    assert trap.path == ["Go down to the cellar"]
    assert trap.no_return == ("shore", "Go down to the cellar")
    report = archer("check", str(root))
    assert report.returncode == 1
    assert (
        f"{root.as_posix()}/scenes/cellar.yaml:1: soft-lock: a player can get stuck in scene 'cellar' with no choice "
        "on offer; shortest path from the start: 'Go down to the cellar'; the point of no return is choosing "
        "'Go down to the cellar' in scene 'shore' [A401 soft-lock]"
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
    [trap] = result.traps
    assert trap.path == ["Climb to the lighthouse", "Take the back stair"]
    assert trap.scenes == ("maze", "maze_b") and not trap.dead_end


def test_the_exploration_says_when_it_is_cut_short(example_engine: Engine) -> None:
    result = explore(example_engine, limit=5)
    assert not result.complete and result.states == 5 and result.traps == []


def proven_sound(loaded: Story) -> None:
    result = explore(Engine(loaded), budget=Budget(seconds=None, megabytes=16_000))  # the machine has 24 GB
    assert result.complete and result.traps == [], loaded.root
    assert result.endings == set(loaded.endings), "every ending is reachable"
    assert result.scenes == set(loaded.scenes), "every scene is reachable"


def test_the_example_has_no_soft_lock(example: Story) -> None:
    proven_sound(example)


@pytest.mark.long  # 3.6 million states, 47 s of CPU, 0.85 GB (2.8 GB before states were ints) (`make test-long`)
def test_the_shipped_story_has_no_soft_lock(story: Story) -> None:
    proven_sound(story)


def test_the_shipped_story_has_no_soft_lock_within_the_default_budget(story: Story) -> None:
    """What `archer check story` proves in its 2 s: no trap among the states it reaches."""
    result = explore(Engine(story))
    assert result.traps == [] and result.states > 1_000


def test_autoplay_reports_endings_coverage_and_a_planted_unreachable_scene(make_story: WriteStory) -> None:
    engine = Engine(load_story(make_story({"scenes/orphan.yaml": ORPHAN})))
    report = autoplay(engine, runs=300, mode="random")
    assert sum(report.endings.values()) == 300 and set(report.endings) == {"gone", "found"}
    assert report.unvisited(engine) == ["orphan"]
    assert report.ok
    printed = archer("autoplay", str(make_story({"scenes/orphan.yaml": ORPHAN})), "--runs", "300")
    assert "Scenes visited: 4 of 5\n  never visited: orphan" in printed.stdout


def test_autoplay_reports_a_stuck_run_with_its_seed(make_story: WriteStory) -> None:
    engine = Engine(load_story(planted_trap(make_story)))
    report = autoplay(engine, runs=200, mode="random")
    assert report.stuck and all(run.scene == "cellar" for run in report.stuck)
    seed = report.stuck[0].seed
    again = autoplay(engine, runs=1, first_seed=seed, mode="random")
    assert [(run.seed, run.scene) for run in again.stuck] == [(seed, "cellar")], "the seed replays the same run"


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


def deep_chain(depth: int) -> dict[str, str]:
    """A corridor of `depth` rooms, each with two ways out to early endings and one way on to the deep one."""
    header = (EXAMPLE_DIR / "story.yaml").read_text() + "  deep:\n    title: Deep\n    text: All the way down.\n"
    rooms = []
    for i in range(depth):
        onward = f"goto: room{i + 1}" if i + 1 < depth else "ending: deep"
        rooms.append(
            f"room{i}:\n  beat: search\n  title: Room {i}\n  choices:\n"
            f"    - say: Give up\n      ending: gone\n    - say: Run\n      ending: gone\n"
            f"    - say: Go on\n      {onward}\n"
        )
    island = (
        (EXAMPLE_DIR / "scenes" / "island.yaml")
        .read_text()
        .replace(
            "    - say: Take the next ferry home\n",
            "    - say: Down the well\n      goto: room0\n    - say: Take the next ferry home\n",
        )
    )
    return {"story.yaml": header, "scenes/chain.yaml": "".join(rooms), "scenes/island.yaml": island}


def test_autoplay_by_default_explores_until_it_reaches_a_deep_ending(make_story: WriteStory) -> None:
    engine = Engine(load_story(make_story(deep_chain(8))))
    assert autoplay(engine, runs=200, mode="random").endings["deep"] == 0, "1 chance in 6,561 a run"
    explored = autoplay(engine, runs=200)
    assert explored.endings["deep"] >= 1
    assert set(explored.endings) == set(engine.story.endings)


def test_autoplay_totals_add_up_and_a_stuck_run_prints_its_choices_and_folder(make_story: WriteStory) -> None:
    root = planted_trap(make_story)
    engine = Engine(load_story(root))
    report = autoplay(engine, runs=50, max_choices=3)
    total = sum(report.endings.values()) + len(report.stuck) + len(report.too_long) + len(report.crashed)
    assert total == 50 and report.stuck and report.too_long
    record = report.stuck[0]
    state = engine.new_game(record.seed)
    for number in record.choices:
        state = engine.choose(state, number).state
    assert state.scene == "cellar" and not engine.choices(state), "the printed choices replay the run"
    printed = archer("autoplay", str(root), "--runs", "50", "--max-choices", "3").stdout
    keys = "\\n".join(map(str, record.choices))
    assert f"replay: printf '{keys}\\n' | archer --plain --story {root}" in printed
    shares = [line for line in printed.splitlines() if line.startswith(("  ", "Stuck", "Too long")) and "%)" in line]
    assert sum(int(line.split(": ")[1].split(" ")[0]) for line in shares) == 50, printed


def test_autoplay_json_and_counts_below_one_refused(make_story: WriteStory) -> None:
    data = json.loads(archer("autoplay", str(EXAMPLE_DIR), "--runs", "20", "--format", "json").stdout)
    assert data["runs"] == 20 and sum(data["endings"].values()) + len(data["stuck"]) + len(data["too_long"]) == 20
    for bad in ("-3", "0"):
        refused = archer("autoplay", str(EXAMPLE_DIR), "--runs", bad)
        assert refused.returncode == 2 and f"must be at least 1, not {int(bad)}" in refused.stderr
        assert "playthroughs" not in refused.stdout
    with pytest.raises(ValueError, match="at least 1"):
        autoplay(Engine(load_story(EXAMPLE_DIR)), runs=0)


def test_the_beats_map_renders_to_svg_and_its_text_ends_with_a_newline(tmp_path: Path) -> None:
    fake_dot = tmp_path / "bin" / "dot"
    fake_dot.parent.mkdir()
    fake_dot.write_text('#!/bin/sh\ncat > "$3"\n')  # archer calls: dot -Tsvg -o FILE, the drawing on stdin
    fake_dot.chmod(0o755)
    target = tmp_path / "beats.svg"
    path = f"{fake_dot.parent}:{os.environ['PATH']}"
    drawn = archer("graph", str(EXAMPLE_DIR), "--format", "beats", "--svg", str(target), env={"PATH": path})
    assert drawn.returncode == 0, drawn.stderr
    text = target.read_text()
    assert '"search" -> "accusation" [label="accuse [has(ledger) and resolve >= 1]"];' in text
    assert "cluster_" not in text, "the beats, not the scene map"
    assert archer("graph", str(EXAMPLE_DIR), "--format", "beats").stdout.endswith("\n")


KNOCK_ON = {
    "scenes/a.yaml": "attic:\n  beat: search\n  title: Attic\n  choices:\n    - say: Open it\n      if: opened\n"
    "      goto: shore\n",
    "scenes/z.yaml": "zone:\n  beat: search\n  title: Zone\n  choices:\n    - say: Open\n      do:\n"
    "        - set: Opened\n      goto: attic\n",
}


def test_findings_have_codes_and_a_knock_on_error_comes_after_its_cause(make_story: WriteStory) -> None:
    root = make_story(KNOCK_ON)
    lines = archer("check", str(root)).stdout.splitlines()
    assert lines == [
        f"{root.as_posix()}/scenes/z.yaml:7: bad effect in the choice 'Open': 'set' takes one id (lower-case letters, "
        "digits and _), not 'Opened' [A107 bad-effect]",
        f"{root.as_posix()}/scenes/a.yaml:6: flag 'opened' is never set by any effect [A202 never-set]",
    ]


def test_check_speaks_sarif_and_github_annotations(make_story: WriteStory) -> None:
    root = make_story({**KNOCK_ON, "scenes/orphan.yaml": ORPHAN.replace("goto: shore", "goto: attic")})
    github = archer("check", str(root), "--format", "github").stdout.splitlines()
    assert github[0] == (
        f"::error file={root.as_posix()}/scenes/z.yaml,line=7,title=A107 bad-effect::bad effect in the choice 'Open'"
        ": 'set' takes one id (lower-case letters, digits and _), not 'Opened'"
    )
    sarif = json.loads(archer("check", str(root), "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    [run] = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    first = run["results"][0]
    assert first["ruleId"] == "A107" and rules[first["ruleIndex"]]["id"] == "A107" and first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": f"{root.as_posix()}/scenes/z.yaml"}, "region": {"startLine": 7}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'x:\n  beat: search\n  title: ""\n  choices: [{say: Go, goto: shore}]\n',
            "3: 'title' in scene 'x' is empty text",
        ),
        ("x:\n  beat: search\n  title: X\n  choices:\n    - say: ''\n      goto: shore\n", "5: 'say' in a choice"),
        (
            'x:\n  beat: search\n  title: X\n  lines:\n    - agnes: ""\n  choices: [{say: Go, goto: shore}]\n',
            "5: the line of 'agnes' in scene 'x' is empty text",
        ),
        ("x:\n  beat: search\n  title: X\n  choices:\n\t- say: Go\n      goto: shore\n", "5:1: YAML syntax: "),
        (
            "x:\n  beat: search\n  title: X\n  choices:\n    - say: Go\n      goto: shore\n    once: true\n",
            "7:5: YAML syntax: ",
        ),
        ("x:\n  beat: search\n  title: X\n  choices:\n    - say: Go\n      if: a adn b\n      goto: shore\n", "6: "),
        ("x:\n  beat: search\n  title: X\n  choices:\n    - say: Go\n      if: a && b\n      goto: shore\n", "6: "),
        ("x:\n  beat: search\n  title: X\n  choices:\n    - say: Go\n      if: a = 2\n      goto: shore\n", "6: "),
    ],
    ids=["empty-title", "empty-say", "empty-line", "tab", "dedented-once", "adn", "&&", "="],
)
def test_slips_an_author_makes_get_their_line_and_a_hint(make_story: WriteStory, text: str, expected: str) -> None:
    root = make_story({"scenes/x.yaml": text})
    printed = archer("check", str(root)).stdout
    [line] = [line for line in printed.splitlines() if "scenes/x.yaml" in line]
    assert f"scenes/x.yaml:{expected}" in line
    hint = {
        "\t": "indented with a tab",
        "once: true\n": "check the indentation of line 7",
        "adn": "at column 3, near 'adn'): a adn b; did you mean 'and'?",
        "&&": "at column 4, near '&'): a && b; write 'and', not '&&'",
        "= 2": "compare with '=='",
    }
    for marker, words in hint.items():
        if marker in text:
            assert words in line, line


def test_an_empty_ending_title_is_refused(make_story: WriteStory) -> None:
    story_yaml = (EXAMPLE_DIR / "story.yaml").read_text().replace("title: The keeper comes home", 'title: ""')
    printed = archer("check", str(make_story({"story.yaml": story_yaml}))).stdout
    assert "story.yaml:23: 'title' in ending 'found' is empty text" in printed


def test_check_without_the_proof_reads_and_checks_only(make_story: WriteStory) -> None:
    """`--no-proof` is the quick check an editor can run on every save: the files, not the search."""
    root = planted_trap(make_story)
    with_proof = archer("check", str(root))
    without = archer("check", str(root), "--no-proof")
    assert "soft-lock" in with_proof.stdout and "soft-lock" not in without.stdout
    assert "the soft-lock proof not run" in without.stderr
