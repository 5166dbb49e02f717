"""A bare `archer` draws its title from the story's title page and loads the story after the first frame
(issue 19). The player must not be able to tell: the same title, note and menu (Continue included), every
key acted on with the story loaded, and a story that cannot be loaded reported as before, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.saves import SaveStore, default_saves_dir
from game.story.findings import StoryError
from game.story.loader import load_story
from game.story.model import Story
from game.story.title_page import TitlePage, page_of, page_path, read_title_page, write_title_page
from game.tui.app import ArcherApp, Opening
from game.tui.screens.chapter import ChapterCard
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen

from screen_text import all_text, option_texts
from steps import start
from support import EXAMPLE_DIR


@pytest.fixture
def lighthouse_copy(tmp_path: Path) -> Path:
    root = tmp_path / "lighthouse"
    shutil.copytree(EXAMPLE_DIR, root)
    return root


def opening(root: Path) -> Opening:
    page = read_title_page(root)
    assert page is not None, "a page was written for these very files"
    return Opening(root, page, SaveStore(default_saves_dir()))


def drawn_before_the_story(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the story had loaded each time the title screen was composed."""
    seen: list[bool] = []
    compose = TitleScreen.compose

    def noting(screen: TitleScreen):  # type: ignore[no-untyped-def]
        yield from compose(screen)
        seen.append(screen.archer._session is not None)

    monkeypatch.setattr(TitleScreen, "compose", noting)
    return seen


def test_a_title_page_is_used_only_for_the_story_files_it_was_written_for(lighthouse_copy: Path) -> None:
    story = load_story(lighthouse_copy)
    assert read_title_page(lighthouse_copy) is None  # none kept yet
    write_title_page(lighthouse_copy, page_of(story))
    assert (
        read_title_page(lighthouse_copy)
        == page_of(story)
        == TitlePage(story.id, story.digest, story.title, story.subtitle, story.content_note, tuple(story.endings))
    )
    scenes = lighthouse_copy / "scenes" / "island.yaml"
    text = scenes.read_text(encoding="utf-8")
    scenes.write_text(text + "\n", encoding="utf-8")
    assert read_title_page(lighthouse_copy) is None  # any edit: the story must be loaded to know its title
    scenes.write_text(text, encoding="utf-8")
    assert read_title_page(lighthouse_copy) == page_of(story)
    moved = lighthouse_copy.parent / "moved"
    shutil.copytree(lighthouse_copy, moved)
    assert read_title_page(moved) is None  # each folder has its own page


