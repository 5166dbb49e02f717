"""`make bench`: every speed target of issue 7, measured here, as a median of several runs.

Prints each figure next to its target and exits 1 when any target is missed.
Ratios are measured side by side in the same run. Run from the project root:

    .venv/bin/python benchmarks/run.py [--quick]

Where the time goes (profiles of 2026-11-23; every target holds):

* Cold 10,000-scene load (~1.7 s, was 2.7): PyYAML's C parser composing the
  7 MB into ~620,000 nodes is ~0.55 s (it still runs a Python __init__ per
  node) and freeing them ~0.1 s; building our located mappings ~0.4 s; checking
  and building the model ~0.4 s; the collector's first pass over the new model
  ~0.06 s. The parser's per-node callbacks are C builtins, plain words are
  resolved once, a valid field costs one identity test, places are "file:line"
  text and references stay plain tuples until one is wrong.
* First load (~1.95 s, was 3.2): the cold load plus pickling the model
  (~0.2 s): scenes pickle as flat tuples, and the collector stays paused.
* Warm 10,000-scene load (~0.22 s, was 0.33): unpickling ~0.1 s, mostly the
  frozen dataclass __init__s of ~95,000 scenes, lines and choices (pickle
  reads the rest in C; a scene comes back through one revive_scene call);
  the collector's first pass over the new objects ~0.07 s; hashing 5 ms.
* TUI key press p95 (~14 ms, was 25): a scene's lines are one widget that lays
  out its own rows and draws them by Textual's line API, and the heading is one
  widget. A widget per line cost a layout and a render each, so a ten-line
  scene took twice as long to appear as a two-line one. Left: Textual's reflow
  of the screen's ~20 widgets, rendering the rows in view, and rebuilding the
  choice list; the slowest samples are the longest scenes.
* TUI cold start (~1.2x, was 1.35): counted in instructions with callgrind, up
  to the first frame, archer runs ~1,090 M against the bare app's ~880 M. The
  collector is paused until the first frame; the stylesheet is read once (the
  theme is chosen before Textual reads it), and only the title's part of it
  (each other screen brings its own .tcss); transitions, the engine and the
  YAML reader are imported when first needed; the title has no footer and its
  bill is one widget. Left: our imports (~20 dataclasses at ~4 M each), reading
  the story from the cache (~45 M) and the title's first layout.
* TUI memory (~49 MiB): it read ~70 MiB because ru_maxrss counted the runner's
  own memory, which a forked child keeps across exec; VmHWM is the child's own.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from game.engine.autoplay import autoplay  # noqa: E402
from game.engine.engine import Engine  # noqa: E402
from game.engine.explore import explore  # noqa: E402
from game.engine.run import Run  # noqa: E402
from game.saves import SaveStore  # noqa: E402
from game.story.loader import load_story  # noqa: E402

from gen_story import write_story  # noqa: E402

PYTHON = sys.executable
STORY = ROOT / "story"


@dataclass
class Result:
    name: str
    value: float
    target: float
    unit: str
    higher_is_better: bool = False

    @property
    def ok(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        mark = "ok  " if self.ok else "MISS"
        return f"{mark} {self.name:<58} {self.value:>12,.3f} {self.unit:<6} (target {sign} {self.target:,} {self.unit})"


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def process_seconds(*args: str, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run([PYTHON, *args], cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, check=True)
    return time.perf_counter() - start


def bench_check(runs: int) -> list[Result]:
    seconds = median_of(runs, lambda: process_seconds("-m", "game", "check", "story"))
    return [Result("archer check story, whole process", seconds, 0.3, "s")]


def bench_steps(story_1k: Path) -> list[Result]:
    engine = Engine(load_story(story_1k))
    rng = random.Random(1)

    def walk() -> float:
        state = engine.new_game()
        steps = 0
        start = time.perf_counter()
        while steps < 50_000:
            view = engine.view(state)
            if view.ending is not None or len(state.log) > 500:
                state = engine.new_game()
                continue
            state = engine.choose(state, view.choices[rng.randrange(len(view.choices))]).state
            steps += 1
        return steps / (time.perf_counter() - start)

    return [Result("engine steps per second, random walk, 1,000-scene story", median_of(3, walk), 100_000, "/s", True)]


def bench_loads(paths: dict[int, Path], runs: int) -> list[Result]:
    targets = {1_000: (0.5, 0.04), 10_000: (2.5, 0.3)}
    results = []
    for size, root in paths.items():
        cold_target, warm_target = targets[size]
        parse_only, first, warm = load_figures(root, runs)
        results.append(Result(f"load {size:,}-scene story, cold (parse + check)", parse_only, cold_target, "s"))
        results.append(Result(f"load {size:,}-scene story, first load (+ writing the cache)", first, cold_target, "s"))
        results.append(Result(f"load {size:,}-scene story, warm (from the cache)", warm, warm_target, "s"))
    return results


def load_figures(root: Path, runs: int) -> tuple[float, float, float]:
    """Seconds to load without the cache, the first time (writing it), and warm (reading it)."""
    with tempfile.TemporaryDirectory() as cache:
        os.environ["ARCHER_CACHE_DIR"] = cache
        try:
            parse_only = median_of(runs, lambda: timed(lambda: load_story(root, use_cache=False)))

            def first() -> float:
                for old in Path(cache).glob("*"):
                    old.unlink()
                return timed(lambda: load_story(root))

            first_load = median_of(runs, first)
            warm = median_of(runs, lambda: timed(lambda: load_story(root)))
        finally:
            del os.environ["ARCHER_CACHE_DIR"]
    return parse_only, first_load, warm


def bench_playthroughs(runs: int) -> list[Result]:
    engine = Engine(load_story(STORY))
    seconds = median_of(runs, lambda: timed(lambda: autoplay(engine, 10_000, mode="random")))
    return [Result("10,000 seeded random playthroughs of the shipped story", seconds, 10, "s")]


def bench_reachability() -> list[Result]:
    engine = Engine(load_story(STORY))
    result = None

    def run() -> None:
        nonlocal result
        result = explore(engine, limit=5_000_000)

    seconds = timed(run)
    assert result is not None and result.complete and not result.traps, "the shipped story has a soft-lock"
    return [Result(f"exhaustive reachability of the shipped story ({result.states:,} states)", seconds, 30, "s")]


def bench_saves(runs: int) -> list[Result]:
    engine = Engine(load_story(STORY))
    run = Run.new(engine, 7)
    rng = random.Random(7)
    for _ in range(60):
        choices = [c for c in engine.choices(run.state) if c.ending is None]
        if not choices:
            break
        run.choose(rng.choice(choices))
    with tempfile.TemporaryDirectory() as folder:
        store = SaveStore(Path(folder))
        save = median_of(runs, lambda: timed(lambda: store.save("bench", engine.story, run.state, 60.0)))
        load = median_of(runs, lambda: timed(lambda: store.load("bench", engine)))
        size = store.path("bench").stat().st_size / 1024
    return [
        Result(f"save one slot ({len(run.state.log)} choices into a run)", save * 1000, 5, "ms"),
        Result("load one slot", load * 1000, 5, "ms"),
        Result("save file size", size, 20, "KB"),
    ]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs = 3 if quick else 5
    print(f"Archer benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians of {runs} runs\n")
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as folder:
        generated = {size: write_story(size, Path(folder) / f"story-{size}") for size in (1_000, 10_000)}
        sections: list[Callable[[], list[Result]]] = [
            lambda: bench_tui(runs),
            lambda: bench_check(runs),
            lambda: bench_steps(generated[1_000]),
            lambda: bench_loads(generated, 3),
            lambda: bench_playthroughs(3 if not quick else 1),
            bench_reachability,
            lambda: bench_saves(runs * 4),
        ]
        for section in sections:
            for result in section():
                results.append(result)
                print(result.line(), flush=True)
    missed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(missed)} of {len(results)} targets met")
    return 1 if missed else 0


def bench_tui(runs: int) -> list[Result]:
    from tui_bench import bench_tui as measure

    return measure(runs, Result)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
