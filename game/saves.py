"""Save slots: one JSON file a slot, written atomically, read defensively.

A save holds the state *and* the choice log, so when the story has changed since
it was written it can be rebuilt by replaying the log through the new story,
as far as the log still fits. A damaged file is reported by name; the other
slots are never touched, and nothing a file holds stops the others loading.

The game's own files live apart from the player's slots, in `system/`: the
autosaves (one uniquely named file each, so two games can autosave at once)
and the endings record (one file an ending, so two games never lose one).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
import uuid
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from game.atomic import write_atomically
from game.paths import saves_dir

if TYPE_CHECKING:  # the engine is imported when a save is read, and the model not at all: the title needs neither
    from game.engine.engine import Engine
    from game.engine.run import Run
    from game.engine.state import GameState
    from game.story.model import Story

SAVE_FORMAT = "archer-save"
SAVE_VERSION = 1
SUFFIX = ".json"
AUTOSAVE_SLOTS = 3
AUTOSAVE = "autosave"
QUICKSAVE = "quicksave"
SYSTEM_DIR = "system"
ENDINGS_FILE = "endings-found.json"  # the record as older versions kept it, among the slots
MAX_SAVE_BYTES = 64 * 1024 * 1024
_SLOT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,47}$")
_AUTOSAVE_NAME = re.compile(r"^autosave-([1-9][0-9]*)$")
_RESERVED = re.compile(r"^(autosave.*|endings-found|system)$", re.IGNORECASE)
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


class StoryKey(Protocol):
    """What reading the slots and the endings record needs of a story: a whole Story, or the title
    page (game.story.title_page) that the title screen is drawn from before the story has loaded."""

    @property
    def id(self) -> str: ...

    @property
    def digest(self) -> str: ...

    @property
    def endings(self) -> Collection[str]: ...


class SaveError(Exception):
    """A save that cannot be written or read, with a message for the player."""


def default_saves_dir() -> Path:
    """Where saves go (decided in game.paths)."""
    return saves_dir()


def check_slot_name(name: str) -> str:
    """The slot name, or SaveError: names never leave the save folder."""
    name = name.strip()
    if not _SLOT_NAME.fullmatch(name) or ".." in name or name.endswith("."):
        raise SaveError(
            f"'{printable(name)}' can't be a slot name: use up to 48 letters, digits, spaces, '-', '_' or '.', "
            "starting with a letter or digit"
        )
    if _DEVICE.fullmatch(name):
        raise SaveError(f"'{name}' can't be a slot name: Windows keeps it for a device; choose another")
    return name


def check_new_slot_name(name: str) -> str:
    """A name the player may save under: the game's own names (autosaves, the endings record) are kept back."""
    name = check_slot_name(name)
    if _RESERVED.fullmatch(name):
        raise SaveError(f"'{name}' is a name the game keeps for itself; choose another slot name")
    return name


