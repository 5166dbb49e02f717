"""The story cache is untrusted input (issue 12 item 12, issue 11): verified, bounded, validated, pruned."""

from __future__ import annotations

import dataclasses
import os
import pickle
import threading
from pathlib import Path

import pytest

from game.engine.engine import Engine
from game.story import cache, model
from game.story.conditions import Condition, revive_condition
from game.story.loader import load_story, story_digest
from game.story.reader import Reader

from support import WriteStory


def cache_path(root: Path) -> Path:
    path = cache.path_for(story_digest(root))
    assert path is not None
    return path


@pytest.fixture
def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm load must not read the YAML: the reader fails if it is reached."""

    def refuse(self: object, digest: str | None = None) -> None:
        raise AssertionError("the YAML was read: the cache was not used")

    monkeypatch.setattr("game.story.reader.Reader.read", refuse)


def test_a_warm_load_never_reaches_the_yaml_reader(make_story: WriteStory, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_story()
    first = load_story(root)
    monkeypatch.setattr("game.story.reader.Reader.read", lambda *a: pytest.fail("the YAML was read"))
    assert load_story(root).scenes == first.scenes


def _key_of(*classes: type) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "_MODEL_CLASSES", classes)
        cache.code_key.cache_clear()
        key = cache.code_key()
    cache.code_key.cache_clear()
    return key


def test_the_key_changes_when_a_model_field_is_moved() -> None:
    before = _key_of(dataclasses.make_dataclass("Line", [("speaker", str), ("text", str)]))
    after = _key_of(dataclasses.make_dataclass("Line", [("text", str), ("speaker", str)]))
    assert before != after


def test_the_key_changes_with_the_story_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = cache.code_key()
    code = tmp_path / "code"
    code.mkdir()
    for source in Path(cache.__file__).parent.glob("*.py"):
        (code / source.name).write_bytes(source.read_bytes())
    (code / "reader.py").write_text((code / "reader.py").read_text() + "\n# a fix\n")
    monkeypatch.setattr(cache, "__file__", str(code / "cache.py"))
    cache.code_key.cache_clear()
    try:
        assert cache.code_key() != before
    finally:
        monkeypatch.undo()
        cache.code_key.cache_clear()


def test_a_bit_flipped_cache_is_never_used(make_story: WriteStory, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_story()
    load_story(root)
    path = cache_path(root)
    good = path.read_bytes()
    used: list[bool] = []

    class Spy(cache._ModelUnpickler):
        def load(self) -> object:
            used.append(True)
            return super().load()

    monkeypatch.setattr(cache, "_ModelUnpickler", Spy)
    for at in range(len(good) - 200, len(good), 7):  # flips in the pickle itself
        path.write_bytes(good[:at] + bytes([good[at] ^ 0x10]) + good[at + 1 :])
        assert load_story(root).title == "The Lighthouse Keeper's Ledger"
        path.write_bytes(good)
    assert not used, "a flipped pickle reached the unpickler"


def forge(root: Path, story: model.Story) -> None:
    """A cache file with the right key and a valid checksum, holding `story` as given."""
    cache_path(root).write_bytes(cache.framed(pickle.dumps(cache.stored(story))))


def tampered(story: model.Story) -> list[model.Story]:
    shore = story.scenes["shore"]
    choice = shore.choices[0]
    line = shore.lines[0]
    bad_condition = revive_condition(
        "__import__('os')", frozenset(), frozenset(), frozenset(), frozenset(), frozenset()
    )
    not_text = dataclasses.replace(line, text=42)  # type: ignore[arg-type]
    nowhere = model.Outcome(frozenset({"ledger"}), (), "nowhere", None, line.at)
    lost_question = model.Presentation("Which?", "clues", (), nowhere, nowhere, nowhere, line.at)
    return [
        dataclasses.replace(
            story,
            scenes={
                **story.scenes,
                "shore": dataclasses.replace(shore, choices=(dataclasses.replace(choice, goto="nowhere"),)),
            },
        ),
        dataclasses.replace(
            story,
            scenes={**story.scenes, "shore": dataclasses.replace(shore, lines=(not_text,))},
        ),
        dataclasses.replace(
            story,
            scenes={
                **story.scenes,
                "shore": dataclasses.replace(shore, choices=(dataclasses.replace(choice, condition=bad_condition),)),
            },
        ),
        dataclasses.replace(story, start="nowhere"),
        dataclasses.replace(story, scenes={**story.scenes, "shore": dataclasses.replace(shore, on_enter=("set",))}),  # type: ignore[arg-type]
        dataclasses.replace(story, characters={"x": story.scenes["shore"]}),  # type: ignore[dict-item]
        dataclasses.replace(
            story,
            transitions=tuple(dataclasses.replace(t, guard="has(ledger)") for t in story.transitions),  # type: ignore[arg-type]
        ),
        dataclasses.replace(
            story,
            scenes={
                **story.scenes,
                "shore": dataclasses.replace(shore, choices=(dataclasses.replace(choice, present=lost_question),)),
            },
        ),
        dataclasses.replace(
            story,
            deductions={
                **story.deductions,
                "who": model.Deduction("who", 42, "It was {x}.", (), 1, (), (), line.at),  # type: ignore[arg-type]
            },
        ),
    ]


@pytest.mark.parametrize("case", range(9))
def test_a_forged_cache_of_the_wrong_shape_falls_back_to_the_yaml(make_story: WriteStory, case: int) -> None:
    root = make_story()
    story = load_story(root)
    forge(root, tampered(story)[case])
    again = load_story(root)
    assert again == story  # the forgery was refused: this is the story read from the YAML
    engine = Engine(again)
    state = engine.new_game()
    for _ in range(3):  # the game plays on
        state = engine.choose(state, 1).state


def test_a_fifo_at_the_cache_path_does_not_hang(make_story: WriteStory) -> None:
    root = make_story()
    path = cache_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    done = threading.Event()
    result: list[str] = []

    def load() -> None:
        result.append(load_story(root).title)
        done.set()

    threading.Thread(target=load, daemon=True).start()
    assert done.wait(20), "loading hung on a FIFO"
    assert result == ["The Lighthouse Keeper's Ledger"]


def test_a_link_to_dev_zero_at_the_cache_path_is_not_read(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        cache, "MAX_BYTES", 1 << 62
    )  # the size bound alone would not save us: only a regular file is read
    root = make_story()
    path = cache_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/dev/zero", path)
    assert load_story(root).title == "The Lighthouse Keeper's Ledger"


def test_a_cache_larger_than_the_bound_is_not_read(make_story: WriteStory, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_story()
    load_story(root)
    assert cache.read_cached(story_digest(root), root) is not None
    monkeypatch.setattr(cache, "MAX_BYTES", 100)
    assert cache.read_cached(story_digest(root), root) is None
    assert load_story(root).title == "The Lighthouse Keeper's Ledger"


def test_old_cache_files_are_pruned(make_story: WriteStory) -> None:
    root = make_story()
    island = root / "scenes" / "island.yaml"
    text = island.read_text()
    folder = cache.cache_dir()
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text("not ours")
    for edit in range(cache.KEEP + 3):
        island.write_text(text.replace("Wet shingle", f"Shingle {edit}"))
        load_story(root)
        os.utime(cache_path(root), (edit, edit + 1_000_000))
    kept = sorted(p.name for p in folder.glob("*.pickle"))
    assert len(kept) == cache.KEEP
    assert cache_path(root).name in kept
    assert (folder / "notes.txt").exists()


def test_a_revived_condition_is_checked_and_compiled_on_load(make_story: WriteStory) -> None:
    root = make_story()
    load_story(root)
    again = load_story(root)
    guard = next(t.guard for t in again.transitions if t.guard is not None)
    assert isinstance(guard, Condition) and guard.test.__name__ != "_uncompiled"


def packed_forgeries(story: model.Story) -> list[tuple[object, ...]]:
    """The stored form with its packed counts or places wrong, each in a way the checks must catch."""
    head, scenes, lines, choices, notes = cache.stored(story)
    more_lines = cache._packed(count + 1 for count in memoryview(scenes[-2]).cast("I"))
    return [
        (head, (*scenes[:-2], more_lines, scenes[-1]), lines, choices, notes),  # counts claim lines not stored
        (head, scenes, (*lines[:-2], (42,) * len(lines[-2]), lines[-1]), choices, notes),  # a place's file a number
        (head, scenes, (*lines[:-1], lines[-1][:-1]), choices, notes),  # a line number cut short
        (head, (*scenes[:-1], scenes[-1] * 2), lines, choices, notes),  # twice the choice counts
    ]


@pytest.mark.parametrize("case", range(4))
def test_a_cache_whose_packed_counts_or_places_disagree_is_not_used(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch, case: int
) -> None:
    root = make_story()
    story = load_story(root)
    cache_path(root).write_bytes(cache.framed(pickle.dumps(packed_forgeries(story)[case])))
    reads: list[bool] = []
    read = Reader.read

    def counted(self: Reader, digest: str | None = None) -> object:
        reads.append(True)
        return read(self, digest)

    monkeypatch.setattr(Reader, "read", counted)
    assert load_story(root) == story and reads == [True]  # refused, and read again from the YAML
