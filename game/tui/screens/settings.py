"""Settings: text speed, the typewriter, autosave and the theme; each change is saved at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, RadioSet, Select, Static, Switch

from game.tui.screens.panel import PanelScreen
from game.tui.settings import AUTOSAVE_CHOICES, TEXT_SPEEDS
from game.tui.widgets.marked_radio import MarkedRadioButton

if TYPE_CHECKING:
    from game.tui.app import ArcherApp


class SettingsScreen(PanelScreen):
    PANEL_TITLE = "Settings"

    @property
    def archer(self) -> ArcherApp:
        return cast("ArcherApp", self.app)

    def subtitle(self) -> str:
        return "saved as you change them"

    def compose_body(self) -> ComposeResult:
        settings = self.archer.settings
        with Horizontal(classes="setting"):
            yield Label("Typewriter", classes="setting-name")
            yield Switch(value=settings.typewriter, id="typewriter")
            yield Label(self._on_off(settings.typewriter), id="typewriter-state", classes="setting-state")
        if self.archer.animation_level == "none":
            yield Static(
                "Animations are off in this terminal (TEXTUAL_ANIMATIONS=none): text appears at once.",
                classes="setting-note",
            )
        with Horizontal(classes="setting"):
            yield Label("Text speed", classes="setting-name")
            with RadioSet(id="text-speed"):
                for speed in TEXT_SPEEDS:
                    yield MarkedRadioButton(speed.capitalize(), value=speed == settings.text_speed, name=speed)
        with Horizontal(classes="setting"):
            yield Label("Autosave", classes="setting-name")
            with RadioSet(id="autosave"):
                for every in AUTOSAVE_CHOICES:
                    label = f"Every {every}" if every else "Chapters only"
                    yield MarkedRadioButton(label, value=every == settings.autosave_every, name=str(every))
        with Horizontal(classes="setting"):
            yield Label("Theme", classes="setting-name")
            themes = sorted(self.archer.available_themes, key=lambda name: (not name.startswith("archer-"), name))
            yield Select([(name, name) for name in themes], value=self.archer.theme, allow_blank=False, id="theme")

    def initial_focus(self) -> Widget:
        return self.query_one("#typewriter", Switch)

    @staticmethod
    def _on_off(value: bool) -> str:
        return "On: text is typed out" if value else "Off: text appears at once"

    @on(Switch.Changed, "#typewriter")
    def typewriter_changed(self, event: Switch.Changed) -> None:
        self.query_one("#typewriter-state", Label).update(self._on_off(event.value))
        if event.value != self.archer.settings.typewriter:
            self.archer.change_settings(typewriter=event.value)

    @on(RadioSet.Changed, "#text-speed")
    def speed_changed(self, event: RadioSet.Changed) -> None:
        speed = event.pressed.name
        if speed and speed != self.archer.settings.text_speed:
            self.archer.change_settings(text_speed=speed)

    @on(RadioSet.Changed, "#autosave")
    def autosave_changed(self, event: RadioSet.Changed) -> None:
        every = int(event.pressed.name or 0)
        if every != self.archer.settings.autosave_every:
            self.archer.change_settings(autosave_every=every)

    @on(Select.Changed, "#theme")
    def theme_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.archer.settings.theme:
            self.archer.change_settings(theme=event.value)