DAMAGE: dict[str, Callable[[dict[str, Any]], object]] = {
    "a field of the wrong type": lambda page: page | {"title": 7},
    "an ending that is not text": lambda page: page | {"endings": ["gone", None]},
    "endings that are not a list": lambda page: page | {"endings": "gone"},
    "an escape sequence in the title": lambda page: page | {"title": "Archer\x1b]52;c;aGk=\x07"},
    "a field missing": lambda page: {k: v for k, v in page.items() if k != "subtitle"},
    "a field too many": lambda page: page | {"extra": ""},
    "another story folder": lambda page: page | {"root": "/elsewhere"},
    "another version": lambda page: page | {"version": 2},
    "not a page": lambda page: [page],
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_or_foreign_title_page_is_not_used(lighthouse_copy: Path, damage: str) -> None:
    write_title_page(lighthouse_copy, page_of(load_story(lighthouse_copy)))
    path = page_path(lighthouse_copy)
    assert path is not None and read_title_page(lighthouse_copy) is not None
    path.write_text(json.dumps(DAMAGE[damage](json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
    assert read_title_page(lighthouse_copy) is None


@pytest.mark.parametrize("content", ["not json {", "\xff", " " * 300_000, "[" * 100_000])
def test_a_title_page_that_is_not_json_or_far_too_large_is_not_used(lighthouse_copy: Path, content: str) -> None:
    write_title_page(lighthouse_copy, page_of(load_story(lighthouse_copy)))
    path = page_path(lighthouse_copy)
    assert path is not None
    path.write_bytes(content.encode("latin-1"))
    assert read_title_page(lighthouse_copy) is None


def test_a_title_page_that_is_a_fifo_or_a_link_is_not_read(lighthouse_copy: Path, tmp_path: Path) -> None:
    page = page_of(load_story(lighthouse_copy))
    write_title_page(lighthouse_copy, page)
    path = page_path(lighthouse_copy)
    assert path is not None
    real = tmp_path / "real.json"
    path.rename(real)
    path.symlink_to(real)
    assert read_title_page(lighthouse_copy) is None
    path.unlink()
    os.mkfifo(path)
    assert read_title_page(lighthouse_copy) is None  # and it did not wait for a writer


async def test_the_title_drawn_from_the_page_is_the_one_the_loaded_story_shows(
    lighthouse_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = load_story(lighthouse_copy)
    async with ArcherApp(story).run_test() as pilot:
        shown = all_text(pilot.app.screen)
    write_title_page(lighthouse_copy, page_of(story))
    loaded_then = drawn_before_the_story(monkeypatch)
    app = ArcherApp(opening(lighthouse_copy))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert loaded_then == [False]  # drawn from the page, before the story was there
        assert app._session is not None  # and the story loaded right after
        assert all_text(pilot.app.screen) == shown
        assert (app.title, app.sub_title) == (story.title, story.subtitle)
        await start(pilot)  # New game plays the story
        assert app.playthrough is not None and app.playthrough.view.scene.id == story.start


async def test_a_key_pressed_before_the_story_has_loaded_waits_for_it(
    lighthouse_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_title_page(lighthouse_copy, page_of(load_story(lighthouse_copy)))
    monkeypatch.setattr(ArcherApp, "_after_first_frame", lambda self: None)  # as if the key came first
    app = ArcherApp(opening(lighthouse_copy))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app._session is None
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChapterCard)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_continue_is_on_the_first_frame_when_there_is_a_save(lighthouse_copy: Path, lighthouse: Story) -> None:
    story = load_story(lighthouse_copy)
    first = ArcherApp(story)
    async with first.run_test() as pilot:
        await start(pilot)
        assert first.save_to("evening")
    write_title_page(lighthouse_copy, page_of(story))
    app = ArcherApp(opening(lighthouse_copy))
    assert app.can_continue and app._session is None  # known from the page, without the story
    async with app.run_test() as pilot:
        await pilot.pause()
        assert option_texts(pilot.app.screen, "#menu")[:2] == ["New game", "Continue"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_a_page_out_of_date_is_redrawn_from_the_story_and_written_again(
    lighthouse_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = load_story(lighthouse_copy)
    write_title_page(lighthouse_copy, page_of(story)._replace(title="An Older Title", content_note=""))
    app = ArcherApp(opening(lighthouse_copy))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.pause()
        shown = all_text(pilot.app.screen)
        assert "An Older Title" not in str(pilot.app.screen.query_one("#title-card").render())
        assert story.content_note in shown and "New game" in shown
        assert app.title == story.title
    assert read_title_page(lighthouse_copy) == page_of(story)


def broken_behind_a_sound_page(root: Path) -> None:
    """The story breaks, and its page still matches the files (as after an upgrade whose reader is stricter)."""
    write_title_page(root, page_of(load_story(root)))
    path = page_path(root)
    assert path is not None
    story_file = root / "story.yaml"
    story_file.write_text(story_file.read_text(encoding="utf-8").replace("start: ", "start: nowhere_"), "utf-8")
    page = json.loads(path.read_text(encoding="utf-8"))
    from game.story.files import story_digest

    path.write_text(json.dumps(page | {"digest": story_digest(root)}), encoding="utf-8")
    assert read_title_page(root) is not None


async def test_a_story_that_fails_to_load_after_the_title_closes_the_app_with_its_errors(
    lighthouse_copy: Path,
) -> None:
    broken_behind_a_sound_page(lighthouse_copy)
    app = ArcherApp(opening(lighthouse_copy))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")  # too late: the app is closing, and no key is acted on
    assert isinstance(app.load_failure, StoryError)
    assert app.return_value == 1


async def test_a_key_that_finds_the_story_broken_is_dropped_not_a_crash(
    lighthouse_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_behind_a_sound_page(lighthouse_copy)
    monkeypatch.setattr(ArcherApp, "_after_first_frame", lambda self: None)  # the key comes before the load
    app = ArcherApp(opening(lighthouse_copy))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
    assert isinstance(app.load_failure, StoryError)
    assert app.return_value == 1


def test_archer_reports_such_a_story_as_it_does_any_broken_story(
    lighthouse_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_behind_a_sound_page(lighthouse_copy)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    assert main(["--story", str(lighthouse_copy)]) == 1
    errors = capsys.readouterr().err
    assert f"The story in {lighthouse_copy} has errors:" in errors
    assert "unknown scene 'nowhere_" in errors
    assert "Traceback" not in errors


async def test_a_damaged_save_alone_puts_no_continue_on_the_first_frame(lighthouse_copy: Path) -> None:
    story = load_story(lighthouse_copy)
    write_title_page(lighthouse_copy, page_of(story))
    folder = default_saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "torn.json").write_text('{"format": "archer-save", "version": 1, "sto', encoding="utf-8")
    app = ArcherApp(opening(lighthouse_copy))
    assert not app.can_continue
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "Continue" not in option_texts(pilot.app.screen, "#menu")


def test_with_the_cache_turned_off_no_page_is_kept(lighthouse_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHER_NO_CACHE", "1")
    write_title_page(lighthouse_copy, page_of(load_story(lighthouse_copy, use_cache=False)))
    assert page_path(lighthouse_copy) is None and read_title_page(lighthouse_copy) is None
    monkeypatch.delenv("ARCHER_NO_CACHE")
    assert read_title_page(lighthouse_copy) is None
