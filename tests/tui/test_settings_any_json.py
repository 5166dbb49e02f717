"""Issue 12 item 7: whatever JSON (or not JSON) the settings file holds, the TUI starts with the
defaults for what makes no sense, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.story.model import Story
from game.tui.app import ArcherApp
from game.tui.screens.title import TitleScreen
from game.tui.settings import Settings, load_settings

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "text",
    [
        '{"text_speed": ["fast"]}',
        '{"text_speed": {"a": 1}, "autosave_every": {"b": 2}, "typewriter": [true]}',
        '{"theme": ["archer-day"]}',
        '{"theme": "[/]", "text_speed": "[b]"}',
        '{"autosave_every": 5.0}',
        DEEP,
        '{"theme": ' + DEEP + "}",
        "not json at all",
        "\ufffe\x00",
    ],
)
async def test_any_settings_file_falls_back_to_the_defaults_with_a_notice(
    config_dir: Path, lighthouse: Story, text: str
) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.json").write_text(text, encoding="utf-8")
    settings, notice = load_settings()
    assert settings == Settings() and notice
    app = ArcherApp(lighthouse)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen), "the TUI starts"
        assert app.settings == Settings()
