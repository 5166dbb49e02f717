"""Find a way through a story with the engine alone, so tests survive edits to its text.

A route is given as waypoints (scene ids to pass through, in order) and an
ending; between waypoints the shortest path is found by breadth-first search
over the engine's own states. The pilot tests then press the number the engine
gives each choice, so no test hard-codes a number or a line of the story.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from functools import partial

from game.engine.engine import Engine
from game.engine.state import GameState
from game.story.model import Choice

MAX_STATES = 50_000


def _key(state: GameState) -> str:
    data = state.to_json()
    del data["log"]
    return json.dumps(data, sort_keys=True)


def shortest_path(engine: Engine, start: GameState, goal: Callable[[GameState, Choice], bool]) -> list[str]:
    """The keys of the fewest choices from `start` to one satisfying `goal` (checked on the choice and the state after)."""
    queue: deque[tuple[GameState, list[str]]] = deque([(start, [])])
    seen = {_key(start)}
    while queue:
        state, path = queue.popleft()
        for choice in engine.choices(state):
            after = engine.choose(state, choice).state
            if goal(after, choice):
                return [*path, choice.key]
            key = _key(after)
            if after.ending is None and key not in seen:
                seen.add(key)
                queue.append((after, [*path, choice.key]))
        if len(seen) > MAX_STATES:
            break
    raise AssertionError(f"no way found from scene {start.scene!r}; has the story changed?")


def plan(engine: Engine, waypoints: list[str], goal: Callable[[GameState, Choice], bool], seed: int = 0) -> list[str]:
    """Choice keys from a new game through every waypoint scene, in order, to a choice meeting `goal`."""
    state = engine.new_game(seed)
    keys: list[str] = []
    for waypoint in waypoints:
        segment = shortest_path(engine, state, partial(_reaches, waypoint))
        for key in segment:
            choice = engine.find_choice(state, key)
            assert choice is not None
            state = engine.choose(state, choice).state
        keys += segment
    keys += shortest_path(engine, state, goal)
    return keys


def _reaches(scene: str, after: GameState, _choice: object) -> bool:
    return after.scene == scene and after.ending is None
