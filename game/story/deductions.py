"""Reading and checking deductions (deductions.yaml) and evidence questions (a choice's `present:`).

Reading turns the YAML into model objects and reports shapes that are wrong; the
cross-check, once every id in the story is known, reports what a player could never
do: an answer that is no clue, character or word, an answer the blank does not
offer, an answer no scene hands out (a clue gained, a word learned, a character
met) before the deduction is asked, a slot with no blank, a deduction no choice
offers, a word nothing teaches.
"""

from __future__ import annotations

import ast
import string
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from game.story import fields as fmt
from game.story.conditions import ID_PATTERN, Condition, Effect
from game.story.findings import suggest
from game.story.located import YList, YMap
from game.story.model import GATHERED, Blank, Choice, Deduction, Line, Outcome, Presentation, Scene, Story, Where, Word
from game.story.shapes import Shape

if TYPE_CHECKING:
    from game.story.reader import Reader, _Source

WORDS = "words"  # the reserved key of deductions.yaml that lists the words blanks may offer
_OUTCOMES = ("right", "partly", "wrong")

_DEDUCTION, _PRESENT, _OUTCOME = Shape(fmt.DEDUCTION), Shape(fmt.PRESENT), Shape(fmt.OUTCOME)


def _listed(reader: Reader, where: Where, value: Any, what: str) -> tuple[str, ...] | None:
    """An id or a list of ids, as a tuple; None (reported) when it is neither."""
    items = [value] if isinstance(value, str) else value if isinstance(value, YList) else None
    if items is None or not items or not all(isinstance(i, str) and ID_PATTERN.match(i) for i in items):
        reader.error(where, f"{what} should be an id or a list of ids (lower-case letters, digits and _)")
        return None
    return tuple(items)


def _source(reader: Reader, where: Where, value: Any, what: str) -> tuple[str, tuple[str, ...]] | None:
    """`from:` as (kind, listed ids): one of GATHERED, or "list" with the ids."""
    if isinstance(value, str) and not ID_PATTERN.match(value):
        value = None
    if isinstance(value, str) and value in GATHERED:
        return value, ()
    if isinstance(value, str):
        reader.error(
            where, f"'from' of {what} should be {', '.join(GATHERED)} or a list of ids{suggest(value, GATHERED)}"
        )
        return None
    listed = _listed(reader, where, value, f"'from' of {what}")
    return None if listed is None else ("list", listed)


def read_deductions(reader: Reader, source: _Source | None) -> tuple[dict[str, Deduction], dict[str, Word]]:
    """The deductions and words of deductions.yaml (both empty when there is none)."""
    deductions: dict[str, Deduction] = {}
    words: dict[str, Word] = {}
    if source is None or source.data is None:
        return deductions, words
    data = source.data
    if isinstance(data, YMap) and WORDS in data:
        listed = data[WORDS]
        if not isinstance(listed, YMap):
            reader.error(reader.at(source, data.line_of(WORDS)), "words: should map word ids to the text shown")
        else:
            for word, text in listed.items():
                where = reader.at(source, listed.line_of(word))
                if not isinstance(word, str) or not ID_PATTERN.match(word) or not isinstance(text, str):
                    reader.error(
                        where, f"a word should be 'id: text' (id in lower-case letters, digits and _), not {word!r}"
                    )
                else:
                    words[word] = Word(word, text, str(where))
    for key, body, where in reader._entries(source, "deduction"):
        if key == WORDS:
            continue
        deduction = _deduction(reader, source, key, body, where)
        if deduction is not None:
            deductions[key] = deduction
    return deductions, words


