"""Closing the terminal (SIGHUP) or killing the game (SIGTERM) saves the run first, as `q` does."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from game.saves import SaveStore
from game.session import Session
from game.story.model import Story

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = ROOT / "docs" / "examples" / "lighthouse"


class Terminal:
    """The game on a pseudo-terminal, so it starts full-screen as it would for a player."""

    def __init__(self, saves: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "ARCHER_SAVES": str(saves), "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "game", "--story", str(EXAMPLE_DIR)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = b""
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.seen += chunk

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            assert time.monotonic() < deadline, f"{text!r} never appeared"
            time.sleep(0.05)

    def press(self, keys: str, then: str) -> None:
        self.seen = b""
        os.write(self.master, keys.encode())
        self.wait_for(then)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and terminals")
@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_saves_the_run_before_the_game_leaves(tmp_path: Path, lighthouse: Story, sent: signal.Signals) -> None:
    terminal = Terminal(tmp_path)
    try:
        terminal.wait_for("New game")
        terminal.press("n", "The lamp has been dark")
        terminal.press("\r", "Climb to the lighthouse")
        terminal.press("1", "Read the ledger")
        terminal.press("1", "Go back down")
        terminal.process.send_signal(sent)
        assert terminal.process.wait(timeout=30) == 0
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
        os.close(terminal.master)
    session = Session(lighthouse, SaveStore(tmp_path))
    assert session.continue_newest().ok
    assert session.state.scene == "tower" and "ledger" in session.state.clues
