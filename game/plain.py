"""Plain line mode: the game on stdin/stdout, for screen readers, pipes and tests.

Every line is written out in full with its speaker's name; colour is only ever
an addition, and is off when NO_COLOR is set or the output is not a terminal.
"""

from __future__ import annotations

import os
import shutil
import textwrap
import time
from typing import TextIO

from game.engine.casebook import casebook as casebook_entries
from game.engine.casebook import suspects_board
from game.engine.deduce import worked_out
from game.engine.engine import Engine, Step, View
from game.engine.run import Run, carry_over
from game.engine.state import GameState
from game.plain_deduce import ask_given, choice_for_command
from game.saves import QUICKSAVE, Autosave, EndingsRecord, Loaded, SaveError, SaveStore, SlotInfo
from game.story.findings import StoryError
from game.story.loader import load_story, story_digest
from game.story.model import NARRATOR, SUSPECT_ASPECTS, VOICEOVER, Beat, Ending, Line

HELP = """Type the number of a choice and press Enter. Other commands:
  look            show the scene again        casebook      the clues you have found
  suspects        what you know of each suspect
  undo [N]        take back the last choice(s) redo         put it back
  save [NAME]     save the game (quicksave)   load [NAME]   load a save
  saves           list the saves              reload        pick up edited story files
  deduce          work out a case, when a choice offers it
  present         show evidence, when a choice asks for it
  help, quit"""


def wants_colour(stream: TextIO) -> bool:
    return not os.environ.get("NO_COLOR") and stream.isatty()


