"""Read a story folder into a checked `Story`, or into the list of what is wrong.

Everything wrong is reported in one pass, each finding with its file and line:
an author fixes a whole batch of mistakes per run of `archer check`, not one.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.story import fields as fmt
from game.story.conditions import (
    ID_PATTERN,
    Condition,
    Effect,
    LanguageError,
    parse_condition,
    parse_effect,
)
from game.story.findings import Finding, StoryError, suggest
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

SPECIAL_FILES = ("story.yaml", "characters.yaml", "clues.yaml")
RESERVED_TRIGGERS = {"state", "trigger", "machine", "model"}
_TYPE_NAMES = {str: "text", bool: "true or false", int: "a whole number", list: "a list", dict: "a mapping"}


def story_files(root: Path) -> list[Path]:
    """Every YAML file of a story, in a stable order."""
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def story_digest(root: Path) -> str:
    """A hash of every story file's name and bytes: any edit changes it."""
    digest = hashlib.sha256()
    for path in story_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_story(root: Path, *, use_cache: bool = True) -> Story:
    """Load and check a story, from the compiled cache when its files are unchanged.

    Raise StoryError listing every error.
    """
    from game.story.cache import read_cached, write_cache

    if use_cache and root.is_dir():
        cached = read_cached(story_digest(root), root)
        if cached is not None:
            return cached
    story, findings = read_story(root)
    if story is None or any(f.severity == "error" for f in findings):
        raise StoryError(findings)
    if use_cache:
        write_cache(story)
    return story