def _deduction(reader: Reader, source: _Source, key: str, body: Any, where: Where) -> Deduction | None:
    what = f"deduction '{key}'"
    fields = reader._fields(source, body, where.line, what, _DEDUCTION)
    if fields is None or "statement" not in fields:
        return None
    blanks: list[Blank] = []
    declared = fields.get("blanks", YMap())
    for name, spec in declared.items():
        at = reader.at(source, declared.line_of(name))
        blank = _blank(reader, source, f"the blank '{name}' of {what}", str(name), spec, at)
        if blank is not None:
            blanks.append(blank)
    statement = fields["statement"].strip()
    slots = _slots(statement)
    if slots is None:
        reader.error(
            reader.at(source, body.line_of("statement")),
            f"the statement of {what} has a stray {{ or }}; write each blank as {{name}}",
        )
    else:
        for slot in slots:
            if slot not in declared:
                reader.error(
                    reader.at(source, body.line_of("statement")),
                    f"the statement of {what} has a slot {{{slot}}} with no blank{suggest(slot, declared)}",
                )
        for blank in blanks:
            if blank.name not in slots:
                reader.error(
                    blank.where, f"the blank '{blank.name}' of {what} has no {{{blank.name}}} slot in its statement"
                )
    hint = fields.get("hint_when_wrong_at_most", 0)
    if hint < 0:
        reader.error(
            reader.at(source, body.line_of("hint_when_wrong_at_most")),
            f"hint_when_wrong_at_most of {what} cannot be negative",
        )
    return Deduction(
        key,
        fields.get("title", key),
        statement,
        tuple(blanks),
        max(hint, 0),
        _effects(reader, source, body, "on_solved", what),
        _effects(reader, source, body, "on_wrong", what),
        str(where),
    )


def _effects(reader: Reader, source: _Source, body: Any, key: str, what: str) -> tuple[Effect, ...]:
    if not isinstance(body, YMap) or key not in body:
        return ()
    return reader.effects(source, body[key], body.line_of(key), f"{key} of {what}")


def _slots(statement: str) -> list[str] | None:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(statement) if name is not None]
    except ValueError:
        return None


def _blank(reader: Reader, source: _Source, what: str, name: str, spec: Any, where: Where) -> Blank | None:
    if not isinstance(spec, YMap):
        reader.error(where, f"{what} should be a mapping with 'from' and 'answer'")
        return None
    for key in spec:
        if key not in fmt.BLANK:
            reader.error(
                reader.at(source, spec.line_of(key)), f"unknown field '{key}' in {what}{suggest(str(key), fmt.BLANK)}"
            )
    if "from" not in spec:
        reader.error(where, f"{what} is missing 'from' (suspects, characters, clues or a list of ids)")
        return None
    if "answer" not in spec or not spec["answer"]:
        reader.error(where, f"{what} has no right answer; give it 'answer:' (an id, or a list of ids)")
        return None
    drawn = _source(reader, reader.at(source, spec.line_of("from")), spec["from"], what)
    answers = _listed(reader, reader.at(source, spec.line_of("answer")), spec["answer"], f"the answer of {what}")
    if drawn is None or answers is None:
        return None
    return Blank(name, drawn[0], drawn[1], frozenset(answers), f"{where.file}:{spec.line_of('answer')}")


def read_presentation(reader: Reader, source: _Source, data: Any, line: int, what: str) -> Presentation | None:
    """A choice's `present:` block."""
    what = f"the evidence question of {what}"
    fields = reader._fields(source, data, line, what, _PRESENT)
    if fields is None or "ask" not in fields or "right" not in data:
        return None
    drawn = _source(reader, reader.at(source, data.line_of("from")), data["from"], what) if "from" in data else None
    kind, listed = drawn if drawn is not None else ("clues", ())
    outcomes: dict[str, Outcome] = {}
    for name in _OUTCOMES:
        at = data.line_of(name)
        if name not in data:  # no partly right, or a wrong answer that only follows the choice
            outcomes[name] = Outcome(frozenset(), (), None, None, f"{source.name}:{at}")
            continue
        outcomes[name] = _outcome(reader, source, data[name], at, f"'{name}' of {what}", name)
    return Presentation(
        fields["ask"].strip(),
        kind,
        listed,
        outcomes["right"],
        outcomes["partly"],
        outcomes["wrong"],
        f"{source.name}:{line}",
    )


def _outcome(reader: Reader, source: _Source, body: Any, line: int, what: str, name: str) -> Outcome:
    fields = reader._fields(source, body, line, what, _OUTCOME)
    if fields is None:
        return Outcome(frozenset(), (), None, None, f"{source.name}:{line}")
    accepts: tuple[str, ...] = ()
    if "accept" in body:
        accepts = (
            _listed(reader, reader.at(source, body.line_of("accept")), body["accept"], f"'accept' of {what}") or ()
        )
    elif name != "wrong":
        reader.error(reader.at(source, line), f"{what} needs 'accept:' (the items that count)")
    if name == "wrong" and accepts:
        reader.error(reader.at(source, line), f"{what} takes no 'accept:': every other item is wrong")
    for kind, table in (("goto", "goto"), ("ending", "ending")):
        if kind in fields:
            reader.pending_refs.append((source.name, body.line_of(kind), table, fields[kind]))
    if "goto" in fields and "ending" in fields:
        reader.error(reader.at(source, line), f"{what} has both 'goto' and 'ending'; keep one")
    effects = reader.effects(source, body["do"], body.line_of("do"), what) if "do" in fields else ()
    return Outcome(frozenset(accepts), effects, fields.get("goto"), fields.get("ending"), f"{source.name}:{line}")


