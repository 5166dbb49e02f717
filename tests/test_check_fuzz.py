"""Property: whatever an author does to a story file, `archer check` answers and never raises.

Valid story files are mutated (keys deleted, values of the wrong type, references
broken, YAML text garbled); every result is either clean or a list of findings
that each name a file and a line.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.engine import Engine
from game.engine.explore import explore
from game.story.check import check_story

from conftest import EXAMPLE_DIR

FILES = sorted(p.relative_to(EXAMPLE_DIR).as_posix() for p in EXAMPLE_DIR.rglob("*.yaml"))
TEXTS = {name: (EXAMPLE_DIR / name).read_text(encoding="utf-8") for name in FILES}
ORIGINALS = {name: yaml.safe_load(text) for name, text in TEXTS.items()}

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=12),
    st.sampled_from(["shore", "tower", "ledger", "has(", "__import__('os')", "a.b.c", "fisher", "search", "yes"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


@st.composite
def mutated_story(draw: st.DrawFn) -> dict[str, str]:
    """One or more files of the example story, each changed in one way."""
    files: dict[str, str] = {}
    for name in draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=3, unique=True)):
        data = copy.deepcopy(ORIGINALS[name])
        kind = draw(st.sampled_from(["delete", "replace", "garble"]))
        if kind == "garble":
            text = dump(data)
            at = draw(st.integers(0, len(text)))
            cut = draw(st.integers(0, 20))
            files[name] = (
                text[:at]
                + draw(st.sampled_from(["", ":", "- ", "[", "\t", '"', "{", "!!python/object ", "\n  "]))
                + text[at + cut :]
            )
            continue
        path = draw(st.sampled_from(paths(data)[1:] or [()]))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        if not path:
            data = draw(junk)
        elif kind == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(junk)
        files[name] = dump(data)
    return files


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=mutated_story())
def test_check_never_raises_and_every_finding_has_a_place(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in {**TEXTS, **files}.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        story, findings = check_story(root)
        for finding in findings:
            assert finding.file.endswith(".yaml") and finding.line >= 0 and finding.message
        errors = [f for f in findings if f.severity == "error"]
        if story is not None and not errors:
            explore(Engine(story), limit=2_000)  # a sound story can be played without surprises
