"""The mutable part of a run, as plain data that round-trips through JSON.

Kept apart from the story (as ink keeps StoryState apart from Story) so that a
save is just this data, and a story edit never has to unpickle anything.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, overload

from immutables import Map

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
    given: tuple[str, ...] = ()  # a deduction's fills in blank order, or the item presented


@dataclass(slots=True)  # not frozen: four times cheaper to make, and nothing changes one
class _Link:
    """One entry of a choice log and the log before it: shared, never changed."""

    before: _Link | None
    entry: LoggedChoice
    length: int


class ChoiceLog:
    """The choices of a run, oldest first, as an append-only chain that copies share.

    Every state of a run keeps its log, and undo keeps every state: copying a list
    each step made a run of n choices cost n² memory. Here a copy is one pointer,
    appending adds one link, and the last entry (all a step needs) is at hand.
    """

    __slots__ = ("_tip",)

    def __init__(self, entries: Iterable[LoggedChoice] = ()) -> None:
        self._tip: _Link | None = None
        for entry in entries:
            self.append(entry)

    def append(self, entry: LoggedChoice) -> None:
        self._tip = _Link(self._tip, entry, len(self) + 1)

    def appended(self, entry: LoggedChoice) -> ChoiceLog:
        """A new log: this one and `entry` (this one is left as it is, and shared)."""
        tip = self._tip
        twin = ChoiceLog.__new__(ChoiceLog)
        twin._tip = _Link(tip, entry, 1 if tip is None else tip.length + 1)
        return twin

    def clear(self) -> None:
        self._tip = None

    def copy(self) -> ChoiceLog:
        twin = ChoiceLog()
        twin._tip = self._tip
        return twin

    def __len__(self) -> int:
        return 0 if self._tip is None else self._tip.length

    def __iter__(self) -> Iterator[LoggedChoice]:
        entries: list[LoggedChoice] = []
        link = self._tip
        while link is not None:
            entries.append(link.entry)
            link = link.before
        return reversed(entries)

    @overload
    def __getitem__(self, index: int) -> LoggedChoice: ...
    @overload
    def __getitem__(self, index: slice) -> list[LoggedChoice]: ...
    def __getitem__(self, index: int | slice) -> LoggedChoice | list[LoggedChoice]:
        if isinstance(index, slice):
            return list(self)[index]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError("choice log index out of range")
        link = self._tip
        while link is not None and link.length > position + 1:
            link = link.before
        assert link is not None
        return link.entry

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChoiceLog):
            return self._tip is other._tip or (len(self) == len(other) and list(self) == list(other))
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like the list it replaces

    def __repr__(self) -> str:
        return f"ChoiceLog({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Submitted:
    """A deduction's last submission: what filled each blank, how many were wrong, and how many tries so far."""

    fills: tuple[str, ...]
    wrong: int
    attempts: int


@dataclass(slots=True)
class GameState:
    """Where a run is and what it has done.

    States are values: the engine makes a new one for each choice and never changes
    one it has handed out. The new state shares with the one before it whatever the
    choice left alone (the log up to here, every set and dict no effect touched; see
    `successor`), so keeping every state of a run for undo costs only what changed.
    Change a state you were given only after `copy()`.
    """

    scene: str
    beat: str
    seed: int = 0
    flags: set[str] = field(default_factory=set)
    counters: dict[str, int] = field(default_factory=dict)
    clues: dict[str, str] = field(default_factory=dict)  # clue id -> scene where found, in order found
    visits: Map[str, int] = field(default_factory=Map)  # persistent: every step adds one, in O(log n)
    once_taken: set[str] = field(default_factory=set)  # "scene/choice key"
    log: ChoiceLog = field(default_factory=ChoiceLog)
    ending: str | None = None
    deductions: dict[str, Submitted] = field(default_factory=dict)  # deduction id -> its last submission
    presented: dict[str, str] = field(default_factory=dict)  # "scene/choice key" -> the item last presented
    words: set[str] = field(default_factory=set)  # the words learned (`learn:`), which blanks may then offer

    def copy(self) -> GameState:
        """A copy whose containers can be changed freely; the log is shared up to here, not copied.

        Field by field, so a field added later (a set, a dict, a value) is copied too.
        """
        return GameState(**{name: _copied(getattr(self, name)) for name in self.__dataclass_fields__})

    def successor(self, entry: LoggedChoice) -> GameState:
        """The state a choice starts from: the log one entry longer, every other field shared with this one.

        Whoever changes a set or dict of it first gives it a copy of its own (`own`),
        so the cost of a step is what the step changes, never the length of the run.
        """
        twin = GameState(*_FIELD_VALUES(self))
        twin.log = self.log.appended(entry)
        return twin

    def own(self, name: str) -> None:
        """Give this state its own copy of the container `name`, before changing it in place."""
        setattr(self, name, getattr(self, name).copy())

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
            "words": sorted(self.words),
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
                visits=Map({_typed(k, str): _typed(v, int) for k, v in _typed(data["visits"], dict).items()}),
                once_taken={_typed(t, str) for t in _typed(data["once_taken"], list)},
                log=ChoiceLog(
                    LoggedChoice(
                        _typed(e["scene"], str),
                        _typed(e["choice"], str),
                        _typed(e["text"], str),
                        _typed(_typed(e, dict).get("target", ""), str),
                        tuple(_typed(g, str) for g in _typed(e.get("given", []), list)),
                    )
                    for e in _typed(data["log"], list)
                ),
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
                words={_typed(w, str) for w in _typed(data.get("words", []), list)},
            )
        except KeyError as missing:
            raise ValueError(f"the game state has no {missing}") from None
        except TypeError as wrong:
            raise ValueError(f"the game state has a wrong value: {wrong}") from None
        return state


_FIELD_VALUES = operator.attrgetter(*GameState.__dataclass_fields__)  # in the order GameState() takes them


def _copied(value: Any) -> Any:
    """A container of a state, copied one level deep (its items are immutable)."""
    if isinstance(value, (set, dict, ChoiceLog)):
        return value.copy()
    return value


def _logged_json(entry: LoggedChoice) -> dict[str, Any]:
    """A log entry as JSON; `given` only when there is one, so older readers see the same shape."""
    found: dict[str, Any] = {"scene": entry.scene, "choice": entry.choice, "text": entry.text, "target": entry.target}
    if entry.given:
        found["given"] = list(entry.given)
    return found


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}, got {value!r}")
    return value