# -- the cross-check ---------------------------------------------------------


def cross_check(story: Story, error: Callable[[Where, str, str], None]) -> None:
    """Everything that needs the whole story; `error(where, message, severity)` reports."""
    offered: dict[str, list[tuple[Scene, Choice]]] = {}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.deduce is not None:
                if choice.deduce not in story.deductions:
                    error(
                        choice.where,
                        f"unknown deduction '{choice.deduce}'{suggest(choice.deduce, story.deductions)}",
                        "error",
                    )
                else:
                    offered.setdefault(choice.deduce, []).append((scene, choice))
            if choice.present is not None:
                _check_items(
                    story,
                    error,
                    f"the evidence question of '{choice.text}'",
                    choice.present.source,
                    choice.present.options,
                    choice.present.where,
                )
                for name in _OUTCOMES:
                    result = getattr(choice.present, name)
                    _check_answers(
                        story,
                        error,
                        f"'{name}' of the evidence question of '{choice.text}'",
                        choice.present.source,
                        choice.present.options,
                        result.accepts,
                        result.where,
                        [scene],
                    )
    for deduction in story.deductions.values():
        scenes = [scene for scene, _ in offered.get(deduction.id, ())]
        if not scenes:
            error(
                deduction.where,
                f"deduction '{deduction.id}' is never offered: no choice has 'deduce: {deduction.id}'",
                "warning",
            )
        for blank in deduction.blanks:
            what = f"the blank '{blank.name}' of deduction '{deduction.id}'"
            _check_items(story, error, what, blank.source, blank.options, blank.where)
            _check_answers(story, error, what, blank.source, blank.options, blank.answers, blank.where, scenes)
            _check_answer_alone(story, error, what, blank, scenes)
    for condition, where in _condition_refs(story):
        for name in sorted(condition.deductions - story.deductions.keys()):
            error(where, f"unknown deduction '{name}'{suggest(name, story.deductions)}", "error")
        for name in sorted(condition.words - story.words.keys()):
            error(where, f"unknown word '{name}'{suggest(name, story.words)}", "error")
    taught = {e.name for e in story_effects(story, story.scenes.values()) if e.kind == "learn"}
    for word in story.words.values():
        if word.id not in taught:
            error(
                word.where,
                f"word '{word.id}' is never learned: no 'learn: {word.id}' anywhere, so no blank ever offers it",
                "warning",
            )


def _condition_refs(story: Story) -> Iterator[tuple[Condition, Where]]:
    """Each condition that names a deduction or a word, with where it is written."""
    for transition in story.transitions:
        if transition.guard is not None and (transition.guard.deductions or transition.guard.words):
            yield transition.guard, transition.where
    for scene in story.scenes.values():
        items: tuple[Line | Choice, ...] = (*scene.lines, *scene.choices)
        for item in items:
            condition = item.condition
            if condition is not None and (condition.deductions or condition.words):
                yield condition, item.where  # made only here: a Where for each of 75,000 places cost a tenth of a load


def _known(story: Story) -> dict[str, str]:
    """Every id a blank may name, with what it is."""
    return {
        **{w: "word" for w in story.words},
        **{c: "character" for c in story.characters},
        **{c: "clue" for c in story.clues},
    }


def _check_items(
    story: Story, error: Callable[[Where, str, str], None], what: str, source: str, listed: Iterable[str], where: Where
) -> None:
    known = _known(story)
    for item in listed:
        if item not in known:
            error(where, f"{what} offers '{item}', which is no clue, character or word{suggest(item, known)}", "error")


