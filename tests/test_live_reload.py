"""Live reload: an author edits YAML while playing, and the run goes on from the same point."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from game.plain import PlainGame
from game.session import Session
from game.story.loader import load_story

from support import WriteStory


class EditingInput(io.StringIO):
    """Stdin that runs an edit just before it hands over a given line."""

    def __init__(self, lines: list[str], edits: dict[int, Callable[[], None]]) -> None:
        super().__init__()
        self.lines = lines
        self.edits = edits
        self.count = 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if self.count >= len(self.lines):
            return ""
        if self.count in self.edits:
            self.edits[self.count]()
        self.count += 1
        return self.lines[self.count - 1] + "\n"


def play(root: Path, lines: list[str], edits: dict[int, Callable[[], None]], watch: bool) -> str:
    out = io.StringIO()
    PlainGame(Session(load_story(root)), EditingInput(lines, edits), out, color=False, watch=watch).run()
    return out.getvalue()


def test_an_edited_line_shows_up_at_once_and_the_run_goes_on(make_story: WriteStory) -> None:
    root = make_story()
    island = root / "scenes" / "island.yaml"

    def edit() -> None:
        island.write_text(island.read_text().replace("Cold glass.", "Cold glass, and a draught from nowhere."))

    out = play(root, ["1", "reload", "2", "q"], {1: edit}, watch=False)
    assert (
        "(Story reloaded.) The story has changed while you played; your 1 choices were replayed and you are back in The lamp room."
        in out
    )
    assert out.count("Cold glass, and a draught from nowhere.") == 1
    assert "-- The shore · Gull Island --" in out.split("draught from nowhere.")[1], (
        "the run goes on from the lamp room"
    )


def test_watch_mode_picks_up_an_edit_without_being_asked(make_story: WriteStory) -> None:
    root = make_story()
    island = root / "scenes" / "island.yaml"

    def edit() -> None:
        island.write_text(island.read_text().replace("Go back down", "Take the spiral stair down"))

    out = play(root, ["1", "1", "q"], {1: edit}, watch=True)
    assert "(Story reloaded.)" in out
    assert "  1. Take the spiral stair down\n" in out.split("(Story reloaded.)")[1]


def test_a_broken_edit_shows_the_errors_and_the_old_story_plays_on(make_story: WriteStory) -> None:
    root = make_story()
    island = root / "scenes" / "island.yaml"

    def break_it() -> None:
        island.write_text(island.read_text().replace("goto: jetty", "goto: jety", 1))

    out = play(root, ["1", "reload", "2", "q"], {1: break_it}, watch=False)
    assert "The edited story has errors, so you are still playing the version from before:" in out
    assert "scenes/island.yaml:13: unknown scene 'jety'; did you mean 'jetty'?" in out
    assert "-- The shore · Gull Island --" in out.split("did you mean 'jetty'?")[1]


def test_a_removed_choice_restores_the_run_to_where_it_still_fits(make_story: WriteStory) -> None:
    root = make_story()
    island = root / "scenes" / "island.yaml"

    def remove_tower() -> None:
        text = island.read_text().replace("    - say: Climb to the lighthouse\n      goto: tower\n", "")
        island.write_text(text)

    out = play(root, ["1", "reload", "q"], {1: remove_tower}, watch=False)
    assert (
        "the choice 'Climb to the lighthouse' no longer exists. Your run was restored to The shore, after 0 of 1 choices."
        in out
    )
