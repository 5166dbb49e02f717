"""The core stays free of the TUI (Harlequin's rule): game/story, game/engine and the session
import nothing from game.tui, textual or rich, so plain mode, tests and tools never need them."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

from support import ROOT

CORE = ("game/story", "game/engine", "game/session")
FORBIDDEN = ("game.tui", "textual", "rich")


def core_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for folder in CORE
        for path in (ROOT / folder).rglob("*.py")
    )


def is_forbidden(name: str) -> bool:
    return any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN)


def test_importing_the_core_loads_no_tui_module() -> None:
    """Import every core module in a fresh interpreter, then look at what came along."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {core_modules()!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    assert [name for name in loaded if is_forbidden(name)] == []


@pytest.mark.parametrize("folder", CORE)
def test_no_core_source_names_a_tui_module(folder: str) -> None:
    """Also the imports a function makes late, which importing the module does not run."""
    offenders = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names if is_forbidden(name)]
    assert offenders == []
