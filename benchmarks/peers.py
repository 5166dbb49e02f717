"""The peers and floors `make bench` measures Archer against, each doing the same work in the same run.

* bink (Blade Ink, a Rust ink runtime, from PyPI) and inkjs (npm, run by node)
  walk the ink twin of the generated story (gen_story.ink_source) by random
  choices, as Archer's engine walks the YAML one.
* PyYAML's CSafeLoader with the collector off reads the same files Archer reads
  cold: the floor of any YAML story loader.
* msgspec decodes the same story, as typed structs, from JSON: the floor of a
  warm load from a compiled cache.

A peer that is missing (no node, no npm, no bink) is reported as skipped with
the way to get it, never silently.
"""

from __future__ import annotations

import gc
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
INK_CACHE = Path(os.environ.get("ARCHER_BENCH_CACHE", Path.home() / ".cache" / "archer-bench"))
INKJS_VERSION = "2.4.0"
INK_WALK_JS = HERE / "ink_walk.js"


class Missing(Exception):
    """A peer that cannot run on this machine; the message says how to get it."""


# -- ink ------------------------------------------------------------------------


def inkjs_folder() -> Path:
    """An npm folder with inkjs installed (once, cached outside the checkout)."""
    folder = INK_CACHE / f"inkjs-{INKJS_VERSION}"
    if (folder / "node_modules" / "inkjs").is_dir():
        return folder
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise Missing("node and npm are not installed (apt-get install nodejs npm)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"name": "archer-bench-ink", "private": true}\n', encoding="utf-8")
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", f"inkjs@{INKJS_VERSION}"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return folder


def compile_ink(source: Path, target: Path) -> Path:
    """Compile ink source to the runtime's JSON with inkjs's own compiler."""
    folder = inkjs_folder()
    subprocess.run(["node", str(INK_WALK_JS), "compile", str(source), str(target)], cwd=folder, check=True)
    return target


def inkjs_steps_per_second(compiled: Path, steps: int, seed: int = 1) -> float:
    folder = inkjs_folder()
    done = subprocess.run(
        ["node", str(INK_WALK_JS), "walk", str(compiled), str(steps), str(seed)],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.split()[-1])


class BinkWalk:
    """bink's story, loaded once; `steps_per_second` walks it as `archer_walk` walks Archer's."""

    def __init__(self, compiled: Path) -> None:
        try:
            from bink.story import Story
        except ImportError:
            raise Missing("bink is not installed (pip install -e '.[bench]')") from None
        self.story = Story(compiled.read_text(encoding="utf-8-sig"))

    def steps_per_second(self, steps: int, seed: int = 1) -> float:
        story = self.story
        story.reset_state()
        rng = random.Random(seed)
        taken = 0
        start = time.perf_counter()
        while taken < steps:
            story.continue_maximally()
            offered = len(story.get_current_choices())
            if offered == 0:
                story.reset_state()
                continue
            story.choose_choice_index(rng.randrange(offered))
            taken += 1
        return taken / (time.perf_counter() - start)


# -- YAML and JSON floors ---------------------------------------------------------


def csafe_load_seconds(root: Path) -> float:
    """Seconds for PyYAML's CSafeLoader alone, the collector off, to read every story file."""
    import yaml

    files = sorted(root.rglob("*.yaml"))
    gc.disable()
    try:
        start = time.perf_counter()
        for file in files:
            with file.open("rb") as stream:
                yaml.load(stream, Loader=yaml.CSafeLoader)
        return time.perf_counter() - start
    finally:
        gc.enable()


def story_as_json(story: Any) -> bytes:
    """The scenes of a loaded story as plain JSON, the data a typed decoder would rebuild."""

    def condition(value: Any) -> str | None:
        return None if value is None else str(getattr(value, "source", value))

    scenes = {
        scene.id: {
            "id": scene.id,
            "beat": scene.beat,
            "title": scene.title,
            "place": scene.place,
            "at": scene.at,
            "lines": [
                {"speaker": line.speaker, "text": line.text, "condition": condition(line.condition), "at": line.at}
                for line in scene.lines
            ],
            "on_enter": [str(effect) for effect in scene.on_enter],
            "choices": [
                {
                    "key": choice.key,
                    "text": choice.text,
                    "goto": choice.goto,
                    "ending": choice.ending,
                    "condition": condition(choice.condition),
                    "once": choice.once,
                    "effects": [str(effect) for effect in choice.effects],
                    "trigger": choice.trigger,
                    "at": choice.at,
                }
                for choice in scene.choices
            ],
        }
        for scene in story.scenes.values()
    }
    return json.dumps({"scenes": scenes}).encode()


try:
    import msgspec
except ImportError:  # reported as a skipped peer by msgspec_decoder
    msgspec = None
else:

    class Line(msgspec.Struct, frozen=True):
        speaker: str
        text: str
        condition: str | None
        at: str

    class Choice(msgspec.Struct, frozen=True):
        key: str
        text: str
        goto: str | None
        ending: str | None
        condition: str | None
        once: bool
        effects: list[str]
        trigger: str | None
        at: str

    class Scene(msgspec.Struct, frozen=True):
        id: str
        beat: str
        title: str
        place: str
        at: str
        lines: list[Line]
        on_enter: list[str]
        choices: list[Choice]

    class Scenes(msgspec.Struct, frozen=True):
        scenes: dict[str, Scene]


def msgspec_decoder() -> Any:
    """A msgspec decoder of `story_as_json`'s data into frozen typed structs, as our model is."""
    if msgspec is None:
        raise Missing("msgspec is not installed (pip install -e '.[bench]')")
    return msgspec.json.Decoder(Scenes)


def msgspec_decode_seconds(decoder: Any, data: bytes) -> float:
    gc.disable()
    try:
        start = time.perf_counter()
        decoder.decode(data)
        return time.perf_counter() - start
    finally:
        gc.enable()


if __name__ == "__main__":  # a quick look: python benchmarks/peers.py /tmp/story.ink
    out = Path(sys.argv[1]).with_suffix(".json")
    print(compile_ink(Path(sys.argv[1]), out), inkjs_steps_per_second(out, 20_000))
