"""The TUI's three figures, each against a bare Textual app: cold start to the first frame, key press to the next scene, memory in play.

Why each is measured the way it is:

* Cold start. `archer` only starts the TUI when stdin and stdout are terminals, so
  it runs in a real 80×24 pseudo-terminal, alternately with a bare Textual app
  that exits on its first frame (machine load then weighs on both alike). The
  clock stops when the first full frame reaches the terminal (the frame's move to
  the bottom row), not when the process ends: on exit Textual's input thread
  waits out two 0.1 s selects, the same for both apps, which would hide most of
  the difference between them. Both run from compiled bytecode, as an installed
  game does, kept in a throwaway PYTHONPYCACHEPREFIX (the checkout has none, and
  PYTHONDONTWRITEBYTECODE may forbid writing it there). A single start is noisy
  on a small machine, so each run is three pairs; the figure is the median of
  the per-pair ratios. Where the time goes (2026-12-02, medians of 20 starts
  alternating with main and the bare app, stamps taken in the child): a bare
  `archer` draws its title from the story's title page (a small file beside the
  story cache, checked against the story files' digest, ~1.5 ms) and loads the
  story only after the first frame (ARCHER_EXIT_AFTER_FIRST_FRAME leaves before
  that load). Up to `App.run` it now costs what the bare app costs (Textual's
  import is ~85% of it; Archer's own modules, the saves and settings ~10 ms);
  from `run` to the first frame it takes ~40 ms of CPU against the bare app's
  ~18: Textual composing, styling (archer.tcss and OptionList's CSS parsed,
  ~4 ms), laying out and painting the title card, menu and content note.
* Key press to scene. Pilot's `press` and `pause` each sleep at least 20 ms while
  they wait for the CPU to go idle, so their return is no clock. The clock stops
  instead inside the app, on the first frame it draws that shows the new scene's
  heading and its first line; since the headless driver throws frames away
  unwritten, that frame is also turned into the terminal's escape codes, the work
  a real terminal would cost. Only choices that go to another scene without a
  chapter card or an ending count.
* Memory. A fresh interpreter plays the shipped story through the TUI (headless,
  with Pilot) and reports its peak resident set size, as Linux's VmHWM: not
  `ru_maxrss`, which a child inherits from the parent it was forked from (here
  the benchmark runner, with a 7 MB generated story in memory) and keeps across
  exec.

Profiling the key press (how run.py's figures were taken): on a shared machine the wall-clock
p95 moves with the load more than with the code, so compare code by the CPU time of the main
thread (`time.thread_time()`) from `pilot.press` to the frame SceneClock notes, and by the
Python calls made in between (`sys.setprofile` counting "call" events, grouped by which of
action, reflow, render or dispatch is running), over the same seeded walk as `play`.
`tui_bench.py --press-work` prints the first two (PressWork, press_work) for this checkout.

What a press drew (2026-12-02, the seeded walk's 60 timed presses, rows counted in StylesCache):
the heading (3 rows), the scene's text (~15), the choices' box (~5) and, in the 27 presses whose
scene scrolls, the text's scrollbar (~15): everything above the footer is new, and in 53 of 60
presses the choices' box changes height, so the text's view is resized and all of it repainted. The
PlayScreen and the footer are not redrawn: the compositor asks every widget whose clip (the screen)
meets the update for its whole region, and their rows come from the styles cache (~0.15 ms a press
together); nothing refreshes the screen or restyles it, and a press is one layout pass. Neither the
skip hint (hidden unless typing) nor a collection is in a timed press, bar about one gen-0 collection
in 120 (25-50 ms, the max, not the p95); the slowest presses are the long scenes (CPU p50 8.6 ms
against 7.6 for a scene that fits), for their rows and scrollbar. So the text and its scrollbar draw
their rows themselves (render_lines, padding included, kept until something shown changes: each row
had gone through the styles cache's border, outline, tint and opacity code and been built three
times over), a choice's row gets its meta in one piece, and a new heading repaints its rows, not its
rule. Python calls a press 11.8k -> 9.3k median; CPU p50 7.56 -> 6.79 ms, p95 10.53 -> 10.17 (main,
then this, one after the other). Calls fall faster than CPU: wrapping's regex, asyncio's polling and
allocation are C work that counting calls does not see. Tried and not kept: keeping the wrapped rows of
scenes seen before (45 of the 60 timed scenes are distinct: little gain, and it would flatter the
walk more than play); drawing the choices' rows past the styles cache too (their frame and its cues
are Textual's private border code).

Run alone (from the project root): .venv/bin/python benchmarks/tui_bench.py [--quick]
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import random
import resource
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.pilot import Pilot
    from textual.screen import Screen

    from game.story.model import Choice
    from game.tui.app import ArcherApp

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "story"
COLUMNS, LINES = 80, 24
BOTTOM_ROW = f"\x1b[{LINES};1H".encode()  # a full frame's last cursor move: the whole frame is on the terminal
PROCESS_TIMEOUT = 60.0  # seconds; a child that takes longer is stuck
PAIRS_PER_RUN = 3  # bare and archer starts, one after the other
LATENCY_SAMPLES = 60
MEMORY_CHOICES = 80
MEMORY_CHILD = "--memory-child"
BARE_APP = """\
from textual.app import App


