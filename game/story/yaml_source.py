"""Read YAML safely while remembering the line of every value.

Authors need `file:line` in every message, so mappings and sequences come back
as `YMap`/`YList`, which carry the line of each key and item. Only PyYAML's
safe loaders are used: tags such as `!!python/object` are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from game.story.located import YamlProblem, YList, YMap

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _FastLoader(_BaseLoader):  # type: ignore[misc]
    """The safe loader with a quicker tag resolver for the common case (plain text)."""

    _implicit = yaml.resolver.Resolver.yaml_implicit_resolvers

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR
            for tag, pattern in self._implicit.get(value[:1], ()):
                if pattern.match(value):
                    return str(tag)
            return _STR
        if kind is yaml.MappingNode:
            return _MAP
        return _SEQ


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class _Builder:
    """Turns a composed node tree into YMap/YList/scalars.

    PyYAML's own constructor is generic and slow; strings, mappings and
    sequences (nearly every node of a story) are built directly here, and only
    other scalars (numbers, booleans, null) go through the safe constructor,
    which also refuses every unknown tag such as `!!python/object`.
    """

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.problems: list[YamlProblem] = []
        self.built: dict[int, Any] = {}  # an alias is built once, however often it is used

    def build(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        known = self.built.get(id(node))
        if known is not None:
            return known
        if tag == _MAP:
            result: Any = self._map(node)  # type: ignore[arg-type]
        elif tag == _SEQ:
            result = YList(self.build(child) for child in node.value)
            result.line = node.start_mark.line + 1
            result.item_lines = [child.start_mark.line + 1 for child in node.value]
        else:
            result = self.loader.construct_object(node, deep=True)
        self.built[id(node)] = result
        return result

    def _map(self, node: yaml.MappingNode) -> YMap:
        if any(key.tag == _MERGE for key, _ in node.value):
            self.loader.flatten_mapping(node)
        result = YMap()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = key_node.value if key_node.tag == _STR else self.build(key_node)
            line = key_node.start_mark.line + 1
            if isinstance(key, (dict, list)):
                raise YamlProblem(line, "a mapping key must be a plain word")
            if key in result:
                self.problems.append(
                    YamlProblem(
                        line,
                        f"'{key}' appears twice in one mapping (first on line {result.key_lines[key]}); remove or rename one",
                    )
                )
                continue
            result[key] = self.build(value_node)
            result.key_lines[key] = line
        return result


def load_yaml(path: Path) -> tuple[Any, list[YamlProblem]]:
    """Parse one file into data and the problems that did not stop it (duplicate keys).

    A file that cannot be parsed at all raises YamlProblem with a line and a plain message.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlProblem(1, f"the file is not UTF-8 text ({error.reason})") from None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        builder = _Builder(loader)
        return builder.build(node), builder.problems
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
    except RecursionError:
        raise YamlProblem(1, "the file nests too deeply to read") from None
    finally:
        loader.dispose()
