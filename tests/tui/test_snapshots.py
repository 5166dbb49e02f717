"""What the player sees, pixel for pixel, at 80x24: title, play, casebook, suspects and ending.

These use the small example story, so that edits to the season's text never
break them; the typewriter is off (TEXTUAL_ANIMATIONS=none) so they are stable.
Regenerate with `pytest tests/tui --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.story.model import Story
from game.tui.app import ArcherApp

SnapCompare = Callable[..., bool]
# New game, past the chapter card; then climb to the lamp room and read the ledger.
TO_THE_LEDGER = ["n", "enter", "1", "1"]


def app(story: Story) -> ArcherApp:
    return ArcherApp(story)


def test_title_screen(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), terminal_size=(80, 24))


def test_play_screen(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), press=["n", "enter", "2"], terminal_size=(80, 24))


def test_play_screen_with_narration_and_the_voiceover(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), press=["n", "enter"], terminal_size=(80, 24))


def test_chapter_card(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), press=["n"], terminal_size=(80, 24))


def test_casebook_screen(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), press=[*TO_THE_LEDGER, "c"], terminal_size=(80, 24))


def test_suspects_screen(snap_compare: SnapCompare, lighthouse: Story) -> None:
    press = [*TO_THE_LEDGER, "1", "2", "1", "s"]  # go back down, the jetty, look at the mooring
    assert snap_compare(app(lighthouse), press=press, terminal_size=(80, 24))


def test_ending_screen(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), press=["n", "enter", "3"], terminal_size=(80, 24))


def test_play_screen_at_60_by_20(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), press=["n", "enter", "2"], terminal_size=(60, 20))


def test_play_screen_in_the_day_theme(snap_compare: SnapCompare, lighthouse: Story) -> None:
    def day(pilot: Any) -> None:
        pilot.app.theme = "archer-day"

    assert snap_compare(app(lighthouse), press=["n", "enter", "2"], terminal_size=(80, 24), run_before=day)


# To the accusation (tower, ledger, down, jetty, rope, tell Agnes, past the card), open the deduction,
# and fill the first blank with Agnes.
TO_THE_DEDUCTION = ["n", "enter", "1", "1", "1", "2", "1", "1", "enter", "2", "enter", "down", "enter"]


def test_deduction_screen(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), press=TO_THE_DEDUCTION, terminal_size=(80, 24))


def test_deduction_screen_at_60_by_20(snap_compare: SnapCompare, lighthouse: Story) -> None:
    assert snap_compare(app(lighthouse), press=TO_THE_DEDUCTION, terminal_size=(60, 20))