class Bare(App):
    def on_mount(self):
        self.call_after_refresh(self.exit)


Bare().run()
"""


def archer_environment(folder: Path) -> dict[str, str]:
    """Throwaway story cache, saves and settings, so no run touches the player's own files."""
    names = {"ARCHER_CACHE_DIR": "cache", "ARCHER_SAVES": "saves", "ARCHER_CONFIG_DIR": "config"}
    env = {}
    for variable, name in names.items():
        (folder / name).mkdir()
        env[variable] = str(folder / name)
    return env


@contextmanager
def environment(changes: Mapping[str, str]) -> Iterator[None]:
    """os.environ with `changes`, put back as it was afterwards."""
    before = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


# -- 1. cold start to the first frame, in a pseudo-terminal ----------------------


def cold_start(runs: int, archer_env: Mapping[str, str]) -> tuple[float, float, float]:
    """Median ratio archer / bare Textual of seconds to the first frame, and the two median times."""
    archer = [sys.executable, "-m", "game"]
    bare = [sys.executable, "-c", BARE_APP]
    with tempfile.TemporaryDirectory() as bytecode:
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        env |= {
            **archer_env,
            "PYTHONPYCACHEPREFIX": bytecode,
            "TERM": "xterm-256color",
            "COLUMNS": str(COLUMNS),
            "LINES": str(LINES),
            "ARCHER_EXIT_AFTER_FIRST_FRAME": "1",
        }
        for warm_up in (bare, archer):  # compiles both to bytecode, writes the story cache, fills the OS's file cache
            first_frame_seconds(warm_up, env)
        pairs = []
        for _ in range(runs * PAIRS_PER_RUN):
            bare_seconds = first_frame_seconds(bare, env)
            pairs.append((first_frame_seconds(archer, env), bare_seconds))
    ratio = statistics.median(a / b for a, b in pairs)
    return ratio, statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def first_frame_seconds(argv: list[str], env: Mapping[str, str]) -> float:
    """Seconds from starting `argv` in an 80×24 pseudo-terminal to its first full frame on the terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    first_frame = None
    seen = b""
    try:
        for chunk in terminal_output(master, start + PROCESS_TIMEOUT):  # read it all, or the child blocks on a full pty
            seen = seen[-4096:] + chunk
            if first_frame is None and BOTTOM_ROW in seen[-len(chunk) - len(BOTTOM_ROW) :]:
                first_frame = time.perf_counter() - start
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
        status = child.wait()
    if first_frame is None or status != 0:
        raise RuntimeError(f"{argv[1:]} drew no frame (exit status {status}); its last output: {seen[-1000:]!r}")
    return first_frame


def terminal_output(master: int, deadline: float) -> Iterator[bytes]:
    """What the child writes to the terminal, as it comes, until the child closes it."""
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every copy of the terminal's other end is closed, so the child has gone
            return
        if not chunk:
            return
        yield chunk
    raise TimeoutError(f"the child was still running after {PROCESS_TIMEOUT:.0f} s")


# -- 2. key press to the next scene drawn, in process with Pilot ----------------


def key_to_scene_p95_ms(samples: int, archer_env: Mapping[str, str]) -> float:
    """95th percentile of milliseconds from a choice's key press to the frame that shows its scene."""
    with environment({**archer_env, "TEXTUAL_ANIMATIONS": "none"}):
        latencies = asyncio.run(play(choices=None, samples=samples))
    return statistics.quantiles(latencies, n=20)[-1] * 1000