class PlainGame:
    def __init__(
        self,
        engine: Engine,
        stdin: TextIO,
        stdout: TextIO,
        colour: bool | None = None,
        store: SaveStore | None = None,
        autosave_every: int = 5,
        watch: bool = False,
    ) -> None:
        self.engine = engine
        self.watch = watch
        self.rejected = ""
        self.store = store
        self.autosave = Autosave(store, autosave_every) if store is not None else None
        self.played = 0.0
        self.started = time.monotonic()
        self.story = engine.story
        self.stdin = stdin
        self.out = stdout
        self.colour = wants_colour(stdout) if colour is None else colour
        self.echo = not stdin.isatty()
        self.width = shutil.get_terminal_size().columns if stdout.isatty() else 0

    # -- writing ----------------------------------------------------------
    def write(self, text: str = "") -> None:
        if self.width and text:
            text = "\n".join(textwrap.fill(part, width=min(self.width, 100)) for part in text.split("\n"))
        print(text, file=self.out)

    def style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text

    def rgb(self, text: str, colour: str) -> str:
        digits = colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        return self.style(text, f"1;38;2;{red};{green};{blue}")

    def line(self, line: Line) -> None:
        if line.speaker == NARRATOR:
            self.write(line.text)
            return
        name = self.story.speaker_name(line.speaker)
        character = self.story.characters.get(self.story.voiceover or "" if line.speaker == VOICEOVER else line.speaker)
        label = self.rgb(name, character.colour) if character else name
        if line.speaker == VOICEOVER:
            self.write(f"{label} (voiceover): {self.style(line.text, '3')}")
        else:
            self.write(f"{label}: {line.text}")

    def chapter(self, beat: Beat) -> None:
        self.write()
        self.write(self.style(f"== {beat.title} ==", "1"))
        if beat.card:
            self.write(beat.card)

    def scene(self, view: View) -> None:
        scene = view.scene
        self.write()
        heading = f"-- {scene.title}" + (f" · {scene.place}" if scene.place else "") + " --"
        self.write(self.style(heading, "1"))
        for line in view.lines:
            self.line(line)

    def choices(self, view: View) -> None:
        self.write()
        for number, choice in enumerate(view.choices, 1):
            self.write(f"  {number}. {choice.text}")

    def ending(self, ending: Ending) -> None:
        self.write()
        self.write(self.style(f"== The end: {ending.title} ==", "1"))
        if ending.text:
            self.write(ending.text)

    def casebook(self, state: GameState) -> None:
        entries = casebook_entries(self.story, state)
        if not entries:
            self.write("Your casebook is empty.")
        else:
            self.write("Casebook:")
        for entry in entries:
            self.write(f"- {entry.clue.name} (found: {entry.scene_title}). {entry.clue.description}")
        for title, said, result in worked_out(self.story, state):  # the deductions put so far
            self.write(f"- {title}, as you last put it: {said} {result}")

    def suspects(self, state: GameState) -> None:
        self.write("Suspects (motive, means, opportunity, alibi, from the clues you hold):")
        for suspect in suspects_board(self.story, state):
            met = "" if suspect.met else " (not met yet)"
            self.write(f"- {suspect.character.name}{met}")
            for aspect in SUSPECT_ASPECTS:
                self.write(f"    {aspect}: {suspect.summary(aspect)}")

    # -- playing ----------------------------------------------------------
    def run(self, loaded: Loaded | None = None, *, seed: int = 0) -> int:
        """Play until an ending, `quit` or the end of input; the exit status is 0 for all three."""
        story = self.story
        if loaded is None:
            run = Run.new(self.engine, seed)
            self.write(self.style(story.title.upper(), "1"))
            if story.subtitle:
                self.write(story.subtitle)
            if story.content_note:
                self.write()
                self.write(f"Content note: {story.content_note}")
            self.chapter(story.beats[run.state.beat])
        else:
            run = loaded.run
            self.played = loaded.play_seconds
            if loaded.notice:
                self.write(loaded.notice)
        self.started = time.monotonic()
        self.scene(self.engine.view(run.state))
        while (view := self.engine.view(run.state)).ending is None:
            if self.watch and self.reload_if_changed(run):
                continue
            self.choices(view)
            answer = self.ask()
            if answer is None or answer in ("q", "quit", "exit"):
                self.write("Goodbye.")
                return 0
            answer, nothing_here = choice_for_command(answer, view)
            if nothing_here:
                self.write(nothing_here)
                continue
            command, _, argument = answer.partition(" ")
            command = command.lower()
            if command in COMMANDS:
                COMMANDS[command](self, run, argument.strip())
                continue
            if not answer.isdigit() or not 1 <= int(answer) <= len(view.choices):
                shown = answer if len(answer) < 40 else answer[:37] + "..."
                self.write(
                    f"'{shown}' is not one of the choices. Type a number from 1 to {len(view.choices)}, or 'help'."
                )
                continue
            given = ask_given(self, run.state, view.choices[int(answer) - 1])
            if given is None:
                continue
            step = run.choose(int(answer), given)
            if step.feedback:
                self.write(f"Your deduction: {step.feedback}")
            if step.entered_beat is not None:
                self.chapter(step.entered_beat)
            if step.ending is None:
                self.scene(self.engine.view(step.state))
            self.after_choice(step)
        assert view.ending is not None
        self.ending(view.ending)
        return 0

    def play_seconds(self) -> float:
        return self.played + time.monotonic() - self.started

    def after_choice(self, step: Step) -> None:
        if self.store is None:
            return
        try:
            if step.ending is not None:
                EndingsRecord(self.store.folder).add(self.story, step.ending.id)
            elif self.autosave is not None:
                self.autosave.after(self.story, step, self.play_seconds())
        except (SaveError, OSError) as error:
            self.write(f"(Autosave failed: {error}. Your game goes on; try 'save NAME'.)")

    def ask(self) -> str | None:
        self.out.write("> ")
        self.out.flush()
        raw = self.stdin.readline()
        if not raw:
            self.write()
            return None
        answer = raw.strip()
        if self.echo:
            self.write(answer)
        return answer

    # -- commands at the prompt -------------------------------------------
    def show_help(self, run: Run, argument: str) -> None:
        self.write(HELP)

    def look(self, run: Run, argument: str) -> None:
        self.scene(self.engine.view(run.state))

    def show_casebook(self, run: Run, argument: str) -> None:
        self.casebook(run.state)

    def show_suspects(self, run: Run, argument: str) -> None:
        self.suspects(run.state)

    def undo(self, run: Run, argument: str) -> None:
        steps = int(argument) if argument.isdigit() else 1
        undone = run.undo(steps)
        if not undone:
            self.write("There is nothing to undo: this is the start of the run.")
            return
        self.write(f"Undid {undone} choice{'s' if undone > 1 else ''}.")
        self.scene(self.engine.view(run.state))

    def redo(self, run: Run, argument: str) -> None:
        if not run.redo():
            self.write("There is nothing to redo.")
            return
        self.write("Redid a choice.")
        self.scene(self.engine.view(run.state))

    def save(self, run: Run, argument: str) -> None:
        if self.store is None:
            self.write("Saving is off in this game.")
            return
        name = argument or QUICKSAVE
        try:
            self.store.save(name, self.story, run.state, self.play_seconds())
        except SaveError as error:
            self.write(f"Not saved: {error}.")
            return
        self.write(f"Saved as '{name}'.")

    def load(self, run: Run, argument: str) -> None:
        if self.store is None:
            self.write("Saving is off in this game.")
            return
        try:
            loaded = self.store.load(argument or QUICKSAVE, self.engine)
        except SaveError as error:
            self.write(f"Not loaded: {error}.")
            return
        run.history[:] = loaded.run.history
        run.undone.clear()
        self.played, self.started = loaded.play_seconds, time.monotonic()
        self.write(f"Loaded '{argument or QUICKSAVE}'.")
        if loaded.notice:
            self.write(loaded.notice)
        self.scene(self.engine.view(run.state))

    def reload(self, run: Run, argument: str) -> None:
        if not self.reload_if_changed(run, force=True):
            self.write("The story files have not changed.")

    def reload_if_changed(self, run: Run, force: bool = False) -> bool:
        """Pick up edited story files and go on from the same point; a broken edit only shows its errors."""
        root = self.story.root
        digest = story_digest(root)
        if digest in (self.story.digest, self.rejected) and not force:
            return False
        try:
            story = load_story(root)
        except StoryError as error:
            self.rejected = digest
            self.write("The edited story has errors, so you are still playing the version from before:")
            for finding in error.findings:
                if finding.severity == "error":
                    self.write(f"  {finding}")
            return False
        if story.digest == self.story.digest:
            return False
        self.engine = Engine(story)
        self.story = story
        carried, notice = carry_over(self.engine, run.state, "while you played")
        run.engine = self.engine
        run.history[:] = carried.history
        run.undone.clear()
        self.write(f"(Story reloaded.) {notice}")
        self.scene(self.engine.view(run.state))
        return True

    def list_saves(self, run: Run, argument: str) -> None:
        if self.store is None:
            self.write("Saving is off in this game.")
            return
        self.write(format_slots(self.store.slots(self.story)) or "No saves yet.")


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
    rows = []
    for slot in slots:
        if slot.status == "damaged":
            rows.append(f"{slot.name}: DAMAGED: {slot.problem}")
            continue
        minutes = int(slot.play_seconds // 60)
        note = "" if slot.status == "ok" else f" [{slot.status}]"
        rows.append(
            f"{slot.name}: {slot.beat} · {slot.scene_title} · {slot.clues} clue(s) · {minutes} min · {slot.saved_at}{note}"
        )
    return "\n".join(rows)
