"""The game works after a plain `pip install .`, from any directory: the story ships inside."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from support import EXAMPLE_DIR, ROOT, archer


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
        env={**os.environ, "HOME": str(tmp_path / "build-home")},  # pip's tools keep their own files there
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
    home = tmp_path / "home"  # an empty home and its own Archer folders: nothing reaches the user's
    env = {
        "PYTHONPATH": str(tmp_path / "site"),
        "NO_COLOR": "1",
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "ARCHER_SAVES": str(tmp_path / "saves"),
        "ARCHER_CONFIG_DIR": str(tmp_path / "config"),
        "ARCHER_CACHE_DIR": str(tmp_path / "cache"),
    }
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
    assert list((tmp_path / "cache").iterdir()), "the installed game kept its cache where it was told"
    assert not home.exists(), "nothing was written to HOME"


def test_the_suite_keeps_out_of_home(_no_real_home: Path) -> None:
    """A game that plays, saves, finds the cache and quits, run as the suite runs everything: HOME stays empty."""
    assert os.environ["HOME"] == str(_no_real_home)
    played = archer("--plain", "--story", str(EXAMPLE_DIR), stdin="1\nsave evening\nquit\n")
    assert "Saved as 'evening'." in played.stdout, played.stdout + played.stderr
    assert list(_no_real_home.rglob("*")) == []


def test_the_installed_textual_is_the_one_its_private_api_was_read_against() -> None:
    from game.tui.textual_private import TESTED_WITH, textual_is_tested

    assert textual_is_tested(), f"game/tui/textual_private.py was read against Textual {TESTED_WITH}: read it again"
