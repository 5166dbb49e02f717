"""What an author gets from `archer check`: the file, the line, and what to do."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.story import check
from game.story.check import check_story
from game.story.findings import StoryError
from game.story.loader import load_story
from game.story.model import Choice, Ending, Outcome, Presentation, Scene

from support import EXAMPLE_DIR, ROOT, WriteStory, archer


def errors(root: Path) -> list[str]:
    """Findings as printed, with the story folder taken off the front of each path."""
    _, findings = check_story(root)
    return [str(f).replace(f"{root.as_posix()}/", "") for f in findings if f.severity == "error"]


def test_the_example_story_is_sound() -> None:
    assert errors(EXAMPLE_DIR) == []


def test_a_misspelt_scene_id_gets_file_line_and_suggestion(make_story: WriteStory) -> None:
    root = make_story(
        {
            "scenes/extra.yaml": """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Back to the shore
                  goto: shroe
            """
        }
    )
    assert errors(root) == ["scenes/extra.yaml:6: unknown scene 'shroe'; did you mean 'shore'?"]


@pytest.mark.parametrize(
    ("scene", "expected"),
    [
        (
            """
            lantern:
              beat: serch
              title: The lantern
              choices: [{say: Go, goto: shore}]
            """,
            "scenes/extra.yaml:2: unknown beat 'serch'; did you mean 'search'?",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              lines:
                - fishr: Hello.
              choices: [{say: Go, goto: shore}]
            """,
            "scenes/extra.yaml:5: unknown character 'fishr'; did you mean 'fisher'?",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              on_enter:
                - gain: ledgr
              choices: [{say: Go, goto: shore}]
            """,
            "scenes/extra.yaml:5: unknown clue 'ledgr'; did you mean 'ledger'?",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Give up
                  ending: gon
            """,
            "scenes/extra.yaml:6: unknown ending 'gon'; did you mean 'gone'?",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Accuse
                  trigger: acuse
                  goto: confrontation
            """,
            "scenes/extra.yaml:6: unknown trigger 'acuse'; did you mean 'accuse'?",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Go
                  if: saw_towr
                  goto: shore
            """,
            "scenes/extra.yaml:6: flag 'saw_towr' is never set by any effect; did you mean 'saw_tower'?",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Go
                  if: has(ledgr)
                  goto: shore
            """,
            "scenes/extra.yaml:6: unknown clue 'ledgr'; did you mean 'ledger'?",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Go
                  if: resolv > 1
                  goto: shore
            """,
            "scenes/extra.yaml:6: counter 'resolv' is never changed by any effect; did you mean 'resolve'?",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Go
                  if: __import__('os').system('touch /tmp/archer-pwned')
                  goto: shore
            """,
            "scenes/extra.yaml:6: bad condition in the choice 'Go': '__import__('os').system()' is not part of the "
            "language; the only calls are has(), visited(), visits(), solved(), wrong(), attempts() and knows()",
        ),
        (
            """
            lantern:
              beat: search
              titel: The lantern
              choices: [{say: Go, goto: shore}]
            """,
            [
                "scenes/extra.yaml:2: scene 'lantern' is missing 'title'",
                "scenes/extra.yaml:3: unknown field 'titel' in scene 'lantern'; did you mean 'title'?",
            ],
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: 1999
                  goto: shore
            """,
            "scenes/extra.yaml:5: 'say' in a choice of scene 'lantern' should be text, not the number 1999 "
            "(put the text in quotes)",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Go
                  once: maybe
                  goto: shore
            """,
            "scenes/extra.yaml:6: 'once' in a choice of scene 'lantern' should be true or false, not the text 'maybe'",
        ),
        (
            """
            lantern:
              beat: search
              choices: [{say: Go, goto: shore}]
            """,
            "scenes/extra.yaml:2: scene 'lantern' is missing 'title'",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Go
            """,
            "scenes/extra.yaml:5: the choice 'Go' of scene 'lantern' needs exactly one of 'goto' (a scene) or 'ending'",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Straight to the accusation
                  goto: confrontation
            """,
            "scenes/extra.yaml:5: the choice 'Straight to the accusation' goes from beat 'search' to 'confrontation' "
            "in beat 'accusation' without a 'trigger' to change beats",
        ),
        (
            """
            lantern:
              beat: accusation
              title: The lantern
              choices:
                - say: Accuse again
                  trigger: accuse
                  goto: confrontation
            """,
            "scenes/extra.yaml:5: trigger 'accuse' cannot fire from beat 'accusation' (scene 'lantern')",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              choices:
                - say: Go
                  do:
                    - add: {resolve: lots}
                  goto: shore
            """,
            "scenes/extra.yaml:7: bad effect in the choice 'Go': 'add' needs a whole number for 'resolve', not 'lots'",
        ),
        (
            """
            lantern:
              beat: search
              title: The lantern
              lines:
                - if: has(ledger)
                - ~: A line with no one to say it.
                - narrator: One.
                  you: Two.
                - narrator: [not, text]
                - just text
                - you: Hello.
                  if: 'nonsense ('
              choices: [{say: Go, goto: shore}]
            """,
            [
                "scenes/extra.yaml:5: a line of scene 'lantern' needs exactly one speaker (found 0: none)",
                "scenes/extra.yaml:6: unknown character 'None'",
                "scenes/extra.yaml:7: a line of scene 'lantern' needs exactly one speaker (found 2: narrator, you)",
                "scenes/extra.yaml:9: the line of 'narrator' in scene 'lantern' should be text, not a list "
                "(put it in quotes)",
                "scenes/extra.yaml:10: a line of scene 'lantern' should look like 'narrator: text' or 'bette: text', "
                "not the text 'just text'",
                "scenes/extra.yaml:11: bad condition in a line of scene 'lantern': not a valid condition "
                "('(' was never closed): nonsense (",
            ],
        ),
    ],
)
def test_each_kind_of_mistake_is_reported_where_it_is(
    make_story: WriteStory, scene: str, expected: str | list[str]
) -> None:
    root = make_story({"scenes/extra.yaml": scene})
    assert errors(root) == (expected if isinstance(expected, list) else [expected])


