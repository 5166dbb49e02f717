"""JSON Schemas for every kind of story file, generated from `game.story.fields`.

Editors with the YAML language server read the `# yaml-language-server: $schema=`
line at the top of a story file and then autocomplete fields and flag mistakes
as the author types. Two flavours come from the same builders:

- shape-only schemas (`ids=None`), shipped in story/schema: fields, types, id patterns;
- a story's own schemas (`archer schema DIR`), which also know its ids: `goto:`
  completes with the story's scenes and an unknown scene is flagged.

The schemas refuse what `archer check` refuses wherever JSON Schema can say it
(tests/test_schema_agreement.py holds the two to the same verdicts). Regenerate
the shipped ones after a format change:

    python -m game.story.schema story/schema

A new kind of story file is one builder in SCHEMAS and one entry in FILE_SCHEMAS;
a new kind of id is one entry in `story_ids`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.story import fields as fmt
from game.story.findings import Finding
from game.story.model import GATHERED, NARRATOR, SUSPECT_ASPECTS, VOICEOVER

if TYPE_CHECKING:
    from game.story.model import Story

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID = "^[a-z][a-z0-9_]*$"
NAME = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$"  # flags and counters: ids joined by dots
# A trigger is a Python name that is not one of the beat machine's own (see reader.RESERVED_TRIGGERS).
TRIGGER = "^(?!(state|trigger|machine|model)$)(?!(to_|may_|is_))[A-Za-z][A-Za-z0-9_]*$"
MODELINE = "# yaml-language-server: $schema="
OWN_MARK = "Written by 'archer schema' for the story "  # starts the $comment of a story's own schemas
# Editors built on the VS Code JSON service (yaml-language-server among them) show these instead of the regex.
ID_RULE = {"pattern": ID, "patternErrorMessage": "An id: lower-case letters, digits and _, starting with a letter."}
NAME_RULE = {"pattern": NAME, "patternErrorMessage": "Lower-case words (letters, digits, _) joined by dots."}
TRIGGER_RULE = {
    "pattern": TRIGGER,
    "patternErrorMessage": "A trigger name: letters, digits and _, not state/trigger/machine/model nor to_/may_/is_...",
}
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", list: "array", dict: "object"}

Ids = Mapping[str, Mapping[str, str]]
"""A story's ids by kind ('scene', 'beat', 'character', 'clue', 'ending', 'trigger', ...): id -> a short label."""


def story_ids(story: Story) -> dict[str, dict[str, str]]:
    """Every id an author may refer to, by kind, each with the label an editor shows beside it."""
    return {
        "scene": {s.id: s.title for s in story.scenes.values()},
        "beat": {b.name: b.title for b in story.beats.values()},
        "character": {c.id: c.name for c in story.characters.values()},
        "clue": {c.id: c.name for c in story.clues.values()},
        "ending": {e.id: e.title for e in story.endings.values()},
        "trigger": {t.trigger: f"{t.source} → {t.dest}" for t in story.transitions},
        "deduction": {d.id: d.title for d in story.deductions.values()},
        "word": {w.id: w.text for w in story.words.values()},
    }


def _ref(kind: str, ids: Ids | None, about: str = "") -> dict[str, Any]:
    """Where an id of `kind` goes: one of the story's ids when they are known, else any well-formed id."""
    schema: dict[str, Any] = {"type": "string"}
    if about:
        schema["description"] = about
    if ids is None or kind not in ids:
        schema |= TRIGGER_RULE if kind == "trigger" else ID_RULE
    else:
        schema["enum"] = list(ids[kind])
        schema["enumDescriptions"] = list(ids[kind].values())
    return schema


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


def _by_id(item: dict[str, Any], *, reserved: tuple[str, ...] = ()) -> dict[str, Any]:
    by_id: dict[str, Any] = {"type": "object", "patternProperties": {ID: item}, "additionalProperties": False}
    if reserved:
        by_id["propertyNames"] = {"not": {"enum": list(reserved)}}
    return by_id


def _file(title: str, body: dict[str, Any], ids: Ids | None, story_id: str) -> dict[str, Any]:
    head: dict[str, Any] = {"$schema": DRAFT, "title": title}
    if ids is not None:
        head["$comment"] = f"{OWN_MARK}'{story_id}': run it again after adding or renaming ids."
    return {**head, **body}


def _effect(ids: Ids | None) -> dict[str, Any]:
    """One effect: a mapping with exactly one known key, so a misspelt key is named as unexpected."""
    flag = {"type": "string", **NAME_RULE}
    return {
        "description": "One effect: set/clear a flag, add to counters, gain/lose a clue, learn a word.",
        "type": "object",
        "properties": {
            "set": {**flag, "description": "Set a flag (lower-case words joined by dots)."},
            "clear": {**flag, "description": "Clear a flag."},
            "add": {
                "description": "Add whole numbers to counters, e.g. {trust.cruz: 1}.",
                "type": "object",
                "propertyNames": NAME_RULE,
                "additionalProperties": {"type": "integer"},
                "minProperties": 1,
            },
            "gain": _ref("clue", ids, "The player finds this clue."),
            "lose": _ref("clue", ids, "The player loses this clue."),
            "learn": _ref(
                "word", ids, "The player learns this word (deductions.yaml): blanks may offer it from now on."
            ),
        },
        "additionalProperties": False,
        "minProperties": 1,
        "maxProperties": 1,
    }


