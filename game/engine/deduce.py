"""Deductions and evidence: what a blank or a question offers, how a submission scores, what the player is told.

Pure functions of (Story, GameState), used by the engine to apply a submission, by
every frontend to offer the options, and by the proofs to try each kind of outcome.
A player is only ever offered what they have gathered: clues held, characters met,
and the words a scene has taught them (`learn:`).
"""

from __future__ import annotations

import ast
import random
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from game.engine.casebook import has_met
from game.engine.state import GameState
from game.story.conditions import UNSUBMITTED_WRONG, Effect
from game.story.deductions import callers_of
from game.story.model import Blank, Choice, Deduction, Outcome, Presentation, Story

RIGHT, PARTLY, WRONG = "right", "partly", "wrong"


def options(story: Story, state: GameState, source: str, listed: Sequence[str] = ()) -> tuple[str, ...]:
    """The items a blank or a question drawing on `source` offers now, in a stable order."""
    if source == "clues":
        return tuple(clue for clue in state.clues if clue in story.clues)
    if source in ("suspects", "characters"):
        people = story.suspects if source == "suspects" else tuple(story.characters.values())
        return tuple(c.id for c in people if has_met(story, state, c.id))
    return tuple(item for item in listed if _gathered(story, state, item))


def _gathered(story: Story, state: GameState, item: str) -> bool:
    if item in story.clues:
        return item in state.clues
    if item in story.characters:
        return has_met(story, state, item)
    return item in state.words  # a word, once a scene has taught it


def blank_options(story: Story, state: GameState, blank: Blank) -> tuple[str, ...]:
    return options(story, state, blank.source, blank.options)


def question_options(story: Story, state: GameState, question: Presentation) -> tuple[str, ...]:
    return options(story, state, question.source, question.options)


def wrong_count(deduction: Deduction, fills: Sequence[str]) -> int:
    """How many blanks the fills get wrong (the engine never says which)."""
    return sum(fill not in blank.answers for blank, fill in zip(deduction.blanks, fills, strict=True))


def feedback(deduction: Deduction, wrong: int) -> str:
    """What the player is told after a submission: all right, or only whether at most N are wrong."""
    if wrong == 0:
        return "All of it is right."
    most = deduction.hint_when_wrong_at_most
    if wrong <= most:
        return "Only one is wrong." if most == 1 else f"{_count(most).capitalize()} or fewer are wrong."
    if most == 1:
        return "More than one is wrong."
    return f"More than {_count(most)} are wrong." if most else "Something is wrong."


def _count(number: int) -> str:
    words = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[number] if 0 <= number < len(words) else str(number)


def outcome(question: Presentation, item: str) -> tuple[str, Outcome]:
    """Whether an item answers a question right, partly or not at all, and where that leads."""
    if item in question.right.accepts:
        return RIGHT, question.right
    if item in question.partly.accepts:
        return PARTLY, question.partly
    return WRONG, question.wrong


def statement(story: Story, deduction: Deduction, fills: Sequence[str | None], blank: str = "_____") -> str:
    """The deduction's statement with each slot showing its fill, or while empty `blank` (where
    "{name}" stands for the blank's name: "({name})" reads aloud as the question the blank asks)."""
    shown = {
        b.name: _in_sentence(story, fill) if fill else blank.replace("{name}", b.name.replace("_", " "))
        for b, fill in zip(deduction.blanks, fills, strict=True)
    }
    said = deduction.statement.format_map(shown)
    return said[:1].upper() + said[1:]


def _in_sentence(story: Story, item: str) -> str:
    """A label as it reads inside a sentence: 'the keeper's ledger', not 'The keeper's ledger'."""
    label = story.label(item)
    if item in story.clues and label.split(" ", 1)[0] in ("The", "A", "An"):
        return label[0].lower() + label[1:]
    return label


