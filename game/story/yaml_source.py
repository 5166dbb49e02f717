"""Read YAML safely while remembering the line of every value.

Authors need `file:line` in every message, so mappings and sequences come back
as `YMap`/`YList`, which carry the line of each key and item. Only PyYAML's
safe loaders are used: tags such as `!!python/object` are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.story.located import YamlProblem, YList, YMap

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_IMMUTABLE = {f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "bool", "null")}  # safe to share
_UNSEEN = object()

# First character of a plain scalar -> the (tag, pattern) pairs that may claim it
# (numbers, booleans, null, merge keys); anything else is text.
_IMPLICIT: dict[str, tuple[tuple[str, Any], ...]] = {
    first: tuple((str(tag), pattern) for tag, pattern in pairs)
    for first, pairs in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    if first is not None
}


class _FastLoader(_BaseLoader):  # type: ignore[misc]
    """The safe loader, minus the Python work libyaml's composer asks for on every node.

    The composer calls `descend_resolver`, `resolve` and `ascend_resolver` back
    for each node; as Python methods they cost over a third of the parse. Here
    they are C builtins that only keep their arguments: `resolve` returns
    `slice(kind, value, implicit)` in place of a tag, and `_Builder`, which
    visits every node anyway, turns that into the tag PyYAML's resolver would
    have chosen (`_resolve`). Explicit tags (`!!str`, `!!python/...`) still
    arrive as text and are handled exactly as before.
    """

    descend_resolver = slice  # called as (parent, index): nothing to do, no path resolvers
    ascend_resolver = tuple  # called as (): nothing to do
    resolve = slice  # called as (kind, value, implicit): decided later by _resolve


def _resolve(node: Node) -> str:
    """The tag of a node composed by _FastLoader: its own, or the one PyYAML's resolver gives."""
    tag: Any = node.tag
    if tag.__class__ is not slice:
        return str(tag)
    if tag.start is ScalarNode:
        if tag.step[0]:  # plain (unquoted): may be a number, a boolean, null...
            value = node.value
            for implicit, pattern in _IMPLICIT.get(value[:1], ()):
                if pattern.match(value):
                    return implicit
        return _STR
    return _MAP if tag.start is MappingNode else _SEQ


def _resolve_all(node: Node, seen: set[int]) -> None:
    """Give a subtree real tags, for the PyYAML code that reads them (merges, other types)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    node.tag = _resolve(node)
    if isinstance(node, MappingNode):
        for key, value in node.value:
            _resolve_all(key, seen)
            _resolve_all(value, seen)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _resolve_all(item, seen)


class _Builder:
    """Turns a composed node tree into YMap/YList/scalars.

    PyYAML's own constructor is generic and slow; strings, mappings and
    sequences (nearly every node of a story) are built directly here, and only
    other scalars (numbers, booleans, null) go through the safe constructor,
    which also refuses every unknown tag such as `!!python/object`.
    """

    def __init__(self, loader: Any, *, aliases: bool = True) -> None:
        self.loader = loader
        self.problems: list[YamlProblem] = []
        # An alias is built once, however often it is used; a file with no '&' has none to remember.
        self.built: dict[Node, Any] | None = {} if aliases else None
        # Plain scalars that might not be text ('title', 'only', '-2'), as read the first time:
        # a story repeats the same few of them thousands of times.
        self.plain: dict[str, Any] = {}

    def build(self, node: Node) -> Any:
        tag: Any = node.tag
        if tag.__class__ is slice:
            kind = tag.start
            if kind is ScalarNode:
                value = node.value
                if not tag.step[0] or value[:1] not in _IMPLICIT:
                    return value  # text: the common case, kept cheap
                return self._plain(node)
            tag = _MAP if kind is MappingNode else _SEQ
        elif tag == _STR:
            return node.value
        built = self.built
        if built is not None:
            known = built.get(node)
            if known is not None:
                return known
        if tag == _MAP:
            result: Any = self._map(node)  # type: ignore[arg-type]
        elif tag == _SEQ:
            result = self._seq(node)  # type: ignore[arg-type]
        else:
            _resolve_all(node, set())
            result = self.loader.construct_object(node, deep=True)
        if built is not None:
            built[node] = result
        return result

    def _plain(self, node: Node) -> Any:
        """A plain scalar that may be a number, a boolean or null: resolved once per distinct text."""
        value = node.value
        found = self.plain.get(value, _UNSEEN)
        if found is _UNSEEN:
            tag = _resolve(node)
            if tag == _STR:
                found = value
            else:
                node.tag = tag
                found = self.loader.construct_object(node)
                if tag not in _IMMUTABLE:
                    return found  # dates and the like: not shared
            self.plain[value] = found
        return found

    def _seq(self, node: SequenceNode) -> YList:
        build = self.build
        result = YList()
        result.line = node.start_mark.line + 1
        lines = result.item_lines = []
        for child in node.value:
            value = child.value
            tag = child.tag
            if value.__class__ is not str or tag.__class__ is not slice or (tag.step[0] and value[:1] in _IMPLICIT):
                value = build(child)
            result.append(value)
            lines.append(child.start_mark.line + 1)
        return result

    def _map(self, node: MappingNode) -> YMap:
        build = self.build
        result = YMap()
        result.line = node.start_mark.line + 1
        lines: dict[Any, int] = {}
        result.key_lines = lines
        for key_node, value_node in node.value:
            key = key_node.value
            tag = key_node.tag
            if key.__class__ is not str or tag.__class__ is not slice or (tag.step[0] and key[:1] in _IMPLICIT):
                if (key == "<<" or tag.__class__ is not slice) and _resolve(key_node) == _MERGE:
                    return self._merged(node)
                key = build(key_node)
                if isinstance(key, (dict, list)):
                    raise YamlProblem(key_node.start_mark.line + 1, "a mapping key must be a plain word")
            if key in lines:
                self.problems.append(
                    YamlProblem(
                        key_node.start_mark.line + 1,
                        f"'{key}' appears twice in one mapping (first on line {lines[key]}); remove or rename one",
                    )
                )
                continue
            value = value_node.value
            tag = value_node.tag
            if value.__class__ is not str or tag.__class__ is not slice or (tag.step[0] and value[:1] in _IMPLICIT):
                value = build(value_node)
            result[key] = value
            lines[key] = key_node.start_mark.line + 1
        return result

    def _merged(self, node: MappingNode) -> YMap:
        """A mapping with `<<: *other` keys: PyYAML folds them in, then it is read as usual."""
        _resolve_all(node, set())
        self.loader.flatten_mapping(node)
        return self._map(node)


def _hint(text: str, line: int, problem: str) -> str:
    """What PyYAML's message leaves out about the two commonest slips: a tab, and a field out of line."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())] or (not here.strip() and "\t" in text):
        return "; this line is indented with a tab: YAML indents with spaces only"
    if here.strip() and ("expected '-' indicator" in problem or "expected <block end>" in problem):
        return (
            f"; check the indentation of line {line}: a field of a list item (like 'once:' under '- say:') "
            "lines up exactly with the item's first field"
        )
    return ""


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
        builder = _Builder(loader, aliases="&" in text)
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
        column = mark.column + 1 if mark else 0
        raise YamlProblem(line, f"YAML syntax: {problem}{_hint(text, line, problem)}", column) from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"YAML: {error}") from None
    except RecursionError:
        raise YamlProblem(1, "the file nests too deeply to read") from None
    finally:
        loader.dispose()
