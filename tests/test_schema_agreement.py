"""The editor (a story's own JSON Schemas) and `archer check` give the same verdict on one-line edits."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.cli import main as archer
from game.story.loader import load_story
from game.story.schema import FILE_SCHEMAS, SCENE_SCHEMA, render_story_schemas

EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "docs" / "examples" / "lighthouse"
SCENES = "scenes/island.yaml"

# (file, text to find, what it becomes, whether a sound story should still be sound)
EDITS: dict[str, tuple[str, str, str, bool]] = {
    "reworded choice": (SCENES, "say: Read the ledger", "say: Read the keeper's ledger", True),
    "conditional line": (SCENES, "    - fisher: He wrote", "    - if: has(ledger)\n      fisher: He wrote", True),
    "new valid effect": (SCENES, "        - gain: ledger", "        - gain: ledger\n        - clear: saw_tower", True),
    "line with two speakers": (SCENES, "    - you: I'm looking", "    - fisher: Hm.\n      you: I'm looking", False),
    "conditional line with two speakers": (
        SCENES,
        "    - if: saw_tower\n",
        "    - if: saw_tower\n      you: Yes.\n",
        False,
    ),
    "line with only if": (SCENES, "    - fisher: He wrote a lot of things.", "    - if: has(ledger)", False),
    "line with no speaker": (SCENES, "    - fisher: He wrote a lot of things.", "    - {}", False),
    "unknown speaker": (SCENES, "    - fisher: He wrote", "    - fishr: He wrote", False),
    "invalid flag in set": (SCENES, "    - set: saw_tower", "    - set: Saw-Tower", False),
    "invalid counter in add": (SCENES, "add: {resolve: 1}", "add: {Resolve: 1}", False),
    "text amount in add": (SCENES, "add: {resolve: 1}", "add: {resolve: lots}", False),
    "empty add": (SCENES, "add: {resolve: 1}", "add: {}", False),
    "misspelt gain": (SCENES, "        - gain: cut_rope", "        - gian: cut_rope", False),
    "two effects in one item": (
        SCENES,
        "        - gain: cut_rope",
        "        - gain: cut_rope\n          set: x",
        False,
    ),
    "unknown clue gained": (SCENES, "        - gain: cut_rope", "        - gain: cut_robe", False),
    "word learned": (SCENES, "    - learn: storm", "    - learn: storm\n    - learn: debt", True),
    "unknown word learned": (SCENES, "    - learn: storm", "    - learn: strom", False),
    "word id not an id": (SCENES, "    - learn: storm", "    - learn: The Storm", False),
    "unknown scene": (SCENES, "      goto: jetty\n    - say: Take", "      goto: jety\n    - say: Take", False),
    "unknown ending": (SCENES, "      ending: gone\n\ntower", "      ending: gon\n\ntower", False),
    "goto and ending": (SCENES, "      ending: gone\n\ntower", "      ending: gone\n      goto: tower\n\ntower", False),
    "unknown beat": (SCENES, "  beat: search\n  title: The shore", "  beat: serch\n  title: The shore", False),
    "unknown trigger": (SCENES, "      trigger: accuse", "      trigger: acuse", False),
    "misspelt field": (SCENES, "  title: The shore", "  titel: The shore", False),
    "no choices": (SCENES, "  choices:\n    - say: Show", "  choices: []\n  old:\n    - say: Show", False),
    "capitals in a beat name": ("story.yaml", "    - name: accusation", "    - name: Accusation", False),
    "reserved trigger name": ("story.yaml", "    - trigger: accuse", "    - trigger: state", False),
    "trigger with machine prefix": ("story.yaml", "    - trigger: accuse", "    - trigger: to_accuse", False),
    "unknown initial beat": ("story.yaml", "  initial: search", "  initial: serch", False),
    "unknown start scene": ("story.yaml", "start: shore", "start: shor", False),
    "bears_on key not an id": ("clues.yaml", "    fisher: motive", "    Fisher Agnes: motive", False),
    "bears_on unknown character": ("clues.yaml", "    fisher: motive", "    fishr: motive", False),
    "bears_on wrong aspect": ("clues.yaml", "    fisher: motive", "    fisher: greed", False),
    "color not hex": ("characters.yaml", 'color: "#4a90d9"', 'color: "blue"', False),
    "reserved character id": ("characters.yaml", "keeper:\n", "narrator:\n", False),
}


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, object]]:
    """The example story's own schemas, written before any edit (as an author's editor has them)."""
    rendered = render_story_schemas(load_story(EXAMPLE_DIR, use_cache=False))
    return {name: json.loads(text) for name, text in rendered.items()}


def editor_verdict(root: Path, schemas: dict[str, dict[str, object]]) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root).as_posix()
        schema = schemas[FILE_SCHEMAS.get(relative, SCENE_SCHEMA)]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        problems += [f"{relative}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    return problems


def check_verdict(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = archer(["check", str(root), "--strict"])
    return status, out.getvalue()


@pytest.mark.parametrize("edit", list(EDITS))
def test_the_editor_and_check_agree(edit: str, tmp_path: Path, schemas: dict[str, dict[str, object]]) -> None:
    file, old, new, sound = EDITS[edit]
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE_DIR, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the edit {edit!r} must find its place exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    status, found = check_verdict(root)
    problems = editor_verdict(root, schemas)
    assert (status == 0) == sound, found
    assert (not problems) == sound, problems


def test_a_misspelt_effect_is_named_not_reported_as_a_missing_add(schemas: dict[str, dict[str, object]]) -> None:
    choice = {"say": "Look", "goto": "jetty", "do": [{"gian": "cut_rope"}]}
    scene = {"pier": {"beat": "search", "title": "Pier", "choices": [choice]}}
    messages = [e.message for e in jsonschema.Draft202012Validator(schemas[SCENE_SCHEMA]).iter_errors(scene)]
    assert any("'gian' was unexpected" in m for m in messages), messages
    assert not any("add" in m for m in messages), messages
