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
    given: tuple[str, ...] = ()  # a deduction's fills in blank order, or the item presented


@dataclass(frozen=True, slots=True)
class Submitted:
    """A deduction's last submission: what filled each blank, how many were wrong, and how many tries so far."""

    fills: tuple[str, ...]
    wrong: int
    attempts: int


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
    deductions: dict[str, Submitted] = field(default_factory=dict)  # deduction id -> its last submission
    presented: dict[str, str] = field(default_factory=dict)  # "scene/choice key" -> the item last presented

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
            deductions=dict(self.deductions),
            presented=dict(self.presented),
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
            "log": [_logged_json(e) for e in self.log],
            "ending": self.ending,
            "deductions": {
                k: {"fills": list(v.fills), "wrong": v.wrong, "attempts": v.attempts}
                for k, v in sorted(self.deductions.items())
            },
            "presented": dict(sorted(self.presented.items())),
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
                        tuple(_typed(g, str) for g in _typed(e.get("given", []), list)),
                    )
                    for e in _typed(data["log"], list)
                ],
                ending=None if data["ending"] is None else _typed(data["ending"], str),
                deductions={
                    _typed(k, str): Submitted(
                        tuple(_typed(f, str) for f in _typed(v["fills"], list)),
                        _typed(v["wrong"], int),
                        _typed(v["attempts"], int),
                    )
                    for k, v in _typed(data.get("deductions", {}), dict).items()
                },
                presented={_typed(k, str): _typed(v, str) for k, v in _typed(data.get("presented", {}), dict).items()},
            )
        except KeyError as missing:
            raise ValueError(f"the game state has no {missing}") from None
        except TypeError as wrong:
            raise ValueError(f"the game state has a wrong value: {wrong}") from None
        return state


def _logged_json(entry: LoggedChoice) -> dict[str, Any]:
    """A log entry as JSON; `given` only when there is one, so older readers see the same shape."""
    found: dict[str, Any] = {"scene": entry.scene, "choice": entry.choice, "text": entry.text}
    if entry.given:
        found["given"] = list(entry.given)
    return found


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}, got {value!r}")
    return value
