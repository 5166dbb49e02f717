"""`make bench`: Archer's speed as ratios against a peer or a floor doing the same work in the same run.

These machines are shared, and absolute times drift two to three times from one
hour to the next; a ratio of two programs measured side by side does not. So
every figure here is taken round robin (ours, then the peer's, then ours...),
and the result is the median of the per-round ratios. Absolute figures are
printed for information and never fail the run; the run exits 1 only when a
ratio misses its target. A peer that cannot run here (no node for inkjs, say)
is reported as skipped, with how to get it.

The peers (see peers.py and tui_bench.py): bink, a Rust ink runtime, and inkjs
walking the ink twin of the generated story; Archer's own walk with a new game
every 500 choices (a step must cost the same at choice 5,000 as at choice 5);
the checker alone against the whole `archer check`; bare Textual apps for start,
key press and memory; PyYAML's CSafeLoader and msgspec as the floors of cold
and warm loads; `python -c "import yaml"` for the check command's start.

Where the time goes (profiles of 2026-12-01; issue 19):

* Warm load, 10k scenes (CPU ms, best of 7, 2026-12-02, under load; msgspec's decode 69 ms in
  the same process). The cache holds the scenes as columns (game/story/cache.py), equal texts
  stored once (a speaker, a beat, a scene id and every `goto` naming it: pickle writes and reads
  a reference), each place ("file:line") as its shared file and a packed line number, the
  counts packed: 4.5 MB where it was 9.1 MB. Of a 51 ms load: the checks (C passes over whole
  columns) 24, unpickling 9, the story files' digest 5, the cache's checksum 2.5, the rest
  freeing and the frame. The ids' checks had been running through Mapping's Python set
  operations (`CachedScenes.keys()` now returns the index's own view): a third of the load.
  No Scene is built until the engine asks for it (~13 µs each); the loader freezes the story.
* Cold load, 10k scenes (CPU seconds, best of 3, 2026-12-02): libyaml composing the nodes 0.67
  (PyYAML's own composer with its Python resolver: 1.0), building the located YAML from them
  0.53, freeing the nodes 0.12 and the YAML 0.13, the reader's fields and model objects 0.45,
  the references 0.12, counters 0.06; CSafeLoader alone 2.35 against our 2.2-2.3. The
  references had made a Where for each of 75,000 lines and choices to find the few conditions
  naming a deduction or a word (0.1 s); the loader freezes what it read, so no collection follows.
* `archer check story --no-proof`. `--no-proof` no longer imports the engine, and files
  unchanged since the last check (or game) come from the story cache, findings and all,
  without PyYAML: 424 M instructions against 163 M for `import yaml` (857 M before, with
  bytecode). What is left, warm (CPU ms, best of 21): interpreter, argparse and pathlib
  ~25, the story modules (mostly the model's slotted dataclasses, built by exec) ~35, the
  cache ~13 (half of it parsing the story's conditions again, as an untrusted cache
  must), the checks ~4, the stale-schema check ~2 (it renders the shape schemas). A check
  after an edit reads the YAML (~60 ms more for the shipped story) and rewrites the cache.
* `archer check` at 10k scenes (2026-12-02 05:50 UTC, CPU seconds, phases of the check in its own
  process, under a load of 3-4 on the 2 cores, main alongside; the lead's quiet run before this: 1.67x).
  This ratio measured as bench_check does, main and this branch alternating in one run (06:02, 4
  rounds, medians): main 1.91x (4.00 vs 2.08 s), this 1.72x (3.71 vs 2.23 s); whole check CPU, min of
  5 alternating, 3.06 s against main's 3.42. Of the ratio's excess over 1.0, besides what follows,
  ~0.3 s is the reader itself running slower in a fresh process than in the bench's warm one (its
  410 MB faulted in) and ~0.1 s the imports the bench's in-process reader does not pay.
  Beyond the reader (1.9-2.2 in the check, with ~0.35 of system time faulting in its 410 MB) a check
  now spends: writing the cache 0.27-0.35 (the same bytes: its columns ~0.2, of which the places
  ~0.05, a tuple a field ~0.07 and sharing equal texts; the pickle 0.03), the warnings 0.08 (main
  0.12: the story's effects, conditions' clues and speakers gathered in C passes; the graph's walk
  ~0.04, and the endings it leads to, worked out once for the warnings and the proof's findings), the
  soft-lock proof 0.72 (main 1.0-1.1), imports ~0.08, and no exit: with its report flushed the
  command ends with os._exit (check_command.exit_now), sparing the ~0.1 s of freeing the story object
  by object. The proof (best of 5, warm): set-up 0.15 (main 0.38): the live-variable analysis 0.12
  (was 0.28: the fixpoint starts each scene from what its own choices read and works only the callers
  of scenes where something is live, 0.023 for 0.055; kills worked out per effect; the 55,000 lines
  walked for whom a scene lets the player meet only where one has a condition), the compiled story
  0.05 (was 0.12: the story's conditions gathered once, each condition text's closing facts once);
  then the search, 43,205 states in ~0.42: compiling 40,000 choices and 20,000 entries as first met
  ~0.1 (a plain choice by a short path, made by position; its goto read from the analysis), the
  moves ~0.18 (~4 us a state; where a state's projection is its scene's alone, a move applies it as
  two masks, not two calls), the index and queue ~0.06, the search's bookkeeping ~0.05; then the
  traps 0.044 (the edges turned round). Tried and not kept: `moves` as a closure with its names bound,
  compiling every scene before the search (no change either), the traps' reverse edges by a C sort
  (slower), not sharing texts said once in the cache (no change). Left to try: the cache's columns
  from the reader itself (it knows each place's file and line, ~0.05 here), a scene's plain entry
  folded into those masks too.
* TUI cold start (2026-12-02, 20 rounds alternating main, this code and the bare app; see
  tui_bench.py). The title is drawn from the story's title page and the story loaded right
  after the first frame: the story model, the cache and its conditions, the session and the
  load (~50 ms) are off the path, and so is the model from `game.saves` (it needed only
  types). Left, against the bare app: ~10 ms of Archer's modules, settings and saves (no
  saves: one folder listing), and ~22 ms of Textual drawing the title screen itself.
* Key press. The idle collection collects then freezes (ArcherApp.tidy_memory): one
  costs ~1.5 ms instead of ~30 ms. The scene's text scrolls itself and the choices have no
  container, and a scene is laid out once (one layout pass). Then (2026-12-02, press3): the
  choices draw their own rows (a line-API ChoiceList, each choice wrapped once a scene, where
  Textual's OptionList wrapped each three times a press), the text's and the choices'
  scrollbars are drawn as rows (Textual's own bar as a Visual, not through a Rich console),
  the play screen keeps its widgets instead of querying the DOM for the "more below" cue,
  the frame's cues are set only when they change, and one-cell text (nearly all of it) is
  wrapped without Rich's per-word cell measuring (the same rows; a property test compares).
  CPU of the main thread from key to frame, same seeded walk, alternating runs on the shared
  machine (`tui_bench.py --press-work`): p50 9.4-10.7 -> 6.2-8.4 ms, p95 15.4-16.8 -> 10.6-10.9
  ms (the bare app: 3.0 p50, 3.6-4.1 p95). Python calls a timed press 15.2k -> 11.0k: painting
  4.7k (the text 2.2k, the choices 1.0k, the scrollbar 0.7k when the text scrolls, the
  heading 0.5k; a scene change repaints heading, text and choices, each row through Textual's
  styles cache, ~100-140 calls a row), reflow 1.6k (12 widgets, 8 of them the footer's keys),
  the key's and the messages' dispatch with reactives and refreshes 2.5k, the compositor's
  chops 0.6k, the frame's escape codes 0.6k, wrapping the scene 0.6k (1.5k for a long one).
  A gen-0 collection (threshold 50,000) lands in about one timed press in 60 (13-25 ms) when
  presses come faster than the idle collection (0.3 s): each key leaves 400-2,000 objects only
  the collector frees (Textual's Strips, which cache themselves). Tried and not kept: a collection
  (then freeze) whenever a screen closes. No timed press met a collection after it (0 in 540,
  main 2 in 540), but the p95 came out no better: Archer's p95 12.3-12.9 ms against 11.0-12.0
  without it, three alternating runs, 2026-12-02 07:00. The slowest presses are long scenes
  painted, laid out and wrapped. A one-widget footer would save 2% of a press's Python calls
  (measured with the footer's keys removed), too little to see in its CPU. See tui_bench.py for
  how these were measured.

    .venv/bin/python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from game.engine.engine import Engine  # noqa: E402
from game.story.loader import load_story  # noqa: E402

import peers  # noqa: E402
from gen_story import write_ink, write_story  # noqa: E402

PYTHON = sys.executable
STORY = ROOT / "story"
WALK_STEPS = 5_000  # one unbroken walk: long enough that a cost growing with the run shows
# A walk takes a tenth of a second, where the machine's load swings a round by 10-20%: three times the rounds
# (inkjs, a node process a round, keeps the usual count).
ENGINE_ROUNDS = 3
CHECK_TIMEOUT = 120.0  # seconds; a check slower than this is a miss, not a hang


@dataclass
class Ratio:
    """One figure: ours against the peer's, as a median of per-round ratios, with its target."""

    name: str
    ratio: float | None  # None: the peer could not run here
    target: float
    at_least: bool  # True: higher is better
    detail: str = ""

    @property
    def ok(self) -> bool:
        if self.ratio is None:
            return True
        return self.ratio >= self.target if self.at_least else self.ratio <= self.target

    def line(self) -> str:
        sign = "≥" if self.at_least else "≤"
        if self.ratio is None:
            return f"skip {self.name:<60} {'':>8}   (target {sign} {self.target}×)  {self.detail}"
        mark = "ok  " if self.ok else "MISS"
        return f"{mark} {self.name:<60} {self.ratio:>7.2f}×  (target {sign} {self.target}×)  {self.detail}"


