"""Saves: round trips, undo, story edits, bad files, bad names, and kills mid-write."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.deduce import random_given
from game.engine.engine import Engine
from game.engine.run import Run
from game.engine.state import GameState
from game.saves import EndingsRecord, SaveError, SaveStore, check_slot_name
from game.story.loader import load_story
from game.story.model import Story

from support import EXAMPLE_DIR, WriteStory, archer


def walk(run: Run, seed: int, steps: int) -> Run:
    """Take up to `steps` random choices (never into an ending), as a restless player would."""
    rng = random.Random(seed)
    for _ in range(steps):
        choices = [c for c in run.engine.choices(run.state) if c.ending is None]
        if not choices:
            break
        picked = rng.choice(choices)
        run.choose(picked, random_given(run.engine.story, run.state, picked, rng))
    return run


def test_loading_a_small_save_allocates_about_its_size(story: Story, tmp_path: Path) -> None:
    """A read bounded by `read(MAX + 1)` allocated the whole 64 MiB bound for every save it loaded."""
    engine = Engine(story)
    store = SaveStore(tmp_path / "saves")
    store.save("slot", story, Run.new(engine, 1).state)
    tracemalloc.start()
    try:
        store.load("slot", engine)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"loading a {store.path('slot').stat().st_size}-byte save peaked at {peak:,} bytes"


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), steps=st.integers(0, 30))
def test_save_then_load_gives_back_the_whole_state(
    story: Story, tmp_path_factory: pytest.TempPathFactory, seed: int, steps: int
) -> None:
    engine = Engine(story)
    store = SaveStore(tmp_path_factory.mktemp("saves"))
    run = walk(Run.new(engine, seed), seed, steps)
    store.save("slot", story, run.state, play_seconds=12.5)
    loaded = store.load("slot", engine)
    assert loaded.run.state == run.state
    assert loaded.notice == ""
    assert loaded.play_seconds == 12.5
    assert [s.to_json() for s in loaded.run.history] == [s.to_json() for s in run.history], (
        "undo reaches the run's start"
    )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), steps=st.integers(1, 30), back=st.integers(1, 30))
def test_undo_n_times_equals_the_state_n_choices_ago(story: Story, seed: int, steps: int, back: int) -> None:
    run = walk(Run.new(Engine(story), seed), seed, steps)
    states = list(run.history)
    undone = run.undo(back)
    assert undone == min(back, len(states) - 1)
    assert run.state == states[len(states) - 1 - undone]
    for _ in range(undone):
        assert run.redo()
    assert run.state == states[-1]


def test_undo_restores_flags_clues_and_beat(example: Story) -> None:
    run = Run.new(Engine(example))
    for text in [
        "Climb to the lighthouse",
        "Read the ledger",
        "Go back down",
        "Walk down to the jetty",
        "Tell Agnes what the ledger says",
    ]:
        run.choose(next(c for c in run.engine.choices(run.state) if c.text == text))
    assert run.state.beat == "accusation" and "ledger" in run.state.clues
    run.undo(4)
    assert run.state.scene == "tower"
    assert run.state.beat == "search" and run.state.clues == {} and run.state.flags == {"saw_tower"}
    assert run.undo(10) == 1 and not run.can_undo


def played(engine: Engine, texts: list[str]) -> GameState:
    run = Run.new(engine)
    for text in texts:
        run.choose(next(c for c in engine.choices(run.state) if c.text == text))
    return run.state


TO_JETTY = [
    "Climb to the lighthouse",
    "Read the ledger",
    "Go back down",
    "Walk down to the jetty",
    "Look at the empty mooring",
]


def test_a_save_survives_a_change_of_scene_text(make_story: WriteStory, tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves")
    old = load_story(EXAMPLE_DIR)
    state = played(Engine(old), TO_JETTY)
    store.save("mine", old, state)
    island = (EXAMPLE_DIR / "scenes" / "island.yaml").read_text().replace("Wet shingle", "Black shingle")
    new = load_story(make_story({"scenes/island.yaml": island}))
    assert new.digest != old.digest
    assert store.slots(new)[0].status == "older story"
    loaded = store.load("mine", Engine(new))
    assert loaded.run.state == state
    assert "replayed" in loaded.notice and "The jetty" in loaded.notice


def without_deductions(island: str) -> str:
    """The example's scenes without its deduction, evidence question and words (for edits they would not survive)."""
    start, end = (
        island.index("    - if: solved(what_happened)\n"),
        island.index("  choices:\n", island.index("confrontation:")),
    )
    island = island[:start] + island[end:]
    start, end = (
        island.index("    - say: Lay out what happened"),
        island.index("    - say: Back down and take the ferry"),
    )
    island = re.sub(r" *- learn: .*\n", "", island[:start] + island[end:])  # the words are in deductions.yaml
    return island.replace("  on_enter:\n  lines:", "  lines:")


