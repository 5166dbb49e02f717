"""The guide's worked deduction and evidence question are the lighthouse's own, which load, check and play."""

from __future__ import annotations

import re

import yaml

from game.story.check import check_story

from support import EXAMPLE_DIR, ROOT

GUIDE = (ROOT / "docs" / "writing-scenes.md").read_text(encoding="utf-8")


def block_after(marker: str) -> str:
    match = re.search(r"```yaml\n(.*?)```", GUIDE[GUIDE.index(marker) :], re.S)
    assert match is not None
    return match.group(1)


def test_the_guides_deduction_is_the_example_storys() -> None:
    shown = yaml.safe_load(block_after("### A deduction"))
    assert shown == yaml.safe_load((EXAMPLE_DIR / "deductions.yaml").read_text(encoding="utf-8"))


def test_the_guides_choices_are_the_example_storys() -> None:
    island = yaml.safe_load((EXAMPLE_DIR / "scenes" / "island.yaml").read_text(encoding="utf-8"))
    choices = island["confrontation"]["choices"]
    for marker in ("A choice with `deduce: <id>`", "### An evidence question"):
        (shown,) = yaml.safe_load(block_after(marker))
        assert shown in choices, marker


def test_the_guides_word_lesson_is_the_example_storys() -> None:
    island = yaml.safe_load((EXAMPLE_DIR / "scenes" / "island.yaml").read_text(encoding="utf-8"))
    (shown,) = yaml.safe_load(block_after("**Words are found, like clues.**"))
    assert shown in island["tower"]["choices"] and {"learn": "debt"} in shown["do"]
    taught = [e["learn"] for scene in island.values() for e in scene.get("on_enter", []) if "learn" in e]
    assert taught == ["storm"], "the jetty teaches the other word"


def test_the_example_with_them_is_sound() -> None:
    _, found = check_story(EXAMPLE_DIR)
    assert [f for f in found if f.severity != "note"] == []


def test_the_deductions_schema_refuses_a_blank_without_an_answer() -> None:
    import json

    import jsonschema
    import pytest

    schema = json.loads((ROOT / "story" / "schema" / "deductions.schema.json").read_text(encoding="utf-8"))
    good = yaml.safe_load((EXAMPLE_DIR / "deductions.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(good, schema)
    del good["what_happened"]["blanks"]["why"]["answer"]
    with pytest.raises(jsonschema.ValidationError, match="'answer' is a required property"):
        jsonschema.validate(good, schema)
