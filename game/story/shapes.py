"""The shape of a story file's mappings: which fields, of which kinds, are allowed and required.

Only shapes: whether an id names something that exists is `references`' concern.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from game.story import fields as fmt
from game.story.findings import suggest
from game.story.located import YList, YMap
from game.story.model import Where

Report = Callable[[Where, str], None]

TYPE_NAMES = {str: "text", bool: "true or false", int: "a whole number", list: "a list", dict: "a mapping"}
_EXACT_CLASS = {str: str, bool: bool, int: int, list: YList, dict: YMap}  # a valid value's class, exactly


class Shape:
    """A spec prepared for the common case: every field known and of the exact class it should be.

    Checking a valid mapping is then one dictionary lookup and one identity test a
    field; only a mapping that fails it goes through the full check, which words
    the messages.
    """

    def __init__(self, spec: fmt.Spec) -> None:
        self.spec = spec
        self.classes = {key: _EXACT_CLASS[field.kind] for key, field in spec.items()}
        self.required = frozenset(key for key, field in spec.items() if field.required)

    def fields(self, data: Any, file: str, line: int, what: str, report: Report) -> Mapping[str, Any] | None:
        """The valid fields of `data` (a mapping at file:line); each problem reported, None if not a mapping."""
        if data.__class__ is YMap:
            classes = self.classes
            for key, value in data.items():
                if classes.get(key) is not value.__class__:
                    break
            else:
                if data.keys() >= self.required:
                    return data  # all valid: the common case, kept cheap (a story has a million fields)
        return self._check(data, Where(file, line), what, report)

    def _check(self, data: Any, where: Where, what: str, report: Report) -> dict[str, Any] | None:
        """The full check, for a mapping that is not simply valid: each problem worded for the author."""
        if not isinstance(data, YMap):
            report(where, f"{what} should be a mapping of fields, not {describe(data)}")
            return None
        spec = self.spec
        result: dict[str, Any] = {}
        for key, value in data.items():
            at = Where(where.file, data.line_of(key))
            if key not in spec:
                report(at, f"unknown field '{key}' in {what}{suggest(str(key), spec)}")
                continue
            kind = spec[key].kind
            if value is None and kind is not bool:
                report(at, f"'{key}' in {what} is empty; give it {TYPE_NAMES[kind]}")
            elif not is_kind(value, kind):
                hint = " (put the text in quotes)" if kind is str and isinstance(value, (int, float, bool)) else ""
                report(at, f"'{key}' in {what} should be {TYPE_NAMES[kind]}, not {describe(value)}{hint}")
            else:
                result[key] = value
        for key, field_spec in spec.items():
            if field_spec.required and key not in data:
                report(Where(where.file, data.line), f"{what} is missing '{key}'")
        return result


STORY, CHARACTER, CLUE, ENDING, BEATS, BEAT, TRANSITION, SCENE, CHOICE = (
    Shape(spec)
    for spec in (
        fmt.STORY,
        fmt.CHARACTER,
        fmt.CLUE,
        fmt.ENDING,
        fmt.BEATS,
        fmt.BEAT,
        fmt.TRANSITION,
        fmt.SCENE,
        fmt.CHOICE,
    )
)


def is_kind(value: Any, kind: type) -> bool:
    if kind is int:
        return type(value) is int
    if kind is dict:
        return isinstance(value, YMap)
    if kind is list:
        return isinstance(value, YList)
    if kind is bool:
        return isinstance(value, bool)
    return isinstance(value, kind)


def describe(value: Any) -> str:
    """A value as an author would name it in a message."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a true/false value; quote it if you meant text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {str(value)!r}"


def is_hex_color(value: str) -> bool:
    digits = value[1:]
    return value.startswith("#") and len(digits) in (3, 6) and all(c in "0123456789abcdefABCDEF" for c in digits)