def _line(ids: Ids | None) -> dict[str, Any]:
    """A line: exactly one speaker, and an optional `if:` condition."""
    line: dict[str, Any] = {
        "description": "narrator: text, voiceover: text, or a character id: text; optional if: condition.",
        "type": "object",
        "properties": {"if": {"type": "string", "description": "The line is shown only while this holds."}},
        "if": {"required": ["if"]},
        "then": {"minProperties": 2, "maxProperties": 2},
        "else": {"minProperties": 1, "maxProperties": 1},
    }
    speakers = None if ids is None else ids.get("character")
    if speakers is None:
        line["propertyNames"] = ID_RULE
        line["additionalProperties"] = {"type": "string"}
        return line
    line["properties"] |= {
        NARRATOR: {"type": "string", "description": "Narration."},
        VOICEOVER: {"type": "string", "description": "The story's voiceover."},
        **{speaker: {"type": "string", "description": f"{name} speaks."} for speaker, name in speakers.items()},
    }
    line["additionalProperties"] = False
    return line


def scene_file_schema(ids: Ids | None = None, story_id: str = "") -> dict[str, Any]:
    effects = {"items": _effect(ids)}
    choice = _object(
        fmt.CHOICE,
        {
            "goto": _ref("scene", ids),
            "ending": _ref("ending", ids),
            "trigger": _ref("trigger", ids),
            "do": effects,
            "deduce": _ref("deduction", ids),
            "present": _present(ids),
        },
    )
    choice["oneOf"] = [{"required": ["goto"]}, {"required": ["ending"]}]
    scene = _object(
        fmt.SCENE,
        {
            "beat": _ref("beat", ids),
            "lines": {"items": _line(ids)},
            "on_enter": effects,
            "choices": {"items": choice, "minItems": 1},
        },
    )
    return _file("Archer scene file", _by_id(scene), ids, story_id)


def story_file_schema(ids: Ids | None = None, story_id: str = "") -> dict[str, Any]:
    beat = {"oneOf": [{"type": "string", **ID_RULE}, _object(fmt.BEAT, {"name": ID_RULE})]}
    transition = _object(
        fmt.TRANSITION, {"trigger": TRIGGER_RULE, "source": _ref("beat", ids), "dest": _ref("beat", ids)}
    )
    beats = _object(
        fmt.BEATS, {"initial": _ref("beat", ids), "states": {"items": beat}, "transitions": {"items": transition}}
    )
    story = _object(
        fmt.STORY,
        {
            "start": _ref("scene", ids),
            "voiceover": _ref("character", ids),
            "beats": beats,
            "endings": _by_id(_object(fmt.ENDING)),
        },
    )
    return _file("Archer story.yaml", story, ids, story_id)


def characters_file_schema(ids: Ids | None = None, story_id: str = "") -> dict[str, Any]:
    character = _object(fmt.CHARACTER, {"color": {"pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"}})
    return _file("Archer characters.yaml", _by_id(character, reserved=(NARRATOR, VOICEOVER)), ids, story_id)


def clues_file_schema(ids: Ids | None = None, story_id: str = "") -> dict[str, Any]:
    bears_on = {"propertyNames": _ref("character", ids), "additionalProperties": {"enum": list(SUSPECT_ASPECTS)}}
    clue = _object(fmt.CLUE, {"bears_on": bears_on})
    return _file("Archer clues.yaml", _by_id(clue), ids, story_id)


def _one_or_more(item: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [item, {"type": "array", "items": item}]}


def _from() -> dict[str, Any]:
    """Where a blank or a question takes its options: a kind of gathered thing, or a list of ids."""
    return {"oneOf": [{"enum": list(GATHERED)}, {"type": "array", "items": {"type": "string", **ID_RULE}}]}


def _id_or_ids(schema: dict[str, Any], *names: str) -> dict[str, Any]:
    """Fields that take one id or a list of them: the oneOf decides, not the table's single type."""
    for name in names:
        schema["properties"][name].pop("type")
    return schema


def _present(ids: Ids | None) -> dict[str, Any]:
    answer = _one_or_more({"type": "string", **ID_RULE})
    outcome = _id_or_ids(
        _object(
            fmt.OUTCOME,
            {
                "accept": answer,
                "do": {"items": _effect(ids)},
                "goto": _ref("scene", ids),
                "ending": _ref("ending", ids),
            },
        ),
        "accept",
    )
    return _id_or_ids(
        _object(fmt.PRESENT, {"from": _from(), "right": outcome, "partly": outcome, "wrong": outcome}), "from"
    )


