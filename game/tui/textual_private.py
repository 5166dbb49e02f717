"""Every use of Textual's private API, gathered here with the reason for each.

pyproject bounds Textual to 8.x, the versions these were read from; a test
(tests/tui/test_textual_private.py) fails at once if an upgrade moves them.
"""

from __future__ import annotations

from typing import Any

import textual
from textual.app import App
from textual.dom import DOMNode

TESTED_MAJOR = 8


def version_problem() -> str:
    """A sentence when the installed Textual is not the major version this module was written for."""
    major = textual.__version__.split(".")[0]
    return "" if major == str(TESTED_MAJOR) else f"Textual {textual.__version__} is untested (Archer expects 8.x)"


def refresh_truecolor_filter(app: App[Any], ansi_theme: Any) -> None:
    """Set the ANSI colour filter as App._watch_theme would, without the stylesheet reparse it
    also does (the cold start sets the theme before the stylesheet is first read, issue 7)."""
    app._refresh_truecolor_filter(ansi_theme)


def forget_detached_watchers(node: DOMNode) -> None:
    """Textual's footer binds every key it draws to its own `compact`, and forgets those keys only
    when `compact` changes: drop the watchers of detached nodes, or every footer ever drawn stays."""
    for entries in getattr(node, "__watchers", {}).values():
        entries[:] = [(watcher, callback) for watcher, callback in entries if watcher.is_attached]
