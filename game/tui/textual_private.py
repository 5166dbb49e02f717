"""Every use of Textual's private API in the game, in one place, each with the reason it is needed.

Private names change without notice between Textual releases, which is why pyproject.toml bounds
Textual to the minor version these were written against (TESTED_WITH, checked by the test suite:
asking for the installed version costs start-up ~10-90 ms, so the game itself does not). On another
version the game still runs: each helper checks that what it reaches for exists and otherwise does
the plain, public thing (a little slower, or keeping a little more memory), never crashing a game.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

# Why: the footer shows only the keys that fit whole, so it measures each key as Textual lays it out;
# Textual exports Footer but not the key widget it fills the footer with.
__all__ = ["FooterKey", "forget_removed_footer_keys", "start_with_theme", "textual_is_tested"]


def __getattr__(name: str) -> object:
    """`FooterKey`, imported when the play screen's footer first asks for it: the title screen has no
    footer, and Textual's footer module costs the first frame ~3 ms (issue 19)."""
    if name == "FooterKey":
        from textual.widgets._footer import FooterKey

        return FooterKey
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


TESTED_WITH = "8.2"  # the `textual` minor version these helpers were read against


def textual_is_tested() -> bool:
    """Whether the installed Textual is the minor version this module was written for."""
    from importlib.metadata import version  # here, not at the top: importing it costs the game's start-up

    return version("textual").split(".")[:2] == TESTED_WITH.split(".")


def start_with_theme(app: App[Any], name: str) -> None:
    """Choose `app`'s theme before the stylesheet is first read.

    Why: setting `App.theme` runs its watcher (`App._watch_theme`), which reparses the whole
    stylesheet; before the first frame nothing needs that, and it cost the cold start (issue 7).
    This is that watcher short of the reparse, and it needs the private `_refresh_truecolor_filter`
    so the ANSI theme follows the chosen theme as it would after the watcher.
    """
    from textual.app import App as TextualApp

    refresh_truecolor = getattr(app, "_refresh_truecolor_filter", None)
    if refresh_truecolor is None:
        app.theme = name  # the public way: correct, one stylesheet parse slower
        return
    app.set_reactive(TextualApp.theme, name)
    theme = app.current_theme
    app.stylesheet.set_variables(app.get_css_variables())
    app.set_class(True, f"-theme-{name}", update=False)
    app.set_class(theme.dark, "-dark-mode", update=False)
    app.set_class(not theme.dark, "-light-mode", update=False)
    refresh_truecolor(app.ansi_theme)


def forget_removed_footer_keys(footer: Footer) -> None:
    """Drop the watchers that Textual's footer leaves behind for the keys it no longer shows.

    Why: the footer binds every key it draws to its own `compact` reactive through the private
    `__watchers` table, and forgets them only when `compact` changes: without pruning, every
    footer key ever drawn stays in memory for the whole session.
    """
    for entries in getattr(footer, "__watchers", {}).values():
        entries[:] = [(node, callback) for node, callback in entries if node.is_attached]
