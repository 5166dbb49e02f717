"""A play session: the one place that owns a run, for plain mode and the TUI alike.

It holds the run (undo, redo), what each step showed (for the screen, the
history and plain text), the play clock, when to autosave, the endings record,
save and load, and live reload with the run carried over. Frontends render what
it says and pass the player's input back; none of them touches a `Run`.

Every operation that reads or writes files is a boundary: whatever goes wrong,
the player gets a sentence (`Outcome`), the run is kept, and an unexpected error
is logged where the sentence says.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from game.saves import AUTOSAVE, QUICKSAVE, EndingsRecord, SaveError, SaveStore, SlotInfo, printable
from game.session.trouble import report
from game.story.model import Story

if TYPE_CHECKING:  # the engine is made when a run starts, not to draw the title
    from game.engine.engine import Engine, Step, View
    from game.engine.run import Run
    from game.engine.state import GameState
    from game.session.entries import Entry
    from game.story.findings import Finding

Job = Callable[[], object]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an operation did, in a sentence for the player; `notice` is a second, longer word (a changed story)."""

    ok: bool
    message: str
    notice: str = ""


@dataclass(frozen=True, slots=True)
class Reload:
    """What a live reload did: nothing, kept the old story (its errors), reloaded, or failed (kept too).

    "restored": the files went back to exactly the version being played after a rejected
    edit, so the errors shown for that edit are gone although nothing was reloaded.
    """

    kind: Literal["unchanged", "rejected", "reloaded", "restored", "failed"]
    message: str = ""
    findings: tuple[Finding, ...] = field(default=())