def read_story(root: Path) -> tuple[Story | None, list[Finding]]:
    """Load a story, returning it (when sound enough to build) and every finding.

    The cyclic garbage collector is paused meanwhile: a load makes many objects
    and frees almost none, and the collector's passes would cost most of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Reader(root).read()
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Source:
    """One parsed file, with the name used in messages."""

    name: str
    data: Any


@dataclass
class _Reader:
    root: Path
    findings: list[Finding] = field(default_factory=list)
    counters: set[str] = field(default_factory=set)
    pending_refs: list[tuple[Where, str, str]] = field(default_factory=list)  # (where, kind, id)
    conditions: list[tuple[Where, Condition]] = field(default_factory=list)

    # -- reporting -------------------------------------------------------
    def error(self, where: Where, message: str) -> None:
        self.findings.append(Finding(where.file, where.line, message))

    def at(self, source: _Source, line: int) -> Where:
        return Where(source.name, line)

    # -- the whole story -------------------------------------------------
    def read(self) -> tuple[Story | None, list[Finding]]:
        root = self.root
        if not root.is_dir():
            self.findings.append(Finding(str(root), 0, "no such story folder"))
            return None, self.findings
        from game.story.yaml_source import load_yaml  # PyYAML only when there is YAML to read

        sources: dict[str, _Source] = {}
        scene_sources: list[_Source] = []
        unreadable = False
        for path in story_files(root):
            name = self._display_name(path)
            try:
                data, problems = load_yaml(path)
            except YamlProblem as problem:
                self.findings.append(Finding(name, problem.line, problem.message))
                unreadable = True
                continue
            self.findings.extend(Finding(name, p.line, p.message) for p in problems)
            source = _Source(name, data)
            relative = path.relative_to(root).as_posix()
            if relative in SPECIAL_FILES:
                sources[relative] = source
            else:
                scene_sources.append(source)
        if not (root / "story.yaml").is_file():
            self.findings.append(
                Finding(
                    self._display_name(root / "story.yaml"), 0, "every story needs a story.yaml (title, start, beats)"
                )
            )
            return None, self.findings
        for special in SPECIAL_FILES[1:]:
            if not (root / special).is_file():
                self.findings.append(Finding(self._display_name(root / special), 0, f"missing {special}"))

        self.counters = _counter_names(source.data for source in scene_sources)
        characters = self._characters(sources.get("characters.yaml"))
        clues = self._clues(sources.get("clues.yaml"), characters)
        header = sources.get("story.yaml")
        if header is None:
            return None, self.findings
        info = self._fields(header, header.data, 1, "story.yaml", fmt.STORY)
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
            digest=story_digest(root),
        )
        if unreadable:
            self.findings.append(
                Finding(
                    header.name, 1, "ids used across files were not checked: fix the YAML errors above first", "note"
                )
            )
        else:
            _CrossCheck(self, story, header, info).run()
        return story, self.findings

    def _display_name(self, path: Path) -> str:
        """Paths in messages are relative to where the author runs the command, when possible."""
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    # -- fields ----------------------------------------------------------
    def _fields(self, source: _Source, data: Any, line: int, what: str, spec: fmt.Spec) -> dict[str, Any] | None:
        """Type-check a mapping against `spec` (field -> (type, required)); keep what is valid."""
        if not isinstance(data, YMap):
            self.error(self.at(source, line), f"{what} should be a mapping of fields, not {_describe(data)}")
            return None
        result: dict[str, Any] = {}
        for key, value in data.items():
            field = spec.get(key)
            if field is not None and value is not None and _is(value, field.kind):
                result[key] = value  # the common case, kept cheap: stories have hundreds of thousands of fields
                continue
            where = self.at(source, data.line_of(key))
            if key not in spec:
                self.error(where, f"unknown field '{key}' in {what}{suggest(str(key), spec)}")
                continue
            kind = spec[key].kind
            if value is None and kind is not bool:
                self.error(where, f"'{key}' in {what} is empty; give it {_TYPE_NAMES[kind]}")
            elif not _is(value, kind):
                hint = " (put the text in quotes)" if kind is str and isinstance(value, (int, float, bool)) else ""
                self.error(where, f"'{key}' in {what} should be {_TYPE_NAMES[kind]}, not {_describe(value)}{hint}")
            else:
                result[key] = value
        for key, field_spec in spec.items():
            if field_spec.required and key not in data:
                self.error(self.at(source, data.line), f"{what} is missing '{key}'")
        return result

    def _entries(self, source: _Source | None, what: str) -> Iterator[tuple[str, Any, Where]]:
        """The (id, body, where) entries of a file that maps ids to bodies."""
        if source is None:
            return
        data = source.data
        if data is None:
            return
        if not isinstance(data, YMap):
            self.error(self.at(source, 1), f"this file should map {what} ids to {what}s, not be {_describe(data)}")
            return
        for key, body in data.items():
            where = self.at(source, data.line_of(key))
            if not isinstance(key, str) or not ID_PATTERN.match(key):
                self.error(
                    where,
                    f"'{key}' is not a valid {what} id (lower-case letters, digits and _, starting with a letter)",
                )
                continue
            yield key, body, where

    def condition(self, where: Where, text: Any, what: str) -> Condition | None:
        if not isinstance(text, str):
            self.error(where, f"the condition of {what} should be text, not {_describe(text)}")
            return None
        try:
            condition = parse_condition(text, self.counters)
        except LanguageError as problem:
            self.error(where, f"bad condition in {what}: {problem}")
            return None
        self.conditions.append((where, condition))
        return condition

    def effects(self, source: _Source, data: Any, line: int, what: str) -> tuple[Effect, ...]:
        if data is None:
            return ()
        if not isinstance(data, YList):
            self.error(self.at(source, line), f"the effects of {what} should be a list, e.g. '- set: flag'")
            return ()
        result: list[Effect] = []
        for index, item in enumerate(data):
            where = self.at(source, data.line_of(index))
            try:
                effects = parse_effect(item)
            except LanguageError as problem:
                self.error(where, f"bad effect in {what}: {problem}")
                continue
            self.pending_refs.extend((where, "clue", e.name) for e in effects if e.kind in ("gain", "lose"))
            result.extend(effects)
        return tuple(result)

    # -- the files -------------------------------------------------------
    def _characters(self, source: _Source | None) -> dict[str, Character]:
        result: dict[str, Character] = {}
        for key, body, where in self._entries(source, "character"):
            assert source is not None
            fields = self._fields(source, body, where.line, f"character '{key}'", fmt.CHARACTER)
            if fields is None:
                continue
            colour = fields.get("colour", "#cccccc")
            if not _is_hex_colour(colour):
                self.error(where, f"the colour of '{key}' should be a hex colour in quotes, like \"#c9a0dc\"")
                colour = "#cccccc"
            if key in (NARRATOR, VOICEOVER):
                self.error(where, f"'{key}' is a reserved line kind; give the character another id")
            result[key] = Character(
                key, fields.get("name", key), colour, fields.get("description", ""), fields.get("suspect", False), where
            )
        return result

    def _clues(self, source: _Source | None, characters: Mapping[str, Character]) -> dict[str, Clue]:
        result: dict[str, Clue] = {}
        for key, body, where in self._entries(source, "clue"):
            assert source is not None
            fields = self._fields(source, body, where.line, f"clue '{key}'", fmt.CLUE)
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
            result[key] = Clue(key, fields.get("name", key), fields.get("description", ""), bears_on, where)
        return result

    def _endings(self, source: _Source, data: Any) -> dict[str, Ending]:
        result: dict[str, Ending] = {}
        if data is None:
            return result
        for key, body, where in self._entries(_Source(source.name, data), "ending"):
            fields = self._fields(source, body, where.line, f"ending '{key}'", fmt.ENDING)
            if fields is not None:
                result[key] = Ending(key, fields.get("title", key), fields.get("text", "").strip(), where)
        return result

    def _beats(self, source: _Source, data: Any, line: int) -> tuple[dict[str, Beat], str, list[BeatTransition]]:
        beats: dict[str, Beat] = {}
        transitions: list[BeatTransition] = []
        fields = self._fields(source, data, line, "beats", fmt.BEATS) if data is not None else None
        if fields is None:
            return beats, "", transitions
        states = fields.get("states", YList())
        for index, item in enumerate(states):
            where = self.at(source, states.line_of(index))
            body = YMap({"name": item}) if isinstance(item, str) else item
            if isinstance(body, YMap) and not hasattr(body, "line"):
                body.line, body.key_lines = where.line, {}
            beat = self._fields(source, body, where.line, "a beat", fmt.BEAT)
            if beat is None or "name" not in beat:
                continue
            name = beat["name"]
            if not ID_PATTERN.match(name):
                self.error(where, f"'{name}' is not a valid beat name (lower-case letters, digits and _)")
            elif name in beats:
                self.error(where, f"beat '{name}' is declared twice (first at line {beats[name].where.line})")
            else:
                beats[name] = Beat(name, beat.get("title", name.replace("_", " ").title()), beat.get("card", ""), where)
        initial = fields.get("initial", "")
        if initial and initial not in beats:
            self.error(
                self.at(source, data.line_of("initial")),
                f"the initial beat '{initial}' is not one of the beats{suggest(initial, beats)}",
            )
        declared = fields.get("transitions", YList())
        for index, item in enumerate(declared):
            where = self.at(source, declared.line_of(index))
            spec = self._fields(source, item, where.line, "a beat transition", fmt.TRANSITION)
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
            guard = self.condition(where, spec["if"], f"transition '{trigger}'") if "if" in spec else None
            transitions.append(BeatTransition(trigger, spec["source"], spec["dest"], guard, where))
        return beats, initial, transitions

    def _scenes(self, sources: list[_Source]) -> dict[str, Scene]:
        scenes: dict[str, Scene] = {}
        for source in sources:
            for key, body, where in self._entries(source, "scene"):
                if key in scenes:
                    first = scenes[key].where
                    self.error(where, f"scene '{key}' is defined twice (first at {first}); rename one of them")
                    continue
                scene = self._scene(source, key, body, where)
                if scene is not None:
                    scenes[key] = scene
        return scenes

    def _scene(self, source: _Source, key: str, body: Any, where: Where) -> Scene | None:
        what = f"scene '{key}'"
        fields = self._fields(source, body, where.line, what, fmt.SCENE)
        if fields is None:
            return None
        lines = tuple(self._lines(source, fields.get("lines", YList()), what))
        choices: list[Choice] = []
        declared = fields.get("choices", YList())
        for index, item in enumerate(declared):
            choice = self._choice(source, item, declared.line_of(index), what, index)
            if choice is None:
                continue
            twin = next((c for c in choices if c.key == choice.key), None)
            if twin is not None:
                self.error(
                    choice.where,
                    f"two choices of {what} share the id '{choice.key}' (also line {twin.where.line}); give one an 'id'",
                )
            choices.append(choice)
        on_enter = self.effects(source, fields.get("on_enter"), body.line_of("on_enter"), what)
        if "beat" in fields:
            self.pending_refs.append((self.at(source, body.line_of("beat")), "beat", fields["beat"]))
        return Scene(
            key,
            fields.get("beat", ""),
            fields.get("title", key),
            fields.get("place", ""),
            lines,
            on_enter,
            tuple(choices),
            where,
        )

    def _lines(self, source: _Source, data: YList, what: str) -> Iterator[Line]:
        for index, item in enumerate(data):
            where = self.at(source, data.line_of(index))
            if not isinstance(item, YMap):
                self.error(
                    where, f"a line of {what} should look like 'narrator: text' or 'bette: text', not {_describe(item)}"
                )
                continue
            speakers = [k for k in item if k != "if"]
            if len(speakers) != 1:
                self.error(
                    where,
                    f"a line of {what} needs exactly one speaker (found {len(speakers)}: {', '.join(map(str, speakers)) or 'none'})",
                )
                continue
            speaker = speakers[0]
            text = item[speaker]
            if not isinstance(text, str):
                self.error(
                    where, f"the line of '{speaker}' in {what} should be text, not {_describe(text)} (put it in quotes)"
                )
                continue
            if speaker not in (NARRATOR, VOICEOVER):
                self.pending_refs.append((where, "speaker", str(speaker)))
            condition = self.condition(where, item["if"], f"a line of {what}") if "if" in item else None
            yield Line(str(speaker), text.strip(), condition, where)

    def _choice(self, source: _Source, data: Any, line: int, what: str, index: int) -> Choice | None:
        where = self.at(source, line)
        fields = self._fields(source, data, line, f"a choice of {what}", fmt.CHOICE)
        if fields is None or "say" not in fields:
            return None
        text = fields["say"].strip()
        if ("goto" in fields) == ("ending" in fields):
            self.error(where, f"the choice '{text}' of {what} needs exactly one of 'goto' (a scene) or 'ending'")
        for kind in ("goto", "ending", "trigger"):
            if kind in fields:
                self.pending_refs.append((self.at(source, data.line_of(kind)), kind, fields[kind]))
        condition = (
            self.condition(self.at(source, data.line_of("if")), fields["if"], f"the choice '{text}'")
            if "if" in fields
            else None
        )
        effects = self.effects(source, fields.get("do"), data.line_of("do"), f"the choice '{text}'")
        return Choice(
            key=fields.get("id", text),
            text=text,
            goto=fields.get("goto"),
            ending=fields.get("ending"),
            condition=condition,
            once=fields.get("once", False),
            effects=effects,
            trigger=fields.get("trigger"),
            where=where,
        )


class _CrossCheck:
    """Checks that need the whole story: every id used is an id defined."""

    def __init__(self, reader: _Reader, story: Story, header: _Source, info: dict[str, Any]) -> None:
        self.reader = reader
        self.story = story
        self.header = header
        self.info = info

    def run(self) -> None:
        story, reader, header = self.story, self.reader, self.header
        line_of: Callable[[str], int] = header.data.line_of
        if "start" in self.info:
            self.known(Where(header.name, line_of("start")), "scene", story.start)
            first = story.scenes.get(story.start)
            if first is not None and story.initial_beat in story.beats and first.beat != story.initial_beat:
                reader.error(
                    Where(header.name, line_of("start")),
                    f"the start scene '{first.id}' is in beat '{first.beat}', but the story begins in beat "
                    f"'{story.initial_beat}'; start in a scene of the first beat",
                )
        if story.voiceover is not None:
            self.known(Where(header.name, line_of("voiceover")), "speaker", story.voiceover)
        if "beats" in self.info and not story.initial_beat:
            reader.error(Where(header.name, line_of("beats")), "beats is missing 'initial' (the first beat)")
        for where, kind, name in reader.pending_refs:
            self.known(where, kind, name)
        flags_set = {e.name for e in self._all_effects() if e.kind in ("set", "clear")}
        counters_set = {e.name for e in self._all_effects() if e.kind == "add"}
        for where, condition in reader.conditions:
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
        for scene in story.scenes.values():
            for choice in scene.choices:
                self._crossing(scene, choice)

    def _crossing(self, scene: Scene, choice: Choice) -> None:
        """A choice into another beat's scene must carry the trigger that moves the story there."""
        target = self.story.scenes.get(choice.goto or "")
        if target is None or scene.beat not in self.story.beats or target.beat not in self.story.beats:
            return
        arrivals = {t.dest for t in self.story.transitions if t.trigger == choice.trigger and t.source == scene.beat}
        if choice.trigger is not None:
            if not any(t.trigger == choice.trigger for t in self.story.transitions):
                return  # already reported as an unknown trigger
            if not arrivals:
                self.reader.error(
                    choice.where,
                    f"trigger '{choice.trigger}' cannot fire from beat '{scene.beat}' (scene '{scene.id}')",
                )
            elif target.beat not in arrivals:
                self.reader.error(
                    choice.where,
                    f"the choice '{choice.text}' fires '{choice.trigger}' into beat {', '.join(sorted(arrivals))} "
                    f"but goes to '{target.id}' in beat '{target.beat}'",
                )
        elif target.beat != scene.beat:
            self.reader.error(
                choice.where,
                f"the choice '{choice.text}' goes from beat '{scene.beat}' to '{target.id}' in beat '{target.beat}' "
                "without a 'trigger' to change beats",
            )

    def known(self, where: Where, kind: str, name: str) -> None:
        story = self.story
        table: Mapping[str, object] = {
            "scene": story.scenes,
            "goto": story.scenes,
            "ending": story.endings,
            "speaker": story.characters,
            "clue": story.clues,
            "beat": story.beats,
            "trigger": {t.trigger: t for t in story.transitions},
        }[kind]
        if name not in table:
            noun = {"goto": "scene", "speaker": "character"}.get(kind, kind)
            self.reader.error(where, f"unknown {noun} '{name}'{suggest(name, table)}")

    def _all_effects(self) -> Iterator[Effect]:
        for scene in self.story.scenes.values():
            yield from scene.on_enter
            for choice in scene.choices:
                yield from choice.effects


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
            effects(scene.get("on_enter"))
            for choice in scene.get("choices") or () if isinstance(scene.get("choices"), list) else ():
                if isinstance(choice, dict):
                    effects(choice.get("do"))
    return names


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return type(value) is int
    if kind is dict:
        return isinstance(value, YMap)
    if kind is list:
        return isinstance(value, YList)
    if kind is bool:
        return isinstance(value, bool)
    return isinstance(value, kind)


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a true/false value; quote it if you meant text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {str(value)!r}"


def _is_hex_colour(value: str) -> bool:
    digits = value[1:]
    return value.startswith("#") and len(digits) in (3, 6) and all(c in "0123456789abcdefABCDEF" for c in digits)
