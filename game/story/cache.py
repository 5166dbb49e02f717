"""The compiled story cache: a checked story, pickled, keyed by the hash of its files.

Reading 7 MB of YAML and checking it takes seconds; reading back the checked
model takes a small fraction of that. Any change to any story file changes the
hash, so a stale cache is never used. The unpickler only accepts the story
model's own classes, so a planted cache file cannot run code.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
from pathlib import Path
from typing import Any

from game.atomic import write_atomically
from game.story import model

FORMAT = 3  # 2: scenes pickled flat (model.Scene.__reduce__), places as text; 3: deductions
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


def cache_dir() -> Path | None:
    """ARCHER_CACHE_DIR, else the user cache folder; None when ARCHER_NO_CACHE is set."""
    if os.environ.get("ARCHER_NO_CACHE"):
        return None
    chosen = os.environ.get("ARCHER_CACHE_DIR")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("archer", appauthor=False)) / "stories"


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a story")
        return super().find_class(module, name)


def _path(digest: str) -> Path | None:
    folder = cache_dir()
    return folder / f"{digest}-v{FORMAT}.pickle" if folder is not None else None


def read_cached(digest: str, root: Path) -> model.Story | None:
    """The cached story for these files, or None (no cache, or one that cannot be read)."""
    path = _path(digest)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:  # load_story pauses the garbage collector meanwhile: unpickling makes many objects and frees none
        story = _ModelUnpickler(io.BytesIO(data)).load()
    except Exception:  # a damaged or foreign cache file is simply not used
        return None
    if not isinstance(story, model.Story) or story.digest != digest:
        return None
    return story.with_root(root)


def write_cache(story: model.Story) -> None:
    """Keep a checked story for next time; a cache that cannot be written is no error."""
    path = _path(story.digest)
    if path is None:
        return
    with contextlib.suppress(OSError):
        write_atomically(path, pickle.dumps(story, protocol=pickle.HIGHEST_PROTOCOL))
