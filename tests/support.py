"""What the tests share besides fixtures: the project's folders and running `archer` as a user would.

Kept out of conftest.py so that a test imports it by a name of its own: two conftest
modules (tests/ and tests/tui/) cannot both be imported as `conftest` in one run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORY_DIR = ROOT / "story"
EXAMPLE_DIR = ROOT / "docs" / "examples" / "lighthouse"

# The example story to its accusation, holding the ledger and the cut rope.
TO_THE_ACCUSATION = [
    "Climb to the lighthouse",
    "Read the ledger",
    "Go back down",
    "Walk down to the jetty",
    "Look at the empty mooring",
    "Tell Agnes what the ledger says",
]

HOME_VARIABLES = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR")


def archer(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `archer` command as a user would, without color, from the project root."""
    return subprocess.run(
        [sys.executable, "-m", "game", *args],
        input=stdin,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


WriteStory = Callable[..., Path]
