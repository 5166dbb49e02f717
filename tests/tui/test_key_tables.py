"""Every list of keys a player reads (the help panel, plain mode's help, the README) says what the
bindings and the command table really do (issue 13: they were written by hand and drifted)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from game import plain, plain_deduce
from game.tui.screens.help import DOES, action_name, all_bindings, bound_keys, key_table
from game.tui.screens.play import PlayScreen

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_bullet(starts: str) -> str:
    """The README bullet that begins with `starts`, as one line."""
    text = README.read_text(encoding="utf-8")
    start = text.index(starts)
    end = text.find("\n- ", start)
    return " ".join(text[start:end].split())


def test_the_help_table_is_the_bindings(monkeypatch: object) -> None:
    table = dict((does, keys) for keys, does in key_table())
    assert table["take that choice"] == "1-9 0"
    assert table["history: every line so far"] == "h"
    assert table["scroll the scene's text (a ▼ on the choice box: there is more)"] == "PgUp PgDn Home End"
    # Rebinding a key changes the help with it: the table is read from the bindings, not typed in.
    moved = [
        Binding("y", b.action) if isinstance(b, Binding) and b.action == "app.history" else b
        for b in PlayScreen.BINDINGS
    ]
    assert bound_keys("history", [b for b in moved if isinstance(b, Binding)]) == ["y"]


def test_every_key_the_play_screen_offers_is_in_the_help() -> None:
    listed = {action for actions, _ in DOES for action in actions.split()}
    for binding in PlayScreen.BINDINGS:
        assert isinstance(binding, Binding)
        assert action_name(binding.action) in listed, f"{binding.key} ({binding.action}) is missing from the help"


def test_every_action_the_help_names_is_bound() -> None:
    bound = {action_name(binding.action) for binding in all_bindings()}
    for actions, does in DOES:
        for action in actions.split():
            assert action in bound, f"the help says {action!r} ({does}) but no key does it"


def test_the_readme_names_every_key_of_the_help() -> None:
    bullet = readme_bullet("- `archer` (or `python -m game`)").lower()
    words = {"1-9": "`1`–`9`", "up": "arrows", "down": "arrows"}  # how the README words these
    for keys, does in key_table():
        for key in keys.split():
            named = words.get(key, f"`{key.lower()}`")
            assert named in bullet or re.search(rf"\b{re.escape(key.lower())}\b", bullet), (
                f"the README does not name {key!r} ({does})"
            )


def test_plain_help_and_the_readme_name_every_plain_command() -> None:
    words = [name for name in plain.COMMANDS if len(name) > 1]
    bullet = readme_bullet("- `archer --plain` plays")
    for name in words:
        assert re.search(rf"(^|\s){re.escape(name)}(\s|,|$)", plain.HELP, re.MULTILINE), f"plain HELP lacks {name!r}"
        assert f"`{name}" in bullet, f"the README's plain-mode keys lack {name!r}"
    for listed in re.findall(r"^\s+(\w+)", plain.HELP, re.MULTILINE):
        assert listed in plain.COMMANDS or listed in plain_deduce.COMMANDS or listed == "help,", (
            f"plain HELP names {listed!r}, which is no command"
        )
