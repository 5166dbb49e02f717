"""Widgets whose colors are worked out from the theme, kept right when the theme changes."""

from __future__ import annotations

from textual.widget import Widget


class FollowsTheme(Widget):
    """Calls `apply_theme` on mount and on every theme change, and stops listening when removed.

    A signal subscription, dropped on unmount: watching `app.theme` instead would keep every
    removed widget alive, since Textual prunes those watchers only when the theme changes.
    """

    def on_mount(self) -> None:
        self.apply_theme()
        self.app.theme_changed_signal.subscribe(self, lambda _: self.apply_theme())

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)

    def apply_theme(self) -> None:
        """Recompute whatever depends on the theme's colors."""
