"""YAML data that remembers where it came from: the line of every key and item.

Kept apart from the YAML reader so that code which only checks shapes (the
loader, on a warm start from the cache) need not import PyYAML at all.
"""

from __future__ import annotations

from typing import Any


class YMap(dict):  # type: ignore[type-arg]
    """A mapping that knows its own line and the line of each key."""

    __slots__ = ("key_lines", "line")  # no per-object __dict__: a story has a hundred thousand of these
    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YList(list):  # type: ignore[type-arg]
    """A sequence that knows its own line and the line of each item."""

    __slots__ = ("item_lines", "line")
    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlProblem(Exception):
    """A file that is not valid YAML, or that uses something we refuse."""

    def __init__(self, line: int, message: str, severity: str = "error", column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.severity = severity  # or "warning": the file is read, but something in it is likely a mistake
        self.column = column  # 1-based where the parser knows it
