"""`archer check`: everything wrong with a story, for an author or a CI job.

Errors come from the loader (a story that cannot be played). The warnings here
read the whole story's graph: things that are legal but almost surely mistakes.
The exhaustive soft-lock proof lives with the engine (`game.engine.explore`),
because it has to play the story.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from itertools import chain, compress
from operator import attrgetter
from pathlib import Path

from game.story.deductions import choice_endings, choice_targets, clues_asked_for, story_effects
from game.story.findings import Finding
from game.story.loader import read_story
from game.story.model import NARRATOR, VOICEOVER, Scene, Story, Where

SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def check_story(root: Path, *, use_cache: bool = False) -> tuple[Story | None, list[Finding]]:
    """The story (None when it could not be read at all) and every finding, errors first.

    With `use_cache`, unchanged files are not read again (see `read_story`): `archer check` uses it.
    """
    story, findings = read_story(root, use_cache=use_cache)
    if story is not None and not any(f.severity == "error" for f in findings):
        from game.story.schema import stale_schema_warnings

        findings = findings + story_warnings(story) + stale_schema_warnings(story)
    return story, sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.file, f.line, f.message))


def _warn(where: Where, message: str) -> Finding:
    return Finding(where.file, where.line, message, "warning")


def story_warnings(story: Story) -> list[Finding]:
    """Legal but suspicious: unreachable scenes and endings, unused clues, silent characters, dead ends."""
    found: list[Finding] = []
    reached = reachable_scenes(story)
    everywhere = len(reached) == len(story.scenes) and all(map(attrgetter("choices"), story.scenes.values()))
    for scene in () if everywhere else story.scenes.values():  # (in C, when every scene is reached and has choices)
        if scene.id not in reached:
            found.append(
                _warn(scene.where, f"scene '{scene.id}' cannot be reached from the start scene '{story.start}'")
            )
        if not scene.choices:
            found.append(
                _warn(scene.where, f"scene '{scene.id}' has no choices and is not an ending: a player there is stuck")
            )
    choices = list(chain.from_iterable(map(attrgetter("choices"), story.scenes.values())))  # (in C passes:
    lines = list(chain.from_iterable(map(attrgetter("lines"), story.scenes.values())))  # a big story has 10,000s)
    led_to = endings_led_to(story)
    for ending in story.endings.values():
        if ending.id not in led_to:
            found.append(_warn(ending.where, f"ending '{ending.id}' is never reached: no reachable choice leads to it"))
    given = {e.name for e in story_effects(story, story.scenes.values()) if e.kind == "gain"}
    conditions = chain(
        (t.guard for t in story.transitions if t.guard is not None),
        filter(None, map(attrgetter("condition"), chain(lines, choices))),  # story.conditions(), at once
    )
    used = set().union(*dict.fromkeys(map(attrgetter("clues"), conditions))) | clues_asked_for(story)
    for clue in story.clues.values():
        if clue.id not in given:
            found.append(_warn(clue.where, f"clue '{clue.id}' is never given: no 'gain: {clue.id}' anywhere"))
        elif clue.id not in used:
            found.append(_warn(clue.where, f"clue '{clue.id}' is never used: no condition asks has({clue.id})"))
    speakers = set(map(attrgetter("speaker"), lines))
    speakers.discard(NARRATOR)
    if VOICEOVER in speakers and story.voiceover:
        speakers.add(story.voiceover)
    for character in story.characters.values():
        if character.id not in speakers:
            found.append(_warn(character.where, f"character '{character.id}' never speaks"))
    return found


def reachable_scenes(story: Story) -> frozenset[str]:
    """Scenes some path of choices reaches from the start, ignoring conditions (a quick over-estimate).

    Worked out once per story: `archer check` asks for its warnings and again for its proof's findings."""
    global _reached
    if _reached is not None and _reached[0] is story:
        return _reached[1]
    scenes = story.scenes
    seen = {story.start} if story.start in scenes else set()
    queue = deque(seen)
    while queue:
        for choice in scenes[queue.popleft()].choices:
            if choice.present is None:  # (the usual case, spared choice_targets' generator)
                goto = choice.goto
                if goto is not None and goto not in seen and goto in scenes:
                    seen.add(goto)
                    queue.append(goto)
                continue
            for goto in choice_targets(choice):
                if goto not in seen and goto in scenes:
                    seen.add(goto)
                    queue.append(goto)
    _reached = (story, frozenset(seen))
    return _reached[1]


_reached: tuple[Story, frozenset[str]] | None = None  # the last story asked about (held, so its id stays its own)


def endings_led_to(story: Story) -> frozenset[str]:
    """The endings some choice (or an answer to its question) in a reachable scene leads to.

    Worked out once per story, like reachable_scenes: for the warnings, and for the proof's findings."""
    global _led_to
    if _led_to is not None and _led_to[0] is story:
        return _led_to[1]
    reached = reachable_scenes(story)
    scenes: Iterable[Scene] = story.scenes.values()
    if len(reached) < len(story.scenes):
        scenes = [s for s in story.scenes.values() if s.id in reached]
    choices = list(chain.from_iterable(map(attrgetter("choices"), scenes)))
    found = set(map(attrgetter("ending"), choices))  # then each question's outcomes' (few choices ask one):
    found.update(*map(choice_endings, compress(choices, map(attrgetter("present"), choices))))
    found.discard(None)
    _led_to = (story, frozenset(found))
    return _led_to[1]


_led_to: tuple[Story, frozenset[str]] | None = None
