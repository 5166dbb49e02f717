"""The compiled story cache: a checked story, pickled, keyed by the hash of its files and of Archer's code.

Reading 7 MB of YAML and checking it takes seconds; reading back the checked
model takes a small fraction of that. The cache is untrusted input: any doubt
and the story is read from its YAML again.

- Any change to a story file changes the digest; any change to the code that
  reads stories or to the model's field layout changes the key (`code_key`), so a
  fix to the reader is never hidden behind an old cache.
- Only a regular file is read (not a FIFO, a device, or a link to one), and only up
  to MAX_BYTES; its SHA-256 checksum is verified before anything is unpickled.
- The unpickler only accepts the story model's own classes, so a planted file
  cannot run code; what it builds is then checked, type by type and reference by
  reference (`revived`), so a forged file cannot crash a game later. Scenes are stored as
  columns and built on first use (see `CachedScenes`): a warm start is mostly reading bytes.
- The reader's findings (warnings, notes) are kept with the story, and the place its files were
  named from, so that `archer check` on unchanged files reports the same lines without reading them.
- Only the newest KEEP files are kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
import re
from array import array
from collections.abc import Iterable, Iterator, KeysView, Mapping
from functools import cache
from itertools import accumulate, chain
from operator import add, attrgetter, is_not
from pathlib import Path
from typing import Any, Final, NamedTuple

from game import paths
from game.story import conditions, model
from game.story.files import read_regular_file
from game.story.findings import Finding

FORMAT = 7  # 3: a checksummed frame around the pickle, keyed by the code; 4: deductions; 5: scenes as columns,
# SHA-256; 6: the reader's findings; 7: texts shared, places and counts packed
MAX_BYTES = 512 * 1024 * 1024
KEEP = 4
_MAGIC = b"archer-story-cache\n"
_SUM = 32  # bytes of SHA-256 (hardware-assisted: twice as fast here as blake2b)
_OURS = re.compile(r"[0-9a-f]{64}-.*\.pickle\Z")  # a file this module wrote, by its name
_ALLOWED = (
    {("builtins", name) for name in ("frozenset", "set", "dict", "list", "tuple", "str", "int", "bool")}
    | {
        ("game.story.model", name)
        for name in (
            *("Story", "revive_scene", "Character", "Clue", "Ending", "Beat", "BeatTransition"),
            *("Blank", "Deduction", "Outcome", "Presentation", "Word"),
        )
    }
    | {
        ("game.story.conditions", "Effect"),
        ("game.story.conditions", "revive_condition"),
        ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"),
    }
)
_MODEL_CLASSES = (
    model.Story,
    model.Scene,
    model.Line,
    model.Choice,
    model.Character,
    model.Clue,
    model.Ending,
    model.Beat,
    model.BeatTransition,
    conditions.Condition,
    conditions.Effect,
)


def cache_dir() -> Path | None:
    """ARCHER_CACHE_DIR, else the user cache folder; None when ARCHER_NO_CACHE is set (game.paths decides)."""
    return paths.cache_dir()


@cache
def code_key() -> str:
    """A digest of what makes a cache readable: FORMAT, the model's field layout, and the story code.

    Reordering or retyping a field of a model class, or any edit to the code that
    reads and checks stories (game/story/*.py), gives a new key.
    """
    digest = hashlib.blake2b(f"format {FORMAT}\n".encode(), digest_size=16)
    for cls in _MODEL_CLASSES:
        layout = ",".join(f"{f.name}:{f.type}" for f in dataclasses.fields(cls))
        digest.update(f"{cls.__module__}.{cls.__qualname__}({layout})\n".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        with contextlib.suppress(OSError):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def path_for(digest: str) -> Path | None:
    """Where the cache of a story with this digest lives (None when caching is off)."""
    folder = cache_dir()
    return folder / f"{digest}-{code_key()[:16]}.pickle" if folder is not None else None


def framed(payload: bytes) -> bytes:
    """A pickle as stored: magic, code key, checksum, then the pickle."""
    checksum = hashlib.sha256(payload).digest()
    return _MAGIC + code_key().encode() + b"\n" + checksum + payload


def _pickle_start(data: bytes) -> int | None:
    """Where the pickle starts in a stored file, or None when the frame or its checksum is wrong."""
    head = _MAGIC + code_key().encode() + b"\n"
    if not data.startswith(head):
        return None
    start = len(head) + _SUM
    with memoryview(data) as view:  # no copy of a file of megabytes
        return start if hashlib.sha256(view[start:]).digest() == data[len(head) : start] else None


class _ModelUnpickler(pickle.Unpickler):
    """Builds only the story model's own classes, and keeps each condition it revives, to be checked."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file)
        self.conditions: list[conditions.Condition] = []

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a story")
        if (module, name) == ("game.story.conditions", "revive_condition"):
            return self._revive_condition
        return super().find_class(module, name)

    def _revive_condition(self, *fields: Any) -> conditions.Condition:
        condition = conditions.revive_condition(*fields)
        self.conditions.append(condition)  # once per distinct condition: pickle shares the rest
        return condition


class Cached(NamedTuple):
    """What a cache file holds: the story, what the reader found in it, and where its files were named from."""

    story: model.Story
    findings: list[Finding]
    naming: str  # see files.naming: when it is the same, each file is named as a fresh read would name it


def read_cached(digest: str, root: Path) -> Cached | None:
    """The cached story for these files, or None (no cache, or one that is not exactly sound)."""
    path = path_for(digest)
    if path is None:
        return None
    data = read_regular_file(path, MAX_BYTES)
    start = _pickle_start(data) if data is not None else None
    if data is None or start is None:
        return None
    try:  # load_story pauses the garbage collector meanwhile: unpickling makes many objects and frees none
        stream = io.BytesIO(data)
        stream.seek(start)
        unpickler = _ModelUnpickler(stream)
        loaded = unpickler.load()
        story = revived(loaded, unpickler.conditions)
        notes = _notes(loaded[-1]) if story is not None else None
        if story is None or notes is None or story.digest != digest:
            return None
    except Exception:  # a damaged or foreign cache file is simply not used
        return None
    return Cached(story.with_root(root), *notes)


def write_cache(
    story: model.Story, findings: Iterable[Finding] = (), naming: str = "", rows: Rows | None = None
) -> None:
    """Keep a checked story (with the reader's `findings` on it, its files named from `naming`, its scenes'
    `rows` if the reader gathered them) for next time, and prune old ones; a cache that cannot be written is no error."""
    from game.atomic import write_atomically  # its temp files and random names: only when writing

    path = path_for(story.digest)
    if path is None:
        return
    with contextlib.suppress(OSError, ValueError, OverflowError):  # ValueError: a place stored() cannot pack
        payload = pickle.dumps(stored(story, findings, naming, rows), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(path, framed(payload), durable=False)  # torn by a crash: its checksum fails
        _prune(path.parent, keep=path)


def _prune(folder: Path, keep: Path) -> None:
    """Delete all but the newest KEEP cache files (always keeping `keep`, just written)."""
    found = []
    for entry in os.scandir(folder):
        if _OURS.match(entry.name) and entry.is_file(follow_symlinks=False) and entry.path != str(keep):
            with contextlib.suppress(OSError):
                found.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
    found.sort(reverse=True)
    for _, stale in found[KEEP - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(stale)


# -- the stored form: scenes as columns, checked whole, built one scene at a time -------------
#
# A 10,000-scene story has 20,000 scenes, 35,000 lines and 40,000 choices. Unpickling them as
# objects and then checking them object by object took most of a warm start. Stored instead as
# one tuple per field (all the scenes' titles, all the lines' texts...), the pickle holds only
# strings and tuples, which it reads in C; a column's types are checked in one C pass
# (`set(map(type, column))`); and a Scene with its Lines and Choices is built only when the
# engine first asks for it, from data already known to be sound.
#
# Equal texts are one object (a speaker, a beat, a scene id and every `goto` naming it: the reader
# shares them, see Reader.texts): pickle then writes and reads a reference, and the checks hash each
# distinct id once. A place ("file:line") is stored as its file and its line number, and the counts and
# line numbers as packed unsigned integers (bytes: one object, whatever it holds is a number). The
# tables are written from the rows the reader gathered as it made the objects (see Rows): reading
# 700,000 fields back from 95,000 objects scattered in memory cost more than all the rest of a write.

_NONE = type(None)
_KINDS: dict[str, frozenset[type]] = {  # a field's declared type -> the types its values may have
    "str": frozenset({str}),
    "str | None": frozenset({str, _NONE}),
    "bool": frozenset({bool}),
    "Condition | None": frozenset({conditions.Condition, _NONE}),
    "tuple[Effect, ...]": frozenset({tuple}),
    "Presentation | None": frozenset({model.Presentation, _NONE}),
}
_UINT: Final = "I"  # the array code of a packed count or line number
_UINT_BYTES = array(_UINT).itemsize
_SCENE_FIELDS = ("id", "beat", "title", "place", "on_enter", "at")  # a Scene's own, without its lines and choices


def _kinds(cls: type, names: Iterable[str] | None = None) -> tuple[frozenset[type], ...]:
    """The allowed value types of each of `cls`'s fields but `at` (all of them, in order, unless `names`)."""
    declared = {f.name: str(f.type) for f in dataclasses.fields(cls)}
    return tuple(_KINDS[declared[name]] for name in (names or declared) if name != "at")  # KeyError: add to _KINDS


_SCENE_KINDS = _kinds(model.Scene, _SCENE_FIELDS)
_LINE_KINDS = _kinds(model.Line)
_CHOICE_KINDS = _kinds(model.Choice)
_LINE_FIELDS = tuple(f.name for f in dataclasses.fields(model.Line))
_CHOICE_FIELDS = tuple(f.name for f in dataclasses.fields(model.Choice))
_CHOICE_COLUMNS = tuple(name for name in _CHOICE_FIELDS if name != "at")
assert {f.name for f in dataclasses.fields(model.Scene)} == {*_SCENE_FIELDS, "lines", "choices"}
assert _SCENE_FIELDS[-1] == _LINE_FIELDS[-1] == "at"  # where `_Table.rows` puts the place back

Columns = tuple[Any, ...]  # a table: one tuple per field but `at`, then the places' files and packed line numbers
Row = tuple[Any, ...]
Rows = tuple[list[Row], list[Row], list[Row]]
"""A story's scenes, lines and choices, each as the row of its stored fields: the fields in order but `at`,
then the place's file and line number (a scene's then its count of lines and of choices). The reader
gathers them as it makes the objects (`Reader.rows`), so that writing the cache need not read them back."""


def stored(
    story: model.Story, findings: Iterable[Finding] = (), naming: str = "", rows: Rows | None = None
) -> tuple[Any, ...]:
    """What the cache pickles: the story without its scenes, then its scenes', lines' and choices' tables
    (the scenes' followed by each scene's count of lines and of choices), then `naming` and the findings as
    rows of plain values. The tables come from `rows` when given and they fit the story's scenes (the
    reader's: see Rows), else from the objects themselves. ValueError if a place is not "file:line"."""
    tables = _tables(rows) if rows is not None else None
    if tables is None or not _fits(tables, story):
        tables = _tables(rows_of(story))
    notes = (naming, tuple(map(_FINDING_ROW, findings)))
    return dataclasses.replace(story, scenes={}), *tables, notes


def rows_of(story: model.Story) -> Rows:
    """The rows of a story's scenes, lines and choices (see Rows), read back from the objects."""
    scenes = list(story.scenes.values())
    lines = list(chain.from_iterable(map(attrgetter("lines"), scenes)))
    choices = list(chain.from_iterable(map(attrgetter("choices"), scenes)))
    counts = zip(map(len, map(attrgetter("lines"), scenes)), map(len, map(attrgetter("choices"), scenes)), strict=True)
    return (
        list(map(add, _rows(scenes, _SCENE_FIELDS), counts)),
        _rows(lines, _LINE_FIELDS),
        _rows(choices, _CHOICE_FIELDS),
    )


def _rows(objects: list[Any], fields: tuple[str, ...]) -> list[Row]:
    values = attrgetter(*(name for name in fields if name != "at"))
    return [(*values(found), *_place(found.at)) for found in objects]


def _place(at: str) -> tuple[str, int]:
    """A place's file and line number; ValueError unless it is "file:line" as Located.at writes it."""
    file, _, digits = at.rpartition(":")
    number = int(digits)
    if _PLACE(file, number) != at:
        raise ValueError(f"not a place: {at!r}")
    return file, number


def _tables(rows: Rows) -> tuple[Columns, Columns, Columns]:
    """The stored tables of `rows`: the scenes' (with their counts of lines and of choices), the lines', the choices'."""
    scenes, lines, choices = rows
    return (
        _columns(scenes, len(_SCENE_KINDS) + 4, packed=3),
        _columns(lines, len(_LINE_KINDS) + 2),
        _columns(choices, len(_CHOICE_KINDS) + 2),
    )


def _fits(tables: tuple[Columns, Columns, Columns], story: model.Story) -> bool:
    """The tables hold the story's scenes, in order, and as many lines and choices as they have."""
    scenes, lines, choices = tables
    line_counts, choice_counts = (memoryview(packed).cast(_UINT) for packed in scenes[-2:])
    return (
        scenes[0] == tuple(story.scenes)
        and sum(line_counts) * _UINT_BYTES == len(lines[-1])
        and sum(choice_counts) * _UINT_BYTES == len(choices[-1])
    )


def _columns(rows: list[Row], width: int, packed: int = 1) -> Columns:
    """`rows` of `width` values as a table: one tuple per value, but the last `packed` columns (the line
    numbers, and a scene's counts) packed."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    if len(columns) != width:
        raise ValueError("a row of the wrong length")
    return (*columns[:-packed], *map(_packed, columns[-packed:]))


def _packed(numbers: Iterable[int]) -> bytes:
    return array(_UINT, numbers).tobytes()  # OverflowError (a ValueError's cousin) below 0 or above 2**32 - 1


class _Table:
    """A stored table, checked: its columns, its places, and any slice of it as field values in order."""

    __slots__ = ("at", "columns", "files", "numbers")

    def __init__(self, table: Columns, at: int) -> None:
        self.columns, self.files, self.at = table[:-2], table[-2], at
        self.numbers = memoryview(table[-1]).cast(_UINT)

    def rows(self, a: int, b: int) -> list[Any]:
        """The field columns of rows a to b, the places put back as text at `at`."""
        found = [column[a:b] for column in self.columns]
        found.insert(self.at, list(map(_PLACE, self.files[a:b], self.numbers[a:b])))
        return found


_PLACE = "{}:{}".format  # a file and a line number as Located.at writes them


class CachedScenes(Mapping[str, model.Scene]):
    """A cached story's scenes, each built the first time it is asked for; all were checked on load."""

    __slots__ = ("_built", "_choice_starts", "_choices", "_index", "_line_starts", "_lines", "_scenes")

    def __init__(self, scenes: Columns, lines: Columns, choices: Columns) -> None:
        self._scenes = _Table(scenes[:-2], len(_SCENE_KINDS))
        self._lines = _Table(lines, len(_LINE_KINDS))
        self._choices = _Table(choices, _CHOICE_FIELDS.index("at"))
        self._index = dict(zip(scenes[0], range(len(scenes[0])), strict=True))
        self._line_starts = tuple(accumulate(memoryview(scenes[-2]).cast(_UINT), initial=0))
        self._choice_starts = tuple(accumulate(memoryview(scenes[-1]).cast(_UINT), initial=0))
        self._built: dict[str, model.Scene] = {}

    def __getitem__(self, key: str) -> model.Scene:
        scene = self._built.get(key)
        if scene is None:
            scene = self._built[key] = self._build(self._index[key])
        return scene

    def _build(self, i: int) -> model.Scene:
        id_, beat, title, place, on_enter, at = (column[0] for column in self._scenes.rows(i, i + 1))
        a, b = self._line_starts[i], self._line_starts[i + 1]
        lines = tuple(map(model.Line, *self._lines.rows(a, b)))
        a, b = self._choice_starts[i], self._choice_starts[i + 1]
        choices = tuple(map(model.Choice, *self._choices.rows(a, b)))
        return model.Scene(id_, beat, title, place, lines, on_enter, choices, at)

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def keys(self) -> KeysView[str]:
        """The ids as the index's own view: set operations on it run in C, not through Mapping's Python ones."""
        return self._index.keys()

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __reduce__(self) -> tuple[type[dict[str, model.Scene]], tuple[dict[str, model.Scene]]]:
        return dict, (dict(self.items()),)


def _typed(columns: Columns, kinds: tuple[frozenset[type], ...], length: int) -> bool:
    """Every column `length` long and of its field's types (one C pass a column)."""
    return len(columns) == len(kinds) and all(
        type(column) is tuple and len(column) == length and _of_kinds(column, allowed)
        for column, allowed in zip(columns, kinds, strict=True)
    )


def _of_kinds(column: tuple[Any, ...], allowed: frozenset[type]) -> bool:
    if allowed == _KINDS["str"]:  # most columns: str.join checks each item is text, in a tenth of the time
        try:
            "".join(column)
        except TypeError:
            return False
        return True
    if _NONE in allowed and column.count(None) == len(column):  # a field seldom used: a tenth of the time again
        return True
    return set(map(type, column)) <= allowed


def _table_sound(table: Any, kinds: tuple[frozenset[type], ...], length: int) -> bool:
    """A stored table of `length` rows: its columns of their fields' types, its places files and numbers."""
    return (
        type(table) is tuple
        and len(table) == len(kinds) + 2
        and _typed((*table[:-2], table[-2]), (*kinds, _KINDS["str"]), length)
        and _packs(table[-1], length)
    )


def _packs(value: Any, length: int) -> bool:
    """`value` is `length` packed unsigned numbers."""
    return type(value) is bytes and len(value) == length * _UINT_BYTES


def _unique(*columns: Iterable[Any]) -> list[Any]:
    """The distinct objects of some columns, by identity (a cached condition is shared by all its places)."""
    everything = list(chain(*columns))
    return list(dict(zip(map(id, everything), everything, strict=True)).values())


def revived(loaded: Any, made: Iterable[conditions.Condition]) -> model.Story | None:
    """The story a cache file held, if it is exactly what the engine may trust; else None.

    Every field of the type the engine expects, every id a choice or scene names defined,
    and every condition the unpickler `made` parsed again from its source (and compiled).
    """
    if type(loaded) is not tuple or len(loaded) != 5:
        return None
    story, scenes, lines, choices, _ = loaded
    if not (
        type(story) is model.Story
        and type(scenes) is tuple
        and len(scenes) == len(_SCENE_KINDS) + 4
        and type(scenes[0]) is tuple
        and _table_sound(scenes[:-2], _SCENE_KINDS, len(scenes[0]))
        and _packs(scenes[-2], len(scenes[0]))
        and _packs(scenes[-1], len(scenes[0]))
        and _table_sound(lines, _LINE_KINDS, sum(memoryview(scenes[-2]).cast(_UINT)))
        and _table_sound(choices, _CHOICE_KINDS, sum(memoryview(scenes[-1]).cast(_UINT)))
        and story.scenes == {}
    ):
        return None
    built = CachedScenes(scenes, lines, choices)
    ids, beats_of_scenes, on_enter = built.keys(), scenes[1], scenes[4]
    choice = dict(zip(_CHOICE_COLUMNS, choices[:-2], strict=True))
    if not (
        _story_sound(story)
        and len(ids) == len(scenes[0])
        and story.start in ids
        and set(beats_of_scenes) <= story.beats.keys()
        and all(map(is_not, map(type, choice["goto"]), map(type, choice["ending"])))  # one of them: text
        and set(choice["goto"]) - {None} <= ids
        and set(choice["ending"]) - {None} <= story.endings.keys()
        and set(choice["trigger"]) - {None} <= {t.trigger for t in story.transitions}
    ):
        return None
    presentations = [found for found in _unique(choice["present"]) if found is not None]
    if not (
        set(choice["deduce"]) - {None} <= story.deductions.keys()
        and _presentations_sound(presentations, ids, story.endings.keys())
    ):
        return None
    deductions = list(story.deductions.values())
    outcomes = [outcome for found in presentations for outcome in (found.right, found.partly, found.wrong)]
    effects = _unique(
        *on_enter,
        *choice["effects"],
        *map(attrgetter("on_solved"), deductions),
        *map(attrgetter("on_wrong"), deductions),
        *map(attrgetter("effects"), outcomes),
    )
    if not (
        set(map(type, effects)) <= {conditions.Effect}
        and set(map(attrgetter("kind"), effects)) <= set(conditions.EFFECT_KINDS)
        and set(map(type, map(attrgetter("name"), effects))) <= {str}
        and set(map(type, map(attrgetter("amount"), effects))) <= {int}
    ):
        return None
    if not all(map(_condition, made)):  # every Condition in the file was made by revive_condition
        return None
    return dataclasses.replace(story, scenes=built)


_FINDING_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))
_FINDING_ROW = attrgetter(*_FINDING_FIELDS)
_FINDING_KINDS = tuple(frozenset({str if f.type == "str" else int}) for f in dataclasses.fields(Finding))


def _notes(value: Any) -> tuple[list[Finding], str] | None:
    """The findings and naming a cache file holds, if they are what the reader makes of a sound story."""
    if not (type(value) is tuple and len(value) == 2 and type(value[0]) is str and type(value[1]) is tuple):
        return None
    naming, rows = value
    columns = tuple(zip(*rows, strict=True)) if rows else ((),) * len(_FINDING_FIELDS)
    if not (
        set(map(type, rows)) <= {tuple}
        and set(map(len, rows)) <= {len(_FINDING_FIELDS)}
        and _typed(columns, _FINDING_KINDS, len(rows))
        and set(columns[_FINDING_FIELDS.index("severity")]) <= {"warning", "note"}  # an error is never cached
    ):
        return None
    return [Finding(*row) for row in rows], naming


def _texts(*values: Any) -> bool:
    return all(type(value) is str for value in values)


def _table(value: Any, cls: type) -> bool:
    return isinstance(value, Mapping) and all(type(k) is str and type(v) is cls for k, v in value.items())


def _all(objects: list[Any], names: str, *kinds: type) -> bool:
    """Each of the fields `names` of every object is of one of `kinds` (one pass, run in C)."""
    fields = names.split()
    columns = map(attrgetter(*fields), objects)
    values: Iterable[Any] = chain.from_iterable(columns) if len(fields) > 1 else columns
    return set(map(type, values)) <= set(kinds)


def _story_sound(story: model.Story) -> bool:
    """The story's own fields, beats, endings, characters and clues of the types the engine expects."""
    if not (
        _texts(story.id, story.title, story.subtitle, story.start, story.content_note, story.initial_beat, story.digest)
        and (story.voiceover is None or type(story.voiceover) is str)
        and all(
            _table(table, cls)
            for table, cls in (
                (story.beats, model.Beat),
                (story.endings, model.Ending),
                (story.characters, model.Character),
                (story.clues, model.Clue),
                (story.deductions, model.Deduction),
                (story.words, model.Word),
            )
        )
        and type(story.transitions) is tuple
        and story.initial_beat in story.beats
    ):
        return False
    transitions = list(story.transitions)
    beats = story.beats.keys()
    return (
        set(map(type, transitions)) <= {model.BeatTransition}
        and _all(transitions, "trigger source dest at", str)
        and _all(transitions, "guard", conditions.Condition, type(None))
        and {t.source for t in transitions} | {t.dest for t in transitions} <= beats
        and _all(list(story.beats.values()), "name title card at", str)
        and _all(list(story.endings.values()), "id title text at", str)
        and _all(list(story.characters.values()), "id name color description at", str)
        and _all(list(story.words.values()), "id text at", str)
        and _all(list(story.characters.values()), "suspect", bool)
        and _all(list(story.clues.values()), "id name description at", str)
        and all(_table(clue.bears_on, str) for clue in story.clues.values())
        and _deductions_sound(list(story.deductions.values()))
    )


def _deductions_sound(deductions: list[model.Deduction]) -> bool:
    """Each deduction's fields, and its blanks', of the types the engine expects (there are few)."""
    if not (
        _all(deductions, "id title statement at", str)
        and _all(deductions, "blanks on_solved on_wrong", tuple)
        and _all(deductions, "hint_when_wrong_at_most", int)
    ):
        return False
    blanks = [blank for deduction in deductions for blank in deduction.blanks]
    return (
        set(map(type, blanks)) <= {model.Blank}
        and _all(blanks, "name source at", str)
        and _all(blanks, "options", tuple)
        and _all(blanks, "answers", frozenset)
        and _texts(*chain.from_iterable(map(attrgetter("options"), blanks)))
        and _texts(*chain.from_iterable(map(attrgetter("answers"), blanks)))
    )


def _presentations_sound(
    presentations: list[model.Presentation], scenes: Iterable[str], endings: Iterable[str]
) -> bool:
    """Each evidence question's fields of the expected types, and its outcomes' targets defined."""
    if not (
        _all(presentations, "question source at", str)
        and _all(presentations, "options", tuple)
        and _texts(*chain.from_iterable(map(attrgetter("options"), presentations)))
        and _all(presentations, "right partly wrong", model.Outcome)
    ):
        return False
    outcomes = [outcome for found in presentations for outcome in (found.right, found.partly, found.wrong)]
    return (
        _all(outcomes, "accepts", frozenset)
        and _texts(*chain.from_iterable(map(attrgetter("accepts"), outcomes)))
        and _all(outcomes, "effects", tuple)
        and _all(outcomes, "goto ending at", str, type(None))
        and _all(outcomes, "at", str)
        and set(map(attrgetter("goto"), outcomes)) - {None} <= set(scenes)
        and set(map(attrgetter("ending"), outcomes)) - {None} <= set(endings)
    )


def _condition(value: conditions.Condition) -> bool:
    """A condition whose source still parses to the same ids (it is compiled here, once)."""
    if type(value.source) is not str:
        return False
    fresh = conditions.parse_condition(value.source, value.counters)  # LanguageError: caught by read_cached
    if (fresh.flags, fresh.counters, fresh.clues, fresh.scenes, fresh.numbers, fresh.words) != (
        value.flags,
        value.counters,
        value.clues,
        value.scenes,
        value.numbers,
        value.words,
    ):
        return False
    object.__setattr__(value, "test", fresh.test)
    return True
