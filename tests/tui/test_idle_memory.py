"""The TUI's idle garbage collection: collect, then freeze what survived; a whole collection now and then."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator
from types import SimpleNamespace
from typing import cast

import pytest

from game.tui.app import ArcherApp
from game.tui.screens import play

from steps import start

pytestmark = pytest.mark.collects_garbage  # the real ArcherApp.tidy_memory, not the conftest's stand-in


class Cycle:
    """An object only the collector can free: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def frozen_heap() -> Iterator[None]:
    try:
        yield
    finally:
        gc.unfreeze()


def is_frozen(thing: object) -> bool:
    return not any(found is thing for found in gc.get_objects())  # the permanent generation is not listed


@pytest.mark.usefixtures("frozen_heap")
def test_idle_tidying_collects_freezes_survivors_and_later_frees_what_died_frozen() -> None:
    app = SimpleNamespace(_heap_after_full=10**12)  # no whole collection due yet
    garbage = Cycle()
    collected = weakref.ref(garbage)
    del garbage
    survivor = Cycle()
    ArcherApp.tidy_memory(cast(ArcherApp, app))
    assert collected() is None
    assert is_frozen(survivor)

    died_frozen = weakref.ref(survivor)
    del survivor
    gc.collect()
    assert died_frozen() is not None  # frozen: an ordinary collection does not look at it

    app._heap_after_full = sys.getallocatedblocks() * 3 // 4  # the heap has grown by more than a quarter
    ArcherApp.tidy_memory(cast(ArcherApp, app))
    assert died_frozen() is None
    assert app._heap_after_full > 0


@pytest.mark.usefixtures("frozen_heap")
def test_a_whole_tidying_frees_what_died_frozen_without_waiting_for_the_heap_to_grow() -> None:
    app = SimpleNamespace(_heap_after_full=10**12)  # the heap has not grown: only `whole` asks for it
    survivor = Cycle()
    ArcherApp.tidy_memory(cast(ArcherApp, app))
    assert is_frozen(survivor)
    died_frozen = weakref.ref(survivor)
    del survivor
    ArcherApp.tidy_memory(cast(ArcherApp, app), whole=True)  # as when a run's screen closes
    assert died_frozen() is None


async def test_a_scene_left_before_its_pause_is_over_is_never_collected_for_and_a_closed_run_at_once(
    lighthouse_app: ArcherApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(play, "IDLE_COLLECT_AFTER", 2.0)  # long enough that no test machine takes longer per key
    tidied: list[bool] = []
    monkeypatch.setattr(lighthouse_app, "tidy_memory", lambda whole=False: tidied.append(whole))
    async with lighthouse_app.run_test() as pilot:
        await start(pilot)
        for key in ("2", "2"):  # to the jetty and back to the shore, each scene left at once
            await pilot.press(key)
            await pilot.pause()
        assert tidied == [], "no collection while the player keeps moving"
        await pilot.pause(2.5)
        assert tidied == [False], "one collection, for the scene the player stayed on"
        await pilot.press("escape")  # back to the title: the run's screen closes
        await pilot.pause()
        assert tidied == [False, True], "what the closed screen held is freed by a whole collection"
