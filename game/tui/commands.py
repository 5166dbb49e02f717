"""The command palette (ctrl+p): every action of the game, findable by name.

Only the commands that make sense on the current screen are offered, so the
palette never lists something that would do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from game.tui.settings import TEXT_SPEEDS

if TYPE_CHECKING:
    from game.tui.app import ArcherApp

Command = tuple[str, str, Callable[[], object]]


class ArcherCommands(Provider):
    """Archer's own commands, beside Textual's (themes, keys, quit)."""

    def commands(self) -> Iterator[Command]:
        app = cast("ArcherApp", self.app)
        screen = self.screen  # the screen the palette was opened from
        playing = app.playthrough is not None
        yield "New game", "Start the story from the beginning", app.action_new_game
        on_title = screen is app.screen_stack[0]
        if app.can_continue and on_title:
            yield "Continue", "Go back to the run in progress, or the newest save", app.continue_game
        if playing:
            yield "History", "Every line shown so far in this run", app.action_history
            yield "Casebook", "The clues you have found", app.action_casebook
            yield "Suspects", "Motive, means and opportunity, as far as you know them", app.action_suspects
        undo = getattr(screen, "action_undo", None)
        if undo is not None and screen.check_action("undo", ()):
            yield "Undo", "Take back the last choice", undo
        yield "Settings", "Text speed, theme, typewriter", app.action_settings
        yield "Help", "The keys, and how to play", app.action_help
        yield "Endings found", "The endings you have reached", app.action_endings
        on = "off" if app.settings.typewriter else "on"
        yield f"Typewriter {on}", "Reveal text letter by letter, or all at once", app.toggle_typewriter
        for speed in TEXT_SPEEDS:
            if speed != app.settings.text_speed:
                yield f"Text speed: {speed}", "How fast the typewriter reveals text", _bind(app.set_text_speed, speed)
        if playing:
            yield "Save game", "Save this run in a slot", app.action_save_game
            yield "Quicksave", "Save this run in the quicksave slot", app.action_quicksave
        yield "Load game", "Pick a saved run to go back to", app.action_load_game
        yield "Reload story", "Read the story files again after editing them", app.action_reload_story
        if not on_title:
            yield "Back to the title", "Leave the run for now; Continue brings you back", app.back_to_title

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


def _bind(function: Callable[[str], object], value: str) -> Callable[[], object]:
    return lambda: function(value)
