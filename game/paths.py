"""Where Archer keeps things: the shipped story, saves, settings, the story cache and the error log.

One module decides every location, so a test (or a player) moves any of them
with one environment variable, and no two modules can disagree.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
APP = "archer"


def default_story_dir() -> Path:
    """The bundled story: `game/_story` when installed, `story/` beside `game/` in a checkout."""
    bundled = _PACKAGE / "_story"
    if (bundled / "story.yaml").is_file():
        return bundled
    return _PACKAGE.parent / "story"


def _chosen(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else None


def saves_dir() -> Path:
    """`--saves`/ARCHER_SAVES, else `saves/` in a checkout, else the user data folder."""
    chosen = _chosen("ARCHER_SAVES")
    if chosen is not None:
        return chosen
    checkout = _PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "saves").is_dir():
        return checkout / "saves"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False)) / "saves"


def config_dir() -> Path:
    """ARCHER_CONFIG_DIR, else the user config folder (settings live here)."""
    chosen = _chosen("ARCHER_CONFIG_DIR")
    if chosen is not None:
        return chosen
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def cache_dir() -> Path | None:
    """ARCHER_CACHE_DIR, else the user cache folder; None when ARCHER_NO_CACHE is set."""
    if os.environ.get("ARCHER_NO_CACHE"):
        return None
    chosen = _chosen("ARCHER_CACHE_DIR")
    if chosen is not None:
        return chosen
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False)) / "stories"


def log_file() -> Path:
    """Where the details of an unexpected error go: ARCHER_LOG_DIR, else the user log folder."""
    folder = _chosen("ARCHER_LOG_DIR")
    if folder is None:
        from platformdirs import user_log_dir

        folder = Path(user_log_dir(APP, appauthor=False))
    return folder / "archer-errors.log"
