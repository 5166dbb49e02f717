"""JSON Schemas for every kind of story file, generated from `game.story.fields`.

Editors with the YAML language server read the `# yaml-language-server: $schema=`
line at the top of a scene file and then autocomplete fields and flag mistakes
as the author types. Regenerate after a format change:

    python -m game.story.schema story/schema
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from game.story import fields as fmt
from game.story.conditions import EFFECT_KINDS
from game.story.model import GATHERED, SUSPECT_ASPECTS

ID = "^[a-z][a-z0-9_]*$"
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", list: "array", dict: "object"}


def _object(spec: fmt.Spec, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {
        name: {"type": _JSON_TYPES[field.kind], "description": field.about} for name, field in spec.items()
    }
    for name, extra in (overrides or {}).items():
        properties[name] = {**properties[name], **extra}
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name, field in spec.items() if field.required],
        "additionalProperties": False,
    }


def _by_id(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "patternProperties": {ID: item}, "additionalProperties": False}


_EFFECT = {
    "description": "One effect: set/clear a flag, add to counters, gain/lose a clue.",
    "oneOf": [
        {
            "type": "object",
            "properties": {"add": {"type": "object", "additionalProperties": {"type": "integer"}}},
            "required": ["add"],
            "additionalProperties": False,
        },
        *(
            {
                "type": "object",
                "properties": {kind: {"type": "string"}},
                "required": [kind],
                "additionalProperties": False,
            }
            for kind in EFFECT_KINDS
            if kind != "add"
        ),
    ],
}
_LINE = {
    "description": "narrator: text, voiceover: text, or a character id: text; optional if: condition.",
    "type": "object",
    "properties": {"if": {"type": "string"}},
    "additionalProperties": {"type": "string"},
    "minProperties": 1,
}


def scene_file_schema() -> dict[str, Any]:
    choice = _object(fmt.CHOICE, {"do": {"items": _EFFECT}, "present": _present()})
    choice["oneOf"] = [{"required": ["goto"]}, {"required": ["ending"]}]
    scene = _object(
        fmt.SCENE, {"lines": {"items": _LINE}, "on_enter": {"items": _EFFECT}, "choices": {"items": choice}}
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Archer scene file", **_by_id(scene)}


def story_file_schema() -> dict[str, Any]:
    beat = {"oneOf": [{"type": "string", "pattern": ID}, _object(fmt.BEAT)]}
    beats = _object(fmt.BEATS, {"states": {"items": beat}, "transitions": {"items": _object(fmt.TRANSITION)}})
    story = _object(fmt.STORY, {"beats": beats, "endings": _by_id(_object(fmt.ENDING))})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Archer story.yaml", **story}


def characters_file_schema() -> dict[str, Any]:
    character = _object(fmt.CHARACTER, {"colour": {"pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"}})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Archer characters.yaml",
        **_by_id(character),
    }


def clues_file_schema() -> dict[str, Any]:
    clue = _object(fmt.CLUE, {"bears_on": {"additionalProperties": {"enum": list(SUSPECT_ASPECTS)}}})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Archer clues.yaml", **_by_id(clue)}


_IDS = {"oneOf": [{"type": "string", "pattern": ID}, {"type": "array", "items": {"type": "string", "pattern": ID}}]}
_FROM = {"oneOf": [{"enum": list(GATHERED)}, {"type": "array", "items": {"type": "string", "pattern": ID}}]}


def _id_or_ids(schema: dict[str, Any], *names: str) -> dict[str, Any]:
    """Fields that take one id or a list of them: the oneOf decides, not the table's single type."""
    for name in names:
        schema["properties"][name].pop("type")
    return schema


def _present() -> dict[str, Any]:
    outcome = _id_or_ids(_object(fmt.OUTCOME, {"accept": _IDS, "do": {"items": _EFFECT}}), "accept")
    return _id_or_ids(
        _object(fmt.PRESENT, {"from": _FROM, "right": outcome, "partly": outcome, "wrong": outcome}), "from"
    )


def deductions_file_schema() -> dict[str, Any]:
    blank = _id_or_ids(_object(fmt.BLANK, {"from": _FROM, "answer": _IDS}), "from", "answer")
    deduction = _object(
        fmt.DEDUCTION,
        {
            "blanks": _by_id(blank),
            "hint_when_wrong_at_most": {"minimum": 0},
            "on_solved": {"items": _EFFECT},
            "on_wrong": {"items": _EFFECT},
        },
    )
    words = {
        "description": "Word id -> the text a blank shows; listed words are always on offer.",
        **_by_id({"type": "string"}),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Archer deductions.yaml",
        "type": "object",
        "properties": {"words": words},
        "patternProperties": {"^(?!words$)[a-z][a-z0-9_]*$": deduction},
        "additionalProperties": False,
    }


SCHEMAS = {
    "scene.schema.json": scene_file_schema,
    "story.schema.json": story_file_schema,
    "characters.schema.json": characters_file_schema,
    "clues.schema.json": clues_file_schema,
    "deductions.schema.json": deductions_file_schema,
}


def render_schemas() -> dict[str, str]:
    return {name: json.dumps(build(), indent=2) + "\n" for name, build in SCHEMAS.items()}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("story/schema")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in render_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
