"""Seeded random playthroughs (ChoiceScript's randomtest): what players will actually hit.

Each run `i` uses seed `first_seed + i`, so any odd run can be replayed exactly
with `archer autoplay --runs 1 --seed N`.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from game.engine.deduce import random_given
from game.engine.engine import Engine


@dataclass
class AutoplayReport:
    runs: int = 0
    endings: Counter[str] = field(default_factory=Counter)
    scene_visits: Counter[str] = field(default_factory=Counter)
    total_choices: int = 0
    stuck: list[tuple[int, str]] = field(default_factory=list)  # (seed, scene)
    too_long: list[int] = field(default_factory=list)  # seeds
    crashed: list[tuple[int, str]] = field(default_factory=list)  # (seed, error)

    @property
    def average_length(self) -> float:
        return self.total_choices / self.runs if self.runs else 0.0

    def unvisited(self, engine: Engine) -> list[str]:
        return [scene for scene in engine.story.scenes if scene not in self.scene_visits]

    @property
    def ok(self) -> bool:
        return not (self.stuck or self.too_long or self.crashed)


def autoplay(engine: Engine, runs: int = 10_000, first_seed: int = 0, max_choices: int = 1_000) -> AutoplayReport:
    report = AutoplayReport()
    for seed in range(first_seed, first_seed + runs):
        report.runs += 1
        try:
            _play_one(engine, seed, max_choices, report)
        except Exception as error:  # a crash is a finding to report, never a reason to stop
            report.crashed.append((seed, f"{type(error).__name__}: {error}"))
    return report


def _play_one(engine: Engine, seed: int, max_choices: int, report: AutoplayReport) -> None:
    rng = random.Random(seed)
    state = engine.new_game(seed)
    report.scene_visits[state.scene] += 1
    for _ in range(max_choices):
        choices = engine.choices(state)
        if not choices:
            report.stuck.append((seed, state.scene))
            return
        choice = choices[rng.randrange(len(choices))]
        step = engine.choose(state, choice, random_given(engine.story, state, choice, rng))
        state = step.state
        report.total_choices += 1
        if step.ending is not None:
            report.endings[step.ending.id] += 1
            return
        report.scene_visits[state.scene] += 1
    report.too_long.append(seed)


def format_report(report: AutoplayReport, engine: Engine) -> str:
    lines = [f"{report.runs:,} playthroughs, {report.average_length:.1f} choices on average"]
    lines.append("Endings:")
    for ending in engine.story.endings:
        count = report.endings.get(ending, 0)
        share = 100 * count / report.runs if report.runs else 0
        lines.append(f"  {ending}: {count:,} ({share:.1f}%)")
    unvisited = report.unvisited(engine)
    covered = len(engine.story.scenes) - len(unvisited)
    lines.append(f"Scenes visited: {covered} of {len(engine.story.scenes)}")
    if unvisited:
        lines.append("  never visited: " + ", ".join(unvisited))
    for seed, scene in report.stuck[:10]:
        lines.append(
            f"STUCK: seed {seed} ends in scene '{scene}' with no choice (replay: archer autoplay --runs 1 --seed {seed})"
        )
    for seed in report.too_long[:10]:
        lines.append(f"TOO LONG: seed {seed} made no ending within the choice limit")
    for seed, error in report.crashed[:10]:
        lines.append(f"CRASHED: seed {seed}: {error}")
    return "\n".join(lines)
