"""Control characters out of text that reaches a terminal.

An escape sequence in a story's text, an id or a file name could move the
cursor, retitle the window or write the clipboard (OSC 52) of whoever reads
it. The story model holds none (the YAML reader removes them, with a warning);
messages about files escape them visibly, so the author sees what is there.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls (CSI, OSC and the rest).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """`text` without control characters: what a player or author may be shown."""
    return CONTROL.sub("", text)


def escape_controls(text: str) -> str:
    """`text` with each control character written out (`\\x1b`): visible, and harmless."""
    return CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