async def play(
    *, choices: int | None, samples: int | None, seed: int = 7, timer: Callable[[ArcherApp], SceneClock] | None = None
) -> list[float]:
    """Play the shipped story by random choices in the TUI, until `choices` are made or `samples` timed.

    Returns the seconds from key press to scene drawn, for every choice that led
    to another scene without a chapter card or an ending.
    """
    from game.story.loader import load_story
    from game.tui.app import ArcherApp

    app = ArcherApp(load_story(STORY))
    clock = (timer or SceneClock)(app)
    rng = random.Random(seed)
    latencies: list[float] = []
    made = 0
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        while (choices is None or made < choices) and (samples is None or len(latencies) < samples):
            await reach_play_screen(pilot)
            latency = await take_a_choice(pilot, clock, rng)
            made += 1
            if latency is not None:
                latencies.append(latency)
    return latencies


async def reach_play_screen(pilot: Pilot[int]) -> None:
    """From the title, a chapter card or an ending, on to a scene with choices."""
    from game.tui.screens.chapter import ChapterCard
    from game.tui.screens.confirm import ConfirmScreen
    from game.tui.screens.deduction import DeductionScreen
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.play import PlayScreen
    from game.tui.screens.title import TitleScreen

    keys: dict[type[Screen[Any]], str] = {
        TitleScreen: "n",
        ConfirmScreen: "y",  # a new game over the run in progress
        ChapterCard: "enter",
        EndingScreen: "enter",
        DeductionScreen: "escape",  # a deduction or evidence was asked for: not a timed move
    }
    for _ in range(10):
        screen = pilot.app.screen
        if isinstance(screen, PlayScreen):
            return
        key = next((key for kind, key in keys.items() if isinstance(screen, kind)), None)
        if key is None:
            raise RuntimeError(f"the benchmark does not know how to leave {type(screen).__name__}")
        await pilot.press(key)
        await pilot.pause()
    raise RuntimeError(f"still on {type(pilot.app.screen).__name__} after ten keys")


async def take_a_choice(pilot: Pilot[int], clock: SceneClock, rng: random.Random) -> float | None:
    """Press the number of a random choice; the seconds until its scene was drawn, if it was a plain move."""
    app = clock.app
    assert app.playthrough is not None
    state = app.playthrough.state
    offered = app.playthrough.view.choices[:9]  # the number keys
    number = rng.randrange(len(offered)) + 1
    choice = offered[number - 1]
    if not is_plain_move(choice, state.scene):
        await pilot.press(str(number))
        await pilot.pause()
        return None
    after = app.engine.view(app.engine.choose(state, choice).state)
    clock.expect(after.scene.title, after.lines[0].text if after.lines else None)
    start = time.perf_counter()
    await pilot.press(str(number))
    await pilot.pause()
    drawn = clock.drawn_at
    if drawn is None:
        raise RuntimeError(f"the scene {after.scene.id!r} was never drawn after its key")
    return drawn - start


def is_plain_move(choice: Choice, scene: str) -> bool:
    """A choice that shows another scene at once: no chapter card (trigger), no ending, nothing asked first."""
    asks = choice.deduce is not None or choice.present is not None
    return not asks and choice.trigger is None and choice.ending is None and choice.goto not in (None, scene)


