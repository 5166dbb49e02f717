"""Reading YAML: the same data as PyYAML's safe loader, with the line of every key and item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.story.located import YamlProblem, YList, YMap
from game.story.yaml_source import load_yaml


def read(tmp_path: Path, text: str) -> tuple[Any, list[str]]:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    data, problems = load_yaml(path)
    return data, [f"{p.line}: {p.message}" for p in problems]


def plain(data: Any) -> Any:
    """YMap/YList as dict/list, to compare with what yaml.safe_load gives."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(value) for value in data]
    return data


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: -2\nc: 0x1f\nd: 1.5\ne: .inf\nf: 1_000\ng: +3\n",
        "a: true\nb: No\nc: on\nd: OFF\ne: yes\nf: y\ng: n\n",
        "a: ~\nb: null\nc: Null\nd:\ne: ''\nf: nothing\n",
        "a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\n",
        "a: '1'\nb: \"true\"\nc: !!str 12\nd: !!int '7'\ne: 'null'\nf: |\n  block\n  text\ng: >\n  folded\n  text\n",
        "base: &b {x: 1, y: two}\nderived:\n  <<: *b\n  z: three\nlist: &l [1, 2]\nagain: *l\n",
        "- [1, 2, null, '']\n- {a: b}\n- !!set {a, b}\n- !!binary aGVsbG8=\n- !!omap [a: 1]\n",
        "title: The start\nonly: only\ntension > 2: tension > 2\n'<<': not a merge\n",
        "1: one\n2.5: two and a half\nfalse: yes\n~: null key\n",
    ],
)
def test_the_data_is_what_the_safe_loader_reads(tmp_path: Path, text: str) -> None:
    data, problems = read(tmp_path, text)
    assert plain(data) == yaml.safe_load(text)
    assert problems == []


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["yes", "No", "on", "~", "null", "1.5", "-2", "0o17", "<<", "=", "2001-01-01", "tension > 2"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4),
    max_leaves=20,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.booleans())
def test_any_document_reads_as_the_safe_loader_reads_it(tmp_path: Path, data: Any, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert plain(read(tmp_path, text)[0]) == yaml.safe_load(text)


def test_every_key_and_item_knows_its_line(tmp_path: Path) -> None:
    data, _ = read(tmp_path, "shore:\n  title: Shore\n  lines:\n    - narrator: Wet shingle.\n\n    - you: Hello.\n")
    assert isinstance(data, YMap) and data.line == 1 and data.line_of("shore") == 1
    scene = data["shore"]
    assert isinstance(scene, YMap) and scene.line_of("title") == 2 and scene.line_of("lines") == 3
    lines = scene["lines"]
    assert isinstance(lines, YList) and [lines.line_of(0), lines.line_of(1)] == [4, 6]
    assert lines[1].line_of("you") == 6


def test_a_key_given_twice_is_reported_and_the_first_kept(tmp_path: Path) -> None:
    data, problems = read(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert plain(data) == {"a": 1, "b": 2}
    assert problems == ["3: 'a' appears twice in one mapping (first on line 1); remove or rename one"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: !!python/object:os.system {}\n", "tags like '!!python/...' or '!custom' are not allowed in story files"),
        ("x: !!python/name:os.system\n", "tags like '!!python/...' or '!custom' are not allowed in story files"),
        ("- !custom 1\n", "tags like '!!python/...' or '!custom' are not allowed in story files"),
        ("? [a]\n: 1\n", "a mapping key must be a plain word"),
        ("a: [1, 2\n", "YAML syntax"),
    ],
)
def test_what_is_refused_says_why(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(YamlProblem) as refused:
        read(tmp_path, text)
    assert message in refused.value.message
