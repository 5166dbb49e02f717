"""The story as the engine sees it: typed, frozen, and knowing where it came from.

Every object knows `where` it is written (file and line) so that any later check
can point an author at the exact place in their YAML.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import starmap
from pathlib import Path
from typing import Any, TypeVar

from game.story.conditions import Condition, Effect

_Class = TypeVar("_Class", bound=type)


def quick_pickle(cls: _Class) -> _Class:
    """Pickle as (class, field values): several times faster than the default for slotted
    dataclasses, which is what makes the compiled story cache quick to read."""
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))

    def reduce(self: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        found = values(self)
        return cls, found if isinstance(found, tuple) else (found,)

    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls


NARRATOR = "narrator"
VOICEOVER = "voiceover"
SUSPECT_ASPECTS = ("motive", "means", "opportunity", "alibi")


@quick_pickle
@dataclass(frozen=True, slots=True)
class Where:
    """A place in a story file, printed the way editors and compilers do."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Located:
    """Something written at a place in a story file: `at` is that place as text, `where` as a Where.

    The place is kept as one plain string, "file:line", and made a Where only when
    asked for (an error message, a warning): a big story has a hundred thousand
    located objects, and a plain string is the cheapest thing to build, to pickle
    and to read back, and one the garbage collector never has to visit.
    """

    __slots__ = ()
    at: str

    @property
    def where(self) -> Where:
        file, _, line = self.at.rpartition(":")
        return Where(file, int(line))


@quick_pickle
@dataclass(frozen=True, slots=True)
class Character(Located):
    id: str
    name: str
    color: str
    description: str
    suspect: bool
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Clue(Located):
    id: str
    name: str
    description: str
    bears_on: Mapping[str, str]  # suspect id -> one of SUSPECT_ASPECTS
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Ending(Located):
    id: str
    title: str
    text: str
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Beat(Located):
    """One state of the season's spine, with the card shown when it begins."""

    name: str
    title: str
    card: str
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class BeatTransition(Located):
    trigger: str
    source: str
    dest: str
    guard: Condition | None
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Line(Located):
    """A line of a scene: `speaker` is NARRATOR, VOICEOVER or a character id."""

    speaker: str
    text: str
    condition: Condition | None
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Choice(Located):
    """An option offered to the player; `key` names it in saves and logs."""

    key: str
    text: str
    goto: str | None
    ending: str | None
    condition: Condition | None
    once: bool
    effects: tuple[Effect, ...]
    trigger: str | None
    at: str
    deduce: str | None = None  # the deduction this choice submits (see Deduction)
    present: Presentation | None = None  # the evidence question this choice asks


GATHERED = ("suspects", "characters", "clues")  # what a blank or a question can draw on, besides a list


@quick_pickle
@dataclass(frozen=True, slots=True)
class Blank(Located):
    """One slot of a deduction: where its options come from, and the answers accepted."""

    name: str
    source: str  # one of GATHERED, or "list" for the explicit `options`
    options: tuple[str, ...]
    answers: frozenset[str]
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Word(Located):
    """A word or fact a blank may offer once a scene has taught it (`learn:`): the text shown for it."""

    id: str
    text: str
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Deduction(Located):
    """A statement with blanks the player fills from what they gathered; feedback never says which are wrong."""

    id: str
    title: str
    statement: str  # with {blank} slots
    blanks: tuple[Blank, ...]
    hint_when_wrong_at_most: int
    on_solved: tuple[Effect, ...]
    on_wrong: tuple[Effect, ...]
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Outcome(Located):
    """Where presenting an item leads: the items it takes, its effects, and its target (else the choice's)."""

    accepts: frozenset[str]
    effects: tuple[Effect, ...]
    goto: str | None
    ending: str | None
    at: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class Presentation(Located):
    """A question the player answers by presenting one item they hold: right, partly right or wrong."""

    question: str
    source: str  # one of GATHERED, or "list"
    options: tuple[str, ...]
    right: Outcome
    partly: Outcome
    wrong: Outcome
    at: str


@dataclass(frozen=True, slots=True)
class Scene(Located):
    id: str
    beat: str
    title: str
    place: str
    lines: tuple[Line, ...]
    on_enter: tuple[Effect, ...]
    choices: tuple[Choice, ...]
    at: str

    def __reduce__(self) -> tuple[Callable[..., Scene], tuple[Any, ...]]:
        """Pickle as one flat tuple: its lines and choices as plain tuples of their fields.

        Pickle writes and reads plain tuples in C, where a Line or Choice object
        would each cost a Python call both ways; this is most of what makes the
        story cache quick to write and to read.
        """
        return revive_scene, (
            self.id,
            self.beat,
            self.title,
            self.place,
            tuple(map(_LINE_FIELDS, self.lines)),
            self.on_enter,
            tuple(map(_CHOICE_FIELDS, self.choices)),
            self.at,
        )


_LINE_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Line)))
_CHOICE_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Choice)))


def revive_scene(
    id: str,
    beat: str,
    title: str,
    place: str,
    lines: tuple[tuple[Any, ...], ...],
    on_enter: tuple[Effect, ...],
    choices: tuple[tuple[Any, ...], ...],
    at: str,
) -> Scene:
    """A scene read back from the cache (see Scene.__reduce__); it was checked when first loaded."""
    return Scene(id, beat, title, place, tuple(starmap(Line, lines)), on_enter, tuple(starmap(Choice, choices)), at)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Story:
    """A whole story, checked and cross-referenced: safe for the engine to trust."""

    id: str
    title: str
    subtitle: str
    start: str
    voiceover: str | None
    content_note: str
    initial_beat: str
    beats: Mapping[str, Beat]
    transitions: tuple[BeatTransition, ...]
    endings: Mapping[str, Ending]
    characters: Mapping[str, Character]
    clues: Mapping[str, Clue]
    scenes: Mapping[str, Scene]
    root: Path
    digest: str = field(default="")
    deductions: Mapping[str, Deduction] = field(default_factory=dict)
    words: Mapping[str, Word] = field(default_factory=dict)

    def speaker_name(self, speaker: str) -> str:
        """The name shown for a line's speaker ('' for plain narration)."""
        if speaker == NARRATOR:
            return ""
        if speaker == VOICEOVER:
            speaker = self.voiceover or ""
        character = self.characters.get(speaker)
        return character.name if character else speaker

    def with_root(self, root: Path) -> Story:
        return dataclasses.replace(self, root=root)

    def conditions(self, *, lines: bool = True) -> Iterator[Condition]:
        """Every condition of the story: beat guards, choices' and (unless `lines=False`) lines'."""
        for transition in self.transitions:
            if transition.guard is not None:
                yield transition.guard
        for scene in self.scenes.values():
            if lines:
                yield from (line.condition for line in scene.lines if line.condition is not None)
            yield from (choice.condition for choice in scene.choices if choice.condition is not None)

    def label(self, item: str) -> str:
        """How an item a blank or a question offers is shown: a clue's or character's name, a word's text."""
        if item in self.clues:
            return self.clues[item].name
        if item in self.characters:
            return self.characters[item].name
        word = self.words.get(item)
        return word.text if word is not None else item.replace("_", " ")

    @property
    def suspects(self) -> tuple[Character, ...]:
        return tuple(c for c in self.characters.values() if c.suspect)