class SceneClock:
    """Notes the time of the first frame the app draws that shows the scene it was told to expect."""

    def __init__(self, app: ArcherApp) -> None:
        self.app = app
        self.drawn_at: float | None = None
        self._title: str | None = None
        self._first_line: str | None = None
        self._draw = app._display
        app._display = self._display  # type: ignore[method-assign]

    def expect(self, title: str, first_line: str | None) -> None:
        self.drawn_at = None
        self._title = title
        self._first_line = first_line

    def _display(self, screen: Screen[object], renderable: object) -> None:
        self._draw(screen, renderable)  # type: ignore[arg-type]
        render_segments = getattr(renderable, "render_segments", None)
        if render_segments is None or self.app._batch_count:
            return
        if self.app.is_headless:
            render_segments(self.app.console)  # the escape codes a terminal would be sent
        now = time.perf_counter()
        if self._title is not None and self._shows_new_scene(screen):
            self.drawn_at = now
            self._title = None
            self.drawn()

    def drawn(self) -> None:
        """Called on the frame that shows the expected scene."""

    def _shows_new_scene(self, screen: Screen[object]) -> bool:
        """The heading reads the new title, and the scene's text (one widget, given each scene's lines
        in turn) holds the new first line and is laid out on the screen."""
        from textual.errors import NoWidget

        from game.tui.screens.play import PlayScreen
        from game.tui.widgets.scene_header import SceneHeader

        if not isinstance(screen, PlayScreen) or screen.query_one(SceneHeader).scene_title != self._title:
            return False
        if self._first_line is None:
            return True
        text = screen.scene_text
        if not text.told or text.lines[0].text != self._first_line:
            return False
        try:
            return bool(screen.find_widget(text).visible_region)
        except NoWidget:  # not yet laid out on the screen
            return False


class PressWork(SceneClock):
    """A SceneClock that notes the work of each timed press until its frame: the main thread's CPU
    time, or (`count_calls`) the Python calls made. Counting slows the calls it counts, so a run
    does one or the other."""

    def __init__(self, app: ArcherApp, *, count_calls: bool) -> None:
        super().__init__(app)
        self.count_calls = count_calls
        self.cpu_ms: list[float] = []
        self.calls: list[int] = []
        self._cpu_start = 0.0
        self._calls = 0

    def expect(self, title: str, first_line: str | None) -> None:
        super().expect(title, first_line)
        self._calls = 0
        if self.count_calls:
            sys.setprofile(self._count)
        self._cpu_start = time.thread_time()

    def _count(self, frame: object, event: str, arg: object) -> None:
        if event == "call":
            self._calls += 1

    def drawn(self) -> None:
        sys.setprofile(None)
        if self.count_calls:
            self.calls.append(self._calls)
        else:
            self.cpu_ms.append(1000 * (time.thread_time() - self._cpu_start))


def press_work(samples: int) -> str:
    """CPU ms a timed press (p50, p95) and its Python calls (median), over the seeded walk of `play`."""
    clocks: list[PressWork] = []

    def clock(app: ArcherApp) -> PressWork:
        clocks.append(PressWork(app, count_calls=bool(clocks)))  # the first run times, the second counts
        return clocks[-1]

    with (
        tempfile.TemporaryDirectory() as folder,
        environment({**archer_environment(Path(folder)), "TEXTUAL_ANIMATIONS": "none"}),
    ):
        for _ in range(2):
            asyncio.run(play(choices=None, samples=samples, timer=clock))
    cpu_ms, counted = clocks[0].cpu_ms, clocks[1].calls
    p95 = statistics.quantiles(cpu_ms, n=20)[-1]
    return f"CPU per press {statistics.median(cpu_ms):.2f} ms p50, {p95:.2f} ms p95; Python calls {statistics.median(counted):.0f} (median)"


# -- 3. peak memory while playing, in a fresh interpreter ------------------------


def peak_memory_mib(choices: int, archer_env: Mapping[str, str]) -> float:
    """Peak resident set size of a fresh interpreter that plays `choices` choices through the TUI."""
    return child_peak_memory_mib(MEMORY_CHILD, choices, archer_env)


