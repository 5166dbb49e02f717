"""Save slots: one JSON file a slot, written atomically, read defensively.

A save holds the state *and* the choice log, so when the story has changed since
it was written it can be rebuilt by replaying the log through the new story,
as far as the log still fits. A damaged file is reported by name; the other
slots are never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.atomic import write_atomically
from game.story.model import Story

if TYPE_CHECKING:  # the engine is imported when a save is read, not to start the game
    from game.engine.engine import Engine, Step
    from game.engine.run import Run
    from game.engine.state import GameState

SAVE_FORMAT = "archer-save"
SAVE_VERSION = 1
SUFFIX = ".json"
AUTOSAVE_SLOTS = 3
QUICKSAVE = "quicksave"
ENDINGS_FILE = "endings-found.json"
_SLOT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,47}$")


class SaveError(Exception):
    """A save that cannot be written or read, with a message for the player."""


def default_saves_dir() -> Path:
    """`--saves`/ARCHER_SAVES, else `saves/` in a checkout, else the user data folder."""
    chosen = os.environ.get("ARCHER_SAVES")
    if chosen:
        return Path(chosen).expanduser()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "saves").is_dir():
        return checkout / "saves"
    from platformdirs import user_data_dir

    return Path(user_data_dir("archer", appauthor=False)) / "saves"


def check_slot_name(name: str) -> str:
    """The slot name, or SaveError: names never leave the save folder."""
    name = name.strip()
    if not _SLOT_NAME.match(name) or ".." in name:
        raise SaveError(
            f"'{name}' can't be a slot name: use up to 48 letters, digits, spaces, '-', '_' or '.', starting with a letter or digit"
        )
    return name


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """One slot as the load screen and `archer saves` show it."""

    name: str
    path: Path
    status: str  # "ok", "damaged", "older story" or "other story"
    problem: str = ""
    beat: str = ""
    scene_title: str = ""
    clues: int = 0
    play_seconds: float = 0.0
    saved_at: str = ""

    @property
    def usable(self) -> bool:
        return self.status in ("ok", "older story")


@dataclass(frozen=True, slots=True)
class Loaded:
    """A save brought back to life: the run, and what the player should be told."""

    run: Run
    play_seconds: float
    notice: str


class SaveStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / f"{check_slot_name(name)}{SUFFIX}"

    # -- writing ---------------------------------------------------------------
    def save(self, name: str, story: Story, state: GameState, play_seconds: float = 0.0) -> Path:
        path = self.path(name)
        self._sweep(path)
        view_scene = story.scenes.get(state.scene)
        payload = {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "story": {"id": story.id, "digest": story.digest},
            "meta": {
                "slot": name,
                "beat": story.beats[state.beat].title if state.beat in story.beats else state.beat,
                "scene_title": view_scene.title if view_scene else state.scene,
                "clues": len(state.clues),
                "play_seconds": round(play_seconds, 1),
                "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            "state": state.to_json(),
        }
        try:
            write_atomically(path, json.dumps(payload, ensure_ascii=False, indent=1))
        except OSError as error:
            raise SaveError(f"could not write {path}: {error.strerror or error}") from None
        return path

    def autosave(self, story: Story, state: GameState, play_seconds: float = 0.0) -> Path:
        """Write the newest autosave, keeping the last AUTOSAVE_SLOTS of them."""
        for index in range(AUTOSAVE_SLOTS - 1, 0, -1):
            older = self.folder / f"autosave-{index}{SUFFIX}"
            if older.exists():
                os.replace(older, self.folder / f"autosave-{index + 1}{SUFFIX}")
        return self.save("autosave-1", story, state, play_seconds)

    def _sweep(self, path: Path) -> None:
        """Remove temp files that a killed writer left behind (old enough not to be in use)."""
        cutoff = time.time() - 60
        for temp in path.parent.glob(f".{path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    # -- reading ---------------------------------------------------------------
    def _read(self, path: Path) -> dict[str, Any]:
        """The JSON of a save file, checked for shape; SaveError naming the file otherwise."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise SaveError(f"there is no save called '{path.stem}'") from None
        except OSError as error:
            raise SaveError(f"{path.name} could not be read: {error.strerror or error}") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SaveError(f"{path.name} is damaged (not a complete save file)") from None
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise SaveError(f"{path.name} is not an Archer save")
        if data.get("version") != SAVE_VERSION:
            raise SaveError(
                f"{path.name} was written by another version of Archer (save version {data.get('version')!r})"
            )
        if not isinstance(data.get("story"), dict) or not isinstance(data.get("meta"), dict):
            raise SaveError(f"{path.name} is damaged (its header is missing)")
        from game.engine.state import GameState

        try:
            GameState.from_json(data.get("state"))
        except ValueError as error:
            raise SaveError(f"{path.name} is damaged ({error})") from None
        return data

    def slots(self, story: Story) -> list[SlotInfo]:
        """Every slot, newest first; damaged ones included, marked, never deleted."""
        infos = [self._info(path, story) for path in self._files()]
        return sorted(infos, key=lambda info: (info.saved_at, info.path.stat().st_mtime), reverse=True)

    def _files(self) -> Iterator[Path]:
        if self.folder.is_dir():
            for path in self.folder.glob(f"*{SUFFIX}"):
                if path.name != ENDINGS_FILE and not path.name.startswith("."):
                    yield path

    def _info(self, path: Path, story: Story) -> SlotInfo:
        try:
            data = self._read(path)
        except SaveError as error:
            return SlotInfo(path.stem, path, "damaged", str(error))
        meta, header = data["meta"], data["story"]
        if header.get("id") != story.id:
            status = "other story"
        elif header.get("digest") != story.digest:
            status = "older story"
        else:
            status = "ok"
        return SlotInfo(
            name=path.stem,
            path=path,
            status=status,
            beat=str(meta.get("beat", "")),
            scene_title=str(meta.get("scene_title", "")),
            clues=int(meta.get("clues", 0)) if isinstance(meta.get("clues"), int) else 0,
            play_seconds=float(meta.get("play_seconds", 0))
            if isinstance(meta.get("play_seconds"), (int, float))
            else 0.0,
            saved_at=str(meta.get("saved_at", "")),
        )

    def newest(self, story: Story) -> SlotInfo | None:
        return next((info for info in self.slots(story) if info.usable), None)

    def load(self, name: str, engine: Engine) -> Loaded:
        """Load a slot into a run; when the story changed, replay its log as far as it fits."""
        from game.engine.run import Run, carry_over, fits
        from game.engine.state import GameState

        story = engine.story
        path = self.path(name)
        data = self._read(path)
        if data["story"].get("id") != story.id:
            raise SaveError(f"{path.name} belongs to another story ('{data['story'].get('id')}')")
        state = GameState.from_json(data["state"])
        seconds = data["meta"].get("play_seconds", 0.0)
        seconds = float(seconds) if isinstance(seconds, (int, float)) else 0.0
        if data["story"].get("digest") == story.digest and fits(story, state):
            return Loaded(Run.resume(engine, state), seconds, "")
        run, notice = carry_over(engine, state, "since this save")
        return Loaded(run, seconds, notice)