def test_a_duplicate_scene_id_across_files_names_both_places(make_story: WriteStory) -> None:
    root = make_story(
        {"scenes/more.yaml": "shore:\n  beat: search\n  title: Again\n  choices: [{say: Go, goto: tower}]\n"}
    )
    [found] = errors(root)
    assert found.startswith("scenes/more.yaml:1: scene 'shore' is defined twice (first at ")
    assert found.endswith("scenes/island.yaml:2); rename one of them")


def test_a_duplicate_key_in_one_file_is_reported(make_story: WriteStory) -> None:
    text = (
        EXAMPLE_DIR / "scenes" / "island.yaml"
    ).read_text() + "\nshore:\n  beat: search\n  title: X\n  choices: []\n"
    root = make_story({"scenes/island.yaml": text})
    assert any("'shore' appears twice in one mapping (first on line 2)" in e for e in errors(root))


def test_a_missing_start_scene_is_reported(make_story: WriteStory) -> None:
    story_yaml = (EXAMPLE_DIR / "story.yaml").read_text().replace("start: shore", "start: harbour")
    root = make_story({"story.yaml": story_yaml})
    assert errors(root) == ["story.yaml:4: unknown scene 'harbour'"]


def test_the_start_scene_must_be_in_the_first_beat(make_story: WriteStory) -> None:
    story_yaml = (EXAMPLE_DIR / "story.yaml").read_text().replace("start: shore", "start: confrontation")
    root = make_story({"story.yaml": story_yaml})
    assert errors(root) == [
        "story.yaml:4: the start scene 'confrontation' is in beat 'accusation', but the story begins in beat "
        "'search'; start in a scene of the first beat"
    ]


def test_a_story_without_a_start_field_is_told_so(make_story: WriteStory) -> None:
    story_yaml = (EXAMPLE_DIR / "story.yaml").read_text().replace("start: shore\n", "")
    root = make_story({"story.yaml": story_yaml})
    assert "story.yaml:1: story.yaml is missing 'start'" in errors(root)


