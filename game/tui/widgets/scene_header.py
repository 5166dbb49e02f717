"""The scene's title and place, with the chapter it belongs to: where you are, always in view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label

from game.story.model import Beat, Scene


class SceneHeader(Widget):
    DEFAULT_CSS = """
    SceneHeader { height: auto; align-horizontal: center; }
    SceneHeader #header-column { height: auto; width: 100%; max-width: 100; }
    SceneHeader Horizontal { height: auto; }
    SceneHeader #scene-title { width: 1fr; }
    SceneHeader #beat-title { width: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="header-column"):
            with Horizontal():
                yield Label(id="scene-title")
                yield Label(id="beat-title")
            yield Label(id="scene-place")

    def show(self, scene: Scene, beat: Beat) -> None:
        self.query_one("#scene-title", Label).update(scene.title)
        self.query_one("#beat-title", Label).update(beat.title)
        place = self.query_one("#scene-place", Label)
        place.update(scene.place)
        place.display = bool(scene.place)
