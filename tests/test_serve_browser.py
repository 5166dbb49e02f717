"""`archer serve` end to end: Debian's chromium, driven by Playwright, plays the game in the page.

The terminal in the page is xterm.js drawing on a canvas, so the test reads its text from
xterm's own buffer: an init script notes textual-serve's terminal object as the page builds it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

import pytest

from game.tui.settings import load_settings, save_settings

from support import HOME_VARIABLES, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# textual.js sets `fitAddon` on its terminal wrapper first thing: keep a handle on that wrapper.
NOTE_TERMINAL = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    window.__archerTerminal = this;
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true, enumerable: true});
  },
});
"""
SCREEN_TEXT = """() => {
  const buffer = window.__archerTerminal?.terminal?.buffer?.active;
  if (!buffer) return "";
  const rows = [];
  for (let y = 0; y < buffer.length; y++) {
    // Cell by cell: xterm's translateToString misses text Textual wrote in some updates.
    const line = buffer.getLine(y);
    let row = "";
    for (let x = 0; x < line.length; x++) {
      const cell = line.getCell(x);
      if (cell && cell.getWidth() > 0) row += cell.getChars() || " ";
    }
    rows.push(row.trimEnd());
  }
  return rows.join("\\n");
}"""

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason="the browser test needs Debian's chromium: apt-get install chromium (.ci/run installs it)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`archer serve` on a free port of 127.0.0.1 (saves, settings, cache in the test's tmp folders)."""
    port = free_port()
    # The whole scene at once: a Space to finish the typewriter picks a choice once it has finished.
    save_settings(replace(load_settings()[0], typewriter=False))
    server = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert server.poll() is None, server.communicate()[0]
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        server.wait(timeout=10)


def games_running(server: subprocess.Popen[str]) -> list[str]:
    """The `archer --tui` processes the server runs now, one a tab (Linux's /proc)."""
    return Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()


def test_the_game_plays_in_a_browser_and_nothing_leaves_the_machine(
    served: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    from playwright.sync_api import Page, sync_playwright

    url, server = served
    shots = tmp_path / "screenshots"
    shots.mkdir()
    requests: list[str] = []

    def wait_for(page: Page, text: str, timeout: float = 20_000) -> str:
        page.wait_for_function(f"() => ({SCREEN_TEXT})().includes({text!r})", timeout=timeout)
        shown: str = page.evaluate(SCREEN_TEXT)
        return shown

    def keys(page: Page, *names: str) -> None:
        for name in names:
            page.keyboard.press(name)
            page.wait_for_timeout(250)  # a player's pace: each key lands on the screen it was meant for

    with sync_playwright() as playwright:
        # The browser's own profile and crash folders go to the test's tmp folder, not HOME.
        home = {name: str(tmp_path / "browser" / name.lower()) for name in HOME_VARIABLES}
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={**os.environ, **home, "HOME": str(tmp_path / "browser")}
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.on("request", lambda request: requests.append(request.url))
            page.on("websocket", lambda socket: requests.append(socket.url))
            page.add_init_script(NOTE_TERMINAL)
            page.goto(url)

            title = wait_for(page, "New game")  # no click: the page takes the keyboard by itself
            assert "A  R  C  H  E  R" in title and "Continue" not in title
            page.screenshot(path=shots / "title.png")

            keys(page, "n")
            assert "Chapter One" in wait_for(page, "press any key")
            keys(page, "Space")  # past the chapter card
            scene = wait_for(page, "Choose")
            for _ in range(3):
                keys(page, "1")  # the first choice
                page.wait_for_function(f"() => ({SCREEN_TEXT})() !== {scene!r}", timeout=10_000)
                page.wait_for_timeout(300)
                if "press any key" in page.evaluate(SCREEN_TEXT):
                    keys(page, "Space")  # a new chapter's card
                scene = wait_for(page, "Choose")
            page.screenshot(path=shots / "scene.png")

            keys(page, "c")
            assert "Casebook" in wait_for(page, "Casebook")
            keys(page, "Escape")
            keys(page, "F5")
            wait_for(page, "Saved")

            page.reload()
            resumed = wait_for(page, "Continue")
            assert "New game" in resumed
            keys(page, "Enter")
            page.wait_for_timeout(1_000)
            back = page.evaluate(SCREEN_TEXT)
            here = [line for line in scene.splitlines() if len(line.strip()) > 20][:3]
            assert here and all(line in back for line in here), back

            assert len(games_running(server)) == 1
            autosaves = Path(os.environ["ARCHER_SAVES"]) / "system"
            before = set(autosaves.glob("autosave-*.json"))
            page.close()  # closing the tab asks the game to quit: it exits by itself, through the app's own exit
            deadline = time.monotonic() + 15
            while games_running(server) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert games_running(server) == []
            assert set(autosaves.glob("autosave-*.json")) - before, "closing the tab saved the run, as quitting does"
        finally:
            browser.close()

    outside = [url for url in requests if urlparse(url).hostname != "127.0.0.1"]
    assert requests and not outside, outside
    print(f"screenshots in {shots}")
