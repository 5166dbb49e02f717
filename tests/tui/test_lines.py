"""game/lines.py: how a line is introduced, the same for plain mode and the TUI."""

from __future__ import annotations

from game.lines import ShownLine, plain_line, wrap_without_orphans
from game.story.model import NARRATOR, VOICEOVER, Story


def test_a_line_as_plain_text(lighthouse: Story) -> None:
    assert plain_line(lighthouse, NARRATOR, "Cold glass.") == "Cold glass."
    assert plain_line(lighthouse, "fisher", "Hello.") == "Agnes the fisher: Hello."
    assert plain_line(lighthouse, VOICEOVER, "Always.") == "The Keeper (voiceover): Always."
    painted = plain_line(lighthouse, VOICEOVER, "Always.", name_style=str.upper, voice_style=lambda t: f"_{t}_")
    assert painted == "THE KEEPER (voiceover): _Always._"


def test_a_run_of_voiceover_lines_is_labelled_once() -> None:
    lines = ShownLine.group([(VOICEOVER, "a"), (VOICEOVER, "b"), (NARRATOR, "c"), (VOICEOVER, "d")])
    assert [line.show_label for line in lines] == [True, False, True, True]
    assert [line.runs_on for line in lines] == [True, False, False, False]


def test_wrapping_gives_a_little_width_to_keep_a_name_whole() -> None:
    text = "The case is open. So is Studio C."
    assert wrap_without_orphans(text, 31) == ["The case is open. So is", "Studio C."]
    assert wrap_without_orphans("Short.", 31) == ["Short."]
