"""Seeded playthroughs (ChoiceScript's randomtest): what players will actually hit.

Two modes. `explore` (the default) prefers, at each step, a choice that can still
lead to an ending this batch has not reached yet (by the story's map, conditions
aside), and among those the ones this batch of runs has taken least so far
(randomtest's "avoid used options"), so that a batch spreads over the whole story
and reaches its deep endings instead of replaying the early exits. `random` picks uniformly, which is closer to how
often players will meet each ending. Every run records its choices, so an odd
run is reported with the exact choices that replay it.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from game.engine.deduce import PARTLY, RIGHT, WRONG, outcome, random_given, representative_givens, wrong_count
from game.engine.engine import Engine
from game.engine.state import GameState
from game.story.deductions import callers_of, choice_endings
from game.story.model import Choice, Story

MODES = ("explore", "random")


@dataclass
class Playthrough:
    """One run that went wrong: its seed, where it stopped, and the numbers of the choices it made."""

    seed: int
    scene: str
    choices: list[int]
    error: str = ""


@dataclass
class AutoplayReport:
    runs: int = 0
    endings: Counter[str] = field(default_factory=Counter)
    scene_visits: Counter[str] = field(default_factory=Counter)
    total_choices: int = 0
    stuck: list[Playthrough] = field(default_factory=list)
    too_long: list[Playthrough] = field(default_factory=list)
    crashed: list[Playthrough] = field(default_factory=list)

    @property
    def average_length(self) -> float:
        return self.total_choices / self.runs if self.runs else 0.0

    def unvisited(self, engine: Engine) -> list[str]:
        return [scene for scene in engine.story.scenes if scene not in self.scene_visits]

    @property
    def ok(self) -> bool:
        return not (self.stuck or self.too_long or self.crashed)


def autoplay(
    engine: Engine, runs: int = 10_000, first_seed: int = 0, max_choices: int = 1_000, mode: str = "explore"
) -> AutoplayReport:
    """Play `runs` runs, run i with seed `first_seed + i`; in explore mode, later runs avoid what earlier ones took."""
    if runs < 1 or max_choices < 1:
        raise ValueError("the number of runs and the choice limit must be at least 1")
    if mode not in MODES:
        raise ValueError(f"unknown mode '{mode}'; the modes are {', '.join(MODES)}")
    report = AutoplayReport()
    guide = _Guide(engine.story) if mode == "explore" else None
    for seed in range(first_seed, first_seed + runs):
        report.runs += 1
        record = Playthrough(seed, "", [])
        try:
            _play_one(engine, record, max_choices, report, guide)
        except Exception as error:  # a crash is a finding to report, never a reason to stop
            record.error = f"{type(error).__name__}: {error}"
            report.crashed.append(record)
    return report


class _Guide:
    """What the batch has done so far: the choices taken, and the endings not reached yet."""

    def __init__(self, story: Story) -> None:
        self.taken: Counter[tuple[str, str]] = Counter()
        self.unreached = set(story.endings)
        self.ends_ahead = _endings_ahead(story)
        self.story = story

    def pick(self, state: GameState, choices: tuple[Choice, ...], rng: random.Random, seek_clues: bool) -> int:
        """Towards an ending not reached yet; then (in every other run) towards a clue or a word the run
        does not hold, since a mystery's deepest endings need evidence; then the choice this batch has
        taken least."""
        scene = state.scene

        def leads_on(choice: Choice) -> bool:
            ends = {choice.ending} if choice.ending else self.ends_ahead.get(choice.goto or "", set())
            return not self.unreached.isdisjoint(ends)

        def finds_a_clue(choice: Choice) -> bool:
            target = self.story.scenes.get(choice.goto or "")
            entered = target.on_enter if target is not None else ()
            return any(
                e.name not in (state.clues if e.kind == "gain" else state.words)
                for e in (*choice.effects, *entered)
                if e.kind in ("gain", "learn")
            )

        scores = [
            (not leads_on(choice), seek_clues and not finds_a_clue(choice), self.taken[scene, choice.key])
            for choice in choices
        ]
        best = min(scores)
        number = rng.choice([i for i, score in enumerate(scores) if score == best])
        self.taken[scene, choices[number].key] += 1
        return number

    def given(self, story: Story, state: GameState, choice: Choice, careful: bool = False) -> tuple[str, ...]:
        """What to submit with a deduction or an evidence question: each kind of outcome in turn (right
        first), those that lead towards an ending not reached yet before the others; a careful run (one
        that seeks evidence) submits the best it can, as a player who gathered a case would."""
        kinds = list(representative_givens(story, state, choice))
        if not kinds:
            return ()
        if careful:
            return min(kinds, key=lambda given: _how_wrong(story, choice, given))

        def leads_on(given: tuple[str, ...]) -> bool:
            if choice.present is None:
                return True  # a deduction's outcomes all follow the choice; the scenes after branch on it
            _, result = outcome(choice.present, given[0])
            goto, ending = result.goto or choice.goto, result.ending or choice.ending
            ends = {ending} if ending else self.ends_ahead.get(goto or "", set())
            return not self.unreached.isdisjoint(ends)

        scores = [
            (not leads_on(given), self.taken[state.scene, f"{choice.key}#{i}"], i) for i, given in enumerate(kinds)
        ]
        best = min(scores)[2]
        self.taken[state.scene, f"{choice.key}#{best}"] += 1
        return kinds[best]


def _how_wrong(story: Story, choice: Choice, given: tuple[str, ...]) -> int:
    """0 for a right submission, more the more wrong it is."""
    if choice.deduce is not None:
        return wrong_count(story.deductions[choice.deduce], given)
    if choice.present is not None:
        return (RIGHT, PARTLY, WRONG).index(outcome(choice.present, given[0])[0])
    return 0


def _endings_ahead(story: Story) -> dict[str, set[str]]:
    """For each scene, the endings some path of choices leads to from there (conditions aside)."""
    callers = callers_of(story)
    ahead: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for scene in story.scenes.values():
        for choice in scene.choices:
            ahead[scene.id].update(choice_endings(choice))
    for ending in story.endings:  # backwards from the scenes that end the story this way
        queue = deque(sid for sid, ends in ahead.items() if ending in ends)
        while queue:
            for caller in callers[queue.popleft()]:
                if ending not in ahead[caller]:
                    ahead[caller].add(ending)
                    queue.append(caller)
    return ahead


def _play_one(
    engine: Engine, record: Playthrough, max_choices: int, report: AutoplayReport, guide: _Guide | None
) -> None:
    rng = random.Random(record.seed)
    state = engine.new_game(record.seed)
    record.scene = state.scene
    report.scene_visits[state.scene] += 1
    for _ in range(max_choices):
        choices = engine.choices(state)
        if not choices:
            report.stuck.append(record)
            return
        number = rng.randrange(len(choices)) if guide is None else guide.pick(state, choices, rng, record.seed % 2 == 0)
        record.choices.append(number + 1)
        choice = choices[number]
        given = (
            random_given(engine.story, state, choice, rng)
            if guide is None
            else guide.given(engine.story, state, choice, careful=record.seed % 2 == 0)
        )
        step = engine.choose(state, choice, given)
        state = step.state
        report.total_choices += 1
        if step.ending is not None:
            report.endings[step.ending.id] += 1
            if guide is not None:
                guide.unreached.discard(step.ending.id)
            return
        record.scene = state.scene
        report.scene_visits[state.scene] += 1
    report.too_long.append(record)


def _share(count: int, runs: int) -> str:
    return f"{count:,} ({100 * count / runs if runs else 0:.1f}%)"


def replay_hint(record: Playthrough, story_dir: str) -> str:
    """The shell line that plays this run again in plain mode, choice by choice."""
    keys = "\\n".join(str(number) for number in record.choices)
    return f"printf '{keys}\\n' | archer --plain --story {story_dir}"


def format_report(report: AutoplayReport, engine: Engine, story_dir: str = "story") -> str:
    lines = [f"{report.runs:,} playthroughs, {report.average_length:.1f} choices on average"]
    lines.append("Endings:")
    for ending in engine.story.endings:
        lines.append(f"  {ending}: {_share(report.endings.get(ending, 0), report.runs)}")
    lines.append(f"Stuck: {_share(len(report.stuck), report.runs)}")
    lines.append(f"Too long: {_share(len(report.too_long), report.runs)}")
    if report.crashed:
        lines.append(f"Crashed: {_share(len(report.crashed), report.runs)}")
    unvisited = report.unvisited(engine)
    covered = len(engine.story.scenes) - len(unvisited)
    lines.append(f"Scenes visited: {covered} of {len(engine.story.scenes)}")
    if unvisited:
        lines.append("  never visited: " + ", ".join(unvisited))
    for kind, records in (("STUCK", report.stuck), ("TOO LONG", report.too_long), ("CRASHED", report.crashed)):
        for record in records[:5]:
            what = {
                "STUCK": f"ends in scene '{record.scene}' with no choice",
                "TOO LONG": f"made no ending within {len(record.choices):,} choices (last in scene '{record.scene}')",
                "CRASHED": f"in scene '{record.scene}': {record.error}",
            }[kind]
            lines.append(f"{kind}: seed {record.seed} {what}")
            lines.append(f"  choices: {' '.join(map(str, record.choices)) or '(none)'}")
            lines.append(f"  replay: {replay_hint(record, story_dir)}")
        if len(records) > 5:
            lines.append(f"  ... and {len(records) - 5:,} more {kind.lower()} runs")
    return "\n".join(lines)


def report_json(report: AutoplayReport, engine: Engine, story_dir: str = "story") -> dict[str, Any]:
    """The report as plain data for scripts and CI."""

    def runs(records: list[Playthrough]) -> list[dict[str, Any]]:
        return [
            {
                "seed": r.seed,
                "scene": r.scene,
                "choices": r.choices,
                "replay": replay_hint(r, story_dir),
                **({"error": r.error} if r.error else {}),
            }
            for r in records
        ]

    return {
        "runs": report.runs,
        "average_choices": round(report.average_length, 2),
        "endings": {ending: report.endings.get(ending, 0) for ending in engine.story.endings},
        "stuck": runs(report.stuck),
        "too_long": runs(report.too_long),
        "crashed": runs(report.crashed),
        "scenes_visited": len(engine.story.scenes) - len(report.unvisited(engine)),
        "scenes": len(engine.story.scenes),
        "never_visited": report.unvisited(engine),
    }
