"""`archer check` grows linearly with the story (issue 12 item 13, issue 19 item 3).

A chain of scenes used to cost the square of its length in the exploration's
set-up (1,000 scenes 4.4 s, 4,000 80 s). Times are compared within one run, and
counted in this process's CPU time (not the wall clock, which other processes on a
busy machine stretch), so the test holds on a busy machine as on a quiet one.
"""

from __future__ import annotations

import time
from pathlib import Path

from game.engine.engine import Engine
from game.engine.explore import explore
from game.story.check import check_story


def chain(root: Path, length: int) -> Path:
    """A story of `length` scenes in a row, each with a line, a flag and a conditional choice."""
    (root / "scenes").mkdir(parents=True)
    (root / "story.yaml").write_text(
        "id: chain\ntitle: Chain\nstart: s0\nbeats:\n  initial: one\n  states: [one]\n"
        "endings:\n  end: {title: End, text: Done.}\n",
        encoding="utf-8",
    )
    (root / "characters.yaml").write_text("{}\n", encoding="utf-8")
    (root / "clues.yaml").write_text("{}\n", encoding="utf-8")
    scenes = []
    for i in range(length):
        onward = f"goto: s{i + 1}" if i + 1 < length else "ending: end"
        scenes.append(
            f"s{i}:\n  beat: one\n  title: Step {i}\n  lines:\n    - narrator: Step {i}.\n"
            f"  on_enter:\n    - set: seen\n  choices:\n    - say: On\n      {onward}\n"
            f"    - say: Wait\n      if: seen\n      goto: s{i}\n"
        )
    (root / "scenes" / "chain.yaml").write_text("".join(scenes), encoding="utf-8")
    return root


def seconds_to_check(root: Path) -> float:
    """What `archer check` does: read and check, then explore (as far as its quick limit)."""
    started = time.process_time()
    story, findings = check_story(root)
    assert story is not None and not [f for f in findings if f.severity == "error"], findings[:3]
    explore(Engine(story), limit=2_000)
    return time.process_time() - started


def test_check_grows_linearly_with_a_chain_of_scenes(tmp_path: Path) -> None:
    small = chain(tmp_path / "small", 1_000)
    large = chain(tmp_path / "large", 4_000)
    seconds_to_check(small)  # warm the imports and caches
    # The better of two turns each, taken in turn: a burst of load on a shared machine slows one turn, not both.
    small_seconds, large_seconds = float("inf"), float("inf")
    for _ in range(2):
        small_seconds = min(small_seconds, seconds_to_check(small))
        large_seconds = min(large_seconds, seconds_to_check(large))
    ratio = large_seconds / small_seconds
    assert ratio < 8, f"4x the scenes took {ratio:.1f}x the time: something is quadratic"