def _check_answers(
    story: Story,
    error: Callable[[Where, str, str], None],
    what: str,
    source: str,
    listed: tuple[str, ...],
    answers: Iterable[str],
    where: Where,
    asked_in: list[Scene],
) -> None:
    pool: Mapping[str, object] = (
        story.clues
        if source == "clues"
        else {c.id: c for c in story.suspects}
        if source == "suspects"
        else story.characters
        if source == "characters"
        else dict.fromkeys(listed)
    )
    known = _known(story)
    for answer in sorted(answers):
        if answer not in known:
            error(
                where,
                f"{what} accepts '{answer}', which is no clue, character or word{suggest(answer, known)}",
                "error",
            )
        elif answer not in pool:
            noun = "one of its listed ids" if source == "list" else f"one of the {source}"
            error(
                where,
                f"{what} accepts '{answer}', which it never offers: it is not {noun}{suggest(answer, pool)}",
                "error",
            )
        elif asked_in and not _gathered_before(story, answer, asked_in):
            thing = (
                "clue is gained"
                if answer in story.clues
                else "word is learned"
                if answer in story.words
                else "character speaks"
            )
            error(
                where,
                f"{what} accepts '{answer}', but no scene where that {thing} comes before "
                f"{', '.join(repr(s.id) for s in asked_in)}: a player can never hold it there",
                "error",
            )


def _check_answer_alone(
    story: Story, error: Callable[[Where, str, str], None], what: str, blank: Blank, asked_in: list[Scene]
) -> None:
    """Warn when a blank can be offered with its right answer as its only option (which hands the
    answer over). Static, conditions ignored but for the clues and words they require: some way
    through the scenes learns a right answer and reaches a scene that offers the deduction without
    passing any scene that teaches a wrong one."""
    pool = item_pool(story, blank.source, blank.options)
    wrong = [item for item in pool if item not in blank.answers]
    right = [item for item in pool if item in blank.answers]
    if not wrong or not right or not asked_in:
        return
    teaches_wrong = set().union(*(_teachers(story, item) for item in wrong))
    teaches_right = set().union(*(_teachers(story, item) for item in right))
    targets = {scene.id for scene in asked_in}
    if story.start not in story.scenes or story.start in teaches_wrong:
        return
    start = (story.start, story.start in teaches_right)
    seen = {start}
    queue = deque([start])
    while queue:
        here, holds = queue.popleft()
        if holds and here in targets:
            error(
                blank.where,
                f"{what} can be offered with its right answer alone: a way through the scenes (a static look: "
                f"of conditions only has() and knows() read) learns {' or '.join(repr(a) for a in right)} and reaches {here!r} before any scene "
                f"teaches a wrong option ({', '.join(repr(w) for w in wrong)}); teach a wrong one (a decoy) "
                "before or with the right one",
                "warning",
            )
            return
        for choice in story.scenes[here].choices:
            needs = _required(story, choice)
            if needs & set(wrong):
                continue  # only taken holding a wrong option
            for goto in choice_targets(choice):
                step = (goto, holds or bool(needs & set(right)) or goto in teaches_right)
                if goto in story.scenes and goto not in teaches_wrong and step not in seen:
                    seen.add(step)
                    queue.append(step)


def _required(story: Story, choice: Choice) -> set[str]:
    """The clues and words a choice cannot be taken without: each has(x) or knows(x) its condition
    (or, for a trigger, every guard of that trigger) asks for outright, as one of its and-ed parts."""
    needs = _needed(choice.condition)
    guards = [t.guard for t in story.transitions if choice.trigger is not None and t.trigger == choice.trigger]
    if guards:
        needs |= set.intersection(*(_needed(guard) for guard in guards))
    return needs


def _needed(condition: Condition | None) -> set[str]:
    if condition is None:
        return set()
    tree = ast.parse(condition.source, mode="eval").body
    parts = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
    return {
        part.args[0].id
        for part in parts
        if isinstance(part, ast.Call)
        and isinstance(part.func, ast.Name)
        and part.func.id in ("has", "knows")
        and len(part.args) == 1
        and isinstance(part.args[0], ast.Name)
    }


def item_pool(story: Story, source: str, listed: tuple[str, ...]) -> tuple[str, ...]:
    """Every item a blank or question drawing on `source` can ever offer."""
    if source == "clues":
        return tuple(story.clues)
    if source == "suspects":
        return tuple(c.id for c in story.suspects)
    if source == "characters":
        return tuple(story.characters)
    return listed


