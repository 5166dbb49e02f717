"""Plain line mode: the game on stdin/stdout, for screen readers, pipes and tests.

Every line is written out in full with its speaker's name; color is only ever
an addition, and is off when NO_COLOR is set or the output is not a terminal.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from typing import TextIO

from game.engine.casebook import casebook as casebook_entries
from game.engine.casebook import suspects_board
from game.engine.deduce import worked_out
from game.engine.state import GameState
from game.plain_deduce import ask_given, choice_for_command
from game.saves import SlotInfo, printable
from game.session import Outcome, Session, describe_slot
from game.session.entries import Entry
from game.story.model import NARRATOR, SUSPECT_ASPECTS, VOICEOVER, Story

MAX_NUMBER_DIGITS = 6  # no story has a million choices; longer input is not a choice number

HELP = """Type the number of a choice and press Enter. Other commands:
  look            show the scene again        casebook      the clues you have found
  suspects        what you know of each suspect
  undo [N]        take back the last choice(s) redo         put it back
  save [NAME]     save the game (quicksave)   load [NAME]   load a save
  saves           list the saves              reload        pick up edited story files
  deduce          work out a case, when a choice offers it
  present         show evidence, when a choice asks for it
  help, quit"""


def wants_color(stream: TextIO) -> bool:
    return not os.environ.get("NO_COLOR") and stream.isatty()


def choice_number(text: str) -> int | None:
    """The number typed, when it is one: ASCII digits only (not '③' or '²'), and never too long."""
    if not text or len(text) > MAX_NUMBER_DIGITS or not (text.isascii() and text.isdecimal()):
        return None
    return int(text)


class PlainGame:
    """Plain text over a `Session`: it prints what the session shows and passes each answer back."""

    def __init__(
        self,
        session: Session,
        stdin: TextIO,
        stdout: TextIO,
        color: bool | None = None,
        watch: bool = False,
    ) -> None:
        self.session = session
        self.watch = watch
        self.stdin = stdin
        self.out = stdout
        self.color = wants_color(stdout) if color is None else color
        self.echo = not stdin.isatty()
        self.width = shutil.get_terminal_size().columns if stdout.isatty() else 0

    # -- writing ----------------------------------------------------------
    @property
    def story(self) -> Story:
        return self.session.story

    def write(self, text: str = "") -> None:
        if self.width and text:
            text = "\n".join(textwrap.fill(part, width=min(self.width, 100)) for part in text.split("\n"))
        print(text, file=self.out)

    def style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def rgb(self, text: str, color: str) -> str:
        digits = color.lstrip("#")
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        return self.style(text, f"1;38;2;{red};{green};{blue}")

    def show(self, entries: tuple[Entry, ...]) -> None:
        """Print what a step shows (the choice taken was already echoed at the prompt)."""
        for entry in entries:
            if entry.kind == "chapter":
                self.write()
                self.write(self.style(f"== {entry.text} ==", "1"))
                if entry.detail:
                    self.write(entry.detail)
            elif entry.kind == "scene":
                self.write()
                self.write(self.style(f"-- {entry.text}" + (f" · {entry.detail}" if entry.detail else "") + " --", "1"))
            elif entry.kind == "line":
                self.line(entry)
            elif entry.kind == "feedback":
                self.write(f"Your deduction: {entry.text}")
            elif entry.kind == "ending":
                self.write()
                self.write(self.style(f"== The end: {entry.text} ==", "1"))
                if entry.detail:
                    self.write(entry.detail)

    def line(self, line: Entry) -> None:
        story = self.session.story
        if line.speaker == NARRATOR:
            self.write(line.text)
            return
        name = story.speaker_name(line.speaker)
        character = story.characters.get(story.voiceover or "" if line.speaker == VOICEOVER else line.speaker)
        label = self.rgb(name, character.color) if character else name
        if line.speaker == VOICEOVER:
            self.write(f"{label} (voiceover): {self.style(line.text, '3')}")
        else:
            self.write(f"{label}: {line.text}")

    def tell(self, outcome: Outcome) -> None:
        if outcome.message:
            self.write(outcome.message)
        if outcome.notice:
            self.write(outcome.notice)

    def casebook(self, state: GameState) -> None:
        entries = casebook_entries(self.session.story, state)
        if not entries:
            self.write("Your casebook is empty.")
        else:
            self.write("Casebook:")
        for entry in entries:
            self.write(f"- {entry.clue.name} (found: {entry.scene_title}). {entry.clue.description}")
        for title, said, result in worked_out(self.session.story, state):  # the deductions put so far
            self.write(f"- {title}, as you last put it: {said} {result}")

    def suspects(self, state: GameState) -> None:
        self.write("Suspects (motive, means, opportunity, alibi, from the clues you hold):")
        for suspect in suspects_board(self.session.story, state):
            met = "" if suspect.met else " (not met yet)"
            self.write(f"- {suspect.character.name}{met}")
            for aspect in SUSPECT_ASPECTS:
                self.write(f"    {aspect}: {suspect.summary(aspect)}")

    # -- playing ----------------------------------------------------------
    def run(self, *, seed: int = 0) -> int:
        """Play until an ending, `quit` or the end of input; the exit status is 0 for all three.

        A session with a run already (from --continue or --load) goes on from it. Every way
        out (quit, the end of input, ctrl+c) saves a run in progress first.
        """
        try:
            return self._play(seed)
        except BaseException:  # ctrl+c, or a fault the play boundary (cli.run_play) reports: keep the run
            self.session.save_on_exit()
            raise

    def _play(self, seed: int) -> int:
        session = self.session
        if not session.has_run:
            session.new_game(seed)
            story = session.story
            self.write(self.style(story.title.upper(), "1"))
            if story.subtitle:
                self.write(story.subtitle)
            if story.content_note:
                self.write()
                self.write(f"Content note: {story.content_note}")
            self.show(session.last_shown)
        else:
            self.show(session.scene_entries())
        while (view := session.view).ending is None:
            if self.watch and self.reload_if_changed():
                continue
            self.write()
            for number, choice in enumerate(view.choices, 1):
                self.write(f"  {number}. {choice.text}")
            answer = self.ask()
            if answer is None or answer in ("q", "quit", "exit"):
                saved = session.save_on_exit()  # silent when it works: Continue brings the player back
                if not saved.ok:
                    self.write(f"Your run could not be saved: {saved.message}")
                self.write("Goodbye.")
                return 0
            answer, nothing_here = choice_for_command(answer, view)
            if nothing_here:
                self.write(nothing_here)
                continue
            command, _, argument = answer.partition(" ")
            command = command.lower()
            if command in COMMANDS:
                COMMANDS[command](self, argument.strip())
                continue
            chosen = choice_number(answer)
            if chosen is None or not 1 <= chosen <= len(view.choices):
                shown = printable(answer, 40)
                self.write(
                    f"'{shown}' is not one of the choices. Type a number from 1 to {len(view.choices)}, or 'help'."
                )
                continue
            given = ask_given(self, session.state, view.choices[chosen - 1])
            if given is None:
                continue
            session.choose(chosen, given)
            self.show(session.last_shown[1:])
        return 0

    def ask(self) -> str | None:
        self.out.write("> ")
        self.out.flush()
        raw = self.stdin.readline()
        if not raw:
            self.write()
            return None
        answer = raw.strip()
        if self.echo:
            self.write(printable(answer, 200))
        return answer

    # -- commands at the prompt -------------------------------------------
    def show_help(self, argument: str) -> None:
        self.write(HELP)

    def look(self, argument: str) -> None:
        self.show(self.session.scene_entries())

    def show_casebook(self, argument: str) -> None:
        self.casebook(self.session.state)

    def show_suspects(self, argument: str) -> None:
        self.suspects(self.session.state)

    def undo(self, argument: str) -> None:
        undone = self.session.undo(choice_number(argument) or 1)
        if not undone:
            self.write("There is nothing to undo: this is the start of the run.")
            return
        self.write(f"Undid {undone} choice{'s' if undone > 1 else ''}.")
        self.look("")

    def redo(self, argument: str) -> None:
        if not self.session.redo():
            self.write("There is nothing to redo.")
            return
        self.write("Redid a choice.")
        self.look("")

    def save(self, argument: str) -> None:
        self.tell(self.session.save(argument))

    def load(self, argument: str) -> None:
        outcome = self.session.load(argument)
        self.tell(outcome)
        if outcome.ok:
            self.look("")

    def reload(self, argument: str) -> None:
        if not self.reload_if_changed(force=True):
            self.write("The story files have not changed.")

    def reload_if_changed(self, force: bool = False) -> bool:
        """Pick up edited story files; a broken edit (or any failure) only says so, and the game goes on."""
        reload = self.session.reload(force)
        if reload.kind == "unchanged":
            return False
        self.write(reload.message)
        for finding in reload.findings:
            self.write(f"  {finding}")
        if reload.kind != "reloaded":
            return force  # said why; `reload` need not add that nothing changed
        self.look("")
        return True

    def list_saves(self, argument: str) -> None:
        slots, problem = self.session.slots()
        self.write(problem or format_slots(slots) or "No saves yet.")


COMMANDS = {
    "h": PlainGame.show_help,
    "help": PlainGame.show_help,
    "?": PlainGame.show_help,
    "l": PlainGame.look,
    "look": PlainGame.look,
    "c": PlainGame.show_casebook,
    "casebook": PlainGame.show_casebook,
    "s": PlainGame.show_suspects,
    "suspects": PlainGame.show_suspects,
    "u": PlainGame.undo,
    "undo": PlainGame.undo,
    "redo": PlainGame.redo,
    "save": PlainGame.save,
    "load": PlainGame.load,
    "saves": PlainGame.list_saves,
    "reload": PlainGame.reload,
}


def format_slots(slots: list[SlotInfo]) -> str:
    """Slots as lines of text, for `archer saves` and the `saves` command."""
    return "\n".join(f"{slot.shown_name}: {describe_slot(slot)}" for slot in slots)
