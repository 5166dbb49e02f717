"""Read YAML safely, by the YAML 1.2 core schema, while remembering the line of every value.

Authors need `file:line` in every message, so mappings and sequences come back
as `YMap`/`YList`, which carry the line of each key and item.

Values follow the YAML 1.2 core schema, as every editor's YAML support reads them:
`true`/`false` (any case style) are booleans, `null`, `~` and nothing are null,
`12`, `0o14`, `0x1f`, `1.5`, `.inf` are numbers, and everything else is text:
`yes`, `no`, `on`, `off`, `12:30`, `2001-12-14`, `1_000`. PyYAML (YAML 1.1) only
parses here; it builds no values, so no tag can make it run code or construct
anything but text, numbers, booleans, null, mappings and lists. Merge keys
(`<<: *base`) are supported as the YAML merge-key spec describes.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.story.located import YamlProblem, YList, YMap
from game.story.sanitize import CONTROL, strip_controls

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = f"{_CORE}str", f"{_CORE}map", f"{_CORE}seq"
_UNSEEN = object()

# The YAML 1.2 core schema (spec 10.3.2): a plain scalar is null, a boolean or a number
# only when it matches one of these exactly; anything else is text.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCTAL = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {
    f"{sign}{dot_inf}": float(f"{sign or '+'}inf") for sign in ("", "+", "-") for dot_inf in (".inf", ".Inf", ".INF")
} | {nan: math.nan for nan in (".nan", ".NaN", ".NAN")}
# A plain scalar that is not text is one of these words or starts like a number: any other is text at once
# (`narrator`, `title`, `The pier`: no lookup, no pattern).
_WORDS = _NULLS | _BOOLS.keys() | _SPECIAL_FLOATS.keys()
_NUMBER_START = frozenset("0123456789-+.")
_MAX_DIGITS = 4_300  # Python's own limit on converting decimal text to an int
_COMMENT_AFTER_TEXT = re.compile(r"[^\s#][ \t]+#")  # a comment after something on its line
_CUT_BY_COMMENT = re.compile(r"[ \t]+#[^\s#]")  # `#12`, not `# a note`: that one is meant
_ID_LIKE = re.compile(r"[a-z0-9_.]*\Z")  # ids, flags, numbers: a comment after one is deliberate


class _TooLong(Exception):
    """A plain number too long to be worth converting."""


def core_value(text: str) -> Any:
    """What the YAML 1.2 core schema makes of a plain scalar: `text` itself when it is text."""
    if text in _NULLS:
        return None
    found = _BOOLS.get(text)
    if found is not None:
        return found
    if _INT.match(text):
        if len(text) > _MAX_DIGITS:
            raise _TooLong
        return int(text)
    if _OCTAL.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    special = _SPECIAL_FLOATS.get(text)
    return text if special is None else special


class _FastLoader(_BaseLoader):  # type: ignore[misc]
    """The safe loader used only to compose nodes, minus the Python work libyaml's composer asks for.

    The composer calls `descend_resolver`, `resolve` and `ascend_resolver` back
    for each node; as Python methods they cost over a third of the parse. Here
    they are C builtins that only keep their arguments: `resolve` returns
    `slice(kind, value, implicit)` in place of a tag, which `_Builder` reads.
    Explicit tags (`!!str`, `!!python/...`) arrive as text.
    """

    descend_resolver = slice  # called as (parent, index): nothing to do, no path resolvers
    ascend_resolver = tuple  # called as (): nothing to do
    resolve = slice  # called as (kind, value, implicit): decided by _Builder


def _short(tag: str) -> str:
    shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


class _Builder:
    """Turns a composed node tree into YMap/YList/scalars, by the YAML 1.2 core schema."""

    def __init__(self, *, aliases: bool = True) -> None:
        self.problems: list[YamlProblem] = []
        # An alias is built once, however often it is used; a file with no '&' has none to remember.
        self.built: dict[Node, Any] | None = {} if aliases else None
        # Plain scalars that might not be text ('title', 'null', '-2'), as read the first time:
        # a story repeats the same few of them thousands of times.
        self.plain: dict[str, Any] = {}

    def build(self, node: Node) -> Any:
        tag: Any = node.tag
        if tag.__class__ is slice:
            kind = tag.start
            if kind is ScalarNode:
                value = node.value
                if not tag.step[0] or (value[:1] not in _NUMBER_START and value not in _WORDS):
                    return value  # text: the common case, kept cheap
                return self._plain(node)
            tag = _MAP if kind is MappingNode else _SEQ
        elif tag.startswith(_CORE) and node.__class__ is ScalarNode:
            return self._tagged(node, tag)
        built = self.built
        if built is not None:
            known = built.get(node)
            if known is not None:
                return known
        if tag == _MAP and node.__class__ is MappingNode:
            result: Any = self._map(node)
        elif tag == _SEQ and node.__class__ is SequenceNode:
            result = self._seq(node)
        else:
            raise self._wrong_tag(node, tag)
        if built is not None:
            built[node] = result
        return result

    def _plain(self, node: Node) -> Any:
        """A plain scalar that may be a number, a boolean or null: resolved once per distinct text."""
        value = node.value
        found = self.plain.get(value, _UNSEEN)
        if found is _UNSEEN:
            try:
                found = core_value(value)
            except _TooLong:
                raise YamlProblem(
                    _line(node),
                    f"this number has {len(value):,} digits, more than the {_MAX_DIGITS:,} a number may have; "
                    "put it in quotes if it is text",
                ) from None
            self.plain[value] = found
        return found

    def _tagged(self, node: Node, tag: str) -> Any:
        """A scalar with an explicit tag: `!!str 12`, `!!int "7"`, ... only the core schema's own."""
        value = node.value
        if tag == _STR:
            return value
        kind = tag[len(_CORE) :]
        if kind in ("int", "float", "bool", "null"):
            try:
                found = core_value(value)
            except _TooLong:
                found = value
            if (
                (kind == "int" and type(found) is int)
                or (kind == "float" and type(found) in (int, float))
                or (kind == "bool" and type(found) is bool)
                or (kind == "null" and found is None)
            ):
                return float(found) if kind == "float" else found
            shown = f"the text {value!r}" if value else "an empty value"
            raise YamlProblem(_line(node), f"'!!{kind}' cannot tag {shown}; remove the tag or fix the value")
        raise self._wrong_tag(node, tag)

    @staticmethod
    def _wrong_tag(node: Node, tag: str) -> YamlProblem:
        kinds = {ScalarNode: "text", MappingNode: "a mapping", SequenceNode: "a list"}
        what = kinds.get(node.__class__, "this value")
        if what == "text" and not node.value:
            what = "an empty value"
        if tag in (_MAP, _SEQ, _STR):
            return YamlProblem(_line(node), f"'{_short(tag)}' cannot tag {what}; remove the tag")
        return YamlProblem(
            _line(node),
            f"the tag '{_short(tag)}' is not allowed in story files: tags like '!!python/...' or '!custom' "
            "are refused; only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read",
        )

    def _seq(self, node: SequenceNode) -> YList:
        build = self.build
        result = YList()
        result.line = node.start_mark.line + 1
        lines = result.item_lines = []
        for child in node.value:
            value = child.value
            tag = child.tag
            if (
                value.__class__ is not str
                or tag.__class__ is not slice
                or (tag.step[0] and (value[:1] in _NUMBER_START or value in _WORDS))
            ):
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
        merges: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            key = key_node.value
            tag = key_node.tag
            if (
                key.__class__ is not str
                or tag.__class__ is not slice
                or (tag.step[0] and (key[:1] in _NUMBER_START or key in _WORDS))
            ):
                if tag == f"{_CORE}merge":
                    merges.append((key_node, value_node))
                    continue
                key = build(key_node)
                if isinstance(key, (dict, list)):
                    raise YamlProblem(key_node.start_mark.line + 1, "a mapping key must be a plain word")
            elif key == "<<" and tag.step[0]:
                merges.append((key_node, value_node))
                continue
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
            if (
                value.__class__ is not str
                or tag.__class__ is not slice
                or (tag.step[0] and (value[:1] in _NUMBER_START or value in _WORDS))
            ):
                value = build(value_node)
            result[key] = value
            lines[key] = key_node.start_mark.line + 1
        for key_node, value_node in merges:
            self._merge(result, value_node, _line(key_node))
        return result

    def _merge(self, result: YMap, node: Node, line: int) -> None:
        """`<<: *base` or `<<: [*a, *b]`: keys the mapping lacks come from them, the first given winning.

        The mapping's own keys always win, so overriding a merged key is no duplicate.
        """
        merged = self.build(node)
        sources = merged if isinstance(merged, YList) else [merged]
        for source in sources:
            if not isinstance(source, YMap):
                raise YamlProblem(line, "'<<' merges a mapping, or a list of mappings, into this one")
            for key, value in source.items():
                if key not in result:
                    result[key] = value
                    result.key_lines[key] = source.line_of(key)


