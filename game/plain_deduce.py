"""Plain mode's dialogue for deductions and evidence: numbered lists that read well aloud.

A choice that submits a deduction asks for each blank in turn (a numbered list
of what the player has gathered), reads the whole statement back, and asks to
confirm; a choice that presents evidence asks for one item. The rules (what is
offered, what counts) are the engine's; this module only asks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from game.engine import deduce
from game.engine.engine import View
from game.engine.state import GameState
from game.story.model import Choice, Story

CANCEL = ("cancel", "c", "q", "back", "b")
COMMANDS = ("deduce", "present")  # typed at the prompt: the choice here that asks for it


class Conversation(Protocol):
    """What the dialogue needs from the plain game: a story, and a way to speak and listen."""

    @property
    def story(self) -> Story: ...

    def write(self, text: str = "") -> None: ...
    def ask(self) -> str | None: ...


def choice_for_command(answer: str, view: View) -> tuple[str, str | None]:
    """`deduce` or `present` typed at the prompt, as the number of the choice that does it.

    Returns (the answer to act on, a message to show instead when nothing here does it).
    """
    word = answer.strip().lower()
    if word not in COMMANDS:
        return answer, None
    for number, choice in enumerate(view.choices, start=1):
        if (choice.deduce if word == "deduce" else choice.present) is not None:
            return str(number), None
    what = "nothing to work out" if word == "deduce" else "no one to show evidence to"
    return answer, f"There is {what} here right now."


def ask_given(game: Conversation, state: GameState, choice: Choice) -> tuple[str, ...] | None:
    """What the player submits with `choice` (() for an ordinary one); None if they cancel."""
    if choice.deduce is not None:
        return _ask_deduction(game, state, choice)
    if choice.present is not None:
        return _ask_presentation(game, state, choice)
    return ()


def _ask_deduction(game: Conversation, state: GameState, choice: Choice) -> tuple[str, ...] | None:
    story = game.story
    assert choice.deduce is not None
    deduction = story.deductions[choice.deduce]
    game.write(f"{deduction.title}. Fill in {len(deduction.blanks)} blanks, then confirm. Type cancel to stop.")
    while True:
        fills: list[str | None] = [None] * len(deduction.blanks)
        game.write(deduce.statement(story, deduction, fills, "({name})"))  # aloud: "who cut ... over why"
        for index, blank in enumerate(deduction.blanks):
            offered = deduce.blank_options(story, state, blank)
            heading = f"Blank {index + 1} of {len(deduction.blanks)}, {blank.name.replace('_', ' ')}:"
            picked = _pick(game, heading, offered, story.label)
            if picked is None:
                game.write("Canceled. Nothing was submitted.")
                return None
            fills[index] = picked
        game.write("You will say: " + deduce.statement(story, deduction, fills))
        if cost := deduce.cost_warning(story, choice):
            game.write(cost)
        game.write("Submit it? Type yes, no to start again, or cancel.")
        answer = _read(game)
        if answer in ("y", "yes"):
            return tuple(fill for fill in fills if fill is not None)
        if answer is None or answer in CANCEL:
            game.write("Canceled. Nothing was submitted.")
            return None


def _ask_presentation(game: Conversation, state: GameState, choice: Choice) -> tuple[str, ...] | None:
    story = game.story
    assert choice.present is not None
    offered = deduce.question_options(story, state, choice.present)
    picked = _pick(game, choice.present.question + " Choose what to present:", offered, story.label)
    if picked is None:
        game.write("Canceled. Nothing was presented.")
        return None
    game.write(f"You present: {story.label(picked)}.")
    return (picked,)


def _pick(game: Conversation, heading: str, offered: Sequence[str], label: Callable[[str], str]) -> str | None:
    """One item from a numbered list, asked until the answer is a number on it (None: canceled)."""
    game.write(heading)
    for number, item in enumerate(offered, start=1):
        game.write(f"  {number}. {label(item)}")
    while True:
        answer = _read(game)
        if answer is None or answer in CANCEL:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(offered):
            return offered[int(answer) - 1]
        game.write(f"Type a number from 1 to {len(offered)}, or cancel.")


def _read(game: Conversation) -> str | None:
    answer = game.ask()
    return None if answer is None else answer.strip().lower()
