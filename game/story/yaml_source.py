"""Read YAML safely while remembering the line of every value.

Authors need `file:line` in every message, so mappings and sequences come back
as `YMap`/`YList`, which carry the line of each key and item. Only PyYAML's
safe loaders are used: tags such as `!!python/object` are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class YMap(dict):  # type: ignore[type-arg]
    """A mapping that knows its own line and the line of each key."""

    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YList(list):  # type: ignore[type-arg]
    """A sequence that knows its own line and the line of each item."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlProblem(Exception):
    """A file that is not valid YAML, or that uses something we refuse."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _LineLoader(_BaseLoader):  # type: ignore[misc]
    """The safe loader, building YMap/YList and noting duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[YamlProblem] = []


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> YMap:
    result = YMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise YamlProblem(key_node.start_mark.line + 1, "a mapping key must be a plain word") from None
        if key in result:
            first = result.key_lines[key]
            loader.problems.append(
                YamlProblem(
                    key_node.start_mark.line + 1,
                    f"'{key}' appears twice in one mapping (first on line {first}); remove or rename one",
                )
            )
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> YList:
    result = YList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def load_yaml(path: Path) -> tuple[Any, list[YamlProblem]]:
    """Parse one file into data and the problems that did not stop it (duplicate keys).

    A file that cannot be parsed at all raises YamlProblem with a line and a plain message.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlProblem(1, f"the file is not UTF-8 text ({error.reason})") from None
    try:
        loader = _LineLoader(text)
        try:
            return loader.get_single_data(), loader.problems
        finally:
            loader.dispose()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or "invalid YAML"
        if error.problem and "could not determine a constructor" in error.problem:
            problem = "tags like '!!python/...' or '!custom' are not allowed in story files"
        elif error.context:
            problem = f"{error.context}, {problem}"
        raise YamlProblem(line, f"YAML syntax: {problem}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"YAML: {error}") from None