def test_broken_yaml_syntax_names_the_line(make_story: WriteStory) -> None:
    root = make_story({"scenes/extra.yaml": "lantern:\n  beat: search\n  title: [unclosed\n  place: here\n"})
    found = errors(root)
    assert found[0].startswith("scenes/extra.yaml:4:8: YAML syntax:"), "the file, the line and the column"


def test_python_tags_are_refused_without_running_anything(make_story: WriteStory, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    root = make_story(
        {
            "scenes/extra.yaml": f"""
            lantern: !!python/object/apply:os.system ["touch {marker}"]
            other: !!python/name:os.system
            """
        }
    )
    assert errors(root)[0] == (
        "scenes/extra.yaml:1: the tag '!!python/object/apply:os.system' is not allowed in story files: tags like "
        "'!!python/...' or '!custom' are refused; only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read"
    )
    assert not marker.exists()


def test_every_error_is_reported_in_one_run(make_story: WriteStory) -> None:
    root = make_story(
        {
            "scenes/extra.yaml": """
            lantern:
              beat: serch
              title: The lantern
              lines:
                - ghost: Boo.
              choices:
                - say: Go
                  goto: nowhere
                - say: Maybe
                  if: has(
                  goto: shore
            """
        }
    )
    found = errors(root)
    assert len(found) == 4
    assert [f.split(":")[1] for f in found] == ["2", "5", "8", "10"]


def test_load_story_raises_with_every_finding(make_story: WriteStory) -> None:
    root = make_story(
        {"scenes/extra.yaml": "lantern:\n  beat: search\n  title: X\n  choices: [{say: Go, goto: nope}]\n"}
    )
    with pytest.raises(StoryError) as raised:
        load_story(root)
    assert "unknown scene 'nope'" in str(raised.value)


def test_archer_check_exits_0_on_the_shipped_story() -> None:
    result = archer("check", "story")
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(": warning: " in line for line in result.stdout.splitlines()), result.stdout
    assert "story is sound" in result.stderr
    assert "no soft-lock: proven on an abstraction of" in result.stderr, "within the default budget (game.engine.modal)"
    assert "states" in result.stderr, "the exploration reports how far it went"


@pytest.mark.parametrize(
    ("scene", "status", "finding", "summary"),
    [
        ("choices: [{say: Go, goto: shore}]", 0, "scene 'lantern' cannot be reached", "story is sound"),
        ("choices: [{say: Go, goto: shroe}]", 1, "unknown scene 'shroe'", "1 error(s), 0 warning(s)"),
    ],
)
@pytest.mark.parametrize("output", ["text", "json"])
def test_archer_check_ends_at_once_with_its_whole_report(
    make_story: WriteStory, scene: str, status: int, finding: str, summary: str, output: str
) -> None:
    """`archer check` ends without the interpreter's teardown (check_command.exit_now): its whole report
    must be out first, through pipes that buffer it (PYTHONUNBUFFERED cleared), with the verdict's status."""
    root = make_story({"scenes/extra.yaml": f"lantern:\n  beat: search\n  title: X\n  {scene}\n"})
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    result = subprocess.run(
        [sys.executable, "-m", "game", "check", str(root), "--format", output],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == status, result.stderr
    assert finding in result.stdout
    if output == "json":
        assert finding in "".join(f["message"] for f in json.loads(result.stdout))
    assert summary in result.stderr


def test_archer_check_exits_1_and_prints_file_line_on_errors(make_story: WriteStory) -> None:
    root = make_story(
        {"scenes/extra.yaml": "lantern:\n  beat: search\n  title: X\n  choices: [{say: Go, goto: shroe}]\n"}
    )
    result = archer("check", str(root))
    assert result.returncode == 1
    assert f"{root.as_posix()}/scenes/extra.yaml:4: unknown scene 'shroe'; did you mean 'shore'?" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("files", "status"),
    [
        ({"story.yaml": "\x00\x01 not yaml: ["}, 2),
        ({"story.yaml": "- just\n- a list\n"}, 2),
        ({"characters.yaml": "fisher: 3\n"}, 1),
        ({"clues.yaml": "ledger:\n  name: L\n  description: D\n  bears_on: [fisher]\n"}, 1),
        ({"scenes/island.yaml": "42\n"}, 1),
        ({"scenes/bin.yaml": b"caf\xe9: not UTF-8\n"}, 1),
    ],
)
def test_garbage_never_gives_a_traceback(make_story: WriteStory, files: dict[str, str | bytes], status: int) -> None:
    root = make_story({name: text for name, text in files.items() if isinstance(text, str)})
    for name, data in files.items():
        if isinstance(data, bytes):  # bytes as they are: a file that is not UTF-8 at all
            (root / name).write_bytes(data)
    result = archer("check", str(root))
    assert result.returncode == status
    assert "Traceback" not in result.stderr
    assert result.stdout.strip(), "at least one finding is printed"


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    result = archer("check", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no such story folder" in result.stdout


def test_the_graph_is_walked_once_per_story(monkeypatch: pytest.MonkeyPatch) -> None:
    """`archer check` asks which scenes the graph reaches for its warnings and again for the proof's findings."""
    story = load_story(EXAMPLE_DIR, use_cache=False)
    reached = check.reachable_scenes(story)
    assert story.start in reached
    monkeypatch.setattr(check, "choice_targets", lambda choice: pytest.fail("walked the graph again"))
    assert check.reachable_scenes(story) == reached
    with pytest.raises(pytest.fail.Exception):  # another story (even an equal one) is walked afresh
        check.reachable_scenes(dataclasses.replace(story))


def test_a_scene_and_an_ending_only_an_evidence_question_leads_to_are_reached() -> None:
    """The graph's walk follows an answer's `goto` and `ending` as it follows a choice's."""
    story = load_story(EXAMPLE_DIR, use_cache=False)
    start = story.scenes[story.start]
    leave = Choice("out", "Out", start.id, None, None, False, (), None, "extra.yaml:9")
    cellar = Scene("cellar", start.beat, "Cellar", "", (), (), (leave,), "extra.yaml:8")
    right = Outcome(frozenset({"ledger"}), (), "cellar", None, "extra.yaml:3")
    partly = Outcome(frozenset(), (), None, "escaped", "extra.yaml:4")
    question = Presentation("Which?", "clues", (), right, partly, Outcome(frozenset(), (), None, None, "x:5"), "x:2")
    ask = Choice("ask", "Ask", start.id, None, None, False, (), None, "extra.yaml:1", present=question)
    story = dataclasses.replace(
        story,
        scenes={**story.scenes, start.id: dataclasses.replace(start, choices=(*start.choices, ask)), "cellar": cellar},
        endings={**story.endings, "escaped": Ending("escaped", "Escaped", "Gone.", "story.yaml:40")},
    )
    assert "cellar" in check.reachable_scenes(story)
    assert check.story_warnings(story) == [], "neither 'cellar' nor 'escaped' is unreachable"


def test_an_ending_only_an_answer_leads_to_and_no_playthrough_reaches_is_reported(make_story: WriteStory) -> None:
    """The graph leads to 'escaped' (through a question's answer): no 'cannot be reached' warning, so the proof
    must say that no playthrough reaches it (the question is never asked: its condition never holds)."""
    story_yaml = (
        (EXAMPLE_DIR / "story.yaml")
        .read_text()
        .replace("endings:\n", "endings:\n  escaped:\n    title: Escaped\n    text: Gone by the night ferry.\n")
    )
    island = (
        (EXAMPLE_DIR / "scenes" / "island.yaml")
        .read_text()
        .replace(
            "    - say: Take the next ferry home\n      ending: gone\n",
            "    - say: Take the next ferry home\n      ending: gone\n"
            "    - say: Ask the ferryman\n      if: has(ledger) and not has(ledger)\n      present:\n"
            "        ask: Which?\n        right:\n          accept: [ledger]\n          ending: escaped\n      goto: shore\n",
        )
    )
    root = make_story({"story.yaml": story_yaml, "scenes/island.yaml": island})
    result = archer("check", str(root))
    assert "ending 'escaped' is never reached in any playthrough" in result.stdout, result.stdout + result.stderr
    assert "ending 'escaped' is never reached: no reachable choice" not in result.stdout
