"""The last boundary of a command: an unexpected exception becomes a clear message and a log file.

A crash is Archer's bug, not the user's mistake, so it gets its own exit code
(INTERNAL_ERROR) and never the one that means "your story has errors".
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback

INTERNAL_ERROR = 3


def report_crash(command: str, error: BaseException) -> int:
    """Write the traceback to a log file, tell the user where it is, and return INTERNAL_ERROR."""
    details = "".join(traceback.format_exception(error))
    try:
        handle, log = tempfile.mkstemp(prefix=f"archer-{command}-crash-", suffix=".log")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(details)
    except OSError:
        log = ""
    where = f"the details are in {log}" if log else "the details could not be written to a log file"
    print(
        f"archer {command} stopped on an internal error ({type(error).__name__}): a bug in Archer, not in "
        f"your files; {where}. Please report it.",
        file=sys.stderr,
    )
    return INTERNAL_ERROR
