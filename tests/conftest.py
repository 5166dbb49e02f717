"""Shared fixtures: the shipped story, the example story, and throwaway stories to break."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from game.engine.engine import Engine
from game.story.loader import load_story
from game.story.model import Story

from support import EXAMPLE_DIR, HOME_VARIABLES, STORY_DIR, WriteStory

# Property tests: `ci` (the default, and `make test`) is small and derandomized, so a run is quick and
# repeatable; `long` (`make test-long`) searches far wider. A max_examples in a test's own @settings wins.
settings.register_profile("ci", max_examples=60, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("long", max_examples=3_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# The tests that take seconds, started first: with `--dist loadgroup` (pyproject's addopts) each worker takes
# the next test when it has two left, so the long ones spread over the workers and the many quick ones fill in the
# end, instead of one worker left alone with the browser test while the others wait.
STARTED_FIRST = (
    "tests/test_serve_browser.py",
    "tests/test_packaging.py",
    "tests/test_saves.py::test_a_kill",
    "tests/test_proof.py",
    "tests/test_check_fuzz.py",
    "tests/test_check_scaling.py",
    "tests/tui/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def started(item: pytest.Item) -> int:
        return next((n for n, start in enumerate(STARTED_FIRST) if item.nodeid.startswith(start)), len(STARTED_FIRST))

    items.sort(key=started)  # stable: within a group, the usual order


@pytest.fixture(scope="session", autouse=True)
def _no_real_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """For the whole run, HOME and the XDG folders are an empty tmp folder, and the ARCHER_* folders
    tmp folders too: nothing the suite runs (nor a game it starts) can reach the user's real files.
    The home must still be empty at the end: a test that wrote there fails the run."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for name in HOME_VARIABLES:
            patch.setenv(name, str(home if name == "HOME" else home / name.lower()))
        for name, folder in (("ARCHER_SAVES", "saves"), ("ARCHER_CONFIG_DIR", "config"), ("ARCHER_CACHE_DIR", "cache")):
            patch.setenv(name, str(tmp_path_factory.mktemp(folder)))
        yield home
    written = sorted(str(path.relative_to(home)) for path in home.rglob("*"))
    assert not written, f"the suite wrote into HOME: {written}"


@pytest.fixture(scope="session")
def story() -> Story:
    return load_story(STORY_DIR)


@pytest.fixture(scope="session")
def example() -> Story:
    return load_story(EXAMPLE_DIR)


@pytest.fixture
def example_engine(example: Story) -> Engine:
    return Engine(example)


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
    monkeypatch.setenv("ARCHER_LOG_DIR", str(tmp_path_factory.mktemp("log")))
