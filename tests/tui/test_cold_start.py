"""What `archer` imports before its first frame (issue 19): the title screen needs the story's title page
(game/story/title_page.py), Textual and its own few widgets; the story itself (its model, the cache, the
session) is loaded right after the first frame, and the engine, YAML, the play screen and argparse come
later still, when something asks for them. Each of these once cost the cold start, and one stray top-level import
brings it back unnoticed, so this test names them."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from game.cli import build_parser, parse_arguments

from support import ROOT

# Each is imported on demand after the first frame; the title screen has no use for any of them.
LATER = (
    "argparse",  # a bare `archer` is answered without the parser
    "yaml",  # a warm start reads the compiled cache, not the story's files
    "transitions",  # the beats machine is the engine's
    "game.engine",
    "game.story.reader",
    "game.story.model",  # the title is drawn from the story's title page; the story loads after the first frame
    "game.story.cache",
    "game.story.conditions",
    "game.story.loader",
    "game.story.findings",  # a story that fails after the first frame is reported from it, then
    "game.session",
    "game.tui.screens.play",  # opened with New game, Continue or Load
    "game.tui.commands",  # the command palette's provider, when the palette opens
    "textual.widgets._footer",  # only the play screen has a footer
)

# Plays `archer` as the console script does, then lists the modules loaded once the app has exited
# (ARCHER_EXIT_AFTER_FIRST_FRAME: right after its first frame).
RECORDER = """\
import atexit, json, runpy, sys
listing = sys.argv.pop(1)
atexit.register(lambda: open(listing, "w").write(json.dumps(sorted(sys.modules))))
runpy.run_module("game", run_name="__main__")
"""


def modules_at_first_frame(folder: Path) -> list[str]:
    """`archer` on a terminal (a pseudo-terminal here), as a player starts it: no arguments."""
    listing = folder / "modules.json"
    env = {name: value for name, value in os.environ.items() if not name.startswith("TEXTUAL")}
    env |= {
        "ARCHER_EXIT_AFTER_FIRST_FRAME": "1",
        "ARCHER_CACHE_DIR": str(folder / "cache"),
        "ARCHER_SAVES": str(folder / "saves"),
        "ARCHER_CONFIG_DIR": str(folder / "config"),
        "TERM": "xterm-256color",
    }
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(listing)], cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave
    )
    os.close(slave)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:  # read what it draws, or it blocks on a full terminal
            if select.select([master], [], [], 0.5)[0]:
                try:
                    if not os.read(master, 65536):
                        break
                except OSError:  # the child has closed its end: it has gone
                    break
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
    assert child.wait() == 0
    loaded: list[str] = json.loads(listing.read_text(encoding="utf-8"))
    return loaded


def test_the_first_frame_waits_for_nothing_the_title_screen_does_not_show(tmp_path: Path) -> None:
    modules_at_first_frame(tmp_path)  # the first start compiles the story into the cache
    loaded = modules_at_first_frame(tmp_path)
    assert "game.tui.screens.title" in loaded  # it did get as far as the title screen
    early = [name for name in loaded if any(name == late or name.startswith(late + ".") for late in LATER)]
    assert early == []


def test_a_bare_archer_means_what_the_parser_would_make_of_it() -> None:
    """The shortcut past argparse must stay the parser's own answer to no arguments."""
    assert vars(parse_arguments([])) == vars(build_parser().parse_args([]))
    assert parse_arguments(["--seed", "3"]).seed == 3  # any argument goes through the parser