def _controls_removed(data: Any, line: int, problems: list[YamlProblem], seen: dict[int, Any]) -> Any:
    """`data` with control characters (ESC, OSC 52, ...) taken out of every text, each removal warned of.

    A story's text reaches terminals: an escape sequence in it could rewrite the
    screen or the clipboard. Only files with a backslash escape can hold one, so
    this pass is rare.
    """
    if isinstance(data, str):
        if CONTROL.search(data) is None:
            return data
        problems.append(
            YamlProblem(
                line,
                f"control characters (such as ESC) were removed from {strip_controls(data)[:40]!r}: "
                "story text cannot hold terminal escapes",
                "warning",
            )
        )
        return strip_controls(data)
    if id(data) in seen:
        return seen[id(data)]
    if isinstance(data, YMap):
        clean = YMap()
        clean.line, clean.key_lines = data.line, {}
        seen[id(data)] = clean
        for key, value in data.items():
            at = data.line_of(key)
            new_key = _controls_removed(key, at, problems, seen)
            clean[new_key] = _controls_removed(value, at, problems, seen)
            clean.key_lines[new_key] = at
        return clean
    if isinstance(data, YList):
        items = YList()
        items.line, items.item_lines = data.line, data.item_lines
        seen[id(data)] = items
        items.extend(_controls_removed(value, data.line_of(i), problems, seen) for i, value in enumerate(data))
        return items
    return data


