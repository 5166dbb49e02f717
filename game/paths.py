"""Where the shipped story lives, in a checkout and in an installed package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def default_story_dir() -> Path:
    """The bundled story: `game/_story` when installed, `story/` beside `game/` in a checkout."""
    bundled = _PACKAGE / "_story"
    if (bundled / "story.yaml").is_file():
        return bundled
    return _PACKAGE.parent / "story"
