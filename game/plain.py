"""Plain line mode: the game on stdin/stdout, for screen readers, pipes and tests.

Every line is written out in full with its speaker's name; colour is only ever
an addition, and is off when NO_COLOR is set or the output is not a terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import TextIO

from game.engine.engine import Engine, View
from game.engine.state import GameState
from game.story.model import NARRATOR, VOICEOVER, Beat, Ending, Line

HELP = """Type the number of a choice and press Enter.
Other commands: look (show the scene again), casebook (clues found), help, quit."""


def wants_colour(stream: TextIO) -> bool:
    return not os.environ.get("NO_COLOR") and stream.isatty()


class PlainGame:
    def __init__(self, engine: Engine, stdin: TextIO, stdout: TextIO, colour: bool | None = None) -> None:
        self.engine = engine
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
        if not state.clues:
            self.write("Your casebook is empty.")
            return
        self.write("Casebook:")
        for clue_id, found_in in state.clues.items():
            clue = self.story.clues[clue_id]
            place = self.story.scenes[found_in].title if found_in in self.story.scenes else found_in
            self.write(f"- {clue.name} (found: {place}). {clue.description}")

    # -- playing ----------------------------------------------------------
    def run(self, state: GameState | None = None, *, seed: int = 0) -> int:
        """Play until an ending, `quit` or the end of input; the exit status is 0 for all three."""
        story = self.story
        if state is None:
            state = self.engine.new_game(seed)
            self.write(self.style(story.title.upper(), "1"))
            if story.subtitle:
                self.write(story.subtitle)
            if story.content_note:
                self.write()
                self.write(f"Content note: {story.content_note}")
            self.chapter(story.beats[state.beat])
        view = self.engine.view(state)
        self.scene(view)
        while view.ending is None:
            self.choices(view)
            answer = self.ask()
            if answer is None or answer in ("q", "quit", "exit"):
                self.write("Goodbye.")
                return 0
            if answer in ("h", "help", "?"):
                self.write(HELP)
                continue
            if answer in ("l", "look"):
                self.scene(view)
                continue
            if answer in ("c", "casebook"):
                self.casebook(state)
                continue
            if not answer.isdigit() or not 1 <= int(answer) <= len(view.choices):
                shown = answer if len(answer) < 40 else answer[:37] + "..."
                self.write(
                    f"'{shown}' is not one of the choices. Type a number from 1 to {len(view.choices)}, or 'help'."
                )
                continue
            step = self.engine.choose(state, int(answer))
            state = step.state
            if step.entered_beat is not None:
                self.chapter(step.entered_beat)
            view = self.engine.view(state)
            if step.ending is None:
                self.scene(view)
        self.ending(view.ending)
        return 0

    def ask(self) -> str | None:
        self.out.write("> ")
        self.out.flush()
        raw = self.stdin.readline()
        if not raw:
            self.write()
            return None
        answer = raw.strip().lower()
        if self.echo:
            self.write(answer)
        return answer


def play_plain(engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    return PlainGame(engine, stdin, stdout).run()
