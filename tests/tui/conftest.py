"""TUI test set-up: no animations (so the typewriter is off and snapshots are stable),
a throwaway config directory per test, and helpers that read what the screen shows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["TEXTUAL_ANIMATIONS"] = "none"  # read again by ArcherApp, even if Textual was imported first

from game.story.loader import load_story
from game.story.model import Story
from game.tui.app import ArcherApp

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = ROOT / "docs" / "examples" / "lighthouse"


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings and progress go to a fresh directory: tests never touch the player's real files."""
    directory = tmp_path / "config"
    monkeypatch.setenv("ARCHER_CONFIG_DIR", str(directory))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    yield directory


@pytest.fixture(scope="session")
def lighthouse() -> Story:
    return load_story(EXAMPLE_DIR)


@pytest.fixture
def lighthouse_app(lighthouse: Story) -> ArcherApp:
    return ArcherApp(lighthouse)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "long: a long randomized run, for `make test-long` (pytest -m long)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long runs only when asked for by marker (`-m long`), so `make test` stays quick."""
    if "long" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="a long run: `pytest -m long` (make test-long)")
    for item in items:
        if item.get_closest_marker("long"):
            item.add_marker(skip)