def _teachers(story: Story, item: str) -> set[str]:
    """The scenes that hand out `item`: gain a clue, learn a word, or where a character speaks."""
    if item in story.clues or item in story.words:
        kind = "gain" if item in story.clues else "learn"
        return {
            scene.id
            for scene in story.scenes.values()
            if any(e.kind == kind and e.name == item for e in scene_effects(story, scene))
        }
    return {s.id for s in story.scenes.values() if any(line.speaker == item for line in s.lines)}


def _gathered_before(story: Story, item: str, asked_in: list[Scene]) -> bool:
    """Whether some scene that hands out `item` can lead (ignoring conditions) to a scene where it is asked for."""
    sources = _teachers(story, item)
    targets = {scene.id for scene in asked_in}
    seen = set(sources)
    queue = deque(sources)
    while queue:
        here = queue.popleft()
        if here in targets:
            return True
        for choice in story.scenes[here].choices:
            for goto in choice_targets(choice):
                if goto in story.scenes and goto not in seen:
                    seen.add(goto)
                    queue.append(goto)
    return False


def choice_endings(choice: Choice) -> Iterator[str]:
    """The endings a choice can lead to: its own, and its evidence question's."""
    return _leads_to(choice, "ending")


def clues_asked_for(story: Story) -> set[str]:
    """Clues a deduction or an evidence question accepts: they are used, like a clue a condition asks for."""
    found = {answer for d in story.deductions.values() for blank in d.blanks for answer in blank.answers}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.present is not None:
                found |= choice.present.right.accepts | choice.present.partly.accepts
    return found & story.clues.keys()


def choice_targets(choice: Choice) -> Iterator[str]:
    """The scenes a choice can lead to: its own goto, and its evidence question's."""
    return _leads_to(choice, "goto")


def _leads_to(choice: Choice, field: str) -> Iterator[str]:
    """The choice's own `goto` or `ending`, then each of its evidence question's outcomes'."""
    own = getattr(choice, field)
    if own is not None:
        yield own
    if choice.present is not None:
        for name in _OUTCOMES:
            target = getattr(getattr(choice.present, name), field)
            if target is not None:
                yield target


def callers_of(story: Story) -> dict[str, set[str]]:
    """For each scene, the scenes with a choice that can lead to it: the graph, walked backwards."""
    callers: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for scene in story.scenes.values():
        for choice in scene.choices:
            for target in choice_targets(choice):
                if target in callers:
                    callers[target].add(scene.id)
    return callers


def conditional_effects(story: Story, choice: Choice) -> Iterator[Effect]:
    """The effects a choice applies on one branch only: its deduction's on_solved and on_wrong,
    its evidence question's outcomes."""
    if choice.deduce is not None and choice.deduce in story.deductions:
        deduction = story.deductions[choice.deduce]
        yield from (*deduction.on_solved, *deduction.on_wrong)
    if choice.present is not None:
        for name in _OUTCOMES:
            yield from getattr(choice.present, name).effects


def scene_effects(story: Story, scene: Scene) -> Iterator[Effect]:
    yield from scene.on_enter
    for choice in scene.choices:
        yield from choice.effects
        if choice.present is not None:
            for name in _OUTCOMES:
                yield from getattr(choice.present, name).effects
    for deduction in story.deductions.values():
        if any(c.deduce == deduction.id for c in scene.choices):
            yield from deduction.on_solved
            yield from deduction.on_wrong


def story_effects(story: Story, scenes: Iterable[Scene]) -> list[Effect]:
    """Every effect scene_effects gives for `scenes`, all at once: walked in C passes over the whole
    story (a big one has tens of thousands of choices), in no particular order."""
    scenes = list(scenes)
    choices = list(chain.from_iterable(map(attrgetter("choices"), scenes)))
    found = [
        *chain.from_iterable(map(attrgetter("on_enter"), scenes)),
        *chain.from_iterable(map(attrgetter("effects"), choices)),
    ]
    for question in {id(p): p for p in map(attrgetter("present"), choices) if p is not None}.values():
        for name in _OUTCOMES:
            found += getattr(question, name).effects
    deduced = set(map(attrgetter("deduce"), choices))
    for deduction in story.deductions.values():
        if deduction.id in deduced:
            found += (*deduction.on_solved, *deduction.on_wrong)
    return found