def deductions_file_schema(ids: Ids | None = None, story_id: str = "") -> dict[str, Any]:
    answer = _one_or_more({"type": "string", **ID_RULE})
    blank = _id_or_ids(_object(fmt.BLANK, {"from": _from(), "answer": answer}), "from", "answer")
    effects = {"items": _effect(ids)}
    deduction = _object(
        fmt.DEDUCTION,
        {"blanks": _by_id(blank), "hint_when_wrong_at_most": {"minimum": 0}, "on_solved": effects, "on_wrong": effects},
    )
    words = {
        "description": "Word id -> the text a blank shows; a blank offers a word once a scene teaches it (learn:).",
        **_by_id({"type": "string"}),
    }
    body = {
        "type": "object",
        "properties": {"words": words},
        "patternProperties": {"^(?!words$)[a-z][a-z0-9_]*$": deduction},
        "additionalProperties": False,
    }
    return _file("Archer deductions.yaml", body, ids, story_id)


Builder = Callable[[Ids | None, str], dict[str, Any]]
SCHEMAS: dict[str, Builder] = {
    "scene.schema.json": scene_file_schema,
    "story.schema.json": story_file_schema,
    "characters.schema.json": characters_file_schema,
    "clues.schema.json": clues_file_schema,
    "deductions.schema.json": deductions_file_schema,
}
FILE_SCHEMAS = {  # a story file's name -> its schema; every other YAML file of a story holds scenes
    "story.yaml": "story.schema.json",
    "characters.yaml": "characters.schema.json",
    "clues.yaml": "clues.schema.json",
    "deductions.yaml": "deductions.schema.json",
}
SCENE_SCHEMA = "scene.schema.json"


def render_schemas(ids: Ids | None = None, story_id: str = "") -> dict[str, str]:
    """Each schema file's name and text: shape-only, or knowing a story's ids."""
    return {
        name: json.dumps(build(ids, story_id), indent=2, ensure_ascii=False) + "\n" for name, build in SCHEMAS.items()
    }


def render_story_schemas(story: Story) -> dict[str, str]:
    return render_schemas(story_ids(story), story.id)


def schema_name(root: Path, path: Path) -> str | None:
    """The schema a story file follows (special files by their place at the top, the rest scenes).

    None for a special file of the reader's that has no schema here yet.
    """
    from game.story.reader import SPECIAL_FILES

    relative = path.relative_to(root).as_posix()
    if relative in FILE_SCHEMAS:
        return FILE_SCHEMAS[relative]
    return None if relative in SPECIAL_FILES else SCENE_SCHEMA


def modeline(root: Path, path: Path, folder: Path) -> str | None:
    """The `$schema` line for a story file: a path relative to the file, right at any depth."""
    name = schema_name(root, path)
    if name is None:
        return None
    target = Path(os.path.relpath(folder / name, path.parent)).as_posix()
    return MODELINE + (target if target.startswith("../") else "./" + target)


def write_modelines(root: Path, folder: Path) -> list[Path]:
    """Give every story file its `$schema` first line (replacing an old one); the files changed."""
    from game.story.loader import story_files

    changed = []
    for path in story_files(root):
        text = path.read_text(encoding="utf-8")
        line = modeline(root, path, folder)
        if line is None:
            continue
        first, newline, rest = text.partition("\n")
        new = (line + "\n" + rest) if first.startswith(MODELINE) else (line + "\n" + text)
        if not newline and first.startswith(MODELINE):
            new = line + "\n"
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def write_story_schemas(story: Story) -> list[Path]:
    """`archer schema DIR`: the story's own schemas in DIR/schema, and a `$schema` line in every file."""
    folder = story.root / "schema"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_story_schemas(story).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written + write_modelines(story.root, folder)


def stale_schema_warnings(story: Story) -> list[Finding]:
    """A warning for each schema in the story's schema folder that no longer matches the story."""
    folder = story.root / "schema"
    if not folder.is_dir():
        return []
    own: dict[str, str] | None = None  # each rendered only when a file is compared with it
    shapes: dict[str, str] | None = None
    found = []
    for name in SCHEMAS:
        path = folder / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            written = json.loads(text)
        except (OSError, UnicodeDecodeError, ValueError):
            text, written = "", {}
        if isinstance(written, dict) and str(written.get("$comment", "")).startswith(OWN_MARK):
            own = own if own is not None else render_story_schemas(story)
            fix = f"run 'archer schema {story.root}' so that editors know the story's ids"
            stale = text != own[name]
        else:
            shapes = shapes if shapes is not None else render_schemas()
            fix = f"run 'python -m game.story.schema {folder}' to regenerate it"
            stale = text != shapes[name]
        if stale:
            found.append(Finding(_display(path), 1, f"the schema {name} is out of date: {fix}", "warning"))
    return found


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("story/schema")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in render_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