def cost_warning(story: Story, choice: Choice) -> str:
    """What every frontend says before a submission whose wrong answer costs the player something
    (effects, or another way on), naming the counters it moves; "" when a wrong try is free."""
    if choice.deduce is not None and story.deductions[choice.deduce].on_wrong:
        return _costing("If any of it is wrong, that will cost you", story, story.deductions[choice.deduce].on_wrong)
    if choice.present is not None and any(
        outcome.effects or outcome.goto or outcome.ending for outcome in (choice.present.partly, choice.present.wrong)
    ):
        return _costing("If it is not the right thing, that will cost you", story, choice.present.wrong.effects)
    return ""


def _costing(warning: str, story: Story, effects: Sequence[Effect]) -> str:
    """The warning, and what a wrong try does to each counter: "Detective Isabel Cruz's doubt grows by one"."""
    costs = [_counter_change(story, effect) for effect in effects if effect.kind == "add" and effect.amount]
    return f"{warning}: {'; '.join(costs)}." if costs else f"{warning}."


def _counter_change(story: Story, effect: Effect) -> str:
    """A counter as a player would name it: "doubt.cruz" is Cruz's doubt, "resolve" is yours."""
    what, _, whose = effect.name.partition(".")
    owner = story.characters[whose].name + "'s" if whose in story.characters else "your"
    if whose and whose not in story.characters:
        what = effect.name.replace(".", " ")
    amount = abs(effect.amount)
    return f"{owner} {what.replace('_', ' ')} {'grows' if effect.amount > 0 else 'falls'} by {_count(amount)}"


def last_feedback(story: Story, state: GameState) -> str:
    """What the last choice taken was told, when it submitted a deduction ("" otherwise): the scene it
    led to says it again after a load, an undo or a redo, as it did when the choice was taken."""
    if not state.log:
        return ""
    last = state.log[-1]
    scene = story.scenes.get(last.scene)
    choice = next((c for c in scene.choices if c.key == last.choice), None) if scene else None
    if choice is None or choice.deduce is None or choice.deduce not in story.deductions:
        return ""
    done = state.deductions.get(choice.deduce)
    return feedback(story.deductions[choice.deduce], done.wrong) if done is not None else ""


def can_submit(story: Story, state: GameState, choice: Choice) -> bool:
    """A deduce or present choice is offered only when every blank (or the question) has something to pick."""
    if choice.deduce is not None:
        deduction = story.deductions[choice.deduce]
        return all(blank_options(story, state, blank) for blank in deduction.blanks)
    if choice.present is not None:
        return bool(question_options(story, state, choice.present))
    return True


def random_given(story: Story, state: GameState, choice: Choice, rng: random.Random) -> tuple[str, ...]:
    """A random submission from what the player has (autoplay): half the time a random filling, half
    the time one of each kind of outcome in turn (see representative_givens), so that a long
    deduction's right answer, which random fillings almost never hit, is played too."""
    if choice.deduce is None and choice.present is None:
        return ()
    if rng.random() < 0.5:
        kinds = list(representative_givens(story, state, choice))
        return kinds[rng.randrange(len(kinds))]
    if choice.deduce is not None:
        blanks = story.deductions[choice.deduce].blanks
        return tuple(rng.choice(blank_options(story, state, blank)) for blank in blanks)
    if choice.present is not None:
        return (rng.choice(question_options(story, state, choice.present)),)
    return ()


def representative_givens(story: Story, state: GameState, choice: Choice) -> Iterator[tuple[str, ...]]:
    """One submission for each kind of outcome the player can reach now (the soft-lock proof).

    A deduction: all right, wrong within the hint, wrong beyond it (each the fewest
    wrong blanks possible); a question: one item for right, partly and wrong each.
    """
    if choice.deduce is not None:
        deduction = story.deductions[choice.deduce]
        right: list[str | None] = []
        wrong: list[str | None] = []
        for blank in deduction.blanks:
            offered = blank_options(story, state, blank)
            right.append(next((item for item in offered if item in blank.answers), None))
            wrong.append(next((item for item in offered if item not in blank.answers), None))
        must = sum(r is None for r in right)  # blanks that can only be wrong
        can = sum(w is not None for w in wrong)  # blanks that can be wrong
        for target in telling_wrong_counts(must, can, deduction.hint_when_wrong_at_most):
            yield _filling(right, wrong, target)
        return
    if choice.present is not None:
        seen: set[str] = set()
        for item in question_options(story, state, choice.present):
            kind = outcome(choice.present, item)[0]
            if kind not in seen:
                seen.add(kind)
                yield (item,)
        return
    yield ()


