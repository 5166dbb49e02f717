"""Blessed transcripts (Inform 7's "test me"): scripted runs whose output must not drift.

Each `tests/transcripts/NAME.keys` holds what a player types, one entry a line;
`NAME.txt` is the blessed output of `printf ... | archer --plain`. After an
intended change to the story, look at the new output and bless it with:

    ARCHER_BLESS=1 .venv/bin/python -m pytest tests/test_transcripts.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from game.story.model import Story

from support import archer

TRANSCRIPTS = Path(__file__).parent / "transcripts"


def play_script(keys: Path) -> str:
    result = archer("--plain", stdin=keys.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("keys", sorted(TRANSCRIPTS.glob("*.keys")), ids=lambda p: p.stem)
def test_a_scripted_run_matches_its_blessed_transcript(keys: Path) -> None:
    blessed = keys.with_suffix(".txt")
    output = play_script(keys)
    if os.environ.get("ARCHER_BLESS") and (not blessed.exists() or blessed.read_text(encoding="utf-8") != output):
        blessed.write_text(output, encoding="utf-8")  # nothing to compare now: say so, look at `git diff`
        pytest.skip(f"blessed {blessed.name} anew: read `git diff tests/transcripts/{blessed.name}` before committing")
    assert blessed.exists(), f"no blessed transcript yet: run with ARCHER_BLESS=1 to write {blessed.name}"
    expected = blessed.read_text(encoding="utf-8")
    if output != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), output.splitlines(True), "blessed", "now"))
        pytest.fail(f"{keys.stem} drifted from its blessed transcript:\n{diff}")


def test_there_is_a_transcript_that_plays_act_one_to_the_beat_change() -> None:
    text = (TRANSCRIPTS / "act1.txt").read_text(encoding="utf-8")
    assert "== Chapter Two: The Suspects ==" in text, "act1 reaches the suspects beat"
    assert text.rstrip().endswith("Goodbye.")


def test_every_ending_has_a_blessed_transcript(story: Story) -> None:
    for ending in story.endings.values():
        text = (TRANSCRIPTS / f"ending-{ending.id.replace('_', '-')}.txt").read_text(encoding="utf-8")
        assert text.rstrip().endswith(ending.text), ending.id
        assert f"== The end: {ending.title} ==" in text
