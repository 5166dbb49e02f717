"""The session: what each step shows (for every frontend), undo, saves, reload and the endings record."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from game.engine.engine import ChoiceError
from game.saves import SaveStore
from game.session import Session
from game.story import loader
from game.story.loader import load_story
from game.story.model import Story

from support import EXAMPLE_DIR, WriteStory


def started(story: Story) -> Session:
    session = Session(story)
    session.new_game()
    return session


def test_a_new_run_begins_with_the_chapter_the_scene_and_its_lines(example: Story) -> None:
    run = started(example)
    kinds = [(e.kind, e.text) for e in run.transcript]
    assert kinds[:2] == [("chapter", "Part One: The Search"), ("scene", "The shore")]
    assert [e.speaker for e in run.transcript[2:]] == ["narrator", "voiceover"]
    assert not run.can_undo and not run.ended


def test_a_choice_adds_what_was_chosen_and_what_followed_and_undo_takes_exactly_that(example: Story) -> None:
    run = started(example)
    before = list(run.transcript)
    run.choose(2)
    added = run.transcript[len(before) :]
    assert [(e.kind, e.text) for e in added[:2]] == [("choice", "Walk down to the jetty"), ("scene", "The jetty")]
    assert run.state.scene == "jetty" and run.choices_made == 1
    assert run.undo()
    assert run.transcript == before and run.state.scene == "shore"
    assert not run.undo()


def test_an_ending_is_written_into_the_transcript(example: Story) -> None:
    run = started(example)
    step = run.choose(3)
    assert step.ending is not None and run.ended
    assert run.transcript[-1].kind == "ending" and run.transcript[-1].detail.startswith("You take the ferry back")


def test_a_choice_not_on_offer_changes_nothing(example: Story) -> None:
    run = started(example)
    with pytest.raises(ChoiceError):
        run.choose(7)
    assert run.choices_made == 0


def take(session: Session, *texts: str) -> None:
    for text in texts:
        numbers = [n for n, choice in enumerate(session.view.choices, 1) if choice.text == text]
        assert numbers, f"{text!r} is not on offer in {session.state.scene}"
        session.choose(numbers[0])


TO_CONFRONTATION = ("Climb to the lighthouse", "Read the ledger", "Go back down", "Walk down to the jetty")


def test_a_choice_back_into_the_same_beat_shows_its_chapter_card_in_the_history_too(make_story: WriteStory) -> None:
    """The chapter card is shown whenever a choice fires a beat, the same beat included: on the
    screen (last_shown), and in the transcript rebuilt for a loaded run."""
    root = make_story()
    story_yaml = root / "story.yaml"
    story_yaml.write_text(
        story_yaml.read_text().replace(
            "      if: has(ledger) and resolve >= 1\n",
            "      if: has(ledger) and resolve >= 1\n    - trigger: press\n      source: accusation\n      dest: accusation\n",
        )
    )
    island = root / "scenes" / "island.yaml"
    island.write_text(
        island.read_text().replace(
            "    - say: Back down and take the ferry\n",
            "    - say: Press her again\n      trigger: press\n      goto: confrontation\n"
            "    - say: Back down and take the ferry\n",
        )
    )
    session = Session(load_story(root), SaveStore(root.parent / "saves"))
    session.new_game()
    take(session, *TO_CONFRONTATION, "Tell Agnes what the ledger says", "Press her again")
    shown = [(entry.kind, entry.text) for entry in session.last_shown[:3]]
    assert shown == [
        ("choice", "Press her again"),
        ("chapter", "Part Two: The Accusation"),
        ("scene", "The accusation"),
    ]
    assert session.save("here").ok
    again = Session(load_story(root), SaveStore(root.parent / "saves"))
    assert again.load("here").ok
    assert again.transcript == session.transcript, "the history of a loaded run shows the same cards"
    assert [e.text for e in again.transcript if e.kind == "chapter"].count("Part Two: The Accusation") == 2


def test_undo_takes_back_exactly_what_the_steps_showed(example: Story) -> None:
    session = started(example)
    opening = list(session.transcript)
    take(session, "Climb to the lighthouse", "Read the ledger")
    assert session.undo(5) == 2
    assert session.transcript == opening
    assert session.redo() and session.state.scene == "tower" and session.choices_made == 1


def test_autosave_comes_every_few_choices_and_on_every_new_chapter(example: Story, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    session = Session(example, store, autosave_every=3)
    session.new_game()
    take(session, "Climb to the lighthouse", "Read the ledger")
    assert session.slots()[0] == []
    take(session, "Go back down")
    assert [slot.name for slot in session.slots()[0]] == ["autosave-1"]
    take(session, "Walk down to the jetty", "Tell Agnes what the ledger says")  # a new chapter
    assert [slot.name for slot in session.slots()[0]] == ["autosave-1", "autosave-2"]
    assert store.load("autosave-1", session.engine).run.state == session.state


def test_an_ending_is_recorded_once_and_counted(example: Story, tmp_path: Path) -> None:
    session = Session(example, SaveStore(tmp_path))
    session.new_game()
    take(session, "Take the next ferry home")
    assert session.endings_count() == (1, 2)
    assert Session(example, SaveStore(tmp_path)).endings_found == ["gone"]


def test_quitting_saves_a_run_in_progress_and_continue_brings_it_back(example: Story, tmp_path: Path) -> None:
    session = Session(example, SaveStore(tmp_path), autosave_every=0)
    session.new_game()
    assert session.save_on_exit().message == "", "nothing to keep before the first choice"
    take(session, "Climb to the lighthouse", "Read the ledger")
    assert session.save_on_exit().ok
    later = Session(example, SaveStore(tmp_path))
    assert later.continue_newest().ok
    assert later.state == session.state and later.transcript == session.transcript


# -- the boundaries: whatever fails, a message, the run kept, the details logged ------------


def broken(*_: object, **__: object) -> None:
    raise RuntimeError("something nobody foresaw")


def logged(message: str) -> Path:
    log = Path(os.environ["ARCHER_LOG_DIR"]) / "archer-errors.log"
    assert str(log) in message, message
    assert "RuntimeError: something nobody foresaw" in log.read_text(encoding="utf-8")
    return log


def test_a_failure_while_saving_is_a_message_and_the_run_goes_on(
    example: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session(example, SaveStore(tmp_path))
    session.new_game()
    take(session, "Climb to the lighthouse")
    monkeypatch.setattr(SaveStore, "save", broken)
    outcome = session.save("slot")
    assert not outcome.ok and outcome.message.startswith("Not saved. Something went wrong while saving")
    logged(outcome.message)
    take(session, "Read the ledger")
    assert session.choices_made == 2


@pytest.mark.parametrize("where", ["load", "slots"])
def test_a_failure_while_loading_or_listing_keeps_the_run(
    example: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    session = Session(example, SaveStore(tmp_path))
    session.new_game()
    take(session, "Climb to the lighthouse")
    assert session.save("slot").ok
    before = session.state
    monkeypatch.setattr(SaveStore, where, broken)
    outcome = session.load("slot") if where == "load" else session.continue_newest()
    assert not outcome.ok
    if where == "load":
        logged(outcome.message)
    else:
        assert "There is no save to continue" in outcome.message
        logged(session.slots()[1])
    assert session.state is before


def test_a_failure_while_reloading_keeps_the_old_story_and_the_run(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_story()
    session = Session(load_story(root), SaveStore(root.parent / "saves"))
    session.new_game()
    take(session, "Climb to the lighthouse", "Read the ledger")
    before, story = session.state, session.story
    (root / "scenes" / "island.yaml").write_text(
        (root / "scenes" / "island.yaml").read_text().replace("Cold glass.", "Warm glass.")
    )
    monkeypatch.setattr(loader, "load_story", broken)
    reload = session.reload()
    assert reload.kind == "failed" and "still playing the version from before" in reload.message
    logged(reload.message)
    assert session.state is before and session.story is story
    assert [slot.name for slot in session.slots()[0]] == ["autosave-1"], "the run was saved before the reload"
    assert session.reload().kind == "unchanged", "the same failing edit is not tried every second"


def test_putting_a_broken_file_back_as_it_was_is_said_once(make_story: WriteStory) -> None:
    root = make_story()
    session = Session(load_story(root), None)
    session.new_game()
    island = root / "scenes" / "island.yaml"
    played = island.read_text()
    island.write_text(played.replace("goto: jetty", "goto: jety", 1))
    assert session.reload().kind == "rejected"
    assert session.reload().kind == "unchanged", "the same broken edit is said once"
    island.write_text(played)
    restored = session.reload()
    assert restored.kind == "restored" and "no errors" in restored.message
    assert session.reload().kind == "unchanged"


def test_a_bad_value_or_a_vanished_file_while_reloading_is_a_message(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_story()
    session = Session(load_story(root), SaveStore(root.parent / "saves"))
    session.new_game()
    take(session, "Climb to the lighthouse")
    island = root / "scenes" / "island.yaml"
    island.write_text(island.read_text().replace("title: The shore", "title: 2001-13-45"))
    reload = session.reload()
    assert reload.kind == "reloaded", "YAML 1.2: a date that is not one is only text"
    assert session.story.scenes["shore"].title == "2001-13-45" and session.state.scene == "tower"

    real = Path.read_bytes

    def vanishing(path: Path) -> bytes:
        if path.suffix == ".yaml":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real(path)

    island.write_text(island.read_text().replace("title: 2001-13-45", "title: The beach"))
    monkeypatch.setattr(Path, "read_bytes", vanishing)
    monkeypatch.setattr(Path, "read_text", lambda path, *a, **k: vanishing(path).decode())
    reload = session.reload()
    assert reload.kind in ("failed", "rejected"), reload
    assert session.state.scene == "tower" and session.story.scenes["shore"].title == "2001-13-45"


def test_a_fault_while_playing_is_a_message_the_run_saved_and_the_details_logged(
    example: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from game import cli
    from game.plain import PlainGame

    monkeypatch.setattr(PlainGame, "casebook", broken)
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n1\ncasebook\n"))
    code = cli.main(["--plain", "--story", str(EXAMPLE_DIR), "--saves", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err
    assert err.startswith("Something went wrong while playing (something nobody foresaw)")
    logged(err)
    session = Session(example, SaveStore(tmp_path))
    assert session.continue_newest().ok and "ledger" in session.state.clues, "the run was saved on the way out"


def test_a_story_folder_that_cannot_be_read_is_said_once_not_at_every_look(
    make_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session(load_story(make_story()))
    session.new_game()
    real = loader.story_digest
    monkeypatch.setattr(loader, "story_digest", broken)
    assert session.reload().kind == "failed"
    assert session.reload().kind == "unchanged", "watch mode looks every second: one message is enough"
    assert session.reload(force=True).kind == "failed", "asked for, it says again"
    monkeypatch.setattr(loader, "story_digest", real)
    assert session.reload().kind == "unchanged" and session.state.scene == "shore"