def _cut_by_comments(text: str, root: Node) -> list[YamlProblem]:
    """Plain text that a ` #` cut short: `narrator: Room #12 is locked` reads as 'Room'.

    A comment that starts with '# ' after text, or one after an id, a number or a flag
    (`goto: hall  # back`), is taken as meant.
    """
    rows = text.split("\n")
    found: list[YamlProblem] = []
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if not node.style and node.value and not _ID_LIKE.match(node.value):  # plain: style None or ""
                end = node.end_mark
                rest = rows[end.line][end.column :] if end.line < len(rows) else ""
                if _CUT_BY_COMMENT.match(rest):
                    found.append(
                        YamlProblem(
                            end.line + 1,
                            f"the text {node.value!r} is cut short by a comment: in YAML ' #' starts one, so "
                            f"{rest.strip()!r} is left out; put the whole text in quotes to keep it",
                            "warning",
                        )
                    )
        elif isinstance(node, MappingNode):
            stack.extend(value for pair in node.value for value in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return sorted(found, key=lambda problem: problem.line)


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
    """Parse one file into data and the problems that did not stop it (duplicate keys, warnings).

    A file that cannot be read or parsed at all raises YamlProblem with a line and a plain message.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlProblem(1, f"the file is not UTF-8 text ({error.reason}); save it as UTF-8") from None
    except OSError as error:
        raise YamlProblem(1, f"the file cannot be read ({error.strerror or type(error).__name__})") from None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        builder = _Builder(aliases="&" in text)
        data = builder.build(node)
        problems = builder.problems
        if (" #" in text or "\t#" in text) and _COMMENT_AFTER_TEXT.search(text):
            problems.extend(_cut_by_comments(text, node))
        if "\\" in text:  # only an escape in quotes can make a control character
            data = _controls_removed(data, 1, problems, {})
        return data, problems
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or "invalid YAML"
        if error.context:
            problem = f"{error.context}, {problem}"
        column = mark.column + 1 if mark else 0
        raise YamlProblem(line, f"YAML syntax: {problem}{_hint(text, line, problem)}", column=column) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, max(error.position, 0)) + 1
        shown = f"#x{error.character:04x}" if isinstance(error.character, int) else "here"
        raise YamlProblem(line, f"YAML does not allow the control character {shown} in a file; remove it") from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"YAML: {' '.join(str(error).split())}") from None
    except (RecursionError, MemoryError):
        raise YamlProblem(1, "the file nests too deeply to read") from None
    finally:
        loader.dispose()
