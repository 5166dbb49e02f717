"""Plain mode, as a screen-reader user or a script meets it: stdin in, text out."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.plain import PlainGame
from game.session import Session
from game.story.model import Story

from support import EXAMPLE_DIR, archer


def play(story: Story, keys: str, color: bool = False) -> str:
    out = io.StringIO()
    code = PlainGame(Session(story), io.StringIO(keys), out, color=color).run()
    assert code == 0
    return out.getvalue()


def test_choices_are_numbered_and_speakers_named(example: Story) -> None:
    text = play(example, "2\n")
    assert "  1. Climb to the lighthouse\n  2. Walk down to the jetty\n  3. Take the next ferry home\n" in text
    assert "The Keeper (voiceover): I always left the lamp burning. Always." in text
    assert "Agnes the fisher: You're not from here." in text
    assert "-- The jetty · Gull Island harbour --" in text


def test_a_bad_entry_gets_a_clear_message_and_the_same_prompt_again(example: Story) -> None:
    text = play(example, "7\nlighthouse\n1\n")
    assert "'7' is not one of the choices. Type a number from 1 to 3, or 'help'." in text
    assert "'lighthouse' is not one of the choices." in text
    assert text.count("  1. Climb to the lighthouse") == 3, "the choices are shown again after each bad entry"
    assert "-- The lamp room · Top of the lighthouse --" in text


def test_quit_and_end_of_input_both_leave_cleanly(example: Story) -> None:
    assert play(example, "q\n").rstrip().endswith("Goodbye.")
    assert play(example, "").rstrip().endswith("Goodbye.")
    assert "-- The lamp room" not in play(example, "quit\n1\n")


def test_an_ending_is_shown_and_the_game_stops_asking(example: Story) -> None:
    text = play(example, "3\n1\n")
    assert text.rstrip().endswith(
        "== The end: The lamp stays dark ==\nYou take the ferry back with nothing in your notebook but the tide tables."
    )
    assert text.count("> ") == 1


def test_a_beat_change_shows_its_chapter_card(example: Story) -> None:
    text = play(example, "1\n1\n1\n2\n1\n1\n")
    assert "== Part Two: The Accusation ==\nSomeone on this island knows where the keeper went." in text


def test_help_look_and_casebook_commands(example: Story) -> None:
    text = play(example, "help\n1\n1\ncasebook\nlook\n")
    assert "Type the number of a choice" in text
    assert "Casebook:\n- The keeper's ledger (found: The lamp room)." in text
    assert text.count("-- The lamp room · Top of the lighthouse --") == 3


def test_the_suspects_board_reads_out_what_the_clues_say(example: Story) -> None:
    text = play(example, "1\n1\nsuspects\n")
    board = text.split("Suspects (motive, means, opportunity, alibi, from the clues you hold):\n")[1]
    assert board.startswith("- Agnes the fisher (not met yet)\n    motive: The keeper's ledger\n    means: unknown\n")


def test_color_marks_names_but_never_replaces_them(example: Story) -> None:
    colored = play(example, "2\n", color=True)
    assert "\x1b[1;38;2;90;164;105mAgnes the fisher\x1b[0m: You're not from here." in colored
    assert "\x1b[" not in play(example, "2\n", color=False)


def test_piped_play_has_no_color_and_no_traceback() -> None:
    result = archer("--plain", "--story", str(EXAMPLE_DIR), stdin="1\n2\nq\n")
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout
    assert result.stderr == ""
    assert "-- The lamp room · Top of the lighthouse --" in result.stdout


def test_a_broken_story_is_reported_not_crashed(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("title: [\n")
    result = archer("--plain", "--story", str(tmp_path))
    assert result.returncode == 1
    assert re.search(r"story.yaml:2:(\d+:)? YAML syntax", result.stderr)
    assert "Traceback" not in result.stderr


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    import subprocess
    import sys

    from support import ROOT

    reader = subprocess.Popen(["head", "-n", "3"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    game = subprocess.run(
        [sys.executable, "-m", "game", "--plain"],
        input="1\n" * 30,
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait(timeout=10)
    assert "Traceback" not in game.stderr
    assert game.returncode == 0


@pytest.mark.parametrize(
    "answer", ["③", "²", "①", "٣", pytest.param("4" * 4_301, id="4301-digits"), "0", "-1", "1.0", "\x1b]52;c;aGk=\x07"]
)
def test_any_entry_that_is_not_a_choice_number_gets_a_message_never_a_crash(example: Story, answer: str) -> None:
    text = play(example, f"{answer}\nundo {answer}\n2\n")
    assert "is not one of the choices. Type a number from 1 to 3, or 'help'." in text
    assert "\x1b" not in text, "control characters never reach the terminal"
    assert "-- The jetty · Gull Island harbour --" in text, "the game goes on"


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(["1", "2", "3", "undo", "undo 99", "redo", "look", "casebook", "suspects", "save", "load"]),
        ),
        max_size=25,
    )
)
def test_whatever_is_typed_the_game_answers_and_never_crashes(example: Story, lines: list[str]) -> None:
    text = play(example, "".join(line.replace("\n", " ").replace("\r", " ") + "\n" for line in lines))
    assert "Traceback" not in text  # and play() found the exit status 0: no exception escaped
