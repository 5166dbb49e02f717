"""The boundary every entry point shares: an unexpected error becomes a message, never a traceback.

The details go to a log file (its place decided in game.paths) and the message
names it, so a player can send it to us and an author can read it.
"""

from __future__ import annotations

import time
import traceback

from game.paths import log_file


def report(error: BaseException, doing: str) -> str:
    """Log `error` with its traceback; a sentence for the player saying what failed and where the details are."""
    path = log_file()
    details = "".join(traceback.format_exception(error))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} while {doing}\n{details}\n")
        where = f"the details are in {path}"
    except OSError:
        where = "the details could not be written to a log"
    text = "".join(c if c.isprintable() else " " for c in str(error)[:120]).strip()
    summary = text or type(error).__name__
    return f"Something went wrong while {doing} ({summary}); {where}."
