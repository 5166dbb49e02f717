"""Where the TUI keeps its settings, and how it reads and writes them.

Files are small JSON documents in the user's config directory; `ARCHER_CONFIG_DIR`
overrides it so tests never touch a player's real files. Writes are atomic, so
a crash mid-write never leaves half a file behind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game import paths
from game.atomic import write_atomically

CONFIG_DIR_ENV = "ARCHER_CONFIG_DIR"


def config_dir() -> Path:
    """The directory for Archer's settings file (not created here; decided in game.paths)."""
    return paths.config_dir()


def read_json(path: Path) -> Any:
    """The JSON in `path`; FileNotFoundError when missing, ValueError when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read {path}: {error}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON ({error.msg}, line {error.lineno})") from error


def write_json_atomically(path: Path, data: Any) -> None:
    """Replace `path` with `data` as JSON, all at once or not at all (nothing is written if it cannot be encoded)."""
    write_atomically(path, json.dumps(data, indent=2, sort_keys=True) + "\n")
