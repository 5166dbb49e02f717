"""TUI test set-up: no animations (so the typewriter is off and snapshots are stable),
a throwaway config directory per test, and helpers that read what the screen shows."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["TEXTUAL_ANIMATIONS"] = "none"  # read again by ArcherApp, even if Textual was imported first

from game.story.loader import load_story
from game.story.model import Story
from game.tui.app import ArcherApp

from support import EXAMPLE_DIR


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings and progress go to a fresh directory: tests never touch the player's real files."""
    directory = tmp_path / "config"
    monkeypatch.setenv("ARCHER_CONFIG_DIR", str(directory))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    yield directory


@pytest.fixture(autouse=True)
def _no_idle_collections(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app's idle garbage collection (ArcherApp.tidy_memory) is tested in test_idle_memory.py and
    changes nothing a test sees; elsewhere it is skipped. In a test worker each whole collection walks
    the worker's heap (pytest, hypothesis, every test module: 0.1 s each), a fifth of the TUI tests' CPU.
    What the app froze is thawed after each test, so the ordinary collector frees it."""
    if request.node.get_closest_marker("collects_garbage") is None:
        monkeypatch.setattr(ArcherApp, "tidy_memory", lambda self, whole=False: None)
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def lighthouse() -> Story:
    return load_story(EXAMPLE_DIR)


@pytest.fixture
def lighthouse_app(lighthouse: Story) -> ArcherApp:
    return ArcherApp(lighthouse)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "long: a long randomized run, for `make test-long` (pytest -m long)")
    config.addinivalue_line("markers", "collects_garbage: the real ArcherApp.tidy_memory runs here")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long runs only when asked for by marker (`-m long`), so `make test` stays quick."""
    if "long" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="a long run: `pytest -m long` (make test-long)")
    for item in items:
        if item.get_closest_marker("long"):
            item.add_marker(skip)


LONG_LINES = 30  # the long shore: more lines than any terminal in these tests shows at once
MORE_CHOICES = 5  # and eight choices, as the season's investigation hub has


@pytest.fixture(scope="session")
def long_shore(tmp_path_factory: pytest.TempPathFactory) -> Story:
    """The example story with a shore scene of many numbered lines and eight choices."""
    import shutil

    root = tmp_path_factory.mktemp("long-shore") / "lighthouse"
    shutil.copytree(EXAMPLE_DIR, root)
    scenes = root / "scenes" / "island.yaml"
    text = scenes.read_text(encoding="utf-8")
    lines = "".join(
        f"    - narrator: Line {n} of {LONG_LINES}. The tide comes in over the shingle and goes out again, slowly.\n"
        for n in range(1, LONG_LINES + 1)
    )
    last = "    - voiceover: I always left the lamp burning. Always.\n"
    choices = "".join(f"    - say: Wait for wave {n}\n      goto: shore\n" for n in range(1, MORE_CHOICES + 1))
    end_of_shore = "      ending: gone\n\ntower:"
    text = text.replace(last, last + lines, 1).replace(end_of_shore, "      ending: gone\n" + choices + "\ntower:", 1)
    scenes.write_text(text, encoding="utf-8")
    return load_story(root)
