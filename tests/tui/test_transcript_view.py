"""The history's transcript view: every row of a wrapped line keeps its speaker's bar."""

from __future__ import annotations

from rich.console import Console
from textual.color import Color

from game.session.entries import Entry
from game.story.model import Story
from game.tui.themes import ARCHER_NIGHT
from game.tui.widgets.transcript_view import Inks, render_transcript

INKS = Inks.from_theme(
    *(Color.parse(c) for c in ("#e9e4ef", ARCHER_NIGHT.background or "#000", "#e0567a", "#7f8fd1", "#d4a94f"))
)
CONSOLE = Console(width=200, color_system="truecolor")


def rows(entries: list[Entry], story: Story, width: int) -> list[str]:
    return [strip.text for strip in render_transcript(entries, story, width, INKS, CONSOLE)]


def test_a_long_line_wraps_and_every_row_keeps_the_bar(lighthouse: Story) -> None:
    text = "word " * 30
    drawn = rows([Entry("line", text.strip(), speaker="fisher")], lighthouse, 40)
    body = [row for row in drawn if row.strip()]
    assert len(body) > 2
    assert all(row.startswith("▌ ") for row in body)
    assert body[0].startswith("▌ Agnes the fisher  word")
    assert all(len(row) <= 40 for row in drawn)


def test_a_run_of_voiceover_lines_is_labelled_once_and_its_gaps_keep_the_bar(lighthouse: Story) -> None:
    entries = [Entry("line", "First.", speaker="voiceover"), Entry("line", "Second.", speaker="voiceover")]
    drawn = [row.rstrip() for row in rows(entries, lighthouse, 60)]
    assert drawn[:4] == ["    ╎ The Keeper  voiceover", "    ╎ First.", "    ╎", "    ╎ Second."]


def test_chapters_are_centred_and_scenes_choices_and_endings_are_marked(lighthouse: Story) -> None:
    entries = [
        Entry("chapter", "Part One"),
        Entry("scene", "The shore", detail="Gull Island"),
        Entry("choice", "Walk down to the jetty"),
        Entry("ending", "The lamp stays dark"),
    ]
    drawn = [row.rstrip() for row in rows(entries, lighthouse, 30) if row.strip()]
    assert drawn == [
        "           Part One",
        "The shore  ·  Gull Island",
        "  You chose  Walk down to the",
        "  jetty",
        "The end: The lamp stays dark",
    ]