def telling_wrong_counts(must: int, can: int, most: int) -> list[int]:
    """How many blanks wrong a submission needs, one number per feedback the player can get.

    `must` blanks can only be filled wrong, `can` can be filled wrong at all, and the hint
    says "`most` or fewer are wrong": all right, a few wrong, and too many wrong are the
    three outcomes that differ, so the proofs try one filling of each that can happen.
    """
    targets = [0] if must == 0 else []
    if max(1, must) <= min(most, can):
        targets.append(max(1, must))
    if max(most + 1, must) <= can:
        targets.append(max(most + 1, must))
    return targets


def _filling(right: list[str | None], wrong: list[str | None], wrong_blanks: int) -> tuple[str, ...]:
    """Fills with exactly `wrong_blanks` wrong (those that must be wrong first)."""
    extra = wrong_blanks - sum(good is None for good in right)
    result: list[str] = []
    for good, bad in zip(right, wrong, strict=True):
        if good is None:
            assert bad is not None
            result.append(bad)
        elif extra > 0 and bad is not None:
            result.append(bad)
            extra -= 1
        else:
            result.append(good)
    return tuple(result)


def moves(story: Story, state: GameState, choices: Sequence[Choice]) -> Iterator[tuple[Choice, tuple[str, ...]]]:
    """Each choice on offer with each representative submission (see representative_givens)."""
    for choice in choices:
        for given in representative_givens(story, state, choice):
            yield choice, given


def move_text(story: Story, choice: Choice, given: Sequence[str]) -> str:
    """A choice as a path step names it: its text, and what was submitted with it."""
    return f"{choice.text} [{', '.join(story.label(item) for item in given)}]" if given else choice.text


@dataclass(frozen=True)
class ProofCap:
    """What of the deductions' state and the words learned the proofs must tell apart (see proof_key)."""

    most: int  # the number past which a wrong count or attempts cannot change a condition
    read: frozenset[str]  # the deductions conditions read
    counted: frozenset[str]  # those whose attempts they read
    known: tuple[str, ...]  # the words conditions read with knows()
    # For each scene: what the words learned can still change ahead of it, each as groups of words
    # (a blank's right and wrong words; a question's right, partly and wrong words).
    ahead: Mapping[str, tuple[tuple[str, tuple[frozenset[str], ...]], ...]]
    closed: frozenset[str]  # deductions no choice offers again once solved


def proof_cap(story: Story) -> ProofCap:
    """What the proofs must tell apart, from the conditions of choices and beat guards (a line's
    condition only changes what is said) and from the words each scene's deductions and questions
    still ahead list."""
    numbers: list[int] = []
    read: set[str] = set()
    counted: set[str] = set()
    known: set[str] = set()
    for condition in story.conditions(lines=False):
        known |= condition.words
        if not condition.deductions:
            continue
        read |= condition.deductions
        for node in ast.walk(ast.parse(condition.source, mode="eval")):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            calls = [o for o in operands if isinstance(o, ast.Call) and isinstance(o.func, ast.Name)]
            if any(call.func.id in ("wrong", "attempts") for call in calls):  # type: ignore[attr-defined]
                numbers += [o.value for o in operands if isinstance(o, ast.Constant) and type(o.value) is int]
            counted |= {
                call.args[0].id  # type: ignore[attr-defined]
                for call in calls
                if call.func.id == "attempts" and call.args  # type: ignore[attr-defined]
            }
    return ProofCap(
        max([0, *numbers]) + 1,
        frozenset(read),
        frozenset(counted),
        tuple(sorted(known)),
        _words_ahead(story),
        frozenset(d for d in story.deductions if _closed_once_solved(story, d)),
    )


