"""The history's transcript view: laid out by the same line layout as the play screen."""

from __future__ import annotations

from textual.color import Color

from game.lines import ShownLine
from game.session.entries import Entry
from game.story.model import Story
from game.tui.themes import ARCHER_NIGHT
from game.tui.widgets.line_layout import LineLayout
from game.tui.widgets.transcript_view import Inks, logical_line, transcript_rows

BACKGROUND = Color.parse(ARCHER_NIGHT.background or "#000")
INKS = Inks.from_theme(*(Color.parse(c) for c in ("#e9e4ef", BACKGROUND.hex, "#e0567a", "#7f8fd1", "#d4a94f")))


def rows(entries: list[Entry], story: Story, width: int) -> list[str]:
    return [row.plain for row in transcript_rows(entries, LineLayout(story, BACKGROUND), INKS, width)]


def test_a_long_line_wraps_and_every_row_keeps_the_bar(lighthouse: Story) -> None:
    text = "word " * 30
    drawn = rows([Entry("line", text.strip(), speaker="fisher")], lighthouse, 40)
    body = [row for row in drawn if row.strip()]
    assert len(body) > 2
    assert all(row.startswith("█ ") for row in body)
    assert body[0].startswith("█ Agnes the fisher  word")
    assert all(len(row) <= 40 for row in drawn)


def test_a_run_of_voiceover_lines_is_labelled_once_and_its_gaps_keep_the_bar(lighthouse: Story) -> None:
    entries = [Entry("line", "First.", speaker="voiceover"), Entry("line", "Second.", speaker="voiceover")]
    drawn = [row.rstrip() for row in rows(entries, lighthouse, 60)]
    assert drawn[:4] == ["    ╏ The Keeper  voiceover", "    ╏ First.", "    ╏", "    ╏ Second."]


def test_the_history_draws_a_scene_exactly_as_the_play_screen_does(lighthouse: Story) -> None:
    said = [("narrator", "The wind drops. " * 6), ("fisher", "Mind the steps."), ("voiceover", "I did not.")]
    entries = [Entry("line", text, speaker=speaker) for speaker, text in said]
    scene = LineLayout(lighthouse, BACKGROUND).rows(ShownLine.group(said), 50)
    assert rows(entries, lighthouse, 50)[: len(scene)] == [row.plain for row in scene]


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


def test_the_plain_text_of_an_entry_names_the_speaker(lighthouse: Story) -> None:
    assert logical_line(Entry("line", "Hello.", speaker="fisher"), lighthouse) == "Agnes the fisher: Hello."
    assert logical_line(Entry("line", "Once.", speaker="voiceover"), lighthouse) == "The Keeper (voiceover): Once."
    assert logical_line(Entry("choice", "Go"), lighthouse) == "You chose: Go"
