"""The mutable part of a run, as plain data that round-trips through JSON.

Kept apart from the story (as ink keeps StoryState apart from Story) so that a
save is just this data, and a story edit never has to unpickle anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class LoggedChoice:
    """One choice taken: where, which (its key), and the words the player saw."""

    scene: str
    choice: str
    text: str
    # Where it led (see matching.target_of), to find it again after a rewording; "" in older saves,
    # which are otherwise the same choice (so a same-story resume still rebuilds its undo history).
    target: str = field(default="", compare=False)


@dataclass(slots=True)
class GameState:
    scene: str
    beat: str
    seed: int = 0
    flags: set[str] = field(default_factory=set)
    counters: dict[str, int] = field(default_factory=dict)
    clues: dict[str, str] = field(default_factory=dict)  # clue id -> scene where found, in order found
    visits: dict[str, int] = field(default_factory=dict)
    once_taken: set[str] = field(default_factory=set)  # "scene/choice key"
    log: list[LoggedChoice] = field(default_factory=list)
    ending: str | None = None

    def copy(self) -> GameState:
        """A copy whose containers can be changed freely (log entries are immutable)."""
        return GameState(
            scene=self.scene,
            beat=self.beat,
            seed=self.seed,
            flags=set(self.flags),
            counters=dict(self.counters),
            clues=dict(self.clues),
            visits=dict(self.visits),
            once_taken=set(self.once_taken),
            log=list(self.log),
            ending=self.ending,
        )

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data; sets become sorted lists so equal states give equal JSON."""
        return {
            "version": STATE_VERSION,
            "scene": self.scene,
            "beat": self.beat,
            "seed": self.seed,
            "flags": sorted(self.flags),
            "counters": dict(sorted(self.counters.items())),
            "clues": dict(self.clues),
            "visits": dict(sorted(self.visits.items())),
            "once_taken": sorted(self.once_taken),
            "log": [{"scene": e.scene, "choice": e.choice, "text": e.text, "target": e.target} for e in self.log],
            "ending": self.ending,
        }

    @classmethod
    def from_json(cls, data: Any) -> GameState:
        """Rebuild a state; raise ValueError with a plain reason when the data is not one."""
        if not isinstance(data, dict):
            raise ValueError("the game state is not a JSON object")
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unknown game state version {data.get('version')!r}")
        try:
            state = cls(
                scene=_typed(data["scene"], str),
                beat=_typed(data["beat"], str),
                seed=_typed(data["seed"], int),
                flags={_typed(f, str) for f in _typed(data["flags"], list)},
                counters={_typed(k, str): _typed(v, int) for k, v in _typed(data["counters"], dict).items()},
                clues={_typed(k, str): _typed(v, str) for k, v in _typed(data["clues"], dict).items()},
                visits={_typed(k, str): _typed(v, int) for k, v in _typed(data["visits"], dict).items()},
                once_taken={_typed(t, str) for t in _typed(data["once_taken"], list)},
                log=[
                    LoggedChoice(
                        _typed(e["scene"], str),
                        _typed(e["choice"], str),
                        _typed(e["text"], str),
                        _typed(e.get("target", ""), str),
                    )
                    for e in _typed(data["log"], list)
                ],
                ending=None if data["ending"] is None else _typed(data["ending"], str),
            )
        except KeyError as missing:
            raise ValueError(f"the game state has no {missing}") from None
        except TypeError as wrong:
            raise ValueError(f"the game state has a wrong value: {wrong}") from None
        return state


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}, got {value!r}")
    return value