def _word_groups(story: Story, choice: Choice) -> tuple[str, tuple[frozenset[str], ...]] | None:
    """The words a deduce or present choice lists, grouped by the kind of answer each makes: learning
    a second word of a group changes nothing the player can submit, so only whether one is known matters."""

    def words(items: Sequence[str] | frozenset[str]) -> frozenset[str]:
        return frozenset(item for item in items if item in story.words)

    if choice.deduce is not None and choice.deduce in story.deductions:
        groups = tuple(
            group
            for blank in story.deductions[choice.deduce].blanks
            for group in (words(blank.answers) & words(blank.options), words(blank.options) - blank.answers)
        )
        return (choice.deduce, groups) if any(groups) else None
    if choice.present is not None:
        question = choice.present
        right, partly = words(question.right.accepts), words(question.partly.accepts) - question.right.accepts
        listed = words(question.options)
        groups = (listed & right, listed & partly, listed - right - partly)
        return (f"{question.at}", groups) if any(groups) else None
    return None


def _words_ahead(story: Story) -> dict[str, tuple[tuple[str, tuple[frozenset[str], ...]], ...]]:
    """For each scene, the word groups of the deduce and present choices in scenes it can lead to
    (conditions ignored, so never too few): a word matters to the proof only while one is ahead."""
    callers = callers_of(story)
    ahead: dict[str, dict[str, tuple[frozenset[str], ...]]] = {sid: {} for sid in story.scenes}
    for scene in story.scenes.values():
        for choice in scene.choices:
            found = _word_groups(story, choice)
            if found is None:
                continue
            name, groups = found
            seen = {scene.id}
            queue = deque(seen)
            while queue:
                here = queue.popleft()
                ahead[here][name] = groups
                for caller in callers[here] - seen:
                    seen.add(caller)
                    queue.append(caller)
    return {sid: tuple(sorted(found.items())) for sid, found in ahead.items()}


def _closed_once_solved(story: Story, deduction: str) -> bool:
    """Whether every choice that submits the deduction asks `not solved(it)` (the usual shape), so
    that once solved it is never offered again and the words it lists no longer matter."""
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.deduce != deduction:
                continue
            if choice.condition is None:
                return False
            tree = ast.parse(choice.condition.source, mode="eval").body
            parts = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
            if not any(ast.unparse(part) == f"not solved({deduction})" for part in parts):
                return False
    return True


def proof_key(state: GameState, cap: ProofCap) -> tuple[object, ...]:
    """What of the deductions' state and the words learned a choice still ahead can tell apart: each
    read deduction's wrong count and (when read) attempts, clamped, never the fills, nothing of a
    deduction only lines read; then, as the bits of one number (the proof keeps millions of keys),
    the words conditions read, and for each deduction or question still ahead whether it is still
    open (a deduction: unsolved or offered again) and which groups of its words are known."""
    most, read, counted = cap.most, cap.read, cap.counted
    key = []
    for name in sorted(read):
        done = state.deductions.get(name)
        wrong = UNSUBMITTED_WRONG if done is None else done.wrong
        attempts = 0 if done is None or name not in counted else done.attempts
        key.append((min(wrong, most), min(attempts, most)))
    words = state.words
    bits = [word in words for word in cap.known]
    for name, groups in cap.ahead.get(state.scene, ()):
        still_open = name not in cap.closed or not _solved(state, name)
        bits.append(still_open)
        bits.extend(still_open and not group.isdisjoint(words) for group in groups)
    return tuple(key), sum(1 << i for i, bit in enumerate(bits) if bit)


def _solved(state: GameState, deduction: str) -> bool:
    done = state.deductions.get(deduction)
    return done is not None and done.wrong == 0


def worked_out(story: Story, state: GameState) -> tuple[tuple[str, str, str], ...]:
    """The deductions submitted so far, for the casebook: (title, statement as last put, how it went)."""
    found = []
    for name, done in state.deductions.items():
        deduction = story.deductions.get(name)
        if deduction is None or len(done.fills) != len(deduction.blanks):
            continue  # the story no longer has it in this shape
        tries = f"{done.attempts} tr{'y' if done.attempts == 1 else 'ies'}"
        found.append(
            (deduction.title, statement(story, deduction, done.fills), f"{feedback(deduction, done.wrong)} ({tries})")
        )
    return tuple(found)
