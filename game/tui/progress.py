"""Endings found, per story, kept between runs (the title screen's "Endings found").

Stored beside the settings; a broken file counts as "none found yet" rather
than stopping the game.
"""

from __future__ import annotations

from pathlib import Path

from game.tui.storage import config_dir, read_json, write_json_atomically

PROGRESS_FILE = "progress.json"


def progress_path() -> Path:
    return config_dir() / PROGRESS_FILE


def load_endings_found(story_id: str, path: Path | None = None) -> list[str]:
    """The ids of the endings reached in earlier runs of this story, in the order first reached."""
    try:
        data = read_json(path or progress_path())
    except (FileNotFoundError, ValueError):
        return []
    found = data.get("endings", {}).get(story_id, []) if isinstance(data, dict) else []
    if not isinstance(found, list):
        return []
    return [ending for ending in found if isinstance(ending, str)]


def record_ending(story_id: str, ending_id: str, path: Path | None = None) -> list[str]:
    """Add an ending to those found (once) and write the file; returns the endings found."""
    path = path or progress_path()
    try:
        data = read_json(path)
    except (FileNotFoundError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    endings = data.get("endings")
    if not isinstance(endings, dict):
        endings = {}
    found = load_endings_found(story_id, path)
    if ending_id not in found:
        found.append(ending_id)
    endings[story_id] = found
    data.update(version=1, endings=endings)
    write_json_atomically(path, data)
    return found