def printable(text: str, limit: int = 60) -> str:
    """Text safe to show in a message: no control characters, and not too long."""
    shown = "".join(c if c.isprintable() else "?" for c in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a save can hold")


def _parse_json(raw: bytes) -> Any:
    """JSON as a save may hold it; ValueError for anything else (NaN, huge numbers, deep nesting)."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


class SlotInfo(NamedTuple):  # a named tuple, not a dataclass: ~1 ms less before the title's first frame
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

    @property
    def shown_name(self) -> str:
        """The name as it may be shown: a file name on disk can hold any character, escapes included."""
        return printable(self.name)


class Loaded(NamedTuple):
    """A save brought back to life: the run, and what the player should be told."""

    run: Run
    play_seconds: float
    notice: str


class SaveStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.system = folder / SYSTEM_DIR

    def path(self, name: str) -> Path:
        """The file of slot `name`; `autosave-N` is the Nth newest autosave."""
        name = check_slot_name(name)
        rank = _AUTOSAVE_NAME.fullmatch(name)
        if rank is not None:
            autosaves = self._autosaves()
            index = int(rank.group(1)) - 1 if len(rank.group(1)) < 4 else len(autosaves)
            if index < len(autosaves):
                return autosaves[index]
        return self.folder / f"{name}{SUFFIX}"

    # -- writing ---------------------------------------------------------------
    def save(self, name: str, story: Story, state: GameState, play_seconds: float = 0.0) -> Path:
        """Save in the player's slot `name` (never one of the game's own names)."""
        return self._write(self.folder / f"{check_new_slot_name(name)}{SUFFIX}", name, story, state, play_seconds)

    def _write(self, path: Path, name: str, story: Story, state: GameState, play_seconds: float) -> Path:
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
        """Write a new autosave, keeping the newest AUTOSAVE_SLOTS of them.

        Each autosave is a new file with a unique name (time, then a random part),
        so two games autosaving at once never move or overwrite each other's files;
        the oldest beyond the newest few are removed, whoever removes them first.
        """
        unique = f"{AUTOSAVE}-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        path = self._write(self.system / unique, AUTOSAVE, story, state, play_seconds)
        for old in self._autosaves()[AUTOSAVE_SLOTS:]:
            with contextlib.suppress(OSError):
                old.unlink()
        return path

    def _autosaves(self) -> list[Path]:
        """The autosave files, newest first (older versions kept them among the slots)."""
        found = [*_listed(self.system, f"{AUTOSAVE}-*{SUFFIX}"), *_listed(self.folder, f"{AUTOSAVE}-*{SUFFIX}")]
        return sorted(found, key=_age_key, reverse=True)

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
    def _read(self, path: Path, name: str) -> dict[str, Any]:
        """The JSON of a save file, checked for shape; SaveError naming the file (or the autosave) otherwise."""
        label = path.name if path.parent == self.folder else name
        try:
            with path.open("rb") as file:
                size = os.fstat(file.fileno()).st_size  # read(MAX_SAVE_BYTES + 1) would allocate 64 MiB at once
                raw = file.read(min(size, MAX_SAVE_BYTES) + 1)
        except FileNotFoundError:
            raise SaveError(f"there is no save called '{printable(name)}'") from None
        except OSError as error:
            raise SaveError(f"{label} could not be read: {error.strerror or error}") from None
        if len(raw) > MAX_SAVE_BYTES:
            raise SaveError(f"{label} is damaged (far larger than any save)")
        try:
            data = _parse_json(raw)
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            reason = str(error) if "nested" in str(error) or "number" in str(error) else "not a complete save file"
            raise SaveError(f"{label} is damaged ({printable(reason, 80)})") from None
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise SaveError(f"{label} is not an Archer save")
        if data.get("version") != SAVE_VERSION:
            version = data.get("version")
            shown = printable(repr(version), 20) if isinstance(version, (int, str)) else "unknown"
            raise SaveError(f"{label} was written by another version of Archer (save version {shown})")
        if not isinstance(data.get("story"), dict) or not isinstance(data.get("meta"), dict):
            raise SaveError(f"{label} is damaged (its header is missing)")
        from game.engine.state import GameState

        try:
            GameState.from_json(data.get("state"))
        except ValueError as error:
            raise SaveError(f"{label} is damaged ({printable(str(error), 80)})") from None
        return data

    def slots(self, story: StoryKey) -> list[SlotInfo]:
        """Every slot, newest first; damaged ones included, marked, never deleted."""
        infos = [self._info(name, path, story) for name, path in self._files()]
        return sorted(infos, key=lambda info: (info.saved_at, _age_key(info.path)), reverse=True)

    def _files(self) -> Iterator[tuple[str, Path]]:
        """(slot name, file) for the player's slots, then the newest autosaves as autosave-1, -2..."""
        for path in _listed(self.folder, f"*{SUFFIX}"):
            if path.name != ENDINGS_FILE and not path.name.startswith(".") and not path.name.startswith(AUTOSAVE):
                yield path.stem, path
        for rank, path in enumerate(self._autosaves()[:AUTOSAVE_SLOTS], 1):
            yield f"{AUTOSAVE}-{rank}", path

    def _info(self, name: str, path: Path, story: StoryKey) -> SlotInfo:
        try:
            return self._described(name, path, story)
        except SaveError as error:
            return SlotInfo(name, path, "damaged", str(error))
        except Exception as error:
            return SlotInfo(name, path, "damaged", f"{name} is damaged ({type(error).__name__})")

    def _described(self, name: str, path: Path, story: StoryKey) -> SlotInfo:
        data = self._read(path, name)
        meta, header = data["meta"], data["story"]
        if header.get("id") != story.id:
            status = "other story"
        elif header.get("digest") != story.digest:
            status = "older story"
        else:
            status = "ok"
        return SlotInfo(
            name=name,
            path=path,
            status=status,
            beat=_text(meta.get("beat")),
            scene_title=_text(meta.get("scene_title")),
            clues=_count(meta.get("clues")),
            play_seconds=_seconds(meta.get("play_seconds")),
            saved_at=_text(meta.get("saved_at"), 40),
        )

    def newest(self, story: StoryKey) -> SlotInfo | None:
        return next((info for info in self.slots(story) if info.usable), None)

    def any_usable(self, story: StoryKey) -> bool:
        """Whether some slot can be loaded (the title's Continue): reads saves only until it finds one."""
        return any(self._info(name, path, story).usable for name, path in self._files())

    def load(self, name: str, engine: Engine) -> Loaded:
        """Load a slot into a run; when the story changed, replay its log as far as it fits."""
        from game.engine.run import Run, carry_over, fits
        from game.engine.state import GameState

        story = engine.story
        path = self.path(name)
        data = self._read(path, name)
        if data["story"].get("id") != story.id:
            raise SaveError(f"{path.name} belongs to another story ('{_text(data['story'].get('id'))}')")
        state = GameState.from_json(data["state"])
        seconds = _seconds(data["meta"].get("play_seconds"))
        if data["story"].get("digest") == story.digest and fits(story, state):
            return Loaded(Run.resume(engine, state), seconds, "")
        run, notice = carry_over(engine, state, "since this save")
        return Loaded(run, seconds, notice)