def test_a_removed_choice_restores_the_run_to_the_last_point_that_replays(
    make_story: WriteStory, tmp_path: Path
) -> None:
    store = SaveStore(tmp_path / "saves")
    old = load_story(EXAMPLE_DIR)
    store.save("mine", old, played(Engine(old), TO_JETTY))
    island = (EXAMPLE_DIR / "scenes" / "island.yaml").read_text()
    island = island.replace(
        "    - say: Look at the empty mooring\n      once: true\n      do:\n        - gain: cut_rope\n      goto: jetty\n",
        "",
    )
    island = without_deductions(island.replace("      if: has(cut_rope)\n", ""))
    clues = "ledger:\n  name: L\n  description: D\n"
    new = load_story(make_story({"scenes/island.yaml": island, "clues.yaml": clues}, remove=("deductions.yaml",)))
    loaded = store.load("mine", Engine(new))
    assert loaded.run.state.scene == "jetty"
    assert len(loaded.run.state.log) == 4
    assert "'Look at the empty mooring' no longer exists" in loaded.notice
    assert "restored to The jetty, after 4 of 5 choices" in loaded.notice


def test_a_removed_scene_never_strands_the_player(make_story: WriteStory, tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves")
    old = load_story(EXAMPLE_DIR)
    store.save("mine", old, played(Engine(old), ["Climb to the lighthouse", "Read the ledger"]))
    island = (EXAMPLE_DIR / "scenes" / "island.yaml").read_text()
    start, end = island.index("tower:\n"), island.index("jetty:\n")
    island = island[:start] + island[end:]
    island = island.replace("    - say: Climb to the lighthouse\n      goto: tower\n", "")
    island = island.replace("    - if: saw_tower\n      fisher: Then you've been up the tower. Find anything?\n", "")
    story_yaml = (EXAMPLE_DIR / "story.yaml").read_text().replace("      if: has(ledger) and resolve >= 1\n", "")
    island = without_deductions(island)
    new = load_story(make_story({"scenes/island.yaml": island, "story.yaml": story_yaml}, remove=("deductions.yaml",)))
    loaded = store.load("mine", Engine(new))
    assert loaded.run.state.scene == "shore"
    assert loaded.run.state.scene in new.scenes
    assert "restored to The shore, after 0 of 2 choices" in loaded.notice


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda good: good[: len(good) // 2], "mine.json is damaged (not a complete save file)"),
        (lambda good: b"\xff\xfe\x00garbage", "mine.json is damaged (not a complete save file)"),
        (lambda good: b"", "mine.json is damaged (not a complete save file)"),
        (lambda good: b'{"hello": "world"}', "mine.json is not an Archer save"),
        (lambda good: b"[1, 2, 3]", "mine.json is not an Archer save"),
        (lambda good: good.replace(b'"version": 1,', b'"version": 7,', 1), "written by another version of Archer"),
        (
            lambda good: good.replace(b'"scene": "jetty"', b'"scene": 12'),
            "mine.json is damaged (the game state has a wrong value",
        ),
        (lambda good: good.replace(b'"flags"', b'"flogs"'), "mine.json is damaged (the game state has no 'flags')"),
    ],
)
def test_a_bad_save_file_is_named_and_the_other_slots_still_load(
    example: Story, tmp_path: Path, content: Callable[[bytes], bytes], message: str
) -> None:
    engine = Engine(example)
    store = SaveStore(tmp_path)
    state = played(engine, TO_JETTY)
    store.save("mine", example, state)
    store.save("other", example, state)
    path = store.path("mine")
    path.write_bytes(content(path.read_bytes()))
    with pytest.raises(SaveError) as raised:
        store.load("mine", engine)
    assert message in str(raised.value)
    assert store.load("other", engine).run.state == state
    slots = {slot.name: slot for slot in store.slots(example)}
    assert slots["mine"].status == "damaged" and message in slots["mine"].problem
    assert slots["other"].status == "ok"
    assert store.newest(example) is not None and store.newest(example).name == "other"  # type: ignore[union-attr]