def round_robin(rounds: int, ours: Callable[[], float], peer: Callable[[], float]) -> tuple[float, float, float]:
    """Median of ours/peer over `rounds` side-by-side rounds, and the two medians (for information)."""
    pairs = []
    for _ in range(rounds):
        mine = ours()
        pairs.append((mine, peer()))
    return (
        statistics.median(a / b for a, b in pairs),
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
    )


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def process_seconds(*args: str, env: dict[str, str] | None = None, timeout: float = CHECK_TIMEOUT) -> float:
    """Wall seconds of a fresh interpreter running `args`; the timeout's length if it hangs on."""
    start = time.perf_counter()
    try:
        subprocess.run(
            [PYTHON, *args], cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return timeout
    return time.perf_counter() - start


# -- the engine against ink ---------------------------------------------------------


def archer_walk(engine: Engine, steps: int, *, restart_every: int | None = None, seed: int = 1) -> float:
    """Steps per second of random choices; a new game only at an ending (ink's way) or every `restart_every`."""
    rng = random.Random(seed)
    state = engine.new_game()
    taken = 0
    made = 0
    start = time.perf_counter()
    while taken < steps:
        view = engine.view(state)
        if view.ending is not None or (restart_every is not None and made >= restart_every):
            state = engine.new_game()
            made = 0
            continue
        state = engine.choose(state, view.choices[rng.randrange(len(view.choices))]).state
        taken += 1
        made += 1
    return taken / (time.perf_counter() - start)


def bench_engine(story_1k: Path, ink_1k: Path, rounds: int) -> Iterator[Ratio]:
    engine = Engine(load_story(story_1k))
    archer_walk(engine, WALK_STEPS)  # warm: the scenes built and planned, as bink's story is compiled before it runs
    unbroken = lambda: archer_walk(engine, WALK_STEPS)  # noqa: E731
    walks = rounds * ENGINE_ROUNDS
    ratio, ours, fresh = round_robin(walks, unbroken, lambda: archer_walk(engine, WALK_STEPS, restart_every=500))
    yield Ratio(
        "engine, unbroken walk vs new game every 500 choices",
        ratio,
        0.9,
        True,
        f"{ours:,.0f} vs {fresh:,.0f} steps/s",
    )
    try:
        compiled = peers.compile_ink(ink_1k, ink_1k.with_suffix(".json"))
    except peers.Missing as missing:
        yield Ratio("engine, unbroken walk vs bink (Rust ink)", None, 2.5, True, str(missing))
        yield Ratio("engine, unbroken walk vs inkjs", None, 1.0, True, str(missing))
        return
    try:
        bink = peers.BinkWalk(compiled)
        ratio, ours, theirs = round_robin(walks, unbroken, lambda: bink.steps_per_second(WALK_STEPS))
        yield Ratio(
            "engine, unbroken walk vs bink (Rust ink)", ratio, 2.5, True, f"{ours:,.0f} vs {theirs:,.0f} steps/s"
        )
    except peers.Missing as missing:
        yield Ratio("engine, unbroken walk vs bink (Rust ink)", None, 2.5, True, str(missing))
    ratio, ours, theirs = round_robin(rounds, unbroken, lambda: peers.inkjs_steps_per_second(compiled, WALK_STEPS * 4))
    yield Ratio("engine, unbroken walk vs inkjs", ratio, 1.0, True, f"{ours:,.0f} vs {theirs:,.0f} steps/s")


# -- loading and checking -----------------------------------------------------------


def bench_loads(story_10k: Path, rounds: int) -> Iterator[Ratio]:
    with tempfile.TemporaryDirectory() as cache:
        os.environ["ARCHER_CACHE_DIR"] = cache
        try:
            ratio, ours, floor = round_robin(
                rounds,
                lambda: timed(lambda: load_story(story_10k, use_cache=False)),
                lambda: peers.csafe_load_seconds(story_10k),
            )
            yield Ratio(
                "load 10k scenes cold (parse + check) vs CSafeLoader alone",
                ratio,
                1.0,
                False,
                f"{ours:.2f} vs {floor:.2f} s",
            )
            story = load_story(story_10k)  # writes the cache
            try:
                decoder = peers.msgspec_decoder()
            except peers.Missing as missing:
                yield Ratio("load 10k scenes warm (cache) vs msgspec typed decode", None, 1.5, False, str(missing))
                return
            data = peers.story_as_json(story)
            ratio, ours, floor = round_robin(
                rounds,
                lambda: timed(lambda: load_story(story_10k)),
                lambda: peers.msgspec_decode_seconds(decoder, data),
            )
            yield Ratio(
                "load 10k scenes warm (cache) vs msgspec typed decode",
                ratio,
                1.5,
                False,
                f"{ours:.3f} vs {floor:.3f} s",
            )
        finally:
            del os.environ["ARCHER_CACHE_DIR"]


def compile_bytecode() -> None:
    """Archer's modules compiled, as an installed package has them (pip compiles on install).

    An editable checkout run with PYTHONDONTWRITEBYTECODE keeps none, and every process
    would compile every module it imports from source, while the floor's PyYAML has its
    bytecode from pip: the start-up ratio would measure the compiler, not Archer.
    """
    import compileall

    compileall.compile_dir(ROOT / "game", quiet=1)


def bench_check(stories: dict[int, Path], rounds: int) -> Iterator[Ratio]:
    """The whole `archer check` against the checker alone, and its cost per scene from 1k to 10k.

    `check story --no-proof`: the first check reads the story and caches it; the rest, like an
    author's next check of unchanged files, read the cache (the median is of those). The checks
    at 1k and 10k scenes are an author's first check: the story read, checked, proven and
    cached (a fresh cache each round), taken round robin with the checker alone.

    The exact search at 10k (explore(), 43,205 states), 2026-12-02, in-process and alternating with
    the commit before (load 2-3.5 on the 2 cores): 0.6-0.7x its time (about 0.65 s against 1.0-1.1 s;
    at 1k, 0.73x its instructions under callgrind), from a plain scene's moves made once as rows with
    entering folded into two masks, fewer walks of the choices in the set-up and the ending known when
    found. What is left, by instructions at 1k: the walk 35%, the traps 20%, liveness 20%, compiling
    rows 13%, the compiled story 9%. Counting arrivals in the traps pass with a Counter was tried and
    dropped: --deep's peak grew from 0.83 to 1.1 GB.
    """
    compile_bytecode()
    with tempfile.TemporaryDirectory() as cache:
        env = {"ARCHER_CACHE_DIR": cache}
        ratio, ours, floor = round_robin(
            rounds,
            lambda: process_seconds("-m", "game", "check", "story", "--no-proof", env=env),
            lambda: process_seconds("-c", "import yaml"),
        )
        yield Ratio("archer check story vs python -c 'import yaml'", ratio, 3.0, False, f"{ours:.2f} vs {floor:.2f} s")
    rows = []  # a round: the first check at 1k, at 10k, and the checker alone at 10k
    for _ in range(rounds):
        small, large = (first_check_seconds(stories[size]) for size in (1_000, 10_000))
        rows.append((small, large, timed(lambda: load_story(stories[10_000], use_cache=False))))
    small, large, alone = (statistics.median(column) for column in zip(*rows, strict=True))
    yield Ratio(
        "archer check at 10k scenes vs the checker alone at 10k",
        statistics.median(whole / checker for _, whole, checker in rows),
        1.5,
        False,
        f"{large:.2f} vs {alone:.2f} s",
    )
    yield Ratio(
        "archer check: cost per scene at 10k vs at 1k (1.0 is linear)",
        statistics.median((whole / 10) / first for first, whole, _ in rows),
        1.5,
        False,
        f"1k {small:.2f} s, 10k {large:.2f} s",
    )


def first_check_seconds(root: Path) -> float:
    """Wall seconds of an author's first `archer check` of `root`, with nothing cached yet."""
    with tempfile.TemporaryDirectory() as cache:
        return process_seconds("-m", "game", "check", str(root), env={"ARCHER_CACHE_DIR": cache})


# -- the TUI ------------------------------------------------------------------------


def bench_tui(rounds: int) -> Iterator[Ratio]:
    import tui_bench

    with tempfile.TemporaryDirectory() as folder:
        env = tui_bench.archer_environment(Path(folder))
        ratio, archer, bare = tui_bench.cold_start(rounds, env)
        yield Ratio(
            "TUI cold start to first frame vs bare Textual app", ratio, 1.2, False, f"{archer:.2f} vs {bare:.2f} s"
        )
        samples = tui_bench.LATENCY_SAMPLES
        ratio, archer, bare = round_robin(
            rounds, lambda: tui_bench.key_to_scene_p95_ms(samples, env), lambda: tui_bench.bare_key_p95_ms(samples)
        )
        yield Ratio(
            "key press to scene drawn, p95, vs bare app swapping text",
            ratio,
            2.5,
            False,
            f"{archer:.1f} vs {bare:.1f} ms",
        )
        choices = tui_bench.MEMORY_CHOICES
        ratio, archer, bare = round_robin(
            max(1, rounds // 2),
            lambda: tui_bench.peak_memory_mib(choices, env),
            lambda: tui_bench.bare_peak_memory_mib(choices),
        )
        yield Ratio(
            f"peak memory, {choices} choices in the TUI, vs bare app",
            ratio,
            1.5,
            False,
            f"{archer:.1f} vs {bare:.1f} MiB",
        )


def main(argv: list[str]) -> int:
    rounds = 3 if "--quick" in argv else 5
    print(
        f"Archer against its peers, same run, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"medians of {rounds} rounds\n"
    )
    results: list[Ratio] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        stories = {size: write_story(size, base / f"story-{size}") for size in (1_000, 10_000)}
        ink_1k = write_ink(1_000, base / "story-1000.ink")
        sections: list[Callable[[], Iterator[Ratio]]] = [
            lambda: bench_engine(stories[1_000], ink_1k, rounds),
            lambda: bench_loads(stories[10_000], rounds),
            lambda: bench_check(stories, rounds),
            lambda: bench_tui(rounds),
        ]
        for section in sections:
            for result in section():
                results.append(result)
                print(result.line(), flush=True)
    missed = [r for r in results if not r.ok]
    skipped = [r for r in results if r.ratio is None]
    print(
        f"\n{len(results) - len(missed) - len(skipped)} of {len(results)} ratios met"
        + (f", {len(skipped)} skipped" if skipped else "")
        + f" ({time.perf_counter() - started:.0f} s)"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
