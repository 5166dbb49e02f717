"""References: every id a story uses names something it defines, and beats change where they must.

These checks need the whole story, so they run after every file has been read
(`Reader` collects the ids as it goes); the shapes of the files are `shapes`' concern.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from game.story.conditions import Effect
from game.story.deductions import cross_check
from game.story.findings import Finding, suggest
from game.story.located import YMap
from game.story.model import Story, Where

if TYPE_CHECKING:
    from game.story.reader import Reader

_NOUNS = {"goto": "scene", "speaker": "character"}  # what a reference names, in messages


class CrossCheck:
    """Checks that need the whole story: every id used is an id defined."""

    def __init__(self, reader: Reader, story: Story, header: str, data: YMap, info: Mapping[str, Any]) -> None:
        self.reader = reader
        self.story = story
        self.header = header  # story.yaml's name in messages
        self.data = data  # and its mapping, for the lines of its fields
        self.info = info
        self.tables: dict[str, Mapping[str, object]] = {
            "scene": story.scenes,
            "goto": story.scenes,
            "ending": story.endings,
            "speaker": story.characters,
            "clue": story.clues,
            "word": story.words,
            "beat": story.beats,
            "trigger": {t.trigger: t for t in story.transitions},
        }

    def run(self) -> None:
        story, reader, header = self.story, self.reader, self.header
        line_of: Callable[[str], int] = self.data.line_of
        if "start" in self.info:
            self.known(Where(header, line_of("start")), "scene", story.start)
            first = story.scenes.get(story.start)
            if first is not None and story.initial_beat in story.beats and first.beat != story.initial_beat:
                reader.error(
                    Where(header, line_of("start")),
                    f"the start scene '{first.id}' is in beat '{first.beat}', but the story begins in beat "
                    f"'{story.initial_beat}'; start in a scene of the first beat",
                )
        if story.voiceover is not None:
            self.known(Where(header, line_of("voiceover")), "speaker", story.voiceover)
        if "beats" in self.info and not story.initial_beat:
            reader.error(Where(header, line_of("beats")), "beats is missing 'initial' (the first beat)")
        tables = self.tables
        for file, line, kind, name in reader.pending_refs:
            if name not in tables[kind]:
                self.known(Where(file, line), kind, name)
        flags_set: set[str] = set()
        counters_set: set[str] = set()
        for effect in self._distinct_effects():
            if effect.kind == "add":
                counters_set.add(effect.name)
            elif effect.kind in ("set", "clear"):
                flags_set.add(effect.name)
        for file, line, condition in reader.conditions:
            if (
                condition.flags <= flags_set
                and condition.counters <= counters_set
                and not condition.clues
                and not condition.scenes
            ):
                continue  # nothing to report: the common case
            where = Where(file, line)
            for flag in sorted(condition.flags - flags_set):
                reader.error(where, f"flag '{flag}' is never set by any effect{suggest(flag, flags_set)}")
            for counter in sorted(condition.counters - counters_set):
                reader.error(
                    where, f"counter '{counter}' is never changed by any effect{suggest(counter, counters_set)}"
                )
            for clue in sorted(condition.clues):
                self.known(where, "clue", clue)
            for scene_id in sorted(condition.scenes):
                self.known(where, "scene", scene_id)
        self._crossings()
        cross_check(
            story,
            lambda where, message, severity: reader.findings.append(Finding(where.file, where.line, message, severity)),
        )

    def _crossings(self) -> None:
        """A choice into another beat's scene must carry the trigger that moves the story there."""
        scenes, beats, transitions = self.story.scenes, self.story.beats, self.story.transitions
        arrivals: dict[tuple[str, str], set[str]] = {}  # (trigger, source beat) -> the beats it can enter
        for transition in transitions:
            arrivals.setdefault((transition.trigger, transition.source), set()).add(transition.dest)
        triggers = {t.trigger for t in transitions}
        for scene in scenes.values():
            beat = scene.beat
            if beat not in beats:
                continue
            for choice in scene.choices:
                target = scenes.get(choice.goto) if choice.goto is not None else None
                if target is None or target.beat not in beats:
                    continue
                trigger = choice.trigger
                if trigger is None:
                    if target.beat != beat:
                        self.reader.error(
                            choice.where,
                            f"the choice '{choice.text}' goes from beat '{beat}' to '{target.id}' in beat "
                            f"'{target.beat}' without a 'trigger' to change beats",
                        )
                    continue
                if trigger not in triggers:
                    continue  # already reported as an unknown trigger
                dests = arrivals.get((trigger, beat))
                if not dests:
                    self.reader.error(
                        choice.where, f"trigger '{trigger}' cannot fire from beat '{beat}' (scene '{scene.id}')"
                    )
                elif target.beat not in dests:
                    self.reader.error(
                        choice.where,
                        f"the choice '{choice.text}' fires '{trigger}' into beat {', '.join(sorted(dests))} "
                        f"but goes to '{target.id}' in beat '{target.beat}'",
                    )

    def known(self, where: Where, kind: str, name: str) -> None:
        table = self.tables[kind]
        if name not in table:
            noun = _NOUNS.get(kind, kind)
            self.reader.error(where, f"unknown {noun} '{name}'{suggest(name, table)}")

    def _distinct_effects(self) -> Iterator[Effect]:
        """Every effect of the story, each once (equal effects are one object: see Reader.effects)."""
        return iter(self.reader.effects_seen)