@dataclass
class Autosave:
    """When to autosave: on every beat change, and every `every` choices (0: beats only)."""

    store: SaveStore
    every: int = 5
    since: int = 0

    def due(self, step: Step) -> bool:
        """Count the choice; whether it calls for an autosave now (cheap, so a frontend can ask first)."""
        self.since += 1
        if step.ending is not None:
            return False
        if step.entered_beat is not None or (self.every and self.since >= self.every):
            self.since = 0
            return True
        return False

    def after(self, story: Story, step: Step, play_seconds: float) -> Path | None:
        """Autosave after `step` if it is due; the slot written, if any."""
        return self.store.autosave(story, step.state, play_seconds) if self.due(step) else None


class EndingsRecord:
    """Which endings a player has reached, kept across runs beside the saves."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / ENDINGS_FILE

    def found(self, story: Story) -> dict[str, str]:
        """Ending id -> date first reached, for this story; a damaged record reads as empty."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            entries = data[story.id]
        except (OSError, ValueError, KeyError, TypeError):
            return {}
        if not isinstance(entries, dict):
            return {}
        return {k: str(v) for k, v in entries.items() if k in story.endings}

    def add(self, story: Story, ending: str) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        entries = data.get(story.id)
        if not isinstance(entries, dict):
            entries = {}
        entries.setdefault(ending, time.strftime("%Y-%m-%d"))
        data[story.id] = entries
        write_atomically(self.path, json.dumps(data, indent=1))
