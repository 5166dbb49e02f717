"""The player's settings: text speed, theme and the typewriter, kept between runs.

A broken or foreign settings file never stops the game: every field that does
not make sense falls back to its default, and the problem is reported once.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from textual.markup import escape

from game.tui.storage import config_dir, read_json, write_json_atomically

SETTINGS_FILE = "settings.json"
THEME_NAME = re.compile(r"[\w-]{1,64}")  # as Textual names its themes: 'archer-night', 'textual-dark'

DEFAULT_THEME = "archer-night"
# Characters revealed per second by the typewriter.
TEXT_SPEEDS: dict[str, int] = {"slow": 30, "normal": 60, "fast": 120}
# Autosave after this many choices (and always when a chapter begins); 0: only at chapters.
AUTOSAVE_CHOICES = (0, 3, 5, 10)


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = DEFAULT_THEME
    text_speed: str = "normal"
    typewriter: bool = True
    autosave_every: int = 5

    @property
    def characters_per_second(self) -> int:
        return TEXT_SPEEDS.get(self.text_speed, TEXT_SPEEDS["normal"])

    def changed(self, **fields: Any) -> Settings:
        return replace(self, **fields)

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, **asdict(self)}


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


_shown = reprlib.Repr()  # a value quoted back, kept short whatever it holds
_shown.maxlevel, _shown.maxstring, _shown.maxother = 2, 40, 40


def parse_settings(data: Any) -> tuple[Settings, list[str]]:
    """Settings from JSON data, with a plain-words note for each field that was ignored.
    Any JSON at all is handled: a list, an object or a number where a word belongs is ignored."""
    if not isinstance(data, dict):
        return Settings(), ["the settings file does not hold a JSON object"]
    problems = []
    default = Settings()
    theme = data.get("theme", default.theme)
    if not isinstance(theme, str) or not THEME_NAME.fullmatch(theme):
        problems.append(f"theme {_shown.repr(theme)} is not a theme name")
        theme = default.theme
    speed = data.get("text_speed", default.text_speed)
    if not isinstance(speed, str) or speed not in TEXT_SPEEDS:
        problems.append(f"text speed {_shown.repr(speed)} is not one of {', '.join(TEXT_SPEEDS)}")
        speed = default.text_speed
    typewriter = data.get("typewriter", default.typewriter)
    if not isinstance(typewriter, bool):
        problems.append(f"typewriter {_shown.repr(typewriter)} is not true or false")
        typewriter = default.typewriter
    autosave = data.get("autosave_every", default.autosave_every)
    if type(autosave) is not int or autosave not in AUTOSAVE_CHOICES:
        problems.append(f"autosave_every {_shown.repr(autosave)} is not one of {', '.join(map(str, AUTOSAVE_CHOICES))}")
        autosave = default.autosave_every
    return Settings(theme=theme, text_speed=speed, typewriter=typewriter, autosave_every=autosave), problems


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The saved settings and, when the file was broken, one sentence saying so (as Textual markup,
    so that whatever the file held is shown as written)."""
    settings, problem = _read_settings(path)
    return settings, escape(problem) if problem else None


def _read_settings(path: Path | None) -> tuple[Settings, str | None]:
    path = path or settings_path()
    try:
        data = read_json(path)
    except FileNotFoundError:
        return Settings(), None
    except ValueError as error:
        return Settings(), f"Your settings could not be read, so the defaults are in use: {error}."
    except RecursionError:  # JSON nested deeper than Python will parse
        return Settings(), f"Your settings could not be read (nested too deeply), so the defaults are in use: {path}."
    settings, problems = parse_settings(data)
    if problems:
        return settings, f"Some settings were ignored and set to their defaults: {'; '.join(problems)}."
    return settings, None


def save_settings(settings: Settings, path: Path | None = None) -> None:
    write_json_atomically(path or settings_path(), settings.to_json())