def child_peak_memory_mib(role: str, count: int, extra_env: Mapping[str, str]) -> float:
    """Run this file as a child in `role` (it plays, then prints its own peak in KiB); that peak in MiB."""
    env = {**os.environ, **extra_env, "TEXTUAL_ANIMATIONS": "none"}
    done = subprocess.run(
        [sys.executable, __file__, role, str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=PROCESS_TIMEOUT * 5,
    )
    return int(done.stdout.split()[-1]) / 1024


def report_peak_memory(choices: int) -> None:
    """In the child: play, then print the peak resident set size of this program in KiB."""
    asyncio.run(play(choices=choices, samples=None))
    print(own_peak_rss_kib())


def own_peak_rss_kib() -> int:
    """The high-water mark of this program's resident memory (VmHWM), which starts afresh at exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # elsewhere: may include the parent's


# -- 4. the same key press and memory in a bare Textual app: the floor ----------

BARE_TEXTS = tuple(
    f"Scene {n}\n\n"
    + "\n".join(f"Ana: The dancer waits under a cold light while rosin dust settles, line {k}." for k in range(6))
    for n in range(8)
)


def bare_key_p95_ms(samples: int) -> float:
    """95th percentile of milliseconds from a key press to the frame of a bare app that swaps a Static's text."""
    with environment({"TEXTUAL_ANIMATIONS": "none"}):
        latencies = asyncio.run(play_bare(samples))
    return statistics.quantiles(latencies, n=20)[-1] * 1000


async def play_bare(presses: int) -> list[float]:
    """Press a digit `presses` times in the bare app; seconds from each press to the frame that shows its text."""
    app = bare_key_app()
    latencies: list[float] = []
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        for press in range(presses):
            app.expected = (press % (len(BARE_TEXTS) - 1)) + 1
            app.drawn_at = None
            start = time.perf_counter()
            await pilot.press(str(app.expected))
            await pilot.pause()
            if app.drawn_at is None:
                raise RuntimeError("the bare app never drew its new text")
            latencies.append(app.drawn_at - start)
            await pilot.press("0")  # back to the first text, untimed
            await pilot.pause()
    return latencies


def bare_key_app() -> Any:
    """A Textual app that shows one Static and swaps its text on a digit key, timing the frame that shows it."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Text(Static):
        shown = 0
        drawn = -1

        def render(self) -> Any:
            self.drawn = self.shown
            return super().render()

    class Bare(App[None]):
        expected = 0
        drawn_at: float | None = None

        def compose(self) -> ComposeResult:
            yield Text(BARE_TEXTS[0])

        def on_key(self, event: Any) -> None:
            if event.character and event.character.isdigit():
                text = self.query_one(Text)
                text.shown = int(event.character)
                text.update(BARE_TEXTS[text.shown])

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            render_segments = getattr(renderable, "render_segments", None)
            if render_segments is None or self._batch_count:
                return
            render_segments(self.console)  # the escape codes a terminal would be sent, as for archer
            if self.drawn_at is None and self.query_one(Text).drawn == self.expected:
                self.drawn_at = time.perf_counter()

    return Bare()


def bare_peak_memory_mib(presses: int) -> float:
    """Peak resident set size of a fresh interpreter driving the bare app through `presses` key presses."""
    return child_peak_memory_mib(BARE_MEMORY_CHILD, presses, {})


BARE_MEMORY_CHILD = "--bare-memory-child"


# -- run alone ----------------------------------------------------------------------


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if argv[:1] == [MEMORY_CHILD]:
        report_peak_memory(int(argv[1]))
        return 0
    if argv[:1] == [BARE_MEMORY_CHILD]:
        asyncio.run(play_bare(int(argv[1])))
        print(own_peak_rss_kib())
        return 0
    if argv[:1] == ["--press-work"]:  # the key press's CPU and calls (see "Profiling the key press" above)
        print(press_work(LATENCY_SAMPLES))
        return 0
    from run import bench_tui

    results = list(bench_tui(3 if "--quick" in argv else 5))
    for result in results:
        print(result.line())
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
