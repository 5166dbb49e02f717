"""The compiled story cache: used when the files are unchanged, never when they changed, never trusted blindly."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from game.engine.engine import Engine
from game.story import cache
from game.story.loader import load_story, story_digest
from game.story.model import Where, revive_scene
from game.story.reader import Reader

from support import EXAMPLE_DIR, WriteStory


@pytest.fixture
def forbid_yaml(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it between loads: from then on, reaching the YAML reader fails the test (the cache must serve)."""

    def forbid() -> None:
        def refuse(*_: object, **__: object) -> None:
            raise AssertionError("the warm load read the YAML files instead of the cache")

        monkeypatch.setattr(Reader, "read", refuse)

    return forbid


def cached_files() -> list[Path]:
    folder = cache.cache_dir()
    assert folder is not None
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def plant(root: Path, payload: bytes) -> None:
    """A cache file for this story with a valid frame and checksum: only the unpickler stands in the way."""
    path = cache.path_for(story_digest(root))
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cache.framed(payload))


def test_a_second_load_comes_from_the_cache_and_plays_the_same(
    make_story: WriteStory, forbid_yaml: Callable[[], None]
) -> None:
    root = make_story()
    first = load_story(root)
    [path] = cached_files()
    assert path.name.startswith(story_digest(root))
    forbid_yaml()
    second = load_story(root)
    assert second.scenes == first.scenes and second.root == root
    engine = Engine(second)
    state = engine.choose(engine.new_game(), 1).state
    assert [c.text for c in engine.choices(state)] == ["Read the ledger", "Go back down"]


def test_an_edited_file_is_never_served_from_the_cache(make_story: WriteStory) -> None:
    root = make_story()
    load_story(root)
    island = root / "scenes" / "island.yaml"
    island.write_text(island.read_text().replace("Wet shingle", "Black shingle"))
    assert load_story(root).scenes["shore"].lines[0].text.startswith("Black shingle")
    assert len(cached_files()) == 2


def test_a_damaged_cache_is_ignored(make_story: WriteStory) -> None:
    root = make_story()
    load_story(root)
    [path] = cached_files()
    path.write_bytes(b"\x80\x05garbage")
    assert load_story(root).title == "The Lighthouse Keeper's Ledger"


class Planted:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, ("touch /tmp/archer-cache-pwned",))


def test_a_planted_pickle_cannot_run_code(make_story: WriteStory, tmp_path: Path) -> None:
    root = make_story()
    folder = cache.cache_dir()
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    marker = Path("/tmp/archer-cache-pwned")
    marker.unlink(missing_ok=True)
    plant(root, pickle.dumps(Planted()))
    assert load_story(root).title == "The Lighthouse Keeper's Ledger"
    assert not marker.exists()


def test_the_cache_can_be_turned_off(make_story: WriteStory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHER_NO_CACHE", "1")
    load_story(make_story())
    monkeypatch.delenv("ARCHER_NO_CACHE")
    assert cached_files() == []


def test_conditions_read_back_from_the_cache_still_test_correctly(forbid_yaml: Callable[[], None]) -> None:
    story = load_story(EXAMPLE_DIR)
    forbid_yaml()
    again = load_story(EXAMPLE_DIR)
    guard = next(t.guard for t in again.transitions if t.guard is not None)
    assert guard.source == "has(ledger) and resolve >= 1"

    facts = SimpleNamespace(flags=set(), counters={"resolve": 1}, clues={"ledger": "tower"}, visits={})
    assert guard(facts)
    facts.counters = {"resolve": 0}
    assert not guard(facts)
    assert story.digest == again.digest


class Misshapen:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (revive_scene, ("too", "few"))


def test_a_cache_of_allowed_names_in_the_wrong_shape_is_ignored(make_story: WriteStory) -> None:
    root = make_story()
    folder = cache.cache_dir()
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    plant(root, pickle.dumps(Misshapen()))
    assert load_story(root).title == "The Lighthouse Keeper's Ledger"


def test_places_read_back_from_the_cache_name_the_same_file_and_line(
    make_story: WriteStory, forbid_yaml: Callable[[], None]
) -> None:
    root = make_story()
    first = load_story(root)
    forbid_yaml()
    again = load_story(root)
    shore, fresh = again.scenes["shore"], first.scenes["shore"]
    assert [c.where for c in shore.choices] == [c.where for c in fresh.choices]
    assert shore.where == Where(shore.where.file, shore.where.line) and shore.where.file.endswith("scenes/island.yaml")
    assert str(shore.lines[0].where) == shore.lines[0].at == f"{shore.where.file}:{shore.where.line + 5}"


def test_a_cache_write_that_fails_leaves_no_file_behind(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is written to a temp file renamed over its place: a failed write leaves neither part."""
    root = make_story()

    def refuse(*_: object) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", refuse)
        load_story(root)  # the write fails: no error for the player
    folder = cache.cache_dir()
    assert folder is not None and not list(folder.iterdir())
    load_story(root)
    assert [path.name for path in folder.iterdir()] == [path.name for path in cached_files()]
    assert cached_files()[0].name.startswith(story_digest(root))
