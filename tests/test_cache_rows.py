"""The cache is written from the rows the reader gathers as it makes a story's objects (issue 19:
`archer check` at 10,000 scenes): those rows must be exactly the story's, or not be used."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from game.story import cache
from game.story.check import check_story
from game.story.loader import load_story
from game.story.reader import Reader

from support import EXAMPLE_DIR, ROOT, STORY_DIR


def generated(folder: Path, scenes: int) -> Path:
    """The benchmarks' generated story (benchmarks/gen_story.py) of `scenes` scenes."""
    spec = importlib.util.spec_from_file_location("gen_story", ROOT / "benchmarks" / "gen_story.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_story", module)  # (its dataclasses look their module up)
    spec.loader.exec_module(module)
    root: Path = module.write_story(scenes, folder / "generated")
    return root


@pytest.fixture(params=["shipped", "example", "generated"])
def story_root(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "generated":
        return generated(tmp_path, 300)
    return STORY_DIR if request.param == "shipped" else EXAMPLE_DIR


def test_the_rows_the_reader_gathers_are_those_of_the_story_it_made(story_root: Path) -> None:
    reader = Reader(story_root)
    story, _ = reader.read()
    assert story is not None
    assert reader.rows == cache.rows_of(story)
    assert cache.stored(story, (), "", reader.rows) == cache.stored(story)


def test_a_scene_s_id_and_each_goto_naming_it_are_one_text(story_root: Path) -> None:
    """So that the cache stores (and a warm load reads) each id once."""
    story, _ = Reader(story_root).read()
    assert story is not None
    gotos = [choice.goto for scene in story.scenes.values() for choice in scene.choices if choice.goto]
    assert gotos and all(goto is story.scenes[goto].id for goto in gotos)


def test_a_warm_load_and_check_give_what_a_fresh_read_gives(story_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load_story(story_root, use_cache=False)
    _, fresh_findings = check_story(story_root)
    load_story(story_root)  # the cache written
    monkeypatch.setattr(Reader, "read", None)  # from here on, reading the YAML would fail
    warm = load_story(story_root)
    assert isinstance(warm.scenes, cache.CachedScenes)
    assert warm == fresh and [scene.where for scene in warm.scenes.values()] == [
        scene.where for scene in fresh.scenes.values()
    ]
    assert check_story(story_root, use_cache=True)[1] == fresh_findings


def shuffled(rows: cache.Rows) -> list[cache.Rows]:
    """Rows that do not fit their story, each in a way `stored` must notice."""
    scenes, lines, choices = rows
    return [
        (scenes[1:], lines, choices),  # a scene missing
        (scenes[::-1], lines, choices),  # the scenes out of order
        (scenes, lines[1:], choices),  # a line missing
        (scenes, lines, [*choices, choices[0]]),  # a choice too many
    ]


@pytest.mark.parametrize("case", range(4))
def test_rows_that_do_not_fit_the_story_are_not_stored(case: int) -> None:
    reader = Reader(EXAMPLE_DIR)
    story, _ = reader.read()
    assert story is not None
    wrong = shuffled(reader.rows)[case]
    assert cache.stored(story, (), "", wrong) == cache.stored(story)
