"""The author guide stays true: its field table matches the format, its worked example works."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from game.engine.engine import Engine
from game.story import fields
from game.story.check import check_story
from game.story.loader import load_story

from support import ROOT, STORY_DIR

GUIDE = (ROOT / "docs" / "writing-scenes.md").read_text(encoding="utf-8")


def test_the_field_reference_lists_every_field_with_its_meaning() -> None:
    for spec in (
        fields.STORY,
        fields.BEATS,
        fields.BEAT,
        fields.TRANSITION,
        fields.ENDING,
        fields.CHARACTER,
        fields.CLUE,
        fields.SCENE,
        fields.CHOICE,
    ):
        for name, field in spec.items():
            assert f"| `{name}` |" in GUIDE and field.about in GUIDE, name


def yaml_blocks_after(marker: str) -> str:
    """The first ```yaml block after `marker` in the guide."""
    start = GUIDE.index(marker)
    match = re.search(r"```yaml\n(.*?)```", GUIDE[start:], re.S)
    assert match is not None
    return match.group(1)


def test_the_worked_example_adds_a_suspect_and_a_scene_that_play(tmp_path: Path) -> None:
    root = tmp_path / "story"
    shutil.copytree(STORY_DIR, root)
    with (root / "characters.yaml").open("a") as out:
        out.write(yaml_blocks_after("1. Add him to"))
    with (root / "clues.yaml").open("a") as out:
        out.write(yaml_blocks_after("2. Add a clue"))
    (root / "scenes" / "2-suspects" / "porter-lodge.yaml").write_text(yaml_blocks_after("3. Write the scene"))
    hub = root / "scenes" / "2-suspects" / "hub.yaml"
    text = hub.read_text()
    at = text.index("\n  choices:\n", text.index("investigation_hub:")) + len("\n  choices:\n")
    hub.write_text(text[:at] + yaml_blocks_after("4. Give the hub") + text[at:])

    _, findings = check_story(root)
    assert [f for f in findings if f.severity == "error"] == []
    assert any("clue 'porter_keys' is never used" in f.message for f in findings)
    story = load_story(root)
    assert story.characters["porter"].suspect
    engine = Engine(story)
    state = engine.new_game()
    state.scene = "investigation_hub"
    state.beat = "suspects"
    state = engine.choose(state, next(c for c in engine.choices(state) if c.text == "The porter's lodge")).state
    state = engine.choose(state, next(c for c in engine.choices(state) if c.text.startswith("Look at the keys"))).state
    assert "porter_keys" in state.clues
    assert engine.view(state).lines[1].speaker == "porter"
