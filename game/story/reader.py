"""Read a story's YAML into a checked `Story`, or into the list of what is wrong.

Everything wrong is reported in one pass, each finding with its file and line:
an author fixes a whole batch of mistakes per run of `archer check`, not one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.story import shapes
from game.story.conditions import (
    ID_PATTERN,
    Condition,
    Effect,
    LanguageError,
    parse_condition,
    parse_effect,
)
from game.story.deductions import read_deductions, read_presentation
from game.story.files import display_name, scan, story_digest
from game.story.findings import Finding, suggest
from game.story.located import YamlProblem, YList, YMap
from game.story.model import (
    NARRATOR,
    SUSPECT_ASPECTS,
    VOICEOVER,
    Beat,
    BeatTransition,
    Character,
    Choice,
    Clue,
    Ending,
    Line,
    Scene,
    Story,
    Where,
)
from game.story.references import CrossCheck
from game.story.shapes import describe, is_hex_color

if TYPE_CHECKING:
    from game.story.cache import Rows

SPECIAL_FILES = ("story.yaml", "characters.yaml", "clues.yaml", "deductions.yaml")
RESERVED_TRIGGERS = {"state", "trigger", "machine", "model"}


@dataclass
class _Source:
    """One parsed file, with the name used in messages."""

    name: str
    data: Any


@dataclass
class Reader:
    root: Path
    findings: list[Finding] = field(default_factory=list)
    counters: set[str] = field(default_factory=set)
    # ids used before every id is known, checked at the end: (file, line, kind, id)
    pending_refs: list[tuple[str, int, str, str]] = field(default_factory=list)
    conditions: list[tuple[str, int, Condition]] = field(default_factory=list)  # (file, line, condition)
    # The same condition text means the same condition, and equal effects are one object:
    # parsed once, and stored once in the cache.
    parsed: dict[str, Condition | LanguageError] = field(default_factory=dict)
    effects_seen: dict[Effect, Effect] = field(default_factory=dict)
    # Every scene, line and choice made, as the row of its fields the cache stores (see cache.Rows):
    # gathered here, where the fields are at hand, rather than read back from 100,000 objects.
    rows: Rows = field(default_factory=lambda: ([], [], []))
    # Equal ids and texts made one object (a scene's id and each goto naming it, a speaker, a beat...):
    # the cache then stores each once, and reads it back once.
    texts: dict[str, str] = field(default_factory=dict)

    # -- reporting -------------------------------------------------------
    def error(self, where: Where, message: str) -> None:
        self.findings.append(Finding(where.file, where.line, message))

    def at(self, source: _Source, line: int) -> Where:
        return Where(source.name, line)

    # -- the whole story -------------------------------------------------
    def read(self, digest: str | None = None) -> tuple[Story | None, list[Finding]]:
        root = self.root
        if not root.is_dir():
            self.findings.append(Finding(str(root), 0, "no such story folder"))
            return None, self.findings
        from game.story.yaml_source import load_yaml  # PyYAML only when there is YAML to read

        sources: dict[str, _Source] = {}
        scene_sources: list[_Source] = []
        unreadable = False
        files, links = scan(root)
        for link in links:
            self.findings.append(
                Finding(
                    display_name(link),
                    1,
                    "this file is a link to a file outside the story folder, which is not read; "
                    "copy the file into the folder instead",
                )
            )
        for path in files:
            name = display_name(path)
            try:
                data, problems = load_yaml(path)
            except YamlProblem as problem:
                self.findings.append(Finding(name, problem.line, problem.message, column=problem.column))
                unreadable = True
                continue
            self.findings.extend(Finding(name, p.line, p.message, p.severity) for p in problems)
            source = _Source(name, data)
            relative = path.relative_to(root).as_posix()
            if relative in SPECIAL_FILES:
                sources[relative] = source
            else:
                scene_sources.append(source)
        if not (root / "story.yaml").is_file():
            self.findings.append(
                Finding(display_name(root / "story.yaml"), 0, "every story needs a story.yaml (title, start, beats)")
            )
            return None, self.findings
        for special in ("characters.yaml", "clues.yaml"):
            if not (root / special).is_file():
                self.findings.append(Finding(display_name(root / special), 0, f"missing {special}"))

        self.counters = _counter_names(source.data for source in scene_sources)
        deducing = sources.get("deductions.yaml")
        self.counters |= _counter_names(iter([deducing.data] if deducing else []))
        characters = self._characters(sources.get("characters.yaml"))
        clues = self._clues(sources.get("clues.yaml"), characters)
        deductions, words = read_deductions(self, deducing)
        header = sources.get("story.yaml")
        if header is None:
            return None, self.findings
        info = self._fields(header, header.data, 1, "story.yaml", shapes.STORY)
        if info is None:
            return None, self.findings
        beats, initial, transitions = self._beats(
            header, info.get("beats"), header.data.line_of("beats") if isinstance(header.data, YMap) else 1
        )
        endings = self._endings(header, info.get("endings"))
        scenes = self._scenes(scene_sources)

        story = Story(
            id=info.get("id", "story"),
            title=info.get("title", "Untitled"),
            subtitle=info.get("subtitle", ""),
            start=info.get("start", ""),
            voiceover=info.get("voiceover"),
            content_note=info.get("content_note", "").strip(),
            initial_beat=initial,
            beats=beats,
            transitions=tuple(transitions),
            endings=endings,
            characters=characters,
            clues=clues,
            scenes=scenes,
            root=root,
            digest=digest or story_digest(root, files),
            deductions=deductions,
            words=words,
        )
        if unreadable:
            self.findings.append(
                Finding(
                    header.name, 1, "ids used across files were not checked: fix the YAML errors above first", "note"
                )
            )
        else:
            CrossCheck(self, story, header.name, header.data, info).run()
        return story, self.findings

    # -- fields ----------------------------------------------------------
    def _fields(
        self, source: _Source, data: Any, line: int, what: str, shape: shapes.Shape
    ) -> Mapping[str, Any] | None:
        """Type-check a mapping against its shape; keep what is valid."""
        return shape.fields(data, source.name, line, what, self.error)

    def _not_blank(self, source: _Source, data: Any, fields: Mapping[str, Any], key: str, what: str) -> None:
        """Text a player would see as nothing at all ("1. " and no words) is a mistake: say where."""
        value = fields.get(key)
        if isinstance(value, str) and not value.strip():
            self.error(
                self.at(source, data.line_of(key)),
                f"'{key}' in {what} is empty text; write what the player should read",
            )

    def _entries(self, source: _Source | None, what: str) -> Iterator[tuple[str, Any, Where]]:
        """The (id, body, where) entries of a file that maps ids to bodies."""
        if source is None:
            return
        data = source.data
        if data is None:
            return
        if not isinstance(data, YMap):
            self.error(self.at(source, 1), f"this file should map {what} ids to {what}s, not be {describe(data)}")
            return
        for key, body in data.items():
            where = self.at(source, data.line_of(key))
            if not isinstance(key, str) or not ID_PATTERN.match(key):
                self.error(
                    where,
                    f"{str(key)!r} is not a valid {what} id (lower-case letters, digits and _, starting with a letter)",
                )
                continue
            yield key, body, where

    def condition(self, source: _Source, line: int, text: Any, what: str) -> Condition | None:
        if not isinstance(text, str):
            self.error(self.at(source, line), f"the condition of {what} should be text, not {describe(text)}")
            return None
        condition = self.parsed.get(text)
        if condition is None:
            try:
                condition = parse_condition(text, self.counters)
            except LanguageError as problem:
                condition = problem
            self.parsed[text] = condition
        if isinstance(condition, LanguageError):
            self.error(self.at(source, line), f"bad condition in {what}: {condition}")
            return None
        self.conditions.append((source.name, line, condition))
        return condition

    def effects(self, source: _Source, data: Any, line: int, what: str) -> tuple[Effect, ...]:
        if data is None:
            return ()
        if not isinstance(data, YList):
            self.error(self.at(source, line), f"the effects of {what} should be a list, e.g. '- set: flag'")
            return ()
        result: list[Effect] = []
        seen = self.effects_seen
        for index, item in enumerate(data):
            try:
                effects = parse_effect(item)
            except LanguageError as problem:
                self.error(self.at(source, data.line_of(index)), f"bad effect in {what}: {problem}")
                continue
            for effect in effects:
                if effect.kind in ("gain", "lose", "learn"):
                    kind = "word" if effect.kind == "learn" else "clue"
                    self.pending_refs.append((source.name, data.line_of(index), kind, effect.name))
                result.append(seen.setdefault(effect, effect))
        return tuple(result)

    # -- the files -------------------------------------------------------
    def _characters(self, source: _Source | None) -> dict[str, Character]:
        result: dict[str, Character] = {}
        for key, body, where in self._entries(source, "character"):
            assert source is not None
            fields = self._fields(source, body, where.line, f"character '{key}'", shapes.CHARACTER)
            if fields is None:
                continue
            color = fields.get("color", "#cccccc")
            if not is_hex_color(color):
                self.error(where, f"the color of '{key}' should be a hex color in quotes, like \"#c9a0dc\"")
                color = "#cccccc"
            if key in (NARRATOR, VOICEOVER):
                self.error(where, f"'{key}' is a reserved line kind; give the character another id")
            result[key] = Character(
                key,
                fields.get("name", key),
                color,
                fields.get("description", ""),
                fields.get("suspect", False),
                str(where),
            )
        return result

    def _clues(self, source: _Source | None, characters: Mapping[str, Character]) -> dict[str, Clue]:
        result: dict[str, Clue] = {}
        for key, body, where in self._entries(source, "clue"):
            assert source is not None
            fields = self._fields(source, body, where.line, f"clue '{key}'", shapes.CLUE)
            if fields is None:
                continue
            bears_on: dict[str, str] = {}
            for suspect, aspect in fields.get("bears_on", {}).items():
                line_where = self.at(source, body.get("bears_on").line_of(suspect))
                if suspect not in characters:
                    self.error(
                        line_where,
                        f"clue '{key}' bears on unknown character '{suspect}'{suggest(str(suspect), characters)}",
                    )
                elif aspect not in SUSPECT_ASPECTS:
                    self.error(
                        line_where,
                        f"clue '{key}' should bear on '{suspect}' as one of {', '.join(SUSPECT_ASPECTS)}, not {aspect!r}"
                        + suggest(str(aspect), SUSPECT_ASPECTS),
                    )
                else:
                    bears_on[suspect] = aspect
            result[key] = Clue(key, fields.get("name", key), fields.get("description", ""), bears_on, str(where))
        return result

    def _endings(self, source: _Source, data: Any) -> dict[str, Ending]:
        result: dict[str, Ending] = {}
        if data is None:
            return result
        for key, body, where in self._entries(_Source(source.name, data), "ending"):
            fields = self._fields(source, body, where.line, f"ending '{key}'", shapes.ENDING)
            if fields is not None:
                self._not_blank(source, body, fields, "title", f"ending '{key}'")
                result[key] = Ending(key, fields.get("title", key), fields.get("text", "").strip(), str(where))
        return result

    def _beats(self, source: _Source, data: Any, line: int) -> tuple[dict[str, Beat], str, list[BeatTransition]]:
        beats: dict[str, Beat] = {}
        transitions: list[BeatTransition] = []
        fields = self._fields(source, data, line, "beats", shapes.BEATS) if data is not None else None
        if fields is None:
            return beats, "", transitions
        states = fields.get("states", ())
        for index, item in enumerate(states):
            where = self.at(source, states.line_of(index))
            body = YMap({"name": item}) if isinstance(item, str) else item
            if isinstance(body, YMap) and not hasattr(body, "line"):
                body.line, body.key_lines = where.line, {}
            beat = self._fields(source, body, where.line, "a beat", shapes.BEAT)
            if beat is None or "name" not in beat:
                continue
            name = beat["name"]
            if not ID_PATTERN.match(name):
                self.error(where, f"{name!r} is not a valid beat name (lower-case letters, digits and _)")
            elif name in beats:
                self.error(where, f"beat '{name}' is declared twice (first at line {beats[name].where.line})")
            else:
                title = beat.get("title", name.replace("_", " ").title())
                beats[name] = Beat(name, title, beat.get("card", ""), str(where))
        initial = fields.get("initial", "")
        if initial and initial not in beats:
            self.error(
                self.at(source, data.line_of("initial")),
                f"the initial beat '{initial}' is not one of the beats{suggest(initial, beats)}",
            )
        declared = fields.get("transitions", ())
        for index, item in enumerate(declared):
            where = self.at(source, declared.line_of(index))
            spec = self._fields(source, item, where.line, "a beat transition", shapes.TRANSITION)
            if spec is None or not {"trigger", "source", "dest"} <= spec.keys():
                continue
            trigger = spec["trigger"]
            if (
                not trigger.isidentifier()
                or trigger in RESERVED_TRIGGERS
                or trigger.startswith(("to_", "may_", "_", "is_"))
            ):
                self.error(where, f"'{trigger}' cannot be a trigger name: it clashes with the beat machine's own names")
                continue
            for end in ("source", "dest"):
                if spec[end] not in beats:
                    self.error(
                        where, f"transition '{trigger}' has unknown {end} beat '{spec[end]}'{suggest(spec[end], beats)}"
                    )
            guard = self.condition(source, where.line, spec["if"], f"transition '{trigger}'") if "if" in spec else None
            transitions.append(BeatTransition(trigger, spec["source"], spec["dest"], guard, str(where)))
        return beats, initial, transitions

    # -- scenes: most of a story, so the loops below are written for speed --
    def _scenes(self, sources: list[_Source]) -> dict[str, Scene]:
        scenes: dict[str, Scene] = {}
        for source in sources:
            data = source.data
            if data is None:
                continue
            if data.__class__ is not YMap:
                self.error(self.at(source, 1), f"this file should map scene ids to scenes, not be {describe(data)}")
                continue
            name = source.name
            key_lines = data.key_lines
            for key, body in data.items():
                line = key_lines[key]
                if key.__class__ is not str or not ID_PATTERN.match(key):
                    self.error(
                        Where(name, line),
                        f"{str(key)!r} is not a valid scene id (lower-case letters, digits and _, starting with a letter)",
                    )
                    continue
                if key in scenes:
                    first = scenes[key].at
                    self.error(
                        Where(name, line), f"scene '{key}' is defined twice (first at {first}); rename one of them"
                    )
                    continue
                scene = self._scene(source, key, body, line)
                if scene is not None:
                    scenes[key] = scene
        return scenes

    def _scene(self, source: _Source, key: str, body: Any, line: int) -> Scene | None:
        what = f"scene '{key}'"
        fields = shapes.SCENE.fields(body, source.name, line, what, self.error)
        if fields is None:
            return None
        title = fields.get("title", key)
        if not title.strip():
            self._not_blank(source, body, fields, "title", what)
        declared = fields.get("lines")
        lines = self._lines(source, declared, what) if declared else ()
        choices: list[Choice] = []
        declared = fields.get("choices")
        if declared:
            keys: dict[str, Choice] = {}
            item_lines = declared.item_lines
            for index, item in enumerate(declared):
                choice = self._choice(source, item, item_lines[index], what)
                if choice is None:
                    continue
                twin = keys.setdefault(choice.key, choice)
                if twin is not choice:
                    self.error(
                        choice.where,
                        f"two choices of {what} share the id '{choice.key}' (also line {twin.where.line}); give one an 'id'",
                    )
                choices.append(choice)
        on_enter = fields.get("on_enter")
        if on_enter is not None:
            on_enter = self.effects(source, on_enter, body.key_lines["on_enter"], what)
        beat = fields.get("beat")
        if beat is not None:
            self.pending_refs.append((source.name, body.key_lines["beat"], "beat", beat))
        share = self.texts.setdefault
        key, beat, place, on_enter = share(key, key), beat or "", fields.get("place", ""), on_enter or ()
        beat, place = share(beat, beat), share(place, place)
        self.rows[0].append((key, beat, title, place, on_enter, source.name, line, len(lines), len(choices)))
        return Scene(key, beat, title, place, lines, on_enter, tuple(choices), f"{source.name}:{line}")

    def _lines(self, source: _Source, data: YList, what: str) -> tuple[Line, ...]:
        result: list[Line] = []
        name = source.name
        rows = self.rows[1]
        share = self.texts.setdefault
        item_lines = data.item_lines
        for index, item in enumerate(data):
            line = item_lines[index]
            if item.__class__ is YMap and len(item) == 1 and "if" not in item:  # the common case: 'speaker: text'
                ((speaker, text),) = item.items()
                condition = None
            else:
                odd = self._odd_line(source, item, line, what)
                if odd is None:
                    continue
                speaker, text, condition = odd
            if not isinstance(text, str):
                self.error(
                    Where(name, line),
                    f"the line of '{speaker}' in {what} should be text, not {describe(text)} (put it in quotes)",
                )
                continue
            stripped = text.strip()
            if not stripped:
                self.error(
                    Where(name, line), f"the line of '{speaker}' in {what} is empty text; write the line, or remove it"
                )
                continue
            if speaker.__class__ is not str:
                speaker = str(speaker)
            if speaker != NARRATOR and speaker != VOICEOVER:
                self.pending_refs.append((name, line, "speaker", speaker))
            speaker = share(speaker, speaker)
            result.append(Line(speaker, stripped, condition, f"{name}:{line}"))
            rows.append((speaker, stripped, condition, name, line))
        return tuple(result)

    def _odd_line(self, source: _Source, item: Any, line: int, what: str) -> tuple[Any, Any, Condition | None] | None:
        """A line that is not simply 'speaker: text': one with a condition, or a mistake.

        Returns (speaker, text, condition), or None when the line is unusable (and reported).
        """
        if not isinstance(item, YMap):
            self.error(
                Where(source.name, line),
                f"a line of {what} should look like 'narrator: text' or 'bette: text', not {describe(item)}",
            )
            return None
        speakers = [k for k in item if k != "if"]
        if len(speakers) != 1:
            self.error(
                Where(source.name, line),
                f"a line of {what} needs exactly one speaker (found {len(speakers)}: {', '.join(map(str, speakers)) or 'none'})",
            )
            return None
        speaker = speakers[0]
        text = item[speaker]
        if not isinstance(text, str):
            return speaker, text, None  # reported by the caller
        condition = self.condition(source, line, item["if"], f"a line of {what}") if "if" in item else None
        return speaker, text, condition

    def _choice(self, source: _Source, data: Any, line: int, what: str) -> Choice | None:
        fields = shapes.CHOICE.fields(data, source.name, line, f"a choice of {what}", self.error)
        if fields is None or "say" not in fields:
            return None
        text = fields["say"].strip()
        if not text:
            self._not_blank(source, data, fields, "say", f"a choice of {what}")
        goto = fields.get("goto")
        ending = fields.get("ending")
        trigger = fields.get("trigger")
        if (goto is None) == (ending is None):
            self.error(
                Where(source.name, line),
                f"the choice '{text}' of {what} needs exactly one of 'goto' (a scene) or 'ending'",
            )
        key_lines = data.key_lines
        refs = self.pending_refs
        if goto is not None:
            refs.append((source.name, key_lines["goto"], "goto", goto))
        if ending is not None:
            refs.append((source.name, key_lines["ending"], "ending", ending))
        if trigger is not None:
            refs.append((source.name, key_lines["trigger"], "trigger", trigger))
        condition = fields.get("if")
        if condition is not None:
            condition = self.condition(source, key_lines["if"], condition, f"the choice '{text}'")
        effects = fields.get("do")
        if effects is not None:
            effects = self.effects(source, effects, key_lines["do"], f"the choice '{text}'")
        present = fields.get("present")
        if present is not None:
            present = read_presentation(self, source, present, key_lines["present"], f"the choice '{text}'")
            if "deduce" in fields:
                self.error(Where(source.name, line), f"the choice '{text}' both deduces and presents; keep one")
        share = self.texts.setdefault
        text = share(text, text)
        if goto is not None:
            goto = share(goto, goto)
        key, once, effects, deduce = (
            fields.get("id", text),
            fields.get("once", False),
            effects or (),
            fields.get("deduce"),
        )
        name = source.name
        self.rows[2].append((key, text, goto, ending, condition, once, effects, trigger, deduce, present, name, line))
        return Choice(key, text, goto, ending, condition, once, effects, trigger, f"{name}:{line}", deduce, present)


def _counter_names(documents: Iterator[Any]) -> set[str]:
    """Names changed by an `add` effect (a scene's on_enter or a choice's do): counters, not flags.

    Only the effect lists are visited: a story is mostly lines, which never hold effects.
    """
    names: set[str] = set()

    def effects(items: Any) -> None:
        for item in items if isinstance(items, list) else ():
            added = item.get("add") if isinstance(item, dict) else None
            if isinstance(added, dict):
                names.update(str(name) for name in added)

    for document in documents:
        for scene in document.values() if isinstance(document, dict) else ():
            if not isinstance(scene, dict):
                continue
            on_enter = scene.get("on_enter")
            if on_enter:
                effects(on_enter)
            for outcome in ("on_solved", "on_wrong"):  # a deduction in deductions.yaml
                effects(scene.get(outcome))
            choices = scene.get("choices")
            for choice in choices if isinstance(choices, list) else ():
                if isinstance(choice, dict):
                    done = choice.get("do")
                    if done:
                        effects(done)
                    present = choice.get("present")
                    if isinstance(present, dict):  # an evidence question's outcomes
                        for outcome in present.values():
                            if isinstance(outcome, dict):
                                effects(outcome.get("do"))
    return names