def test_a_hand_edited_save_in_an_impossible_scene_is_replayed_not_trusted(example: Story, tmp_path: Path) -> None:
    engine = Engine(example)
    store = SaveStore(tmp_path)
    store.save("mine", example, played(engine, TO_JETTY))
    path = store.path("mine")
    data = json.loads(path.read_text())
    data["state"]["scene"] = "secret_room"
    path.write_text(json.dumps(data))
    loaded = store.load("mine", engine)
    assert loaded.run.state.scene == "jetty"


def test_a_save_from_another_story_is_refused(example: Story, story: Story, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    store.save("mine", story, Engine(story).new_game())
    with pytest.raises(SaveError, match="belongs to another story"):
        store.load("mine", Engine(example))
    assert store.slots(example)[0].status == "other story"


@pytest.mark.parametrize(
    "name", ["../escape", "a/b", "..", ".hidden", "", "x" * 49, "tab\there", "nul\x00", "back\\slash", "/abs"]
)
def test_slot_names_cannot_escape_the_save_folder(name: str, tmp_path: Path, example: Story) -> None:
    with pytest.raises(SaveError, match="can't be a slot name"):
        check_slot_name(name)
    with pytest.raises(SaveError):
        SaveStore(tmp_path / "saves").save(name, example, Engine(example).new_game())
    assert not any(tmp_path.rglob("*.json"))


@pytest.mark.parametrize("name", ["quicksave", "Chapter 2", "before-the-roof", "run_3.b"])
def test_ordinary_slot_names_are_fine(name: str) -> None:
    assert check_slot_name(name) == name


def test_autosaves_rotate(example: Story, tmp_path: Path) -> None:
    engine = Engine(example)
    store = SaveStore(tmp_path)
    run = Run.new(engine)
    for _ in range(5):
        run.choose(1 if run.state.scene != "tower" else len(engine.choices(run.state)))
        store.autosave(example, run.state)
    names = sorted(slot.name for slot in store.slots(example))
    assert names == ["autosave-1", "autosave-2", "autosave-3"]
    assert store.load("autosave-1", engine).run.state == run.state


def test_endings_found_are_remembered_and_a_damaged_record_reads_empty(example: Story, tmp_path: Path) -> None:
    record = EndingsRecord(tmp_path)
    record.add(example, "gone")
    record.add(example, "found")
    assert set(EndingsRecord(tmp_path).found(example)) == {"gone", "found"}
    record.legacy.write_text("[" * 100_000)  # a damaged record as older versions kept it
    assert set(record.found(example)) == {"gone", "found"}
    record.legacy.write_text(json.dumps({example.id: {"gone": "2026-01-01", "nowhere": "2026-01-01"}}))
    assert set(record.found(example)) == {"gone", "found"}, "the old record is read too; unknown endings skipped"


def test_a_kill_in_the_middle_of_saving_leaves_the_old_or_the_new_save(example: Story, tmp_path: Path) -> None:
    """SIGKILL a process that saves over and over; the slot is always one complete save."""
    engine = Engine(example)
    store = SaveStore(tmp_path)
    states = [engine.new_game(), played(engine, TO_JETTY)]
    # A big play log makes each write take long enough to be caught in the middle.
    padded = played(engine, TO_JETTY)
    padded.flags.update(f"padding_flag_{i}" for i in range(20000))
    states.append(padded)
    store.save("slot", example, states[0])
    rng = random.Random(1234)
    kills = mid_write = 0
    # At least 120 kills at random moments, and on until at least 10 of them caught a write half done.
    while (kills < 120 or mid_write < 10) and kills < 2000:
        temps_before = len(list(tmp_path.glob(".slot.json.*.tmp")))
        pid = os.fork()
        if pid == 0:  # the child saves until it is killed
            try:
                index = 0
                while True:
                    store.save("slot", example, states[index % 3])
                    index += 1
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        kills += 1
        mid_write += len(list(tmp_path.glob(".slot.json.*.tmp"))) > temps_before  # a temp file left: caught mid-write
        loaded = store.load("slot", engine).run.state
        assert loaded in states
    assert kills >= 120 and mid_write >= 10, (kills, mid_write)
    assert [slot.status for slot in store.slots(example)] == ["ok"]


def run_plain(keys: str, *args: str, saves: Path) -> subprocess.CompletedProcess[str]:
    return archer("--plain", "--story", str(EXAMPLE_DIR), "--saves", str(saves), *args, stdin=keys)


def test_plain_mode_saves_quits_and_continues_in_the_same_place(tmp_path: Path) -> None:
    first = run_plain("1\n1\nsave evening\nquit\n", saves=tmp_path)
    assert "Saved as 'evening'." in first.stdout
    again = run_plain("casebook\nlook\nq\n", "--continue", saves=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Casebook:\n- The keeper's ledger (found: The lamp room)." in again.stdout
    assert again.stdout.split("\n")[1] == "-- The lamp room · Top of the lighthouse --"
    listing = archer("--story", str(EXAMPLE_DIR), "--saves", str(tmp_path), "saves")
    assert "evening: Part One: The Search · The lamp room · 1 clue · " in listing.stdout


def test_plain_mode_undo_load_and_bad_slot_messages(tmp_path: Path) -> None:
    result = run_plain("1\nundo\nundo\nsave ../../etc\nload nothing\nsave a\n2\nload a\nq\n", saves=tmp_path)
    out = result.stdout
    assert "Undid 1 choice." in out
    assert "There is nothing to undo: this is the start of the run." in out
    assert "Not saved: '../../etc' can't be a slot name" in out
    assert "Not loaded: there is no save called 'nothing'." in out
    assert out.rstrip().endswith("Goodbye.")
    assert out.split("Loaded 'a'.\n")[1].startswith("\n-- The shore · Gull Island --")


def test_an_ending_is_recorded_for_the_title_screen(tmp_path: Path, example: Story) -> None:
    run_plain("3\n", saves=tmp_path)
    assert set(EndingsRecord(tmp_path).found(example)) == {"gone"}


# -- a saves folder holding anything: every way of loading still works --------------------

HOSTILE: dict[str, Callable[[bytes], bytes]] = {
    "deep": lambda good: b"[" * 100_000,
    "huge-seed": lambda good: good.replace(b'"seed": 0', b'"seed": ' + b"7" * 5_000, 1),
    "nan-seconds": lambda good: re.sub(rb'"play_seconds": [0-9.]+', b'"play_seconds": NaN', good, count=1),
    "infinite-clues": lambda good: re.sub(rb'"clues": [0-9]+', b'"clues": Infinity', good, count=1),
    "markup-title": lambda good: good.replace(b'"scene_title": "The jetty"', b'"scene_title": "[/] [bold"', 1),
    "not-a-dict": lambda good: b'"just a string"',
    "list-meta": lambda good: good.replace(b'"meta": {', b'"meta": [{', 1).replace(b'},\n "state"', b'}],\n "state"'),
    "bad-utf8": lambda good: b"\xff\xfe" + good,
    "null-log-entry": lambda good: good.replace(b'"log": [', b'"log": [null, ', 1),
}


def hostile_folder(example: Story, folder: Path) -> GameState:
    """A folder with one good save and one of each kind of bad file; the good state."""
    engine = Engine(example)
    store = SaveStore(folder)
    state = played(engine, TO_JETTY)
    store.save("good", example, state, play_seconds=61)
    good = (folder / "good.json").read_bytes()
    for name, damage in HOSTILE.items():
        (folder / f"{name}.json").write_bytes(damage(good))
    os.utime(folder / "good.json", (1, 1))  # the oldest file: every bad one is met first
    return state


def test_no_file_in_the_saves_folder_stops_the_listing_or_the_loading(example: Story, tmp_path: Path) -> None:
    state = hostile_folder(example, tmp_path)
    store, engine = SaveStore(tmp_path), Engine(example)
    slots = {slot.name: slot for slot in store.slots(example)}
    assert set(slots) == {"good", *HOSTILE}
    assert slots["good"].usable and slots["good"].play_seconds == 61
    for name in ("deep", "huge-seed", "nan-seconds", "infinite-clues", "not-a-dict", "list-meta", "bad-utf8"):
        assert slots[name].status == "damaged", name
        with pytest.raises(SaveError):
            store.load(name, engine)
    assert slots["markup-title"].scene_title == "[/] [bold", "shown as written (the TUI escapes it)"
    assert store.load("good", engine).run.state == state


@pytest.mark.parametrize("how", [["saves"], ["--continue"], ["--load", "good"], ["--load", "deep"]])
def test_every_way_of_loading_survives_a_hostile_folder(example: Story, tmp_path: Path, how: list[str]) -> None:
    hostile_folder(example, tmp_path)
    (tmp_path / "markup-title.json").unlink()  # a usable save: --continue would rightly pick it
    result = archer(
        "--plain", "--story", str(EXAMPLE_DIR), "--saves", str(tmp_path), *how, stdin="casebook\nsaves\nload deep\nq\n"
    )
    assert "Traceback" not in result.stderr + result.stdout
    if how == ["--load", "deep"]:
        assert result.returncode == 1 and "Could not load: deep.json is damaged (nested too deeply)" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    assert "deep: DAMAGED: deep.json is damaged (nested too deeply)" in result.stdout
    assert "huge-seed: DAMAGED" in result.stdout and "nan-seconds: DAMAGED" in result.stdout
    if how != ["saves"]:
        assert "The keeper's ledger" in result.stdout, "the good save was loaded"
        assert "Not loaded: deep.json is damaged" in result.stdout


@pytest.mark.parametrize(
    "name", ["endings-found", "autosave-3", "autosave", "AutoSave-1", "system", "CON", "nul", "Prn.txt", "com1", "LPT9"]
)
def test_the_games_own_names_and_device_names_cannot_be_saved_over(example: Story, tmp_path: Path, name: str) -> None:
    store = SaveStore(tmp_path)
    engine = Engine(example)
    store.autosave(example, engine.new_game())
    EndingsRecord(tmp_path).add(example, "gone")
    with pytest.raises(SaveError, match="choose another"):
        store.save(name, example, played(engine, TO_JETTY))
    assert store.load("autosave-1", engine).run.state == engine.new_game()
    assert set(EndingsRecord(tmp_path).found(example)) == {"gone"}


def _autosave_many(folder: str, count: int) -> None:
    example = load_story(EXAMPLE_DIR)
    engine = Engine(example)
    store = SaveStore(Path(folder))
    state = played(engine, TO_JETTY)
    for _ in range(count):
        store.autosave(example, state)


def _record_endings(folder: str, story_ids: list[str]) -> None:
    example = load_story(EXAMPLE_DIR)
    for story_id in story_ids:
        EndingsRecord(Path(folder)).add(replace(example, id=story_id), "gone")


def test_two_games_autosaving_at_once_never_fail(tmp_path: Path) -> None:
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        jobs = [pool.submit(_autosave_many, str(tmp_path), 150) for _ in range(2)]
        for job in jobs:
            job.result()  # raises if any autosave failed
    example = load_story(EXAMPLE_DIR)
    slots = SaveStore(tmp_path).slots(example)
    assert [slot.name for slot in slots] == ["autosave-1", "autosave-2", "autosave-3"]
    assert all(slot.status == "ok" for slot in slots)


def test_two_games_recording_endings_at_once_lose_none(tmp_path: Path) -> None:
    ids = [f"story_{n}" for n in range(120)]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        for job in [
            pool.submit(_record_endings, str(tmp_path), ids[0::2]),
            pool.submit(_record_endings, str(tmp_path), ids[1::2]),
        ]:
            job.result()
    example = load_story(EXAMPLE_DIR)
    lost = [
        story_id
        for story_id in ids
        if EndingsRecord(tmp_path).found(replace(example, id=story_id)) != {"gone": mock.ANY}
    ]
    assert lost == []


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_save_damaged_any_way_is_reported_and_the_other_slot_still_loads(
    example: Story, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("saves")
    engine = Engine(example)
    store = SaveStore(folder)
    state = played(engine, TO_JETTY)
    store.save("good", example, state)
    store.save("bad", example, state)
    raw = bytearray((folder / "bad.json").read_bytes())
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(raw) - 1))
        match data.draw(st.sampled_from(["flip", "cut", "insert"])):
            case "flip":
                raw[at] = data.draw(st.integers(0, 255))
            case "cut":
                del raw[at : at + data.draw(st.integers(1, 40))]
            case "insert":
                raw[at:at] = data.draw(st.sampled_from([b"[", b"{", b"NaN", b"9" * 5000, b"[/]", b'"', b"\x00"]))
    (folder / "bad.json").write_bytes(bytes(raw))
    slots = {slot.name: slot for slot in store.slots(example)}
    assert set(slots) == {"good", "bad"}
    with contextlib.suppress(SaveError):  # a run or a message: never another exception
        store.load("bad", engine)
    assert store.load("good", engine).run.state == state


def test_a_file_name_holding_an_escape_sequence_never_reaches_the_terminal(tmp_path: Path, example: Story) -> None:
    """A save file can be named anything on disk; listing it must not write the clipboard (OSC 52)."""
    from game.plain import format_slots

    store = SaveStore(tmp_path)
    (tmp_path / "evil\x1b]52;c;SGVsbG8=\x07x.json").write_text("{}", encoding="utf-8")
    listing = format_slots(store.slots(example))
    assert "evil" in listing and "\x1b" not in listing and "\x07" not in listing
