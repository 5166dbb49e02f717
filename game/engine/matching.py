"""Find a saved choice again after its author has polished the story.

A save is a log of choices, each named by its key (its text, unless it has an
`id:`). Authors reword, fix punctuation and reorder choices all the time, so a
logged choice is matched in three steps, each tried only when the one before
finds nothing:

1. the same key (nothing changed, or the choice has a stable `id:`);
2. the only offered choice that leads where the logged one led (its target);
3. the offered choice whose words are closest to the logged ones, if close enough,
   preferring those with the same target.

`confusable_choices` is the other half: it warns an author when two choices of
a scene are so alike (same target, nearly the same words) that step 3 could take
one for the other.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING

from game.story.findings import Finding

if TYPE_CHECKING:
    from game.engine.state import LoggedChoice
    from game.story.model import Choice, Story

SIMILAR = 0.6  # words at least this alike still name the same choice
CONFUSABLE = 0.85  # two choices of a scene this alike, to one place, could be mistaken for each other
_NOT_WORDS = re.compile(r"[\W_]+")


def target_of(choice: Choice) -> str:
    """Where a choice leads: a scene id, or 'ending:' and an ending id (ids have no colons)."""
    return choice.goto if choice.goto is not None else f"ending:{choice.ending}"


def likeness(a: str, b: str) -> float:
    """How alike two choice texts are, from 0 to 1, ignoring case and punctuation."""
    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def _words(text: str) -> str:
    return _NOT_WORDS.sub(" ", text.casefold()).strip()


def match_choice(offered: Sequence[Choice], logged: LoggedChoice) -> Choice | None:
    """The offered choice that a logged one was, or None when none is a safe match."""
    for choice in offered:
        if choice.key == logged.choice:
            return choice
    target = logged.target  # "" in logs written before targets were kept
    same_target = [c for c in offered if target and target_of(c) == target]
    if len(same_target) == 1:
        return same_target[0]
    pool = same_target or offered
    scored = [(likeness(c.text, logged.text), -index, c) for index, c in enumerate(pool)]
    if not scored:
        return None
    best, _, choice = max(scored, key=lambda s: (s[0], s[1]))
    return choice if best >= SIMILAR else None


def confusable_choices(story: Story) -> list[Finding]:
    """Warnings for pairs of choices in one scene that a reworded save could mistake for each other."""
    found = []
    for scene in story.scenes.values():
        for first, second in combinations(scene.choices, 2):
            if first.key != first.text and second.key != second.text:
                continue  # both have stable ids: a save names them exactly
            if target_of(first) == target_of(second) and likeness(first.text, second.text) >= CONFUSABLE:
                where = second.where
                found.append(
                    Finding(
                        where.file,
                        where.line,
                        f"the choices '{first.text}' (line {first.where.line}) and '{second.text}' of scene "
                        f"'{scene.id}' lead to the same place in nearly the same words: after a rewording a save "
                        "could take one for the other; reword one or give each an 'id'",
                        "warning",
                    )
                )
    return found
