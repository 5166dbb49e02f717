"""The game works after a plain `pip install .`, from any directory: the story ships inside."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_the_wheel_carries_the_story_and_plays_from_anywhere(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    assert "game/_story/story.yaml" in names
    assert any(name.startswith("game/_story/scenes/") for name in names)
    assert not any(name.startswith(("tests/", "story/")) for name in names)
    stylesheets = {path.relative_to(ROOT).as_posix() for path in (ROOT / "game").rglob("*.tcss")}
    assert len(stylesheets) > 1 and stylesheets <= set(names), "every screen's stylesheet ships"

    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(tmp_path / "site"), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    check = subprocess.run(
        [sys.executable, "-m", "game", "check"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "_story: story is sound" in check.stderr
    play = subprocess.run(
        [sys.executable, "-m", "game", "--plain"],
        cwd=elsewhere,
        env=env,
        input="q\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert play.returncode == 0, play.stderr
    assert play.stdout.startswith("ARCHER\n")
    assert play.stdout.rstrip().endswith("Goodbye.")