class EndingsRecord:
    """Which endings a player has reached, kept across runs beside the saves.

    One small file an ending (`system/endings/<story>/<ending>`): recording is
    creating a file, so two games recording at once never lose each other's
    endings, and no file can grow deep enough to trouble a reader.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder / SYSTEM_DIR / "endings"
        self.legacy = folder / ENDINGS_FILE

    def found(self, story: StoryKey) -> dict[str, str]:
        """Ending id -> date first reached, for this story; anything damaged reads as not found."""
        found = self._legacy(story)
        for path in _listed(self.folder / _file_name(story.id), "*"):
            if path.name in story.endings and path.name not in found:
                try:
                    found[path.name] = _text(path.read_text(encoding="utf-8")[:40].strip(), 20)
                except (OSError, ValueError):
                    found[path.name] = ""
        return found

    def _legacy(self, story: StoryKey) -> dict[str, str]:
        """The record as one JSON file, as older versions wrote it (read, never written)."""
        try:
            with self.legacy.open("rb") as file:
                size = min(os.fstat(file.fileno()).st_size, MAX_SAVE_BYTES)
                entries = _parse_json(file.read(size))[story.id]
        except (OSError, ValueError, KeyError, TypeError):
            return {}
        if not isinstance(entries, dict):
            return {}
        return {k: _text(v, 20) for k, v in entries.items() if k in story.endings}

    def add(self, story: StoryKey, ending: str) -> None:
        """Record `ending` (an id the story checked); a second time changes nothing."""
        path = self.folder / _file_name(story.id) / _file_name(ending)
        if not path.exists():
            write_atomically(path, time.strftime("%Y-%m-%d"))


def _file_name(name: str) -> str:
    """A story or ending id as a file name: as is when it is a plain id, else a digest of it."""
    if re.fullmatch(r"[a-z][a-z0-9_]{0,63}", name):
        return name
    import hashlib  # only for an id that is not a plain one

    return "id-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _listed(folder: Path, pattern: str) -> list[Path]:
    """The files in `folder` matching `pattern`; none when it is missing or unreadable."""
    try:
        return [path for path in folder.glob(pattern) if path.is_file()]
    except OSError:
        return []


def _age_key(path: Path) -> tuple[int, str]:
    """Newest-first ordering that a file vanishing meanwhile cannot break."""
    try:
        return path.stat().st_mtime_ns, path.name
    except OSError:
        return 0, path.name


def _text(value: object, limit: int = 200) -> str:
    """A header field as text to show: only strings count, printable, and never too long."""
    return printable(value, limit) if isinstance(value, str) else ""


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9 else 0


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    seconds = float(value) if abs(value) < 10**12 else 0.0
    return seconds if seconds >= 0 else 0.0
