"""Property: whatever a story folder holds, `archer check` answers and never raises.

Valid story files are mutated (keys deleted, values of the wrong type, references
broken, YAML text garbled, random bytes, random YAML tags, files deleted); every
result is exit 0, 1 or 2 with findings that each name a file and a line, and never
a traceback or the crash code 3. The default runs are small; `make test-long`
runs the `long` variants (thousands of folders).
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import cli
from game.engine.engine import Engine
from game.engine.explore import explore
from game.story.check import check_story

from support import EXAMPLE_DIR

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


TAGS = [
    "!!map ",
    "!!seq ",
    "!!str ",
    "!!int ",
    "!!bool ",
    "!!float ",
    "!!null ",
    "!!binary ",
    "!!timestamp ",
    "!!set ",
    "!!python/object:os.system ",
    "!custom ",
    "&a ",
    "*a ",
    "<<: ",
    "? ",
    "! ",
    "%YAML 1.2\n---\n",
]
FILE = re.compile(r"^.+:\d+: \S")  # every finding names a file and a line


@st.composite
def damaged_folder(draw: st.DrawFn) -> tuple[dict[str, bytes], list[str]]:
    """Files of the example story at the byte level: random bytes, YAML tags, files gone."""
    files = {name: text.encode("utf-8") for name, text in TEXTS.items()}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(FILES))
        data = files.get(name, b"")
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["bytes", "tag", "cut", "repeat"]))
        if kind == "bytes":
            insert = draw(st.binary(min_size=1, max_size=8))
        elif kind == "tag":
            insert = draw(st.sampled_from(TAGS)).encode()
        elif kind == "repeat":
            insert = draw(st.sampled_from([b"not ", b"-", b"[", b"9", b"{a: "])) * draw(st.integers(1, 3_000))
        else:
            insert = b""
        cut = draw(st.integers(0, 30)) if kind == "cut" else 0
        files[name] = data[:at] + insert + data[at + cut :]
    gone = draw(st.lists(st.sampled_from(FILES), max_size=2, unique=True))
    return files, gone


def check_folder(files: dict[str, bytes], gone: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, data in files.items():
            if name not in gone:
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_bytes(data)
        capsys.readouterr()
        status = cli.main(["check", str(root)])
        out, err = capsys.readouterr()
    assert status in (0, 1, 2), err
    assert "Traceback" not in out + err and "internal error" not in err
    for line in out.splitlines():
        assert FILE.match(line), line
        assert "\x1b" not in line


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(folder=damaged_folder())
def test_a_damaged_folder_gets_file_line_findings_and_an_exit_code(
    folder: tuple[dict[str, bytes], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    check_folder(*folder, capsys)


@pytest.mark.long
@settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(folder=damaged_folder())
def test_many_damaged_folders_long(
    folder: tuple[dict[str, bytes], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    check_folder(*folder, capsys)


def check_mutated(files: dict[str, str]) -> None:
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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=mutated_story())
def test_check_never_raises_and_every_finding_has_a_place(files: dict[str, str]) -> None:
    check_mutated(files)


@pytest.mark.long
@settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(files=mutated_story())
def test_check_never_raises_long(files: dict[str, str]) -> None:
    check_mutated(files)
