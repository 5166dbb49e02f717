"""`archer new` and `archer schema`: a new story that works and an editor that knows its ids."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from game.engine.engine import Engine
from game.story.check import check_story
from game.story.loader import load_story
from game.story.schema import MODELINE

from support import STORY_DIR, archer


def new_story(tmp_path: Path) -> Path:
    root = tmp_path / "the-quiet-house"
    made = archer("new", str(root))
    assert made.returncode == 0, made.stderr
    return root


def test_a_new_story_passes_the_strict_deep_check(tmp_path: Path) -> None:
    root = new_story(tmp_path)
    check = archer("check", str(root), "--strict", "--deep")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "explored all" in check.stderr
    story = load_story(root, use_cache=False)
    assert (len(story.scenes), len(story.beats), len(story.clues), len(story.endings)) == (3, 2, 1, 1)
    assert story.id == "the-quiet-house"


def test_a_new_story_plays_to_its_ending(tmp_path: Path) -> None:
    engine = Engine(load_story(new_story(tmp_path), use_cache=False))
    state = engine.new_game()
    for text in ("Search the study", "Read the torn note", "Show the note to the witness"):
        state = engine.choose(state, next(c for c in engine.choices(state) if c.text == text)).state
    assert state.beat == "reveal"
    step = engine.choose(state, 1)
    assert step.ending is not None and step.ending.id == "solved"


def test_every_file_points_at_its_own_schema_and_follows_it(tmp_path: Path) -> None:
    root = new_story(tmp_path)
    files = sorted(root.rglob("*.yaml"))
    assert len(files) == 5
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE), path
        schema_path = (path.parent / first.removeprefix(MODELINE)).resolve()
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        expected = {"story.yaml": "story", "characters.yaml": "characters", "clues.yaml": "clues"}.get(
            path.name, "scene"
        )
        assert schema_path.name == f"{expected}.schema.json"
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
    scene_schema = json.loads((root / "schema" / "scene.schema.json").read_text(encoding="utf-8"))
    goto = scene_schema["patternProperties"]["^[a-z][a-z0-9_]*$"]["properties"]["choices"]["items"]["properties"][
        "goto"
    ]
    assert goto["enum"] == ["hall", "study", "parlor"]
    settings = json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema_file in settings["yaml.schemas"]:
        assert (root / schema_file).is_file(), schema_file


def test_a_modeline_is_right_at_any_depth(tmp_path: Path) -> None:
    root = new_story(tmp_path)
    deep = root / "scenes" / "act" / "two"
    deep.mkdir(parents=True)
    (deep / "more.yaml").write_text((root / "scenes" / "2-reveal.yaml").read_text().replace("parlor:", "cellar:"))
    assert archer("schema", str(root)).returncode == 0
    first = (deep / "more.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE + "../../../schema/scene.schema.json"
    assert (deep / "more.yaml").read_text(encoding="utf-8").count(MODELINE) == 1


def test_check_says_when_a_story_schema_is_out_of_date(tmp_path: Path) -> None:
    root = new_story(tmp_path)
    scenes = root / "scenes" / "1-inquiry.yaml"
    scenes.write_text(scenes.read_text().replace("hall", "foyer"), encoding="utf-8")
    header = root / "story.yaml"
    header.write_text(header.read_text().replace("start: hall", "start: foyer"), encoding="utf-8")
    _, findings = check_story(root)
    stale = [str(f) for f in findings if "out of date" in f.message]
    assert len(stale) == 2, stale  # the scene ids (scene.schema.json) and the start scene (story.schema.json)
    assert "run 'archer schema" in stale[0]
    assert archer("schema", str(root)).returncode == 0
    _, findings = check_story(root)
    assert not [f for f in findings if "out of date" in f.message]


def test_the_shipped_story_files_all_point_at_the_shipped_schemas() -> None:
    for path in sorted(STORY_DIR.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE), path
        assert (path.parent / first.removeprefix(MODELINE)).resolve().is_file(), path
    _, findings = check_story(STORY_DIR)
    assert not [f for f in findings if "out of date" in f.message]


def test_new_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("id: mine\n")
    result = archer("new", str(tmp_path))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (tmp_path / "story.yaml").read_text() == "id: mine\n"