def describe_slot(slot: SlotInfo) -> str:
    """One slot as a line, after its name: where it stands, or what is wrong with it."""
    if slot.status == "damaged":
        return f"DAMAGED: {printable(slot.problem, 200)}"
    minutes = int(slot.play_seconds // 60)
    try:
        when = datetime.fromisoformat(slot.saved_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        when = slot.saved_at
    clues = f"{slot.clues} clue{'' if slot.clues == 1 else 's'}"
    note = {"ok": "", "older story": " · older story version", "other story": " · another story"}[slot.status]
    return printable(f"{slot.beat} · {slot.scene_title} · {clues} · {minutes} min · {when}{note}", 200)


class Session:
    """One player's session with one story; frontends are views of it."""

    def __init__(
        self,
        story: Story,
        store: SaveStore | None = None,
        *,
        autosave_every: int = 5,
        background: Callable[[Job], None] | None = None,
        tell: Callable[[str], None] | None = None,
    ) -> None:
        """`background` runs a file write (the TUI hands it to a thread), `tell` reports a failure that happened there."""
        self.story = story
        self.store = store
        self.autosave_every = autosave_every
        self._background = background or (lambda job: job())
        self._tell = tell or (lambda message: None)
        self._lock = threading.Lock()  # one write at a time, whichever thread runs it
        self._engine: Engine | None = None
        self._run: Run | None = None
        self._shown: list[tuple[Entry, ...]] = []  # what each state of the run showed when reached
        self._undone: list[tuple[Entry, ...]] = []
        self._since_autosave = 0
        self._played_before = 0.0
        self._clock = time.monotonic()
        self._rejected_digest = ""
        self._endings: list[str] | None = None
        self._digest_failed = False
        self._kept: GameState | None = None  # the state the last save on the way out wrote

    # -- the run --------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """The story's rules, made when first asked for (the title screen does without them)."""
        if self._engine is None:
            from game.engine.engine import Engine

            self._engine = Engine(self.story)
        return self._engine

    @property
    def has_run(self) -> bool:
        return self._run is not None

    @property
    def run(self) -> Run:
        if self._run is None:
            raise LookupError("no run has started")
        return self._run

    @property
    def state(self) -> GameState:
        return self.run.state

    @property
    def view(self) -> View:
        return self.engine.view(self.state)

    @property
    def ended(self) -> bool:
        return self.state.ending is not None

    @property
    def choices_made(self) -> int:
        return len(self.run.history) - 1

    @property
    def in_progress(self) -> bool:
        """A run worth keeping: started, not ended, at least one choice made."""
        return self._run is not None and not self.ended and self.choices_made > 0

    @property
    def can_undo(self) -> bool:
        return self.run.can_undo

    @property
    def can_redo(self) -> bool:
        return self.run.can_redo

    @property
    def transcript(self) -> list[Entry]:
        """Everything shown since the run began, for the history."""
        return [entry for entries in self._shown for entry in entries]

    @property
    def last_shown(self) -> tuple[Entry, ...]:
        """What the latest step showed (the opening, for a new run)."""
        return self._shown[-1]

    def scene_entries(self) -> tuple[Entry, ...]:
        """The scene as it stands now (to look again, or after undo, load and reload)."""
        from game.session.entries import scene_entries

        return scene_entries(self.view)

    def new_game(self, seed: int = 0) -> None:
        from game.engine.run import Run

        self.start(Run.new(self.engine, seed), 0.0)

    def choose(self, choice: int, given: Sequence[str] = ()) -> Step:
        """Take choice number `choice` (ChoiceError when it is not on offer), with a deduction's fills or
        the evidence presented; autosave or record the ending."""
        from game.session.entries import step_entries

        step = self.run.choose(choice, given)
        self._shown.append(step_entries(self.story, step.state, step.entered_beat, self.view, step.feedback or ""))
        self._undone.clear()
        if step.ending is not None:
            self.record_ending(step.ending.id)
        elif self._autosave_due(step.entered_beat is not None):
            self._autosave_later(step.state)
        return step

    def undo(self, steps: int = 1) -> int:
        """Go back up to `steps` choices; how many were undone."""
        undone = self.run.undo(steps)
        for _ in range(undone):
            self._undone.append(self._shown.pop())
        return undone

    def redo(self) -> bool:
        if not self.run.redo():
            return False
        self._shown.append(self._undone.pop())
        return True

    def set_writer(self, background: Callable[[Job], None], tell: Callable[[str], None]) -> None:
        """How file writes run (the TUI: in a worker thread) and how a failure there is told."""
        self._background, self._tell = background, tell

    def start(self, run: Run, seconds: float) -> None:
        """Make `run` the session's run, rebuilding what each of its steps showed."""
        from itertools import pairwise

        from game.session.entries import entered_beat, opening_entries, step_entries

        story, engine = self.story, run.engine
        self._shown = [opening_entries(engine.view(run.history[0]))]
        for before, after in pairwise(run.history):
            beat = entered_beat(story, before, after)
            self._shown.append(step_entries(story, after, beat, engine.view(after)))
        self._run, self._engine = run, engine
        self._undone.clear()
        self._since_autosave = 0
        self._played_before, self._clock = seconds, time.monotonic()

    # -- the clock --------------------------------------------------------------
    def play_seconds(self) -> float:
        return self._played_before + time.monotonic() - self._clock

    # -- autosave and the endings record ---------------------------------------
    def _autosave_due(self, new_chapter: bool) -> bool:
        """On every new chapter, and every `autosave_every` choices (0: chapters only)."""
        self._since_autosave += 1
        if new_chapter or (self.autosave_every and self._since_autosave >= self.autosave_every):
            self._since_autosave = 0
            return True
        return False

    def _autosave_later(self, state: GameState) -> None:
        store, story, seconds = self.store, self.story, self.play_seconds()
        if store is None:
            return

        def job() -> None:
            outcome = self._guard("autosaving", lambda: store.autosave(story, state, seconds))
            if not outcome.ok:
                self._tell(f"Autosave failed: {outcome.message} Your game goes on; try saving it by name.")

        self._background(job)

    def autosave_now(self) -> Outcome:
        """Save the run in the autosave slot at once (before quitting, or anything risky)."""
        if self.store is None or self._run is None:
            return Outcome(True, "")
        store, story, state, seconds = self.store, self.story, self.state, self.play_seconds()
        if state is not self._kept:
            outcome = self._guard("saving your run", lambda: store.autosave(story, state, seconds))
            if not outcome.ok:
                return outcome
            self._kept = state
        return Outcome(True, f"Your run is saved as '{AUTOSAVE}-1'.")

    def save_on_exit(self) -> Outcome:
        """Every way out keeps a run in progress: save it, as Continue expects."""
        return self.autosave_now() if self.in_progress else Outcome(True, "")

    @property
    def endings_found(self) -> list[str]:
        """The ids of the endings this player has reached, in this story."""
        if self._endings is None:
            found: dict[str, str] = {}
            if self.store is not None:
                record = EndingsRecord(self.store.folder)
                self._guard("reading the endings found", lambda: found.update(record.found(self.story)))
            self._endings = list(found)
        return self._endings

    def endings_count(self) -> tuple[int, int]:
        """(endings found, endings in the story)."""
        return len(set(self.endings_found) & set(self.story.endings)), len(self.story.endings)

    def record_ending(self, ending_id: str) -> None:
        if ending_id in self.endings_found:
            return
        self.endings_found.append(ending_id)
        if self.store is None:
            return
        record, story = EndingsRecord(self.store.folder), self.story

        def job() -> None:
            outcome = self._guard("recording the ending", lambda: record.add(story, ending_id))
            if not outcome.ok:
                self._tell(f"Progress could not be saved: {outcome.message}")

        self._background(job)

    # -- save and load ------------------------------------------------------------
    def slots(self) -> tuple[list[SlotInfo], str]:
        """The save slots, and a message when they could not be listed at all."""
        if self.store is None:
            return [], "Saving is off in this game."
        listed: list[SlotInfo] = []
        outcome = self._guard("listing the saves", lambda: listed.extend(self._store.slots(self.story)))
        return listed, "" if outcome.ok else outcome.message

    def save(self, name: str = "") -> Outcome:
        name = name.strip() or QUICKSAVE
        if self.store is None:
            return Outcome(False, "Saving is off in this game.")
        if self._run is None:
            return Outcome(False, "There is no game to save yet.")
        store, story, state, seconds = self.store, self.story, self.state, self.play_seconds()
        outcome = self._guard("saving", lambda: store.save(name, story, state, seconds), "Not saved")
        return outcome if not outcome.ok else Outcome(True, f"Saved as '{name}'.")

    def load(self, name: str = "") -> Outcome:
        """Load slot `name` (a changed story replays its log); a bad save changes nothing."""
        name = name.strip() or QUICKSAVE
        if self.store is None:
            return Outcome(False, "Saving is off in this game.")
        store, engine = self.store, self.engine
        loaded: list[tuple[Run, float, str]] = []

        def read() -> None:
            got = store.load(name, engine)
            loaded.append((got.run, got.play_seconds, got.notice))

        outcome = self._guard("loading a save", read, "Not loaded")
        if not outcome.ok:
            return outcome
        run, seconds, notice = loaded[0]
        self.start(run, seconds)
        return Outcome(True, f"Loaded '{printable(name)}'.", notice)

    def newest_slot(self) -> str | None:
        """The newest save that can be loaded, if any (for Continue)."""
        slots, _ = self.slots()
        return next((slot.name for slot in slots if slot.usable), None)

    def continue_newest(self) -> Outcome:
        newest = self.newest_slot()
        if newest is None:
            folder = self.store.folder if self.store is not None else "this game"
            return Outcome(False, f"There is no save to continue in {folder}.")
        return self.load(newest)

    def delete(self, name: str) -> Outcome:
        store = self._store
        outcome = self._guard("deleting a save", lambda: store.delete(name), "Not deleted")
        return outcome if not outcome.ok else Outcome(True, f"Deleted '{printable(name)}'.")

    @property
    def _store(self) -> SaveStore:
        if self.store is None:
            raise SaveError("saving is off in this game")
        return self.store

    # -- live reload ----------------------------------------------------------------
    def reload(self, force: bool = False) -> Reload:
        """Pick up edited story files and go on from the same point.

        A broken edit keeps the story being played and says what is wrong; so does
        anything unexpected (a file vanishing mid-read, a value nobody foresaw). The
        run is saved before the new story is read, so even a crash would lose nothing.
        """
        from game.story.loader import story_digest

        digests: list[str] = []
        checked = self._guard("looking for story edits", lambda: digests.append(story_digest(self.story.root)))
        if not checked.ok:  # said once, not at every look while the folder stays unreadable
            said, self._digest_failed = self._digest_failed, True
            return Reload("unchanged") if said and not force else Reload("failed", checked.message)
        self._digest_failed = False
        digest = digests[0]
        if digest == self.story.digest and self._rejected_digest:
            self._rejected_digest = ""
            return Reload("restored", "The story files are back to the version you are playing: no errors now.")
        if digest in (self.story.digest, self._rejected_digest) and not force:
            return Reload("unchanged")
        if self.in_progress:
            saved = self.autosave_now()
            if not saved.ok:
                return Reload("failed", f"The story was not reloaded, to keep your run: {saved.message}")
        try:
            return self._reload(digest)
        except Exception as error:
            self._rejected_digest = digest
            return Reload(
                "failed", report(error, "reloading the story") + " You are still playing the version from before."
            )

    def _reload(self, digest: str) -> Reload:
        from game.engine.engine import Engine
        from game.engine.run import carry_over
        from game.story.findings import StoryError
        from game.story.loader import load_story

        try:
            story = load_story(self.story.root)
        except StoryError as error:
            self._rejected_digest = digest
            errors = tuple(finding for finding in error.findings if finding.severity == "error")
            return Reload(
                "rejected", "The edited story has errors, so you are still playing the version from before:", errors
            )
        if story.digest == self.story.digest:
            return Reload("unchanged")
        engine = Engine(story)
        self._rejected_digest = ""
        carried = carry_over(engine, self.state, "while you played") if self._run is not None else None
        self.story, self._engine, self._endings = story, engine, None
        if carried is None:
            return Reload("reloaded", "Story reloaded.")
        run, notice = carried
        self.start(run, self.play_seconds())
        return Reload("reloaded", f"(Story reloaded.) {notice}")

    # -- the boundary ------------------------------------------------------------------
    def _guard(self, doing: str, work: Job, refused: str = "") -> Outcome:
        """Run `work` under the write lock: a SaveError or OSError is a plain refusal, anything else is logged."""
        try:
            with self._lock:
                work()
        except SaveError as error:
            return Outcome(False, f"{refused}: {error}." if refused else f"{error}.")
        except OSError as error:
            detail = f"{error.strerror or error}" + (f" ({error.filename})" if error.filename else "")
            return Outcome(False, f"{refused}: {detail}." if refused else f"{detail}.")
        except Exception as error:
            message = report(error, doing)
            return Outcome(False, f"{refused}. {message}" if refused else message)
        return Outcome(True, "")
