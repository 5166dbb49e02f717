"""`archer new DIR`: a small story that works, for an author to grow into their own.

Three scenes, two beats, a clue and an ending: every part of the format once,
each file with its `$schema` line and the story's own schemas beside them, and
editor settings, so that completion and checking work from the first keystroke.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

STORY = """\
id: {id}
title: {title}
subtitle: A new Archer story
start: hall
voiceover: detective
beats:
  initial: inquiry
  states:
    - name: inquiry
      title: "Part One: The Inquiry"
      card: Someone in this house knows more than they say.
    - name: reveal
      title: "Part Two: The Reveal"
      card: The note changes everything.
  transitions:
    - trigger: confront
      source: inquiry
      dest: reveal
      if: has(note)
endings:
  solved:
    title: Case closed
    text: The witness tells the truth at last, and the house is quiet again.
"""

CHARACTERS = """\
detective:
  name: You
  color: "#4a90d9"
  description: The one asking the questions.
witness:
  name: The witness
  color: "#d98a4a"
  description: Was in the house all evening.
  suspect: true
"""

CLUES = """\
note:
  name: A torn note
  description: Half a page in the witness's hand, dated tonight.
  bears_on:
    witness: motive
"""

INQUIRY_SCENES = """\
hall:
  beat: inquiry
  title: The hall
  place: The old house
  lines:
    - narrator: Rain on the windows. A door to the study stands open.
    - voiceover: Every house keeps one secret. This one keeps it in the study.
  choices:
    - say: Search the study
      goto: study

study:
  beat: inquiry
  title: The study
  place: The old house
  lines:
    - narrator: Papers everywhere, and one torn note under the lamp.
    - if: has(note)
      detective: The witness wrote this tonight.
  choices:
    - say: Read the torn note
      once: true
      do:
        - gain: note
      goto: study
    - say: Show the note to the witness
      trigger: confront
      goto: parlor
    - say: Go back to the hall
      goto: hall
"""

REVEAL_SCENES = """\
parlor:
  beat: reveal
  title: The parlor
  place: The old house
  lines:
    - witness: Where did you find that?
  choices:
    - say: Ask the witness to tell the truth
      ending: solved
"""

EDITORS = """\
# Editing this story

Every YAML file starts with a `# yaml-language-server: $schema=...` line that
points at this story's own schemas in `schema/`. Editors that use the YAML
language server then complete fields and ids (`goto:` offers the scenes) and
flag mistakes as you type:

- VS Code: install the YAML extension (Red Hat); `.vscode/settings.json` is ready.
- Neovim, Helix, Zed, Emacs: use yaml-language-server; the `$schema` lines are enough.

After adding or renaming ids, run `archer schema .` so the editor knows them
(`archer check` says when the schemas are out of date). For diagnostics from
`archer check` itself, go to definition, rename and more, run `archer lsp` as
a language server: see "Using an editor" in Archer's guide to writing scenes.
"""


class ScaffoldError(Exception):
    """A folder a new story cannot be written into."""


def story_id(folder: Path) -> str:
    """A story id from a folder name: lower-case words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-") or "new-story"


def create_story(folder: Path) -> list[Path]:
    """Write a new working story into `folder` (which must be new or empty); the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} already exists and is not an empty folder")
    ident = story_id(folder)
    title = ident.replace("-", " ").title()
    files = {
        "story.yaml": STORY.format(id=ident, title=json.dumps(title)),
        "characters.yaml": CHARACTERS,
        "clues.yaml": CLUES,
        "scenes/1-inquiry.yaml": INQUIRY_SCENES,
        "scenes/2-reveal.yaml": REVEAL_SCENES,
        "EDITORS.md": EDITORS,
        ".vscode/settings.json": json.dumps(vscode_settings(), indent=2) + "\n",
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    from game.story.loader import load_story
    from game.story.schema import write_story_schemas

    write_story_schemas(load_story(folder, use_cache=False))
    return written + sorted((folder / "schema").glob("*.json"))


def vscode_settings() -> dict[str, object]:
    """Schemas by file pattern, for VS Code's YAML extension (the `$schema` lines say the same)."""
    from game.story.schema import FILE_SCHEMAS, SCENE_SCHEMA

    schemas: dict[str, object] = {f"./schema/{schema}": [name] for name, schema in FILE_SCHEMAS.items()}
    schemas[f"./schema/{SCENE_SCHEMA}"] = ["scenes/**/*.yaml"]
    return {"yaml.schemas": schemas, "yaml.validate": True, "yaml.completion": True}
