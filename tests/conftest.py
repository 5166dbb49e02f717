"""Shared fixtures: the shipped story, the example story, and throwaway stories to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine.engine import Engine
from game.story.loader import load_story
from game.story.model import Story

ROOT = Path(__file__).resolve().parent.parent
STORY_DIR = ROOT / "story"
EXAMPLE_DIR = ROOT / "docs" / "examples" / "lighthouse"


def archer(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `archer` command as a user would, without colour, from the project root."""
    return subprocess.run(
        [sys.executable, "-m", "game", *args],
        input=stdin,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="session")
def story() -> Story:
    return load_story(STORY_DIR)


@pytest.fixture(scope="session")
def example() -> Story:
    return load_story(EXAMPLE_DIR)


@pytest.fixture
def example_engine(example: Story) -> Engine:
    return Engine(example)


WriteStory = Callable[..., Path]


@pytest.fixture
def make_story(tmp_path: Path) -> WriteStory:
    """Copy the example story into tmp_path, then overwrite or add files: make_story(**{"scenes/x.yaml": text})."""

    def make(files: dict[str, str] | None = None, remove: tuple[str, ...] = ()) -> Path:
        root = tmp_path / "story"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(EXAMPLE_DIR, root)
        for name in remove:
            (root / name).unlink()
        for name, text in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return make


@pytest.fixture(autouse=True)
def _private_saves(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test (nor a game it starts) writes to the real save, settings or cache folders."""
    monkeypatch.setenv("ARCHER_SAVES", str(tmp_path_factory.mktemp("saves")))
    monkeypatch.setenv("ARCHER_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("ARCHER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "long: a long property run, for `make test-long` (skipped otherwise)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`long` tests run only when asked for with `-m long`."""
    if "long" in (config.getoption("-m") or "").replace("not long", ""):
        return
    skip = pytest.mark.skip(reason="a long run: make test-long")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)
