"""The compiled story cache: a checked story, pickled, keyed by the hash of its files and of Archer's code.

Reading 7 MB of YAML and checking it takes seconds; reading back the checked
model takes a small fraction of that. The cache is untrusted input: any doubt
and the story is read from its YAML again.

- Any change to a story file changes the digest; any change to the code that
  reads stories or to the model's field layout changes the key (`code_key`), so a
  fix to the reader is never hidden behind an old cache.
- Only a regular file is read (not a FIFO, a device, or a link to one), and only up
  to MAX_BYTES; its blake2b checksum is verified before anything is unpickled.
- The unpickler only accepts the story model's own classes, so a planted file
  cannot run code; what it builds is then checked, type by type and reference by
  reference (`_sound`), so a forged file cannot crash a game later.
- Only the newest KEEP files are kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
import re
import stat
from collections.abc import Iterable, Mapping
from functools import cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

from game import paths
from game.atomic import write_atomically
from game.story import conditions, model

FORMAT = 4  # 3: a checksummed frame around the pickle, keyed by the code; 4: deductions
MAX_BYTES = 512 * 1024 * 1024
KEEP = 4
_MAGIC = b"archer-story-cache\n"
_SUM = 32  # bytes of blake2b
_OURS = re.compile(r"[0-9a-f]{64}-.*\.pickle\Z")  # a file this module wrote, by its name
_ALLOWED = (
    {("builtins", name) for name in ("frozenset", "set", "dict", "list", "tuple", "str", "int", "bool")}
    | {
        ("game.story.model", name)
        for name in (
            *("Story", "revive_scene", "Character", "Clue", "Ending", "Beat", "BeatTransition"),
            *("Blank", "Deduction", "Outcome", "Presentation"),
        )
    }
    | {
        ("game.story.conditions", "Effect"),
        ("game.story.conditions", "revive_condition"),
        ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"),
    }
)
_MODEL_CLASSES = (
    model.Story,
    model.Scene,
    model.Line,
    model.Choice,
    model.Character,
    model.Clue,
    model.Ending,
    model.Beat,
    model.BeatTransition,
    conditions.Condition,
    conditions.Effect,
)


def cache_dir() -> Path | None:
    """ARCHER_CACHE_DIR, else the user cache folder; None when ARCHER_NO_CACHE is set (game.paths decides)."""
    return paths.cache_dir()


@cache
def code_key() -> str:
    """A digest of what makes a cache readable: FORMAT, the model's field layout, and the story code.

    Reordering or retyping a field of a model class, or any edit to the code that
    reads and checks stories (game/story/*.py), gives a new key.
    """
    digest = hashlib.blake2b(f"format {FORMAT}\n".encode(), digest_size=16)
    for cls in _MODEL_CLASSES:
        layout = ",".join(f"{f.name}:{f.type}" for f in dataclasses.fields(cls))
        digest.update(f"{cls.__module__}.{cls.__qualname__}({layout})\n".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        with contextlib.suppress(OSError):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def path_for(digest: str) -> Path | None:
    """Where the cache of a story with this digest lives (None when caching is off)."""
    folder = cache_dir()
    return folder / f"{digest}-{code_key()[:16]}.pickle" if folder is not None else None


def framed(payload: bytes) -> bytes:
    """A pickle as stored: magic, code key, checksum, then the pickle."""
    checksum = hashlib.blake2b(payload, digest_size=_SUM).digest()
    return _MAGIC + code_key().encode() + b"\n" + checksum + payload


def _unframed(data: bytes) -> bytes | None:
    """The pickle inside a stored file, or None when the frame or its checksum is wrong."""
    head = _MAGIC + code_key().encode() + b"\n"
    if not data.startswith(head):
        return None
    checksum, payload = data[len(head) : len(head) + _SUM], data[len(head) + _SUM :]
    return payload if hashlib.blake2b(payload, digest_size=_SUM).digest() == checksum else None


def _read_regular_file(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most MAX_BYTES; never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(os.dup(handle), "rb") as file:
            data = file.read(MAX_BYTES + 1)
        return data if len(data) <= MAX_BYTES else None
    except OSError:
        return None
    finally:
        os.close(handle)


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a story")
        return super().find_class(module, name)


def read_cached(digest: str, root: Path) -> model.Story | None:
    """The cached story for these files, or None (no cache, or one that is not exactly sound)."""
    path = path_for(digest)
    if path is None:
        return None
    data = _read_regular_file(path)
    payload = _unframed(data) if data is not None else None
    if payload is None:
        return None
    try:  # load_story pauses the garbage collector meanwhile: unpickling makes many objects and frees none
        story = _ModelUnpickler(io.BytesIO(payload)).load()
        if not isinstance(story, model.Story) or story.digest != digest or not _sound(story):
            return None
    except Exception:  # a damaged or foreign cache file is simply not used
        return None
    return story.with_root(root)


def write_cache(story: model.Story) -> None:
    """Keep a checked story for next time, and prune old ones; a cache that cannot be written is no error."""
    path = path_for(story.digest)
    if path is None:
        return
    with contextlib.suppress(OSError):
        write_atomically(path, framed(pickle.dumps(story, protocol=pickle.HIGHEST_PROTOCOL)))
        _prune(path.parent, keep=path)


def _prune(folder: Path, keep: Path) -> None:
    """Delete all but the newest KEEP cache files (always keeping `keep`, just written)."""
    found = []
    for entry in os.scandir(folder):
        if _OURS.match(entry.name) and entry.is_file(follow_symlinks=False) and entry.path != str(keep):
            with contextlib.suppress(OSError):
                found.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
    found.sort(reverse=True)
    for _, stale in found[KEEP - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(stale)


# -- what a cache must hold to be played: checked after unpickling ------------------------------


def _texts(*values: Any) -> bool:
    return all(type(value) is str for value in values)


def _condition(value: Any, checked: set[int]) -> bool:
    """None, or a condition whose source still parses to the same ids (it is compiled here, once)."""
    if value is None or id(value) in checked:
        return True
    if type(value) is not conditions.Condition or type(value.source) is not str:
        return False
    fresh = conditions.parse_condition(value.source, value.counters)  # LanguageError: caught by read_cached
    if (fresh.flags, fresh.counters, fresh.clues, fresh.scenes, fresh.numbers) != (
        value.flags,
        value.counters,
        value.clues,
        value.scenes,
        value.numbers,
    ):
        return False
    object.__setattr__(value, "test", fresh.test)
    checked.add(id(value))  # a condition is shared by every place that has the same text
    return True


def _table(value: Any, cls: type) -> bool:
    return isinstance(value, Mapping) and all(type(k) is str and type(v) is cls for k, v in value.items())


def _all(objects: list[Any], names: str, *kinds: type) -> bool:
    """Each of the fields `names` of every object is of one of `kinds` (one pass, run in C)."""
    fields = names.split()
    columns = map(attrgetter(*fields), objects)
    values: Iterable[Any] = chain.from_iterable(columns) if len(fields) > 1 else columns
    return set(map(type, values)) <= set(kinds)


def _sound(story: model.Story) -> bool:
    """Every field of the type the engine expects, and every id a choice or scene names defined.

    Written as whole-column checks (map, set) rather than a loop per object: a 10,000-scene
    story has 60,000 lines and choices, and this runs on every warm start.
    """
    if not (
        _texts(story.id, story.title, story.subtitle, story.start, story.content_note, story.initial_beat, story.digest)
        and (story.voiceover is None or type(story.voiceover) is str)
        and all(
            _table(table, cls)
            for table, cls in (
                (story.beats, model.Beat),
                (story.endings, model.Ending),
                (story.characters, model.Character),
                (story.clues, model.Clue),
                (story.scenes, model.Scene),
            )
        )
        and type(story.transitions) is tuple
        and story.start in story.scenes
        and story.initial_beat in story.beats
    ):
        return False
    transitions = list(story.transitions)
    scenes = list(story.scenes.values())
    lines = [line for scene in scenes for line in scene.lines]  # Line and Choice: made by revive_scene
    choices = [choice for scene in scenes for choice in scene.choices]
    none = type(None)
    beats, endings = story.beats.keys(), story.endings.keys()
    if not (
        set(map(type, transitions)) <= {model.BeatTransition}
        and _all(transitions, "trigger source dest at", str)
        and {t.source for t in transitions} | {t.dest for t in transitions} <= beats
        and _all(list(story.beats.values()), "name title card at", str)
        and _all(list(story.endings.values()), "id title text at", str)
        and _all(list(story.characters.values()), "id name colour description at", str)
        and _all(list(story.characters.values()), "suspect", bool)
        and _all(list(story.clues.values()), "id name description at", str)
        and all(_table(clue.bears_on, str) for clue in story.clues.values())
        and _all(scenes, "id beat title place at", str)
        and _all(scenes, "lines on_enter choices", tuple)
        and set(map(attrgetter("beat"), scenes)) <= beats
        and _all(lines, "speaker text at", str)
        and _all(choices, "key text at", str)
        and _all(choices, "once", bool)
        and _all(choices, "trigger", str, none)
        and set(
            zip(map(type, map(attrgetter("goto"), choices)), map(type, map(attrgetter("ending"), choices)), strict=True)
        )
        <= {(str, none), (none, str)}
        and set(map(attrgetter("goto"), choices)) - {None} <= story.scenes.keys()
        and set(map(attrgetter("ending"), choices)) - {None} <= endings
        and set(map(attrgetter("trigger"), choices)) - {None} <= {t.trigger for t in transitions}
    ):
        return False
    effects = {effect for scene in scenes for effect in scene.on_enter}
    effects.update(effect for choice in choices for effect in choice.effects)
    if not all(
        type(e) is conditions.Effect
        and e.kind in conditions.EFFECT_KINDS
        and type(e.name) is str
        and type(e.amount) is int
        for e in effects
    ):
        return False
    guards = {t.guard for t in transitions} | set(map(attrgetter("condition"), lines))
    guards.update(map(attrgetter("condition"), choices))
    checked: set[int] = set()
    return all(_condition(guard, checked) for guard in guards)
